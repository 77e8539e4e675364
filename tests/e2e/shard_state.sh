#!/bin/bash
# Incremental sharded runs (run.state, docs/scale-out.md): a cron-style run
# over a growing input, sharded, exports what a one-machine incremental run
# exports. Run 1 plans set A (4 shards) and merges; set B is added (new
# articles, exact and near copies of A's, A's files still there); run 2
# plans A+B in a new work folder (3 shards) and merges. Its dataset equals,
# record for record, the second run of a one-machine config with run.state
# over A then A+B; nothing of A is exported again; the store knows every id
# of A and B. A shard whose store cannot be read fails closed.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

python3 "$WN_SRC/tests/e2e/shard_corpus.py" in 160 21
config() { # FILE STORE
	cat >"$1" <<YAML
version: 1
run: { name: incr, output_dir: out-$2, state: $2/state.db }
sources:
  - { id: pages, use: source_files, with: { paths: [in] } }
pipeline:
  - { id: html, use: clean_html }
sinks:
  - { id: json, use: export_json, with: { path: articles.jsonl } }
YAML
}
config one.yaml one
config sh.yaml sh
ids() { python3 -c "import json,sys; [print(json.loads(l)['id']) for l in open(sys.argv[1])]" "$1"; }
# The duplicates of a drop log: "ID duplicate_of", sorted.
dups() {
	python3 -c "
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get('duplicate_of'): print(d['id'], d['duplicate_of'])" "$1" | sort
}

# Run 1 over A: one machine, and 4 shards plus the merge.
run_w 0 run one.yaml --set run.output_dir=one1
run_w 0 plan sh.yaml --shards 4 --workdir wd1
for k in 0 1 2 3; do run_w 0 run sh.yaml --shard $k/4 --workdir wd1; done
run_w 0 merge --workdir wd1 --output m1
check "run 1: articles.jsonl is the one-machine run's" cmp -s one1/articles.jsonl m1/articles.jsonl
check "run 1: the same duplicates" cmp -s <(dups one1/dropped.jsonl) <(dups m1/dropped.jsonl)
check "run 1: A has duplicates" test -n "$(dups m1/dropped.jsonl)"
ids m1/articles.jsonl | sort >a-exported
# A plan is merged into the store once: a second merge is refused.
run_w 1 merge --workdir wd1 --output m1b
has err "was merged into the state store by run"
check "the second merge wrote nothing" test ! -e m1b/articles.jsonl

# Set B: new articles, exact copies and near copies of A's (a word added),
# A's files unchanged beside them.
python3 "$WN_SRC/tests/e2e/shard_corpus.py" new 40 22
for f in new/*.html; do mv "$f" "in/b-$(basename "$f")"; done
for i in 3 17 41 88 120 150; do cp "in/p$(printf %05d $i).html" "in/b-copy-$i.html"; done
for i in 5 23 64 99 130 155; do
	sed 's/<p>/<p>Update: /' "in/p$(printf %05d $i).html" >"in/b-near-$i.html"
done

# Run 2 over A+B: one machine, and 3 shards in a new work folder.
run_w 0 run one.yaml --set run.output_dir=one2
json one2/run.json "d['records']['seen'] > 100"
run_w 0 plan sh.yaml --shards 3 --workdir wd2
has stdout "planned 212 inputs in 3 shards"
for k in 0 1 2; do run_w 0 run sh.yaml --shard $k/3 --workdir wd2; done
run_w 0 merge --workdir wd2 --output m2
check "run 2: articles.jsonl is the one-machine run's" cmp -s one2/articles.jsonl m2/articles.jsonl
check "run 2: the same duplicates (ids, duplicate_of)" cmp -s <(dups one2/dropped.jsonl) <(dups m2/dropped.jsonl)
for i in 3 17 41 88 120 150; do has m2/dropped.jsonl "b-copy-$i.html"; done
for i in 5 23 64 99 130 155; do has m2/dropped.jsonl "b-near-$i.html"; done
# The copies of A's articles name A's articles (exported by run 1).
python3 -c "
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if '/in/b-copy-' in d['url'] or '/in/b-near-' in d['url']: print(d['duplicate_of'])" \
	m2/dropped.jsonl | sort -u >b-of
check "run 2: copies name A's articles" test "$(comm -23 b-of a-exported)" = "" -a -s b-of
check "run 2: exports new articles" test "$(wc -l <m2/articles.jsonl)" -gt 15
check "run 2: nothing of A exported again" test -z "$(ids m2/articles.jsonl | sort | comm -12 - a-exported)"
json m2/run.json "d['records']['seen'] == d['records']['read'] - 52"
# The store knows every id of A and B, as the one-machine store does.
known() {
	python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for (i,) in db.execute('SELECT DISTINCT id FROM seen WHERE committed = 1 ORDER BY id'): print(i)" "$1"
}
known sh/state.db >sh-known
known one/state.db >one-known
check "the store knows all 212 inputs" test "$(wc -l <sh-known)" = 212
check "the store knows what the one-machine store knows" cmp -s one-known sh-known
# Run 3, nothing new: every shard skips everything, nothing is exported.
run_w 0 plan sh.yaml --shards 2 --workdir wd3
for k in 0 1; do run_w 0 run sh.yaml --shard $k/2 --workdir wd3; done
run_w 0 merge --workdir wd3 --output m3
lines m3/articles.jsonl 0
json m3/run.json "d['records']['seen'] == 212"

# A store a shard cannot read fails it closed: exit 78, a message, no
# records, the shard marked failed, and the merge refuses the plan.
run_w 0 plan sh.yaml --shards 2 --workdir wd4
cp sh/state.db good.db
head -c 4096 /dev/urandom >sh/state.db
rm -f sh/state.db-wal sh/state.db-shm
run_w 78 run sh.yaml --shard 0/2 --workdir wd4
has err "state store"
check "no records from a shard that cannot check" test ! -e wd4/shards/00000/records.jsonl
run_w 2 plan --workdir wd4 --status
has stdout "shard 00000 failed"
# A store that is not there (not shared with this node) is not a first run.
rm -f sh/state.db
run_w 78 run sh.yaml --shard 1/2 --workdir wd4
has err "cannot open read-only"
has err "is its folder shared with this node?"
cp good.db sh/state.db
run_w 0 run sh.yaml --shard 0/2 --workdir wd4
run_w 0 run sh.yaml --shard 1/2 --workdir wd4
run_w 0 merge --workdir wd4 --output m4
lines m4/articles.jsonl 0

finish
