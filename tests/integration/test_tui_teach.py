"""The terminal UI as a teaching tool, driven in tmux: step mode (the attempt shown before it
happens and what came back after it, the rest of a module, everything, cancel and quit in the
middle of a step), the three profiles side by side (dry runs: the files stay as they were,
and the session shown does not change), the where view and the path lint's marks."""
import hashlib
import os
import re
import subprocess
import sys
import time

from symscope_test import ROOT, fixture, main
from test_find import forge, identity
from symscope_test import SYMSCOPE
from test_tui import Tui, TuiTest, _quote


def modules_region(screen):
    """The module rows: from the modules' title to the detail lines."""
    lines = screen.splitlines()
    i = next(k for k, l in enumerate(lines) if "Modules:" in l)
    return "\n".join(l.split("\u2502")[0] for l in lines[i:i + 6])


class Teach(TuiTest):
    def put(self, src, *parts):
        dst = os.path.join(self.tmp, *parts)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(src, "rb") as f, open(dst, "wb") as g:
            g.write(f.read())
        return dst

    def tree(self):
        """A checksum of every name and every byte under the test's directory."""
        h = hashlib.sha256()
        for d, dirs, files in sorted(os.walk(self.tmp)):
            dirs.sort()
            h.update(os.path.relpath(d, self.tmp).encode() + b"/\n")
            for f in sorted(files):
                if f.startswith("sanitizer"):
                    continue
                h.update(f.encode() + b"\n")
                with open(os.path.join(d, f), "rb") as fh:
                    h.update(hashlib.sha256(fh.read()).digest())
        return h.hexdigest()

    def stepping(self, *extra):
        """app.exe and hello.dll with the path X;E;F (X empty): app's first three attempts
        miss in X, the fourth finds E\\app.pdb; elements only."""
        os.makedirs(os.path.join(self.tmp, "X"))
        self.put(fixture("app.pdb"), "E", "app.pdb")
        self.put(fixture("hello.pdb"), "F", "hello.pdb")
        return self.start("--step", "--profile", "documented", "-o", "ignore_cvrec", "-o",
                          "ignore_imagedir", "-y", "X;E;F", *extra, fixture("app.exe"),
                          fixture("hello.dll"))

    def test_step_shows_the_attempt_before_and_its_outcome_after(self):
        t = self.stepping()
        s = t.wait_for("STEP app: attempt 1 waits")
        self.assertRegex(s, r"next: X.app\.pdb  \[rule D: ")
        flat = re.sub(r"\s+", "", s)
        self.assertIn("whynow:documentedsearchestheCodeViewpath,thenthepath'selements", flat)
        self.assertIn("element0of3:X", flat)
        self.assertNotIn("came back", s)
        self.assertNotIn("not-found", s, "the attempt happened before the key")
        bar = s.splitlines()[-1]
        for key in ("F11Next", "F12Module", "F6All", "xCancel"):
            self.assertIn(key, bar)
        time.sleep(0.5)  # it waits: nothing moves by itself
        self.assertNotIn("not-found", t.screen())
        t.keys("s")
        s = t.wait_for("STEP app: attempt 2 waits")
        self.assertRegex(s, r"came back: attempt 1 X.app\.pdb: not-found")
        self.assertRegex(s, r"next: X.exe.app\.pdb")
        t.keys("F11")
        s = t.wait_for("STEP app: attempt 3 waits")
        self.assertRegex(s, r"came back: attempt 2 X.exe.app\.pdb: not-found")
        self.assertIn("not searched yet", modules_region(s))
        t.keys("s")
        s = t.wait_for("STEP app: attempt 4 waits")
        flat = re.sub(r"\s+", "", s)  # the detail lines wrap
        self.assertIn("element1of3:E(element0camebefore)", flat)
        self.assertIn("step2of3(theCodeViewpathcamefirst)", flat)
        self.assertRegex(s, r"next: E.app\.pdb")
        # The rest of app's search, then hello's first attempt waits.
        t.keys("E")
        s = t.wait_for("STEP hello: attempt 1 waits")
        self.assertRegex(modules_region(s), r"app\s.*private")
        self.assertRegex(modules_region(s), r"hello\s.*deferred")
        # Everything to the end: step mode stays on for the next search.
        t.keys("A")
        s = t.wait_idle()
        self.assertRegex(modules_region(s), r"hello\s.*private")
        self.assertIn("STEP mode:", s)
        self.assertIn("F11Next", s.splitlines()[-1])
        t.keys("S")
        s = t.wait_for("F11Next", gone=True)
        self.assertNotIn("STEP", s)
        # Off: a search runs without waiting.
        t.keys("R")
        t.wait_for("[busy", timeout=5) if "[busy" in t.screen() else None
        s = t.wait_idle()
        self.assertNotRegex(s, r"attempt \d+ waits")

    def test_step_key_turns_step_mode_on(self):
        self.put(fixture("app.pdb"), "E", "app.pdb")
        t = self.start("--profile", "documented", "-o", "ignore_cvrec", "-o", "ignore_imagedir",
                       "-y", "E", fixture("app.exe"))
        t.wait_idle()
        t.keys("s")
        t.wait_for("step mode is off: S turns it on")
        t.keys("S", "R")
        s = t.wait_for("STEP app: attempt 1 waits")
        self.assertRegex(s, r"next: E.app\.pdb")
        t.keys("s")
        s = t.wait_idle()
        self.assertRegex(s, r"came back: attempt 1 E.app\.pdb: found")

    def test_step_mode_off_lets_the_waiting_attempt_go(self):
        t = self.stepping()
        t.wait_for("STEP app: attempt 1 waits")
        t.keys("s")
        t.wait_for("STEP app: attempt 2 waits")
        t.keys("S")
        s = t.wait_idle()
        self.assertRegex(modules_region(s), r"app\s.*private")
        self.assertRegex(modules_region(s), r"hello\s.*private")
        self.assertNotIn("STEP", s)
        self.assertIn("step mode off", s)

    def start_status(self, *args, env):
        """The program run by a shell that prints its exit status when it ends (tmux does not
        always reap its pane's process in time to say it)."""
        report = os.path.join(self.tmp, "sanitizer")
        env = dict(env, SYMSCOPE_HOME=self.home,
                   ASAN_OPTIONS=f"log_path={report}:abort_on_error=1",
                   UBSAN_OPTIONS=f"log_path={report}:print_stacktrace=1",
                   TSAN_OPTIONS=f"log_path={report}:second_deadlock_stack=1")
        t = Tui.__new__(Tui)
        Tui.count += 1
        t.sock = f"symscope-test-{os.getpid()}-{Tui.count}"
        t.env = dict(os.environ, TERM="tmux-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", **env)
        t.env.pop("NO_COLOR", None)
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        cmd = " ".join(_quote(a) for a in [SYMSCOPE, *args])
        t.tmux("new-session", "-d", "-s", "t", "-x", "140", "-y", "44",
               f"cd {_quote(self.tmp)} && {exports} {cmd}; echo EXIT=$?; sleep 30")
        self.tuis.append(t)
        return t

    def exit_status(self, t):
        s = t.wait_for("EXIT=")
        return int(re.search(r"EXIT=(\d+)", s).group(1))

    def sandbox(self):
        return [d for d in os.listdir(self.tmp) if d.startswith("symscope-demo")]

    def test_cancel_mid_step_then_quit(self):
        t = self.start_status("--step", "demo", env={"TMPDIR": self.tmp})
        t.wait_for("attempt 1 waits")
        self.assertTrue(self.sandbox())
        t.keys("s")
        t.wait_for("attempt 2 waits")
        t.keys("x")
        s = t.wait_idle()
        self.assertIn("cancelled", s)
        self.assertNotRegex(s, r"attempt \d+ waits")
        t.keys("Q")
        self.assertEqual(self.exit_status(t), 0)
        self.assertEqual(self.sandbox(), [])

    def test_quit_while_an_attempt_waits(self):
        t = self.start_status("--step", "demo", env={"TMPDIR": self.tmp})
        t.wait_for("attempt 1 waits")
        t.keys("s")
        t.wait_for("attempt 2 waits")
        t.keys("Q")
        t.wait_for("Quit anyway?")
        t.keys("y")
        self.assertEqual(self.exit_status(t), 0)
        self.assertEqual(self.sandbox(), [])

    def compare_scenario(self):
        """The comparison of test_find: native finds app.pdb through srv*down*up (and would
        copy it into down and the cache K), documented and wine8 at the CodeView path. The
        session itself runs wine8, which writes nothing."""
        app = identity(fixture("app.exe"))
        img = os.path.join(self.tmp, "I", "app.exe")
        os.makedirs(os.path.dirname(img))
        forge("pe", fixture("app.exe"), img, app["codeview"]["guid"], app["codeview"]["age"],
              "C:\\cv\\app.pdb")
        key = identity(fixture("app.pdb"))["pdb_key"]
        self.put(fixture("app.pdb"), "up", "app.pdb", key, "app.pdb")
        self.put(fixture("app.pdb"), "c", "cv", "app.pdb")
        self.put(fixture("app.pdb"), "E", "app.pdb")
        t = self.start("--profile", "wine8", "--map", "C:=" + os.path.join(self.tmp, "c"), "-y",
                       "cache*K;srv*down*up;E", img, cols=150, rows=44)
        s = t.wait_idle()
        return t, s

    def test_profiles_side_by_side_write_nothing(self):
        t, before_screen = self.compare_scenario()
        before = self.tree()
        t.keys("P")
        s = t.wait_for("Profiles side by side")
        header = next(l for l in s.splitlines() if "native" in l and "documented" in l)
        self.assertRegex(header, r"native\s+documented\s+wine8")
        self.assertRegex(s, r"(?m)^.\s+\*\s+1 \S")  # a row where they differ, marked
        self.assertIn("winner", s)
        native = next(l for l in s.splitlines() if re.search(r"\bnative\s+private", l))
        self.assertRegex(native, r"up.app\.pdb.[0-9A-F]+.app\.pdb")
        wine8 = next(l for l in s.splitlines() if re.search(r"\bwine8\s+private", l))
        self.assertRegex(wine8, r"cv.app\.pdb")
        t.keys("q")
        s = t.wait_for("Profiles side by side", gone=True)
        self.assertEqual(self.tree(), before, "the comparison wrote something")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "down")))
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "K")))
        # The session shown is as it was: its profile and its module's result.
        self.assertIn("profile: wine8", s)
        self.assertEqual(modules_region(s), modules_region(before_screen))

    def test_profiles_side_by_side_over_http_write_nothing(self):
        """native downloads app.pdb from a server into down and the cache K, unless it is a
        dry run; the session itself (wine8) has no stores."""
        key = identity(fixture("app.pdb"))["pdb_key"]
        served = os.path.join(self.tmp, "served")
        self.put(fixture("app.pdb"), "served", "app.pdb", key, "app.pdb")
        server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "tools",
                                                                "symserver.py"),
                                   "--root", served, "--die-with-parent"],
                                  stdout=subprocess.PIPE, text=True)
        self.addCleanup(server.wait)
        self.addCleanup(server.kill)
        port = int(server.stdout.readline().split()[1])
        self.put(fixture("app.pdb"), "E", "app.pdb")
        t = self.start("--profile", "wine8", "-o", "ignore_cvrec", "-y",
                       f"cache*K;srv*down*http://127.0.0.1:{port}/syms;E", fixture("app.exe"),
                       cols=150, rows=44)
        t.wait_idle()
        before = self.tree()
        t.keys("P")
        s = t.wait_for("Profiles side by side")
        native = next(l for l in s.splitlines() if re.search(r"\bnative\s+private", l))
        self.assertIn("app.pdb", native)
        self.assertRegex(s, r"http://127\.0\.0\.1:\d+/syms/app\.pdb")
        t.keys("q")
        t.wait_for("Profiles side by side", gone=True)
        self.assertEqual(self.tree(), before, "the comparison wrote something")
        for d in ("down", "K", "home"):
            self.assertFalse(os.path.exists(os.path.join(self.tmp, d)), d)

    def test_where_lists_the_places_in_order(self):
        t, _ = self.compare_scenario()
        before = self.tree()
        t.keys("W")
        s = t.wait_for("symbol file would be found, in search order")
        self.assertIn("under the wine8 profile", s)
        self.assertRegex(s, r"1  cv-path\s+C:\\cv\\app\.pdb")
        self.assertRegex(s, r"image-dir\s+\S*I/app\.pdb")
        self.assertRegex(s, r"D\s+E.app\.pdb")
        self.assertIn("would be found first", s)
        t.keys("q")
        t.wait_for("in search order", gone=True)
        self.assertEqual(self.tree(), before)

    def test_lint_marks_elements_and_says_the_fix(self):
        self.put(fixture("app.pdb"), "E", "app.pdb")
        t = self.start("--profile", "documented", "-o", "ignore_cvrec", "-o", "ignore_imagedir",
                       "-y", "E;Q:\\syms;E", fixture("app.exe"))
        s = t.wait_idle()
        rows = [l for l in s.splitlines() if re.match(r"^[ !]\s*\d+ (dir|store|srv|cache) ", l)]
        self.assertEqual(len(rows), 3, s)
        self.assertFalse(rows[0].startswith("!"), rows[0])
        self.assertTrue(rows[1].startswith("!"), rows[1])  # Q: is not mapped
        self.assertTrue(rows[2].startswith("!"), rows[2])  # E a second time
        self.assertIn("marked ! by the lint", s)
        t.keys("j")
        s = t.wait_for("lint:")
        self.assertIn("[unmapped]", s)
        t.keys("Enter")
        s = t.wait_for("Path lint (")
        self.assertIn("fix:", s)
        self.assertIn("Q:", s)


if __name__ == "__main__":
    main()
