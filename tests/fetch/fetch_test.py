#!/usr/bin/env python3
"""Fetch and reading-policy tests: octavo against a real HTTP server on
127.0.0.1 (server.py, run in a thread of this process and stopped at the
end), plus the local-file image policy and the many-articles book.

    python3 fetch_test.py --cli OCTAVO --work DIR CASE

Each CASE is one CTest test. Every octavo run has a time limit and the
server stops itself after its lifetime, so nothing here can hang.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402

RUN_TIMEOUT = 40   # seconds for one octavo run, sanitizers included
LIFETIME = 90      # the server's own limit for a whole case
PASSWD_LINE = re.compile(rb"root:[^:\n]*:0:0:")


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Case:
    def __init__(self, cli, work):
        self.cli = cli
        self.work = work
        self.srv = None

    @property
    def base(self):
        return self.srv.base

    def env(self, extra=None):
        env = dict(os.environ)
        # The tests talk to 127.0.0.1 directly unless a case sets a proxy.
        for k in list(env):
            if k.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
                del env[k]
        env.update(extra or {})
        return env

    def run(self, *args, env=None):
        """Runs octavo; returns (exit status, stdout bytes, stderr text)."""
        t0 = time.monotonic()
        p = subprocess.run([self.cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=self.env(env), cwd=self.work, timeout=RUN_TIMEOUT)
        err = p.stderr.decode("utf-8", "replace")
        self.last_seconds = time.monotonic() - t0
        print("$ octavo %s\n  -> %d in %.1f s%s" % (" ".join(args), p.returncode, self.last_seconds,
              "".join("\n  " + line for line in err.splitlines()[:12])))
        check("AddressSanitizer" not in err and "runtime error:" not in err
              and "LeakSanitizer" not in err, "sanitizer report")
        return p.returncode, p.stdout, err

    def convert_ok(self, *args, env=None):
        rc, out, err = self.run(*args, env=env)
        check(rc == 0, "expected success, got exit %d" % rc)
        return out, err

    def hits(self, path):
        return self.srv.hits_of(path)

    def path(self, *parts):
        return os.path.join(self.work, *parts)


def text(b):
    return b.decode("utf-8")


def images_in_tree(tree):
    """{alt: has a resource} for every image line of a tree dump."""
    found = {}
    for line in tree.splitlines():
        m = re.search(r'\bimage url="[^"]*" alt="([^"]*)"(.*)', line)
        if m:
            found[m.group(1)] = "resource=" in m.group(2)
    return found


def zip_members(path, prefix):
    with zipfile.ZipFile(path) as z:
        return [n for n in z.namelist() if n.startswith(prefix) and not n.endswith("/")]


# ----------------------------------------------------------------- cases

def case_redirects(c):
    out, _ = c.convert_ok(c.base + "/chain/3", "-t", "markdown", "-o", "-")
    check(b"REDIRECT-TARGET-TEXT" in out, "page at the end of a 3-redirect chain")
    check(all(c.hits("/chain/%d" % i) == 1 for i in range(4)), "each hop requested once")
    # Ten redirects are allowed: the limit is inclusive.
    out, _ = c.convert_ok(c.base + "/chain/10", "-t", "markdown", "-o", "-")
    check(b"REDIRECT-TARGET-TEXT" in out, "page at the end of a 10-redirect chain")
    before = c.hits("/chain/0")
    rc, out, err = c.run(c.base + "/chain/11", "-t", "markdown", "-o", "-")
    check(rc == 3, "11 redirects: exit 3, got %d" % rc)
    check(c.base + "/chain/11" in err and "redirect" in err.lower(), "message names URL and cause")
    check(c.hits("/chain/0") == before, "the 11th redirect was not followed")
    check(out == b"", "no output on failure")
    # The final URL is the base for relative links: pic.png lives next to
    # /deep/folder/story, not next to /moved-base.
    tree, _ = c.convert_ok(c.base + "/moved-base", "-t", "tree", "-o", "-")
    check(images_in_tree(text(tree)).get("ALT-RELATIVE") is True, "image resolved against final URL")
    check(c.hits("/deep/folder/pic.png") == 1 and c.hits("/pic.png") == 0, "image fetched from final folder")


def case_http_errors(c):
    for code in (404, 500):
        url = "%s/status/%d" % (c.base, code)
        out_file = c.path("error-%d.epub" % code)
        rc, _, err = c.run(url, "-o", out_file)
        check(rc == 3, "HTTP %d: exit 3, got %d" % (code, rc))
        check(url in err and str(code) in err, "message has status and URL: %r" % err)
        check(len(err.strip().splitlines()) == 1, "one line of error")
        check(not os.path.exists(out_file), "no output file after HTTP %d" % code)


def case_timeout(c):
    rc, _, err = c.run(c.base + "/slow", "-V", "timeout=2", "-o", "-", "-t", "markdown")
    check(rc == 3, "slow server: exit 3, got %d" % rc)
    check("/slow" in err and "timed out" in err.lower(), "message says timeout: %r" % err)
    check(c.last_seconds < 15, "gave up near the 2 s timeout (took %.1f s)" % c.last_seconds)


def case_max_download(c):
    # The limit counts inflated bytes: a small gzip body cannot smuggle a big page.
    for path in ("/big", "/big-chunked", "/gzip-bomb"):
        rc, out, err = c.run(c.base + path, "--max-download", "1M", "-t", "markdown", "-o", "-")
        check(rc == 3, "%s over --max-download: exit 3, got %d" % (path, rc))
        check(path in err and "--max-download" in err, "message names the limit: %r" % err)
        check(out == b"", "no output")
    # --max-input-size caps a page as well, and the message says which limit.
    rc, _, err = c.run(c.base + "/big", "--max-input-size", "1M", "-t", "markdown", "-o", "-")
    check(rc == 3 and "--max-input-size" in err, "--max-input-size caps a page: %r" % err)


def case_charsets(c):
    out, _ = c.convert_ok(c.base + "/cp1252", "-t", "markdown", "-o", "-")
    check("Na\u00efve r\u00e9sum\u00e9 \u2014 \u201cquoted\u201d \u20ac5 at the caf\u00e9." in text(out),
          "windows-1252 page, charset only in Content-Type, decoded")
    check("Caf\u00e9 prices" in text(out), "title decoded")
    out, _ = c.convert_ok(c.base + "/no-charset", "-t", "markdown", "-o", "-")
    check(b"NO-CHARSET-MARKER" in out, "page without any charset")
    out, _ = c.convert_ok(c.base + "/utf8-no-charset", "-t", "markdown", "-o", "-")
    check("Gr\u00fc\u00dfe aus K\u00f6ln" in text(out), "unlabelled UTF-8 page")
    out, _ = c.convert_ok(c.base + "/no-content-type.html", "-t", "markdown", "-o", "-")
    check("Gr\u00fc\u00dfe aus K\u00f6ln" in text(out), "page without a Content-Type")
    # The Content-Type picks the reader: text/plain is not parsed as HTML.
    tree, _ = c.convert_ok(c.base + "/plain", "-t", "tree", "-o", "-")
    check("TEXT-PLAIN-MARKER <b>not markup</b>" in text(tree), "text/plain read as text")


def case_gzip(c):
    out, _ = c.convert_ok(c.base + "/gzip", "-t", "markdown", "-o", "-")
    check(b"GZIP-MARKER survived the inflation." in out, "gzip body inflated")
    check(any(ua.startswith("octavo/") for ua in c.srv.user_agents), "User-Agent octavo/VERSION")


def case_proxy(c):
    # http_proxy from the environment: the request reaches our server with
    # an absolute URI, and the made-up host is never resolved.
    target = "http://octavo-proxy-test.invalid/story"
    out, _ = c.convert_ok(target, "-t", "markdown", "-o", "-", env={"http_proxy": c.base})
    check(b"PROXY-MARKER" in out and c.hits(target) == 1, "page fetched through the proxy")


def case_tls(c):
    # A self-signed certificate for 127.0.0.1: refused by default, accepted
    # with --insecure.
    cert, key = c.path("cert.pem"), c.path("key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, timeout=60,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tls = server.start(lifetime=LIFETIME, tls=(cert, key))
    try:
        url = tls.base + "/chain/0"
        rc, out, err = c.run(url, "-t", "markdown", "-o", "-")
        check(rc == 3 and url in err and "certificate" in err.lower(), "untrusted certificate refused: %r" % err)
        check(tls.hits_of("/chain/0") == 0, "no request sent over an unverified connection")
        out, _ = c.convert_ok(url, "--insecure", "-t", "markdown", "-o", "-")
        check(b"REDIRECT-TARGET-TEXT" in out, "--insecure fetches it")
    finally:
        server.stop(tls)


def case_images(c):
    media = c.path("media")
    shutil.rmtree(media, ignore_errors=True)
    out, err = c.convert_ok(c.base + "/images", "-t", "markdown", "--extract-media", media, "-o", "-")
    md = text(out)
    for alt in ("ALT-MISSING", "ALT-BROKEN"):
        check("![%s](" % alt in md, "failed image keeps its alt text: " + alt)
    check(re.search(r"warning: .*%s/img/missing\.png.*404" % re.escape(c.base), err), "404 warning")
    check(re.search(r"warning: .*%s/img/broken\.png.*500" % re.escape(c.base), err), "500 warning")
    for alt in ("ALT-RED-ONE", "ALT-RED-TWO", "ALT-GREEN", "ALT-BLUE"):
        check(re.search(r"!\[%s\]\(%s/" % (alt, re.escape(media)), md), "image embedded: " + alt)
    check(len(os.listdir(media)) == 3, "three distinct images extracted")
    # Named twice (relative and absolute), fetched once; srcset and data-src honoured.
    for path in ("/img/red.png", "/img/green.png", "/img/blue.png"):
        check(c.hits(path) == 1, "%s fetched once, not %d times" % (path, c.hits(path)))
    # EPUB and DOCX embed the same three images.
    c.convert_ok(c.base + "/images", "-o", c.path("images.epub"))
    pngs = [n for n in zip_members(c.path("images.epub"), "") if n.endswith(".png")]
    check(len(pngs) == 3, "EPUB holds 3 images, not %d" % len(pngs))
    c.convert_ok(c.base + "/images", "-o", c.path("images.docx"))
    check(len(zip_members(c.path("images.docx"), "word/media/")) == 3, "DOCX holds 3 images")


def case_image_limits(c):
    tree, err = c.convert_ok(c.base + "/huge-image", "--max-download", "1M", "-t", "tree", "-o", "-")
    imgs = images_in_tree(text(tree))
    check(imgs.get("ALT-HUGE") is False and imgs.get("ALT-SMALL") is True, "huge image skipped: %r" % imgs)
    check("huge.png" in err and "warning" in err, "warning names the huge image")
    tree, err = c.convert_ok(c.base + "/slow-image", "-V", "timeout=2", "-t", "tree", "-o", "-")
    imgs = images_in_tree(text(tree))
    check(imgs.get("ALT-SLOW") is False and imgs.get("ALT-QUICK") is True, "slow image skipped: %r" % imgs)
    check("slow.png" in err and "warning" in err, "warning names the slow image")
    check(c.last_seconds < 15, "image timeout honoured (%.1f s)" % c.last_seconds)


def case_no_images_offline(c):
    out, _ = c.convert_ok(c.base + "/images", "--no-images", "-t", "markdown", "-o", "-")
    check(sum(c.hits(p) for p in server.IMAGES) == 0, "--no-images fetched nothing")
    check(b"![ALT-RED-ONE](" in out, "alt text kept with --no-images")
    total = sum(c.srv.hits.values())
    rc, _, err = c.run(c.base + "/chain/0", "--offline", "-t", "markdown", "-o", "-")
    check(rc == 3 and "offline" in err and c.base + "/chain/0" in err, "--offline refuses a URL: %r" % err)
    # A local page whose images are on the network: --offline leaves them out.
    page = c.path("offline.html")
    with open(page, "w") as f:
        f.write(server.article("Offline", '<figure><img src="%s/img/red.png" alt="ALT-NET"></figure>'
                               % c.base))
    tree, err = c.convert_ok(page, "--offline", "-t", "tree", "-o", "-")
    check(images_in_tree(text(tree)).get("ALT-NET") is False, "no remote image offline")
    check(sum(c.srv.hits.values()) == total, "--offline made no request at all")


def case_redirect_schemes(c):
    for path in ("/to-file", "/to-ftp"):
        rc, out, err = c.run(c.base + path, "-t", "markdown", "-o", "-")
        check(rc == 3 and "refused" in err and path in err, "%s refused: %r" % (path, err))
        check(not PASSWD_LINE.search(out), "nothing of /etc/passwd in the output")
    tree, err = c.convert_ok(c.base + "/img-to-file", "-t", "tree", "-o", "-")
    check(images_in_tree(text(tree)).get("ALT-REDIRECTED") is False, "image redirected to file: refused")
    check("redirect-to-file.png" in err and "refused" in err, "warning for the image: %r" % err)


def case_remote_local_refs(c):
    url = c.base + "/local-refs/page"
    tree, err = c.convert_ok(url, "-t", "tree", "-o", "-")
    imgs = images_in_tree(text(tree))
    check(imgs == {"ALT-FILE-URL": False, "ALT-ABSOLUTE": False, "ALT-DOTDOT": False,
                   "ALT-FILE-SHORT": False, "ALT-FINE": True}, "only the http image loaded: %r" % imgs)
    check("file:///etc/passwd" in err and "file:/etc/hostname" in err, "warnings name file: refs")
    # /etc/passwd and ../../../../etc/passwd are URLs on the server, asked there.
    check(c.hits("/etc/passwd") == 1, "absolute and .. paths resolved against the page URL")
    for fmt, name in (("epub", "refs.epub"), ("docx", "refs.docx")):
        c.convert_ok(url, "-o", c.path(name))
        with zipfile.ZipFile(c.path(name)) as z:
            for n in z.namelist():
                check(not PASSWD_LINE.search(z.read(n)), "no /etc/passwd in %s:%s" % (name, n))
    media = c.path("refs-media")
    out, _ = c.convert_ok(url, "-t", "markdown", "--extract-media", media, "-o", "-")
    check(len(os.listdir(media)) == 1, "only the one remote image extracted")
    for alt in ("ALT-FILE-URL", "ALT-ABSOLUTE", "ALT-DOTDOT", "ALT-FILE-SHORT"):
        check(("![%s](" % alt).encode() in out, "alt text kept: " + alt)


def case_local_images(c):
    outside, book = c.path("site"), c.path("site", "book")
    shutil.rmtree(outside, ignore_errors=True)
    os.makedirs(os.path.join(book, "pics"))
    with open(os.path.join(outside, "outside.png"), "wb") as f:
        f.write(server.png((1, 2, 3)))
    with open(os.path.join(book, "inside.png"), "wb") as f:
        f.write(server.png((4, 5, 6)))
    with open(os.path.join(book, "pics", "deeper.png"), "wb") as f:
        f.write(server.png((7, 8, 9)))
    os.symlink(os.path.join(outside, "outside.png"), os.path.join(book, "link.png"))
    os.symlink("..", os.path.join(book, "up"))
    refs = [("../outside.png", "ALT-OUTSIDE", False), ("./inside.png", "ALT-INSIDE", True),
            ("pics/../inside.png", "ALT-INSIDE-DOTS", True), ("pics/deeper.png", "ALT-DEEPER", True),
            ("%2e%2e/outside.png", "ALT-ENCODED-DOTS", False), ("pics/../../outside.png", "ALT-CLIMB", False),
            ("/etc/passwd", "ALT-ABSOLUTE", False), ("file:///etc/passwd", "ALT-FILE-URL", False),
            ("link.png", "ALT-SYMLINK", False), ("up/outside.png", "ALT-SYMLINK-DIR", False),
            ("..%2foutside.png", "ALT-ENCODED-SLASH", False)]
    page = os.path.join(book, "page.html")
    with open(page, "w") as f:
        f.write(server.article("Local page", "".join(
            '<figure><img src="%s" alt="%s"></figure>' % (src, alt) for src, alt, _ in refs)))
    for where in (page, os.path.relpath(page, c.work)):
        tree, err = c.convert_ok(where, "-t", "tree", "-o", "-")
        imgs = images_in_tree(text(tree))
        for src, alt, loaded in refs:
            check(imgs.get(alt) is loaded, "%s (%s): loaded=%s, expected %s" % (alt, src, imgs.get(alt), loaded))
            if not loaded:
                check(src in err, "a warning names %s" % src)
    c.convert_ok(page, "-o", c.path("local.epub"))
    pngs = [n for n in zip_members(c.path("local.epub"), "") if n.endswith(".png")]
    check(len(pngs) == 2, "EPUB embeds inside.png and deeper.png only, got %r" % pngs)


BOOK = [
    ("The Lighthouse Keeper", "Ada Marsh", "2021-03-14"),
    ("Winter on the Salt Flats", "Tomas Reyes", "2022-11-02"),
    ("A Short History of Tides", "Noor Haddad", "2023-06-30"),
]


def write_book(c):
    inputs = []
    for i, (title, author, date) in enumerate(BOOK):
        name = c.path("article-%d.html" % (i + 1))
        head = ('<meta name="author" content="%s">'
                '<meta property="article:published_time" content="%sT08:00:00Z">' % (author, date))
        with open(name, "w") as f:
            f.write(server.article(title, "<h2>Part one</h2><p>Chapter %d text.</p>" % (i + 1), head))
        inputs.append(name)
    epub = c.path("book.epub")
    c.convert_ok(*inputs, "--title", "Three Stories", "-o", epub)
    with zipfile.ZipFile(epub) as z:
        names = z.namelist()
        nav = next(n for n in names if n.endswith("nav.xhtml"))
        opf = next(n for n in names if n.endswith(".opf"))
        parts = {"nav": z.read(nav).decode("utf-8"), "opf": z.read(opf).decode("utf-8"),
                 "content": "".join(z.read(n).decode("utf-8") for n in sorted(names)
                                    if n.endswith(".xhtml") and n != nav)}
    return epub, parts


def case_book(c):
    epub, parts = write_book(c)
    # A quick-starting JVM: epubcheck's run is short, C2 compilation is waste.
    p = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-jar", "/usr/bin/epubcheck", epub], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=150)
    report = p.stdout.decode("utf-8", "replace")
    print(report)
    check(p.returncode == 0, "epubcheck exit %d" % p.returncode)
    check(re.search(r"\b0 fatals / 0 errors / 0 warnings\b", report), "epubcheck: 0 errors, 0 warnings")
    nav = parts["nav"]
    positions = [nav.find(">%s</a>" % title) for title, _, _ in BOOK]
    check(all(p >= 0 for p in positions) and positions == sorted(positions), "nav lists the 3 titles in order")
    check(re.search(r"<dc:title[^>]*>Three Stories</dc:title>", parts["opf"]), "--title names the book")
    # Each article once, as a chapter: its own headings sit below its title.
    for title, _, _ in BOOK:
        check(parts["content"].count(">%s</h1>" % title) == 1, "one h1 for %r" % title)
    check(parts["content"].count(">Part one</h2>") == 3, "article headings one level down")


def case_book_bylines(c):
    # percollate's behaviour: each article's byline and date under its title.
    _, parts = write_book(c)
    for title, author, date in BOOK:
        m = re.search(re.escape(title) + r"</h1>\s*<p[^>]*>([^<]*)</p>", parts["content"])
        check(m and author in m.group(1) and date in m.group(1),
              "byline and date under %r, found %r" % (title, m and m.group(1)[:60]))


def case_book_urls(c):
    # URLs and a file in one call: one book, one chapter each, in order.
    local = c.path("local.html")
    with open(local, "w") as f:
        f.write(server.article("Local chapter", "<p>LOCAL-MARKER</p>"))
    tree, _ = c.convert_ok(c.base + "/chain/1", local, c.base + "/gzip", "-t", "tree", "-o", "-")
    h1 = re.findall(r'heading level=1[^\n]*\n\s*text "([^"]*)"', text(tree))
    check(h1 == ["Arrived safely", "Local chapter", "Compressed story"], "chapters: %r" % h1)


def case_book_images(c):
    # Two articles from two folders, each with its own "pic.png": each must
    # get its own picture, read relative to its own folder.
    for sub, alt, rgb in (("a", "ALT-A", (1, 1, 1)), ("b", "ALT-B", (2, 2, 2))):
        os.makedirs(c.path(sub))
        with open(c.path(sub, "pic.png"), "wb") as f:
            f.write(server.png(rgb))
        with open(c.path(sub, "page.html"), "w") as f:
            f.write(server.article("Article " + sub.upper(),
                                   '<figure><img src="pic.png" alt="%s"></figure>' % alt))
    tree, _ = c.convert_ok(c.path("a", "page.html"), c.path("b", "page.html"), "-t", "tree", "-o", "-")
    res = dict(re.findall(r'image url="pic.png" alt="(ALT-[AB])" resource="([^"]+)"', text(tree)))
    check(len(res) == 2 and res["ALT-A"] != res["ALT-B"], "each article its own picture: %r" % res)


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("case", choices=sorted(CASES))
    args = ap.parse_args()
    work = os.path.join(os.path.abspath(args.work), args.case)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    c = Case(os.path.abspath(args.cli), work)
    c.srv = server.start(lifetime=LIFETIME)
    try:
        CASES[args.case](c)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    finally:
        server.stop(c.srv)
    print("ok: %s" % args.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
