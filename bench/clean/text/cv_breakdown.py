#!/usr/bin/env python3
"""Where the line model's out-of-fold outputs lose tokens (README, "Where
the lost tokens are").

  CT_CV_OUT=DIR CT_CV_ONLY=1 clean_text_train LIST /dev/null
  cv_breakdown.py DIR DUMPS_DIR

DIR holds RENDERER_PAGE.txt (the out-of-fold output at keep 0.50) and
RENDERER_PAGE.lines ("K"/"D", a tab, p and signals, a tab, the line);
DUMPS_DIR is what dumps.py wrote (pages.tsv, gold/). Prints the mean
precision and recall per page of articles and of other pages per renderer
(WCXB's measure: lowercase \\w+ tokens as multisets), then the words of
junk lines kept and of gold lines dropped (the trainer's labels: half or
more of a line's word bigrams in the gold) by position (before the first /
after the last gold line of 8+ words, or between) and shape (prose: 12+
words), and for dropped gold whether the model (p < 0.5) or a rule dropped it.
"""
import collections, pathlib, re, sys

W = re.compile(r"\w+")
T = re.compile(r"[^\W_]+")  # the labels' words: '_' separates them


def prf(pred, gold):
    p, g = collections.Counter(pred), collections.Counter(gold)
    if not g or not p:
        v = float(not g and not p)
        return v, v
    o = sum((p & g).values())
    return o / sum(p.values()), o / sum(g.values())


def main():
    cv, dumps = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    types = {r.split("\t")[0]: r.split("\t")[1]
             for r in (dumps / "pages.tsv").read_text().split("\n") if r}
    pr = collections.defaultdict(lambda: [0, 0.0, 0.0])
    words = collections.defaultdict(collections.Counter)
    for lf in sorted(cv.glob("*.lines")):
        r, i = lf.stem.rsplit("_", 1)
        grp = "articles" if types[i] == "article" else "others"
        gold = (dumps / "gold" / f"{i}.txt").read_text(errors="replace")
        out = lf.with_suffix(".txt")
        out = out.read_text(errors="replace") if out.exists() else ""
        p, rc = prf(W.findall(out.lower()), W.findall(gold.lower()))
        a = pr[(grp, r)]
        a[0] += 1; a[1] += p; a[2] += rc
        gt = [t.lower() for t in T.findall(gold)]
        gset = set(gt) | set(zip(gt, gt[1:]))
        lines = []
        for ln in lf.read_text(errors="replace").split("\n"):
            if ln.count("\t") < 2:
                continue
            k, why, s = ln.split("\t", 2)
            t = [x.lower() for x in T.findall(s)]
            if not t:
                continue
            y = t[0] in gset if len(t) == 1 else \
                2 * sum(b in gset for b in zip(t, t[1:])) >= len(t) - 1
            lines.append((k == "K", y, len(t), why))
        gi = [j for j, l in enumerate(lines) if l[1] and l[2] >= 8]
        first, last = (gi[0], gi[-1]) if gi else (len(lines), -1)
        for j, (kept, y, n, why) in enumerate(lines):
            pos = "before" if j < first else "after" if j > last else "between"
            shape = "prose" if n >= 12 else "short"
            if kept and not y:
                words[(grp, "junk kept")][(pos, shape)] += n
            elif not kept and y:
                by = "title" if " title" in why else \
                    "model" if float(why.split()[0][2:]) < 0.5 else "rules"
                words[(grp, "gold dropped")][(pos, shape, by)] += n
    print("mean per page: precision / recall")
    for (grp, r), (n, p, rc) in sorted(pr.items()):
        print(f"  {grp:9} {r:10} {n:4} pages  P {p / n:.4f}  R {rc / n:.4f}")
    for (grp, kind), c in sorted(words.items()):
        print(f"{grp} {kind}: {sum(c.values())} words")
        for k, v in c.most_common():
            print(f"    {' '.join(k):28} {v}")


if __name__ == "__main__":
    main()
