/*
 * Record identity: canonical URLs and the stable short ids derived from
 * them, which join the output tables and are what downstream dedups on.
 */
#ifndef WN_IDENTITY_H
#define WN_IDENTITY_H

#include <stddef.h>

/* Canonical form of an absolute URL: scheme and host lower-cased, default
 * port removed, fragment removed, tracking parameters (utm_*, fbclid,
 * gclid, ...) removed, remaining query parameters sorted, an empty query
 * dropped. Other URLs are returned trimmed but otherwise unchanged. Heap
 * string; NULL only for NULL input. */
char *wn_canonical_url(const char *url);

/* The id of a record: the first 16 hex digits of SHA-256 over the
 * canonical URL, into out[17]. Documented so analysts can recompute it. */
void wn_url_id(const char *url, char out[17]);

/* The id of content without a URL: 16 hex digits of SHA-256 of the bytes. */
void wn_bytes_id(const void *data, size_t n, char out[17]);

#endif
