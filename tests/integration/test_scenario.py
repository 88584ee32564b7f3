"""Scenario files and the built-in lessons: every lesson's expected answers in the three
profiles, a wrong expectation, bad scenario files (FILE:LINE:COL), a dry run that leaves the
sandbox as it was, and a lesson opened in the terminal UI (tmux) whose sandbox is gone after."""
import glob
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from symscope_test import ROOT, SYMSCOPE, main, run

PROFILES = ("native", "documented", "wine8")
LESSONS = sorted(glob.glob(os.path.join(ROOT, "lessons", "*.yaml")))


def tree_sum(root):
    """A checksum of a directory tree: every directory's and file's name, and every file's
    contents (links by their target)."""
    h = hashlib.sha256()
    for d, dirs, files in os.walk(root):
        dirs.sort()
        h.update(b"D " + os.path.relpath(d, root).encode() + b"\n")
        for f in sorted(files):
            p = os.path.join(d, f)
            h.update(b"F " + os.path.relpath(p, root).encode() + b"\n")
            if os.path.islink(p):
                h.update(b"L " + os.readlink(p).encode())
            else:
                with open(p, "rb") as fh:
                    h.update(fh.read())
    return h.hexdigest()


class Lessons(unittest.TestCase):
    def test_there_are_eleven(self):
        self.assertEqual(len(LESSONS), 11)
        _, out, _ = run("learn", check_status=0)
        for n in range(1, 12):
            self.assertRegex(out, rf"(?m)^ *{n}  \S")

    def check_json(self, args, what):
        status, out, err = run(*args)
        self.assertEqual(status, 0, f"{what}: exit {status}\n{out}\n{err}")
        d = json.loads(out)
        self.assertEqual(d["wrong"], 0, what)
        self.assertTrue(d["questions"], f"{what}: no questions")
        for q in d["questions"]:
            self.assertIsNotNone(q["expected"], f"{what}: question {q['n']} expects nothing")
            self.assertTrue(q["ok"], f"{what}: question {q['n']} {q['ask']}: {q}")
        return d

    def test_every_lesson_holds_in_every_profile(self):
        for n in range(1, len(LESSONS) + 1):
            for p in PROFILES:
                with self.subTest(lesson=n, profile=p):
                    d = self.check_json(["learn", str(n), "--check", "--json", "--profile", p],
                                        f"learn {n} --profile {p}")
                    self.assertEqual(d["profile"], p)
                    self.assertTrue(d["title"].startswith(f"Lesson {n}: "))

    def test_lesson_files_as_scenarios(self):
        # The files in lessons/ are what is embedded: run as scenario files they hold too.
        for path in LESSONS:
            for p in PROFILES:
                with self.subTest(lesson=os.path.basename(path), profile=p):
                    self.check_json(["scenario", "--check", "--json", "--profile", p, path],
                                    f"{path} --profile {p}")

    def test_text_check_output(self):
        status, out, _ = run("learn", "5", "--check")
        self.assertEqual(status, 0, out)
        self.assertIn("Lesson 5: srv* chains", out)
        self.assertRegex(out, r"(?m)^app +found +private symbols & lines +0 ")
        self.assertRegex(out, r"-> ok\n")
        self.assertNotIn("WRONG", out)
        self.assertRegex(out, r"(?m)^\d+ questions: (\d+) as expected, 0 wrong, 0 not checked$")

    def test_the_environment_is_the_lessons(self):
        # The caller's _NT_SYMBOL_PATH neither leaks into a lesson nor replaces its own.
        env = dict(os.environ, _NT_SYMBOL_PATH="/nonexistent/nt",
                   _NT_ALT_SYMBOL_PATH="/nonexistent/alt")
        for n in ("1", "3"):
            p = subprocess.run([SYMSCOPE, "learn", n, "--check"], capture_output=True, text=True,
                               env=env, timeout=120)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertNotIn("/nonexistent", p.stdout)

    def test_bad_lesson_number(self):
        for arg in ("0", "12", "x"):
            status, _, err = run("learn", arg)
            self.assertEqual(status, 2)
            self.assertIn("expected one lesson number from 1 to 11", err)


GOOD = """\
title: a small world
sympath: '${sandbox}/plain'
dirs: [plain]
modules:
  - image: images/app.exe
    from: app.exe
    pdb_from: app.pdb
    place: [plain/app.pdb]
questions:
  - ask: Which file wins for app?
    module: app
    expect: {element: 0, path: plain/app.pdb, result: found}
"""


class Files(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="symscope-scn-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, text, name="s.yaml"):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_good_file_and_dot_yaml_form(self):
        path = self.write(GOOD)
        run("scenario", "--check", path, check_status=0)
        # symscope FILE.yaml is the scenario command; options after the file are its own.
        status, out, err = run(path, "--check", "--profile", "documented")
        self.assertEqual(status, 0, err)
        self.assertIn("profile: documented", out)

    def test_wrong_expected_answer_exits_1(self):
        path = self.write(GOOD.replace("element: 0", "element: 3"))
        status, out, _ = run("scenario", "--check", path)
        self.assertEqual(status, 1, out)
        self.assertIn("expected: element 3, path .../plain/app.pdb, found  -> WRONG", out)
        status, out, _ = run("scenario", "--check", "--json", path)
        self.assertEqual(status, 1)
        d = json.loads(out)
        self.assertEqual(d["wrong"], 1)
        self.assertEqual(d["questions"][0]["wrong"], ["element"])
        self.assertIs(d["questions"][0]["ok"], False)
        # Another field: the path.
        path = self.write(GOOD.replace("path: plain/app.pdb", "path: other/app.pdb"))
        self.assertEqual(run("scenario", "--check", path)[0], 1)
        # Per profile: right in native, wrong in documented only.
        path = self.write(GOOD.replace("expect: {element: 0, path: plain/app.pdb, result: found}",
                                       "expect: {element: 0, documented: {result: not-found}}"))
        self.assertEqual(run("scenario", "--check", path)[0], 0)
        self.assertEqual(run("scenario", "--check", "--profile", "documented", path)[0], 1)

    def bad(self, text, line, col, message):
        path = self.write(text)
        status, out, err = run("scenario", "--check", path)
        self.assertEqual(status, 2, f"{text}\nstdout: {out}\nstderr: {err}")
        self.assertEqual(out, "")
        self.assertRegex(err, rf"^symscope: {re.escape(path)}:{line}:{col}: .*{message}",
                         f"for:\n{text}")
        self.assertNotIn("Traceback", err)

    def test_bad_files_name_line_and_column(self):
        self.bad(GOOD + "colour: red\n", 13, 1, "unknown key 'colour' in the scenario")
        self.bad(GOOD.replace("dirs: [plain]", "dirs: plain"), 3, 7, "'dirs' must be a list")
        self.bad(GOOD.replace("from: app.exe", "from: nosuch.exe"), 6, 11,
                 "no embedded fixture 'nosuch.exe'")
        self.bad(GOOD.replace("pdb_from: app.pdb", "pdb_file: missing/app.pdb"), 7, 15,
                 "pdb_file: missing/app.pdb: No such file")
        self.bad("profile: win11\n" + GOOD, 1, 10, "unknown profile 'win11'")
        self.bad(GOOD.replace("[plain/app.pdb]", "[../app.pdb]"), 8, 13,
                 "leaves or names the sandbox")
        self.bad(GOOD.replace("[plain/app.pdb]", "[/tmp/app.pdb]"), 8, 13,
                 "not relative to the sandbox")
        self.bad(GOOD.replace("image: images/app.exe", "image: images/../../x.exe"), 5, 12,
                 "leaves or names the sandbox")
        self.bad(GOOD.replace("dirs: [plain]", "dirs: [plain]\nmap: {'C:': /etc}"), 4, 13,
                 "not relative to the sandbox")
        self.bad(GOOD.replace("module: app", "module: nosuch"), 10, 5,
                 "no module named 'nosuch'")
        self.bad(GOOD.replace("${sandbox}", "${sandbox}/${home}"), 2, 10, r"unknown \$\{home\}")
        self.bad(GOOD.replace("element: 0,", "element: first,"), 12, 23, "whole number")
        self.bad(GOOD.replace("result: found", "result: maybe"), 12, 55,
                 "found, not-found, unmatched or not-loaded")
        self.bad("title: [unclosed\n", 2, 1, "")  # a YAML syntax error
        self.bad("- just\n- a list\n", 1, 1, "a scenario is a mapping")
        self.bad("sympath: x\n", 1, 1, "needs a 'title'")

    def test_mutated_files_never_crash(self):
        # Lessons cut, with lines dropped, doubled or with bytes changed: a message or a run,
        # never a signal; a refusal names FILE:LINE:COL.
        rng = random.Random(14)
        for path in LESSONS:
            with open(path, "rb") as f:
                text = f.read()
            for i in range(12):
                data = bytearray(text)
                kind = i % 4
                if kind == 0:
                    data = data[:rng.randrange(len(data))]
                elif kind == 1:
                    lines = data.split(b"\n")
                    del lines[rng.randrange(len(lines))]
                    data = bytearray(b"\n".join(lines))
                elif kind == 2:
                    lines = data.split(b"\n")
                    j = rng.randrange(len(lines))
                    lines.insert(j, lines[j])
                    data = bytearray(b"\n".join(lines))
                else:
                    for _ in range(3):
                        data[rng.randrange(len(data))] = rng.choice(b"{}[]:-'\"*&!|>\x00\xff ./")
                name = os.path.join(self.tmp, f"m{i}.yaml")
                with open(name, "wb") as f:
                    f.write(data)
                p = subprocess.run([SYMSCOPE, "scenario", "--check", name], capture_output=True,
                                   timeout=120)
                self.assertIn(p.returncode, (0, 1, 2), f"{path} mutation {i}: {p.stderr!r}")
                if p.returncode == 2:
                    self.assertRegex(p.stderr.decode("utf-8", "replace"),
                                     rf"^symscope: {re.escape(name)}(:\d+:\d+)?: ")

    def test_unreadable_file(self):
        status, _, err = run("scenario", "--check", os.path.join(self.tmp, "none.yaml"))
        self.assertEqual(status, 2)
        self.assertIn("none.yaml: cannot read the scenario", err)
        fifo = os.path.join(self.tmp, "fifo.yaml")
        os.mkfifo(fifo)
        status, _, err = run("scenario", "--check", fifo)
        self.assertEqual(status, 2)
        self.assertIn("not a regular file", err)

    def test_usage(self):
        self.assertEqual(run("scenario", "--check")[0], 2)
        self.assertEqual(run("scenario", "--json", self.write(GOOD))[0], 2)  # --json needs --check
        # Without a terminal the UI is refused, and nothing is built.
        status, _, err = run("scenario", self.write(GOOD))
        self.assertEqual(status, 2)
        self.assertIn("needs a terminal", err)

    def test_sandbox_option(self):
        sb = os.path.join(self.tmp, "sb")
        path = self.write(GOOD)
        run("scenario", "--check", "--sandbox", sb, path, check_status=0)
        self.assertTrue(os.path.isfile(os.path.join(sb, "plain", "app.pdb")))
        self.assertTrue(os.path.isfile(os.path.join(sb, ".symscope-sandbox")))
        # Used again as it is: a file added there is still there, nothing is built over it.
        with open(os.path.join(sb, "note"), "w") as f:
            f.write("kept")
        run("scenario", "--check", "--sandbox", sb, path, check_status=0)
        self.assertTrue(os.path.isfile(os.path.join(sb, "note")))
        # A directory that is not a sandbox is refused and left alone.
        other = os.path.join(self.tmp, "other")
        os.mkdir(other)
        status, _, err = run("scenario", "--check", "--sandbox", other, path)
        self.assertEqual(status, 2)
        self.assertIn("not a sandbox made by symscope", err)
        self.assertEqual(os.listdir(other), [])

    def test_sandbox_is_removed(self):
        env = dict(os.environ, TMPDIR=self.tmp)
        p = subprocess.run([SYMSCOPE, "learn", "5", "--check"], capture_output=True, text=True,
                           env=env, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn(f"sandbox: {os.path.realpath(self.tmp)}/symscope-scenario-", p.stdout)
        self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith("symscope-")], [])


    def test_ctrl_c_ends_the_check_and_removes_the_sandbox(self):
        # A store that answers after 30 s: Ctrl-C cancels the search, the check ends at once
        # with 130, and the sandbox goes as after any run.
        faults = os.path.join(self.tmp, "faults.json")
        with open(faults, "w") as f:
            json.dump({"/syms/*": {"first_byte_delay": 30}}, f)
        os.makedirs(os.path.join(self.tmp, "served"))
        server = subprocess.Popen(
            ["python3", os.path.join(ROOT, "tests", "tools", "symserver.py"), "--root",
             os.path.join(self.tmp, "served"), "--faults", faults], stdout=subprocess.PIPE,
            text=True)
        try:
            port = int(server.stdout.readline().split()[1])
            path = self.write(GOOD.replace("sympath: '${sandbox}/plain'",
                                           f"sympath: 'srv*${{sandbox}}/down*"
                                           f"http://127.0.0.1:{port}/syms;${{sandbox}}/plain'"))
            env = dict(os.environ, TMPDIR=self.tmp)
            p = subprocess.Popen([SYMSCOPE, "scenario", "--check", "--profile", "documented",
                                  path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=env)
            time.sleep(1.5)
            t0 = time.monotonic()
            p.send_signal(2)
            out, err = p.communicate(timeout=20)
            self.assertLess(time.monotonic() - t0, 5)
            self.assertEqual(p.returncode, 130, out + err)
            self.assertIn("interrupted (Ctrl-C)", out)
            self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith("symscope-")], [])
        finally:
            server.kill()
            server.wait()


class DryRun(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="symscope-scn-dry-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_dry_run_leaves_the_sandbox_as_it_was(self):
        for n in range(1, len(LESSONS) + 1):
            with self.subTest(lesson=n):
                sb = os.path.join(self.tmp, f"l{n}")
                # Built, then run as a dry run; then a whole second dry run over it.
                status, out, err = run("learn", str(n), "--check", "--dry-run", "--sandbox", sb)
                self.assertIn(status, (0, 1), err)
                self.assertIn("options: dry_run", out)
                before = tree_sum(sb)
                status, _, err = run("learn", str(n), "--check", "--dry-run", "--sandbox", sb)
                self.assertIn(status, (0, 1), err)
                self.assertEqual(tree_sum(sb), before, f"lesson {n}: a dry run wrote")
                # Nothing under the downstream stores, the caches or the home directory.
                for d in ("down", "cache", "home"):
                    for _, _, files in os.walk(os.path.join(sb, d)):
                        self.assertEqual(files, [], f"lesson {n}: {d} has {files}")

    def test_a_real_run_changes_the_sandbox(self):
        # The checksum sees copies: the same lesson without --dry-run writes into the stores.
        sb = os.path.join(self.tmp, "real")
        run("learn", "5", "--check", "--dry-run", "--sandbox", sb)
        before = tree_sum(sb)
        run("learn", "5", "--check", "--sandbox", sb, check_status=0)
        self.assertNotEqual(tree_sum(sb), before)


@unittest.skipUnless(shutil.which("tmux"), "tmux is not installed")
class LessonOnScreen(unittest.TestCase):
    def setUp(self):
        from test_tui import Tui  # noqa: E402 (tmux helpers)

        self.Tui = Tui
        self.tmp = tempfile.mkdtemp(prefix="symscope-scn-tui-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_lesson_side_text_modules_and_cleanup(self):
        t = self.Tui(["learn", "2"], env={"TMPDIR": self.tmp})
        try:
            s = t.wait_for("[ready]")
            s = t.wait_for("Lesson 2: The CodeView path and the module")
            self.assertIn("Besides the path elements", s)  # the side text
            for name in ("app ", "hello", "app32"):
                self.assertIn(name, s)
            self.assertIn("Modules: 3 loaded", s)
            sandboxes = glob.glob(os.path.join(self.tmp, "symscope-scenario-*"))
            self.assertEqual(len(sandboxes), 1)
            # i hides the text and the panes take the width; i again shows it.
            t.keys("i")
            t.wait_for("Besides the path elements", gone=True)
            t.keys("i")
            t.wait_for("Besides the path elements")
            # T: the whole text in a view, which any key closes.
            t.keys("T")
            s = t.wait_for("q or any key closes")
            self.assertIn("Keys: p switches profile and everything is searched again", s)
            t.keys("q")
            t.wait_for("q or any key closes", gone=True)
            # The help lists the key.
            t.keys("?")
            t.wait_for("Keys (Up/Down/PgUp/PgDn scroll this view")
            t.keys("NPage")
            t.wait_for("show or hide its text beside the panes")
            t.keys("q")
            t.keys("Q")
            end = time.time() + 20
            while t.alive() and time.time() < end:
                time.sleep(0.1)
            self.assertFalse(t.alive(), t.screen())
            self.assertEqual(glob.glob(os.path.join(self.tmp, "symscope-scenario-*")), [])
        finally:
            t.close()


if __name__ == "__main__":
    main()
