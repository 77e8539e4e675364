/*
 * Learned block decisions.
 *
 * The rule-based extraction (extract.c) finds one article container; that
 * holds on news pages but loses forum threads, listings, sectioned pages
 * and articles whose container carries a cue word. Here the page is cut
 * into blocks (runs of inline text between block boundaries) and a small
 * logistic regression, trained on WCXB dev by plugins/clean_html/train,
 * decides for each block whether it is main content. The rule
 * extraction's verdict is one of its features, so the rules that encode
 * real structure still speak; what the model learns is when to trust
 * them. The model is a generated table (block_model.h): nothing is loaded
 * at run time and the result is deterministic.
 */
#include "content.h"

/* WN_BLOCK_MODEL names another table of the same shape (CMake's
 * WINNOW_CLEAN_MODEL): bench/clean/wcxb builds with the one fitted on the
 * fit part only, to measure on the held-back part what the shipped table,
 * fitted on all of WCXB dev, would not let it measure. */
#ifdef WN_BLOCK_MODEL
#include WN_BLOCK_MODEL
#else
#include "block_model.h"
#endif
#include "grow.h"
#include "hash.h"
#include "stopwords.h"
#include "text_norm.h"
#include "trees.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The table's shape is part of the contract with this file: a model
 * written for other features must not compile. */
_Static_assert(sizeof wn_bm_thr / sizeof wn_bm_thr[0] == WN_BLOCKS_NGROUP &&
                   sizeof wn_bm_thr[0] / sizeof wn_bm_thr[0][0] == WN_BLOCKS_NTHR,
               "block_model.h: wn_bm_thr must be [WN_BLOCKS_NGROUP][WN_BLOCKS_NTHR]");
_Static_assert(sizeof wn_bm_w / sizeof wn_bm_w[0] == WN_BLOCKS_NGROUP &&
                   sizeof wn_bm2_w / sizeof wn_bm2_w[0] == WN_BLOCKS_NGROUP &&
                   sizeof wn_bm_bias / sizeof wn_bm_bias[0] == WN_BLOCKS_NGROUP &&
                   sizeof wn_bm2_bias / sizeof wn_bm2_bias[0] == WN_BLOCKS_NGROUP,
               "block_model.h: one model per group");
_Static_assert(sizeof wn_bm_w[0] / sizeof wn_bm_w[0][0] == WN_BM_NDENSE,
               "block_model.h: wn_bm_w size");
_Static_assert(sizeof wn_bm2_w[0] / sizeof wn_bm2_w[0][0] == WN_BM_NDENSE + WN_BM_NSTAGE2,
               "block_model.h: wn_bm2_w size");
_Static_assert(WN_BM_NSTAGE2 == WN_BLOCKS_NSTAGE2, "block_model.h: stage-2 inputs");
_Static_assert(WN_GB_NF == WN_BM_NDENSE + WN_BM_NSTAGE2 && WN_GB_DEPTH >= 1 && WN_GB_DEPTH <= 6,
               "block_model.h: boosted trees");
_Static_assert(sizeof wn_gb_feat == WN_GB_NTREES * ((1u << WN_GB_DEPTH) - 1) &&
                   sizeof wn_gb_thr == sizeof wn_gb_feat * sizeof(float) &&
                   sizeof wn_gb_leaf == (WN_GB_NTREES << WN_GB_DEPTH) * sizeof(float),
               "block_model.h: boosted tree tables");
_Static_assert(WN_PT_NCLASS == WN_NTYPES, "block_model.h: page types");
/* the page-type probabilities, in page_types[]'s order (below), end the
 * dense features */
_Static_assert(WN_BF_PT + WN_NTYPES == WN_BM_NDENSE, "dense features: page types last");

/* The page types, in the page-type model's class order, and what each
 * decides: its model group (wn_blocks_group), whether repeated text is
 * dropped (wn_repeats_apply), whether it has an author
 * (wn_page_type_authored), whether a kept block that is only a date
 * goes to metadata (wn_datelines_apply), whether its text is one piece
 * (wn_one_piece) and whether its structures are voted on
 * (wn_group_vote_apply). The reasons are at those declarations. */
typedef struct type_policy {
	const char *name;
	int group, repeats, authored, datelines, one_piece, vote;
} type_policy;
static const type_policy page_types[WN_PT_NCLASS] = {
    {"article", WN_GROUP_ARTICLE, 0, 1, 1, 1, 0},    {"collection", WN_GROUP_OTHER, 1, 0, 0, 0, 1},
    {"documentation", WN_GROUP_TEXT, 0, 0, 0, 1, 1}, {"forum", WN_GROUP_TEXT, 1, 1, 0, 0, 1},
    {"listing", WN_GROUP_OTHER, 1, 0, 0, 0, 1},      {"product", WN_GROUP_OTHER, 1, 0, 0, 0, 1},
    {"service", WN_GROUP_OTHER, 1, 0, 0, 1, 1}};
/* "other" (no class fits), and NULL */
static const type_policy other_type = {"other", WN_GROUP_OTHER, 1, 1, 0, 0, 1};

static const type_policy *page_type_named(const char *name)
{
	for (int c = 0; name && c < WN_PT_NCLASS; c++)
		if (!strcmp(name, page_types[c].name))
			return &page_types[c];
	return &other_type;
}

/* ancestor bits of a block */
enum {
	A_NAV = 1u << 0,
	A_ASIDE = 1u << 1,
	A_FOOTER = 1u << 2,
	A_HEADER = 1u << 3,
	A_FORM = 1u << 4,
	A_HIDDEN = 1u << 5,
	A_SOFTDROP = 1u << 6,
	A_NEG = 1u << 7,
	A_POS = 1u << 8,
	A_ARTICLE = 1u << 9,
	A_MAIN = 1u << 10,
	A_LI = 1u << 11,
	A_TABLE = 1u << 12,
	A_HEAD = 1u << 13,
	A_COMMENT = 1u << 14,
	A_BYLINE = 1u << 15,
	A_FIGURE = 1u << 16,
	A_DETAILS = 1u << 17,
	A_MENU = 1u << 18,
	A_TOP = 1u << 19,
	A_QUOTE = 1u << 20,
	A_PRE = 1u << 21,
	A_A = 1u << 22,
	A_DIALOG = 1u << 23,
	A_CAPTION = 1u << 24,
	A_NBITS = 25
};

/* Tags whose content is never text (scripts, media, form controls).
 * <noscript> is not one: forum software (Discourse) serves the whole
 * thread there for readers without scripts; its blocks count as hidden. */
static int never_text(const char *nm)
{
	static const char *const t[] = {"script", "style",  "template", "iframe", "svg",
	                                "canvas", "button", "input",    "select", "textarea",
	                                "object", "embed",  "link",     "meta",   "head",
	                                "title",  "map",    "audio",    "video",  "picture",
	                                "source", "math",   "label",    "option", NULL};
	for (const char *const *p = t; *p; p++)
		if (nm[0] == (*p)[0] && wn_streq(nm, *p))
			return 1;
	return 0;
}

/* The A_* bits element n adds for its descendants. */
static uint32_t elem_bits(xmlNode *n, xmlNode *top)
{
	const char *nm = wn_dom_name(n);
	uint32_t b = 0;
	if (wn_streq(nm, "nav"))
		b |= A_NAV;
	else if (wn_streq(nm, "aside"))
		b |= A_ASIDE;
	else if (wn_streq(nm, "footer"))
		b |= A_FOOTER;
	else if (wn_streq(nm, "header"))
		b |= A_HEADER;
	else if (wn_streq(nm, "form"))
		b |= A_FORM;
	else if (wn_streq(nm, "article"))
		b |= A_ARTICLE;
	else if (wn_streq(nm, "main"))
		b |= A_MAIN;
	else if (wn_streq(nm, "li") || wn_streq(nm, "dd") || wn_streq(nm, "dt"))
		b |= A_LI;
	else if (wn_streq(nm, "table"))
		b |= A_TABLE;
	else if (nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2])
		b |= A_HEAD;
	else if (wn_streq(nm, "figure"))
		b |= A_FIGURE;
	else if (wn_streq(nm, "figcaption"))
		b |= A_FIGURE | A_CAPTION;
	else if (wn_streq(nm, "details") || wn_streq(nm, "summary"))
		b |= A_DETAILS;
	else if (wn_streq(nm, "menu"))
		b |= A_MENU;
	else if (wn_streq(nm, "dialog"))
		b |= A_DIALOG;
	else if (wn_streq(nm, "blockquote"))
		b |= A_QUOTE;
	else if (wn_streq(nm, "pre") || wn_streq(nm, "code"))
		b |= A_PRE;
	else if (wn_streq(nm, "a"))
		b |= A_A;
	else if (wn_streq(nm, "noscript"))
		b |= A_HIDDEN;
	if (n == top)
		b |= A_TOP;
	if (n->properties) { /* most elements have no attributes at all */
		int vis = wn_dom_visibility(n);
		if (vis == WN_HIDDEN)
			b |= A_HIDDEN;
		else if (vis == WN_COLLAPSED)
			b |= A_DETAILS;
		const char *role = wn_dom_attr(n, "role");
		/* a menu's item is one by ARIA wherever the menu element is: a
		 * picker's <a role="menuitemradio"> links in a plain <div> */
		if (role && (wn_streq(role, "navigation") || wn_streq(role, "menu") ||
		             wn_streq(role, "menubar") || wn_streq(role, "banner") ||
		             wn_streq(role, "contentinfo") || wn_streq(role, "complementary") ||
		             wn_streq(role, "menuitem") || wn_streq(role, "menuitemradio") ||
		             wn_streq(role, "menuitemcheckbox")))
			b |= A_MENU;
		if (role && (wn_streq(role, "main") || wn_streq(role, "article")))
			b |= A_MAIN;
	}
	nstat *s = ST(n);
	int cues = 0;
	/* class and id words on the page's root describe the page (a theme's
	 * or template's flags: "comments-open", "has-sidebar", "fluida-comment-
	 * placeholder"), not a part of it: no cue bits from body or html */
	if (wn_streq(nm, "body") || wn_streq(nm, "html"))
		return b;
	if (s) {
		cues = s->cues;
		if ((s->flags & NF_DROP) && !wn_is_drop_tag(nm) && !(b & A_HIDDEN))
			b |= A_SOFTDROP;
		if (s->flags & NF_BYLINE)
			b |= A_BYLINE;
	} else if (n->properties) {
		const char *c = wn_dom_attr(n, "class"), *id = wn_dom_attr(n, "id");
		cues = (c ? wn_attr_cues(c) : 0) | (id ? wn_attr_cues(id) : 0);
	}
	if (cues & CUE_NEG)
		b |= A_NEG;
	if (cues & CUE_POS)
		b |= A_POS;
	if (cues & CUE_COMMENT)
		b |= A_COMMENT;
	if (cues & CUE_CAPTION) /* a caption in class words (WordPress's wp-caption-text) */
		b |= A_CAPTION;
	return b;
}

/* ---------------------------------------------------------------------- */
/* segmentation */

typedef struct seg {
	wn_blockset *bs;
	long cur;  /* index of the open block, -1 when none */
	int space; /* pending whitespace in the open block */
	xmlNode *owner;
	uint32_t anc;
	uint32_t sroot; /* the outermost cue-dropped ancestor (index + 1), or 0 */
	uint32_t node;  /* the owner's index in the element tree */
	uint16_t depth;
} seg;

static void close_block(seg *g)
{
	if (g->cur < 0)
		return;
	wn_block *b = &g->bs->b[g->cur];
	if (!b->chars) { /* whitespace only: forget it */
		g->bs->text.len = b->off;
		if (g->bs->text.p)
			g->bs->text.p[b->off] = 0;
		g->bs->n--;
	} else {
		b->len = g->bs->text.len - b->off;
		wn_buf_addc(&g->bs->text, 0);
	}
	g->cur = -1;
}

static int open_block(seg *g)
{
	wn_blockset *bs = g->bs;
	wn_block *nb = wn_grow(bs->b, &bs->cap, bs->n + 1, sizeof *nb, 128, 0);
	if (!nb)
		return -1;
	bs->b = nb;
	wn_block *b = &bs->b[bs->n];
	memset(b, 0, sizeof *b);
	b->off = bs->text.len;
	b->owner = g->owner;
	b->anc = g->anc;
	b->depth = g->depth;
	b->sroot = g->sroot;
	b->node = g->node;
	g->cur = (long)bs->n++;
	g->space = 0;
	return 0;
}

/* Is text p white space only (or empty)? */
static int blank(const unsigned char *p)
{
	for (; p && *p; p++)
		if (!isspace(*p))
			return 0;
	return 1;
}

static int add_text(seg *g, xmlNode *t, uint32_t anc)
{
	const unsigned char *p = t->content;
	if (!p)
		return 0;
	if (blank(p)) { /* the space between two words of the open block: it is
		         * written with them when the block is kept (a highlighted
		         * code line's "<span>def</span> <span>f</span>") */
		g->space = 1;
		if (g->cur >= 0)
			t->_private = (void *)(uintptr_t)(g->cur + 1);
		return 0;
	}
	if (g->cur < 0 && open_block(g))
		return -1;
	wn_block *b = &g->bs->b[g->cur];
	/* inline ancestors too: a link can be a menu's item */
	b->anc |= anc & (A_A | A_HIDDEN | A_SOFTDROP | A_NEG | A_COMMENT | A_MENU);
	size_t before = g->bs->text.len;
	int sp = g->space;
	if (before == b->off) { /* a block starts at its first visible character */
		while (isspace(*p))
			p++;
		sp = 0;
	}
	wn_dom_add_collapsed(&g->bs->text, p, &sp, SIZE_MAX);
	g->space = sp;
	uint32_t c = 0;
	for (size_t i = before; i < g->bs->text.len; i++)
		c += ((unsigned char)g->bs->text.p[i] & 0xC0) != 0x80;
	b->chars += c;
	if (anc & A_A)
		b->link += c;
	t->_private = (void *)(uintptr_t)(g->cur + 1);
	return 0;
}

/* Hash of the tag and class letters of n and of levels - 1 ancestors.
 * Digits are left out: "post-1234" and "post-1235" are the same kind of
 * item. */
static uint32_t struct_sig(const xmlNode *o, int levels)
{
	uint32_t h = WN_FNV32_BASIS;
	for (int lv = 0; lv < levels && o && o->type == XML_ELEMENT_NODE; lv++, o = o->parent) {
		const char *nm = wn_dom_name(o);
		h = wn_fnv1a32(nm, strlen(nm), h);
		const char *c = o->properties ? wn_dom_attr(o, "class") : NULL;
		for (; c && *c; c++)
			if (!isdigit((unsigned char)*c))
				h = wn_fnv1a32_step(h, (unsigned char)*c);
		h = wn_fnv1a32_step(h, '/');
	}
	return h;
}

static int new_sroot(wn_blockset *bs, const xmlNode *n, uint32_t *id)
{
	if (bs->nsroot == bs->capsroot) {
		size_t cap = bs->capsroot ? bs->capsroot * 2 : 32;
		uint32_t *ns = realloc(bs->sroot_chars, cap * sizeof *ns);
		if (!ns)
			return -1;
		bs->sroot_chars = ns;
		ns = realloc(bs->sroot_sig, cap * sizeof *ns);
		if (!ns)
			return -1;
		bs->sroot_sig = ns;
		bs->capsroot = cap;
	}
	bs->sroot_sig[bs->nsroot] = struct_sig(n, 2);
	bs->sroot_chars[bs->nsroot++] = 0;
	*id = (uint32_t)bs->nsroot;
	return 0;
}

/* A new element in the tree over the blocks (its blocks start at the
 * next one); its index into *id. */
static int new_node(wn_blockset *bs, int32_t parent, uint32_t *id)
{
	/* three parallel arrays, one capacity: each grows by the same rule */
	size_t need = bs->nnodes + 1, cap = bs->capnodes;
	uint32_t *lo = wn_grow(bs->nlo, &cap, need, sizeof *lo, 64, 0);
	if (!lo)
		return -1;
	bs->nlo = lo;
	cap = bs->capnodes;
	uint32_t *hi = wn_grow(bs->nhi, &cap, need, sizeof *hi, 64, 0);
	if (!hi)
		return -1;
	bs->nhi = hi;
	cap = bs->capnodes;
	int32_t *par = wn_grow(bs->npar, &cap, need, sizeof *par, 64, 0);
	if (!par)
		return -1;
	bs->npar = par;
	bs->capnodes = cap;
	bs->nlo[bs->nnodes] = bs->nhi[bs->nnodes] = (uint32_t)bs->n;
	bs->npar[bs->nnodes] = parent;
	*id = (uint32_t)bs->nnodes++;
	return 0;
}

/* The structure of a block: its owner and two ancestors. */
static uint32_t block_sig(const wn_block *b)
{
	return struct_sig(b->owner, 3);
}

typedef struct sigidx {
	uint32_t sig, i;
} sigidx;

static int cmp_sig(const void *a, const void *b)
{
	const sigidx *x = a, *y = b;
	if (x->sig != y->sig)
		return x->sig < y->sig ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Structural groups (bs->grp and the per-group counts): repetition of the
 * same structure is what a thread's posts and a listing's cards share,
 * whatever the site calls them. */
static int group_blocks(wn_blockset *bs)
{
	size_t n = bs->n;
	if (!n)
		return 0;
	sigidx *s = malloc(n * sizeof *s);
	bs->grp = malloc(n * sizeof *bs->grp);
	bs->gcount = calloc(n, sizeof *bs->gcount);
	bs->gchars = calloc(n, sizeof *bs->gchars);
	bs->glink = calloc(n, sizeof *bs->glink);
	if (!s || !bs->grp || !bs->gcount || !bs->gchars || !bs->glink) {
		free(s);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		s[i] = (sigidx){block_sig(&bs->b[i]), (uint32_t)i};
	qsort(s, n, sizeof *s, cmp_sig);
	size_t g = 0;
	for (size_t k = 0; k < n; k++) {
		if (k && s[k].sig != s[k - 1].sig)
			g++;
		const wn_block *b = &bs->b[s[k].i];
		bs->grp[s[k].i] = (uint32_t)g;
		bs->gcount[g]++;
		bs->gchars[g] += b->chars;
		bs->glink[g] += b->link;
	}
	bs->ngrp = g + 1;
	free(s);
	return 0;
}

/* Each cue-dropped root's characters become those of all roots of the
 * same structure: one "meta" box is a widget, fifty are the listing. */
static int pool_sroots(wn_blockset *bs)
{
	size_t n = bs->nsroot;
	if (n < 2)
		return 0;
	sigidx *s = malloc(n * sizeof *s);
	if (!s)
		return -1;
	for (size_t k = 0; k < n; k++)
		s[k] = (sigidx){bs->sroot_sig[k], (uint32_t)k};
	qsort(s, n, sizeof *s, cmp_sig);
	for (size_t a = 0, b; a < n; a = b) {
		uint32_t sum = 0;
		for (b = a; b < n && s[b].sig == s[a].sig; b++)
			sum += bs->sroot_chars[s[b].i];
		for (size_t k = a; k < b; k++)
			bs->sroot_chars[s[k].i] = sum;
	}
	free(s);
	return 0;
}

int wn_blocks_segment(wn_blockset *bs, xmlNode *body, xmlNode *top)
{
	memset(bs, 0, sizeof *bs);
	wn_buf_init(&bs->text, (size_t)1 << 26);
	size_t cap = 64, sp = 0;
	struct fr {
		uint32_t anc, sroot, node;
		xmlNode *owner;
	} *stack = malloc(cap * sizeof *stack);
	seg g = {bs, -1, 0, body, 0, 0, 0, 0};
	if (!stack || new_node(bs, -1, &g.node)) { /* the body is element 0 */
		free(stack);
		return -1;
	}
	xmlNode *n = body;
	int rc = 0;
	for (;;) {
		int descend = 0;
		if (n->type == XML_ELEMENT_NODE) {
			const char *nm = wn_dom_name(n);
			if (!never_text(nm) && !wn_dom_sr_only(n)) {
				int blk = wn_tag_breaks_line(nm);
				if (blk)
					close_block(&g);
				if (n->children) {
					if (sp == cap) {
						cap *= 2;
						struct fr *ns = realloc(stack, cap * sizeof *ns);
						if (!ns) {
							rc = -1;
							break;
						}
						stack = ns;
					}
					stack[sp++] = (struct fr){g.anc, g.sroot, g.node, g.owner};
					uint32_t eb = elem_bits(n, top);
					if ((eb & A_SOFTDROP) && !g.sroot &&
					    new_sroot(bs, n, &g.sroot)) {
						rc = -1;
						break;
					}
					g.anc |= eb;
					if (blk && !wn_streq(nm, "br")) {
						g.owner = n;
						if (new_node(bs, (int32_t)g.node, &g.node)) {
							rc = -1;
							break;
						}
					}
					g.depth = (uint16_t)(sp < 65535 ? sp : 65535);
					descend = 1;
				}
			}
		} else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (add_text(&g, n, g.anc)) {
				rc = -1;
				break;
			}
		}
		if (descend) {
			n = n->children;
			continue;
		}
		while (n != body && !n->next) {
			n = n->parent;
			uint32_t inner = g.node;
			if (sp) {
				sp--;
				g.anc = stack[sp].anc;
				g.sroot = stack[sp].sroot;
				g.node = stack[sp].node;
				g.owner = stack[sp].owner;
				g.depth = (uint16_t)sp;
			}
			if (wn_is_block_tag(wn_dom_name(n)))
				close_block(&g);
			if (inner != g.node) /* a block element ends: its blocks end */
				bs->nhi[inner] = (uint32_t)bs->n;
		}
		if (n == body)
			break;
		n = n->next;
	}
	close_block(&g);
	bs->nhi[0] = (uint32_t)bs->n;
	free(stack);
	if (bs->text.err)
		rc = -1;
	for (size_t i = 0; i < bs->n; i++) {
		bs->total_chars += bs->b[i].chars;
		if (bs->b[i].sroot)
			bs->sroot_chars[bs->b[i].sroot - 1] += bs->b[i].chars;
	}
	if (!rc && (group_blocks(bs) || pool_sroots(bs)))
		rc = -1;
	return rc;
}

void wn_blocks_mark_rule(wn_blockset *bs, const xmlNode *t)
{
	uintptr_t i = (uintptr_t)t->_private;
	/* the space between words (add_text) is no text of the block's: the
	 * rules' output may hold it without the words */
	if (i && i <= bs->n && !blank(t->content))
		bs->b[i - 1].rule = 1;
}

void wn_blocks_free(wn_blockset *bs)
{
	free(bs->b);
	free(bs->sroot_chars);
	free(bs->sroot_sig);
	free(bs->grp);
	free(bs->gcount);
	free(bs->gchars);
	free(bs->glink);
	free(bs->nlo);
	free(bs->nhi);
	free(bs->npar);
	wn_buf_free(&bs->text);
	memset(bs, 0, sizeof *bs);
}

/* ---------------------------------------------------------------------- */
/* features */

/* Token statistics of a block's text. */
typedef struct tstat {
	int words, stop, title_hits, digits, punct, upper_start, end_punct;
} tstat;

/* Content words, a second list tokens() may fill in the same pass. */
typedef struct ctoks {
	uint32_t *h; /* the hashes of content words (4+ bytes, not function words) */
	int max, n;  /* capacity, count */
} ctoks;

/* Lower-cased \w-ish tokens of s, hashed, into h (at most max); returns
 * the count. With content, only content words go to h: 4+ bytes and not
 * function words. ts (may be NULL) gets the text's statistics over every
 * token; without it the scan ends once h is full. cw (may be NULL; only
 * with ts) gets the content words too, as tokens(..., 1) would give them:
 * block_features reads both lists from one scan, and each word's function-
 * word lookup is done once. */
static int tokens_cw(const char *s, size_t len, uint32_t *h, int max, tstat *ts, int content,
                     ctoks *cw)
{
	int n = 0;
	size_t i = 0;
	char w[32];
	while (i < len) {
		while (i < len && !(isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)) {
			if (ts && strchr(".,;:!?", s[i]))
				ts->punct++;
			i++;
		}
		size_t k = 0, st = i;
		while (i < len && (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)) {
			/* tolower without a call: | 0x20 lowers an ASCII letter and
			 * keeps a digit; bytes >= 0x80 stay */
			if (k < sizeof w - 1)
				w[k++] = (char)((unsigned char)s[i] < 0x80 ? s[i] | 0x20 : s[i]);
			if (ts && isdigit((unsigned char)s[i]))
				ts->digits++;
			i++;
		}
		if (i == st)
			break;
		w[k] = 0;
		int sw = -1; /* wn_is_stopword(w, k) once looked up */
		if (ts) {
			ts->words++;
			sw = wn_is_stopword(w, k);
			ts->stop += sw;
			ts->upper_start += isupper((unsigned char)s[st]) != 0;
		}
		/* a content word? looked up only where a list wants one */
		int want_h = h && n < max, want_c = cw && cw->n < cw->max;
		int cont = (want_c || (want_h && content)) && k >= 4 &&
		           !(sw >= 0 ? sw : wn_is_stopword(w, k));
		int put_h = want_h && (!content || cont), put_c = want_c && cont;
		uint32_t hw = put_h || put_c ? wn_fnv1a32(w, k, WN_FNV32_BASIS) : 0;
		if (put_h)
			h[n++] = hw;
		if (put_c)
			cw->h[cw->n++] = hw;
		if (!ts && n >= max)
			break;
	}
	return n;
}

/* tokens_cw without the content words' second list. */
static int tokens(const char *s, size_t len, uint32_t *h, int max, tstat *ts, int content)
{
	return tokens_cw(s, len, h, max, ts, content, NULL);
}

/* The story's vocabulary: content words (4+ bytes, not function words) of
 * the title and the lead of the rule output, as a 4096-bit set. Teasers,
 * category lists and unrelated stories share few of them; the article's
 * own paragraphs many, on any site and in any language. */
#define STORY_BITS 4096
#define STORY_LEAD 3000 /* characters of rule output read as the lead */

static void story_set(const wn_blockset *bs, const char *title, uint64_t *set)
{
	uint32_t h[512];
	size_t lead = 0;
	memset(set, 0, STORY_BITS / 8);
	int n = title ? tokens(title, strlen(title), h, 512, NULL, 1) : 0;
	for (int k = 0; k < n; k++)
		set[(h[k] % STORY_BITS) / 64] |= 1ull << (h[k] % 64);
	for (size_t i = 0; i < bs->n && lead < STORY_LEAD; i++) {
		const wn_block *b = &bs->b[i];
		if (!b->rule || b->link * 2 > b->chars)
			continue;
		n = tokens(bs->text.p + b->off, b->len, h, 512, NULL, 1);
		for (int k = 0; k < n; k++)
			set[(h[k] % STORY_BITS) / 64] |= 1ull << (h[k] % 64);
		lead += b->chars;
	}
}

/* Share of a block's content words h[0..n) (its first 256: tokens with
 * content) in the story set (0 without any). */
static double story_sim(const uint32_t *h, int n, const uint64_t *set)
{
	int in = 0;
	for (int k = 0; k < n; k++)
		in += (set[(h[k] % STORY_BITS) / 64] >> (h[k] % 64)) & 1;
	return n ? (double)in / n : 0;
}

/* Buckets of class_tokens' hashes (the page-type model folds them into
 * its WN_PT_NHASH bag; its tables were fitted with 64). */
#define CLASS_BUCKETS 64

/* Hashed class/id words of n into out (bucket salted by level). */
static int class_tokens(const xmlNode *n, int level, uint16_t *out, int max)
{
	int k = 0;
	if (!n->properties)
		return 0;
	const char *attrs[2] = {wn_dom_attr(n, "class"), wn_dom_attr(n, "id")};
	for (int a = 0; a < 2; a++) {
		const char *s = attrs[a];
		while (s && *s && k < max) {
			while (*s && !isalpha((unsigned char)*s))
				s++;
			const char *st = s;
			char w[24];
			size_t len = 0;
			while (*s && isalnum((unsigned char)*s)) {
				if (len < sizeof w) /* tolower of a letter or digit */
					w[len] = (char)(*s | 0x20);
				len++, s++;
				if (islower((unsigned char)s[-1]) && isupper((unsigned char)*s))
					break;
			}
			if (s == st)
				break;
			if (len < 3 || len > sizeof w) /* "a", "xs", hashes */
				continue;
			out[k++] = (uint16_t)(wn_fnv1a32(w, len, WN_FNV32_BASIS + (uint32_t)level) %
			                      CLASS_BUCKETS);
		}
	}
	return k;
}

static int owner_tag(const char *nm)
{
	if (wn_streq(nm, "p"))
		return 0;
	if (wn_streq(nm, "li"))
		return 1;
	if (wn_streq(nm, "td") || wn_streq(nm, "th"))
		return 2;
	if (wn_streq(nm, "h1"))
		return 3;
	if (nm[0] == 'h' && nm[1] >= '2' && nm[1] <= '6' && !nm[2])
		return 4;
	if (wn_streq(nm, "div") || wn_streq(nm, "section") || wn_streq(nm, "article") ||
	    wn_streq(nm, "main"))
		return 5;
	if (wn_streq(nm, "pre"))
		return 6;
	if (wn_streq(nm, "blockquote"))
		return 7;
	if (wn_streq(nm, "dd") || wn_streq(nm, "dt"))
		return 8;
	return 9;
}

static double lg(double x)
{
	return log1p(x > 0 ? x : 0);
}

static double ldens(const wn_block *b)
{
	return b->chars ? (double)b->link / b->chars : 0;
}

/* The share of the page's text under the block's outermost cue-dropped
 * ancestor (0 when none): a widget is small, a mislabelled container big. */
static double sroot_share(const wn_blockset *bs, const wn_block *b)
{
	if (!b->sroot || !bs->total_chars)
		return 0;
	return (double)bs->sroot_chars[b->sroot - 1] / bs->total_chars;
}

/* Where each block sits relative to the page's main heading, and how
 * often its text recurs on the page: computed once per page for
 * block_features. */
typedef struct page_ctx {
	long anchor;       /* the main heading's block, or -1 */
	float *lca_share;  /* per block: share of the page under its lowest common
	                      ancestor with the heading (1 without a heading) */
	uint32_t *repeats; /* per block: other blocks with the same text */
} page_ctx;

/* Longest block read as a heading candidate (a product name, a listing's
 * title); longer blocks are never the page's main heading. */
#define ANCHOR_MAX_CHARS 300

/* The page's main heading: the <h1> sharing most words with the title,
 * one outside the page's header, nav, aside, footer and menus first (the
 * first <h1> when none shares any), else the block that repeats the
 * title (a shop's product name in a styled div); -1 when none. Why: the
 * item a product page is about, and a listing's own heading, sit at the
 * heading; carousels of other items, and the site's furniture, sit away
 * from it in the element tree, whatever the classes are called. */
static long main_heading(const wn_blockset *bs, const uint32_t *title, int ntitle)
{
	long best = -1;
	double best_s = -1;
	for (int pass = 0; pass < 2 && best < 0; pass++) /* <h1>, then title-like */
		for (size_t i = 0; i < bs->n; i++) {
			const wn_block *b = &bs->b[i];
			int h1 = b->owner && wn_streq(wn_dom_name(b->owner), "h1");
			if (b->chars > ANCHOR_MAX_CHARS || h1 == pass || (pass && !ntitle))
				continue;
			uint32_t tok[64];
			int nt = tokens(bs->text.p + b->off, b->len, tok, 64, NULL, 0), hits = 0;
			for (int a = 0; a < nt; a++)
				for (int t = 0; t < ntitle; t++)
					if (tok[a] == title[t]) {
						hits++;
						break;
					}
			if (pass) {
				if (nt && hits * 5 >= ntitle * 4 && nt <= ntitle + 3)
					return (long)i;
				continue;
			}
			double sc = nt ? (double)hits / nt : 0;
			if (b->anc & (A_NAV | A_ASIDE | A_FOOTER | A_HEADER | A_MENU))
				sc -= 2; /* a logo in the site's header, a widget's title */
			if (sc > best_s)
				best = (long)i, best_s = sc;
		}
	return best;
}

/* Fills pc for the blocks of bs (arrays malloc'd; on out of memory they
 * stay NULL and the features read as "no heading, no repeats"). O(blocks
 * log blocks + elements): the lowest common ancestors come from one pass
 * over the element tree, whose parents precede their children. */
static void page_context(const wn_blockset *bs, const uint32_t *title, int ntitle, page_ctx *pc)
{
	size_t n = bs->n, m = bs->nnodes;
	memset(pc, 0, sizeof *pc);
	pc->anchor = main_heading(bs, title, ntitle);
	sigidx *s = malloc(n * sizeof *s);
	pc->repeats = calloc(n, sizeof *pc->repeats);
	if (s && pc->repeats) {
		for (size_t i = 0; i < n; i++)
			s[i] = (sigidx){
			    wn_fnv1a32(bs->text.p + bs->b[i].off, bs->b[i].len, WN_FNV32_BASIS),
			    (uint32_t)i};
		qsort(s, n, sizeof *s, cmp_sig);
		for (size_t a = 0, e; a < n; a = e) {
			for (e = a; e < n && s[e].sig == s[a].sig; e++)
				;
			for (size_t k = a; k < e; k++)
				pc->repeats[s[k].i] = (uint32_t)(e - a - 1);
		}
	}
	free(s);
	if (pc->anchor < 0 || !m)
		return;
	uint32_t *lca = malloc(m * sizeof *lca);
	uint8_t *on_path = calloc(m, 1);
	double *cc = malloc((n + 1) * sizeof *cc);
	pc->lca_share = malloc(n * sizeof *pc->lca_share);
	if (lca && on_path && cc && pc->lca_share) {
		for (int32_t v = (int32_t)bs->b[pc->anchor].node; v >= 0; v = bs->npar[v])
			on_path[v] = 1;
		for (size_t v = 0; v < m; v++) /* the body (0) is on every path */
			lca[v] = on_path[v] || bs->npar[v] < 0 ? (uint32_t)v : lca[bs->npar[v]];
		cc[0] = 0;
		for (size_t i = 0; i < n; i++)
			cc[i + 1] = cc[i] + bs->b[i].chars;
		double total = cc[n] > 0 ? cc[n] : 1;
		for (size_t i = 0; i < n; i++) {
			uint32_t v = lca[bs->b[i].node];
			pc->lca_share[i] = (float)((cc[bs->nhi[v]] - cc[bs->nlo[v]]) / total);
		}
	} else {
		free(pc->lca_share);
		pc->lca_share = NULL;
	}
	free(lca), free(on_path), free(cc);
}

static void page_context_free(page_ctx *pc)
{
	free(pc->lca_share);
	free(pc->repeats);
}

/* Fills f (WN_BM_NDENSE values) for block i. Class and id names enter
 * only through the cue words' ancestor bits: hashed class/id words as
 * inputs gained out of fold and lost on sites the model had not seen
 * (the model card, "Class words"). */
static void block_features(const wn_blockset *bs, size_t i, const uint32_t *title, int ntitle,
                           const uint64_t *story, double rule_share, long first_rule,
                           long last_rule, const page_ctx *pc, float *f)
{
	const wn_block *b = &bs->b[i];
	const char *text = bs->text.p + b->off;
	tstat ts = {0};
	uint32_t tok[256], ctok[256];
	ctoks cw = {ctok, 256, 0};
	int nt = tokens_cw(text, b->len, tok, 256, &ts, 0, &cw);
	int hits = 0;
	for (int a = 0; a < nt; a++)
		for (int t = 0; t < ntitle; t++)
			if (tok[a] == title[t]) {
				hits++;
				break;
			}
	double words = ts.words ? ts.words : 1;
	char last = b->len ? text[b->len - 1] : 0;
	int k = 0;
	f[k++] = (float)lg(b->chars);
	f[k++] = (float)lg(ts.words);
	f[k++] = (float)ldens(b);
	f[k++] = (float)(ts.stop / words);
	f[k++] = (float)(b->chars ? (double)ts.punct / b->chars : 0);
	f[k++] = (float)(last == '.' || last == '!' || last == '?' || last == ':');
	f[k++] = (float)(b->chars ? (double)ts.digits / b->chars : 0);
	f[k++] = (float)(ts.upper_start / words);
	f[k++] = (float)(nt ? (double)hits / nt : 0);
	f[k++] = (float)(ntitle && nt && hits * 5 >= ntitle * 4 && nt <= ntitle + 3);
	f[k++] = (float)b->rule;
	f[k++] = (float)(bs->total_chars ? (double)b->off / (bs->text.len + 1) : 0);
	f[k++] = (float)lg(b->depth);
	int ot = owner_tag(b->owner ? wn_dom_name(b->owner) : "");
	for (int t = 0; t < 10; t++)
		f[k++] = (float)(ot == t);
	for (int t = 0; t < A_NBITS; t++)
		f[k++] = (float)((b->anc >> t) & 1);
	/* neighbours: the rule verdict and shape of the blocks around */
	for (int d = -2; d <= 2; d++) {
		if (!d)
			continue;
		long j = (long)i + d;
		const wn_block *nb = j >= 0 && (size_t)j < bs->n ? &bs->b[j] : NULL;
		f[k++] = (float)(nb ? nb->rule : 0);
		f[k++] = (float)(nb ? lg(nb->chars) : 0);
		f[k++] = (float)(nb ? ldens(nb) : 0);
	}
	/* the container: share of the page's text under the owner's parent */
	const xmlNode *par = b->owner ? b->owner->parent : NULL;
	const nstat *ps = par && par->type == XML_ELEMENT_NODE ? ST(par) : NULL;
	double total = bs->total_chars ? bs->total_chars : 1;
	f[k++] = (float)(ps ? ps->text / total : 0);
	f[k++] = (float)(ps && ps->text ? (double)ps->link / ps->text : 0);
	f[k++] = (float)(ps ? lg(ps->p) : 0);
	f[k++] = (float)(ps ? lg(ps->li) : 0);
	/* page: how much text, how much the rules took */
	f[k++] = (float)lg(bs->total_chars);
	f[k++] = (float)rule_share;
	f[k++] = (float)lg(bs->n);
	/* interactions a linear model cannot form itself */
	f[k++] = (float)((1 - b->rule) * (rule_share < 0.15));
	f[k++] = (float)((1 - b->rule) * (rule_share < 0.15) * (1 - ldens(b)) * lg(b->chars));
	f[k++] = (float)(b->rule * ldens(b));
	f[k++] = (float)(b->rule * lg(b->chars));
	f[k++] = (float)((b->anc & A_TOP) ? lg(b->chars) * (1 - ldens(b)) : 0);
	f[k++] = (float)sroot_share(bs, b);
	/* where the block sits relative to the rule output's span */
	long li = (long)i;
	f[k++] = (float)(first_rule >= 0 && li < first_rule);
	f[k++] = (float)(first_rule >= 0 && li >= first_rule && li <= last_rule);
	f[k++] = (float)(first_rule >= 0 && li > last_rule);
	f[k++] = (float)(first_rule < 0    ? 0
	                 : li < first_rule ? lg((double)(first_rule - li))
	                 : li > last_rule  ? lg((double)(li - last_rule))
	                                   : 0);
	/* its structural group: how often the structure repeats, how much of
	 * the page it holds, how link-heavy it is */
	uint32_t g = bs->grp[i];
	f[k++] = (float)lg(bs->gcount[g] - 1);
	f[k++] = (float)(bs->gchars[g] / total);
	f[k++] = (float)(bs->gchars[g] ? (double)bs->glink[g] / bs->gchars[g] : 0);
	/* how much the block shares the story's words, and whether it has the
	 * shape of a run around the story (comments, teasers, category lists) */
	double sim = story_sim(cw.h, cw.n, story);
	int outside = first_rule >= 0 && (li < first_rule || li > last_rule);
	int run =
	    outside && ((b->anc & A_COMMENT) ||
	                (bs->gcount[g] >= 3 &&
	                 (ldens(b) > 0.5 || (bs->gchars[g] && bs->glink[g] * 2 > bs->gchars[g]))));
	f[k++] = (float)sim;
	f[k++] = (float)run;
	f[k++] = (float)(run * (1 - sim));
	/* the main heading: before it (the site's header), how far, and how
	 * much of the page the block shares an element with it (the item's own
	 * box is small, a carousel of other items or the footer only share the
	 * body); text that recurs on the page (a card's "Sponsored", a
	 * carousel's boilerplate) */
	long an = pc->anchor;
	f[k++] = (float)(an >= 0 && li < an);
	f[k++] = (float)(an >= 0 ? lg((double)(li > an ? li - an : an - li)) : 0);
	f[k++] = pc->lca_share ? pc->lca_share[i] : 1;
	f[k++] = (float)(pc->repeats ? lg(pc->repeats[i]) : 0);
	/* the page type decides the policy: its probabilities are inputs */
	for (int t = 0; t < WN_NTYPES; t++)
		f[k++] = bs->pt[t];
}

/* The title's hashed tokens. */
static int title_tokens(const char *title, uint32_t *t, int max)
{
	return title ? tokens(title, strlen(title), t, max, NULL, 0) : 0;
}

/* Rule output of this many characters is a story of its own (a news
 * article is 2,000-5,000): around it, link lists are the page's
 * furniture, whatever type the page-type model guessed. Comments outside
 * the rule output are comments beside a story of any length (a short
 * news item's thread dwarfs it, and the model, seeing mostly comment
 * text, types such a page anything but article). */
#define STORY_CHARS 1500

int wn_blocks_run_shaped(const float *f)
{
	double rule_chars = expm1(f[WN_BF_TOTAL]) * f[WN_BF_RSHARE];
	int outside = f[WN_BF_BEFORE] > 0.5f || f[WN_BF_AFTER] > 0.5f;
	if (!outside)
		return 0;
	if (f[WN_BF_COMMENT] > 0.5f)
		return 2;
	if (rule_chars < STORY_CHARS)
		return 0;
	return f[WN_BF_GCOUNT] >= 1.09f && (f[WN_BF_GLINK] > 0.5f || f[WN_BF_LDENS] > 0.5f);
}

/* Is block b dropped by the keep_* options whatever the model says?
 * Checked first so that the trees run only where they decide. (Bylines,
 * captions and the structures that stay dropped beside a story get a
 * "never" threshold, over 1, in wn_blocks_threshold: that skips the
 * trees too.) */
static int fixed_drop(const wn_block *b, const wn_clean_opts *o)
{
	return (!o->keep_headings && (b->anc & A_HEAD)) ||
	       (!o->keep_tables && (b->anc & A_TABLE)) || (!o->keep_lists && (b->anc & A_LI));
}

float wn_blocks_threshold(const float *f, const float *thr)
{
	int nav = f[WN_BF_NAV] > 0.5f, aside = f[WN_BF_NAV + 1] > 0.5f,
	    footer = f[WN_BF_NAV + 2] > 0.5f, header = f[WN_BF_NAV + 3] > 0.5f,
	    menu = f[WN_BF_MENU] > 0.5f;
	int outside = f[WN_BF_BEFORE] > 0.5f || f[WN_BF_AFTER] > 0.5f;
	/* a hidden block beside a found article (10% of the page or more) is
	 * usually a menu or a dialog; a cue-dropped element holding under 15%
	 * of the page text (share bar, ad, newsletter box, a few comments;
	 * the cue-dropped elements of one structure counted together) a
	 * widget: beside rule output long enough to be a story they stay
	 * dropped (2: never), beside a shorter one (a product, a service
	 * page) each has its own threshold. Where the rules found next to
	 * nothing ("Skip to content": a page builder wraps every paragraph in
	 * its own "widget" element, and each one holds a few percent of the
	 * page) there is nothing for them to be beside: they are judged as any
	 * cue-dropped block (fit-part OOF F1 0.870 -> 0.877, articles 0.932 ->
	 * 0.941) */
	int story = expm1(f[WN_BF_TOTAL]) * f[WN_BF_RSHARE] >= STORY_CHARS;
	if (f[WN_BF_BYLINE] > 0.5f)
		return 2; /* metadata (the author): never main text */
	/* an image's caption: on a news page it describes a photo (on WCXB
	 * dev's fit part 18% of article pages' figcaptions are in the gold
	 * text), on a documentation page it titles a figure (all 23 are); each
	 * group learns its own threshold (never, or 0.5 and over) */
	if (f[WN_BF_CAPTION] > 0.5f)
		return thr[8];
	if (f[WN_BF_HIDDEN] > 0.5f && f[WN_BF_RSHARE] >= 0.1f)
		return story ? 2 : thr[7];
	if (f[WN_BF_SROOT] > 0 && f[WN_BF_SROOT] < 0.15f && (story || f[WN_BF_RSHARE] >= 0.1f))
		return story ? 2 : thr[6];
	if (f[WN_BF_HIDDEN] > 0.5f)
		return thr[2];
	/* the rule verdict is evidence only outside page chrome: when the rules
	 * fell back to a footer or menu (the text sits in <noscript>, say), its
	 * blocks need what any other block needs */
	if (f[WN_BF_RULE] > 0.5f && !(nav || aside || footer || header || menu))
		return thr[0];
	/* page chrome (nav, aside, footer, menus) is judged like a cue-dropped
	 * element: both are where the page's furniture usually sits */
	float base = (f[WN_BF_SOFT] > 0.5f || nav || aside || footer || menu) ? thr[2] : thr[1];
	if (outside && thr[3] > base)
		base = thr[3];
	int run = wn_blocks_run_shaped(f);
	if (run && thr[3 + run] > base)
		base = thr[3 + run];
	return base;
}

void wn_blocks_group_sums(const float *p1, const float *chars, const uint32_t *grp, size_t n,
                          size_t ngrp, double *gsum, double *gw)
{
	memset(gsum, 0, ngrp * sizeof *gsum);
	memset(gw, 0, ngrp * sizeof *gw);
	for (size_t i = 0; i < n; i++) {
		gsum[grp[i]] += (double)p1[i] * chars[i];
		gw[grp[i]] += chars[i];
	}
}

void wn_blocks_stage2(const float *p1, const float *chars, const uint32_t *grp, const double *gsum,
                      const double *gw, size_t n, size_t i, float *out)
{
	out[0] = p1[i];
	out[1] = i > 0 ? p1[i - 1] : 0;
	out[2] = i + 1 < n ? p1[i + 1] : 0;
	for (int r = 0; r < 2; r++) {
		size_t span = r ? 10 : 3;
		size_t lo = i > span ? i - span : 0, hi = i + span < n ? i + span : n - 1;
		double s = 0, w = 0;
		for (size_t j = lo; j <= hi; j++)
			if (j != i)
				s += p1[j] * chars[j], w += chars[j];
		out[3 + r] = (float)(w > 0 ? s / w : 0);
	}
	double ow = gw[grp[i]] - chars[i];
	out[5] = ow > 0 ? (float)((gsum[grp[i]] - (double)p1[i] * chars[i]) / ow) : p1[i];
}

/* The ancestor levels wn_blocks_tree_ctx reads: the 1st, 2nd and 4th
 * element above the owner that holds more blocks than the one below. */
static const int tree_levels[3] = {1, 2, 4};

int wn_blocks_tree_ctx(const float *p1, const float *chars, size_t n, const wn_block_tree *t,
                       float *out, size_t stride)
{
	size_t m = t->nnodes;
	double *pc = malloc((n + 1) * 2 * sizeof *pc), *sc = malloc(m * 2 * sizeof *sc);
	int32_t *up = malloc(m * sizeof *up);
	if (!pc || !sc || !up || !m) {
		free(pc), free(sc), free(up);
		for (size_t i = 0; i < n; i++)
			memset(out + i * stride, 0, WN_BLOCKS_NTREE * sizeof *out);
		return m ? -1 : 0;
	}
	/* prefix sums of p1 * chars and of chars: an element's blocks are a
	 * range, so any subtree's sums cost two lookups */
	double *cc = pc + n + 1, *best_up = sc + m;
	pc[0] = cc[0] = 0;
	for (size_t i = 0; i < n; i++) {
		pc[i + 1] = pc[i] + (double)p1[i] * chars[i];
		cc[i + 1] = cc[i] + chars[i];
	}
	double total = cc[n] > 0 ? cc[n] : 1;
	/* each element's score, the best score on its path from the body, and
	 * its nearest ancestor holding more blocks (parents come first) */
	size_t best = 0;
	for (size_t v = 0; v < m; v++) {
		uint32_t lo = t->lo[v], hi = t->hi[v];
		sc[v] = (pc[hi] - pc[lo]) - 0.5 * (cc[hi] - cc[lo]);
		if (hi > lo && sc[v] > sc[best])
			best = v;
		int32_t pa = t->parent[v];
		best_up[v] = pa >= 0 && best_up[pa] > sc[v] ? best_up[pa] : sc[v];
		up[v] = pa < 0 ? -1 : t->hi[pa] - t->lo[pa] > hi - lo ? pa : up[pa];
	}
	double bs = sc[best];
	for (size_t i = 0; i < n; i++) {
		float *o = out + i * stride;
		int32_t v = (int32_t)t->node[i];
		int k = 0;
		for (int l = 0, at = 0; l < 3; l++) {
			while (at < tree_levels[l] && v > 0) {
				v = up[v] < 0 ? 0 : up[v];
				at++;
			}
			uint32_t lo = t->lo[v], hi = t->hi[v];
			double w = cc[hi] - cc[lo] - chars[i];
			o[k++] = w > 0 ? (float)((pc[hi] - pc[lo] - (double)p1[i] * chars[i]) / w)
			               : p1[i];
			o[k++] = (float)((cc[hi] - cc[lo]) / total);
		}
		int in = bs > 0 && i >= t->lo[best] && i < t->hi[best];
		o[k++] = (float)in;
		o[k++] = bs > 0 ? (float)((cc[t->hi[best]] - cc[t->lo[best]]) / total) : 0;
		double rel = bs > 0 ? best_up[t->node[i]] / bs : 0;
		o[k++] = (float)(rel > 1 ? 1 : rel < -1 ? -1 : rel);
	}
	free(pc), free(sc), free(up);
	return 0;
}

int wn_blocks_context(const float *p1, const float *chars, const uint32_t *grp, size_t ngrp,
                      size_t n, const wn_block_tree *t, float *out)
{
	double *gsum = malloc((ngrp ? ngrp : 1) * 2 * sizeof *gsum);
	float *tc = malloc((n ? n : 1) * WN_BLOCKS_NTREE * sizeof *tc);
	if (!gsum || !tc || wn_blocks_tree_ctx(p1, chars, n, t, tc, WN_BLOCKS_NTREE))
		return free(gsum), free(tc), -1;
	wn_blocks_group_sums(p1, chars, grp, n, ngrp, gsum, gsum + ngrp);
	for (size_t i = 0; i < n; i++) {
		float *o = out + i * WN_BLOCKS_NSTAGE2;
		wn_blocks_stage2(p1, chars, grp, gsum, gsum + ngrp, n, i, o);
		memcpy(o + WN_BLOCKS_NLINEAR, tc + i * WN_BLOCKS_NTREE,
		       WN_BLOCKS_NTREE * sizeof *o);
	}
	free(gsum), free(tc);
	return 0;
}

int wn_blocks_group(const char *page_type)
{
	return page_type_named(page_type)->group;
}

/* The boosted trees' correction to the stage-2 logit (block_model.h's
 * wn_gb tables). */
static const wn_trees gb_trees = {WN_GB_NTREES, WN_GB_DEPTH, wn_gb_feat, wn_gb_thr, wn_gb_leaf};

static double logistic(double z)
{
	return 1 / (1 + exp(-z));
}

/* A page's blocks as the block model reads them (wn_blocks_decide). */
typedef struct bm_page {
	size_t n;
	float *f;       /* n * WN_BM_NDENSE dense features */
	float *chars;   /* each block's characters */
	float *p1, *s2; /* scratch: stage-1 probabilities, stage-2 inputs */
	uint8_t *fixed; /* dropped whatever the model says (fixed_drop) */
	uint32_t *bnode;
	wn_block_tree tree;
	long heading; /* the main heading's block (main_heading), or -1 */
} bm_page;

/* bs's element tree as wn_block_tree, with node (bs->n entries) filled
 * with each block's owner node. */
static wn_block_tree block_tree(const wn_blockset *bs, uint32_t *node)
{
	for (size_t i = 0; i < bs->n; i++)
		node[i] = bs->b[i].node;
	return (wn_block_tree){bs->nlo, bs->nhi, bs->npar, bs->nnodes, node};
}

static void bm_page_free(bm_page *pg)
{
	free(pg->f), free(pg->chars), free(pg->p1), free(pg->s2), free(pg->fixed), free(pg->bnode);
}

/* Out of memory in wn_blocks_decide: the rules' choice stands for every
 * block (pg's buffers, any of them NULL, are freed). */
static size_t rules_stand(wn_blockset *bs, bm_page *pg)
{
	bm_page_free(pg);
	size_t kept = 0;
	for (size_t i = 0; i < bs->n; i++)
		kept += bs->b[i].keep = bs->b[i].rule;
	return kept;
}

/* The block model of one group over the page: each block's probability of
 * being main content into p[i] and the threshold it must reach into thr[i]
 * (over 1: never kept). Returns 0, or -1 when out of memory. */
static int group_scores(const wn_blockset *bs, bm_page *pg, int group, float *p, float *thr)
{
	size_t n = pg->n;
	/* stage 1: each block on its own features */
	for (size_t i = 0; i < n; i++) {
		const float *fi = pg->f + i * WN_BM_NDENSE;
		const float *w = wn_bm_w[group], *mean = wn_bm_mean[group],
		            *scale = wn_bm_scale[group];
		double z = wn_bm_bias[group];
		for (int k = 0; k < WN_BM_NDENSE; k++)
			z += w[k] * ((fi[k] - mean[k]) * scale[k]);
		pg->p1[i] = (float)logistic(z);
	}
	/* stage 2: the same features and the stage-1 probabilities around the
	 * block, in its structural group and in the element tree (the blocks
	 * under the same ancestors, the page's best-scoring subtree), so that
	 * runs and repeated items (a comment thread, a teaser list, a
	 * listing's cards) and their containers are decided together */
	if (wn_blocks_context(pg->p1, pg->chars, bs->grp, bs->ngrp, n, &pg->tree, pg->s2))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const float *fi = pg->f + i * WN_BM_NDENSE, *si = pg->s2 + i * WN_BLOCKS_NSTAGE2;
		const float *w = wn_bm2_w[group], *mean = wn_bm2_mean[group];
		const float *scale = wn_bm2_scale[group];
		double z = wn_bm2_bias[group];
		for (int k = 0; k < WN_BM_NDENSE; k++)
			z += w[k] * ((fi[k] - mean[k]) * scale[k]);
		for (int k = 0; k < WN_BM_NSTAGE2; k++)
			z += w[WN_BM_NDENSE + k] *
			     ((si[k] - mean[WN_BM_NDENSE + k]) * scale[WN_BM_NDENSE + k]);
		thr[i] = pg->fixed[i] ? 2 : wn_blocks_threshold(fi, wn_bm_thr[group]);
		if (thr[i] <= 1) { /* else p is not read */
			float x[WN_GB_NF];
			memcpy(x, fi, WN_BM_NDENSE * sizeof *x);
			memcpy(x + WN_BM_NDENSE, si, WN_BM_NSTAGE2 * sizeof *x);
			z += wn_trees_sum(&gb_trees, x);
		}
		p[i] = (float)logistic(z);
	}
	return 0;
}

/* Reads the page's blocks into pg: dense features, characters, fixed
 * drops, the element tree. Returns 0, or -1 when out of memory. */
static int bm_page_read(const wn_blockset *bs, const char *title, const wn_clean_opts *o,
                        bm_page *pg)
{
	size_t n = bs->n;
	uint32_t tt[64];
	int ntitle = title_tokens(title, tt, 64);
	uint64_t rule_chars = 0;
	long first = -1, last = -1;
	for (size_t i = 0; i < n; i++)
		if (bs->b[i].rule) {
			rule_chars += bs->b[i].chars;
			first = first < 0 ? (long)i : first;
			last = (long)i;
		}
	double rule_share = bs->total_chars ? (double)rule_chars / bs->total_chars : 0;
	uint64_t story[STORY_BITS / 64];
	story_set(bs, title, story);
	*pg = (bm_page){n,
	                malloc(n * WN_BM_NDENSE * sizeof(float)),
	                malloc(n * sizeof(float)),
	                malloc(n * sizeof(float)),
	                malloc(n * WN_BLOCKS_NSTAGE2 * sizeof(float)),
	                malloc(n),
	                malloc(n * sizeof(uint32_t)),
	                {0},
	                -1};
	if (!pg->f || !pg->chars || !pg->p1 || !pg->s2 || !pg->fixed || !pg->bnode)
		return -1;
	pg->tree = block_tree(bs, pg->bnode);
	page_ctx pc;
	page_context(bs, tt, ntitle, &pc);
	pg->heading = pc.anchor;
	for (size_t i = 0; i < n; i++) {
		float *fi = pg->f + i * WN_BM_NDENSE;
		block_features(bs, i, tt, ntitle, story, rule_share, first, last, &pc, fi);
		pg->chars[i] = (float)expm1(fi[0]);
		pg->fixed[i] = (uint8_t)fixed_drop(&bs->b[i], o);
	}
	page_context_free(&pc);
	return 0;
}

size_t wn_blocks_decide(wn_blockset *bs, const char *title, const wn_clean_opts *o,
                        const char *page_type, const wn_block_sink *sink)
{
	size_t n = bs->n, kept = 0;
	if (!n)
		return 0;
	bm_page pg = {0};
	float *p = malloc(n * 2 * sizeof *p), *thr = p + n;
	if (!p || bm_page_read(bs, title, o, &pg) ||
	    group_scores(bs, &pg, wn_blocks_group(page_type), p, thr)) {
		free(p);
		return rules_stand(bs, &pg);
	}
	bs->heading = (uint32_t)(pg.heading + 1);
	for (size_t i = 0; i < n; i++) {
		wn_block *b = &bs->b[i];
		b->p = p[i];
		b->fixed = pg.fixed[i];
		b->keep = wn_bm_trained ? p[i] >= thr[i] : b->rule;
		kept += b->keep;
#ifdef WN_CLEAN_DEBUG
		fprintf(stderr, "blk %zu rule %d p1 %.2f p %.2f keep %d anc %x [%.60s]\n", i,
		        b->rule, pg.p1[i], b->p, b->keep, b->anc, bs->text.p + b->off);
#endif
	}
	if (sink) { /* the trainer: the element tree and every block's inputs */
		if (sink->tree)
			sink->tree(sink->ud, &pg.tree, n);
		for (size_t i = 0; sink->block && i < n; i++)
			sink->block(sink->ud, pg.f + i * WN_BM_NDENSE, WN_BM_NDENSE,
			            bs->text.p + bs->b[i].off, bs->b[i].len, pg.p1[i], bs->grp[i]);
	}
	free(p);
	bm_page_free(&pg);
	return kept;
}

long wn_drop_repeats(const char *const *text, const size_t *len, const uint8_t *pre, uint8_t *keep,
                     size_t n)
{
	sigidx *s = malloc((n ? n : 1) * sizeof *s);
	if (!s)
		return -1;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (keep[i] && !pre[i] && wn_text_word_count(text[i], len[i]) >= 3)
			s[m++] = (sigidx){wn_fnv1a32(text[i], len[i], WN_FNV32_BASIS), (uint32_t)i};
	/* equal texts sort together, in document order within a hash (a
	 * collision only costs a comparison: texts are compared byte for byte) */
	qsort(s, m, sizeof *s, cmp_sig);
	long dropped = 0;
	for (size_t a = 0, e; a < m; a = e) {
		for (e = a + 1; e < m && s[e].sig == s[a].sig; e++)
			;
		for (size_t k = a + 1; k < e; k++) {
			size_t i = s[k].i;
			for (size_t j = a; j < k; j++) { /* an earlier one still kept */
				size_t q = s[j].i;
				if (keep[q] && len[q] == len[i] &&
				    !memcmp(text[q], text[i], len[i])) {
					keep[i] = 0, dropped++;
					break;
				}
			}
		}
	}
	free(s);
	return dropped;
}

int wn_repeats_apply(const char *page_type)
{
	return page_type_named(page_type)->repeats;
}

int wn_page_type_authored(const char *page_type)
{
	return page_type_named(page_type)->authored;
}

int wn_datelines_apply(const char *page_type)
{
	return page_type_named(page_type)->datelines;
}

int wn_one_piece(const char *page_type)
{
	return page_type_named(page_type)->one_piece;
}

int wn_group_vote_apply(const char *page_type)
{
	return page_type_named(page_type)->vote;
}

long wn_group_vote(const uint32_t *grp, size_t ngrp, const uint8_t *fixed, uint8_t *keep, size_t n)
{
	uint32_t *all = calloc(2 * (ngrp ? ngrp : 1), sizeof *all), *kept = all + (ngrp ? ngrp : 1);
	if (!all)
		return -1;
	for (size_t i = 0; i < n; i++)
		all[grp[i]]++, kept[grp[i]] += keep[i] != 0;
	long set = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t g = grp[i];
		if (!keep[i] && !fixed[i] && all[g] >= 3 && 2 * kept[g] >= all[g])
			keep[i] = 1, set++;
	}
	free(all);
	return set;
}

void wn_blocks_vote(wn_blockset *bs, const char *page_type)
{
	size_t n = bs->n;
	if (!n || !bs->grp || !wn_group_vote_apply(page_type))
		return;
	uint8_t *fixed = malloc(2 * n), *keep = fixed + n;
	if (!fixed)
		return;
	for (size_t i = 0; i < n; i++)
		fixed[i] = bs->b[i].fixed, keep[i] = bs->b[i].keep;
	if (wn_group_vote(bs->grp, bs->ngrp, fixed, keep, n) > 0)
		for (size_t i = 0; i < n; i++)
			bs->b[i].keep = keep[i];
	free(fixed);
}

const char *wn_page_type_name(int c)
{
	return c >= 0 && c < WN_PT_NCLASS ? page_types[c].name : other_type.name;
}

int wn_page_type_best(const float *p)
{
	int best = 0;
	for (int c = 1; c < WN_PT_NCLASS; c++)
		if (p[c] > p[best])
			best = c;
	return best;
}

const char *wn_page_type_pick(const float *p)
{
	int best = wn_page_type_best(p);
	/* a page no class fits well is "other" rather than a forced guess */
	return p[best] >= 0.3 ? page_types[best].name : other_type.name;
}

void wn_blocks_drop_repeats(wn_blockset *bs, const char *page_type)
{
	size_t n = bs->n;
	if (!n || !wn_repeats_apply(page_type))
		return;
	const char **text = malloc(n * sizeof *text);
	size_t *len = malloc(n * sizeof *len);
	uint8_t *pre = malloc(n), *keep = malloc(n);
	if (text && len && pre && keep) {
		for (size_t i = 0; i < n; i++) {
			const wn_block *b = &bs->b[i];
			text[i] = bs->text.p + b->off, len[i] = b->len;
			pre[i] = (b->anc & (A_PRE | A_TABLE)) != 0, keep[i] = b->keep;
		}
		if (wn_drop_repeats(text, len, pre, keep, n) > 0)
			for (size_t i = 0; i < n; i++)
				bs->b[i].keep = keep[i];
	}
	free(text), free(len), free(pre), free(keep);
}

/* The kept words of the blocks of kind k; *out gets the other kept ones'. */
static size_t kind_words(const size_t *words, const uint8_t *kind, const uint8_t *keep, size_t n,
                         int k, size_t *out)
{
	size_t in = 0;
	*out = 0;
	for (size_t i = 0; i < n; i++)
		if (keep[i])
			*(kind[i] == k ? &in : out) += words[i];
	return in;
}

static long unkeep_kind(const uint8_t *kind, uint8_t *keep, size_t n, int k)
{
	long dropped = 0;
	for (size_t i = 0; i < n; i++)
		if (keep[i] && kind[i] == k)
			keep[i] = 0, dropped++;
	return dropped;
}

/* Clears the kept blocks of kind k when more kept words lie outside them
 * than inside (the guard of pop-ups and side blocks). */
static long unkeep_outweighed(const size_t *words, const uint8_t *kind, uint8_t *keep, size_t n,
                              int k)
{
	size_t out, in = kind_words(words, kind, keep, n, k, &out);
	return in && out > in ? unkeep_kind(kind, keep, n, k) : 0;
}

long wn_drop_furniture(const size_t *words, const uint8_t *kind, uint8_t *keep, size_t n,
                       size_t min_words)
{
	long dropped = unkeep_outweighed(words, kind, keep, n, WN_FURN_POPUP);
	size_t out, in = kind_words(words, kind, keep, n, WN_FURN_LANDMARK, &out);
	if (in && out >= min_words)
		dropped += unkeep_kind(kind, keep, n, WN_FURN_LANDMARK);
	return dropped + unkeep_outweighed(words, kind, keep, n, WN_FURN_SIDE);
}

/* The heading's column (wn_mark_side): the lowest element around
 * block `heading` holding at least half of the kept characters, or -1
 * when only the body does. cc: prefix sums of the kept characters. */
static int32_t heading_column(const wn_block_tree *t, const double *cc, size_t n, long heading)
{
	int32_t v = (int32_t)t->node[heading];
	while (v > 0 && 2 * (cc[t->hi[v]] - cc[t->lo[v]]) < cc[n])
		v = t->parent[v];
	return v > 0 ? v : -1;
}

long wn_mark_side(const wn_block_tree *t, const uint32_t *chars, const uint32_t *link,
                  const uint32_t *grp, size_t ngrp, const uint8_t *keep, size_t n, long heading,
                  int one_piece, uint8_t *kind)
{
	if (heading < 0 || (size_t)heading >= n || !t->nnodes)
		return 0;
	double *cc = malloc((n + 1) * sizeof *cc);
	uint8_t *inside = calloc(ngrp ? ngrp : 1, 1); /* groups with a kept block inside */
	if (!cc || !inside) {
		free(cc), free(inside);
		return -1;
	}
	cc[0] = 0;
	for (size_t i = 0; i < n; i++)
		cc[i + 1] = cc[i] + (keep[i] ? chars[i] : 0);
	int32_t col = heading_column(t, cc, n, heading);
	long marked = 0;
	if (col > 0) {
		size_t lo = t->lo[col], hi = t->hi[col];
		for (size_t i = lo; i < hi; i++)
			if (keep[i])
				inside[grp[i]] = 1;
		for (size_t i = 0; i < n; i++)
			if (keep[i] && (i < lo || i >= hi) && chars[i] && !inside[grp[i]] &&
			    (one_piece || (uint64_t)link[i] * 10 >= (uint64_t)chars[i] * 9))
				kind[i] = WN_FURN_SIDE, marked++;
	}
	free(cc), free(inside);
	return marked;
}

/* Is block b inside a pop-up (wn_dom_popup) below body? */
static int in_popup(const wn_block *b, const xmlNode *body)
{
	for (const xmlNode *n = b->owner; n && n != body && n->type == XML_ELEMENT_NODE;
	     n = n->parent)
		if (wn_dom_popup(n))
			return 1;
	return 0;
}

/* Is block b in a navigation landmark: <nav>, <footer>, <menu>, a
 * navigation, menu, banner, contentinfo or complementary role, or a
 * <header> or <aside> outside <article> and <main> (there, as the ARIA
 * mapping of HTML has it, the site's banner and sidebar; inside, a
 * story's heading and a pull quote)? */
static int in_landmark(const wn_block *b)
{
	return (b->anc & (A_NAV | A_FOOTER | A_MENU)) ||
	       ((b->anc & (A_HEADER | A_ASIDE)) && !(b->anc & (A_ARTICLE | A_MAIN)));
}

/* Applies wn_drop_furniture to bs's kept blocks by kind; *words is
 * filled on first use (the kept blocks' word counts; the set of kept
 * blocks only shrinks after). Returns 0, or -1 when out of memory. */
static int drop_kinds(wn_blockset *bs, const uint8_t *kind, uint8_t *keep, size_t **words)
{
	size_t n = bs->n;
	if (!*words) {
		*words = malloc(n * sizeof **words);
		if (!*words)
			return -1;
		for (size_t i = 0; i < n; i++) {
			const wn_block *b = &bs->b[i];
			(*words)[i] = b->keep ? wn_text_word_count(bs->text.p + b->off, b->len) : 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		keep[i] = bs->b[i].keep;
	if (wn_drop_furniture(*words, kind, keep, n, WN_MIN_TEXT_WORDS) > 0)
		for (size_t i = 0; i < n; i++)
			bs->b[i].keep = keep[i];
	return 0;
}

/* Marks bs's side blocks in kind (wn_mark_side, around the heading
 * wn_blocks_decide found, with page_type's wn_one_piece); keep holds the
 * kept flags. Returns the number marked, or -1 when out of memory. */
static long side_blocks(const wn_blockset *bs, const char *page_type, const uint8_t *keep,
                        uint8_t *kind)
{
	size_t n = bs->n;
	if (!bs->heading || !bs->grp)
		return 0;
	uint32_t *a = malloc(3 * n * sizeof *a), *chars = a, *link = a + n, *node = a + 2 * n;
	if (!a)
		return -1;
	for (size_t i = 0; i < n; i++)
		chars[i] = bs->b[i].chars, link[i] = bs->b[i].link;
	wn_block_tree t = block_tree(bs, node);
	long m = wn_mark_side(&t, chars, link, bs->grp, bs->ngrp, keep, n, (long)bs->heading - 1,
	                      wn_one_piece(page_type), kind);
	free(a);
	return m;
}

void wn_blocks_drop_furniture(wn_blockset *bs, const xmlNode *body, const char *page_type)
{
	size_t n = bs->n, any = 0, *words = NULL;
	uint8_t *kind = malloc(n ? n : 1), *keep = malloc(n ? n : 1);
	if (!kind || !keep)
		goto done;
	/* what the markup declares; most pages keep none of it, and count no
	 * words for it */
	for (size_t i = 0; i < n; i++) {
		const wn_block *b = &bs->b[i];
		kind[i] = !b->keep            ? WN_FURN_NONE
		          : in_popup(b, body) ? WN_FURN_POPUP
		          : in_landmark(b)    ? WN_FURN_LANDMARK
		                              : WN_FURN_NONE;
		any += kind[i] != WN_FURN_NONE;
	}
	if (any && drop_kinds(bs, kind, keep, &words))
		goto done;
	/* then what the layout shows, read from what is left */
	for (size_t i = 0; i < n; i++)
		keep[i] = bs->b[i].keep, kind[i] = WN_FURN_NONE;
	if (side_blocks(bs, page_type, keep, kind) > 0)
		drop_kinds(bs, kind, keep, &words);
done:
	free(words), free(kind), free(keep);
}

/* ---------------------------------------------------------------------- */
/* page type */

/* Page features: where the text sits (shares of characters by ancestor
 * bit and block tag), its shape, and hashed bags of class/id words and of
 * the words of the text, log-scaled. */
/* Words the page's own declarations use for its kind: JSON-LD @type and
 * og:type values, and URL path segments. Each is one feature (present or
 * not); they hold across sites where class names do not. */
static const char *const decl_words[] = {"article",
                                         "newsarticle",
                                         "blogposting",
                                         "product",
                                         "offer",
                                         "qapage",
                                         "question",
                                         "discussion",
                                         "itemlist",
                                         "collectionpage",
                                         "faqpage",
                                         "service",
                                         "localbusiness",
                                         "organization",
                                         "techarticle",
                                         "howto",
                                         "recipe",
                                         "website",
                                         "breadcrumblist",
                                         "review",
                                         "discussionforumposting",
                                         "socialmediaposting",
                                         "comment",
                                         "answer",
                                         "aggregateoffer",
                                         "aggregaterating",
                                         "searchresultspage",
                                         "webpage",
                                         "aboutpage",
                                         "contactpage",
                                         "softwareapplication",
                                         "event",
                                         "course",
                                         "person",
                                         "profilepage",
                                         "productgroup",
                                         "offercatalog",
                                         "apireference",
                                         "blog",
                                         "professionalservice",
                                         NULL};
static const char *const url_words[] = {
    "/forum",         "/thread",     "/topic",       "/community", "/questions/", "/docs",  "/doc/",
    "/documentation", "/api",        "/guide",       "/product",   "/shop",       "/store", "/item",
    "/category",      "/categories", "/collections", "/tag/",      "/search",     "/blog",  "/news",
    "/article",       "/20",         "/services",    "/about",     "/pricing",    "/wiki/", NULL};
/* The software a page is built with, named in <meta name=generator> or in
 * its script and stylesheet addresses: shop, forum and documentation
 * platforms serve the same kind of page on every site that runs them. */
static const char *const platforms[] = {
    "wp-content", "shopify",     "woocommerce", "magento",     "bigcommerce", "prestashop",
    "discourse",  "vbulletin",   "phpbb",       "xenforo",     "invision",    "mybb",
    "sphinx",     "mkdocs",      "docusaurus",  "readthedocs", "gitbook",     "mediawiki",
    "drupal",     "squarespace", "wix",         "hubspot",     "webflow",     NULL};
/* schema.org properties in microdata (itemprop): a product's offer, a
 * thread's answers, an article's body */
static const char *const itemprops[] = {
    "price",         "pricecurrency", "offers",      "availability", "ratingvalue", "reviewcount",
    "datepublished", "author",        "articlebody", "text",         "upvotecount", "answercount",
    "commentcount",  "headline",      "sku",         "brand",        NULL};
/* each list's length, without its NULL */
#define LIST_LEN(l) ((int)(sizeof(l) / sizeof *(l)) - 1)
#define N_DECL LIST_LEN(decl_words)
#define N_URL LIST_LEN(url_words)
#define N_PLAT LIST_LEN(platforms)
#define N_PROP LIST_LEN(itemprops)

/* Case-insensitive substring test (needle not empty). The first byte is
 * compared inline: every element's class words pass through here
 * (is_crumb), and a call per byte was a quarter of the page-type
 * features' time. */
static int has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	int c0 = tolower((unsigned char)needle[0]);
	for (; hay && *hay; hay++)
		if (tolower((unsigned char)*hay) == c0 && !strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

/* Index of the word w[0..len) in the NULL-terminated list, or -1. */
static int word_index(const char *const *list, const char *w, size_t len)
{
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !strncasecmp(w, list[i], len))
			return i;
	return -1;
}

/* The type names of a microdata itemtype ("https://schema.org/Product
 * https://schema.org/Offer"): the last path segment of each address. */
static void itemtype_words(const char *v, float *f)
{
	while (*v) {
		size_t len = strcspn(v, " \t\r\n");
		const char *e = v + len, *st = e;
		while (st > v && st[-1] != '/')
			st--;
		int i = word_index(decl_words, st, (size_t)(e - st));
		if (i >= 0)
			f[i] = 1;
		v = *e ? e + 1 : e;
	}
}

/* Declarations of the page type in the <head> and body: JSON-LD, og:type
 * and microdata itemtype (f gets N_DECL values), the canonical URL
 * (N_URL values), the platform (N_PLAT), microdata properties (N_PROP)
 * and product price meta tags (1). */
static void decl_features(xmlNode *root, const char *url, float *f)
{
	float *plat = f + N_DECL + N_URL, *prop = plat + N_PLAT;
	for (xmlNode *n = root; n; n = wn_dom_next(n, root, 0)) {
		if (n->type != XML_ELEMENT_NODE || !n->properties)
			continue;
		const char *nm = wn_dom_name(n), *v = NULL;
		for (const xmlAttr *a = n->properties; a; a = a->next) { /* microdata */
			const char *an = (const char *)a->name;
			if (!an || an[0] != 'i' || strncmp(an, "item", 4) || !a->children ||
			    !(v = (const char *)a->children->content))
				continue;
			if (wn_streq(an, "itemtype"))
				itemtype_words(v, f);
			else if (wn_streq(an, "itemprop"))
				while (*v) {
					size_t len = strcspn(v, " \t\r\n");
					int i = word_index(itemprops, v, len);
					if (i >= 0)
						prop[i] = 1;
					v += len + (v[len] != 0);
				}
		}
		if (wn_streq(nm, "script") || wn_streq(nm, "link")) {
			const char *src = wn_dom_attr(n, nm[0] == 's' ? "src" : "href");
			for (int i = 0; src && platforms[i]; i++)
				plat[i] = plat[i] || strstr(src, platforms[i]);
		}
		if (wn_streq(nm, "script")) {
			const char *t = wn_dom_attr(n, "type");
			if (!t || !strstr(t, "ld+json") || !n->children || !n->children->content)
				continue;
			/* the string values right after each "@type" */
			v = (const char *)n->children->content;
			while ((v = strstr(v, "@type")) != NULL) {
				v += 5;
				while (*v && strchr("\": \t\r\n[", *v))
					v++;
				int i = word_index(decl_words, v, strcspn(v, "\""));
				if (i >= 0)
					f[i] = 1;
			}
		} else if (wn_streq(nm, "meta")) {
			const char *p = wn_dom_attr(n, "property"), *name = wn_dom_attr(n, "name");
			v = wn_dom_attr(n, "content");
			if (p && (!strncasecmp(p, "product:", 8) || !strncasecmp(p, "og:price", 8)))
				prop[N_PROP] = 1;
			if (name && v && !strcasecmp(name, "generator"))
				for (int i = 0; platforms[i]; i++)
					plat[i] = plat[i] || has_ci(v, platforms[i]);
			if (!p || strcasecmp(p, "og:type") || !v)
				continue;
			/* "product", "product.item", "article" */
			int i = word_index(decl_words, v, strcspn(v, "."));
			if (i >= 0)
				f[i] = 1;
		}
	}
	for (int i = 0; url && url_words[i]; i++)
		f[N_DECL + i] = (float)has_ci(url, url_words[i]);
}

/* What the page states about itself that articles have and other pages
 * mostly lack (a publication date, an author, a date in the URL), and how
 * much of it is repeated structure (a listing's cards, a thread's posts):
 * N_SHAPE values into f. */
#define N_SHAPE 6
static void shape_features(const wn_blockset *bs, const wn_clean_doc *d, float *f)
{
	char ud[16];
	f[0] = (float)(d->published && d->published[0]);
	f[1] = (float)(d->author && d->author[0]);
	f[2] = (float)(d->canonical_url && wn_clean_url_date(d->canonical_url, ud, sizeof ud));
	double total = bs->total_chars ? bs->total_chars : 1, rep = 0, top = 0;
	int ngroups = 0;
	for (size_t g = 0; g < bs->ngrp; g++) {
		if (bs->gcount[g] < 4)
			continue;
		ngroups++;
		rep += bs->gchars[g];
		top = bs->gchars[g] > top ? bs->gchars[g] : top;
	}
	f[3] = (float)(rep / total);
	f[4] = (float)lg(ngroups);
	f[5] = (float)(top / total);
}

/* Element counts that give a page's kind away by structure rather than
 * wording: form controls (a product's buy box: buttons, a select box, a
 * quantity input), code (documentation), headings by level (sections),
 * dated items and <article>s (threads, listings), quotes (replies), media,
 * tables, definition lists, links, pagination links (digits only) and
 * the links of the breadcrumb trail. */
enum {
	E_BUTTON,
	E_INPUT,
	E_NUMBER,
	E_SELECT,
	E_TEXTAREA,
	E_FORM,
	E_PRE,
	E_CODE,
	E_H1,
	E_H2,
	E_H3,
	E_H4,
	E_TIME,
	E_ARTICLE,
	E_QUOTE,
	E_IMG,
	E_TABLE,
	E_DL,
	E_A,
	E_LI,
	E_PAGER,
	E_CRUMB,
	N_ELEM
};

/* Is the element a breadcrumb trail (class, id or aria-label says so)?
 * One pass over its attributes: this runs on every element. */
static int is_crumb(const xmlNode *n)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		const char *nm = (const char *)a->name, *v;
		if (!nm ||
		    !(wn_streq(nm, "class") || wn_streq(nm, "id") || wn_streq(nm, "aria-label")))
			continue;
		v = a->children ? (const char *)a->children->content : NULL;
		if (v && has_ci(v, "breadcrumb"))
			return 1;
	}
	return 0;
}

/* Is the link a page number ("2", "17": a listing's or a thread's pager)? */
static int is_pager(const xmlNode *a)
{
	const xmlNode *t = a->children;
	if (!t || t->next || t->type != XML_TEXT_NODE || !t->content)
		return 0;
	const unsigned char *s = t->content;
	int d = 0;
	for (; *s; s++) {
		if (isdigit(*s))
			d++;
		else if (!isspace(*s))
			return 0;
	}
	return d >= 1 && d <= 3;
}

/* Counts element n into c (N_ELEM counters). */
static void count_elem(xmlNode *n, double *c)
{
	const char *nm = wn_dom_name(n);
	static const struct {
		const char *tag;
		int k;
	} t[] = {{"button", E_BUTTON},
	         {"select", E_SELECT},
	         {"textarea", E_TEXTAREA},
	         {"form", E_FORM},
	         {"pre", E_PRE},
	         {"code", E_CODE},
	         {"h1", E_H1},
	         {"h2", E_H2},
	         {"h3", E_H3},
	         {"h4", E_H4},
	         {"h5", E_H4},
	         {"h6", E_H4},
	         {"time", E_TIME},
	         {"article", E_ARTICLE},
	         {"blockquote", E_QUOTE},
	         {"img", E_IMG},
	         {"table", E_TABLE},
	         {"dl", E_DL},
	         {"li", E_LI},
	         {NULL, 0}};
	if (wn_streq(nm, "input")) {
		const char *ty = wn_dom_attr(n, "type");
		if (ty && (!strcasecmp(ty, "submit") || !strcasecmp(ty, "button")))
			c[E_BUTTON]++;
		else if (ty && !strcasecmp(ty, "number"))
			c[E_NUMBER]++;
		else if (!ty || strcasecmp(ty, "hidden"))
			c[E_INPUT]++;
		return;
	}
	if (wn_streq(nm, "a")) {
		c[E_A]++;
		c[E_PAGER] += is_pager(n);
		return;
	}
	if (n->properties && !c[E_CRUMB] && is_crumb(n))
		for (xmlNode *d = n; d; d = wn_dom_next(d, n, 0))
			c[E_CRUMB] += d->type == XML_ELEMENT_NODE && wn_streq(wn_dom_name(d), "a");
	for (int i = 0; t[i].tag; i++)
		if (nm[0] == t[i].tag[0] && wn_streq(nm, t[i].tag)) {
			c[t[i].k]++;
			return;
		}
}

/* Does the text show a price: a currency sign ($, €, £, ¥, ₹) or code
 * (USD, EUR, GBP) with a digit right before or after it? */
static int has_price(const char *s, size_t len)
{
	static const char *const cur[] = {
	    "$", "\xe2\x82\xac", "\xc2\xa3", "\xc2\xa5", "\xe2\x82\xb9", "USD", "EUR", "GBP", NULL};
	for (size_t i = 0; i < len; i++) {
		unsigned char c0 = (unsigned char)s[i]; /* inline: this runs per byte of text */
		if (c0 != '$' && c0 != 0xe2 && c0 != 0xc2 && c0 != 'U' && c0 != 'E' && c0 != 'G')
			continue; /* no sign starts here */
		for (int c = 0; cur[c]; c++) {
			if (s[i] != cur[c][0])
				continue;
			size_t n = strlen(cur[c]);
			if (i + n > len || memcmp(s + i, cur[c], n))
				continue;
			size_t a = i + n, b = i;
			while (a < len && a < i + n + 2 && s[a] == ' ')
				a++;
			while (b > 0 && b + 2 > i && s[b - 1] == ' ')
				b--;
			if ((a < len && isdigit((unsigned char)s[a])) ||
			    (b > 0 && isdigit((unsigned char)s[b - 1])))
				return 1;
		}
	}
	return 0;
}

/* Does the text hold a year (19xx or 20xx standing alone)? */
static int has_year(const char *s, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if ((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0'))
			if (isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]) &&
			    (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
			    (i + 4 == len || !isalnum((unsigned char)s[i + 4])))
				return 1;
	return 0;
}

/* The text's shape beyond where it sits: prices (and how many sit in
 * repeated cards), years (dated posts and cards), questions, block sizes,
 * the largest repeated structure's size, links and item length, and
 * headings per 1,000 characters: N_TEXT values into f. */
#define N_TEXT 12
static void text_features(const wn_blockset *bs, const double *el, float *f)
{
	double total = bs->total_chars ? bs->total_chars : 1, price = 0, pchars = 0, prep = 0;
	double year = 0, quest = 0, shortb = 0;
	for (size_t i = 0; i < bs->n; i++) {
		const wn_block *b = &bs->b[i];
		const char *t = bs->text.p + b->off;
		if (has_price(t, b->len)) {
			price++, pchars += b->chars;
			prep += bs->gcount[bs->grp[i]] >= 3;
		}
		year += has_year(t, b->len);
		quest += b->len && t[b->len - 1] == '?';
		shortb += b->chars < 40;
	}
	size_t big = 0;
	for (size_t g = 1; g < bs->ngrp; g++)
		if (bs->gchars[g] > bs->gchars[big])
			big = g;
	double nb = bs->n ? (double)bs->n : 1;
	int k = 0;
	f[k++] = (float)lg(price);
	f[k++] = (float)(pchars / total);
	f[k++] = (float)(price ? prep / price : 0);
	f[k++] = (float)lg(year);
	f[k++] = (float)(quest / nb);
	f[k++] = (float)(shortb / nb);
	f[k++] = (float)lg(total / nb);
	f[k++] = (float)(bs->ngrp ? lg(bs->gcount[big]) : 0);
	f[k++] =
	    (float)(bs->ngrp && bs->gchars[big] ? (double)bs->glink[big] / bs->gchars[big] : 0);
	f[k++] = (float)(bs->ngrp && bs->gcount[big] ? lg((double)bs->gchars[big] / bs->gcount[big])
	                                             : 0);
	f[k++] = (float)((el[E_H2] + el[E_H3]) * 1000 / total);
	f[k++] = (float)(el[E_A] * 100 / total);
}

static void page_features(const wn_blockset *bs, xmlNode *body, const wn_clean_doc *d, float *f)
{
	const char *url = d->canonical_url;
	memset(f, 0, WN_PT_NDENSE * sizeof *f);
	double total = bs->total_chars ? bs->total_chars : 1;
	int k = 0;
	double anc[A_NBITS] = {0}, tag[10] = {0}, link = 0, rule = 0, sent = 0, longb = 0;
	double el[N_ELEM] = {0};
	float *words = f + WN_PT_NDENSE - 2 * WN_PT_NHASH;
	float *classes = f + WN_PT_NDENSE - WN_PT_NHASH;
	for (size_t i = 0; i < bs->n; i++) {
		const wn_block *b = &bs->b[i];
		for (int t = 0; t < A_NBITS; t++)
			if ((b->anc >> t) & 1)
				anc[t] += b->chars;
		tag[owner_tag(b->owner ? wn_dom_name(b->owner) : "")] += b->chars;
		link += b->link;
		rule += b->rule ? b->chars : 0;
		char last = b->len ? bs->text.p[b->off + b->len - 1] : 0;
		sent += (last == '.' || last == '!' || last == '?') ? b->chars : 0;
		longb += b->chars >= 200 ? b->chars : 0;
		uint32_t tok[64];
		int nt = tokens(bs->text.p + b->off, b->len, tok, 64, NULL, 0);
		for (int t = 0; t < nt; t++)
			words[tok[t] % WN_PT_NHASH] += 1;
	}
	for (int t = 0; t < A_NBITS; t++)
		f[k++] = (float)(anc[t] / total);
	for (int t = 0; t < 10; t++)
		f[k++] = (float)(tag[t] / total);
	f[k++] = (float)(link / total);
	f[k++] = (float)(rule / total);
	f[k++] = (float)(sent / total);
	f[k++] = (float)(longb / total);
	f[k++] = (float)lg(bs->total_chars);
	f[k++] = (float)lg(bs->n);
	size_t elems = 0;
	for (xmlNode *n = body; n; n = wn_dom_next(n, body, 0)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		elems++;
		count_elem(n, el);
		if (!n->properties)
			continue;
		uint16_t h[16];
		int nh = class_tokens(n, 7, h, 16);
		for (int t = 0; t < nh; t++)
			classes[h[t] % WN_PT_NHASH] += 1; /* CLASS_BUCKETS buckets folded */
	}
	f[k++] = (float)lg(elems);
	xmlNode *root = body;
	while (root->parent && root->parent->type == XML_ELEMENT_NODE)
		root = root->parent;
	decl_features(root, url, f + k);
	k += N_DECL + N_URL + N_PLAT + N_PROP + 1;
	shape_features(bs, d, f + k);
	k += N_SHAPE;
	for (int t = 0; t < N_ELEM; t++)
		f[k++] = (float)lg(el[t]);
	text_features(bs, el, f + k);
	k += N_TEXT;
	for (int t = 0; t < 2 * WN_PT_NHASH; t++)
		words[t] = (float)lg(words[t]);
}

/* The page features' count; block_model.h's page-type model must have
 * been fitted on exactly these. */
#define PT_NFEAT                                                                                   \
	(A_NBITS + 10 + 7 + N_DECL + N_URL + N_PLAT + N_PROP + 1 + N_SHAPE + N_ELEM + N_TEXT +     \
	 2 * WN_PT_NHASH)
_Static_assert(WN_PT_NDENSE == PT_NFEAT, "block_model.h: page features");
_Static_assert(sizeof wn_pt_gb_feat ==
                   (WN_PT_NTREES ? WN_PT_NTREES * WN_PT_NCLASS : 1) * ((1u << WN_PT_DEPTH) - 1),
               "block_model.h: page-type trees");

void wn_pt_log_softmax(double *z)
{
	double mx = -1e300, s = 0;
	for (int c = 0; c < WN_PT_CLASSES; c++)
		mx = z[c] > mx ? z[c] : mx;
	for (int c = 0; c < WN_PT_CLASSES; c++)
		s += exp(z[c] - mx);
	for (int c = 0; c < WN_PT_CLASSES; c++)
		z[c] -= mx + log(s);
}

void wn_pt_mix(const double *a, const double *g, double w_lr, double w_gb, double *z)
{
	for (int c = 0; c < WN_PT_CLASSES; c++)
		z[c] = w_lr * a[c] + w_gb * g[c];
	wn_pt_log_softmax(z);
}

void wn_blocks_page_type(wn_blockset *bs, xmlNode *body, const wn_block_sink *sink, wn_clean_doc *d)
{
	float f[WN_PT_NDENSE];
	page_features(bs, body, d, f);
	if (sink && sink->page)
		sink->page(sink->ud, f, WN_PT_NDENSE);
	if (!wn_pt_trained || !bs->n) { /* no model, or no text to judge */
		d->page_type = other_type.name;
		d->page_type_confidence = 0;
		return;
	}
	/* the regression's and the trees' log-probabilities, blended (the
	 * blend's weights were fitted for calibrated probabilities) */
	double a[WN_PT_NCLASS], g[WN_PT_NCLASS], z[WN_PT_NCLASS];
	for (int c = 0; c < WN_PT_NCLASS; c++) {
		a[c] = wn_pt_b[c];
		for (int k = 0; k < WN_PT_NDENSE; k++)
			a[c] += wn_pt_w[c][k] * ((f[k] - wn_pt_mean[k]) * wn_pt_scale[k]);
		g[c] = wn_pt_gb0[c];
		if (WN_PT_NTREES) { /* class c's ensemble */
			size_t t = (size_t)WN_PT_NTREES * c;
			wn_trees tr = {WN_PT_NTREES, WN_PT_DEPTH,
			               wn_pt_gb_feat + t * ((1u << WN_PT_DEPTH) - 1),
			               wn_pt_gb_thr + t * ((1u << WN_PT_DEPTH) - 1),
			               wn_pt_gb_leaf + (t << WN_PT_DEPTH)};
			g[c] += wn_trees_sum(&tr, f);
		}
	}
	wn_pt_log_softmax(a);
	wn_pt_log_softmax(g);
	wn_pt_mix(a, g, wn_pt_blend[0], wn_pt_blend[1], z);
	for (int c = 0; c < WN_PT_NCLASS; c++)
		bs->pt[c] = (float)exp(z[c]);
	d->page_type = wn_page_type_pick(bs->pt);
	d->page_type_confidence = bs->pt[wn_page_type_best(bs->pt)];
}

int wn_blocks_trained(void)
{
	return wn_bm_trained;
}
