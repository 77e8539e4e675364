# The run lock (a second run exits 75 at once) and kill -9 safety (earlier
# outputs intact, no partial file under a final name, leftovers swept).
. "$(dirname "$0")/lib.sh"

gen_config "$T/fast.yaml" 100 "  - { id: p, use: test_pass }"
run_w 0 run "$T/fast.yaml"
cp "$T/out/articles.jsonl" "$T/first.jsonl"

gen_config "$T/slow.yaml" 400 "  - { id: p, use: test_pass, with: { delay_ms: 10 } }" ", workers: 1, batch_size: 4"
"$WINNOW" run "$T/slow.yaml" 2>"$T/slow.err" &
pid=$!
# Wait until the slow run holds the lock (its temp outputs exist).
for _ in $(seq 100); do
	ls "$T/out"/.articles.jsonl.tmp.* >/dev/null 2>&1 && break
	sleep 0.05
done
start=$(date +%s%N)
run_w 75 run "$T/fast.yaml"
took=$((($(date +%s%N) - start) / 1000000))
check "second run refused within a second (${took} ms)" test "$took" -lt 1000
has "$T/err" "another run holds the lock"

kill -9 "$pid"
wait "$pid" 2>/dev/null
check "outputs intact after kill -9" cmp -s "$T/out/articles.jsonl" "$T/first.jsonl"
check "run.json intact" test -s "$T/out/run.json"
check "leftover temp files only under temp names" sh -c "ls -a '$T/out' | grep -q '\.tmp\.'"
# The next run takes the lock (released by the kernel) and sweeps leftovers.
run_w 0 run "$T/fast.yaml"
check "leftovers swept" sh -c "! ls -a '$T/out' | grep -q '\.tmp\.'"
finish
