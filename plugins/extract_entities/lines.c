/*
 * Line kinds, unwrapping and truecasing (see lines.h).
 */
#include "lines.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Letter make-up of one word token (ASCII letters only are cased here). */
typedef struct wshape {
	int upper, lower, other; /* ASCII upper / lower letters; digits, '.', non-ASCII */
} wshape;

static wshape shape_of(const char *s, const wn_token *k)
{
	wshape w = {0, 0, 0};
	for (uint32_t p = k->start; p < k->end; p++) {
		unsigned char c = (unsigned char)s[p];
		if (c >= 'A' && c <= 'Z')
			w.upper++;
		else if (c >= 'a' && c <= 'z')
			w.lower++;
		else if (c != '-' && c != '\'')
			w.other++;
	}
	return w;
}

/* A word written in capitals only ("ARSENAL", "US"; not "I" or "A"). */
static int is_caps_word(const char *s, const wn_token *k)
{
	wshape w = shape_of(s, k);
	return k->kind == WN_TOK_WORD && w.upper >= 2 && w.lower == 0;
}

static size_t line_end(const wn_tokens *t, size_t a)
{
	size_t b = a + 1;
	while (b < t->n && !(t->v[b].flags & WN_TOKF_NL))
		b++;
	return b;
}

/* A bullet that opens a list item: - * • or a number followed by . or ) */
static int bullet_at(const char *s, const wn_tokens *t, size_t a, size_t b)
{
	const wn_token *k = &t->v[a];
	if (k->kind == WN_TOK_PUNCT)
		return s[k->start] == '-' || s[k->start] == '*' ||
		       (k->end - k->start == 3 && memcmp(s + k->start, "\xE2\x80\xA2", 3) == 0);
	return k->kind == WN_TOK_NUM && a + 1 < b && t->v[a + 1].kind == WN_TOK_PUNCT &&
	       (s[t->v[a + 1].start] == '.' || s[t->v[a + 1].start] == ')');
}

/* Whitespace of two or more bytes or a tab before token i: a column gap. */
static int column_gap(const char *s, const wn_token *k)
{
	return k->start >= 2 && (k->flags & WN_TOKF_SPACE) &&
	       ((s[k->start - 1] == ' ' && s[k->start - 2] == ' ') || s[k->start - 1] == '\t');
}

static int classify_line(const char *s, const wn_tokens *t, size_t a, size_t b)
{
	int words = 0, caps = 0, low = 0, nums = 0, longw = 0, titled = 0, gaps = 0;
	for (size_t i = a; i < b; i++) {
		const wn_token *k = &t->v[i];
		if (i > a && column_gap(s, k))
			gaps++;
		if (k->kind == WN_TOK_NUM) {
			nums++;
			continue;
		}
		if (k->kind != WN_TOK_WORD)
			continue;
		words++;
		caps += is_caps_word(s, k);
		low += s[k->start] >= 'a' && s[k->start] <= 'z';
		if (k->end - k->start >= 4) {
			longw++;
			titled += s[k->start] >= 'A' && s[k->start] <= 'Z';
		}
	}
	if (caps && caps * 10 >= words * 8 && low == 0)
		return nums && b - a <= 8 && is_caps_word(s, &t->v[a]) ? WN_LINE_DATELINE
		                                                       : WN_LINE_CAPS;
	if (low <= 2 && (nums >= 2 || (nums && gaps)))
		return WN_LINE_TABLE;
	const wn_token *last = &t->v[b - 1];
	int stop = last->kind == WN_TOK_PUNCT && s[last->start] == '.';
	if (words <= 30 && longw >= 3 && titled * 10 >= longw * (stop ? 9 : 8))
		return WN_LINE_HEADING; /* also a numbered one: "2. What Makes ..." */
	return bullet_at(s, t, a, b) ? WN_LINE_LIST : WN_LINE_PROSE;
}

static int ends_sentence(const char *s, const wn_tokens *t, size_t a, size_t b);

void wn_lines_classify(const char *s, const wn_tokens *t, uint8_t *kind)
{
	size_t pa = 0;
	for (size_t a = 0; a < t->n;) {
		size_t b = line_end(t, a);
		int k = classify_line(s, t, a, b);
		/* a name-heavy line of a wrapped paragraph looks like a heading:
		 * after a long prose line that ends no sentence it is prose */
		if (k == WN_LINE_HEADING && a > 0 && !(t->v[a].flags & WN_TOKF_PARA) &&
		    kind[pa] == WN_LINE_PROSE && t->v[a - 1].end - t->v[pa].start >= 30 &&
		    !ends_sentence(s, t, pa, a))
			k = WN_LINE_PROSE;
		memset(kind + a, k, b - a);
		pa = a, a = b;
	}
}

/* The line [a, b) ends a sentence: . ! ? : ; last, or a closing quote or
 * bracket after one. */
static int ends_sentence(const char *s, const wn_tokens *t, size_t a, size_t b)
{
	for (size_t i = b; i > a; i--) {
		const wn_token *k = &t->v[i - 1];
		if (k->kind != WN_TOK_PUNCT)
			return 0;
		char c = s[k->start];
		if (strchr(".!?:;", c))
			return 1;
		if (!strchr("\"')]", c) && (unsigned char)c != 0xE2)
			return 0;
	}
	return 0;
}

size_t wn_lines_unwrap(const char *s, wn_tokens *t, const uint8_t *kind)
{
	size_t joined = 0;
	for (size_t a = 0; a < t->n;) {
		size_t b = line_end(t, a);
		int prose = kind[a] == WN_LINE_PROSE || kind[a] == WN_LINE_LIST;
		if (b < t->n && prose && kind[b] == WN_LINE_PROSE &&
		    !(t->v[b].flags & WN_TOKF_PARA) && t->v[b - 1].end - t->v[a].start >= 30 &&
		    !ends_sentence(s, t, a, b)) {
			t->v[b].flags &= (uint8_t)~WN_TOKF_SENT;
			joined++;
		}
		a = b;
	}
	return joined;
}

/* ------------------------------------------------------------ truecasing */

/* How the article spells a word in running text (not first in a
 * sentence): counts of lower case, capitalised and all-capitals uses. */
typedef struct spell {
	uint32_t key;
	uint16_t lo, ti, up;
} spell;

typedef struct spellmap {
	spell *v;
	size_t mask;
} spellmap;

static spell *spell_slot(spellmap *m, uint32_t key, int insert)
{
	size_t h = (key * 2654435761u) & m->mask;
	for (size_t probe = 0; probe <= m->mask; probe++, h = (h + 1) & m->mask) {
		if (m->v[h].key == key)
			return &m->v[h];
		if (!m->v[h].key) {
			if (!insert)
				return NULL;
			m->v[h].key = key;
			return &m->v[h];
		}
	}
	return NULL;
}

static int spell_build(spellmap *m, const char *s, const wn_tokens *t, const uint8_t *kind,
                       const uint8_t *tc)
{
	size_t cap = 64;
	while (cap < t->n * 2)
		cap <<= 1;
	m->v = calloc(cap, sizeof *m->v);
	m->mask = cap - 1;
	if (!m->v)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		const wn_token *k = &t->v[i];
		if (k->kind != WN_TOK_WORD || tc[i] || (k->flags & WN_TOKF_SENT) ||
		    kind[i] == WN_LINE_HEADING)
			continue;
		wshape w = shape_of(s, k);
		if (w.other || !(w.upper + w.lower))
			continue;
		spell *p = spell_slot(m, wn_ner_word_key(s + k->start, k->end - k->start), 1);
		if (!p)
			continue;
		if (w.upper == 0)
			p->lo += p->lo < UINT16_MAX;
		else if (w.lower == 0 && w.upper >= 2)
			p->up += p->up < UINT16_MAX;
		else if (s[k->start] >= 'A' && s[k->start] <= 'Z')
			p->ti += p->ti < UINT16_MAX;
	}
	return 0;
}

/* Marks the tokens to truecase: words of ALL-CAPS and dateline lines,
 * capitalised words of headings (2 = heading: only ever lowered), and an
 * ALL-CAPS run that opens a prose line and ends at , - or ( ("LONDON, Jan
 * 5 (Reuters) -"). Returns how many. */
static size_t mark_truecase(const char *s, const wn_tokens *t, const uint8_t *kind, uint8_t *tc)
{
	size_t n = 0;
	for (size_t a = 0; a < t->n;) {
		size_t b = line_end(t, a);
		int k = kind[a];
		for (size_t i = a; i < b; i++) {
			const wn_token *tk = &t->v[i];
			tc[i] = 0;
			if (tk->kind != WN_TOK_WORD)
				continue;
			if (k == WN_LINE_CAPS || k == WN_LINE_DATELINE)
				tc[i] = is_caps_word(s, tk);
			else if (k == WN_LINE_HEADING)
				tc[i] = s[tk->start] >= 'A' && s[tk->start] <= 'Z' ? 2 : 0;
			n += tc[i] != 0;
		}
		if (k == WN_LINE_PROSE) {
			size_t i = a;
			while (i < b && is_caps_word(s, &t->v[i]))
				i++;
			const wn_token *end = i < b ? &t->v[i] : NULL;
			if (i > a && end && end->kind == WN_TOK_PUNCT &&
			    strchr(",-(", s[end->start]))
				for (size_t j = a; j < i; j++)
					tc[j] = 1, n++;
		}
		a = b;
	}
	return n;
}

enum { TC_KEEP, TC_LOWER, TC_TITLE };

/* An unknown word ending like a common noun, adjective or adverb of
 * English ("-less", "-ness", "-ment", "-tion", "-ous"...): names rarely
 * do, so in a headline it is lower case. */
static int common_suffix(const char *s, const wn_token *k)
{
	static const char *const suf[] = {"LESS", "NESS", "MENT", "TION", "SION", "FUL",
	                                  "OUS",  "ABLE", "IBLE", "IZE",  "ISE",  NULL};
	size_t n = k->end - k->start;
	for (int i = 0; suf[i]; i++) {
		size_t l = strlen(suf[i]);
		if (n >= l + 3 && strncasecmp(s + k->end - l, suf[i], l) == 0)
			return 1;
	}
	return 0;
}

/* The case form of one marked word (see lines.h). */
static int decide(const char *s, const wn_token *k, int heading, const spellmap *m,
                  const wn_ner_words *words)
{
	wshape w = shape_of(s, k);
	if (w.other)
		return TC_KEEP;
	uint32_t key = wn_ner_word_key(s + k->start, k->end - k->start);
	const spell *p = spell_slot((spellmap *)m, key, 0);
	if (p && (p->lo || p->ti || p->up)) {
		if (p->up >= p->lo && p->up >= p->ti)
			return TC_KEEP;
		if (p->lo > p->ti)
			return TC_LOWER;
		return heading ? TC_KEEP : TC_TITLE;
	}
	uint32_t info = words->slot ? wn_ner_word_info(words, key) : 0;
	unsigned lower = info ? WN_WI_LOWER(info) : 7;
	if (lower != 7 && lower >= 4)
		return TC_LOWER;
	if (heading || (lower == 7 && k->end - k->start <= 3))
		return TC_KEEP; /* an unknown short word in capitals: an acronym */
	if (lower == 7 && common_suffix(s, k))
		return TC_LOWER; /* "GOALLESS", "CONSIGNMENT": no name */
	return TC_TITLE;
}

static void recase(char *out, const wn_token *k, int form, int capital)
{
	int after_letter = 0;
	for (uint32_t p = k->start; p < k->end; p++) {
		char c = out[p];
		int letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		if (letter && c <= 'Z')
			c = (char)(c + 32); /* lower */
		if (letter && !after_letter && (form == TC_TITLE || (capital && p == k->start)) &&
		    c >= 'a')
			c = (char)(c - 32);
		out[p] = c;
		after_letter = letter || c == '\'';
	}
}

int wn_lines_truecase(const char *s, size_t n, const wn_tokens *t, const uint8_t *kind,
                      const wn_ner_words *words, char *out)
{
	memcpy(out, s, n);
	uint8_t *tc = malloc(t->n + 1);
	if (!tc)
		return -1;
	if (!mark_truecase(s, t, kind, tc)) {
		free(tc);
		return 0;
	}
	spellmap m;
	if (spell_build(&m, s, t, kind, tc)) {
		free(tc);
		return -1;
	}
	for (size_t a = 0; a < t->n;) {
		size_t b = line_end(t, a);
		int first = 1;
		for (size_t i = a; i < b; i++) {
			const wn_token *k = &t->v[i];
			if (k->kind == WN_TOK_WORD && tc[i]) {
				int form = decide(s, k, tc[i] == 2, &m, words);
				if (form != TC_KEEP)
					recase(out, k, form, first);
			}
			if (k->kind == WN_TOK_WORD)
				first = 0;
		}
		a = b;
	}
	int changed = memcmp(out, s, n) != 0;
	free(m.v);
	free(tc);
	return changed;
}

/* Tokens [a, b) all lie on ALL-CAPS or dateline lines. */
static int on_caps_lines(const uint8_t *kind, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (kind[i] != WN_LINE_CAPS && kind[i] != WN_LINE_DATELINE)
			return 0;
	return 1;
}

int wn_lines_truecase_places(const char *s, size_t n, const wn_tokens *t, const uint8_t *kind,
                             const wn_gaz *gz, char *out)
{
	char *title = malloc(n + 1);
	if (!title)
		return -1;
	memcpy(title, s, n);
	title[n] = 0;
	int any = 0;
	for (size_t i = 0; i < t->n; i++)
		if ((kind[i] == WN_LINE_CAPS || kind[i] == WN_LINE_DATELINE) &&
		    is_caps_word(s, &t->v[i]) && !shape_of(s, &t->v[i]).other) {
			recase(title, &t->v[i], TC_TITLE, 1);
			any = 1;
		}
	wn_gaz_hit *h = NULL;
	size_t nh = 0;
	if (!any || wn_gaz_match(gz, title, t, &h, &nh)) {
		free(title);
		return any ? -1 : 0;
	}
	int changed = 0;
	for (size_t k = 0; k < nh; k++) {
		if (h[k].tok1 - h[k].tok0 < 2 || !on_caps_lines(kind, h[k].tok0, h[k].tok1) ||
		    !(h[k].e->kind & (WN_GK_COUNTRY | WN_GK_REGION | WN_GK_CITY)))
			continue;
		for (size_t i = h[k].tok0; i < h[k].tok1; i++) {
			const wn_token *tk = &t->v[i];
			if (memcmp(out + tk->start, title + tk->start, tk->end - tk->start)) {
				memcpy(out + tk->start, title + tk->start, tk->end - tk->start);
				changed = 1;
			}
		}
	}
	free(h);
	free(title);
	return changed;
}
