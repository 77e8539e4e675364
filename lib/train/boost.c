/*
 * Gradient-boosted shallow trees (boost.h). Why trees on top of the
 * logistic regression: the block decision depends on interactions (page
 * type x link density x position, group size x share) that a linear model
 * cannot form; a few hundred depth-3 trees can, and evaluate in a few
 * hundred comparisons per block.
 */
#include "boost.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NBIN 32
#define LAMBDA 1.0    /* L2 on leaf values */
#define MIN_HESS 20.0 /* a child needs this much hessian (about 80 weighted blocks) */

static const boost_opts defaults = {MIN_HESS, LAMBDA, 0};

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* Up to NBIN - 1 cuts per column from the quantiles of every 8th row. */
static int make_cuts(float *const *x, size_t n, int k, float *cuts)
{
	size_t m = (n + 7) / 8, j = 0;
	float *v = malloc(m * sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < n; i += 8)
		v[j++] = x[i][k];
	qsort(v, j, sizeof *v, cmp_float);
	int nc = 0;
	for (int q = 1; q < NBIN; q++) {
		float c = v[(size_t)((double)q / NBIN * (double)(j - 1))];
		if (c < v[j - 1] && (nc == 0 || c > cuts[nc - 1]))
			cuts[nc++] = c;
	}
	free(v);
	return nc;
}

static uint8_t bin_of(float x, const float *cuts, int nc)
{
	int lo = 0, hi = nc; /* number of cuts below x */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (x > cuts[mid])
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint8_t)lo;
}

/* The best split of one node from its histograms: column, cut index and
 * gain (0 when no split clears o->min_hess on both sides). */
static double best_split(const double *G, const double *H, int nf, const int *ncut,
                         const boost_opts *o, int *bk, int *bc)
{
	double best = 0;
	*bk = -1, *bc = -1;
	for (int k = 0; k < nf; k++) {
		const double *g = G + (size_t)k * NBIN, *h = H + (size_t)k * NBIN;
		double gt = 0, ht = 0;
		for (int b = 0; b < NBIN; b++)
			gt += g[b], ht += h[b];
		double gl = 0, hl = 0, base = gt * gt / (ht + o->lambda);
		for (int c = 0; c < ncut[k]; c++) {
			gl += g[c], hl += h[c];
			double gr = gt - gl, hr = ht - hl;
			if (hl < o->min_hess || hr < o->min_hess)
				continue;
			double gain =
			    gl * gl / (hl + o->lambda) + gr * gr / (hr + o->lambda) - base;
			if (gain > best + 1e-9)
				best = gain, *bk = k, *bc = c;
		}
	}
	return best;
}

int boost_fit(float *const *x, size_t n, int nf, const uint8_t *y, const float *w, double *F,
              int ntrees, int depth, double lr, boost_model *m)
{
	return boost_fit_opts(x, n, nf, y, w, F, ntrees, depth, lr, NULL, m);
}

int boost_fit_opts(float *const *x, size_t n, int nf, const uint8_t *y, const float *w, double *F,
                   int ntrees, int depth, double lr, const boost_opts *o, boost_model *m)
{
	o = o ? o : &defaults;
	int nint = (1 << depth) - 1, nleaf = 1 << depth, rc = -1;
	memset(m, 0, sizeof *m);
	m->ntrees = ntrees, m->depth = depth, m->nf = nf;
	m->feat = calloc((size_t)ntrees * nint, 1);
	m->thr = calloc((size_t)ntrees * nint, sizeof *m->thr);
	m->leaf = calloc((size_t)ntrees * nleaf, sizeof *m->leaf);
	float *cuts = malloc((size_t)nf * NBIN * sizeof *cuts);
	int *ncut = malloc((size_t)nf * sizeof *ncut);
	uint8_t *bins = malloc(n * (size_t)nf);
	int *node = malloc(n * sizeof *node);
	double *g = malloc(n * sizeof *g), *h = malloc(n * sizeof *h);
	size_t hsz = (size_t)(nleaf / 2) * nf * NBIN;
	double *G = malloc(hsz * sizeof *G), *H = malloc(hsz * sizeof *H);
	if (!m->feat || !m->thr || !m->leaf || !cuts || !ncut || !bins || !node || !g || !h || !G ||
	    !H)
		goto out;
	for (int k = 0; k < nf; k++) {
		ncut[k] = make_cuts(x, n, k, cuts + (size_t)k * NBIN);
		if (ncut[k] < 0)
			goto out;
	}
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < nf; k++)
			bins[i * nf + k] = bin_of(x[i][k], cuts + (size_t)k * NBIN, ncut[k]);
	for (int t = 0; t < ntrees; t++) {
		double loss = 0;
		for (size_t i = 0; i < n; i++) {
			double p = 1 / (1 + exp(-F[i]));
			g[i] = w[i] * (p - y[i]);
			h[i] = w[i] * fmax(p * (1 - p), 1e-6);
			loss -= w[i] * (y[i] ? log(p + 1e-12) : log(1 - p + 1e-12));
			node[i] = 0;
		}
		uint8_t *tf = m->feat + (size_t)t * nint;
		float *tt = m->thr + (size_t)t * nint;
		for (int lv = 0; lv < depth; lv++) {
			int first = (1 << lv) - 1, nn = 1 << lv;
			memset(G, 0, (size_t)nn * nf * NBIN * sizeof *G);
			memset(H, 0, (size_t)nn * nf * NBIN * sizeof *H);
			for (size_t i = 0; i < n; i++) {
				size_t base = (size_t)(node[i] - first) * nf * NBIN;
				const uint8_t *bi = bins + i * nf;
				for (int k = 0; k < nf; k++) {
					G[base + (size_t)k * NBIN + bi[k]] += g[i];
					H[base + (size_t)k * NBIN + bi[k]] += h[i];
				}
			}
			int bk[64], bc[64];
			for (int j = 0; j < nn; j++) {
				size_t base = (size_t)j * nf * NBIN;
				best_split(G + base, H + base, nf, ncut, o, &bk[j], &bc[j]);
				/* no useful split: every row goes left (x > +inf never holds) */
				tf[first + j] = (uint8_t)(bk[j] < 0 ? 0 : bk[j]);
				tt[first + j] =
				    bk[j] < 0 ? INFINITY : cuts[(size_t)bk[j] * NBIN + bc[j]];
			}
			for (size_t i = 0; i < n; i++) {
				int j = node[i] - first;
				int right = bk[j] >= 0 && bins[i * nf + bk[j]] > bc[j];
				node[i] = 2 * node[i] + 1 + right;
			}
		}
		double LG[64] = {0}, LH[64] = {0};
		for (size_t i = 0; i < n; i++)
			LG[node[i] - nint] += g[i], LH[node[i] - nint] += h[i];
		float *lf = m->leaf + (size_t)t * nleaf;
		for (int j = 0; j < nleaf; j++)
			lf[j] = (float)(-lr * LG[j] / (LH[j] + o->lambda));
		for (size_t i = 0; i < n; i++)
			F[i] += lf[node[i] - nint];
		if (!o->quiet && (t % 25 == 0 || t == ntrees - 1))
			fprintf(stderr, "  boosted trees: %d, loss %.4f\n", t, loss / (double)n);
	}
	rc = 0;
out:
	free(cuts), free(ncut), free(bins), free(node), free(g), free(h), free(G), free(H);
	return rc;
}

wn_trees boost_trees(const boost_model *m)
{
	return (wn_trees){m->ntrees, m->depth, m->feat, m->thr, m->leaf};
}

double boost_predict(const boost_model *m, const float *x)
{
	wn_trees t = boost_trees(m);
	return wn_trees_sum(&t, x);
}

/* Writes v as a C float literal ("0.5f", "3.0f", "1e-05f"). */
static void put_float(FILE *o, const char *sep, float v)
{
	char b[32];

	snprintf(b, sizeof b, "%.9g", (double)v);
	fprintf(o, "%s%s%sf", sep, b, strpbrk(b, ".e") ? "" : ".0");
}

void boost_write_flat(FILE *o, const boost_model *m, const char *name)
{
	size_t nint = ((size_t)1 << m->depth) - 1, nleaf = (size_t)1 << m->depth;
	size_t ni = (size_t)m->ntrees * nint, nl = (size_t)m->ntrees * nleaf;

	fprintf(o, "static const unsigned char %s_feat[] = {", name);
	for (size_t j = 0; j < ni; j++)
		fprintf(o, "%s%d", j % 16 ? ", " : j ? ",\n    " : "\n    ", m->feat[j]);
	fprintf(o, "};\nstatic const float %s_thr[] = {", name);
	for (size_t j = 0; j < ni; j++) {
		const char *sep = j % 6 ? ", " : j ? ",\n    " : "\n    ";
		if (isinf(m->thr[j]))
			fprintf(o, "%s3e38f", sep);
		else
			put_float(o, sep, m->thr[j]);
	}
	fprintf(o, "};\nstatic const float %s_leaf[] = {", name);
	for (size_t j = 0; j < nl; j++)
		put_float(o, j % 6 ? ", " : j ? ",\n    " : "\n    ", m->leaf[j]);
	fprintf(o, "};\n");
}

void boost_free(boost_model *m)
{
	free(m->feat), free(m->thr), free(m->leaf);
	memset(m, 0, sizeof *m);
}
