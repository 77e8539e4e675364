/*
 * clean_html: the transform plugin. A thin wrapper over wn_clean_page():
 * reads `raw` (+ `content_type`, `url`), writes the metadata fields, `text`
 * `word_count`, `page_type` and `page_type_confidence`. Non-HTML records
 * pass through untouched.
 */
#include "wn_clean.h"

#include <math.h>

#include <libxml/parser.h>
#include <stddef.h>
#include <winnow/plugin.h>

typedef struct state {
	int64_t max_size;
	int64_t min_text;
	int keep_tables;
	int keep_headings;
	int keep_lists;
} state;

static const wn_option options[] = {
    {"max_size", WN_OPT_SIZE, "16MiB", 0, offsetof(state, max_size),
     "pages larger than this are an error (reason too_large)", NULL, 1, 1e12},
    {"min_text", WN_OPT_INT, "25", 0, offsetof(state, min_text),
     "minimum characters for a paragraph to count when scoring content blocks", NULL, 0, 10000},
    {"keep_tables", WN_OPT_BOOL, "true", 0, offsetof(state, keep_tables),
     "keep tables that are part of the article (cells tab-separated, rows on lines)", NULL, 0, 0},
    {"keep_headings", WN_OPT_BOOL, "true", 0, offsetof(state, keep_headings),
     "keep the article's subheadings (h2-h6) in text", NULL, 0, 0},
    {"keep_lists", WN_OPT_BOOL, "true", 0, offsetof(state, keep_lists),
     "keep bulleted and numbered lists that are part of the article", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const needs[] = {"raw", NULL};
static const char *const gives[] = {"title",     "author",
                                    "published", "modified",
                                    "lang",      "canonical_url",
                                    "site_name", "description",
                                    "image",     "tags",
                                    "text",      "word_count",
                                    "page_type", "page_type_confidence",
                                    NULL};

static int clean_init(const wn_ctx *cx)
{
	xmlInitParser(); /* idempotent; makes later parses thread-safe */
	return WN_OK;
}

static void clean_fini(const wn_ctx *cx)
{
	/* nothing allocated per instance; xmlCleanupParser is process-wide
	 * and must not run while other instances parse */
}

static int set_opt(const wn_ctx *cx, wn_record *r, const char *name, const char *v)
{
	return v ? cx->api->set_str(r, name, v) : WN_OK;
}

static int clean_process(const wn_ctx *cx, wn_record *r)
{
	const wn_host_api *api = cx->api;
	const state *st = cx->state;
	size_t n = 0;
	const char *raw = api->get_str(r, "raw", &n);
	if (!raw) {
		api->reason(r, "no_raw", "record has no raw field to clean");
		return WN_ERROR;
	}
	wn_clean_opts o;
	wn_clean_opts_init(&o);
	o.max_size = st->max_size;
	o.min_text = st->min_text;
	o.keep_tables = st->keep_tables;
	o.keep_headings = st->keep_headings;
	o.keep_lists = st->keep_lists;
	wn_clean_doc d;
	int rc = wn_clean_page(raw, n, api->get_str(r, "content_type", NULL),
	                       api->get_str(r, "url", NULL), &o, &d);
	if (rc == WN_CLEAN_NOT_HTML) {
		api->count(cx, "not_html", 1);
		return WN_OK;
	}
	if (rc == WN_CLEAN_ERROR) {
		api->reason(r, d.err_code, "%s", d.err_msg);
		return WN_ERROR;
	}
	const struct {
		const char *name;
		const char *v;
	} f[] = {{"title", d.title},         {"author", d.author},
	         {"published", d.published}, {"modified", d.modified},
	         {"lang", d.lang},           {"canonical_url", d.canonical_url},
	         {"site_name", d.site_name}, {"description", d.description},
	         {"image", d.image},         {"tags", d.tags}};
	int err = WN_OK;
	for (size_t i = 0; i < sizeof f / sizeof f[0] && !err; i++)
		err = set_opt(cx, r, f[i].name, f[i].v);
	if (!err)
		err = api->set(r, "text", WN_T_STR, d.text, d.text_len);
	if (!err)
		err = api->set_int(r, "word_count", d.word_count);
	if (!err && d.page_type)
		err = api->set_str(r, "page_type", d.page_type);
	if (!err && d.page_type) /* three decimals: the model is not finer */
		err = api->set_real(r, "page_type_confidence",
		                    round(d.page_type_confidence * 1000) / 1000);
	if (!err && d.word_count == 0)
		api->count(cx, "empty_text", 1);
	wn_clean_doc_free(&d);
	return err ? WN_ERROR : WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_clean_html = {
    WN_PLUGIN_HEADER,
    WN_KIND_TRANSFORM,
    "clean_html",
    "1.0.0",
    "HTML to article text and metadata (libxml2): decode, parse, main content, JSON-LD",
    options,
    sizeof(state),
    needs,
    gives,
    clean_init,
    clean_fini,
    NULL,
    clean_process,
    NULL,
    NULL,
    NULL};
