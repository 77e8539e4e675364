# Cron-grade runs: overlap, incremental runs over unchanged and changed
# sources, duplicates within and across runs, damaged or foreign state
# files, the run history, metrics, the latest link and retention.
. "$(dirname "$0")/lib.sh"

# Articles of a few hundred distinct words each, deterministic.
article() { # FILE SEED [EDITS]: EDITS words replaced, spread out
	python3 - "$1" "$2" "${3:-0}" <<'PY'
import random, sys
path, seed, edits = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
words = [w.strip() for w in "harbour council budget river ferry school market energy plant "
         "robot city mayor report growth bank trade policy wind solar rail bridge port water "
         "tariff library museum hospital clinic farm coffee copper mine union strike court".split()]
paras = []
for p in range(6):
    paras.append(" ".join(rnd.choice(words) for _ in range(60)).capitalize() + ".")
for e in range(edits):  # one word in paragraph e changed: a light edit
    w = paras[e].split(" ")
    w[30] = "zeppelin"
    paras[e] = " ".join(w)
open(path, "w").write("\n\n".join(paras) + "\n")
PY
}
mkdir -p "$T/src"
for i in 1 2 3 4 5; do article "$T/src/a$i.txt" "$i"; done
cat >"$T/c.yaml" <<YAML
version: 1
run: { output_dir: "out/\${RUN_ID}", state: state.db }
sources:
  - { id: files, use: source_files, with: { paths: [src] } }
pipeline:
  - { id: text, use: clean_text }
sinks:
  - { id: json, use: export_json }
YAML
records() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['records'])" "$T/out/latest/run.json"; }

run_w 0 run "$T/c.yaml"
json "$T/out/latest/run.json" "d['records']['exported']==5"
check "metrics.prom beside run.json" grep -q 'winnow_run_records{run="c",outcome="exported"} 5' "$T/out/latest/metrics.prom"
check "metrics.prom numbers carry no float noise" python3 -c "
import re, sys
vals = [l.split()[-1] for l in open('$T/out/latest/metrics.prom') if l.strip() and not l.startswith('#')]
sys.exit(0 if vals and all(re.fullmatch(r'-?[0-9]+(\.[0-9]{1,15})?(e[-+][0-9]+)?', v) and len(v) < 18 for v in vals) else 1)"

# A second run over unchanged sources exports nothing: every record seen.
run_w 0 run "$T/c.yaml"
json "$T/out/latest/run.json" "d['records']['exported']==0 and d['records']['seen']==5"
lines "$T/out/latest/articles.jsonl" 0

# One changed file: skipped under on_change: skip (the default) ...
article "$T/src/a3.txt" 33
run_w 0 run "$T/c.yaml"
json "$T/out/latest/run.json" "d['records']['exported']==0 and d['records']['seen']==5"
# ... and exported again, alone, under on_change: update.
run_w 0 run "$T/c.yaml" --set run.on_change=update
json "$T/out/latest/run.json" "d['records']['exported']==1 and d['records']['seen']==4"
has "$T/out/latest/articles.jsonl" '"path":"a3.txt"'

# Duplicates: an exact copy under another name and a lightly edited copy
# in the same run are dropped with the id they duplicate; so is a copy of
# an article an earlier run exported.
article "$T/src/b1.txt" 101
cp "$T/src/b1.txt" "$T/src/b2-copy.txt"
article "$T/src/b3-edited.txt" 101 3
cp "$T/src/a1.txt" "$T/src/old-copy.txt"
run_w 0 run "$T/c.yaml"
json "$T/out/latest/run.json" "d['records']['exported']==1 and d['records']['duplicates']==3"
drops="$T/out/latest/dropped.jsonl"
has "$drops" '"code":"duplicate"'
has "$drops" '"code":"near_duplicate"'
check "duplicate_of names the kept ids" python3 - "$drops" "$T/out" <<'PY'
import glob, json, sys
kept = {json.loads(l)["path"]: json.loads(l)["id"]
        for f in glob.glob(sys.argv[2] + "/*/articles.jsonl") for l in open(f)}
rows = {r["url"].rsplit("/", 1)[1]: r for r in map(json.loads, open(sys.argv[1]))}
ok = (rows["b2-copy.txt"]["duplicate_of"] == kept["b1.txt"]
      and rows["b3-edited.txt"]["duplicate_of"] == kept["b1.txt"]
      and 0.8 <= rows["b3-edited.txt"]["similarity"] < 1
      and rows["old-copy.txt"]["duplicate_of"] == kept["a1.txt"])
sys.exit(0 if ok else 1)
PY

# The run history, newest first.
run_w 0 runs "$T/c.yaml"
check "runs lists every run" test "$(grep -c committed "$T/stdout")" = 5
# Retention counts only runs that exported: with keep: 2 the two newest
# runs with articles stay, and so does this (empty) run; the oldest run
# with articles and the two empty ones go. Empty runs never push a run
# with data out: more empty runs prune nothing more that holds articles.
run_w 0 run "$T/c.yaml" --set run.keep=2
check "retention keeps the 2 newest runs with articles and this one" \
	test "$(find "$T/out" -mindepth 1 -maxdepth 1 -type d | wc -l)" = 3
run_w 0 runs "$T/c.yaml" --limit 10
check "pruned runs stay in the history" test "$(grep -c pruned "$T/stdout")" = 3
for _ in 1 2 3; do run_w 0 run "$T/c.yaml" --set run.keep=2; done
check "empty runs push no run with articles out" python3 -c "
import glob, sys
n = sum(1 for f in glob.glob(sys.argv[1] + '/[0-9]*/articles.jsonl') if open(f).read())
sys.exit(0 if n == 2 else 1)" "$T/out"

# Two runs started together: one runs, the other exits 75 at once.
cat >"$T/slow.yaml" <<YAML
version: 1
run: { output_dir: out2, state: state2.db, plugin_path: [$TESTKIT] }
sources:
  - { id: gen, use: test_gen, with: { count: 300 } }
pipeline:
  - { id: p, use: test_pass, with: { delay_ms: 5 } }
sinks:
  - { id: json, use: export_json }
YAML
"$WINNOW" run "$T/slow.yaml" 2>"$T/a.err" &
a=$!
"$WINNOW" run "$T/slow.yaml" 2>"$T/b.err" &
b=$!
start=$(date +%s%N)
wait "$b"
cb=$?
took=$((($(date +%s%N) - start) / 1000000))
wait "$a"
ca=$?
check "one ran, one refused (exit $ca and $cb)" test "$ca:$cb" = "0:75" -o "$ca:$cb" = "75:0"
if [ "$cb" = 75 ]; then check "refused within a second ($took ms)" test "$took" -lt 1000; fi
run_w 0 run "$T/slow.yaml"
json "$T/out2/run.json" "d['records']['seen']==300 and d['records']['exported']==0"
# --reprocess ignores the history for one run: everything is exported again.
run_w 0 run "$T/slow.yaml" --reprocess
json "$T/out2/run.json" "d['records']['seen']==0 and d['records']['exported']==300"

# A damaged state file: a clear error naming it, exit 78, left as it was.
head -c 3000 "$T/state2.db" >"$T/broken.db"
sum=$(sha256sum <"$T/broken.db")
run_w 78 run "$T/slow.yaml" --set run.state="$T/broken.db"
has "$T/err" "broken.db"
check "damaged file untouched" test "$(sha256sum <"$T/broken.db")" = "$sum"
printf 'this is not a database at all, just text\n%.0s' $(seq 200) >"$T/text.db"
run_w 78 run "$T/slow.yaml" --set run.state="$T/text.db"
has "$T/err" "text.db"
lacks "$T/err" "0 errors"
# A SQLite file of another application is refused, never changed.
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table customers(id, name)'); c.commit()" "$T/other.db"
sum=$(sha256sum <"$T/other.db")
run_w 78 run "$T/slow.yaml" --set run.state="$T/other.db"
has "$T/err" "not a winnow state store"
check "foreign file untouched" test "$(sha256sum <"$T/other.db")" = "$sum"
finish
