/*
 * clean_text: the transform that turns a record's scraped text into clean
 * article text. Reads `text` (or, when absent, `raw` bytes decoded by BOM,
 * `content_type` charset, UTF-8 or windows-1252), writes the cleaned `text`,
 * `title` (when not already set and the first line reads as a headline) and
 * `word_count`. The work is done by clean_core.c; this file only adapts it
 * to the plugin ABI and tells the core when the text came out of
 * clean_html (see from_html).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <winnow/plugin.h>

#include "clean_core.h"
#include "text_norm.h"

/* The default phrase list, generated from junk-phrases.txt. */
extern const char wn_junk_phrases_default[];
extern const size_t wn_junk_phrases_default_len;

typedef struct ct_state {
	const char *phrases_path; /* option: extra phrases file */
	double junk_score;        /* option: drop threshold */
	int default_phrases;      /* option: use the built-in list */
	wn_phrases *phrases;      /* built in init, freed in fini */
} ct_state;

static const wn_option ct_options[] = {
    {"phrases", WN_OPT_PATH, NULL, 0, offsetof(ct_state, phrases_path),
     "extra junk phrases file (junk-phrases.txt format), added to the built-in list", NULL, 0, 0},
    {"default_phrases", WN_OPT_BOOL, "true", 0, offsetof(ct_state, default_phrases),
     "use the built-in multilingual junk phrase list", NULL, 0, 0},
    {"junk_score", WN_OPT_REAL, "3", 0, offsetof(ct_state, junk_score),
     "rule junk score at which a line is dropped whatever the line model says (lower drops "
     "more)",
     NULL, 0.5, 20},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const ct_gives[] = {"text", "title", "word_count", NULL};

static void ct_fini(const wn_ctx *cx)
{
	ct_state *st = cx->state;

	wn_phrases_free(st->phrases);
	st->phrases = NULL;
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

static int ct_process(const wn_ctx *cx, wn_record *r)
{
	const wn_host_api *api = cx->api;
	ct_state *st = cx->state;
	wn_clean_opts o = {.phrases = st->phrases, .threshold = st->junk_score};
	wn_clean_result res;
	char *owned;
	size_t len;
	const char *text = record_text(cx, r, &len, &owned);
	int rc;

	if (!text) {
		api->reason(r, "no_text", "neither a text nor a raw field to clean");
		return WN_DROP;
	}
	o.from_html = from_html(cx, r);
	o.known_title = api->get_str(r, "title", NULL);
	if (o.known_title && !*o.known_title)
		o.known_title = NULL;
	rc = wn_clean_text(text, len, &o, &res);
	free(owned);
	if (rc) {
		api->reason(r, "out_of_memory", "clean_text: out of memory");
		return WN_ERROR;
	}
	rc = api->set(r, "text", WN_T_STR, res.text, res.text_len);
	if (!rc && res.title && !o.known_title)
		rc = api->set_str(r, "title", res.title);
	if (!rc)
		rc = api->set_int(r, "word_count", (int64_t)res.words);
	api->count(cx, "lines_dropped", (int64_t)res.dropped);
	if (res.title && !o.known_title)
		api->count(cx, "titles_found", 1);
	wn_clean_result_free(&res);
	return rc;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_clean_text = {
    WN_PLUGIN_HEADER,
    WN_KIND_TRANSFORM,
    "clean_text",
    "1.0.0",
    "Cleans article text: Unicode normalisation, junk removal by generic signals "
    "(widgets, credits, navigation, author boxes, teasers) and a trained line model, "
    "the story's end, headline detection; text from clean_html is only tidied",
    ct_options,
    sizeof(ct_state),
    NULL, /* reads `text`, or `raw` and `content_type` when there is no text */
    ct_gives,
    ct_init,
    ct_fini,
    NULL,
    ct_process,
    NULL,
    NULL,
    NULL};
