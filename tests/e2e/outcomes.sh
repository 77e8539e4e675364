# Exit codes, dead letters, drops, retries, on_error and when: through
# whole runs of the synthetic pipeline.
. "$(dirname "$0")/lib.sh"

# A clean run: exit 0, nothing on stderr, every record exported.
gen_config "$T/ok.yaml" 200 "  - { id: p, use: test_pass }"
run_w 0 run "$T/ok.yaml"
check "clean run is silent" test ! -s "$T/err"
lines "$T/out/articles.jsonl" 200
lines "$T/out/articles.csv" 201
lines "$T/out/dead_letter.jsonl" 0
json "$T/out/run.json" "d['status']=='ok' and d['records']=={'read':200,'exported':200,'dropped':0,'seen':0,'duplicates':0,'dead_lettered':0,'unfinished':0}"
json "$T/out/run.json" "[s['id'] for s in d['stages']]==['gen','p','json','csv'] and d['stages'][1]['version']=='1.0.0'"
json "$T/out/run.json" "len(d['config']['sha256'])==64"

# Some records fail: exit 2, exactly those dead-lettered with their
# reasons, the rest exported, one summary line.
gen_config "$T/part.yaml" 200 "  - { id: p, use: test_pass, with: { fail_every: 7 } }"
run_w 2 run "$T/part.yaml"
lines "$T/out/dead_letter.jsonl" 29 # n = 0, 7, ..., 196
lines "$T/out/articles.jsonl" 171
has "$T/out/dead_letter.jsonl" '"url":"https://gen.example/7","code":"bad_record","reason":"record 7 fails on purpose"'
has "$T/out/dead_letter.jsonl" '"stage":"p","plugin":"test_pass","version":"1.0.0"'
lacks "$T/out/articles.jsonl" '"url":"https://gen.example/7"'
has "$T/out/articles.jsonl" '"url":"https://gen.example/8"'
lines "$T/err" 1
has "$T/err" "partial run part: 200 read, 171 exported, 0 dropped, 29 dead-lettered"

# Drops are counted per rule and are not a partial run.
gen_config "$T/drop.yaml" 100 "  - { id: p, use: test_pass, with: { drop_every: 10 } }"
run_w 0 run "$T/drop.yaml"
json "$T/out/run.json" "d['stages'][1]['drops']=={'unwanted':10} and d['records']['dropped']==10"

# RETRY is retried with backoff and then succeeds.
gen_config "$T/retry.yaml" 50 "  - { id: p, use: test_pass, with: { retry_every: 5 }, retry: { max: 2, backoff: 1ms } }"
run_w 0 run "$T/retry.yaml"
lines "$T/out/articles.jsonl" 50
json "$T/out/run.json" "d['stages'][1]['retries']==10"

# Retries exhausted: dead-lettered with the attempts.
gen_config "$T/noretry.yaml" 20 "  - { id: p, use: test_pass, with: { retry_every: 5 }, retry: 0 }"
run_w 2 run "$T/noretry.yaml"
lines "$T/out/dead_letter.jsonl" 4
has "$T/out/dead_letter.jsonl" '"code":"flaky"'

# on_error: drop turns failures into counted drops (exit 0).
gen_config "$T/oe_drop.yaml" 50 "  - { id: p, use: test_pass, with: { fail_every: 5 }, on_error: drop }"
run_w 0 run "$T/oe_drop.yaml"
json "$T/out/run.json" "d['records']['dropped']==10 and d['stages'][1]['drops']=={'bad_record':10}"

# on_error: skip keeps the record as it was.
gen_config "$T/oe_skip.yaml" 50 "  - { id: p, use: test_pass, with: { fail_every: 5 }, on_error: skip }"
run_w 0 run "$T/oe_skip.yaml"
lines "$T/out/articles.jsonl" 50

# on_error: fail stops the run, commits nothing (earlier outputs stay).
cp "$T/out/articles.jsonl" "$T/before.jsonl"
gen_config "$T/oe_fail.yaml" 50 "  - { id: p, use: test_pass, with: { fail_every: 5 }, on_error: fail }"
run_w 1 run "$T/oe_fail.yaml"
check "failed run leaves outputs" cmp -s "$T/out/articles.jsonl" "$T/before.jsonl"
check "failed run writes run.json.failed" test -s "$T/out/run.json.failed"
has "$T/err" "failed run oe_fail: "
has "$T/err" "(nothing was committed)"
has "$T/err" "ready to export"
lacks "$T/err" "see dead_letter.jsonl"

# The next run that commits removes the failed run's leftover report.
run_w 0 run "$T/oe_skip.yaml"
check "a committed run clears run.json.failed" test ! -e "$T/out/run.json.failed"

# when: the stage runs only where the condition holds.
gen_config "$T/when.yaml" 10 "  - { id: p, use: test_pass, with: { tag: seen }, when: { field: lang, eq: en } }"
run_w 0 run "$T/when.yaml"
check "tag only on en" python3 -c "
import json,sys
rows=[json.loads(l) for l in open('$T/out/articles.jsonl')]
sys.exit(0 if all((r.get('tag')=='seen')==(r['lang']=='en') for r in rows) and len(rows)==10 else 1)"
json "$T/out/run.json" "d['stages'][1]['skipped']==5"

# A stage that returns FATAL stops; its records are dead-lettered.
gen_config "$T/fatal.yaml" 100 "  - { id: p, use: test_pass, with: { fatal_at: 30 } }" ", batch_size: 10"
run_w 2 run "$T/fatal.yaml"
has "$T/err" "stopped: 'p'"
json "$T/out/run.json" "d['stages'][1]['stopped'] and d['records']['exported']+d['records']['dead_lettered']==100"

# A transform whose init fails: the run fails before reading anything.
gen_config "$T/init.yaml" 10 "  - { id: p, use: test_pass, with: { fail_init: true } }"
run_w 1 run "$T/init.yaml"
has "$T/err" "[p] error: init failed on purpose"
has "$T/err" "stage did not start"

# A spent time budget stops pulling, commits what is done, exits 2.
gen_config "$T/budget.yaml" 5000 "  - { id: p, use: test_pass, with: { delay_ms: 2 } }" ", time_budget: 300ms, workers: 1"
run_w 2 run "$T/budget.yaml"
json "$T/out/run.json" "d['time_budget_hit'] and 0 < d['records']['exported'] < 5000 and d['records']['exported']==d['records']['read']"
has "$T/err" "time budget spent"

# --limit stops after N source records.
gen_config "$T/limit.yaml" 100 "  - { id: p, use: test_pass }"
run_w 0 run "$T/limit.yaml" --limit 25
lines "$T/out/articles.jsonl" 25

finish
