#!/bin/bash
# Sharded runs without Slurm: `winnow plan`, shards run by hand, `winnow
# merge`. The merged dataset (and the drop log) is byte-identical for
# N = 1, 4 and 16 and to a one-machine run of the same config; a plan is
# frozen (inputs added later change nothing), refuses another N, a changed
# list or config; a shard rerun replaces its outputs; merge waits for
# every shard.
. "$(dirname "$0")/lib.sh"

python3 "$WN_SRC/tests/e2e/shard_corpus.py" "$T/in" 400
cat >"$T/c.yaml" <<'YAML'
version: 1
run: { name: shards, output_dir: out }
sources:
  - { id: pages, use: source_files, with: { paths: [in] } }
pipeline:
  - { id: html, use: clean_html }
  - { id: entities, use: extract_entities }
sinks:
  - { id: json, use: export_json, with: { path: articles.jsonl } }
  - { id: csv, use: export_csv, with: { path: articles.csv, entities_path: entities.csv } }
YAML
# The same without the entity stage (whose model each shard loads), for
# the runs with many shards.
sed 's/  - { id: entities, use: extract_entities }//' "$T/c.yaml" >"$T/fast.yaml"
cd "$T" || exit 1
FILES="articles.jsonl articles.csv entities.csv dropped.jsonl"

run_w 0 run c.yaml --set run.output_dir=one
run_w 0 run fast.yaml --set run.output_dir=one-fast
check "the corpus has duplicates" grep -q near_duplicate one/dropped.jsonl
check "entities go through the shards" test "$(wc -l <one/entities.csv)" -gt 100

for n in 1 4 16; do
	cfg=fast.yaml ref=one-fast
	[ $n = 4 ] && cfg=c.yaml ref=one
	run_w 0 plan $cfg --shards $n --workdir wd$n
	has stdout "planned 400 inputs in $n shards"
	for k in $(seq 0 $((n - 1))); do run_w 0 run $cfg --shard $k/$n --workdir wd$n; done
	run_w 0 plan --workdir wd$n --status
	has stdout "done $n, running 0, failed 0, missing 0"
	run_w 0 merge --workdir wd$n --output m$n
	for f in $FILES; do check "N=$n: $f is the one-machine run's" cmp -s $ref/$f m$n/$f; done
	json m$n/run.json "d['shards'] == $n and d['records']['read'] == 400"
	json m$n/run.json "d['records']['exported'] + d['records']['duplicates'] == 400"
done
json m4/run.json "d['merge']['exact_duplicates'] > 0 and d['merge']['near_duplicates'] > 0"
check "articles and dedup counted" test "$(wc -l <m4/articles.jsonl)" -gt 250

# The plan is frozen: a new input changes no shard and no output.
run_w 0 plan c.yaml --shards 4 --workdir wd4
has stdout "plan unchanged"
run_w 1 plan c.yaml --shards 5 --workdir wd4
has err "already holds a plan of 4 shards over 400 inputs"
has err "this one has another N"
cp in/p00007.html in/p99999.html
sed -i 's/Story 7</Story 99999</' in/p99999.html
run_w 1 plan c.yaml --shards 4 --workdir wd4
has err "this one has another input list"
run_w 78 run c.yaml --shard 1/5 --workdir wd4
has err "has 4 shards; every shard of a plan runs with the same N"
run_w 78 run c.yaml --shard 1/4 --workdir wd4 --set html.min_words=3
has err "is not the config planned"
# A rerun replaces the shard's own outputs (new input or not).
run_w 0 run c.yaml --shard 2/4 --workdir wd4
run_w 0 merge --workdir wd4 --output m4b
for f in $FILES; do check "rerun: $f unchanged" cmp -s one/$f m4b/$f; done
lacks m4b/articles.jsonl "Story 99999"

# Merge waits for every shard; status names the missing ones.
run_w 0 plan fast.yaml --shards 3 --workdir wd3
run_w 0 run fast.yaml --shard 0/3 --workdir wd3
run_w 2 plan --workdir wd3 --status
has stdout "shard 00001 missing"
has stdout "done 1, running 0, failed 0, missing 2"
run_w 1 merge --workdir wd3 --output m3
has err "shard 00001 of wd3 is not done"
check "nothing merged" test ! -e m3/articles.jsonl

# A changed frozen list is refused.
echo "9999	pages	/nowhere" >>wd3/inputs.tsv
run_w 78 run fast.yaml --shard 1/3 --workdir wd3
has err "the frozen list is not the one planned"

# WARC files are sharded whole: a file's records stay together and in order.
python3 "$WN_SRC/tests/e2e/shard_corpus.py" "$T/warc" 200 7 --warc 25
{
	printf 'version: 1\nrun: { output_dir: out }\nsources:\n  - id: crawl\n    use: source_warc\n    with: { files: ['
	ls warc/*.warc.gz | sed 's/.*/"&"/' | paste -sd, -
	printf '] }\npipeline:\n  - { id: html, use: clean_html }\nsinks:\n  - { id: json, use: export_json }\n'
} >warc.yaml
run_w 0 run warc.yaml --set run.output_dir=warc-one
run_w 0 plan warc.yaml --shards 3 --workdir wdw
has stdout "planned 8 inputs in 3 shards"
for k in 0 1 2; do run_w 0 run warc.yaml --shard $k/3 --workdir wdw; done
run_w 0 merge --workdir wdw --output warc-merged
check "WARC: articles.jsonl is the one-machine run's" cmp -s warc-one/articles.jsonl warc-merged/articles.jsonl
check "WARC: dropped.jsonl is the one-machine run's" cmp -s warc-one/dropped.jsonl warc-merged/dropped.jsonl
check "WARC: records read" grep -q '"read": 200' warc-merged/run.json

# A source that does not list its inputs cannot be sharded.
cat >urls.yaml <<'YAML'
version: 1
run: { output_dir: out }
sources:
  - { id: feed, use: source_urls, with: { urls: ["https://example.org/a"] } }
sinks:
  - { id: json, use: export_json }
YAML
run_w 78 plan urls.yaml --shards 2 --workdir wdu
has err "source 'feed' (source_urls) cannot be sharded"
# winnow slurm --dry-run: the array cut under MaxArraySize (a dry run takes
# Slurm's default, 1001), only the incomplete shards, the merge last.
run_w 0 slurm fast.yaml --shards 2500 --workdir wdbig --dry-run --array-limit 50 --time 1:00:00
has stdout "2500 of 2500 shards to run"
has stdout "--array=0-1000%50 '$T/wdbig'/slurm/shards.sbatch 0)"
has stdout "--array=0-1000%50 '$T/wdbig'/slurm/shards.sbatch 1001)"
has stdout "--array=0-497%50 '$T/wdbig'/slurm/shards.sbatch 2002)"
has stdout "--dependency=afterok:\$j0:\$j1001:\$j2002 --kill-on-invalid-dep=yes"
has wdbig/slurm/shards.sbatch "#SBATCH --time=1:00:00"
run_w 0 run fast.yaml --shard 1001/2500 --workdir wdbig
run_w 0 slurm fast.yaml --shards 2500 --workdir wdbig --dry-run
has stdout "2499 of 2500 shards to run (0 running, 1 done)"
has stdout "--array=0-1000 '$T/wdbig'/slurm/shards.sbatch 0)"
has stdout "--array=1-1000 '$T/wdbig'/slurm/shards.sbatch 1001)"
# A name the frozen list cannot hold is refused by name.
mkdir tabs && cp in/p00001.html "tabs/a	b.html"
sed 's/paths: \[in\]/paths: [tabs]/' fast.yaml >tabs.yaml
run_w 78 plan tabs.yaml --shards 2 --workdir wdt
has err "tabs/a?b.html: an input's name holds a tab or a newline"
run_w 64 run c.yaml --shard 1/4
run_w 64 plan c.yaml --workdir wdx

finish
