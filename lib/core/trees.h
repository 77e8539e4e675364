/*
 * A gradient-boosted ensemble of full binary trees as flat tables, the
 * form the cleaning models ship in (lib/train/boost.c fits the trees and
 * writes the tables). One evaluator for clean_html's block model,
 * clean_text's line model and the trainers, so the plugins read exactly
 * what the trainers scored.
 */
#ifndef WN_TREES_H
#define WN_TREES_H

typedef struct wn_trees {
	int ntrees, depth;         /* depth 1-6 */
	const unsigned char *feat; /* ntrees * (2^depth - 1) split columns, tree after tree */
	const float *thr;          /* ... their thresholds: right when x[feat] > thr */
	const float *leaf;         /* ntrees * 2^depth leaf values (shrinkage applied) */
} wn_trees;

/* The sum over the trees of the leaf each sends row x to; x must hold
 * every column the trees split on. */
double wn_trees_sum(const wn_trees *m, const float *x);

#endif
