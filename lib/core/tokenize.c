/*
 * Tokenizer and sentence splitter: see tokenize.h for the conventions.
 *
 * One left-to-right scan; ASCII is classified by a switch, other code points
 * by their Unicode general category (utf8proc), so a Chinese or Cyrillic word
 * is a word and a no-break space is a space.
 */
#include "tokenize.h"
#include "grow.h"

#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Character classes the scanner needs. */
enum cc { C_SPACE, C_NL, C_LETTER, C_UPPER, C_DIGIT, C_APOS, C_HYPHEN, C_DOT, C_COMMA, C_OTHER };

/* Class of the character at s[i] (n bytes total); *len gets its byte length. */
static enum cc char_class(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	unsigned char c = s[i];
	*len = 1;
	if (c < 0x80) {
		if (c == '\n')
			return C_NL;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
			return C_SPACE;
		if (c >= 'A' && c <= 'Z')
			return C_UPPER;
		if (c >= 'a' && c <= 'z')
			return C_LETTER;
		if (c >= '0' && c <= '9')
			return C_DIGIT;
		if (c == '\'')
			return C_APOS;
		if (c == '-')
			return C_HYPHEN;
		if (c == '.')
			return C_DOT;
		if (c == ',')
			return C_COMMA;
		return C_OTHER;
	}
	uint32_t cp;
	size_t l = wn_utf8_decode(s + i, n - i, &cp);
	if (l == 0)
		return C_OTHER;
	*len = l;
	if (cp == 0x2019)
		return C_APOS;
	if (cp == 0x2028 || cp == 0x2029 || cp == 0x85)
		return C_NL;
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT:
		return C_UPPER;
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return C_LETTER;
	case UTF8PROC_CATEGORY_ND:
		return C_DIGIT;
	case UTF8PROC_CATEGORY_ZS:
		return C_SPACE;
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return C_NL;
	default:
		return C_OTHER;
	}
}

static int is_alpha_cc(enum cc c)
{
	return c == C_LETTER || c == C_UPPER;
}

static int is_word_cc(enum cc c)
{
	return c == C_LETTER || c == C_UPPER || c == C_DIGIT;
}

int wn_is_abbrev(const char *s, size_t n)
{
	static const char *const list[] = {
	    "Mr",  "Mrs",  "Ms",   "Dr",     "Prof", "Sr",   "Jr",  "St",  "Mt",   "Inc",  "Corp",
	    "Ltd", "Co",   "Bros", "Gen",    "Gov",  "Sen",  "Rep", "Lt",  "Col",  "Capt", "Sgt",
	    "Maj", "Adm",  "Rev",  "Hon",    "Jan",  "Feb",  "Mar", "Apr", "Aug",  "Sep",  "Sept",
	    "Oct", "Nov",  "Dec",  "vs",     "etc",  "No",   "Fig", "Ave", "Dept", "Univ", "approx",
	    "est", "Pres", "Gov",  "Messrs", "Mme",  "Mlle", NULL};
	if (n == 0 || n > 6)
		return 0;
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return 1;
	return 0;
}

/* Length of a contraction suffix ("s", "ll", "t" after n...) starting at
 * s[i] right after an apostrophe, when it ends the word; else 0. */
static size_t contraction_len(const unsigned char *s, size_t n, size_t i)
{
	static const char *const sfx[] = {"s", "S", "m", "d", "ll", "re", "ve", NULL};
	for (int k = 0; sfx[k]; k++) {
		size_t l = strlen(sfx[k]);
		if (i + l <= n && memcmp(s + i, sfx[k], l) == 0) {
			size_t cl;
			if (i + l == n || !is_word_cc(char_class(s, n, i + l, &cl)))
				return l;
		}
	}
	return 0;
}

/* End of the word token starting at s[i] (a letter or digit). */
static size_t scan_word(const unsigned char *s, size_t n, size_t i, int *has_letter)
{
	size_t j = i, seg = i, cl;
	int letters = 0, dots = 0;
	for (;;) {
		while (j < n) {
			enum cc c = char_class(s, n, j, &cl);
			if (!is_word_cc(c))
				break;
			if (c != C_DIGIT)
				letters = 1;
			j += cl;
		}
		if (j >= n)
			break;
		size_t l1, l2 = 0;
		enum cc c = char_class(s, n, j, &l1);
		enum cc c2 = j + l1 < n ? char_class(s, n, j + l1, &l2) : C_SPACE;
		enum cc prev = char_class(s, n, j - 1, &cl);
		if (c == C_HYPHEN && is_word_cc(c2)) {
			j += l1, seg = j;
			continue;
		}
		if ((c == C_DOT || c == C_COMMA) && prev == C_DIGIT && c2 == C_DIGIT) {
			j += l1;
			continue;
		}
		if (c == C_APOS && is_alpha_cc(prev)) {
			/* "don't": split before "n't"; "'s" etc.: split at the apostrophe */
			if (j + l1 < n && s[j + l1] == 't' && s[j - 1] == 'n' && j - 1 > i &&
			    contraction_len(s, n, j + l1) == 0 &&
			    (j + l1 + 1 >= n || !is_word_cc(char_class(s, n, j + l1 + 1, &cl))))
				return *has_letter = 1, j - 1;
			if (contraction_len(s, n, j + l1))
				break;
			if (is_alpha_cc(c2)) { /* O'Brien */
				j += l1;
				continue;
			}
			break;
		}
		if (c == C_DOT && j - seg == 1 && is_alpha_cc(prev)) {
			/* single letters with periods: U.S., a.m., initials "W." */
			if (is_alpha_cc(c2) && j + l1 + l2 < n && s[j + l1 + l2] == '.') {
				j += l1, seg = j, dots++;
				continue;
			}
			if (!(dots || prev == C_UPPER))
				break;
			j += l1;
			/* "U.S.-led" */
			if (j + 1 < n && s[j] == '-' && is_word_cc(char_class(s, n, j + 1, &cl))) {
				j++, seg = j;
				continue;
			}
			break;
		}
		if (c == C_DOT && dots == 0 && wn_is_abbrev((const char *)s + i, j - i))
			j += l1;
		break;
	}
	*has_letter = letters;
	return j;
}

static int push(wn_tokens *t, size_t start, size_t end, int kind, int flags)
{
	wn_token *nv = wn_grow(t->v, &t->cap, t->n + 1, sizeof *nv, 256, 0);
	if (!nv)
		return -1;
	t->v = nv;
	t->v[t->n++] = (wn_token){(uint32_t)start, (uint32_t)end, (uint8_t)kind, (uint8_t)flags};
	return 0;
}

/* True when the token can open a sentence after a full stop. */
static int opens_sentence(const unsigned char *s, size_t n, const wn_token *t)
{
	size_t cl;
	enum cc c = char_class(s, n, t->start, &cl);
	if (c == C_UPPER || c == C_DIGIT)
		return 1;
	return t->kind == WN_TOK_PUNCT &&
	       (s[t->start] == '"' || s[t->start] == '(' ||
	        (cl == 3 && s[t->start] == 0xE2 && s[t->start + 1] == 0x80 &&
	         s[t->start + 2] == 0x9C)); /* U+201C */
}

/* Marks WN_TOKF_SENT: text start, line breaks, and . ! ? (optionally
 * followed by a closing quote or bracket) before a sentence opener. */
static void split_sentences(const unsigned char *s, size_t n, wn_tokens *t)
{
	int after_stop = 1;
	for (size_t i = 0; i < t->n; i++) {
		wn_token *k = &t->v[i];
		if ((k->flags & WN_TOKF_NL) || i == 0 || (after_stop && opens_sentence(s, n, k)))
			k->flags |= WN_TOKF_SENT;
		if (k->kind == WN_TOK_PUNCT) {
			unsigned char c = s[k->start];
			size_t len = k->end - k->start;
			if (c == '.' || c == '!' || c == '?')
				after_stop = 1;
			else if (!(after_stop && (c == '"' || c == ')' || c == '\'' ||
			                          (len == 3 && c == 0xE2)))) /* closing quotes */
				after_stop = 0;
		} else {
			after_stop = 0;
		}
	}
}

int wn_tokenize(const char *text, size_t n, wn_tokens *out)
{
	const unsigned char *s = (const unsigned char *)text;
	out->n = 0;
	if (n >= UINT32_MAX)
		return -1;
	int flags = WN_TOKF_PARA | WN_TOKF_NL;
	int newlines = 0;
	size_t i = 0;
	while (i < n) {
		size_t len;
		enum cc c = char_class(s, n, i, &len);
		if (c == C_SPACE || c == C_NL) {
			if (c == C_NL && ++newlines >= 2)
				flags |= WN_TOKF_PARA;
			flags |= WN_TOKF_SPACE | (c == C_NL ? WN_TOKF_NL : 0);
			i += len;
			continue;
		}
		size_t end = i + len;
		int kind = WN_TOK_PUNCT;
		if (is_word_cc(c)) {
			int letter;
			end = scan_word(s, n, i, &letter);
			kind = letter ? WN_TOK_WORD : WN_TOK_NUM;
		} else if (c == C_APOS && i > 0 && contraction_len(s, n, i + len)) {
			end = i + len + contraction_len(s, n, i + len);
			kind = WN_TOK_WORD;
		}
		if (push(out, i, end, kind, flags)) {
			out->n = 0;
			return -1;
		}
		flags = 0, newlines = 0;
		i = end;
	}
	split_sentences(s, n, out);
	return 0;
}

void wn_tokens_free(wn_tokens *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}
