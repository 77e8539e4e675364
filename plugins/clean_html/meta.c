/*
 * Metadata: <meta>/<link> tags, JSON-LD (with @graph and type arrays),
 * <title>/<h1>/<time>/rel=author in the page, and a date in the URL.
 * Every field keeps the candidate from the most trusted source; numbers
 * below are priorities (lower wins).
 */
#include "internal.h"
#include "utf8.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { F_TITLE, F_AUTHOR, F_PUB, F_MOD, F_LANG, F_CANON, F_SITE, F_DESC, F_IMAGE, F_N };

typedef struct meta_acc {
	char *v[F_N];
	int prio[F_N];
	wn_buf tags;      /* "; "-joined, deduplicated */
	int title_is_tag; /* the title came from <title>: strip the site suffix */
	char *h1;         /* the first <h1>'s text: evidence for the title */
	char locale[16];  /* the page's language tag as given ("en-AU", "fr_FR") */
	int ld_done;      /* the first Article-typed JSON-LD object was used */
	/* twitter:label1-4 / twitter:data1-4 pairs (Slack's and X's card
	 * fields; WordPress SEO plugins write "Written by" / the name) */
	char *tw_data[4];
	int tw_author[4];
} meta_acc;

/* The character a reference at s stands for ("&amp;", "&hellip;",
 * "&#8217;", "&#x2026;"), its length in *len; 0 when s starts none. Why
 * metadata needs it after the parser: JSON-LD's strings are script text,
 * which the parser leaves alone, and CMSes escape some meta content twice
 * ("&amp;amp;", "&amp;hellip;"), so a title read "Salt &amp; pepper". */
static uint32_t char_ref(const unsigned char *s, size_t *len)
{
	const unsigned char *p = s + 1;
	uint32_t cp = 0;
	if (*p == '#') {
		int hex = p[1] == 'x' || p[1] == 'X';
		const unsigned char *d = p += 1 + hex;
		for (; hex ? isxdigit(*p) : isdigit(*p); p++) {
			if (cp > 0x10FFFF)
				return 0;
			cp = cp * (hex ? 16u : 10u) +
			     (uint32_t)(isdigit(*p) ? *p - '0' : tolower(*p) - 'a' + 10);
		}
		if (p == d || *p != ';' || cp > 0x10FFFF)
			return 0;
	} else {
		char name[16];
		size_t k = 0;
		while (isalnum(*p) && k < sizeof name - 1)
			name[k++] = (char)*p++;
		name[k] = 0;
		const htmlEntityDesc *e =
		    k && *p == ';' ? htmlEntityLookup((const xmlChar *)name) : NULL;
		if (!e)
			return 0;
		cp = e->value;
	}
	*len = (size_t)(p + 1 - s);
	return cp;
}

/* Trims and collapses whitespace into a new string, the character
 * references left in it decoded (char_ref; a no-break space counts as
 * space); NULL if empty. */
static char *clean_dup(const char *s)
{
	if (!s)
		return NULL;
	wn_buf b;
	wn_buf_init(&b, (1 << 20) - 1);
	int space = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char u[4];
		size_t len = 0, m = 0;
		uint32_t cp = *p == '&' ? char_ref(p, &len) : 0;
		if (cp && (m = wn_utf8_encode(cp, u)) != 0)
			p += len - 1;
		else /* a byte as it is (a UTF-8 sequence's bytes one by one) */
			u[0] = *p, m = 1, cp = *p < 128 ? *p : 0;
		if ((cp && cp < 128 && isspace((int)cp)) || cp == 0xA0) {
			space = 1;
			continue;
		}
		if (space && b.len)
			wn_buf_addc(&b, ' ');
		space = 0;
		wn_buf_add(&b, (const char *)u, m);
	}
	if (!b.len) {
		wn_buf_free(&b);
		return NULL;
	}
	return wn_buf_take(&b);
}

/* Offers value s for field f at priority prio. */
static void offer(meta_acc *a, int f, int prio, const char *s)
{
	if (a->v[f] && a->prio[f] <= prio)
		return;
	char *c = clean_dup(s);
	if (!c)
		return;
	free(a->v[f]);
	a->v[f] = c;
	a->prio[f] = prio;
	if (f == F_TITLE)
		a->title_is_tag = 0;
}

static void offer_date(meta_acc *a, int f, int prio, const char *s)
{
	char iso[40];
	if (s && wn_clean_date_iso(s, iso, sizeof iso))
		offer(a, f, prio, iso);
}

/* ISO 639-1 from "en-US", "en_GB", "EN": two letters, lower case. */
static void offer_lang(meta_acc *a, int prio, const char *s)
{
	if (!s)
		return;
	while (isspace((unsigned char)*s))
		s++;
	if (isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) &&
	    !isalpha((unsigned char)s[2])) {
		char l[3] = {(char)tolower((unsigned char)s[0]), (char)tolower((unsigned char)s[1]),
		             0};
		offer(a, F_LANG, prio, l);
	}
}

/* Keeps the first language tag with a region, else the first at all,
 * for reading numeric dates ("12/03/2025") the local way. */
static void note_locale(meta_acc *a, const char *s)
{
	if (!s)
		return;
	while (isspace((unsigned char)*s))
		s++;
	int has_region = strchr(a->locale, '-') || strchr(a->locale, '_');
	if (!*s || has_region || (a->locale[0] && !strchr(s, '-') && !strchr(s, '_')))
		return;
	snprintf(a->locale, sizeof a->locale, "%s", s);
}

/* Day first for every locale but US English ("en-US", or "en" with no
 * region, which is how US pages usually say it); month first without one. */
static int day_first(const char *loc)
{
	if (!loc[0])
		return 0;
	if (strncasecmp(loc, "en", 2) != 0 || isalpha((unsigned char)loc[2]))
		return 1;
	return loc[2] && strncasecmp(loc + 3, "us", 2) != 0;
}

/* Adds tag s (as clean_dup makes it: "Food &amp; Drink" and "food & drink"
 * are one tag) unless the list has it. Frees s. */
static void add_tag(meta_acc *a, char *s)
{
	size_t n = s ? strlen(s) : 0;
	/* dedupe: look for "; tag;" in the joined list */
	for (const char *t = a->tags.p; n && t && *t;) {
		const char *te = strstr(t, "; ");
		size_t tl = te ? (size_t)(te - t) : strlen(t);
		if (tl == n && strncasecmp(t, s, n) == 0)
			n = 0;
		t = te ? te + 2 : NULL;
	}
	if (n) {
		if (a->tags.len)
			wn_buf_add(&a->tags, "; ", 2);
		wn_buf_add(&a->tags, s, n);
	}
	free(s);
}

/* Adds the ','-separated tags in s (or one tag when !split). */
static void add_tags(meta_acc *a, const char *s, int split)
{
	while (s && *s) {
		const char *e = split ? strchr(s, ',') : NULL;
		size_t n = e ? (size_t)(e - s) : strlen(s);
		while (n && isspace((unsigned char)*s))
			s++, n--;
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		if (n && n < 100 && a->tags.len < 4000) {
			char raw[100];
			memcpy(raw, s, n);
			raw[n] = '\0';
			add_tag(a, clean_dup(raw));
		}
		s = e ? e + 1 : NULL;
	}
}

/* --- JSON-LD ---------------------------------------------------------- */

/* A name from a string, an object's "name", or an array of those. */
static void ld_names(json_t *v, wn_buf *b)
{
	if (json_is_string(v)) {
		if (b->len)
			wn_buf_add(b, ", ", 2);
		wn_buf_add(b, json_string_value(v), strlen(json_string_value(v)));
	} else if (json_is_object(v)) {
		json_t *n = json_object_get(v, "name");
		if (json_is_string(n))
			ld_names(n, b);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			if (!json_is_array(x))
				ld_names(x, b);
		}
	}
}

/* A URL from a string, an object's "url"/"@id", or the first of an array. */
static const char *ld_url(json_t *v)
{
	if (json_is_array(v))
		v = json_array_get(v, 0);
	if (json_is_object(v)) {
		json_t *u = json_object_get(v, "url");
		v = u ? u : json_object_get(v, "@id");
	}
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* 1 for article-like types, 2 for WebPage, 3 for WebSite/Organization. */
static int ld_kind_of(const char *t)
{
	if (strstr(t, "Article") || strstr(t, "BlogPosting") || strstr(t, "Report") ||
	    !strcmp(t, "Posting") || !strcmp(t, "LiveBlogPosting"))
		return 1;
	if (strstr(t, "WebPage"))
		return 2;
	if (!strcmp(t, "WebSite") || !strcmp(t, "Organization") ||
	    !strcmp(t, "NewsMediaOrganization"))
		return 3;
	return 0;
}

static int ld_kind(json_t *o)
{
	json_t *t = json_object_get(o, "@type");
	if (json_is_string(t))
		return ld_kind_of(json_string_value(t));
	int best = 0;
	size_t i;
	json_t *x;
	json_array_foreach(t, i, x)
	{
		int k = json_is_string(x) ? ld_kind_of(json_string_value(x)) : 0;
		if (k && (!best || k < best))
			best = k;
	}
	return best;
}

static const char *ld_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Takes the fields of one typed object; base is the priority offset. */
static void ld_object(meta_acc *a, json_t *o)
{
	int kind = ld_kind(o);
	if (kind == 3) {
		if (!strcmp(ld_str(o, "@type") ? ld_str(o, "@type") : "", "WebSite"))
			offer(a, F_SITE, 3, ld_str(o, "name"));
		return;
	}
	if (kind == 0 || (kind == 1 && a->ld_done))
		return;
	int p = kind == 1 ? 0 : 10; /* WebPage values rank below everything */
	if (kind == 1)
		a->ld_done = 1;
	offer(a, F_TITLE, 2 + p, ld_str(o, "headline"));
	if (kind == 2)
		offer(a, F_TITLE, 12, ld_str(o, "name"));
	wn_buf b;
	wn_buf_init(&b, 4095);
	ld_names(json_object_get(o, "author"), &b);
	if (b.p)
		offer(a, F_AUTHOR, 3 + p, b.p);
	wn_buf_free(&b);
	offer_date(a, F_PUB, 2 + p, ld_str(o, "datePublished"));
	offer_date(a, F_MOD, 2 + p, ld_str(o, "dateModified"));
	offer(a, F_DESC, 3 + p, ld_str(o, "description"));
	offer(a, F_IMAGE, 3 + p, ld_url(json_object_get(o, "image")));
	json_t *pub = json_object_get(o, "publisher");
	if (json_is_object(pub))
		offer(a, F_SITE, 2 + p, ld_str(pub, "name"));
	offer_lang(a, 4 + p, ld_str(o, "inLanguage"));
	json_t *kw = json_object_get(o, "keywords");
	if (kind == 1 && json_is_string(kw))
		add_tags(a, json_string_value(kw), 1);
	else if (kind == 1 && json_is_array(kw)) {
		size_t i;
		json_t *x;
		json_array_foreach(kw, i, x)
		{
			if (json_is_string(x))
				add_tags(a, json_string_value(x), 0);
		}
	}
}

/* Visits arrays and @graph containers; depth-bounded (real data is flat). */
static void ld_visit(meta_acc *a, json_t *v, int depth)
{
	if (depth > 4)
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) ld_visit(a, x, depth + 1);
	} else if (json_is_object(v)) {
		ld_object(a, v);
		json_t *g = json_object_get(v, "@graph");
		if (g)
			ld_visit(a, g, depth + 1);
		json_t *me = json_object_get(v, "mainEntity");
		if (json_is_object(me))
			ld_visit(a, me, depth + 1);
	}
}

/* Parses one <script type="application/ld+json"> body. Pages wrap it in
 * comments or CDATA markers now and then; those are trimmed first. */
static void ld_parse(meta_acc *a, const char *s, size_t n)
{
	while (n && (isspace((unsigned char)*s) || *s == ';'))
		s++, n--;
	if (n >= 4 && !strncmp(s, "<!--", 4))
		s += 4, n -= 4;
	if (n >= 11 && !strncmp(s, "//<![CDATA[", 11))
		s += 11, n -= 11;
	while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ';'))
		n--;
	if (n >= 3 && !strncmp(s + n - 3, "-->", 3))
		n -= 3;
	if (n >= 5 && !strncmp(s + n - 5, "//]]>", 5))
		n -= 5;
	json_error_t err;
	json_t *root = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (!root)
		return;
	ld_visit(a, root, 0);
	json_decref(root);
}

/* --- the walk over the document --------------------------------------- */

/* Notes twitter:labelN ("Written by") and twitter:dataN (the name), N 1-4.
 * Returns whether key is one of the two (then no other field reads it). */
static int twitter_pair(meta_acc *a, const char *key, const char *content)
{
	int label = !strncasecmp(key, "twitter:label", 13);
	if (!label && strncasecmp(key, "twitter:data", 12))
		return 0;
	const char *d = key + (label ? 13 : 12);
	if (d[0] < '1' || d[0] > '4' || d[1])
		return 1;
	int i = d[0] - '1';
	if (label) {
		a->tw_author[i] = wn_author_label(content);
	} else if (!a->tw_data[i]) {
		a->tw_data[i] = clean_dup(content);
	}
	return 1;
}

static void on_meta(meta_acc *a, xmlNode *n)
{
	const char *content = wn_dom_attr(n, "content");
	if (!content)
		return;
	const char *key = wn_dom_attr(n, "property");
	if (!key)
		key = wn_dom_attr(n, "name");
	if (!key)
		key = wn_dom_attr(n, "itemprop");
	const char *he = wn_dom_attr(n, "http-equiv");
	if (he && !strcasecmp(he, "content-language")) {
		offer_lang(a, 2, content);
		note_locale(a, content);
	}
	if (!key)
		return;
	if (twitter_pair(a, key, content))
		return;
	static const struct {
		const char *key;
		int field, prio;
	} map[] = {{"og:title", F_TITLE, 1},
	           {"twitter:title", F_TITLE, 3},
	           {"author", F_AUTHOR, 1},
	           {"article:author", F_AUTHOR, 2},
	           {"byl", F_AUTHOR, 2},
	           {"dc.creator", F_AUTHOR, 2},
	           {"parsely-author", F_AUTHOR, 2},
	           {"sailthru.author", F_AUTHOR, 2},
	           {"og:site_name", F_SITE, 1},
	           {"application-name", F_SITE, 4},
	           {"og:description", F_DESC, 1},
	           {"description", F_DESC, 2},
	           {"twitter:description", F_DESC, 4},
	           {"og:image", F_IMAGE, 1},
	           {"og:image:url", F_IMAGE, 1},
	           {"twitter:image", F_IMAGE, 2},
	           {"twitter:image:src", F_IMAGE, 2},
	           {"og:url", F_CANON, 2},
	           {"og:locale", F_LANG, 3},
	           {"language", F_LANG, 3},
	           {"dc.language", F_LANG, 3}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcasecmp(key, map[i].key) != 0)
			continue;
		if (map[i].field == F_LANG) {
			offer_lang(a, map[i].prio, content);
			note_locale(a, content);
		} else if (map[i].field == F_AUTHOR &&
		           (!strncmp(content, "http", 4) || strchr(content, '/')))
			; /* article:author is often a profile URL, not a name */
		else
			offer(a, map[i].field, map[i].prio, content);
		return;
	}
	if (!strcasecmp(key, "article:published_time") || !strcasecmp(key, "og:published_time"))
		offer_date(a, F_PUB, 1, content);
	else if (!strcasecmp(key, "datePublished") || !strcasecmp(key, "pubdate") ||
	         !strcasecmp(key, "publish-date") || !strcasecmp(key, "date") ||
	         !strcasecmp(key, "dc.date") || !strcasecmp(key, "dc.date.issued") ||
	         !strcasecmp(key, "sailthru.date") || !strcasecmp(key, "parsely-pub-date") ||
	         !strcasecmp(key, "article.published") || !strcasecmp(key, "publishdate"))
		offer_date(a, F_PUB, 3, content);
	else if (!strcasecmp(key, "article:modified_time") || !strcasecmp(key, "dateModified"))
		offer_date(a, F_MOD, 1, content);
	else if (!strcasecmp(key, "og:updated_time") || !strcasecmp(key, "last-modified"))
		offer_date(a, F_MOD, 3, content);
	else if (!strcasecmp(key, "article:tag"))
		add_tags(a, content, 0);
	else if (!strcasecmp(key, "keywords") || !strcasecmp(key, "news_keywords"))
		add_tags(a, content, 1);
}

/* Text of a subtree as a new string, at most limit - 1 bytes (limit counts
 * the NUL); NULL when empty. */
static char *node_text(xmlNode *n, size_t limit)
{
	wn_buf b;
	wn_buf_init(&b, limit - 1);
	wn_dom_text(n, &b);
	return wn_buf_take(&b);
}

static void offer_text(meta_acc *a, int f, int prio, xmlNode *n)
{
	if (a->v[f] && a->prio[f] <= prio)
		return;
	char *t = node_text(n, 1024);
	if (t && strlen(t) < 300)
		offer(a, f, prio, t);
	free(t);
}

static void on_script(meta_acc *a, xmlNode *n)
{
	const char *type = wn_dom_attr(n, "type");
	if (!type || !strstr(type, "ld+json"))
		return;
	wn_buf b;
	wn_buf_init(&b, (4 << 20) - 1);
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->content)
			wn_buf_add(&b, (const char *)c->content, strlen((const char *)c->content));
	if (b.p)
		ld_parse(a, b.p, b.len);
	wn_buf_free(&b);
}

static void on_element(meta_acc *a, xmlNode *n, int in_head)
{
	const char *nm = wn_dom_name(n);
	if (wn_streq(nm, "meta")) {
		on_meta(a, n);
	} else if (wn_streq(nm, "html")) {
		offer_lang(a, 1, wn_dom_attr(n, "lang"));
		offer_lang(a, 1, wn_dom_attr(n, "xml:lang"));
		note_locale(a, wn_dom_attr(n, "lang"));
	} else if (wn_streq(nm, "title") && (in_head || !a->v[F_TITLE])) {
		if (!a->v[F_TITLE] || a->prio[F_TITLE] > 5) {
			offer_text(a, F_TITLE, 5, n);
			a->title_is_tag = a->v[F_TITLE] && a->prio[F_TITLE] == 5;
		}
	} else if (wn_streq(nm, "link")) {
		const char *rel = wn_dom_attr(n, "rel"), *href = wn_dom_attr(n, "href");
		if (rel && href && !strcasecmp(rel, "canonical"))
			offer(a, F_CANON, 1, href);
	} else if (wn_streq(nm, "h1")) {
		offer_text(a, F_TITLE, 4, n);
		if (!a->h1) {
			char *t = node_text(n, 1024);
			a->h1 = clean_dup(t);
			free(t);
		}
	} else if (wn_streq(nm, "time")) {
		offer_date(a, F_PUB, 4, wn_dom_attr(n, "datetime"));
	} else if (wn_streq(nm, "a")) {
		const char *rel = wn_dom_attr(n, "rel");
		if (rel && wn_cue_match(rel, "author"))
			offer_text(a, F_AUTHOR, 4, n);
	}
	const char *ip = wn_dom_attr(n, "itemprop");
	if (ip && !wn_streq(nm, "meta")) {
		if (!strcmp(ip, "datePublished"))
			offer_date(a, F_PUB, 3,
			           wn_dom_attr(n, "datetime") ? wn_dom_attr(n, "datetime")
			                                      : wn_dom_attr(n, "content"));
		else if (!strcmp(ip, "author") || !strcmp(ip, "creator"))
			offer_text(a, F_AUTHOR, 4, n);
	}
}

/* The host name of a URL ("https://www.site.example/x" -> pointer to
 * "www.site.example/x"; the title code stops at '/'), or NULL. */
static const char *url_host(const char *url)
{
	const char *p = url ? strstr(url, "://") : NULL;
	return p && p[3] && p[3] != '/' ? p + 3 : NULL;
}

/* The final title: the headline segment of a title with a site name, with
 * the <h1> (unless that is the title), the site name and the host as
 * evidence; a bare <title> may also lose its short side. */
static void settle_title(meta_acc *a, const char *url)
{
	const char *host = url_host(url);
	if (!host)
		host = url_host(a->v[F_CANON]);
	const char *h1 = a->prio[F_TITLE] == 4 ? NULL : a->h1;
	wn_clean_title_pick(a->v[F_TITLE], h1, a->v[F_SITE], host, a->title_is_tag);
}

/* The date the page shows near its headline, when no metadata or
 * <time datetime> gave one; it ranks above a date in the URL. */
static void settle_dates(meta_acc *a, xmlDoc *doc)
{
	if (a->v[F_PUB] && a->prio[F_PUB] <= 4)
		return;
	char pub[40], mod[40];
	if (!wn_dateline_find(doc, a->v[F_TITLE], day_first(a->locale), pub, mod))
		return;
	if (pub[0])
		offer(a, F_PUB, 5, pub);
	if (mod[0])
		offer(a, F_MOD, 5, mod);
}

void wn_meta_extract(xmlDoc *doc, const char *url, wn_clean_doc *d)
{
	meta_acc a;
	memset(&a, 0, sizeof a);
	wn_buf_init(&a.tags, 8191);
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *n = root;
	const xmlNode *head = NULL;
	while (n) {
		if (n->type != XML_ELEMENT_NODE) {
			n = wn_dom_next(n, root, 1);
			continue;
		}
		const char *nm = wn_dom_name(n);
		if (!head && wn_streq(nm, "head"))
			head = n;
		int in_head = head && n->parent == head;
		if (wn_streq(nm, "script")) {
			on_script(&a, n);
			n = wn_dom_next(n, root, 1);
			continue;
		}
		if (wn_streq(nm, "style") || wn_streq(nm, "svg") || wn_streq(nm, "template")) {
			n = wn_dom_next(n, root, 1);
			continue;
		}
		on_element(&a, n, in_head);
		n = wn_dom_next(n, root, 0);
	}
	char ud[16];
	if (wn_clean_url_date(url, ud, sizeof ud))
		offer(&a, F_PUB, 6, ud);
	if (a.v[F_TITLE])
		settle_title(&a, url);
	settle_dates(&a, doc);
	for (int i = 0; i < 4; i++) {
		if (a.tw_author[i] && a.tw_data[i] && wn_author_name_like(a.tw_data[i]))
			offer(&a, F_AUTHOR, 5, a.tw_data[i]); /* below the page's own markup */
		free(a.tw_data[i]);
	}
	if (a.v[F_AUTHOR]) {
		wn_clean_author(a.v[F_AUTHOR]);
		if (!a.v[F_AUTHOR][0]) {
			free(a.v[F_AUTHOR]);
			a.v[F_AUTHOR] = NULL;
		}
	}
	free(a.h1);
	d->title = a.v[F_TITLE];
	d->author = a.v[F_AUTHOR];
	d->published = a.v[F_PUB];
	d->modified = a.v[F_MOD];
	d->lang = a.v[F_LANG];
	d->canonical_url = a.v[F_CANON];
	d->site_name = a.v[F_SITE];
	d->description = a.v[F_DESC];
	d->image = a.v[F_IMAGE];
	d->tags = a.tags.len ? wn_buf_take(&a.tags) : NULL;
	wn_buf_free(&a.tags);
}
