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
  * each database the runs accumulate, SQLite (export_sqlite) and, when
    WN_PSQL is set, PostgreSQL (export_postgres), holds each article at
    most once and exactly what the committed runs exported: every article
    of a committed run, under that run's id. The one thing it may hold
    beyond is a whole run whose sink committed before the run was killed
    (the sinks commit before the run's outputs and ledger, so a killed run
    leaves a database as it was or holds all of that run): such rows carry
    an id of a run that is in the database's `runs` but never committed,
    and the next run exports them again (the upsert keeps them once). At
    the end each database holds exactly the articles exported.

Only outcomes are asserted, never how many runs managed to commit.

usage: kill_check.py WINNOW TESTKIT_DIR WORKDIR LAYOUT KILLS [SEED]
       LAYOUT: per-run (output_dir: out/${RUN_ID}) or fixed (output_dir: out)
       env WN_PSQL: psql to query the PostgreSQL sink's database (PG* set)
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
          "commit:ledger", "sqlite:written", "sqlite:committed"]
PSQL = os.environ.get("WN_PSQL")
if PSQL:
    POINTS += ["postgres:written", "postgres:committed"]


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
        if PSQL:
            f.write("  - { id: pg, use: export_postgres }\n")
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


def sqlite_rows(work):
    """([(id, run_id)] of the articles, {run ids in runs}) of the SQLite
    database; a list, so repeats show."""
    path = os.path.join(work, "winnow.db")
    if not os.path.exists(path):
        return [], set()
    con = sqlite3.connect(path)
    try:
        return (list(con.execute("SELECT id, run_id FROM articles")),
                {r[0] for r in con.execute("SELECT run_id FROM runs")})
    except sqlite3.OperationalError:
        return [], set()  # not created yet
    finally:
        con.close()


def pg_query(sql):
    p = subprocess.run([PSQL, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True)
    if p.returncode != 0:
        if "does not exist" in p.stderr:
            return None  # not created yet
        raise OSError(f"psql: {p.stderr.strip()}")
    return [line.split("|") for line in p.stdout.splitlines()]


def pg_rows(work):
    """The same for the PostgreSQL database."""
    arts, runs = pg_query("SELECT id, run_id FROM articles"), pg_query("SELECT run_id FROM runs")
    if arts is None or runs is None:
        return [], set()
    return [tuple(r) for r in arts], {r[0] for r in runs}


def check_db(name, rows, db_runs, committed, final):
    """What is wrong with a database against the committed sets, as a
    list of problems. rows: [(id, run_id)]; committed: {run_id: ids}."""
    bad = []
    ids = [i for i, _ in rows]
    if len(ids) != len(set(ids)):
        bad.append(f"{name}: an article more than once")
    owner = {i: rid for rid, (_, jids) in committed.items() for i in jids}
    got = dict(rows)
    lacking = [i for i in owner if i not in got]
    if lacking:
        bad.append(f"{name}: lacks {len(lacking)} committed articles")
    wrong = [i for i in owner if i in got and got[i] != owner[i]]
    if wrong:
        bad.append(f"{name}: {len(wrong)} committed articles under another run's id")
    extra = {rid for i, rid in got.items() if i not in owner}
    if final and extra:
        bad.append(f"{name}: holds {len(got) - len(owner)} articles no committed run exported")
    for rid in extra:
        if rid in committed or rid not in db_runs:
            bad.append(f"{name}: articles of run {rid} that are neither committed "
                       "nor a whole run of the database")
    return bad


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
            check_dbs(False)
        except (AssertionError, OSError, ValueError, KeyError, sqlite3.Error) as e:
            problems.append(str(e))

    def check_dbs(final):
        problems.extend(check_db("sqlite", *sqlite_rows(work), committed, final))
        if PSQL:
            problems.extend(check_db("postgres", *pg_rows(work), committed, final))

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
    try:
        check_dbs(True)
    except (OSError, sqlite3.Error) as e:
        problems.append(str(e))
    rep = len(allids) - len(set(allids))
    missing = RECORDS - len(set(allids))
    print(f"{layout}: {kills} killed runs, {len(committed)} committed sets seen, "
          f"{len(allids)} records, {rep} repeated, {missing} missing; databases: sqlite"
          f"{', postgres' if PSQL else ''}")
    if rep or missing or sorted(set(allids)) != list(range(RECORDS)):
        problems.append(f"not exactly once: {rep} repeated, {missing} missing")
    for p in problems[:20]:
        print("FAIL:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
