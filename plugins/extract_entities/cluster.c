/*
 * Word classes from unlabelled text (see cluster.h): a vocabulary with
 * case statistics, neighbour-count vectors for the frequent words, and a
 * binary tree of clusters by bisecting spherical 2-means. Words of one
 * cluster occur between the same kinds of neighbours ("said", "told"; "Mr."
 * before; "Ministry", "Party" after), so a rare name shares the weights its
 * cluster learnt from frequent ones.
 */
#include "cluster.h"

#include "hash.h"
#include "tagger.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	MIN_COUNT = 2,   /* rarer words are left out (as unseen words are at run time) */
	MIN_CLUSTER = 5, /* words this frequent get a cluster */
	MAX_CLUSTERED = 20000,
	NCTX = 1000,          /* context words: the most frequent ones */
	DIM = 2 * (NCTX + 1), /* left and right, plus a sentence boundary each */
	MIN_LEAF = 6,         /* nodes this small are not split */
	KMEANS_ITERS = 8,
};

typedef struct vword {
	uint32_t key;
	uint32_t count, lower, upper; /* lower/upper: mid-sentence first letter */
	uint32_t info;
	int32_t ctx; /* context dimension, or -1 */
	int32_t row; /* vector row, or -1 */
} vword;

typedef struct vocab {
	vword *v;
	size_t n, cap;
	uint32_t *idx; /* open addressing: index + 1, 0 empty */
	size_t mask;
} vocab;

static int vocab_grow(vocab *vc)
{
	size_t ncap = vc->cap ? vc->cap * 2 : 1 << 14;
	vword *nv = realloc(vc->v, ncap * sizeof *nv);
	uint32_t *ni = calloc(ncap * 2, sizeof *ni);
	if (!nv || !ni) {
		free(ni);
		if (nv)
			vc->v = nv;
		return -1;
	}
	vc->v = nv, vc->cap = ncap;
	free(vc->idx);
	vc->idx = ni, vc->mask = ncap * 2 - 1;
	for (size_t k = 0; k < vc->n; k++) {
		size_t h = wn_mix32(vc->v[k].key) & vc->mask;
		while (vc->idx[h])
			h = (h + 1) & vc->mask;
		vc->idx[h] = (uint32_t)k + 1;
	}
	return 0;
}

/* The index slot of key: where it is, or the empty slot it would take. */
static size_t vocab_slot(const vocab *vc, uint32_t key)
{
	size_t h = wn_mix32(key) & vc->mask;
	while (vc->idx[h] && vc->v[vc->idx[h] - 1].key != key)
		h = (h + 1) & vc->mask;
	return h;
}

/* The entry of key, added when missing; NULL when out of memory. */
static vword *vocab_get(vocab *vc, uint32_t key)
{
	if (vc->n == vc->cap && vocab_grow(vc))
		return NULL;
	size_t h = vocab_slot(vc, key);
	if (vc->idx[h])
		return &vc->v[vc->idx[h] - 1];
	vc->idx[h] = (uint32_t)++vc->n;
	vword *w = &vc->v[vc->n - 1];
	*w = (vword){key, 0, 0, 0, 0, -1, -1};
	return w;
}

static vword *vocab_find(const vocab *vc, uint32_t key)
{
	size_t h = vocab_slot(vc, key);
	return vc->idx[h] ? &vc->v[vc->idx[h] - 1] : NULL;
}

static uint32_t tok_key(const char *s, const wn_token *k)
{
	return wn_ner_word_key(s + k->start, k->end - k->start);
}

static int count_words(vocab *vc, const char *const *text, const wn_tokens *const *tok, size_t ndoc)
{
	for (size_t d = 0; d < ndoc; d++)
		for (size_t i = 0; i < tok[d]->n; i++) {
			const wn_token *k = &tok[d]->v[i];
			vword *w = vocab_get(vc, tok_key(text[d], k));
			if (!w)
				return -1;
			w->count++;
			unsigned char c = (unsigned char)text[d][k->start];
			if (k->flags & WN_TOKF_SENT)
				continue; /* sentence-initial case says nothing */
			w->lower += c >= 'a' && c <= 'z';
			w->upper += c >= 'A' && c <= 'Z';
		}
	return 0;
}

/* Vocabulary indexes by falling count (ties: first seen first). */
static const vocab *sort_vc;
static int by_count(const void *a, const void *b)
{
	const vword *x = &sort_vc->v[*(const uint32_t *)a], *y = &sort_vc->v[*(const uint32_t *)b];
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* Context dimension of token j seen from the left (side 0) or right. */
static int ctx_dim(const vocab *vc, const char *s, const wn_tokens *t, size_t j, int side)
{
	if (j >= t->n)
		return side * (NCTX + 1) + NCTX;
	int c = vocab_find(vc, tok_key(s, &t->v[j]))->ctx;
	return c < 0 ? -1 : side * (NCTX + 1) + c;
}

/* Fills the neighbour vectors (sqrt counts, unit length) of rows [0, nrow). */
static void fill_vectors(const vocab *vc, const char *const *text, const wn_tokens *const *tok,
                         size_t ndoc, float *vec, size_t nrow)
{
	for (size_t d = 0; d < ndoc; d++)
		for (size_t i = 0; i < tok[d]->n; i++) {
			const wn_tokens *t = tok[d];
			const vword *w = vocab_find(vc, tok_key(text[d], &t->v[i]));
			if (w->row < 0)
				continue;
			int first = i == 0 || (t->v[i].flags & WN_TOKF_SENT);
			int l = first ? NCTX : ctx_dim(vc, text[d], t, i - 1, 0);
			size_t nx =
			    i + 1 < t->n && !(t->v[i + 1].flags & WN_TOKF_SENT) ? i + 1 : t->n;
			int r = ctx_dim(vc, text[d], t, nx, 1);
			float *v = vec + (size_t)w->row * DIM;
			if (l >= 0)
				v[l] += 1;
			if (r >= 0)
				v[r] += 1;
		}
	for (size_t r = 0; r < nrow; r++) {
		float *v = vec + r * DIM;
		double norm = 0;
		for (int k = 0; k < DIM; k++) {
			v[k] = sqrtf(v[k]); /* damps the most frequent neighbours */
			norm += (double)v[k] * v[k];
		}
		float inv = norm > 0 ? (float)(1 / sqrt(norm)) : 0;
		for (int k = 0; k < DIM; k++)
			v[k] *= inv;
	}
}

static float dot(const float *a, const float *b)
{
	float s = 0;
	for (int k = 0; k < DIM; k++)
		s += a[k] * b[k];
	return s;
}

static void normalise(float *c)
{
	float n = sqrtf(dot(c, c));
	for (int k = 0; k < DIM; k++)
		c[k] = n > 0 ? c[k] / n : 0;
}

typedef struct bisect {
	const float *vec;
	uint32_t *rowinfo; /* per row: path | depth << 12 */
	uint8_t *side;
	uint32_t *tmp;
	float *cen; /* 2 * DIM */
} bisect;

/* Splits rows[0..n) (most frequent first) into two by spherical 2-means:
 * seeds are the most frequent word and the word least like it. Returns the
 * size of side 0 after reordering rows (each side keeps its order). */
static size_t split2(bisect *b, uint32_t *rows, size_t n)
{
	float *c0 = b->cen, *c1 = b->cen + DIM;
	size_t far = 1;
	float lo = 2;
	for (size_t k = 1; k < n; k++) {
		float s = dot(b->vec + (size_t)rows[k] * DIM, b->vec + (size_t)rows[0] * DIM);
		if (s < lo)
			lo = s, far = k;
	}
	memcpy(c0, b->vec + (size_t)rows[0] * DIM, DIM * sizeof *c0);
	memcpy(c1, b->vec + (size_t)rows[far] * DIM, DIM * sizeof *c1);
	for (int it = 0; it < KMEANS_ITERS; it++) {
		for (size_t k = 0; k < n; k++) {
			const float *v = b->vec + (size_t)rows[k] * DIM;
			b->side[k] = dot(v, c1) > dot(v, c0);
		}
		memset(b->cen, 0, 2 * DIM * sizeof *c0);
		for (size_t k = 0; k < n; k++) {
			const float *v = b->vec + (size_t)rows[k] * DIM;
			float *c = b->side[k] ? c1 : c0;
			for (int j = 0; j < DIM; j++)
				c[j] += v[j];
		}
		normalise(c0), normalise(c1);
	}
	size_t n0 = 0, n1 = 0;
	for (size_t k = 0; k < n; k++)
		if (!b->side[k])
			rows[n0++] = rows[k];
		else
			b->tmp[n1++] = rows[k];
	memcpy(rows + n0, b->tmp, n1 * sizeof *rows);
	return n0;
}

static void bisect_rec(bisect *b, uint32_t *rows, size_t n, uint32_t path, uint32_t depth)
{
	size_t n0 = depth < WN_WI_MAX_DEPTH && n >= MIN_LEAF ? split2(b, rows, n) : 0;
	if (n0 == 0 || n0 == n) { /* a leaf */
		for (size_t k = 0; k < n; k++)
			b->rowinfo[rows[k]] = path | depth << 12;
		return;
	}
	bisect_rec(b, rows, n0, path << 1, depth + 1);
	bisect_rec(b, rows + n0, n - n0, path << 1 | 1, depth + 1);
}

/* Assigns contexts and rows by frequency, clusters the rows, and writes
 * each word's info. */
static int cluster_words(vocab *vc, const char *const *text, const wn_tokens *const *tok,
                         size_t ndoc)
{
	uint32_t *order = malloc(vc->n * sizeof *order);
	if (!order)
		return -1;
	for (size_t k = 0; k < vc->n; k++)
		order[k] = (uint32_t)k;
	sort_vc = vc;
	qsort(order, vc->n, sizeof *order, by_count);
	size_t nrow = 0;
	for (size_t r = 0; r < vc->n; r++) {
		vword *w = &vc->v[order[r]];
		if (r < NCTX)
			w->ctx = (int32_t)r;
		if (w->count >= MIN_CLUSTER && nrow < MAX_CLUSTERED)
			w->row = (int32_t)nrow++;
	}
	bisect b = {calloc(nrow * DIM + 1, sizeof(float)), calloc(nrow + 1, 4), calloc(nrow + 1, 1),
	            calloc(nrow + 1, 4), calloc(2 * DIM, sizeof(float))};
	uint32_t *rows = calloc(nrow + 1, sizeof *rows);
	int rc = -1;
	if (b.vec && b.rowinfo && b.side && b.tmp && b.cen && rows) {
		fill_vectors(vc, text, tok, ndoc, (float *)b.vec, nrow);
		for (size_t r = 0; r < nrow; r++)
			rows[r] = (uint32_t)r; /* rows are numbered by falling count */
		bisect_rec(&b, rows, nrow, 0, 0);
		for (size_t k = 0; k < vc->n; k++)
			if (vc->v[k].row >= 0)
				vc->v[k].info = b.rowinfo[vc->v[k].row];
		rc = 0;
	}
	free((float *)b.vec), free(b.rowinfo), free(b.side), free(b.tmp), free(b.cen);
	free(rows), free(order);
	return rc;
}

/* 0..6: six times the share of mid-sentence uses in lower case; 7: too few. */
static uint32_t lower_bin(const vword *w)
{
	uint32_t mid = w->lower + w->upper;
	if (mid < 2)
		return 7;
	return (uint32_t)lrint(6.0 * w->lower / mid);
}

static int write_table(const vocab *vc, uint32_t **slots, uint32_t *nslots)
{
	size_t nw = 0;
	for (size_t k = 0; k < vc->n; k++)
		nw += vc->v[k].count >= MIN_COUNT;
	uint32_t ns = 64;
	while (ns < 2 * nw + 1)
		ns <<= 1;
	uint32_t *t = calloc((size_t)ns * 2, sizeof *t);
	if (!t)
		return -1;
	for (size_t k = 0; k < vc->n; k++) {
		const vword *w = &vc->v[k];
		if (w->count < MIN_COUNT)
			continue;
		/* probed with the same mix by tagger.c's wn_ner_word_info */
		uint32_t h = wn_mix32(w->key) & (ns - 1);
		while (t[2 * h])
			h = (h + 1) & (ns - 1);
		t[2 * h] = w->key;
		t[2 * h + 1] = w->info | lower_bin(w) << 16;
	}
	*slots = t, *nslots = ns;
	return 0;
}

int wn_ner_words_build(const char *const *text, const wn_tokens *const *tok, size_t ndoc,
                       uint32_t **slots, uint32_t *nslots)
{
	vocab vc = {0};
	int rc = -1;
	if (vocab_grow(&vc) == 0 && count_words(&vc, text, tok, ndoc) == 0 &&
	    cluster_words(&vc, text, tok, ndoc) == 0)
		rc = write_table(&vc, slots, nslots);
	free(vc.v), free(vc.idx);
	return rc;
}
