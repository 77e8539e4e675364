/*
 * UTF-8 helpers shared by plugins and the runner: strict decoding (no
 * overlongs, no surrogates, nothing above U+10FFFF) and repair of invalid
 * input with U+FFFD, so every text winnow writes is valid UTF-8.
 */
#ifndef WN_UTF8_H
#define WN_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (n bytes available). Returns its byte
 * length (1-4) and writes *cp, or returns 0 when the bytes at s do not
 * start a valid sequence (then one byte should be skipped/replaced). */
size_t wn_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* wn_utf8_decode with the ASCII and two-byte cases inline, for loops
 * over every character: most text is ASCII or two-byte (Latin, Greek,
 * Cyrillic, Hebrew, Arabic), and the call per character was a tenth of
 * clean_text's time. Same results. */
static inline size_t wn_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n > 0 && s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	/* C2-DF lead bytes cannot be overlong */
	if (n >= 2 && s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	return wn_utf8_decode(s, n, cp);
}

/* Encodes cp into out (4 bytes room); returns the length (1-4), or 0 for
 * a surrogate or a value above U+10FFFF. */
size_t wn_utf8_encode(uint32_t cp, unsigned char *out);

/* Length of the longest valid UTF-8 prefix of s; == n when all valid. */
size_t wn_utf8_valid_prefix(const unsigned char *s, size_t n);

/* Copies s to a new malloc'd NUL-terminated string with every invalid
 * byte replaced by U+FFFD. *out_len gets the length when not NULL.
 * Returns NULL when out of memory. */
char *wn_utf8_repair(const char *s, size_t n, size_t *out_len);

#endif
