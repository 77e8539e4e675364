/*
 * Sharded runs: the frozen input list of a work folder and the shards cut
 * from it (docs/scale-out.md).
 *
 *   winnow plan CONFIG --shards N --workdir DIR   freeze the inputs once
 *   winnow run CONFIG --shard K/N --workdir DIR   run shard K of N
 *   winnow plan --workdir DIR --status            done/running/failed/missing
 *
 * A work folder holds:
 *
 *   plan.txt            shards, inputs, the list's SHA-256, the config and
 *                       its SHA-256, the --set overrides
 *   inputs.tsv          INDEX<tab>STAGE<tab>KEY, the frozen list in the
 *                       order a one-machine run reads it
 *   shards/NNNNN/       shard K's committed outputs (records.jsonl by the
 *                       shard_out sink, run.json, dead letters, drops)
 *   shards/NNNNN.list   shard K's slice: indexes K, K+N, K+2N, ...
 *   state/NNNNN.done    completion marker (JSON), written after the commit
 *   state/NNNNN.running, state/NNNNN.failed
 *   logs/               per-shard logs when Slurm runs them
 *
 * Sources learn the plan through two run values (wn_shard_value):
 * `shard_plan` (plan: write your input keys here, read nothing) and
 * `shard_list` (run: read only these inputs); lib/sdk/inputs.h is
 * their side.
 */
#ifndef WN_SHARD_H
#define WN_SHARD_H

#include <stdint.h>

#include "config.h"

/* A shard's ledger journal (ledger.h), in its output folder, when the
 * config has run.state: what the shard's run would have written into the
 * store, which the merge commits. */
#define WN_SHARD_JOURNAL "ledger.tsv"

/* A work folder's plan.txt. */
typedef struct wn_plan {
	int shards;
	int64_t inputs;
	char list_sha[65];
	char config_sha[65];
	char *config; /* absolute path */
	char **sets;  /* --set overrides, NULL-terminated */
	size_t n_sets;
} wn_plan;

/* Shard states, as `plan --status` prints them. */
enum wn_shard_state { WN_SHARD_MISSING, WN_SHARD_RUNNING, WN_SHARD_FAILED, WN_SHARD_DONE };

/* The process-wide run values `shard_plan` and `shard_list` (NULL when
 * unset); api.c answers plugins' run_value() with them. */
const char *wn_shard_value(const char *key);

/* Reads DIR/plan.txt into *p. WN_E_OK, or WN_E_CONFIG after printing why. */
wn_err wn_plan_read(const char *workdir, wn_plan *p);
void wn_plan_free(wn_plan *p);

/* The plan's config, loaded with its --set overrides; NULL after
 * printing why. Free with wn_plan_config_free. */
wn_config *wn_plan_config(const wn_plan *p);
void wn_plan_config_free(wn_config *cfg);

/* The state of shard k of the plan in workdir. */
int wn_shard_state(const char *workdir, int k);

/* Path helpers: DIR/shards/NNNNN (output folder), DIR/state/NNNNN.EXT.
 * Heap strings. */
char *wn_shard_dir(const char *workdir, int k);
char *wn_shard_marker(const char *workdir, int k, const char *ext);

/* Freezes CONFIG's inputs (with the --set overrides) into a plan of
 * `shards` shards in workdir, or accepts the same plan again; refuses
 * another N, input list or config. Prints what it did. Exit code. */
int wn_plan_make(const char *config, char *const *sets, size_t n_sets, int shards,
                 const char *workdir);

/* `winnow plan`: the whole command (argv[0] is "plan"). Exit code. */
int wn_cmd_plan(int argc, char **argv);

/* `winnow run --shard K/N --workdir DIR`: checks spec against the plan,
 * writes the shard's slice, points cfg's outputs at the shard folder,
 * replaces its sinks with shard_out, turns the run's own dedup off (the
 * merge dedups across shards), makes run.state read-only with a journal
 * (WN_SHARD_JOURNAL) and marks the shard running.
 * WN_E_OK, or WN_E_CONFIG (WN_E_IO when the marker cannot be written)
 * after printing why (nothing was run; exit 78). */
wn_err wn_shard_begin(wn_config *cfg, const char *spec, const char *workdir);

/* After the run: marks the shard done (a committed run that was neither
 * interrupted nor out of time), or failed. Returns the exit code to use. */
int wn_shard_end(int code);

#endif
