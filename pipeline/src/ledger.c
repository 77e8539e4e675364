/*
 * The ledger: see ledger.h.
 */
#include "ledger.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char wn_ledger_schema[] =
    "CREATE TABLE IF NOT EXISTS runs("
    " run_id TEXT PRIMARY KEY, name TEXT, started_at TEXT, finished_at TEXT,"
    " status TEXT NOT NULL, exit_code INTEGER, output_dir TEXT, config_sha256 TEXT,"
    " read INTEGER DEFAULT 0, exported INTEGER DEFAULT 0, dropped INTEGER DEFAULT 0,"
    " dead INTEGER DEFAULT 0, seen INTEGER DEFAULT 0, duplicates INTEGER DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS seen("
    " id TEXT NOT NULL, run_id TEXT NOT NULL, content_hash TEXT,"
    " committed INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(id, run_id));"
    "CREATE INDEX IF NOT EXISTS seen_run ON seen(run_id);"
    "CREATE TABLE IF NOT EXISTS signatures("
    " id TEXT NOT NULL, run_id TEXT NOT NULL, sig BLOB NOT NULL,"
    " committed INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(id, run_id));"
    "CREATE INDEX IF NOT EXISTS signatures_run ON signatures(run_id);";

const char wn_ledger_schema_v3[] =
    "ALTER TABLE seen ADD COLUMN outcome TEXT NOT NULL DEFAULT 'exported';"
    "CREATE TABLE IF NOT EXISTS failures("
    " id TEXT NOT NULL, run_id TEXT NOT NULL, code TEXT NOT NULL,"
    " committed INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(id, run_id));"
    "CREATE INDEX IF NOT EXISTS failures_run ON failures(run_id);";

static const char *const outcome_names[] = {"",          "exported", "dropped",
                                            "duplicate", "gone",     "quarantined"};

const char *wn_outcome_name(wn_outcome o)
{
	return (unsigned)o < sizeof(outcome_names) / sizeof(*outcome_names) ? outcome_names[o] : "";
}

static wn_outcome outcome_of(const char *name)
{
	for (size_t i = 1; i < sizeof(outcome_names) / sizeof(*outcome_names); i++)
		if (name && strcmp(name, outcome_names[i]) == 0)
			return (wn_outcome)i;
	return WN_OUTCOME_EXPORTED; /* rows from before version 3 */
}

/* Pending rows are written in transactions of this many. */
#define FLUSH_ROWS 512

struct wn_ledger {
	sqlite3 *db;
	sqlite3_stmt *seen_q;   /* producer thread */
	sqlite3_stmt *put_seen; /* sink thread, the rest */
	sqlite3_stmt *put_sig;
	char *run_id;
	int in_tx;   /* a batch transaction is open */
	int pending; /* rows in it */
	/* A shard's ledger: rows go to put as journal lines, not the store. */
	wn_err (*put)(const char *line, size_t n, void *arg);
	void *put_arg;
};

/* The last failure of this thread, for the caller to log (the ledger
 * prints nothing itself: every message goes through the run's logger). */
static _Thread_local char last_error[512];

const char *wn_ledger_last_error(void)
{
	return last_error[0] ? last_error : "unknown error";
}

static wn_err fail(sqlite3 *db, const char *what)
{
	snprintf(last_error, sizeof(last_error), "%.200s: %.300s", what, sqlite3_errmsg(db));
	return WN_E_STORE;
}

static wn_err exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? WN_E_OK : fail(db, sql);
}

/* Runs a statement with text parameters (a NULL-terminated array). */
static wn_err exec_argv(sqlite3 *db, const char *sql, const char *const *args)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, sql);
	for (int i = 0; args[i]; i++)
		sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? WN_E_OK : fail(db, sql);
}

/* exec_argv with the parameters written out: EXEC(db, sql, a, b). */
#define EXEC(db, sql, ...) exec_argv((db), (sql), (const char *const[]){__VA_ARGS__, NULL})

int wn_ledger_outputs_in_place(const char *dir, const char *run_id)
{
	if (!dir)
		return 0;
	char *path = wn_path_join(dir, "run.json");
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return 0;
	char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *want = wn_xasprintf("\"run_id\": \"%s\"", run_id);
	int found = strstr(buf, want) != NULL;
	free(want);
	return found;
}

/* Settles one run an earlier process left "running" or "committing". */
static wn_err settle(sqlite3 *db, const char *run_id, const char *status, const char *dir)
{
	int done = strcmp(status, "committing") == 0 && wn_ledger_outputs_in_place(dir, run_id);
	if (exec(db, "BEGIN IMMEDIATE;"))
		return WN_E_STORE;
	int rc;
	if (done)
		rc = EXEC(db, "UPDATE seen SET committed = 1 WHERE run_id = ?1;", run_id) ||
		     EXEC(db, "UPDATE signatures SET committed = 1 WHERE run_id = ?1;", run_id) ||
		     EXEC(db, "UPDATE failures SET committed = 1 WHERE run_id = ?1;", run_id) ||
		     EXEC(db, "UPDATE runs SET status = 'committed' WHERE run_id = ?1;", run_id);
	else
		rc = EXEC(db, "DELETE FROM seen WHERE run_id = ?1;", run_id) ||
		     EXEC(db, "DELETE FROM signatures WHERE run_id = ?1;", run_id) ||
		     EXEC(db, "DELETE FROM failures WHERE run_id = ?1;", run_id) ||
		     EXEC(db, "UPDATE runs SET status = 'killed' WHERE run_id = ?1;", run_id);
	return exec(db, rc ? "ROLLBACK;" : "COMMIT;") || rc ? WN_E_STORE : WN_E_OK;
}

/* Resolves every run an earlier process did not finish. */
static wn_err recover(sqlite3 *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
	                       "SELECT run_id, status, output_dir FROM runs"
	                       " WHERE status IN ('running', 'committing');",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, "reading unfinished runs");
	char **rows = NULL;
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows = wn_xrealloc(rows, (n + 3) * sizeof(*rows));
		for (int c = 0; c < 3; c++) {
			const unsigned char *t = sqlite3_column_text(st, c);
			rows[n + (size_t)c] = t ? wn_xstrdup((const char *)t) : NULL;
		}
		n += 3;
	}
	sqlite3_finalize(st);
	int rc = 0;
	for (size_t i = 0; i < n; i += 3) {
		if (!rc)
			rc = settle(db, rows[i], rows[i + 1], rows[i + 2]);
		free(rows[i]);
		free(rows[i + 1]);
		free(rows[i + 2]);
	}
	free(rows);
	return rc;
}

wn_ledger *wn_ledger_open(sqlite3 *db, int settle, char *err, size_t errlen)
{
	if (settle && recover(db)) {
		snprintf(err, errlen, "cannot settle unfinished runs: %s", sqlite3_errmsg(db));
		return NULL;
	}
	wn_ledger *l = wn_xcalloc(1, sizeof(*l));
	l->db = db;
	if (sqlite3_prepare_v2(
	        db,
	        "SELECT content_hash, outcome FROM seen WHERE id = ?1 AND committed = 1"
	        " ORDER BY rowid DESC LIMIT 1;",
	        -1, &l->seen_q, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "INSERT OR REPLACE INTO seen(id, run_id, content_hash, outcome)"
	                       " VALUES(?1, ?2, ?3, ?4);",
	                       -1, &l->put_seen, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
	        db, "INSERT OR REPLACE INTO signatures(id, run_id, sig) VALUES(?1, ?2, ?3);", -1,
	        &l->put_sig, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		wn_ledger_close(l);
		return NULL;
	}
	return l;
}

void wn_ledger_close(wn_ledger *l)
{
	if (!l)
		return;
	if (l->in_tx)
		exec(l->db, "ROLLBACK;");
	sqlite3_finalize(l->seen_q);
	sqlite3_finalize(l->put_seen);
	sqlite3_finalize(l->put_sig);
	free(l->run_id);
	free(l);
}

/* --- a shard's journal ---------------------------------------------------- */

void wn_ledger_journal(wn_ledger *l, wn_err (*put)(const char *line, size_t n, void *arg),
                       void *arg)
{
	l->put = put;
	l->put_arg = arg;
}

/* Appends field f to b (at *n, room for 2 * strlen + 2 more), with tab,
 * newline and backslash escaped, then `end`. */
static void put_field(char *b, size_t *n, const char *f, char end)
{
	for (; f && *f; f++) {
		const char *esc = *f == '\\'   ? "\\\\"
		                  : *f == '\t' ? "\\t"
		                  : *f == '\n' ? "\\n"
		                               : NULL;
		if (esc) {
			memcpy(b + *n, esc, 2);
			*n += 2;
		} else {
			b[(*n)++] = *f;
		}
	}
	b[(*n)++] = end;
}

/* One journal line: KIND<tab>ID<tab>A[<tab>B]. 0 or -1. */
static wn_err journal(wn_ledger *l, const char *kind, const char *id, const char *a, const char *b)
{
	size_t cap = strlen(kind) + 2 * (strlen(id) + strlen(a ? a : "") + strlen(b ? b : "")) + 8;
	char *line = wn_xmalloc(cap);
	size_t n = 0;
	put_field(line, &n, kind, '\t');
	put_field(line, &n, id, '\t');
	put_field(line, &n, a, b ? '\t' : '\n');
	if (b)
		put_field(line, &n, b, '\n');
	wn_err rc = l->put(line, n, l->put_arg);
	free(line);
	if (rc)
		snprintf(last_error, sizeof(last_error), "cannot write the shard's ledger journal");
	return rc ? WN_E_STORE : WN_E_OK;
}

/* Undoes put_field's escapes in place. */
static char *unescape_field(char *f)
{
	char *o = f;
	for (char *p = f; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			*o++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return f;
}

wn_err wn_ledger_journal_read(char *line, wn_ledger_row *row)
{
	line[strcspn(line, "\n")] = '\0';
	char *f[4] = {line, NULL, NULL, NULL};
	int n = 1;
	for (char *p = line; *p && n < 4; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	for (int i = 0; i < n; i++)
		unescape_field(f[i]);
	memset(row, 0, sizeof(*row));
	row->id = f[1];
	if (n == 4 && strcmp(f[0], "seen") == 0) {
		row->hash = f[2];
		row->outcome = outcome_of(f[3]);
		return *f[1] && strcmp(f[3], wn_outcome_name(row->outcome)) == 0 ? WN_E_OK
		                                                                 : WN_E_FAIL;
	}
	row->failure = 1;
	row->code = f[2];
	return n == 3 && strcmp(f[0], "failed") == 0 && *f[1] ? WN_E_OK : WN_E_FAIL;
}

wn_err wn_ledger_replay(wn_ledger *l, const wn_ledger_row *row)
{
	if (row->failure)
		return wn_ledger_failed(l, row->id, row->code);
	return wn_ledger_remember(l, row->id, row->hash, row->outcome);
}

wn_err wn_ledger_begin(wn_ledger *l, const char *run_id, const char *name, const char *started_at,
                       const char *output_dir, const char *config_sha256)
{
	free(l->run_id);
	l->run_id = wn_xstrdup(run_id);
	if (l->put)
		return WN_E_OK; /* a shard: the merge records the run */
	return EXEC(l->db,
	            "INSERT INTO runs(run_id, name, started_at, status, output_dir,"
	            " config_sha256) VALUES(?1, ?2, ?3, 'running', ?4, ?5);",
	            run_id, name, started_at, output_dir, config_sha256 ? config_sha256 : "");
}

wn_lookup wn_ledger_seen(wn_ledger *l, const char *id, char hash[65], wn_outcome *outcome)
{
	sqlite3_reset(l->seen_q);
	sqlite3_bind_text(l->seen_q, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(l->seen_q);
	int found = rc == SQLITE_ROW;
	if (found) {
		const unsigned char *t = sqlite3_column_text(l->seen_q, 0);
		snprintf(hash, 65, "%s", t ? (const char *)t : "");
		*outcome = outcome_of((const char *)sqlite3_column_text(l->seen_q, 1));
	}
	sqlite3_reset(l->seen_q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		fail(l->db, "looking up a seen id");
		return WN_LOOKUP_ERROR;
	}
	return found ? WN_LOOKUP_FOUND : WN_LOOKUP_NEW;
}

/* Ends the open batch transaction, if any. */
static wn_err flush(wn_ledger *l)
{
	if (!l->in_tx)
		return WN_E_OK;
	l->in_tx = 0;
	l->pending = 0;
	return exec(l->db, "COMMIT;");
}

static wn_err step_reset(wn_ledger *l, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? WN_E_OK : fail(l->db, "writing a pending row");
}

/* Opens the batch transaction when none is. 0 or -1. */
static wn_err batch(wn_ledger *l)
{
	if (l->in_tx)
		return WN_E_OK;
	if (exec(l->db, "BEGIN IMMEDIATE;"))
		return WN_E_STORE;
	l->in_tx = 1;
	return WN_E_OK;
}

/* Writes one pending seen row. 0 or -1. */
static wn_err put_seen(wn_ledger *l, const char *id, const char *hash, wn_outcome outcome)
{
	if (l->put)
		return journal(l, "seen", id, hash ? hash : "", wn_outcome_name(outcome));
	sqlite3_bind_text(l->put_seen, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(l->put_seen, 2, l->run_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(l->put_seen, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(l->put_seen, 4, wn_outcome_name(outcome), -1, SQLITE_STATIC);
	return step_reset(l, l->put_seen);
}

wn_err wn_ledger_exported(wn_ledger *l, const char *id, const char *hash, const void *sig, size_t n)
{
	if (l->put)
		return put_seen(l, id, hash, WN_OUTCOME_EXPORTED);
	if (batch(l) || put_seen(l, id, hash, WN_OUTCOME_EXPORTED))
		return WN_E_STORE;
	if (sig && n) {
		sqlite3_bind_text(l->put_sig, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(l->put_sig, 2, l->run_id, -1, SQLITE_STATIC);
		sqlite3_bind_blob(l->put_sig, 3, sig, (int)n, SQLITE_STATIC);
		if (step_reset(l, l->put_sig))
			return WN_E_STORE;
	}
	return ++l->pending >= FLUSH_ROWS ? flush(l) : WN_E_OK;
}

wn_err wn_ledger_remember(wn_ledger *l, const char *id, const char *hash, wn_outcome outcome)
{
	if (l->put)
		return put_seen(l, id, hash, outcome);
	if (batch(l) || put_seen(l, id, hash, outcome))
		return WN_E_STORE;
	return ++l->pending >= FLUSH_ROWS ? flush(l) : WN_E_OK;
}

wn_lookup wn_ledger_failures(wn_ledger *l, const char *id, const char *code, int *count,
                             char last[32])
{
	*count = 0;
	last[0] = '\0';
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(
	        l->db,
	        "SELECT count(*), max(r.started_at) FROM failures f"
	        " JOIN runs r ON r.run_id = f.run_id"
	        " WHERE f.id = ?1 AND f.committed = 1 AND (?2 IS NULL OR f.code = ?2);",
	        -1, &st, NULL) != SQLITE_OK) {
		fail(l->db, "reading failures");
		return WN_LOOKUP_ERROR;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (code)
		sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int(st, 0);
		const unsigned char *t = sqlite3_column_text(st, 1);
		snprintf(last, 32, "%s", t ? (const char *)t : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		fail(l->db, "reading failures");
		return WN_LOOKUP_ERROR;
	}
	return *count ? WN_LOOKUP_FOUND : WN_LOOKUP_NEW;
}

wn_err wn_ledger_failed(wn_ledger *l, const char *id, const char *code)
{
	if (l->put)
		return journal(l, "failed", id, code, NULL);
	if (batch(l) ||
	    EXEC(l->db, "INSERT OR REPLACE INTO failures(id, run_id, code) VALUES(?1, ?2, ?3);", id,
	         l->run_id, code))
		return WN_E_STORE;
	return ++l->pending >= FLUSH_ROWS ? flush(l) : WN_E_OK;
}

wn_err wn_ledger_each_signature(wn_ledger *l,
                                wn_err (*fn)(const char *id, const void *sig, size_t n, void *arg),
                                void *arg)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(l->db,
	                       "SELECT id, sig FROM signatures WHERE committed = 1 ORDER BY rowid;",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(l->db, "reading signatures");
	wn_err rc = WN_E_OK;
	int s;
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(st, 1),
		        (size_t)sqlite3_column_bytes(st, 1), arg);
	if (!rc && s != SQLITE_DONE) /* a read that failed half-way is not the end */
		rc = fail(l->db, "reading signatures");
	sqlite3_finalize(st);
	return rc;
}

wn_err wn_ledger_prepare(wn_ledger *l)
{
	if (l->put)
		return WN_E_OK;
	if (flush(l))
		return WN_E_STORE;
	return EXEC(l->db, "UPDATE runs SET status = 'committing' WHERE run_id = ?1;", l->run_id);
}

/* Writes the run's final row fields. */
static wn_err finish_row(wn_ledger *l, const char *status, int exit_code, const char *finished_at,
                         const wn_ledger_counts *c)
{
	char nums[7][24];
	int64_t v[7] = {exit_code, c->read, c->exported,  c->dropped,
	                c->dead,   c->seen, c->duplicates};
	for (int i = 0; i < 7; i++)
		snprintf(nums[i], sizeof(nums[i]), "%lld", (long long)v[i]);
	return EXEC(l->db,
	            "UPDATE runs SET status = ?2, finished_at = ?3, exit_code = ?4, read = ?5,"
	            " exported = ?6, dropped = ?7, dead = ?8, seen = ?9, duplicates = ?10"
	            " WHERE run_id = ?1;",
	            l->run_id, status, finished_at, nums[0], nums[1], nums[2], nums[3], nums[4],
	            nums[5], nums[6]);
}

wn_err wn_ledger_commit(wn_ledger *l, int exit_code, const char *finished_at,
                        const wn_ledger_counts *c)
{
	if (l->put)
		return WN_E_OK;
	if (exec(l->db, "BEGIN IMMEDIATE;"))
		return WN_E_STORE;
	int rc = EXEC(l->db, "UPDATE seen SET committed = 1 WHERE run_id = ?1;", l->run_id) ||
	         EXEC(l->db, "UPDATE signatures SET committed = 1 WHERE run_id = ?1;", l->run_id) ||
	         EXEC(l->db, "UPDATE failures SET committed = 1 WHERE run_id = ?1;", l->run_id) ||
	         finish_row(l, "committed", exit_code, finished_at, c);
	return exec(l->db, rc ? "ROLLBACK;" : "COMMIT;") || rc ? WN_E_STORE : WN_E_OK;
}

wn_err wn_ledger_abort(wn_ledger *l, const char *status, int exit_code, const char *finished_at,
                       const wn_ledger_counts *c)
{
	if (l->put)
		return WN_E_OK;
	if (l->in_tx && exec(l->db, "ROLLBACK;") == 0)
		l->in_tx = 0;
	l->pending = 0;
	if (exec(l->db, "BEGIN IMMEDIATE;"))
		return WN_E_STORE;
	int rc = EXEC(l->db, "DELETE FROM seen WHERE run_id = ?1;", l->run_id) ||
	         EXEC(l->db, "DELETE FROM signatures WHERE run_id = ?1;", l->run_id) ||
	         EXEC(l->db, "DELETE FROM failures WHERE run_id = ?1;", l->run_id) ||
	         finish_row(l, status, exit_code, finished_at, c);
	return exec(l->db, rc ? "ROLLBACK;" : "COMMIT;") || rc ? WN_E_STORE : WN_E_OK;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

wn_err wn_ledger_each_run(wn_ledger *l, int limit, void (*fn)(const wn_ledger_run *r, void *arg),
                          void *arg)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(l->db,
	                       "SELECT run_id, name, started_at, finished_at, status, output_dir,"
	                       " exit_code, read, exported, dropped, dead, seen, duplicates"
	                       " FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?1;",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(l->db, "reading the run history");
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		wn_ledger_run r = {.run_id = col(st, 0),
		                   .name = col(st, 1),
		                   .started_at = col(st, 2),
		                   .finished_at = col(st, 3),
		                   .status = col(st, 4),
		                   .output_dir = col(st, 5),
		                   .exit_code = sqlite3_column_int(st, 6)};
		r.counts.read = sqlite3_column_int64(st, 7);
		r.counts.exported = sqlite3_column_int64(st, 8);
		r.counts.dropped = sqlite3_column_int64(st, 9);
		r.counts.dead = sqlite3_column_int64(st, 10);
		r.counts.seen = sqlite3_column_int64(st, 11);
		r.counts.duplicates = sqlite3_column_int64(st, 12);
		fn(&r, arg);
	}
	sqlite3_finalize(st);
	return WN_E_OK;
}

wn_err wn_ledger_expired(wn_ledger *l, int keep, const char *current_dir, char ***ids, char ***dirs,
                         size_t *n)
{
	*ids = *dirs = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(l->db,
	                       /* Runs that exported articles count toward keep; a run
	                        * that exported none holds no article, so its folder
	                        * goes as soon as a newer run committed. */
	                       "SELECT run_id, output_dir FROM runs r WHERE status = 'committed'"
	                       " AND ((exported > 0 AND run_id NOT IN (SELECT run_id FROM runs"
	                       "   WHERE status = 'committed' AND exported > 0"
	                       "   ORDER BY started_at DESC, rowid DESC LIMIT ?1))"
	                       " OR (exported = 0 AND run_id NOT IN (SELECT run_id FROM runs"
	                       "   WHERE status = 'committed' ORDER BY started_at DESC, rowid DESC"
	                       "   LIMIT 1)))"
	                       " ORDER BY started_at DESC, rowid DESC;",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(l->db, "reading expired runs");
	sqlite3_bind_int(st, 1, keep);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (strcmp(col(st, 1), current_dir) == 0)
			continue;
		*ids = wn_xrealloc(*ids, (*n + 1) * sizeof(**ids));
		*dirs = wn_xrealloc(*dirs, (*n + 1) * sizeof(**dirs));
		(*ids)[*n] = wn_xstrdup(col(st, 0));
		(*dirs)[*n] = wn_xstrdup(col(st, 1));
		(*n)++;
	}
	sqlite3_finalize(st);
	return WN_E_OK;
}

wn_err wn_ledger_mark_pruned(wn_ledger *l, const char *run_id)
{
	return EXEC(l->db, "UPDATE runs SET status = 'pruned' WHERE run_id = ?1;", run_id);
}
