/*
 * Mojibake repair. See mojibake.h.
 */
#include "mojibake.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* The windows-1252 characters of bytes 0x80-0x9F, by byte (0: none). */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The byte a continuation character stood for: U+0080-U+00BF as Latin-1,
 * or a windows-1252 character of 0x80-0x9F; -1 for any other. *c1 is set
 * for a C1 control, *w for a windows-1252 character. */
static int cont_byte(uint32_t cp, int *c1, int *w)
{
	if (cp >= 0x80 && cp <= 0xBF) {
		*c1 |= cp <= 0x9F;
		return (int)cp;
	}
	for (int b = 0; b < 32; b++)
		if (cp1252_c1[b] && cp1252_c1[b] == cp) {
			*w = 1;
			return 0x80 + b;
		}
	return -1;
}

int wn_mojibake_maybe(const char *s, size_t n)
{
	/* U+00C2-U+00F4 is C3 82 - C3 B4 in UTF-8 */
	for (const char *p = memchr(s, 0xC3, n); p && p + 1 < s + n;
	     p = memchr(p + 1, 0xC3, (size_t)(s + n - p - 1)))
		if ((unsigned char)p[1] >= 0x82 && (unsigned char)p[1] <= 0xB4)
			return 1;
	return 0;
}

/* The repair of the sequence at s (n bytes) whose first character, lead,
 * is k bytes long: writes the character's UTF-8 bytes to out and returns
 * how many input bytes it spans, or 0 when it is not mojibake. */
static size_t repair_at(const unsigned char *s, size_t n, uint32_t lead, size_t k,
                        unsigned char *out, size_t *out_len)
{
	size_t need = lead <= 0xDF ? 1 : lead <= 0xEF ? 2 : 3, at = k;
	unsigned char bytes[4] = {(unsigned char)lead};
	int c1 = 0, w = 0;
	uint32_t cp;

	for (size_t j = 1; j <= need; j++) {
		uint32_t c;
		size_t m = wn_utf8_next(s + at, n - at, &c);
		int b = m ? cont_byte(c, &c1, &w) : -1;
		if (b < 0)
			return 0;
		bytes[j] = (unsigned char)b;
		at += m;
	}
	if (wn_utf8_decode(bytes, need + 1, &cp) != need + 1)
		return 0;
	/* evidence that this is not text: see mojibake.h */
	if (!c1 && need == 1 && !(!w && (lead == 0xC2 || lead == 0xC3)))
		return 0;
	memcpy(out, bytes, need + 1);
	*out_len = need + 1;
	return at;
}

size_t wn_mojibake_fix(char *s, size_t n)
{
	unsigned char *u = (unsigned char *)s;
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = wn_utf8_next(u + i, n - i, &cp), span = 0, len = 0;
		unsigned char fixed[4];
		if (k && cp >= 0xC2 && cp <= 0xF4)
			span = repair_at(u + i, n - i, cp, k, fixed, &len);
		if (span) {
			/* len < span: each input character is 2+ bytes, each
			 * output byte stood for one of them */
			memcpy(u + o, fixed, len);
			o += len;
			i += span;
			continue;
		}
		if (!k)
			k = 1;
		memmove(u + o, u + i, k);
		o += k;
		i += k;
	}
	return o;
}
