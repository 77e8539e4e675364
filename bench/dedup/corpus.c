/*
 * The synthetic corpus of bench/dedup (see corpus.h). Everything derives
 * from the corpus seed through splitmix64, so a document renders to the
 * same bytes every time and on every host.
 */
#include "corpus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VOCAB 30000
#define SITES 300
#define WINDOW 1000 /* copies take one of the last WINDOW stories */
#define P_STORY 0.55
#define P_EXACT 0.08
#define SENT UINT32_MAX       /* token: end of sentence */
#define PARA (UINT32_MAX - 1) /* token: paragraph break */

typedef struct tokens {
	uint32_t *t;
	size_t n, cap;
	int oom;
} tokens;

struct corpus {
	uint64_t seed;
	size_t n, stories;
	corpus_doc *docs;
	char *words;       /* VOCAB NUL-terminated words */
	uint32_t *word_at; /* offset of each word in words */
	double *cdf;       /* Zipf cumulative distribution over the vocabulary */
	tokens a, b;       /* scratch for render */
};

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t next(uint64_t *s)
{
	return mix(*s += 0x9e3779b97f4a7c15ULL);
}

/* Uniform in [0, 1). */
static double unif(uint64_t *s)
{
	return (double)(next(s) >> 11) * 0x1.0p-53;
}

static uint32_t below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(((next(s) >> 32) * n) >> 32);
}

static uint64_t derive(uint64_t seed, uint64_t what, uint64_t i)
{
	return mix(seed ^ mix(what * 0x632be59bd9b4e019ULL + i));
}

static int push(tokens *v, uint32_t t)
{
	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 1024;
		uint32_t *nt = realloc(v->t, ncap * sizeof *nt);
		if (!nt) {
			v->oom = 1;
			return -1;
		}
		v->t = nt, v->cap = ncap;
	}
	v->t[v->n++] = t;
	return 0;
}

static uint32_t zipf_word(const corpus *c, uint64_t *s)
{
	double u = unif(s);
	size_t lo = 0, hi = VOCAB - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

/* A sentence of 6..20 words (each word Zipf-drawn), then SENT. */
static void sentence(const corpus *c, uint64_t *s, tokens *out)
{
	uint32_t len = 6 + below(s, 15);
	for (uint32_t i = 0; i < len; i++)
		push(out, zipf_word(c, s));
	push(out, SENT);
}

/* A story: 3..8 paragraphs of 1..5 sentences; 5% are short (two
 * sentences of at least 40 words in all). */
static void story(const corpus *c, uint32_t id, tokens *out)
{
	uint64_t s = derive(c->seed, 1, id);
	out->n = 0;
	if (unif(&s) < 0.05) {
		while (out->n < 40)
			sentence(c, &s, out);
		return;
	}
	uint32_t paras = 3 + below(&s, 6);
	for (uint32_t p = 0; p < paras; p++) {
		if (p)
			push(out, PARA);
		uint32_t sents = 1 + below(&s, 5);
		for (uint32_t k = 0; k < sents; k++)
			sentence(c, &s, out);
	}
}

/* A site's header (4..10 words) or footer (10..30 words): the same words
 * on every page of that site. */
static void boilerplate(const corpus *c, uint32_t site, int footer, tokens *out)
{
	uint64_t s = derive(c->seed, 2 + (uint64_t)footer, site);
	uint32_t len = footer ? 10 + below(&s, 21) : 4 + below(&s, 7);
	for (uint32_t i = 0; i < len; i++)
		push(out, zipf_word(c, &s));
	push(out, SENT);
}

static size_t count_words(const tokens *v)
{
	size_t n = 0;
	for (size_t i = 0; i < v->n; i++)
		n += v->t[i] < PARA;
	return n;
}

/* Swaps two paragraphs of in into out (a copy when fewer than two). */
static void reorder(const tokens *in, uint64_t *s, tokens *out)
{
	size_t starts[64], np = 0;
	starts[np++] = 0;
	for (size_t i = 0; i < in->n && np < 63; i++)
		if (in->t[i] == PARA)
			starts[np++] = i + 1;
	starts[np] = in->n + 1;
	uint32_t x = np > 1 ? below(s, (uint32_t)np) : 0, y = np > 1 ? below(s, (uint32_t)np) : 0;
	out->n = 0;
	for (size_t p = 0; p < np; p++) {
		size_t q = p == x ? y : p == y ? x : p;
		if (p)
			push(out, PARA);
		for (size_t i = starts[q]; i + 1 < starts[q + 1]; i++)
			push(out, in->t[i]);
	}
}

/* Edits in into out: each word substituted, deleted or preceded by an
 * inserted word at rate p_word, and after each sentence a new sentence
 * inserted at rate p_sent. */
static void edit(const corpus *c, const tokens *in, uint64_t *s, double p_word, double p_sent,
                 tokens *out)
{
	out->n = 0;
	for (size_t i = 0; i < in->n; i++) {
		uint32_t t = in->t[i];
		if (t < PARA && unif(s) < p_word) {
			double r = unif(s);
			if (r < 0.6)
				t = zipf_word(c, s); /* substituted */
			else if (r < 0.8)
				continue; /* deleted */
			else
				push(out, zipf_word(c, s)); /* inserted */
		}
		push(out, t);
		if (t == SENT && unif(s) < p_sent)
			sentence(c, s, out);
	}
}

/* The words of a copy: boilerplate and reordering at random, then
 * sentence and word edits sized so that, counting about 5 shingles lost
 * and 5 gained per word edit and a sentence's length gained per inserted
 * sentence, the Jaccard lands near the target. */
static void make_copy(corpus *c, size_t i, tokens *out)
{
	const corpus_doc *d = &c->docs[i];
	uint64_t s = derive(c->seed, 4, i);
	story(c, d->story, &c->a);
	if (d->exact) {
		tokens tmp = *out;
		*out = c->a, c->a = tmp;
		return;
	}
	double n = (double)count_words(&c->a), lost = 0, gained = 0, j = d->target;
	tokens *cur = &c->a, *alt = &c->b;
	if (unif(&s) < 0.3) {
		reorder(cur, &s, alt);
		tokens *t = cur;
		cur = alt, alt = t;
		lost += 12, gained += 12;
	}
	out->n = 0;
	if (unif(&s) < 0.4) {
		boilerplate(c, d->site, 0, out);
		alt->n = 0;
		boilerplate(c, d->site, 1, alt);
		gained += (double)(out->n + alt->n) + 8;
	}
	/* budget: how many "lost and gained" shingles reach the target */
	double budget = (n - lost - j * (n + gained)) / (1 + j);
	double sents = budget > 0 && unif(&s) < 0.5 ? unif(&s) * budget / 10 : 0;
	double words = (n - lost - 4 * sents - j * (n + gained + 17 * sents)) / (5 * (1 + j));
	double nsent = (double)cur->n - n; /* markers: about one per sentence */
	double p_word = words > 0 ? words / n : 0, p_sent = nsent > 0 ? sents / nsent : 0;
	size_t header = out->n;
	tokens body = {0};
	edit(c, cur, &s, p_word, p_sent, &body);
	for (size_t k = 0; k < body.n; k++)
		push(out, body.t[k]);
	if (header) {
		/* The footer was left in alt by boilerplate() above; edit() used
		 * only cur and body, so alt still holds it. */
		push(out, PARA);
		for (size_t k = 0; k < alt->n; k++)
			push(out, alt->t[k]);
	}
	out->oom |= body.oom;
	free(body.t);
}

static int grow(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 4096;
	while (ncap < need)
		ncap *= 2;
	char *nb = realloc(*buf, ncap);
	if (!nb)
		return -1;
	*buf = nb, *cap = ncap;
	return 0;
}

/* Renders tokens as prose; style != 0 varies case, punctuation and
 * spacing the way another site's template would (same normalised text). */
static size_t render(const corpus *c, const tokens *v, int style, char **buf, size_t *cap)
{
	size_t o = 0;
	int start = 1;
	for (size_t i = 0; i < v->n; i++) {
		if (grow(buf, cap, o + 64))
			return (size_t)-1;
		char *b = *buf;
		uint32_t t = v->t[i];
		if (t == SENT) {
			b[o++] = style == 2 ? '!' : '.';
			start = 1;
			continue;
		}
		if (t == PARA) {
			o += (size_t)(style == 1 ? (memcpy(b + o, "\r\n\r\n", 4), 4)
			                         : (memcpy(b + o, "\n\n", 2), 2));
			continue;
		}
		if (o && b[o - 1] != '\n')
			b[o++] = ' ';
		if (style == 2 && i % 7 == 3)
			b[o++] = ' ';
		const char *w = c->words + c->word_at[t];
		size_t len = strlen(w);
		memcpy(b + o, w, len);
		if (start || (style == 1 && i % 5 == 0))
			b[o] = (char)(b[o] - 'a' + 'A');
		if (style == 2 && i % 11 == 0)
			for (size_t k = 0; k < len; k++)
				b[o + k] = (char)(b[o + k] & ~0x20);
		o += len;
		if (style && i % 9 == 4 && v->t[i + 1 < v->n ? i + 1 : i] < PARA)
			b[o++] = style == 1 ? ';' : ',';
		start = 0;
	}
	if (grow(buf, cap, o + 1))
		return (size_t)-1;
	(*buf)[o] = '\0';
	return o;
}

size_t corpus_render(corpus *c, size_t i, char **buf, size_t *cap)
{
	const corpus_doc *d = &c->docs[i];
	tokens out = {0};
	int style = 0;
	if (d->is_copy) {
		make_copy(c, i, &out);
		style = d->exact ? 1 + (int)(i % 2) : 0;
	} else {
		story(c, d->story, &out);
		uint64_t s = derive(c->seed, 5, i);
		if (unif(&s) < 0.3) { /* the first site's own boilerplate */
			tokens body = out;
			out = (tokens){0};
			boilerplate(c, d->site, 0, &out);
			for (size_t k = 0; k < body.n; k++)
				push(&out, body.t[k]);
			push(&out, PARA);
			boilerplate(c, d->site, 1, &out);
			free(body.t);
		}
	}
	size_t len = out.oom ? (size_t)-1 : render(c, &out, style, buf, cap);
	free(out.t);
	return len;
}

/* Made-up words of 2..11 letters, shorter ones more frequent. */
static int vocabulary(corpus *c)
{
	c->words = malloc((size_t)VOCAB * 12);
	c->word_at = malloc(VOCAB * sizeof *c->word_at);
	c->cdf = malloc(VOCAB * sizeof *c->cdf);
	if (!c->words || !c->word_at || !c->cdf)
		return -1;
	uint64_t s = derive(c->seed, 6, 0);
	size_t o = 0;
	double sum = 0;
	for (uint32_t w = 0; w < VOCAB; w++) {
		uint32_t len = 2 + below(&s, 4) + below(&s, 7);
		c->word_at[w] = (uint32_t)o;
		for (uint32_t k = 0; k < len; k++)
			c->words[o++] = (char)('a' + below(&s, 26));
		c->words[o++] = '\0';
		sum += 1 / pow(w + 1, 1.05);
		c->cdf[w] = sum;
	}
	for (uint32_t w = 0; w < VOCAB; w++)
		c->cdf[w] /= sum;
	return 0;
}

corpus *corpus_new(size_t n, uint64_t seed)
{
	corpus *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->seed = seed, c->n = n;
	c->docs = calloc(n ? n : 1, sizeof *c->docs);
	if (!c->docs || vocabulary(c)) {
		corpus_free(c);
		return NULL;
	}
	uint64_t s = derive(seed, 7, 0);
	for (size_t i = 0; i < n; i++) {
		corpus_doc *d = &c->docs[i];
		d->site = (uint16_t)below(&s, SITES);
		if (c->stories == 0 || unif(&s) < P_STORY) {
			d->story = (uint32_t)c->stories++;
			continue;
		}
		uint32_t window = c->stories < WINDOW ? (uint32_t)c->stories : WINDOW;
		d->story = (uint32_t)c->stories - 1 - below(&s, window);
		d->is_copy = 1;
		d->exact = unif(&s) < P_EXACT;
		d->target = d->exact ? 1.0f : (float)(0.55 + 0.45 * unif(&s));
	}
	return c;
}

void corpus_free(corpus *c)
{
	if (!c)
		return;
	free(c->docs);
	free(c->words);
	free(c->word_at);
	free(c->cdf);
	free(c->a.t);
	free(c->b.t);
	free(c);
}

size_t corpus_size(const corpus *c)
{
	return c->n;
}

size_t corpus_stories(const corpus *c)
{
	return c->stories;
}

const corpus_doc *corpus_meta(const corpus *c, size_t i)
{
	return &c->docs[i];
}
