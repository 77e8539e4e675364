/*
 * gunzip (contracts in gunzip.h).
 */
#include "gunzip.h"
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

/* Grows buf (capacity *cap, plus room for the NUL) toward limit; 0 or -1. */
static int grow(char **buf, size_t *cap, size_t limit)
{
	size_t room = *cap + 1;
	char *nb = wn_grow(*buf, &room, room + 1, 1, 0, limit + 1);
	if (!nb)
		return -1;
	*buf = nb;
	*cap = room - 1;
	return 0;
}

int wn_gunzip(const void *in, size_t n, size_t max, char **out, size_t *out_len)
{
	z_stream z = {0};
	if (inflateInit2(&z, 15 + 32) != Z_OK) /* gzip or zlib, by the header */
		return WN_GUNZIP_NOMEM;
	/* room for max + 1 bytes, so that "over the limit" can be seen */
	size_t cap = n * 4 + 1024 < max ? n * 4 + 1024 : max + 1;
	char *buf = malloc(cap + 1);
	size_t len = 0;
	int rc = buf ? Z_OK : Z_MEM_ERROR;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	while (rc == Z_OK) {
		if (len == cap && (cap > max || grow(&buf, &cap, max + 1))) {
			rc = Z_MEM_ERROR; /* or over the limit: len > max says which */
			break;
		}
		z.next_out = (Bytef *)buf + len;
		z.avail_out = (uInt)(cap - len);
		rc = inflate(&z, Z_NO_FLUSH);
		len = cap - z.avail_out;
		if (rc == Z_STREAM_END && z.avail_in >= 2 && z.next_in[0] == 0x1f &&
		    z.next_in[1] == 0x8b) /* a next member */
			rc = inflateReset(&z);
	}
	inflateEnd(&z);
	if (rc != Z_STREAM_END || len > max) {
		free(buf);
		return len > max           ? WN_GUNZIP_TOO_BIG
		       : rc == Z_MEM_ERROR ? WN_GUNZIP_NOMEM
		                           : WN_GUNZIP_CORRUPT;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return WN_GUNZIP_OK;
}

const char *wn_gunzip_strerror(int err)
{
	switch (err) {
	case WN_GUNZIP_OK:
		return "ok";
	case WN_GUNZIP_TOO_BIG:
		return "gunzipped data over the size limit";
	case WN_GUNZIP_NOMEM:
		return "out of memory";
	default:
		return "corrupt gzip data";
	}
}
