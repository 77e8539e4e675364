/*
 * feedkit: see feedkit.h.
 */
#include "feedkit.h"

#include "datetime.h"
#include "gunzip.h"
#include "sha256.h"

#include <ctype.h>
#include <errno.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fk_doc_free(fk_doc *doc)
{
	free(doc->data);
	doc->data = NULL;
	doc->len = 0;
}

static int load_file(const char *path, size_t max, fk_doc *doc, char *why, size_t whylen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 64 * 1024, len = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len > max)
			break;
		if (len == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf || len > max) {
		snprintf(why, whylen, "%s: %s", path,
		         buf ? "larger than the size limit" : "out of memory");
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	doc->data = buf;
	doc->len = len;
	return 0;
}

static int load_url(const wn_ctx *cx, wn_record *r, const char *url, unsigned flags, size_t max,
                    fk_doc *doc)
{
	const wn_host_api *a = cx->api;
	wn_http_req req = {sizeof(req), url, flags | WN_HTTP_ANY_TYPE};
	wn_http_resp resp = WN_HTTP_RESP_INIT;
	if (a->http_fetch(cx, &req, &resp, 1) != WN_OK) {
		a->reason(r, "no_http", "the HTTP service is not available");
		return WN_ERROR;
	}
	int rc = resp.rc;
	if (rc != WN_OK) {
		a->reason(r, resp.code, "%s: %s", url, resp.reason);
		doc->not_modified = rc == WN_DROP && !strcmp(resp.code, "not_modified");
	} else if (resp.body_len > max) {
		a->reason(r, "too_large", "%s: larger than the size limit", url);
		rc = WN_ERROR;
	} else {
		doc->data = resp.body; /* ours now */
		doc->len = resp.body_len;
		resp.body = NULL;
	}
	a->http_release(&resp);
	return rc;
}

int fk_load(const wn_ctx *cx, wn_record *r, const char *src, int is_url, unsigned flags, size_t max,
            fk_doc *doc)
{
	char why[512];
	memset(doc, 0, sizeof(*doc));
	if (is_url) {
		int rc = load_url(cx, r, src, flags, max, doc);
		if (rc != WN_OK)
			return rc;
	} else if (load_file(src, max, doc, why, sizeof(why))) {
		cx->api->reason(r, "read_error", "%s", why);
		return WN_ERROR;
	}
	if (doc->len >= 2 && (unsigned char)doc->data[0] == 0x1f &&
	    (unsigned char)doc->data[1] == 0x8b) {
		fk_doc raw = *doc;
		int bad = wn_gunzip(raw.data, raw.len, max, &doc->data, &doc->len);
		fk_doc_free(&raw);
		if (bad) {
			memset(doc, 0, sizeof(*doc));
			cx->api->reason(r, "bad_gzip", "%s: %s", src, wn_gunzip_strerror(bad));
			return WN_ERROR;
		}
	}
	return WN_OK;
}

xmlDocPtr fk_parse(const fk_doc *doc, const char *url)
{
	/* No XML_PARSE_NOENT, no XML_PARSE_DTDLOAD/DTDATTR: entities stay
	 * references and nothing external is read. No XML_PARSE_HUGE: the
	 * parser's own depth and size limits stay on. */
	int opts = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	           XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
	if (doc->len > (size_t)0x7fffffff)
		return NULL;
	return xmlReadMemory(doc->data, (int)doc->len, url, NULL, opts);
}

/* Appends the text under n to buf (len, cap), depth-first. */
static void text_walk(xmlNodePtr n, char *buf, size_t *len, size_t max, int depth)
{
	for (; n && *len < max; n = n->next) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
			size_t k = strlen((const char *)n->content);
			if (k > max - *len)
				k = max - *len;
			memcpy(buf + *len, n->content, k);
			*len += k;
		} else if (n->type == XML_ELEMENT_NODE && depth < 32) {
			text_walk(n->children, buf, len, max, depth + 1);
		}
		/* XML_ENTITY_REF_NODE: never followed (billion laughs). */
	}
}

char *fk_text(xmlNodePtr n, size_t max)
{
	char *buf = malloc(max + 1);
	if (!buf)
		return NULL;
	size_t len = 0;
	text_walk(n->children, buf, &len, max, 0);
	buf[len] = '\0';
	char *s = buf;
	while (isspace((unsigned char)*s))
		s++;
	size_t k = strlen(s);
	while (k && isspace((unsigned char)s[k - 1]))
		s[--k] = '\0';
	if (!k) {
		free(buf);
		return NULL;
	}
	memmove(buf, s, k + 1);
	/* Give back the rest of the `max` bytes: a feed of 100k items keeps
	 * each field, so each must cost its length, not 64 KiB. */
	char *fit = realloc(buf, k + 1);
	return fit ? fit : buf;
}

int fk_is(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->name &&
	       strcmp((const char *)n->name, name) == 0;
}

/* ---- dates --------------------------------------------------------------- */

int fk_date_iso(const char *in, char out[32])
{
	wn_time t;
	if (!in || wn_time_parse(in, strlen(in), &t) != 0)
		return -1;
	wn_time_format(t.epoch, out);
	return 0;
}

void fk_id(const char *s, char out[17])
{
	char hex[65];
	wn_sha256_hex(s, strlen(s), hex);
	memcpy(out, hex, 16);
	out[16] = '\0';
}
