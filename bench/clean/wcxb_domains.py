#!/usr/bin/env python3
"""Word F1 on WCXB pages averaged two ways: over pages (the benchmark's own figure) and over
domains (each domain's pages averaged first, then the domains), by page type, for several tools
side by side.

  wcxb_domains.py WCXB_DIR IDS_FILE NAME=PRED_DIR [NAME=PRED_DIR ...]

Why both: a split by domain can still put many pages of one site on one side (the held-back
part has 11 collection pages of one shop and 10 product pages of one game store among 40 and
44), so a page-weighted per-type figure can mostly say how a tool does on one site. The
domain-weighted figure counts that site once; when the two disagree, the change helped on
one site and not on the others (or the reverse). The per-page F1 is the one of
../shared/tools/wcxb_score.py: bags of lowercase \\w+ words; an empty gold counts 1 for an
empty prediction, else 0; a missing prediction file is an empty prediction.
"""
import collections
import json
import pathlib
import re
import sys

WORD = re.compile(r"\w+")
TYPES = ("article", "collection", "documentation", "forum", "listing", "product", "service")


def words(text):
    return collections.Counter(WORD.findall(text.lower()))


def page_f1(pred, gold):
    p, g = words(pred), words(gold)
    if not g:
        return 1.0 if not p else 0.0
    hit = sum((p & g).values())
    if not hit:
        return 0.0
    prec, rec = hit / sum(p.values()), hit / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def read(path):
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    root, ids = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text().split()
    tools = [a.split("=", 1) for a in sys.argv[3:]]
    meta = json.loads((root / "metadata.json").read_text())["files"]
    gold = {}
    for i in ids:
        gt = json.loads((root / "ground-truth" / f"{i}.json").read_text())["ground_truth"]
        gold[i] = gt.get("main_content") or ""
    print(f"{'F1 by page / by domain':<24}" + "".join(f"{n:>18}" for n, _ in tools))
    for t in ("all",) + TYPES:
        sel = [i for i in ids if t == "all" or meta[i]["page_type"] == t]
        if not sel:
            continue
        ndom = len({meta[i]["domain"] for i in sel})
        cells = []
        for _, d in tools:
            f = {i: page_f1(read(pathlib.Path(d) / f"{i}.txt"), gold[i]) for i in sel}
            dom = collections.defaultdict(list)
            for i in sel:
                dom[meta[i]["domain"]].append(f[i])
            by_dom = sum(sum(v) / len(v) for v in dom.values()) / len(dom)
            cells.append(f"{sum(f.values()) / len(sel):.3f} / {by_dom:.3f}")
        print(f"{t:<13}{len(sel):>4}p {ndom:>4}d" + "".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    main()
