"""symscope find and path: the search rules of decisions.md on real PE/PDB pairs (fixtures
built with clang and lld-link, and the corpus)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from symscope_test import CORPUS, ROOT, SYMSCOPE, fixture, main

FORGE = os.path.join(ROOT, "tests", "tools", "symforge.py")


def forge(kind, src, dst, guid, age, pdb_name=None):
    cmd = [sys.executable, FORGE, kind, "--guid", guid, "--age", str(age), src, dst]
    if pdb_name is not None:
        cmd[3:3] = ["--pdb-name", pdb_name]
    subprocess.run(cmd, check=True)


def identity(path):
    out = subprocess.run([SYMSCOPE, "inspect", "--json", path], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


class Sandbox(unittest.TestCase):
    """Each test gets a directory, an empty environment for symbol paths and its own home."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="symscope-find-")
        self.home = os.path.join(self.tmp, "home")
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("_NT_SYMBOL_PATH", "_NT_ALT_SYMBOL_PATH")}
        self.env["SYMSCOPE_HOME"] = self.home
        app = identity(fixture("app.exe"))
        self.guid, self.age = app["codeview"]["guid"], app["codeview"]["age"]

    def tearDown(self):
        subprocess.run(["chmod", "-R", "u+rwx", self.tmp])
        shutil.rmtree(self.tmp)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def put(self, src, *parts):
        dst = self.path(*parts)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        return dst

    def image(self, pdb_name="app.pdb", where="img"):
        """app.exe whose CodeView record names pdb_name (same GUID and age)."""
        dst = self.path(where, "app.exe")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        forge("pe", fixture("app.exe"), dst, self.guid, self.age, pdb_name)
        return dst

    # The profile find and path run with when a test names none (None: the default, native).
    profile = None

    def symscope(self, *args, env=None):
        if self.profile and args and args[0] in ("find", "path") and "--profile" not in args:
            args = (args[0], "--profile", self.profile) + tuple(args[1:])
        p = subprocess.run([SYMSCOPE, *args], capture_output=True, text=True, cwd=self.tmp,
                           env=env or self.env, timeout=300)
        return p.returncode, p.stdout, p.stderr

    def find_json(self, *args, status=None):
        rc, out, err = self.symscope("find", "--json", *args)
        if status is not None:
            self.assertEqual(rc, status, err)
        return [json.loads(line) for line in out.splitlines()]

    def find_one(self, *args, status=None):
        (m,) = self.find_json(*args, status=status)
        return m


class StandardElements(Sandbox):
    def test_three_subdirectories_in_order(self):
        img = self.image()
        for sub in ("", "exe", "symbols/exe"):
            self.put(fixture("app.pdb"), "E", sub, "app.pdb")
        m = self.find_one("-y", "E", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("E", "app.pdb"))
        os.remove(self.path("E", "app.pdb"))
        m = self.find_one("-y", "E", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("E", "exe", "app.pdb"))
        os.remove(self.path("E", "exe", "app.pdb"))
        m = self.find_one("-y", "E", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("E", "symbols", "exe", "app.pdb"))
        rules = [a["rule"] for a in m["attempts"] if a["element"] == 0]
        self.assertEqual(rules, ["D", "D\\<ext>", "D\\symbols\\<ext>"])
        self.assertEqual([a["location"] for a in m["attempts"] if a["element"] == 0],
                         ["E\\app.pdb", "E\\exe\\app.pdb", "E\\symbols\\exe\\app.pdb"])

    def test_names_match_in_any_case(self):
        img = self.image()
        self.put(fixture("app.pdb"), "E", "Symbols", "EXE", "APP.PDB")
        m = self.find_one("-y", "E", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("E", "Symbols", "EXE", "APP.PDB"))

    def test_no_recursion_into_other_subdirectories(self):
        img = self.image()
        self.put(fixture("app.pdb"), "E", "other", "app.pdb")
        m = self.find_one("-y", "E", img, status=1)
        self.assertEqual(m["result"]["status"], "not-found")

    def test_wine8_has_no_subdirectories(self):
        img = self.image()
        self.put(fixture("app.pdb"), "E", "exe", "app.pdb")
        self.find_one("-y", "E", img, status=0)
        m = self.find_one("--profile", "wine8", "-y", "E", img, status=1)
        self.assertEqual([a["rule"] for a in m["attempts"] if a["element"] == 0], ["D"])


class Matching(Sandbox):
    def test_mismatched_pdb_earlier_in_the_path(self):
        img = self.image()
        self.put(fixture("variant/app.pdb"), "m", "app.pdb")
        self.put(fixture("app.pdb"), "s", "app.pdb")
        m = self.find_one("-y", "m;s", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("s", "app.pdb"))
        self.assertEqual(m["result"]["element"], 1)
        mism = [a for a in m["attempts"] if a["outcome"] == "mismatch"]
        self.assertEqual(len(mism), 1)
        variant = identity(fixture("variant/app.pdb"))
        self.assertEqual(mism[0]["found"]["key"], variant["pdb_key"])
        self.assertEqual(m["wanted"]["key"], identity(fixture("app.pdb"))["pdb_key"])

    def test_only_a_mismatch(self):
        img = self.image()
        self.put(fixture("variant/app.pdb"), "m", "app.pdb")
        rc, out, _ = self.symscope("find", "-y", "m", img)
        self.assertEqual(rc, 1)
        self.assertIn("m\\app.pdb - mismatched pdb", out)
        # DbgHelp names the image by its full path.
        self.assertIn(f"DBGHELP: Couldn't load mismatched pdb for {img}", out)
        self.assertIn("DBGHELP: app - no symbols loaded", out)
        self.assertIn("mismatched app.pdb", out.split("Symbol Loading Summary")[1])

    def test_load_anything_takes_the_first_mismatch(self):
        img = self.image()
        self.put(fixture("variant/app.pdb"), "m1", "app.pdb")
        self.put(fixture("variant/app.pdb"), "m2", "app.pdb")
        m = self.find_one("-o", "load_anything", "-y", "m1;m2", img, status=1)
        self.assertEqual(m["result"]["status"], "unmatched")
        self.assertEqual(m["result"]["file"], self.path("m1", "app.pdb"))
        rc, out, _ = self.symscope("find", "-o", "load_anything", "-y", "m1;m2", img)
        self.assertIn(f"DBGHELP: Loaded mismatched pdb for {img}", out)
        self.assertIn("m1\\app.pdb - unmatched", out)
        # An exact match anywhere still wins over a mismatch.
        self.put(fixture("app.pdb"), "s", "app.pdb")
        m = self.find_one("-o", "load_anything", "-y", "m1;m2;s", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("s", "app.pdb"))

    def test_exact_symbols(self):
        img = self.image()
        self.put(fixture("variant/app.pdb"), "m", "app.pdb")
        m = self.find_one("-o", "load_anything", "-o", "exact_symbols", "-y", "m", img,
                          status=1)
        self.assertEqual(m["result"]["status"], "not-found")
        self.assertEqual(m["result"]["symbols"], "no symbols")

    def test_export_symbols_when_nothing_is_found(self):
        dll = self.put(fixture("hello.dll"), "img", "hello.dll")
        m = self.find_one("-o", "ignore_cvrec", "-o", "ignore_imagedir", "-y", "E", dll,
                          status=1)
        self.assertEqual(m["result"]["symbols"], "export symbols")
        m = self.find_one("-o", "ignore_cvrec", "-o", "ignore_imagedir", "-o",
                          "exact_symbols", "-y", "E", dll, status=1)
        self.assertEqual(m["result"]["symbols"], "no symbols")

    def test_nb10_pair(self):
        exe = os.path.join(CORPUS, "pdb20", "heapdump.exe")
        if not os.path.exists(exe):
            self.skipTest(f"corpus not found at {CORPUS}")
        self.put(os.path.join(CORPUS, "pdb20", "heapdump.pdb"), "E", "heapdump.pdb")
        # documented: the CodeView path comes first, so it is tried before E.
        m = self.find_one("--profile", "documented", "-y", "E", exe, status=0)
        self.assertEqual(m["wanted"]["kind"], "pdb20")
        self.assertEqual(m["wanted"]["key"], "5AD474B71")
        self.assertEqual(m["result"]["file"], self.path("E", "heapdump.pdb"))
        # T:\DEVEL\... is not mapped: the CodeView path is skipped with that reason.
        cv = [a for a in m["attempts"] if a["step"] == "cv-path"]
        self.assertEqual(cv[0]["outcome"], "skipped")
        self.assertIn("drive T: is not mapped", cv[0]["detail"])

    def test_dbg_pair(self):
        exe = os.path.join(CORPUS, "dbg", "calldemo.exe")
        if not os.path.exists(exe):
            self.skipTest(f"corpus not found at {CORPUS}")
        self.put(os.path.join(CORPUS, "dbg", "calldemo.dbg"), "E", "exe", "calldemo.dbg")
        m = self.find_one("-y", "E", exe, status=0)
        self.assertEqual(m["wanted"]["kind"], "dbg")
        self.assertEqual(m["wanted"]["key"], "4963260Ca8000")
        self.assertEqual(m["result"]["file"], self.path("E", "exe", "calldemo.dbg"))
        self.assertEqual(m["result"]["symbols"], "private symbols")

    def test_file_key_module(self):
        key = identity(fixture("app.pdb"))["pdb_key"]
        self.put(fixture("app.pdb"), "E", "app.pdb")
        m = self.find_one("-y", "E", f"app.pdb/{key}", status=0)
        self.assertEqual(m["result"]["file"], self.path("E", "app.pdb"))
        self.assertIsNone(m["image"])
        self.find_one("-y", "E", f"app.pdb/{key[:-1]}2", status=1)


class Profiles(Sandbox):
    """The CodeView path and the image directory in each profile's place."""

    def setUp(self):
        super().setUp()
        self.img = self.image(pdb_name="C:\\cv\\app.pdb", where="I")
        self.put(fixture("app.pdb"), "c", "cv", "app.pdb")
        self.put(fixture("app.pdb"), "E", "app.pdb")
        self.put(fixture("app.pdb"), "I", "app.pdb")
        self.args = ["--map", "C:=" + self.path("c"), "-y", "E"]

    def winner(self, profile):
        m = self.find_one("--profile", profile, *self.args, self.img, status=0)
        return m["attempts"][-1]["step"], m

    def test_order_of_steps(self):
        self.assertEqual(self.winner("documented")[0], "cv-path")
        self.assertEqual(self.winner("native")[0], "element")
        self.assertEqual(self.winner("wine8")[0], "cv-path")
        os.remove(self.path("c", "cv", "app.pdb"))
        self.assertEqual(self.winner("documented")[0], "element")
        self.assertEqual(self.winner("native")[0], "element")
        self.assertEqual(self.winner("wine8")[0], "image-dir")
        os.remove(self.path("E", "app.pdb"))
        for p in ("documented", "native", "wine8"):
            step, m = self.winner(p)
            self.assertEqual(step, "image-dir", p)
            self.assertEqual(m["result"]["file"], self.path("I", "app.pdb"))
        steps = {p: [a["step"] for a in self.winner(p)[1]["attempts"]]
                 for p in ("documented", "native", "wine8")}
        self.assertEqual(steps["documented"][0], "cv-path")
        # native: the elements, then the image's directory, and the CodeView path last.
        self.assertEqual(steps["native"][0], "element")
        self.assertNotIn("cv-path", steps["native"])
        self.assertEqual(steps["wine8"][:2], ["cv-path", "image-dir"])
        os.remove(self.path("I", "app.pdb"))
        self.put(fixture("app.pdb"), "c", "cv", "app.pdb")
        step, m = self.winner("native")
        self.assertEqual(step, "cv-path")
        self.assertEqual([a["step"] for a in m["attempts"]][-2], "image-dir")

    def test_ignore_options(self):
        m = self.find_one("-o", "ignore_cvrec", *self.args, self.img, status=0)
        self.assertNotIn("cv-path", [a["step"] for a in m["attempts"]])
        os.remove(self.path("E", "app.pdb"))
        m = self.find_one("-o", "ignore_cvrec", "-o", "ignore_imagedir", *self.args, self.img,
                          status=1)
        self.assertEqual(m["result"]["status"], "not-found")


class DefaultPathAndMappings(Sandbox):
    def path_json(self, *args, env=None):
        rc, out, err = self.symscope("path", "--json", *args, env=env)
        return rc, json.loads(out) if out else None

    def test_default_path_from_environment(self):
        env = dict(self.env, _NT_SYMBOL_PATH="A;B", _NT_ALT_SYMBOL_PATH="C")
        for d in "ABC":
            os.makedirs(self.path(d))
        _, p = self.path_json("--profile", "documented", env=env)
        self.assertEqual(p["path"], "A;B;C")
        self.assertEqual([(e["text"], e["source"]) for e in p["elements"]],
                         [("A", "_NT_SYMBOL_PATH"), ("B", "_NT_SYMBOL_PATH"),
                          ("C", "_NT_ALT_SYMBOL_PATH")])
        # The default profile is native: DbgHelp's default path starts with ".".
        _, p = self.path_json(env=env)
        self.assertEqual(p["profile"], "native")
        self.assertIn("DbgHelp/SymSrv 10.0.18362", p["profile_source"])
        self.assertEqual(p["path"], ".;A;B;C")
        self.assertEqual(p["elements"][0]["source"], "default")
        _, p = self.path_json("-o", "ignore_nt_sympath", env=env)
        self.assertEqual(p["path"], ".")
        # The default path is what find searches.
        img = self.image()
        self.put(fixture("app.pdb"), "C", "app.pdb")
        rc, out, _ = self.symscope("find", "--json", img, env=env)
        self.assertEqual(rc, 0)
        self.assertEqual(json.loads(out)["result"]["element"], 3)

    def test_mappings(self):
        img = self.image()
        self.put(fixture("app.pdb"), "share", "syms", "app.pdb")
        self.put(fixture("variant/app.pdb"), "d", "x", "app.pdb")
        path = "D:\\x;\\\\server\\share\\syms;E:\\nowhere;\\\\other\\share"
        m = self.find_one("--map", "D:=" + self.path("d"), "--map",
                          "\\\\SERVER\\share=" + self.path("share"), "-y", path, img, status=0)
        self.assertEqual(m["result"]["file"], self.path("share", "syms", "app.pdb"))
        self.assertEqual(m["result"]["location"], "\\\\server\\share\\syms\\app.pdb")
        rc, p = self.path_json("--map", "D:=" + self.path("d"), path)
        self.assertEqual(rc, 1)
        states = [(e["state"], e["reason"]) for e in p["elements"]]
        self.assertEqual(states[0], ("ok", None))
        self.assertEqual(states[1][0], "unmapped")
        self.assertIn("share \\\\server\\share is not mapped", states[1][1])
        self.assertIn("drive E: is not mapped", states[2][1])
        # Unmapped elements are skipped with their reason, never read as relative paths.
        m = self.find_one("-y", path, img, status=1)
        skipped = [a for a in m["attempts"] if a["outcome"] == "skipped"]
        self.assertEqual(len(skipped), 4)  # the four elements; the CodeView name is bare

    def test_config_file_mappings(self):
        cfg = self.path("symscope.yaml")
        with open(cfg, "w") as f:
            f.write(f"map:\n  'D:': {self.path('d')}\nprofile: native\noptions: [load_anything]\n")
        self.put(fixture("variant/app.pdb"), "d", "app.pdb")
        m = self.find_one("--config", cfg, "-y", "D:\\", self.image(), status=1)
        self.assertEqual(m["result"]["status"], "unmatched")
        with open(cfg, "w") as f:
            f.write("map: [1, 2\n")
        rc, _, err = self.symscope("find", "--config", cfg, self.image())
        self.assertEqual(rc, 2)
        self.assertRegex(err, r"symscope\.yaml:\d+:\d+: ")
        with open(cfg, "w") as f:
            f.write("options: [load_everything]\n")
        rc, _, err = self.symscope("path", "--config", cfg)
        self.assertEqual(rc, 2)
        self.assertIn("unknown option 'load_everything'", err)

    def test_expanded_path(self):
        os.makedirs(self.path("Syms"))
        _, p = self.path_json("Syms;srv*;CACHE*c:\\Cache;SRV*X*https://example.invalid/s")
        self.assertEqual(p["expanded"], "syms;cache*;SRV*https://msdl.microsoft.com/download/"
                         "symbols;cache*c:\\Cache;SRV*X*https://example.invalid/s")
        kinds = [e["kind"] for e in p["elements"]]
        self.assertEqual(kinds, ["standard", "srv", "cache", "srv"])
        bare = p["elements"][1]["stores"]
        self.assertTrue(bare[0]["default"])
        self.assertEqual(bare[0]["local"], os.path.join(self.home, "sym"))
        self.assertEqual(bare[1]["type"], "http")


class Minidump(Sandbox):
    def test_every_module_whose_pdb_is_prepared(self):
        dump = os.path.join(CORPUS, "minidumps", "windows-x86-crash.dmp")
        if not os.path.exists(dump):
            self.skipTest(f"corpus not found at {CORPUS}")
        modules = identity(dump)["modules"]
        for mod in modules:
            name = mod["pdb_file"].replace("\\", "/").split("/")[-1]
            cv = mod["codeview"]
            if name == "crash.pdb":
                self.put(os.path.join(CORPUS, "msvc", "crash.pdb"), "syms", name)
            else:
                os.makedirs(self.path("syms"), exist_ok=True)
                forge("pdb", fixture("app.pdb"), self.path("syms", name), cv["guid"], cv["age"])
        results = self.find_json("-y", "syms", dump, status=0)
        self.assertEqual(len(results), len(modules))
        for r in results:
            self.assertEqual(r["result"]["status"], "found", r["module"])
        crash = [r for r in results if r["module"] == "crash"][0]
        self.assertEqual(crash["result"]["symbols"], "private symbols & lines")
        # One module's PDB gone: only that one is missing, and the exit status says so.
        os.remove(self.path("syms", "wntdll.pdb"))
        results = self.find_json("-y", "syms", dump, status=1)
        missing = [r["module"] for r in results if r["result"]["status"] != "found"]
        self.assertEqual(missing, ["ntdll"])


class BadInput(Sandbox):
    def snapshot(self):
        out = []
        for root, dirs, files in os.walk(self.tmp):
            out += [os.path.join(root, n) for n in dirs + files]
        return sorted(out)

    def test_malformed_paths(self):
        img = self.image()
        long = "x" * 5000
        paths = [";;;", "  ;  ", "srv*", "srv**", "cache*", "symsrv*foo.dll*x",
                 "srv*" + "*".join("s%d" % i for i in range(11)), long, "srv*" + long,
                 "*", "srv*https://a*b", "\\\\", "\\\\\\x", "\\rooted", "C:", "::",
                 "cache*;cache*;srv*", "\x01\x02"]
        before = self.snapshot()
        for p in paths:
            with self.subTest(path=p[:40]):
                rc, out, err = self.symscope("find", "--offline", "--json", "-y", p, img)
                self.assertIn(rc, (0, 1), err)
                self.assertEqual(err, "")
                rc, out, err = self.symscope("path", "--json", p)
                self.assertIn(rc, (0, 1), err)
                json.loads(out)
        self.assertEqual(self.snapshot(), before, "a bad path wrote something")
        _, p = DefaultPathAndMappings.path_json(self, long)
        self.assertEqual(p["elements"][0]["state"], "invalid")
        self.assertIn("PATH_MAX", p["elements"][0]["reason"])
        _, p = DefaultPathAndMappings.path_json(self, paths[6])
        self.assertIn("at most 10", p["elements"][0]["reason"])
        _, p = DefaultPathAndMappings.path_json(self, "srv*https://a*b")
        self.assertIn("rightmost", p["elements"][0]["reason"])

    def test_directory_with_100000_files(self):
        img = self.image()
        big = self.path("big")
        os.makedirs(big)
        for i in range(100000):
            open(os.path.join(big, "f%06d.pdb" % i), "w").close()
        self.put(fixture("app.pdb"), "big", "App.Pdb")
        m = self.find_one("-y", "big", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("big", "App.Pdb"))

    def test_unreadable_directory_and_symlink_loop(self):
        img = self.image()
        self.put(fixture("app.pdb"), "locked", "app.pdb")
        os.chmod(self.path("locked"), 0)
        os.symlink(self.path("loop2"), self.path("loop1"))
        os.symlink(self.path("loop1"), self.path("loop2"))
        self.put(fixture("app.pdb"), "good", "app.pdb")
        os.chmod(self.tmp, 0o755)
        os.chmod(self.path("img"), 0o755)
        os.chmod(img, 0o644)
        cmd = []
        if os.geteuid() == 0 and shutil.which("setpriv"):
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            shutil.rmtree(self.home, ignore_errors=True)
        env = dict(self.env, SYMSCOPE_HOME=self.path("nohome"))
        p = subprocess.run(cmd + [SYMSCOPE, "find", "--json", "-y", "locked;loop1;good", img],
                           capture_output=True, text=True, cwd=self.tmp, env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        m = json.loads(p.stdout)
        self.assertEqual(m["result"]["file"], self.path("good", "app.pdb"))
        by_el = {}
        for a in m["attempts"]:
            by_el.setdefault(a["element"], []).append(a)
        self.assertEqual(by_el[0][0]["outcome"], "denied")
        self.assertIn("loop", by_el[1][0]["detail"])

    def test_untrusted_codeview_names(self):
        self.put(fixture("app.pdb"), "E", "x.pdb")
        before = self.snapshot()
        for name in ("..\\..\\x.pdb", "../../x.pdb", "/etc/x.pdb", "C:\\..\\..\\x.pdb"):
            with self.subTest(name=name):
                img = self.image(pdb_name=name)
                # documented tries the CodeView path first, before E has a say.
                m = self.find_one("--profile", "documented", "-y", "E", img)
                self.assertEqual(m["wanted"]["file"], "x.pdb")
                self.assertEqual(m["result"]["file"], self.path("E", "x.pdb"))
                cv = [a for a in m["attempts"] if a["step"] == "cv-path"]
                self.assertTrue(cv)
        after = [p for p in self.snapshot() if not p.startswith(self.path("img"))]
        self.assertEqual(after, [p for p in before if not p.startswith(self.path("img"))])
        self.assertFalse(os.path.exists(self.home), "the home directory was created")


class CompareAndDryRun(Sandbox):
    """find --compare: the three profiles side by side, as dry runs; -o dry_run writes
    nothing anywhere."""

    def tree(self):
        out = {}
        for d, _, files in os.walk(self.tmp):
            for f in files:
                p = os.path.join(d, f)
                with open(p, "rb") as fh:
                    out[p] = fh.read()
        return out

    def test_compare_and_dry_run(self):
        img = self.image(pdb_name="C:\\cv\\app.pdb", where="I")
        key = identity(fixture("app.pdb"))["pdb_key"]
        self.put(fixture("app.pdb"), "up", "app.pdb", key, "app.pdb")
        self.put(fixture("app.pdb"), "c", "cv", "app.pdb")
        self.put(fixture("app.pdb"), "E", "app.pdb")
        args = ["--map", "C:=" + self.path("c"), "-y", "cache*K;srv*down*up;E", img]
        before = self.tree()
        rc, out, err = self.symscope("find", "--compare", "--json", *args)
        self.assertEqual(rc, 0, err)
        (c,) = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(set(c["profiles"]), {"native", "documented", "wine8"})
        # native finds it through the chain, documented at the CodeView path first, wine8 has
        # no stores and takes the CodeView path too.
        self.assertIn("up", c["profiles"]["native"]["winner"])
        self.assertIn("cv", c["profiles"]["documented"]["winner"])
        self.assertIn("cv", c["profiles"]["wine8"]["winner"])
        self.assertTrue(c["differ"])
        self.assertEqual(self.tree(), before, "a comparison wrote something")
        rc, out, _ = self.symscope("find", "--compare", *args)
        self.assertIn("native", out.splitlines()[1])
        self.assertRegex(out, r"(?m)^\*\s+1 ")
        # A dry run reports the copies it would make and makes none.
        m = self.find_one("-o", "dry_run", *args, status=0)
        would = [a for a in m["attempts"] if a["detail"].startswith("dry run: would copy")]
        self.assertTrue(would)
        self.assertEqual(m["result"]["file"], self.path("up", "app.pdb", key, "app.pdb"))
        self.assertEqual(self.tree(), before, "a dry run wrote something")
        self.assertFalse(os.path.exists(self.home))


class Where(Sandbox):
    def test_every_place_in_order_and_nothing_touched(self):
        img = self.image()
        key = identity(fixture("app.pdb"))["pdb_key"]
        self.put(fixture("app.pdb"), "E", "app.pdb")  # there already: where does not look
        rc, out, err = self.symscope("where", "--json", "-y",
                                     "E;srv*down*http://127.0.0.1:9/s", img)
        self.assertEqual(rc, 0, err)
        (w,) = [json.loads(line) for line in out.splitlines()]
        locs = [p["location"] for p in w["places"]]
        self.assertEqual(locs[:3], ["E\\app.pdb", "E\\exe\\app.pdb", "E\\symbols\\exe\\app.pdb"])
        self.assertIn(f"down\\app.pdb\\{key}\\app.pdb", locs)
        self.assertIn(f"http://127.0.0.1:9/s/app.pdb/{key}/app.pdb", locs)
        self.assertEqual([p["step"] for p in w["places"]][-2:], ["image-dir", "cv-path"])
        self.assertEqual(w["first_local"], self.path("E", "app.pdb"))
        self.assertFalse(os.path.exists(self.path("down")))
        self.assertFalse(os.path.exists(self.home))
        rc, out, _ = self.symscope("where", "-y", "E", img)
        self.assertIn("would be found first", out)


class PathLint(Sandbox):
    """symscope path --lint: each kind of finding names its element and gives a fix; a clean
    path has none."""

    def lint(self, *args, env=None):
        rc, out, _ = self.symscope("path", "--lint", "--json", *args, env=env)
        return rc, [json.loads(line) for line in out.splitlines()]

    def test_findings(self):
        os.makedirs(self.path("E"))
        rc, found = self.lint("-y", "E;srv*down*http://h/x?sig=1;cache*late;D:\\s;gone;E;"
                                    "srv*http://a/x*http://b/y")
        self.assertEqual(rc, 1)
        kinds = {(f["kind"], f["element"]) for f in found}
        self.assertEqual(kinds, {("query-string", 1), ("cache-after-stores", 2), ("unmapped", 3),
                                 ("missing", 4), ("duplicate", 5), ("invalid", 6)})
        self.assertTrue(all(f["fix"] for f in found))
        rc, found = self.lint("-y", "srv*http://h/x")
        self.assertEqual([f["kind"] for f in found], ["no-downstream"])
        self.assertIn(os.path.join(self.home, "sym"), found[0]["message"])
        # A cache* before the server is its downstream store.
        self.assertEqual(self.lint("-y", "cache*C;srv*http://h/x")[1], [])
        rc, found = self.lint("--profile", "wine8", "-y", "srv*x")
        self.assertEqual([f["kind"] for f in found], ["unreachable"])
        env = dict(self.env, _NT_SYMBOL_PATH="E", _NT_ALT_SYMBOL_PATH="E")
        rc, found = self.lint(env=env)
        self.assertIn("alt-repeats", [f["kind"] for f in found])
        rc, out, _ = self.symscope("path", "--lint", "-y", "E")
        self.assertEqual(rc, 0)
        self.assertIn("no findings", out)


if __name__ == "__main__":
    main()
