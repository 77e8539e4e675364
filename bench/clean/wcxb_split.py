#!/usr/bin/env python3
"""The fixed by-domain split of WCXB dev used by bench/clean and the clean_html trainer.

A page is held back (never fitted on) when FNV-1a-32 of its domain (metadata.json "domain",
lower case, a leading "www." removed) mod 10 is 0, 1 or 2: about 30% of the domains.
All pages of one domain fall on the same side.

  wcxb_split.py WCXB_DIR OUT_DIR   -> OUT_DIR/fit.ids, OUT_DIR/held.ids, OUT_DIR/types.tsv (id, type, domain)
  wcxb_split.py WCXB_DIR OUT_DIR R  -> the same with the residues R..R+2 (mod 10) held back instead
                                       of 0-2: the rotated views of bench/clean/wcxb_views
"""
import json, pathlib, sys


def fnv1a(s):
    h = 2166136261
    for b in s.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def norm_domain(domain):
    d = domain.lower()
    return d[4:] if d.startswith("www.") else d


def ground_truth(root, i):
    """Page i's gold record (WCXB_DIR/ground-truth/<i>.json's "ground_truth": main_content,
    title, author, ...)."""
    return json.loads((pathlib.Path(root) / "ground-truth" / f"{i}.json").read_text())["ground_truth"]


def gold_text(root, i):
    """Page i's gold main text ("" when it has none)."""
    return ground_truth(root, i).get("main_content") or ""


def held(domain, first=0):
    return (fnv1a(norm_domain(domain)) - first) % 10 < 3


def main():
    root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    out.mkdir(parents=True, exist_ok=True)
    meta = json.loads((root / "metadata.json").read_text())["files"]
    fit, hb = [], []
    for i in sorted(meta):
        (hb if held(meta[i].get("domain", ""), first) else fit).append(i)
    (out / "fit.ids").write_text("".join(i + "\n" for i in fit))
    (out / "held.ids").write_text("".join(i + "\n" for i in hb))
    # id, page type, domain (the trainer cross-fits by domain, as the split is by domain)
    (out / "types.tsv").write_text("".join(
        f"{i}\t{meta[i].get('page_type')}\t{norm_domain(meta[i].get('domain', ''))}\n" for i in sorted(meta)))
    # gold main text as plain files, for the C trainer (it reads no JSON)
    g = out / "gold"
    g.mkdir(exist_ok=True)
    for i in sorted(meta):
        (g / f"{i}.txt").write_text(gold_text(root, i))
    print(f"fit {len(fit)} held {len(hb)}", file=sys.stderr)


if __name__ == "__main__":
    main()
