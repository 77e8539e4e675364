/*
 * Main-content extraction.
 *
 * The approach is the one the best extractors share (Readability, its
 * descendants): drop what can never be article text (scripts, hidden
 * elements, navigation, widgets recognised by class/id cue words), score
 * every paragraph by length and commas and credit the score to its
 * ancestors, pick the best-scoring container scaled by its link density,
 * merge the siblings that look like more of the same article, then write
 * the blocks of what was picked, cleaning out link-dense or form-like
 * sub-blocks on the way.
 *
 * Each element gets a stats record (via node->_private) computed in one
 * post-order pass, so every decision afterwards is O(1) per node and the
 * whole thing stays linear. All walks are iterative: a page with 100,000
 * nested tags costs time, never stack.
 */
#include "content.h"
#include "text_norm.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Stats records, allocated a chunk at a time as the elements are met (a
 * walk to count them first cost as much as a pass); never moved, since
 * node->_private points at them. */
#define STAT_CHUNK 1024
typedef struct stat_chunk {
	struct stat_chunk *next;
	size_t n;
	nstat s[STAT_CHUNK];
} stat_chunk;

typedef struct ex {
	const wn_clean_opts *o;
	xmlNode *body;
	stat_chunk *stats, *last; /* first and last chunk */
	xmlNode **cands;
	size_t ncands, capcands;
	char *byline;
	wn_buf out;
	int pending; /* separator owed before the next text: 0, 1 space, 2 \n, 3 \n\n, 4 \t */
	int pre;     /* inside <pre> */
	const xmlNode *last_text; /* the text node written last (emit_text) */
	wn_blockset *bs;          /* blocks, marked as the rule output is written */
	char *title;              /* normalised page title (see norm_key), or NULL */
	const char *title_raw;
	size_t title_chars;
} ex;

/* A comparison key: lower-case letters and digits only (non-ASCII bytes
 * kept as they are), so punctuation and spacing differences vanish. */
static char *norm_key(const char *s, size_t limit)
{
	size_t n = strlen(s);
	char *k = malloc(n + 1), *o = k;
	if (!k)
		return NULL;
	for (; *s && (size_t)(o - k) < limit; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c >= 0x80)
			*o++ = (char)tolower(c);
	}
	*o = 0;
	return k;
}

/* ---------------------------------------------------------------------- */
/* tag classes */

/* (the lists are in dom.c: wn_tag_bits) */

int wn_is_drop_tag(const char *nm)
{
	return (wn_tag_bits(nm) & WN_TAG_DROP) != 0;
}

int wn_is_block_tag(const char *nm)
{
	return (wn_tag_bits(nm) & WN_TAG_BLOCK) != 0;
}

static int is_heading(const char *nm)
{
	return nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2];
}

/* ---------------------------------------------------------------------- */
/* class/id cues: matched per word of the attribute ("post-body" ->
 * "post", "body"); the lists are in dom.c (wn_cue_bits). */

/* Which of the extraction's cue lists do the words of attribute value s
 * hit? (this runs for every element) */
int wn_attr_cues(const char *s)
{
	return wn_cue_bits(s) & (CUE_NEG | CUE_POS | CUE_BYLINE | CUE_COMMENT | CUE_CAPTION);
}

/* Readability's class weight: +-25 per attribute (class, id), plus ARIA
 * roles and microdata. *cues gets the union of both attributes' cues. */
static int class_weight(const xmlNode *n, int *cues)
{
	int w = 0;
	*cues = 0;
	if (!n->properties) /* most elements have no attributes at all */
		return 0;
	const char *attrs[2] = {wn_dom_attr(n, "class"), wn_dom_attr(n, "id")};
	for (int i = 0; i < 2; i++) {
		if (!attrs[i])
			continue;
		int bits = wn_attr_cues(attrs[i]);
		if (bits & CUE_NEG)
			w -= 25;
		if (bits & CUE_POS)
			w += 25;
		*cues |= bits;
	}
	const char *role = wn_dom_attr(n, "role");
	if (role && (wn_streq(role, "main") || wn_streq(role, "article")))
		w += 25;
	if (role && (wn_streq(role, "navigation") || wn_streq(role, "complementary") ||
	             wn_streq(role, "banner") || wn_streq(role, "contentinfo") ||
	             wn_streq(role, "dialog") || wn_streq(role, "alert") || wn_streq(role, "menu")))
		w -= 25;
	const char *ip = wn_dom_attr(n, "itemprop");
	if (ip && (strstr(ip, "articleBody") || strstr(ip, "text")))
		w += 25;
	return w;
}

/* ---------------------------------------------------------------------- */
/* pass 1: count elements, attach stats, mark hard drops */

/* A zeroed stats record, or NULL when out of memory. */
static nstat *new_stat(ex *x)
{
	if (!x->last || x->last->n == STAT_CHUNK) {
		stat_chunk *c = calloc(1, sizeof *c);
		if (!c)
			return NULL;
		if (x->last)
			x->last->next = c;
		else
			x->stats = c;
		x->last = c;
	}
	return &x->last->s[x->last->n++];
}

static int attach_stats(ex *x, xmlNode *root)
{
	xmlNode *n = root;
	while (n) {
		if (n->type != XML_ELEMENT_NODE) {
			n = wn_dom_next(n, root, 1);
			continue;
		}
		nstat *s = new_stat(x);
		if (!s)
			return -1;
		n->_private = s;
		unsigned tb = wn_tag_bits(wn_dom_name(n));
		if (tb & WN_TAG_BLOCK)
			s->flags |= NF_BLOCK;
		if ((tb & WN_TAG_DROP) || wn_dom_hidden(n) || wn_dom_sr_only(n)) {
			s->flags |= NF_DROP;
			n = wn_dom_next(n, root, 1); /* descendants keep _private NULL */
			continue;
		}
		int cues;
		s->weight = class_weight(n, &cues);
		s->cues = (uint8_t)cues;
		n = wn_dom_next(n, root, 0);
	}
	return 0;
}

/* Text measures of one text node: characters (whitespace runs count one)
 * and commas (ASCII and CJK). */
static void text_measure(const unsigned char *p, uint32_t *chars, uint32_t *commas)
{
	uint32_t c = 0, k = 0;
	int space = 1;
	for (; p && *p; p++) {
		if (isspace(*p)) {
			if (!space)
				c++;
			space = 1;
			continue;
		}
		space = 0;
		if ((*p & 0xC0) != 0x80)
			c++;
		if (*p == ',')
			k++;
		else if (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8C) /* U+FF0C */
			k++;
		else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x81) /* U+3001 */
			k++;
	}
	*chars = c;
	*commas = k;
}

/* Adds the finished element n's totals to its parent. */
static void close_elem(xmlNode *n)
{
	nstat *s = ST(n);
	if (!s || (s->flags & NF_DROP))
		return;
	const char *nm = wn_dom_name(n);
	if (wn_streq(nm, "a"))
		s->link = s->text;
	else if (wn_streq(nm, "p"))
		s->p++;
	else if (wn_streq(nm, "img"))
		s->img++;
	else if (wn_streq(nm, "li"))
		s->li++;
	else if (wn_streq(nm, "input") || wn_streq(nm, "select") || wn_streq(nm, "textarea"))
		s->input++;
	else if (wn_streq(nm, "embed") || wn_streq(nm, "object") || wn_streq(nm, "iframe"))
		s->embed++;
	xmlNode *par = n->parent;
	nstat *ps = par && par->type == XML_ELEMENT_NODE ? ST(par) : NULL;
	if (!ps)
		return;
	ps->text += s->text;
	ps->link += s->link;
	ps->commas += s->commas;
	ps->p += s->p;
	ps->img += s->img;
	ps->li += s->li;
	ps->input += s->input;
	ps->embed += s->embed;
	if (s->flags & NF_BLOCK) {
		ps->flags |= NF_HASBLK;
	} else {
		ps->own += s->own;
		ps->own_commas += s->own_commas;
	}
}

/* Drop-tagged elements still count their inputs and embeds (forms and
 * video players are what conditional cleaning looks for). */
static void count_dropped(xmlNode *n)
{
	nstat *ps = n->parent ? ST(n->parent) : NULL;
	if (!ps)
		return;
	const char *nm = wn_dom_name(n);
	if (wn_streq(nm, "input") || wn_streq(nm, "select") || wn_streq(nm, "textarea"))
		ps->input++;
	else if (wn_streq(nm, "embed") || wn_streq(nm, "object") || wn_streq(nm, "iframe") ||
	         wn_streq(nm, "video"))
		ps->embed++;
}

/* pass 2: post-order accumulation without recursion */
static void accumulate(xmlNode *root)
{
	xmlNode *n = root;
	for (;;) {
		nstat *s = n->type == XML_ELEMENT_NODE ? ST(n) : NULL;
		if (s && !(s->flags & NF_DROP) && n->children) {
			n = n->children;
			continue;
		}
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			nstat *ps = n->parent ? ST(n->parent) : NULL;
			if (ps) {
				uint32_t c, k;
				text_measure(n->content, &c, &k);
				ps->text += c, ps->own += c;
				ps->commas += k, ps->own_commas += k;
			}
		} else if (s && (s->flags & NF_DROP)) {
			count_dropped(n);
		} else if (s) {
			close_elem(n);
		}
		while (n != root && !n->next) {
			n = n->parent;
			close_elem(n);
		}
		if (n == root)
			break;
		n = n->next;
	}
}

static double link_density(const nstat *s)
{
	return s->text ? (double)s->link / s->text : 0.0;
}

/* ---------------------------------------------------------------------- */
/* pass 3: soft drops (cue words, structural boilerplate) and bylines */

static void keep_byline(ex *x, xmlNode *n)
{
	if (x->byline)
		return;
	wn_buf b;
	wn_buf_init(&b, 511);
	wn_dom_shown_lines(n, &b);
	if (b.p && b.len > 2 && b.len < 200)
		x->byline = wn_buf_take(&b);
	wn_buf_free(&b);
}

/* Does the element's text start like a byline ("By Jane Doe", "Story:
 * Jane Doe", "Von Jane Doe")? Checked
 * only on short elements, so the first text node is enough. */
static int starts_with_by(xmlNode *n)
{
	for (xmlNode *c = n; c; c = wn_dom_next(c, n, 0)) {
		if (c->type != XML_TEXT_NODE || !c->content)
			continue;
		const unsigned char *p = c->content;
		while (isspace(*p))
			p++;
		if (!*p)
			continue;
		/* "By Jane", or "by " / "By" with the name in the next element */
		size_t lead = wn_author_lead_in((const char *)p);
		int name_next = c->next && c->next->type == XML_ELEMENT_NODE;
		return (lead && (isupper(p[lead]) || (!p[lead] && name_next))) ||
		       ((p[0] == 'B' || p[0] == 'b') && (p[1] == 'y' || p[1] == 'Y') && !p[2] &&
		        name_next);
	}
	return 0;
}

/* The first element at or after n (in document order, within root) that
 * has statistics and is not dropped: a dropped element's subtree is
 * skipped whole. NULL at the end. The one walk of the passes below. */
static xmlNode *next_live(xmlNode *n, const xmlNode *root)
{
	while (n && (n->type != XML_ELEMENT_NODE || !ST(n) || (ST(n)->flags & NF_DROP)))
		n = wn_dom_next(n, root, 1);
	return n;
}

/* Is element n (statistics s) a byline: byline cues, a short block
 * starting "By Jane Doe", or rel=author? */
static int is_byline(xmlNode *n, const nstat *s)
{
	return s->text < 200 &&
	       ((s->cues & CUE_BYLINE) ||
	        (s->text < 100 && !(s->flags & NF_HASBLK) && (s->flags & NF_BLOCK) &&
	         starts_with_by(n)) ||
	        (wn_dom_attr(n, "rel") && wn_cue_match(wn_dom_attr(n, "rel"), "author")));
}

/* An article's own <header> (one under <article> or <main>) goes with the
 * page's headers, but it is where the article's byline sits (WordPress
 * and most themes: headline, date, "by Jane Doe"). The first byline in
 * it is kept for the author field; it is not flagged, as the header's
 * blocks are judged as header blocks either way. */
static void header_byline(ex *x, xmlNode *h)
{
	const xmlNode *a = h->parent;
	while (a && a->type == XML_ELEMENT_NODE && !wn_streq(wn_dom_name(a), "article") &&
	       !wn_streq(wn_dom_name(a), "main"))
		a = a->parent;
	if (!a || a->type != XML_ELEMENT_NODE)
		return;
	for (xmlNode *n = next_live(h->children, h); n && !x->byline;
	     n = next_live(wn_dom_next(n, h, 0), h))
		if (is_byline(n, ST(n)))
			keep_byline(x, n);
}

/* Is element n (an <a>) a link to an author's page whose text is the
 * name its address spells, <a href="/authors/jane-doe-2">Jane Doe</a>?
 * The words of the slug (letters only: "2" is an id) must all be in the
 * text, so "/authors/" ("Our authors") and a handle ("/author/jd") are
 * not. */
static int author_link(xmlNode *n, const char *text)
{
	const char *href = wn_dom_attr(n, "href");
	const char *p = href ? strstr(href, "/author") : NULL;
	if (!p)
		return 0;
	p += 7;
	p += *p == 's';
	if (*p++ != '/')
		return 0;
	int words = 0;
	while (*p && !strchr("/?#", *p)) {
		size_t k = strcspn(p, "-_+./?#");
		int alpha = k > 0;
		for (size_t i = 0; i < k; i++)
			alpha &= isalpha((unsigned char)p[i]) != 0;
		if (alpha) {
			char word[96]; /* longer than any text read here (80 bytes) */
			if (k >= sizeof word)
				return 0;
			memcpy(word, p, k);
			word[k] = 0;
			const char *t = text;
			int found = 0;
			while (!found && (t = strcasestr(t, word)) != NULL) {
				found = (t == text || !isalnum((unsigned char)t[-1])) &&
				        !isalnum((unsigned char)t[k]);
				t++;
			}
			if (!found)
				return 0;
			words++;
		}
		p += k;
		if (*p && strchr("-_+.", *p))
			p++;
	}
	return words > 0;
}

/* Does element n's text read as a person's name (wn_author_name_like)? */
static int name_text(xmlNode *n)
{
	wn_buf b;
	wn_buf_init(&b, 255);
	wn_dom_text(n, &b);
	int ok = b.p && wn_author_name_like(b.p);
	wn_buf_free(&b);
	return ok;
}

/* The page's byline where no cue marked it: a link to the author's page
 * (author_link), or a label element ("Written by", "Author") followed by
 * an element holding a name ("<p>Written by</p><p>Jane Doe</p>"). The
 * first in document order; read for the author field only, the text is
 * judged as before. */
static void unmarked_byline(ex *x)
{
	for (xmlNode *n = x->body; n && !x->byline; n = wn_dom_next(n, x->body, 0)) {
		if (n->type != XML_ELEMENT_NODE || !n->children)
			continue;
		const char *nm = wn_dom_name(n);
		if (wn_streq(nm, "script") || wn_streq(nm, "style"))
			continue;
		xmlNode *c = n->children;
		if (c->next || c->type != XML_TEXT_NODE || !c->content ||
		    strlen((const char *)c->content) > 80)
			continue; /* labels and names are one short text */
		const char *text = (const char *)c->content;
		if (wn_streq(nm, "a") && author_link(n, text) && wn_author_name_like(text)) {
			keep_byline(x, n);
		} else if (wn_author_label(text)) {
			xmlNode *next = n->next;
			while (next && next->type != XML_ELEMENT_NODE)
				next = next->next;
			if (next && ST(next) && ST(next)->text > 2 && ST(next)->text < 80 &&
			    name_text(next))
				keep_byline(x, next);
		}
	}
}

static void soft_drops(ex *x)
{
	xmlNode *root = x->body;
	uint32_t total = ST(root)->text ? ST(root)->text : 1;
	int drop = 0;
	for (xmlNode *n = next_live(root, root); n;
	     n = next_live(wn_dom_next(n, root, drop), root)) {
		nstat *s = ST(n);
		const char *nm = wn_dom_name(n);
		int big = s->text * 10 > total * 6; /* holds most of the page: never junk */
		drop = 0;
		if (n != root && !big) {
			if (wn_streq(nm, "header")) {
				header_byline(x, n); /* before its subtree is skipped */
				drop = 1;
			} else if (wn_streq(nm, "footer") || wn_streq(nm, "form")) {
				drop = 1;
			} else if (!wn_streq(nm, "article") && !wn_streq(nm, "main") &&
			           (s->cues & CUE_NEG) && !(s->cues & CUE_POS)) {
				drop = 1;
			}
			if (is_byline(n, s)) {
				s->flags |= NF_BYLINE;
				keep_byline(x, n);
				drop = 1;
			}
		}
		if (drop)
			s->flags |= NF_DROP; /* and its subtree is skipped */
	}
}

/* Subtracts dropped subtrees from their ancestors' totals by recomputing:
 * cheaper to rerun the linear accumulation than to patch ancestor chains. */
static void reaccumulate(ex *x)
{
	for (stat_chunk *c = x->stats; c; c = c->next)
		for (size_t i = 0; i < c->n; i++) {
			nstat *s = &c->s[i];
			int keep = s->flags & (NF_DROP | NF_BLOCK | NF_BYLINE | NF_CORE);
			int w = s->weight;
			uint8_t cues = s->cues;
			memset(s, 0, sizeof *s);
			s->flags = keep;
			s->weight = w;
			s->cues = cues;
		}
	accumulate(x->body);
}

/* ---------------------------------------------------------------------- */
/* pass 4: scoring */

static int add_cand(ex *x, xmlNode *n)
{
	nstat *s = ST(n);
	if (s->flags & NF_CAND)
		return 0;
	s->flags |= NF_CAND;
	const char *nm = wn_dom_name(n);
	double base = 0;
	if (wn_streq(nm, "div") || wn_streq(nm, "article") || wn_streq(nm, "main"))
		base = 5;
	else if (wn_streq(nm, "pre") || wn_streq(nm, "td") || wn_streq(nm, "blockquote"))
		base = 3;
	else if (wn_streq(nm, "address") || wn_streq(nm, "ol") || wn_streq(nm, "ul") ||
	         wn_streq(nm, "dl") || wn_streq(nm, "dd") || wn_streq(nm, "dt") ||
	         wn_streq(nm, "li") || wn_streq(nm, "form"))
		base = -3;
	else if (is_heading(nm) || wn_streq(nm, "th"))
		base = -5;
	s->score = base + s->weight;
	if (x->ncands == x->capcands) {
		size_t cap = x->capcands ? x->capcands * 2 : 64;
		xmlNode **c = realloc(x->cands, cap * sizeof *c);
		if (!c)
			return -1;
		x->cands = c;
		x->capcands = cap;
	}
	x->cands[x->ncands++] = n;
	return 0;
}

/* Credits one paragraph's score to up to five ancestors, starting at
 * `first` (the paragraph's parent, or the container itself for loose text
 * directly inside a div). */
static int credit(ex *x, xmlNode *first, uint32_t len, uint32_t commas)
{
	double score = 1 + commas + fmin(floor(len / 100.0), 3);
	int level = 0;
	for (xmlNode *a = first; a && a->type == XML_ELEMENT_NODE && level < 5;
	     a = a->parent, level++) {
		if (!ST(a))
			break;
		if (add_cand(x, a))
			return -1;
		double div = level == 0 ? 1 : level == 1 ? 2 : level * 3;
		ST(a)->score += score / div;
		if (a == x->body)
			break;
	}
	return 0;
}

static int score_paragraphs(ex *x)
{
	xmlNode *root = x->body;
	uint32_t min = (uint32_t)(x->o->min_text > 0 ? x->o->min_text : 0);
	for (xmlNode *n = next_live(root, root); n; n = next_live(wn_dom_next(n, root, 0), root)) {
		nstat *s = ST(n);
		const char *nm = wn_dom_name(n);
		int para = wn_streq(nm, "p") || wn_streq(nm, "pre") || wn_streq(nm, "td");
		if (para) {
			s->flags |= NF_PARA;
			if (s->text >= min && n->parent && credit(x, n->parent, s->text, s->commas))
				return -1;
		} else if ((s->flags & NF_BLOCK) && s->own >= min && !wn_streq(nm, "li") &&
		           !is_heading(nm) && n != root) {
			/* loose text in a container: a paragraph whose parent is n */
			s->flags |= NF_PARA;
			if (credit(x, n, s->own, s->own_commas))
				return -1;
		}
	}
	return 0;
}

/* Chooses the top candidate, Readability-style. */
static xmlNode *pick_top(ex *x)
{
	xmlNode *top = NULL;
	for (size_t i = 0; i < x->ncands; i++) {
		nstat *s = ST(x->cands[i]);
		s->score *= 1.0 - link_density(s);
		if (!top || s->score > ST(top)->score)
			top = x->cands[i];
	}
	if (!top)
		return x->body;
	/* Several near-best candidates below one ancestor: the article is
	 * split in sections, so take the ancestor. */
	double ts = ST(top)->score;
	xmlNode *alt[5];
	int nalt = 0;
	for (size_t i = 0; i < x->ncands && nalt < 5; i++)
		if (x->cands[i] != top && ST(x->cands[i])->score >= ts * 0.75)
			alt[nalt++] = x->cands[i];
	if (nalt >= 3) {
		for (xmlNode *a = top->parent; a && a != x->body && a->type == XML_ELEMENT_NODE;
		     a = a->parent) {
			int in = 0;
			for (int i = 0; i < nalt; i++)
				for (xmlNode *b = alt[i]; b; b = b->parent)
					if (b == a) {
						in++;
						break;
					}
			/* ...unless that ancestor is mostly other stuff (links,
			 * chrome): then its own score has fallen far behind */
			if (in >= 3 && ST(a) && ST(a)->score >= ts / 3) {
				top = a;
				break;
			}
		}
	}
	/* Climb while the parent scores better (it holds more of the text). */
	double last = ST(top)->score;
	for (xmlNode *a = top->parent; a && a != x->body && a->type == XML_ELEMENT_NODE;
	     a = a->parent) {
		nstat *as = ST(a);
		if (!as || !(as->flags & NF_CAND))
			continue;
		if (as->score < last / 3)
			break;
		if (as->score > last) {
			top = a;
			break;
		}
		last = as->score;
	}
	/* Whatever wraps the best container is never cleaned away (a wrapper
	 * with two video embeds must not take the article with it). */
	for (xmlNode *a = top; a && a->type == XML_ELEMENT_NODE && ST(a); a = a->parent)
		ST(a)->flags |= NF_CORE;
	/* An only child says nothing: its parent is the real container. */
	while (top->parent && top->parent != x->body && top->parent->type == XML_ELEMENT_NODE) {
		int elems = 0;
		for (xmlNode *c = top->parent->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && ST(c) && !(ST(c)->flags & NF_DROP))
				elems++;
		if (elems != 1)
			break;
		top = top->parent;
	}
	return top;
}

/* Does sibling `sib` of `top` belong to the article? */
static int sibling_belongs(xmlNode *top, xmlNode *sib)
{
	nstat *s = ST(sib), *t = ST(top);
	if (!s || (s->flags & NF_DROP))
		return 0;
	double threshold = fmax(10, t->score * 0.2);
	double bonus = 0;
	const char *tc = wn_dom_attr(top, "class"), *sc = wn_dom_attr(sib, "class");
	if (tc && sc && *tc && !strcmp(tc, sc))
		bonus = t->score * 0.2;
	if ((s->flags & NF_CAND) && s->score + bonus >= threshold)
		return 1;
	const char *nm = wn_dom_name(sib);
	if (wn_streq(nm, "p") || (s->flags & NF_PARA)) {
		double ld = link_density(s);
		if (s->text > 80 && ld < 0.25)
			return 1;
		if (s->text > 0 && s->text <= 80 && ld == 0) {
			/* a short sentence: ends with a full stop */
			wn_buf b;
			wn_buf_init(&b, 1023);
			wn_dom_text(sib, &b);
			int ok = b.p && (strstr(b.p, ". ") || (b.len && b.p[b.len - 1] == '.'));
			wn_buf_free(&b);
			return ok;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* output */

/* Readability's conditional cleaning: is this sub-block of the article
 * junk (link lists, forms, image galleries, embeds)? */
static int junk_block(const ex *x, xmlNode *n)
{
	nstat *s = ST(n);
	if (s->flags & NF_CORE)
		return 0;
	const char *nm = wn_dom_name(n);
	int is_list = wn_streq(nm, "ul") || wn_streq(nm, "ol") || wn_streq(nm, "dl");
	int is_table = wn_streq(nm, "table");
	if (is_table) /* data tables are short on prose; only link grids are junk */
		return !x->o->keep_tables || link_density(s) > 0.5 || s->weight < 0;
	if (is_list && !x->o->keep_lists)
		return 1;
	if (!is_list && !is_table && !wn_streq(nm, "div") && !wn_streq(nm, "section") &&
	    !wn_streq(nm, "form") && !wn_streq(nm, "fieldset") && !wn_streq(nm, "figure") &&
	    !wn_streq(nm, "p"))
		return 0;
	double ld = link_density(s);
	int w = s->weight;
	if (w + ((s->flags & NF_CAND) ? s->score : 0) < 0)
		return 1;
	if (wn_streq(nm, "p"))
		return ld > 0.6;
	if (s->commas >= 10)
		return 0;
	int p = (int)s->p, img = (int)s->img, li = (int)s->li - 100, input = (int)s->input;
	int fig = wn_streq(nm, "figure");
	if (img > 1 && (double)p / img < 0.5 && !fig)
		return 1;
	if (!is_list && li > p)
		return 1;
	if (input > p / 3)
		return 1;
	if (!is_list && s->text < 25 && (img == 0 || img > 2) && !fig)
		return 1;
	if (is_list && ld > 0.5)
		return 1;
	if (!is_list && w < 25 && ld > 0.2)
		return 1;
	if (w >= 25 && ld > 0.5)
		return 1;
	if ((s->embed == 1 && s->text < 75) || s->embed > 1)
		return 1;
	return 0;
}

/* Raises the separator owed; a tab (between cells) never overrides a
 * line or paragraph break, but breaks override a tab. */
static void want(ex *x, int sep)
{
	if (sep == 4) {
		if (x->pending <= 1)
			x->pending = 4;
	} else if (sep > x->pending || (x->pending == 4 && sep > 1)) {
		x->pending = sep;
	}
}

static void flush_sep(ex *x)
{
	if (!x->out.len) {
		x->pending = 0;
		return;
	}
	switch (x->pending) {
	case 1:
		wn_buf_addc(&x->out, ' ');
		break;
	case 2:
		wn_buf_addc(&x->out, '\n');
		break;
	case 3:
		wn_buf_add(&x->out, "\n\n", 2);
		break;
	case 4:
		wn_buf_addc(&x->out, '\t');
		break;
	}
	x->pending = 0;
}

/* Writes text node t with its white space collapsed (kept in <pre>),
 * after the separator owed; a space between it and the text before when
 * the two only touch across a tag (wn_dom_words_touch). */
static void emit_text(ex *x, const xmlNode *t)
{
	const unsigned char *p = t->content;
	if (p && *p && !x->pending && !x->pre && x->out.len &&
	    wn_dom_words_touch(x->last_text, x->out.p[x->out.len - 1], t))
		want(x, 1);
	if (p && *p)
		x->last_text = t;
	while (p && *p) {
		if (!x->pre && isspace(*p)) {
			want(x, 1);
			p++;
			continue;
		}
		if (x->pre && *p == '\n') {
			want(x, 2);
			p++;
			continue;
		}
		if (x->pending)
			flush_sep(x);
		/* the bytes up to the next separator in one copy */
		const unsigned char *q = p + 1;
		while (*q && (x->pre ? *q != '\n' : !isspace(*q)))
			q++;
		wn_dom_add_bytes(&x->out, p, (size_t)(q - p));
		p = q;
	}
}

/* Separator owed around element nm. */
static int elem_sep(const char *nm, int flags)
{
	if (wn_streq(nm, "br"))
		return 2;
	if (wn_streq(nm, "td") || wn_streq(nm, "th"))
		return 4;
	if (wn_streq(nm, "tr") || wn_streq(nm, "dt") || wn_streq(nm, "dd"))
		return 2;
	if (flags & NF_BLOCK)
		return 3;
	return 0;
}

/* Is this short leaf block a repeat of the page title (which goes to
 * metadata, not text)? Only blocks of about the title's length are read. */
static int is_title_repeat(const ex *x, xmlNode *n)
{
	nstat *s = ST(n);
	if (!x->title || (s->flags & NF_HASBLK) || s->text > x->title_chars * 3 / 2 + 8 ||
	    s->text * 3 < x->title_chars * 2)
		return 0;
	wn_buf b;
	wn_buf_init(&b, 4095);
	wn_dom_text(n, &b);
	char *k = b.p ? norm_key(b.p, 4096) : NULL;
	wn_buf_free(&b);
	if (!k)
		return 0;
	size_t kl = strlen(k), tl = strlen(x->title);
	int same = kl && (!strcmp(k, x->title) ||
	                  (kl * 5 >= tl * 4 && (strstr(x->title, k) || strstr(k, x->title))));
	free(k);
	return same;
}

/* The longest dateline, in characters. */
enum { DATELINE_MAX = 80 };

/* One word of a dateline? Numbers, times, month and day names (English),
 * am/pm, time zones, and the verbs that introduce a date. */
static int dateline_word(const char *w, size_t n, int upper)
{
	static const char *const words[] = {
	    "jan",       "feb",      "mar",      "apr",       "may",    "jun",     "jul",
	    "aug",       "sep",      "sept",     "oct",       "nov",    "dec",     "mon",
	    "tue",       "tues",     "wed",      "thu",       "thur",   "thurs",   "fri",
	    "sat",       "sun",      "am",       "pm",        "a",      "m",       "p",
	    "on",        "at",       "updated",  "published", "posted", "last",    "modified",
	    "january",   "february", "march",    "april",     "june",   "july",    "august",
	    "september", "october",  "november", "december",  "monday", "tuesday", "wednesday",
	    "thursday",  "friday",   "saturday", "sunday",    "st",     "nd",      "rd",
	    "th",        "utc",      "gmt",      NULL};
	size_t digits = 0;
	for (size_t i = 0; i < n; i++)
		digits += isdigit((unsigned char)w[i]) != 0;
	if (digits == n)
		return 1;
	if (upper && n >= 2 && n <= 4) /* EST, CET, BST */
		return 1;
	for (const char *const *p = words; *p; p++)
		if (strlen(*p) == n && !strncmp(*p, w, n))
			return 1;
	return 0;
}

/* Is text p only a date ("Nov. 20, 2019 5:52 AM EST", "Updated 5:27 am,
 * Wednesday, November 20, 2019"): 3 words or more, a year among them,
 * nine in ten of them dateline words? */
static int dateline_text(const char *p)
{
	int words = 0, datey = 0, year = 0;
	while (p && *p) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		char w[16];
		size_t k = 0;
		int upper = 1;
		while (*p && isalnum((unsigned char)*p)) {
			upper &= isupper((unsigned char)*p) != 0;
			if (k < sizeof w)
				w[k] = (char)tolower((unsigned char)*p);
			k++, p++;
		}
		if (!k)
			break;
		words++;
		if (k <= sizeof w && dateline_word(w, k, upper))
			datey++;
		if (k == 4 && (!strncmp(w, "19", 2) || !strncmp(w, "20", 2)) &&
		    isdigit((unsigned char)w[2]))
			year = 1;
	}
	return year && words >= 3 && datey * 10 >= words * 9;
}

/* Can an element named nm with `chars` characters of text be a dateline?
 * Short, and no table cell: a table cell holding a date is data. */
static int dateline_sized(const char *nm, uint32_t chars)
{
	return chars >= 6 && chars <= DATELINE_MAX && !wn_streq(nm, "td") && !wn_streq(nm, "th");
}

/* A short block element that is only a date (dateline_text): metadata,
 * not text. */
static int is_dateline(xmlNode *n)
{
	nstat *s = ST(n);
	if ((s->flags & NF_HASBLK) || !dateline_sized(wn_dom_name(n), s->text))
		return 0;
	/* a date is a few inline nodes; a short text at the bottom of a deep
	 * tree is not one, and walking that tree for each of its levels would
	 * cost depth squared (100,000 nested tags: minutes) */
	int nodes = 0;
	for (xmlNode *c = n; c; c = wn_dom_next(c, n, 0))
		if (++nodes > 64)
			return 0;
	wn_buf b;
	wn_buf_init(&b, 511);
	wn_dom_text(n, &b);
	int date = dateline_text(b.p);
	wn_buf_free(&b);
	return date;
}

/* Is block element n a title repeat or a dateline (metadata, not text)?
 * Remembered in its flags: the rule output and the kept blocks' output
 * both ask, and the answer reads its text. */
static int is_meta_block(const ex *x, xmlNode *n)
{
	nstat *s = ST(n);
	if (!(s->flags & NF_META_SEEN))
		s->flags |= NF_META_SEEN | (is_title_repeat(x, n) || is_dateline(n) ? NF_META : 0);
	return (s->flags & NF_META) != 0;
}

static int skip_in_output(const ex *x, xmlNode *n, int is_root)
{
	nstat *s = ST(n);
	if (!s || (s->flags & NF_DROP))
		return 1;
	const char *nm = wn_dom_name(n);
	if ((s->flags & NF_BLOCK) && is_meta_block(x, n))
		return 1;
	if (wn_streq(nm, "h1") && !x->out.len)
		return 1; /* a leading h1 is the headline: metadata, not body */
	if (is_heading(nm))
		return !x->o->keep_headings || s->weight < 0 || link_density(s) > 0.5;
	if (!is_root && junk_block(x, n))
		return 1;
	return 0;
}

/* What one output walk writes (emit_walk): whether an element is written
 * with its subtree, the flags its separator is computed from, whether an
 * element between siblings adds a separator, whether a text node is
 * written, and whether written text is marked as the rule output's. */
typedef struct emit_policy {
	int (*enter)(ex *x, xmlNode *n, int is_root);
	int (*flags)(const xmlNode *n);
	int (*sibling_sep)(const xmlNode *n);
	int (*text)(const ex *x, const xmlNode *t);
	int mark_rule;
} emit_policy;

/* Writes the subtree at root in document order as the policy says, with
 * block separators (elem_sep; <br><br> breaks a paragraph) and <pre>
 * depth kept. The one output walk of both the rule extraction and the
 * model's kept blocks. */
static void emit_walk(ex *x, xmlNode *root, const emit_policy *p)
{
	xmlNode *n = root;
	for (;;) {
		int descend = 0;
		if (n->type == XML_ELEMENT_NODE) {
			if (p->enter(x, n, n == root)) {
				const char *nm = wn_dom_name(n);
				/* <br><br> is how many pages break paragraphs */
				if (wn_streq(nm, "br") && x->pending >= 2)
					want(x, 3);
				else
					want(x, elem_sep(nm, p->flags(n)));
				if (wn_streq(nm, "pre"))
					x->pre++;
				descend = n->children != NULL;
				if (!descend && wn_streq(nm, "pre"))
					x->pre--;
			}
		} else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		           p->text(x, n)) {
			emit_text(x, n);
			if (p->mark_rule && x->bs)
				wn_blocks_mark_rule(x->bs, n);
		}
		if (descend) {
			n = n->children;
			continue;
		}
		/* leave finished elements, closing their blocks */
		while (n != root && !n->next) {
			n = n->parent;
			const char *nm = wn_dom_name(n);
			int sep = elem_sep(nm, p->flags(n));
			if (sep != 4)
				want(x, sep);
			if (wn_streq(nm, "pre") && x->pre)
				x->pre--;
		}
		if (n == root)
			break;
		if (n->type == XML_ELEMENT_NODE && p->sibling_sep(n)) {
			const char *nm = wn_dom_name(n);
			int sep = elem_sep(nm, p->flags(n));
			if (sep != 4 && !wn_streq(nm, "br"))
				want(x, sep);
		}
		n = n->next;
	}
}

/* The rule extraction's policy: elements skip_in_output leaves out are
 * skipped, separators from the pass statistics. */
static int rule_enter(ex *x, xmlNode *n, int is_root)
{
	return is_root || !skip_in_output(x, n, 0);
}

static int rule_flags(const xmlNode *n)
{
	return ST(n) ? ST(n)->flags : 0;
}

static int rule_sibling_sep(const xmlNode *n)
{
	return ST(n) != NULL;
}

static int any_text(const ex *x, const xmlNode *t)
{
	(void)x, (void)t;
	return 1;
}

static const emit_policy rule_policy = {rule_enter, rule_flags, rule_sibling_sep, any_text, 1};

/* Writes the text blocks of the subtree at root. */
static void emit_tree(ex *x, xmlNode *root, int is_top)
{
	if (root->type != XML_ELEMENT_NODE || skip_in_output(x, root, is_top))
		return;
	emit_walk(x, root, &rule_policy);
	if (ST(root)->flags & NF_BLOCK)
		want(x, 3);
}

/* Is text node t in a block the model kept? */
static int kept_text(const ex *x, const xmlNode *t)
{
	uintptr_t i = (uintptr_t)t->_private;
	return i && i <= x->bs->n && x->bs->b[i - 1].keep;
}

/* The kept blocks' policy: every element is walked except the title
 * repeat, a leading h1 and datelines (metadata); separators from the tag
 * alone, as the pass statistics do not describe the model's choice. */
static int kept_enter(ex *x, xmlNode *n, int is_root)
{
	(void)is_root;
	const char *nm = wn_dom_name(n);
	nstat *s = ST(n);
	int meta = (wn_streq(nm, "h1") && !x->out.len) ||
	           (s && (s->flags & NF_BLOCK) && !(s->flags & NF_DROP) && is_meta_block(x, n));
	return !meta;
}

static int tag_flags(const xmlNode *n)
{
	return wn_is_block_tag(wn_dom_name(n)) ? NF_BLOCK : 0;
}

static int every_sibling(const xmlNode *n)
{
	(void)n;
	return 1;
}

static const emit_policy kept_policy = {kept_enter, tag_flags, every_sibling, kept_text, 0};

/* Writes the text of the kept blocks under root in document order, with
 * the same separators as emit_tree; the title repeat, a leading h1 and
 * datelines still go to metadata. */
static void emit_kept(ex *x, xmlNode *root)
{
	emit_walk(x, root, &kept_policy);
}

static int is_inline(const xmlNode *n)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return 1;
	return n->type == XML_ELEMENT_NODE && ST(n) && !(ST(n)->flags & NF_BLOCK);
}

/* A run of loose inline siblings (text outside any block, as broken markup
 * leaves it) joins the article when it reads like a paragraph. Emits it
 * and returns the last node of the run. */
static xmlNode *emit_inline_run(ex *x, xmlNode *first)
{
	uint32_t text = 0, link = 0;
	xmlNode *last = first;
	for (xmlNode *n = first; n && is_inline(n); n = n->next) {
		last = n;
		if (n->type == XML_ELEMENT_NODE) {
			if (!(ST(n)->flags & NF_DROP))
				text += ST(n)->text, link += ST(n)->link;
		} else {
			uint32_t c, k;
			text_measure(n->content, &c, &k);
			text += c;
		}
	}
	if (text > 80 && link * 4 < text) {
		want(x, 3);
		for (xmlNode *n = first;; n = n->next) {
			if (n->type == XML_ELEMENT_NODE)
				emit_tree(x, n, 0);
			else
				emit_text(x, n);
			if (n->type != XML_ELEMENT_NODE && x->bs)
				wn_blocks_mark_rule(x->bs, n);
			if (n == last)
				break;
		}
		want(x, 3);
	}
	return last;
}

/* Is description s a cut-off excerpt of the page's text: does it end in
 * an ellipsis ("...", U+2026, or either in brackets, as WordPress cuts)?
 * A CMS that writes the description from the body cuts it so (a forum's
 * first post, a blog's opening); one written whole (a shop's pitch, a
 * service's summary) is not the page's text, and on a script shell it
 * is all there is to pass off as such. */
static int is_excerpt(const char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n && s[n - 1] == ']')
		n--;
	return (n >= 3 && !memcmp(s + n - 3, "...", 3)) ||
	       (n >= 3 && !memcmp(s + n - 3, "\xE2\x80\xA6", 3));
}

/* Where wn_datelines_apply(page_type), a kept block that is only a date
 * goes to metadata as a dateline element does (is_dateline), wherever it
 * stands: "Updated <time>5:27 am CST, Wednesday, November 20, 2019</time>"
 * loose in the headline's container, beside the h1 and the byline, is no
 * block element of its own. */
static void drop_datelines(wn_blockset *bs, const char *page_type)
{
	if (!wn_datelines_apply(page_type))
		return;
	for (size_t i = 0; i < bs->n; i++) {
		wn_block *b = &bs->b[i];
		if (b->keep && dateline_sized(wn_dom_name(b->owner), b->chars) &&
		    dateline_text(bs->text.p + b->off))
			b->keep = 0;
	}
}

/* Replaces the rule output in x->out by the kept blocks, unless nothing
 * was kept: an empty page is never the answer when the rules found text. */
static void apply_model(ex *x, const char *page_type, const wn_block_sink *sink)
{
	size_t kept = wn_blocks_decide(x->bs, x->title_raw, x->o, page_type, sink);
	if (!wn_blocks_trained())
		return;
	if (!kept && x->out.len)
		return;
	if (!kept) /* nothing at all: every link-poor block */
		for (size_t i = 0; i < x->bs->n; i++)
			x->bs->b[i].keep = x->bs->b[i].link * 2 < x->bs->b[i].chars;
	wn_blocks_vote(x->bs, page_type);
	wn_blocks_drop_repeats(x->bs, page_type);
	drop_datelines(x->bs, page_type);
	wn_blocks_drop_furniture(x->bs, x->body, page_type);
	wn_buf_reset(&x->out);
	x->pending = 0;
	x->pre = 0;
	x->last_text = NULL;
	emit_kept(x, x->body);
}

int wn_content_extract(xmlDoc *doc, const wn_clean_opts *o, wn_clean_doc *d, char **byline,
                       const wn_block_sink *sink)
{
	ex x;
	wn_blockset bs;
	memset(&bs, 0, sizeof bs);
	memset(&x, 0, sizeof x);
	x.o = o;
	x.title_raw = d->title;
	if (d->title) {
		x.title = norm_key(d->title, 4096);
		x.title_chars = 0;
		for (const unsigned char *p = (const unsigned char *)d->title; *p; p++)
			x.title_chars += (*p & 0xC0) != 0x80;
	}
	wn_buf_init(&x.out, (size_t)(o->max_size > 0 ? o->max_size : (1 << 24)) + 1023);
	int rc = -1;
	xmlNode *root = xmlDocGetRootElement(doc);
	if (!root)
		goto empty;
	x.body = root;
	for (xmlNode *c = root->children; c; c = c->next)
		if (wn_streq(wn_dom_name(c), "body"))
			x.body = c;
	if (attach_stats(&x, root))
		goto out;
	if (!ST(x.body) || (ST(x.body)->flags & NF_DROP))
		goto empty;
	accumulate(x.body);
	soft_drops(&x);
	/* the unmarked byline is read for the author field alone, which the
	 * metadata's author, when there is one, fills first (clean.c) */
	if (!x.byline && !d->author)
		unmarked_byline(&x);
	reaccumulate(&x);
	if (score_paragraphs(&x))
		goto out;
	xmlNode *top = pick_top(&x);
#ifdef WN_CLEAN_DEBUG
	fprintf(stderr, "top <%s class=%s id=%s> score %.1f text %u link %u\n", wn_dom_name(top),
	        wn_dom_attr(top, "class"), wn_dom_attr(top, "id"), ST(top)->score, ST(top)->text,
	        ST(top)->link);
	for (size_t i = 0; i < x.ncands; i++)
		if (ST(x.cands[i])->score > 5)
			fprintf(stderr, "  cand <%s class=%s> %.1f text %u\n",
			        wn_dom_name(x.cands[i]), wn_dom_attr(x.cands[i], "class"),
			        ST(x.cands[i])->score, ST(x.cands[i])->text);
#endif
	if (wn_blocks_segment(&bs, x.body, top))
		goto out;
	x.bs = &bs;
	if (top == x.body || !top->parent) {
		emit_tree(&x, top, 1);
	} else {
		for (xmlNode *sib = top->parent->children; sib; sib = sib->next) {
			if (sib == top)
				emit_tree(&x, sib, 1);
			else if (is_inline(sib))
				sib = emit_inline_run(&x, sib);
			else if (sib->type == XML_ELEMENT_NODE && sibling_belongs(top, sib))
				emit_tree(&x, sib, 0);
		}
	}
	wn_blocks_page_type(&bs, x.body, sink, d);
	apply_model(&x, d->page_type, sink);
empty:
	if (!d->page_type)
		d->page_type = "other";
	if (x.out.err && !x.out.p)
		goto out;
	while (x.out.len && x.out.p[x.out.len - 1] == ' ')
		x.out.p[--x.out.len] = 0;
	/* a few words are no main text: a skip link, a script shell's "enable
	 * JavaScript" notice, a slogan. Reported as no text (an empty_text
	 * count the operator sees) rather than passed on as an article, where
	 * the duplicate filter would drop them as copies of each other */
	if (x.out.len && wn_text_word_count(x.out.p, x.out.len) < WN_MIN_TEXT_WORDS)
		wn_buf_reset(&x.out);
	if (!x.out.len && d->description && is_excerpt(d->description) &&
	    wn_text_word_count(d->description, strlen(d->description)) >= WN_MIN_TEXT_WORDS) {
		/* no text in the markup (a page its scripts fill in): the
		 * opening of its text when the description is cut from it (a
		 * script-built forum's first post), rather than nothing. A
		 * summary written whole is no main text (the gold of WCXB's
		 * script shells is empty; their descriptions are pitches) */
		wn_buf_reset(&x.out);
		wn_buf_adds(&x.out, d->description);
	}
	d->text_len = x.out.len;
	d->text = x.out.p ? wn_buf_take(&x.out) : strdup("");
	if (!d->text)
		goto out;
	d->word_count = (int64_t)wn_text_word_count(d->text, d->text_len);
	*byline = x.byline;
	x.byline = NULL;
	rc = 0;
out:
	/* node->_private now dangles (stats of elements, block indices of
	 * text): the caller frees the doc next (see internal.h), so no walk
	 * clears it */
	wn_blocks_free(&bs);
	for (stat_chunk *c = x.stats, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(x.cands);
	free(x.byline);
	free(x.title);
	wn_buf_free(&x.out);
	return rc;
}
