#!/usr/bin/env python3
"""Writes COUNT small HTML articles into DIR for the sharding tests, with
exact and near duplicates planted far from their originals (so they land
in other shards). Deterministic: the same COUNT and SEED give the same bytes.

usage: shard_corpus.py DIR COUNT [SEED]
"""
import os
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


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 14)
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
        with open(os.path.join(out, "p%05d.html" % i), "w") as f:
            f.write(page("Story %d" % i, body))


main()
