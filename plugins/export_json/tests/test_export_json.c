/*
 * export_json through the fake host (tests/plugins/harness.h): exact JSON
 * Lines output, the array form with 0 and 2 records read back by jansson,
 * chosen and missing fields, nested entities, pretty printing, and outputs
 * that appear under their final name only at commit.
 */
#include "check.h"
#include "harness.h"

#include <zlib.h>
#include <zstd.h>

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* A fresh output folder for one test case, emptied of earlier results. */
static const char *outdir(const char *name, const char *file)
{
	static char dir[256];
	char p[512];
	snprintf(dir, sizeof dir, "out_export_json_%s", name);
	if (mkdir(dir, 0777) && errno != EEXIST)
		perror(dir);
	snprintf(p, sizeof p, "%s/%s", dir, file);
	unlink(p);
	return dir;
}

/* Opens the plugin with `with` into a fresh folder; path of `file` there. */
static wn_harness *open_case(const char *name, const char *with, const char *file, char *path,
                             size_t pathsz)
{
	const char *dir = outdir(name, file);
	snprintf(path, pathsz, "%s/%s", dir, file);
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, with, dir);
	CHECK(h != NULL);
	return h;
}

static void test_jsonl_exact(void)
{
	char path[512];
	wn_harness *h =
	    open_case("jsonl", "{entities: false}", "articles.jsonl", path, sizeof path);
	if (!h)
		return;
	const wn_host_api *api = wn_harness_api(h);

	wn_record *r = wn_harness_new_record(h);
	api->set_str(r, "id", "a1");
	api->set_str(r, "title", "He said \"hi\"\nback\\slash\ttab");
	api->set(r, "raw", WN_T_BYTES, "<html>\xff</html>", 14);
	api->set_int(r, "word_count", 42);
	api->set_real(r, "lang_confidence", 0.5);
	api->set(r, "bad", WN_T_STR, "caf\xE9 \x01\x1f", 7);
	api->set(r, "blob", WN_T_BYTES, "a\0b", 3);
	api->set_str(r, "js", "x\xE2\x80\xA8y");
	CHECK(wn_harness_write(h, r) == WN_OK);

	r = wn_harness_new_record(h); /* no fields at all */
	CHECK(wn_harness_write(h, r) == WN_OK);

	r = wn_harness_new_record(h);
	api->set_int(r, "id", -7);
	api->set_real(r, "x", 3.0);
	api->set_real(r, "y", INFINITY);
	CHECK(wn_harness_write(h, r) == WN_OK);

	CHECK(wn_harness_counter(h, "utf8_repaired") == 1); /* raw is not written */
	CHECK(!exists(path)); /* written to a temporary file until commit */
	CHECK(wn_harness_commit(h) == WN_OK);
	char *got = wn_harness_slurp(path, NULL);
	CHECK_STR(got, "{\"id\":\"a1\",\"title\":\"He said \\\"hi\\\"\\nback\\\\slash\\ttab\","
	               "\"word_count\":42,\"lang_confidence\":0.5,"
	               "\"bad\":\"caf\xEF\xBF\xBD \\u0001\\u001f\",\"blob\":\"a\\u0000b\","
	               "\"js\":\"x\\u2028y\"}\n"
	               "{}\n"
	               "{\"id\":-7,\"x\":3.0,\"y\":null}\n");
	free(got);
	wn_harness_close(h);
}

/* Parses a whole file with jansson; NULL (and a failed check) if invalid. */
static json_t *load(const char *path)
{
	json_error_t err;
	json_t *j = json_load_file(path, 0, &err);
	if (!j)
		fprintf(stderr, "%s:%d: %s\n", path, err.line, err.text);
	CHECK(j != NULL);
	return j;
}

static void test_array_empty(void)
{
	char path[512];
	wn_harness *h =
	    open_case("array0", "{format: array, path: all.json}", "all.json", path, sizeof path);
	if (!h)
		return;
	CHECK(wn_harness_commit(h) == WN_OK);
	char *got = wn_harness_slurp(path, NULL);
	CHECK_STR(got, "[]\n");
	free(got);
	json_t *j = load(path);
	CHECK(json_is_array(j) && json_array_size(j) == 0);
	json_decref(j);
	wn_harness_close(h);
}

static void fill_two(wn_harness *h)
{
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	api->set_str(r, "id", "one");
	api->set_str(r, "text", "line\r\nnext \xC3\xA9\xFF");
	CHECK(wn_harness_write(h, r) == WN_OK);
	r = wn_harness_new_record(h);
	api->set_str(r, "id", "two");
	api->set_int(r, "word_count", 2);
	CHECK(wn_harness_write(h, r) == WN_OK);
}

static void check_two(json_t *j)
{
	CHECK(json_is_array(j) && json_array_size(j) == 2);
	json_t *a = json_array_get(j, 0), *b = json_array_get(j, 1);
	CHECK_STR(json_string_value(json_object_get(a, "id")), "one");
	CHECK_STR(json_string_value(json_object_get(a, "text")),
	          "line\r\nnext \xC3\xA9\xEF\xBF\xBD");
	CHECK(json_is_array(json_object_get(a, "entities")));
	CHECK_STR(json_string_value(json_object_get(b, "id")), "two");
	CHECK(json_integer_value(json_object_get(b, "word_count")) == 2);
}

static void test_array_two(void)
{
	const char *withs[] = {"{format: array, path: two.json}",
	                       "{format: array, path: two.json, pretty: true}"};
	for (int i = 0; i < 2; i++) {
		char path[512], name[32];
		snprintf(name, sizeof name, "array2_%d", i);
		wn_harness *h = open_case(name, withs[i], "two.json", path, sizeof path);
		if (!h)
			continue;
		fill_two(h);
		CHECK(!exists(path));
		CHECK(wn_harness_commit(h) == WN_OK);
		json_t *j = load(path);
		check_two(j);
		json_decref(j);
		if (i == 1) {
			char *got = wn_harness_slurp(path, NULL);
			CHECK(CONTAINS(got, "[\n  {\n    \"id\": \"one\",\n"));
			free(got);
		}
		wn_harness_close(h);
	}
}

/* The gunzipped bytes of a gzip file (NULL when it is not one). */
static char *gunzip_file(const char *path, size_t *len)
{
	size_t n = 0;
	char *gz = wn_harness_slurp(path, &n);
	if (!gz)
		return NULL;
	size_t cap = 1 << 20;
	char *out = calloc(1, cap);
	z_stream z = {0};
	int ok = out && inflateInit2(&z, 15 + 16) == Z_OK;
	if (ok) {
		z.next_in = (unsigned char *)gz;
		z.avail_in = (uInt)n;
		z.next_out = (unsigned char *)out;
		z.avail_out = (uInt)cap - 1;
		ok = inflate(&z, Z_FINISH) == Z_STREAM_END && z.avail_in == 0;
		*len = z.total_out;
		inflateEnd(&z);
	}
	free(gz);
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

/* A .gz path (or compress: gzip) gives one gzip stream with no time in
 * its header, whose content is the plain file's, byte for byte. */
static void test_gzip(void)
{
	const char *cases[][3] = {
	    {"gz_plain", "{path: a.jsonl}", "a.jsonl"},
	    {"gz_auto", "{path: a.jsonl.gz}", "a.jsonl.gz"},
	    {"gz_array", "{path: a.json, format: array, compress: gzip}", "a.json"},
	    {"gz_empty", "{path: e.json.gz, format: array}", "e.json.gz"}};
	char *plain = NULL;
	for (int i = 0; i < 4; i++) {
		char path[512];
		wn_harness *h = open_case(cases[i][0], cases[i][1], cases[i][2], path, sizeof path);
		if (!h)
			continue;
		if (i < 3)
			fill_two(h);
		CHECK(wn_harness_commit(h) == WN_OK);
		wn_harness_close(h);
		if (i == 0) {
			plain = wn_harness_slurp(path, NULL);
			continue;
		}
		size_t n = 0;
		char *raw = wn_harness_slurp(path, &n);
		CHECK(raw && n > 10 && (unsigned char)raw[0] == 0x1f &&
		      (unsigned char)raw[1] == 0x8b);
		CHECK(raw && n > 10 && !raw[4] && !raw[5] && !raw[6] && !raw[7]); /* mtime 0 */
		free(raw);
		char *got = gunzip_file(path, &n);
		CHECK(got != NULL);
		if (i == 1)
			CHECK_STR(got, plain);
		if (i == 2) {
			json_error_t err;
			json_t *j = json_loads(got ? got : "", 0, &err);
			check_two(j);
			json_decref(j);
		}
		if (i == 3)
			CHECK_STR(got, "[]\n");
		free(got);
	}
	free(plain);
}

/* zstd through a .zst path: one frame whose content is the plain file's. */
static void test_zstd(void)
{
	char path[512], ppath[512];
	wn_harness *h = open_case("zst_plain", "{path: p.jsonl}", "p.jsonl", ppath, sizeof ppath);
	if (!h)
		return;
	fill_two(h);
	CHECK(wn_harness_commit(h) == WN_OK);
	wn_harness_close(h);
	h = open_case("zst", "{path: z.jsonl.zst, level: 19}", "z.jsonl.zst", path, sizeof path);
	if (!h)
		return;
	fill_two(h);
	CHECK(wn_harness_commit(h) == WN_OK);
	wn_harness_close(h);
	size_t n = 0;
	char *z = wn_harness_slurp(path, &n);
	char *plain = wn_harness_slurp(ppath, NULL);
	char out[4096] = {0};
	size_t got = z ? ZSTD_decompress(out, sizeof out - 1, z, n) : 0;
	CHECK(z && n > 4 && !ZSTD_isError(got));
	CHECK_STR(out, plain);
	free(z);
	free(plain);
}

/* max_records splits into numbered parts, each a whole document. */
static void test_split(void)
{
	const char *cases[][3] = {
	    {"split_l", "{path: a.jsonl, max_records: 1}", "a.00001.jsonl"},
	    {"split_a", "{path: a.json, format: array, max_records: 1}", "a.00001.json"},
	    {"split_gz", "{path: a.jsonl.gz, max_bytes: 1}", "a.00001.jsonl.gz"},
	    {"split_0", "{path: e.jsonl, max_records: 5}", "e.00000.jsonl"}};
	for (int i = 0; i < 4; i++) {
		char path[512];
		wn_harness *h = open_case(cases[i][0], cases[i][1], cases[i][2], path, sizeof path);
		if (!h)
			continue;
		if (i < 3)
			fill_two(h);
		CHECK(wn_harness_commit(h) == WN_OK);
		wn_harness_close(h);
		size_t n = 0;
		char *second = i == 2 ? gunzip_file(path, &n) : wn_harness_slurp(path, &n);
		CHECK(second != NULL);
		if (i == 0 || i == 2)
			CHECK(second && strncmp(second, "{\"id\":\"two\"", 11) == 0 &&
			      strchr(second, '\n') == second + n - 1);
		if (i == 1) {
			json_error_t err;
			json_t *j = json_loads(second ? second : "", 0, &err);
			CHECK(json_is_array(j) && json_array_size(j) == 1);
			json_decref(j);
		}
		if (i == 3)
			CHECK(second && n == 0); /* an empty run: one empty part */
		free(second);
		/* the first part holds the first record; there is no third */
		char first[512], third[512];
		snprintf(first, sizeof first, "%.*s0%s", (int)(strstr(path, ".0000") - path + 5),
		         path, strstr(path, ".0000") + 6);
		snprintf(third, sizeof third, "%.*s2%s", (int)(strstr(path, ".0000") - path + 5),
		         path, strstr(path, ".0000") + 6);
		CHECK(exists(first) && !exists(third));
	}
}

static void test_fields(void)
{
	char path[512];
	wn_harness *h = open_case("fields", "{fields: [title, id, missing], entities: false}",
	                          "articles.jsonl", path, sizeof path);
	if (!h)
		return;
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	api->set_str(r, "id", "x1");
	api->set_str(r, "url", "https://example.org/");
	api->set_str(r, "title", "T");
	CHECK(wn_harness_write(h, r) == WN_OK);
	CHECK(wn_harness_commit(h) == WN_OK);
	char *got = wn_harness_slurp(path, NULL);
	CHECK_STR(got, "{\"title\":\"T\",\"id\":\"x1\",\"missing\":null}\n");
	free(got);
	wn_harness_close(h);
}

/* Entities with byte offsets (the ABI) into a text with multi-byte
 * characters: the file must carry code point offsets. */
static void add_entities(const wn_host_api *api, wn_record *r)
{
	api->set_str(r, "text",
	             "Hi: Ann \"A\" Lee \xE2\x80\x94 \xE2\x82\xAC"
	             "5 paid");
	wn_entity e = WN_ENTITY_INIT;
	e.type = "PERSON";
	e.text = "Ann \"A\" Lee";
	e.canonical = "Ann Lee";
	e.start = 4;
	e.end = 15;
	e.confidence = 0.75;
	CHECK(api->add_entity(r, &e) == WN_OK);
	wn_entity m = WN_ENTITY_INIT;
	m.type = "MONEY";
	m.text = "\xE2\x82\xAC"
	         "5";
	m.value = "5 EUR";
	m.kb_id = "Q4916";
	m.start = 20;
	m.end = 24;
	m.confidence = 1.0;
	CHECK(api->add_entity(r, &m) == WN_OK);
}

static void check_entities(json_t *ents)
{
	CHECK(json_is_array(ents) && json_array_size(ents) == 2);
	json_t *e = json_array_get(ents, 0), *m = json_array_get(ents, 1);
	CHECK_STR(json_string_value(json_object_get(e, "type")), "PERSON");
	CHECK_STR(json_string_value(json_object_get(e, "text")), "Ann \"A\" Lee");
	CHECK_STR(json_string_value(json_object_get(e, "canonical")), "Ann Lee");
	CHECK(json_object_get(e, "value") == NULL); /* NULL strings are omitted */
	CHECK(json_object_get(e, "kb_id") == NULL);
	CHECK(json_integer_value(json_object_get(e, "start")) == 4);
	CHECK(json_integer_value(json_object_get(e, "end")) == 15);
	CHECK(json_integer_value(json_object_get(m, "start")) == 18); /* bytes 20..24 */
	CHECK(json_integer_value(json_object_get(m, "end")) == 20);
	CHECK(json_real_value(json_object_get(e, "confidence")) == 0.75);
	CHECK_STR(json_string_value(json_object_get(m, "value")), "5 EUR");
	CHECK_STR(json_string_value(json_object_get(m, "kb_id")), "Q4916");
	CHECK(json_real_value(json_object_get(m, "confidence")) == 1.0);
}

static void test_entities(void)
{
	char path[512];
	wn_harness *h = open_case("entities", NULL, "articles.jsonl", path, sizeof path);
	if (!h)
		return;
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	api->set_str(r, "id", "e1");
	add_entities(api, r);
	CHECK(wn_harness_write(h, r) == WN_OK);
	r = wn_harness_new_record(h);
	api->set_str(r, "id", "e2");
	CHECK(wn_harness_write(h, r) == WN_OK);
	CHECK(wn_harness_commit(h) == WN_OK);

	char *got = wn_harness_slurp(path, NULL);
	char *nl = got ? strchr(got, '\n') : NULL;
	CHECK(nl != NULL);
	if (nl) {
		json_error_t err;
		json_t *a = json_loadb(got, (size_t)(nl - got), 0, &err);
		json_t *b = json_loads(nl + 1, 0, &err);
		CHECK(a && b);
		check_entities(json_object_get(a, "entities"));
		CHECK(json_is_array(json_object_get(b, "entities")));
		CHECK(json_array_size(json_object_get(b, "entities")) == 0);
		json_decref(a);
		json_decref(b);
	}
	free(got);
	wn_harness_close(h);
}

/* "entities" in the fields list puts the array at that place. */
static void test_entities_position(void)
{
	char path[512];
	wn_harness *h =
	    open_case("entpos", "{fields: [entities, id]}", "articles.jsonl", path, sizeof path);
	if (!h)
		return;
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	api->set_str(r, "id", "p1");
	CHECK(wn_harness_write(h, r) == WN_OK);
	CHECK(wn_harness_commit(h) == WN_OK);
	char *got = wn_harness_slurp(path, NULL);
	CHECK_STR(got, "{\"entities\":[],\"id\":\"p1\"}\n");
	free(got);
	wn_harness_close(h);
}

int main(void)
{
	test_jsonl_exact();
	test_array_empty();
	test_array_two();
	test_gzip();
	test_zstd();
	test_split();
	test_fields();
	test_entities();
	test_entities_position();
	return check_finish();
}
