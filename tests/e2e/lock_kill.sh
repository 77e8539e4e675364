# The run lock (a second run exits 75) and kill -9 safety (earlier outputs
# intact, nothing of the killed run visible, its staging swept).
. "$(dirname "$0")/lib.sh"

gen_config "$T/fast.yaml" 100 "  - { id: p, use: test_pass }"
run_w 0 run "$T/fast.yaml"
cp "$T/out/articles.jsonl" "$T/first.jsonl"

gen_config "$T/slow.yaml" 400 "  - { id: p, use: test_pass, with: { delay_ms: 10 } }" ", workers: 1, batch_size: 4"
"$WINNOW" run "$T/slow.yaml" 2>"$T/slow.err" &
pid=$!
# Wait until the slow run holds the lock (its staged generation exists);
# the wait is bounded but generous, and only the outcome is asserted.
for _ in $(seq 600); do
	ls -d "$T/out/.winnow/gen.$pid."* >/dev/null 2>&1 && break
	sleep 0.05
done
check "slow run staged its outputs" sh -c "ls -d '$T/out/.winnow/gen.$pid.'* >/dev/null"
run_w 75 run "$T/fast.yaml"
check "exit 75 is quiet at the default level (cron mails nothing)" test ! -s "$T/err"
run_w 75 run "$T/fast.yaml" --log-level info
has "$T/err" "another run holds the lock"
has "$T/err" "(exit 75)"

kill -9 "$pid"
wait "$pid" 2>/dev/null
check "outputs intact after kill -9" cmp -s "$T/out/articles.jsonl" "$T/first.jsonl"
check "run.json intact" test -s "$T/out/run.json"
check "killed run's staging left only under .winnow" sh -c "ls -d '$T/out/.winnow/gen.$pid.'* >/dev/null"
check "visible names are links through .winnow/current" test -L "$T/out/articles.jsonl"
# The next run takes the lock (released by the kernel) and sweeps leftovers.
run_w 0 run "$T/fast.yaml"
check "leftovers swept" sh -c "! ls -d '$T/out/.winnow/gen.$pid.'* 2>/dev/null"
check "one generation remains" test "$(ls "$T/out/.winnow" | grep -c '^gen\.')" = 1
finish
