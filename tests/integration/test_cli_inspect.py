"""symscope inspect on bad input: one line on stderr naming the file and what is wrong,
exit status 2, and the other files on the command line still reported."""
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

from symscope_test import SYMSCOPE, fixture, main, run


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="symscope-cli-")
        good = fixture("app.pdb")
        with open(good, "rb") as f:
            data = f.read()

        def put(name, content):
            path = os.path.join(cls.tmp, name)
            with open(path, "wb") as f:
                f.write(content)
            return path

        cls.bad = {
            "empty": (put("empty.pdb", b""), "empty"),
            "truncated": (put("truncated.pdb", data[:len(data) // 2]), "truncated"),
            "directory": (os.path.join(cls.tmp, "adir.pdb"), "directory"),
            "missing": (os.path.join(cls.tmp, "missing.pdb"), "no such file"),
            "html": (put("page.pdb", b"<!DOCTYPE html><html>Not Found</html>"), "HTML"),
            "text": (put("notes.txt", b"just some notes\n"), "not a PE, PDB"),
            "unreadable": (put("secret.pdb", data), "permission denied"),
        }
        os.mkdir(cls.bad["directory"][0])
        os.chmod(cls.bad["unreadable"][0], 0)
        fifo = os.path.join(cls.tmp, "fifo.pdb")
        os.mkfifo(fifo)
        cls.bad["fifo"] = (fifo, "not a regular file")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def run_maybe_unprivileged(self, *args):
        """root reads anything: drop to nobody so 'unreadable' means unreadable."""
        if os.geteuid() == 0 and shutil.which("setpriv"):
            os.chmod(self.tmp, 0o755)
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SYMSCOPE, *args]
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            return p.returncode, p.stdout, p.stderr
        return run(*args)

    def test_each_bad_file_alone(self):
        for kind, (path, words) in self.bad.items():
            with self.subTest(kind=kind):
                if kind == "unreadable":
                    status, out, err = self.run_maybe_unprivileged("inspect", path)
                else:
                    status, out, err = run("inspect", path)
                self.assertEqual(status, 2)
                self.assertEqual(out, "")
                lines = err.splitlines()
                self.assertEqual(len(lines), 1, err)
                self.assertIn(path, lines[0])
                self.assertIn(words, lines[0])

    def test_good_files_still_reported(self):
        paths = [fixture("app.exe")] + [p for p, _ in self.bad.values()] + [fixture("app.pdb")]
        for mode in ([], ["--json"]):
            with self.subTest(mode=mode):
                status, out, err = self.run_maybe_unprivileged("inspect", *mode, *paths)
                self.assertEqual(status, 2)
                self.assertEqual(len(err.splitlines()), len(self.bad), err)
                self.assertIn(fixture("app.exe"), out)
                self.assertIn(fixture("app.pdb"), out)
                if mode:
                    self.assertEqual(len(out.splitlines()), 2)

    def test_all_good_exits_zero(self):
        status, out, err = run("inspect", fixture("app.exe"), fixture("app.pdb"))
        self.assertEqual((status, err), (0, ""))

    def test_usage_errors(self):
        status, _, err = run("inspect")
        self.assertEqual(status, 2)
        self.assertIn("no FILE", err)
        status, _, err = run("inspect", "--bogus", fixture("app.exe"))
        self.assertEqual(status, 2)
        status, _, err = run("frobnicate")
        self.assertEqual(status, 2)
        self.assertIn("unknown command", err)


if __name__ == "__main__":
    main()
