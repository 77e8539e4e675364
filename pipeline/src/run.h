/*
 * The host side of a run: stage instances with their counters (run.c),
 * the run-wide facts plugins may ask for, the logger (log.c) and the
 * output files that are committed together (output.c). The engine drives
 * these; api.c exposes them to plugins; the plugin test harness builds
 * them without an engine.
 */
#ifndef WN_RUN_H
#define WN_RUN_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>

#include "config.h"
#include "loader.h"
#include "schema.h"
#include "winnow/plugin.h"

typedef struct wn_run wn_run;

/* A named counter (custom counters, drops by reason code). */
typedef struct wn_kv {
	char *name;
	int64_t v;
} wn_kv;

struct wn_stage {
	int index;               /* position in run->stages */
	const char *id;          /* config id */
	const wn_stage_cfg *cfg; /* NULL in the harness */
	wn_loaded plugin;
	wn_run *run;
	int n_inst;         /* 1, or run workers for transforms */
	wn_ctx *inst;       /* n_inst contexts, state allocated */
	char *inited;       /* n_inst flags: init returned WN_OK */
	wn_pool pool;       /* option values */
	atomic_int stopped; /* FATAL seen at run time */
	/* counters */
	atomic_llong in, ok, dropped, errors, retries, skipped, busy_us;
	pthread_mutex_t mu; /* guards the two lists below */
	wn_kv *counters;
	size_t n_counters;
	wn_kv *drops;
	size_t n_drops;
};

struct wn_output {
	char *rel;   /* as the plugin named it */
	char *final; /* full final path */
	char *tmp;   /* temporary path written until commit */
	FILE *f;
	int failed;
	size_t unsynced; /* bytes written since writeback was last started */
};

struct wn_run {
	char *name;
	char *run_id, *run_date, *started_at;
	char *output_dir, *config_dir;
	int log_level; /* enum wn_log_level: lines above it are not printed */
	size_t max_record_bytes;
	wn_stage *stages;
	size_t n_stages;
	int out_mode;           /* enum wn_out_mode: how outputs are committed */
	char *stage_dir;        /* where this run's outputs are written until commit */
	pthread_mutex_t out_mu; /* guards outputs */
	struct wn_output **outputs;
	size_t n_outputs;
	pthread_mutex_t log_mu;    /* one log line at a time */
	atomic_int progress_shown; /* a progress line is on the terminal */
	struct wn_http *http;      /* the HTTP service (http.h), NULL outside a run */
	struct wn_state *state;    /* the state store (state.h), NULL without run.state */
	/* Set for the sinks' commit only (run_value "run_stats",
	 * "dead_letter_file", "drop_log_file"): run.json as it stands, and the
	 * staged dead-letter file and drop log, flushed. NULL otherwise. */
	char *commit_stats;
	const char *commit_dead, *commit_drops;
};

/* The function table handed to every plugin. */
extern const wn_host_api wn_host_table;

/* Sets up run-wide facts: run id/date/start time from the clock, the
 * output and config folders (copied). Mutexes initialised. */
void wn_run_init(wn_run *run, const char *name, const char *output_dir, const char *config_dir);
/* Frees what wn_run_init and the outputs allocated (not the stages). */
void wn_run_destroy(wn_run *run);

/* Prepares stage `st` for plugin `l` (moved in) with n_inst instances:
 * allocates state, applies options from the stage config `sc` (or, with
 * sc NULL as in the harness, from `with`); errors go to d. Returns the
 * number of option errors. */
int wn_stage_setup(wn_stage *st, wn_run *run, int index, const char *id, wn_loaded *l, int n_inst,
                   const wn_stage_cfg *sc, const wn_cfg_node *with, const char *default_base,
                   wn_diag *d);
/* Calls init on every instance; WN_OK, or WN_FATAL after the first
 * failing one (the ones already started stay marked). */
int wn_stage_init(wn_stage *st);
/* Calls fini on every started instance, frees state and the plugin. */
void wn_stage_teardown(wn_stage *st);
/* Adds to a named counter list under st->mu. */
void wn_stage_count(wn_stage *st, wn_kv **list, size_t *n, const char *name, int64_t delta);

/* Host-side log line, same format as plugins' ("winnow: [id] msg"), when
 * level is within run->log_level (log.c). */
void wn_run_log(wn_run *run, const char *stage_id, int level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* wn_run_log from a va_list. */
void wn_run_vlog(wn_run *run, const char *stage_id, int level, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* A line without stage or level ("winnow: MESSAGE"), for the end-of-run
 * summary, through the same lock, clearing the progress line (log.c). */
void wn_run_say(wn_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows the progress line ("winnow: MESSAGE", no newline), replacing the
 * previous one; the next log line clears it first. */
void wn_run_progress(wn_run *run, const char *msg);
/* Clears the progress line when one is shown. */
void wn_run_progress_clear(wn_run *run);

/* How a run's outputs become visible (output.c). */
enum wn_out_mode {
	/* Each file written as .NAME.tmp.PID beside its final name and renamed
	 * at commit: for `winnow try` and the harness, one file at a time. */
	WN_OUT_DIRECT = 0,
	/* A fixed folder: the run writes a new generation .winnow/gen-RUNID
	 * inside it; commit switches the .winnow/current link to it in one
	 * rename, and the visible names are links through current, so every
	 * output flips to the new run at the same instant. */
	WN_OUT_GENERATION,
	/* A folder per run: written whole as a hidden sibling, renamed to its
	 * final name in one step at commit. */
	WN_OUT_FOLDER,
};

/* Output files (output.c). Begin chooses the commit mode for the run's
 * output folder (per_run: the folder is made per run) and creates the
 * staging folder; WN_E_OK, or WN_E_IO after logging. Without it outputs are
 * committed one by one (WN_OUT_DIRECT). Open registers an output file;
 * commit flushes and syncs every output, then makes all of them visible
 * at once (returns WN_E_OK, or WN_E_IO after logging, with nothing of this run
 * visible); abort removes what this run wrote. */
wn_err wn_outputs_begin(wn_run *run, int per_run);
struct wn_output *wn_output_open(wn_run *run, const char *stage_id, const char *relpath);
int wn_output_write(struct wn_output *o, const void *buf, size_t len);
wn_err wn_outputs_commit(wn_run *run);
void wn_outputs_abort(wn_run *run);
/* Removes what killed runs left in or beside output_dir: their temporary
 * files, generations and staging folders (only names winnow makes, and
 * only of processes that are gone). */
void wn_outputs_sweep(const char *output_dir);

#endif
