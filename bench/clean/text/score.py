#!/usr/bin/env python3
"""Token F1 of scraper dumps: raw dump, the naive rule, and cleaned outputs.

  score.py DUMPS_DIR [--split held] [--types article] NAME=PRED_ROOT ...

DUMPS_DIR is what dumps.py wrote; each PRED_ROOT holds <renderer>/<id>.txt.
The measure is WCXB's: lowercase \\w+ tokens as multisets, F1 per page,
averaged over pages (macro). Prints one row per renderer.
"""
import argparse, collections, pathlib, re

W = re.compile(r"\w+")
RENDERERS = ("w3m", "lynx", "html2text", "dom")
STOP = set("""a about after all also an and any are as at be been but by can could did do
does for from had has have he her his how i if in into is it its just more most my no not
of on one or our out she so some than that the their them then there these they this to
up was we were what when which who will with would you your""".split())


def naive(text):
    """The ten-line rule: keep blocks of 8+ words with 25%+ stop words."""
    keep = []
    for b in re.split(r"\n\s*\n", text):
        w = W.findall(b.lower())
        if len(w) >= 8 and sum(x in STOP for x in w) >= 0.25 * len(w):
            keep.append(b)
    return "\n\n".join(keep)


def f1(pred, gold):
    p, g = collections.Counter(W.findall(pred.lower())), collections.Counter(W.findall(gold.lower()))
    if not g or not p:
        return float(not g and not p)
    o = sum((p & g).values())
    return 2 * o / (sum(p.values()) + sum(g.values()))


def read(p):
    return p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dumps"); ap.add_argument("preds", nargs="*")
    ap.add_argument("--split", default="held"); ap.add_argument("--types", default="article")
    a = ap.parse_args()
    d = pathlib.Path(a.dumps)
    types = set(a.types.split(","))
    ids = [r.split("\t")[0] for r in (d / "pages.tsv").read_text().split("\n")
           if r and r.split("\t")[1] in types and (a.split == "all" or r.split("\t")[3] == a.split)]
    preds = [x.split("=", 1) for x in a.preds]
    cols = ["raw", "naive"] + [n for n, _ in preds]
    print(f"{a.split} pages of type {a.types}: {len(ids)}")
    print(f"{'renderer':<11}" + "".join(f"{c:>12}" for c in cols))
    tot = collections.defaultdict(list)
    for k in RENDERERS:
        s = collections.defaultdict(list)
        for i in ids:
            gold = read(d / "gold" / f"{i}.txt")
            raw = read(d / k / f"{i}.txt")
            s["raw"].append(f1(raw, gold)); s["naive"].append(f1(naive(raw), gold))
            for n, root in preds:
                s[n].append(f1(read(pathlib.Path(root) / k / f"{i}.txt"), gold))
        for c in cols:
            tot[c] += s[c]
        print(f"{k:<11}" + "".join(f"{sum(s[c]) / len(s[c]):>12.3f}" for c in cols))
    print(f"{'all':<11}" + "".join(f"{sum(tot[c]) / len(tot[c]):>12.3f}" for c in cols))


if __name__ == "__main__":
    main()
