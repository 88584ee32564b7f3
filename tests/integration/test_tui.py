"""The terminal UI, driven for real in tmux (send-keys, capture-pane): start-up of the demo,
help, every action, resize, themes, NO_COLOR, bad input on screen, quit."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from symscope_test import ROOT, SYMSCOPE, fixture, main

if not shutil.which("tmux"):
    print("SKIPPED: tmux is not installed")
    sys.exit(77)


class Tui:
    """One symscope in a tmux window of its own server."""

    count = 0

    def __init__(self, args, cols=140, rows=44, env=None, cwd=None):
        Tui.count += 1
        self.sock = f"symscope-test-{os.getpid()}-{Tui.count}"
        self.env = dict(os.environ, TERM="tmux-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        self.env.pop("NO_COLOR", None)
        self.env.update(env or {})
        cmd = " ".join(_quote(a) for a in [SYMSCOPE, *args])
        exports = " ".join(f"{k}={_quote(v)}" for k, v in (env or {}).items())
        shell = f"cd {_quote(cwd or os.getcwd())} && {exports} exec {cmd}; sleep 30"
        self.tmux("new-session", "-d", "-s", "t", "-x", str(cols), "-y", str(rows), shell)
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True, text=True,
                              env=self.env, check=check).stdout

    def screen(self, colors=False):
        return self.tmux("capture-pane", "-p", *(["-e"] if colors else []), "-t", "t")

    def keys(self, *keys):
        for k in keys:
            self.tmux("send-keys", "-t", "t", k)
            time.sleep(0.05)

    def type(self, text):
        self.tmux("send-keys", "-t", "t", "-l", text)

    def wait_for(self, text, timeout=20, gone=False):
        end = time.time() + timeout
        while time.time() < end:
            s = self.screen()
            if (text in s) != gone:
                return s
            time.sleep(0.1)
        raise AssertionError(f"{'still' if gone else 'never'} saw {text!r} on screen:\n"
                             f"{self.screen()}")

    def wait_idle(self):
        return self.wait_for("[ready]")

    def resize(self, cols, rows):
        self.tmux("resize-window", "-t", "t", "-x", str(cols), "-y", str(rows))

    def alive(self):
        out = self.tmux("list-panes", "-t", "t", "-F", "#{pane_dead}", check=False)
        return out.strip() == "0"

    def close(self):
        self.tmux("kill-server", check=False)


def _quote(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


class TuiTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="symscope-tui-")
        self.home = os.path.join(self.tmp, "home")
        self.tuis = []

    def tearDown(self):
        for t in self.tuis:
            t.close()
        reports = [f for f in os.listdir(self.tmp) if f.startswith("sanitizer")]
        text = "".join(open(os.path.join(self.tmp, f)).read() for f in reports)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.assertEqual(reports, [], f"sanitizer reports:\n{text}")

    def start(self, *args, **kw):
        kw.setdefault("env", {})
        kw["env"].setdefault("SYMSCOPE_HOME", self.home)
        # A sanitizer build reports into files that tearDown reads: an error on the screen
        # of a program nobody watches would otherwise go unseen.
        report = os.path.join(self.tmp, "sanitizer")
        kw["env"].setdefault("ASAN_OPTIONS", f"log_path={report}:abort_on_error=1")
        kw["env"].setdefault("UBSAN_OPTIONS", f"log_path={report}:print_stacktrace=1")
        kw["env"].setdefault("TSAN_OPTIONS", f"log_path={report}:second_deadlock_stack=1")
        kw.setdefault("cwd", self.tmp)
        t = Tui(list(args), **kw)
        self.tuis.append(t)
        return t

    def fixture_session(self, *extra, path=None):
        """The fixtures: app.exe (its PDB in E) and hello.dll (its PDB in F)."""
        for d, name in (("E", "app.pdb"), ("F", "hello.pdb")):
            os.makedirs(os.path.join(self.tmp, d), exist_ok=True)
            shutil.copy(fixture(name), os.path.join(self.tmp, d, name))
        t = self.start("--profile", "documented", "-o", "ignore_cvrec", "-o", "ignore_imagedir",
                       "-y", path or "E;F", *extra, fixture("app.exe"), fixture("hello.dll"))
        t.wait_idle()
        return t


class Demo(TuiTest):
    def test_demo_starts_and_explains(self):
        t = self.start("--profile", "documented", "demo")
        s = t.wait_idle()
        for text in ("Symbol path:", "profile: documented", "cache", "srv", "unmapped",
                     "Modules:", "Noisy log:", "F1", "Help"):
            self.assertIn(text, s)
        self.assertIn("mismatch", s + t.screen())
        # Explain an attempt.
        t.keys("Tab", "Tab", "Enter")
        s = t.wait_for("Rule:")
        self.assertIn("Outcome:", s)
        t.keys("q")
        t.wait_for("Rule:", gone=True)
        t.keys("Q")
        for _ in range(50):
            if not t.alive():
                break
            time.sleep(0.1)
        self.assertFalse(t.alive())

    def test_demo_removes_its_sandbox(self):
        before = set(os.listdir(tempfile.gettempdir()))
        t = self.start("demo", env={"TMPDIR": self.tmp})
        t.wait_idle()
        made = [d for d in os.listdir(self.tmp) if d not in ("home",)]
        self.assertTrue(made, "the demo made no sandbox under TMPDIR")
        t.keys("Q")
        time.sleep(1.5)
        self.assertEqual([d for d in os.listdir(self.tmp) if d not in ("home",)], [])
        stray = [d for d in set(os.listdir(tempfile.gettempdir())) - before
                 if d.startswith("symscope-demo")]
        self.assertEqual(stray, [], "the demo left a sandbox outside TMPDIR")


class Actions(TuiTest):
    def test_help_lists_every_key(self):
        t = self.fixture_session()
        t.keys("?")
        s = t.wait_for("symscope keys")
        # The help scrolls: what is below the first page comes with PgDn.
        for _ in range(4):
            t.keys("NPage")
            s += t.screen()
        for text in ("F7", "move the selected path element up", "Q F10", "clean up the session",
                     "cancel the work that runs", "/", "filter", "Module letters"):
            self.assertIn(text, s)
        t.keys("x")
        t.wait_for("symscope keys", gone=True)
        t.keys("F1")
        t.wait_for("symscope keys")

    def test_reorder_changes_the_winner(self):
        for d in ("A", "B"):
            os.makedirs(os.path.join(self.tmp, d))
            shutil.copy(fixture("app.pdb"), os.path.join(self.tmp, d, "app.pdb"))
        t = self.start("--profile", "documented", "-o", "ignore_cvrec", "-o", "ignore_imagedir",
                       "-y", "A;B", fixture("app.exe"))
        t.wait_idle()
        t.keys("]")  # A below B: B supplies app now
        s = t.wait_for("changed winner")
        self.assertIn("app: A\\app.pdb -> B\\app.pdb", s)
        mods = s.split("Modules:")[1]
        self.assertIn("*app", mods)
        t.keys("[")
        s = t.wait_for("B\\app.pdb -> A\\app.pdb")

    def test_add_and_delete_element(self):
        t = self.fixture_session(path="E")
        t.wait_for("Symbol path: 1 element")
        t.keys("a")
        t.wait_for("New path element:")
        t.type("F")
        t.keys("Enter")
        s = t.wait_for("Symbol path: 2 elements")
        self.assertIn("hello", s)
        t.keys("d")
        t.wait_for("Symbol path: 1 element")

    def test_enable_disable_profile_options(self):
        t = self.fixture_session()
        t.keys("Space")
        t.wait_for("disabled")
        t.keys("Space")
        t.wait_for("disabled", gone=True)
        t.keys("p")
        t.wait_for("wine8")
        t.keys("Down", "Enter")  # the menu opens on the profile in use: documented
        t.wait_for("profile: wine8")
        t.keys("o")
        t.wait_for("load_anything")
        t.keys("Enter")
        t.wait_for("options: load_anything")

    def test_unload_reload_force(self):
        t = self.fixture_session()
        t.keys("Tab")
        t.keys("u")
        s = t.wait_for("unloaded")
        self.assertIn("Modules: 1 loaded", s)
        # The base column shows when the pane is wide enough.
        self.assertRegex(s, r"app +(\S+ +)?unloaded +- ")
        t.keys("j", "r")  # hello searched again: its attempts are shown afresh
        s = t.wait_for("Attempts: hello wants hello.pdb")
        s = t.wait_idle()
        self.assertRegex(s, r"hello +(\S+ +)?loaded +private\+lines +1 ")
        self.assertRegex(s, r"4 element +1 +found ")
        t.keys("R")
        t.wait_idle()
        s = t.wait_for("Modules: 1 loaded, 1 with symbol files")
        self.assertRegex(s, r"app +(\S+ +)?unloaded +- ")
        self.assertRegex(s, r"hello +(\S+ +)?loaded +private\+lines +1 ")

    def test_force_load_takes_the_mismatch(self):
        os.makedirs(os.path.join(self.tmp, "E"))
        shutil.copy(fixture("variant/app.pdb"), os.path.join(self.tmp, "E", "app.pdb"))
        t = self.start("-o", "ignore_cvrec", "-o", "ignore_imagedir", "-y", "E",
                       fixture("app.exe"))
        s = t.wait_for("Modules: 1 loaded, 0 with symbol files")
        self.assertRegex(s, r"app +(\S+ +)?loaded +none ")
        self.assertRegex(s, r"1 element +0 +mismatch")
        t.keys("Tab", "f")
        s = t.wait_for("Modules: 1 loaded, 1 with symbol files")
        self.assertRegex(s, r"app +(\S+ +)?loaded +M +private\+lines +0 ")

    def test_cleanup_confirmed_and_refused(self):
        t = self.fixture_session()
        t.keys("C")
        t.wait_for("[y/N]")
        t.keys("Enter")
        t.wait_for("clean-up cancelled")
        self.assertIn("app", t.screen())
        t.keys("C")
        t.wait_for("[y/N]")
        t.keys("y")
        s = t.wait_for("session cleaned up")
        self.assertIn("Modules: 0 loaded", s)
        t.keys("I")
        t.wait_for("(session cleaned up", gone=True)

    def test_resize_small_and_back(self):
        t = self.fixture_session()
        t.resize(40, 12)
        t.wait_for("Terminal too small")
        t.resize(140, 44)
        t.wait_for("Symbol path:")
        self.assertTrue(t.alive())

    def test_filter(self):
        t = self.fixture_session()
        t.keys("Tab", "/")
        t.wait_for("Filter:")
        t.type("hello")
        t.keys("Enter")
        s = t.wait_for("filter: hello")
        mods = s.split("Modules:")[1].split("Noisy log")[0]
        self.assertIn("hello", mods)
        self.assertNotIn(" app ", mods)

    def test_load_with_completion_and_bad_files(self):
        t = self.fixture_session(path="E")
        shutil.copy(fixture("app32.exe"), os.path.join(self.tmp, "app32.exe"))
        t.keys("L")
        t.wait_for("Load (image")
        t.type("app3")
        t.keys("Tab")
        t.wait_for("app32.exe")
        t.keys("Enter")
        t.wait_for("app32")
        # A file that is not an image, and one that does not exist: a message, still running.
        with open(os.path.join(self.tmp, "junk.dll"), "w") as f:
            f.write("<html>not a dll</html>")
        t.keys("L")
        t.type("junk.dll")
        t.keys("Enter")
        t.wait_for("not a PE, PDB")
        t.keys("L")
        t.type("missing.dll")
        t.keys("Enter")
        t.wait_for("no such file")
        self.assertTrue(t.alive())

    def test_cancel_running_work(self):
        served = os.path.join(self.tmp, "served")
        os.makedirs(served)
        faults = os.path.join(self.tmp, "faults.json")
        with open(faults, "w") as f:
            json.dump({"/syms/*": {"first_byte_delay": 60}}, f)
        server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "tools",
                                                                "symserver.py"),
                                   "--root", served, "--faults", faults], stdout=subprocess.PIPE,
                                  text=True)
        try:
            port = int(server.stdout.readline().split()[1])
            t = self.start("--profile", "documented", "-o", "ignore_cvrec", "-o",
                           "ignore_imagedir", "-y",
                           f"srv*{self.tmp}/down*http://127.0.0.1:{port}/syms",
                           fixture("app.exe"))
            t.wait_for("x or Ctrl-C cancels")
            t.keys("x")
            t.wait_idle()
            t.keys("Tab", "Tab")
            self.assertIn("cancelled", t.screen())
        finally:
            server.kill()


class Untrusted(TuiTest):
    def test_names_escaped_and_secrets_hidden_on_screen(self):
        name = b"\x1b[2J\x07x\xff.pdb"  # fits the fixture's CodeView record
        with open(fixture("app.exe"), "rb") as f:
            data = bytearray(f.read())
        pos = data.find(b"RSDS")
        end = data.index(b"\0", pos + 24)
        data[pos + 24:end] = name + b"\0" * (end - (pos + 24) - len(name))
        img = os.path.join(self.tmp, "img", "app.exe")
        os.makedirs(os.path.dirname(img))
        with open(img, "wb") as f:
            f.write(data)
        t = self.start("-o", "ignore_imagedir", "-y",
                       "E;srv*down*http://reader:pa55word@127.0.0.1:1/syms?sig=s3cr3t", img)
        s = t.wait_idle()
        self.assertIn("wants \\x1b[2J\\x07x\\xff.pdb", s)
        self.assertIn("reader:***@127.0.0.1:1/syms?sig=***", s)
        self.assertNotIn("pa55word", s)
        self.assertNotIn("s3cr3t", s)
        self.assertTrue(t.alive())


class Looks(TuiTest):
    def test_theme_switch(self):
        t = self.fixture_session()
        t.wait_for("theme: default")
        t.keys("t")
        t.wait_for("light")
        s = t.screen()
        names = s.split("Theme")[1].splitlines()
        down = next(i for i, l in enumerate(names[1:]) if "light" in l)
        t.keys(*["Down"] * down, "Enter")
        t.wait_for("theme: light")

    def test_bad_theme_is_reported_on_screen(self):
        bad = os.path.join(self.tmp, "bad.yaml")
        with open(bad, "w") as f:
            f.write("name: bad\nui:\n  title: {fg: nosuchcolour}\n")
        t = self.fixture_session("--theme", bad)
        s = t.wait_for("bad.yaml:3:")
        self.assertIn("using the default theme", s)
        self.assertTrue(t.alive())

    def test_no_color(self):
        t = self.fixture_session()
        colored = t.screen(colors=True)
        self.assertRegex(colored, "\x1b\\[[0-9;]*(3[0-7]|38;5;|4[0-7]|48;5;)")
        t2 = self.start("-o", "ignore_cvrec", "-y", "E", fixture("app.exe"),
                        env={"NO_COLOR": "1"})
        t2.wait_idle()
        plain = t2.screen(colors=True)
        self.assertNotRegex(plain, "\x1b\\[[0-9;]*(3[0-7]|38;5;|4[0-7]|48;5;)[0-9;]*m")
        t3 = self.start("--color", "always", "-y", "E", fixture("app.exe"),
                        env={"NO_COLOR": "1"})
        t3.wait_idle()
        self.assertRegex(t3.screen(colors=True), "\x1b\\[[0-9;]*(3[0-7]|38;5;|4[0-7]|48;5;)")

    def test_unmapped_drive_on_screen(self):
        t = self.start("-y", "Q:\\nowhere;\\\\srv\\share", fixture("app.exe"))
        s = t.wait_idle()
        self.assertIn("unmapped", s)
        self.assertIn("drive Q: is not mapped", s)
        self.assertTrue(t.alive())


if __name__ == "__main__":
    main()
