#!/usr/bin/env python3
"""Writes COUNT small HTML articles into DIR for the sharding tests, with
exact and near duplicates planted far from their originals (so they land
in other shards). Deterministic: the same COUNT and SEED give the same bytes.

usage: shard_corpus.py DIR COUNT [SEED] [--warc PER_FILE]

With --warc the pages go into DIR/crawl-NNN.warc.gz instead, PER_FILE
response records a file, each record its own gzip member (as Common Crawl
writes them).
"""
import os
import gzip
import random
import sys

WORDS = ("harbour council budget river school museum station market winter"
         " bridge railway library hospital festival minister election court"
         " farmers weather football theatre factory airport village police"
         " teachers science energy housing transport water forest coast"
         " orchestra garden bakery museum workers island mountain road").split()
NAMES = ["Anna Berg", "Tom Okafor", "Lena Ruiz", "Marek Nowak", "Sara Lind"]
PLACES = ["Bergen", "Lyon", "Porto", "Gdansk", "Leeds"]


def article(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    # sentences of 12 words with a name and a place now and then
    out = []
    for i in range(0, n, 12):
        s = " ".join(words[i:i + 12])
        s = s[0].upper() + s[1:]
        if rng.random() < 0.5:
            s += ", said %s in %s" % (rng.choice(NAMES), rng.choice(PLACES))
        out.append(s + ".")
    return out


def page(title, sentences):
    paras = "".join("<p>%s</p>" % s for s in sentences)
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>%s</title></head><body><article><h1>%s</h1>%s</article>"
            "</body></html>\n" % (title, title, paras))


def warc_record(i, html):
    body = html.encode()
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body
    head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%08d>\r\n"
            "WARC-Target-URI: https://news.example/story/%d\r\n"
            "WARC-Date: 2024-03-01T10:00:00Z\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            "Content-Length: %d\r\n\r\n" % (i, i, len(http))).encode()
    return gzip.compress(head + http + b"\r\n\r\n", mtime=0)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--warc")]
    per_file = 0
    if "--warc" in sys.argv:
        per_file = int(sys.argv[sys.argv.index("--warc") + 1])
        args.remove(str(per_file))
    out, count = args[0], int(args[1])
    rng = random.Random(int(args[2]) if len(args) > 2 else 14)
    os.makedirs(out, exist_ok=True)
    texts = []
    for i in range(count):
        r = rng.random()
        if texts and r < 0.10:  # exact copy of an earlier article
            body = list(rng.choice(texts))
        elif texts and r < 0.25:  # near copy: one word changed
            body = list(rng.choice(texts))
            k = rng.randrange(len(body))
            body[k] = body[k].replace(rng.choice(WORDS), rng.choice(WORDS), 1)
        else:
            body = article(rng, rng.randrange(90, 160))
        texts.append(body)
        html = page("Story %d" % i, body)
        if per_file:
            with open(os.path.join(out, "crawl-%03d.warc.gz" % (i // per_file)), "ab") as f:
                f.write(warc_record(i, html))
        else:
            with open(os.path.join(out, "p%05d.html" % i), "w") as f:
                f.write(html)


main()
