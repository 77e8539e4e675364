/*
 * lib/train/boost.h: the trees learn an interaction a linear model cannot
 * (XOR of two columns), split on a noise column less than half as often
 * as on either real one, add little to starting logits that already fit,
 * are the same fitted twice, and the plugins'
 * evaluator (wn_trees_sum over boost_trees) gives what boost_predict does.
 */
#include "boost.h"
#include "check.h"
#include "linear.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 4000, NF = 3 };
static float xs[N][NF], *xp[N], ws[N];
static uint8_t ys[N];

static double uniform(train_rng *r)
{
	return (double)(train_rng_next(r) >> 11) / 9007199254740992.0;
}

/* y = (x0 > 0.5) XOR (x1 > 0.5); x2 is noise */
static void make_rows(void)
{
	train_rng r = {42};
	for (int i = 0; i < N; i++) {
		for (int k = 0; k < NF; k++)
			xs[i][k] = (float)uniform(&r);
		ys[i] = (xs[i][0] > 0.5f) != (xs[i][1] > 0.5f);
		xp[i] = xs[i], ws[i] = 1;
	}
}

static double loss_of(const double *F)
{
	double l = 0;
	for (int i = 0; i < N; i++)
		l += ys[i] ? log1p(exp(-F[i])) : log1p(exp(F[i]));
	return l / N;
}

static void test_xor(void)
{
	static double F[N], F2[N];
	boost_model m, m2;
	memset(F, 0, sizeof F);
	double before = loss_of(F); /* log 2 */
	boost_opts quiet = {20, 1, 1};
	CHECK(boost_fit_opts(xp, N, NF, ys, ws, F, 60, 2, 0.3, &quiet, &m) == 0);
	CHECK(m.ntrees == 60 && m.depth == 2 && m.nf == NF);
	double after = loss_of(F);
	CHECK(after < before / 4); /* a linear model cannot get below log 2 here */
	int right = 0, splits[NF] = {0};
	for (int i = 0; i < N; i++)
		right += (F[i] > 0) == ys[i];
	CHECK(right > N * 97 / 100);
	for (int t = 0; t < m.ntrees * 3; t++)
		splits[m.feat[t]]++;
	CHECK(splits[2] * 2 < splits[0] && splits[2] * 2 < splits[1]);

	/* F holds the final logits, which boost_predict and the plugins'
	 * evaluator both reproduce from the tables */
	wn_trees tr = boost_trees(&m);
	int same = 1;
	for (int i = 0; i < N; i++) {
		double p = boost_predict(&m, xs[i]), q = wn_trees_sum(&tr, xs[i]);
		same &= fabs(p - F[i]) < 1e-4 && fabs(p - q) < 1e-9;
	}
	CHECK(same);

	/* deterministic: the same rows give the same tables */
	memset(F2, 0, sizeof F2);
	CHECK(boost_fit_opts(xp, N, NF, ys, ws, F2, 60, 2, 0.3, &quiet, &m2) == 0);
	CHECK(!memcmp(m.feat, m2.feat, (size_t)m.ntrees * 3));
	CHECK(!memcmp(m.thr, m2.thr, (size_t)m.ntrees * 3 * sizeof *m.thr));
	CHECK(!memcmp(m.leaf, m2.leaf, (size_t)m.ntrees * 4 * sizeof *m.leaf));

	/* the flat tables name three arrays, one value a split or leaf */
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);
	CHECK(o != NULL);
	if (o) {
		boost_write_flat(o, &m, "wn_t");
		fclose(o);
		CHECK(strstr(buf, "wn_t_feat[]") && strstr(buf, "wn_t_thr[]") &&
		      strstr(buf, "wn_t_leaf[]"));
	}
	free(buf);
	boost_free(&m);
	boost_free(&m2);
}

/* Starting logits that already fit leave the trees little to add. */
static void test_start(void)
{
	static double F[N];
	for (int i = 0; i < N; i++)
		F[i] = ys[i] ? 6 : -6;
	double before = loss_of(F);
	boost_model m;
	boost_opts quiet = {20, 1, 1};
	CHECK(boost_fit_opts(xp, N, NF, ys, ws, F, 10, 2, 0.1, &quiet, &m) == 0);
	CHECK(loss_of(F) <= before + 1e-12);
	double most = 0;
	for (int t = 0; t < m.ntrees * 4; t++)
		most = fmax(most, fabs(m.leaf[t]));
	CHECK(most < 0.1);
	boost_free(&m);
}

int main(void)
{
	make_rows();
	test_xor();
	test_start();
	return check_finish();
}
