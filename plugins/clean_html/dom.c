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

int wn_cue_words(const char *s, const char *const *cues)
{
	char w[64];
	while (s && *s) {
		while (*s && !isalnum((unsigned char)*s))
			s++;
		size_t n = 0;
		while (*s && isalnum((unsigned char)*s)) {
			if (n < sizeof w - 1)
				w[n++] = (char)tolower((unsigned char)*s);
			s++;
			if (islower((unsigned char)s[-1]) && isupper((unsigned char)*s))
				break; /* camelCase: "postedOn" is two words */
		}
		for (const char *const *c = cues; n && *c; c++) {
			size_t cl = strlen(*c);
			if ((*c)[cl - 1] == '*' ? n >= cl - 1 && !strncmp(w, *c, cl - 1)
			                        : n == cl && !strncmp(w, *c, n))
				return 1;
		}
	}
	return 0;
}

void wn_dom_add_collapsed(wn_buf *b, const unsigned char *p, int *space, size_t max)
{
	for (; p && *p && b->len <= max; p++) {
		if (isspace(*p)) {
			*space = 1;
			continue;
		}
		if (*space && b->len)
			wn_buf_addc(b, ' ');
		*space = 0;
		wn_buf_addc(b, (char)*p);
	}
}

void wn_dom_text(const xmlNode *root, wn_buf *b)
{
	int space = 0;
	xmlNode *n = (xmlNode *)root;
	while (n) {
		const char *nm = wn_dom_name(n);
		if (n->type == XML_ELEMENT_NODE &&
		    (!strcmp(nm, "script") || !strcmp(nm, "style") || !strcmp(nm, "template"))) {
			n = wn_dom_next(n, root, 1);
			continue;
		}
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			wn_dom_add_collapsed(b, n->content, &space, SIZE_MAX);
		n = wn_dom_next(n, root, 0);
	}
}

int wn_dom_hidden(const xmlNode *n)
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
