/*
 * The line model: features and the two logistic stages. See line_model.h.
 * Feature values are scaled to about [0, 1] so that one L2 penalty fits
 * them all.
 */
#include "line_model.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "stopwords.h"
#include "text_norm.h"

/* Function words (lib/core/stopwords.h: seven European languages): a
 * sentence has a quarter or more of them, a menu or a headline list few.
 * Lines in other scripts get a neutral value (NEUTRAL_STOP), as the model
 * has not seen them. */
#define NEUTRAL_STOP 0.35
#define NEUTRAL_CAPS 0.2

/* Non-anchor letters between two anchors that still keep them in one
 * region: a subheading, a caption, a short list. */
#define REGION_GAP 800

/* Words of this many bytes or more carry a story's topic ("harbour",
 * "library"); shorter ones are mostly function words. */
#define STORY_WORD 5
/* An appended story shares under this share of its words of STORY_WORD
 * bytes with the headline and the kept paragraphs before it. */
#define STORY_CUT 0.15
/* ... and is at most this many times as long as those paragraphs: a run
 * longer than that is the story itself, after a gallery's captions or a
 * promotion the model kept above it (an appendix is an appendix). */
#define STORY_APPENDIX 2

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* The next word token at or after *p (a run of ASCII letters and digits or
 * of non-ASCII bytes, close to \w over UTF-8); sets *p to its start and
 * returns its length, 0 at the end. */
static size_t next_token(const char **p, const char *end)
{
	const char *s = *p;
	size_t k = 0;

	while (s < end && !word_byte((unsigned char)*s))
		s++;
	while (s + k < end && word_byte((unsigned char)s[k]))
		k++;
	*p = s;
	return k;
}

/* A set of word hashes with counts (open addressing, linear probing). */
typedef struct wset {
	uint64_t *h;
	unsigned *c;
	size_t cap;
} wset;

static int wset_init(wset *s, size_t words)
{
	s->cap = 64;
	while (s->cap < words * 2)
		s->cap *= 2;
	s->h = calloc(s->cap, sizeof *s->h);
	s->c = calloc(s->cap, sizeof *s->c);
	return s->h && s->c ? 0 : -1;
}

static void wset_free(wset *s)
{
	free(s->h);
	free(s->c);
}

static size_t wset_slot(const wset *s, uint64_t h)
{
	size_t i = (size_t)h & (s->cap - 1);

	h |= 1; /* 0 marks an empty slot */
	while (s->h[i] && s->h[i] != h)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Adds the content words (4+ bytes) of a folded line; the set must have
 * room (sized by the words of the whole document). */
static void wset_add_line_min(wset *s, const line *l, size_t min)
{
	const char *p = l->folded, *end = p + strlen(p);
	size_t k;

	for (; (k = next_token(&p, end)) > 0; p += k)
		if (k >= min) {
			uint64_t h = wn_fnv1a64(p, k) | 1;
			size_t i = wset_slot(s, h);
			s->h[i] = h;
			s->c[i]++;
		}
}

static void wset_add_line(wset *s, const line *l)
{
	wset_add_line_min(s, l, 4);
}

/* Share of a line's words of `len` bytes or more counted at least `min`
 * times in s; -1 when the line has none. */
static double wset_share_len(const wset *s, const line *l, unsigned min, size_t len)
{
	const char *p = l->folded, *end = p + strlen(p);
	size_t k, n = 0, in = 0;

	for (; (k = next_token(&p, end)) > 0; p += k)
		if (k >= len) {
			size_t i = wset_slot(s, wn_fnv1a64(p, k) | 1);
			n++;
			in += s->h[i] && s->c[i] >= min;
		}
	return n ? (double)in / (double)n : -1;
}

/* Share of a line's content words (4 bytes or more) counted at least
 * `min` times in s; -1 when the line has none. */
static double wset_share(const wset *s, const line *l, unsigned min)
{
	return wset_share_len(s, l, min, 4);
}

/* Stop-word share, capitalised-word share and punctuation per word. */
static void word_shapes(const line *l, int listed, double *stop, double *caps, double *punct)
{
	const char *p = l->s, *end = l->s + l->len;
	size_t k, n = 0, st = 0, cap = 0, alpha = 0, pu = 0;

	for (size_t i = 0; i < l->len; i++)
		pu += l->s[i] == ',' || l->s[i] == '.' || l->s[i] == ';' || l->s[i] == ':';
	for (; (k = next_token(&p, end)) > 0; p += k) {
		const char *f = p;
		char low[8];
		n++;
		if (*f >= 'A' && *f <= 'Z')
			cap++;
		if ((*f >= 'A' && *f <= 'Z') || (*f >= 'a' && *f <= 'z'))
			alpha++;
		if (k < sizeof low) {
			for (size_t j = 0; j < k; j++)
				low[j] = (char)(f[j] >= 'A' && f[j] <= 'Z' ? f[j] + 32 : f[j]);
			st += wn_is_stopword(low, k);
		}
	}
	if (!listed || l->script != WN_SCRIPT_LATIN || n == 0) {
		*stop = NEUTRAL_STOP;
		*caps = NEUTRAL_CAPS;
	} else {
		*stop = (double)st / (double)n;
		*caps = alpha ? (double)cap / (double)alpha : 0;
	}
	*punct = n ? (double)pu / (double)n : 0;
	if (*punct > 1)
		*punct = 1;
}

/* True when the anchors read as one of the languages of the stop-word
 * list (a fifth or more of their words are its function words): the
 * stop-word and capital signals are only measured then; other texts get
 * the neutral values. */
static int listed_language(const doc *d)
{
	size_t n = 0, st = 0;

	for (size_t i = 0; i < d->n; i++) {
		const line *l = &d->v[i];
		const char *p = l->s, *end = l->s + l->len;
		size_t k;
		if (!l->anchor && !l->prose)
			continue;
		for (; (k = next_token(&p, end)) > 0; p += k) {
			char low[8];
			n++;
			if (k < sizeof low) {
				for (size_t j = 0; j < k; j++)
					low[j] =
					    (char)(p[j] >= 'A' && p[j] <= 'Z' ? p[j] + 32 : p[j]);
				st += wn_is_stopword(low, k);
			}
		}
	}
	return n == 0 || st * 5 >= n;
}

/* The main region: the run of anchors (gaps under REGION_GAP letters)
 * with the most anchor letters. Returns 0 and sets [*a, *b], or -1. */
static int main_region(const doc *d, size_t *a, size_t *b)
{
	size_t best = 0, cur = 0, start = 0, gap = 0, last = 0;
	int open = 0;

	for (size_t i = 0; i < d->n; i++) {
		const line *l = &d->v[i];
		if (!l->anchor) {
			gap += l->letters;
			continue;
		}
		if (!open || gap > REGION_GAP) {
			start = i;
			cur = 0;
			open = 1;
		}
		cur += l->letters;
		gap = 0;
		last = i;
		if (cur > best) {
			best = cur;
			*a = start;
			*b = last;
		}
	}
	return best ? 0 : -1;
}

/* Share of the letters of lines [i-r, i+r] (not i) that are prose. */
static double prose_share(const doc *d, size_t i, size_t r)
{
	size_t lo = i > r ? i - r : 0, hi = i + r < d->n ? i + r : d->n - 1, all = 0, pr = 0;

	for (size_t j = lo; j <= hi; j++)
		if (j != i) {
			all += d->v[j].letters;
			pr += d->v[j].prose ? d->v[j].letters : 0;
		}
	return all ? (double)pr / (double)all : 0;
}

/* Share of lines [i-r, i+r] (not i) whose text recurs in the document:
 * comment threads ("Reply"), cards ("Read more"), repeated widgets. */
static double dup_share(const doc *d, size_t i, size_t r)
{
	size_t lo = i > r ? i - r : 0, hi = i + r < d->n ? i + r : d->n - 1, all = 0, dup = 0;

	for (size_t j = lo; j <= hi; j++)
		if (j != i) {
			all++;
			dup += d->v[j].dup;
		}
	return all ? (double)dup / (double)all : 0;
}

/* A short line holding a date or a time ("March 3, 2024", "12/03/2024",
 * "5:50 am", "3 days ago"): bylines, comment headers, teaser cards. */
static int date_shaped(const line *l)
{
	static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                     "jul", "aug", "sep", "oct", "nov", "dec"};
	const char *f = l->folded;
	size_t n = strlen(f), digits = 0;
	int month = 0, sep = 0;

	if (l->words > 12)
		return 0;
	for (size_t i = 0; i < n; i++) {
		digits += f[i] >= '0' && f[i] <= '9';
		if (i > 0 && i + 1 < n && (f[i] == '/' || f[i] == ':' || f[i] == '-') &&
		    f[i - 1] >= '0' && f[i - 1] <= '9' && f[i + 1] >= '0' && f[i + 1] <= '9')
			sep = 1;
	}
	for (size_t m = 0; m < 12 && !month; m++) {
		const char *p = strstr(f, months[m]);
		month = p && (p == f || p[-1] == ' ') && digits > 0;
	}
	return month || (sep && digits >= 3) || (digits && strstr(f, " ago"));
}

/* Share of a line's words that address the reader or speak for the site:
 * "we", "our", "you", "your" and their forms in the languages of the
 * stop-word list. Promotion, calls to action, newsletter boxes and author
 * boxes talk so; a news story mostly reports in the third person. Folded,
 * "US" (the country) reads as "us": the model learnt with that. */
static double address_share(const line *l)
{
	/* English, German, French, Spanish, Italian, Portuguese, Dutch */
	static const char *const w[] = {
	    "we",      "our",      "ours",    "us",      "you",         "your",
	    "yours",   "wir",      "unser",   "unsere",  "unseren",     "unserem",
	    "unserer", "uns",      "du",      "dein",    "deine",       "euch",
	    "euer",    "nous",     "notre",   "nos",     "vous",        "votre",
	    "vos",     "nosotros", "nuestro", "nuestra", "nuestros",    "nuestras",
	    "usted",   "ustedes",  "vuestro", "noi",     "nostro",      "nostra",
	    "nostri",  "nostre",   "voi",     "vostro",  "vostra",      "n\xc3\xb3s",
	    "nosso",   "nossa",    "nossos",  "nossas",  "voc\xc3\xaa", "voc\xc3\xaas",
	    "wij",     "ons",      "onze",    "jij",     "jouw",        "uw"};
	const char *p = l->folded, *end = p + strlen(p);
	size_t k, n = 0, in = 0;

	for (; (k = next_token(&p, end)) > 0; p += k) {
		n++;
		for (size_t j = 0; j < sizeof w / sizeof *w; j++)
			if (strlen(w[j]) == k && memcmp(w[j], p, k) == 0) {
				in++;
				break;
			}
	}
	return n ? (double)in / (double)n : 0;
}

/* The address share (feature 38 of x1's rows) of lines [i-3, i+3] (not
 * i), weighted by their words: a line inside a promotion or an author box
 * reads plainly itself ("Subscribe now") while the lines around it talk to
 * the reader. */
static double address_around(const doc *d, const double *x1, size_t i)
{
	size_t lo = i > 3 ? i - 3 : 0, hi = i + 3 < d->n ? i + 3 : d->n - 1;
	double a = 0, wsum = 0;

	for (size_t j = lo; j <= hi; j++)
		if (j != i) {
			a += x1[j * WN_LM_NF1 + 38] * (double)d->v[j].words;
			wsum += (double)d->v[j].words;
		}
	return wsum > 0 ? a / wsum : 0;
}

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

int wn_lm_features1(const doc *d, double *x1)
{
	size_t total = 0, words = 0, before = 0, ra = 0, rb = 0, bstart = 0, bend = 0;
	int region = main_region(d, &ra, &rb) == 0, lead_n = 0, listed;
	wset lead, body;

	for (size_t i = 0; i < d->n; i++) {
		total += d->v[i].letters;
		words += d->v[i].words + 1;
	}
	listed = listed_language(d);
	if (wset_init(&lead, words) || wset_init(&body, words)) {
		wset_free(&lead);
		wset_free(&body);
		return -1;
	}
	/* the lead: the headline and the first two anchors of the region */
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].title)
			wset_add_line(&lead, &d->v[i]);
	for (size_t i = ra; region && i <= rb; i++) {
		wset_add_line(&body, &d->v[i]);
		if (d->v[i].anchor && lead_n < 2) {
			wset_add_line(&lead, &d->v[i]);
			lead_n++;
		}
	}
	for (size_t i = 0; i < d->n; i++) {
		const line *l = &d->v[i];
		double *x = x1 + i * WN_LM_NF1, stop, caps, punct, sl, sb;
		size_t blines;
		if (i >= bend) { /* a new block: blocks are contiguous runs */
			bstart = bend = i;
			while (bend < d->n && d->v[bend].block == l->block)
				bend++;
		}
		blines = bend - bstart;
		word_shapes(l, listed, &stop, &caps, &punct);
		sl = wset_share(&lead, l, 1);
		sb = wset_share(&body, l, 2);
		x[0] = 1;
		x[1] = log1p((double)l->letters) / 6;
		x[2] = log1p((double)l->words) / 4;
		x[3] = l->terminal;
		x[4] = l->prose;
		x[5] = stop;
		x[6] = punct;
		x[7] = caps;
		x[8] = l->nonspace ? 1 - (double)l->letters / (double)l->nonspace : 0;
		x[9] = l->url;
		x[10] = l->menu;
		x[11] = clamp(l->phrase, 0, 3) / 3;
		x[12] = clamp(l->score, -1, 6) / 6;
		x[13] = l->head;
		x[14] = l->tail;
		x[15] = l->dup;
		x[16] = total ? (double)before / (double)total : 0;
		x[17] = l->bullet;
		x[18] = log1p((double)blines) / 3;
		x[19] = l->colon_end;
		x[20] = region && i >= ra && i <= rb;
		x[21] = region && i < ra ? log1p((double)(ra - i)) / 5 : 0;
		x[22] = region && i > rb ? log1p((double)(i - rb)) / 5 : 0;
		x[23] = sl < 0 ? 0 : sl;
		x[24] = sb < 0 ? 0 : sb;
		x[25] = prose_share(d, i, 3);
		x[26] = prose_share(d, i, 10);
		x[27] = l->script != WN_SCRIPT_LATIN;
		x[28] = i > 0 && d->v[i - 1].prose;
		x[29] = i + 1 < d->n && d->v[i + 1].prose;
		x[30] = l->anchor;
		x[31] = l->opens_list;
		x[32] = l->words ? clamp((double)l->letters / (double)l->words / 10, 0, 1) : 0;
		x[33] = sl < 0 && sb < 0;
		x[34] = dup_share(d, i, 5);
		x[35] = date_shaped(l);
		x[36] = i > 0 && date_shaped(&d->v[i - 1]);
		x[37] = i + 1 < d->n && date_shaped(&d->v[i + 1]);
		x[38] = address_share(l);
		before += l->letters;
	}
	for (size_t i = 0; i < d->n; i++) /* the neighbours' shares are all known now */
		x1[i * WN_LM_NF1 + 39] = address_around(d, x1, i);
	wset_free(&lead);
	wset_free(&body);
	return 0;
}

/* Letter-weighted mean of p over lines [i-r, i+r] (not i); 0.5 if none. */
static double mean_p(const doc *d, const double *p, size_t i, size_t r)
{
	size_t lo = i > r ? i - r : 0, hi = i + r < d->n ? i + r : d->n - 1;
	double s = 0, w = 0;

	for (size_t j = lo; j <= hi; j++)
		if (j != i) {
			double lw = 1 + (double)d->v[j].letters;
			s += p[j] * lw;
			w += lw;
		}
	return w > 0 ? s / w : 0.5;
}

/* The densest run of lines the previous stage keeps: like main_region,
 * with lines of p >= 0.5 as anchors. */
static int p_region(const doc *d, const double *p, size_t *a, size_t *b)
{
	size_t best = 0, cur = 0, start = 0, gap = 0;
	int open = 0;

	for (size_t i = 0; i < d->n; i++) {
		if (p[i] < 0.5) {
			gap += d->v[i].letters;
			continue;
		}
		if (!open || gap > REGION_GAP) {
			start = i;
			cur = 0;
			open = 1;
		}
		cur += d->v[i].letters;
		gap = 0;
		if (cur > best) {
			best = cur;
			*a = start;
			*b = i;
		}
	}
	return best ? 0 : -1;
}

void wn_lm_features2(const doc *d, const double *x1, const double *p1, double *x2)
{
	double total = 0, seen = 0, all_s = 0, all_w = 0;
	size_t ra = 0, rb = 0;
	int region = p_region(d, p1, &ra, &rb) == 0;

	for (size_t i = 0; i < d->n; i++) {
		total += p1[i] * (double)d->v[i].letters;
		all_s += p1[i] * (1 + (double)d->v[i].letters);
		all_w += 1 + (double)d->v[i].letters;
	}
	for (size_t i = 0; i < d->n; i++) {
		double *x = x2 + i * WN_LM_NF2, self = p1[i] * (double)d->v[i].letters;
		memcpy(x, x1 + i * WN_LM_NF1, WN_LM_NF1 * sizeof *x);
		x += WN_LM_NF1;
		x[0] = p1[i];
		x[1] = i > 0 ? p1[i - 1] : 0;
		x[2] = i + 1 < d->n ? p1[i + 1] : 0;
		x[3] = i > 1 ? p1[i - 2] : 0;
		x[4] = i + 2 < d->n ? p1[i + 2] : 0;
		x[5] = mean_p(d, p1, i, 5);
		x[6] = mean_p(d, p1, i, 15);
		x[7] = total > 0 ? seen / total : 0;
		x[8] = total > 0 ? (total - seen - self) / total : 0;
		x[9] = all_w > (1 + (double)d->v[i].letters)
		           ? (all_s - p1[i] * (1 + (double)d->v[i].letters)) /
		                 (all_w - (1 + (double)d->v[i].letters))
		           : 0.5; /* mean_p over the whole document, in O(1) */
		x[10] = region && i >= ra && i <= rb;
		x[11] = region && i < ra ? log1p((double)(ra - i)) / 5 : 0;
		x[12] = region && i > rb ? log1p((double)(i - rb)) / 5 : 0;
		x[13] = mean_p(d, p1, i, 1);
		seen += self;
	}
}

double wn_lm_prob(const wn_lm_stage *st, const double *x)
{
	float xf[WN_LM_NF2];
	double z = 0;

	assert(st->nf <= WN_LM_NF2);
	for (size_t k = 0; k < st->nf; k++) {
		z += st->w[k] * x[k];
		xf[k] = (float)x[k];
	}
	z += wn_trees_sum(&st->trees, xf);
	return 1 / (1 + exp(-z));
}

int wn_lm_predict(doc *d)
{
	const wn_clean_opts *o = d->opts;
	const wn_lm_stage *st = o->lm_stages ? o->lm_stages : wn_lm_stages;
	double *x1 = malloc((d->n ? d->n : 1) * WN_LM_NF1 * sizeof *x1);
	double *x2 = malloc((d->n ? d->n : 1) * WN_LM_NF2 * sizeof *x2);
	double *p1 = malloc((d->n ? d->n : 1) * sizeof *p1);
	const char **lines = malloc((d->n ? d->n : 1) * sizeof *lines);
	size_t *lens = malloc((d->n ? d->n : 1) * sizeof *lens);
	int rc = -1;

	if (!x1 || !x2 || !p1 || !lines || !lens || wn_lm_features1(d, x1))
		goto out;
	for (size_t i = 0; i < d->n; i++) {
		p1[i] = wn_lm_prob(&st[0], x1 + i * WN_LM_NF1);
		lines[i] = d->v[i].s;
		lens[i] = d->v[i].len;
	}
	if (o->train)
		o->train(o->train_ud, d->n, lines, lens, x1, WN_LM_NF1, 1);
	/* stages 2 and 3: the same features, from the previous stage's p */
	for (int stage = 2; stage <= 3; stage++) {
		wn_lm_features2(d, x1, p1, x2);
		for (size_t i = 0; i < d->n; i++)
			p1[i] = wn_lm_prob(&st[stage - 1], x2 + i * WN_LM_NF2);
		if (o->train)
			o->train(o->train_ud, d->n, lines, lens, x2, WN_LM_NF2, stage);
	}
	for (size_t i = 0; i < d->n; i++)
		d->v[i].p = p1[i];
	rc = 0;
out:
	if (rc)
		for (size_t i = 0; i < d->n; i++)
			d->v[i].p = 1;
	free(x1);
	free(x2);
	free(p1);
	free(lines);
	free(lens);
	return rc;
}

/* Share of the content words of prose lines [a, b) found in the lead set;
 * -1 when they have fewer than 20 such words. *words gets the words of
 * those prose lines. */
static double run_share(const doc *d, const wset *lead, size_t a, size_t b, size_t *words)
{
	double in = 0, n = 0;

	*words = 0;
	for (size_t i = a; i < b; i++) {
		double s = d->v[i].prose ? wset_share_len(lead, &d->v[i], 1, STORY_WORD) : -1;
		*words += d->v[i].prose ? d->v[i].words : 0;
		if (s >= 0) {
			size_t w = d->v[i].words;
			in += s * (double)w;
			n += (double)w;
		}
	}
	return n >= 20 ? in / n : -1;
}

/* Does the line open with a dash (en or em dash, or a hyphen not
 * followed by a space: "- " is a list bullet, stripped before this sees
 * the line)? An attribution does ("— Robert Lee (@rlee) May 2, 2024"
 * under an embedded post, "– Reuters"); a headline does not. */
static int dash_led(const char *s, size_t n)
{
	return (n >= 1 && s[0] == '-') ||
	       (n >= 3 && !memcmp(s, "\xE2\x80", 2) && (s[2] == '\x93' || s[2] == '\x94'));
}

/* A headline-shaped line that may start another story: a few words, no
 * sentence ending, followed by prose within two lines. */
static int story_head(const doc *d, size_t i)
{
	const line *l = &d->v[i];
	return !l->prose && !l->terminal && l->words >= 3 && l->words <= 20 && !l->url &&
	       !dash_led(l->s, l->len) &&
	       ((i + 1 < d->n && d->v[i + 1].prose) || (i + 2 < d->n && d->v[i + 2].prose));
}

void wn_lm_story_end(doc *d)
{
	size_t words = 0, body = 0, body_words = 0, run_words = 0;
	wset seen;

	for (size_t i = 0; i < d->n; i++)
		words += d->v[i].words + 1;
	if (wset_init(&seen, words)) {
		wset_free(&seen);
		return; /* no memory: no cut, never a wrong one */
	}
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].title)
			wset_add_line_min(&seen, &d->v[i], STORY_WORD);
	for (size_t h = 0; h < d->n; h++) {
		size_t e = h + 1;
		double after;
		if (body >= 4 && story_head(d, h)) {
			while (e < d->n && !story_head(d, e))
				e++;
			/* an appended story stands last and shares few words
			 * with the story so far (sections of a long article
			 * share more; cutting earlier runs cost recall on the
			 * dev pages) */
			after = e == d->n ? run_share(d, &seen, h + 1, e, &run_words) : -1;
			if (after >= 0 && after < STORY_CUT &&
			    run_words <= STORY_APPENDIX * body_words) {
				for (size_t i = h; i < e; i++) {
					d->v[i].p = 0;
					d->v[i].second_story = 1;
				}
				h = e - 1;
				continue;
			}
		}
		if (d->v[h].prose && d->v[h].p >= 0.5) {
			wset_add_line_min(&seen, &d->v[h], STORY_WORD);
			body++;
			body_words += d->v[h].words;
		}
	}
	wset_free(&seen);
}
