/*
 * clean_text: the transform that turns a record's scraped text into clean
 * article text. Reads `text` (or, when absent, `raw` bytes decoded by BOM,
 * `content_type` charset, UTF-8 or windows-1252), writes the cleaned `text`,
 * `title` (when not already set and the first line reads as a headline) and
 * `word_count`. The work is done by clean_core.c; this file only adapts it
 * to the plugin ABI and tells the core when the text is an article
 * already: it came out of clean_html (see from_html), or the `input`
 * option says so.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <winnow/plugin.h>

#include "clean_core.h"
#include "site_clean.h"
#include "site_memory.h"
#include "text_norm.h"

/* The default phrase list, generated from junk-phrases.txt. */
extern const char wn_junk_phrases_default[];
extern const size_t wn_junk_phrases_default_len;

typedef struct ct_state {
	const char *phrases_path;  /* option: extra phrases file */
	double junk_score;         /* option: drop threshold */
	int default_phrases;       /* option: use the built-in list */
	const char *memory_path;   /* option site_memory: file kept between runs */
	int64_t min_pages;         /* option site_min_pages: 0 = no site memory */
	int64_t max_sites;         /* option site_memory_sites */
	int64_t max_lines;         /* option site_memory_lines */
	int input;                 /* option: INPUT_AUTO or INPUT_ARTICLE */
	wn_phrases *phrases;       /* built in init, freed in fini */
	wn_sitemem_shared *shared; /* with site_memory: the file's memory */
} ct_state;

/* The `input` option's choices, in its order. */
enum { INPUT_AUTO, INPUT_ARTICLE };

static const wn_option ct_options[] = {
    {"phrases", WN_OPT_PATH, NULL, 0, offsetof(ct_state, phrases_path),
     "extra junk phrases file (junk-phrases.txt format), added to the built-in list", NULL, 0, 0},
    {"default_phrases", WN_OPT_BOOL, "true", 0, offsetof(ct_state, default_phrases),
     "use the built-in multilingual junk phrase list", NULL, 0, 0},
    {"junk_score", WN_OPT_REAL, "3", 0, offsetof(ct_state, junk_score),
     "rule junk score at which a line is dropped whatever the line model says (lower drops "
     "more)",
     NULL, 0.5, 20},
    {"site_min_pages", WN_OPT_INT, "3", 0, offsetof(ct_state, min_pages),
     "a line found on this many pages of one site (the url's host), in the batch or in the "
     "site_memory file, is that site's boilerplate and dropped; 0 turns the site memory off",
     NULL, 0, 1000000},
    {"site_memory", WN_OPT_PATH, NULL, 0, offsetof(ct_state, memory_path),
     "file that keeps the per-site line counts between runs (read at the start, updated "
     "when the run ends); none: each batch learns on its own",
     NULL, 0, 0},
    {"site_memory_sites", WN_OPT_INT, "1000", 0, offsetof(ct_state, max_sites),
     "sites the site_memory file keeps at most (the most recently seen)", NULL, 1, 1000000},
    {"site_memory_lines", WN_OPT_INT, "1000", 0, offsetof(ct_state, max_lines),
     "lines per site the site_memory file keeps at most (the most frequent)", NULL, 1, 1000000},
    {"input", WN_OPT_ENUM, "auto", 0, offsetof(ct_state, input),
     "what the text is: auto (clean_html's text is known by its HTML raw; any other text "
     "is a page's, cleaned in full) or article (every text is an article already, from "
     "another extractor: only normalised, and phrase-list lines and a headline copy go, "
     "as for clean_html's text)",
     "auto|article", 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const ct_gives[] = {"text", "title", "word_count", NULL};

static void ct_fini(const wn_ctx *cx)
{
	ct_state *st = cx->state;

	wn_phrases_free(st->phrases);
	st->phrases = NULL;
	if (st->shared) {
		char err[512];
		if (wn_sitemem_shared_close(st->shared, err, sizeof err))
			cx->api->log(cx, WN_LOG_ERROR, "site memory not saved: %s", err);
		st->shared = NULL;
	}
}

/* Builds the phrase list: built-in, then the user's file. */
static int ct_init(const wn_ctx *cx)
{
	ct_state *st = cx->state;
	int bad = 0;

	st->phrases = wn_phrases_new();
	if (!st->phrases)
		return WN_FATAL;
	if (st->default_phrases && wn_phrases_parse(st->phrases, wn_junk_phrases_default,
	                                            wn_junk_phrases_default_len, &bad)) {
		cx->api->log(cx, WN_LOG_ERROR, "out of memory loading the junk phrases");
		ct_fini(cx); /* fini is not called when init fails */
		return WN_FATAL;
	}
	if (st->phrases_path && wn_phrases_load(st->phrases, st->phrases_path, &bad)) {
		cx->api->log(cx, WN_LOG_ERROR, "%s: %s", st->phrases_path, strerror(errno));
		ct_fini(cx);
		return WN_FATAL;
	}
	if (bad)
		cx->api->log(cx, WN_LOG_WARN, "%d junk phrase line(s) skipped: no =, ^, ~ or >",
		             bad);
	if (st->memory_path && st->min_pages > 0) {
		char err[512];
		st->shared = wn_sitemem_shared_open(st->memory_path, (size_t)st->max_sites,
		                                    (size_t)st->max_lines, err, sizeof err);
		if (!st->shared) {
			cx->api->log(cx, WN_LOG_ERROR, "site_memory: %s", err);
			ct_fini(cx);
			return WN_FATAL;
		}
	}
	return WN_OK;
}

/* The record's text as UTF-8: `text`, else decoded `raw`. *owned gets a
 * malloc'd copy when decoding was needed. NULL when there is none. */
static const char *record_text(const wn_ctx *cx, wn_record *r, size_t *len, char **owned)
{
	const wn_host_api *api = cx->api;
	int type = WN_T_NONE;
	const char *s = api->get(r, "text", &type, len);

	*owned = NULL;
	if (s && type == WN_T_STR)
		return s;
	if (!s || type != WN_T_BYTES) /* text given as bytes is decoded too */
		s = api->get(r, "raw", &type, len);
	if (!s || (type != WN_T_STR && type != WN_T_BYTES))
		s = NULL;
	if (s) {
		*owned = wn_text_decode(s, *len, api->get_str(r, "content_type", NULL), len);
		return *owned;
	}
	return NULL;
}

/* True when the record's text came out of clean_html: it has a `text` and
 * the `raw` page it was extracted from is HTML (clean_html leaves `raw` in
 * place and sets `text` only for HTML pages). */
static int from_html(const wn_ctx *cx, wn_record *r)
{
	const wn_host_api *api = cx->api;
	const char *ct = api->get_str(r, "content_type", NULL);
	int type = WN_T_NONE;
	size_t n = 0, i = 0;
	const char *raw;

	if (!api->get(r, "text", &type, &n) || type != WN_T_STR)
		return 0;
	raw = api->get(r, "raw", &type, &n);
	if (!raw || (type != WN_T_STR && type != WN_T_BYTES))
		return 0;
	if (ct && strstr(ct, "html"))
		return 1;
	while (i < n && i < 1024 &&
	       (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\r' || raw[i] == '\n' ||
	        (unsigned char)raw[i] >= 0x80))
		i++; /* spaces and a BOM */
	return i < n && raw[i] == '<';
}

/* The options every record is cleaned with. */
static wn_clean_opts base_opts(const ct_state *st)
{
	wn_clean_opts o = {.phrases = st->phrases, .threshold = st->junk_score};
	return o;
}

/* Writes a cleaning's result into the record and frees it. */
static int store(const wn_ctx *cx, wn_record *r, wn_clean_result *res, int has_title)
{
	const wn_host_api *api = cx->api;
	int rc = api->set(r, "text", WN_T_STR, res->text, res->text_len);

	if (!rc && res->title && !has_title)
		rc = api->set_str(r, "title", res->title);
	if (!rc)
		rc = api->set_int(r, "word_count", (int64_t)res->words);
	api->count(cx, "lines_dropped", (int64_t)res->dropped);
	if (res->site_dropped)
		api->count(cx, "site_lines_dropped", (int64_t)res->site_dropped);
	if (res->title && !has_title)
		api->count(cx, "titles_found", 1);
	wn_clean_result_free(res);
	return rc;
}

/* One record of a batch: its text and site, read before cleaning. */
typedef struct batch_item {
	char site[256]; /* "" when the record's url has no host */
	char *owned;    /* decoded raw bytes, freed after the batch */
	wn_clean_result res;
} batch_item;

/* Reads record r into page p; WN_OK, or WN_DROP with the reason set. */
static int read_record(const wn_ctx *cx, wn_record *r, wn_site_page *p, batch_item *it)
{
	const wn_host_api *api = cx->api;
	const char *url = api->get_str(r, "url", NULL);

	p->text = record_text(cx, r, &p->len, &it->owned);
	if (!p->text) {
		api->reason(r, "no_text", "neither a text nor a raw field to clean");
		return WN_DROP;
	}
	/* text that is an article already loses only what no extractor could
	 * know: run through the page model it loses article lines (README) */
	p->from_html = ((const ct_state *)cx->state)->input == INPUT_ARTICLE || from_html(cx, r);
	p->known_title = api->get_str(r, "title", NULL);
	if (p->known_title && !*p->known_title)
		p->known_title = NULL;
	if (!url || wn_sitemem_site_of(url, it->site, sizeof it->site))
		it->site[0] = '\0';
	p->site = it->site;
	return WN_OK;
}

/* A batch: the site memory needs the whole batch at once (site_clean.h:
 * two passes, so the output depends on the batch and on the memory as
 * the run started, not on which worker ran which batch first). Titles
 * and text are read before any record is written. */
static int ct_batch(const wn_ctx *cx, wn_record *const *recs, int *rcs, size_t n)
{
	ct_state *st = cx->state;
	const wn_sitemem *before = st->shared ? wn_sitemem_shared_snapshot(st->shared) : NULL;
	wn_site_page *pages = calloc(n ? n : 1, sizeof *pages);
	batch_item *it = calloc(n ? n : 1, sizeof *it);
	wn_clean_result *res = calloc(n ? n : 1, sizeof *res);
	wn_sitemem *learnt = st->shared ? wn_sitemem_new(0, 0) : NULL;
	wn_clean_opts o = base_opts(st);
	int rc = !pages || !it || !res || (st->shared && !learnt);

	for (size_t i = 0; i < n && !rc; i++)
		rcs[i] = read_record(cx, recs[i], &pages[i], &it[i]);
	if (!rc)
		rc =
		    wn_clean_site_batch(pages, n, &o, before, (uint32_t)st->min_pages, learnt, res);
	for (size_t i = 0; i < n; i++) {
		if (rc) {
			cx->api->reason(recs[i], "out_of_memory", "clean_text: out of memory");
			rcs[i] = WN_ERROR;
		} else if (rcs[i] == WN_OK) {
			rcs[i] = store(cx, recs[i], &res[i], pages[i].known_title != NULL);
		}
		free(it ? it[i].owned : NULL);
	}
	if (!rc && learnt && wn_sitemem_shared_add(st->shared, learnt))
		cx->api->log(cx, WN_LOG_WARN, "site memory: out of memory; a batch not remembered");
	wn_sitemem_free(learnt);
	free(pages);
	free(it);
	free(res);
	return WN_OK;
}

static int ct_process(const wn_ctx *cx, wn_record *r)
{
	int rc = WN_OK;

	ct_batch(cx, &r, &rc, 1);
	return rc;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_clean_text = {
    WN_PLUGIN_HEADER,
    WN_KIND_TRANSFORM,
    "clean_text",
    "1.0.0",
    "Cleans article text: Unicode normalisation, junk removal by generic signals "
    "(widgets, credits, navigation, author boxes, teasers) and a trained line model, "
    "the story's end, headline detection, lines a site repeats on many pages (site memory); "
    "text from clean_html is only tidied",
    ct_options,
    sizeof(ct_state),
    NULL, /* reads `text`, or `raw` and `content_type` when there is no text */
    ct_gives,
    ct_init,
    ct_fini,
    NULL,
    ct_process,
    ct_batch,
    NULL,
    NULL};
