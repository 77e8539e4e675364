/*
 * wn_html_reclose: closes the <div>s left open inside an element at the
 * element's end tag, as an HTML5 parser does, before libxml2 2.9 sees the
 * page.
 *
 * libxml2 2.9 ignores an end tag when an element of a higher end
 * "priority" sits above it in its open-element stack (htmlEndPriority: div
 * 150 beats the default 100). So "<header><button><div></button></header>"
 * keeps button and header open, and the article after them ends up inside
 * the header, where the extractor drops it as page chrome. HTML5 instead
 * generates implied end tags and pops to the button. We insert the missing
 * "</div>"s ourselves, in one linear scan over a model of libxml2's stack:
 * its tokenizer (comments, attributes, raw script/style), its start-tag
 * auto-close of the current node for the common cases, and its end-tag
 * rule. Where the model may have drifted (caps exceeded) we stop repairing
 * and leave the rest of the page as it is.
 */
#include "hash.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bounds on the model: a deeper stack or a longer search means a page we
 * no longer model well (or an adversarial one); the scan stays linear. */
enum { RC_MAX_STACK = 4096, RC_MAX_SEARCH = 256 };

/* Tag classes. */
enum {
	RC_VOID = 1,    /* never pushed */
	RC_RAW = 2,     /* script/style: text up to its end tag */
	RC_TARGET = 4,  /* an end tag HTML5 closes open divs for */
	RC_CLOSES_P = 8 /* a start tag that closes an open <p> on top */
};

/* Names the start-tag auto-close and the html/head/body rules look at. */
enum rc_id { RC_OTHER, RC_P, RC_LI, RC_DT, RC_DD, RC_OPTION, RC_DIV, RC_HTML, RC_HEAD, RC_BODY };

struct rc_tag {
	const char *name;
	unsigned char flags;
	unsigned char prio; /* libxml2 2.9 end priority (htmlEndPriority) */
	unsigned char id;   /* enum rc_id */
};

#define V RC_VOID
#define T RC_TARGET
#define P RC_CLOSES_P

/* Sorted by name (bsearch). Tags not listed: no flags, priority 100. */
static const struct rc_tag rc_tags[] = {
    {"address", T | P, 100, 0},
    {"area", V, 100, 0},
    {"article", T | P, 100, 0},
    {"aside", T | P, 100, 0},
    {"base", V, 100, 0},
    {"basefont", V, 100, 0},
    {"blockquote", T | P, 100, 0},
    {"body", 0, 200, RC_BODY},
    {"br", V, 100, 0},
    {"button", T, 100, 0},
    {"center", T, 100, 0},
    {"col", V, 100, 0},
    {"dd", 0, 100, RC_DD},
    {"details", T | P, 100, 0},
    {"dialog", T, 100, 0},
    {"dir", T, 100, 0},
    {"div", P, 150, RC_DIV},
    {"dl", T | P, 100, 0},
    {"dt", 0, 100, RC_DT},
    {"embed", V, 100, 0},
    {"fieldset", T | P, 100, 0},
    {"figcaption", T, 100, 0},
    {"figure", T | P, 100, 0},
    {"footer", T | P, 100, 0},
    {"form", T | P, 100, 0},
    {"frame", V, 100, 0},
    {"h1", P, 100, 0},
    {"h2", P, 100, 0},
    {"h3", P, 100, 0},
    {"h4", P, 100, 0},
    {"h5", P, 100, 0},
    {"h6", P, 100, 0},
    {"head", 0, 200, RC_HEAD},
    {"header", T | P, 100, 0},
    {"hgroup", T, 100, 0},
    {"hr", V | P, 100, 0},
    {"html", 0, 220, RC_HTML},
    {"img", V, 100, 0},
    {"input", V, 100, 0},
    {"isindex", V, 100, 0},
    {"keygen", V, 100, 0},
    {"li", T, 100, RC_LI},
    {"link", V, 100, 0},
    {"listing", T, 100, 0},
    {"main", T | P, 100, 0},
    {"menu", T, 100, 0},
    {"meta", V, 100, 0},
    {"nav", T | P, 100, 0},
    {"ol", T | P, 100, 0},
    {"option", 0, 100, RC_OPTION},
    {"p", P, 100, RC_P},
    {"param", V, 100, 0},
    {"pre", P, 100, 0},
    {"script", RC_RAW, 100, 0},
    {"section", T | P, 100, 0},
    {"source", V, 100, 0},
    {"style", RC_RAW, 100, 0},
    {"summary", T, 100, 0},
    {"table", P, 190, 0},
    {"tbody", 0, 180, 0},
    {"td", 0, 160, 0},
    {"tfoot", 0, 180, 0},
    {"th", 0, 160, 0},
    {"thead", 0, 180, 0},
    {"tr", 0, 170, 0},
    {"track", V, 100, 0},
    {"ul", T | P, 100, 0},
    {"wbr", V, 100, 0},
};

#undef V
#undef T
#undef P

static const struct rc_tag rc_plain = {"", 0, 100, RC_OTHER};

/* A tag as read: its class and the hash of its lower-cased name. */
struct rc_name {
	const struct rc_tag *tag;
	uint32_t hash;
};

/* The model of libxml2's open-element stack, and the output. */
struct rc_state {
	const char *s;
	size_t n;
	int sp;        /* entries in use */
	int depth;     /* html/head/body start tags libxml2 ignored */
	int nbody;     /* body entries on the stack */
	int stop;      /* a cap was hit: repair no more */
	int fixes;     /* end tags repaired */
	size_t copied; /* s[0, copied) is in out */
	wn_buf out;
	uint32_t hash[RC_MAX_STACK];
	unsigned char prio[RC_MAX_STACK];
	unsigned char id[RC_MAX_STACK];
};

static int rc_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct rc_tag *)elem)->name);
}

static int rc_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int rc_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int rc_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A character of a tag or attribute name, as htmlParseHTMLName reads. */
static int rc_namechar(int c)
{
	return rc_alpha(c) || (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_' ||
	       c == '.';
}

/* Reads the name at s[*i] (advancing *i past it): FNV-1a hash of the
 * lower-cased name and its class (rc_plain when not in rc_tags). */
static struct rc_name rc_read_name(const char *s, size_t n, size_t *i)
{
	char low[12];
	size_t len = 0;
	uint32_t h = WN_FNV32_BASIS;
	for (; *i < n && rc_namechar((unsigned char)s[*i]); (*i)++, len++) {
		int c = rc_lower((unsigned char)s[*i]);
		h = wn_fnv1a32_step(h, (unsigned char)c);
		if (len < sizeof low - 1)
			low[len] = (char)c;
	}
	struct rc_name r = {&rc_plain, h};
	if (len < sizeof low) {
		low[len] = 0;
		const struct rc_tag *t = bsearch(low, rc_tags, sizeof rc_tags / sizeof rc_tags[0],
		                                 sizeof rc_tags[0], rc_cmp);
		if (t)
			r.tag = t;
	}
	return r;
}

/* Offset just past the first occurrence of the len bytes at pat in
 * s[from, n), or n when there is none. */
static size_t rc_past(const char *s, size_t n, size_t from, const char *pat, size_t len)
{
	while (from + len <= n) {
		const char *p = memchr(s + from, pat[0], n - from - len + 1);
		if (!p)
			break;
		size_t at = (size_t)(p - s);
		if (memcmp(p, pat, len) == 0)
			return at + len;
		from = at + 1;
	}
	return n;
}

/* Offset of the "</name" (case-insensitive) that ends a raw text element
 * opened at s[from], or n. libxml2 2.9 ends a script at the first such. */
static size_t rc_raw_end(const char *s, size_t n, size_t from, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = from; i + 2 + len <= n; i++) {
		const char *p = memchr(s + i, '<', n - i);
		if (!p)
			break;
		i = (size_t)(p - s);
		if (i + 2 + len > n)
			break;
		if (p[1] != '/')
			continue;
		size_t k = 0;
		while (k < len && rc_lower((unsigned char)p[2 + k]) == name[k])
			k++;
		if (k == len)
			return i;
	}
	return n;
}

/* Skips the attributes of a start tag from s[*i] the way libxml2 2.9's
 * htmlParseStartTag does: a quote opens a value only after '='; an
 * unquoted value ends at a blank or '>' (so "a=b/>" is not self-closing);
 * a bogus attribute runs to a blank, '>' or "/>". Leaves *i past the '>'
 * (n when the tag never ends); returns 1 for a "/>" ending. */
static int rc_skip_attrs(const char *s, size_t n, size_t *i)
{
	size_t j = *i;
	for (;;) {
		while (j < n && rc_blank((unsigned char)s[j]))
			j++;
		if (j >= n || s[j] == '>' || (s[j] == '/' && j + 1 < n && s[j + 1] == '>'))
			break;
		size_t name = j;
		while (j < n && rc_namechar((unsigned char)s[j]))
			j++;
		if (j == name) { /* bogus: no name */
			while (j < n && !rc_blank((unsigned char)s[j]) && s[j] != '>' &&
			       !(s[j] == '/' && j + 1 < n && s[j + 1] == '>'))
				j++;
			continue;
		}
		size_t k = j;
		while (k < n && rc_blank((unsigned char)s[k]))
			k++;
		if (k >= n || s[k] != '=')
			continue;
		for (j = k + 1; j < n && rc_blank((unsigned char)s[j]); j++)
			;
		if (j < n && (s[j] == '"' || s[j] == '\'')) {
			const char *q = memchr(s + j + 1, s[j], n - j - 1);
			j = q ? (size_t)(q - s) + 1 : n;
		} else {
			while (j < n && !rc_blank((unsigned char)s[j]) && s[j] != '>')
				j++;
		}
	}
	if (j >= n) {
		*i = n;
		return 0;
	}
	int self = s[j] == '/';
	*i = j + 1 + (size_t)self;
	return self;
}

static void rc_pop_to(struct rc_state *st, int k)
{
	while (st->sp > k)
		st->nbody -= st->id[--st->sp] == RC_BODY;
}

static void rc_push(struct rc_state *st, struct rc_name nm)
{
	if (st->sp == RC_MAX_STACK) {
		st->stop = 1;
		return;
	}
	st->hash[st->sp] = nm.hash;
	st->prio[st->sp] = nm.tag->prio;
	st->id[st->sp] = nm.tag->id;
	st->nbody += nm.tag->id == RC_BODY;
	st->sp++;
}

/* Does start tag t close the current node (id top), as libxml2's
 * htmlAutoClose does for these cases? */
static int rc_autocloses(const struct rc_tag *t, int top)
{
	switch (top) {
	case RC_P:
		return (t->flags & RC_CLOSES_P) != 0;
	case RC_LI:
		return t->id == RC_LI;
	case RC_DT:
	case RC_DD:
		return t->id == RC_DT || t->id == RC_DD;
	case RC_OPTION:
		return t->id == RC_OPTION;
	default:
		return 0;
	}
}

/* A start tag as libxml2's htmlParseStartTag takes it: the auto-close
 * of the current node, the implied <html>, a second html/head/body
 * ignored (and its end tag with it), then the push. */
static void rc_start(struct rc_state *st, struct rc_name nm, int self)
{
	int id = nm.tag->id;
	while (st->sp > 0 && rc_autocloses(nm.tag, st->id[st->sp - 1]))
		rc_pop_to(st, st->sp - 1);
	if (st->sp == 0 && id != RC_HTML) {
		size_t i = 0;
		rc_push(st, rc_read_name("html", 4, &i));
	}
	if ((id == RC_HTML && st->sp > 0) || (id == RC_HEAD && st->sp != 1) ||
	    (id == RC_BODY && st->nbody > 0)) {
		st->depth++;
		return;
	}
	if (!self && !(nm.tag->flags & RC_VOID))
		rc_push(st, nm);
}

/* Appends what the scan passed up to s[at], then count "</div>"s. */
static void rc_insert(struct rc_state *st, size_t at, int count)
{
	wn_buf_add(&st->out, st->s + st->copied, at - st->copied);
	while (count-- > 0)
		wn_buf_add(&st->out, "</div>", 6);
	st->copied = at;
	st->fixes++;
}

/* An end tag </nm> starting at s[at]. libxml2 pops through the topmost
 * nm unless an element above it has a higher end priority, else ignores
 * the tag. For a target whose only obstacles are divs (nothing above it
 * past div's priority: no table parts, no body), HTML5 closes the divs:
 * insert their end tags. */
static void rc_end(struct rc_state *st, struct rc_name nm, size_t at)
{
	int id = nm.tag->id;
	if (st->depth > 0 && (id == RC_HTML || id == RC_HEAD || id == RC_BODY)) {
		st->depth--;
		return;
	}
	int k = st->sp - 1, maxprio = 0, divs = 0;
	for (; k >= 0 && st->hash[k] != nm.hash; k--) {
		if (st->sp - k > RC_MAX_SEARCH) {
			st->stop = 1;
			return;
		}
		maxprio = st->prio[k] > maxprio ? st->prio[k] : maxprio;
		divs += st->id[k] == RC_DIV;
	}
	if (k < 0)
		return;
	if (maxprio <= nm.tag->prio) {
		rc_pop_to(st, k);
	} else if ((nm.tag->flags & RC_TARGET) && divs > 0 && maxprio <= 150) {
		rc_insert(st, at, divs);
		rc_pop_to(st, k);
	}
}

/* Reads the markup at s[i] == '<' and returns the offset to go on from. */
static size_t rc_markup(struct rc_state *st, size_t i)
{
	const char *s = st->s;
	size_t n = st->n;
	if (i + 1 >= n)
		return n;
	if (s[i + 1] == '!' && i + 3 < n && s[i + 2] == '-' && s[i + 3] == '-')
		return rc_past(s, n, i + 4, "-->", 3);
	if (s[i + 1] == '!' || s[i + 1] == '?')
		return rc_past(s, n, i + 2, ">", 1);
	if (s[i + 1] == '/' && i + 2 < n && rc_alpha((unsigned char)s[i + 2])) {
		size_t j = i + 2;
		struct rc_name nm = rc_read_name(s, n, &j);
		rc_end(st, nm, i);
		return rc_past(s, n, j, ">", 1);
	}
	if (!rc_alpha((unsigned char)s[i + 1]))
		return i + 1; /* text */
	size_t j = i + 1;
	struct rc_name nm = rc_read_name(s, n, &j);
	int self = rc_skip_attrs(s, n, &j);
	rc_start(st, nm, self);
	if ((nm.tag->flags & RC_RAW) && !self)
		j = rc_raw_end(s, n, j, nm.tag->name);
	return j;
}

char *wn_html_reclose(const char *s, size_t n, size_t *out_len)
{
	struct rc_state *st = malloc(sizeof *st);
	if (!st)
		return NULL;
	st->s = s;
	st->n = n;
	st->sp = st->depth = st->nbody = st->stop = st->fixes = 0;
	st->copied = 0;
	wn_buf_init(&st->out, 0);
	for (size_t i = 0; i < n && !st->stop;) {
		const char *lt = memchr(s + i, '<', n - i);
		if (!lt)
			break;
		i = rc_markup(st, (size_t)(lt - s));
	}
	char *r = NULL;
	if (st->fixes > 0) {
		rc_insert(st, n, 0);
		*out_len = st->out.len;
		r = st->out.err ? NULL : wn_buf_take(&st->out);
	}
	wn_buf_free(&st->out);
	free(st);
	return r;
}
