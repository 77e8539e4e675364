/*
 * The state store: one SQLite file (run.state, e.g. output/state.db) that
 * outlives runs. WAL mode, so readers never wait for the writer; a
 * `schema_version` table says which layout the file has (1: HTTP
 * validators; 2: the ledger's runs, seen ids and duplicate signatures,
 * see ledger.h), and the SQLite application id marks the file as
 * winnow's, so a foreign database at that path is refused, never changed.
 *
 * Writes are transactional and happen when the run commits, so a killed
 * run neither loses pages (a validator stored before the page was exported
 * would make the next run skip it) nor repeats them. Thread-safe: every
 * call takes the store's mutex.
 */
#ifndef WN_STATE_H
#define WN_STATE_H

#include <stddef.h>

#include "util.h"

/* The layout this code writes; an older file is upgraded on open. */
#define WN_STATE_SCHEMA 3

typedef struct wn_state wn_state;

/* One URL's validators (either may be NULL). */
typedef struct wn_validator {
	char *url;
	char *etag;
	char *last_modified;
} wn_validator;

/* Opens or creates the store at `path` (its folder is created). Returns
 * the store, or NULL with a message in err[errlen]. A file written by a
 * newer winnow (schema_version > WN_STATE_SCHEMA) is refused. */
wn_state *wn_state_open(const char *path, char *err, size_t errlen);

/* Opens an existing store read-only (a shard of a sharded run: the merge
 * is the only writer, docs/scale-out.md): nothing is created, upgraded or
 * written. NULL with a message in err[errlen] when the file is missing,
 * unreadable, not a winnow state store or of another schema version. */
wn_state *wn_state_open_readonly(const char *path, char *err, size_t errlen);

/* Closes the store; NULL is a no-op. */
void wn_state_close(wn_state *s);

/* Looks up the validators of `url`. Returns 1 and sets *etag and
 * *last_modified (heap strings, either may be NULL) when known; 0 when
 * unknown or on an error (a missing validator only costs a full fetch). */
int wn_state_validators_get(wn_state *s, const char *url, char **etag, char **last_modified);

/* Stores n validators in one transaction (insert or replace). Returns
 * WN_E_OK, or WN_E_STORE with nothing written and a message in
 * err[errlen]. */
wn_err wn_state_validators_put(wn_state *s, const wn_validator *v, size_t n, char *err,
                               size_t errlen);

/* The store's connection (serialized mode), for the ledger's tables. */
struct sqlite3;
struct sqlite3 *wn_state_db(wn_state *s);

#endif
