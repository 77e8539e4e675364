/*
 * Tree helpers over libxml2's HTML tree. Pages can nest 100,000 deep, so
 * every walk follows the parent/next pointers instead of recursing.
 */
#include "internal.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

xmlNode *wn_dom_next(xmlNode *n, const xmlNode *root, int skip_children)
{
	if (!skip_children && n->children && n->type == XML_ELEMENT_NODE)
		return n->children;
	while (n && n != root) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

const char *wn_dom_attr(const xmlNode *n, const char *name)
{
	if (n->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		/* first byte first (libxml2 lower-cases HTML attribute names) */
		if (a->name && (a->name[0] | 0x20) == (name[0] | 0x20) &&
		    strcasecmp((const char *)a->name, name) == 0) {
			if (a->children && a->children->content)
				return (const char *)a->children->content;
			return "";
		}
	}
	return NULL;
}

int wn_cue_match(const char *s, const char *words)
{
	if (!s || !*s)
		return 0;
	const char *w = words;
	while (*w) {
		const char *e = strchr(w, '|');
		size_t wl = e ? (size_t)(e - w) : strlen(w);
		for (const char *p = s; *p; p++) {
			if (tolower((unsigned char)*p) == w[0] && strncasecmp(p, w, wl) == 0)
				return 1;
		}
		if (!e)
			break;
		w = e + 1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* class/id cue words. Every list of the library is here, each entry with
 * the lists (WN_CUE_* bits) it belongs to, bucketed by first letter: a
 * word of an attribute value is looked up once for all lists, against the
 * few cues that start with its letter (this runs for every element, and
 * the dateline walks ask again for each of its passes).
 *
 * What the lists hold: NEG boilerplate (comments, share bars, ads, nav,
 * widgets); POS article containers; BYLINE bylines and datelines; COMMENT
 * comment sections (a block-model feature, not a drop by itself); DATE
 * where a page shows its date (dateline.c); SKIP regions whose dates
 * belong to other pages, other people or the site; UPDATE the modified
 * date. */

typedef struct cue {
	const char *w;  /* the word, lower case */
	uint8_t len;    /* its length */
	uint8_t prefix; /* 1: matches any word starting with w ("comment*") */
	uint16_t bits;  /* WN_CUE_* lists it is in */
} cue;

/* clang-format off */
#define CUE(s, bits) {s, sizeof s - 1, 0, bits}
#define CUEP(s, bits) {s, sizeof s - 1, 1, bits}
/* clang-format on */

static const cue cues_a[] = {CUE("ad", WN_CUE_NEG | WN_CUE_SKIP),
                             CUE("ads", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("adslot", WN_CUE_NEG),
                             CUE("adv", WN_CUE_NEG),
                             CUEP("advert", WN_CUE_NEG),
                             CUE("also", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("archive", WN_CUE_SKIP),
                             CUEP("article", WN_CUE_POS),
                             CUEP("aside", WN_CUE_NEG),
                             CUEP("auteur", WN_CUE_BYLINE | WN_CUE_DATE),
                             CUEP("author", WN_CUE_NEG | WN_CUE_BYLINE | WN_CUE_DATE),
                             CUEP("autor", WN_CUE_BYLINE | WN_CUE_DATE),
                             {0}};
static const cue cues_b[] = {CUEP("banner", WN_CUE_NEG),
                             CUE("bio", WN_CUE_NEG),
                             CUEP("blog", WN_CUE_POS),
                             CUE("body", WN_CUE_POS),
                             CUEP("breadcrumb", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("byline", WN_CUE_NEG | WN_CUE_BYLINE | WN_CUE_DATE),
                             {0}};
static const cue cues_c[] = {CUEP("calendar", WN_CUE_SKIP),
                             CUEP("caption", WN_CUE_NEG | WN_CUE_CAPTION),
                             CUEP("clock", WN_CUE_SKIP),
                             CUEP("combx", WN_CUE_NEG),
                             CUEP("comment", WN_CUE_NEG | WN_CUE_COMMENT | WN_CUE_SKIP),
                             CUEP("consent", WN_CUE_NEG),
                             CUEP("content", WN_CUE_POS),
                             CUEP("contributor", WN_CUE_BYLINE),
                             CUEP("cookie", WN_CUE_NEG),
                             CUEP("copyright", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("credit", WN_CUE_NEG),
                             CUEP("current", WN_CUE_SKIP),
                             {0}};
static const cue cues_d[] = {CUEP("date", WN_CUE_DATE),
                             CUEP("dateline", WN_CUE_NEG | WN_CUE_BYLINE | WN_CUE_DATE),
                             CUEP("datum", WN_CUE_DATE),
                             CUE("dek", WN_CUE_NEG),
                             CUEP("disqus", WN_CUE_NEG | WN_CUE_COMMENT),
                             {0}};
static const cue cues_e[] = {CUEP("entry", WN_CUE_POS),
                             CUEP("event", WN_CUE_SKIP),
                             CUEP("external", WN_CUE_NEG),
                             CUEP("extra", WN_CUE_NEG),
                             {0}};
static const cue cues_f[] = {CUEP("fecha", WN_CUE_DATE),
                             CUEP("follow", WN_CUE_NEG),
                             CUEP("footer", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("footnote", WN_CUE_NEG),
                             {0}};
static const cue cues_g[] = {CUEP("gdpr", WN_CUE_NEG), {0}};
static const cue cues_h[] = {CUE("header", WN_CUE_NEG),
                             CUEP("headlines", WN_CUE_NEG | WN_CUE_SKIP),
                             CUE("hentry", WN_CUE_POS),
                             {0}};
static const cue cues_i[] = {CUEP("instapaper", WN_CUE_POS), {0}};
static const cue cues_j[] = {CUEP("jump", WN_CUE_NEG), {0}};
static const cue cues_l[] = {
    CUEP("latest", WN_CUE_NEG | WN_CUE_SKIP), CUEP("login", WN_CUE_NEG), {0}};
static const cue cues_m[] = {CUEP("main", WN_CUE_POS),
                             CUEP("masthead", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("menu", WN_CUE_NEG | WN_CUE_SKIP),
                             CUE("meta", WN_CUE_NEG),
                             CUEP("meta", WN_CUE_DATE),
                             CUE("metadata", WN_CUE_NEG),
                             CUEP("modal", WN_CUE_NEG),
                             CUEP("modified", WN_CUE_DATE | WN_CUE_UPDATE),
                             CUE("more", WN_CUE_NEG | WN_CUE_SKIP),
                             {0}};
static const cue cues_n[] = {CUE("nav", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("navbar", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("navigation", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("newsletter", WN_CUE_NEG | WN_CUE_SKIP),
                             CUE("next", WN_CUE_SKIP),
                             {0}};
static const cue cues_o[] = {
    CUEP("offer", WN_CUE_NEG), CUEP("outbrain", WN_CUE_NEG), CUEP("overlay", WN_CUE_NEG), {0}};
static const cue cues_p[] = {CUEP("pager", WN_CUE_NEG),
                             CUEP("pagination", WN_CUE_NEG),
                             CUEP("partner", WN_CUE_NEG),
                             CUEP("paywall", WN_CUE_NEG),
                             CUE("permalink", WN_CUE_POS),
                             CUEP("popular", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("popup", WN_CUE_NEG),
                             CUE("post", WN_CUE_POS),
                             CUEP("posted", WN_CUE_DATE),
                             CUEP("prev", WN_CUE_SKIP),
                             CUE("previous", WN_CUE_SKIP),
                             CUEP("print", WN_CUE_NEG),
                             CUEP("promo", WN_CUE_NEG | WN_CUE_SKIP),
                             CUE("prose", WN_CUE_POS),
                             CUEP("pubdate", WN_CUE_DATE),
                             CUEP("publish", WN_CUE_DATE),
                             {0}};
static const cue cues_r[] = {CUEP("rail", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("recommend", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("related", WN_CUE_NEG | WN_CUE_SKIP),
                             CUE("replies", WN_CUE_COMMENT | WN_CUE_SKIP),
                             CUEP("reply", WN_CUE_COMMENT | WN_CUE_SKIP),
                             CUEP("respon", WN_CUE_SKIP),
                             CUEP("respond", WN_CUE_COMMENT),
                             CUE("rss", WN_CUE_NEG),
                             {0}};
static const cue cues_s[] = {CUEP("share", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("sharing", WN_CUE_NEG),
                             CUEP("shoutbox", WN_CUE_NEG),
                             CUEP("sidebar", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("signature", WN_CUE_BYLINE | WN_CUE_DATE),
                             CUEP("signup", WN_CUE_NEG),
                             CUEP("skip", WN_CUE_NEG),
                             CUEP("skyscraper", WN_CUE_NEG),
                             CUEP("social", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("sponsor", WN_CUE_NEG | WN_CUE_SKIP),
                             CUE("standfirst", WN_CUE_NEG),
                             CUEP("story", WN_CUE_POS),
                             CUEP("submitted", WN_CUE_NEG | WN_CUE_BYLINE),
                             CUEP("subscri", WN_CUE_NEG | WN_CUE_SKIP),
                             {0}};
static const cue cues_t[] = {CUEP("taboola", WN_CUE_NEG),
                             CUE("tag", WN_CUE_NEG),
                             CUE("tags", WN_CUE_NEG),
                             CUEP("teaser", WN_CUE_NEG | WN_CUE_SKIP),
                             CUE("text", WN_CUE_POS),
                             CUEP("ticker", WN_CUE_SKIP),
                             CUE("time", WN_CUE_DATE),
                             CUE("times", WN_CUE_DATE),
                             CUEP("timestamp", WN_CUE_DATE),
                             CUEP("today", WN_CUE_SKIP),
                             CUEP("toolbar", WN_CUE_NEG),
                             CUE("tools", WN_CUE_NEG),
                             CUEP("topbar", WN_CUE_SKIP),
                             CUEP("topics", WN_CUE_NEG),
                             CUEP("trending", WN_CUE_NEG | WN_CUE_SKIP),
                             {0}};
static const cue cues_u[] = {CUEP("updated", WN_CUE_DATE | WN_CUE_UPDATE), {0}};
static const cue cues_w[] = {CUEP("weather", WN_CUE_SKIP),
                             CUEP("widget", WN_CUE_NEG | WN_CUE_SKIP),
                             CUEP("writtenby", WN_CUE_BYLINE),
                             {0}};

static const cue *const cues_by_letter[26] = {
    ['a' - 'a'] = cues_a, ['b' - 'a'] = cues_b, ['c' - 'a'] = cues_c, ['d' - 'a'] = cues_d,
    ['e' - 'a'] = cues_e, ['f' - 'a'] = cues_f, ['g' - 'a'] = cues_g, ['h' - 'a'] = cues_h,
    ['i' - 'a'] = cues_i, ['j' - 'a'] = cues_j, ['l' - 'a'] = cues_l, ['m' - 'a'] = cues_m,
    ['n' - 'a'] = cues_n, ['o' - 'a'] = cues_o, ['p' - 'a'] = cues_p, ['r' - 'a'] = cues_r,
    ['s' - 'a'] = cues_s, ['t' - 'a'] = cues_t, ['u' - 'a'] = cues_u, ['w' - 'a'] = cues_w};

/* The WN_CUE_* bits of the lower-case word w (n bytes, n >= 1). */
static int word_bits(const char *w, size_t n)
{
	if (n < 2 || w[0] < 'a' || w[0] > 'z')
		return 0; /* every cue starts with a letter and has two or more */
	const cue *c = cues_by_letter[w[0] - 'a'];
	int bits = 0;
	for (; c && c->w; c++) /* the second letter before a call */
		if (c->w[1] == w[1] && (c->prefix ? n >= c->len && !memcmp(w, c->w, c->len)
		                                  : n == c->len && !memcmp(w, c->w, n)))
			bits |= c->bits;
	return bits;
}

/* Is the class token t (n bytes) one of names (NULL-terminated), in any
 * case? */
static int token_in(const char *t, size_t n, const char *const *names)
{
	for (; *names; names++)
		if (strlen(*names) == n && !strncasecmp(*names, t, n))
			return 1;
	return 0;
}

/* Does a whitespace-separated token of class value s satisfy is? s may be
 * NULL (no). */
static int any_token(const char *s, int (*is)(const char *t, size_t n))
{
	while (s && *s) {
		while (*s && isspace((unsigned char)*s))
			s++;
		size_t len = 0;
		while (s[len] && !isspace((unsigned char)s[len]))
			len++;
		if (len && is(s, len))
			return 1;
		s += len;
	}
	return 0;
}

/* Does the class token t (n bytes) say that its element is out of sight,
 * as a state ("hidden", "is-hidden", "js-hidden", "u-hidden", a BEM
 * modifier "menu__panel--hidden", Bootstrap's "hide" and "d-none", which
 * set display:none)? Not the utility and responsive classes
 * that carry the word for something else: "overflow-hidden" hides what
 * overflows, "field--label-hidden" (Drupal's body field) a label,
 * "md:hidden", "hidden-xs" and "elementor-hidden-mobile" the element at
 * one screen size only. Those wrap the article on many sites (on WCXB
 * dev, overflow-hidden on 162 pages, breakpoint variants on about 200,
 * Drupal's label class on 30); read as a word they marked its container
 * boilerplate. */
static int hidden_state_token(const char *t, size_t n)
{
	static const char *const state[] = {"hidden", "is-hidden", "js-hidden", "u-hidden",
	                                    "hide",   "d-none",    NULL};
	return token_in(t, n, state) || (n > 8 && !strncasecmp(t + n - 8, "--hidden", 8));
}

/* Is a display class for a wider screen in s, Tailwind's ("md:block",
 * "lg:flex") or Bootstrap's ("d-md-block")? With one, "hidden" is the
 * small-screen state of an element a desktop reader sees. A state variant
 * ("group-hover:block", a drop-down menu) is not one. */
static int shown_wider(const char *s)
{
	static const char *const bp[] = {"sm", "md", "lg", "xl"};
	static const char *const shows[] = {"block", "flex", "grid", "inline", "table", "contents"};
	for (const char *p = s; *p; p++) {
		if ((*p != ':' && *p != '-') || p - s < 2)
			continue;
		int wide = 0;
		for (size_t i = 0; i < sizeof bp / sizeof *bp; i++)
			wide |= !strncmp(p - 2, bp[i], 2) &&
			        (*p == ':' ? p - s == 2 || !isalnum((unsigned char)p[-3])
			                   : p - s >= 4 && !strncmp(p - 4, "d-", 2));
		for (size_t i = 0; wide && i < sizeof shows / sizeof *shows; i++)
			if (!strncmp(p + 1, shows[i], strlen(shows[i])))
				return 1;
	}
	return 0;
}

/* WN_CUE_NEG when a class token of s states its element hidden
 * (hidden_state_token) and no wider screen's display class shows it. */
static int hidden_bits(const char *s)
{
	if (!s || (!strstr(s, "idden") && !strstr(s, "hide") && !strstr(s, "d-none")))
		return 0; /* a class is seldom "Hidden"; the token test ignores case */
	return any_token(s, hidden_state_token) && !shown_wider(s) ? WN_CUE_NEG : 0;
}

int wn_cue_bits(const char *s)
{
	char w[64];
	int bits = hidden_bits(s);
	while (s && *s) {
		while (*s && !isalnum((unsigned char)*s))
			s++;
		size_t n = 0;
		while (*s && isalnum((unsigned char)*s)) {
			if (n < sizeof w - 1) /* tolower of a letter or digit, without a call */
				w[n++] = (char)(*s | 0x20);
			s++;
			/* camelCase: "imageEmbedCredit" is three words */
			if (islower((unsigned char)s[-1]) && isupper((unsigned char)*s))
				break;
		}
		if (n)
			bits |= word_bits(w, n);
	}
	return bits;
}

void wn_dom_add_bytes(wn_buf *b, const unsigned char *p, size_t n)
{
	if (!b->err && (!b->limit || (b->len <= b->limit && n <= b->limit - b->len))) {
		wn_buf_add(b, p, n);
		return;
	}
	for (size_t i = 0; i < n; i++) /* the limit cuts in: the bytes that fit */
		wn_buf_addc(b, (char)p[i]);
}

void wn_dom_add_collapsed(wn_buf *b, const unsigned char *p, int *space, size_t max)
{
	while (p && *p && b->len <= max) {
		if (isspace(*p)) {
			*space = 1;
			p++;
			continue;
		}
		if (*space && b->len)
			wn_buf_addc(b, ' ');
		*space = 0;
		/* the run of visible bytes in one copy: its first byte, then as
		 * many as keep len <= max before each (the check of a byte at a
		 * time, which a long text made a call per byte) */
		const unsigned char *q = p + 1;
		while (*q && !isspace(*q))
			q++;
		size_t k = (size_t)(q - p), t = 1;
		if (b->len <= max && k > 1)
			t = max - b->len < k - 1 ? max - b->len + 1 : k;
		wn_dom_add_bytes(b, p, t);
		p += t;
	}
}

/* Can a word end in byte c where a capital then starts the next one? */
static int word_end(char c)
{
	return islower((unsigned char)c) || isdigit((unsigned char)c) ||
	       (c && strchr(".,;:!?)]", c));
}

int wn_dom_words_touch(const xmlNode *prev, char last, const xmlNode *t)
{
	const unsigned char *p = t->content;
	if (!prev || !p || !isupper(*p))
		return 0;
	/* "FOX</span><span>News": capitals, then a capitalised word */
	if (!word_end(last) && !(isupper((unsigned char)last) && islower(p[1])))
		return 0;
	const xmlNode *q = t->prev; /* a comment is no tag */
	while (q && q->type == XML_COMMENT_NODE)
		q = q->prev;
	return q != prev;
}

int wn_tag_breaks_line(const char *nm)
{
	return (wn_tag_bits(nm) & WN_TAG_BLOCK) || wn_streq(nm, "br");
}

/* Does a block boundary come before node n: n a block-level element or
 * <br>, or the node after a block-level element? */
static int block_edge(const xmlNode *n)
{
	const xmlNode *prev = n->prev;
	return wn_tag_breaks_line(wn_dom_name(n)) ||
	       (prev && (wn_tag_bits(wn_dom_name(prev)) & WN_TAG_BLOCK));
}

/* The text under root; with shown, without screen-reader-only text. Words
 * on either side of a block boundary stay apart, as on screen: "<div>Luke
 * Kim</div><div>December 5</div>" is "Luke Kim December 5" (with lines,
 * "Luke Kim\nDecember 5"), and so are words that only touch across a tag
 * (wn_dom_words_touch): "<span>by</span><a>Luke Kim</a>" is "by Luke Kim". */
static void dom_text(const xmlNode *root, wn_buf *b, int shown, int lines)
{
	int space = 0, brk = 0;
	const xmlNode *last = NULL; /* the text node added last */
	xmlNode *n = (xmlNode *)root;
	while (n) {
		const char *nm = wn_dom_name(n);
		if (n != root && block_edge(n))
			space = 1, brk = lines;
		if (n->type == XML_ELEMENT_NODE &&
		    (!strcmp(nm, "script") || !strcmp(nm, "style") || !strcmp(nm, "template") ||
		     (shown && wn_dom_sr_only(n)))) {
			n = wn_dom_next(n, root, 1);
			continue;
		}
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			const unsigned char *p = n->content;
			if (brk) { /* the break goes before the next visible text */
				while (p && isspace(*p))
					p++;
				if (p && *p && b->len) {
					wn_buf_addc(b, '\n');
					space = brk = 0;
				}
			}
			if (!space && b->len && wn_dom_words_touch(last, b->p[b->len - 1], n))
				space = 1;
			if (p && *p)
				last = n;
			wn_dom_add_collapsed(b, p, &space, SIZE_MAX);
		}
		n = wn_dom_next(n, root, 0);
	}
}

void wn_dom_text(const xmlNode *root, wn_buf *b)
{
	dom_text(root, b, 0, 0);
}

void wn_dom_shown_lines(const xmlNode *root, wn_buf *b)
{
	dom_text(root, b, 1, 1);
}

/* Appends n to body, in document order; of a second <html> or <body>
 * only the children go. A <head> and what is no element or text (a
 * comment) stay where they are. */
static void adopt(xmlNode *body, xmlNode *n)
{
	const char *nm = wn_dom_name(n);
	if (n->type != XML_ELEMENT_NODE && n->type != XML_TEXT_NODE)
		return;
	if (wn_streq(nm, "head"))
		return;
	if (!wn_streq(nm, "html") && !wn_streq(nm, "body")) {
		xmlUnlinkNode(n);
		xmlAddChild(body, n); /* a text node may merge into body's last */
		return;
	}
	for (xmlNode *c = n->children, *next; c; c = next) {
		next = c->next;
		adopt(body, c);
	}
}

void wn_dom_adopt_trailing(xmlNode *root)
{
	xmlNode *body = root ? root->children : NULL;
	while (body && !(body->type == XML_ELEMENT_NODE && wn_streq(wn_dom_name(body), "body")))
		body = body->next;
	if (!body)
		return;
	for (xmlNode *n = body->next, *next; n; n = next) {
		next = n->next;
		adopt(body, n);
	}
	for (xmlNode *n = root->next, *next; n; n = next) {
		next = n->next;
		adopt(body, n);
	}
}

/* Is n out of sight by its attributes (hidden, aria-hidden=true, or
 * display:none / visibility:hidden in an inline style)? */
static int hidden_attrs(const xmlNode *n)
{
	if (wn_dom_attr(n, "hidden"))
		return 1;
	const char *a = wn_dom_attr(n, "aria-hidden");
	if (a && strcasecmp(a, "true") == 0)
		return 1;
	const char *st = wn_dom_attr(n, "style");
	if (st) {
		/* "display: none" with any spacing */
		char norm[256];
		size_t k = 0;
		for (const char *p = st; *p && k + 1 < sizeof norm; p++)
			if (!isspace((unsigned char)*p))
				norm[k++] = (char)tolower((unsigned char)*p);
		norm[k] = 0;
		if (strstr(norm, "display:none") || strstr(norm, "visibility:hidden"))
			return 1;
	}
	return 0;
}

/* Is n a panel of a tab list or an accordion by its ARIA role? Such a
 * panel is hidden until its tab or header is chosen: a state of the page's
 * widget, not a sign that the text is furniture. */
static int panel_role(const xmlNode *n)
{
	const char *r = wn_dom_attr(n, "role");
	return r && (!strcasecmp(r, "tabpanel") || !strcasecmp(r, "region"));
}

int wn_dom_visibility(const xmlNode *n)
{
	if (!hidden_attrs(n))
		return WN_SHOWN;
	return panel_role(n) ? WN_COLLAPSED : WN_HIDDEN;
}

int wn_dom_hidden(const xmlNode *n)
{
	return wn_dom_visibility(n) == WN_HIDDEN;
}

/* The ARIA roles of pop-ups and of live regions that pass a message (not
 * "log": a live blog's or a chat's updates are the page's text). */
static const char *const popup_roles[] = {"dialog", "alertdialog", "tooltip", "alert",
                                          "status", "marquee",     "timer",   NULL};

int wn_dom_popup(const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE || !n->properties)
		return 0;
	const char *r = wn_dom_attr(n, "role");
	for (const char *const *p = popup_roles; r && *p; p++)
		if (!strcasecmp(r, *p))
			return 1;
	const char *m = wn_dom_attr(n, "aria-modal");
	return (m && !strcasecmp(m, "true")) || wn_dom_attr(n, "popover");
}

/* The class names of the "visually hidden" idiom: text kept out of sight
 * but read by screen readers ("Skip to content", "(opens in a new tab)",
 * a price said twice, a heading the design leaves out). Bootstrap,
 * WordPress, Foundation, Drupal and the HTML5 boilerplate spell them so. */
static const char *const sr_classes[] = {
    "sr-only",         "screen-reader-text", "screen-reader-only",
    "visually-hidden", "visuallyhidden",     "u-visually-hidden",
    "show-for-sr",     "element-invisible",  NULL};

/* Is the class token t (n bytes) one of sr_classes? */
static int sr_token(const char *t, size_t n)
{
	return token_in(t, n, sr_classes);
}

int wn_dom_sr_only(const xmlNode *n)
{
	return any_token(n->properties ? wn_dom_attr(n, "class") : NULL, sr_token);
}

/* ---------------------------------------------------------------------- */
/* tag classes: every tag list of the library with the classes (WN_TAG_*
 * bits) it is in, bucketed by first letter like the cues, since each
 * walk asks for each element. BLOCK: block-level; DROP: never article text
 * (scripts, media, form controls, navigation, ...), dropped before
 * scoring; DATESKIP: never read for the dateline (dateline.c). */

typedef struct tag {
	const char *name;
	unsigned bits; /* WN_TAG_* */
} tag;

static const tag tags_a[] = {{"address", WN_TAG_BLOCK},
                             {"article", WN_TAG_BLOCK},
                             {"aside", WN_TAG_BLOCK | WN_TAG_DROP | WN_TAG_DATESKIP},
                             {"audio", WN_TAG_DROP},
                             {0}};
static const tag tags_b[] = {{"blockquote", WN_TAG_BLOCK},
                             {"body", WN_TAG_BLOCK},
                             {"button", WN_TAG_DROP | WN_TAG_DATESKIP},
                             {0}};
static const tag tags_c[] = {
    {"canvas", WN_TAG_DROP}, {"caption", WN_TAG_BLOCK}, {"center", WN_TAG_BLOCK}, {0}};
static const tag tags_d[] = {{"dd", WN_TAG_BLOCK},
                             {"details", WN_TAG_BLOCK},
                             {"dialog", WN_TAG_BLOCK | WN_TAG_DROP},
                             {"div", WN_TAG_BLOCK},
                             {"dl", WN_TAG_BLOCK},
                             {"dt", WN_TAG_BLOCK},
                             {0}};
static const tag tags_e[] = {{"embed", WN_TAG_DROP}, {0}};
static const tag tags_f[] = {{"fieldset", WN_TAG_BLOCK},
                             {"figcaption", WN_TAG_BLOCK | WN_TAG_DROP | WN_TAG_DATESKIP},
                             {"figure", WN_TAG_BLOCK},
                             {"footer", WN_TAG_BLOCK | WN_TAG_DATESKIP},
                             {"form", WN_TAG_BLOCK | WN_TAG_DATESKIP},
                             {0}};
static const tag tags_h[] = {{"h1", WN_TAG_BLOCK},
                             {"h2", WN_TAG_BLOCK},
                             {"h3", WN_TAG_BLOCK},
                             {"h4", WN_TAG_BLOCK},
                             {"h5", WN_TAG_BLOCK},
                             {"h6", WN_TAG_BLOCK},
                             {"head", WN_TAG_DROP | WN_TAG_DATESKIP},
                             {"header", WN_TAG_BLOCK},
                             {"hr", WN_TAG_BLOCK},
                             {"html", WN_TAG_BLOCK},
                             {0}};
static const tag tags_i[] = {
    {"iframe", WN_TAG_DROP | WN_TAG_DATESKIP}, {"input", WN_TAG_DROP}, {0}};
static const tag tags_l[] = {
    {"label", WN_TAG_DROP}, {"li", WN_TAG_BLOCK}, {"link", WN_TAG_DROP}, {0}};
static const tag tags_m[] = {{"main", WN_TAG_BLOCK}, {"map", WN_TAG_DROP},  {"math", WN_TAG_DROP},
                             {"menu", WN_TAG_DROP},  {"meta", WN_TAG_DROP}, {0}};
static const tag tags_n[] = {{"nav", WN_TAG_BLOCK | WN_TAG_DROP | WN_TAG_DATESKIP},
                             {"noscript", WN_TAG_DROP | WN_TAG_DATESKIP},
                             {0}};
static const tag tags_o[] = {{"object", WN_TAG_DROP}, {"ol", WN_TAG_BLOCK}, {0}};
static const tag tags_p[] = {
    {"p", WN_TAG_BLOCK}, {"picture", WN_TAG_DROP}, {"pre", WN_TAG_BLOCK}, {0}};
static const tag tags_s[] = {{"script", WN_TAG_DROP | WN_TAG_DATESKIP}, {"section", WN_TAG_BLOCK},
                             {"select", WN_TAG_DROP | WN_TAG_DATESKIP}, {"source", WN_TAG_DROP},
                             {"style", WN_TAG_DROP | WN_TAG_DATESKIP},  {"summary", WN_TAG_BLOCK},
                             {"svg", WN_TAG_DROP | WN_TAG_DATESKIP},    {0}};
static const tag tags_t[] = {{"table", WN_TAG_BLOCK},
                             {"tbody", WN_TAG_BLOCK},
                             {"td", WN_TAG_BLOCK},
                             {"template", WN_TAG_DROP | WN_TAG_DATESKIP},
                             {"textarea", WN_TAG_DROP},
                             {"tfoot", WN_TAG_BLOCK},
                             {"th", WN_TAG_BLOCK},
                             {"thead", WN_TAG_BLOCK},
                             {"title", WN_TAG_DROP},
                             {"tr", WN_TAG_BLOCK},
                             {0}};
static const tag tags_u[] = {{"ul", WN_TAG_BLOCK}, {0}};
static const tag tags_v[] = {{"video", WN_TAG_DROP}, {0}};

static const tag *const tags_by_letter[26] = {
    ['a' - 'a'] = tags_a, ['b' - 'a'] = tags_b, ['c' - 'a'] = tags_c, ['d' - 'a'] = tags_d,
    ['e' - 'a'] = tags_e, ['f' - 'a'] = tags_f, ['h' - 'a'] = tags_h, ['i' - 'a'] = tags_i,
    ['l' - 'a'] = tags_l, ['m' - 'a'] = tags_m, ['n' - 'a'] = tags_n, ['o' - 'a'] = tags_o,
    ['p' - 'a'] = tags_p, ['s' - 'a'] = tags_s, ['t' - 'a'] = tags_t, ['u' - 'a'] = tags_u,
    ['v' - 'a'] = tags_v};

unsigned wn_tag_bits(const char *nm)
{
	if (nm[0] < 'a' || nm[0] > 'z')
		return 0;
	for (const tag *t = tags_by_letter[nm[0] - 'a']; t && t->name; t++)
		if (t->name[1] == nm[1] && wn_streq(t->name, nm))
			return t->bits;
	return 0;
}
