/*
 * Sharded runs, the source's side: a source that reads a list of inputs
 * (files, WARC files, URL lines) passes each input's key through
 * wn_inputs_take() before reading it, so that
 *
 *   - under `winnow plan` (run value `shard_plan` names a file) the keys
 *     are written to that file, in the order the source would read them,
 *     and nothing is read;
 *   - under `winnow run --shard K/N` (run value `shard_list` names the
 *     shard's slice of the frozen list) only the inputs of this shard are
 *     read, each with its index in the frozen list;
 *   - in any other run every input is read as before.
 *
 * Records made from a shard's input carry an int field `shard_unit` (the
 * input's index in the frozen list) so the merge can put every shard's
 * records back into one global order. See docs/scale-out.md.
 */
#ifndef WN_COMMON_INPUTS_H
#define WN_COMMON_INPUTS_H

#include <stdint.h>
#include <stdio.h>

#include <winnow/plugin.h>

/* The field a sharded run adds to each record. */
#define WN_SHARD_UNIT_FIELD "shard_unit"

/* What wn_inputs_take() answers besides an index. */
#define WN_INPUT_ALL (-1)  /* not sharded: read the input */
#define WN_INPUT_SKIP (-2) /* another shard's input, or plan mode: do not read it */

/* One input of this shard: its key and index in the frozen list. */
struct wn_input_key {
	char *key;
	int64_t idx;
};

typedef struct wn_inputs {
	int mode;                  /* 0 plain, 1 plan, 2 shard */
	FILE *plan;                /* plan mode: the file keys are appended to */
	char *stage;               /* this source's stage id */
	struct wn_input_key *keys; /* shard mode: this stage's keys, sorted */
	size_t n;
} wn_inputs;

/* Reads the run values and prepares `in` for this source. In plan mode it
 * appends a "#source STAGE" line, which tells the planner the source can
 * be sharded. Returns WN_OK, or WN_FATAL after logging (a list that cannot
 * be read or written). */
int wn_inputs_open(const wn_ctx *cx, wn_inputs *in);

/* The fate of the input named `key` (a path or URL, no tab or newline;
 * a path that exists is taken by its realpath):
 * WN_INPUT_ALL, WN_INPUT_SKIP, or its index (>= 0) in the frozen list. */
int64_t wn_inputs_take(wn_inputs *in, const char *key);

/* True when the source must emit nothing at all (plan mode). */
int wn_inputs_planning(const wn_inputs *in);

/* Sets WN_SHARD_UNIT_FIELD on r when `unit` is an index (>= 0). */
int wn_inputs_mark(const wn_ctx *cx, wn_record *r, int64_t unit);

/* Frees what open took. Safe on a zeroed or closed struct. */
void wn_inputs_close(wn_inputs *in);

#endif
