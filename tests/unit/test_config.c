/*
 * Config loading, ${VAR} expansion, overrides, scalar parsers and the
 * typed model, including every error message's location and suggestion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "check.h"
#include "config.h"
#include "winnow/plugin.h"

static wn_cfg_doc *load(const char *text, capture *c)
{
	return wn_cfg_load_string(text, "t.yaml", "/cfg", &c->d);
}

static void test_int_real_bool(void)
{
	int64_t i;
	double r;
	int b;
	CHECK(wn_parse_int("42", &i) == 0 && i == 42);
	CHECK(wn_parse_int("-7", &i) == 0 && i == -7);
	CHECK(wn_parse_int("9223372036854775807", &i) == 0 && i == INT64_MAX);
	CHECK(wn_parse_int("9223372036854775808", &i) == -1);
	CHECK(wn_parse_int("12a", &i) == -1);
	CHECK(wn_parse_int(" 1", &i) == -1);
	CHECK(wn_parse_int("", &i) == -1);
	CHECK(wn_parse_real("1.5", &r) == 0 && r == 1.5);
	CHECK(wn_parse_real("1e3", &r) == 0 && r == 1000);
	CHECK(wn_parse_real("1.0x", &r) == -1);
	CHECK(wn_parse_real("nan", &r) == -1);
	CHECK(wn_parse_real("1e999", &r) == -1);
	CHECK(wn_parse_bool("yes", &b) == 0 && b == 1);
	CHECK(wn_parse_bool("Off", &b) == 0 && b == 0);
	CHECK(wn_parse_bool("1", &b) == 0 && b == 1);
	CHECK(wn_parse_bool("false", &b) == 0 && b == 0);
	CHECK(wn_parse_bool("maybe", &b) == -1);
}

static void test_durations(void)
{
	int64_t ms;
	CHECK(wn_parse_duration("250ms", &ms) == 0 && ms == 250);
	CHECK(wn_parse_duration("20s", &ms) == 0 && ms == 20000);
	CHECK(wn_parse_duration("5m", &ms) == 0 && ms == 300000);
	CHECK(wn_parse_duration("1h", &ms) == 0 && ms == 3600000);
	CHECK(wn_parse_duration("2d", &ms) == 0 && ms == 172800000);
	CHECK(wn_parse_duration("90", &ms) == 0 && ms == 90000);
	CHECK(wn_parse_duration("1.5s", &ms) == 0 && ms == 1500);
	CHECK(wn_parse_duration("0.25", &ms) == 0 && ms == 250);
	CHECK(wn_parse_duration("1h30m", &ms) == 0 && ms == 5400000);
	CHECK(wn_parse_duration("0", &ms) == 0 && ms == 0);
	CHECK(wn_parse_duration("", &ms) == -1);
	CHECK(wn_parse_duration("-1s", &ms) == -1);
	CHECK(wn_parse_duration("5x", &ms) == -1);
	CHECK(wn_parse_duration("1h30", &ms) == -1);
	CHECK(wn_parse_duration("s", &ms) == -1);
	CHECK(wn_parse_duration("1.5.5s", &ms) == -1);
	CHECK(wn_parse_duration("99999999999999999999d", &ms) == -1);
	CHECK(wn_parse_duration("9999999999999999d", &ms) == -1);
}

static void test_sizes(void)
{
	int64_t n;
	CHECK(wn_parse_size("512", &n) == 0 && n == 512);
	CHECK(wn_parse_size("512B", &n) == 0 && n == 512);
	CHECK(wn_parse_size("64KB", &n) == 0 && n == 64000);
	CHECK(wn_parse_size("64kB", &n) == 0 && n == 64000);
	CHECK(wn_parse_size("64K", &n) == 0 && n == 65536);
	CHECK(wn_parse_size("64KiB", &n) == 0 && n == 65536);
	CHECK(wn_parse_size("10MiB", &n) == 0 && n == 10485760);
	CHECK(wn_parse_size("10MB", &n) == 0 && n == 10000000);
	CHECK(wn_parse_size("1G", &n) == 0 && n == 1073741824);
	CHECK(wn_parse_size("1.5GiB", &n) == 0 && n == 1610612736);
	CHECK(wn_parse_size("2 MiB", &n) == 0 && n == 2097152);
	CHECK(wn_parse_size("-1", &n) == -1);
	CHECK(wn_parse_size("12XB", &n) == -1);
	CHECK(wn_parse_size("", &n) == -1);
	CHECK(wn_parse_size("KB", &n) == -1);
	CHECK(wn_parse_size("99999999999T", &n) == -1);
}

static void test_tree_and_locations(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("a: 1\nb:\n  - x\n  - 'null'\n  - ~\nc: {d: e}\n", &c);
	CHECK(doc != NULL);
	if (doc) {
		wn_cfg_node *b = wn_cfg_get(doc->root, "b");
		CHECK(b && b->kind == WN_CFG_SEQ && b->n == 3);
		CHECK(b && b->line == 3 && b->col == 3);
		CHECK(b && !wn_cfg_is_null(b->vals[1]) && wn_cfg_is_null(b->vals[2]));
		CHECK_STR(wn_cfg_get(wn_cfg_get(doc->root, "c"), "d")->value, "e");
		CHECK_STR(wn_cfg_get(doc->root, "a")->file, "t.yaml");
		CHECK_STR(wn_cfg_get(doc->root, "a")->base, "/cfg");
		CHECK(wn_cfg_get(doc->root, "zz") == NULL);
		char want[65];
		const char *text = "a: 1\nb:\n  - x\n  - 'null'\n  - ~\nc: {d: e}\n";
		wn_sha256_hex(text, strlen(text), want);
		CHECK_STR(doc->sha256, want);
	}
	wn_cfg_free(doc);
	CHECK(c.d.errors == 0);
	cap_close(&c);
}

static void test_env_expansion(void)
{
	capture c;
	cap_open(&c);
	setenv("WN_T_A", "foo", 1);
	setenv("WN_T_EMPTY", "", 1);
	unsetenv("WN_T_UNSET");
	wn_cfg_doc *doc = load("a: ${WN_T_A}/x\n"
	                       "b: \"${WN_T_UNSET:-def}\"\n"
	                       "c: $$HOME and ^a$\n"
	                       "d: ${WN_T_EMPTY:-fallback}\n"
	                       "e: <${WN_T_EMPTY}>\n"
	                       "f: ${WN_T_UNSET:-}\n",
	                       &c);
	CHECK(doc != NULL);
	if (doc) {
		CHECK_STR(wn_cfg_get(doc->root, "a")->value, "foo/x");
		CHECK_STR(wn_cfg_get(doc->root, "b")->value, "def");
		CHECK_STR(wn_cfg_get(doc->root, "c")->value, "$HOME and ^a$");
		CHECK_STR(wn_cfg_get(doc->root, "d")->value, "fallback");
		CHECK_STR(wn_cfg_get(doc->root, "e")->value, "<>");
		CHECK_STR(wn_cfg_get(doc->root, "f")->value, "");
	}
	wn_cfg_free(doc);

	doc = load("a: 1\nb: x-${WN_T_UNSET}\nc: ${1BAD}\nd: ${OPEN\n", &c);
	CHECK(doc == NULL);
	const char *t = cap_text(&c);
	CHECK(CONTAINS(t, "t.yaml:2:4: error: environment variable 'WN_T_UNSET' is not set"));
	CHECK(CONTAINS(t, "${WN_T_UNSET:-default}"));
	CHECK(CONTAINS(t, "t.yaml:3:4: error: bad variable reference '${1BAD}'"));
	CHECK(CONTAINS(t, "t.yaml:4:4: error: unterminated '${'"));
	CHECK(c.d.errors == 3);
	cap_close(&c);
}

static void test_duplicates_and_syntax(void)
{
	capture c;
	cap_open(&c);
	CHECK(load("run: {}\nversion: 1\nrun:\n  a: 1\n  a: 2\n", &c) == NULL);
	const char *t = cap_text(&c);
	CHECK(CONTAINS(t, "t.yaml:3:1: error: duplicate key 'run' (first defined at line 1)"));
	CHECK(CONTAINS(t, "t.yaml:5:3: error: duplicate key 'a' (first defined at line 4)"));
	cap_close(&c);

	cap_open(&c);
	char *path = wn_xasprintf("%s/config/syntax.yaml", getenv("WN_FIXTURES"));
	CHECK(wn_cfg_load(path, &c.d) == NULL);
	t = cap_text(&c);
	char *want = wn_xasprintf("%s:4:", path);
	CHECK(CONTAINS(t, want));
	CHECK(CONTAINS(t, "error: did not find expected ',' or '}'"));
	CHECK(CONTAINS(t, "while parsing a flow mapping at line 3"));
	free(want);
	free(path);
	cap_close(&c);

	cap_open(&c);
	CHECK(wn_cfg_load("/nonexistent/x.yaml", &c.d) == NULL);
	CHECK(CONTAINS(cap_text(&c), "/nonexistent/x.yaml: error: cannot open config"));
	CHECK(load("a: 1\n---\nb: 2\n", &c) == NULL);
	CHECK(CONTAINS(cap_text(&c), "t.yaml:3:1: error: a second YAML document"));
	CHECK(load("a: \xff\xfe\n", &c) == NULL);
	CHECK(CONTAINS(cap_text(&c), "t.yaml: error: invalid leading UTF-8 octet at byte 3"));
	CHECK(load("a: \"x\\0y\"\n", &c) == NULL);
	CHECK(CONTAINS(cap_text(&c), "t.yaml:1:4: error: NUL character in a string value"));
	CHECK(load("a:\n\tb: 1\n", &c) == NULL);
	CHECK(CONTAINS(cap_text(&c), "t.yaml:2:1: error: found character that cannot start any "
	                             "token"));
	CHECK(load("? [a, b]\n: 1\n", &c) == NULL);
	CHECK(CONTAINS(cap_text(&c), "mapping keys must be plain strings"));
	cap_close(&c);
}

static void test_aliases(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("base: &b {x: 1}\ncopy: *b\n", &c);
	CHECK(doc && wn_cfg_get(doc->root, "copy") &&
	      strcmp(wn_cfg_get(wn_cfg_get(doc->root, "copy"), "x")->value, "1") == 0);
	wn_cfg_free(doc);

	/* Nine levels of ten copies: a billion laughs, stopped by the cap. */
	wn_buf bomb = {0};
	wn_buf_adds(&bomb, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 9; i++) {
		wn_buf_addf(&bomb, "a%d: &a%d [", i, i);
		for (int j = 0; j < 10; j++)
			wn_buf_addf(&bomb, "%s*a%d", j ? ", " : "", i - 1);
		wn_buf_adds(&bomb, "]\n");
	}
	CHECK(load(bomb.p, &c) == NULL);
	CHECK(CONTAINS(cap_text(&c), "more than 100000 nodes (an alias bomb?)"));
	wn_buf_free(&bomb);

	/* An alias inside its own anchor would recurse for ever. */
	CHECK(load("a: &x [1, *x]\n", &c) == NULL);
	CHECK(CONTAINS(cap_text(&c), "t.yaml:1:8: error: nesting deeper than 64 levels (a "
	                             "recursive alias?)"));

	/* Deep nesting is refused, not a stack overflow. */
	wn_buf deep = {0};
	for (int i = 0; i < 100; i++)
		wn_buf_adds(&deep, "[");
	for (int i = 0; i < 100; i++)
		wn_buf_adds(&deep, "]");
	CHECK(load(deep.p, &c) == NULL);
	CHECK(CONTAINS(cap_text(&c), "nesting deeper than 64 levels"));
	wn_buf_free(&deep);
	cap_close(&c);
}

static void test_overrides(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("version: 1\nrun: {workers: 2, name: n}\n"
	                       "sources: [{use: source_files}]\n"
	                       "pipeline:\n  - {id: clean, use: clean_html, with: {a: 1}}\n"
	                       "sinks: [{id: json, use: export_json}]\n",
	                       &c);
	CHECK(doc != NULL);
	if (!doc) {
		cap_close(&c);
		return;
	}
	char *hash0 = wn_xstrdup(doc->sha256);
	CHECK(wn_cfg_override(doc, "run.workers=4", &c.d) == 0);
	CHECK_STR(wn_cfg_get(wn_cfg_get(doc->root, "run"), "workers")->value, "4");
	CHECK(strcmp(hash0, doc->sha256) != 0);
	CHECK(wn_cfg_override(doc, "clean.min_words=50", &c.d) == 0);
	const wn_cfg_node *clean = doc->root ? wn_cfg_get(doc->root, "pipeline")->vals[0] : NULL;
	CHECK_STR(wn_cfg_get(wn_cfg_get(clean, "with"), "min_words")->value, "50");
	CHECK_STR(wn_cfg_get(wn_cfg_get(clean, "with"), "a")->value, "1");
	CHECK(wn_cfg_override(doc, "clean.on_error=drop", &c.d) == 0);
	CHECK_STR(wn_cfg_get(clean, "on_error")->value, "drop");
	CHECK(wn_cfg_override(doc, "sinks.json.path=out.jsonl", &c.d) == 0);
	const wn_cfg_node *json = wn_cfg_get(doc->root, "sinks")->vals[0];
	const wn_cfg_node *p = wn_cfg_get(wn_cfg_get(json, "with"), "path");
	CHECK(p && strcmp(p->value, "out.jsonl") == 0 && strcmp(p->base, ".") == 0);
	CHECK(p && CONTAINS(p->file, "--set sinks.json.path=out.jsonl"));
	CHECK(wn_cfg_override(doc, "source_files.with.exts=[md, txt]", &c.d) == 0);
	const wn_cfg_node *src = wn_cfg_get(doc->root, "sources")->vals[0];
	const wn_cfg_node *ex = wn_cfg_get(wn_cfg_get(src, "with"), "exts");
	CHECK(ex && ex->kind == WN_CFG_SEQ && ex->n == 2);
	CHECK(wn_cfg_override(doc, "dead_letter.path=dl.jsonl", &c.d) == 0);
	CHECK_STR(wn_cfg_get(wn_cfg_get(doc->root, "dead_letter"), "path")->value, "dl.jsonl");
	CHECK(c.d.errors == 0);

	CHECK(wn_cfg_override(doc, "run.workers", &c.d) == WN_E_CONFIG);
	CHECK(wn_cfg_override(doc, "run..x=1", &c.d) == WN_E_CONFIG);
	CHECK(wn_cfg_override(doc, "run.name.x=1", &c.d) == WN_E_CONFIG);
	CHECK(wn_cfg_override(doc, "sinks.nosuch.path=1", &c.d) == WN_E_CONFIG);
	CHECK(wn_cfg_override(doc, "clean=1", &c.d) == WN_E_CONFIG);
	CHECK(wn_cfg_override(doc, "clen.min_words=5", &c.d) == WN_E_CONFIG);
	CHECK(wn_cfg_override(doc, "zzz=5", &c.d) == WN_E_CONFIG);
	const char *t = cap_text(&c);
	CHECK(CONTAINS(t, "--set: error: 'run.workers': expected KEY.PATH=VALUE"));
	CHECK(CONTAINS(t, "--set: error: 'run..x=1': expected KEY.PATH=VALUE"));
	CHECK(CONTAINS(t, "--set run.name.x=1: error: 'name' is a value, not a mapping"));
	CHECK(CONTAINS(t, "--set sinks.nosuch.path=1: error: no stage 'nosuch' in 'sinks'"));
	CHECK(CONTAINS(t, "--set clean=1: error: 'clean' is a stage"));
	CHECK(CONTAINS(t, "--set clen.min_words=5: error: 'clen' is neither a config section nor a "
	                  "stage id (did you mean 'clean'?)"));
	CHECK(
	    CONTAINS(t, "--set zzz=5: error: 'zzz' is neither a config section nor a stage id\n"));
	CHECK(c.d.errors == 7);

	CHECK(wn_cfg_override(doc, "run.output_dir=out", &c.d) == 0);
	wn_config cfg;
	wn_diag d2 = {.out = c.d.out};
	CHECK(wn_config_build(doc, &cfg, &d2) == 0);
	CHECK(cfg.workers == 4 && cfg.queue_batches == 16);
	CHECK_STR(cfg.dead_letter, "dl.jsonl");
	CHECK_STR(cfg.output_dir, "out"); /* --set paths are relative to the cwd */
	wn_config_free(&cfg);
	free(hash0);
	cap_close(&c);
}

static void test_model_defaults(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = wn_cfg_load_string("version: 1\n"
	                                     "sources: [{use: source_files}]\n"
	                                     "sinks: [{use: export_json}]\n",
	                                     "/etc/winnow/daily.yaml", "/etc/winnow", &c.d);
	wn_config cfg;
	CHECK(doc && wn_config_build(doc, &cfg, &c.d) == 0);
	if (!doc || c.d.errors) {
		cap_close(&c);
		return;
	}
	CHECK(cfg.version == 1);
	CHECK_STR(cfg.name, "daily");
	CHECK_STR(cfg.output_dir, "/etc/winnow/output");
	CHECK(cfg.state == NULL);
	CHECK_STR(cfg.lock, "/etc/winnow/output/.winnow.lock");
	CHECK(cfg.workers == 2 && cfg.batch_size == 64 && cfg.queue_batches == 8);
	CHECK(cfg.time_budget_ms == 0 && cfg.max_record_bytes == 64 << 20);
	CHECK(cfg.plugin_path == NULL && cfg.keep == 0 && cfg.http == NULL);
	CHECK_STR(cfg.dead_letter, "dead_letter.jsonl");
	CHECK(cfg.n_stages == 2 && cfg.n_sources == 1 && cfg.n_transforms == 0 && cfg.n_sinks == 1);
	CHECK_STR(cfg.stages[0].id, "source_files");
	CHECK(cfg.stages[0].section == WN_KIND_SOURCE && cfg.stages[1].section == WN_KIND_SINK);
	CHECK(cfg.stages[1].on_error == WN_ON_ERROR_DEAD_LETTER);
	CHECK(cfg.stages[1].retry.max == 3 && cfg.stages[1].retry.backoff_ms == 200 &&
	      cfg.stages[1].retry.max_backoff_ms == 30000);
	CHECK(cfg.stages[1].when.op == WN_WHEN_NONE && cfg.stages[1].with == NULL);
	wn_config_free(&cfg);
	cap_close(&c);
}

static void test_model_full(void)
{
	capture c;
	cap_open(&c);
	setenv("WN_TEST_DATE", "2026-11-25", 1);
	const char *fx = getenv("WN_FIXTURES");
	char *path = wn_xasprintf("%s/config/good.yaml", fx);
	char *dir = wn_xasprintf("%s/config", fx);
	wn_cfg_doc *doc = wn_cfg_load(path, &c.d);
	wn_config cfg;
	CHECK(doc && wn_config_build(doc, &cfg, &c.d) == 0);
	if (!doc || c.d.errors) {
		fprintf(stderr, "%s", cap_text(&c));
		cap_close(&c);
		return;
	}
	char *want = wn_xasprintf("%s/out/2026-11-25", dir);
	CHECK_STR(cfg.output_dir, want);
	free(want);
	want = wn_xasprintf("%s/state/state.db.lock", dir);
	CHECK_STR(cfg.lock, want);
	free(want);
	CHECK_STR(cfg.name, "news-daily");
	CHECK(cfg.workers == 3 && cfg.batch_size == 16 && cfg.queue_batches == 12);
	CHECK(cfg.time_budget_ms == 5400000 && cfg.max_record_bytes == 8 << 20 && cfg.keep == 5);
	want = wn_xasprintf("%s/plugins", dir);
	CHECK(cfg.plugin_path && cfg.plugin_path[0] && strcmp(cfg.plugin_path[0], want) == 0);
	CHECK(cfg.plugin_path && cfg.plugin_path[1] &&
	      strcmp(cfg.plugin_path[1], "/opt/winnow/plugins") == 0 && !cfg.plugin_path[2]);
	free(want);
	CHECK(cfg.http && wn_cfg_get(cfg.http, "timeout"));
	CHECK_STR(cfg.dead_letter, "rejects.jsonl");
	CHECK(cfg.n_stages == 5 && cfg.n_transforms == 3);
	wn_stage_cfg *s = cfg.stages;
	CHECK_STR(s[0].id, "feed");
	CHECK(s[0].with && wn_cfg_get(s[0].with, "url"));
	CHECK(s[1].retry.max == 5 && s[1].retry.backoff_ms == 1000 &&
	      s[1].retry.max_backoff_ms == 60000);
	CHECK_STR(s[2].id, "clean_html");
	CHECK(s[2].on_error == WN_ON_ERROR_DROP && s[2].section == WN_KIND_TRANSFORM);
	CHECK(s[3].when.op == WN_WHEN_IN && s[3].retry.max == 0);
	CHECK_STR(s[3].when.field, "lang");
	CHECK(s[3].when.values && strcmp(s[3].when.values[1], "de") == 0 && !s[3].when.values[2]);
	CHECK(s[4].node && s[4].node->line == 25);
	wn_config_free(&cfg);
	free(path);
	free(dir);
	cap_close(&c);
}

static void test_model_errors_file(void)
{
	capture c;
	cap_open(&c);
	char *path = wn_xasprintf("%s/config/bad.yaml", getenv("WN_FIXTURES"));
	wn_cfg_doc *doc = wn_cfg_load(path, &c.d);
	CHECK(doc != NULL);
	wn_config cfg;
	CHECK(wn_config_build(doc, &cfg, &c.d) == WN_E_CONFIG);
	CHECK(cfg.doc == NULL && cfg.stages == NULL);
	const char *t = cap_text(&c);
	struct {
		int line, col;
		const char *msg;
	} want[] = {
	    {3, 3, "unknown key 'wrokers' in run (did you mean 'workers'?)"},
	    {4, 12, "run.workers must be an integer from 1 to 256, not '0'"},
	    {6, 24, "unknown key 'url' in stage 'source_rss' (plugin options go under 'with:')"},
	    {8, 24, "unknown key 'wiht' in stage 'clean_html' (did you mean 'with'?)"},
	    {9, 12, "duplicate stage id 'clean_html' (first used at line 8"},
	    {11, 45,
	     "on_error must be dead_letter, drop, skip or fail, not 'dorp' (did you mean "
	     "'drop'?)"},
	    {11, 80, "when takes exactly one of eq, ne, in, exists"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *line = wn_xasprintf("%s:%d:%d: error: ", path, want[i].line, want[i].col);
		char *p = strstr(t, line);
		CHECK(p && CONTAINS(p, want[i].msg));
		if (!p || !CONTAINS(p, want[i].msg))
			fprintf(stderr, "missing: %s%s\n", line, want[i].msg);
		free(line);
	}
	CHECK(c.d.errors == 7);
	free(path);
	cap_close(&c);
}

/* Builds inline text and returns the diagnostics (heap) for matching. */
static char *build_errors(const char *text, int *rc)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load(text, &c);
	wn_config cfg;
	*rc = doc ? wn_config_build(doc, &cfg, &c.d) : -2;
	if (*rc == 0)
		wn_config_free(&cfg);
	char *out = wn_xstrdup(cap_text(&c) ? cap_text(&c) : "");
	cap_close(&c);
	return out;
}

static void test_model_errors_inline(void)
{
	int rc;
	char *t = build_errors("sources: [{use: a}]\nsinks: [{use: b}]\nsorces: 1\n", &rc);
	CHECK(rc == WN_E_CONFIG);
	CHECK(CONTAINS(t, "t.yaml:3:1: error: unknown key 'sorces' in the config"));
	CHECK(CONTAINS(t, "t.yaml:1:1: error: missing 'version: 1'"));
	free(t);

	t = build_errors("version: 2\nsources: []\nsinks: {use: b}\nhttp: [1]\n", &rc);
	CHECK(rc == WN_E_CONFIG);
	CHECK(CONTAINS(t, "t.yaml:1:10: error: unsupported config version '2'"));
	CHECK(CONTAINS(t, "t.yaml:2:10: error: 'sources' must list at least one stage"));
	CHECK(CONTAINS(t, "t.yaml:3:8: error: 'sinks' must be a list of stages"));
	CHECK(CONTAINS(t, "t.yaml:4:7: error: http must be a mapping"));
	free(t);

	t = build_errors(
	    "version: 1\nsources: [{use: a, id: x, when: {eq: 1}}]\n"
	    "pipeline: [{use: ../evil}, {id: 'a b', use: c}, 7]\n"
	    "sinks: [{id: x, use: b, retry: {max: 2, backoff: 10s, max_backof: 1s}}]\n"
	    "run: {time_budget: soon, max_record_size: 12XB, batch_size: 0, keep: -1}\n"
	    "dead_letter: {pth: x}\n",
	    &rc);
	CHECK(rc == WN_E_CONFIG);
	CHECK(CONTAINS(t, "t.yaml:2:33: error: stage 'x': when needs a 'field'"));
	CHECK(CONTAINS(t, "t.yaml:3:18: error: 'use: ../evil' is not a plugin name"));
	CHECK(CONTAINS(t, "t.yaml:3:33: error: stage id 'a b' may only use"));
	CHECK(CONTAINS(t, "t.yaml:3:49: error: each stage in pipeline must be a mapping"));
	CHECK(CONTAINS(t, "t.yaml:4:14: error: duplicate stage id 'x' (first used at line 2"));
	CHECK(CONTAINS(t, "t.yaml:4:55: error: unknown key 'max_backof' in retry of stage 'x' (did "
	                  "you mean 'max_backoff'?)"));
	CHECK(CONTAINS(t, "t.yaml:5:20: error: run.time_budget must be a duration"));
	CHECK(CONTAINS(t, "run.max_record_size must be a size"));
	CHECK(CONTAINS(t, "run.batch_size must be an integer from 1 to 100000, not '0'"));
	CHECK(CONTAINS(t, "run.keep must be an integer from 0 to"));
	CHECK(CONTAINS(t, "t.yaml:6:15: error: unknown key 'pth' in dead_letter (did you mean "
	                  "'path'?)"));
	free(t);

	t = build_errors("version: 1\nsources: [{use: a, retry: {backoff: 1m}}]\n"
	                 "sinks: [{use: b, when: {field: f, exists: no}, with: [1]}]\n",
	                 &rc);
	CHECK(rc == WN_E_CONFIG);
	CHECK(CONTAINS(t, "retry.max_backoff is shorter than retry.backoff"));
	CHECK(CONTAINS(t, "t.yaml:3:54: error: with must be a mapping"));
	free(t);

	t = build_errors("- a\n", &rc);
	CHECK(rc == WN_E_CONFIG && CONTAINS(t, "t.yaml:1:1: error: a config must be a mapping"));
	free(t);
	t = build_errors("", &rc);
	CHECK(rc == WN_E_CONFIG && CONTAINS(t, "t.yaml: error: a config must be a mapping"));
	free(t);
}

static void test_when_ops(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("version: 1\n"
	                       "sources: [{use: a, when: {field: f, exists: false}}]\n"
	                       "pipeline: [{use: p, when: {field: lang, ne: en}, on_error: fail}]\n"
	                       "sinks: [{use: b, when: {field: g, eq: '1'}, retry: 7}]\n",
	                       &c);
	wn_config cfg;
	CHECK(doc && wn_config_build(doc, &cfg, &c.d) == 0);
	if (c.d.errors == 0) {
		CHECK(cfg.stages[0].when.op == WN_WHEN_MISSING && cfg.stages[0].when.values &&
		      !cfg.stages[0].when.values[0]);
		CHECK(cfg.stages[1].when.op == WN_WHEN_NE &&
		      cfg.stages[1].on_error == WN_ON_ERROR_FAIL);
		CHECK_STR(cfg.stages[1].when.values[0], "en");
		CHECK(cfg.stages[2].when.op == WN_WHEN_EQ && cfg.stages[2].retry.max == 7);
		wn_config_free(&cfg);
	}
	cap_close(&c);
}

int main(void)
{
	test_int_real_bool();
	test_durations();
	test_sizes();
	test_tree_and_locations();
	test_env_expansion();
	test_duplicates_and_syntax();
	test_aliases();
	test_overrides();
	test_model_defaults();
	test_model_full();
	test_model_errors_file();
	test_model_errors_inline();
	test_when_ops();
	return check_finish();
}
