/*
 * clean_html's page-type model (pt_train.h).
 *
 * Two learners over the page features of blocks.c: a softmax regression
 * over every column (the dense ones and the two hashed bags), fitted by
 * Adagrad in a fixed shuffled order, and per class a few boosted trees
 * (lib/train/boost.c, one class against the rest) over the dense columns,
 * where interactions the regression cannot form live (a price beside a
 * form with a select box; many dated posts in one repeated structure).
 * Their log-probabilities are blended with two weights picked for the
 * lowest out-of-fold log loss, which also makes the confidence mean what
 * it says (a temperature). Everything is deterministic.
 */
#include "pt_train.h"
#include "io.h"
#include "linear.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The regression's log-probabilities for row f. */
static void lr_logp(const pt_model *m, const float *f, double *z)
{
	for (int c = 0; c < PT_NCLASS; c++) {
		z[c] = m->b[c];
		for (int k = 0; k < m->nd; k++)
			z[c] += m->w[c * m->nd + k] * ((f[k] - m->mean[k]) * m->scale[k]);
	}
	wn_pt_log_softmax(z);
}

/* The trees' log-probabilities for row f (their logits, softmax-normalised). */
static void gb_logp(const pt_model *m, const float *f, double *z)
{
	for (int c = 0; c < PT_NCLASS; c++)
		z[c] = m->gb0[c] + (m->ntrees ? boost_predict(&m->gb[c], f) : 0);
	wn_pt_log_softmax(z);
}

/* The probabilities q from both learners' log-probabilities a and b,
 * blended as clean_html does (wn_pt_mix) with the weights wt. */
static void blend(const double *a, const double *b, const double *wt, float *q)
{
	double z[PT_NCLASS];
	wn_pt_mix(a, b, wt[0], wt[1], z);
	for (int c = 0; c < PT_NCLASS; c++)
		q[c] = (float)exp(z[c]);
}

/* Softmax regression on the rows in use: standardised columns, Adagrad
 * (rate 0.02, L2 0.03), 20 passes in a fixed shuffled order. */
static void fit_lr(const pt_set *s, const uint8_t *use, pt_model *m)
{
	int nd = s->nd;
	train_standardise(s->f, use, s->n, s->nd, m->mean, m->scale);
	float *g2 = calloc((size_t)PT_NCLASS * nd, sizeof *g2);
	double bg[PT_NCLASS] = {0};
	memset(m->w, 0, (size_t)PT_NCLASS * nd * sizeof *m->w);
	memset(m->b, 0, sizeof m->b);
	size_t *po = malloc(s->n * sizeof *po);
	for (size_t i = 0; i < s->n; i++)
		po[i] = i;
	train_rng rng = {TRAIN_RNG_SEED}; /* each fit from the same seed */
	for (int ep = 0; ep < 20; ep++) {
		train_shuffle(po, s->n, &rng);
		for (size_t ii = 0; ii < s->n; ii++) {
			size_t r = po[ii];
			if (!use[r])
				continue;
			const float *f = s->f[r];
			double z[PT_NCLASS];
			lr_logp(m, f, z);
			for (int c = 0; c < PT_NCLASS; c++) {
				double gr = exp(z[c]) - (c == s->y[r]);
				for (int k = 0; k < nd; k++) {
					float *wk = &m->w[c * nd + k];
					double gk =
					    gr * ((f[k] - m->mean[k]) * m->scale[k]) + 3e-2 * *wk;
					g2[c * nd + k] += (float)(gk * gk);
					*wk -= (float)(0.02 * gk / sqrt(g2[c * nd + k] + 1e-8));
				}
				bg[c] += gr * gr;
				m->b[c] -= 0.02 * gr / sqrt(bg[c] + 1e-8);
			}
		}
	}
	free(po);
	free(g2);
}

/* One-vs-rest boosted trees on the dense columns of the rows in use,
 * each class from its log prior odds. */
static int fit_gb(const pt_set *s, const uint8_t *use, pt_model *m)
{
	int depth = train_env_int("CLEAN_TRAIN_PT_DEPTH", 2);
	double lr = train_env_num("CLEAN_TRAIN_PT_RATE", 0.1);
	boost_opts o = {train_env_num("CLEAN_TRAIN_PT_MINH", 2), 1, 1};
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += use[i];
	float **x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w);
	uint8_t *y = malloc(n);
	double *F = malloc(n * sizeof *F);
	int rc = x && w && y && F ? 0 : -1;
	for (int c = 0; c < PT_NCLASS && !rc; c++) {
		size_t k = 0, pos = 0;
		for (size_t i = 0; i < s->n; i++)
			if (use[i]) {
				x[k] = s->f[i], w[k] = 1, y[k] = s->y[i] == c;
				pos += y[k++];
			}
		m->gb0[c] = log((pos + 0.5) / (n - pos + 0.5));
		for (size_t i = 0; i < n; i++)
			F[i] = m->gb0[c];
		if (m->ntrees)
			rc = boost_fit_opts(x, n, s->nd - 2 * PT_NHASH, y, w, F, m->ntrees, depth,
			                    lr, &o, &m->gb[c]);
	}
	free(x), free(w), free(y), free(F);
	return rc;
}

static int fit(const pt_set *s, const uint8_t *use, pt_model *m)
{
	for (int c = 0; c < PT_NCLASS; c++)
		boost_free(&m->gb[c]);
	fit_lr(s, use, m);
	return fit_gb(s, use, m);
}

/* Out-of-fold log loss and accuracy of probabilities q (n * PT_NCLASS). */
static double logloss(const pt_set *s, const float *q, double *acc)
{
	double l = 0;
	size_t ok = 0;
	for (size_t i = 0; i < s->n; i++) {
		l -= log(fmax(q[i * PT_NCLASS + s->y[i]], 1e-9));
		ok += wn_page_type_best(q + i * PT_NCLASS) == s->y[i];
	}
	*acc = (double)ok / (double)s->n;
	return l / (double)s->n;
}

/* Accuracy, per-class precision and recall and the calibration (accuracy
 * by confidence bin) of the probabilities q, on stderr. */
static void report(const pt_set *s, const float *q, const char *what)
{
	int tp[PT_NCLASS] = {0}, npred[PT_NCLASS] = {0}, ngold[PT_NCLASS] = {0};
	int conf[PT_NCLASS][PT_NCLASS] = {{0}};
	static const double edges[] = {0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001};
	enum { NBINS = sizeof edges / sizeof edges[0] - 1 };
	int bn[NBINS] = {0}, bok[NBINS] = {0};
	double bconf[NBINS] = {0}, acc, ece = 0;
	double ll = logloss(s, q, &acc);
	for (size_t i = 0; i < s->n; i++) {
		const float *qi = q + i * PT_NCLASS;
		int a = wn_page_type_best(qi), ok = a == s->y[i];
		tp[a] += ok, npred[a]++, ngold[s->y[i]]++, conf[s->y[i]][a]++;
		int b = 0;
		while (b < NBINS - 1 && qi[a] >= edges[b + 1])
			b++;
		bn[b]++, bok[b] += ok, bconf[b] += qi[a];
	}
	fprintf(stderr, "  page type (%s), out-of-fold accuracy %.3f, log loss %.3f:", what, acc,
	        ll);
	for (int c = 0; c < PT_NCLASS; c++)
		fprintf(stderr, " %s %d/%d", wn_page_type_name(c), tp[c], ngold[c]);
	fprintf(stderr,
	        "\n    class          gold  pred  precision recall  typed as (art col doc for "
	        "lis pro ser)\n");
	for (int c = 0; c < PT_NCLASS; c++) {
		fprintf(stderr, "    %-13s %5d %5d  %.3f     %.3f  ", wn_page_type_name(c),
		        ngold[c], npred[c], npred[c] ? (double)tp[c] / npred[c] : 0,
		        ngold[c] ? (double)tp[c] / ngold[c] : 0);
		for (int a = 0; a < PT_NCLASS; a++)
			fprintf(stderr, " %3d", conf[c][a]);
		fprintf(stderr, "\n");
	}
	fprintf(stderr, "    confidence     pages  mean conf  accuracy\n");
	for (int b = 0; b < NBINS; b++) {
		if (!bn[b])
			continue;
		ece += fabs(bconf[b] - bok[b]) / (double)s->n;
		fprintf(stderr, "    %.2f-%.2f    %6d     %.3f      %.3f\n", edges[b],
		        fmin(edges[b + 1], 1), bn[b], bconf[b] / bn[b], (double)bok[b] / bn[b]);
	}
	fprintf(stderr, "    expected calibration error %.3f\n", ece);
}

int pt_train(const pt_set *s, float *cv, pt_model *m)
{
	memset(m, 0, sizeof *m);
	m->nd = s->nd;
	m->ntrees = train_env_int("CLEAN_TRAIN_PT_TREES", 100);
	m->mean = calloc((size_t)s->nd, sizeof *m->mean);
	m->scale = calloc((size_t)s->nd, sizeof *m->scale);
	m->w = calloc((size_t)PT_NCLASS * s->nd, sizeof *m->w);
	uint8_t *use = malloc(s->n);
	double *la = malloc(s->n * PT_NCLASS * sizeof *la),
	       *lb = malloc(s->n * PT_NCLASS * sizeof *lb);
	int rc = m->mean && m->scale && m->w && use && la && lb ? 0 : -1;
	/* each row's log-probabilities from both learners fitted without its fold */
	for (int fold = 0; fold < s->nfold && !rc; fold++) {
		for (size_t i = 0; i < s->n; i++)
			use[i] = s->fold[i] != fold;
		rc = fit(s, use, m);
		for (size_t i = 0; i < s->n && !rc; i++)
			if (!use[i]) {
				lr_logp(m, s->f[i], la + i * PT_NCLASS);
				gb_logp(m, s->f[i], lb + i * PT_NCLASS);
			}
	}
	if (!rc) {
		/* the blend with the lowest out-of-fold log loss (the weights'
		 * ratio chooses between the learners, their size is the
		 * temperature) */
		double best = 1e300, acc, wt[2];
		const double one[2] = {1, 0}, other[2] = {0, 1};
		for (size_t i = 0; i < s->n; i++)
			blend(la + i * PT_NCLASS, lb + i * PT_NCLASS, one, cv + i * PT_NCLASS);
		report(s, cv, "regression");
		if (m->ntrees) {
			for (size_t i = 0; i < s->n; i++)
				blend(la + i * PT_NCLASS, lb + i * PT_NCLASS, other,
				      cv + i * PT_NCLASS);
			report(s, cv, "trees");
		}
		for (wt[0] = 0; wt[0] <= 2.001; wt[0] += 0.05)
			for (wt[1] = 0; wt[1] <= (m->ntrees ? 2.001 : 0); wt[1] += 0.05) {
				for (size_t i = 0; i < s->n; i++)
					blend(la + i * PT_NCLASS, lb + i * PT_NCLASS, wt,
					      cv + i * PT_NCLASS);
				double l = logloss(s, cv, &acc);
				if (l < best - 1e-9)
					best = l, m->blend[0] = wt[0], m->blend[1] = wt[1];
			}
		for (size_t i = 0; i < s->n; i++)
			blend(la + i * PT_NCLASS, lb + i * PT_NCLASS, m->blend, cv + i * PT_NCLASS);
		fprintf(stderr, "  page type: blend %.2f x regression + %.2f x trees\n",
		        m->blend[0], m->blend[1]);
		report(s, cv, "blend");
		for (size_t i = 0; i < s->n && s->id && getenv("CLEAN_TRAIN_PT_ERRORS"); i++) {
			int a = wn_page_type_best(cv + i * PT_NCLASS);
			if (a != s->y[i])
				fprintf(stderr, "  wrong %s %s as %s %.2f\n", s->id[i],
				        wn_page_type_name(s->y[i]), wn_page_type_name(a),
				        (double)cv[i * PT_NCLASS + a]);
		}
		for (size_t i = 0; i < s->n; i++)
			use[i] = 1;
		rc = fit(s, use, m);
	}
	free(use), free(la), free(lb);
	return rc;
}

void pt_write(FILE *o, const pt_model *m)
{
	fprintf(o, "#define WN_PT_NCLASS %d\n#define WN_PT_NHASH %d\n#define WN_PT_NDENSE %d\n",
	        PT_NCLASS, PT_NHASH, m->nd);
	fprintf(o, "static const int wn_pt_trained = 1;\n");
	fprintf(o, "static const float wn_pt_mean[%d] = {", m->nd);
	train_write_floats(o, m->mean, m->nd);
	fprintf(o, "};\nstatic const float wn_pt_scale[%d] = {", m->nd);
	train_write_floats(o, m->scale, m->nd);
	fprintf(o, "};\nstatic const float wn_pt_w[WN_PT_NCLASS][WN_PT_NDENSE] = {\n");
	for (int c = 0; c < PT_NCLASS; c++) {
		fprintf(o, "  {");
		train_write_floats(o, m->w + c * m->nd, m->nd);
		fprintf(o, "},\n");
	}
	fprintf(o, "};\nstatic const float wn_pt_b[WN_PT_NCLASS] = {");
	for (int c = 0; c < PT_NCLASS; c++)
		fprintf(o, "%s%.7g", c ? ", " : "", m->b[c]);
	fprintf(o, "};\nstatic const float wn_pt_gb0[WN_PT_NCLASS] = {");
	for (int c = 0; c < PT_NCLASS; c++)
		fprintf(o, "%s%.7g", c ? ", " : "", m->gb0[c]);
	fprintf(o, "};\nstatic const float wn_pt_blend[2] = {%.7g, %.7g};\n", m->blend[0],
	        m->blend[1]);
	/* the classes' ensembles one after the other, as one flat table (one
	 * tree of zeros when there are none: C has no empty arrays) */
	boost_model all = {0};
	int depth = m->ntrees ? m->gb[0].depth : 1;
	size_t nint = ((size_t)1 << depth) - 1, nleaf = (size_t)1 << depth;
	size_t t = (size_t)m->ntrees, nt = t ? t * PT_NCLASS : 1;
	all.ntrees = (int)nt, all.depth = depth;
	all.feat = calloc(nt * nint, 1);
	all.thr = calloc(nt * nint, sizeof *all.thr);
	all.leaf = calloc(nt * nleaf, sizeof *all.leaf);
	for (int c = 0; c < PT_NCLASS && t && all.feat && all.thr && all.leaf; c++) {
		memcpy(all.feat + c * t * nint, m->gb[c].feat, t * nint);
		memcpy(all.thr + c * t * nint, m->gb[c].thr, t * nint * sizeof *all.thr);
		memcpy(all.leaf + c * t * nleaf, m->gb[c].leaf, t * nleaf * sizeof *all.leaf);
	}
	fprintf(o, "#define WN_PT_NTREES %d\n#define WN_PT_DEPTH %d\n", m->ntrees, depth);
	if (all.feat && all.thr && all.leaf)
		boost_write_flat(o, &all, "wn_pt_gb");
	boost_free(&all);
}

void pt_free(pt_model *m)
{
	for (int c = 0; c < PT_NCLASS; c++)
		boost_free(&m->gb[c]);
	free(m->mean), free(m->scale), free(m->w);
	memset(m, 0, sizeof *m);
}
