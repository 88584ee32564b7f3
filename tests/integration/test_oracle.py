"""The `native` profile against Microsoft DbgHelp/SymSrv 10.0.18362, scenario by scenario.

Each scenario of ../shared/oracle/scenarios/ (its README gives the format) is rebuilt in a
fresh directory, run with `symscope find --profile native`, and compared with what DbgHelp
did: the files probed in order, the HTTP requests and their headers, the final result, the
files written, and the noisy log line for line. Paths are compared in Unix form: DbgHelp saw
Z:\\tmp\\... where symscope was given /tmp/..., so both sides have their separators turned
into '/' and Z: dropped (Z: maps to /). Lines that Wine, not DbgHelp, caused
(`wine_artefacts`) are left out.

Where DbgHelp writes a file a store must never hold (an HTML page saved as x.pdb), symscope
writes nothing, and the log must name the quirk in a `SYMSCOPE:` line; such lines are
symscope's own and are not part of DbgHelp's log.

  test_oracle.py                 every scenario (a unittest per scenario)
  test_oracle.py --show NAME     one scenario: the differences, side by side
"""
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

from symscope_test import ROOT, SYMSCOPE, SKIP

ORACLE = os.environ.get("SYMSCOPE_ORACLE", os.path.join(ROOT, "..", "shared", "oracle"))
CORPUS = os.environ.get("SYMSCOPE_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))
CV = "/tmp/msor-cv"
WIN_CV = "Z:\\tmp\\msor-cv"


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


class Handler(http.server.SimpleHTTPRequestHandler):
    """Python's own file server, as the oracle used, recording each request."""
    protocol_version = "HTTP/1.1"

    def __init__(self, request, client_address, server):
        super().__init__(request, client_address, server, directory=server.root)

    def log_message(self, fmt, *args):
        pass

    def send_response(self, code, message=None):
        self.server.requests.append({"method": self.command, "path": self.path, "status": code,
                                     "headers": list(self.headers.items())})
        super().send_response(code, message)


class Scenario:
    def __init__(self, path):
        with open(path) as f:
            self.data = json.load(f)
        self.name = self.data["name"]
        self.setup = self.data["setup"]
        self.oracle = self.data["oracle"]

    # ---- building the world ----

    def build(self, tmp):
        self.tmp = tmp
        self.r = os.path.join(tmp, "r")
        self.c = os.path.join(tmp, "c")
        self.home = os.path.join(tmp, "h")
        self.www = os.path.join(tmp, "www")
        env = self.setup["env"]
        self.sym = self.url = self.host = None
        self.sym = (self.unix(env["DBGHELP_HOMEDIR"]) + "/sym" if "DBGHELP_HOMEDIR" in env
                    else self.home + "/sym")
        self.url = self.host = None
        for d in (self.r, self.c, self.www):
            os.makedirs(d)
        shutil.rmtree(CV, ignore_errors=True)
        self.server = None
        if self.setup["http"] is not None:
            self.server = Server(("127.0.0.1", 0), Handler)
            self.server.root = self.www
            self.server.requests = []
            port = self.server.server_address[1]
            self.url, self.host = "http://127.0.0.1:%d" % port, "127.0.0.1:%d" % port
            threading.Thread(target=self.server.serve_forever, daemon=True).start()
        for entry in self.setup["tree"]:
            self.apply(entry, self.unix)
        if self.server:
            for entry in self.setup["http"]["tree"]:
                self.apply(entry, lambda p: os.path.join(self.www, p))
        self.cwd = self.unix(self.setup["cwd"])
        os.makedirs(self.cwd, exist_ok=True)

    def close(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
        shutil.rmtree(CV, ignore_errors=True)

    def subst(self, text, windows):
        """Expands the placeholders; windows: DbgHelp's notation (Z:\\...)."""
        def win(p):
            return "Z:" + p.replace("/", "\\")
        table = {"{R}": self.r, "{SYM}": self.sym or "", "{CV}": CV, "{C}": self.c,
                 "{URL}": self.url or "", "{HOST}": self.host or ""}
        if windows:
            table = {k: (win(v) if k in ("{R}", "{SYM}") else v) for k, v in table.items()}
            table["{CV}"], table["{C}"] = WIN_CV, "C:"
        for k, v in table.items():
            text = text.replace(k, v)
        if "{CWD}" in text:
            text = text.replace("{CWD}", self.unix(self.setup["cwd"]))
        return text

    def unix(self, text):
        return self.subst(text, False)

    def source(self, ref):
        if ref.startswith("corpus:"):
            return os.path.join(CORPUS, ref[len("corpus:"):])
        return os.path.join(ORACLE, ref)

    def apply(self, entry, where):
        if "dir" in entry:
            os.makedirs(where(entry["dir"]), exist_ok=True)
            return
        dst = where(entry["path"])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if "from" in entry:
            shutil.copyfile(self.source(entry["from"]), dst)
        elif "text" in entry:
            with open(dst, "w", newline="") as f:
                f.write(self.subst(entry["text"], True))
        elif "cab_of" in entry:
            stage = tempfile.mkdtemp(dir=self.tmp)
            shutil.copyfile(self.source(entry["cab_of"]), os.path.join(stage, entry["member"]))
            subprocess.run(["gcab", "-c", "-z", "-n", dst, entry["member"]], cwd=stage, check=True)
            shutil.rmtree(stage)

    # ---- running symscope ----

    def command(self, json_out):
        s = self.setup
        cmd = [SYMSCOPE, "find", "--profile", "native", "--map", "C:=" + self.c, "--map", "Z:=/"]
        if "DBGHELP_HOMEDIR" not in s["env"]:
            cmd += ["--home", self.home]
        for o in s["options"]:
            cmd += ["-o", o]
        if not s["image_handle"]:
            cmd += ["--no-image-handle"]
        cmd += ["--json"] if json_out else ["-o", "debug"]
        if s["sympath"] is not None:
            cmd += ["-y", self.unix(s["sympath"])]
        cmd.append(self.unix(s["image"]))
        env = {k: v for k, v in os.environ.items()
               if k not in ("_NT_SYMBOL_PATH", "_NT_ALT_SYMBOL_PATH", "DBGHELP_HOMEDIR",
                            "SYMSCOPE_HOME", "XDG_CACHE_HOME", "http_proxy", "HTTP_PROXY")}
        env.update({k: self.unix(v) for k, v in s["env"].items()})
        return cmd, env

    def run(self, json_out):
        cmd, env = self.command(json_out)
        if self.server is None:
            # No server of ours: the run gets a network of its own (loopback only), so that a
            # symbol path naming an outside server sends nothing off this machine.
            cmd = ["unshare", "-n"] + cmd
        p = subprocess.run(cmd, cwd=self.cwd, env=env, capture_output=True, timeout=120)
        if p.returncode not in (0, 1) or b"runtime error" in p.stderr or b"Sanitizer" in p.stderr:
            raise AssertionError("%s exited %d\n%s" % (" ".join(cmd), p.returncode,
                                                      p.stderr.decode(errors="replace")))
        out = p.stdout.decode("utf-8", errors="surrogateescape")
        if json_out:
            return json.loads(out.splitlines()[0])
        lines = []
        parts = out.split("************* Symbol Loading Summary", 1)
        self.summary = parts[1] if len(parts) > 1 else ""
        for line in parts[0].split("\n"):
            lines.append(line)
        while lines and lines[-1] == "":
            lines.pop()
        return lines

    def snapshot(self):
        roots = [self.r, self.sym, CV, os.path.join(self.c, "msor", self.name), self.www]
        seen = {}
        for root in roots:
            for d, dirs, files in os.walk(root):
                for f in files:
                    p = os.path.join(d, f)
                    with open(p, "rb") as fh:
                        seen[p] = fh.read()
        return seen

    def requests(self):
        if not self.server:
            return []
        got = list(self.server.requests)
        self.server.requests.clear()
        return got


# ---- comparing ----

def redact(text):
    """Query values hidden, as symscope shows every URL (they carry tokens and signatures)."""
    def values(m):
        return "?" + "&".join(p.split("=", 1)[0] + "=***" if "=" in p else "***"
                              for p in m.group(1).split("&"))
    return re.sub(r"\?([^\s#]+)", values, text)


def norm(text):
    """A path-bearing line in Unix form: separators '/', drive Z: (the root) dropped, query
    values hidden."""
    return redact(text.replace("\\", "/").replace("Z:/", "/"))


def file_type(data):
    if data.startswith(b"Microsoft C/C++ MSF 7.00"):
        return "PDB"
    if data.startswith(b"MSCF"):
        return "CAB"
    if data.startswith(b"MZ"):
        return "PE"
    if len(data) < 40 and all(32 <= b < 127 or b in (9, 10, 13) for b in data):
        return "text"
    return None


def probes_of(attempts, names):
    """The file probes of symscope's attempts, in the oracle's terms (its README, step 4)."""
    out = []
    written = set()
    for a in attempts:
        if a["outcome"] in ("copied", "cached", "already-cached"):
            written.add(a.get("local"))
            continue
        if a.get("http_status") or a.get("local") in written:
            continue
        if a["step"] == "element" and a.get("rule", "").startswith("http"):
            continue
        local = a.get("local")
        if local is None:
            continue
        if os.path.basename(local).lower() not in names:
            continue
        exists = a["outcome"] in ("found", "mismatch", "bad-content")
        p = {"kind": "file", "what": "exists" if exists else "absent", "location": local}
        if not out or out[-1] != p:
            out.append(p)
    return out


def compare_log(sc, expected, artefacts, actual):
    """Returns a list of differences between DbgHelp's log and symscope's."""
    skip = {a["line"] for a in artefacts if "part" not in a}
    parts = {a["line"]: a["part"] for a in artefacts if "part" in a}
    want = []
    for i, line in enumerate(expected):
        if i in skip:
            continue
        text = norm(sc.unix(line).replace(WIN_CV, CV))
        if i in parts:
            # The length Wine hid, and the progress SymSrv animated without it (backspaces
            # and byte counts): symscope prints the real length and the end of the line.
            head, tail = text.split(parts[i], 1)
            tail = re.sub(r" - [\x08 0-9]*copied *$", " - copied", tail)
            want.append(("re", re.escape(head) + r"\d+ bytes" + re.escape(tail)))
        else:
            want.append(("eq", text))
    got = [norm(line) for line in actual if not line.startswith("SYMSCOPE:")]
    diffs = []
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else None
        g = got[i] if i < len(got) else None
        ok = w is not None and g is not None and (
            g == w[1] if w[0] == "eq" else re.fullmatch(w[1], g) is not None)
        if not ok:
            diffs.append("log line %d:\n  want %r\n  got  %r" % (i, w[1] if w else None, g))
            break
    return diffs


def quirk_files(sc, files):
    """Files DbgHelp left under a symbol file's name that are not that kind of file."""
    bad = []
    for f in files:
        name = f["path"].lower()
        if f["change"] == "+" and name.endswith((".pdb", ".dbg")) and \
                f["type"] not in ("PDB", "CAB"):
            bad.append(f)
    return bad


def check(sc, show=False):
    diffs = []
    runs = sc.setup["runs"]
    names = set(sc.oracle["probe_names"])
    stages = [sc.oracle] + sc.oracle.get("more_runs", [])

    # Pass 1: the JSON attempts give the probes.
    with tempfile.TemporaryDirectory(prefix="symscope-oracle-") as tmp:
        sc.build(tmp)
        try:
            for k in range(runs):
                got = sc.run(True)
                want_probes = [dict(p, location=sc.unix(p["location"]))
                               for p in stages[k]["probes"] if p["kind"] == "file"]
                got_probes = probes_of(got["attempts"], names)
                if got_probes != want_probes:
                    diffs.append("run %d probes:\n  want %s\n  got  %s" % (
                        k + 1, "\n       ".join("%s %s" % (p["what"], p["location"])
                                                for p in want_probes),
                        "\n       ".join("%s %s" % (p["what"], p["location"])
                                         for p in got_probes)))
                sc.requests()
        finally:
            sc.close()

    # Pass 2: the noisy log, the requests and the files written.
    with tempfile.TemporaryDirectory(prefix="symscope-oracle-") as tmp:
        sc.build(tmp)
        try:
            before = sc.snapshot()
            for k in range(runs):
                log = sc.run(False)
                st = stages[k]
                diffs += ["run %d %s" % (k + 1, d)
                          for d in compare_log(sc, st["log"], st["wine_artefacts"], log)]
                reqs = sc.requests()
                want = [(r["method"], sc.unix(r["path"]), r["status"]) for r in st["http_requests"]]
                have = [(r["method"], r["path"], r["status"]) for r in reqs]
                if want != have:
                    diffs.append("run %d requests:\n  want %s\n  got  %s" % (k + 1, want, have))
                for r_want, r_got in zip(st["http_requests"], reqs):
                    wanted = [(n, sc.unix(v)) for n, v in r_want["headers"]
                              if n not in ("Accept-Encoding", "Connection")]
                    got_h = [(n, v) for n, v in r_got["headers"]
                             if n in {x for x, _ in wanted}]
                    if sorted(wanted) != sorted(got_h):
                        diffs.append("run %d headers of %s:\n  want %s\n  got  %s" % (
                            k + 1, r_got["path"], wanted, got_h))
                quirks = quirk_files(sc, sc.oracle["files_created"])
                if quirks and k == 0 and not any(line.startswith("SYMSCOPE:  DbgHelp quirk")
                                                 for line in log):
                    diffs.append("run 1: DbgHelp wrote %s; the log must name the quirk" %
                                 quirks[0]["path"])
                if any(line.startswith("SYMSCOPE:  DbgHelp quirk") for line in log) and \
                        st["result"]["class"] in ("export symbols", "no symbols loaded") and \
                        "DbgHelp quirk" not in sc.summary:
                    diffs.append("run %d: the summary does not say which quirk" % (k + 1))
            after = sc.snapshot()
        finally:
            sc.close()
        neg = os.path.join(sc.home, "negative")
        got_files = []
        for p in sorted(set(before) | set(after)):
            if p.startswith(neg + "/"):
                continue
            if p not in before:
                change = "+"
            elif p not in after:
                change = "-"
            elif before[p] != after[p]:
                change = "~"
            else:
                continue
            data = after.get(p, b"")
            got_files.append((change, p, len(data), file_type(data)))
        quirks = {sc.unix(f["path"]) for f in quirk_files(sc, sc.oracle["files_created"])}
        def size(f):
            # A copy of a file the setup made here (a CAB from this machine's gcab) has the
            # size of that file.
            ref = f.get("same_as") or ""
            if ref.startswith("setup:"):
                return len(before.get(sc.unix(ref[len("setup:"):]), b"")) or f["size"]
            return f["size"]
        want_files = sorted((f["change"], sc.unix(f["path"]), size(f), f["type"])
                            for f in sc.oracle["files_created"]
                            if sc.unix(f["path"]) not in quirks)
        if sorted(got_files) != want_files:
            diffs.append("files written:\n  want %s\n  got  %s" % (want_files, sorted(got_files)))
    return diffs


def can_isolate():
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


def scenarios():
    d = os.path.join(ORACLE, "scenarios")
    return [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".json")]


class Oracle(unittest.TestCase):
    pass


def add_tests():
    for path in scenarios():
        name = os.path.basename(path)[:-5]

        def test(self, path=path):
            sc = Scenario(path)
            diffs = check(sc)
            self.assertFalse(diffs, "%s: %s\n%s" % (sc.name, sc.data["title"], "\n".join(diffs)))
        setattr(Oracle, "test_" + name, test)


if __name__ == "__main__":
    if not os.path.isdir(os.path.join(ORACLE, "scenarios")):
        print("SKIPPED: the DbgHelp oracle was not found at %s" % ORACLE)
        sys.exit(SKIP)
    if not can_isolate():
        print("SKIPPED: 'unshare -n' is not permitted here; the scenarios need a private network")
        sys.exit(SKIP)
    if len(sys.argv) > 2 and sys.argv[1] == "--show":
        sc = Scenario(os.path.join(ORACLE, "scenarios", sys.argv[2] + ".json"))
        print("\n".join(check(sc)) or "match")
        sys.exit(0)
    if len(sys.argv) > 1 and sys.argv[1] == "--summary":
        bad = []
        for path in scenarios():
            sc = Scenario(path)
            try:
                d = check(sc)
            except Exception as e:  # a crash is a failure of that scenario only
                d = ["error: %s" % str(e).splitlines()[-1]]
            if d:
                bad.append(sc.name)
                print("FAIL %-36s %s" % (sc.name, d[0].splitlines()[0]))
        print("%d of %d scenarios match" % (len(scenarios()) - len(bad), len(scenarios())))
        sys.exit(1 if bad else 0)
    add_tests()
    unittest.main(verbosity=2)
