#!/usr/bin/env python3
"""TUI responsiveness with many modules: the time from a key press to the redrawn screen, and
the resident memory, with 10,000 modules loaded (targets: under 16 ms, under 100 MB).

  bench/tui_latency.py [--modules N] [--keys K]

Runs build/tui/symscope (or $SYMSCOPE) in tmux with SYMSCOPE_TUI_TIMING set: the program
writes, for every key, the milliseconds from reading the key to the end of the redraw.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SYMSCOPE = os.environ.get("SYMSCOPE", os.path.join(ROOT, "build", "tui", "symscope"))


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modules", type=int, default=10000)
    ap.add_argument("--keys", type=int, default=300)
    ap.add_argument("--research", action="store_true",
                    help="measure while searches run again (R, every 50 keys)")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="symscope-tuibench-")
    server = None
    sock = f"symscope-bench-{os.getpid()}"
    try:
        os.makedirs(os.path.join(tmp, "E"))
        mods = [f"m{i:05d}.pdb/{i:08X}{'0' * 24}1" for i in range(a.modules)]
        timing = os.path.join(tmp, "timing.txt")
        script = os.path.join(tmp, "run.sh")
        path, extra = "E", ""
        if a.research:
            # A loopback server that answers 404 after 3 ms: searches again take seconds.
            # Dry runs remember no miss, so every search asks again.
            os.makedirs(os.path.join(tmp, "served"))
            server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "tools",
                                                                    "symserver.py"),
                                       "--root", os.path.join(tmp, "served"), "--delay-ms", "3"],
                                      stdout=subprocess.PIPE, text=True)
            port = int(server.stdout.readline().split()[1])
            path, extra = f"'E;srv*down*http://127.0.0.1:{port}/s'", "-o dry_run -j 4 "
        with open(script, "w") as f:
            f.write(f"cd {tmp} && SYMSCOPE_HOME={tmp}/home SYMSCOPE_TUI_TIMING={timing} "
                    f"exec {SYMSCOPE} {extra}-y {path} " + " ".join(mods) + "\n")
        tmux(sock, "new-session", "-d", "-s", "t", "-x", "160", "-y", "50",
             f"TERM=tmux-256color LANG=C.UTF-8 bash {script}")
        t0 = time.time()
        while "[ready]" not in tmux(sock, "capture-pane", "-p", "-t", "t"):
            if time.time() - t0 > 600:
                sys.exit("the program did not become ready in 300 s")
            time.sleep(0.2)
        loaded = time.time() - t0
        screen = tmux(sock, "capture-pane", "-p", "-t", "t")
        shown = screen.split("Modules:")[1].split("loaded")[0].strip() if "Modules:" in screen \
            else "?"
        if shown != str(a.modules):
            sys.exit(f"the screen shows {shown} modules loaded, not {a.modules}")
        pid = tmux(sock, "list-panes", "-t", "t", "-F", "#{pane_pid}").strip()
        skip = len(open(timing).read().split()) if os.path.exists(timing) else 0
        # Moves, pane switches, horizontal scroll, and the modules filter (n) that runs over
        # every module.
        keys = ["Down", "Down", "NPage", "Down", "Tab", "Down", "Right", "Left", "n", "n", "Tab",
                "Down", "Tab", "Tab", "Tab", "NPage", "Up", "End", "Home"]
        busy_seen = 0
        for i in range(a.keys):
            if a.research and i % 50 == 0:
                tmux(sock, "send-keys", "-t", "t", "R")  # every module searched again
            tmux(sock, "send-keys", "-t", "t", keys[i % len(keys)])
            time.sleep(0.03)
            if a.research and i % 10 == 5:
                busy_seen += "[busy" in tmux(sock, "capture-pane", "-p", "-t", "t")
        time.sleep(1)
        ms = [float(x) for x in open(timing).read().split()[skip:]]
        rss = 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
        ms.sort()
        p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
        print(f"modules loaded and searched: {shown} (on screen) in {loaded:.1f} s")
        print(f"key to redrawn screen over {len(ms)} keys: median {statistics.median(ms):.2f} ms,"
              f" p95 {p(0.95):.2f} ms, p99 {p(0.99):.2f} ms, max {ms[-1]:.2f} ms "
              f"(target < 16 ms): {'PASS' if p(0.99) < 16 else 'FAIL'}")
        if a.research:
            print(f"searches running again: seen busy at {busy_seen} of {a.keys // 10} looks")
        print(f"resident memory: {rss:.1f} MB (target < 100 MB): "
              f"{'PASS' if rss < 100 else 'FAIL'}")
    finally:
        tmux(sock, "kill-server")
        if server:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
