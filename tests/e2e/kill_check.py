#!/usr/bin/env python3
"""Kill safety, checked from a reader's side.

Runs winnow over a generated source of RECORDS records again and again,
each run SIGKILLed either at a random moment or at a named step of its
commit (WINNOW_CRASH_AT, so every window of the commit is hit whatever
the machine's speed), then runs it to the end. After every process ends
it looks at the output the way a reader would:

  * every visible output (a run folder, or the fixed folder resolved
    once through .winnow/current) is complete: run.json is there and the
    ids of articles.jsonl and articles.csv are the same;
  * across all the runs that committed, every record was exported
    exactly once: none repeated, none missing;
  * the SQLite database the runs accumulate (export_sqlite) holds each
    article at most once and every article of the committed runs (it may
    also hold the rows of a run killed after its sink committed, which the
    next run exports again: the upsert keeps them once), and at the end
    exactly the articles exported.

Only outcomes are asserted, never how many runs managed to commit.

usage: kill_check.py WINNOW TESTKIT_DIR WORKDIR LAYOUT KILLS [SEED]
       LAYOUT: per-run (output_dir: out/${RUN_ID}) or fixed (output_dir: out)
"""
import csv
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

RECORDS = 2000
POINTS = ["commit:staged", "commit:prepared", "commit:linked", "commit:published",
          "commit:ledger"]


def config(work, testkit, layout):
    out = "out/${RUN_ID}" if layout == "per-run" else "out"
    db = os.path.join(work, "winnow.db")
    path = os.path.join(work, "c.yaml")
    with open(path, "w") as f:
        f.write(f"""version: 1
run: {{ output_dir: "{out}", state: state.db, workers: 2, batch_size: 16,
       plugin_path: [{testkit}] }}
sources:
  - {{ id: gen, use: test_gen, with: {{ count: {RECORDS}, size: 256 }} }}
pipeline:
  - {{ id: slow, use: test_pass, with: {{ delay_ms: 2 }} }}
sinks:
  - {{ id: json, use: export_json }}
  - {{ id: csv, use: export_csv }}
  - {{ id: db, use: export_sqlite, with: {{ path: {db} }} }}
""")
    return path


def read_set(folder):
    """(run_id, ids) of one complete output set; raises when incomplete."""
    with open(os.path.join(folder, "run.json")) as f:
        run_id = json.load(f)["run_id"]
    with open(os.path.join(folder, "articles.jsonl")) as f:
        ids = [json.loads(line)["n"] for line in f]
    with open(os.path.join(folder, "articles.csv"), newline="") as f:
        rows = [r["id"] for r in csv.DictReader(f)]
    with open(os.path.join(folder, "articles.jsonl")) as f:
        json_ids = [json.loads(line)["id"] for line in f]
    if rows != json_ids:
        raise AssertionError(f"{folder}: articles.csv ids differ from articles.jsonl")
    return run_id, (ids, json_ids)


def visible_sets(out, layout):
    """Every output set a reader sees now, as {run_id: ids}."""
    sets = {}
    if not os.path.isdir(out):
        return sets
    if layout == "fixed":
        cur = os.path.join(out, ".winnow", "current")
        if not os.path.exists(os.path.join(out, "run.json")):
            return sets
        real = os.path.realpath(cur)  # resolved once: one consistent set
        rid, got = read_set(real)
        sets[rid] = got
        return sets
    for name in sorted(os.listdir(out)):
        d = os.path.join(out, name)
        if name.startswith(".") or name == "latest" or not os.path.isdir(d):
            continue
        if not os.path.exists(os.path.join(d, "run.json")):
            raise AssertionError(f"visible run folder without run.json: {name}: "
                                 f"{sorted(os.listdir(d))}")
        rid, got = read_set(d)
        sets[rid] = got
    return sets


def db_ids(work):
    """The article ids in the accumulated database (a list: repeats show)."""
    path = os.path.join(work, "winnow.db")
    if not os.path.exists(path):
        return []
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT id FROM articles")]
    except sqlite3.OperationalError:
        return []  # not created yet
    finally:
        con.close()


def main():
    winnow, testkit, work, layout, kills = sys.argv[1:6]
    rng = random.Random(int(sys.argv[6]) if len(sys.argv) > 6 else 42)
    kills = int(kills)
    cfg = config(work, testkit, layout)
    out = os.path.join(work, "out")
    committed = {}  # run_id -> ids, each committed set seen once
    problems = []

    def observe():
        try:
            for rid, got in visible_sets(out, layout).items():
                if rid in committed and committed[rid] != got:
                    problems.append(f"run {rid} changed after it committed")
                committed.setdefault(rid, got)
            in_db = db_ids(work)
            if len(in_db) != len(set(in_db)):
                problems.append("the database holds an article more than once")
            exported = {i for _, ids in committed.values() for i in ids}
            if not exported <= set(in_db):
                problems.append(f"the database lacks {len(exported - set(in_db))} committed articles")
        except (AssertionError, OSError, ValueError, KeyError, sqlite3.Error) as e:
            problems.append(str(e))

    for i in range(kills):
        env = dict(os.environ)
        env.pop("RUN_ID", None)
        point = POINTS[i % len(POINTS)] if i % 2 == 0 else None
        if point:
            env["WINNOW_CRASH_AT"] = point
        limit = 20 + rng.randrange(100)
        p = subprocess.Popen([winnow, "run", cfg, "--limit", str(limit)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if not point:
            time.sleep(rng.random() * 0.3)
            try:
                p.send_signal(signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, err = p.communicate()
        if p.returncode not in (0, -signal.SIGKILL):
            problems.append(f"run {i} exited {p.returncode}: {err.decode()[-300:]}")
        observe()
    for _ in range(2):  # then to the end
        p = subprocess.run([winnow, "run", cfg], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        if p.returncode != 0:
            problems.append(f"final run exited {p.returncode}: {p.stderr.decode()[-300:]}")
        observe()

    allids = [n for ns, _ in committed.values() for n in ns]
    if sorted(db_ids(work)) != sorted(i for _, ids in committed.values() for i in ids):
        problems.append("at the end the database does not hold exactly the exported articles")
    rep = len(allids) - len(set(allids))
    missing = RECORDS - len(set(allids))
    print(f"{layout}: {kills} killed runs, {len(committed)} committed sets seen, "
          f"{len(allids)} records, {rep} repeated, {missing} missing")
    if rep or missing or sorted(set(allids)) != list(range(RECORDS)):
        problems.append(f"not exactly once: {rep} repeated, {missing} missing")
    for p in problems[:20]:
        print("FAIL:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
