/*
 * Junk phrase lists for clean_text: parsed from the text format documented
 * in junk-phrases.txt, matched against case-folded lines. A phrase match is
 * one signal among several; it yields a weight, never a verdict.
 */
#ifndef WN_PHRASES_H
#define WN_PHRASES_H

#include <stddef.h>

typedef struct wn_phrases wn_phrases;

/* How a phrase matched, returned by wn_phrases_score. */
typedef struct wn_phrase_hit {
	double exact;    /* summed weight of whole-line matches */
	double prefix;   /* summed weight of line-start matches */
	double inside;   /* summed weight of anywhere matches */
	int opens_list;  /* a matched line-start phrase opens a teaser list */
	size_t list_len; /* length of that phrase (folded bytes) */
} wn_phrase_hit;

/* An empty list; NULL when out of memory. */
wn_phrases *wn_phrases_new(void);

/* Frees the list (NULL is fine). */
void wn_phrases_free(wn_phrases *p);

/* Adds the phrases in `text` (n bytes, the junk-phrases.txt format).
 * Returns 0, or -1 when out of memory. Malformed lines (an unknown mode
 * character) are skipped and counted in *bad when bad is not NULL. */
int wn_phrases_parse(wn_phrases *p, const char *text, size_t n, int *bad);

/* Adds the phrases of the file at `path`. Returns 0, or -1 when the file
 * cannot be read or memory runs out (errno tells which). */
int wn_phrases_load(wn_phrases *p, const char *path, int *bad);

/* Number of phrases in the list. */
size_t wn_phrases_count(const wn_phrases *p);

/* Matches a line. `folded` is the case-folded line (bullet stripped),
 * `bare` the same with digits and punctuation removed and spaces collapsed
 * (see wn_phrases_bare). Fills *hit. */
void wn_phrases_score(const wn_phrases *p, const char *folded, const char *bare,
                      wn_phrase_hit *hit);

/* Writes into out (room for n + 1 bytes) the "bare" form of the n bytes of
 * UTF-8 at s: letters and marks only, other runs turned into one space,
 * trimmed. Returns its length. out may equal s (in-place). */
size_t wn_phrases_bare(const char *s, size_t n, char *out);

#endif
