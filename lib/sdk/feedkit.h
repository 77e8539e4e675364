/*
 * feedkit: what the feed and sitemap sources share. Loading a document
 * from a URL (through the run's HTTP service) or a file, with a hard size
 * limit and transparent gunzip; parsing XML safely; plain text of an
 * element; dates to ISO 8601 UTC; stable ids.
 *
 * XML safety: documents are parsed with XML_PARSE_RECOVER (malformed feeds
 * are common) and XML_PARSE_NONET, never with XML_PARSE_NOENT or
 * XML_PARSE_DTDLOAD, so external entities are never loaded; and text is
 * read from text and CDATA nodes only, so entity references (a
 * billion-laughs payload) are never expanded, not even on reading.
 */
#ifndef WN_FEEDKIT_H
#define WN_FEEDKIT_H

#include <libxml/tree.h>
#include <stddef.h>

#include <winnow/plugin.h>

/* A loaded document: malloc'd bytes, NUL-terminated. */
typedef struct fk_doc {
	char *data;
	size_t len;
	int not_modified; /* fk_load returned WN_DROP for a 304 */
} fk_doc;

/* Loads `src`, a URL (is_url) or a file path, into doc, gunzipping gzip
 * data, never holding more than `max` bytes. URLs go through
 * api->http_fetch with `flags` (plus WN_HTTP_ANY_TYPE). Returns WN_OK;
 * WN_DROP when the HTTP service skipped it (304 sets doc->not_modified;
 * robots.txt, blocked address...); WN_ERROR. The code and reason are set
 * on r unless it is WN_OK. */
int fk_load(const wn_ctx *cx, wn_record *r, const char *src, int is_url, unsigned flags, size_t max,
            fk_doc *doc);
void fk_doc_free(fk_doc *doc);

/* Parses XML safely (see above); NULL when nothing could be recovered. */
xmlDocPtr fk_parse(const fk_doc *doc, const char *url);

/* The text of n's text and CDATA descendants, white space trimmed; at
 * most `max` bytes. malloc'd; NULL when empty or out of memory. */
char *fk_text(xmlNodePtr n, size_t max);

/* True when n is an element with local name `name` (any namespace). */
int fk_is(xmlNodePtr n, const char *name);

/* Normalises an RFC 822 or ISO 8601 date to "YYYY-MM-DDTHH:MM:SSZ" (UTC)
 * in out[32], with the one date normaliser (lib/core/datetime.h, which
 * says what it reads). Returns 0, or -1 when the text is not a date. */
int fk_date_iso(const char *in, char out[32]);

/* A stable id for s: the first 16 hex digits of its SHA-256. */
void fk_id(const char *s, char out[17]);

#endif
