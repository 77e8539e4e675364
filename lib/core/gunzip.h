/*
 * gunzip: gzip (or zlib) data in memory to a new buffer, with a hard size
 * limit. The one in-memory inflater: feeds and sitemaps (feedkit) and
 * gzip-encoded WARC bodies (source_warc) both use it. Reading a .gz file
 * as a stream is zlib's gzread, not this.
 */
#ifndef WN_GUNZIP_H
#define WN_GUNZIP_H

#include <stddef.h>

/* Why wn_gunzip failed. */
enum wn_gunzip_err {
	WN_GUNZIP_OK = 0,
	WN_GUNZIP_CORRUPT = -1, /* not gzip, or damaged */
	WN_GUNZIP_TOO_BIG = -2, /* inflates to more than max bytes */
	WN_GUNZIP_NOMEM = -3,
};

/* Inflates the n bytes at in: one gzip member or several in a row (as
 * `cat a.gz b.gz` makes), or zlib data; bytes after the last member that
 * start no new member are ignored, as gzip(1) does. On success *out gets a
 * malloc'd buffer of *out_len bytes plus a NUL (free it) and the result is
 * WN_GUNZIP_OK; otherwise an enum wn_gunzip_err, *out untouched. Never
 * holds more than max + 1 inflated bytes. */
int wn_gunzip(const void *in, size_t n, size_t max, char **out, size_t *out_len);

/* A short phrase for a wn_gunzip result ("corrupt gzip data", ...). */
const char *wn_gunzip_strerror(int err);

#endif
