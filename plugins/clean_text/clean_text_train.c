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

/* Boosted stumps on the residual of the regression w: histogram
 * gradient boosting (Newton leaves, shrinkage SHRINK) over each feature
 * cut at up to NBINS quantiles of a sample. Fills s[0..ROUNDS). */
#define NBINS 32
#define ROUNDS 300
#define SHRINK 0.3
#define LEAF_L2 1.0

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

/* Cut points of feature f: distinct quantiles of every 37th row. */
static size_t cuts(const rows *r, size_t f, float *cut)
{
	size_t m = 0, k = 0;
	float *v = malloc((r->n / 37 + 1) * sizeof *v);

	if (!v)
		return 0;
	for (size_t i = 0; i < r->n; i += 37)
		v[m++] = r->x[i * r->nf + f];
	qsort(v, m, sizeof *v, cmp_float);
	for (size_t b = 1; b < NBINS; b++) {
		float c = v[b * m / NBINS];
		if (c < v[m - 1] && (k == 0 || c > cut[k - 1]))
			cut[k++] = c;
	}
	free(v);
	return k;
}

static int boost(const rows *r, const double *w, wn_lm_stump *s)
{
	size_t n = r->n, d = r->nf;
	unsigned char *bin = malloc(n * d);
	float(*cut)[NBINS] = malloc(d * sizeof *cut);
	size_t *ncut = calloc(d, sizeof *ncut);
	double *z = malloc(n * sizeof *z), *g = malloc(n * sizeof *g), *h = malloc(n * sizeof *h);

	if (!bin || !cut || !ncut || !z || !g || !h)
		return -1;
	for (size_t f = 0; f < d; f++)
		ncut[f] = cuts(r, f, cut[f]);
	for (size_t i = 0; i < n; i++) {
		double zi = 0;
		for (size_t f = 0; f < d; f++) {
			float x = r->x[i * d + f];
			unsigned char b = 0;
			while (b < ncut[f] && x > cut[f][b])
				b++;
			bin[i * d + f] = b;
			zi += w[f] * x;
		}
		z[i] = zi;
	}
	for (int k = 0; k < ROUNDS; k++) {
		double best = 0, G = 0, H = 0;
		size_t bf = 0, bb = 0;
		double gl_best = 0, hl_best = 0;
		for (size_t i = 0; i < n; i++) {
			double p = 1 / (1 + exp(-z[i]));
			g[i] = r->w[i] * (p - r->y[i]);
			h[i] = r->w[i] * p * (1 - p) + 1e-9;
			G += g[i];
			H += h[i];
		}
		for (size_t f = 0; f < d; f++) {
			double hg[NBINS + 1] = {0}, hh[NBINS + 1] = {0}, gl = 0, hl = 0;
			if (!ncut[f])
				continue;
			for (size_t i = 0; i < n; i++) {
				hg[bin[i * d + f]] += g[i];
				hh[bin[i * d + f]] += h[i];
			}
			for (size_t b = 0; b < ncut[f]; b++) {
				double gain;
				gl += hg[b];
				hl += hh[b];
				gain = gl * gl / (hl + LEAF_L2) +
				       (G - gl) * (G - gl) / (H - hl + LEAF_L2) -
				       G * G / (H + LEAF_L2);
				if (gain > best) {
					best = gain;
					bf = f;
					bb = b;
					gl_best = gl;
					hl_best = hl;
				}
			}
		}
		if (best <= 0)
			return k;
		s[k].f = (unsigned)bf;
		s[k].thr = cut[bf][bb];
		s[k].left = (float)(-SHRINK * gl_best / (hl_best + LEAF_L2));
		s[k].right = (float)(-SHRINK * (G - gl_best) / (H - hl_best + LEAF_L2));
		for (size_t i = 0; i < n; i++)
			z[i] += bin[i * d + bf] <= bb ? s[k].left : s[k].right;
		if (k % 50 == 49)
			fprintf(stderr, "   round %d: gain %.1f\n", k + 1, best);
	}
	free(bin);
	free(cut);
	free(ncut);
	free(z);
	free(g);
	free(h);
	return ROUNDS;
}

/* Runs the core over every listed page, collecting one stage's rows. */
static int collect(char *list, size_t listn, const wn_phrases *ph, const wn_lm_stage *model,
                   trainer *tr)
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
		o.lm_stages = model;
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

/* Fits one stage on the collected rows: the regression, then stumps. */
static int fit_stage(trainer *tr, double *w, wn_lm_stump *s, wn_lm_stage *st)
{
	int ns;

	if (fit(&tr->r, w))
		return -1;
	ns = boost(&tr->r, w, s);
	if (ns < 0)
		return -1;
	*st = (wn_lm_stage){w, tr->r.nf, s, (size_t)ns};
	fprintf(stderr, "stage %d: %zu lines, %d stumps\n", tr->stage, tr->r.n, ns);
	rows_free(&tr->r);
	return 0;
}

static void print_stage(FILE *f, int k, const wn_lm_stage *st)
{
	fprintf(f, "static const double w%d[] = {", k);
	for (size_t i = 0; i < st->nf; i++)
		fprintf(f, "%s%s%.6f", i ? "," : "", i % 6 ? " " : "\n    ", st->w[i]);
	fprintf(f, "};\nstatic const wn_lm_stump s%d[] = {", k);
	for (size_t i = 0; i < st->ns; i++)
		fprintf(f, "%s\n    {%u, %.9ef, %.6ef, %.6ef}", i ? "," : "", st->s[i].f,
		        st->s[i].thr, st->s[i].left, st->s[i].right);
	fprintf(f, "};\n");
}

int main(int argc, char **argv)
{
	static double w[3][WN_LM_NF2];
	static wn_lm_stump s[3][ROUNDS];
	wn_lm_stage model[3];
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
	for (int k = 0; k < 3; k++) {
		tr.stage = k + 1;
		/* stage k's rows need the stages before it: the model so far */
		if (collect(list, ln, ph, k ? model : NULL, &tr) ||
		    fit_stage(&tr, w[k], s[k], &model[k]))
			return 1;
		for (int j = k + 1; j < 3; j++)
			model[j] = model[k]; /* unused by stage k's rows */
	}
	f = fopen(argv[2], "w");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	fprintf(f, "/* Generated by clean_text_train (see README.md, \"Retraining\"); do not "
	           "edit. */\n/* clang-format off */\n#include \"line_model.h\"\n\n");
	for (int k = 0; k < 3; k++)
		print_stage(f, k + 1, &model[k]);
	fprintf(f,
	        "\nconst wn_lm_stage wn_lm_stages[3] = {\n    {w1, WN_LM_NF1, s1, %zu},\n"
	        "    {w2, WN_LM_NF2, s2, %zu},\n    {w3, WN_LM_NF2, s3, %zu}};\n",
	        model[0].ns, model[1].ns, model[2].ns);
	if (fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	free(list);
	wn_phrases_free(ph);
	return 0;
}
