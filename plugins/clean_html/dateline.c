/*
 * The date a page shows in its byline or dateline, for pages whose
 * metadata has none. Candidates are elements whose class/id/itemprop says
 * date, time, posted, published, byline, meta (and <time> without a usable
 * datetime), plus a short date-only element right next to the headline.
 * The one nearest the headline wins; a candidate before the headline costs
 * double, because site header bars ("today's date") sit above it. Comments,
 * related lists, navigation, footers and sidebars are never looked at.
 */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The cue words are in dom.c: WN_CUE_DATE (where a page shows its date),
 * WN_CUE_SKIP (regions whose dates belong to other pages, other people or
 * the site) and WN_CUE_UPDATE (the modified date). */

/* Words that make the date after them the modified one. */
static const char *const update_words[] = {"updated",
                                           "update",
                                           "modified",
                                           "edited",
                                           "mis \xC3\xA0 jour",
                                           "modifi\xC3\xA9",
                                           "aktualisiert",
                                           "ge\xC3\xA4ndert",
                                           "actualizado",
                                           "actualizaci\xC3\xB3n",
                                           "aggiornato",
                                           "bijgewerkt",
                                           NULL};

enum { NEAR_AFTER = 4, NEAR_BEFORE = 2, MAX_COST = 40, PLAIN_MAX = 48, TEXT_MAX = 250 };

typedef struct dl {
	int dayfirst;
	xmlNode *anchor;
	long a_start, a_end; /* ordinals of the anchor and its last descendant */
	xmlNode *anc[64];    /* the anchor and its ancestors (nearest first) */
	size_t nanc;
	long pub_cost, mod_cost;
	char *pub, *mod;
} dl;

/* The WN_CUE_* bits of the class, id and itemprop of n. */
static int cue_attrs(const xmlNode *n)
{
	if (!n->properties) /* most elements have no attributes at all */
		return 0;
	return wn_cue_bits(wn_dom_attr(n, "class")) | wn_cue_bits(wn_dom_attr(n, "id")) |
	       wn_cue_bits(wn_dom_attr(n, "itemprop"));
}

static int is_anchor_line(const dl *x, const xmlNode *n)
{
	for (size_t i = 0; x && i < x->nanc; i++)
		if (x->anc[i] == n)
			return 1;
	return 0;
}

/* Is this subtree out of bounds (see the file comment)? A <header> counts
 * as the site's unless it holds the headline (or `header_ok`, while the
 * headline is still being looked for). */
static int skipped(const dl *x, const xmlNode *n, int header_ok)
{
	const char *nm = wn_dom_name(n);
	if ((wn_tag_bits(nm) & WN_TAG_DATESKIP) || wn_dom_hidden(n))
		return 1;
	if (is_anchor_line(x, n))
		return 0;
	return (!header_ok && wn_streq(nm, "header")) || (cue_attrs(n) & WN_CUE_SKIP);
}

/* Text of n into b without the skipped parts, stopping soon after `max`
 * bytes or 4096 nodes (so a cue on a page-wide wrapper, or on each of
 * thousands of nested empty elements, costs no more than a short one). */
static void text_upto(const dl *x, xmlNode *n, wn_buf *b, size_t max)
{
	int space = 0;
	long nodes = 0; /* empty nesting must not make this quadratic either */
	for (xmlNode *c = n; c && b->len <= max && nodes++ < 4096;) {
		if (c != n && c->type == XML_ELEMENT_NODE && skipped(x, c, 1)) {
			c = wn_dom_next(c, n, 1);
			continue;
		}
		if (c->type == XML_TEXT_NODE)
			wn_dom_add_collapsed(b, c->content, &space, max);
		c = wn_dom_next(c, n, 0);
	}
}

/* Is there an update word in text[from, to)? */
static int update_before(const char *text, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		for (const char *const *w = update_words; *w; w++)
			if (i + strlen(*w) <= to && !strncasecmp(text + i, *w, strlen(*w)))
				return 1;
	return 0;
}

static void keep(char **slot, long *best, long cost, const char *iso)
{
	if (*slot && *best <= cost)
		return;
	free(*slot);
	*slot = strdup(iso);
	*best = cost;
}

/* Offers the dates in an element's text at `cost`; 1 if any was found.
 * The first date is the publication unless an update word precedes it
 * (or the element itself says updated/modified: `is_update`); later dates
 * count only as updates ("Published 13 March, updated 14 March"). */
static int take_dates(dl *x, const char *text, long cost, int is_update)
{
	size_t off = 0, start, end;
	char iso[40];
	int found = 0, have_pub = 0;
	while (wn_clean_date_find(text + off, x->dayfirst, iso, sizeof iso, &start, &end)) {
		if (is_update || update_before(text, off, off + start))
			keep(&x->mod, &x->mod_cost, cost, iso);
		else if (!have_pub)
			keep(&x->pub, &x->pub_cost, cost, iso), have_pub = 1;
		found = 1;
		off += end;
	}
	return found;
}

static size_t norm_key(const char *s, char *k, size_t ksz)
{
	size_t o = 0;
	for (; *s && o + 1 < ksz; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c >= 0x80)
			k[o++] = (char)tolower(c);
	}
	k[o] = 0;
	return o;
}

/* Does the element's text equal the title (letters and digits only)? */
static int text_is(const dl *x, xmlNode *n, const char *tkey)
{
	wn_buf b;
	wn_buf_init(&b, 4095);
	text_upto(x, n, &b, 2048);
	char k[2048];
	int same = b.p && norm_key(b.p, k, sizeof k) && !strcmp(k, tkey);
	wn_buf_free(&b);
	return same;
}

/* The headline element: an <h1> with the title's text, else the element
 * holding a text node equal to the title, else the first <h1>. */
static xmlNode *find_anchor(dl *x, xmlNode *body, const char *title)
{
	char tkey[2048] = "";
	if (title)
		norm_key(title, tkey, sizeof tkey);
	xmlNode *h1 = NULL, *h1_same = NULL, *text_same = NULL;
	for (xmlNode *n = body; n && !h1_same;) {
		if (n->type == XML_ELEMENT_NODE && n != body && skipped(x, n, 1)) {
			n = wn_dom_next(n, body, 1);
			continue;
		}
		if (wn_streq(wn_dom_name(n), "h1")) {
			if (!h1)
				h1 = n;
			if (*tkey && text_is(x, n, tkey))
				h1_same = n;
		} else if (!text_same && *tkey && n->type == XML_TEXT_NODE && n->content &&
		           n->parent && !wn_streq(wn_dom_name(n->parent), "a")) {
			char k[2048];
			if (norm_key((const char *)n->content, k, sizeof k) && !strcmp(k, tkey))
				text_same = n->parent;
		}
		n = wn_dom_next(n, body, 0);
	}
	return h1_same ? h1_same : text_same ? text_same : h1;
}

/* Without a headline to measure from, only dates inside an <article> or
 * <main> (or microdata) are trusted. */
static int in_article(const xmlNode *n)
{
	for (int i = 0; n && i < 64; n = n->parent, i++) {
		const char *nm = wn_dom_name(n);
		if (wn_streq(nm, "article") || wn_streq(nm, "main") || wn_dom_attr(n, "itemprop"))
			return 1;
	}
	return 0;
}

/* The cost of a candidate at ordinal `ord`, or -1 when it is too far. */
static long cost_of(const dl *x, const xmlNode *n, long ord, int cue)
{
	if (!x->anchor)
		return cue && in_article(n) ? ord : -1;
	long c;
	if (ord > x->a_end)
		c = ord - x->a_end;
	else if (ord < x->a_start)
		c = 2 * (x->a_start - ord);
	else
		c = 0;
	if (!cue) /* a bare date-only element must touch the headline */
		return (ord > x->a_end && ord - x->a_end <= NEAR_AFTER) ||
		               (ord < x->a_start && x->a_start - ord <= NEAR_BEFORE)
		           ? c
		           : -1;
	return c <= MAX_COST ? c : -1;
}

/* Looks at one element; returns 1 when its subtree is done with. */
static int visit(dl *x, xmlNode *n, long ord)
{
	int bits = cue_attrs(n);
	int cue = wn_streq(wn_dom_name(n), "time") || (bits & WN_CUE_DATE);
	long cost = cost_of(x, n, ord, cue);
	if (cost < 0)
		return 0;
	wn_buf b;
	wn_buf_init(&b, TEXT_MAX + 63);
	text_upto(x, n, &b, TEXT_MAX);
	int done = 0;
	if (b.p && b.len <= (cue ? TEXT_MAX : PLAIN_MAX)) {
		done = take_dates(x, b.p, cost, (bits & WN_CUE_UPDATE) != 0);
	}
	wn_buf_free(&b);
	return done;
}

/* Walks the body in document order over what is not skipped, numbering
 * the elements. First pass (`visit_too` 0): the anchor's ordinals. Second
 * pass: the candidates. */
static void walk(dl *x, xmlNode *body, int visit_too)
{
	long ord = 0;
	const xmlNode *after_anchor = NULL; /* the node that follows its subtree */
	for (xmlNode *n = body; n;) {
		if (n == after_anchor && !visit_too)
			x->a_end = ord;
		if (n->type != XML_ELEMENT_NODE || n == body) {
			n = wn_dom_next(n, body, 0);
			continue;
		}
		if (skipped(x, n, 0)) {
			n = wn_dom_next(n, body, 1);
			continue;
		}
		ord++;
		if (n == x->anchor && !visit_too) {
			x->a_start = ord;
			after_anchor = wn_dom_next(n, body, 1);
		}
		int done = visit_too && n != x->anchor && visit(x, n, ord);
		n = wn_dom_next(n, body, done);
	}
	if (!visit_too && x->a_end < x->a_start)
		x->a_end = ord; /* the anchor ends the page */
}

int wn_dateline_find(xmlDoc *doc, const char *title, int dayfirst, char *pub, char *mod)
{
	pub[0] = mod[0] = 0;
	xmlNode *root = xmlDocGetRootElement(doc), *body = root;
	for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
		if (wn_streq(wn_dom_name(c), "body"))
			body = c;
	if (!body)
		return 0;
	dl x;
	memset(&x, 0, sizeof x);
	x.dayfirst = dayfirst;
	x.anchor = find_anchor(&x, body, title);
	for (xmlNode *a = x.anchor; a && x.nanc < 64; a = a->parent)
		x.anc[x.nanc++] = a;
	if (x.anchor)
		walk(&x, body, 0);
	walk(&x, body, 1);
	if (x.pub)
		snprintf(pub, 40, "%s", x.pub);
	if (x.mod)
		snprintf(mod, 40, "%s", x.mod);
	free(x.pub);
	free(x.mod);
	return pub[0] || mod[0];
}
