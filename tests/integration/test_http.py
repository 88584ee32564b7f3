"""HTTP symbol stores against a real server on 127.0.0.1 (tests/tools/symserver.py) that
injects faults: every fault gives its documented outcome, and no store is left with a bad
file."""
import email.utils
import json
import os
import re
import subprocess
import sys
import time
import unittest

from symscope_test import CORPUS, ROOT, SYMSCOPE, fixture
from test_find import Sandbox, forge, identity

SERVER = os.path.join(ROOT, "tests", "tools", "symserver.py")

CONFIG = """
http:
  connect_timeout: 2s
  first_byte_timeout: 1500ms
  low_speed_bytes: 20000
  low_speed_time: 1s
  retries: 2
  retry_base: 50ms
  retry_max: 3s
{extra}
"""


class HttpSandbox(Sandbox):
    """The documentation's reading of HTTP stores unless a class says otherwise; what real
    SymSrv sends and logs (native) is held by test_oracle.py."""
    profile = "documented"

    def setUp(self):
        super().setUp()
        self.key = identity(fixture("app.pdb"))["pdb_key"]
        self.root = self.path("served")
        self.put(fixture("app.pdb"), "served", "app.pdb", self.key, "app.pdb")
        self.put(fixture("variant/app.pdb"), "served", "other", "variant.pdb")
        self.faults = self.path("faults.json")
        self.log = self.path("requests.log")
        self.set_faults({})
        self.server = subprocess.Popen(
            [sys.executable, SERVER, "--root", self.root, "--faults", self.faults, "--log",
             self.log], stdout=subprocess.PIPE, text=True)
        self.port = int(self.server.stdout.readline().split()[1])
        self.url = f"http://127.0.0.1:{self.port}/syms"
        self.config(" ")
        self.img = self.image()

    def tearDown(self):
        self.server.kill()
        self.server.wait()
        super().tearDown()

    def set_faults(self, faults):
        with open(self.faults, "w") as f:
            json.dump(faults, f)

    def config(self, extra):
        self.cfg = self.path("symscope.yaml")
        with open(self.cfg, "w") as f:
            f.write(CONFIG.format(extra=extra))

    def requests(self):
        if not os.path.exists(self.log):
            return []
        return [line.split("\t") for line in open(self.log).read().splitlines()]

    def find(self, *extra, path=None, status=None, module=None):
        path = path or f"srv*{self.path('down')}*{self.url}"
        return self.find_one("--config", self.cfg, *extra, "-y", path, module or self.img,
                             status=status)

    def http(self, m, rule="http"):
        return [a for a in m["attempts"] if a["rule"] == rule]

    def assert_clean(self):
        for d in ("down", "home/sym"):
            if os.path.isdir(self.path(d)):
                rc, out, _ = self.symscope("cache", "verify", self.path(d))
                self.assertEqual(rc, 0, out)


class Basics(HttpSandbox):
    def test_found_downloaded_and_cached(self):
        m = self.find(status=0)
        self.assertEqual(m["result"]["file"], self.path("down", "app.pdb", self.key, "app.pdb"))
        first = self.requests()
        self.assertEqual([r[0] for r in first],
                         ["/syms/index2.txt", f"/syms/app.pdb/{self.key}/app.pdb"])
        self.assertEqual(first[1][2], "Microsoft-Symbol-Server/10.1710.0.0")
        got = self.http(m)[0]
        self.assertEqual((got["outcome"], got["detail"]), ("found", "HTTP 200 OK"))
        self.assertEqual(got["location"], f"{self.url}/app.pdb/{self.key}/app.pdb")
        # Now the downstream store has it: no request at all.
        self.find(status=0)
        self.assertEqual(len(self.requests()), 2)
        self.assert_clean()

    def test_noisy_log(self):
        self.set_faults({"/syms/index2.txt": {"status": 404}})
        rc, out, _ = self.symscope("find", "--config", self.cfg, "-y",
                                   f"srv*{self.path('down')}*{self.url}", self.img)
        self.assertEqual(rc, 0)
        self.assertIn("SYMSRV:  HTTPGET: /syms/index2.txt\n"
                      "SYMSRV:  HttpQueryInfo: 80190194 - HTTP_STATUS_NOT_FOUND", out)
        self.assertIn(f"SYMSRV:  HTTPGET: /syms/app.pdb/{self.key}/app.pdb\n"
                      "SYMSRV:  HttpQueryInfo: 801900C8 - HTTP_STATUS_OK", out)
        self.assertIn(f"SYMSRV:  app.pdb from {self.url}: ", out)

    def test_single_http_store_goes_through_the_default_store(self):
        m = self.find(path=f"srv*{self.url}", status=0)
        self.assertEqual(m["result"]["file"],
                         os.path.join(self.home, "sym", "app.pdb", self.key, "app.pdb"))

    def test_query_string_stays_last(self):
        self.set_faults({"/syms/app.pdb/*": {"require_query": "sig=abc"},
                         "/syms/index2.txt*": {"status": 404}})
        m = self.find(path=f"srv*{self.path('down')}*{self.url}?sig=abc", status=0)
        self.assertIn(f"/syms/app.pdb/{self.key}/app.pdb?sig=abc",
                      [r[0] for r in self.requests()])
        self.assertEqual(m["result"]["status"], "found")

    def test_two_tier_store(self):
        tier = self.path("served", "ap")
        os.makedirs(tier)
        os.rename(self.path("served", "app.pdb"), os.path.join(tier, "app.pdb"))
        open(self.path("served", "index2.txt"), "w").close()
        m = self.find(status=0)
        self.assertEqual(self.http(m, "index2")[0]["outcome"], "found")
        self.assertIn(f"/syms/ap/app.pdb/{self.key}/app.pdb", [r[0] for r in self.requests()])

    def test_key_casing(self):
        lower = self.key.lower()
        os.rename(self.path("served", "app.pdb", self.key),
                  self.path("served", "app.pdb", lower))
        self.find(status=1)
        self.config(f"  stores:\n    - url: {self.url}\n      key_case: lower\n")
        m = self.find(status=0)
        self.assertIn(f"/syms/app.pdb/{lower}/app.pdb", [r[0] for r in self.requests()])
        self.assertEqual(m["result"]["status"], "found")

    def test_offline_and_disabled(self):
        m = self.find("--offline", status=1)
        self.assertEqual((self.http(m)[0]["outcome"], self.http(m)[0]["detail"]),
                         ("skipped", "offline"))
        self.config(f"  stores:\n    - url: {self.url}\n      disabled: true\n")
        m = self.find(status=1)
        self.assertEqual(self.http(m)[0]["detail"], "disabled in the configuration")
        self.assertEqual(self.requests(), [])

    def test_authentication_is_sent_never_printed(self):
        self.set_faults({"/syms/*": {"require_auth": "Bearer s3cret-token"}})
        m = self.find(status=1)
        self.assertEqual(self.http(m)[0]["outcome"], "denied")
        self.config(f"  stores:\n    - url: {self.url}\n      bearer: s3cret-token\n")
        rc, out, err = self.symscope("find", "--config", self.cfg, "-y",
                                     f"srv*{self.path('down')}*{self.url}", self.img)
        self.assertEqual(rc, 0)
        self.assertNotIn("s3cret", out + err)
        rc, out, err = self.symscope("find", "--json", "--config", self.cfg, "-y",
                                     f"srv*{self.path('down2')}*{self.url}", self.img)
        self.assertNotIn("s3cret", out + err)

    def test_basic_authentication_and_netrc(self):
        import base64
        token = base64.b64encode(b"reader:pa55word").decode()
        self.set_faults({"/syms/*": {"require_auth": f"Basic {token}"}})
        self.find(status=1)
        self.config(f"  stores:\n    - url: {self.url}\n      user: reader\n"
                    f"      password: pa55word\n")
        self.find(path=f"srv*{self.path('d1')}*{self.url}", status=0)
        # The same credentials from ~/.netrc.
        with open(self.path(".netrc"), "w") as f:
            f.write("machine 127.0.0.1 login reader password pa55word\n")
        os.chmod(self.path(".netrc"), 0o600)
        self.config("  netrc: true\n")
        env = dict(self.env, HOME=self.tmp)
        rc, out, err = self.symscope("find", "--json", "--config", self.cfg, "-y",
                                     f"srv*{self.path('d2')}*{self.url}", self.img, env=env)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("pa55word", out + err)


class Transport(HttpSandbox):
    def test_proxy_from_the_environment_and_the_configuration(self):
        # Nothing listens at 127.0.0.2:9: only the proxy (our server) can answer.
        far = "http://127.0.0.2:9/syms"
        m = self.find(path=f"srv*{self.path('d0')}*{far}", status=1)
        self.assertEqual(self.http(m, "index2")[0]["outcome"], "network")
        # An unreachable server is no 404: nothing is remembered as a miss.
        self.assertFalse(os.path.exists(os.path.join(self.home, "negative")))
        env = dict(self.env, http_proxy=f"http://127.0.0.1:{self.port}")
        env.pop("no_proxy", None)
        env.pop("NO_PROXY", None)
        rc, out, err = self.symscope("find", "--json", "--config", self.cfg, "-y",
                                     f"srv*{self.path('d1')}*{far}", self.img, env=env)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["result"]["status"], "found")
        self.config(f"  proxy: http://127.0.0.1:{self.port}\n")
        m = self.find(path=f"srv*{self.path('d2')}*{far}", status=0)
        self.assertEqual(m["result"]["status"], "found")

    def test_tls_verification_and_an_extra_ca(self):
        cert, key = self.path("cert.pem"), self.path("key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        tls = subprocess.Popen([sys.executable, SERVER, "--root", self.root, "--tls", cert, key],
                               stdout=subprocess.PIPE, text=True)
        try:
            port = int(tls.stdout.readline().split()[1])
            url = f"https://127.0.0.1:{port}/syms"
            m = self.find(path=f"srv*{self.path('t1')}*{url}", status=1)
            first = m["attempts"][[a["rule"] for a in m["attempts"]].index("index2")]
            self.assertEqual(first["outcome"], "network")
            self.assertIn("certificate", first["detail"].lower())
            self.config(f"  ca_file: {cert}\n")
            m = self.find(path=f"srv*{self.path('t2')}*{url}", status=0)
            self.assertEqual(m["result"]["status"], "found")
        finally:
            tls.kill()
            tls.wait()


class Faults(HttpSandbox):
    """One fault at a time on the PDB's own URL; the outcome of that request."""

    def outcome(self, fault, status=None, extra_config=None):
        if extra_config:
            self.config(extra_config)
        self.set_faults({f"/syms/app.pdb/{self.key}/app.pdb": fault})
        t0 = time.monotonic()
        m = self.find(status=status)
        self.elapsed = time.monotonic() - t0
        self.assert_clean()
        return self.http(m)[0], m

    def test_404(self):
        a, m = self.outcome({"status": 404}, status=1)
        self.assertEqual((a["outcome"], a["detail"]), ("not-found", "HTTP 404 Not Found"))
        self.assertEqual([x["outcome"] for x in m["attempts"] if x["rule"].startswith("http")],
                         ["not-found"] * 3)

    def test_401_and_403(self):
        self.assertEqual(self.outcome({"status": 401}, status=1)[0]["outcome"], "denied")
        self.assertEqual(self.outcome({"status": 403}, status=1)[0]["outcome"], "denied")

    def test_500(self):
        a, _ = self.outcome({"status": 500}, status=1)
        self.assertEqual(a["outcome"], "server-error")
        self.assertIn("earlier tries: 500", a["detail"])
        self.assertEqual(a["http_status"] if "http_status" in a else 500, 500)

    def test_503_with_retry_after(self):
        a, m = self.outcome({"status": 503, "retry_after": 1, "times": 1}, status=0)
        self.assertEqual(a["outcome"], "found")
        self.assertIn("503 (retried after 1000 ms)", a["detail"])
        self.assertGreaterEqual(self.elapsed, 1.0)

    def test_503_with_retry_after_as_a_date(self):
        # Retry-After may be an HTTP date: the loop waits until then (libcurl parses it).
        when = email.utils.formatdate(time.time() + 2, usegmt=True)
        a, _ = self.outcome({"status": 503, "retry_after": when, "times": 1}, status=0)
        self.assertEqual(a["outcome"], "found")
        waited = int(re.search(r"503 \(retried after (\d+) ms\)", a["detail"]).group(1))
        self.assertGreaterEqual(waited, 1000)
        self.assertLessEqual(waited, 3000)
        self.assertGreaterEqual(self.elapsed, 1.0)

    def test_backoff_does_not_hold_up_other_modules(self):
        # One module's back-off (2 s) is waited out by the client's loop; another module's
        # slow answer (0.5 s) arrives meanwhile and is taken at once, not after the back-off.
        self.put(fixture("app.pdb"), "served", "other.pdb", self.key, "other.pdb")
        other = self.image("other.pdb", where="img2")
        self.set_faults({f"/syms/app.pdb/{self.key}/app.pdb":
                         {"status": 503, "retry_after": 2, "times": 1},
                         f"/syms/other.pdb/{self.key}/other.pdb": {"first_byte_delay": 0.5}})
        ms = self.find_json("--config", self.cfg, "-j", "2", "-y",
                            f"srv*{self.path('down')}*{self.url}", self.img, other, status=0)
        app, oth = sorted(ms, key=lambda m: "other" in json.dumps(m["wanted"]))
        self.assertIn("retried after 2000 ms", self.http(app)[0]["detail"])
        took = self.http(oth)[0]["ms"]
        self.assertGreaterEqual(took, 400)
        self.assertLess(took, 1500)

    def test_429(self):
        a, _ = self.outcome({"status": 429, "times": 2}, status=0)
        self.assertEqual(a["outcome"], "found")
        self.assertIn("429", a["detail"])

    def test_slow_first_byte(self):
        a, _ = self.outcome({"first_byte_delay": 4}, status=1)
        self.assertEqual(a["outcome"], "network")
        self.assertIn("first byte", a["detail"])

    def test_slow_body(self):
        a, _ = self.outcome({"slow_body": 2000}, status=1)
        self.assertEqual(a["outcome"], "network")

    def test_truncated_body(self):
        a, _ = self.outcome({"truncate": 1000}, status=1)
        self.assertEqual(a["outcome"], "network")
        self.assertFalse(os.path.exists(self.path("down", "app.pdb", self.key, "app.pdb")))

    def test_reset_connection(self):
        a, _ = self.outcome({"reset": True}, status=1)
        self.assertEqual(a["outcome"], "network")

    def test_redirect_to_another_path(self):
        os.rename(self.path("served", "app.pdb"), self.path("served", "moved"))
        a, _ = self.outcome({"redirect": f"/syms/moved/{self.key}/app.pdb"}, status=0)
        self.assertEqual(a["outcome"], "found")

    def test_redirect_loop(self):
        a, _ = self.outcome({"redirect": f"/syms/app.pdb/{self.key}/app.pdb"}, status=1)
        self.assertEqual(a["outcome"], "network")
        self.assertIn("redirect loop", a["detail"])

    def test_html_page_with_200(self):
        a, _ = self.outcome({"html": True}, status=1)
        self.assertEqual(a["outcome"], "bad-content")
        self.assertIn("HTML", a["detail"])

    def test_pdb_with_another_guid(self):
        a, _ = self.outcome({"serve": "other/variant.pdb"}, status=1)
        self.assertEqual(a["outcome"], "mismatch")
        self.assertEqual(a["found"]["key"], identity(fixture("variant/app.pdb"))["pdb_key"])

    def test_gzip_content_encoding(self):
        a, _ = self.outcome({"gzip": True}, status=0)
        self.assertEqual(a["outcome"], "found")
        self.assertEqual(a["bytes"], os.path.getsize(fixture("app.pdb")))

    def test_body_over_the_maximum_size(self):
        a, _ = self.outcome({}, status=1, extra_config="  max_size: 4K\n")
        self.assertEqual(a["outcome"], "bad-content")
        self.assertIn("maximum size", a["detail"])


class NegativeCache(HttpSandbox):
    def test_misses_are_remembered_and_forgotten(self):
        self.set_faults({"/syms/app.pdb/*": {"status": 404}})
        self.find(status=1)
        n = len(self.requests())
        m = self.find(status=1)
        self.assertEqual(len(self.requests()), n, "a remembered miss asks nothing")
        a = self.http(m)[0]
        self.assertEqual(a["outcome"], "skipped")
        self.assertIn("remembered miss from 0 min ago", a["detail"])
        # Forgotten for that file: asked again.
        rc, out, _ = self.symscope("cache", "forget", "app.pdb")
        self.assertEqual(rc, 0, out)
        self.set_faults({})
        self.find(status=0)
        self.assertGreater(len(self.requests()), n)

    def test_ttl_zero_turns_it_off(self):
        self.config("  negative_ttl: 0\n")
        self.set_faults({"/syms/app.pdb/*": {"status": 404}})
        self.find(status=1)
        n = len(self.requests())
        self.find(status=1)
        self.assertGreater(len(self.requests()), n)


class ManyModules(HttpSandbox):
    def test_minidump_with_16_transfers(self):
        dump = os.path.join(CORPUS, "minidumps", "tiny-exe-with-cet-xsave.dmp")
        if not os.path.exists(dump):
            self.skipTest(f"corpus not found at {CORPUS}")
        modules = identity(dump)["modules"]
        for mod in modules:
            name = mod["pdb_file"].replace("\\", "/").split("/")[-1]
            d = self.path("served", name, mod["pdb_key"])
            os.makedirs(d, exist_ok=True)
            forge("pdb", fixture("app.pdb"), os.path.join(d, name), mod["codeview"]["guid"],
                  mod["codeview"]["age"])
        rc, out, err = self.symscope("find", "--json", "-j", "16", "--config", self.cfg, "-y",
                                     f"srv*{self.path('down')}*{self.url}", dump)
        self.assertEqual(rc, 0, err)
        results = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(len(results), len(modules))
        self.assertTrue(all(r["result"]["status"] == "found" for r in results))
        self.assertEqual(sum(1 for r in self.requests() if r[0] == "/syms/index2.txt"), 1)
        self.assert_clean()


class Terminal(HttpSandbox):
    """find on a terminal: the noisy log streams while a search runs, the progress shows on
    stderr, and Ctrl-C ends the run with a partial summary and status 130."""
    profile = None

    def test_streams_progress_and_ctrl_c(self):
        import pty
        import select
        import signal
        self.set_faults({"/syms/app.pdb/*": {"first_byte_delay": 60}})
        self.put(fixture("hello.pdb"), "L", "hello.pdb")
        dll = self.put(fixture("hello.dll"), "img", "hello.dll")
        cfg = self.path("slow.yaml")
        with open(cfg, "w") as f:
            f.write("http:\n  first_byte_timeout: 60s\n  retries: 0\n")
        args = [SYMSCOPE, "find", "--config", cfg, "-o", "ignore_cvrec", "-y",
                f"{self.path('L')};srv*{self.path('down')}*{self.url}", dll, self.img]
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(self.tmp)
            # As from an interactive shell (a test runner may have Ctrl-C ignored).
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.execve(SYMSCOPE, args, self.env)
        out = b""

        def read_until(text, seconds):
            nonlocal out
            end = time.time() + seconds
            while text.encode() not in out and time.time() < end:
                r, _, _ = select.select([fd], [], [], 0.2)
                if r:
                    try:
                        out += os.read(fd, 65536)
                    except OSError:
                        break
            return text.encode() in out

        try:
            # The first module is done and counted; the second's lines arrive while its
            # request is still waiting for the server.
            self.assertTrue(read_until("module 1 of 2", 20), out.decode(errors="replace"))
            self.assertTrue(read_until("HTTPGET: /syms/index2.txt", 20),
                            out.decode(errors="replace"))
            self.assertNotIn(b"Symbol Loading Summary", out)
            t0 = time.time()
            os.write(fd, b"\x03")
            self.assertTrue(read_until("interrupted", 20), out.decode(errors="replace"))
            _, status = os.waitpid(pid, 0)
            self.assertLess(time.time() - t0, 10, "Ctrl-C took long to end the run")
            self.assertTrue(os.WIFEXITED(status))
            self.assertEqual(os.WEXITSTATUS(status), 130)
            text = out.decode(errors="replace")
            summary = text.split("Symbol Loading Summary")[1]
            self.assertRegex(summary, r"hello\s+private symbols")
            self.assertIn("app", summary)
        finally:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            os.close(fd)
        self.assert_clean()


if __name__ == "__main__":
    unittest.main(verbosity=2)
