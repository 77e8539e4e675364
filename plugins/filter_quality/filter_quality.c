/*
 * filter_quality: drops records whose `text` fails a quality rule, or
 * whose page type is not one the job keeps. Each
 * drop gives the rule's name as the reason code (counted per rule in
 * run.json) and the measured value in the message. Rules and thresholds
 * are the options; the measuring is in quality.c.
 */
#include <stddef.h>
#include <winnow/plugin.h>

#include "quality.h"

typedef struct fq_state {
	wn_quality_rules rules; /* options, written by the host */
} fq_state;

#define FQ_OFF(m) offsetof(fq_state, rules) + offsetof(wn_quality_rules, m)

static const wn_option fq_options[] = {
    {"min_words", WN_OPT_INT, "50", 0, FQ_OFF(min_words), "fewest words (0: off)", NULL, 0, 1e9},
    {"min_sentences", WN_OPT_INT, "3", 0, FQ_OFF(min_sentences), "fewest sentences (0: off)", NULL,
     0, 1e9},
    {"max_symbol_ratio", WN_OPT_REAL, "0.1", 0, FQ_OFF(max_symbol_ratio),
     "largest share of symbol characters among non-space characters (1: off)", NULL, 0, 1},
    {"max_link_ratio", WN_OPT_REAL, "0.2", 0, FQ_OFF(max_link_ratio),
     "largest share of characters inside URLs (1: off)", NULL, 0, 1},
    {"max_repeated_line_ratio", WN_OPT_REAL, "0.3", 0, FQ_OFF(max_repeated_line_ratio),
     "largest share of lines repeating an earlier line (1: off)", NULL, 0, 1},
    {"langs", WN_OPT_LIST, NULL, 0, FQ_OFF(langs),
     "allowed languages (ISO codes, matched on `lang`); empty: any", NULL, 0, 0},
    {"page_types", WN_OPT_LIST, NULL, 0, FQ_OFF(page_types),
     "page types kept (matched on clean_html's `page_type`: article, forum, listing, ...); a "
     "record without a page type (text that was never a page) passes; empty: any",
     NULL, 0, 0},
    {"min_page_type_confidence", WN_OPT_REAL, "0", 0, FQ_OFF(min_page_type_confidence),
     "a record typed with less confidence (`page_type_confidence`) is dropped (0: off)", NULL, 0,
     1},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const fq_needs[] = {"text", NULL};

/* The record's page_type_confidence, 0 when absent (an unsure type). */
static double type_confidence(const wn_host_api *api, const wn_record *r)
{
	int type = WN_T_NONE;
	const void *v = api->get(r, "page_type_confidence", &type, NULL);
	if (v && type == WN_T_REAL)
		return *(const double *)v;
	if (v && type == WN_T_INT)
		return (double)*(const int64_t *)v;
	return 0;
}

static int fq_process(const wn_ctx *cx, wn_record *r)
{
	const wn_host_api *api = cx->api;
	fq_state *st = cx->state;
	size_t n = 0;
	const char *text = api->get_str(r, "text", &n);
	wn_quality_stats qs;
	const char *rule;
	char msg[160];

	rule = wn_quality_check_type(&st->rules, api->get_str(r, "page_type", NULL),
	                             type_confidence(api, r), msg, sizeof msg);
	if (rule) {
		api->reason(r, rule, "%s", msg);
		return WN_DROP;
	}
	if (wn_quality_measure(text ? text : "", text ? n : 0, &qs)) {
		api->reason(r, "out_of_memory", "filter_quality: out of memory");
		return WN_ERROR;
	}
	rule = wn_quality_check(&st->rules, &qs, api->get_str(r, "lang", NULL), msg, sizeof msg);
	if (rule) {
		api->reason(r, rule, "%s", msg);
		return WN_DROP;
	}
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_filter_quality = {
    WN_PLUGIN_HEADER,
    WN_KIND_TRANSFORM,
    "filter_quality",
    "1.1.0",
    "Drops texts that are too short, not prose, symbol- or link-heavy, repetitive or in "
    "an unwanted language, and pages of a type not kept; the reason code is the rule's name",
    fq_options,
    sizeof(fq_state),
    fq_needs,
    NULL,
    NULL,
    NULL,
    NULL,
    fq_process,
    NULL,
    NULL,
    NULL};
