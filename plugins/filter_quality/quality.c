/*
 * filter_quality core. See quality.h.
 */
#include "quality.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "text_norm.h"
#include "utf8.h"

/* Punctuation ordinary prose uses; anything else of category P or S is a
 * "symbol" (pipes, bullets, arrows, currency, emoji...). */
static int is_prose_punct(uint32_t cp)
{
	if (cp < 0x80)
		return cp && strchr(".,;:!?'\"()-%", (int)cp) != NULL;
	return cp == 0x2019 || cp == 0x2018 || cp == 0x201C || cp == 0x201D || cp == 0x2013 ||
	       cp == 0x2014 || cp == 0x2026 || cp == 0x3001 || cp == 0x3002 || cp == 0xFF0C ||
	       cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1A || cp == 0xFF1B || cp == 0x00AB ||
	       cp == 0x00BB || cp == 0x300C || cp == 0x300D || cp == 0xFF08 || cp == 0xFF09;
}

static int is_sentence_end(uint32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x3002 ||
	       cp == 0xFF01 || cp == 0xFF1F || cp == 0x061F || cp == 0x0964;
}

/* Length of the URL starting at s, or 0 when none starts there. */
static size_t url_len(const char *s, size_t n)
{
	size_t k = 0;

	if (!(n >= 7 && !strncmp(s, "http://", 7)) && !(n >= 8 && !strncmp(s, "https://", 8)) &&
	    !(n >= 4 && !strncmp(s, "www.", 4)))
		return 0;
	while (k < n && !isspace((unsigned char)s[k]))
		k++;
	return k;
}

/* Counts non-empty lines equal to an earlier line (compared after
 * trimming). Quadratic in lines, bounded by the record size limit. */
static size_t repeated_lines(const char *t, size_t n, size_t *lines)
{
	size_t cap = 16, m = 0, rep = 0;
	struct span {
		const char *s;
		size_t n;
	} *v = malloc(cap * sizeof *v);

	if (!v)
		return (size_t)-1;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && t[j] != '\n')
			j++;
		size_t a = i, b = j;
		while (a < b && isspace((unsigned char)t[a]))
			a++;
		while (b > a && isspace((unsigned char)t[b - 1]))
			b--;
		if (b > a) {
			for (size_t k = 0; k < m; k++)
				if (v[k].n == b - a && !memcmp(v[k].s, t + a, b - a)) {
					rep++;
					break;
				}
			if (m == cap) {
				struct span *nv = realloc(v, (cap *= 2) * sizeof *v);
				if (!nv) {
					free(v);
					return (size_t)-1;
				}
				v = nv;
			}
			v[m].s = t + a;
			v[m++].n = b - a;
		}
		i = j + 1;
	}
	free(v);
	*lines = m;
	return rep;
}

int wn_quality_measure(const char *text, size_t n, wn_quality_stats *st)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t url_end = 0;

	memset(st, 0, sizeof *st);
	st->words = wn_text_word_count(text, n);
	for (size_t i = 0; i < n;) {
		uint32_t cp, next = ' ';
		size_t k = wn_utf8_decode(u + i, n - i, &cp);
		utf8proc_category_t c;
		if (!k) {
			i++;
			continue;
		}
		if (i >= url_end) {
			size_t ul = url_len(text + i, n - i);
			if (ul)
				url_end = i + ul;
		}
		if (i + k < n)
			wn_utf8_decode(u + i + k, n - i - k, &next);
		c = utf8proc_category((utf8proc_int32_t)cp);
		if (!(cp < 0x80 && isspace((int)cp)) && c != UTF8PROC_CATEGORY_ZS) {
			st->nonspace++;
			if (i < url_end)
				st->link_chars++;
			else if (c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_SO &&
			         !is_prose_punct(cp))
				st->symbols++;
		}
		/* an end mark followed by a break, a closer or the end; a run
		 * of marks ("?!", "...") counts once */
		if (is_sentence_end(cp) && !is_sentence_end(next) && i >= url_end &&
		    (i + k >= n || next == ' ' || next == '\n' || next == '"' || next == 0x201D ||
		     next == 0x2019 || next == ')' || cp >= 0x3000))
			st->sentences++;
		i += k;
	}
	st->repeated_lines = repeated_lines(text, n, &st->lines);
	return st->repeated_lines == (size_t)-1 ? -1 : 0;
}

/* True when the word w (k bytes) is in the list, case aside. */
static int in_list(const char *const *list, const char *w, size_t k)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == k && !strncasecmp(list[i], w, k))
			return 1;
	return 0;
}

/* True when lang's primary tag is in the list. */
static int lang_allowed(const char *const *langs, const char *lang)
{
	size_t k = 0;

	if (!lang)
		return 0;
	while (lang[k] && lang[k] != '-' && lang[k] != '_')
		k++;
	return in_list(langs, lang, k);
}

const char *wn_quality_check_type(const wn_quality_rules *r, const char *page_type,
                                  double confidence, char *msg, size_t cap)
{
	if (!page_type)
		return NULL;
	if (r->page_types && r->page_types[0] &&
	    !in_list(r->page_types, page_type, strlen(page_type))) {
		snprintf(msg, cap, "page type %s is not in the kept list", page_type);
		return "page_types";
	}
	if (r->min_page_type_confidence > 0 && confidence < r->min_page_type_confidence) {
		snprintf(msg, cap, "page type %s at confidence %.3f, below %.3f", page_type,
		         confidence, r->min_page_type_confidence);
		return "min_page_type_confidence";
	}
	return NULL;
}

static double ratio(size_t a, size_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

const char *wn_quality_check(const wn_quality_rules *r, const wn_quality_stats *st,
                             const char *lang, char *msg, size_t cap)
{
	double x;

	if (r->langs && r->langs[0] && !lang_allowed(r->langs, lang)) {
		snprintf(msg, cap, "language %s is not in the allowed list",
		         lang ? lang : "unknown");
		return "langs";
	}
	if (r->min_words > 0 && st->words < (size_t)r->min_words) {
		snprintf(msg, cap, "%zu words, fewer than %lld", st->words,
		         (long long)r->min_words);
		return "min_words";
	}
	if (r->min_sentences > 0 && st->sentences < (size_t)r->min_sentences) {
		snprintf(msg, cap, "%zu sentences, fewer than %lld", st->sentences,
		         (long long)r->min_sentences);
		return "min_sentences";
	}
	if ((x = ratio(st->symbols, st->nonspace)) > r->max_symbol_ratio) {
		snprintf(msg, cap, "symbol ratio %.3f above %.3f", x, r->max_symbol_ratio);
		return "max_symbol_ratio";
	}
	if ((x = ratio(st->link_chars, st->nonspace)) > r->max_link_ratio) {
		snprintf(msg, cap, "link ratio %.3f above %.3f", x, r->max_link_ratio);
		return "max_link_ratio";
	}
	if ((x = ratio(st->repeated_lines, st->lines)) > r->max_repeated_line_ratio) {
		snprintf(msg, cap, "repeated line ratio %.3f above %.3f", x,
		         r->max_repeated_line_ratio);
		return "max_repeated_line_ratio";
	}
	return NULL;
}
