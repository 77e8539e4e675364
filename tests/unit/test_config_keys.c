/*
 * The engine's key tables (config_keys.c) and the one validator that
 * applies them (schema.c): every table is sound, the defaults are the
 * ones the hand-written parsers had, null and empty values keep their
 * meanings, errors have the shared wording, and a row is all a new key
 * needs.
 */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "check.h"
#include "config.h"
#include "config_keys.h"
#include "http.h"

static wn_cfg_doc *load(const char *text, capture *c)
{
	return wn_cfg_load_string(text, "t.yaml", "/cfg", &c->d);
}

static void test_tables_sound(void)
{
	capture c;
	cap_open(&c);
	for (const wn_config_topic *t = wn_config_topics; t->name; t++)
		CHECK(wn_section_check(t->section, &c.d) == 0);
	CHECK(wn_section_check(&wn_retry_section, &c.d) == 0);
	CHECK_STR(cap_text(&c), "");
	/* config.c's stage keys (for --set) are the stage table's rows. */
	size_t n = 0, m = 0;
	for (const wn_key *k = wn_stage_section.keys; k->opt.name; k++, n++)
		CHECK(wn_cfg_in_list(k->opt.name, wn_cfg_stage_keys));
	while (wn_cfg_stage_keys[m])
		m++;
	CHECK(n == m && n == 6);
	cap_close(&c);
}

/* A table with the mistakes the check is there for. */
typedef struct toy {
	int small;
	int64_t big;
	char *s;
} toy;

static void test_bad_table(void)
{
	static const wn_key keys[] = {
	    {.opt = {.name = "small", .type = WN_OPT_INT, .offset = offsetof(toy, small)},
	     .csize = sizeof(int)}, /* an int without bounds */
	    {.opt = {.name = "odd", .type = WN_OPT_INT, .offset = offsetof(toy, big)}, .csize = 3},
	    {.opt = {.name = "cb", .type = WN_KEY_CUSTOM}},
	    {.opt = {.name = "far", .type = WN_OPT_STR, .offset = sizeof(toy)}},
	    {.opt = {.name = "def",
	             .type = WN_OPT_DURATION,
	             .def = "soon",
	             .offset = offsetof(toy, big)}},
	    {.opt = {.name = NULL}},
	};
	static const wn_section s = {"toy", "a bad table", keys, sizeof(toy)};
	capture c;
	cap_open(&c);
	CHECK(wn_section_check(&s, &c.d) == 5);
	const char *t = cap_text(&c);
	CHECK(CONTAINS(t, "key 'small' is an int: its bounds must lie inside int"));
	CHECK(CONTAINS(t, "key 'odd': member size 3 is not an int or int64_t"));
	CHECK(CONTAINS(t, "custom key 'cb' has no parse callback"));
	CHECK(CONTAINS(t, "option 'far' (offset"));
	CHECK(CONTAINS(t, "toy.def must be a duration like 250ms"));
	cap_close(&c);
}

/* The defaults the HTTP service ran with before the table (http_opts.c). */
static void test_http_defaults(void)
{
	capture c;
	cap_open(&c);
	wn_http_opts o;
	CHECK(wn_http_opts_parse(NULL, &o, &c.d) == 0);
	CHECK(strncmp(o.user_agent, "winnow/" WN_VERSION " (+https://", 20) == 0);
	CHECK(o.timeout_ms == 30000 && o.connect_timeout_ms == 10000);
	CHECK(o.low_speed_time_ms == 30000 && o.low_speed_limit == 1);
	CHECK(o.max_body == 16 << 20 && o.max_redirects == 5);
	CHECK(o.concurrency == 32 && o.per_host == 2 && o.delay_ms == 0);
	CHECK(o.retries == 3 && o.backoff_ms == 500 && o.max_backoff_ms == 60000);
	CHECK(o.threads == 2);
	CHECK(o.respect_robots == 1 && o.allow_file == 0 && o.verify_tls == 1 &&
	      o.block_private == 0);
	CHECK(o.accept && o.accept[2] && !o.accept[3]);
	CHECK_STR(o.accept[0], "text/html");
	CHECK_STR(o.accept[1], "application/xhtml+xml");
	CHECK_STR(o.accept[2], "text/plain");
	wn_http_opts_free(&o);
	CHECK_STR(cap_text(&c), "");
	cap_close(&c);
}

static void test_http_values(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("http:\n"
	                       "  timeout: 2m\n"
	                       "  accept: text/*\n"
	                       "  user_agent: bot/1\n"
	                       "  per_host: 0\n"
	                       "  max_body: 1KiB\n"
	                       "  block_private: yes\n",
	                       &c);
	wn_http_opts o, copy;
	CHECK(doc && wn_http_opts_parse(wn_cfg_get(doc->root, "http"), &o, &c.d) == 0);
	CHECK(o.timeout_ms == 120000 && o.per_host == 0 && o.max_body == 1024 &&
	      o.block_private == 1);
	CHECK_STR(o.user_agent, "bot/1");
	CHECK(o.accept && !o.accept[1]);
	CHECK_STR(o.accept[0], "text/*");
	/* The copy owns its strings (ASan: no double free, no leak). */
	wn_http_opts_copy(&copy, &o);
	wn_http_opts_free(&o);
	CHECK_STR(copy.user_agent, "bot/1");
	CHECK_STR(copy.accept[0], "text/*");
	wn_http_opts_free(&copy);
	wn_cfg_free(doc);
	cap_close(&c);
}

static void test_http_errors(void)
{
	capture c;
	cap_open(&c);
	wn_cfg_doc *doc = load("http:\n"
	                       "  timeout: 0\n"
	                       "  timout: 5s\n"
	                       "  accept: [text/html, '']\n"
	                       "  user_agent: ''\n"
	                       "  verify_tls: maybe\n"
	                       "  retries: lots\n"
	                       "  max_body: 12XB\n"
	                       "  delay: [1]\n",
	                       &c);
	wn_http_opts o;
	CHECK(doc && wn_http_opts_parse(wn_cfg_get(doc->root, "http"), &o, &c.d) == 8);
	const char *t = cap_text(&c);
	CHECK(CONTAINS(t, "t.yaml:2:12: error: http.timeout must be a duration from 1ms to "
	                  "1099511627776ms, not '0'"));
	CHECK(CONTAINS(t, "t.yaml:3:3: error: unknown key 'timout' in http (did you mean "
	                  "'timeout'?)"));
	CHECK(CONTAINS(t, "t.yaml:4:23: error: http.accept must not hold an empty item"));
	CHECK(CONTAINS(t, "t.yaml:5:15: error: http.user_agent must not be empty"));
	CHECK(CONTAINS(t, "t.yaml:6:15: error: http.verify_tls must be true or false, not "
	                  "'maybe'"));
	CHECK(CONTAINS(t, "t.yaml:7:12: error: http.retries must be an integer from 0 to 100, "
	                  "not 'lots'"));
	CHECK(CONTAINS(t, "t.yaml:8:13: error: http.max_body must be a size like 512, 64KiB or "
	                  "10MB, not '12XB'"));
	CHECK(CONTAINS(t, "t.yaml:9:10: error: http.delay must be a duration, not a list"));
	/* Refused values leave the defaults. */
	CHECK(o.timeout_ms == 30000 && o.verify_tls == 1 && o.retries == 3);
	CHECK(o.accept && o.accept[2] && !o.accept[3]);
	wn_http_opts_free(&o);
	wn_cfg_free(doc);
	cap_close(&c);
}

static int build(const char *text, wn_config *cfg, capture *c)
{
	wn_cfg_doc *doc = load(text, c);
	return doc ? wn_config_build(doc, cfg, &c->d) : -2;
}

/* Null and empty values keep what the hand-written parsers gave them. */
static void test_null_and_empty(void)
{
	capture c;
	cap_open(&c);
	wn_config cfg;
	CHECK(build("version: 1\n"
	            "run: {record_timeout: null, retry_backoff: ~, metrics: , time_budget: ,\n"
	            "      name: '', state: null, plugin_path: [a, /b], output_dir: ~}\n"
	            "dead_letter: {path: '', drops: }\n"
	            "dedup: {field: '', threshold: 1}\n"
	            "sources: [{use: a, retry: 0}]\n"
	            "sinks: [{use: b, on_error: skip, retry: {max: 1, backoff: 1s}}]\n",
	            &cfg, &c) == 0);
	if (c.d.errors) {
		fprintf(stderr, "%s", cap_text(&c));
		cap_close(&c);
		return;
	}
	CHECK(cfg.record_timeout_ms == 0 && cfg.retry_backoff_ms == 0 && cfg.time_budget_ms == 0);
	CHECK_STR(cfg.metrics, "");
	CHECK_STR(cfg.name, "t");
	CHECK(cfg.state == NULL);
	CHECK_STR(cfg.output_dir, "/cfg/output");
	CHECK_STR(cfg.lock, "/cfg/output/.winnow.lock");
	CHECK(cfg.plugin_path && !cfg.plugin_path[2]);
	CHECK_STR(cfg.plugin_path[0], "/cfg/a");
	CHECK_STR(cfg.plugin_path[1], "/b");
	CHECK_STR(cfg.dead_letter, "dead_letter.jsonl");
	CHECK_STR(cfg.drop_log, "");
	CHECK_STR(cfg.dedup.field, "text");
	CHECK(cfg.dedup.threshold == 1 && cfg.dedup.exact == 1 && cfg.dedup.shingle == 5);
	CHECK(cfg.record_timeout_ms == 0 && cfg.on_change == WN_ON_CHANGE_SKIP);
	CHECK(cfg.stages[0].retry.max == 0 && cfg.stages[0].retry.backoff_ms == 200);
	CHECK(cfg.stages[1].on_error == WN_ON_ERROR_SKIP && cfg.stages[1].retry.max == 1 &&
	      cfg.stages[1].retry.backoff_ms == 1000 &&
	      cfg.stages[1].retry.max_backoff_ms == 30000);
	wn_config_free(&cfg);
	/* The defaults that are written nowhere but in the tables. */
	CHECK(build("version: 1\nsources: [{use: a}]\nsinks: [{use: b}]\n", &cfg, &c) == 0);
	CHECK(cfg.record_timeout_ms == 600000 && cfg.retry_backoff_ms == 3600000);
	CHECK(cfg.gone_after == 3 && cfg.keep == 0 && cfg.max_record_bytes == 64 << 20);
	CHECK_STR(cfg.metrics, "metrics.prom");
	CHECK_STR(cfg.drop_log, "dropped.jsonl");
	CHECK(cfg.dedup.near == 1 && cfg.dedup.threshold == 0.8);
	wn_config_free(&cfg);
	cap_close(&c);
}

/* The wording every section shares. */
static void test_engine_errors(void)
{
	capture c;
	cap_open(&c);
	wn_config cfg;
	CHECK(build("version: 1\n"
	            "run: {output_dir: '', max_record_size: 12, on_change: updat, queue: 0,\n"
	            "      state: ''}\n"
	            "dedup: {threshold: 0, exact: sometimes, shingle: [1]}\n"
	            "sources: [{use: a, retry: many, on_error: fial}]\n"
	            "sinks: [{use: b, retry: [1]}]\n",
	            &cfg, &c) == WN_E_CONFIG);
	const char *t = cap_text(&c);
	CHECK(CONTAINS(t, "t.yaml:2:19: error: run.output_dir must not be empty"));
	CHECK(CONTAINS(t, "error: run.max_record_size must be a size of at least 1KiB, not '12'"));
	CHECK(CONTAINS(t, "error: run.on_change must be skip or update, not 'updat' (did you "
	                  "mean 'update'?)"));
	CHECK(CONTAINS(t, "error: run.queue must be an integer from 1 to 65536, not '0'"));
	CHECK(CONTAINS(t, "t.yaml:3:14: error: run.state must not be empty"));
	CHECK(CONTAINS(t, "t.yaml:4:20: error: dedup.threshold must be a number in (0, 1], not "
	                  "'0'"));
	CHECK(CONTAINS(t, "error: dedup.exact must be true or false, not 'sometimes'"));
	CHECK(CONTAINS(t, "error: dedup.shingle must be an integer, not a list"));
	CHECK(CONTAINS(t, "t.yaml:5:27: error: stage 'a': retry.max must be an integer from 0 to "
	                  "100, not 'many'"));
	CHECK(CONTAINS(t, "error: stage 'a': on_error must be dead_letter, drop, skip or fail, "
	                  "not 'fial' (did you mean 'fail'?)"));
	CHECK(CONTAINS(t, "t.yaml:6:25: error: stage 'b': retry must be a count, or a mapping"));
	CHECK(c.d.errors == 11);
	cap_close(&c);
}

/* A new key is one row: here a toy section grows a duration, and the
 * validator parses, bounds, defaults and prints it with no other code. */
typedef struct grown {
	int64_t wait_ms;
	char **tags;
} grown;

static void test_one_row(void)
{
	static const wn_key keys[] = {
	    {.opt = {.name = "wait",
	             .type = WN_OPT_DURATION,
	             .def = "5s",
	             .offset = offsetof(grown, wait_ms),
	             .help = "how long",
	             .min = 1000,
	             .max = 60000}},
	    {.opt = {.name = "tags",
	             .type = WN_OPT_LIST,
	             .def = "[a, b]",
	             .offset = offsetof(grown, tags),
	             .help = "labels"}},
	    {.opt = {.name = NULL}},
	};
	static const wn_section s = {"toy", "a grown table", keys, sizeof(grown)};
	capture c;
	cap_open(&c);
	CHECK(wn_section_check(&s, &c.d) == 0);
	wn_cfg_doc *doc = load("toy: {wait: 2m, tags: x}\n", &c);
	grown g = {0};
	wn_apply a = {.d = &c.d};
	CHECK(wn_section_apply(&s, wn_cfg_get(doc->root, "toy"), &g, &a) == 1);
	CHECK(CONTAINS(cap_text(&c), "t.yaml:1:13: error: toy.wait must be a duration from 1s to "
	                             "1m, not '2m'"));
	CHECK(g.wait_ms == 5000 && g.tags && !g.tags[1]);
	CHECK_STR(g.tags[0], "x");
	wn_section_free(&s, &g);
	CHECK(g.tags == NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	wn_section_print(&s, f);
	wn_section_markdown(&s, f);
	fclose(f);
	CHECK(CONTAINS(buf, "  wait  duration  5s       1s..1m  how long\n"));
	CHECK(CONTAINS(buf, "| `tags` | list | `[a, b]` | - | labels |\n"));
	free(buf);
	wn_cfg_free(doc);
	cap_close(&c);
}

int main(void)
{
	test_tables_sound();
	test_bad_table();
	test_http_defaults();
	test_http_values();
	test_http_errors();
	test_null_and_empty();
	test_engine_errors();
	test_one_row();
	return check_finish();
}
