/*
 * export_csv through the fake host (tests/plugins/harness.h): exact
 * articles.csv and entities.csv bytes (quoting, CRLF, formula
 * neutralisation, numbers, missing fields), rows joinable on id, header with
 * zero records, the bom, columns, max_cell and entities_path options, and
 * outputs that appear under their final name only at commit.
 */
#include "check.h"
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The default columns: the field catalogue's order (winnow/fields.h). */
#define HEADER                                                                                     \
	"id,url,canonical_url,final_url,title,author,published,published_precision,"               \
	"published_offset,modified,lang,lang_confidence,site_name,description,image,tags,"         \
	"page_type,page_type_confidence,"                                                          \
	"word_count,text,summary,feed_url,lastmod,path,content_type,http_status,fetched_at,etag,"  \
	"last_modified,published_raw\r\n"
#define COLS9 "{columns: [id, url, title, author, published, lang, site_name, word_count, text]}"
#define HEADER9 "id,url,title,author,published,lang,site_name,word_count,text\r\n"
#define EHEADER "article_id,type,text,value,canonical,start,end,confidence,stage\r\n"

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* One test case: its folder, emptied of earlier results, and file paths. */
typedef struct tcase {
	char dir[128], articles[256], entities[256];
	wn_harness *h;
	const wn_host_api *api;
} tcase;

static int open_case(tcase *t, const char *name, const char *with, const char *afile,
                     const char *efile)
{
	snprintf(t->dir, sizeof t->dir, "out_export_csv_%s", name);
	if (mkdir(t->dir, 0777) && errno != EEXIST)
		perror(t->dir);
	snprintf(t->articles, sizeof t->articles, "%s/%s", t->dir, afile);
	snprintf(t->entities, sizeof t->entities, "%s/%s", t->dir, efile);
	unlink(t->articles);
	unlink(t->entities);
	t->h = wn_harness_open(WN_PLUGIN_SO, with, t->dir);
	CHECK(t->h != NULL);
	t->api = t->h ? wn_harness_api(t->h) : NULL;
	return t->h != NULL;
}

/* Commits and checks both files appeared only then, with these bytes
 * (NULL efile_want: the entities file must not exist). */
static void commit_and_check(tcase *t, const char *want, const char *ewant)
{
	CHECK(!exists(t->articles));
	CHECK(!exists(t->entities));
	CHECK(wn_harness_commit(t->h) == WN_OK);
	char *got = wn_harness_slurp(t->articles, NULL);
	CHECK_STR(got, want);
	free(got);
	if (ewant) {
		got = wn_harness_slurp(t->entities, NULL);
		CHECK_STR(got, ewant);
		free(got);
	} else {
		CHECK(!exists(t->entities));
	}
	wn_harness_close(t->h);
}

static void add_entity(const wn_host_api *api, wn_record *r, const char *type, const char *text,
                       const char *value, int64_t start, int64_t end, double conf)
{
	wn_entity e = WN_ENTITY_INIT;
	e.type = type;
	e.text = text;
	e.value = value;
	e.start = start;
	e.end = end;
	e.confidence = conf;
	CHECK(api->add_entity(r, &e) == WN_OK);
}

/* The stage column is whatever the host stamped; these tests read it back
 * from the entity to stay independent of the harness's stage id. */
static const char *stage_of(const wn_host_api *api, wn_record *r)
{
	const wn_entity *e = api->entity_at(r, 0);
	return e && e->stage ? e->stage : "";
}

static void test_defaults(void)
{
	tcase t;
	if (!open_case(&t, "defaults", COLS9, "articles.csv", "entities.csv"))
		return;
	const wn_host_api *api = t.api;
	wn_record *r = wn_harness_new_record(t.h);
	api->set_str(r, "id", "a1");
	api->set_str(r, "url", "https://example.org/a?x=1,2");
	api->set_str(r, "title", "Say \"hi\"");
	api->set_str(r, "author", "=HYPERLINK(\"http://evil\")");
	api->set_str(r, "lang", "en");
	api->set_str(r, "site_name", " padded ");
	api->set_int(r, "word_count", 3);
	api->set(r, "text", WN_T_STR, "one\ntwo \xFF", 9);
	api->set(r, "raw", WN_T_BYTES, "<p>", 3);
	add_entity(api, r, "PERSON", "Ann, \"A\"", NULL, 0, 8, 0.5);
	add_entity(api, r, "MONEY", "-5 EUR", "-5", 10, 16, 1.0);
	char stage[64];
	snprintf(stage, sizeof stage, "%s", stage_of(api, r));
	CHECK(wn_harness_write(t.h, r) == WN_OK);

	r = wn_harness_new_record(t.h);
	api->set_int(r, "id", 2);
	api->set_str(r, "title", "-3.5");
	api->set_str(r, "author", "@bob");
	api->set_real(r, "word_count", -0.25);
	CHECK(wn_harness_write(t.h, r) == WN_OK);

	char ewant[512];
	snprintf(ewant, sizeof ewant,
	         EHEADER "a1,PERSON,\"Ann, \"\"A\"\"\",,,0,8,0.5,%s\r\n"
	                 "a1,MONEY,'-5 EUR,-5,,9,9,1.0,%s\r\n", /* past the text: clamped */
	         stage, stage);
	commit_and_check(&t,
	                 HEADER9 "a1,\"https://example.org/a?x=1,2\",\"Say \"\"hi\"\"\","
	                         "\"'=HYPERLINK(\"\"http://evil\"\")\",,en,\" padded \",3,"
	                         "\"one\ntwo \xEF\xBF\xBD\"\r\n"
	                         "2,,-3.5,'@bob,,,,-0.25,\r\n",
	                 ewant);
}

/* Every catalogue column by default, times in their one format, and
 * entity offsets in code points of the text (not the ABI's bytes). */
static void test_catalogue_columns(void)
{
	tcase t;
	if (!open_case(&t, "catalogue", NULL, "articles.csv", "entities.csv"))
		return;
	const wn_host_api *api = t.api;
	wn_record *r = wn_harness_new_record(t.h);
	api->set_str(r, "id", "a1");
	api->set_str(r, "published", "2024-01-30T10:00:00+01:00");
	api->set_str(r, "extra", "not a catalogue field");
	const char *text = "\xE2\x80\x9CZ\xC3\xBCrich\xE2\x80\x9D, said Ann";
	api->set_str(r, "text", text);
	add_entity(api, r, "GPE", "Z\xC3\xBCrich", NULL, 3, 10, 0.9); /* bytes */
	add_entity(api, r, "PERSON", "Ann", NULL, 20, 23, 0.8);       /* bytes */
	char stage[64];
	snprintf(stage, sizeof stage, "%s", stage_of(api, r));
	CHECK(wn_harness_write(t.h, r) == WN_OK);
	char want[1024], ewant[512];
	snprintf(want, sizeof want,
	         HEADER "a1,,,,,,2024-01-30T09:00:00Z,second,60,,,,,,,,,,,\"%s\",,,,,,,,,,\r\n",
	         text);
	snprintf(ewant, sizeof ewant,
	         EHEADER "a1,GPE,Z\xC3\xBCrich,,,1,7,0.9,%s\r\na1,PERSON,Ann,,,15,18,0.8,%s\r\n",
	         stage, stage);
	commit_and_check(&t, want, ewant);
}

static void test_empty_run(void)
{
	tcase t;
	if (!open_case(&t, "empty", NULL, "articles.csv", "entities.csv"))
		return;
	commit_and_check(&t, HEADER, EHEADER);

	if (!open_case(&t, "noheader", "{header: false}", "articles.csv", "entities.csv"))
		return;
	commit_and_check(&t, "", "");
}

static void test_options(void)
{
	tcase t;
	if (!open_case(&t, "options",
	               "{path: out.csv, columns: [id, text, nope], entities_path: \"\", bom: true, "
	               "neutralize_formulas: false, max_cell: 5}",
	               "out.csv", "entities.csv"))
		return;
	wn_record *r = wn_harness_new_record(t.h);
	t.api->set_str(r, "id", "=x");
	t.api->set_str(r, "text", "abcd\xC3\xA9xyz"); /* the cap falls inside the é */
	add_entity(t.api, r, "ORG", "Acme", NULL, 0, 4, 0.9);
	CHECK(wn_harness_write(t.h, r) == WN_OK);
	CHECK(wn_harness_counter(t.h, "truncated_cells") == 1);
	commit_and_check(&t, "\xEF\xBB\xBFid,text,nope\r\n=x,abcd,\r\n", NULL);
}

/* Every entities.csv row's article_id is the id of an articles.csv row. */
static void test_join(void)
{
	tcase t;
	if (!open_case(&t, "join", "{columns: [id, title]}", "articles.csv", "entities.csv"))
		return;
	const char *ids[] = {"k1", "k2", "k3"};
	for (int i = 0; i < 3; i++) {
		wn_record *r = wn_harness_new_record(t.h);
		t.api->set_str(r, "id", ids[i]);
		t.api->set_str(r, "title", "t");
		for (int k = 0; k < i; k++)
			add_entity(t.api, r, "LOC", "Paris", NULL, k, k + 5, 0.8);
		CHECK(wn_harness_write(t.h, r) == WN_OK);
	}
	CHECK(wn_harness_commit(t.h) == WN_OK);
	char *a = wn_harness_slurp(t.articles, NULL), *e = wn_harness_slurp(t.entities, NULL);
	CHECK_STR(a, "id,title\r\nk1,t\r\nk2,t\r\nk3,t\r\n");
	int rows = 0;
	for (char *line = e ? strstr(e, "\r\n") : NULL; line && line[2];
	     line = strstr(line + 2, "\r\n")) {
		char id[16] = "";
		sscanf(line + 2, "%15[^,]", id);
		char key[32];
		snprintf(key, sizeof key, "\n%s,", id);
		CHECK(CONTAINS(a, key));
		rows++;
	}
	CHECK(rows == 3); /* 0 + 1 + 2 entities */
	free(a);
	free(e);
	wn_harness_close(t.h);
}

int main(void)
{
	test_defaults();
	test_catalogue_columns();
	test_empty_run();
	test_options();
	test_join();
	return check_finish();
}
