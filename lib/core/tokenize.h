/*
 * Word tokenizer and sentence splitter shared by the text stages.
 *
 * Tokens are byte ranges into the caller's text (nothing is copied), in the
 * newswire convention of the GMB/CoNLL corpora the entity tagger learns
 * from: "U.S.", "Mr." and "a.m." keep their periods, hyphenated words and
 * numbers ("state-run", "2026-2030", "1,200.5") stay whole, a possessive or
 * contraction ("'s", "'ll", "n't") is its own token, and every other
 * punctuation character is one token. Letters and digits are recognised in
 * all scripts (Unicode categories); invalid UTF-8 bytes become one-byte
 * punctuation tokens, so any byte string tokenizes.
 */
#ifndef WN_TOKENIZE_H
#define WN_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

enum wn_tok_kind {
	WN_TOK_WORD = 1,  /* contains a letter */
	WN_TOK_NUM = 2,   /* digits with optional , . - inside, no letter */
	WN_TOK_PUNCT = 3, /* one punctuation or symbol character */
};

/* Token flags. */
enum {
	WN_TOKF_SENT = 1,  /* first token of a sentence */
	WN_TOKF_PARA = 2,  /* first token after a blank line (or the text start) */
	WN_TOKF_NL = 4,    /* a line break precedes it */
	WN_TOKF_SPACE = 8, /* whitespace precedes it (else it is glued on) */
};

typedef struct wn_token {
	uint32_t start, end; /* byte offsets, end exclusive */
	uint8_t kind;        /* enum wn_tok_kind */
	uint8_t flags;       /* WN_TOKF_* */
} wn_token;

/* A growable token array; zero-initialise it before the first use. */
typedef struct wn_tokens {
	wn_token *v;
	size_t n, cap;
} wn_tokens;

/* Tokenizes s[0..n) (n < 4 GiB), replacing the contents of `out`, and
 * marks sentence starts (WN_TOKF_SENT). Returns 0, or -1 when out of
 * memory or n is too large (out is then empty). */
int wn_tokenize(const char *s, size_t n, wn_tokens *out);

/* Frees the array and zeroes it. */
void wn_tokens_free(wn_tokens *t);

/* True when s[0..n) is one of the short abbreviations that keep their
 * period ("Mr", "Inc", "Jan"...). Case-sensitive. */
int wn_is_abbrev(const char *s, size_t n);

#endif
