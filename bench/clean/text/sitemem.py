#!/usr/bin/env python3
"""Scores the site-memory bench (bench/clean/text_run): for each cleaned
folder, the synthetic site's boilerplate lines left in the first and the
second half of the 50 pages, and the story lines kept (every line after
the byline that is not boilerplate).

Usage: sitemem.py SITEDIR NAME=OUTDIR...
"""
import os
import sys


def main():
    site = sys.argv[1]
    boiler = [l for l in open(os.path.join(site, "boiler.txt")).read().split("\n") if l]
    pages = sorted(os.listdir(os.path.join(site, "pages")))
    half = len(pages) // 2
    print(f"{'':<24} {'boilerplate left':>28} {'story lines kept':>18}")
    print(f"{'':<24} {'pages 1-25':>13} {'pages 26-50':>14}")
    for arg in sys.argv[2:]:
        name, out = arg.split("=", 1)
        left = [0, 0]
        story = kept = 0
        for i, p in enumerate(pages):
            src = open(os.path.join(site, "pages", p)).read().split("\n")
            got = open(os.path.join(out, p)).read()
            left[i >= half] += sum(b in got for b in boiler)
            for line in [l for l in src[3:] if l and l not in boiler]:  # after the byline
                story += 1
                kept += line in got
        n = len(boiler) - 2  # a page carries 4 of the 6 lines (one bio of three)
        print(f"{name:<24} {left[0]:>6} of {half * n:<4} {left[1]:>6} of {(len(pages) - half) * n:<4}"
              f" {kept:>8} of {story}")


if __name__ == "__main__":
    main()
