/*
 * The line model: three stages, each a logistic regression plus boosted
 * trees on its residual, that decide which lines of scraped text are
 * article text. Stage 1 reads each line's own shape (length, stop words,
 * punctuation, capitals, symbols, links, menu shape, the rule signals of
 * clean_core.c), its position (before, inside or after the densest run of
 * article paragraphs, the main region) and its context (how much prose
 * stands around it, its word overlap with the title and lead and with the
 * main region, how much of it and of the lines around it addresses the
 * reader). Stage 2 adds the stage-1 probabilities of the neighbours,
 * so that a short line inside a run of article lines stays and a sentence
 * inside a run of teasers goes; stage 3 does the same again from stage
 * 2's probabilities.
 *
 * The weights are trained by clean_text_train (see README.md) and compiled
 * in from line_model_weights.c: loaded once (they are constants), the same
 * input always gives the same decisions.
 */
#ifndef WN_LINE_MODEL_H
#define WN_LINE_MODEL_H

#include "clean_internal.h"
#include "trees.h"

#define WN_LM_NF1 40               /* stage-1 features, the bias first */
#define WN_LM_NF2 (WN_LM_NF1 + 14) /* stage 2: stage 1 and the neighbours */

/* Fills x1 (d->n rows of WN_LM_NF1 features) from the scored lines of d
 * (clean_core.c has run its signals). Returns 0, or -1 when out of memory. */
int wn_lm_features1(const doc *d, double *x1);

/* Fills x2 (d->n rows of WN_LM_NF2) from x1 and the stage-1 probabilities. */
void wn_lm_features2(const doc *d, const double *x1, const double *p1, double *x2);

/* One stage: a logistic regression (w over nf features) plus gradient-
 * boosted trees fitted on its residual (lib/core/trees.h; the trees see
 * the features as floats): p = 1 / (1 + exp(-(w . x + trees))). */
typedef struct wn_lm_stage {
	const double *w;
	size_t nf; /* at most WN_LM_NF2 */
	wn_trees trees;
} wn_lm_stage;

/* A stage's probability for one row of features. */
double wn_lm_prob(const wn_lm_stage *st, const double *x);

/* Sets every line's p with opts->lm_stages (NULL: the shipped model) and calls
 * opts->train, if any, with the features. Returns 0, or -1 when out of
 * memory (then every p is 1: nothing is dropped by the model). */
int wn_lm_predict(doc *d);

/* The story's end: after four or more kept paragraphs, a last
 * headline-shaped line followed by prose that shares few topic words with
 * the headline and the kept paragraphs before it starts another story
 * appended to the page; its lines get p = 0. Run after wn_lm_predict. */
void wn_lm_story_end(doc *d);

/* The shipped model: stage 1 (WN_LM_NF1 features), stages 2 and 3
 * (WN_LM_NF2). */
extern const wn_lm_stage wn_lm_stages[3];

/* The probability from which the shipped model keeps a line (see
 * wn_clean_opts.lm_keep). */
extern const double wn_lm_keep;

#endif
