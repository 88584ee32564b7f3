#!/usr/bin/env python3
"""Search speed: 1,000 modules against a 5-element local path whose last element holds the
winners. Reports modules per second and system calls per module (strace -c), and checks that
each directory is listed at most once per search.

  bench/search_speed.py [--modules N] [--runs R]

Uses build/tui/symscope (or $SYMSCOPE) and the fixtures in build/tests/fixtures.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SYMSCOPE = os.environ.get("SYMSCOPE", os.path.join(ROOT, "build", "tui", "symscope"))
FIXTURES = os.environ.get("SYMSCOPE_FIXTURES", os.path.join(ROOT, "build", "tests", "fixtures"))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
from symforge import forge_pdb, forge_pe  # noqa: E402


def build(tmp, n):
    for i in range(1, 5):
        d = os.path.join(tmp, "E%d" % i)
        os.makedirs(os.path.join(d, "exe"))
        for k in range(20):  # a few unrelated files, as real symbol directories have
            open(os.path.join(d, "other%02d.pdb" % k), "w").close()
    winners = os.path.join(tmp, "E5")
    os.makedirs(winners)
    os.makedirs(os.path.join(tmp, "img"))
    images = []
    for i in range(n):
        guid = str(uuid.UUID(int=(0x5E4C << 112) | i))
        name = "m%04d" % i
        forge_pdb(os.path.join(FIXTURES, "app.pdb"), os.path.join(winners, name + ".pdb"), guid, 1)
        img = os.path.join(tmp, "img", name + ".exe")
        forge_pe(os.path.join(FIXTURES, "app.exe"), img, guid, 1, name + ".pdb")
        images.append(img)
    return images


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modules", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="symscope-bench-")
    try:
        images = build(tmp, a.modules)
        path = ";".join(os.path.join(tmp, "E%d" % i) for i in range(1, 6))
        cmd = [SYMSCOPE, "find", "--json", "-y", path] + images
        env = dict(os.environ, SYMSCOPE_HOME=os.path.join(tmp, "home"))
        env.pop("_NT_SYMBOL_PATH", None)
        times = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            p = subprocess.run(cmd, cwd=tmp, env=env, stdout=subprocess.PIPE, text=True)
            times.append(time.perf_counter() - t0)
            if p.returncode != 0:
                sys.exit(f"find failed with status {p.returncode}")
        found = p.stdout.count('"status":"found"')
        if found != a.modules:
            sys.exit(f"only {found} of {a.modules} modules found")
        best, med = min(times), statistics.median(times)
        print(f"modules:            {a.modules} (5-element path, winners in the last)")
        print(f"time:               best {best * 1000:.0f} ms, median {med * 1000:.0f} ms "
              f"over {a.runs} runs")
        print(f"modules per second: {a.modules / best:.0f} (best), {a.modules / med:.0f} (median)")
        if shutil.which("strace"):
            out = os.path.join(tmp, "strace.txt")
            subprocess.run(["strace", "-f", "-c", "-o", out] + cmd, cwd=tmp, env=env,
                           stdout=subprocess.DEVNULL, check=True)
            text = open(out).read()
            total = int(re.search(r"^100\.00\s+\S+\s+\S+\s+(\d+)", text, re.M).group(1))
            calls = {m.group(2): int(m.group(1)) for m in
                     re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$", text,
                                 re.M)}
            print(f"system calls:       {total} in all, {total / a.modules:.1f} per module")
            listed = calls.get("getdents64", 0)
            print(f"getdents64:         {listed} calls, {listed / a.modules:.1f} per module")
            # Each search lists: ".", ".\exe" (CodeView step), E1..E5 and their exe\ and
            # symbols\ parts: at most 20 directories, each once.
            opened = subprocess.run(["strace", "-f", "-e", "trace=openat", "-o", out] + cmd,
                                    cwd=tmp, env=env, stdout=subprocess.DEVNULL, check=True)
            dirs = [l for l in open(out) if "O_DIRECTORY" in l]
            per = len(dirs) / a.modules
            print(f"directories listed: {len(dirs)} ({per:.1f} per search)")
            seen = {}
            for l in dirs:
                m = re.search(r'openat\([^,]+, "([^"]+)"', l)
                if m:
                    seen[m.group(1)] = seen.get(m.group(1), 0) + 1
            worst = max(seen.values()) if seen else 0
            # Parsing the path looks into each element once for pingme.txt: one more.
            ok = worst <= a.modules + 1
            print(f"most listings of one directory: {worst} over {a.modules} searches and one "
                  f"path parse ({'at most once per search' if ok else 'MORE THAN ONCE PER SEARCH'})")
            if not ok:
                sys.exit(1)
        else:
            print("strace not installed: system calls not counted")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
