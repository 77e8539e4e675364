# A record that crashes a plugin crashes one run, not every run: the crash
# report names it and the next run dead-letters it once, with a reason
# that says which stage, plugin and signal, and exports the rest; later
# runs skip it.
. "$(dirname "$0")/lib.sh"

gen_config "$T/c.yaml" 20 "  - { id: p, use: test_pass, with: { crash_at: 7 } }" ", state: state.db"
run_w 139 run "$T/c.yaml"
has "$T/err" "crashed (SIGSEGV) in stage 'p'"
has "$T/err" "the next run quarantines that record"
check "the poison record is noted" grep -q "	p	test_pass" "$T/state.db.quarantine"
run_w 2 run "$T/c.yaml"
lines "$T/out/dead_letter.jsonl" 1
has "$T/out/dead_letter.jsonl" '"code":"quarantined"'
has "$T/out/dead_letter.jsonl" "crashed stage 'p' (plugin test_pass"
json "$T/out/run.json" "d['records']['exported']==19"
run_w 0 run "$T/c.yaml"
json "$T/out/run.json" "d['records']['seen']==20 and d['records']['dead_lettered']==0"
finish
