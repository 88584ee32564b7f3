"""Symbol stores and caches (decisions.md 3-4): srv* chains of local stores, cache* elements,
pingme.txt stores, two tiers, compressed files, file.ptr, safe writes, and symscope cache."""
import json
import os
import resource
import signal
import subprocess
import time
import unittest

import sys

from symscope_test import CORPUS, ROOT, SYMSCOPE, fixture
from test_find import Sandbox, forge, identity

SEED_GUID = "0F7FCF88-442F-4B0E-9FB5-1DC4A754D9DE"
SEED_KEY = "0F7FCF88442F4B0E9FB51DC4A754D9DE2"


class StoreSandbox(Sandbox):
    """These tests hold the documentation's reading of stores (the documented profile) unless a
    class says otherwise; what real SymSrv does (native) is held by test_oracle.py."""
    profile = "documented"

    def setUp(self):
        super().setUp()
        self.key = identity(fixture("app.pdb"))["pdb_key"]

    def store(self, name, src=None, tiers=1, file="app.pdb", key=None, entry=None, pingme=False):
        """A store directory; with src, holding it at file/key/entry."""
        root = self.path(name)
        os.makedirs(root, exist_ok=True)
        if tiers == 2:
            open(os.path.join(root, "index2.txt"), "w").close()
        if pingme:
            open(os.path.join(root, "pingme.txt"), "w").close()
        if src:
            parts = ([file[:2]] if tiers == 2 else []) + [file, key or self.key, entry or file]
            self.put(src, name, *parts)
        return root

    def entry(self, store, tiers=1, name="app.pdb", file="app.pdb"):
        parts = ([file[:2]] if tiers == 2 else []) + [file, self.key, name]
        return self.path(store, *parts)

    def verify(self, *dirs):
        rc, out, err = self.symscope("cache", "verify", *dirs)
        return rc, out

    def outcomes(self, m):
        return [(a["element"], a["store"], a["rule"], a["outcome"]) for a in m["attempts"]]


class Chains(StoreSandbox):
    def test_single_store_used_in_place(self):
        self.store("S", fixture("app.pdb"))
        img = self.image()
        m = self.find_one("-y", "srv*S", img, status=0)
        self.assertEqual(m["result"]["file"], self.entry("S"))
        self.assertEqual(m["result"]["location"], "S\\app.pdb\\" + self.key + "\\app.pdb")
        self.assertFalse(os.path.exists(self.home), "a single local store copies nowhere")

    def test_two_and_three_stores_copy_into_every_downstream_store(self):
        img = self.image()
        self.store("up", fixture("app.pdb"))
        m = self.find_one("-y", "srv*down*up", img, status=0)
        self.assertEqual(m["result"]["file"], self.entry("down"))
        self.assertIn((0, 0, "copy", "copied"), self.outcomes(m))
        with open(self.entry("down"), "rb") as a, open(fixture("app.pdb"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        m = self.find_one("-y", "srv*a*b*up", img, status=0)
        self.assertEqual(m["result"]["file"], self.entry("a"))
        copies = [(a["store"], a["outcome"]) for a in m["attempts"] if a["rule"] == "copy"]
        self.assertEqual(copies, [(1, "copied"), (0, "copied")])
        self.assertTrue(os.path.exists(self.entry("b")))
        # Now found in the leftmost store: nothing is copied again.
        m = self.find_one("-y", "srv*a*b*up", img, status=0)
        self.assertEqual([a["outcome"] for a in m["attempts"] if a["element"] == 0],
                         ["found"])
        self.assertEqual(self.verify(self.path("a"), self.path("b"))[0], 0)

    def test_default_downstream_store(self):
        img = self.image()
        self.store("up", fixture("app.pdb"))
        for path in ("srv**up", "srv*up*"):
            with self.subTest(path=path):
                m = self.find_one("-y", path, img, status=0)
                default = os.path.join(self.home, "sym")
                if path == "srv**up":
                    self.assertTrue(m["result"]["file"].startswith(default))

    def test_compressed_file_decompressed_into_the_leftmost_only(self):
        pd_ = os.path.join(CORPUS, "cab", "basic32.pd_")
        if not os.path.exists(pd_):
            self.skipTest(f"corpus not found at {CORPUS}")
        dll = os.path.join(CORPUS, "cab", "basic32.dll")
        key = identity(dll)["pdb_key"]
        self.store("up", pd_, file="basic32.pdb", key=key, entry="basic32.pd_")
        m = self.find_one("-y", "srv*left*mid*up", dll, status=0)
        left = self.path("left", "basic32.pdb", key, "basic32.pdb")
        mid = self.path("mid", "basic32.pdb", key, "basic32.pd_")
        self.assertEqual(m["result"]["file"], left)
        self.assertEqual(m["result"]["symbols"], "private symbols & lines")
        self.assertTrue(os.path.exists(mid), "the mid-level store keeps it compressed")
        self.assertFalse(os.path.exists(self.path("mid", "basic32.pdb", key, "basic32.pdb")))
        self.assertEqual(identity(left)["pdb_key"], key)
        # A single store holding a compressed file: through the default downstream store.
        m = self.find_one("-y", "srv*up", dll, status=0)
        self.assertEqual(m["result"]["file"],
                         os.path.join(self.home, "sym", "basic32.pdb", key, "basic32.pdb"))
        self.assertEqual(self.verify(self.path("left"), self.path("mid"),
                                     os.path.join(self.home, "sym"))[0], 0)

    def test_favor_compressed(self):
        pd_ = os.path.join(CORPUS, "cab", "basic32.pd_")
        if not os.path.exists(pd_):
            self.skipTest(f"corpus not found at {CORPUS}")
        dll = os.path.join(CORPUS, "cab", "basic32.dll")
        key = identity(dll)["pdb_key"]
        self.store("up", pd_, file="basic32.pdb", key=key, entry="basic32.pd_")
        m = self.find_one("-o", "favor_compressed", "-y", "srv*down*up", dll, status=0)
        up = [a["rule"] for a in m["attempts"] if a["element"] == 0 and a["store"] == 1]
        self.assertEqual(up[0], "store-compressed")

    def test_two_tier_stores(self):
        img = self.image()
        self.store("up2", fixture("app.pdb"), tiers=2)
        self.store("down2", tiers=2)
        m = self.find_one("-y", "srv*down2*up2", img, status=0)
        self.assertEqual(m["result"]["file"], self.entry("down2", tiers=2))
        rc, out, _ = self.symscope("path", "--json", "srv*down2*up2")
        self.assertEqual([s["tiers"] for s in json.loads(out)["elements"][0]["stores"]], [2, 2])

    def test_store_file_with_the_wrong_identity(self):
        img = self.image()
        self.store("up", fixture("variant/app.pdb"))
        self.store("good", fixture("app.pdb"))
        m = self.find_one("-y", "srv*up;srv*good", img, status=0)
        self.assertIn((0, 0, "store", "mismatch"), self.outcomes(m))
        self.assertEqual(m["result"]["element"], 1)


class CacheElements(StoreSandbox):
    def test_cache_before_and_after_other_elements(self):
        img = self.image()
        self.put(fixture("app.pdb"), "E", "app.pdb")
        m = self.find_one("-y", "cache*C;E", img, status=0)
        cached = [a for a in m["attempts"] if a["outcome"] == "cached"]
        self.assertEqual(len(cached), 1)
        self.assertEqual(cached[0]["source"], "E\\app.pdb")
        self.assertEqual(m["result"]["file"], self.entry("C"))
        # Next time the cache itself has it.
        m = self.find_one("-y", "cache*C;E", img, status=0)
        self.assertEqual(m["result"]["element"], 0)
        self.assertNotIn("cached", [a["outcome"] for a in m["attempts"]])
        # A cache to the right of the element that found it is not written.
        m = self.find_one("-y", "E;cache*C2", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("E", "app.pdb"))
        self.assertFalse(os.path.exists(self.path("C2")))

    def test_cache_is_searched_as_a_store(self):
        img = self.image()
        self.store("C", fixture("app.pdb"))
        m = self.find_one("-y", "cache*C", img, status=0)
        self.assertEqual(m["result"]["file"], self.entry("C"))
        self.assertEqual(m["attempts"][-1]["rule"], "store")

    def test_empty_cache_is_the_default_store(self):
        img = self.image()
        self.put(fixture("app.pdb"), "E", "app.pdb")
        m = self.find_one("-y", "cache*;E", img, status=0)
        self.assertTrue(m["result"]["file"].startswith(os.path.join(self.home, "sym")))

    def test_seed_example(self):
        """The DbgHelp documentation's own example: cache*c:\\myCache;srv*\\\\symbols\\symbols
        with ntdll.pdb only in the upstream store."""
        dll = self.path("img", "ntdll.dll")
        os.makedirs(self.path("img"))
        forge("pe", fixture("app.exe"), dll, SEED_GUID, 2, "ntdll.pdb")
        os.makedirs(self.path("up", "ntdll.pdb", SEED_KEY))
        src = self.path("up", "ntdll.pdb", SEED_KEY, "ntdll.pdb")
        forge("pdb", fixture("app.pdb"), src, SEED_GUID, 2)
        os.makedirs(self.path("c", "myCache"))
        os.makedirs(self.path("cwd"))
        size = os.path.getsize(src)
        args = ["find", "--profile", "documented", "--map", "C:=" + self.path("c"), "--map",
                "\\\\symbols\\symbols=" + self.path("up"), "-y",
                "cache*c:\\myCache;srv*\\\\symbols\\symbols", dll]
        p = subprocess.run([SYMSCOPE, *args], capture_output=True, text=True,
                           cwd=self.path("cwd"), env=self.env)
        self.assertEqual(p.returncode, 0, p.stderr)
        log = p.stdout.split("\n\n")[0].splitlines()
        cached = f"c:\\myCache\\ntdll.pdb\\{SEED_KEY}\\ntdll.pdb"
        self.assertEqual(log, [
            "DBGHELP: .\\ntdll.pdb - file not found",
            "DBGHELP: .\\dll\\ntdll.pdb - file not found",
            "DBGHELP: .\\symbols\\dll\\ntdll.pdb - file not found",
            f"SYMSRV:  {cached} not found",
            f"SYMSRV:  ntdll.pdb from \\\\symbols\\symbols: {size} bytes - copied",
            f"DBGHELP: {cached} already cached",
            "DBGHELP: ntdll - private symbols & lines",
            f"        {cached}",
        ])
        landed = self.path("c", "myCache", "ntdll.pdb", SEED_KEY, "ntdll.pdb")
        self.assertEqual(identity(landed)["pdb_key"], SEED_KEY)

    def test_poisoned_cache_is_never_a_clean_load(self):
        """A cache holding another PDB at the key, the good one in a later element: native ends
        as DbgHelp 10 does (the cache's file shadows the good one) and says why and what fixes
        it; documented replaces the entry safely. No profile reports the rejected file."""
        img = self.image()
        self.store("C", fixture("variant/app.pdb"))
        self.put(fixture("app.pdb"), "G", "app.pdb")
        bad_key = identity(fixture("variant/app.pdb"))["pdb_key"]
        m = self.find_one("--profile", "native", "-y", "cache*C;G", img, status=1)
        self.assertNotEqual(m["result"]["status"], "found")
        self.assertIn(m["result"]["symbols"], ("export symbols", "no symbols"))
        quirks = [a["detail"] for a in m["attempts"] if a["rule"] == "quirk"]
        self.assertTrue(quirks, m["attempts"])
        self.assertIn("Fix: remove " + self.path("C", "app.pdb", self.key), quirks[-1])
        self.assertEqual(identity(self.entry("C"))["pdb_key"], bad_key, "the cache was changed")
        rc, out, _ = self.symscope("find", "--profile", "native", "-y", "cache*C;G", img)
        self.assertEqual(rc, 1)
        self.assertIn(f"DBGHELP: Couldn't load mismatched pdb for {img}", out)
        self.assertIn("SYMSCOPE:  DbgHelp quirk: the cache holds another file", out)
        m = self.find_one("--profile", "documented", "-y", "cache*C;G", img, status=0)
        self.assertEqual(m["result"]["file"], self.entry("C"))
        self.assertEqual(identity(self.entry("C"))["pdb_key"], self.key)
        cached = [a for a in m["attempts"] if a["outcome"] == "cached"]
        self.assertIn("replaced", cached[0]["detail"])

    def test_native_cache_feeds_a_chain_without_downstream_store(self):
        img = self.image()
        self.store("up", fixture("app.pdb"))
        m = self.find_one("--profile", "native", "-y", "cache*C;srv*up", img, status=0)
        self.assertEqual(m["result"]["file"], self.entry("C"))
        self.assertFalse(os.path.exists(os.path.join(self.home, "sym")))


class Pointers(StoreSandbox):
    def pointer(self, store, text):
        d = self.path(store, "app.pdb", self.key)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "file.ptr"), "w") as f:
            f.write(text)

    def test_path_pointers(self):
        img = self.image()
        self.put(fixture("app.pdb"), "builds", "app.pdb")
        self.pointer("S", "PATH:" + self.path("builds", "app.pdb"))
        m = self.find_one("-y", "srv*S", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("builds", "app.pdb"))
        # Relative to the pointer, without PATH:, and copied into the downstream store.
        self.pointer("R", "../../../builds/app.pdb")
        m = self.find_one("-y", "srv*down*R", img, status=0)
        self.assertEqual(m["result"]["file"], self.entry("down"))
        self.assertFalse(os.path.exists(self.path("down", "app.pdb", self.key, "file.ptr")))
        # Through a mapped drive.
        self.pointer("W", "PATH:Z:\\app.pdb")
        m = self.find_one("--map", "Z:=" + self.path("builds"), "-y", "srv*W", img, status=0)
        self.assertEqual(m["result"]["file"], self.path("builds", "app.pdb"))

    def test_msg_pointer_is_the_reason(self):
        img = self.image()
        self.pointer("S", "MSG:withdrawn by the build team")
        rc, out, _ = self.symscope("find", "-y", "srv*S", img)
        self.assertEqual(rc, 1)
        self.assertIn("withdrawn by the build team", out)
        m = self.find_one("-y", "srv*S", img, status=1)
        ptr = [a for a in m["attempts"] if a["rule"] == "store-pointer"][0]
        self.assertEqual((ptr["outcome"], ptr["detail"]),
                         ("not-found", "withdrawn by the build team"))

    def test_pointer_loops_and_directories(self):
        img = self.image()
        self.pointer("L", "PATH:" + self.path("L2", "file.ptr"))
        os.makedirs(self.path("L2"))
        with open(self.path("L2", "file.ptr"), "w") as f:
            f.write("PATH:" + self.entry("L", name="file.ptr"))
        m = self.find_one("-y", "srv*L", img, status=1)
        ptr = [a for a in m["attempts"] if a["rule"] == "store-pointer"][0]
        self.assertEqual(ptr["outcome"], "bad-content")
        self.assertIn("loop", ptr["detail"])
        self.pointer("D", "PATH:" + self.path("builds"))
        os.makedirs(self.path("builds"))
        m = self.find_one("-y", "srv*D", img, status=1)
        ptr = [a for a in m["attempts"] if a["rule"] == "store-pointer"][0]
        self.assertIn("is a directory", ptr["detail"])


class Pingme(StoreSandbox):
    def test_detection_on_and_off(self):
        img = self.image()
        self.store("P", fixture("app.pdb"), pingme=True)
        rc, out, _ = self.symscope("path", "--json", "P")
        self.assertEqual(json.loads(out)["elements"][0]["kind"], "store")
        m = self.find_one("-y", "P", img, status=0)
        self.assertEqual(m["result"]["file"], self.entry("P"))
        m = self.find_one("-o", "disable_symsrv_autodetect", "-y", "P", img, status=1)
        self.assertEqual({a["rule"] for a in m["attempts"] if a["element"] == 0},
                         {"D", "D\\<ext>", "D\\symbols\\<ext>"})


class SafeWrites(StoreSandbox):
    profile = None  # the default profile: native
    def test_full_disk_is_an_outcome_and_the_search_goes_on(self):
        big = self.path("big.pdb")
        big_pdb(big, 4 << 20)
        self.store("up", big)
        img = self.image()

        def small_disk():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

        p = subprocess.run([SYMSCOPE, "find", "--json", "-y", "srv*down*up", img],
                           capture_output=True, text=True, cwd=self.tmp, env=self.env,
                           preexec_fn=small_disk)
        self.assertEqual(p.returncode, 0, p.stderr)
        m = json.loads(p.stdout)
        copy = [a for a in m["attempts"] if a["rule"] == "copy"][0]
        self.assertEqual(copy["outcome"], "skipped")
        self.assertIn("too large", copy["detail"].lower())
        self.assertEqual(m["result"]["file"], self.entry("up"))
        self.assertFalse(os.path.exists(self.entry("down")))
        self.assertEqual(self.verify(self.path("down"))[0], 0)

    def test_read_only_store_is_denied_and_the_search_goes_on(self):
        if os.geteuid() != 0 or not shutil_which("setpriv"):
            self.skipTest("needs root and setpriv to act as another user")
        self.store("up", fixture("app.pdb"))
        os.makedirs(self.path("ro"))
        img = self.image()
        os.chmod(self.tmp, 0o755)
        for d in ("img", "up"):
            subprocess.run(["chmod", "-R", "a+rX", self.path(d)])
        env = dict(self.env, SYMSCOPE_HOME=self.path("nohome"))
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            SYMSCOPE, "find", "--json", "-y", "srv*ro*up", img],
                           capture_output=True, text=True, cwd=self.tmp, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        m = json.loads(p.stdout)
        copy = [a for a in m["attempts"] if a["rule"] == "copy"][0]
        self.assertEqual(copy["outcome"], "denied")
        self.assertEqual(m["result"]["file"], self.entry("up"))

    def test_untrusted_names_never_leave_the_store(self):
        img = self.image(pdb_name="..\\..\\..\\escape.pdb")
        key = self.key
        self.put(fixture("app.pdb"), "up", "escape.pdb", key, "escape.pdb")
        m = self.find_one("-y", "srv*down*up", img, status=0)
        self.assertEqual(m["result"]["file"],
                         self.path("down", "escape.pdb", key, "escape.pdb"))
        self.assertFalse(os.path.exists(self.path("escape.pdb")))

    def test_two_processes_fetch_the_same_file(self):
        big = self.path("big.pdb")
        big_pdb(big, 32 << 20)
        self.store("up", big)
        img = self.image()
        for round_ in range(5):
            subprocess.run(["rm", "-rf", self.path("down")])
            cmd = [SYMSCOPE, "find", "--json", "-y", "srv*down*up", img]
            procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, cwd=self.tmp, env=self.env) for _ in range(2)]
            for p in procs:
                out, err = p.communicate(timeout=120)
                self.assertEqual(p.returncode, 0, err)
                self.assertEqual(json.loads(out)["result"]["status"], "found")
            self.assertEqual(self.verify(self.path("down"))[0], 0)
            names = os.listdir(self.path("down", "app.pdb", self.key))
            self.assertEqual(names, ["app.pdb"])


def shutil_which(name):
    import shutil
    return shutil.which(name)


REWRITE = os.path.join(ROOT, "tests", "tools", "msf_rewrite.py")


def big_pdb(path, extra):
    """app.pdb with `extra` more bytes of stream data (a larger copy takes longer)."""
    subprocess.run([sys.executable, REWRITE, "-q", "--add-stream-bytes", str(extra),
                    fixture("app.pdb"), path], check=True)


class CacheCommand(StoreSandbox):
    def plant(self):
        """A store with one entry of each fault and one good entry."""
        self.store("S", fixture("app.pdb"))
        good = identity(fixture("hello.pdb"))["pdb_key"]
        self.put(fixture("app.pdb"), "S", "hello.pdb", good, "hello.pdb")  # mismatched
        self.put(fixture("app.pdb"), "S", "zero.pdb", self.key, "zero.pdb")
        open(self.path("S", "zero.pdb", self.key, "zero.pdb"), "w").close()
        d = self.path("S", "page.pdb", self.key)
        os.makedirs(d)
        with open(os.path.join(d, "page.pdb"), "w") as f:
            f.write("<html><body>Sign in</body></html>")
        data = open(fixture("app.pdb"), "rb").read()
        d = self.path("S", "cut.pdb", self.key)
        os.makedirs(d)
        with open(os.path.join(d, "cut.pdb"), "wb") as f:
            f.write(data[:len(data) // 3])
        return {"hello.pdb": "mismatched", "zero.pdb": "zero-bytes",
                "page.pdb": "not-a-symbol-file", "cut.pdb": "truncated", "app.pdb": "valid"}

    def test_verify_finds_every_planted_fault(self):
        want = self.plant()
        rc, out, _ = self.symscope("cache", "verify", "--json", self.path("S"))
        self.assertEqual(rc, 1)
        got = {e["file"]: e["state"] for e in json.loads(out)["entries"]}
        self.assertEqual(got, want)
        rc, out, _ = self.symscope("cache", "verify", "--fix", self.path("S"))
        self.assertEqual(rc, 1)
        self.assertEqual(out.count("moved aside: "), 4)
        self.assertTrue(os.path.exists(self.path("S", ".symscope-bad", "cut.pdb", self.key,
                                                 "cut.pdb")))
        rc, out, _ = self.symscope("cache", "verify", self.path("S"))
        self.assertEqual(rc, 0, out)

    def test_clean_store_and_corpus_symstore(self):
        self.store("S", fixture("app.pdb"))
        self.assertEqual(self.verify(self.path("S"))[0], 0)
        symstore = os.path.join(CORPUS, "symstore")
        if not os.path.isdir(symstore):
            self.skipTest(f"corpus not found at {CORPUS}")
        rc, out, _ = self.symscope("cache", "verify", "--json", symstore)
        self.assertEqual(rc, 1)
        entries = {e["name"]: e for e in json.loads(out)["entries"]}
        crash = entries["crash.pdb"]
        self.assertEqual((crash["key"], crash["format"], crash["state"]),
                         ("3249D99D0C4049318610F4E4FB0B69361", "cab", "not-a-symbol-file"))
        self.assertIn("Breakpad", crash["detail"])
        self.assertEqual(entries["notes.md"]["state"], "not-a-store-file")

    def test_ls_defaults_to_the_paths_caches(self):
        img = self.image()
        self.store("up", fixture("app.pdb"))
        self.find_one("-y", "cache*C;srv*down*up", img, status=0)
        rc, out, _ = self.symscope("cache", "ls", "--json", "-y", "cache*C;srv*down*up")
        self.assertEqual(rc, 0)
        stores = [json.loads(line) for line in out.splitlines()]
        self.assertEqual([s["store"] for s in stores], [self.path("C"), self.path("down")])
        self.assertEqual(stores[1]["entries"][0]["format"], "pdb70")
        self.assertEqual(stores[1]["bytes"], os.path.getsize(fixture("app.pdb")))

    def test_prune(self):
        self.plant()
        old = time.time() - 40 * 86400
        for name in ("hello.pdb", "zero.pdb"):
            p = self.path("S", name, os.listdir(self.path("S", name))[0], name)
            os.utime(p, (old, old))
        rc, out, _ = self.symscope("cache", "prune", "--older-than", "30d", "--dry-run",
                                   self.path("S"))
        self.assertEqual(rc, 0)
        self.assertEqual(out.count("would remove"), 3)  # two entries and the total line
        self.assertTrue(os.path.exists(self.path("S", "zero.pdb")))
        rc, out, _ = self.symscope("cache", "prune", "--older-than", "30d", self.path("S"))
        self.assertFalse(os.path.exists(self.path("S", "zero.pdb")))
        self.assertFalse(os.path.exists(self.path("S", "hello.pdb")))
        # Least recently used first, down to the size asked for.
        rc, out, _ = self.symscope("cache", "prune", "--max-size", "1", self.path("S"))
        self.assertEqual(os.listdir(self.path("S")), [])
        rc, _, err = self.symscope("cache", "prune", self.path("S"))
        self.assertEqual(rc, 2)


class KillDuringCopies(StoreSandbox):
    def test_sigkill_never_leaves_a_bad_final_file(self):
        big = self.path("big.pdb")
        big_pdb(big, 24 << 20)
        self.store("up", big)
        img = self.image()
        cmd = [SYMSCOPE, "find", "-y", "cache*C;srv*up", img]
        rng = __import__("random").Random(7)
        finished = killed = 0
        for i in range(100):
            subprocess.run(["rm", "-rf", self.path("C", "app.pdb")])
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 cwd=self.tmp, env=self.env)
            time.sleep(rng.uniform(0, 0.06))
            p.send_signal(signal.SIGKILL)
            p.wait()
            if p.returncode == -signal.SIGKILL:
                killed += 1
            else:
                finished += 1
            if not os.path.isdir(self.path("C")):
                continue  # killed before it created the cache: nothing written at all
            rc, out = self.verify(self.path("C"))
            self.assertEqual(rc, 0, f"round {i}: {out}")
        print(f"100 copies: {killed} killed, {finished} finished before the kill")
        self.assertGreater(killed, 20)


if __name__ == "__main__":
    unittest.main(verbosity=2)
