/*
 * Base64 (contracts in base64.h).
 */
#include "base64.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *wn_base64_encode(const void *data, size_t n, size_t *len)
{
	const unsigned char *p = data;
	char *out = malloc((n + 2) / 3 * 4 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	if (len)
		*len = o;
	return out;
}

unsigned char *wn_base64_decode(const char *s, size_t n, size_t *len)
{
	unsigned char *out = malloc(n / 4 * 3 + 3);
	uint32_t v = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; out && i < n && s[i] != '='; i++) {
		const char *c = s[i] ? strchr(b64, s[i]) : NULL;
		if (!c) {
			free(out);
			return NULL;
		}
		v = v << 6 | (uint32_t)(c - b64);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits);
		}
	}
	*len = o;
	return out;
}
