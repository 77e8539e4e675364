/*
 * Junk phrase lists: parsing and matching. See phrases.h.
 */
#include "phrases.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text_norm.h"
#include "utf8.h"

/* Hard limit on one user file, so a wrong path (a huge file) fails fast. */
#define PHRASES_MAX_FILE (4u << 20)

enum { MODE_EXACT = '=', MODE_PREFIX = '^', MODE_INSIDE = '~', MODE_LIST = '>' };

typedef struct phrase {
	char *text; /* case-folded (bare form for MODE_EXACT) */
	size_t len;
	int mode;
	double weight;
	unsigned nbg;         /* MODE_INSIDE: bigrams in bg */
	unsigned short bg[4]; /* some of its byte bigrams (bigram_bit) */
} phrase;

/* Bits of a set of byte bigrams: a phrase whose bigrams are not all in a
 * line's set cannot occur in it, which spares most strstr calls (they
 * were a tenth of clean_text's time). */
#define BIGRAM_BITS 4096

static unsigned bigram_bit(unsigned char a, unsigned char b)
{
	return ((unsigned)a * 31u + (unsigned)b * 7u + ((unsigned)a << 5)) % BIGRAM_BITS;
}

/* Picks up to four bigrams spread over an MODE_INSIDE phrase. */
static void pick_bigrams(phrase *ph)
{
	const unsigned char *t = (const unsigned char *)ph->text;

	ph->nbg = 0;
	if (ph->len < 2)
		return;
	for (unsigned k = 0; k < 4; k++) {
		size_t at = (ph->len - 2) * k / 3;
		ph->bg[ph->nbg++] = (unsigned short)bigram_bit(t[at], t[at + 1]);
	}
}

/* The phrases in list order, and an index of them: the whole-line ones
 * by the first byte of their bare form, the line-start ones by their
 * first byte (each bucket in list order), then the inside ones. A line
 * is matched against its buckets only. */
struct wn_phrases {
	phrase *v;
	size_t n, cap;
	size_t *order;                 /* n indices into v */
	size_t exact[257], start[257]; /* bucket b: [x[b], x[b + 1]) of order */
	size_t inside;                 /* order[inside..n): MODE_INSIDE */
};

wn_phrases *wn_phrases_new(void)
{
	return calloc(1, sizeof(wn_phrases));
}

void wn_phrases_free(wn_phrases *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].text);
	free(p->v);
	free(p->order);
	free(p);
}

size_t wn_phrases_count(const wn_phrases *p)
{
	return p ? p->n : 0;
}

/* True for characters that continue a word in a spaced script, where a
 * phrase must end (and start) on a word boundary. */
static int is_word_cp(uint32_t cp)
{
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);

	if (c < UTF8PROC_CATEGORY_LU || c > UTF8PROC_CATEGORY_NO)
		return 0;
	return !wn_script_unspaced(wn_script_of(cp));
}

size_t wn_phrases_bare(const char *s, size_t n, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;
	int gap = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k;
		if (u[i] < 0x80) { /* ASCII: its letters are the letters */
			if ((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z') {
				if (gap && o > 0)
					out[o++] = ' ';
				gap = 0;
				out[o++] = s[i];
			} else
				gap = 1;
			i++;
			continue;
		}
		k = wn_utf8_next(u + i, n - i, &cp);
		if (!k) {
			i++;
			gap = 1;
			continue;
		}
		if (wn_is_letter_or_mark(cp)) {
			if (gap && o > 0)
				out[o++] = ' ';
			gap = 0;
			for (size_t j = 0; j < k; j++) /* out may alias s, o <= i */
				out[o++] = s[i + j];
		} else {
			gap = 1;
		}
		i += k;
	}
	out[o] = '\0';
	return o;
}

/* Appends one phrase line ("^2 share on"); returns 0, 1 for a malformed
 * line, -1 when out of memory. */
static int add_line(wn_phrases *p, const char *s, size_t n)
{
	phrase ph;
	char *folded;
	size_t flen;

	ph.mode = (unsigned char)s[0];
	if (ph.mode != MODE_EXACT && ph.mode != MODE_PREFIX && ph.mode != MODE_INSIDE &&
	    ph.mode != MODE_LIST)
		return 1;
	s++, n--;
	ph.weight = ph.mode == MODE_EXACT ? 3 : ph.mode == MODE_INSIDE ? 1 : 2;
	if (n > 0 && *s >= '1' && *s <= '5')
		ph.weight = *s - '0', s++, n--;
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || wn_utf8_valid_prefix((const unsigned char *)s, n) != n)
		return 1;
	folded = wn_text_casefold(s, n, &flen);
	if (!folded)
		return -1;
	if (ph.mode == MODE_EXACT) {
		flen = wn_phrases_bare(folded, flen, folded);
		if (flen == 0) {
			free(folded);
			return 1;
		}
	}
	ph.text = folded;
	ph.len = flen;
	pick_bigrams(&ph);
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		phrase *v = realloc(p->v, cap * sizeof *v);
		if (!v) {
			free(folded);
			return -1;
		}
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = ph;
	return 0;
}

/* The bucket group of a phrase: 0 whole-line, 1 line-start, 2 inside. */
static int group_of(const phrase *ph)
{
	return ph->mode == MODE_EXACT ? 0 : ph->mode == MODE_INSIDE ? 2 : 1;
}

/* Rebuilds p->order and the buckets (a counting sort, stable). */
static int build_index(wn_phrases *p)
{
	size_t *order = malloc((p->n ? p->n : 1) * sizeof *order), k = 0;

	if (!order)
		return -1;
	for (int g = 0; g < 2; g++) {
		size_t *x = g ? p->start : p->exact;
		for (int b = 0; b < 256; b++) {
			x[b] = k;
			for (size_t i = 0; i < p->n; i++)
				if (group_of(&p->v[i]) == g && (unsigned char)p->v[i].text[0] == b)
					order[k++] = i;
		}
		x[256] = k;
	}
	p->inside = k;
	for (size_t i = 0; i < p->n; i++)
		if (group_of(&p->v[i]) == 2)
			order[k++] = i;
	free(p->order);
	p->order = order;
	return 0;
}

int wn_phrases_parse(wn_phrases *p, const char *text, size_t n, int *bad)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		int rc;
		while (j < n && text[j] != '\n')
			j++;
		if (j > i && text[i] != '#' && !(j - i == 1 && text[i] == '\r')) {
			rc = add_line(p, text + i, j - i);
			if (rc < 0)
				return -1;
			if (rc > 0 && bad)
				(*bad)++;
		}
		i = j + 1;
	}
	return build_index(p);
}

int wn_phrases_load(wn_phrases *p, const char *path, int *bad)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	if (!f)
		return -1;
	buf = malloc(PHRASES_MAX_FILE);
	if (!buf) {
		fclose(f);
		errno = ENOMEM;
		return -1;
	}
	n = fread(buf, 1, PHRASES_MAX_FILE, f);
	if (ferror(f) || n == PHRASES_MAX_FILE) {
		free(buf);
		fclose(f);
		errno = EFBIG;
		return -1;
	}
	fclose(f);
	rc = wn_phrases_parse(p, buf, n, bad);
	free(buf);
	return rc;
}

/* True when a match of `ph` at line[pos] sits on word boundaries. */
static int on_boundary(const char *line, size_t pos, const phrase *ph)
{
	const unsigned char *u = (const unsigned char *)line;
	size_t end = pos + ph->len, k, n = strlen(line);
	uint32_t cp, last;

	if (end < n) {
		/* the phrase's last character decides whether a word may run on */
		size_t b = ph->len;
		while (b > 0 && (((unsigned char)ph->text[b - 1]) & 0xC0) == 0x80)
			b--;
		if (b > 0)
			b--;
		if (wn_utf8_decode((const unsigned char *)ph->text + b, ph->len - b, &last) &&
		    is_word_cp(last) && (k = wn_utf8_decode(u + end, n - end, &cp)) &&
		    is_word_cp(cp))
			return 0;
	}
	if (pos > 0 && wn_utf8_decode((const unsigned char *)ph->text, ph->len, &cp) &&
	    is_word_cp(cp)) {
		size_t b = pos - 1;
		while (b > 0 && (u[b] & 0xC0) == 0x80)
			b--;
		if (wn_utf8_decode(u + b, pos - b, &cp) && is_word_cp(cp))
			return 0;
	}
	return 1;
}

/* True when every bigram picked from ph is in the line's set. */
static int may_contain(const uint64_t *set, const phrase *ph)
{
	for (unsigned k = 0; k < ph->nbg; k++)
		if (!(set[ph->bg[k] / 64] >> (ph->bg[k] % 64) & 1))
			return 0;
	return 1;
}

/* Adds to hit the prefix phrases that folded starts with at byte at. */
static void prefix_hits(const wn_phrases *p, const char *folded, size_t at, wn_phrase_hit *hit)
{
	unsigned char c = (unsigned char)folded[at];

	for (size_t j = p->start[c]; j < p->start[c + 1]; j++) {
		const phrase *ph = &p->v[p->order[j]];
		if (strncmp(folded + at, ph->text, ph->len) == 0 && on_boundary(folded, at, ph)) {
			hit->prefix += ph->weight;
			if (ph->mode == MODE_LIST) {
				hit->opens_list = 1;
				hit->list_len = ph->len;
			}
		}
	}
}

void wn_phrases_score(const wn_phrases *p, const char *folded, const char *bare, wn_phrase_hit *hit)
{
	uint64_t set[BIGRAM_BITS / 64] = {0};
	const unsigned char *f = (const unsigned char *)folded;
	unsigned char b0 = (unsigned char)bare[0];

	memset(hit, 0, sizeof *hit);
	if (!p || !p->order)
		return;
	for (size_t j = p->exact[b0]; j < p->exact[b0 + 1]; j++) {
		const phrase *ph = &p->v[p->order[j]];
		if (strcmp(bare, ph->text) == 0)
			hit->exact += ph->weight;
	}
	prefix_hits(p, folded, 0, hit);
	/* a renderer's form control before the words ("[ ] Save my name
	 * ...", "( ) Yes", "[X] Remember me"), or a line in brackets ("(Image
	 * credit: ...)", "[Related: ...]"): the line starts after the mark */
	size_t n, from = 0;
	if ((f[0] == '[' || f[0] == '(') && (n = strlen(folded)) > 4) {
		unsigned char close = f[0] == '[' ? ']' : ')';
		if (f[2] == close && (f[1] == ' ' || f[1] == 'x' || f[1] == '*') && f[3] == ' ')
			from = 4;
		else if (f[n - 1] == close && f[1] != ' ')
			from = 1;
	}
	if (from && !hit->prefix)
		prefix_hits(p, folded, from, hit);
	for (size_t i = 0; f[i] && f[i + 1]; i++) {
		unsigned b = bigram_bit(f[i], f[i + 1]);
		set[b / 64] |= (uint64_t)1 << (b % 64);
	}
	for (size_t j = p->inside; j < p->n; j++) {
		const phrase *ph = &p->v[p->order[j]];
		if (!may_contain(set, ph))
			continue;
		for (const char *at = strstr(folded, ph->text); at; at = strstr(at + 1, ph->text)) {
			if (on_boundary(folded, (size_t)(at - folded), ph)) {
				hit->inside += ph->weight;
				break;
			}
		}
	}
}
