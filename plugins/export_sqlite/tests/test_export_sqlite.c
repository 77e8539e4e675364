/*
 * export_sqlite through the fake host: typed columns from the catalogue,
 * entity offsets in code points, upsert by id across runs (a second run
 * replaces the row and its entities, never duplicates them), a run closed
 * without commit leaves the database as it was, the FTS5 index follows
 * upserts, and a database that is not winnow's is refused.
 */
#include "check.h"
#include "harness.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DB "test_export_sqlite.db"

static void rm_db(void)
{
	unlink(DB);
	unlink(DB "-wal");
	unlink(DB "-shm");
}

/* The first column of the first row of sql, as text ("" when none). */
static const char *q(const char *sql)
{
	static char out[512];
	out[0] = '\0';
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(DB, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
	else if (db && !st)
		fprintf(stderr, "query failed: %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static wn_harness *open_db(void)
{
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, "{path: " DB "}", ".");
	CHECK(h != NULL);
	return h;
}

/* One article: id, a zoned time, numbers of each type, a text with
 * multi-byte characters and two entities with byte offsets. */
static void write_article(wn_harness *h, const char *id, const char *title, int words)
{
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	api->set_str(r, "id", id);
	api->set_str(r, "url", "https://example.org/a");
	api->set_str(r, "title", title);
	api->set_str(r, "published", "2024-01-30T10:00:00+01:00");
	api->set_int(r, "word_count", words);
	api->set_real(r, "lang_confidence", 0.875);
	api->set_str(r, "text", "\xE2\x80\x9CZ\xC3\xBCrich\xE2\x80\x9D, said Ann.");
	api->set(r, "raw", WN_T_BYTES, "<p>", 3);
	api->set_str(r, "not_in_catalogue", "ignored");
	wn_entity e = {.size = sizeof(wn_entity),
	               .type = "GPE",
	               .text = "Z\xC3\xBCrich",
	               .start = 3,
	               .end = 10,
	               .confidence = 0.9};
	CHECK(api->add_entity(r, &e) == WN_OK);
	wn_entity p = {.size = sizeof(wn_entity),
	               .type = "PERSON",
	               .text = "Ann",
	               .start = 20,
	               .end = 23,
	               .confidence = 0.8};
	CHECK(api->add_entity(r, &p) == WN_OK);
	CHECK(wn_harness_write(h, r) == WN_OK);
}

static void test_types_and_offsets(void)
{
	rm_db();
	wn_harness *h = open_db();
	if (!h)
		return;
	write_article(h, "a1", "Zurich news", 5);
	CHECK(wn_harness_commit(h) == WN_OK);
	wn_harness_close(h);
	CHECK_STR(q("SELECT typeof(word_count) || typeof(lang_confidence) || typeof(published) || "
	            "typeof(published_offset) || typeof(http_status) FROM articles"),
	          "integerrealtextintegernull");
	CHECK_STR(q("SELECT published || ' ' || published_precision || ' ' || published_offset "
	            "FROM articles"),
	          "2024-01-30T09:00:00Z second 60");
	/* code point offsets: SQLite's substr counts characters too */
	CHECK_STR(
	    q("SELECT group_concat(substr(a.text, e.start + 1, e.\"end\" - e.start) = e.text) "
	      "FROM entities e JOIN articles a ON a.id = e.article_id"),
	    "1,1");
	CHECK_STR(q("SELECT group_concat(start || '-' || \"end\") FROM entities"), "1-7,15-18");
	CHECK_STR(q("SELECT count(*) FROM pragma_table_info('articles') WHERE name IN "
	            "('raw', 'not_in_catalogue')"),
	          "0");
	CHECK_STR(q("PRAGMA journal_mode"), "wal");
	CHECK_STR(q("SELECT count(*) || ' ' || sum(articles) || ' ' || sum(entities) FROM runs"),
	          "1 1 2");
	CHECK_STR(
	    q("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
	      "('articles_url', 'articles_published', 'articles_site', 'entities_type_text')"),
	    "4");
}

static void test_upsert_and_rollback(void)
{
	/* a second run with the same id and one new article */
	wn_harness *h = open_db();
	if (!h)
		return;
	write_article(h, "a1", "Zurich news, updated", 7);
	write_article(h, "a2", "Second", 3);
	CHECK(wn_harness_commit(h) == WN_OK);
	wn_harness_close(h);
	CHECK_STR(q("SELECT count(*) FROM articles"), "2");
	CHECK_STR(q("SELECT title || ' ' || word_count FROM articles WHERE id = 'a1'"),
	          "Zurich news, updated 7");
	CHECK_STR(q("SELECT count(*) FROM entities"), "4"); /* replaced, not added */
	CHECK_STR(q("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'updated'"), "1");
	CHECK_STR(q("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'news'"), "1");

	/* a run that never commits (failed or killed) changes nothing */
	h = open_db();
	if (!h)
		return;
	write_article(h, "a1", "Never committed", 1);
	write_article(h, "a3", "Never committed", 1);
	wn_harness_close(h);
	CHECK_STR(q("SELECT count(*) || ' ' || group_concat(title, '|') FROM (SELECT title FROM "
	            "articles ORDER BY id)"),
	          "2 Zurich news, updated|Second");
	/* the harness gives every session one run id: its row is the
	 * committed second session's, untouched by the third */
	CHECK_STR(q("SELECT count(*) || ' ' || articles FROM runs"), "1 2");
	CHECK_STR(q("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'never'"), "0");

	/* invalid UTF-8 is stored repaired, as the other sinks write it */
	h = open_db();
	if (!h)
		return;
	write_article(h, "a4", "caf\xE9 \xFF", 1);
	CHECK(wn_harness_commit(h) == WN_OK);
	wn_harness_close(h);
	CHECK_STR(q("SELECT title FROM articles WHERE id = 'a4'"), "caf\xEF\xBF\xBD \xEF\xBF\xBD");
}

static void test_foreign_database(void)
{
	rm_db();
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(DB, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TABLE mine (x)", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, "{path: " DB "}", ".");
	CHECK(h == NULL); /* init refused it */
	if (h)
		wn_harness_close(h);
	CHECK_STR(q("SELECT count(*) FROM sqlite_master"), "1");
	rm_db();
}

int main(void)
{
	test_types_and_offsets();
	test_upsert_and_rollback();
	test_foreign_database();
	return check_finish();
}
