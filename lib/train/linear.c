/*
 * Linear models for the trainers (linear.h).
 */
#include "linear.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t train_rng_next(train_rng *r)
{
	r->s ^= r->s << 13, r->s ^= r->s >> 7, r->s ^= r->s << 17;
	return r->s;
}

void train_shuffle(size_t *order, size_t n, train_rng *r)
{
	for (size_t i = n > 0 ? n - 1 : 0; i > 0; i--) {
		size_t j = train_rng_next(r) % (i + 1), t = order[i];
		order[i] = order[j], order[j] = t;
	}
}

void train_standardise(float *const *x, const uint8_t *use, size_t n, int nd, float *mean,
                       float *scale)
{
	for (int k = 0; k < nd; k++) {
		double s = 0, s2 = 0;
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (!use || use[i])
				s += x[i][k], s2 += (double)x[i][k] * x[i][k], m++;
		double mu = m ? s / m : 0, v = m ? s2 / m - mu * mu : 0;
		mean[k] = (float)mu;
		scale[k] = v > 1e-12 ? (float)(1 / sqrt(v)) : 0;
	}
}

int train_cholesky_solve(double *a, double *b, size_t d)
{
	for (size_t j = 0; j < d; j++) {
		double s = a[j * d + j];
		for (size_t k = 0; k < j; k++)
			s -= a[j * d + k] * a[j * d + k];
		if (!(s > 0))
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

/* Row i as a list of (column, value) in increasing column order: the
 * standardised dense columns, the indicator columns with their counts,
 * then the bias (column nd + ns). Returns the list's length. */
static int row_entries(const train_lr_rows *r, size_t i, int *idx, double *val)
{
	int m = 0;
	for (int k = 0; k < r->nd; k++) {
		idx[m] = k;
		val[m++] = ((double)r->x[i][k] - r->mean[k]) * r->scale[k];
	}
	int first = m;
	for (int q = 0; r->nsp && q < r->nsp[i]; q++) {
		int c = r->nd + r->sp[i][q], at = first;
		while (at < m && idx[at] < c)
			at++;
		if (at < m && idx[at] == c) {
			val[at] += 1;
			continue;
		}
		memmove(idx + at + 1, idx + at, (size_t)(m - at) * sizeof *idx);
		memmove(val + at + 1, val + at, (size_t)(m - at) * sizeof *val);
		idx[at] = c, val[at] = 1, m++;
	}
	idx[m] = r->nd + r->ns;
	val[m++] = 1;
	return m;
}

static double dot(const int *idx, const double *val, int m, const double *beta)
{
	double z = 0;
	for (int a = 0; a < m; a++)
		z += beta[idx[a]] * val[a];
	return z;
}

/* log(1 + e^z), without overflow */
static double softplus(double z)
{
	return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

/* The penalised loss at beta (lam on every weight but the bias). */
static double loss_at(const train_lr_rows *r, const double *beta, double lam, int *idx, double *val)
{
	size_t d = (size_t)r->nd + r->ns;
	double loss = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->w[i] <= 0)
			continue;
		double z = dot(idx, val, row_entries(r, i, idx, val), beta);
		loss += r->w[i] * softplus(r->y[i] ? -z : z);
	}
	for (size_t k = 0; k < d; k++)
		loss += 0.5 * lam * beta[k] * beta[k];
	return loss;
}

/* The loss at beta, its gradient's negative into g and its Hessian's
 * lower triangle into h (d x d). */
static double newton_terms(const train_lr_rows *r, const double *beta, double lam, double *g,
                           double *h, int *idx, double *val)
{
	size_t d = (size_t)r->nd + r->ns + 1;
	memset(g, 0, d * sizeof *g);
	memset(h, 0, d * d * sizeof *h);
	double loss = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->w[i] <= 0)
			continue;
		int m = row_entries(r, i, idx, val);
		double z = dot(idx, val, m, beta), p = 1 / (1 + exp(-z));
		double wi = r->w[i], res = wi * (r->y[i] - p), c = wi * p * (1 - p);
		loss += wi * softplus(r->y[i] ? -z : z);
		for (int a = 0; a < m; a++) {
			double ca = c * val[a], *hr = h + (size_t)idx[a] * d;
			g[idx[a]] += res * val[a];
			for (int b = 0; b <= a; b++)
				hr[idx[b]] += ca * val[b];
		}
	}
	for (size_t k = 0; k + 1 < d; k++) {
		loss += 0.5 * lam * beta[k] * beta[k];
		g[k] -= lam * beta[k];
		h[k * d + k] += lam;
	}
	h[(d - 1) * d + d - 1] += 1e-9; /* a bias over all-zero weights stays solvable */
	return loss;
}

/* One Newton step from beta: the direction, then halved until the loss
 * does not rise. Returns the new loss, -1 when the system is singular,
 * -2 when no step lowers the loss. */
static double newton_step(const train_lr_rows *r, double *beta, double lam, double loss,
                          double *dir, double *h, double *trial, int *idx, double *val,
                          double *moved)
{
	size_t d = (size_t)r->nd + r->ns + 1;
	if (train_cholesky_solve(h, dir, d))
		return -1; /* singular */
	for (double t = 1; t > 1e-4; t /= 2) {
		double mv = 0;
		for (size_t k = 0; k < d; k++) {
			trial[k] = beta[k] + t * dir[k];
			mv = fmax(mv, fabs(t * dir[k]));
		}
		double l = loss_at(r, trial, lam, idx, val);
		if (l <= loss) {
			memcpy(beta, trial, d * sizeof *beta);
			*moved = mv;
			return l;
		}
	}
	return -2; /* no step lowers the loss: at the optimum, to rounding */
}

int train_logreg(const train_lr_rows *r, double l2, int quiet, float *w, double *b)
{
	size_t d = (size_t)r->nd + r->ns + 1;
	double *beta = calloc(d, sizeof *beta), *g = malloc(d * sizeof *g),
	       *h = malloc(d * d * sizeof *h), *trial = malloc(d * sizeof *trial),
	       *val = malloc(d * sizeof *val);
	int *idx = malloc(d * sizeof *idx), rc = -1;
	if (!beta || !g || !h || !trial || !val || !idx)
		goto out;
	double sw = 0;
	for (size_t i = 0; i < r->n; i++)
		sw += r->w[i] > 0 ? r->w[i] : 0;
	double lam = l2 * (sw > 0 ? sw : 1); /* no rows: the weights stay 0 */
	rc = 0;
	for (int it = 0; it < 40; it++) {
		double loss = newton_terms(r, beta, lam, g, h, idx, val), moved = 0;
		double next = newton_step(r, beta, lam, loss, g, h, trial, idx, val, &moved);
		if (!quiet)
			fprintf(stderr, "    newton %d: loss %.6f, largest move %.2g\n", it,
			        (next < 0 ? loss : next) / (sw > 0 ? sw : 1), moved);
		if (next == -1)
			rc = -1;
		if (next < 0 || moved < 1e-6 || loss - next <= 1e-10 * loss)
			break;
	}
out:
	for (size_t k = 0; beta && k + 1 < d; k++)
		w[k] = (float)beta[k];
	*b = beta ? beta[d - 1] : 0;
	free(beta), free(g), free(h), free(trial), free(val), free(idx);
	return rc;
}
