/*
 * clean_text internals shared by the rule signals (clean_core.c) and the
 * line model (line_model.c): a document as lines with their shapes.
 */
#ifndef WN_CLEAN_INTERNAL_H
#define WN_CLEAN_INTERNAL_H

#include <stddef.h>

#include "clean_core.h"

/* Shapes of a line, computed once. */
typedef struct line {
	const char *s; /* into the normalised text, bullet stripped */
	size_t len;
	int block;    /* paragraph number */
	char *folded; /* case-folded */
	char *bare;   /* folded, letters only (phrases.h) */
	size_t words, letters, nonspace;
	int script;       /* majority script of its letters */
	int terminal;     /* ends like a sentence */
	int colon_end;    /* ends with ':' (introduces what follows) */
	int url;          /* contains a link */
	int prose;        /* reads as article text: a sentence or a long run */
	int anchor;       /* prose that is not junk: the article's skeleton */
	int title;        /* the headline, moved out of the text */
	int opens_list;   /* a "Related"-style heading */
	int bullet;       /* had a list bullet */
	int menu;         /* shaped like a menu or breadcrumb */
	int head, tail;   /* before the first / after the last anchor */
	int dup;          /* other lines with the same text */
	int dup_title;    /* a copy of the headline */
	int second_story; /* part of another story appended to the page */
	int site;         /* the site's boilerplate (site memory) */
	int field;        /* "Label: value" whose label 3+ lines share */
	int mended;       /* kept by mend_runs, not by the model's p */
	int artifact;     /* a renderer's, never text: a picture's label written
	                     twice, a button (renderer_artifacts) */
	double phrase;    /* phrase signal, already damped */
	double score;     /* rule signals, summed */
	double shape;     /* of which short, symbols, repeated */
	double layout;    /* and of which a run of headline-shaped lines */
	double p;         /* the line model's probability of article text */
	char why[160];
} line;

typedef struct doc {
	line *v;
	size_t n;
	int dominant; /* dominant script of the whole text */
	double dominant_share;
	double threshold;
	const wn_clean_opts *opts;
	int rules_only; /* the model kept nothing: the rules decide */
	double keep;    /* the model keeps a line from this p on */
} doc;

#endif
