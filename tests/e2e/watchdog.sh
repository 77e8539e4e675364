# A stage that never returns on a record cannot hold the run and its lock
# for ever: past run.record_timeout the record in flight is dead-lettered
# ("timeout") and quarantined, the run commits what was delivered before
# it and exits 2; the next run dead-letters that record at once (it does
# not hang again) and exports the rest.
. "$(dirname "$0")/lib.sh"

# Record 5 waits for a file that never comes: a hung plugin call.
gen_config "$T/c.yaml" 40 "  - { id: hang, use: test_pass, with: { gate_at: 5, gate_file: $T/never } }" \
	", state: state.db, workers: 1, batch_size: 4, record_timeout: 2s"
run_w 2 run "$T/c.yaml"
has "$T/err" "stuck for"
has "$T/out/dead_letter.jsonl" '"code":"timeout"'
json "$T/out/run.json" "d['records']['exported']==4 and d['records']['dead_lettered']==1"
check "the hung record is noted for quarantine" grep -q "	hang	test_pass 1.0.0	timeout" "$T/state.db.quarantine"
run_w 2 run "$T/c.yaml"
has "$T/out/dead_letter.jsonl" '"code":"quarantined"'
json "$T/out/run.json" "d['records']['exported']==35 and d['records']['dead_lettered']==1"
run_w 0 run "$T/c.yaml"
json "$T/out/run.json" "d['records']['seen']==40"

# With no record timeout, run.time_budget still ends a run stuck in a
# stage: the calls in flight get a grace period, then the run commits what
# it delivered (exit 2) and their records are left for the next run.
gen_config "$T/b.yaml" 40 "  - { id: hang, use: test_pass, with: { gate_at: 5, gate_file: $T/never } }" \
	", workers: 1, batch_size: 4, record_timeout: 0, time_budget: 1s"
run_w 2 run "$T/b.yaml"
has "$T/err" "after run.time_budget"
json "$T/out/run.json" "d['records']['exported']==4 and d['time_budget_hit']"
finish
