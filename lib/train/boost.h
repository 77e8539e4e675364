/*
 * Gradient-boosted shallow trees for the trainers of the cleaning models
 * (clean_html's clean_train, clean_text's clean_text_train); the plugins
 * evaluate the tables that boost_write_flat() emits with lib/core's
 * wn_trees_sum. Logistic loss, Newton leaves, histogram splits over at
 * most 32 quantile cuts per column, full binary trees of a fixed depth.
 * Deterministic: no sampling, no threads, ties broken by the lowest
 * column and cut.
 */
#ifndef WN_TRAIN_BOOST_H
#define WN_TRAIN_BOOST_H

#include "trees.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct boost_model {
	int ntrees, depth, nf;
	uint8_t *feat; /* ntrees * (2^depth - 1) split columns */
	float *thr;    /* ... their thresholds: right when x > thr */
	float *leaf;   /* ntrees * 2^depth leaf values (shrinkage applied) */
} boost_model;

/* Fits ntrees trees of the given depth (1-6) with shrinkage lr to rows
 * x[i] (nf columns each, nf <= 255), labels y (0/1) and weights w, on top
 * of the starting logits F (updated in place to the final logits).
 * Returns 0, or -1 when out of memory (F then partly updated). */
int boost_fit(float *const *x, size_t n, int nf, const uint8_t *y, const float *w, double *F,
              int ntrees, int depth, double lr, boost_model *m);

/* What boost_fit fixes, for small sets (clean_html's page-type model fits
 * on about 900 pages, where a child of 20 hessian would be a fifth of the
 * data): the smallest hessian a child may hold, the L2 on leaf values,
 * and whether to print the loss as trees are added. */
typedef struct boost_opts {
	double min_hess; /* boost_fit: 20 (about 80 weighted rows at p = 0.5) */
	double lambda;   /* boost_fit: 1 */
	int quiet;       /* boost_fit: 0 (a loss line every 25 trees) */
} boost_opts;

/* boost_fit with the options o (NULL: boost_fit's). */
int boost_fit_opts(float *const *x, size_t n, int nf, const uint8_t *y, const float *w, double *F,
                   int ntrees, int depth, double lr, const boost_opts *o, boost_model *m);

/* The model as lib/core's tables (it keeps pointing into m), for
 * wn_trees_sum, the evaluator the plugins use too. */
wn_trees boost_trees(const boost_model *m);

/* The model's correction to the starting logit for one row x (nf columns). */
double boost_predict(const boost_model *m, const float *x);

/* Writes the model as three flat static arrays NAME_feat (unsigned char),
 * NAME_thr and NAME_leaf (float), tree after tree in boost_model's layout
 * (a wn_trees over them evaluates it): clean_html's block_model.h holds
 * one (wn_gb), clean_text's line_model_weights.c one per stage. */
void boost_write_flat(FILE *o, const boost_model *m, const char *name);

void boost_free(boost_model *m);

#endif
