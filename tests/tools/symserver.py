#!/usr/bin/env python3
"""A symbol server on 127.0.0.1 for tests and benchmarks, with fault injection.

  symserver.py --root DIR [--prefix /syms] [--faults FAULTS.json] [--log LOG]
               [--delay-ms N] [--port 0] [--tls CERT KEY] [--die-with-parent]

Serves the files under DIR at http://127.0.0.1:PORT<prefix>/..., with HTTP/1.1 keep-alive
(https with --tls). It also answers requests in a proxy's absolute form
("GET http://other-host/syms/..."), so it can stand in for a forward proxy.
Prints "port N" on its first line once it listens. Each request is appended to LOG as
"<path>\\t<status>\\t<user-agent>\\t<authorization present>\\t<X-Api-Key or ->".

FAULTS is a JSON object read again on every request: request paths (fnmatch patterns, query
string included when the pattern has '?') to a fault:
  {"status": 503, "retry_after": 1}   answer with that status (and Retry-After)
  {"times": 2, ...}                   only the first 2 matching requests get the fault
  {"first_byte_delay": 5}             wait 5 s before answering
  {"slow_body": 1000}                 send the body at 1000 bytes per second
  {"truncate": 100}                   announce the whole body, send 100 bytes, close
  {"reset": true}                     close the connection without an answer (RST)
  {"redirect": "/other/path"}         302 to that path
  {"html": true}                      200 with an HTML page
  {"serve": "rel/path"}               200 with another file of DIR
  {"gzip": true}                      Content-Encoding: gzip
  {"require_auth": "Bearer token"}    401 unless Authorization is exactly that
  {"require_query": "sig=abc"}        404 unless the query string is that
"""
import argparse
import fnmatch
import gzip
import http.server
import json
import os
import socket
import struct
import sys
import threading
import time
import urllib.parse

HTML = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in</body></html>"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, status):
        if self.server.log_path:
            with self.server.log_lock, open(self.server.log_path, "a") as f:
                f.write("%s\t%s\t%s\t%s\t%s\n" % (self.path, status,
                                                  self.headers.get("User-Agent", ""),
                                                  "auth" if self.headers.get("Authorization")
                                                  else "-",
                                                  self.headers.get("X-Api-Key", "-")))

    def fault(self):
        path = self.path
        if not self.server.faults_path or not os.path.exists(self.server.faults_path):
            return {}
        with open(self.server.faults_path) as f:
            faults = json.load(f)
        bare = path.split("?")[0]
        for pattern, spec in faults.items():
            subject = path if "?" in pattern else bare
            if fnmatch.fnmatchcase(subject, pattern):
                times = spec.get("times")
                if times is not None:
                    with self.server.log_lock:
                        n = self.server.counts.get(pattern, 0)
                        self.server.counts[pattern] = n + 1
                    if n >= times:
                        return {}
                return spec
        return {}

    def send(self, status, body=b"", headers=(), slow=None, truncate=None):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.record(status)
        if truncate is not None:
            self.wfile.write(body[:truncate])
            self.wfile.flush()
            self.close_connection = True
            return
        if slow:
            for i in range(0, len(body), max(1, slow // 10)):
                self.wfile.write(body[i:i + max(1, slow // 10)])
                self.wfile.flush()
                time.sleep(0.1)
            return
        self.wfile.write(body)

    def do_GET(self):
        try:
            self.answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout under test): nothing to answer

    def answer(self):
        if self.path.startswith(("http://", "https://")):
            # A request sent to us as a proxy: serve it as if it were ours.
            self.path = "/" + self.path.split("://", 1)[1].split("/", 1)[1]
            self.server.proxied += 1
        if self.server.delay:
            time.sleep(self.server.delay)
        spec = self.fault()
        if spec.get("first_byte_delay"):
            time.sleep(spec["first_byte_delay"])
        if spec.get("reset"):
            self.record("reset")
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        want = spec.get("require_auth")
        if want and self.headers.get("Authorization") != want:
            return self.send(401, b"authentication required",
                             [("WWW-Authenticate", 'Bearer realm="symbols"')])
        url = urllib.parse.urlsplit(self.path)
        if spec.get("require_query") and url.query != spec["require_query"]:
            return self.send(404, b"no such query")
        if "status" in spec:
            headers = []
            if "retry_after" in spec:
                headers.append(("Retry-After", str(spec["retry_after"])))
            return self.send(spec["status"], b"fault", headers)
        if "redirect" in spec:
            return self.send(302, b"", [("Location", spec["redirect"])])
        if spec.get("html"):
            return self.send(200, HTML, [("Content-Type", "text/html")])
        rel = urllib.parse.unquote(url.path)
        if not rel.startswith(self.server.prefix + "/"):
            return self.send(404, b"not under the store prefix")
        rel = rel[len(self.server.prefix) + 1:]
        if "serve" in spec:
            rel = spec["serve"]
        full = os.path.realpath(os.path.join(self.server.root, rel))
        if not full.startswith(self.server.root + os.sep) or not os.path.isfile(full):
            return self.send(404, b"not found")
        with open(full, "rb") as f:
            body = f.read()
        headers = [("Content-Type", "application/octet-stream")]
        if spec.get("gzip"):
            body = gzip.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        self.send(200, body, headers, slow=spec.get("slow_body"), truncate=spec.get("truncate"))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--prefix", default="/syms")
    ap.add_argument("--faults")
    ap.add_argument("--log")
    ap.add_argument("--delay-ms", type=float, default=0)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--die-with-parent", action="store_true",
                    help="exit when the process that started it dies (a crashed test)")
    a = ap.parse_args()
    if a.die_with_parent:
        import ctypes
        import signal
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    srv = Server(("127.0.0.1", a.port), Handler)
    if a.tls:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.proxied = 0
    srv.root = os.path.realpath(a.root)
    srv.prefix = a.prefix.rstrip("/")
    srv.faults_path = a.faults
    srv.log_path = a.log
    srv.log_lock = threading.Lock()
    srv.counts = {}
    srv.delay = a.delay_ms / 1000.0
    print("port %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
