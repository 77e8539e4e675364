/*
 * wn_gunzip (lib/core/gunzip.h): members, limits, damage.
 */
#include "check.h"
#include "gunzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Gzips s into out (one member); its length. */
static size_t gz(const char *s, unsigned char *out, size_t cap)
{
	z_stream z = {0};
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)(uintptr_t)s;
	z.avail_in = (uInt)strlen(s);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	size_t n = z.total_out;
	deflateEnd(&z);
	return n;
}

int main(void)
{
	unsigned char in[4096];
	char *out = NULL;
	size_t len = 0;
	size_t a = gz("hello, ", in, sizeof in);
	size_t b = gz("world", in + a, sizeof in - a);

	CHECK(wn_gunzip(in, a, 100, &out, &len) == WN_GUNZIP_OK);
	CHECK(len == 7 && out[7] == '\0');
	CHECK_STR(out, "hello, ");
	free(out);
	/* Two members in a row read as one text. */
	CHECK(wn_gunzip(in, a + b, 100, &out, &len) == WN_GUNZIP_OK);
	CHECK_STR(out, "hello, world");
	free(out);
	/* Bytes after the last member that start none are ignored. */
	memcpy(in + a + b, "\n\0junk", 6);
	CHECK(wn_gunzip(in, a + b + 6, 100, &out, &len) == WN_GUNZIP_OK && len == 12);
	free(out);
	/* The limit: 12 bytes fit in 12, not in 11. */
	CHECK(wn_gunzip(in, a + b, 12, &out, &len) == WN_GUNZIP_OK);
	free(out);
	out = NULL;
	CHECK(wn_gunzip(in, a + b, 11, &out, &len) == WN_GUNZIP_TOO_BIG && out == NULL);
	/* A large text under a small limit stops early. */
	char *big = malloc(200001);
	memset(big, 'x', 200000);
	big[200000] = '\0';
	unsigned char *zb = malloc(200000);
	size_t zn = gz(big, zb, 200000);
	CHECK(wn_gunzip(zb, zn, 1000, &out, &len) == WN_GUNZIP_TOO_BIG && out == NULL);
	CHECK(wn_gunzip(zb, zn, 200000, &out, &len) == WN_GUNZIP_OK && len == 200000);
	free(out);
	free(big);
	free(zb);
	/* Cut short, damaged, or no gzip at all. */
	out = NULL;
	CHECK(wn_gunzip(in, a - 4, 100, &out, &len) == WN_GUNZIP_CORRUPT && out == NULL);
	in[12] ^= 0xff;
	CHECK(wn_gunzip(in, a, 100, &out, &len) < 0 && out == NULL);
	CHECK(wn_gunzip("plain text", 10, 100, &out, &len) == WN_GUNZIP_CORRUPT);
	CHECK_STR(wn_gunzip_strerror(WN_GUNZIP_TOO_BIG), "gunzipped data over the size limit");
	return check_finish();
}
