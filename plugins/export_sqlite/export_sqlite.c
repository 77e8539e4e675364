/*
 * export_sqlite: a sink that keeps one SQLite database accumulating across
 * runs: typed tables `articles` (one row an article, upserted by id),
 * `entities` (replaced with their article), `runs`, and an FTS5 index on
 * title and text. Column names and types come from the field catalogue
 * (winnow/fields.h), so the database has the columns the CSV has.
 *
 * Two-phase commit: every row of a run is written inside one transaction,
 * begun in init and committed in the sink's commit callback, which the
 * host calls only when the run is about to commit its outputs. A run that
 * fails, or is killed before that, leaves the database as it was (SQLite
 * rolls the transaction back). A run killed after this commit but before
 * the host marks it committed is exported again by the next run; the
 * upsert by id keeps each article once. The database is in WAL mode, so
 * readers see the last committed state while a run writes.
 */
#include "db.h"

#include <winnow/fields.h>
#include <winnow/plugin.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct es_state {
	/* options, written by the host */
	const char *path;
	int fts;
	int64_t busy_ms;
	const char *drop_log;
	/* run state */
	es_db db;
	int64_t articles, entities;
} es_state;

static const wn_option es_options[] = {
    {"path", WN_OPT_STR, "winnow.db", 0, offsetof(es_state, path),
     "the database; relative to the run's output folder (../winnow.db beside per-run folders); "
     "it accumulates across runs",
     NULL, 0, 0},
    {"fts", WN_OPT_BOOL, "true", 0, offsetof(es_state, fts),
     "keep an FTS5 full-text index (articles_fts) on title and text", NULL, 0, 0},
    {"busy_timeout", WN_OPT_DURATION, "10s", 0, offsetof(es_state, busy_ms),
     "how long to wait for another writer of the database", NULL, 0, 0},
    {"drop_log", WN_OPT_STR, "dropped.jsonl", 0, offsetof(es_state, drop_log),
     "the run's drop log (run.drop_log), imported into the dropped table once the run "
     "committed; empty: none",
     NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

/* The test hook the runner's commit steps also answer to (crash.h):
 * WINNOW_CRASH_AT=NAME kills the process with SIGKILL at that point. */
static void crash_point(const char *point)
{
	const char *at = getenv("WINNOW_CRASH_AT");
	if (at && strcmp(at, point) == 0)
		kill(getpid(), SIGKILL);
}

static void es_log(void *arg, int level, const char *msg)
{
	const wn_ctx *cx = arg;
	cx->api->log(cx, level, "%s", msg);
}

/* dir joined with rel, "." and ".." resolved in the text: a per-run output
 * folder does not exist yet while the run writes (it is staged under
 * another name), so "OUT/RUNID/../winnow.db" must not go through it.
 * Returns a malloc'd path or NULL. */
static char *join_lexical(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *in = malloc(n), *out = malloc(n + 1);
	if (!in || !out) {
		free(in);
		free(out);
		return NULL;
	}
	snprintf(in, n, "%s/%s", dir, rel);
	int abs = in[0] == '/';
	size_t len = 0; /* out[0..len): components joined by '/', no leading one */
	for (char *save = NULL, *c = strtok_r(in, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			char *last = len ? memrchr(out, '/', len) : NULL;
			const char *lc = last ? last + 1 : out;
			size_t lcn = len - (size_t)(lc - out);
			if (len && !(lcn == 2 && lc[0] == '.' && lc[1] == '.')) {
				len = last ? (size_t)(last - out) : 0; /* drop the last component */
				continue;
			}
			if (abs && !len)
				continue; /* the root's parent is the root */
		}
		if (len)
			out[len++] = '/';
		memcpy(out + len, c, strlen(c));
		len += strlen(c);
	}
	memmove(out + abs, out, len);
	if (abs)
		out[0] = '/';
	out[len + abs] = '\0';
	free(in);
	return out;
}

/* Imports drops of a committed run into the `dropped` table (once per
 * run). After this run (previous 0): its folder, output_dir. Before it
 * (previous 1), for a run killed between its commit and its fini: the
 * fixed output folder, or the `latest` link beside per-run folders. */
static void import_drops(const wn_ctx *cx, int previous)
{
	es_state *s = cx->state;
	const char *out = cx->api->run_value(cx, "output_dir");
	if (!out)
		return;
	int64_t n = es_db_import_drops(&s->db, out, s->drop_log);
	if (n == 0 && previous) {
		char *latest = join_lexical(out, "../latest");
		if (latest)
			n = es_db_import_drops(&s->db, latest, s->drop_log);
		free(latest);
	}
	if (n > 0 && !previous)
		cx->api->log(cx, WN_LOG_DEBUG, "%lld dropped records recorded", (long long)n);
}

static int es_init(const wn_ctx *cx)
{
	es_state *s = cx->state;
	if (!s->path || !*s->path) {
		cx->api->log(cx, WN_LOG_ERROR, "option path must not be empty");
		return WN_FATAL;
	}
	const char *out = cx->api->run_value(cx, "output_dir");
	char *path = s->path[0] == '/' || !out ? strdup(s->path) : join_lexical(out, s->path);
	int rc = path ? es_db_open(&s->db, path, s->fts, s->busy_ms, es_log, (void *)cx) : -1;
	free(path);
	if (rc)
		return WN_FATAL;
	import_drops(cx, 1);
	if (es_db_begin(&s->db)) {
		es_db_close(&s->db);
		return WN_FATAL;
	}
	return WN_OK;
}

/* A run that ends without commit (failed, or the host stopping) rolls
 * back here. After a commit, the run's drop log is in its committed
 * folder by now (fini comes after the runner's commit): it is imported. */
static void es_fini(const wn_ctx *cx)
{
	es_state *s = cx->state;
	if (!s->db.in_tx)
		import_drops(cx, 0);
	es_db_close(&s->db);
}

static int es_write(const wn_ctx *cx, wn_record *r)
{
	es_state *s = cx->state;
	int64_t n_ents = 0;
	int rc = es_db_put(&s->db, cx->api, r, cx->api->run_value(cx, "run_id"), &n_ents);
	if (rc == ES_BAD_RECORD) {
		cx->api->reason(r, "no_id", "export_sqlite: the record has no id");
		return WN_ERROR;
	}
	if (rc != ES_OK)
		return WN_FATAL; /* logged: the database is unusable for this run */
	if (s->db.mismatched) {
		cx->api->count(cx, "type_mismatch", s->db.mismatched);
		s->db.mismatched = 0;
	}
	s->articles++;
	s->entities += n_ents;
	return WN_OK;
}

static int es_commit(const wn_ctx *cx)
{
	es_state *s = cx->state;
	const wn_host_api *api = cx->api;
	if (es_db_add_run(&s->db, api->run_value(cx, "run_id"), api->run_value(cx, "started_at"),
	                  s->articles, s->entities))
		return WN_FATAL;
	crash_point("sqlite:written");
	if (es_db_commit(&s->db))
		return WN_FATAL;
	crash_point("sqlite:committed");
	api->count(cx, "articles_upserted", s->articles);
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_export_sqlite = {
    WN_PLUGIN_HEADER,
    .kind = WN_KIND_SINK,
    .name = "export_sqlite",
    .version = "1.0.0",
    .description = "keep a SQLite database of articles, entities and runs (upsert by id, FTS5)",
    .options = es_options,
    .state_size = sizeof(es_state),
    .init = es_init,
    .fini = es_fini,
    .write = es_write,
    .commit = es_commit,
};
