/*
 * Line structure of an article for the entity stage: what kind of line
 * each token sits on (running prose, a title-case heading, an ALL-CAPS
 * headline, a dateline, a list item, a results/table row), unwrapping of
 * hard-wrapped prose, and a truecased copy of headline text for the
 * tagger. News pages put many names on lines that are not prose (results
 * rows, "1. Name (Country) 10.52", wire headlines): they are tagged like
 * the rest, each kind in the form the tagger learnt from.
 *
 * Nothing here moves bytes: the truecased copy has the same length as the
 * text (only ASCII letters change case), so every offset found in it is an
 * offset into the original.
 */
#ifndef WN_EE_LINES_H
#define WN_EE_LINES_H

#include "gazetteer.h"
#include "tagger.h"
#include "tokenize.h"

#include <stddef.h>
#include <stdint.h>

enum wn_line_kind {
	WN_LINE_PROSE,    /* running text */
	WN_LINE_HEADING,  /* title case: "What Makes Shenzhen Aim to Become a Pioneer City?" */
	WN_LINE_CAPS,     /* ALL-CAPS headline: "SOCCER - ARSENAL BEAT CHELSEA" */
	WN_LINE_DATELINE, /* "LONDON 1996-08-30", "NAIROBI, Jan 5" */
	WN_LINE_LIST,     /* a bullet or numbered item of prose */
	WN_LINE_TABLE,    /* results/table row: "Arsenal 2 Chelsea 1", "1. Name (KEN) 10.52" */
};

/* Classifies each line (tokens between line breaks) of s; kind[i] is the
 * enum wn_line_kind of token i's line. */
void wn_lines_classify(const char *s, const wn_tokens *t, uint8_t *kind);

/* Unwraps hard-wrapped prose: a prose line that does not end a sentence
 * (no . ! ? : ; or closing quote after one) and is at least 30 bytes long
 * continues on the next prose line of the same paragraph, whose first
 * token then loses WN_TOKF_SENT (it keeps WN_TOKF_NL). Returns how many
 * line breaks were unwrapped. */
size_t wn_lines_unwrap(const char *s, wn_tokens *t, const uint8_t *kind);

/* Writes into out[0..n) a copy of s in which the words of ALL-CAPS,
 * dateline and title-case heading lines (and an ALL-CAPS dateline that
 * opens a prose line: "LONDON, Jan 5 (Reuters) -") are truecased: the
 * spelling the article uses elsewhere in running text, else lower case
 * when the model's word table says the word is mostly written so, else
 * (ALL-CAPS words) a capital and lower case; the first word of a line
 * keeps a capital. Words with digits, periods or non-ASCII bytes, and
 * short unknown acronyms, stay as they are. `words` may have no table.
 * Returns 1 when out differs from s, 0 when not, -1 out of memory (out is
 * then a plain copy). */
int wn_lines_truecase(const char *s, size_t n, const wn_tokens *t, const uint8_t *kind,
                      const wn_ner_words *words, char *out);

/* After wn_lines_truecase: a run of ALL-CAPS words that, capitalised, is
 * a place name of two words or more in the gazetteer ("NEW YORK", "MEXICO
 * CITY", "CZECH REPUBLIC") is written so in out, whatever the word table
 * said of its words ("city", "new"). Returns 1 when out changed, 0 when
 * not, -1 out of memory. */
int wn_lines_truecase_places(const char *s, size_t n, const wn_tokens *t, const uint8_t *kind,
                             const wn_gaz *gz, char *out);

#endif
