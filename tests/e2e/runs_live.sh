# `winnow runs` while a run is live only reads the history: it shows the
# live run as running (no exit code yet) and settles nothing, so the live
# run still commits every record exactly once.
. "$(dirname "$0")/lib.sh"

gen_config "$T/c.yaml" 1500 "  - { id: p, use: test_pass, with: { delay_ms: 2 } }" \
	", state: state.db, workers: 1, batch_size: 8"
"$WINNOW" run "$T/c.yaml" 2>"$T/live.err" &
pid=$!
# Bounded wait for the live run to have rows in the store (its first
# batch of 512 pending rows is written); only outcomes are asserted.
for _ in $(seq 600); do
	n=$(python3 -c "
import sqlite3, sys
try:
    print(sqlite3.connect(sys.argv[1]).execute('select count(*) from seen').fetchone()[0])
except Exception:
    print(0)" "$T/state.db")
	[ "$n" -gt 0 ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
run_w 0 runs "$T/c.yaml"
cp "$T/stdout" "$T/runs.txt"
wait "$pid"
check "the live run ended well" test $? = 0
if [ "${n:-0}" -gt 0 ]; then
	has "$T/runs.txt" "running"
	check "a live run shows no exit code" python3 -c "
import sys
rows = [l.split() for l in open(sys.argv[1]) if ' running ' in l]
sys.exit(0 if rows and all(r[4] == '-' for r in rows) else 1)" "$T/runs.txt"
fi
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
