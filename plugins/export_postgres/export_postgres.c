/*
 * export_postgres: the SQLite sink's tables (articles, entities, runs,
 * dropped) in a PostgreSQL server, loaded with COPY and upserted by id, all
 * of a run in one transaction that is committed in the sink's commit
 * callback. Full-text search: a generated tsvector column `fts` on title
 * and text with a GIN index.
 *
 * During the run, articles stream into a temporary table with COPY (one
 * COPY stays open on the connection) and entity rows go to a temporary
 * file; at commit the entities are copied in too, and both are merged into
 * the real tables (the last copy of an id wins, its entities replace the
 * old ones), then the transaction commits. A run that fails, is killed, or
 * loses its server before that commits nothing: the server rolls the
 * transaction back. A rerun of the same records is idempotent.
 *
 * The connection comes from a libpq connection string or the PG*
 * environment variables; a password in the config is refused (use
 * PGPASSWORD or ~/.pgpass).
 */
#include "utf8.h"

#include <winnow/fields.h>
#include <winnow/plugin.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"

#define EP_MAX_ROW ((size_t)256 << 20)

typedef struct ep_state {
	/* options, written by the host */
	const char *conninfo;
	int fts;
	/* run state */
	PGconn *pg;
	int in_tx, copying;
	FILE *ents;  /* entity rows in COPY text format, copied at commit */
	wn_buf row;  /* the row being built */
	int64_t seq; /* records written, the order of copies of one id */
	int64_t articles, entities;
	int64_t dropped; /* rows of the drop log, -1 when the host gave none */
} ep_state;

static const wn_option ep_options[] = {
    {"conninfo", WN_OPT_STR, "", 0, offsetof(ep_state, conninfo),
     "libpq connection string or URI (\"host=db dbname=news\"); empty: the PG* environment; "
     "never a password",
     NULL, 0, 0},
    {"fts", WN_OPT_BOOL, "true", 0, offsetof(ep_state, fts),
     "keep a full-text column fts (tsvector of title and text, 'simple' configuration) with a "
     "GIN index",
     NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

/* As the runner's commit steps (crash.h): WINNOW_CRASH_AT=NAME kills the
 * process with SIGKILL at that point, for the kill tests. */
static void crash_point(const char *point)
{
	const char *at = getenv("WINNOW_CRASH_AT");
	if (at && strcmp(at, point) == 0)
		kill(getpid(), SIGKILL);
}

static const char *pg_type(const wn_field_def *f)
{
	if (f->fmt == WN_FMT_TIME)
		return "timestamptz";
	return f->type == WN_T_INT ? "bigint" : f->type == WN_T_REAL ? "double precision" : "text";
}

/* Runs one statement; 0, or -1 after logging `what`. */
static int run_sql(const wn_ctx *cx, ep_state *s, const char *sql, const char *what)
{
	PGresult *r = PQexec(s->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok)
		cx->api->log(cx, WN_LOG_ERROR, "postgres: %s: %s", what, PQerrorMessage(s->pg));
	PQclear(r);
	return ok ? 0 : -1;
}

/* The article columns (catalogue order) as "a, b, c". */
static void column_list(wn_buf *b, const char *prefix)
{
	for (size_t i = 0, n = 0; i < WN_FIELD_COUNT; i++)
		if (wn_field_is_column(&wn_fields[i]))
			wn_buf_addf(b, "%s%s\"%s\"", n++ ? ", " : "", prefix, wn_fields[i].name);
}

/* The tables, when missing (a schema already present is used, with the
 * catalogue's columns it lacks added). */
static int create_schema(const wn_ctx *cx, ep_state *s)
{
	wn_buf b;
	wn_buf_init(&b, 1 << 20);
	wn_buf_adds(&b, "CREATE TABLE IF NOT EXISTS articles (");
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *f = &wn_fields[i];
		if (wn_field_is_column(f))
			wn_buf_addf(&b, "\"%s\" %s%s, ", f->name, pg_type(f),
			            strcmp(f->name, WN_F_ID) == 0 ? " PRIMARY KEY" : "");
	}
	wn_buf_adds(&b, "run_id text NOT NULL);");
	/* a table made by an older winnow gets the catalogue's new columns
	 * (before the indexes, which may need them) */
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *f = &wn_fields[i];
		if (wn_field_is_column(f))
			wn_buf_addf(&b, "ALTER TABLE articles ADD COLUMN IF NOT EXISTS \"%s\" %s;",
			            f->name, pg_type(f));
	}
	wn_buf_adds(&b,
	            "CREATE TABLE IF NOT EXISTS entities (article_id text NOT NULL REFERENCES "
	            "articles(id) ON DELETE CASCADE, seq bigint NOT NULL, type text NOT NULL, "
	            "text text, value text, canonical text, kb_id text, start bigint NOT NULL, "
	            "\"end\" bigint NOT NULL, confidence double precision, stage text, "
	            "PRIMARY KEY (article_id, seq));"
	            "CREATE TABLE IF NOT EXISTS runs (run_id text PRIMARY KEY, started_at "
	            "timestamptz, committed_at timestamptz NOT NULL, articles bigint NOT NULL, "
	            "entities bigint NOT NULL, dropped bigint);"
	            "ALTER TABLE runs ADD COLUMN IF NOT EXISTS dropped bigint;"
	            "CREATE TABLE IF NOT EXISTS dropped (run_id text NOT NULL, id text NOT NULL, "
	            "url text, stage text, plugin text, code text, reason text, duplicate_of "
	            "text, PRIMARY KEY (run_id, id));"
	            "CREATE INDEX IF NOT EXISTS dropped_code ON dropped(code);"
	            "CREATE INDEX IF NOT EXISTS articles_url ON articles(url);"
	            "CREATE INDEX IF NOT EXISTS articles_published ON articles(published);"
	            "CREATE INDEX IF NOT EXISTS articles_site ON articles(site_name);"
	            "CREATE INDEX IF NOT EXISTS entities_type_text ON entities(type, text);");
	/* 'simple': no stemming, right for every language the sources have */
	if (s->fts)
		wn_buf_adds(&b,
		            "ALTER TABLE articles ADD COLUMN IF NOT EXISTS fts tsvector GENERATED "
		            "ALWAYS AS (to_tsvector('simple', coalesce(title, '') || ' ' || "
		            "coalesce(text, ''))) STORED;"
		            "CREATE INDEX IF NOT EXISTS articles_fts ON articles USING gin (fts);");
	int rc = b.err ? -1 : run_sql(cx, s, b.p, "creating the tables");
	wn_buf_free(&b);
	return rc;
}

/* Opens the run's transaction, its staging tables, and the articles COPY. */
static int begin_run(const wn_ctx *cx, ep_state *s)
{
	if (run_sql(cx, s, "BEGIN", "starting the run's transaction"))
		return -1;
	s->in_tx = 1;
	if (run_sql(cx, s,
	            "CREATE TEMP TABLE articles_in (LIKE articles) ON COMMIT DROP;"
	            "ALTER TABLE articles_in ADD COLUMN seq bigint;"
	            "CREATE TEMP TABLE entities_in (LIKE entities) ON COMMIT DROP;"
	            "ALTER TABLE entities_in ADD COLUMN aseq bigint;",
	            "creating the staging tables"))
		return -1;
	wn_buf b;
	wn_buf_init(&b, 1 << 20);
	wn_buf_adds(&b, "COPY articles_in (");
	column_list(&b, "");
	wn_buf_adds(&b, ", run_id, seq) FROM STDIN");
	PGresult *r = PQexec(s->pg, b.p);
	int ok = PQresultStatus(r) == PGRES_COPY_IN;
	if (!ok)
		cx->api->log(cx, WN_LOG_ERROR, "postgres: starting COPY: %s",
		             PQerrorMessage(s->pg));
	PQclear(r);
	wn_buf_free(&b);
	s->copying = ok;
	return ok ? 0 : -1;
}

/* Refuses a password written in the connection string. */
static int has_password(const char *conninfo)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	int found = 0;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
			found = 1;
	PQconninfoFree(opts);
	return found;
}

static void ep_fini(const wn_ctx *cx)
{
	ep_state *s = cx->state;
	if (s->pg)
		PQfinish(s->pg); /* an open transaction is rolled back by the server */
	s->pg = NULL;
	if (s->ents)
		fclose(s->ents);
	s->ents = NULL;
	wn_buf_free(&s->row);
}

static int ep_init(const wn_ctx *cx)
{
	ep_state *s = cx->state;
	const char *ci = s->conninfo ? s->conninfo : "";
	if (has_password(ci)) {
		cx->api->log(cx, WN_LOG_ERROR,
		             "conninfo holds a password: use PGPASSWORD or ~/.pgpass");
		return WN_FATAL;
	}
	wn_buf_init(&s->row, EP_MAX_ROW);
	s->pg = PQconnectdb(ci);
	if (PQstatus(s->pg) != CONNECTION_OK) {
		cx->api->log(cx, WN_LOG_ERROR, "postgres: cannot connect: %s",
		             PQerrorMessage(s->pg));
		ep_fini(cx);
		return WN_FATAL;
	}
	s->ents = tmpfile();
	/* notices ("column already exists, skipping") are not the operator's */
	if (!s->ents ||
	    run_sql(cx, s, "SET client_encoding = 'UTF8'; SET client_min_messages = warning",
	            "setting the session") ||
	    create_schema(cx, s) || begin_run(cx, s)) {
		ep_fini(cx);
		return WN_FATAL;
	}
	return WN_OK;
}

/* Appends s[0..n) as a COPY text field: valid UTF-8, no NUL, with
 * backslash, tab, newline and carriage return escaped. */
static void put_text(wn_buf *b, const char *s, size_t n)
{
	char *fixed = NULL;
	if (wn_utf8_valid_prefix((const unsigned char *)s, n) != n) {
		fixed = wn_utf8_repair(s, n, &n);
		if (!fixed) {
			b->err = WN_BUF_ENOMEM;
			return;
		}
		s = fixed;
	}
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\':
			wn_buf_adds(b, "\\\\");
			break;
		case '\t':
			wn_buf_adds(b, "\\t");
			break;
		case '\n':
			wn_buf_adds(b, "\\n");
			break;
		case '\r':
			wn_buf_adds(b, "\\r");
			break;
		case '\0':
			wn_buf_adds(b, "\xEF\xBF\xBD");
			break;
		default:
			wn_buf_addc(b, s[i]);
		}
	}
	free(fixed);
}

static void put_opt(wn_buf *b, const char *s)
{
	if (s)
		put_text(b, s, strlen(s));
	else
		wn_buf_adds(b, "\\N");
}

/* One article row: its value as its column's type wants, else NULL. */
static void put_field(wn_buf *b, const wn_field_def *f, int type, const void *val, size_t len)
{
	int64_t iv = 0;
	double dv = 0;
	if (val && type == WN_T_INT)
		memcpy(&iv, val, sizeof iv);
	if (val && type == WN_T_REAL)
		memcpy(&dv, val, sizeof dv);
	if (!val || type == WN_T_NONE)
		wn_buf_adds(b, "\\N");
	else if (f->type == WN_T_STR && (type == WN_T_STR || type == WN_T_BYTES))
		put_text(b, val, len);
	else if (f->type == WN_T_STR && type == WN_T_INT)
		wn_buf_addf(b, "%lld", (long long)iv);
	else if (f->type == WN_T_INT && type == WN_T_INT)
		wn_buf_addf(b, "%lld", (long long)iv);
	else if (f->type == WN_T_REAL && (type == WN_T_REAL || type == WN_T_INT))
		wn_buf_addf(b, "%.17g", type == WN_T_INT ? (double)iv : dv);
	else
		wn_buf_adds(b, "\\N");
}

/* Entity rows of r into the temporary file. */
static int put_entities(const wn_ctx *cx, ep_state *s, const wn_record *r, const char *id)
{
	const wn_host_api *api = cx->api;
	size_t tlen = 0, n = api->entity_count(r);
	const char *text = api->get_str(r, WN_F_TEXT, &tlen);
	wn_cp_cursor cp; /* offsets in code points, not the ABI's bytes */
	wn_cp_init(&cp, text, text ? tlen : 0);
	for (size_t i = 0; i < n; i++) {
		const wn_entity *e = api->entity_at(r, i);
		if (!e)
			continue;
		wn_buf_reset(&s->row);
		put_opt(&s->row, id);
		wn_buf_addf(&s->row, "\t%zu\t", i);
		put_opt(&s->row, e->type ? e->type : "");
		wn_buf_addc(&s->row, '\t');
		put_opt(&s->row, e->text);
		wn_buf_addc(&s->row, '\t');
		put_opt(&s->row, e->value);
		wn_buf_addc(&s->row, '\t');
		put_opt(&s->row, e->canonical);
		wn_buf_addc(&s->row, '\t');
		put_opt(&s->row, e->kb_id);
		wn_buf_addf(&s->row, "\t%lld\t%lld\t%.17g\t",
		            (long long)wn_cp_offset(&cp, e->start),
		            (long long)wn_cp_offset(&cp, e->end), e->confidence);
		put_opt(&s->row, e->stage);
		wn_buf_addf(&s->row, "\t%lld\n", (long long)s->seq);
		if (s->row.err || fwrite(s->row.p, 1, s->row.len, s->ents) != s->row.len)
			return -1;
		s->entities++;
	}
	return 0;
}

static int ep_write(const wn_ctx *cx, wn_record *r)
{
	ep_state *s = cx->state;
	const wn_host_api *api = cx->api;
	const char *id = api->get_str(r, WN_F_ID, NULL);
	if (!id) {
		api->reason(r, "no_id", "export_postgres: the record has no string id");
		return WN_ERROR;
	}
	s->seq++;
	wn_buf_reset(&s->row);
	for (size_t i = 0, n = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *f = &wn_fields[i];
		if (!wn_field_is_column(f))
			continue;
		if (n++)
			wn_buf_addc(&s->row, '\t');
		int type = WN_T_NONE;
		size_t len = 0;
		const void *val = api->get(r, f->name, &type, &len);
		put_field(&s->row, f, type, val, len);
	}
	wn_buf_addc(&s->row, '\t');
	put_opt(&s->row, api->run_value(cx, "run_id"));
	wn_buf_addf(&s->row, "\t%lld\n", (long long)s->seq);
	if (s->row.err) {
		api->reason(r, "too_large", "export_postgres: row over 256 MiB or out of memory");
		return WN_ERROR;
	}
	if (PQputCopyData(s->pg, s->row.p, (int)s->row.len) != 1) {
		cx->api->log(cx, WN_LOG_ERROR, "postgres: COPY: %s", PQerrorMessage(s->pg));
		return WN_FATAL;
	}
	if (put_entities(cx, s, r, id)) {
		cx->api->log(cx, WN_LOG_ERROR,
		             "postgres: cannot keep entity rows (temporary file)");
		return WN_FATAL;
	}
	s->articles++;
	return WN_OK;
}

/* Ends the articles COPY and copies the entity file into entities_in. */
static int finish_copies(const wn_ctx *cx, ep_state *s)
{
	s->copying = 0;
	PGresult *r;
	if (PQputCopyEnd(s->pg, NULL) != 1 ||
	    PQresultStatus(r = PQgetResult(s->pg)) != PGRES_COMMAND_OK) {
		cx->api->log(cx, WN_LOG_ERROR, "postgres: COPY articles: %s",
		             PQerrorMessage(s->pg));
		return -1;
	}
	PQclear(r);
	while ((r = PQgetResult(s->pg)))
		PQclear(r);
	r = PQexec(s->pg, "COPY entities_in (article_id, seq, type, text, value, canonical, kb_id, "
	                  "start, \"end\", confidence, stage, aseq) FROM STDIN");
	int ok = PQresultStatus(r) == PGRES_COPY_IN;
	PQclear(r);
	char buf[1 << 16];
	size_t n;
	rewind(s->ents);
	while (ok && (n = fread(buf, 1, sizeof buf, s->ents)) > 0)
		ok = PQputCopyData(s->pg, buf, (int)n) == 1;
	ok = ok && !ferror(s->ents) && PQputCopyEnd(s->pg, NULL) == 1 &&
	     PQresultStatus(r = PQgetResult(s->pg)) == PGRES_COMMAND_OK;
	if (ok)
		PQclear(r);
	else
		cx->api->log(cx, WN_LOG_ERROR, "postgres: COPY entities: %s",
		             PQerrorMessage(s->pg));
	while ((r = PQgetResult(s->pg)))
		PQclear(r);
	return ok ? 0 : -1;
}

/* Merges the staging tables into the real ones and records the run. */
static int merge(const wn_ctx *cx, ep_state *s)
{
	wn_buf b;
	wn_buf_init(&b, 1 << 20);
	wn_buf_adds(&b, "INSERT INTO articles (");
	column_list(&b, "");
	wn_buf_adds(&b, ", run_id) SELECT DISTINCT ON (id) ");
	column_list(&b, "");
	wn_buf_adds(&b,
	            ", run_id FROM articles_in ORDER BY id, seq DESC ON CONFLICT (id) DO UPDATE "
	            "SET ");
	for (size_t i = 0; i < WN_FIELD_COUNT; i++)
		if (wn_field_is_column(&wn_fields[i]) && strcmp(wn_fields[i].name, WN_F_ID) != 0)
			wn_buf_addf(&b, "\"%s\" = EXCLUDED.\"%s\", ", wn_fields[i].name,
			            wn_fields[i].name);
	wn_buf_adds(&b, "run_id = EXCLUDED.run_id;"
	                "DELETE FROM entities WHERE article_id IN (SELECT id FROM articles_in);"
	                "INSERT INTO entities SELECT e.article_id, e.seq, e.type, e.text, e.value, "
	                "e.canonical, e.kb_id, e.start, e.\"end\", e.confidence, e.stage "
	                "FROM entities_in e JOIN (SELECT id, max(seq) AS seq FROM articles_in "
	                "GROUP BY id) last ON last.id = e.article_id AND last.seq = e.aseq;");
	int rc = b.err ? -1 : run_sql(cx, s, b.p, "merging the run");
	wn_buf_free(&b);
	if (rc)
		return -1;
	const char *run_id = cx->api->run_value(cx, "run_id");
	const char *started = cx->api->run_value(cx, "started_at");
	char n1[24], n2[24], n3[24];
	snprintf(n1, sizeof n1, "%lld", (long long)s->articles);
	snprintf(n2, sizeof n2, "%lld", (long long)s->entities);
	snprintf(n3, sizeof n3, "%lld", (long long)s->dropped);
	const char *params[] = {run_id ? run_id : "", started, n1, n2, s->dropped < 0 ? NULL : n3};
	PGresult *r = PQexecParams(
	    s->pg,
	    "INSERT INTO runs (run_id, started_at, committed_at, articles, entities, dropped) "
	    "VALUES ($1, $2, now(), $3, $4, $5) ON CONFLICT (run_id) DO UPDATE SET committed_at = "
	    "now(), articles = EXCLUDED.articles, entities = EXCLUDED.entities, dropped = "
	    "EXCLUDED.dropped",
	    5, NULL, params, NULL, NULL, 0);
	rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
	if (rc)
		cx->api->log(cx, WN_LOG_ERROR, "postgres: recording the run: %s",
		             PQerrorMessage(s->pg));
	PQclear(r);
	return rc;
}

/* One drop-log line as a row of dropped_in; 0 for a line without an id. */
static int drop_row(wn_buf *b, const char *run_id, const char *line)
{
	json_t *o = json_loads(line, 0, NULL);
	const char *id = json_string_value(json_object_get(o, "id"));
	if (id) {
		static const char *const keys[] = {"url",  "stage",  "plugin",
		                                   "code", "reason", "duplicate_of"};
		put_opt(b, run_id);
		wn_buf_addc(b, '\t');
		put_opt(b, id);
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
			wn_buf_addc(b, '\t');
			put_opt(b, json_string_value(json_object_get(o, keys[i])));
		}
		wn_buf_addc(b, '\n');
	}
	json_decref(o);
	return id != NULL;
}

/* Copies the run's drop log (staged by the host, handed over at commit as
 * run_value "drop_log_file") into `dropped`, in the run's transaction:
 * the drops commit with the run's articles or not at all. A record
 * dropped twice in a run (listed twice) is kept once. 0, or -1 after
 * logging. */
static int import_drops(const wn_ctx *cx, ep_state *s)
{
	const char *path = cx->api->run_value(cx, "drop_log_file");
	const char *run_id = cx->api->run_value(cx, "run_id");
	s->dropped = -1;
	if (!path || !run_id)
		return 0; /* an older host, or no drop log: runs.dropped stays NULL */
	FILE *f = fopen(path, "r");
	if (!f) {
		cx->api->log(cx, WN_LOG_ERROR, "cannot read the run's drop log %s", path);
		return -1;
	}
	if (run_sql(cx, s, "CREATE TEMP TABLE dropped_in (LIKE dropped) ON COMMIT DROP",
	            "staging the drops")) {
		fclose(f);
		return -1;
	}
	PGresult *r = PQexec(s->pg, "COPY dropped_in FROM STDIN");
	int ok = PQresultStatus(r) == PGRES_COPY_IN;
	PQclear(r);
	char *line = NULL;
	size_t cap = 0;
	while (ok && getline(&line, &cap, f) > 0) {
		wn_buf_reset(&s->row);
		if (drop_row(&s->row, run_id, line))
			ok = !s->row.err && PQputCopyData(s->pg, s->row.p, (int)s->row.len) == 1;
	}
	free(line);
	ok = ok && !ferror(f) && PQputCopyEnd(s->pg, NULL) == 1 &&
	     PQresultStatus(r = PQgetResult(s->pg)) == PGRES_COMMAND_OK;
	fclose(f);
	if (ok)
		PQclear(r);
	while ((r = PQgetResult(s->pg)))
		PQclear(r);
	if (!ok) {
		cx->api->log(cx, WN_LOG_ERROR, "postgres: COPY dropped: %s", PQerrorMessage(s->pg));
		return -1;
	}
	r = PQexec(s->pg, "INSERT INTO dropped SELECT DISTINCT ON (id) * FROM dropped_in ORDER BY "
	                  "id ON CONFLICT (run_id, id) DO NOTHING");
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (ok)
		s->dropped = strtoll(PQcmdTuples(r), NULL, 10);
	else
		cx->api->log(cx, WN_LOG_ERROR, "postgres: recording the drops: %s",
		             PQerrorMessage(s->pg));
	PQclear(r);
	return ok ? 0 : -1;
}

static int ep_commit(const wn_ctx *cx)
{
	ep_state *s = cx->state;
	if (finish_copies(cx, s) || import_drops(cx, s) || merge(cx, s))
		return WN_FATAL;
	crash_point("postgres:written");
	if (run_sql(cx, s, "COMMIT", "committing the run"))
		return WN_FATAL;
	s->in_tx = 0;
	crash_point("postgres:committed");
	cx->api->count(cx, "articles_upserted", s->articles);
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_export_postgres = {
    WN_PLUGIN_HEADER,
    .kind = WN_KIND_SINK,
    .name = "export_postgres",
    .version = "1.0.0",
    .description = "load articles, entities and runs into PostgreSQL (COPY, upsert by id)",
    .options = ep_options,
    .state_size = sizeof(ep_state),
    .init = ep_init,
    .fini = ep_fini,
    .write = ep_write,
    .commit = ep_commit,
};
