/*
 * wn_clean: HTML article cleaning as a plain C library (no host needed).
 *
 * The clean_html plugin is a thin wrapper around wn_clean_page(); the unit
 * tests, the fuzz target and bench/clean call the same functions directly.
 * Pipeline: sniff (HTML? binary?) -> decode to UTF-8 -> libxml2 HTML parse
 * -> metadata (meta tags, JSON-LD, URL) -> main-content extraction -> text.
 */
#ifndef WN_CLEAN_H
#define WN_CLEAN_H

#include <stddef.h>
#include <stdint.h>

/* Tunables; wn_clean_opts_init() fills the defaults. */
typedef struct wn_clean_opts {
	int64_t max_size;  /* input bytes above this are an error (16 MiB) */
	int64_t min_text;  /* characters for a paragraph to count when scoring (25) */
	int keep_tables;   /* keep data tables of the article body (1) */
	int keep_headings; /* keep h2-h6 of the article body (1) */
	int keep_lists;    /* keep ul/ol/dl of the article body (1) */
} wn_clean_opts;

/* What wn_clean_page() found. Every string is malloc'd valid UTF-8 or NULL
 * when absent; wn_clean_doc_free() releases them. */
typedef struct wn_clean_doc {
	char *title, *author, *published, *modified, *lang, *canonical_url;
	char *site_name, *description, *image, *tags;
	char *text; /* paragraphs separated by one blank line */
	size_t text_len;
	int64_t word_count;
	/* What kind of page this is (static string): "article", "forum",
	 * "listing", "product", "collection", "documentation", "service" or
	 * "other", and the model's probability for it (0-1). */
	const char *page_type;
	double page_type_confidence;
	const char *charset; /* the charset the bytes were decoded from (static) */
	/* On WN_CLEAN_ERROR: a short code ("binary", "too_large", "empty",
	 * "parse", "nomem") and a human message. */
	const char *err_code;
	char err_msg[160];
} wn_clean_doc;

enum wn_clean_status { WN_CLEAN_OK = 0, WN_CLEAN_NOT_HTML = 1, WN_CLEAN_ERROR = 2 };

/* Fills `o` with the defaults documented in wn_clean_opts. */
void wn_clean_opts_init(wn_clean_opts *o);

/* Cleans one page: `bytes` (n bytes, need not be NUL-terminated), its HTTP
 * content type and URL (both may be NULL). Fills `out` (zeroed first) and
 * returns WN_CLEAN_OK, WN_CLEAN_NOT_HTML (plain text or other non-HTML text:
 * nothing filled) or WN_CLEAN_ERROR (err_code/err_msg set). Thread-safe:
 * no global state besides libxml2's own initialisation. */
int wn_clean_page(const char *bytes, size_t n, const char *content_type, const char *url,
                  const wn_clean_opts *opts, wn_clean_doc *out);

/* Where the features of each text block and of the page go, for the
 * training tool (plugins/clean_html/train): `block` gets the dense
 * features, the block's text, the stage-1 model's probability and the
 * block's structural group (an index within the page: blocks of one group
 * have the same tags and class words around them); `page` the page-type
 * features. Either may be NULL. */
/* The element tree over a page's blocks, for the tree-structured stage-2
 * inputs: the block-level elements holding text, in document order (an
 * element comes before its descendants, so parent[v] < v), each with the
 * range of blocks under it, [lo[v], hi[v]), and its parent (-1 for the
 * body, element 0); node[i] is block i's innermost one (its owner). */
typedef struct wn_block_tree {
	const uint32_t *lo, *hi;
	const int32_t *parent;
	size_t nnodes;
	const uint32_t *node;
} wn_block_tree;

typedef struct wn_block_sink {
	void (*block)(void *ud, const float *dense, int ndense, const char *text, size_t len,
	              float p, uint32_t group);
	void (*page)(void *ud, const float *dense, int ndense);
	void *ud;
	/* the page's element tree over its nblocks blocks (may be NULL), called
	 * once per page before the first block */
	void (*tree)(void *ud, const wn_block_tree *t, size_t nblocks);
} wn_block_sink;

/* Columns of the dense block features (block_features in blocks.c, as the
 * sink gets them) that the decision and the trainer's threshold groups read
 * by name. One list, so that the plugin and its trainer read the same
 * columns; block_features writes them in this order. */
enum wn_block_col {
	WN_BF_LDENS = 2,    /* link density */
	WN_BF_RULE = 10,    /* in the rule output */
	WN_BF_NAV = 23,     /* first ancestor bit: nav, then aside, footer, header */
	WN_BF_HIDDEN = 28,  /* under a hidden element */
	WN_BF_SOFT = 29,    /* under a cue-dropped element */
	WN_BF_TABLE = 35,   /* in a table */
	WN_BF_COMMENT = 37, /* under a comment cue */
	WN_BF_BYLINE = 38,
	WN_BF_DETAILS = 40, /* in <details>, or a collapsed tab or accordion panel */
	WN_BF_MENU = 41,    /* menu or navigation role */
	WN_BF_PRE = 44,     /* under <pre> */
	WN_BF_CAPTION = 47,
	WN_BF_TOTAL = 64,       /* log1p of the page's characters */
	WN_BF_RSHARE = 65,      /* share of the page the rules took */
	WN_BF_SROOT = 72,       /* share under the outermost cue-dropped ancestor */
	WN_BF_BEFORE = 73,      /* before the rule output's span */
	WN_BF_AFTER = 75,       /* after it */
	WN_BF_GCOUNT = 77,      /* log1p of its structural group's size */
	WN_BF_GLINK = 79,       /* the group's link density */
	WN_BF_HEAD_BEFORE = 83, /* before the page's main heading */
	WN_BF_HEAD_DIST = 84,   /* log1p of the blocks between it and the heading */
	WN_BF_HEAD_LCA = 85,    /* share of the page under its common ancestor with it */
	WN_BF_REPEATS = 86,     /* log1p of the other blocks with the same text */
	WN_BF_PT = 87           /* the page-type probabilities, wn_blocks_page_type's order */
};

/* The number of stage-2 inputs: wn_blocks_stage2 writes the first
 * WN_BLOCKS_NLINEAR, wn_blocks_tree_ctx the other WN_BLOCKS_NTREE. */
#define WN_BLOCKS_NLINEAR 6
#define WN_BLOCKS_NTREE 9
#define WN_BLOCKS_NSTAGE2 (WN_BLOCKS_NLINEAR + WN_BLOCKS_NTREE)

/* The tree-structured stage-2 inputs of each of the n blocks from the
 * stage-1 probabilities p1 and the character counts, over the element
 * tree t: for the first, second and fourth ancestor of the block's owner
 * that holds more blocks than the one below it (wrappers around one child
 * are skipped), the character-weighted mean p1 of the other blocks under it
 * (the block's own p1 when none) and its share of the page's characters;
 * then whether the block lies in the page's best subtree (the element
 * maximising the sum over its blocks of (p1 - 0.5) * chars), that
 * subtree's share of the page, and the best such sum among the block's
 * own ancestors relative to the page's best (in [-1, 1]). WN_BLOCKS_NTREE
 * values for block i at out + i * stride. O(blocks + elements). Returns 0,
 * or -1 when out of memory (out is then zero). Shared by clean_html and
 * its trainer. */
int wn_blocks_tree_ctx(const float *p1, const float *chars, size_t n, const wn_block_tree *t,
                       float *out, size_t stride);

/* The stage-2 inputs of block i (of n) from the stage-1 probabilities p1
 * and the blocks' character counts: p1 of the block and of its two
 * neighbours, the character-weighted mean p1 of the blocks within 3 and
 * within 10 places, and that of the other blocks of its structural group
 * (grp[i]; gsum and gw are the group's sums of p1 * chars and of chars,
 * see wn_blocks_group_sums; its own p1 when it is alone): the first
 * WN_BLOCKS_NLINEAR values into out. Shared by clean_html and its trainer so that both compute them
 * the same way. */
void wn_blocks_stage2(const float *p1, const float *chars, const uint32_t *grp, const double *gsum,
                      const double *gw, size_t n, size_t i, float *out);

/* Sums of p1 * chars (gsum) and of chars (gw) per structural group, for
 * wn_blocks_stage2: grp[i] < ngrp for each of the n blocks; gsum and gw
 * hold ngrp values each and are overwritten. */
void wn_blocks_group_sums(const float *p1, const float *chars, const uint32_t *grp, size_t n,
                          size_t ngrp, double *gsum, double *gw);

/* Every block's stage-2 inputs, the one way clean_html and its trainer
 * assemble them: for each of the n blocks, wn_blocks_stage2's
 * WN_BLOCKS_NLINEAR values then wn_blocks_tree_ctx's WN_BLOCKS_NTREE, at
 * out + i * WN_BLOCKS_NSTAGE2. grp[i] < ngrp is block i's structural
 * group, t the element tree. Returns 0, or -1 when out of memory (out is
 * then not all written). */
int wn_blocks_context(const float *p1, const float *chars, const uint32_t *grp, size_t ngrp,
                      size_t n, const wn_block_tree *t, float *out);

/* Is the block with dense features f (WN_BM_NDENSE values, as the sink
 * gets them) "run-shaped": outside the rule output's span and either under
 * a comment cue (2, whatever the rule output's length: a short news item's
 * comment section is still comments) or in a repeated, link-heavy
 * structure around rule output long enough to be a story (1: a teaser
 * run, a category or tag list); 0 otherwise. Each kind gets its own
 * learned threshold per model group: a forum's thread sits under comment
 * cues too, and the group of documentation and forums learns to keep
 * it. Shared by clean_html and its trainer so that both decide the same
 * way. */
int wn_blocks_run_shaped(const float *f);

/* Clears keep[i] for each kept text that repeats an earlier kept one: of
 * the n texts text[i] (len[i] bytes, whitespace already collapsed), one of
 * 3 or more words (wn_text_word_count), not exempt (pre[i] 0: code under
 * <pre> and table cells, where a line or a row may repeat), equal byte for
 * byte to a text before it whose keep is set. Why: the
 * same paragraph twice in the output is a rendering copy (the mobile and
 * the desktop layout, a quote of an earlier post, a pull quote, a card
 * shown in two carousels), never two paragraphs; the block model sees
 * both copies alike, so it cannot keep only the first. Shared by
 * clean_html and its trainer's written extractions. Returns the number
 * cleared, or -1 (nothing cleared) when out of memory. O(n log n). */
long wn_drop_repeats(const char *const *text, const size_t *len, const uint8_t *pre, uint8_t *keep,
                     size_t n);

/* What a block is as page furniture, for wn_drop_furniture: what the
 * markup itself says (a pop-up, a navigation landmark) or what the
 * layout shows (a block beside the heading's column, wn_mark_side). */
enum wn_furniture { WN_FURN_NONE, WN_FURN_POPUP, WN_FURN_LANDMARK, WN_FURN_SIDE };

/* Clears keep[i] for the kept blocks that are page furniture, of n
 * blocks of words[i] words and kind[i] (wn_furniture):
 * - pop-ups, when more kept words lie outside them than inside: what
 *   opens over a page on a click or a hover (a consent box, a newsletter
 *   or share box, a cart drawer, a hover card) or comes and goes (a
 *   status message, a ticker) is not its text (on WCXB
 *   dev, 3% of the 6-grams of modals and popovers are gold main text),
 *   but a page whose text is mostly in one (a product's details in a
 *   sheet, a post opened over its list) keeps it;
 * - then navigation landmarks, unless fewer than min_words kept words
 *   would be left: the block model reads their ancestor bits, yet keeps
 *   menus and footers where a page's own text looks like them (a mega
 *   menu's blurbs beside a service page's, a footer's disclaimer), on
 *   some pages more of them than of the story;
 * - then side blocks, as pop-ups: when more kept words lie outside them
 *   than inside.
 * Returns the number cleared. O(n). */
long wn_drop_furniture(const size_t *words, const uint8_t *kind, uint8_t *keep, size_t n,
                       size_t min_words);

/* Sets kind[i] to WN_FURN_SIDE for the kept blocks (keep[i]) beside the
 * main heading's column, of n blocks over element tree t (chars[i] and
 * link[i]: block i's characters and those inside links; grp[i]: its
 * structural group, below ngrp; heading: the main heading's block, or -1
 * for none, when nothing is marked). The heading's column is the lowest
 * element around the heading that holds at least half of the kept
 * characters (the body is no column). A side block lies outside it, its
 * structural group has no kept block inside it, and it has 90% or more
 * of its characters in links, or any text at all when one_piece (the
 * page type's text is one piece, wn_one_piece). Why: a sidebar's
 * category list, a shop's filter labels or a menu in a plain <div>
 * column sit beside the story's column, away from its heading, and
 * where the page-type model mistakes a short news item beside them for
 * a listing, the block model keeps them as it would a listing's links;
 * beside a story, a doc page or a firm's page, what is kept outside its
 * column (related stories' blurbs, an author box, a promo) is the
 * site's, whatever its links. A listing's cards repeat where its
 * heading's own items are, and a grid of them is most of what was kept,
 * so the column grows around it. Returns the number marked, or -1 when
 * out of memory (none marked). O(n + depth of t). */
long wn_mark_side(const wn_block_tree *t, const uint32_t *chars, const uint32_t *link,
                  const uint32_t *grp, size_t ngrp, const uint8_t *keep, size_t n, long heading,
                  int one_piece, uint8_t *kind);

/* Is wn_drop_repeats applied on a page of this type (wn_clean_doc's
 * page_type name: article, ..., other)? Not on articles and
 * documentation: there a repeated block can be structure (an interview's
 * recurring question, a plan's recurring step, a reference's recurring
 * field note), and on the fit part of WCXB the drop cost documentation
 * pages 0.003; on forums (quotes of earlier posts: +0.034), products and
 * collections (carousels, layouts: +0.026, +0.012) and service pages
 * (+0.008) the copies are copies. Shared by clean_html and its trainer. */
int wn_repeats_apply(const char *page_type);

/* Sets keep[i] for the blocks not kept, of n, whose structural group
 * (grp[i], below ngrp: blocks with the same tags and class words around
 * them) has 3 or more blocks, at least half of them kept; never where
 * fixed[i] (dropped whatever the model says: the keep_* options). Why:
 * blocks of one structure are one kind of thing (a thread's posts, a
 * grid's cards, a doc page's sections), and the model, deciding each on
 * its own evidence, drops some of a kind it mostly keeps (a short post,
 * a card without a blurb); on sites it was not fitted on more so. On
 * WCXB dev (fit-only table) the held-back part gained +0.0026, the fit
 * part +0.0008. Returns the number set. O(n + ngrp). */
long wn_group_vote(const uint32_t *grp, size_t ngrp, const uint8_t *fixed, uint8_t *keep, size_t n);

/* Is wn_group_vote applied on a page of this type (wn_clean_doc's
 * page_type name)? Not on articles: there a story's container holds, in
 * the structure of its paragraphs, the teasers and promotions the model
 * drops on purpose (AEB's 81 news pages: 0.9760 -> 0.9743 with the vote
 * on articles too; WCXB's articles +0.0001). */
int wn_group_vote_apply(const char *page_type);

/* Does a kept block that is only a date go to metadata on a page of this
 * type (wn_clean_doc's page_type name), as a dateline element does on
 * every page? On articles: a dateline loose beside the headline and the
 * byline (AEB dev +0.0003, WCXB dev unchanged). Not on forums and
 * listings, whose gold keeps each post's and card's date (all types:
 * forum -0.0008), nor on the others and "other" (no gain measured). */
int wn_datelines_apply(const char *page_type);

/* Is a page of this type one piece of text around its heading (article,
 * documentation, service), so that every kept block beside the heading's
 * column is side matter (wn_mark_side)? Not forums, listings,
 * collections and products, whose content is many parts (posts, items,
 * a product's description and specifications in tabs away from its
 * name), nor "other". On WCXB dev (fit-only table) every block beside
 * the column dropped on every type: articles +0.0018, services +0.0036,
 * but listings -0.0058, collections -0.0050, products -0.0021. */
int wn_one_piece(const char *page_type);

/* The model groups: each has its own block models and thresholds
 * (block_model.h). Articles (the rule extraction is strong; the rest is
 * comments, teasers, widgets); other running text, documentation and
 * forum threads (a page of sections or of posts, whose thread is its
 * "comments"); the rest: product, listing, collection, service and
 * "other" pages (a description among cards, prices and forms). */
enum { WN_GROUP_ARTICLE, WN_GROUP_TEXT, WN_GROUP_OTHER };
#define WN_BLOCKS_NGROUP 3

/* The model group (WN_GROUP_*) of a page of this type (wn_clean_doc's
 * page_type name; NULL: other). Shared by clean_html and its trainer. */
int wn_blocks_group(const char *page_type);

/* Does a page of this type have an author (wn_clean_doc's page_type
 * name)? An article's writer, a forum thread's poster: yes; a product, a
 * listing, a collection, a service or a documentation page has none to
 * speak of, its metadata's "author" being the shop or the site (on the fit
 * part of WCXB dev, 40 of the 49 authors named on pages typed so were not
 * the gold's); "other" keeps what it has. */
int wn_page_type_authored(const char *page_type);

/* Thresholds per model group (block_model.h wn_bm_thr). */
#define WN_BLOCKS_NTHR 9

/* The probability a block with dense features f must reach to be kept,
 * from its group's thresholds thr (WN_BLOCKS_NTHR values): for a hidden
 * block beside a found article (the rules took 10% of the page or more)
 * thr[7]; under a small cue-dropped element (under 15% of the page: a
 * widget) beside such an article thr[6]; both never (2) when the rule
 * output is a story (1,500 characters or more); for another hidden block
 * or one under a small cue-dropped element the cue-dropped one (thr[2]);
 * in the rule output outside page chrome thr[0]; otherwise the
 * cue-dropped (also page chrome: nav, aside, footer, menus) or other
 * (thr[1]) one, raised to thr[3] before or after the rule output's span
 * and to thr[4] / thr[5] for run-shaped teaser lists / comments
 * (wn_blocks_run_shaped); under a caption (figcaption, or class words
 * such as "wp-caption-text") thr[8]. A threshold over 1 means never (the
 * model is then not evaluated): bylines (metadata) always get one.
 * Blocks the keep_* options drop never get here. Shared by clean_html and
 * its trainer, so that the thresholds are searched for the decision that
 * ships. */
float wn_blocks_threshold(const float *f, const float *thr);

/* The page-type model's classes (block_model.h WN_PT_NCLASS). */
#define WN_PT_CLASSES 7

/* The name of page-type class c (0 to WN_PT_CLASSES - 1, the model's
 * order: article, collection, documentation, forum, listing, product,
 * service); "other" for any other c. The one list of the names, for
 * clean_html and its trainer. */
const char *wn_page_type_name(int c);

/* The likeliest class (0 to WN_PT_CLASSES - 1; the first on a tie) of
 * class probabilities p (WN_PT_CLASSES values, the model's order). */
int wn_page_type_best(const float *p);

/* The page type of a page with class probabilities p (WN_PT_CLASSES
 * values, the model's order): the likeliest class, or "other" when even
 * that one is under 0.3 (no class fits well, and a forced guess would
 * pick a group's block models on little evidence). The one rule, for
 * clean_html and its trainer. */
const char *wn_page_type_pick(const float *p);

/* log-softmax of z (WN_PT_CLASSES values) in place: logits to
 * log-probabilities. */
void wn_pt_log_softmax(double *z);

/* How the page-type model's two learners are combined, shared by
 * clean_html and its trainer so that the blend is fitted for the
 * probabilities that ship: z = log-softmax(w_lr * a + w_gb * g), from
 * the regression's log-probabilities a and the trees' g (WN_PT_CLASSES
 * values each). */
void wn_pt_mix(const double *a, const double *g, double w_lr, double w_gb, double *z);

/* wn_clean_page() that also hands the model's features to sink (may be
 * NULL: then it is wn_clean_page()). */
int wn_clean_page_sink(const char *bytes, size_t n, const char *content_type, const char *url,
                       const wn_clean_opts *opts, wn_clean_doc *out, const wn_block_sink *sink);

/* Frees the strings of `d` and zeroes it; safe on a zeroed doc. */
void wn_clean_doc_free(wn_clean_doc *d);

/* --- lower layers, public for tests and the bench ---------------------- */

enum wn_sniff { WN_SNIFF_HTML = 0, WN_SNIFF_TEXT = 1, WN_SNIFF_BINARY = 2 };

/* Classifies input from its content type (may be NULL) and its first bytes:
 * binary (NUL/control bytes, known binary magic, binary media types), text
 * that is not HTML (text/plain, JSON, no markup), or HTML. */
int wn_clean_sniff(const char *bytes, size_t n, const char *content_type);

/* Decodes `bytes` to UTF-8 per the charset rules (BOM, content type, <meta>,
 * else UTF-8 when valid, else windows-1252), replacing invalid sequences by
 * U+FFFD. Returns a malloc'd NUL-terminated buffer (*out_len its length) and
 * sets *charset to the canonical name used; NULL when out of memory. */
char *wn_clean_decode(const char *bytes, size_t n, const char *content_type, size_t *out_len,
                      const char **charset);

/* Normalises a date/time string to ISO 8601 ("2024-01-30" or
 * "2024-01-30T10:00:00Z" / "+01:00" when a time is present) into out
 * (>= 32 bytes). Accepts ISO forms, RFC 822 ("Tue, 30 Jan 2024 10:00:00
 * GMT") and "January 30, 2024" / "30 January 2024". Returns 1 on success. */
int wn_clean_date_iso(const char *s, char *out, size_t outsz);

/* Finds the first date in running text (a byline or dateline): "May 14,
 * 2024", "14 May 2024", "Tuesday 3rd of September 2024", "13 mars 2025",
 * "4. November 2024", "4 de mayo de 2024" (English, French, German,
 * Spanish, Italian, Portuguese and Dutch month names), "2024-04-09",
 * "04.11.2024", and "12/03/2025" read day first when `dayfirst`, unless a
 * part over 12 decides. A clock time right after it ("16:20", "7:30 pm",
 * "18h05", "17:45 Uhr") is kept. Writes ISO 8601 into out (>= 32 bytes):
 * "2024-05-14" or "2024-05-14T19:30:00" (a zone only when given as a
 * number or UTC/GMT). *start and *end (may be NULL) get the byte offsets of
 * the date. Returns 1 when found. */
int wn_clean_date_find(const char *s, int dayfirst, char *out, size_t outsz, size_t *start,
                       size_t *end);

/* Reduces a byline to the author names, in place: strips lead-ins ("By",
 * "Written by", "Story:", "Words:", "Text:", and "Von"/"Par"/"Por" before a
 * capitalised name of two words or more), everything after a strong
 * separator (" | ", " · ", " — ") or a digit (a date), and ", Role" job
 * titles; names listed with commas stay. A byline of several lines (one a
 * block of the page) gives the first line that holds a name: a lead-in
 * or a date on a line of its own is passed over, a role on the line
 * after the name is not read. */
void wn_clean_author(char *s);

/* Picks the headline out of a title with a site name before or after it
 * ("Site :: Headline", "Headline | Site"; separators | - – — :: » « · • /
 * with a space on each side), in place. A side equal to `site` or naming
 * `host` (the page's host name) is cut; else a side matching `headline`
 * (known headline text, e.g. the <h1>) is kept; else, when `guess`, the
 * short capitalised side (five words at most) goes and the longer side
 * stays. Any argument but t may be NULL. */
void wn_clean_title_pick(char *t, const char *headline, const char *site, const char *host,
                         int guess);

/* Finds a /YYYY/MM/DD/ (or YYYY-MM-DD) date in a URL path; writes
 * "YYYY-MM-DD" into out (>= 11 bytes) and returns 1, else 0. */
int wn_clean_url_date(const char *url, char *out, size_t outsz);

#endif
