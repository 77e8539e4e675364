/*
 * filter_quality core: measures a text (words, sentences, symbol, link and
 * repeated-line ratios) and checks it against thresholds. The rule that
 * fails is named by its option name, so run.json counts drops per rule.
 */
#ifndef WN_QUALITY_H
#define WN_QUALITY_H

#include <stddef.h>
#include <stdint.h>

typedef struct wn_quality_rules {
	int64_t min_words;               /* 0: off */
	int64_t min_sentences;           /* 0: off */
	double max_symbol_ratio;         /* >= 1: off */
	double max_link_ratio;           /* >= 1: off */
	double max_repeated_line_ratio;  /* >= 1: off */
	const char *const *langs;        /* NULL or empty: any language */
	const char *const *page_types;   /* NULL or empty: any page type */
	double min_page_type_confidence; /* <= 0: off */
} wn_quality_rules;

typedef struct wn_quality_stats {
	size_t words;
	size_t sentences;      /* sentence-final punctuation followed by a break */
	size_t nonspace;       /* characters that are not white space */
	size_t symbols;        /* of those, symbols and unusual punctuation */
	size_t link_chars;     /* of those, inside URLs */
	size_t lines;          /* non-empty lines */
	size_t repeated_lines; /* non-empty lines equal to an earlier one */
} wn_quality_stats;

/* Measures n bytes of UTF-8 text. Returns 0, or -1 when out of memory. */
int wn_quality_measure(const char *text, size_t n, wn_quality_stats *st);

/* Checks a measured text and its language (NULL when unknown) against the
 * rules, in the order langs, min_words, min_sentences, max_symbol_ratio,
 * max_link_ratio, max_repeated_line_ratio. Returns NULL when every rule
 * passes, else the failing rule's name, with a human reason in msg (cap
 * bytes). */
const char *wn_quality_check(const wn_quality_rules *r, const wn_quality_stats *st,
                             const char *lang, char *msg, size_t cap);

/* Checks a record's page type (clean_html's `page_type`; NULL when the
 * record has none: text that was never an HTML page, which passes) and
 * its confidence against the rules: page_types first, then
 * min_page_type_confidence. Returns NULL when both pass, else the failing
 * rule's name, with a human reason in msg (cap bytes). */
const char *wn_quality_check_type(const wn_quality_rules *r, const char *page_type,
                                  double confidence, char *msg, size_t cap);

#endif
