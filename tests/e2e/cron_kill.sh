# Kill safety across runs: a run over 2,000 records is killed with SIGKILL
# at 20 random moments, rerun after each kill, then run to the end; the
# committed outputs of all the runs together hold every record exactly
# once. Each run writes its own folder (output_dir: out/${RUN_ID}); the
# state store remembers what was committed.
. "$(dirname "$0")/lib.sh"

cat >"$T/c.yaml" <<YAML
version: 1
run: { output_dir: "out/\${RUN_ID}", state: state.db, workers: 2, batch_size: 16,
       plugin_path: [$TESTKIT] }
sources:
  - { id: gen, use: test_gen, with: { count: 2000, size: 256 } }
pipeline:
  - { id: slow, use: test_pass, with: { delay_ms: 4 } }
sinks:
  - { id: json, use: export_json }
  - { id: csv, use: export_csv }
YAML
RANDOM=42
kills=0
tries=0
while [ "$kills" -lt 20 ] && [ "$tries" -lt 80 ]; do
	tries=$((tries + 1))
	# Runs of random length (--limit), killed at a random moment: before
	# they read much, mid-run, or while they commit. A kill that comes
	# after the run ended does not count; those runs commit, so kills
	# land between commits too.
	"$WINNOW" run "$T/c.yaml" --limit $((20 + RANDOM % 100)) >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 250)))"
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null
done
check "20 runs killed ($kills in $tries tries)" test "$kills" -ge 20
# Then to the end: every record is either committed earlier or now.
for _ in 1 2; do "$WINNOW" run "$T/c.yaml" 2>"$T/err" || bad "final run failed: $(cat "$T/err")"; done
check "exactly once across committed runs" python3 - "$T/out" <<'PY'
import csv, glob, json, os, sys
ids, runs = [], 0
for d in glob.glob(os.path.join(sys.argv[1], "*")):
    if os.path.islink(d) or not os.path.exists(os.path.join(d, "run.json")):
        continue
    runs += 1
    ids += [json.loads(l)["n"] for l in open(os.path.join(d, "articles.jsonl"))]
    rows = list(csv.DictReader(open(os.path.join(d, "articles.csv"), newline="")))
    assert len(rows) == sum(1 for _ in open(os.path.join(d, "articles.jsonl")))
dups = len(ids) - len(set(ids))
print(f"{runs} committed runs, {len(ids)} records, {dups} repeated, {2000 - len(set(ids))} missing")
sys.exit(0 if sorted(ids) == list(range(2000)) and runs >= 4 else 1)
PY
check "latest points at a committed run" test -f "$T/out/latest/run.json"
check "killed runs' folders swept" test -z "$(find "$T/out" -name '.*.tmp.*')"
check "only committed run folders remain" python3 -c "
import os, sys
d = sys.argv[1]
sys.exit(0 if all(os.path.exists(os.path.join(d, x, 'run.json')) for x in os.listdir(d)) else 1)" "$T/out"
"$WINNOW" runs "$T/c.yaml" >"$T/runs.txt"
has "$T/runs.txt" "committed"
has "$T/runs.txt" "killed"
finish
