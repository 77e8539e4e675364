#!/usr/bin/env python3
"""clean_html alone against clean_html+clean_text on WCXB dev, to four
decimals (wcxb_score.py prints three, too coarse to tell "at least"):
mean word F1 over all pages and over the held-back pages of clean_html's
split (bench/clean/wcxb_split.py), with the pages where they differ most.

Usage: wcxb_pair.py WCXB_DIR CLEAN_HTML_DIR BOTH_DIR
"""
import importlib.util
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    root, a, b = (pathlib.Path(x) for x in sys.argv[1:4])
    score = load("wcxb_score", root.parent.parent / "tools" / "wcxb_score.py")
    split = load("wcxb_split", here.parent / "wcxb_split.py")
    meta = json.loads((root / "metadata.json").read_text())["files"]
    rows = []
    for i in sorted(meta):
        gold = split.gold_text(root, i)
        fa, fb = (score.f1((d / f"{i}.txt").read_text(encoding="utf-8", errors="replace")
                           if (d / f"{i}.txt").exists() else "", gold)[2] for d in (a, b))
        rows.append((i, split.held(meta[i].get("domain", "")), fa, fb))
    for name, sel in (("all", rows), ("held-back", [r for r in rows if r[1]])):
        ma = sum(r[2] for r in sel) / len(sel)
        mb = sum(r[3] for r in sel) / len(sel)
        print(f"WCXB {name:<9} {len(sel):>5} pages  clean_html {ma:.5f}  "
              f"clean_html+clean_text {mb:.5f}  ({mb - ma:+.5f})")
    worst = sorted(rows, key=lambda r: r[3] - r[2])[:3]
    print("largest losses: " + ", ".join(f"{i} {fb - fa:+.3f}" for i, _, fa, fb in worst))


if __name__ == "__main__":
    main()
