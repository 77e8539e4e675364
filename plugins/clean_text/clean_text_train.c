/*
 * clean_text_train: fits the line model (line_model.h) on scraper dumps
 * with their gold article text, and writes line_model_weights.c.
 *
 *   clean_text_train LIST OUT.c
 *
 * LIST has one page a line: the dump's path, a tab, the gold text's path
 * (bench/clean/text_run --train writes it for the fit part of the split).
 * A line of a dump is labelled article text when half or more of its word
 * bigrams (its word, for a one-word line) occur in the gold text; each line
 * weighs as many as its words, as the score counts words. All stages are
 * L2-regularised logistic regressions fitted by Newton's method from zero
 * weights: the same input always gives the same weights.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean_core.h"
#include "hash.h"
#include "line_model.h"

extern const char wn_junk_phrases_default[];
extern const size_t wn_junk_phrases_default_len;

/* Rows of one stage: features (float), label, weight. */
typedef struct rows {
	float *x;
	unsigned char *y;
	float *w;
	size_t n, cap, nf;
} rows;

/* A sorted set of 64-bit hashes (the gold's words and bigrams). */
typedef struct hset {
	uint64_t *v;
	size_t n;
} hset;

typedef struct trainer {
	rows r;
	hset gold;
	int stage;
	int oom;
} trainer;

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (b = malloc((size_t)len + 1)) && fread(b, 1, (size_t)len, f) == (size_t)len) {
		b[len] = '\0';
		*n = (size_t)len;
	} else {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

static int wb(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* Hashes of the lowercased word tokens of s[0..n) into *out (malloc'd). */
static size_t tokens(const char *s, size_t n, uint64_t **out)
{
	size_t cap = n / 2 + 1, m = 0;
	uint64_t *v = malloc(cap * sizeof *v);
	char buf[256];

	*out = v;
	if (!v)
		return 0;
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		while (i < n && !wb((unsigned char)s[i]))
			i++;
		while (i + k < n && wb((unsigned char)s[i + k]))
			k++;
		if (!k)
			break;
		size_t c = k < sizeof buf ? k : sizeof buf;
		for (size_t j = 0; j < c; j++)
			buf[j] =
			    (char)(s[i + j] >= 'A' && s[i + j] <= 'Z' ? s[i + j] + 32 : s[i + j]);
		v[m++] = wn_fnv1a64(buf, c);
		i += k;
	}
	return m;
}

static uint64_t bigram(uint64_t a, uint64_t b)
{
	return a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int hset_has(const hset *h, uint64_t k)
{
	return bsearch(&k, h->v, h->n, sizeof k, cmp_u64) != NULL;
}

/* The gold's words and bigrams. */
static int gold_set(const char *text, size_t n, hset *h)
{
	uint64_t *t;
	size_t m = tokens(text, n, &t);

	if (!t)
		return -1;
	h->v = malloc((2 * m + 1) * sizeof *h->v);
	if (!h->v) {
		free(t);
		return -1;
	}
	h->n = 0;
	for (size_t i = 0; i < m; i++) {
		h->v[h->n++] = t[i];
		if (i + 1 < m)
			h->v[h->n++] = bigram(t[i], t[i + 1]);
	}
	qsort(h->v, h->n, sizeof *h->v, cmp_u64);
	free(t);
	return 0;
}

/* Label and weight of one line (weight 0: no words, not used). */
static int label(const hset *g, const char *s, size_t n, float *w)
{
	uint64_t *t;
	size_t m = tokens(s, n, &t), hit = 0;

	*w = (float)m;
	if (!t || m == 0) {
		free(t);
		*w = 0;
		return 0;
	}
	if (m == 1)
		hit = hset_has(g, t[0]) ? 2 : 0;
	else
		for (size_t i = 0; i + 1 < m; i++)
			hit += hset_has(g, bigram(t[i], t[i + 1]));
	free(t);
	return m == 1 ? hit > 0 : 2 * hit >= m - 1;
}

static void on_doc(void *ud, size_t n, const char *const *lines, const size_t *lens,
                   const double *x, size_t nf, int stage)
{
	trainer *tr = ud;
	rows *r = &tr->r;

	if (stage != tr->stage || tr->oom)
		return;
	for (size_t i = 0; i < n; i++) {
		float w;
		int y = label(&tr->gold, lines[i], lens[i], &w);
		if (w <= 0)
			continue;
		if (r->n == r->cap) {
			size_t cap = r->cap ? 2 * r->cap : 65536;
			float *nx = realloc(r->x, cap * nf * sizeof *nx);
			unsigned char *ny = nx ? realloc(r->y, cap) : NULL;
			float *nw = ny ? realloc(r->w, cap * sizeof *nw) : NULL;
			if (nx)
				r->x = nx;
			if (ny)
				r->y = ny;
			if (!nw) {
				tr->oom = 1;
				return;
			}
			r->w = nw;
			r->cap = cap;
		}
		for (size_t k = 0; k < nf; k++)
			r->x[r->n * nf + k] = (float)x[i * nf + k];
		r->y[r->n] = (unsigned char)y;
		r->w[r->n] = w;
		r->n++;
	}
	r->nf = nf;
}

/* Solves A z = b (A symmetric positive definite, d x d) in place by
 * Cholesky; b gets z. Returns -1 when A is not positive definite. */
static int cholesky_solve(double *a, double *b, size_t d)
{
	for (size_t j = 0; j < d; j++) {
		double s = a[j * d + j];
		for (size_t k = 0; k < j; k++)
			s -= a[j * d + k] * a[j * d + k];
		if (s <= 0)
			return -1;
		a[j * d + j] = sqrt(s);
		for (size_t i = j + 1; i < d; i++) {
			double t = a[i * d + j];
			for (size_t k = 0; k < j; k++)
				t -= a[i * d + k] * a[j * d + k];
			a[i * d + j] = t / a[j * d + j];
		}
	}
	for (size_t i = 0; i < d; i++) {
		for (size_t k = 0; k < i; k++)
			b[i] -= a[i * d + k] * b[k];
		b[i] /= a[i * d + i];
	}
	for (size_t i = d; i-- > 0;) {
		for (size_t k = i + 1; k < d; k++)
			b[i] -= a[k * d + i] * b[k];
		b[i] /= a[i * d + i];
	}
	return 0;
}

/* Fits w (r->nf values) by Newton's method with an L2 penalty. */
static int fit(const rows *r, double *w)
{
	size_t d = r->nf;
	double *h = malloc(d * d * sizeof *h), *g = malloc(d * sizeof *g),
	       *x = malloc(d * sizeof *x);
	double sw = 0;

	if (!h || !g || !x)
		return -1;
	for (size_t i = 0; i < r->n; i++)
		sw += r->w[i];
	memset(w, 0, d * sizeof *w);
	for (int it = 0; it < 25; it++) {
		double lam = 1e-4 * sw, step = 0, loss = 0;
		memset(h, 0, d * d * sizeof *h);
		for (size_t k = 0; k < d; k++) {
			g[k] = -lam * w[k];
			h[k * d + k] = lam;
		}
		for (size_t i = 0; i < r->n; i++) {
			double z = 0, p, c;
			for (size_t k = 0; k < d; k++)
				z += w[k] * (x[k] = r->x[i * d + k]);
			p = 1 / (1 + exp(-z));
			loss -= r->w[i] * log(r->y[i] ? p + 1e-12 : 1 - p + 1e-12);
			c = r->w[i] * p * (1 - p);
			for (size_t k = 0; k < d; k++) {
				g[k] += r->w[i] * (r->y[i] - p) * x[k];
				for (size_t j = 0; j <= k; j++)
					h[k * d + j] += c * x[k] * x[j];
			}
		}
		for (size_t k = 0; k < d; k++)
			for (size_t j = k + 1; j < d; j++)
				h[k * d + j] = h[j * d + k];
		if (cholesky_solve(h, g, d))
			break;
		for (size_t k = 0; k < d; k++) {
			w[k] += g[k];
			step += fabs(g[k]);
		}
		fprintf(stderr, "   iteration %d: loss per word %.5f, step %.2g\n", it, loss / sw,
		        step);
		if (step < 1e-6)
			break;
	}
	free(h);
	free(g);
	free(x);
	return 0;
}

/* Runs the core over every listed page, collecting one stage's rows. */
static int collect(char *list, size_t listn, const wn_phrases *ph, const double *w1,
                   const double *w2, trainer *tr)
{
	char *save = NULL;
	char *copy = strndup(list, listn);

	if (!copy)
		return -1;
	for (char *ln = strtok_r(copy, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(ln, '\t'), *dump, *gold;
		size_t dn, gn;
		wn_clean_opts o = {0};
		wn_clean_result res;
		if (!tab)
			continue;
		*tab = '\0';
		dump = slurp(ln, &dn);
		gold = slurp(tab + 1, &gn);
		if (!dump || !gold || gold_set(gold, gn, &tr->gold)) {
			fprintf(stderr, "clean_text_train: cannot read %s or %s\n", ln, tab + 1);
			free(dump);
			free(gold);
			free(copy);
			return -1;
		}
		o.phrases = ph;
		o.lm_w1 = w1;
		o.lm_w2 = w2;
		o.train = on_doc;
		o.train_ud = tr;
		if (wn_clean_text(dump, dn, &o, &res) == 0)
			wn_clean_result_free(&res);
		free(tr->gold.v);
		free(dump);
		free(gold);
	}
	free(copy);
	return tr->oom ? -1 : 0;
}

/* Frees a stage's rows (the next stage has another width). */
static void rows_free(rows *r)
{
	free(r->x);
	free(r->y);
	free(r->w);
	memset(r, 0, sizeof *r);
}

static void print_weights(FILE *f, const char *name, const char *n, const double *w, size_t d)
{
	fprintf(f, "const double %s[%s] = {", name, n);
	for (size_t k = 0; k < d; k++)
		fprintf(f, "%s%s%.6f", k ? "," : "", k % 6 ? " " : "\n    ", w[k]);
	fprintf(f, "};\n");
}

int main(int argc, char **argv)
{
	double w1[WN_LM_NF1], w2[WN_LM_NF2], w3[WN_LM_NF2];
	trainer tr = {0};
	wn_phrases *ph = wn_phrases_new();
	size_t ln;
	char *list;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: clean_text_train LIST OUT.c\n");
		return 2;
	}
	list = slurp(argv[1], &ln);
	if (!list || !ph ||
	    wn_phrases_parse(ph, wn_junk_phrases_default, wn_junk_phrases_default_len, NULL)) {
		fprintf(stderr, "clean_text_train: cannot read %s\n", argv[1]);
		return 1;
	}
	tr.stage = 1;
	if (collect(list, ln, ph, NULL, NULL, &tr) || fit(&tr.r, w1))
		return 1;
	fprintf(stderr, "stage 1: %zu lines\n", tr.r.n);
	rows_free(&tr.r);
	tr.stage = 2;
	if (collect(list, ln, ph, w1, NULL, &tr) || fit(&tr.r, w2))
		return 1;
	fprintf(stderr, "stage 2: %zu lines\n", tr.r.n);
	rows_free(&tr.r);
	tr.stage = 3;
	if (collect(list, ln, ph, w1, w2, &tr) || fit(&tr.r, w3))
		return 1;
	fprintf(stderr, "stage 3: %zu lines\n", tr.r.n);
	f = fopen(argv[2], "w");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	fprintf(f, "/* Generated by clean_text_train (see README.md, \"Retraining\"); do not "
	           "edit. */\n#include \"line_model.h\"\n\n");
	print_weights(f, "wn_lm_w1", "WN_LM_NF1", w1, WN_LM_NF1);
	print_weights(f, "wn_lm_w2", "WN_LM_NF2", w2, WN_LM_NF2);
	print_weights(f, "wn_lm_w3", "WN_LM_NF2", w3, WN_LM_NF2);
	if (fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	rows_free(&tr.r);
	free(list);
	wn_phrases_free(ph);
	return 0;
}
