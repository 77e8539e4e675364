/*
 * The ledger: what earlier runs did, kept in the state store so that a run
 * started from cron does only the new work. It remembers
 *   - the runs themselves (start, end, status, counts, exit code),
 *   - the ids each run exported, with a hash of their content, so a later
 *     run skips them ("seen") or re-exports a changed one,
 *   - the duplicate-detection signatures of exported texts, so a copy of
 *     an article exported last week is still a duplicate today.
 *
 * Commit protocol. Rows a run writes while it runs are pending (tagged
 * with its run id); only a committed run's rows count. At commit the run
 * is marked "committing" before its outputs are renamed into place and
 * "committed" after. A run killed before that leaves pending rows that
 * the next run deletes; a run killed during the renames is resolved by
 * looking at its run.json: if the renamed run.json (renamed last) carries
 * the run's id, the outputs are in place and the run is committed;
 * otherwise its rows are dropped and its records are exported again. So
 * every record is exported exactly once across runs, however they end.
 *
 * Not thread-safe by itself: the engine calls it from the producer thread
 * (wn_ledger_seen) and the sink thread (the rest); the SQLite connection
 * is opened in serialized mode and each thread uses its own statements.
 */
#ifndef WN_LEDGER_H
#define WN_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct sqlite3 sqlite3;
typedef struct wn_ledger wn_ledger;

/* The tables, for the state store's schema migration: version 2, and
 * what version 3 adds (the outcome of each remembered id). */
extern const char wn_ledger_schema[];
extern const char wn_ledger_schema_v3[];

/* What an earlier run did with an id, as the ledger remembers it. */
typedef enum wn_outcome {
	WN_OUTCOME_NONE = 0,    /* never committed: new work */
	WN_OUTCOME_EXPORTED,    /* exported */
	WN_OUTCOME_DROPPED,     /* dropped by a rule, on this content */
	WN_OUTCOME_DUPLICATE,   /* a duplicate of an exported text, on this content */
	WN_OUTCOME_GONE,        /* permanently gone (410, or 404 in run.gone_after runs) */
	WN_OUTCOME_QUARANTINED, /* crashed a plugin; dead-lettered once, then skipped */
} wn_outcome;

/* The outcome's name in the store ("exported", "dropped", "duplicate"). */
const char *wn_outcome_name(wn_outcome o);

/* A look-up: what is known of an id, or that the store failed. */
typedef enum wn_lookup { WN_LOOKUP_ERROR = -1, WN_LOOKUP_NEW = 0, WN_LOOKUP_FOUND = 1 } wn_lookup;

/* Counts of a run, as `winnow runs` shows them. */
typedef struct wn_ledger_counts {
	int64_t read, exported, dropped, dead, seen, duplicates;
} wn_ledger_counts;

/* One run of the history. Strings borrowed for the callback. */
typedef struct wn_ledger_run {
	const char *run_id, *name, *started_at, *finished_at, *status, *output_dir;
	int exit_code;
	wn_ledger_counts counts;
} wn_ledger_run;

/* What the calling thread's last failed ledger call said (what it did and
 * SQLite's message), for the caller's log line. */
const char *wn_ledger_last_error(void);

/* Opens the ledger on an open state store connection. With `settle`
 * (only a caller that holds the run lock: no other run can be live) it
 * resolves the runs an earlier process left unfinished (see above); a
 * reader such as `winnow runs` passes 0 and sees them as they are. NULL
 * with a message in err on failure. */
wn_ledger *wn_ledger_open(sqlite3 *db, int settle, char *err, size_t errlen);
void wn_ledger_close(wn_ledger *l);

/* Records the start of run `run_id` (status "running"). WN_E_OK, or
 * WN_E_STORE (wn_ledger_last_error says why) when the store fails or the
 * id is already in the history: a run id is never reused, so two runs never share rows. */
wn_err wn_ledger_begin(wn_ledger *l, const char *run_id, const char *name, const char *started_at,
                       const char *output_dir, const char *config_sha256);

/* Looks up id among committed runs: WN_LOOKUP_FOUND with its last
 * outcome in *outcome and content hash in hash[65] ("" when none was
 * kept), WN_LOOKUP_NEW, or WN_LOOKUP_ERROR when the store failed (the
 * caller must not take that for "new"). */
wn_lookup wn_ledger_seen(wn_ledger *l, const char *id, char hash[65], wn_outcome *outcome);

/* Notes, pending, that this run exported `id` with content hash `hash`
 * (may be NULL) and duplicate signature sig[0..n) (may be NULL). Rows are
 * written in batches; WN_E_OK or WN_E_STORE. */
wn_err wn_ledger_exported(wn_ledger *l, const char *id, const char *hash, const void *sig,
                          size_t n);

/* Notes, pending, that this run ended `id` with content hash `hash` by
 * `outcome` (dropped or duplicate), so a later run skips it while its
 * content is unchanged. WN_E_OK or WN_E_STORE. */
wn_err wn_ledger_remember(wn_ledger *l, const char *id, const char *hash, wn_outcome outcome);

/* How many committed runs failed `id` (with `code`, or with any code when
 * NULL) into *count, and when the last of them started into last[32]
 * (ISO 8601 UTC, "" when none): WN_LOOKUP_FOUND, WN_LOOKUP_NEW (none) or
 * WN_LOOKUP_ERROR. */
wn_lookup wn_ledger_failures(wn_ledger *l, const char *id, const char *code, int *count,
                             char last[32]);
/* Notes, pending, that this run failed `id` with reason `code`. WN_E_OK
 * or WN_E_STORE. */
wn_err wn_ledger_failed(wn_ledger *l, const char *id, const char *code);

/* A shard's ledger (a sharded run, docs/scale-out.md): look-ups read the
 * store, which the shard opened read-only, while the rows this run would
 * write (wn_ledger_exported, _remember, _failed) go to put(line, n, arg)
 * as journal lines instead (signatures are left out: a shard signs
 * nothing), and wn_ledger_begin, _prepare, _commit and _abort write
 * nothing. The merge, the store's only writer, reads the lines back with
 * wn_ledger_journal_read. put returns WN_E_OK or a failure. */
void wn_ledger_journal(wn_ledger *l, wn_err (*put)(const char *line, size_t n, void *arg),
                       void *arg);

/* One journal line, parsed: a seen row (an id's outcome and content
 * hash, "" when none) or a failure (its reason code). Strings borrow the
 * line. */
typedef struct wn_ledger_row {
	int failure; /* 1: a failure (code); 0: a seen row (hash, outcome) */
	const char *id, *hash, *code;
	wn_outcome outcome;
} wn_ledger_row;

/* Parses a journal line (with or without its newline), in place.
 * WN_E_OK, or WN_E_FAIL when it is not one. */
wn_err wn_ledger_journal_read(char *line, wn_ledger_row *row);

/* Notes a journal row as this run's, pending (wn_ledger_remember or
 * wn_ledger_failed). WN_E_OK or WN_E_STORE. */
wn_err wn_ledger_replay(wn_ledger *l, const wn_ledger_row *row);

/* Calls fn for every committed signature (oldest first), for the dedup
 * index. Stops at fn's first failure and returns it; WN_E_STORE on a
 * database error. */
wn_err wn_ledger_each_signature(wn_ledger *l,
                                wn_err (*fn)(const char *id, const void *sig, size_t n, void *arg),
                                void *arg);

/* Phase one of the commit: pending rows flushed, run marked committing.
 * Call before the outputs are renamed. WN_E_OK or WN_E_STORE. */
wn_err wn_ledger_prepare(wn_ledger *l);
/* Phase two, after the renames: the run's rows count from now on. */
wn_err wn_ledger_commit(wn_ledger *l, int exit_code, const char *finished_at,
                        const wn_ledger_counts *c);
/* The run did not commit (failed): its rows are dropped, the run is kept
 * in the history with `status` ("failed"). */
wn_err wn_ledger_abort(wn_ledger *l, const char *status, int exit_code, const char *finished_at,
                       const wn_ledger_counts *c);

/* Calls fn for each run, newest first, at most `limit` (0 = all). */
wn_err wn_ledger_each_run(wn_ledger *l, int limit, void (*fn)(const wn_ledger_run *r, void *arg),
                          void *arg);

/* Run ids of committed runs whose folder retention may remove, other
 * than `current_dir`: runs that exported articles beyond the newest
 * `keep` of those (runs that exported nothing do not count, so quiet
 * hours never push a run with data out), and runs that exported nothing
 * but the newest run. Heap arrays of heap strings (ids and dirs), *n set. */
wn_err wn_ledger_expired(wn_ledger *l, int keep, const char *current_dir, char ***ids, char ***dirs,
                         size_t *n);
/* True when dir/run.json names run_id: the outputs of that run were all
 * renamed into place (run.json is renamed last), and dir is a folder
 * winnow wrote for that run. */
int wn_ledger_outputs_in_place(const char *dir, const char *run_id);

/* Marks a run's outputs as removed by retention. */
wn_err wn_ledger_mark_pruned(wn_ledger *l, const char *run_id);

#endif
