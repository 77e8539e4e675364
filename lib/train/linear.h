/*
 * Linear models for the trainers of the cleaning models (clean_html's
 * block and page-type models): column standardisation, a seeded
 * generator for fixed shuffles, and a converged logistic regression.
 * Deterministic: the same rows in the same order give the same bytes.
 */
#ifndef WN_TRAIN_LINEAR_H
#define WN_TRAIN_LINEAR_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64: a fixed sequence from a fixed seed, so that a trainer's
 * shuffles (and so its tables) do not change from run to run. */
typedef struct train_rng {
	uint64_t s; /* state; any value but 0 */
} train_rng;

/* The seed both trainers start from. */
#define TRAIN_RNG_SEED 88172645463325252ull

/* The next value of r's sequence. */
uint64_t train_rng_next(train_rng *r);

/* Shuffles order[0..n) in place (Fisher-Yates, drawing from r). */
void train_shuffle(size_t *order, size_t n, train_rng *r);

/* Mean and 1/sd of each of the nd columns of the rows x[i] (i < n) for
 * which use is NULL or use[i] is non-zero, into mean[] and scale[]
 * (scale 0 for a constant column, which then contributes nothing).
 * Sums in row order, in double. */
void train_standardise(float *const *x, const uint8_t *use, size_t n, int nd, float *mean,
                       float *scale);

/* A weighted binary logistic regression's rows: nd dense columns,
 * standardised as (x - mean) * scale, plus ns indicator columns given as
 * a list of column indices per row (an index listed twice counts 2; sp
 * and nsp NULL: none). */
typedef struct train_lr_rows {
	size_t n;
	int nd, ns;
	float *const *x;           /* x[i]: the nd dense values of row i */
	const uint16_t *const *sp; /* sp[i]: nsp[i] indicator columns (< ns) */
	const int *nsp;
	const float *w;   /* row weights (0: the row is ignored) */
	const uint8_t *y; /* labels, 0 or 1 */
	const float *mean, *scale;
} train_lr_rows;

/* Fits weights w[0..nd+ns) and bias *b minimising the weighted log loss
 * plus l2/2 * (sum of row weights) * |w|^2 (the bias is not penalised),
 * by Newton's method with step halving, to convergence (or 40 steps).
 * Why Newton: an SGD fit stops where its shuffle left it, so a change
 * that only moves the order moves the model; this one does not. Prints
 * a loss line per step to stderr unless quiet. Returns 0, or -1 when out
 * of memory or the system is singular (w and *b then hold the last
 * good step). */
int train_logreg(const train_lr_rows *r, double l2, int quiet, float *w, double *b);

/* Solves A z = b in place for a symmetric positive definite d x d matrix
 * A (row-major; its lower triangle is read, then overwritten by the
 * Cholesky factor); b gets z. Returns -1 when A is not positive definite. */
int train_cholesky_solve(double *a, double *b, size_t d);

#endif
