"""One run, three readers: pandas (JSON Lines, CSV, the SQLite database),
sqlite3 and DuckDB (JSON Lines, CSV; its results come as JSON from
tests/readers/duckdb_read.mjs) must agree on row counts and on each
column's type, which must be the field catalogue's (`winnow schema`), and
text[start:end] must be the entity for every entity in every reader.

    python3 dataset_check.py WINNOW OUTDIR DUCKDB_JSON

Exit 0 when all holds, 1 with the differences on stderr.
"""
import csv
import json
import re
import sqlite3
import subprocess
import sys

import pandas as pd

winnow, out, duck_json = sys.argv[1:4]
fails = []


def check(ok, what):
    if not ok:
        fails.append(what)


# --- the catalogue: column -> INTEGER, REAL, TEXT or TIMESTAMP ---------------
schema = subprocess.run([winnow, "schema"], capture_output=True, text=True, check=True).stdout
catalogue = {}
for line in schema.splitlines()[1:]:
    if not line.strip():
        break
    name, typ = line.split()[:2]
    kind = {"integer": "INTEGER", "real": "REAL", "string": "TEXT"}.get(typ)
    if kind == "TEXT" and "ISO 8601 UTC" in line:
        kind = "TIMESTAMP"
    if kind:
        catalogue[name] = kind

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def pandas_kind(col, s):
    """The type class pandas gives a column (None: no values)."""
    s = s.dropna()
    if s.empty:
        return None
    if pd.api.types.is_integer_dtype(s):
        return "INTEGER"
    if pd.api.types.is_float_dtype(s):
        # pandas holds an integer column with missing values as float64
        if catalogue.get(col) == "INTEGER" and (s == s.round()).all():
            return "INTEGER"
        return "REAL"
    if catalogue.get(col) == "TIMESTAMP":
        # one format: the analyst's one-liner parses every value
        try:
            pd.to_datetime(s, format="%Y-%m-%dT%H:%M:%SZ", utc=True)
            return "TIMESTAMP"
        except (ValueError, TypeError):
            return "TEXT(mixed times)"
    return "TEXT"


def duck_kind(t):
    if t in ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "TINYINT"):
        return "INTEGER"
    if t in ("DOUBLE", "FLOAT"):
        return "REAL"
    if t.startswith("TIMESTAMP"):
        return "TIMESTAMP"
    return "TEXT"


def sqlite_kind(db, col, decl):
    vals = [r[0] for r in db.execute(f'SELECT "{col}" FROM articles WHERE "{col}" IS NOT NULL')]
    if not vals:
        return None
    if decl == "TEXT" and catalogue.get(col) == "TIMESTAMP":
        return "TIMESTAMP" if all(ISO.match(v) for v in vals) else "TEXT(mixed times)"
    return decl


# --- pandas ------------------------------------------------------------------
pj = pd.read_json(f"{out}/articles.jsonl", lines=True, dtype={"id": str})
pc = pd.read_csv(f"{out}/articles.csv", dtype={"id": str}, keep_default_na=False,
                 na_values=[""])
ec = pd.read_csv(f"{out}/entities.csv", dtype={"article_id": str, "text": str},
                 keep_default_na=False, na_values=[""])
db = sqlite3.connect(f"file:{out}/winnow.db?mode=ro", uri=True)
ps = pd.read_sql("SELECT * FROM articles", db)
ps_ents = pd.read_sql("SELECT * FROM entities", db)
duck = json.load(open(duck_json))

# --- row counts ----------------------------------------------------------------
n_art = {"pandas jsonl": len(pj), "pandas csv": len(pc), "pandas sqlite": len(ps),
         "sqlite3": db.execute("SELECT count(*) FROM articles").fetchone()[0],
         "duckdb jsonl": duck["jsonl"]["articles"], "duckdb csv": duck["csv"]["articles"]}
nested = sum(len(e) for e in pj["entities"]) if "entities" in pj else 0
n_ent = {"pandas jsonl": nested, "pandas csv": len(ec), "pandas sqlite": len(ps_ents),
         "sqlite3": db.execute("SELECT count(*) FROM entities").fetchone()[0],
         "duckdb jsonl": duck["jsonl"]["entities"], "duckdb csv": duck["csv"]["entities"]}
check(len(set(n_art.values())) == 1 and n_art["sqlite3"] > 0, f"article counts differ: {n_art}")
check(len(set(n_ent.values())) == 1 and n_ent["sqlite3"] > 0, f"entity counts differ: {n_ent}")

# --- column types ----------------------------------------------------------------
decl = {r[1]: r[2] for r in db.execute("PRAGMA table_info(articles)")}
compared = 0
for col, want in catalogue.items():
    if col not in pj.columns or pj[col].dropna().empty:
        continue  # no record has it in this run
    compared += 1
    got = {
        "pandas jsonl": pandas_kind(col, pj[col]),
        "pandas csv": pandas_kind(col, pc[col]) if col in pc else "missing",
        "pandas sqlite": pandas_kind(col, ps[col]) if col in ps else "missing",
        "sqlite3": sqlite_kind(db, col, decl.get(col, "missing")),
        "duckdb jsonl": duck_kind(duck["jsonl"]["types"].get(col, "missing")),
        "duckdb csv": duck_kind(duck["csv"]["types"].get(col, "missing")),
    }
    check(all(k == want for k in got.values()), f"{col}: catalogue {want}, readers {got}")
check(compared >= 10, f"only {compared} columns had values")

# --- entities: text[start:end] ------------------------------------------------------
bad = 0
for _, a in pj.iterrows():
    for e in a["entities"]:
        bad += a["text"][e["start"]:e["end"]] != e["text"]
check(bad == 0, f"pandas jsonl: {bad} entities are not text[start:end]")
texts = dict(zip(ps["id"], ps["text"]))
bad = sum(texts[e.article_id][e.start:e.end] != e.text for e in ps_ents.itertuples())
check(bad == 0, f"pandas sqlite: {bad} entities are not text[start:end]")
bad = db.execute('SELECT count(*) FROM entities e JOIN articles a ON a.id = e.article_id '
                 'WHERE substr(a.text, e.start + 1, e."end" - e.start) != e.text').fetchone()[0]
check(bad == 0, f"sqlite3: {bad} entities are not substr(text, start + 1, end - start)")
ctexts = dict(zip(pc["id"], pc["text"]))
bad = 0
for e in ec.itertuples():
    cut = ctexts[e.article_id][e.start:e.end]
    # a formula-like cell carries a leading ' (docs/schema.md)
    bad += cut != e.text and not (e.text.startswith("'") and cut == e.text[1:])
check(bad == 0, f"pandas csv: {bad} entities are not text[start:end]")
with open(f"{out}/entities.csv", newline="", encoding="utf-8") as f:
    check(sum(1 for _ in csv.DictReader(f)) == len(ec), "csv module and pandas disagree")
for src in ("jsonl", "csv"):
    check(duck[src]["bad_entities"] == 0,
          f"duckdb {src}: {duck[src]['bad_entities']} entities are not substring(text, ...)")

for f in fails:
    print("FAIL:", f, file=sys.stderr)
print(f"articles {n_art['sqlite3']}, entities {n_ent['sqlite3']}, {compared} typed columns "
      f"compared across 6 readers, {len(fails)} failures")
sys.exit(1 if fails else 0)
