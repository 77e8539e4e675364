#!/usr/bin/env python3
"""A local HTTP server for winnow's fetch and feed tests.

Binds 127.0.0.1 on a free port, writes the port to --port-file, and serves
until killed. Every case the HTTP service must handle has a path:

  /page/NAME            200 text/html with ETag and Last-Modified; honours
                        If-None-Match / If-Modified-Since with 304
  /redirect/NAME        302 -> /page/NAME
  /loop/a, /loop/b      a redirect loop
  /goto?to=URL          302 -> URL (absolute or relative, as given)
  /chain?n=N            302 -> /chain?n=N-1 ... /chain?n=0 -> /page/chain
  /status/CODE          that status (404, 410, 500...)
  /flaky/KEY?fail=N&code=503&after=1
                        the first N requests for KEY answer CODE (with
                        Retry-After: `after` seconds), then 200
  /slow?secs=S          headers, then one byte a second for S seconds
  /stall                headers and a few bytes, then nothing
  /reset                promises 1000 bytes, sends 100 and resets
  /big?mb=N             N MiB of text/html (Content-Length known)
  /bigchunked?mb=N      same, chunked (no length known up front)
  /gzip                 gzip-encoded text/html
  /charset/wrong        says charset=utf-8 but sends Latin-1
  /charset/none         text/html with no charset
  /pdf                  application/pdf
  /private/x            disallowed by robots.txt
  /robots.txt           Disallow: /private (404 with --no-robots, a 302 with
                        --robots-redirect URL)
  /files/PATH           a file from --root (feeds, sitemaps), with
                        ETag and 304 like /page; .gz served as is
  /stats                JSON: requests, max concurrent connections,
                        conditional requests seen, paths requested, the
                        shortest gap between two /page/ request arrivals,
                        and `proxied`: absolute URLs asked of it as a proxy
                        (a request line `GET http://host/path` is answered
                        from the path, whatever the host)
  /hold?ms=N            200 after N ms (concurrency tests)

Concurrency is measured on TCP connections (what a server sees), not on
requests: setup/finish of each connection's handler count them.
"""
import argparse
import gzip
import hashlib
import json
import os
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOCK = threading.Lock()
STATS = {"requests": 0, "conns": 0, "max_conns": 0, "conditional": 0,
         "not_modified": 0, "paths": {}, "agents": [], "proxied": []}
FLAKY = {}
LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "wn-test/1.0"

    def setup(self):
        super().setup()
        with LOCK:
            STATS["conns"] += 1
            STATS["max_conns"] = max(STATS["max_conns"], STATS["conns"])

    def finish(self):
        try:
            super().finish()
        finally:
            with LOCK:
                STATS["conns"] -= 1

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def conditional(self, body, ctype):
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm or ims:
            with LOCK:
                STATS["conditional"] += 1
        if (inm and inm == etag) or (not inm and ims == LAST_MODIFIED):
            with LOCK:
                STATS["not_modified"] += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send(200, body, ctype, [("ETag", etag), ("Last-Modified", LAST_MODIFIED)])

    def do_GET(self):
        u = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        p = u.path
        with LOCK:
            if u.scheme:
                STATS["proxied"].append(self.path)
            now = time.monotonic()
            if "last_start" in STATS and p.startswith("/page/"):
                gap = (now - STATS["last_start"]) * 1000
                STATS["min_gap_ms"] = min(STATS.get("min_gap_ms", 1e9), gap)
            if p.startswith("/page/"):
                STATS["last_start"] = now
            STATS["requests"] += 1
            STATS["paths"][p] = STATS["paths"].get(p, 0) + 1
            ua = self.headers.get("User-Agent", "")
            if ua not in STATS["agents"]:
                STATS["agents"].append(ua)
        try:
            self.route(p, q)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route(self, p, q):
        if p == "/stats":
            with LOCK:
                STATS["paths"]["/stats"] -= 1
                STATS["requests"] -= 1
                body = json.dumps(STATS).encode()
            return self.send(200, body, "application/json")
        if p == "/robots.txt":
            if self.server.robots_redirect:
                return self.send(302, b"", None, [("Location", self.server.robots_redirect)])
            if self.server.no_robots:
                return self.send(404, b"no robots", "text/plain")
            return self.send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
        if p.startswith("/page/"):
            name = p[6:]
            body = ("<html><head><title>Page %s</title></head><body><p>Text of %s.</p>"
                    "</body></html>" % (name, name)).encode()
            return self.conditional(body, "text/html; charset=utf-8")
        if p.startswith("/private/"):
            return self.send(200, b"<p>secret</p>")
        if p.startswith("/redirect/"):
            return self.send(302, b"", None, [("Location", "/page/" + p[10:])])
        if p == "/goto":
            return self.send(302, b"", None, [("Location", q["to"])])
        if p == "/chain":
            n = int(q.get("n", "0"))
            return self.send(302, b"", None,
                             [("Location", "/chain?n=%d" % (n - 1) if n > 0 else "/page/chain")])
        if p == "/loop/a":
            return self.send(302, b"", None, [("Location", "/loop/b")])
        if p == "/loop/b":
            return self.send(302, b"", None, [("Location", "/loop/a")])
        if p.startswith("/status/"):
            code = int(p[8:])
            return self.send(code, b"<p>status</p>")
        if p.startswith("/flaky/"):
            key = p[7:]
            with LOCK:
                n = FLAKY.get(key, 0)
                FLAKY[key] = n + 1
            if n < int(q.get("fail", "1")):
                hdr = [("Retry-After", q["after"])] if "after" in q else []
                return self.send(int(q.get("code", "503")), b"busy", "text/plain", hdr)
            return self.send(200, ("<p>flaky %s ok after %d</p>" % (key, n)).encode())
        if p == "/slow":
            secs = int(q.get("secs", "5"))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(secs))
            self.end_headers()
            for _ in range(secs):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
            return
        if p == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"<p>")
            self.wfile.flush()
            time.sleep(30)
            return
        if p == "/reset":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"x" * 100)
            self.wfile.flush()
            # SO_LINGER 0: close() sends a reset, not a clean end.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if p in ("/big", "/bigchunked"):
            mb = int(q.get("mb", "4"))
            chunk = b"<p>" + b"x" * 1020 + b"</p>\n"
            if p == "/big":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(chunk) * 1024 * mb))
                self.end_headers()
                for _ in range(1024 * mb):
                    self.wfile.write(chunk)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(1024 * mb):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
            return
        if p == "/gzip":
            body = gzip.compress(b"<html><body><p>compressed page</p></body></html>")
            return self.send(200, body, "text/html; charset=utf-8",
                             [("Content-Encoding", "gzip")])
        if p == "/charset/wrong":
            return self.send(200, "<p>caf\u00e9 cr\u00e8me</p>".encode("latin-1"),
                             "text/html; charset=utf-8")
        if p == "/charset/none":
            return self.send(200, b"<p>no charset</p>", "text/html")
        if p == "/pdf":
            return self.send(200, b"%PDF-1.4 fake", "application/pdf")
        if p == "/hold":
            time.sleep(int(q.get("ms", "100")) / 1000.0)
            return self.send(200, b"<p>held</p>")
        if p.startswith("/files/") and self.server.root:
            path = os.path.normpath(os.path.join(self.server.root, p[7:]))
            if not path.startswith(os.path.abspath(self.server.root)) or not os.path.isfile(path):
                return self.send(404, b"no such file", "text/plain")
            with open(path, "rb") as f:
                body = f.read()
            ctype = "application/gzip" if path.endswith(".gz") else \
                "application/rss+xml" if path.endswith(".rss") else \
                "application/atom+xml" if path.endswith(".atom") else "application/xml"
            return self.conditional(body, ctype)
        return self.send(404, b"not found", "text/plain")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--root", default=None)
    ap.add_argument("--no-robots", action="store_true")
    ap.add_argument("--robots-redirect", default=None,
                    help="answer /robots.txt with a 302 to this URL")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.request_queue_size = 128
    srv.root = os.path.abspath(a.root) if a.root else None
    srv.no_robots = a.no_robots
    srv.robots_redirect = a.robots_redirect
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
