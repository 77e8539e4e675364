/*
 * The page-type part of clean_train: fits clean_html's page-type model
 * (blocks.c wn_blocks_page_type reads it from block_model.h), cross-fits
 * it by domain for the block model, and reports how good it is.
 */
#ifndef WN_PT_TRAIN_H
#define WN_PT_TRAIN_H

#include "boost.h"
#include "wn_clean.h"

#include <stddef.h>
#include <stdio.h>

#define PT_NCLASS WN_PT_CLASSES
#define PT_NHASH 128 /* blocks.c's WN_PT_NHASH: the text-word and class-word bags */

/* Typed pages: n rows of nd columns (the last 2 * PT_NHASH are the hashed
 * bags, the others dense), gold class y and cross-fitting fold (0..nfold-1). */
typedef struct pt_set {
	float *const *f;
	const int *y, *fold;
	size_t n;
	int nd, nfold;
	char *const *id; /* each row's page id (may be NULL), for CLEAN_TRAIN_PT_ERRORS */
} pt_set;

/* The model: a softmax regression over every column and one-vs-rest
 * boosted trees over the dense ones; the class probabilities are the
 * softmax of blend[0] * the regression's log-probabilities + blend[1] *
 * the trees' (the blend also sets the temperature). */
typedef struct pt_model {
	int nd;
	float *mean, *scale, *w; /* nd; nd; PT_NCLASS * nd */
	double b[PT_NCLASS];
	int ntrees;                /* per class; 0: no trees */
	boost_model gb[PT_NCLASS]; /* over the first nd - 2 * PT_NHASH columns */
	double gb0[PT_NCLASS];     /* the trees' starting logits */
	double blend[2];
} pt_model;

/* Fits the model on every row of s into m and writes each row's
 * cross-fitted probabilities (from the model fitted without its fold)
 * into cv (n * PT_NCLASS). Prints the out-of-fold accuracy, precision
 * and recall by class, and the calibration by confidence bin. Options
 * from the environment (CLEAN_TRAIN_PT_TREES, _PT_DEPTH, _PT_RATE, _PT_MINH;
 * CLEAN_TRAIN_PT_ERRORS=1 lists the pages typed wrong out of fold).
 * Returns 0, or -1 when out of memory. */
int pt_train(const pt_set *s, float *cv, pt_model *m);

/* Writes m as block_model.h's wn_pt_* tables. */
void pt_write(FILE *o, const pt_model *m);

void pt_free(pt_model *m);

#endif
