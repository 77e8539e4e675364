#!/usr/bin/env python3
"""Scraper dumps of WCXB dev pages, the way a scraper saves page text.

  dumps.py WCXB_DIR OUT_DIR [--types article,forum,documentation] [--jobs 2]
  dumps.py --aeb AEB_DIR OUT_DIR [--jobs 2]

For every page of the chosen types writes OUT_DIR/<renderer>/<id>.txt for the
renderers w3m (`w3m -dump`), lynx (`lynx -dump -nolist`), html2text (Debian's
html2text 1.3, `-utf8 -nobs`) and dom (a plain DOM text walk, below), plus
OUT_DIR/gold/<id>.txt (the page's gold main_content) and OUT_DIR/pages.tsv
(id, page type, domain, split). Existing dumps are kept (a cache).

The split is fixed by domain: the first byte of sha1(domain) below 179
(about 70%) is the fit part, the rest the held-back part.

With --aeb, the pages are AEB dev's (extraction-dev: html/<id>.html.gz and
ground-truth.json's articleBody as gold), news pages from other sites that
the line model never saw: every one is written with type "article" and
split "news", so `score.py --split news` reports them.
"""
import argparse, concurrent.futures as cf, gzip, hashlib, html.parser, json, os, pathlib
import subprocess, sys, urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import wcxb_split  # noqa: E402 (bench/clean: the one reader of WCXB's gold)

RENDERERS = ("w3m", "lynx", "html2text", "dom")


HELD_FROM = 179  # split bytes from here on are held back (about 30%)


def split_byte(domain):
    """The byte the split is made on: the first of sha1(domain)."""
    return hashlib.sha1(domain.encode()).digest()[0]


def split_of(domain):
    return "fit" if split_byte(domain) < HELD_FROM else "held"


class Walk(html.parser.HTMLParser):
    """Text of every node outside script/style/template, a newline after
    each block element, whitespace collapsed inside lines."""
    BLOCK = set("address article aside blockquote body br dd details dialog div dl dt fieldset "
                "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre "
                "section summary table tbody td th thead tr ul option".split())
    SKIP = {"script", "style", "template", "noscript", "svg", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)

    def text(self):
        lines = (" ".join(l.split()) for l in "".join(self.out).split("\n"))
        res, blank = [], False
        for l in lines:
            if l:
                res.append(l); blank = False
            elif not blank and res:
                res.append(""); blank = True
        return "\n".join(res).strip() + "\n"


def decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("windows-1252", errors="replace")


def render(kind, path, raw):
    if kind == "dom":
        w = Walk()
        w.feed(decode(raw)); w.close()
        return w.text()
    cmd = {"w3m": ["w3m", "-dump", "-T", "text/html", "-O", "UTF-8", path],
           "lynx": ["lynx", "-dump", "-nolist", "-force_html", "-display_charset=utf-8", path],
           "html2text": ["html2text", "-utf8", "-nobs", path]}[kind]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=60, env=dict(os.environ, HOME="/tmp"))
        return p.stdout.decode("utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        return ""


def one(job):
    i, src, out = job
    raw = gzip.decompress(pathlib.Path(src).read_bytes())
    tmp = out / "tmp" / f"{i}.html"
    tmp.write_bytes(raw)
    for k in RENDERERS:
        f = out / k / f"{i}.txt"
        if not f.exists():
            f.write_text(render(k, str(tmp), raw), encoding="utf-8")
    tmp.unlink()
    return i


def aeb_pages(root, out):
    """AEB dev's pages: (rows of pages.tsv, render jobs), gold written."""
    gt = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    rows, jobs = [], []
    for i in sorted(gt):
        gold = gt[i].get("articleBody") or ""
        if not gold.strip():
            continue
        (out / "gold" / f"{i}.txt").write_text(gold, encoding="utf-8")
        domain = urllib.parse.urlsplit(gt[i].get("url") or "").hostname or ""
        rows.append(f"{i}\tarticle\t{domain}\tnews")
        if not all((out / k / f"{i}.txt").exists() for k in RENDERERS):
            jobs.append((i, root / "html" / f"{i}.html.gz", out))
    return rows, jobs


def wcxb_pages(root, out, types):
    """WCXB dev's pages of the given types: (rows, render jobs), gold written."""
    meta = json.loads((root / "metadata.json").read_text())["files"]
    rows, jobs = [], []
    for i in sorted(meta):
        m = meta[i]
        if m["page_type"] not in types:
            continue
        gt = wcxb_split.ground_truth(root, i)
        gold = gt.get("main_content") or ""
        if not gold.strip():
            continue
        (out / "gold" / f"{i}.txt").write_text(gold, encoding="utf-8")
        (out / "gold" / f"{i}.title").write_text(gt.get("title") or "", encoding="utf-8")
        rows.append(f"{i}\t{m['page_type']}\t{m['domain']}\t{split_of(m['domain'])}")
        if not all((out / k / f"{i}.txt").exists() for k in RENDERERS):
            jobs.append((i, root / "html" / f"{i}.html.gz", out))
    return rows, jobs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wcxb"); ap.add_argument("out")
    ap.add_argument("--types", default="article,forum,documentation")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--aeb", action="store_true", help="the first argument is AEB dev")
    a = ap.parse_args()
    root, out = pathlib.Path(a.wcxb), pathlib.Path(a.out)
    for d in RENDERERS + ("gold", "tmp"):
        (out / d).mkdir(parents=True, exist_ok=True)
    if a.aeb:
        rows, jobs = aeb_pages(root, out)
    else:
        rows, jobs = wcxb_pages(root, out, set(a.types.split(",")))
    (out / "pages.tsv").write_text("\n".join(rows) + "\n")
    with cf.ProcessPoolExecutor(a.jobs) as ex:
        for n, _ in enumerate(ex.map(one, jobs, chunksize=4)):
            if n % 100 == 99:
                print(f"   {n + 1}/{len(jobs)} pages rendered", file=sys.stderr)

if __name__ == "__main__":
    main()
