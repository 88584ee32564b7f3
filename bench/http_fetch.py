#!/usr/bin/env python3
"""HTTP fetch speed: 500 small PDBs served on loopback with every response delayed 20 ms.

  bench/http_fetch.py [--files N] [--delay-ms D] [--jobs J] [--runs R]

Reports the total time of `symscope find` at -j 1 and -j J (cold: an empty downstream store),
`curl --parallel --parallel-max J` fetching the same URLs in the same run, and a warm run with
everything in the downstream store (which must send no request). Targets: -j J within 1.3x of
curl at the same concurrency; the warm run under 5 % of the cold one.
"""
import argparse
import os
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
from symforge import forge_pdb  # noqa: E402


def key_of(guid, age):
    u = uuid.UUID(guid)
    d = u.bytes  # big-endian fields: the key prints Data1..3 as integers, then Data4 bytes
    return d.hex().upper() + "%x" % age


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--delay-ms", type=float, default=20)
    ap.add_argument("--jobs", type=int, default=16)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="symscope-httpbench-")
    server = None
    try:
        served = os.path.join(tmp, "served")
        modules, urls = [], []
        for i in range(a.files):
            guid = str(uuid.UUID(int=(0xB3 << 120) | i))
            key = key_of(guid, 1)
            name = "m%04d.pdb" % i
            d = os.path.join(served, name, key)
            os.makedirs(d)
            forge_pdb(os.path.join(FIXTURES, "app.pdb"), os.path.join(d, name), guid, 1)
            modules.append(f"{name}/{key}")
        size = os.path.getsize(os.path.join(served, name, key, name))
        log = os.path.join(tmp, "requests.log")
        server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "tools",
                                                                "symserver.py"),
                                   "--root", served, "--log", log,
                                   "--delay-ms", str(a.delay_ms)], stdout=subprocess.PIPE,
                                  text=True)
        port = int(server.stdout.readline().split()[1])
        base = f"http://127.0.0.1:{port}/syms"
        urls = [f"{base}/{m.split('/')[0]}/{m.split('/')[1]}/{m.split('/')[0]}"
                for m in modules]
        env = dict(os.environ, SYMSCOPE_HOME=os.path.join(tmp, "home"))

        def find(jobs, down):
            cmd = [SYMSCOPE, "find", "--json", "-j", str(jobs), "-y", f"srv*{down}*{base}"]
            t0 = time.perf_counter()
            p = subprocess.run(cmd + modules, cwd=tmp, env=env, stdout=subprocess.PIPE,
                               text=True)
            dt = time.perf_counter() - t0
            if p.returncode != 0 or p.stdout.count('"status":"found"') != a.files:
                sys.exit(f"find -j {jobs} did not find all {a.files} files")
            return dt

        def cold(jobs):
            times = []
            for r in range(a.runs):
                down = os.path.join(tmp, f"down-{jobs}-{r}")
                times.append(find(jobs, down))
            return min(times), statistics.median(times)

        def curl(jobs):
            cfg = os.path.join(tmp, "curl.cfg")
            with open(cfg, "w") as f:
                for i, u in enumerate(urls):
                    f.write(f'url = "{u}"\noutput = "{tmp}/curl/{i}"\n')
            times = []
            for _ in range(a.runs):
                shutil.rmtree(os.path.join(tmp, "curl"), ignore_errors=True)
                os.makedirs(os.path.join(tmp, "curl"))
                t0 = time.perf_counter()
                subprocess.run(["curl", "-s", "--fail", "--parallel", "--parallel-max",
                                str(jobs), "--parallel-immediate", "-K", cfg], check=True)
                times.append(time.perf_counter() - t0)
            return min(times), statistics.median(times)

        print(f"{a.files} PDBs of {size} bytes, every response delayed {a.delay_ms:.0f} ms, "
              f"best and median of {a.runs} runs")
        t1 = cold(1)
        tj = cold(a.jobs)
        tc = curl(a.jobs)
        print(f"symscope -j 1:   {t1[0]:.2f} s (median {t1[1]:.2f} s)")
        print(f"symscope -j {a.jobs}:  {tj[0]:.2f} s (median {tj[1]:.2f} s)")
        print(f"curl --parallel-max {a.jobs}: {tc[0]:.2f} s (median {tc[1]:.2f} s)")
        ratio = tj[0] / tc[0]
        print(f"symscope / curl at {a.jobs}: {ratio:.2f}x (target 1.3x): "
              f"{'PASS' if ratio <= 1.3 else 'FAIL'}")
        before = sum(1 for _ in open(log))
        down = os.path.join(tmp, f"down-{a.jobs}-0")
        warm = min(find(a.jobs, down) for _ in range(a.runs))
        after = sum(1 for _ in open(log))
        share = warm / tj[0] * 100
        print(f"warm run: {warm * 1000:.0f} ms, {after - before} HTTP requests, "
              f"{share:.1f} % of the cold run (target < 5 %): "
              f"{'PASS' if share < 5 and after == before else 'FAIL'}")
    finally:
        if server:
            server.kill()
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
