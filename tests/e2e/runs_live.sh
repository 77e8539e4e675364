# `winnow runs` while a run is live only reads the history: it shows the
# live run as running (no exit code yet) and settles nothing, so the live
# run still commits every record exactly once.
. "$(dirname "$0")/lib.sh"

# The live run is held at record 1200 until the test says go (gate_file),
# after its first 512 rows are in the store: no guess of how long it runs.
gen_config "$T/c.yaml" 1500 "  - { id: p, use: test_pass, with: { gate_at: 1200, gate_file: $T/go } }" \
	", state: state.db, workers: 1, batch_size: 8"
"$WINNOW" run "$T/c.yaml" 2>"$T/live.err" &
pid=$!
for _ in $(seq 6000); do
	n=$(python3 -c "
import sqlite3, sys
try:
    print(sqlite3.connect(sys.argv[1]).execute('select count(*) from seen').fetchone()[0])
except Exception:
    print(0)" "$T/state.db")
	[ "$n" -gt 0 ] && break
	sleep 0.05
done
check "the live run has rows in the store" test "$n" -gt 0
run_w 0 runs "$T/c.yaml"
cp "$T/stdout" "$T/runs.txt"
touch "$T/go"
wait "$pid"
check "the live run ended well" test $? = 0
has "$T/runs.txt" "running"
check "a live run shows no exit code" python3 -c "
import sys
rows = [l.split() for l in open(sys.argv[1]) if ' running ' in l]
sys.exit(0 if rows and all(r[4] == '-' for r in rows) else 1)" "$T/runs.txt"
json "$T/out/run.json" "d['records']['exported']==1500"
# Nothing of the live run was lost: a second run finds every record seen.
run_w 0 run "$T/c.yaml"
json "$T/out/run.json" "d['records']['exported']==0 and d['records']['seen']==1500"
run_w 0 runs "$T/c.yaml"
check "both runs committed, none killed" python3 -c "
import sys
s = open(sys.argv[1]).read()
sys.exit(0 if s.count('committed') == 2 and 'killed' not in s else 1)" "$T/stdout"
finish
