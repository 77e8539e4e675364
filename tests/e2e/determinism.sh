# The same input and config give byte-identical outputs whatever the
# worker count, batch size and queue depth.
. "$(dirname "$0")/lib.sh"

gen_config "$T/c.yaml" 3000 "  - { id: a, use: test_pass, with: { drop_every: 13, fail_every: 17 } }
  - { id: b, use: test_pass, with: { tag: x } }
  - { id: c, use: test_pass }"
for w in 1 2 4; do
	run_w 2 run "$T/c.yaml" --set run.workers=$w --set run.output_dir="$T/w$w"
done
run_w 2 run "$T/c.yaml" --set run.workers=3 --set run.batch_size=7 --set run.queue=2 --set run.output_dir="$T/odd"
for f in articles.jsonl articles.csv entities.csv dead_letter.jsonl; do
	check "$f w1=w2" cmp "$T/w1/$f" "$T/w2/$f"
	check "$f w1=w4" cmp "$T/w1/$f" "$T/w4/$f"
	check "$f w1=odd" cmp "$T/w1/$f" "$T/odd/$f"
done
# Source order is kept: ids follow n = 1, 2, 3, ... (0 fails).
check "source order" python3 -c "
import json,sys
ns=[json.loads(l)['n'] for l in open('$T/w4/articles.jsonl')]
sys.exit(0 if ns==sorted(ns) and len(ns)>2000 else 1)"
finish
