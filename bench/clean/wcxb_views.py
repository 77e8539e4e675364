#!/usr/bin/env python3
"""Pools bench/clean/wcxb_views' three held-back views, or compares two runs of it.

  wcxb_views.py WCXB_DIR OUT                summary of one run (OUT/view0, view3, view6)
  wcxb_views.py WCXB_DIR OUT_A OUT_B        paired change B - A per view, pooled, by type,
                                            with a 95% interval by domain (bootstrap)
  wcxb_views.py WCXB_DIR OUT_A OUT_B IDS    the same, then the change on the pages listed in
                                            IDS (one id a line: those whose inputs the change
                                            touches) and on the others (moved by the refit alone)

Each OUT/viewR holds held.ids, types.tsv and pred/<id>.txt; the F1 is WCXB's word F1
(wcxb_score.py's f1, imported from ../shared/tools).
"""
import collections
import pathlib
import random
import sys

from wcxb_split import gold_text  # the same directory: one reader of the gold

VIEWS = ("view0", "view3", "view6")


def load_f1(wcxb):
    tools = pathlib.Path(wcxb).resolve().parent.parent / "tools"
    sys.path.insert(0, str(tools))
    from wcxb_score import f1  # noqa: E402 (the set's own measure)
    return f1


def scores(wcxb, out, f1):
    """{view: [(id, type, domain, F1)]} of one run."""
    res = {}
    for v in VIEWS:
        d = pathlib.Path(out) / v
        meta = {l.split("\t")[0]: l.split("\t")[1:] for l in (d / "types.tsv").read_text().splitlines()}
        rows = []
        for i in (d / "held.ids").read_text().split():
            p = d / "pred" / f"{i}.txt"
            text = p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""
            rows.append((i, meta[i][0], meta[i][1], f1(text, gold_text(wcxb, i))[2]))
        res[v] = rows
    return res


def interval(by_domain, reps=2000):
    """95% bootstrap interval, resampling domains, of the per-page mean of the values."""
    doms = sorted(by_domain)
    rnd = random.Random(1)
    means = []
    for _ in range(reps):
        pick = [rnd.choice(doms) for _ in doms]
        n = sum(len(by_domain[d]) for d in pick)
        means.append(sum(sum(by_domain[d]) for d in pick) / n)
    means.sort()
    return means[int(0.025 * reps)], means[int(0.975 * reps)]


def summary(res):
    """Prints each view's mean, the pooled mean and the pooled mean by type of
    res ({view: [(key, type, domain, F1)]}; bench/clean/text/views.py's rows too)."""
    allrows = [r for v in sorted(res) for r in res[v]]
    for v in sorted(res):
        rows = res[v]
        print(f"{v}  {len(rows):4d} pages  F1 {sum(r[3] for r in rows) / len(rows):.4f}")
    print(f"pooled {len(allrows):4d} pages  F1 {sum(r[3] for r in allrows) / len(allrows):.4f}")
    by_type = collections.defaultdict(list)
    for r in allrows:
        by_type[r[1]].append(r[3])
    for t in sorted(by_type):
        print(f"  {t:14s} {len(by_type[t]):4d} pages  F1 {sum(by_type[t]) / len(by_type[t]):.4f}")


def paired(a, b, v):
    """(row of b, its F1 minus the same key's in a) for each row of view v."""
    fa = {r[0]: r[3] for r in a[v]}
    return [(r, r[3] - fa[r[0]]) for r in b[v]]


def compare(a, b):
    """Prints the paired change b - a (rows matched by key) per view, pooled with
    a 95% interval by domain, and by type."""
    by_domain, by_type, total = collections.defaultdict(list), collections.defaultdict(list), []
    for v in sorted(a):
        diffs = []
        for r, d in paired(a, b, v):
            diffs.append(d)
            by_domain[r[2]].append(d)
            by_type[r[1]].append(d)
        total += diffs
        up, down = sum(d > 0.01 for d in diffs), sum(d < -0.01 for d in diffs)
        print(f"{v}  {len(diffs):4d} pages  change {sum(diffs) / len(diffs):+.4f}"
              f"  ({up} up, {down} down by more than 0.01)")
    lo, hi = interval(by_domain)
    print(f"pooled {len(total):4d} pages  change {sum(total) / len(total):+.4f}"
          f"  95% interval by domain [{lo:+.4f}, {hi:+.4f}]")
    for t in sorted(by_type):
        print(f"  {t:14s} {len(by_type[t]):4d} pages  change {sum(by_type[t]) / len(by_type[t]):+.4f}")


def compare_touched(a, b, ids):
    """Prints the paired change b - a on the pages whose key is in ids and on the
    others, each with a 95% interval by domain. Why: a refit moves every page a
    little whatever the change; where a change alters the inputs of few pages,
    those pages say what it does and the others how far the refit alone moves."""
    for name, inside in (("touched", True), ("others", False)):
        by_domain, n, total = collections.defaultdict(list), 0, 0.0
        for v in sorted(a):
            for r, d in paired(a, b, v):
                if (r[0] in ids) == inside:
                    by_domain[r[2]].append(d)
                    n, total = n + 1, total + d
        if not n:
            print(f"{name:7s}    0 pages")
            continue
        lo, hi = interval(by_domain)
        print(f"{name:7s} {n:4d} pages  change {total / n:+.4f}  95% interval by domain [{lo:+.4f}, {hi:+.4f}]")


def main():
    if len(sys.argv) not in (3, 4, 5):
        sys.exit(__doc__)
    f1 = load_f1(sys.argv[1])
    runs = [scores(sys.argv[1], o, f1) for o in sys.argv[2:4]]
    if len(runs) == 1:
        summary(runs[0])
        return
    compare(runs[0], runs[1])
    if len(sys.argv) == 5:
        compare_touched(runs[0], runs[1], set(pathlib.Path(sys.argv[4]).read_text().split()))


if __name__ == "__main__":
    main()
