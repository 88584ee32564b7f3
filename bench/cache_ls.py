#!/usr/bin/env python3
"""cache ls on a store of N entries (default 100,000): the time of the whole command, best of
three (target: under 2 s for 100,000).

  bench/cache_ls.py [--entries N]
"""
import argparse
import os
import shutil
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SYMSCOPE = os.environ.get("SYMSCOPE", os.path.join(ROOT, "build", "tui", "symscope"))
FIXTURES = os.environ.get("SYMSCOPE_FIXTURES", os.path.join(ROOT, "build", "tests", "fixtures"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=100000)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="symscope-bench-")
    try:
        root = os.path.join(tmp, "S")
        os.makedirs(root)
        with open(os.path.join(FIXTURES, "app.pdb"), "rb") as f:
            head = f.read(64)
        for i in range(a.entries):
            name = f"m{i:06d}.pdb"
            d = os.path.join(root, name, "9000B6762EAB03804C4C44205044422E1")
            os.makedirs(d)
            with open(os.path.join(d, name), "wb") as f:
                f.write(head)
        times = []
        for _ in range(3):
            t0 = time.monotonic()
            subprocess.run([SYMSCOPE, "cache", "ls", root], stdout=subprocess.DEVNULL, check=True)
            times.append(time.monotonic() - t0)
        print(f"cache ls of {a.entries} entries: best {min(times):.2f} s of 3 "
              f"({', '.join(f'{t:.2f}' for t in times)})")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
