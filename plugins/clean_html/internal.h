/*
 * Internals shared by the files of the wn_clean library (not installed).
 */
#ifndef WN_CLEAN_INTERNAL_H
#define WN_CLEAN_INTERNAL_H

#include "buf.h"
#include "wn_clean.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stddef.h>

/* Text is gathered in wn_buf (lib/core/buf.h), always with a limit so
 * that a runaway page can never exhaust memory. The limits in this library
 * read one less than a round size (511, 4095, ...): they count the bytes of
 * text, and were first written as allocation sizes counting the NUL. */

/* --- tree helpers (dom.c); every walk is iterative, never recursive --- */

/* Next node in document order below `root`, descending into children
 * unless `skip_children`. NULL when the walk leaves `root`. */
xmlNode *wn_dom_next(xmlNode *n, const xmlNode *root, int skip_children);

/* Lower-case element name ("" for non-elements). libxml2's HTML parser
 * already lower-cases names. */
static inline const char *wn_dom_name(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && n->name ? (const char *)n->name : "";
}

/* Tag classes (wn_tag_bits; the lists are in dom.c). */
enum wn_tag {
	WN_TAG_BLOCK = 1,   /* block-level */
	WN_TAG_DROP = 2,    /* never article text: dropped before scoring */
	WN_TAG_DATESKIP = 4 /* never read for the dateline */
};

/* The WN_TAG_* classes of the lower-case tag name nm (0 for "" and tags
 * in no class). */
unsigned wn_tag_bits(const char *nm);

/* Does tag nm end a line of text: a block-level tag or <br>? */
int wn_tag_breaks_line(const char *nm);

/* Are the strings a and b equal? strcmp without the call, for the tag
 * and attribute names each walk compares for every element (short, and
 * mostly different from the first byte). */
static inline int wn_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Borrowed attribute value of element n, or NULL. Attribute values in an
 * HTML tree are a single text child, so no copy is needed. */
const char *wn_dom_attr(const xmlNode *n, const char *name);

/* Case-insensitive: does `s` contain any of the '|'-separated words in
 * `words`? Matching is on substrings (as Readability does for cues). */
int wn_cue_match(const char *s, const char *words);

/* The cue lists of class/id/itemprop words (dom.c holds them all). */
enum wn_cue {
	WN_CUE_NEG = 1,      /* boilerplate: comments, share bars, ads, nav, widgets */
	WN_CUE_POS = 2,      /* article containers: article, content, story, ... */
	WN_CUE_BYLINE = 4,   /* byline, author, dateline, ... */
	WN_CUE_COMMENT = 8,  /* comment sections */
	WN_CUE_DATE = 16,    /* where a page shows its date: date, time, posted, meta, ... */
	WN_CUE_SKIP = 32,    /* regions whose dates are not the page's: related, footer, ... */
	WN_CUE_UPDATE = 64,  /* the modified date: updated, modified */
	WN_CUE_CAPTION = 128 /* an image's caption: caption, wp-caption-text */
};

/* Which cue lists (WN_CUE_* bits) do the words of attribute value s
 * ("post-meta", "postedOn": split at non-alphanumerics and camelCase
 * humps, lower-cased) hit? A cue written "comment*" matches a prefix, the
 * others a whole word. A class that states its element hidden ("hidden",
 * "is-hidden", "hide", "d-none", "x--hidden"; not "overflow-hidden",
 * "md:hidden", "hidden-xs", nor "hidden md:block") counts as boilerplate,
 * read per whitespace-separated token. s may be NULL (0). */
int wn_cue_bits(const char *s);

/* Moves what libxml2 2.9 leaves after <body> into it, as an HTML5 parser
 * does: content after a stray "</body></html>" (a template that closes the
 * page and then goes on) becomes siblings of body or of the document
 * element (a second <html>), where no walk from body sees it. root is the
 * document element; nothing moves when it has no <body>. */
void wn_dom_adopt_trailing(xmlNode *root);

/* Appends the text of the subtree at n with whitespace collapsed to b;
 * block boundaries (block elements, <br>) separate words. */
void wn_dom_text(const xmlNode *n, wn_buf *b);

/* wn_dom_text without the text for screen readers only (wn_dom_sr_only),
 * a line for each block: what a reader sees of the element, for metadata
 * read off the page ("<span class=screen-reader-text>Author</span> Jane
 * Doe" is by Jane Doe; "<p>Jane Doe</p><p>Tech Reporter</p>" two lines). */
void wn_dom_shown_lines(const xmlNode *n, wn_buf *b);

/* Appends the n bytes at p to b, as n wn_buf_addc would (when the limit
 * cuts in, the bytes that fit go in), in one copy when they all fit. */
void wn_dom_add_bytes(wn_buf *b, const unsigned char *p, size_t n);

/* Appends text p to b with each run of white space made one space (none
 * before the first character of b); *space carries a pending run across
 * calls. Stops once b holds more than max bytes. */
void wn_dom_add_collapsed(wn_buf *b, const unsigned char *p, int *space, size_t max);

/* Do text node t and prev, the text written just before it with no
 * white space between, hold two words though they touch? Yes when a tag
 * (not only a comment) stands between them, t's text starts with a
 * capital and prev's ends (last, its last byte) in a lower-case letter, a
 * digit or closing punctuation, or in a capital before a capitalised
 * word: "La Sportiva</span><span>Tarantulace", "FOX</span><span>News"
 * (a card's brand and name, set apart by CSS that a markup reader never
 * sees; a browser lays them out as two lines). Within one text node
 * ("iPhone", "McDonald") and across comments (React's "<!-- -->", which a
 * browser shows glued) the text stays as written. */
int wn_dom_words_touch(const xmlNode *prev, char last, const xmlNode *t);

/* How an element is shown, by its own attributes (wn_dom_visibility). */
enum wn_visibility {
	WN_SHOWN = 0,
	WN_HIDDEN,   /* hidden attr, aria-hidden=true, display:none or
	              * visibility:hidden in an inline style */
	WN_COLLAPSED /* hidden so, with the ARIA role of a tab panel or an
	              * accordion's region: shown when its tab is chosen */
};

/* The element's wn_visibility. A collapsed panel is read like <details>:
 * on WCXB dev's fit part, 74-80% of such panels' 4-grams are in the gold
 * main text (a docs page's other languages, a service page's FAQ
 * answers), against 23% of other hidden elements' and 1-9% of hidden
 * menus' and dialogs'. */
int wn_dom_visibility(const xmlNode *n);

/* Is the element hidden (WN_HIDDEN; a collapsed panel is not)? */
int wn_dom_hidden(const xmlNode *n);

/* Is the element a pop-up: a modal (role dialog or alertdialog, or
 * aria-modal="true"), a tooltip (role tooltip), a popover (the popover
 * attribute), or a live region that passes a message (role alert, status,
 * marquee or timer)? Each opens over the page on a click or a hover, or
 * comes and goes: a consent box, a sign-up or share box, a cart drawer, a
 * hover card, "Added to your cart", a ticker, a sale's countdown. */
int wn_dom_popup(const xmlNode *n);

/* Is the element text for screen readers only: a class of the CSS
 * frameworks' "visually hidden" idiom (sr-only, screen-reader-text,
 * visually-hidden, ...)? Never on screen, so never main text. */
int wn_dom_sr_only(const xmlNode *n);

/* Length of a byline lead-in at the start of s ("By ", "Written by ",
 * "Story: ", "Von " before a capitalised two-word name), including the
 * colon and space after it; 0 when there is none (byline.c). */
size_t wn_author_lead_in(const char *s);

/* Is s no more than a byline's label ("By", "Written by", "Author:",
 * "Article by"), the name being elsewhere (byline.c)? */
int wn_author_label(const char *s);

/* Does s (after white space) start with a person's name: two to four
 * capitalised words (name particles allowed) up to its end or a
 * separator (byline.c)? */
int wn_author_name_like(const char *s);

/* wn_clean_decode without the copy when the bytes need no change (valid
 * UTF-8 read as UTF-8, a BOM skipped): returns a pointer into bytes and
 * sets *owned NULL, else returns a new buffer and sets *owned to it (the
 * caller frees *owned). NULL when out of memory; *out_len and *charset
 * as wn_clean_decode. The view is not NUL-terminated. */
const char *wn_clean_decode_view(const char *bytes, size_t n, const char *ct, size_t *out_len,
                                 const char **charset, char **owned);

/* Pre-parse repair of a page for libxml2 2.9 (reclose.c): before each end
 * tag </X> of an element HTML5 closes open divs for (button, nav, header,
 * article, li, ...; not p, h1-h6, dd, dt), inserts one "</div>" per <div>
 * left open above X, when X is open and nothing above it but divs and
 * ordinary elements (no table part, head, body or html). libxml2 would
 * otherwise ignore </X> and nest the rest of the page inside X. Reads the
 * n bytes at s (UTF-8 or any ASCII-compatible text; need not be
 * NUL-terminated) in one linear pass. Returns NULL when nothing needs
 * fixing (parse s as it is) or when out of memory (parse s as it is, too);
 * else a malloc'd NUL-terminated copy with the fixes, its length in
 * *out_len, which the caller frees. Past a nesting of 4096 or an end tag
 * searched 256 deep it repairs nothing more. */
char *wn_html_reclose(const char *s, size_t n, size_t *out_len);

/* --- the two analyses over a parsed document --- */

/* Fills the metadata fields of d from the document and url. Runs before
 * wn_content_extract, whose byline fills d->author only where this left
 * it empty (clean.c). */
void wn_meta_extract(xmlDoc *doc, const char *url, wn_clean_doc *d);

/* Main content: fills d->text, d->text_len, d->word_count; a byline text
 * seen inside the article is handed back in *byline (malloc'd) when d has
 * no author yet. Returns 0, or -1 when out of memory. Needs a fresh doc
 * (node->_private all NULL) and uses up its _private fields: they point
 * at freed memory afterwards, so the caller frees the doc next. */
int wn_content_extract(xmlDoc *doc, const wn_clean_opts *o, wn_clean_doc *d, char **byline,
                       const wn_block_sink *sink);

/* The published (and modified) date as the page shows it near the
 * headline, for pages without date metadata (dateline.c). title is the
 * page's final title (may be NULL); dayfirst reads "12/03/2025" as 12
 * March. Writes ISO 8601 into pub and mod (each >= 40 bytes, "" when not
 * found); returns 1 when either was found. */
int wn_dateline_find(xmlDoc *doc, const char *title, int dayfirst, char *pub, char *mod);

#endif
