/*
 * clean_text core: turns scraped article text into the article a reader
 * would read. Plain C, no plugin ABI, so unit tests and the fuzzer call it
 * directly.
 *
 * The text is normalised (text_norm.h), split into lines grouped in blocks
 * (paragraphs separated by blank lines), and every line gets a junk score
 * from generic signals that add up:
 *   - phrase lists (phrases.h): widget words, credits, reprint notices...;
 *   - shape: short lines without sentence punctuation, lines made mostly of
 *     digits and symbols, bare links;
 *   - script: a line in another script than the article's dominant one;
 *   - position: before the first or after the last article-like paragraph
 *     (the "head" and the "tail", where navigation and author boxes live);
 *   - repetition: a teaser that reappears later, a repeated headline, short
 *     lines repeated (widgets), a name line echoed by the next paragraph
 *     (author boxes), a run of short lines after a "Related" heading.
 * A line is dropped when its score reaches the threshold. Article-like
 * lines (sentences) get the benefit of the doubt: phrase weights are halved
 * on long paragraphs, and a short line directly followed by a paragraph
 * reads as a subheading.
 */
#ifndef WN_CLEAN_CORE_H
#define WN_CLEAN_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "phrases.h"

/* Lines with fewer letters (bytes of their bare text) are not hashed
 * for the site memory: too little text to tell a site's boilerplate from
 * a common short line. */
#define WN_CLEAN_MIN_HASHED 12

/* Default junk score at which a line is dropped. */
#define WN_CLEAN_THRESHOLD 3.0

/* Called once per input line after scoring (for debugging and tests):
 * the line, its score, whether it was dropped and the signals that fired. */
typedef void (*wn_clean_explain_fn)(void *ud, const char *line, size_t len, double score,
                                    int dropped, const char *why);

/* Called once per document by the line model when set (for training,
 * clean_text_train.c): the n lines as scored, and their features, n rows
 * of nf values; stage is 1 or 2 (see line_model.h). */
typedef void (*wn_clean_train_fn)(void *ud, size_t n, const char *const *lines, const size_t *lens,
                                  const double *x, size_t nf, int stage);

typedef struct wn_clean_opts {
	const wn_phrases *phrases; /* NULL: no phrase signal */
	double threshold;          /* <= 0: WN_CLEAN_THRESHOLD */
	const char *known_title;   /* the record's title if any: a first line
	                              repeating it is dropped, none is detected */
	wn_clean_explain_fn explain;
	void *explain_ud;
	/* The text is an article already: it came out of clean_html, which
	 * chose the article's blocks, or the plugin's `input: article` says
	 * another extractor did. Only normalise, and drop what no extractor
	 * can know (feed and syndication footers, copyright and credit lines,
	 * a repeated headline); no model, no position or repetition rules, no
	 * title found in the text. */
	int from_html;
	/* Training hooks: another line model than the shipped one (three
	 * struct wn_lm_stage, line_model.h; NULL: shipped) and a callback that
	 * gets every document's features. */
	/* Site memory (site_memory.h): site_boiler(site_ud, hash) says
	 * whether a line (by wn_sitemem_hash of its case-folded text) recurs on
	 * enough pages of the record's site to be its boilerplate; such lines
	 * are dropped, after clean_html too. NULL: no memory. */
	int (*site_boiler)(void *ud, uint64_t hash);
	void *site_ud;
	/* Non-zero: res->hashes gets the hashes of the text's lines (those
	 * with WN_CLEAN_MIN_HASHED letters or more), for the site memory. */
	int want_hashes;
	const struct wn_lm_stage *lm_stages;
	/* > 0: the model keeps a line from this probability on (a sentence
	 * the rules vouch for from 0.6 times it); 0: the shipped wn_lm_keep.
	 * The trainer's cross-validation picks it. */
	double lm_keep;
	wn_clean_train_fn train;
	void *train_ud;
} wn_clean_opts;

typedef struct wn_clean_result {
	char *text; /* cleaned text, paragraphs separated by "\n\n" */
	size_t text_len;
	char *title;      /* detected headline, or NULL */
	size_t lines;     /* non-empty input lines */
	size_t dropped;   /* lines dropped as junk (the title not counted) */
	size_t words;     /* wn_text_word_count of text */
	uint64_t *hashes; /* with opts->want_hashes: line hashes, in order */
	size_t n_hashes;
	size_t site_dropped; /* lines dropped as the site's boilerplate */
} wn_clean_result;

/* Cleans n bytes of text (any bytes: invalid UTF-8 is repaired). Fills
 * *res, whose strings the caller frees with wn_clean_result_free. Returns
 * 0, or -1 when out of memory (then *res holds nothing to free). */
int wn_clean_text(const char *in, size_t n, const wn_clean_opts *opts, wn_clean_result *res);

/* Frees what wn_clean_text put in *res and zeroes it. */
void wn_clean_result_free(wn_clean_result *res);

#endif
