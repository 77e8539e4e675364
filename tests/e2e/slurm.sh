#!/bin/bash
# Sharded runs on a real Slurm cluster (single node, started here by
# ci/slurm-up): `winnow slurm` submits a 4-shard array and a merge job over
# 2,000 generated pages. One shard is killed (SIGKILL before its commit)
# and one is told its time is nearly up (SIGUSR1): that one is requeued by
# its script and finishes; the merge job is cancelled because the killed
# shard failed. Submitting again runs only the killed shard, then the
# merge, whose output must equal a one-machine run byte for byte.
# Skips (77) when not root or when Slurm cannot be installed. Every wait
# is on an outcome (a file, an empty queue), bounded, never a sleep.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to start slurmctld/slurmd"; exit 77; }
if ! command -v sbatch >/dev/null || ! [ -x /usr/sbin/slurmctld ] || ! [ -x /usr/sbin/munged ]; then
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge) \
		>/dev/null 2>&1 || { echo "SKIP: slurm-wlm and munge cannot be installed"; exit 77; }
fi
CL="$T/cluster"
trap '"$WN_SRC/ci/slurm-down" "$CL"; rm -rf "$T"' EXIT
"$WN_SRC/ci/slurm-up" "$CL"
rc=$?
[ $rc = 77 ] && { echo "SKIP: no Slurm here"; exit 77; }
[ $rc = 0 ] || { echo "FAIL: ci/slurm-up: $rc"; tail -20 "$CL"/*.log; exit 1; }
. "$CL/env"

python3 "$WN_SRC/tests/e2e/shard_corpus.py" "$T/in" 2000
cat >"$T/c.yaml" <<'YAML'
version: 1
run: { name: slurm, output_dir: out }
sources:
  - { id: pages, use: source_files, with: { paths: [in] } }
pipeline:
  - { id: html, use: clean_html }
sinks:
  - { id: json, use: export_json, with: { path: articles.jsonl } }
  - { id: csv, use: export_csv, with: { path: articles.csv, entities_path: entities.csv } }
YAML
cd "$T" || exit 1
run_w 0 run c.yaml --set run.output_dir=one

# The jobs run this wrapper: shard 2 is killed the first time, shard 1
# waits the first time until the test sends its script SIGUSR1.
cat >wrap.sh <<WRAP
#!/bin/bash
case "\${SLURM_ARRAY_TASK_ID:-}" in
2) mkdir "$T/killed" 2>/dev/null && export WINNOW_CRASH_AT=commit:staged ;;
1) if mkdir "$T/held" 2>/dev/null; then echo \$PPID >"$T/ready"; sleep 600 & wait; exit 1; fi ;;
esac
exec "$WINNOW" "\$@"
WRAP
chmod +x wrap.sh

# wait_for WHAT CMD...: polls CMD every half second, for at most 10
# minutes. The bound is only there so that a broken cluster ends the test:
# a loaded 2-core machine once took over 3 minutes to get a requeued task
# going again, so it is far above what a healthy run needs.
wait_for() {
	local what=$1
	shift
	for _ in $(seq 1200); do "$@" && return 0; sleep 0.5; done
	bad "no $what within 10 minutes"
	squeue >&2
	return 1
}
# (squeue must answer: a busy controller's error is no empty queue)
queue_empty() {
	local q
	q=$(squeue -h 2>/dev/null) && [ -z "$q" ]
}

run_w 0 slurm c.yaml --shards 4 --workdir wd --output "$T/merged" --winnow "$T/wrap.sh"
has stdout "4 of 4 shards to run"
job=$(sed -n 's/^submitted shards 0-3 (base 0) as job \([0-9]*\)$/\1/p' "$T/stdout")
check "array job submitted" test -n "$job"
wait_for "held shard 1" test -s ready
# What --signal=B:USR1@120 makes Slurm do, sent to the batch shell at
# once (scancel --signal would keep retrying while the task is requeued).
kill -USR1 "$(cat ready)"
wait_for "requeue of shard 1" grep -q "time nearly up: requeued" wd/logs/shard-00001.log
# Slurm holds a requeued task back until the job's credential has expired
# (cred_expire=10 in ci/slurm-up). Forcing it to start sooner
# (scontrol update StartTime=now) races that: slurmd then kills it as
# "non-startable: Job credential revoked" and the task ends failed, not
# requeued. So the test lets it wait.
# Waits on the outcome (shard 1 done), not on an empty queue: a requeued
# task can be missing from squeue for a moment between its two runs.
shard1_done() { "$WINNOW" plan --workdir wd --status 2>/dev/null | grep -q "shard 00001 done"; }
wait_for "shard 1 done" shard1_done
wait_for "empty queue" queue_empty
run_w 2 plan --workdir wd --status
has stdout "shard 00002 failed"
has stdout "done 3, running 0, failed 1, missing 0"
check "no merge after a failed shard" test ! -e merged/articles.jsonl

run_w 0 slurm c.yaml --shards 4 --workdir wd --output "$T/merged" --winnow "$T/wrap.sh"
has stdout "1 of 4 shards to run (0 running, 3 done)"
has stdout "submitted shards 2 (base 0)"
wait_for "empty queue" queue_empty
run_w 0 plan --workdir wd --status
for f in articles.jsonl articles.csv entities.csv dropped.jsonl; do
	check "$f merged on Slurm equals the one-machine run" cmp -s one/$f merged/$f
done
json merged/run.json "d['shards'] == 4 and d['records']['read'] == 2000"
check "per-shard logs" test -s wd/logs/shard-00003.log

# --dry-run prints what it would submit (nothing left to do but the merge).
run_w 0 slurm c.yaml --shards 4 --workdir wd --dry-run --array-limit 2
has stdout "0 of 4 shards to run"
has stdout "merge.sbatch"

finish
