/*
 * lang_detect: sets `lang` (ISO 639-1) and `lang_confidence` (0..1) from a
 * record's `title` and `text`. A `lang` the page already declared is kept
 * unless the detector is confident (override_confidence) that it is wrong;
 * each such override is counted as "lang_overridden". The work is done by
 * lang_core.c; this file adapts it to the plugin ABI.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <winnow/plugin.h>

#include "lang_core.h"

#ifndef WN_TEXTCAT_DIR
#define WN_TEXTCAT_DIR "/usr/share/libexttextcat"
#endif

typedef struct ld_state {
	const char *data_dir;       /* option */
	const char *const *langs;   /* option */
	double override_confidence; /* option */
	int64_t max_bytes;          /* option */
	wn_langid *id;              /* opened in init */
} ld_state;

static const wn_option ld_options[] = {
    {"data_dir", WN_OPT_PATH, "\"" WN_TEXTCAT_DIR "\"", 0, offsetof(ld_state, data_dir),
     "folder with libexttextcat's fpdb.conf and *.lm language models", NULL, 0, 0},
    {"langs", WN_OPT_LIST, NULL, 0, offsetof(ld_state, langs),
     "only answer these ISO codes (fewer candidates, fewer confusions); empty = all", NULL, 0, 0},
    {"override_confidence", WN_OPT_REAL, "0.9", 0, offsetof(ld_state, override_confidence),
     "confidence needed to replace a lang the page declared", NULL, 0, 1},
    {"max_bytes", WN_OPT_SIZE, "4KB", 0, offsetof(ld_state, max_bytes),
     "bytes of text read for detection", NULL, 64, 1 << 24},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const ld_needs[] = {"text", NULL};
static const char *const ld_gives[] = {"lang", "lang_confidence", NULL};

static int ld_init(const wn_ctx *cx)
{
	ld_state *st = cx->state;
	char err[256];

	st->id = wn_langid_open(st->data_dir ? st->data_dir : WN_TEXTCAT_DIR, st->langs, err,
	                        sizeof err);
	if (!st->id) {
		cx->api->log(cx, WN_LOG_ERROR, "%s", err);
		return WN_FATAL;
	}
	return WN_OK;
}

static void ld_fini(const wn_ctx *cx)
{
	ld_state *st = cx->state;

	wn_langid_close(st->id);
	st->id = NULL;
}

/* Title and the start of the text as one sample (the title alone is too
 * short, and an English title on a foreign text is rare). */
static char *sample(const char *title, const char *text, size_t tlen, size_t max)
{
	size_t a = title ? strlen(title) : 0, b = tlen < max ? tlen : max;
	char *s = malloc(a + b + 2);

	if (!s)
		return NULL;
	memcpy(s, title ? title : "", a);
	s[a] = '\n';
	memcpy(s + a + 1, text, b);
	s[a + 1 + b] = '\0';
	return s;
}

static int ld_process(const wn_ctx *cx, wn_record *r)
{
	const wn_host_api *api = cx->api;
	ld_state *st = cx->state;
	size_t tlen = 0;
	const char *text = api->get_str(r, "text", &tlen);
	const char *page = api->get_str(r, "lang", NULL);
	char code[12];
	double conf;
	char *s;
	int rc;

	if (!text || !*text) {
		api->count(cx, "no_text", 1);
		return WN_OK;
	}
	s = sample(api->get_str(r, "title", NULL), text, tlen, (size_t)st->max_bytes);
	if (!s) {
		api->reason(r, "out_of_memory", "lang_detect: out of memory");
		return WN_ERROR;
	}
	if (wn_langid_detect(st->id, s, strlen(s), (size_t)st->max_bytes, code, &conf))
		api->count(cx, "undetermined", 1);
	free(s);
	if (page && *page) {
		if (wn_lang_same(page, code)) /* agreed: keep the page's own tag */
			return api->set_real(r, "lang_confidence", conf);
		/* disagreed, but not sure enough: the page wins, with the
		 * detector's doubt as its confidence */
		if (conf < st->override_confidence || !strcmp(code, WN_LANG_UNDETERMINED))
			return api->set_real(r, "lang_confidence", 1.0 - conf);
		api->count(cx, "lang_overridden", 1);
	}
	rc = api->set_str(r, "lang", code);
	if (!rc)
		rc = api->set_real(r, "lang_confidence", conf);
	return rc;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_lang_detect = {
    WN_PLUGIN_HEADER,
    WN_KIND_TRANSFORM,
    "lang_detect",
    "1.0.0",
    "Detects the language of `text` (ISO 639-1 + confidence) with libexttextcat n-grams "
    "and script rules; keeps a page-declared lang unless confidently wrong",
    ld_options,
    sizeof(ld_state),
    ld_needs,
    ld_gives,
    ld_init,
    ld_fini,
    NULL,
    ld_process,
    NULL,
    NULL,
    NULL};
