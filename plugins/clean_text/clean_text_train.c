/*
 * clean_text_train: fits the line model (line_model.h) on scraper dumps
 * with their gold article text, and writes line_model_weights.c.
 *
 *   clean_text_train LIST OUT.c
 *
 * LIST has one page a line: the dump's path, a tab, the gold text's path,
 * and optionally a tab, the page type and a tab, its group (the domain;
 * bench/clean/text_run --train writes it for the fit part of the split).
 * A line of a dump is labelled article text when half or more of its word
 * bigrams (its word, for a one-word line) occur in the gold text; each line
 * weighs as many as its words, as the score counts words. Each stage is an
 * L2-regularised logistic regression fitted by Newton's method from zero
 * weights, then gradient-boosted trees (lib/train/boost.h) on its
 * residual: the same input always gives the same weights.
 *
 * Environment: CT_TREES (trees per stage, default 300), CT_DEPTH (their
 * depth, default 3), CT_LR (shrinkage, default 0.2), CT_FOLDS (default 5;
 * k > 1: first a k-fold cross-validation by group: the token F1 of each page
 * cleaned by the model fitted without its group's fold, printed per page
 * type and keep threshold (wn_clean_opts.lm_keep); the shipped model is
 * then fitted on all pages and keeps lines from the threshold that scored
 * best on all pages), CT_KEEP (the threshold without a
 * cross-validation, default 0.5), CT_CV_ONLY (1: stop after the
 * cross-validation, write nothing), CT_CV_OUT (a folder: the
 * cross-validation writes there each page's out-of-fold output at keep 0.50,
 * RENDERER_PAGE.txt, and its lines with the model's verdict,
 * RENDERER_PAGE.lines: "K" or "D", a tab, p and the signals, a tab, the
 * line; for the breakdown of lost tokens in the README).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boost.h"
#include "clean_core.h"
#include "hash.h"
#include "io.h"
#include "line_model.h"
#include "linear.h"

extern const char wn_junk_phrases_default[];
extern const size_t wn_junk_phrases_default_len;

/* The trainer links the engine without the shipped weights (CMakeLists:
 * a feature added to line_model.c must not need weights fitted on the old
 * features), so the model it starts from is this one: no weight and no
 * tree, p = 0.5 for every line. Only stage 1's rows are collected with it,
 * and they are the features and the gold's labels, not p. */
static const double no_weights[WN_LM_NF2];
const wn_lm_stage wn_lm_stages[3] = {{no_weights, WN_LM_NF1, {0, 1, NULL, NULL, NULL}},
                                     {no_weights, WN_LM_NF2, {0, 1, NULL, NULL, NULL}},
                                     {no_weights, WN_LM_NF2, {0, 1, NULL, NULL, NULL}}};
const double wn_lm_keep = 0.5;

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

/* wb, and '_' too when `us` (WCXB's \w+ counts "Privacy_Policy" as one
 * word: the measure must see a renderer's link underscores). */
static int wbu(unsigned char c, int us)
{
	return wb(c) || (us && c == '_');
}

/* Hashes of the lowercased word tokens of s[0..n) into *out (malloc'd);
 * with `us`, '_' is a word byte. */
static size_t tokens_us(const char *s, size_t n, uint64_t **out, int us)
{
	size_t cap = n / 2 + 1, m = 0;
	uint64_t *v = malloc(cap * sizeof *v);
	char buf[256];

	*out = v;
	if (!v)
		return 0;
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		while (i < n && !wbu((unsigned char)s[i], us))
			i++;
		while (i + k < n && wbu((unsigned char)s[i + k], us))
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

/* The labels' tokens: '_' separates words, as a link's underscores
 * stand for spaces the gold has. */
static size_t tokens(const char *s, size_t n, uint64_t **out)
{
	return tokens_us(s, n, out, 0);
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
		if (train_cholesky_solve(h, g, d))
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

/* One listed page: its dump, its gold text, whether it is an article,
 * and its cross-validation fold (a hash of its group). */
typedef struct page {
	char *dump, *gold;
	int article;
	unsigned fold;
} page;

/* A fitted model: three stages and their storage. */
typedef struct model {
	double w[3][WN_LM_NF2];
	boost_model bm[3];
	wn_lm_stage st[3];
} model;

typedef struct params {
	int trees, depth, folds;
	double lr;
} params;

/* Reads LIST into pages; returns their count, or -1. */
static long read_list(char *list, int folds, page **out)
{
	size_t cap = 64, n = 0;
	page *v = malloc(cap * sizeof *v);
	char *save = NULL;

	if (!v)
		return -1;
	for (char *ln = strtok_r(list, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		char *f[4] = {ln, NULL, NULL, NULL};
		for (int k = 1; k < 4; k++) {
			char *tab = f[k - 1] ? strchr(f[k - 1], '\t') : NULL;
			if (tab) {
				*tab = '\0';
				f[k] = tab + 1;
			}
		}
		if (!f[1])
			continue;
		if (n == cap) {
			page *nv = realloc(v, 2 * cap * sizeof *nv);
			if (!nv)
				return -1;
			v = nv;
			cap *= 2;
		}
		v[n].dump = f[0];
		v[n].gold = f[1];
		v[n].article = !f[2] || !strcmp(f[2], "article");
		v[n].fold =
		    folds > 1
		        ? (unsigned)(wn_fnv1a64(f[3] ? f[3] : f[0], strlen(f[3] ? f[3] : f[0])) %
		                     (uint64_t)folds)
		        : 0;
		n++;
	}
	*out = v;
	return (long)n;
}

/* Runs the core over the pages not in fold `skip` (-1: all), collecting
 * the rows of tr->stage with the model so far. */
static int collect(const page *pg, size_t np, int skip, const wn_phrases *ph,
                   const wn_lm_stage *stages, trainer *tr)
{
	for (size_t p = 0; p < np; p++) {
		size_t dn, gn;
		wn_clean_opts o = {0};
		wn_clean_result res;
		char *dump, *gold;
		if (skip >= 0 && pg[p].fold == (unsigned)skip)
			continue;
		dump = slurp(pg[p].dump, &dn);
		gold = slurp(pg[p].gold, &gn);
		if (!dump || !gold || gold_set(gold, gn, &tr->gold)) {
			fprintf(stderr, "clean_text_train: cannot read %s or %s\n", pg[p].dump,
			        pg[p].gold);
			free(dump);
			free(gold);
			return -1;
		}
		o.phrases = ph;
		o.lm_stages = stages;
		o.train = on_doc;
		o.train_ud = tr;
		if (wn_clean_text(dump, dn, &o, &res) == 0)
			wn_clean_result_free(&res);
		free(tr->gold.v);
		free(dump);
		free(gold);
	}
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

/* Fits one stage on the collected rows: the regression, then the trees
 * on its residual. */
static int fit_stage(trainer *tr, const params *pa, double *w, boost_model *bm, wn_lm_stage *st)
{
	rows *r = &tr->r;
	float **x = malloc((r->n ? r->n : 1) * sizeof *x);
	double *F = malloc((r->n ? r->n : 1) * sizeof *F);
	int rc = -1;

	if (!x || !F || fit(r, w))
		goto out;
	for (size_t i = 0; i < r->n; i++) {
		x[i] = r->x + i * r->nf;
		F[i] = 0;
		for (size_t k = 0; k < r->nf; k++)
			F[i] += w[k] * x[i][k];
	}
	if (boost_fit(x, r->n, (int)r->nf, r->y, r->w, F, pa->trees, pa->depth, pa->lr, bm))
		goto out;
	*st = (wn_lm_stage){w, r->nf, boost_trees(bm)};
	fprintf(stderr, "stage %d: %zu lines, %d trees of depth %d\n", tr->stage, r->n, bm->ntrees,
	        bm->depth);
	rc = 0;
out:
	rows_free(r);
	free(x);
	free(F);
	return rc;
}

/* Fits the three stages on the pages not in fold `skip` (-1: all). */
static int fit_model(const page *pg, size_t np, int skip, const wn_phrases *ph, const params *pa,
                     model *m)
{
	trainer tr = {0};

	for (int k = 0; k < 3; k++) {
		tr.stage = k + 1;
		/* stage k's rows need the stages before it: the model so far */
		if (collect(pg, np, skip, ph, k ? m->st : NULL, &tr) ||
		    fit_stage(&tr, pa, m->w[k], &m->bm[k], &m->st[k]))
			return -1;
		for (int j = k + 1; j < 3; j++)
			m->st[j] = m->st[k]; /* unused by stage k's rows */
	}
	return 0;
}

static void model_free(model *m)
{
	for (int k = 0; k < 3; k++)
		boost_free(&m->bm[k]);
}

/* WCXB's page measure, near enough: F1 of the word tokens (tokens_us(),
 * '_' a word byte as in \w+) of pred and gold as multisets; 1 when both
 * are empty. */
static double token_f1(const char *pred, size_t pn, const char *gold, size_t gn)
{
	uint64_t *a, *b;
	size_t na = tokens_us(pred, pn, &a, 1), nb = tokens_us(gold, gn, &b, 1), i = 0, j = 0,
	       o = 0;
	double f;

	if (!a || !b) {
		free(a);
		free(b);
		return 0;
	}
	qsort(a, na, sizeof *a, cmp_u64);
	qsort(b, nb, sizeof *b, cmp_u64);
	while (i < na && j < nb)
		if (a[i] == b[j])
			o++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	f = na + nb ? 2.0 * (double)o / (double)(na + nb) : 1;
	free(a);
	free(b);
	return f;
}

/* CT_CV_OUT's file for a dump path ".../RENDERER/PAGE.txt" with suffix
 * `ext`; NULL when unset or out of room. */
static FILE *cv_out(const char *dump, const char *ext)
{
	const char *dir = getenv("CT_CV_OUT"), *base, *r;
	char path[4096];

	if (!dir || !*dir)
		return NULL;
	base = strrchr(dump, '/');
	base = base ? base + 1 : dump;
	for (r = base > dump + 1 ? base - 2 : dump; r > dump && r[-1] != '/';)
		r--;
	if (snprintf(path, sizeof path, "%s/%.*s_%.*s%s", dir,
	             (int)(base - r > 0 ? base - r - 1 : 0), r, (int)strcspn(base, "."), base,
	             ext) >= (int)sizeof path)
		return NULL;
	return fopen(path, "w");
}

static void cv_explain(void *ud, const char *ln, size_t len, double score, int dropped,
                       const char *why)
{
	(void)score;
	fprintf(ud, "%c\t%s\t%.*s\n", dropped ? 'D' : 'K', why, (int)len, ln);
}

/* The keep thresholds the cross-validation tries (wn_clean_opts.lm_keep). */
static const double keeps[] = {0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75};
#define NKEEP (sizeof keeps / sizeof keeps[0])

/* k-fold cross-validation by group: each page cleaned by the model fitted
 * on the other folds with each keep threshold; prints the mean token F1 of
 * articles and others per threshold and sets *keep to the one with the
 * best mean over all pages (a threshold that helps articles a little can
 * cost forum and documentation pages more). */
static int cross_validate(const page *pg, size_t np, const wn_phrases *ph, const params *pa,
                          double *keep)
{
	double sum[NKEEP][2] = {{0}}, cnt[2] = {0};
	size_t best = 0;

	for (int f = 0; f < pa->folds; f++) {
		model m;
		memset(&m, 0, sizeof m);
		fprintf(stderr, "== fold %d of %d\n", f + 1, pa->folds);
		if (fit_model(pg, np, f, ph, pa, &m))
			return -1;
		for (size_t p = 0; p < np; p++) {
			size_t dn, gn;
			wn_clean_opts o = {0};
			wn_clean_result res;
			char *dump, *gold;
			if (pg[p].fold != (unsigned)f)
				continue;
			dump = slurp(pg[p].dump, &dn);
			gold = slurp(pg[p].gold, &gn);
			o.phrases = ph;
			o.lm_stages = m.st;
			for (size_t t = 0; dump && gold && t < NKEEP; t++) {
				double s = 0;
				FILE *lf = keeps[t] == 0.5 ? cv_out(pg[p].dump, ".lines") : NULL;
				o.lm_keep = keeps[t];
				o.explain = lf ? cv_explain : NULL;
				o.explain_ud = lf;
				if (wn_clean_text(dump, dn, &o, &res) == 0) {
					FILE *tf = lf ? cv_out(pg[p].dump, ".txt") : NULL;
					s = token_f1(res.text, res.text_len, gold, gn);
					if (tf) {
						fwrite(res.text, 1, res.text_len, tf);
						fclose(tf);
					}
					wn_clean_result_free(&res);
				}
				if (lf)
					fclose(lf);
				sum[t][pg[p].article] += s;
				printf("cv\t%s\t%.2f\t%.4f\n", pg[p].dump, keeps[t], s);
			}
			cnt[pg[p].article] += dump && gold;
			free(dump);
			free(gold);
		}
		model_free(&m);
	}
	for (size_t t = 0; t < NKEEP; t++) {
		printf(
		    "cross-validation (%d folds by group, trees %d depth %d lr %.2f, keep %.2f): "
		    "token F1 articles %.4f (%.0f pages), others %.4f (%.0f)\n",
		    pa->folds, pa->trees, pa->depth, pa->lr, keeps[t],
		    cnt[1] ? sum[t][1] / cnt[1] : 0, cnt[1], cnt[0] ? sum[t][0] / cnt[0] : 0,
		    cnt[0]);
		if (sum[t][0] + sum[t][1] > sum[best][0] + sum[best][1])
			best = t;
	}
	*keep = keeps[best];
	printf("keep threshold %.2f\n", *keep);
	fflush(stdout);
	return 0;
}

static void print_stage(FILE *f, int k, const wn_lm_stage *st, const boost_model *bm)
{
	char name[8];

	fprintf(f, "static const double w%d[] = {", k);
	for (size_t i = 0; i < st->nf; i++)
		fprintf(f, "%s%s%.6f", i ? "," : "", i % 6 ? " " : "\n    ", st->w[i]);
	fprintf(f, "};\n");
	snprintf(name, sizeof name, "s%d", k);
	boost_write_flat(f, bm, name);
}

int main(int argc, char **argv)
{
	static model m;
	params pa = {train_env_int("CT_TREES", 300), train_env_int("CT_DEPTH", 3),
	             train_env_int("CT_FOLDS", 5), train_env_num("CT_LR", 0.2)};
	wn_phrases *ph = wn_phrases_new();
	page *pg = NULL;
	size_t ln;
	long np;
	char *list;
	double keep;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: clean_text_train LIST OUT.c\n");
		return 2;
	}
	list = slurp(argv[1], &ln);
	if (!list || !ph ||
	    wn_phrases_parse(ph, wn_junk_phrases_default, wn_junk_phrases_default_len, NULL) ||
	    (np = read_list(list, pa.folds, &pg)) < 0 || pa.depth < 1 || pa.depth > 6 ||
	    pa.trees < 0) {
		fprintf(stderr, "clean_text_train: cannot read %s (or bad CT_* settings)\n",
		        argv[1]);
		return 1;
	}
	keep = train_env_num("CT_KEEP", 0.5);
	if (pa.folds > 1 && cross_validate(pg, (size_t)np, ph, &pa, &keep))
		return 1;
	if (train_env_int("CT_CV_ONLY", 0))
		return 0;
	if (fit_model(pg, (size_t)np, -1, ph, &pa, &m))
		return 1;
	f = fopen(argv[2], "w");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	fprintf(f, "/* Generated by clean_text_train (see README.md, \"Retraining\"); do not "
	           "edit. */\n/* clang-format off */\n#include \"line_model.h\"\n\n");
	for (int k = 0; k < 3; k++)
		print_stage(f, k + 1, &m.st[k], &m.bm[k]);
	fprintf(f,
	        "\nconst wn_lm_stage wn_lm_stages[3] = {\n"
	        "    {w1, WN_LM_NF1, {%d, %d, s1_feat, s1_thr, s1_leaf}},\n"
	        "    {w2, WN_LM_NF2, {%d, %d, s2_feat, s2_thr, s2_leaf}},\n"
	        "    {w3, WN_LM_NF2, {%d, %d, s3_feat, s3_thr, s3_leaf}}};\n",
	        m.st[0].trees.ntrees, m.st[0].trees.depth, m.st[1].trees.ntrees,
	        m.st[1].trees.depth, m.st[2].trees.ntrees, m.st[2].trees.depth);
	fprintf(f, "const double wn_lm_keep = %.2f;\n", keep);
	/* a feature added to line_model.c without retraining must not build:
	 * the stages would read past these weights */
	fprintf(f,
	        "_Static_assert(sizeof w1 / sizeof *w1 == WN_LM_NF1, \"retrain: stage 1 "
	        "features\");\n_Static_assert(sizeof w2 / sizeof *w2 == WN_LM_NF2 && sizeof w3 / "
	        "sizeof *w3 == WN_LM_NF2, \"retrain: stage 2 and 3 features\");\n");
	if (fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	model_free(&m);
	free(pg);
	free(list);
	wn_phrases_free(ph);
	return 0;
}
