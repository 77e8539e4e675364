/*
 * The state store: see state.h.
 */
#include "state.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger.h"
#include "util.h"

struct wn_state {
	sqlite3 *db;
	sqlite3_stmt *get; /* prepared once: the lookup runs for every page */
	pthread_mutex_t mu;
};

/* Marks a SQLite file as winnow's state store ("wnow"). */
#define APP_ID 0x776e6f77

static const char *const schema_v1 =
    "CREATE TABLE IF NOT EXISTS http_validators("
    " url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, updated_at TEXT NOT NULL);";

/* Runs sql; 0, or -1 with the message in err. */
static wn_err exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return WN_E_OK;
	snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return WN_E_STORE;
}

/* Reads the schema version (0 for a new file). */
static wn_err schema_version(sqlite3 *db, int *v, char *err, size_t errlen)
{
	if (exec(db, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL);", err,
	         errlen))
		return WN_E_STORE;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version;", -1, &st, NULL)) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return WN_E_STORE;
	}
	*v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return WN_E_OK;
}

/* Refuses a SQLite file that is not a winnow state store: one that has
 * tables but neither winnow's application id nor its schema table. A new
 * empty file is claimed by setting the application id. */
static wn_err check_owner(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int app = 0, tables = 0, ours = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA application_id;", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			app = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(db,
	                       "SELECT count(*), sum(name = 'schema_version') FROM sqlite_master"
	                       " WHERE type = 'table';",
	                       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return WN_E_STORE;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		tables = sqlite3_column_int(st, 0);
		ours = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (app != APP_ID && tables > 0 && !ours) {
		snprintf(err, errlen,
		         "not a winnow state store (a SQLite file with other tables); refusing to "
		         "touch it: point run.state at another file");
		return WN_E_STORE;
	}
	if (app != APP_ID) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d;", APP_ID);
		return exec(db, sql, err, errlen);
	}
	return WN_E_OK;
}

/* The schema version when it can be read without writing: -1 when the
 * table is not there (a new file) or cannot be read. */
static int current_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version;", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* Creates or upgrades the tables in one transaction. A store that is up to
 * date is only read, so opening it never waits for a live run's write
 * transaction (`winnow runs` during a run). */
static wn_err migrate(sqlite3 *db, char *err, size_t errlen)
{
	if (current_version(db) == WN_STATE_SCHEMA)
		return WN_E_OK;
	if (exec(db, "BEGIN IMMEDIATE;", err, errlen))
		return WN_E_STORE;
	int v = 0;
	wn_err rc = schema_version(db, &v, err, errlen);
	if (!rc && v > WN_STATE_SCHEMA) {
		snprintf(err, errlen, "schema version %d is newer than this winnow (%d)", v,
		         WN_STATE_SCHEMA);
		rc = WN_E_STORE;
	}
	if (!rc && v < 1)
		rc = exec(db, schema_v1, err, errlen);
	if (!rc && v < 2) /* the ledger: runs, seen ids, duplicate signatures */
		rc = exec(db, wn_ledger_schema, err, errlen);
	if (!rc && v < 3) /* every terminal outcome, not only exports */
		rc = exec(db, wn_ledger_schema_v3, err, errlen);
	if (!rc && v < WN_STATE_SCHEMA) {
		char sql[96];
		snprintf(sql, sizeof(sql),
		         "DELETE FROM schema_version; INSERT INTO schema_version VALUES(%d);",
		         WN_STATE_SCHEMA);
		rc = exec(db, sql, err, errlen);
	}
	char ignored[8];
	if (exec(db, rc ? "ROLLBACK;" : "COMMIT;", rc ? ignored : err,
	         rc ? sizeof(ignored) : errlen))
		rc = WN_E_STORE;
	return rc;
}

/* Closes db after a failed open, saying why (or SQLite's last error). */
static wn_state *state_fail(sqlite3 *db, const char *path, const char *why, char *err,
                            size_t errlen)
{
	snprintf(err, errlen, "%s: %s", path, *why ? why : sqlite3_errmsg(db));
	sqlite3_close(db);
	return NULL;
}

/* The store on an open, checked db: both opens end here. NULL (db
 * closed, err set) when the lookup cannot be prepared. */
static wn_state *state_ready(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt *get = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT etag, last_modified FROM http_validators WHERE url = ?1;",
	                       -1, &get, NULL) != SQLITE_OK)
		return state_fail(db, path, "", err, errlen);
	wn_state *s = wn_xcalloc(1, sizeof(*s));
	s->db = db;
	s->get = get;
	pthread_mutex_init(&s->mu, NULL);
	return s;
}

wn_state *wn_state_open(const char *path, char *err, size_t errlen)
{
	char *dir = wn_dirname(path);
	wn_mkdirs(dir, 0777);
	free(dir);
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000); /* another tool reading the file */
	char why[256] = "";
	if (check_owner(db, why, sizeof(why)) ||
	    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", why, sizeof(why)) ||
	    migrate(db, why, sizeof(why)))
		return state_fail(db, path, why, err, errlen);
	return state_ready(db, path, err, errlen);
}

/* A store opened read-only must be winnow's and at this code's schema:
 * it cannot be claimed or upgraded without writing. 0 or -1. */
static wn_err check_readonly(sqlite3 *db, char *err, size_t errlen)
{
	int v = current_version(db);
	if (v < 0)
		snprintf(err, errlen, "not a winnow state store, or damaged (%s)",
		         sqlite3_errmsg(db));
	else if (v != WN_STATE_SCHEMA)
		snprintf(err, errlen,
		         "schema version %d, this winnow reads %d read-only (a one-machine run or "
		         "`winnow merge` of this winnow upgrades it)",
		         v, WN_STATE_SCHEMA);
	return v == WN_STATE_SCHEMA ? WN_E_OK : WN_E_STORE;
}

wn_state *wn_state_open_readonly(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open read-only: %s", path,
		         db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	char why[256] = "";
	if (check_readonly(db, why, sizeof(why)))
		return state_fail(db, path, why, err, errlen);
	return state_ready(db, path, err, errlen);
}

void wn_state_close(wn_state *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->get);
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

static char *column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? wn_xstrdup((const char *)t) : NULL;
}

int wn_state_validators_get(wn_state *s, const char *url, char **etag, char **last_modified)
{
	*etag = *last_modified = NULL;
	if (!s)
		return 0;
	pthread_mutex_lock(&s->mu);
	int found = 0;
	sqlite3_reset(s->get);
	if (sqlite3_bind_text(s->get, 1, url, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_step(s->get) == SQLITE_ROW) {
		*etag = column_dup(s->get, 0);
		*last_modified = column_dup(s->get, 1);
		found = *etag || *last_modified;
	}
	sqlite3_reset(s->get);
	pthread_mutex_unlock(&s->mu);
	return found;
}

/* Inserts every validator with one prepared statement. */
static wn_err put_all(wn_state *s, const wn_validator *v, size_t n, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
	                       "INSERT OR REPLACE INTO http_validators(url, etag, last_modified, "
	                       "updated_at) VALUES(?1, ?2, ?3, ?4);",
	                       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
		return WN_E_STORE;
	}
	char now[32];
	wn_iso_utc((int64_t)time(NULL), now);
	wn_err rc = WN_E_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_bind_text(st, 1, v[i].url, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, v[i].etag, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, v[i].last_modified, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
			rc = WN_E_STORE;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

wn_err wn_state_validators_put(wn_state *s, const wn_validator *v, size_t n, char *err,
                               size_t errlen)
{
	if (!s || n == 0)
		return WN_E_OK;
	pthread_mutex_lock(&s->mu);
	char ignored[8];
	wn_err rc = exec(s->db, "BEGIN IMMEDIATE;", err, errlen);
	if (!rc) {
		rc = put_all(s, v, n, err, errlen);
		if (exec(s->db, rc ? "ROLLBACK;" : "COMMIT;", rc ? ignored : err,
		         rc ? sizeof(ignored) : errlen))
			rc = WN_E_STORE;
	}
	pthread_mutex_unlock(&s->mu);
	return rc ? WN_E_STORE : WN_E_OK;
}

sqlite3 *wn_state_db(wn_state *s)
{
	return s ? s->db : NULL;
}
