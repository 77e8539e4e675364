/*
 * clean_train: fits clean_html's two models on the listed pages of a
 * WCXB-format set and writes them as a C header (block_model.h).
 *
 *   clean_train HTML_DIR GOLD_DIR IDS TYPES OUT.h
 *
 * HTML_DIR/<id>.html are the pages, GOLD_DIR/<id>.txt their gold main text,
 * IDS the ids to fit on (one a line: fit.ids, the fit part of the fixed
 * by-domain split of bench/clean/wcxb_split.py, for the table the
 * held-back bench measures; all.ids, every page, for the shipped one),
 * TYPES "id<TAB>page_type[<TAB>domain]"
 * lines (with the domain, the cross-fitting folds are by domain).
 *
 * Block model: each text block that wn_clean_page_sink() reports is
 * labelled main content when its words are in the gold text (a block under
 * 12 words must appear there verbatim, word for word; a longer one needs
 * 80% of its words in the gold's vocabulary), weighted by its share of
 * the page's words so that every page counts the same (the benchmark
 * averages F1 over pages). A logistic regression over standardised dense
 * features (no hashed class/id words: they did not carry to unseen sites,
 * the model card's "Class words") is fitted to convergence by Newton's
 * method (lib/train: the same data gives the same bytes), and the
 * decision threshold is the one with the best mean page F1 on the fit data.
 *
 * Page type: train/pt_train.c (a softmax regression and one-vs-rest
 * boosted trees, blended); CLEAN_TRAIN_PT_ONLY=1 fits and reports only it.
 */
#include "boost.h"
#include "hash.h"
#include "io.h"
#include "linear.h"
#include "pt_train.h"
#include "wn_clean.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCLASS PT_NCLASS
#define NSTAGE2 WN_BLOCKS_NSTAGE2
#define NFOLD 5    /* page-type probabilities the block model sees are cross-fitted */
#define NEVER 1.05 /* a threshold no probability reaches */

typedef struct row {
	float *f;
	uint32_t grp;
	int page, ntok, nmatch;
	float w;
	uint8_t y;
	float p;
	size_t toff; /* the block's text in btext */
	uint32_t tlen;
} row;

typedef struct prow {
	float *f;
	int y, page;
} prow;

static row *rows;
static size_t nrows, caprows;
static prow *prows;
static size_t nprows, capprows;
static int ndense, pdense;

/* the current page's gold text */
static char *gold_norm; /* " w1 w2 ... " lower-case words */
static uint32_t *gold_set;
static size_t gold_cap;
static int cur_page, cur_type;
static char *btext; /* every block's text, for the out-of-fold extraction */
static size_t btext_len, btext_cap;
static int *page_type_of;      /* each page's gold type (-1 when untyped) */
static char **page_name;       /* each page's id */
static int *page_fold;         /* each page's cross-fitting fold (by domain) */
static const char **page_pred; /* each page's cross-fitted type, as clean_html names it */
static FILE *oracle;           /* CLEAN_TRAIN_ORACLE=DIR: each page's positive blocks */
/* each page's element tree (wn_block_tree): its elements' block ranges and
 * parents from tree_off[page] in tlo/thi/tpar, each row's owner in tnode */
static uint32_t *tlo, *thi, *tnode;
static int32_t *tpar;
static size_t ntree, captree, ntnode, captnode;
static size_t *tree_off, *tree_len;

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = wn_fnv1a32(s, n, WN_FNV32_BASIS);
	return h ? h : 1;
}

/* Lower-case words of s joined by single spaces, with a space at each
 * end; the word hashes into *hs (malloc'd), their count into *nw. */
static char *normalise(const char *s, size_t len, uint32_t **hs, int *nw)
{
	char *o = malloc(len * 2 + 3), *q = o;
	size_t cap = 64;
	uint32_t *h = hs ? malloc(cap * sizeof *h) : NULL;
	int n = 0;
	*q++ = ' ';
	for (size_t i = 0; i < len;) {
		while (i < len && !(isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80))
			i++;
		char *st = q;
		while (i < len && (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80))
			*q++ = (char)tolower((unsigned char)s[i++]);
		if (q == st)
			break;
		if (h) {
			if ((size_t)n == cap)
				h = realloc(h, (cap *= 2) * sizeof *h);
			h[n] = fnv(st, (size_t)(q - st));
		}
		n++;
		*q++ = ' ';
	}
	*q = 0;
	if (hs)
		*hs = h;
	*nw = n;
	return o;
}

/* gold vocabulary: open addressing set of word hashes */
static void gold_load(const char *text)
{
	uint32_t *h;
	int n;
	free(gold_norm);
	gold_norm = normalise(text, strlen(text), &h, &n);
	gold_cap = 1;
	while (gold_cap < (size_t)n * 2 + 16)
		gold_cap *= 2;
	free(gold_set);
	gold_set = calloc(gold_cap, sizeof *gold_set);
	for (int i = 0; i < n; i++) {
		size_t k = h[i] & (gold_cap - 1);
		while (gold_set[k] && gold_set[k] != h[i])
			k = (k + 1) & (gold_cap - 1);
		gold_set[k] = h[i];
	}
	free(h);
}

static int gold_has(uint32_t h)
{
	size_t k = h & (gold_cap - 1);
	while (gold_set[k]) {
		if (gold_set[k] == h)
			return 1;
		k = (k + 1) & (gold_cap - 1);
	}
	return 0;
}

static void on_block(void *ud, const float *dense, int nd, const char *text, size_t len, float p,
                     uint32_t grp)
{
	(void)ud, (void)p;
	uint32_t *h;
	int nw;
	char *norm = normalise(text, len, &h, &nw);
	int match = 0;
	for (int i = 0; i < nw; i++)
		match += gold_has(h[i]);
	int y;
	if (nw < 12)
		y = nw > 0 && strstr(gold_norm, norm) != NULL;
	else
		y = match * 5 >= nw * 4;
	free(norm);
	free(h);
	if (nrows == caprows) {
		caprows = caprows ? caprows * 2 : 65536;
		rows = realloc(rows, caprows * sizeof *rows);
	}
	row *r = &rows[nrows++];
	memset(r, 0, sizeof *r);
	r->f = malloc((size_t)nd * sizeof *r->f);
	memcpy(r->f, dense, (size_t)nd * sizeof *r->f);
	r->page = cur_page;
	r->grp = grp;
	r->ntok = nw;
	r->nmatch = y ? nw : 0;
	r->y = (uint8_t)y;
	if (btext_len + len + 1 > btext_cap) {
		while (btext_len + len + 1 > btext_cap)
			btext_cap = btext_cap ? btext_cap * 2 : 1 << 24;
		btext = realloc(btext, btext_cap);
	}
	memcpy(btext + btext_len, text, len);
	r->toff = btext_len, r->tlen = (uint32_t)len;
	btext_len += len;
	ndense = nd;
	if (oracle && y) { /* the labels as an extraction, to score the ceiling */
		fwrite(text, 1, len, oracle);
		fputs("\n", oracle);
	}
}

static void on_tree(void *ud, const wn_block_tree *t, size_t nblocks)
{
	(void)ud;
	if (ntree + t->nnodes > captree) {
		while (ntree + t->nnodes > captree)
			captree = captree ? captree * 2 : 1 << 20;
		tlo = realloc(tlo, captree * sizeof *tlo);
		thi = realloc(thi, captree * sizeof *thi);
		tpar = realloc(tpar, captree * sizeof *tpar);
	}
	if (ntnode + nblocks > captnode) {
		while (ntnode + nblocks > captnode)
			captnode = captnode ? captnode * 2 : 1 << 20;
		tnode = realloc(tnode, captnode * sizeof *tnode);
	}
	memcpy(tlo + ntree, t->lo, t->nnodes * sizeof *tlo);
	memcpy(thi + ntree, t->hi, t->nnodes * sizeof *thi);
	memcpy(tpar + ntree, t->parent, t->nnodes * sizeof *tpar);
	memcpy(tnode + ntnode, t->node, nblocks * sizeof *tnode);
	tree_off[cur_page] = ntree;
	tree_len[cur_page] = t->nnodes;
	ntree += t->nnodes;
	ntnode += nblocks;
}

static void on_page(void *ud, const float *dense, int nd)
{
	(void)ud;
	if (cur_type < 0)
		return;
	if (nprows == capprows) {
		capprows = capprows ? capprows * 2 : 1024;
		prows = realloc(prows, capprows * sizeof *prows);
	}
	prow *r = &prows[nprows++];
	r->f = malloc((size_t)nd * sizeof *r->f);
	memcpy(r->f, dense, (size_t)nd * sizeof *r->f);
	r->y = cur_type;
	r->page = cur_page;
	pdense = nd;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)len + 1);
	*n = fread(b, 1, (size_t)len, f);
	b[*n] = 0;
	fclose(f);
	return b;
}

static double zrow(const row *r, int nd, const float *w, const float *mean, const float *scale,
                   double b)
{
	double z = b;
	for (int k = 0; k < nd; k++)
		z += w[k] * ((r->f[k] - mean[k]) * scale[k]);
	return z;
}

/* A trainer cannot go on without its fit: says why and exits 1. */
static void die(const char *why)
{
	fprintf(stderr, "clean_train: %s\n", why);
	exit(1);
}

/* The block model's L2 (CLEAN_TRAIN_L2; per unit of row weight). */
static double block_l2(void)
{
	return train_env_num("CLEAN_TRAIN_L2", 1e-4);
}

/* Weighted logistic regression over the group's rows: their first nd
 * dense columns, standardised, fitted to convergence (train_logreg), so
 * that the model depends on the rows and not on the order they were
 * visited in. */
static void fit_lr(int nd, const int *group, int gr, float **mean_out, float **scale_out,
                   float **w_out, double *b_out)
{
	float *mean = calloc((size_t)nd, sizeof *mean), *scale = calloc((size_t)nd, sizeof *scale);
	float **x = malloc(nrows * sizeof *x), *wt = malloc(nrows * sizeof *wt);
	uint8_t *y = malloc(nrows);
	float *w = calloc((size_t)nd, sizeof *w);
	if (!mean || !scale || !x || !wt || !y || !w)
		die("out of memory fitting the block model");
	size_t n = 0;
	for (size_t i = 0; i < nrows; i++)
		if (group[rows[i].page] == gr) {
			x[n] = rows[i].f;
			wt[n] = rows[i].w, y[n] = rows[i].y, n++;
		}
	train_standardise(x, NULL, n, nd, mean, scale);
	train_lr_rows lr = {n, nd, 0, x, NULL, NULL, wt, y, mean, scale};
	fprintf(stderr, "  block model (%d columns, %zu blocks)\n", nd, n);
	if (train_logreg(&lr, block_l2(), 1, w, b_out))
		die("the block model's regression did not converge");
	free(x), free(wt), free(y);
	*mean_out = mean, *scale_out = scale, *w_out = w;
}

/* Cross-fitted logits of one stage (the rows' first nd columns): each
 * page's from its group's model fitted without its fold, into z[].
 * Why: the next stage (stage 2's neighbour means, the trees' starting
 * logit) must learn from outputs like those it meets on unseen pages; an
 * in-sample regression is surer of the pages it was fitted on. */
static void oof_logits(int nd, const int *group, int pages, double *z)
{
	int *g = malloc((size_t)pages * sizeof *g);
	for (int fold = 0; fold < NFOLD; fold++) {
		for (int pg = 0; pg < pages; pg++)
			g[pg] = page_fold[pg] == fold ? -1 : group[pg];
		for (int gr = 0; gr < WN_BLOCKS_NGROUP; gr++) {
			float *mean, *scale, *w;
			double b;
			fit_lr(nd, g, gr, &mean, &scale, &w, &b);
			for (size_t i = 0; i < nrows; i++)
				if (page_fold[rows[i].page] == fold && group[rows[i].page] == gr)
					z[i] = zrow(&rows[i], nd, w, mean, scale, b);
			free(mean), free(scale), free(w);
		}
	}
	free(g);
}

/* Is row r kept with the thresholds tf, deciding as clean_html does
 * (wn_blocks_threshold; over 1 is never)? */
static int kept_row(const row *r, const float *tf)
{
	float t = wn_blocks_threshold(r->f, tf);
	return t <= 1 && r->p >= t;
}

/* Mean page F1 over the fit pages of group gr (block-level estimate: a
 * kept block brings its words, and its gold words when it is labelled main
 * content) with thresholds t (as block_model.h will hold them). */
static double grid_f1(const double *t, const int *group, int gr, int pages, int *npg)
{
	double fsum = 0;
	size_t i = 0;
	float tf[WN_BLOCKS_NTHR]; /* as block_model.h will hold them */
	for (int j = 0; j < WN_BLOCKS_NTHR; j++)
		tf[j] = (float)t[j];
	*npg = 0;
	for (int pg = 0; pg < pages; pg++) {
		double pred = 0, gold = 0, ov = 0;
		for (; i < nrows && rows[i].page == pg; i++) {
			const row *r = &rows[i];
			if (group[pg] != gr)
				continue;
			int k = kept_row(r, tf);
			pred += k ? r->ntok : 0;
			gold += r->nmatch;
			ov += k ? r->nmatch : 0;
		}
		if (group[pg] != gr)
			continue;
		(*npg)++;
		double P = pred ? ov / pred : 0, R = gold ? ov / gold : 0;
		fsum += P + R > 0 ? 2 * P * R / (P + R) : 0;
	}
	return *npg ? fsum / *npg : 0;
}

/* Searches the raised threshold t4[k] (outside the rule output's span,
 * teaser runs, comments) from lo to 1 with the others fixed, and takes the
 * highest within 0.001 of the best mean page F1 (best_f when no raise does
 * better): text outside the rules' span is page furniture unless the fit
 * part clearly says otherwise, the mirror of the lowest "keep" threshold
 * below. Without it the choice flipped between retrainings on near-ties
 * (articles' "outside" 0.45 one day, no raise the next: AEB 0.971 ->
 * 0.966). Sets bt[k] and t4[k]; returns the F1 of the choice. */
static double raise_search(double *t4, int k, double lo, const int *group, int gr, int pages,
                           double best_f, double *bt)
{
	int npg = 0;
	double top = best_f;
	for (t4[k] = lo; t4[k] <= 1.0001; t4[k] += 0.05)
		top = fmax(top, grid_f1(t4, group, gr, pages, &npg));
	double f = best_f;
	for (t4[k] = 1.0; t4[k] >= lo - 1e-9; t4[k] -= 0.05) {
		f = grid_f1(t4, group, gr, pages, &npg);
		if (f >= top - 0.001) {
			bt[k] = t4[k];
			break;
		}
	}
	if (t4[k] < lo - 1e-9) /* none within reach of the best: keep the current */
		f = best_f;
	t4[k] = bt[k];
	return f;
}

/* Searches threshold t4[k], for blocks a fixed rule used to drop, from
 * 0.5 to 1 with the others fixed: "never" (bt[k] as it is, over 1) unless
 * a threshold does better than best_f by 1e-4, and at least 0.5 (to
 * overrule a fixed rule the model must call the block more likely content
 * than not). Sets bt[k] and t4[k]; returns the F1 of the choice. */
static double floor_search(double *t4, int k, const int *group, int gr, int pages, double best_f,
                           double *bt)
{
	int npg = 0;
	for (t4[k] = 0.5; t4[k] <= 1.0001; t4[k] += 0.05) {
		double f = grid_f1(t4, group, gr, pages, &npg);
		if (f > best_f + 1e-4)
			best_f = f, bt[k] = t4[k];
	}
	t4[k] = bt[k];
	return best_f;
}

/* The thresholds of each group (bt[group]), searched on the pages whose
 * group[] is that group (-1: left out): per group, the best mean page F1
 * (block-level estimate) for blocks in the rule output, cue-dropped blocks
 * and the others, then (raise_search: the highest within reach of the
 * best) for non-rule blocks outside the rule output's span, then for the
 * run-shaped ones among those: teaser runs, then comments. */
static void search_thresholds(const int *group, int pages,
                              double bt[WN_BLOCKS_NGROUP][WN_BLOCKS_NTHR], int verbose)
{
	for (int gr = 0; gr < WN_BLOCKS_NGROUP; gr++) {
		/* the first grid point beats best_f and sets all of bt[gr] */
		double best_f = -1, t4[WN_BLOCKS_NTHR] = {0, 0, 0, 0, 0, 0, NEVER, NEVER, NEVER};
		int npg = 0;
		for (t4[0] = 0.05; t4[0] <= 0.351; t4[0] += 0.05)
			for (t4[1] = 0.3; t4[1] <= 0.951; t4[1] += 0.05)
				for (t4[2] = t4[1]; t4[2] <= 0.951; t4[2] += 0.05) {
					double f = grid_f1(t4, group, gr, pages, &npg);
					if (f > best_f)
						best_f = f, memcpy(bt[gr], t4, sizeof t4);
				}
		/* the rules' verdict is measured evidence beyond the fit part (the
		 * rules alone score 0.979 on AEB): the lowest "keep" threshold
		 * within 0.001 of the best mean page F1 is taken, so that the
		 * model overrules the rules only where the fit part clearly says so */
		memcpy(t4, bt[gr], sizeof t4);
		for (t4[0] = 0.05; t4[0] < bt[gr][0] - 1e-9; t4[0] += 0.05) {
			double f = grid_f1(t4, group, gr, pages, &npg);
			if (f >= best_f - 0.001) {
				best_f = f, bt[gr][0] = t4[0];
				break;
			}
		}
		memcpy(t4, bt[gr], sizeof t4);
		best_f = raise_search(t4, 3, bt[gr][1], group, gr, pages, best_f, bt[gr]);
		best_f = raise_search(t4, 4, fmax(bt[gr][1], bt[gr][3]), group, gr, pages, best_f,
		                      bt[gr]);
		best_f = raise_search(t4, 5, fmax(bt[gr][1], bt[gr][3]), group, gr, pages, best_f,
		                      bt[gr]);
		/* small cue-dropped widgets and hidden blocks beside an article;
		 * on article pages always "never" (there the fit part's gain,
		 * 0.942 -> 0.948 out of fold, did not hold on unseen sites: hidden
		 * menus and copies of the headline beside the story) */
		for (int k = 6; k < 8 && gr != WN_GROUP_ARTICLE; k++)
			best_f = floor_search(t4, k, group, gr, pages, best_f, bt[gr]);
		/* captions, on every group (a news photo's caption is not the
		 * story, a documentation figure's is) */
		best_f = floor_search(t4, 8, group, gr, pages, best_f, bt[gr]);
		if (verbose)
			fprintf(stderr,
			        "  group %d (%d pages): thresholds keep %.2f add %.2f soft %.2f "
			        "outside %.2f teasers %.2f comments %.2f widgets %.2f hidden %.2f "
			        "captions %.2f, "
			        "fit F1 (blocks) %.4f\n",
			        gr, npg, bt[gr][0], bt[gr][1], bt[gr][2], bt[gr][3], bt[gr][4],
			        bt[gr][5], bt[gr][6], bt[gr][7], bt[gr][8], best_f);
	}
}

/* Writes page pg's kept blocks (rows [st, en)) under thresholds tf to
 * dir/<id>.txt, one a line; the rule blocks when none is kept, as
 * clean_html falls back; the structure vote and the repeats applied as
 * clean_html applies them (the furniture needs the element tree, which
 * the rows do not carry). */
static void write_kept(const char *dir, int pg, size_t st, size_t en, const float *tf)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.txt", dir, page_name[pg]);
	FILE *o = fopen(path, "w");
	if (!o) {
		fprintf(stderr, "clean_train: cannot write %s\n", path);
		return;
	}
	size_t n = en - st;
	if (!n) {
		fclose(o);
		return;
	}
	const char **text = malloc(n * sizeof *text);
	size_t *len = malloc(n * sizeof *len);
	uint8_t *pre = malloc(n), *keep = malloc(n);
	if (!text || !len || !pre || !keep)
		die("out of memory");
	int any = 0;
	for (size_t j = st; j < en; j++)
		any |= kept_row(&rows[j], tf);
	for (size_t j = st; j < en; j++) { /* as clean_html decides and emits */
		text[j - st] = btext + rows[j].toff, len[j - st] = rows[j].tlen;
		pre[j - st] = rows[j].f[WN_BF_PRE] > 0.5f || rows[j].f[WN_BF_TABLE] > 0.5f;
		keep[j - st] = any ? kept_row(&rows[j], tf) : rows[j].f[WN_BF_RULE] > 0.5;
	}
	if (wn_group_vote_apply(page_pred[pg])) {
		uint32_t *grp = malloc(n * sizeof *grp), ngrp = 0;
		uint8_t *fixed = calloc(n, 1); /* the trainer runs with the default options */
		if (!grp || !fixed)
			die("out of memory");
		for (size_t j = 0; j < n; j++) {
			grp[j] = rows[st + j].grp;
			ngrp = grp[j] >= ngrp ? grp[j] + 1 : ngrp;
		}
		wn_group_vote(grp, ngrp, fixed, keep, n);
		free(grp), free(fixed);
	}
	if (wn_repeats_apply(page_pred[pg]))
		wn_drop_repeats(text, len, pre, keep, n);
	for (size_t j = 0; j < n; j++)
		if (keep[j]) {
			fwrite(text[j], 1, len[j], o);
			fputs("\n", o);
		}
	fclose(o);
	free(text), free(len), free(pre), free(keep);
}

/* The out-of-fold figure with the thresholds searched without the page's
 * fold too (nested): each fold's pages judged with thresholds fitted on
 * the other folds' pages. Why: thresholds searched on the very outputs
 * they are judged on flatter the figure (report_oof). With dir, also
 * writes each page's extraction under its fold's thresholds (write_kept),
 * to score on any subset of the pages (the held-back ones when the table
 * is fitted on all pages). */
static void report_nested(const int *group, int pages, const char *dir)
{
	int *g = malloc((size_t)pages * sizeof *g);
	double fsum = 0;
	int npages = 0;
	if (!g)
		return;
	for (int fold = 0; fold < NFOLD; fold++) {
		double bt[WN_BLOCKS_NGROUP][WN_BLOCKS_NTHR];
		for (int pg = 0; pg < pages; pg++)
			g[pg] = page_fold[pg] == fold ? -1 : group[pg];
		search_thresholds(g, pages, bt, 0);
		for (int pg = 0; pg < pages; pg++)
			g[pg] = page_fold[pg] == fold ? group[pg] : -1;
		for (int gr = 0; gr < WN_BLOCKS_NGROUP; gr++) {
			int n;
			double f = grid_f1(bt[gr], g, gr, pages, &n);
			fsum += f * n, npages += n;
		}
		float tf[WN_BLOCKS_NGROUP][WN_BLOCKS_NTHR];
		for (int gr = 0; gr < WN_BLOCKS_NGROUP; gr++)
			for (int j = 0; j < WN_BLOCKS_NTHR; j++)
				tf[gr][j] = (float)bt[gr][j];
		for (size_t i = 0; dir && i < nrows;) {
			int pg = rows[i].page;
			size_t st = i;
			while (i < nrows && rows[i].page == pg)
				i++;
			if (page_fold[pg] == fold)
				write_kept(dir, pg, st, i, tf[group[pg]]);
		}
	}
	free(g);
	fprintf(stderr, "  out-of-fold mean page F1, thresholds nested too: %.4f (%d pages)\n",
	        npages ? fsum / npages : 0, npages);
}

/* Prints the out-of-fold mean page F1 (block-level estimate, precision and
 * recall) by gold page type, from the rows' cross-fitted probabilities and
 * the chosen thresholds: how a change is judged without the held-back
 * part. With dir, also writes each page's kept blocks to dir/<id>.txt (the
 * rule blocks when none is kept, as clean_html falls back), to score with
 * the set's own scorer. */
static void report_oof(const int *group, double bt[WN_BLOCKS_NGROUP][WN_BLOCKS_NTHR], int pages,
                       const char *dir)
{
	double s[NCLASS + 1][3] = {{0}};
	int cnt[NCLASS + 1] = {0};
	float tf[WN_BLOCKS_NGROUP][WN_BLOCKS_NTHR];
	for (int g = 0; g < WN_BLOCKS_NGROUP; g++)
		for (int j = 0; j < WN_BLOCKS_NTHR; j++)
			tf[g][j] = (float)bt[g][j];
	size_t i = 0;
	FILE *dump = getenv("CLEAN_TRAIN_DUMP") ? fopen(getenv("CLEAN_TRAIN_DUMP"), "w") : NULL;
	for (int pg = 0; pg < pages; pg++) {
		size_t st = i;
		double pred = 0, gold = 0, ov = 0;
		for (; i < nrows && rows[i].page == pg; i++) {
			int k = kept_row(&rows[i], tf[group[pg]]);
			pred += k ? rows[i].ntok : 0;
			gold += rows[i].nmatch;
			ov += k ? rows[i].nmatch : 0;
		}
		if (dir)
			write_kept(dir, pg, st, i, tf[group[pg]]);
		for (size_t j = st; dump && j < i; j++) {
			const row *r = &rows[j];
			const float *f = r->f;
			fprintf(
			    dump,
			    "%s\t%d\t%d\t%d\t%.3f\t%.3f\t%d\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.2f\t%d\n",
			    page_name[pg], page_type_of[pg], r->y, r->ntok, r->p,
			    wn_blocks_threshold(f, tf[group[pg]]), kept_row(r, tf[group[pg]]),
			    f[WN_BF_RULE] > 0.5, f[WN_BF_SOFT] > 0.5,
			    f[WN_BF_NAV] + f[WN_BF_NAV + 1] + f[WN_BF_NAV + 2] + f[WN_BF_NAV + 3] +
			            f[WN_BF_MENU] >
			        0.5,
			    f[WN_BF_BEFORE] > 0.5 || f[WN_BF_AFTER] > 0.5, wn_blocks_run_shaped(f),
			    expm1(f[WN_BF_GCOUNT]), f[WN_BF_LDENS], group[pg]);
		}
		double P = pred ? ov / pred : 0, R = gold ? ov / gold : 0;
		double F = P + R > 0 ? 2 * P * R / (P + R) : 0;
		int t = page_type_of[pg];
		for (int c = 0; c < 2; c++) {
			int k = c ? NCLASS : t;
			if (k < 0)
				continue;
			s[k][0] += F, s[k][1] += P, s[k][2] += R, cnt[k]++;
		}
	}
	if (dump)
		fclose(dump);
	fprintf(stderr, "  out-of-fold mean page F1 (P/R) by page type:\n");
	for (int k = NCLASS; k >= 0; k--)
		if (cnt[k])
			fprintf(stderr, "    %-13s %4d  %.4f (%.3f/%.3f)\n",
			        k == NCLASS ? "all" : wn_page_type_name(k), cnt[k],
			        s[k][0] / cnt[k], s[k][1] / cnt[k], s[k][2] / cnt[k]);
}

/* float name[WN_BLOCKS_NGROUP] from a group's values each */
static void write_doubles(FILE *o, const char *name, const double *v)
{
	fprintf(o, "static const float %s[%d] = {", name, WN_BLOCKS_NGROUP);
	for (int g = 0; g < WN_BLOCKS_NGROUP; g++)
		fprintf(o, "%s%.7g", g ? ", " : "", v[g]); /* "0f" would not be C */
	fprintf(o, "};\n");
}

/* float name[WN_BLOCKS_NGROUP][n] from a group's array each */
static void write_floats2(FILE *o, const char *name, float *const *v, int n)
{
	fprintf(o, "static const float %s[%d][%d] = {", name, WN_BLOCKS_NGROUP, n);
	for (int g = 0; g < WN_BLOCKS_NGROUP; g++) {
		fprintf(o, "%s{", g ? ",\n  " : "\n  ");
		train_write_floats(o, v[g], n);
		fprintf(o, "}");
	}
	fprintf(o, "};\n");
}

/* add_context for the rows s..e, one page's (see there). */
static int page_stage2(size_t s, size_t e, int at, unsigned tmask, const float *p1,
                       const float *chars)
{
	size_t ngrp = 0, n = e - s;
	for (size_t i = s; i < e; i++)
		ngrp = rows[i].grp + 1 > ngrp ? rows[i].grp + 1 : ngrp;
	uint32_t *grp = malloc(n * sizeof *grp);
	float *ctx = malloc(n * NSTAGE2 * sizeof *ctx);
	int pg = rows[s].page;
	wn_block_tree t = {tlo + tree_off[pg], thi + tree_off[pg], tpar + tree_off[pg],
	                   tree_len[pg], tnode + s};
	if (grp)
		for (size_t i = s; i < e; i++)
			grp[i - s] = rows[i].grp;
	if (!grp || !ctx || wn_blocks_context(p1 + s, chars + s, grp, ngrp, n, &t, ctx))
		return free(grp), free(ctx), -1;
	for (size_t i = s; i < e; i++) {
		float *f = realloc(rows[i].f, (size_t)(at + NSTAGE2) * sizeof(float));
		if (!f)
			return free(grp), free(ctx), -1;
		rows[i].f = f;
		const float *c = ctx + (i - s) * NSTAGE2;
		memcpy(f + at, c, WN_BLOCKS_NLINEAR * sizeof *f);
		for (int k = 0; k < WN_BLOCKS_NTREE; k++) /* the experiment mask */
			f[at + WN_BLOCKS_NLINEAR + k] =
			    (tmask >> k) & 1 ? c[WN_BLOCKS_NLINEAR + k] : 0;
	}
	free(grp), free(ctx);
	return 0;
}

/* Appends to every row's features, at column `at`, the stage-2 inputs
 * (wn_blocks_context) of the probabilities in rows[].p; tree inputs
 * outside tmask are zero. */
static int add_context(int at, unsigned tmask)
{
	float *p1 = malloc(nrows * sizeof *p1), *chars = malloc(nrows * sizeof *chars);
	if (!p1 || !chars)
		return free(p1), free(chars), -1;
	for (size_t i = 0; i < nrows; i++)
		p1[i] = rows[i].p, chars[i] = (float)expm1(rows[i].f[0]);
	int rc = 0;
	for (size_t s = 0, e; s < nrows && !rc; s = e) {
		e = s;
		while (e < nrows && rows[e].page == rows[s].page)
			e++;
		rc = page_stage2(s, e, at, tmask, p1, chars);
	}
	free(p1), free(chars);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: clean_train HTML_DIR GOLD_DIR IDS TYPES OUT.h\n");
		return 2;
	}
	size_t n;
	char *ids = slurp(argv[3], &n), *types = slurp(argv[4], &n);
	if (!ids || !types) {
		fprintf(stderr, "clean_train: cannot read %s or %s\n", argv[3], argv[4]);
		return 1;
	}
	wn_block_sink sink = {on_block, on_page, NULL, on_tree};
	int pages = 0;
	for (char *id = strtok(ids, " \n"); id; id = strtok(NULL, " \n")) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.txt", argv[2], id);
		size_t gn, hn;
		char *g = slurp(path, &gn);
		snprintf(path, sizeof path, "%s/%s.html", argv[1], id);
		char *html = slurp(path, &hn);
		if (!g || !html) {
			fprintf(stderr, "clean_train: missing page or gold for %s\n", id);
			return 1;
		}
		cur_type = -1;
		page_type_of = realloc(page_type_of, (size_t)(pages + 1) * sizeof *page_type_of);
		page_name = realloc(page_name, (size_t)(pages + 1) * sizeof *page_name);
		page_name[pages] = strdup(id);
		char key[64];
		snprintf(key, sizeof key, "\n%s\t", id);
		const char *t =
		    strstr(types, key + (strncmp(types, key + 1, strlen(key + 1)) ? 0 : 1));
		page_fold = realloc(page_fold, (size_t)(pages + 1) * sizeof *page_fold);
		tree_off = realloc(tree_off, (size_t)(pages + 1) * sizeof *tree_off);
		tree_len = realloc(tree_len, (size_t)(pages + 1) * sizeof *tree_len);
		tree_off[pages] = tree_len[pages] = 0;
		page_fold[pages] = pages % NFOLD;
		if (t) {
			t = strchr(t + 1, '\t') + 1;
			for (int c = 0; c < NCLASS; c++)
				if (!strncmp(t, wn_page_type_name(c), strlen(wn_page_type_name(c))))
					cur_type = c;
			/* a third column names the domain: the folds are by domain,
			 * as the held-back split is, so that a site's template is
			 * never both fitted and judged */
			const char *e = strchr(t, '\n'), *d = strchr(t, '\t');
			if (d && (!e || d < e))
				page_fold[pages] =
				    (int)(fnv(d + 1, (size_t)((e ? e : d + strlen(d)) - d - 1)) %
				          NFOLD);
		}
		gold_load(g);
		page_type_of[pages] = cur_type;
		cur_page = pages++;
		size_t first = nrows;
		const char *od = getenv("CLEAN_TRAIN_ORACLE");
		if (od) {
			snprintf(path, sizeof path, "%s/%s.txt", od, id);
			oracle = fopen(path, "w");
		}
		wn_clean_doc d;
		wn_clean_page_sink(html, hn, NULL, NULL, NULL, &d, &sink);
		wn_clean_doc_free(&d);
		if (ntnode != nrows) {
			fprintf(stderr,
			        "clean_train: %s: the element tree does not match the blocks\n",
			        id);
			return 1;
		}
		if (oracle)
			fclose(oracle), oracle = NULL;
		/* weights: each page sums to 1, each block by its words */
		double tot = 0;
		for (size_t i = first; i < nrows; i++)
			tot += rows[i].ntok;
		for (size_t i = first; i < nrows; i++)
			rows[i].w = (float)(tot > 0 ? rows[i].ntok / tot : 0);
		free(g);
		free(html);
	}
	fprintf(stderr, "clean_train: %d pages, %zu blocks, %zu typed pages\n", pages, nrows,
	        nprows);
	if (!nrows || !nprows)
		return 1;

	/* ---- page type: the shipped model on every fit page; the block model
	 * is trained on cross-fitted probabilities (each page's from a model
	 * that did not see its site), as it will meet them on unseen pages ---- */
	float *ptcv = calloc((size_t)pages * NCLASS, sizeof *ptcv);
	pt_model ptm;
	{
		float **pf = malloc(nprows * sizeof *pf);
		int *py = malloc(nprows * sizeof *py), *pfold = malloc(nprows * sizeof *pfold);
		float *cv = malloc(nprows * NCLASS * sizeof *cv);
		char **pid = malloc(nprows * sizeof *pid);
		for (size_t i = 0; i < nprows; i++)
			pf[i] = prows[i].f, py[i] = prows[i].y, pfold[i] = page_fold[prows[i].page],
			pid[i] = page_name[prows[i].page];
		pt_set ps = {pf, py, pfold, nprows, pdense, NFOLD, pid};
		if (pt_train(&ps, cv, &ptm) < 0) {
			fprintf(stderr, "clean_train: out of memory fitting the page type\n");
			return 1;
		}
		for (size_t i = 0; i < nprows; i++)
			memcpy(ptcv + prows[i].page * NCLASS, cv + i * NCLASS, NCLASS * sizeof *cv);
		free(pf), free(py), free(pfold), free(cv), free(pid);
	}
	if (getenv("CLEAN_TRAIN_PT_ONLY")) { /* exploring the page-type model alone */
		pt_free(&ptm);
		return 0;
	}
	if (getenv("CLEAN_TRAIN_TRUETYPE")) /* diagnostic: what the gold page type would give */
		for (size_t i = 0; i < nprows; i++)
			for (int c = 0; c < NCLASS; c++)
				ptcv[prows[i].page * NCLASS + c] = (float)(c == prows[i].y);

	/* each page's type as blocks.c will see it, and its model group
	 * (wn_blocks_group); its probabilities into the block rows, at
	 * WN_BF_PT (not "the last seven": inputs after them got the types) */
	int *group = calloc((size_t)pages, sizeof *group);
	page_pred = calloc((size_t)pages, sizeof *page_pred);
	if (!group || !page_pred)
		die("out of memory");
	for (int pg = 0; pg < pages; pg++) {
		page_pred[pg] = wn_page_type_pick(ptcv + pg * NCLASS);
		group[pg] = wn_blocks_group(page_pred[pg]);
	}
	for (size_t i = 0; i < nrows; i++)
		memcpy(rows[i].f + WN_BF_PT, ptcv + rows[i].page * NCLASS, NCLASS * sizeof(float));

	/* ---- block models, one per group: stage 1, then stage 2 on stage
	 * 1's output ---- */
	int nd1 = ndense;
	float *mean[WN_BLOCKS_NGROUP], *scale[WN_BLOCKS_NGROUP], *w[WN_BLOCKS_NGROUP];
	float *mean2[WN_BLOCKS_NGROUP], *scale2[WN_BLOCKS_NGROUP], *w2[WN_BLOCKS_NGROUP];
	double b1[WN_BLOCKS_NGROUP], b2[WN_BLOCKS_NGROUP];
	double *zcv = malloc(nrows * sizeof *zcv);
	for (int gr = 0; gr < WN_BLOCKS_NGROUP; gr++)
		fit_lr(nd1, group, gr, &mean[gr], &scale[gr], &w[gr], &b1[gr]);
	oof_logits(nd1, group, pages, zcv);
	for (size_t i = 0; i < nrows; i++)
		rows[i].p = (float)(1 / (1 + exp(-zcv[i])));
	{
		/* CLEAN_TRAIN_TREECTX=MASK: which tree-structured inputs are used
		 * (bits in wn_blocks_tree_ctx's order; the others are zero, which
		 * neither stage nor the trees can use), for experiments */
		const char *tm = getenv("CLEAN_TRAIN_TREECTX");
		unsigned tmask = tm ? (unsigned)strtoul(tm, NULL, 0) : (1u << WN_BLOCKS_NTREE) - 1;
		if (add_context(nd1, tmask))
			die("out of memory");
	}
	for (int gr = 0; gr < WN_BLOCKS_NGROUP; gr++)
		fit_lr(nd1 + NSTAGE2, group, gr, &mean2[gr], &scale2[gr], &w2[gr], &b2[gr]);
	oof_logits(nd1 + NSTAGE2, group, pages, zcv);
	for (size_t i = 0; i < nrows; i++)
		rows[i].p = (float)(1 / (1 + exp(-zcv[i])));

	/* ---- boosted trees on top: one ensemble over all fit pages, on the
	 * dense features and stage-2 inputs (page-type probabilities among
	 * them), starting from each block's stage-2 logit. The thresholds are
	 * then picked on cross-fitted tree outputs (each page's from trees
	 * that did not see it): in-sample trees are overconfident ---- */
	boost_model gb;
	{
		int ntrees = train_env_int("CLEAN_TRAIN_TREES", 200);
		ntrees = ntrees < 1 ? 1 : ntrees;
		int depth = train_env_int("CLEAN_TRAIN_DEPTH", 3);
		depth = depth < 1 ? 1 : depth > 6 ? 6 : depth;
		double *F0 = malloc(nrows * sizeof *F0), *F = malloc(nrows * sizeof *F);
		float **X = malloc(nrows * sizeof *X), *bw = malloc(nrows * sizeof *bw);
		uint8_t *by = malloc(nrows);
		size_t *idx = malloc(nrows * sizeof *idx);
		double wsum = 0;
		for (size_t i = 0; i < nrows; i++)
			wsum += rows[i].w;
		for (size_t i = 0; i < nrows; i++)
			F0[i] = zcv[i]; /* cross-fitted stage-2 logits (see oof_logits) */
		for (int fold = 0; fold < NFOLD; fold++) {
			size_t m = 0;
			for (size_t i = 0; i < nrows; i++)
				if (page_fold[rows[i].page] != fold) {
					X[m] = rows[i].f, by[m] = rows[i].y, F[m] = F0[i];
					bw[m] = (float)(rows[i].w * (double)nrows / wsum),
					idx[m++] = i;
				}
			boost_model cv;
			if (boost_fit(X, m, nd1 + NSTAGE2, by, bw, F, ntrees, depth, 0.1, &cv) <
			    0) {
				fprintf(stderr, "clean_train: out of memory fitting the trees\n");
				return 1;
			}
			for (size_t i = 0; i < nrows; i++)
				if (page_fold[rows[i].page] == fold)
					rows[i].p =
					    (float)(1 / (1 + exp(-(F0[i] + boost_predict(
					                                       &cv, rows[i].f)))));
			boost_free(&cv);
		}
		for (size_t i = 0; i < nrows; i++) {
			X[i] = rows[i].f, by[i] = rows[i].y, F[i] = F0[i];
			bw[i] = (float)(rows[i].w * (double)nrows / wsum); /* mean weight 1 */
		}
		if (boost_fit(X, nrows, nd1 + NSTAGE2, by, bw, F, ntrees, depth, 0.1, &gb) < 0) {
			fprintf(stderr, "clean_train: out of memory fitting the trees\n");
			return 1;
		}
		free(F0), free(F), free(X), free(bw), free(by), free(idx), free(zcv);
	}

	double bt[WN_BLOCKS_NGROUP][WN_BLOCKS_NTHR];
	search_thresholds(group, pages, bt, 1);
	report_oof(group, bt, pages, getenv("CLEAN_TRAIN_OOF"));
	report_nested(group, pages, getenv("CLEAN_TRAIN_OOF_NESTED"));

	FILE *o = fopen(argv[5], "w");
	if (!o) {
		fprintf(stderr, "clean_train: cannot write %s\n", argv[5]);
		return 1;
	}
	/* the ids file's name says which pages (fit.ids: the fit part only,
	 * all.ids: every dev page) */
	const char *idf = strrchr(argv[3], '/');
	fprintf(o,
	        "/* Generated by plugins/clean_html/train (clean_train) from the %d pages of\n"
	        " * WCXB dev (CC BY 4.0, Murrough Foley) listed in %s; do not edit. */\n"
	        "/* clang-format off */\n",
	        pages, idf ? idf + 1 : argv[3]);
	fprintf(o, "#define WN_BM_NDENSE %d\n#define WN_BM_NSTAGE2 %d\n", nd1, NSTAGE2);
	fprintf(o, "static const int wn_bm_trained = 1;\n");
	write_doubles(o, "wn_bm_bias", b1);
	write_doubles(o, "wn_bm2_bias", b2);
	fprintf(o, "static const float wn_bm_thr[%d][%d] = {", WN_BLOCKS_NGROUP, WN_BLOCKS_NTHR);
	for (int g = 0; g < WN_BLOCKS_NGROUP; g++) {
		fprintf(o, "%s{", g ? ", " : "");
		for (int j = 0; j < WN_BLOCKS_NTHR; j++)
			fprintf(o, "%s%.2ff", j ? ", " : "", bt[g][j]);
		fprintf(o, "}");
	}
	fprintf(o, "};\n");
	write_floats2(o, "wn_bm_mean", mean, nd1);
	write_floats2(o, "wn_bm_scale", scale, nd1);
	write_floats2(o, "wn_bm_w", w, nd1);
	write_floats2(o, "wn_bm2_mean", mean2, nd1 + NSTAGE2);
	write_floats2(o, "wn_bm2_scale", scale2, nd1 + NSTAGE2);
	write_floats2(o, "wn_bm2_w", w2, nd1 + NSTAGE2);
	fprintf(o, "#define WN_GB_NTREES %d\n#define WN_GB_DEPTH %d\n#define WN_GB_NF %d\n",
	        gb.ntrees, gb.depth, gb.nf);
	boost_write_flat(o, &gb, "wn_gb");
	boost_free(&gb);
	pt_write(o, &ptm);
	pt_free(&ptm);
	fclose(o);
	fprintf(stderr, "clean_train: wrote %s\n", argv[5]);
	for (int gr = 0; gr < WN_BLOCKS_NGROUP; gr++) /* so that a leak checker sees no loss */
		free(mean[gr]), free(scale[gr]), free(w[gr]), free(mean2[gr]), free(scale2[gr]),
		    free(w2[gr]);
	free(group), free(page_pred), free(ptcv), free(ids), free(types);
	return 0;
}
