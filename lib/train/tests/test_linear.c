/*
 * lib/train/linear.h: the generator and shuffle, standardisation, the
 * Cholesky solve, and the logistic regression (recovers the weights that
 * generated its data; the same optimum whatever the row order; a row of
 * weight 2 counts as two rows; zero-weight rows are ignored).
 */
#include "check.h"
#include "linear.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_rng_shuffle(void)
{
	train_rng a = {TRAIN_RNG_SEED}, b = {TRAIN_RNG_SEED};
	uint64_t first = train_rng_next(&a);
	CHECK(first != 0 && first == train_rng_next(&b));
	size_t order[50], seen[50] = {0};
	for (size_t i = 0; i < 50; i++)
		order[i] = i;
	train_shuffle(order, 50, &a);
	int moved = 0;
	for (size_t i = 0; i < 50; i++) {
		seen[order[i]]++;
		moved += order[i] != i;
	}
	for (size_t i = 0; i < 50; i++)
		CHECK(seen[i] == 1);
	CHECK(moved > 25);
	train_shuffle(order, 0, &a); /* nothing to do, no underflow */
	train_shuffle(order, 1, &a);
}

static void test_standardise(void)
{
	float r0[2] = {1, 5}, r1[2] = {2, 5}, r2[2] = {3, 5}, r3[2] = {4, 5}, r4[2] = {100, 1};
	float *x[5] = {r0, r1, r2, r3, r4};
	uint8_t use[5] = {1, 1, 1, 1, 0};
	float mean[2], scale[2];
	train_standardise(x, use, 5, 2, mean, scale);
	CHECK(fabsf(mean[0] - 2.5f) < 1e-6f);
	CHECK(fabsf(scale[0] - (float)(1 / sqrt(1.25))) < 1e-6f);
	CHECK(mean[1] == 5 && scale[1] == 0); /* constant over the rows in use */
	train_standardise(x, NULL, 5, 2, mean, scale);
	CHECK(fabsf(mean[0] - 22) < 1e-5f && scale[1] > 0);
}

static void test_cholesky(void)
{
	/* A = [[4,2,0],[2,5,1],[0,1,3]], z = (1,-1,2): b = A z = (2,-1,5) */
	double a[9] = {4, 2, 0, 2, 5, 1, 0, 1, 3}, b[3] = {2, -1, 5};
	CHECK(train_cholesky_solve(a, b, 3) == 0);
	CHECK(fabs(b[0] - 1) < 1e-12 && fabs(b[1] + 1) < 1e-12 && fabs(b[2] - 2) < 1e-12);
	double n[4] = {1, 2, 2, 1}, nb[2] = {1, 1}; /* indefinite */
	CHECK(train_cholesky_solve(n, nb, 2) == -1);
}

/* Synthetic rows: two dense columns, three indicator columns, labels
 * drawn from the logistic model with known weights. */
enum { N = 60000, ND = 2, NS = 3 };
static float xs[N][ND], *xp[N], wt[N];
static uint16_t sps[N][2];
static const uint16_t *spp[N];
static int nsp[N];
static uint8_t ys[N];
static const double true_w[ND + NS] = {1.5, -2.0, 1.0, 0.0, -1.0}, true_b = 0.3;

static double uniform(train_rng *r)
{
	return (double)(train_rng_next(r) >> 11) / 9007199254740992.0;
}

static void make_rows(void)
{
	train_rng r = {12345};
	for (int i = 0; i < N; i++) {
		xs[i][0] = (float)(uniform(&r) * 2 - 1);
		xs[i][1] = (float)(uniform(&r) * 4);
		nsp[i] = 0;
		for (int s = 0; s < NS; s++)
			if (uniform(&r) < 0.4)
				sps[i][nsp[i] < 2 ? nsp[i]++ : 1] = (uint16_t)s;
		xp[i] = xs[i], spp[i] = sps[i], wt[i] = 1;
	}
}

static void label_rows(const float *mean, const float *scale)
{
	train_rng r = {777};
	for (int i = 0; i < N; i++) {
		double z = true_b;
		for (int k = 0; k < ND; k++)
			z += true_w[k] * (xs[i][k] - mean[k]) * scale[k];
		for (int q = 0; q < nsp[i]; q++)
			z += true_w[ND + sps[i][q]];
		ys[i] = uniform(&r) < 1 / (1 + exp(-z));
	}
}

static void test_logreg(void)
{
	float mean[ND], scale[ND], w[ND + NS], w2[ND + NS];
	double b, b2;
	make_rows();
	train_standardise(xp, NULL, N, ND, mean, scale);
	label_rows(mean, scale);
	train_lr_rows r = {N, ND, NS, xp, spp, nsp, wt, ys, mean, scale};
	CHECK(train_logreg(&r, 1e-6, 1, w, &b) == 0);
	for (int k = 0; k < ND + NS; k++)
		CHECK(fabs(w[k] - true_w[k]) < 0.15);
	CHECK(fabs(b - true_b) < 0.15);

	/* the same optimum with the rows in reverse order */
	static float *rx[N];
	static const uint16_t *rsp[N];
	static int rn[N];
	static uint8_t ry[N];
	for (int i = 0; i < N; i++)
		rx[i] = xp[N - 1 - i], rsp[i] = spp[N - 1 - i], rn[i] = nsp[N - 1 - i],
		ry[i] = ys[N - 1 - i];
	train_lr_rows rev = {N, ND, NS, rx, rsp, rn, wt, ry, mean, scale};
	CHECK(train_logreg(&rev, 1e-6, 1, w2, &b2) == 0);
	for (int k = 0; k < ND + NS; k++)
		CHECK(fabsf(w[k] - w2[k]) < 1e-5f);
	CHECK(fabs(b - b2) < 1e-5);

	/* weight 2 on the first half = the first half twice; weight 0 = absent */
	static float *dx[N + N / 2];
	static const uint16_t *dsp[N + N / 2];
	static int dn[N + N / 2];
	static uint8_t dy[N + N / 2];
	static float dw[N + N / 2], hw[N];
	for (int i = 0; i < N; i++)
		dx[i] = xp[i], dsp[i] = spp[i], dn[i] = nsp[i], dy[i] = ys[i], dw[i] = 1,
		hw[i] = i < N / 2 ? 2 : 1;
	for (int i = 0; i < N / 2; i++)
		dx[N + i] = xp[i], dsp[N + i] = spp[i], dn[N + i] = nsp[i], dy[N + i] = ys[i],
		       dw[N + i] = 1;
	train_lr_rows dup = {N + N / 2, ND, NS, dx, dsp, dn, dw, dy, mean, scale};
	train_lr_rows heavy = {N, ND, NS, xp, spp, nsp, hw, ys, mean, scale};
	CHECK(train_logreg(&dup, 1e-6, 1, w, &b) == 0);
	CHECK(train_logreg(&heavy, 1e-6, 1, w2, &b2) == 0);
	for (int k = 0; k < ND + NS; k++)
		CHECK(fabsf(w[k] - w2[k]) < 1e-5f);
	for (int i = 0; i < N / 2; i++)
		dw[N + i] = 0, dy[N + i] = !dy[N + i]; /* ignored, whatever they say */
	CHECK(train_logreg(&dup, 1e-6, 1, w2, &b2) == 0);
	CHECK(train_logreg(&r, 1e-6, 1, w, &b) == 0);
	for (int k = 0; k < ND + NS; k++)
		CHECK(fabsf(w[k] - w2[k]) < 1e-5f);

	/* a strong penalty shrinks every weight */
	float ws[ND + NS];
	CHECK(train_logreg(&r, 1, 1, ws, &b2) == 0);
	for (int k = 0; k < ND + NS; k++)
		CHECK(fabsf(ws[k]) <= fabsf(w[k]) + 1e-6f && fabsf(ws[k]) < 0.5f);
}

/* Separable data: the penalty keeps the optimum finite and the fit ends. */
static void test_separable(void)
{
	static float x[200][1], *px[200], w1[200];
	static uint8_t y[200];
	for (int i = 0; i < 200; i++)
		x[i][0] = (float)i, px[i] = x[i], y[i] = i >= 100, w1[i] = 1;
	float mean[1], scale[1], w[1];
	double b;
	train_standardise(px, NULL, 200, 1, mean, scale);
	train_lr_rows r = {200, 1, 0, px, NULL, NULL, w1, y, mean, scale}; /* no indicators */
	CHECK(train_logreg(&r, 1e-4, 1, w, &b) == 0);
	CHECK(w[0] > 5 && isfinite(w[0]) && isfinite(b));
}

/* No rows (a group a small set does not have): zero weights, no error. */
static void test_empty(void)
{
	float mean[1] = {0}, scale[1] = {0}, w[3] = {1, 1, 1};
	double b = 1;
	train_lr_rows r = {0, 1, 2, NULL, NULL, NULL, NULL, NULL, mean, scale};
	CHECK(train_logreg(&r, 1e-4, 1, w, &b) == 0);
	CHECK(w[0] == 0 && w[1] == 0 && w[2] == 0 && b == 0);
}

int main(void)
{
	test_rng_shuffle();
	test_standardise();
	test_cholesky();
	test_logreg();
	test_separable();
	test_empty();
	return check_finish();
}
