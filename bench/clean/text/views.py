#!/usr/bin/env python3
"""clean_text's line model judged on three disjoint held-back parts of the dumps.

  views.py split DUMPS_DIR OUT          writes OUT/viewN/held.ids, types.tsv, train.list
  views.py score DUMPS_DIR OUT          token F1 of OUT/viewN/pred/<renderer>/<id>.txt
  views.py score DUMPS_DIR OUT BEFORE   and the paired change from an earlier OUT

DUMPS_DIR is what dumps.py wrote. dumps.py's fixed split holds back the
domains whose first sha1 byte is 179-255 (view0, the part bench/clean/text_run
reports); view1 holds back 102-178 and view2 25-101, so the three parts are
about 90% of the domains, each judged by a model fitted on the other 70%
(train.list: every renderer's dump of the pages not held back, the trainer's
list format). A row is one page in one renderer, with score.py's token F1;
the change's 95% interval resamples domains (bench/clean/wcxb_views.py, the
same summary and comparison as clean_html's views).
"""
import collections
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from dumps import HELD_FROM, split_byte  # noqa: E402 (this directory: its split is view0)
from score import RENDERERS, f1, read  # noqa: E402 (this directory)
from wcxb_views import compare, summary  # noqa: E402 (bench/clean)

VIEWS = {"view0": (HELD_FROM, 256), "view1": (102, HELD_FROM), "view2": (25, 102)}


def pages(dumps):
    """[(id, type, domain)] of dumps.py's pages.tsv."""
    rows = (l.split("\t") for l in (pathlib.Path(dumps) / "pages.tsv").read_text().splitlines())
    return [(r[0], r[1], r[2]) for r in rows]


def split(dumps, out):
    d = pathlib.Path(dumps).resolve()
    ps = [(p, split_byte(p[2])) for p in pages(dumps)]
    for v, (lo, hi) in VIEWS.items():
        o = pathlib.Path(out) / v
        o.mkdir(parents=True, exist_ok=True)
        held = [p for p, b in ps if lo <= b < hi]
        fit = [p for p, b in ps if not lo <= b < hi]
        (o / "held.ids").write_text("".join(f"{i}\n" for i, _, _ in held))
        (o / "types.tsv").write_text("".join(f"{i}\t{t}\t{dom}\n" for i, t, dom in held))
        (o / "train.list").write_text("".join(
            f"{d / k / (i + '.txt')}\t{d / 'gold' / (i + '.txt')}\t{t}\t{dom}\n"
            for k in RENDERERS for i, t, dom in fit))
        print(f"{v}: fitting on {len(fit)} pages, holding back {len(held)}")


def scores(dumps, out):
    """{view: [(renderer/id, type, domain, F1)]} of one run."""
    d = pathlib.Path(dumps)
    res = {}
    for v in VIEWS:
        o = pathlib.Path(out) / v
        meta = {l.split("\t")[0]: l.split("\t")[1:] for l in (o / "types.tsv").read_text().splitlines()}
        gold = {i: read(d / "gold" / f"{i}.txt") for i in meta}
        res[v] = [(f"{k}/{i}", t, dom, f1(read(o / "pred" / k / f"{i}.txt"), gold[i]))
                  for k in RENDERERS for i, (t, dom) in meta.items()]
    return res


def by_renderer(res, kind):
    """Pooled mean of the rows of type kind, per renderer."""
    s = collections.defaultdict(list)
    for rows in res.values():
        for key, t, _, f in rows:
            if t == kind:
                s[key.split("/")[0]].append(f)
    return "  ".join(f"{k} {sum(s[k]) / len(s[k]):.4f}" for k in RENDERERS if s[k])


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "score":
        res = scores(sys.argv[2], sys.argv[3])
        summary(res)
        print("  articles by renderer: " + by_renderer(res, "article"))
        if len(sys.argv) == 5:
            print(f"== change from {sys.argv[4]}")
            compare(scores(sys.argv[2], sys.argv[4]), res)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
