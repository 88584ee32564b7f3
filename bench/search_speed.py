#!/usr/bin/env python3
"""Local search speed: N DLLs against a five-element path.

The layout: N DLLs (forged from the clang/lld-link fixture hello.dll, each with its own GUID),
whose CodeView paths name a file that was removed; a symbol path of five directories, the
first four holding 300 unrelated files each, the fifth all N PDBs. One `symscope find --json`
process resolves every DLL. Printed for each N: milliseconds per module for the whole
process (best of the runs), system calls per module (strace -c -f), directory listings per
session, and the peak resident memory.

  bench/search_speed.py [--modules 1000,10000] [--runs 3] [-j N]

Uses build/tui/symscope (or $SYMSCOPE) and the fixtures in build/tests/fixtures.
"""
import argparse
import os
import re
import resource
import shutil
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
        os.makedirs(d)
        for k in range(300):  # unrelated files, as real symbol directories have
            open(os.path.join(d, "other%03d.pdb" % k), "w").close()
    winners = os.path.join(tmp, "E5")
    os.makedirs(winners)
    os.makedirs(os.path.join(tmp, "img"))
    images = []
    for i in range(n):
        guid = str(uuid.UUID(int=(0x5E4C << 112) | i))
        name = "m%05d" % i
        forge_pdb(os.path.join(FIXTURES, "hello.pdb"), os.path.join(winners, name + ".pdb"),
                  guid, 1)
        img = os.path.join(tmp, "img", name + ".dll")
        # The CodeView path names a file that is gone.
        forge_pe(os.path.join(FIXTURES, "hello.dll"), img, guid, 1, "/removed/%s.pdb" % name)
        images.append(img)
    return images


def measure(n, runs, jobs):
    tmp = tempfile.mkdtemp(prefix="symscope-bench-")
    try:
        images = build(tmp, n)
        path = ";".join(os.path.join(tmp, "E%d" % i) for i in range(1, 6))
        cmd = [SYMSCOPE, "find", "--json", "-j", str(jobs), "-y", path] + images
        env = dict(os.environ, SYMSCOPE_HOME=os.path.join(tmp, "home"))
        for k in ("_NT_SYMBOL_PATH", "_NT_ALT_SYMBOL_PATH"):
            env.pop(k, None)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            p = subprocess.run(cmd, cwd=tmp, env=env, stdout=subprocess.PIPE, text=True)
            times.append(time.perf_counter() - t0)
            if p.returncode != 0:
                sys.exit(f"find failed with status {p.returncode}")
        rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        found = p.stdout.count('"status":"found"')
        if found != n:
            sys.exit(f"only {found} of {n} modules found")
        best = min(times)
        print(f"N = {n}  (-j {jobs})")
        print(f"  ms per module:        {best * 1000 / n:.3f} (best of {runs}: "
              f"{best * 1000:.0f} ms for the whole process)")
        print(f"  peak resident memory: {rss_kb / 1024:.0f} MB")
        if not shutil.which("strace"):
            print("  strace not installed: system calls not counted")
            return best * 1000 / n
        out = os.path.join(tmp, "strace.txt")
        subprocess.run(["strace", "-f", "-c", "-o", out] + cmd, cwd=tmp, env=env,
                       stdout=subprocess.DEVNULL, check=True)
        text = open(out).read()
        total = int(re.search(r"^100\.00\s+\S+\s+\S+\s+(\d+)", text, re.M).group(1))
        calls = {m.group(2): int(m.group(1)) for m in
                 re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$", text, re.M)}
        top = sorted(calls.items(), key=lambda kv: -kv[1])[:6]
        print(f"  system calls:         {total / n:.1f} per module ({total} in all: " +
              ", ".join(f"{k} {v}" for k, v in top) + ")")
        subprocess.run(["strace", "-f", "-e", "trace=openat", "-o", out] + cmd, cwd=tmp,
                       env=env, stdout=subprocess.DEVNULL, check=True)
        dirs = [line for line in open(out) if "O_DIRECTORY" in line]
        seen = {}
        for line in dirs:
            m = re.search(r'openat\([^,]+, "([^"]+)"', line)
            if m:
                seen[m.group(1)] = seen.get(m.group(1), 0) + 1
        worst = max(seen.values()) if seen else 0
        print(f"  directory listings:   {len(dirs)} per session, of {len(seen)} directories "
              f"(most of one directory: {worst})")
        return best * 1000 / n
    finally:
        shutil.rmtree(tmp)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modules", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("-j", type=int, default=1)
    a = ap.parse_args()
    per = [(int(n), measure(int(n), a.runs, a.j)) for n in a.modules.split(",")]
    if len(per) > 1:
        print(f"growth: {per[-1][1] / per[0][1]:.2f}x per module from N = {per[0][0]} "
              f"to N = {per[-1][0]}")


if __name__ == "__main__":
    main()
