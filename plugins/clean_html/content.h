/*
 * Internals shared by the content extraction (extract.c) and the learned
 * block decisions (blocks.c): the per-element statistics record and the
 * block segmentation of a page.
 */
#ifndef WN_CLEAN_CONTENT_H
#define WN_CLEAN_CONTENT_H

#include "internal.h"

#include <stdint.h>

enum {
	NF_DROP = 1,    /* never output, never scored */
	NF_BLOCK = 2,   /* a block-level element */
	NF_HASBLK = 4,  /* has a block-level child */
	NF_CAND = 8,    /* score initialised */
	NF_PARA = 16,   /* counts as a paragraph when scoring */
	NF_BYLINE = 32, /* byline/dateline: metadata, not text */
	NF_CORE = 64,   /* the best container or one of its ancestors: kept */
};

/* The output walks' memo (extract.c is_meta_block). */
enum { NF_META_SEEN = 128, NF_META = 256 };

typedef struct nstat {
	uint32_t text, link, commas; /* whole subtree */
	uint32_t own, own_commas;    /* inline text not under a block child */
	uint32_t p, img, li, input, embed;
	int weight;   /* class/id cue weight */
	uint8_t cues; /* CUE_* bits of class and id */
	int flags;
	double score;
} nstat;

#define ST(n) ((nstat *)(n)->_private)

/* Cue bits of a class/id value (extract.c). */
enum {
	CUE_NEG = WN_CUE_NEG,
	CUE_POS = WN_CUE_POS,
	CUE_BYLINE = WN_CUE_BYLINE,
	CUE_COMMENT = WN_CUE_COMMENT,
	CUE_CAPTION = WN_CUE_CAPTION
};

/* Which cue lists (CUE_* bits) do the words of attribute value s hit? */
int wn_attr_cues(const char *s);

/* Is nm one of the tags dropped before scoring (script, nav, aside, ...)? */
int wn_is_drop_tag(const char *nm);

/* Is nm a block-level tag? */
int wn_is_block_tag(const char *nm);

/* Main text of fewer words is none (see wn_content_extract): the shortest
 * gold text of the 1,358 WCXB dev pages and the 81 news pages is 15
 * words, while a skip link or a shell's notice is 2 to 9 */
#define WN_MIN_TEXT_WORDS 10

/* --- blocks (blocks.c) -------------------------------------------------- */

/* A block: a run of inline text between block boundaries, the unit the
 * learned keep/drop decision is made on. */
typedef struct wn_block {
	size_t off, len;      /* its text (whitespace collapsed) in the set's buffer */
	xmlNode *owner;       /* innermost block element around it */
	uint32_t chars, link; /* characters; characters inside <a> */
	uint32_t anc;         /* A_* bits of its ancestors */
	uint32_t sroot;       /* its outermost cue-dropped ancestor (index + 1), or 0 */
	uint32_t node;        /* its owner's index in the set's element tree */
	uint16_t depth;
	uint8_t rule;  /* emitted by the rule-based extraction */
	uint8_t keep;  /* the final decision */
	uint8_t fixed; /* dropped whatever the model says (the keep_* options) */
	float p;       /* the model's probability of main content */
} wn_block;

/* Page-type classes, in the model's order (blocks.c page_types). */
#define WN_NTYPES WN_PT_CLASSES

typedef struct wn_blockset {
	wn_block *b;
	size_t n, cap;
	wn_buf text;
	uint32_t total_chars;
	/* characters under each cue-dropped root and the roots repeating its
	 * structure (a listing's "meta" boxes count together); their
	 * structural hashes */
	uint32_t *sroot_chars, *sroot_sig;
	size_t nsroot, capsroot;
	/* structural groups: blocks whose owner and its two ancestors have the
	 * same tags and class words (a thread's posts, a listing's cards, a
	 * menu's items); grp[i] is block i's group, 0..ngrp-1 */
	uint32_t *grp, *gcount, *gchars, *glink;
	size_t ngrp;
	/* the block-level elements with children, in document order: each one's
	 * range of blocks [nlo, nhi) and parent (wn_block_tree) */
	uint32_t *nlo, *nhi;
	int32_t *npar;
	size_t nnodes, capnodes;
	float pt[WN_NTYPES]; /* page-type probabilities (wn_blocks_page_type) */
	uint32_t heading;    /* the main heading's block + 1, or 0 (wn_blocks_decide) */
} wn_blockset;

/* Segments the subtree at body into blocks (text nodes' _private are set
 * to their block's index + 1; the caller clears them). `top` is the rule
 * extraction's container (may be NULL). Returns 0, or -1 on out of memory. */
int wn_blocks_segment(wn_blockset *bs, xmlNode *body, xmlNode *top);

/* Marks the block of text node t as emitted by the rule extraction. */
void wn_blocks_mark_rule(wn_blockset *bs, const xmlNode *t);

/* Decides keep for each block with the shipped model (title: the page's
 * title or NULL; o: the keep_* options; page_type: wn_blocks_page_type's
 * answer, which picks the thresholds); hands every block's features to sink when it is not
 * NULL. Returns the number of kept blocks. */
size_t wn_blocks_decide(wn_blockset *bs, const char *title, const wn_clean_opts *o,
                        const char *page_type, const wn_block_sink *sink);

/* Page-level features and the page type (wn_clean_doc.page_type); the
 * class probabilities go to bs->pt, where the block model reads them. */
void wn_blocks_page_type(wn_blockset *bs, xmlNode *body, const wn_block_sink *sink,
                         wn_clean_doc *d);

/* wn_group_vote over bs's blocks when wn_group_vote_apply(page_type):
 * the blocks not kept of a structure mostly kept are kept. */
void wn_blocks_vote(wn_blockset *bs, const char *page_type);

/* wn_drop_repeats over bs's kept blocks (code under <pre> and table cells
 * exempt) when wn_repeats_apply(page_type). */
void wn_blocks_drop_repeats(wn_blockset *bs, const char *page_type);

/* wn_drop_furniture over bs's kept blocks: first those inside a pop-up
 * (wn_dom_popup on an element between the block and body) or a
 * navigation landmark (<nav>, <footer>, <menu>, an element of role
 * navigation, menu, menubar, banner, contentinfo or complementary, or a
 * <header> or <aside> outside <article> and <main>); then, among the
 * blocks still kept, those beside the column of the main heading
 * wn_blocks_decide found (wn_mark_side; page_type: wn_clean_doc's
 * page_type name, for wn_one_piece). */
void wn_blocks_drop_furniture(wn_blockset *bs, const xmlNode *body, const char *page_type);

/* Is a trained block model compiled in (else the rule output stands)? */
int wn_blocks_trained(void);

void wn_blocks_free(wn_blockset *bs);

#endif
