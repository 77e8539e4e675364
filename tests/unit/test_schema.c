/*
 * Option schemas: defaults, every option type, bounds, enums, lists,
 * paths, unknown and missing options with their locations, a garbage
 * option table, and the printed table.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "check.h"
#include "config.h"
#include "schema.h"

typedef struct state {
	const char *path;
	const char *name;
	int64_t count;
	double ratio;
	int flag;
	int64_t timeout;
	int64_t max_bytes;
	int format;
	const char *const *tags;
	const char *cache;
	const char *const *none;
} state;

static const wn_option opts[] = {
    {"path", WN_OPT_PATH, NULL, 1, offsetof(state, path), "File to write", NULL, 0, 0},
    {"name", WN_OPT_STR, "\"hello world\"", 0, offsetof(state, name), "A name", NULL, 0, 0},
    {"count", WN_OPT_INT, "10", 0, offsetof(state, count), "How many", NULL, 1, 100},
    {"ratio", WN_OPT_REAL, "0.5", 0, offsetof(state, ratio), "A share", NULL, 0, 1},
    {"flag", WN_OPT_BOOL, "yes", 0, offsetof(state, flag), "On or off", NULL, 0, 0},
    {"timeout", WN_OPT_DURATION, "20s", 0, offsetof(state, timeout), "Wait", NULL, 1000, 60000},
    {"max_bytes", WN_OPT_SIZE, "1MiB", 0, offsetof(state, max_bytes), "Cap", NULL, 0, 0},
    {"format", WN_OPT_ENUM, "jsonl", 0, offsetof(state, format), "Form", "jsonl|array", 0, 0},
    {"tags", WN_OPT_LIST, "[a, b]", 0, offsetof(state, tags), "Tags", NULL, 0, 0},
    {"cache", WN_OPT_PATH, "cache/dir", 0, offsetof(state, cache), "Cache", NULL, 0, 0},
    {"none", WN_OPT_LIST, NULL, 0, offsetof(state, none), NULL, NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0},
};

static const wn_plugin plug = {
    .abi_major = WN_ABI_MAJOR,
    .abi_minor = WN_ABI_MINOR,
    .struct_size = sizeof(wn_plugin),
    .kind = WN_KIND_SINK,
    .name = "export_json",
    .version = "1.0.0",
    .options = opts,
    .state_size = sizeof(state),
};

/* Loads `text` (a mapping whose `with` key is the options) from /cfg. */
static wn_cfg_doc *load(const char *text, capture *c)
{
	return wn_cfg_load_string(text, "t.yaml", "/cfg", &c->d);
}

static void test_defaults(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("with: {path: out.jsonl}\n", &c);
	state st = {0};
	wn_pool pool = {0};
	CHECK(doc && wn_schema_apply(&plug, "json", wn_cfg_get(doc->root, "with"), &st, "/plugins",
	                             &pool, &c.d) == 0);
	CHECK_STR(st.path, "/cfg/out.jsonl");
	CHECK_STR(st.name, "hello world");
	CHECK(st.count == 10 && st.ratio == 0.5 && st.flag == 1);
	CHECK(st.timeout == 20000 && st.max_bytes == 1048576 && st.format == 0);
	CHECK(st.tags && strcmp(st.tags[0], "a") == 0 && strcmp(st.tags[1], "b") == 0 &&
	      !st.tags[2]);
	CHECK_STR(st.cache, "/plugins/cache/dir");
	CHECK(st.none == NULL);
	CHECK_STR(cap_text(&c), "");
	wn_pool_free(&pool);
	CHECK(pool.n == 0 && pool.ptrs == NULL);
	wn_cfg_free(doc);
	cap_close(&c);
}

static void test_values(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("with:\n"
	                       "  path: /abs/out.json\n"
	                       "  name: ~\n"
	                       "  count: 50\n"
	                       "  ratio: 0.25\n"
	                       "  flag: off\n"
	                       "  timeout: 1m\n"
	                       "  max_bytes: 64KB\n"
	                       "  format: array\n"
	                       "  tags: solo\n"
	                       "  cache: ''\n"
	                       "  none: []\n",
	                       &c);
	state st = {0};
	wn_pool pool = {0};
	CHECK(doc && wn_schema_apply(&plug, "json", wn_cfg_get(doc->root, "with"), &st, "/plugins",
	                             &pool, &c.d) == 0);
	CHECK_STR(st.path, "/abs/out.json");
	CHECK(st.name == NULL);
	CHECK(st.count == 50 && st.ratio == 0.25 && st.flag == 0);
	CHECK(st.timeout == 60000 && st.max_bytes == 64000 && st.format == 1);
	CHECK(st.tags && strcmp(st.tags[0], "solo") == 0 && !st.tags[1]);
	CHECK_STR(st.cache, "");
	CHECK(st.none && st.none[0] == NULL);
	CHECK_STR(cap_text(&c), "");
	wn_pool_free(&pool);
	wn_cfg_free(doc);
	cap_close(&c);
}

static void test_errors(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("with:\n"
	                       "  pth: x\n"
	                       "  count: 500\n"
	                       "  ratio: lots\n"
	                       "  format: jsnl\n"
	                       "  timeout: 5m\n"
	                       "  tags: {a: 1}\n"
	                       "  name: [1]\n"
	                       "  flag: maybe\n"
	                       "  max_bytes: -1\n"
	                       "  none: [a, [b]]\n"
	                       "  zzzzzz: 1\n",
	                       &c);
	state st = {0};
	wn_pool pool = {0};
	int n = doc ? wn_schema_apply(&plug, "json", wn_cfg_get(doc->root, "with"), &st, "/p",
	                              &pool, &c.d)
	            : -1;
	const char *t = cap_text(&c);
	CHECK(n == 12);
	CHECK(CONTAINS(t, "t.yaml:2:3: error: stage 'json': unknown option 'pth' for plugin "
	                  "export_json (did you mean 'path'?)"));
	CHECK(CONTAINS(t, "t.yaml:3:10: error: stage 'json': option 'count' must be an integer "
	                  "from 1 to 100, not '500'"));
	CHECK(CONTAINS(t,
	               "t.yaml:4:10: error: stage 'json': option 'ratio' must be a number from 0 "
	               "to 1, not 'lots'"));
	CHECK(CONTAINS(t, "t.yaml:5:11: error: stage 'json': option 'format' must be jsonl or "
	                  "array, not 'jsnl' (did you mean 'jsonl'?)"));
	CHECK(CONTAINS(t, "t.yaml:6:12: error: stage 'json': option 'timeout' must be a duration "
	                  "from 1s to 1m, not '5m'"));
	CHECK(CONTAINS(t, "t.yaml:7:9: error: stage 'json': option 'tags' must be a list of "
	                  "strings, not a mapping"));
	CHECK(CONTAINS(t, "t.yaml:8:9: error: stage 'json': option 'name' must be a string, not a "
	                  "list"));
	CHECK(CONTAINS(t, "t.yaml:9:9: error: stage 'json': option 'flag' must be true or false"));
	CHECK(CONTAINS(t, "t.yaml:10:14: error: stage 'json': option 'max_bytes' must be a size"));
	CHECK(CONTAINS(t, "t.yaml:11:13: error: stage 'json': option 'none' must be a list of "
	                  "strings"));
	CHECK(CONTAINS(t, "t.yaml:12:3: error: stage 'json': unknown option 'zzzzzz' for plugin "
	                  "export_json (see: winnow plugins export_json)"));
	CHECK(CONTAINS(t, "t.yaml:2:3: error: stage 'json': missing required option 'path' for "
	                  "plugin export_json (File to write)"));
	/* Defaults stay where a configured value was refused. */
	CHECK(st.count == 10 && st.format == 0 && st.timeout == 20000);
	wn_pool_free(&pool);
	wn_cfg_free(doc);
	cap_close(&c);
}

static void test_missing_required_at_stage(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("version: 1\n"
	                       "sources: [{use: s}]\n"
	                       "sinks:\n"
	                       "  - id: out\n"
	                       "    use: export_json\n",
	                       &c);
	wn_config cfg;
	CHECK(doc && wn_config_build(doc, &cfg, &c.d) == 0);
	if (c.d.errors) {
		cap_close(&c);
		return;
	}
	state st = {0};
	wn_pool pool = {0};
	CHECK(wn_schema_apply_stage(&plug, &cfg.stages[1], &st, "/p", &pool, &c.d) == 1);
	CHECK(CONTAINS(cap_text(&c), "t.yaml:4:5: error: stage 'out': missing required option "
	                             "'path' for plugin export_json"));
	static const wn_plugin bare = {.name = "bare", .state_size = 0};
	CHECK(wn_schema_apply(&bare, "x", NULL, NULL, "/p", &pool, &c.d) == 0);
	wn_pool_free(&pool);
	wn_config_free(&cfg);
	cap_close(&c);
}

static void test_no_options(void)
{
	capture c;
	cap_open(&c);
	static const wn_plugin bare = {.name = "bare", .state_size = 0};
	wn_cfg_doc *doc = load("with: {x: 1}\n", &c);
	wn_pool pool = {0};
	CHECK(wn_schema_apply(&bare, "b", wn_cfg_get(doc->root, "with"), NULL, ".", &pool, &c.d) ==
	      1);
	CHECK(CONTAINS(
	    cap_text(&c),
	    "t.yaml:1:8: error: stage 'b': unknown option 'x': plugin bare takes no options"));
	wn_pool_free(&pool);
	wn_cfg_free(doc);
	cap_close(&c);
}

static void test_good_table(void)
{
	capture c;
	cap_open(&c);
	CHECK(wn_schema_check_table(&plug, "export_json.so", &c.d) == 0);
	CHECK_STR(cap_text(&c), "");
	cap_close(&c);
}

typedef struct small {
	int64_t a;
	int b;
} small;

static void test_garbage_table(void)
{
	static const wn_option bad[] = {
	    {"", WN_OPT_INT, NULL, 0, 0, NULL, NULL, 0, 0},
	    {"a", WN_OPT_INT, NULL, 0, 0, NULL, NULL, 0, 0},
	    {"a", WN_OPT_INT, NULL, 0, 0, NULL, NULL, 0, 0},
	    {"t", 42, NULL, 0, 0, NULL, NULL, 0, 0},
	    {"far", WN_OPT_INT, NULL, 0, 12, NULL, NULL, 0, 0},
	    {"huge", WN_OPT_INT, NULL, 0, (size_t)-4, NULL, NULL, 0, 0},
	    {"e", WN_OPT_ENUM, NULL, 0, offsetof(small, b), NULL, NULL, 0, 0},
	    {"e2", WN_OPT_ENUM, NULL, 0, offsetof(small, b), NULL, "a||b", 0, 0},
	    {"d", WN_OPT_INT, "abc", 0, 0, NULL, NULL, 0, 0},
	    {"y", WN_OPT_STR, "[unclosed", 0, 0, NULL, NULL, 0, 0},
	    {"Bad-Name", WN_OPT_INT, NULL, 0, 0, NULL, NULL, 0, 0},
	    {"ok", WN_OPT_BOOL, "true", 0, offsetof(small, b), NULL, NULL, 0, 0},
	    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0},
	};
	wn_plugin p = {.name = "junk", .options = bad, .state_size = sizeof(small)};
	capture c;
	cap_open(&c);
	int n = wn_schema_check_table(&p, "junk.so", &c.d);
	const char *t = cap_text(&c);
	CHECK(n == 10);
	CHECK(CONTAINS(t, "junk.so: error: plugin junk: option 1 has an empty or over-long name"));
	CHECK(CONTAINS(t, "option 'a' is declared twice"));
	CHECK(CONTAINS(t, "option 't' has unknown type 42"));
	CHECK(CONTAINS(t, "option 'far' (offset 12, 8 bytes) lies outside the state (16 bytes)"));
	CHECK(CONTAINS(t, "option 'huge' (offset"));
	CHECK(CONTAINS(t, "enum option 'e' needs choices"));
	CHECK(CONTAINS(t, "enum option 'e2' needs choices"));
	CHECK(CONTAINS(t, "plugin junk (default): option 'd' must be an integer, not 'abc'"));
	CHECK(CONTAINS(t, "default '[unclosed' of option 'y' is not valid YAML"));
	CHECK(CONTAINS(t, "name 'Bad-Name' must be lower-case"));
	cap_close(&c);

	/* No NULL-name end: the walk stops at 256 entries. */
	wn_option *many = calloc(300, sizeof *many);
	for (int i = 0; i < 300; i++) {
		many[i].name = "x";
		many[i].type = WN_OPT_INT;
	}
	p.options = many;
	cap_open(&c);
	CHECK(wn_schema_check_table(&p, "junk.so", &c.d) >= 1);
	CHECK(CONTAINS(cap_text(&c), "more than 256 options"));
	cap_close(&c);
	free(many);
}

static void test_print(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	wn_schema_print(&plug, f);
	static const wn_plugin bare = {.name = "bare"};
	wn_schema_print(&bare, f);
	fclose(f);
	CHECK(CONTAINS(buf, "OPTION"));
	CHECK(CONTAINS(buf, "REQUIRED"));
	CHECK(CONTAINS(buf, "  path       path      -              yes       File to write\n"));
	CHECK(CONTAINS(buf, "(one of: jsonl|array)"));
	CHECK(CONTAINS(buf, "[1000..60000 ms]"));
	CHECK(CONTAINS(buf, "\"hello world\""));
	CHECK(CONTAINS(buf, "(no options)"));
	free(buf);

	/* A default wider than the column is printed whole. */
	typedef struct {
		const char *p;
	} long_state;
	static const wn_option long_opts[] = {
	    {"dir", WN_OPT_PATH, "/usr/share/locale/en/LC_MESSAGES/geonames.mo", 0,
	     offsetof(long_state, p), "a long default", NULL, 0, 0},
	    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};
	static const wn_plugin longp = {
	    .name = "longp", .options = long_opts, .state_size = sizeof(long_state)};
	f = open_memstream(&buf, &len);
	wn_schema_print(&longp, f);
	fclose(f);
	CHECK(CONTAINS(buf, "/usr/share/locale/en/LC_MESSAGES/geonames.mo  "));
	free(buf);
	CHECK_STR(wn_opt_type_name(WN_OPT_DURATION), "duration");
	CHECK_STR(wn_opt_type_name(99), "?");
}

int main(void)
{
	test_defaults();
	test_values();
	test_errors();
	test_missing_required_at_stage();
	test_no_options();
	test_good_table();
	test_garbage_table();
	test_print();
	return check_finish();
}
