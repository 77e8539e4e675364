/*
 * The engine: turns a validated config into a run. Loads and sets up every
 * stage, takes the run lock, pulls batches from the sources, pushes them
 * through the transforms on a pool of worker threads, hands records to the
 * sinks on one thread in source order, then commits the outputs and
 * writes run.json. Owns the policy every plugin gets alike: retries with
 * backoff, `when:` conditions, on_error, dead letters, counters, exit codes.
 */
#ifndef WN_ENGINE_H
#define WN_ENGINE_H

#include <stdint.h>

#include "config.h"
#include "run.h"

/* Exit codes cron reads. */
enum wn_exit {
	WN_EXIT_OK = 0,
	WN_EXIT_FAILED = 1,
	WN_EXIT_PARTIAL = 2,
	WN_EXIT_LOCKED = 75,
	WN_EXIT_CONFIG = 78
};

typedef struct wn_run_opts {
	int64_t limit; /* stop after this many source records; 0 = all */
	int log_level; /* enum wn_log_level */
	int progress;  /* draw a progress line on stderr (a terminal) */
	int reprocess; /* ignore what earlier runs exported */
} wn_run_opts;

typedef struct wn_engine wn_engine;

/* Loads every plugin of cfg, checks kinds against sections and needs
 * against gives, and applies every stage's options. Prints every problem
 * to d. Returns an engine, or NULL when anything is wrong (exit 78).
 * The engine borrows cfg, which must outlive it. */
wn_engine *wn_engine_prepare(wn_config *cfg, const wn_run_opts *opts, wn_diag *d);

/* Prints the resolved pipeline (for `winnow check`). */
void wn_engine_describe(const wn_engine *e, FILE *out);

/* For `winnow check`: starts and stops every source, so an input a source
 * cannot use (a folder that is not there, a URL list missing) is found
 * before a run. Sources only look at local things when they start; they
 * fetch nothing. Returns how many sources could not start (each said
 * why in the log). */
int wn_engine_check_sources(wn_engine *e);

/* Runs the prepared pipeline to the end and returns the exit code. */
int wn_engine_run(wn_engine *e);

/* Releases the engine (every started instance gets fini first). */
void wn_engine_free(wn_engine *e);

#endif
