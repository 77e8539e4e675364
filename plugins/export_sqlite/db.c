/*
 * export_sqlite's database: see db.h. The article columns are the field
 * catalogue's (winnow/fields.h) in its order, typed by it; a database made
 * by an older winnow gets the catalogue's new columns added.
 */
#include "db.h"

#include "utf8.h"

#include <winnow/fields.h>

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Logs a formatted message at level through the plugin's callback. */
static void logf_(es_db *d, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void logf_(es_db *d, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (d->log)
		d->log(d->log_arg, level, msg);
}

/* Runs SQL without results; 0, or -1 after logging `what`. */
static int exec(es_db *d, const char *sql, const char *what)
{
	char *err = NULL;
	if (sqlite3_exec(d->db, sql, NULL, NULL, &err) == SQLITE_OK)
		return 0;
	logf_(d, WN_LOG_ERROR, "%s: %s", what, err ? err : sqlite3_errmsg(d->db));
	sqlite3_free(err);
	return -1;
}

/* The first column of the first row of sql as an integer (0 when none). */
static int64_t query_int(es_db *d, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0;
	if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static const char *sql_type(int type)
{
	return type == WN_T_INT ? "INTEGER" : type == WN_T_REAL ? "REAL" : "TEXT";
}

/* Creates the parent folders of path (mkdir -p of its dirname). */
static void make_parent(const char *path)
{
	char *p = strdup(path);
	if (!p)
		return;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0777); /* errors show when the database is opened */
		*s = '/';
	}
	free(p);
}

int es_db_open(es_db *d, const char *path, int fts, int64_t busy_ms, es_log_fn log, void *arg)
{
	memset(d, 0, sizeof *d);
	d->log = log;
	d->log_arg = arg;
	d->want_fts = fts;
	make_parent(path);
	if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		logf_(d, WN_LOG_ERROR, "cannot open database %s: %s", path,
		      d->db ? sqlite3_errmsg(d->db) : "out of memory");
		es_db_close(d);
		return -1;
	}
	sqlite3_busy_timeout(d->db, busy_ms > 0x7fffffff ? 0x7fffffff : (int)busy_ms);
	sqlite3_stmt *st = NULL;
	const char *mode = NULL;
	if (sqlite3_prepare_v2(d->db, "PRAGMA journal_mode=WAL", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		mode = (const char *)sqlite3_column_text(st, 0);
	int wal = mode && strcmp(mode, "wal") == 0;
	sqlite3_finalize(st);
	if (!wal) {
		logf_(d, WN_LOG_ERROR, "%s: cannot use WAL mode (%s): not a database, or locked",
		      path, sqlite3_errmsg(d->db));
		es_db_close(d);
		return -1;
	}
	/* The commit must be durable before the runner publishes the run's
	 * files and marks it committed. */
	if (exec(d, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", path)) {
		es_db_close(d);
		return -1;
	}
	return 0;
}

/* CREATE TABLE articles from the catalogue. sqlite3_free the result. */
static char *articles_ddl(void)
{
	sqlite3_str *s = sqlite3_str_new(NULL);
	sqlite3_str_appendall(s, "CREATE TABLE IF NOT EXISTS articles (");
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *f = &wn_fields[i];
		if (!wn_field_is_column(f))
			continue;
		sqlite3_str_appendf(s, "\"%w\" %s%s, ", f->name, sql_type(f->type),
		                    strcmp(f->name, WN_F_ID) == 0 ? " PRIMARY KEY NOT NULL" : "");
	}
	sqlite3_str_appendall(s, "run_id TEXT NOT NULL) STRICT;");
	return sqlite3_str_finish(s);
}

static const char ddl_rest[] =
    "CREATE TABLE IF NOT EXISTS entities ("
    " article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, type TEXT NOT NULL, text TEXT, value TEXT, canonical TEXT,"
    " kb_id TEXT, start INTEGER NOT NULL, \"end\" INTEGER NOT NULL, confidence REAL,"
    " stage TEXT, PRIMARY KEY (article_id, seq)) STRICT;"
    "CREATE TABLE IF NOT EXISTS runs ("
    " run_id TEXT PRIMARY KEY NOT NULL, started_at TEXT, committed_at TEXT NOT NULL,"
    " articles INTEGER NOT NULL, entities INTEGER NOT NULL, dropped INTEGER) STRICT;"
    "CREATE TABLE IF NOT EXISTS dropped ("
    " run_id TEXT NOT NULL, id TEXT NOT NULL, url TEXT, stage TEXT, plugin TEXT, code TEXT,"
    " reason TEXT, duplicate_of TEXT, PRIMARY KEY (run_id, id)) STRICT;"
    "CREATE INDEX IF NOT EXISTS dropped_code ON dropped(code);"
    "CREATE INDEX IF NOT EXISTS articles_url ON articles(url);"
    "CREATE INDEX IF NOT EXISTS articles_published ON articles(published);"
    "CREATE INDEX IF NOT EXISTS articles_site ON articles(site_name);"
    "CREATE INDEX IF NOT EXISTS entities_type_text ON entities(type, text);";

static const char ddl_fts[] =
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles',"
    " content_rowid='rowid');"
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
    " INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END;"
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    " VALUES ('delete', old.rowid, old.title, old.text); END;"
    "CREATE TRIGGER articles_fts_au AFTER UPDATE ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    " VALUES ('delete', old.rowid, old.title, old.text);"
    " INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END;"
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');";

/* True when table `table` has column `name`. */
static int has_column(es_db *d, const char *table, const char *name)
{
	char *sql = sqlite3_mprintf("SELECT count(*) FROM pragma_table_info(%Q) WHERE name=%Q",
	                            table, name);
	int64_t n = sql ? query_int(d, sql) : 0;
	sqlite3_free(sql);
	return n > 0;
}

/* Adds the catalogue's columns an older database lacks. */
static int add_new_columns(es_db *d)
{
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *f = &wn_fields[i];
		if (!wn_field_is_column(f) || has_column(d, "articles", f->name))
			continue;
		char *sql = sqlite3_mprintf("ALTER TABLE articles ADD COLUMN \"%w\" %s", f->name,
		                            sql_type(f->type));
		int rc = sql ? exec(d, sql, "adding a catalogue column") : -1;
		sqlite3_free(sql);
		if (rc)
			return -1;
	}
	if (!has_column(d, "runs", "dropped"))
		return exec(d, "ALTER TABLE runs ADD COLUMN dropped INTEGER",
		            "adding runs.dropped");
	return 0;
}

/* Checks the database is winnow's (or empty) and of a known version. */
static int check_identity(es_db *d)
{
	int64_t app = query_int(d, "PRAGMA application_id");
	int64_t ver = query_int(d, "PRAGMA user_version");
	int64_t tables = query_int(d, "SELECT count(*) FROM sqlite_master");
	if (app == 0 && ver == 0 && tables == 0)
		return exec(d, "PRAGMA application_id=2003715138; PRAGMA user_version=1;",
		            "marking the database");
	if (app != ES_APPLICATION_ID) {
		logf_(d, WN_LOG_ERROR, "%s is not a winnow database (application_id %lld)",
		      sqlite3_db_filename(d->db, "main"), (long long)app);
		return -1;
	}
	if (ver > ES_SCHEMA_VERSION) {
		logf_(d, WN_LOG_ERROR, "%s has schema version %lld, newer than this winnow's (%d)",
		      sqlite3_db_filename(d->db, "main"), (long long)ver, ES_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* Creates articles_fts when wanted and possible (a SQLite without FTS5
 * gets a warning and no index). */
static int setup_fts(es_db *d)
{
	d->fts = query_int(d, "SELECT count(*) FROM sqlite_master WHERE name='articles_fts'") > 0;
	if (d->fts || !d->want_fts)
		return 0;
	if (!sqlite3_compileoption_used("ENABLE_FTS5")) {
		logf_(d, WN_LOG_WARN, "this SQLite has no FTS5: no full-text index");
		return 0;
	}
	if (exec(d, ddl_fts, "creating the full-text index"))
		return -1;
	d->fts = 1;
	return 0;
}

/* INSERT ... ON CONFLICT(id) DO UPDATE for the catalogue's columns. */
static char *upsert_sql(void)
{
	sqlite3_str *s = sqlite3_str_new(NULL);
	sqlite3_str_appendall(s, "INSERT INTO articles (");
	for (size_t i = 0; i < WN_FIELD_COUNT; i++)
		if (wn_field_is_column(&wn_fields[i]))
			sqlite3_str_appendf(s, "\"%w\", ", wn_fields[i].name);
	sqlite3_str_appendall(s, "run_id) VALUES (");
	int n = 0;
	for (size_t i = 0; i < WN_FIELD_COUNT; i++)
		if (wn_field_is_column(&wn_fields[i]))
			sqlite3_str_appendf(s, "?%d, ", ++n);
	sqlite3_str_appendf(s, "?%d) ON CONFLICT(id) DO UPDATE SET ", n + 1);
	for (size_t i = 0; i < WN_FIELD_COUNT; i++)
		if (wn_field_is_column(&wn_fields[i]) && strcmp(wn_fields[i].name, WN_F_ID) != 0)
			sqlite3_str_appendf(s, "\"%w\" = excluded.\"%w\", ", wn_fields[i].name,
			                    wn_fields[i].name);
	sqlite3_str_appendall(s, "run_id = excluded.run_id;");
	return sqlite3_str_finish(s);
}

static int prepare(es_db *d, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK)
		return 0;
	logf_(d, WN_LOG_ERROR, "preparing a statement: %s", sqlite3_errmsg(d->db));
	return -1;
}

int es_db_begin(es_db *d)
{
	if (exec(d, "BEGIN IMMEDIATE", "starting the run's transaction"))
		return -1;
	d->in_tx = 1;
	char *ddl = articles_ddl();
	char *up = upsert_sql();
	int rc =
	    !ddl || !up || check_identity(d) || exec(d, ddl, "creating the tables") ||
	    exec(d, ddl_rest, "creating the tables") || add_new_columns(d) || setup_fts(d) ||
	    prepare(d, up, &d->put_article) ||
	    prepare(d, "DELETE FROM entities WHERE article_id = ?1", &d->del_entities) ||
	    prepare(d,
	            "INSERT INTO entities (article_id, seq, type, text, value, canonical, "
	            "kb_id, start, \"end\", confidence, stage) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	            "?7, ?8, ?9, ?10, ?11)",
	            &d->put_entity) ||
	    prepare(d,
	            "INSERT OR REPLACE INTO runs (run_id, started_at, committed_at, articles, "
	            "entities) VALUES (?1, ?2, ?3, ?4, ?5)",
	            &d->put_run);
	sqlite3_free(ddl);
	sqlite3_free(up);
	return rc ? -1 : 0;
}

/* Binds text as valid UTF-8 (invalid bytes become U+FFFD, as in the other
 * sinks), so every reader decodes it. */
static void bind_utf8(sqlite3_stmt *st, int i, const char *s, size_t n)
{
	if (wn_utf8_valid_prefix((const unsigned char *)s, n) == n) {
		sqlite3_bind_text(st, i, s, (int)n, SQLITE_STATIC);
		return;
	}
	size_t m = 0;
	char *fixed = wn_utf8_repair(s, n, &m);
	if (fixed)
		sqlite3_bind_text(st, i, fixed, (int)m, free);
	else
		sqlite3_bind_null(st, i);
}

/* Binds one field's value to parameter i, as its column's type wants;
 * a value that does not fit is bound as NULL and counted. */
static void bind_field(es_db *d, sqlite3_stmt *st, int i, const wn_field_def *f, int type,
                       const void *val, size_t len)
{
	int64_t iv;
	double dv;
	char buf[32];
	if (!val || type == WN_T_NONE) {
		sqlite3_bind_null(st, i);
		return;
	}
	if (type == WN_T_INT)
		memcpy(&iv, val, sizeof iv);
	if (type == WN_T_REAL)
		memcpy(&dv, val, sizeof dv);
	if (f->type == WN_T_STR && (type == WN_T_STR || type == WN_T_BYTES)) {
		bind_utf8(st, i, val, len);
	} else if (f->type == WN_T_STR && type == WN_T_INT) {
		snprintf(buf, sizeof buf, "%lld", (long long)iv);
		sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
	} else if (f->type == WN_T_INT && type == WN_T_INT) {
		sqlite3_bind_int64(st, i, iv);
	} else if (f->type == WN_T_REAL && (type == WN_T_REAL || type == WN_T_INT)) {
		sqlite3_bind_double(st, i, type == WN_T_INT ? (double)iv : dv);
	} else {
		sqlite3_bind_null(st, i);
		d->mismatched++;
	}
}

/* Steps a write statement to completion and resets it; 0 or -1 (logged). */
static int step(es_db *d, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE)
		return 0;
	logf_(d, WN_LOG_ERROR, "%s: %s", what, sqlite3_errmsg(d->db));
	return -1;
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		bind_utf8(st, i, s, strlen(s));
	else
		sqlite3_bind_null(st, i);
}

/* Writes r's entities (after deleting the article's old ones). */
static int put_entities(es_db *d, const wn_host_api *api, const wn_record *r, const char *id,
                        int64_t *n_ents)
{
	sqlite3_bind_text(d->del_entities, 1, id, -1, SQLITE_STATIC);
	if (step(d, d->del_entities, "replacing entities"))
		return -1;
	size_t tlen = 0, n = api->entity_count(r);
	const char *text = api->get_str(r, WN_F_TEXT, &tlen);
	wn_cp_cursor cp; /* offsets in code points, not the ABI's bytes */
	wn_cp_init(&cp, text, text ? tlen : 0);
	sqlite3_stmt *st = d->put_entity;
	for (size_t i = 0; i < n; i++) {
		const wn_entity *e = api->entity_at(r, i);
		if (!e)
			continue;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		sqlite3_bind_text(st, 3, e->type ? e->type : "", -1, SQLITE_STATIC);
		bind_opt_text(st, 4, e->text);
		bind_opt_text(st, 5, e->value);
		bind_opt_text(st, 6, e->canonical);
		bind_opt_text(st, 7, e->kb_id);
		sqlite3_bind_int64(st, 8, wn_cp_offset(&cp, e->start));
		sqlite3_bind_int64(st, 9, wn_cp_offset(&cp, e->end));
		sqlite3_bind_double(st, 10, e->confidence);
		bind_opt_text(st, 11, e->stage);
		if (step(d, st, "writing an entity"))
			return -1;
		(*n_ents)++;
	}
	return 0;
}

int es_db_put(es_db *d, const wn_host_api *api, const wn_record *r, const char *run_id,
              int64_t *n_ents)
{
	*n_ents = 0;
	const char *id = api->get_str(r, WN_F_ID, NULL);
	char idbuf[32];
	if (!id) { /* an integer id (a test or a foreign source) */
		int type = WN_T_NONE;
		const void *v = api->get(r, WN_F_ID, &type, NULL);
		if (!v || type != WN_T_INT)
			return ES_BAD_RECORD;
		int64_t iv;
		memcpy(&iv, v, sizeof iv);
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)iv);
		id = idbuf;
	}
	sqlite3_stmt *st = d->put_article;
	int n = 0;
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *f = &wn_fields[i];
		if (!wn_field_is_column(f))
			continue;
		int type = WN_T_NONE;
		size_t len = 0;
		const void *val = api->get(r, f->name, &type, &len);
		bind_field(d, st, ++n, f, type, val, len);
	}
	sqlite3_bind_text(st, n + 1, run_id ? run_id : "", -1, SQLITE_STATIC);
	if (step(d, st, "writing an article") || put_entities(d, api, r, id, n_ents))
		return ES_ERROR;
	return ES_OK;
}

int es_db_add_run(es_db *d, const char *run_id, const char *started_at, int64_t articles,
                  int64_t entities)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	sqlite3_stmt *st = d->put_run;
	sqlite3_bind_text(st, 1, run_id ? run_id : "", -1, SQLITE_STATIC);
	bind_opt_text(st, 2, started_at);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, articles);
	sqlite3_bind_int64(st, 5, entities);
	return step(d, st, "recording the run");
}

int es_db_commit(es_db *d)
{
	if (!d->in_tx)
		return 0;
	if (exec(d, "COMMIT", "committing the run")) {
		exec(d, "ROLLBACK", "rolling back");
		d->in_tx = 0;
		return -1;
	}
	d->in_tx = 0;
	return 0;
}

/* The run id in FOLDER/run.json, malloc'd, or NULL. */
static char *committed_run_id(const char *folder)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/run.json", folder);
	json_t *j = json_load_file(path, 0, NULL);
	const char *id = json_string_value(json_object_get(j, "run_id"));
	char *out = id ? strdup(id) : NULL;
	json_decref(j);
	return out;
}

static void bind_json_str(sqlite3_stmt *st, int i, json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Inserts every line of the drop log at path for run_id; the count or -1. */
static int64_t insert_drops(es_db *d, const char *run_id, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0; /* a run without a drop log */
	sqlite3_stmt *st = NULL;
	int64_t n = 0;
	if (sqlite3_prepare_v2(
	        d->db,
	        "INSERT OR IGNORE INTO dropped (run_id, id, url, stage, plugin, code, "
	        "reason, duplicate_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	        -1, &st, NULL) != SQLITE_OK) {
		fclose(f);
		logf_(d, WN_LOG_ERROR, "importing drops: %s", sqlite3_errmsg(d->db));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	while (n >= 0 && getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		if (json_string_value(json_object_get(o, "id"))) {
			sqlite3_bind_text(st, 1, run_id, -1, SQLITE_STATIC);
			bind_json_str(st, 2, o, "id");
			bind_json_str(st, 3, o, "url");
			bind_json_str(st, 4, o, "stage");
			bind_json_str(st, 5, o, "plugin");
			bind_json_str(st, 6, o, "code");
			bind_json_str(st, 7, o, "reason");
			bind_json_str(st, 8, o, "duplicate_of");
			n = step(d, st, "importing drops") ? -1 : n + 1;
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	sqlite3_finalize(st);
	return n;
}

int64_t es_db_import_drops(es_db *d, const char *folder, const char *log_name)
{
	if (!d->db || d->in_tx || !log_name || !*log_name)
		return 0;
	char *run_id = committed_run_id(folder);
	if (!run_id)
		return 0;
	int64_t n = 0;
	char *q = sqlite3_mprintf("SELECT count(*) FROM runs WHERE run_id = %Q AND dropped IS NULL",
	                          run_id);
	if (exec(d, "BEGIN IMMEDIATE", "importing drops") == 0) {
		if (q && has_column(d, "runs", "dropped") && query_int(d, q) > 0) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", folder, log_name);
			n = insert_drops(d, run_id, path);
			char *up =
			    sqlite3_mprintf("UPDATE runs SET dropped = %lld WHERE run_id = %Q",
			                    (long long)n, run_id);
			if (n < 0 || !up || exec(d, up, "importing drops"))
				n = -1;
			sqlite3_free(up);
		}
		if (exec(d, n < 0 ? "ROLLBACK" : "COMMIT", "importing drops"))
			n = -1;
	}
	sqlite3_free(q);
	free(run_id);
	return n;
}

void es_db_close(es_db *d)
{
	if (!d->db)
		return;
	if (d->in_tx)
		sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
	d->in_tx = 0;
	sqlite3_finalize(d->put_article);
	sqlite3_finalize(d->del_entities);
	sqlite3_finalize(d->put_entity);
	sqlite3_finalize(d->put_run);
	d->put_article = d->del_entities = d->put_entity = d->put_run = NULL;
	sqlite3_close(d->db);
	d->db = NULL;
}
