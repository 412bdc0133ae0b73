#!/usr/bin/env python3
"""A small HTTP server on 127.0.0.1 that plays the misbehaving web for the
fetch tests: redirect chains, error statuses, a slow page, an oversized body,
pages in odd charsets, gzip, images that fail, and redirects to file:.

It counts the requests it receives per path, so a test can check that an
image named twice was fetched once.

Run by fetch_test.py in a thread of the test process, or on its own:
    python3 server.py [--port-file FILE] [--lifetime SECONDS]
Either way it binds only 127.0.0.1, on a port the kernel picks, and it is
bounded in time: every handler finishes within seconds, and the whole
server stops after its lifetime (120 s by default) even if nobody stops it.
"""
import argparse
import gzip
import http.server
import os
import ssl
import struct
import sys
import threading
import time
import zlib

HOST = "127.0.0.1"
DEFAULT_LIFETIME = 120.0
SLOW_SECONDS = 10.0     # longer than the timeout the slow test sets (2 s)
BIG_BYTES = 3 << 20     # larger than the --max-download the test sets (1 MiB)


def png(rgb, size=4):
    """A valid PNG of size x size pixels, all of colour rgb."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    row = b"\x00" + bytes(rgb) * size
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * size))
            + chunk(b"IEND", b""))


IMAGES = {
    "/img/red.png": png((220, 30, 30)),
    "/img/green.png": png((30, 200, 30)),
    "/img/blue.png": png((30, 30, 220)),
}

# A paragraph long enough that the article extractor keeps it as content.
FILLER = ("The harbour was quiet that morning, and the boats lay still on water "
          "the colour of slate while the fishermen mended their nets and talked "
          "about the weather that had kept them ashore for most of the week. ")


def article(title, body_html, head_extra=""):
    return ("<!DOCTYPE html>\n<html><head>%s<title>%s</title></head><body><article>"
            "<h1>%s</h1><p>%s</p>%s<p>%s</p></article></body></html>\n"
            % (head_extra, title, title, FILLER * 2, body_html, FILLER * 2))


# Pages. Their text names what each test looks for.
PAGE_FINAL = article("Arrived safely", "<p>REDIRECT-TARGET-TEXT reached after the chain.</p>")

PAGE_CP1252 = article(
    "Caf\u00e9 prices",
    "<p>Na\u00efve r\u00e9sum\u00e9 \u2014 \u201cquoted\u201d \u20ac5 at the caf\u00e9.</p>",
).encode("cp1252")

PAGE_NO_CHARSET = article(
    "Plain page", "<p>Only ASCII text here: NO-CHARSET-MARKER.</p>").encode("ascii")

PAGE_UTF8_NO_CHARSET = article(
    "Unlabelled UTF-8", "<p>Gr\u00fc\u00dfe aus K\u00f6ln \u2014 UTF8-MARKER.</p>").encode("utf-8")

PAGE_GZIP = article("Compressed story", "<p>GZIP-MARKER survived the inflation.</p>")


def images_page():
    # red twice (once relative, once absolute), a srcset-only green, a lazy
    # blue, and two that fail: a 404 and a 500.
    return article("Gallery", (
        '<figure><img src="/img/red.png" alt="ALT-RED-ONE"></figure>'
        '<figure><img src="http://{host}/img/red.png" alt="ALT-RED-TWO"></figure>'
        '<figure><img srcset="img/green.png 2x" alt="ALT-GREEN"></figure>'
        '<figure><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        'data-src="/img/blue.png" alt="ALT-BLUE"></figure>'
        '<figure><img src="/img/missing.png" alt="ALT-MISSING"></figure>'
        '<figure><img src="/img/broken.png" alt="ALT-BROKEN"></figure>'))


def local_refs_page():
    # Every way a remote page might point at a local file.
    return article("Local references", (
        '<figure><img src="file:///etc/passwd" alt="ALT-FILE-URL"></figure>'
        '<figure><img src="/etc/passwd" alt="ALT-ABSOLUTE"></figure>'
        '<figure><img src="../../../../etc/passwd" alt="ALT-DOTDOT"></figure>'
        '<figure><img src="file:/etc/hostname" alt="ALT-FILE-SHORT"></figure>'
        '<figure><img src="/img/green.png" alt="ALT-FINE"></figure>'))


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "octavo-test"
    protocol_version = "HTTP/1.1"
    timeout = 5  # a client that stops talking cannot hold a thread

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("server: " + (fmt % args) + "\n")

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, location, status=302):
        self.send(status, "moved\n", "text/plain", [("Location", location)])

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        self.server.count(path, self.headers.get("User-Agent", ""))
        host = "%s:%d" % (HOST, self.server.server_address[1])

        if path.startswith("/chain/"):
            # /chain/N redirects to /chain/N-1 ... /chain/0 is the page.
            try:
                n = int(path[len("/chain/"):])
            except ValueError:
                return self.send(400, "bad chain\n", "text/plain")
            if n <= 0:
                return self.send(200, PAGE_FINAL)
            return self.redirect("/chain/%d" % (n - 1))
        if path.startswith("/status/"):
            code = int(path[len("/status/"):] or "500")
            return self.send(code, "<html><body>error %d</body></html>" % code)
        if path == "/slow":
            # Sends headers, then dribbles nothing for SLOW_SECONDS; checks
            # for shutdown so the thread never outlives the server.
            deadline = time.monotonic() + SLOW_SECONDS
            while time.monotonic() < deadline and not self.server.stopping.is_set():
                time.sleep(0.1)
            return self.send(200, article("Too late", "<p>SLOW-MARKER</p>"))
        if path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(BIG_BYTES))
            self.end_headers()
            line = b"<p>" + b"x" * 1020 + b"</p>\n"
            sent = 0
            try:
                while sent < BIG_BYTES:
                    self.wfile.write(line)
                    sent += len(line)
            except OSError:
                pass  # the client hung up at its limit, as it should
            return
        if path == "/big-chunked":
            # No Content-Length: the client only finds out while reading.
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            line = b"<p>" + b"y" * 1020 + b"</p>\n"
            sent = 0
            try:
                while sent < BIG_BYTES:
                    self.wfile.write(line)
                    sent += len(line)
            except OSError:
                pass
            return
        if path == "/cp1252":
            return self.send(200, PAGE_CP1252, "text/html; charset=windows-1252")
        if path == "/no-charset":
            return self.send(200, PAGE_NO_CHARSET, "text/html")
        if path == "/utf8-no-charset":
            return self.send(200, PAGE_UTF8_NO_CHARSET, "text/html")
        if path == "/no-content-type.html":
            return self.send(200, PAGE_UTF8_NO_CHARSET, None)
        if path == "/plain":
            # No extension: only the Content-Type says this is plain text.
            return self.send(200, "Plain heading\n\nTEXT-PLAIN-MARKER <b>not markup</b>\n",
                             "text/plain; charset=utf-8")
        if path == "/gzip-bomb":
            # A few kilobytes on the wire, BIG_BYTES once inflated.
            body = gzip.compress(b"<html><body><p>" + b"z" * BIG_BYTES + b"</p></body></html>")
            return self.send(200, body, "text/html; charset=utf-8", [("Content-Encoding", "gzip")])
        if path == "/gzip":
            if "gzip" not in self.headers.get("Accept-Encoding", ""):
                return self.send(406, "client did not offer gzip\n", "text/plain")
            return self.send(200, gzip.compress(PAGE_GZIP.encode("utf-8")),
                             "text/html; charset=utf-8", [("Content-Encoding", "gzip"),
                                                          ("Vary", "Accept-Encoding")])
        if path.startswith("http://"):
            # An absolute URI in the request line: octavo came through us as
            # its proxy (http_proxy from the environment).
            return self.send(200, article("Through the proxy", "<p>PROXY-MARKER</p>"))
        if path == "/img/redirect-to-file.png":
            return self.redirect("file:///etc/passwd")
        if path == "/img/slow.png":
            deadline = time.monotonic() + SLOW_SECONDS
            while time.monotonic() < deadline and not self.server.stopping.is_set():
                time.sleep(0.1)
            return self.send(200, IMAGES["/img/red.png"], "image/png")
        if path == "/img/huge.png":
            # A PNG signature, then far more bytes than the test allows.
            return self.send(200, IMAGES["/img/red.png"][:8] + b"\0" * BIG_BYTES, "image/png")
        if path == "/slow-image":
            return self.send(200, article("Slow image", (
                '<figure><img src="/img/slow.png" alt="ALT-SLOW"></figure>'
                '<figure><img src="/img/green.png" alt="ALT-QUICK"></figure>')))
        if path == "/huge-image":
            return self.send(200, article("Huge image", (
                '<figure><img src="/img/huge.png" alt="ALT-HUGE"></figure>'
                '<figure><img src="/img/green.png" alt="ALT-SMALL"></figure>')))
        if path == "/images":
            return self.send(200, images_page().replace("{host}", host))
        if path.startswith("/img/"):
            if path in IMAGES:
                return self.send(200, IMAGES[path], "image/png")
            if path == "/img/broken.png":
                return self.send(500, "boom\n", "text/plain")
            return self.send(404, "no such image\n", "text/plain")
        if path == "/local-refs/page":
            return self.send(200, local_refs_page())
        if path == "/to-file":
            return self.redirect("file:///etc/passwd")
        if path == "/to-ftp":
            return self.redirect("ftp://%s/x" % HOST)
        if path == "/img-to-file":
            return self.send(200, article("Image redirected", (
                '<figure><img src="/img/redirect-to-file.png" alt="ALT-REDIRECTED"></figure>')))
        if path == "/moved-base":
            return self.redirect("/deep/folder/story")
        if path == "/deep/folder/story":
            return self.send(200, article("Moved story", (
                '<figure><img src="pic.png" alt="ALT-RELATIVE"></figure>')))
        if path == "/deep/folder/pic.png":
            return self.send(200, IMAGES["/img/blue.png"], "image/png")
        if path == "/shutdown":
            self.send(200, "bye\n", "text/plain")
            self.server.stopping.set()
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            return
        return self.send(404, "<html><body>not found</body></html>")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def handle_error(self, request, client_address):
        # Clients that hang up early (timeouts, size limits) are the point
        # of several tests, not errors.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def __init__(self, verbose=False):
        super().__init__((HOST, 0), Handler)
        self.verbose = verbose
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.hits = {}
        self.user_agents = set()

    @property
    def base(self):
        return "http://%s:%d" % (HOST, self.server_address[1])

    def count(self, path, user_agent):
        with self._lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            self.user_agents.add(user_agent)

    def hits_of(self, path):
        with self._lock:
            return self.hits.get(path, 0)


class TLSServer(Server):
    """The same pages over https, with a certificate nobody trusts."""

    def __init__(self, certfile, keyfile, verbose=False):
        super().__init__(verbose)
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(certfile, keyfile)

    def get_request(self):
        # The handshake runs in the accepting thread: bounded, so that a
        # client that stalls mid-handshake cannot stop the server stopping.
        sock, addr = self.socket.accept()
        sock.settimeout(Handler.timeout)
        return self.tls.wrap_socket(sock, server_side=True), addr

    @property
    def base(self):
        return "https://%s:%d" % (HOST, self.server_address[1])


def start(lifetime=DEFAULT_LIFETIME, verbose=False, tls=None):
    """Starts a server in background threads; it stops itself after
    lifetime seconds. tls=(certfile, keyfile) serves https. Returns it;
    call stop(server) when done."""
    srv = TLSServer(*tls, verbose=verbose) if tls else Server(verbose)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1},
                     daemon=True).start()
    timer = threading.Timer(lifetime, lambda: stop(srv))
    timer.daemon = True
    timer.start()
    srv.lifetime_timer = timer
    return srv


def stop(srv):
    srv.stopping.set()
    srv.lifetime_timer.cancel()
    srv.shutdown()
    srv.server_close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", help="write the port number here once listening")
    ap.add_argument("--lifetime", type=float, default=DEFAULT_LIFETIME)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    srv = Server(args.verbose)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.replace(tmp, args.port_file)
    print(srv.base, flush=True)
    timer = threading.Timer(args.lifetime, srv.shutdown)
    timer.daemon = True
    timer.start()
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    srv.stopping.set()
    srv.server_close()


if __name__ == "__main__":
    main()
