#!/usr/bin/env python3
"""Author scores of clean_html and the peers on WCXB pages (bench/clean/wcxb): per tool, of the
pages whose gold names an author, the share where the tool's author is the same (words compared
lower-case, punctuation ignored: "Jane Doe, DVM" is "jane doe dvm"), the share where it found
none, of the pages whose gold has no author, the share where it still gave one, and of all pages
the share where the field is right (the same name, or none where the gold has none): what an
analyst reading the column sees.

  wcxb_authors.py WCXB_DIR IDS_FILE winnow=AUTHORS_TSV NAME=DIR_OF_<id>.author ...
"""
import pathlib, re, sys, unicodedata

from wcxb_split import ground_truth  # the same directory: one reader of the gold


def norm(s):
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", s or "").lower()))


def main():
    root, ids = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text().split()
    gold = {i: norm(ground_truth(root, i).get("author")) for i in ids}
    named = [i for i in ids if gold[i]]
    print(f"{'tool':<14}{'same':>8}{'none':>8}{'spurious':>10}{'right':>8}   "
          f"({len(named)} pages with a gold author, {len(ids) - len(named)} without)")
    for arg in sys.argv[3:]:
        name, src = arg.split("=", 1)
        src = pathlib.Path(src)
        if src.is_file():
            got = dict((l.split("\t") + [""])[:2] for l in src.read_text().splitlines())
        else:
            got = {i: (src / f"{i}.author").read_text() if (src / f"{i}.author").exists() else ""
                   for i in ids}
        got = {i: norm(got.get(i, "")) for i in ids}
        same = sum(got[i] == gold[i] for i in named) / max(len(named), 1)
        none = sum(not got[i] for i in named) / max(len(named), 1)
        spur = sum(bool(got[i]) for i in ids if not gold[i]) / max(len(ids) - len(named), 1)
        right = sum(got[i] == gold[i] for i in ids) / max(len(ids), 1)
        print(f"{name:<14}{same:>8.3f}{none:>8.3f}{spur:>10.3f}{right:>8.3f}")


if __name__ == "__main__":
    main()
