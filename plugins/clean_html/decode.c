/*
 * Sniffing (HTML, other text, binary) and decoding to UTF-8.
 *
 * Charset order follows the HTML standard's spirit: a BOM wins, then the
 * HTTP content type, then a <meta> in the first bytes, else UTF-8 when the
 * bytes are valid UTF-8, else windows-1252 (what browsers assume for
 * "iso-8859-1" and for unlabelled legacy pages). One deviation, on purpose:
 * a single-byte label on bytes that are valid UTF-8 with multi-byte
 * sequences is taken as UTF-8, because fetchers often re-encode a page
 * without touching its <meta>; real Latin-1 text almost never validates.
 */
#include "internal.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Case-insensitive search for needle in the first n bytes of h. */
static const char *memcasestr(const char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (tolower((unsigned char)h[i]) == needle[0] && strncasecmp(h + i, needle, k) == 0)
			return h + i;
	return NULL;
}

/* Binary when the head has NUL bytes or many C0 controls, or starts with
 * a well-known binary signature. UTF-16 with a BOM is text. */
static int looks_binary(const unsigned char *s, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
	} sigs[] = {{"%PDF", 4},
	            {"\x89PNG", 4},
	            {"GIF8", 4},
	            {"\xFF\xD8\xFF", 3},
	            {"PK\x03\x04", 4},
	            {"\x1F\x8B", 2},
	            {"\x7F"
	             "ELF",
	             4},
	            {"BZh", 3},
	            {"\xFD"
	             "7zXZ",
	             5},
	            {"RIFF", 4},
	            {"OggS", 4},
	            {"\x00\x00\x01\x00", 4}};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (n >= sigs[i].len && memcmp(s, sigs[i].magic, sigs[i].len) == 0)
			return 1;
	if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
		return 0;
	size_t head = n < 4096 ? n : 4096, ctl = 0;
	for (size_t i = 0; i < head; i++) {
		if (s[i] == 0)
			return 1;
		if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' && s[i] != '\f')
			ctl++;
	}
	return head && ctl * 20 > head; /* > 5% control bytes */
}

/* Does the head of the bytes contain markup that only HTML has? */
static int looks_html(const char *s, size_t n)
{
	static const char *const marks[] = {
	    "<!doctype html", "<html",  "<head", "<body",   "<meta",    "<title",
	    "<div",           "<p>",    "<p ",   "<script", "<article", "<br",
	    "<a href",        "<table", "<h1",   "<link",   "<span"};
	size_t head = n < 2048 ? n : 2048;
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (memcasestr(s, head, marks[i]))
			return 1;
	return 0;
}

int wn_clean_sniff(const char *bytes, size_t n, const char *ct)
{
	if (looks_binary((const unsigned char *)bytes, n))
		return WN_SNIFF_BINARY;
	if (ct && *ct) {
		if (strncasecmp(ct, "image/", 6) == 0 || strncasecmp(ct, "audio/", 6) == 0 ||
		    strncasecmp(ct, "video/", 6) == 0 || strncasecmp(ct, "font/", 5) == 0 ||
		    memcasestr(ct, strlen(ct), "application/pdf") ||
		    memcasestr(ct, strlen(ct), "application/zip"))
			return WN_SNIFF_BINARY;
		if (memcasestr(ct, strlen(ct), "html"))
			return WN_SNIFF_HTML;
		if (strncasecmp(ct, "text/", 5) == 0 || memcasestr(ct, strlen(ct), "json") ||
		    memcasestr(ct, strlen(ct), "xml"))
			return looks_html(bytes, n) && strncasecmp(ct, "text/plain", 10) != 0
			           ? WN_SNIFF_HTML
			           : WN_SNIFF_TEXT;
	}
	return looks_html(bytes, n) ? WN_SNIFF_HTML : WN_SNIFF_TEXT;
}

/* Canonical charset names we act on. */
static const char CS_UTF8[] = "UTF-8", CS_1252[] = "windows-1252";

/* Maps a charset label to the name used for decoding, or NULL when unknown
 * to iconv. Latin-1 and ASCII labels mean windows-1252 (HTML standard). */
static const char *charset_name(const char *label, size_t len, char *buf, size_t bufsz)
{
	while (len && (isspace((unsigned char)*label) || *label == '"' || *label == '\'')) {
		label++;
		len--;
	}
	size_t k = 0;
	while (k < len && k + 1 < bufsz &&
	       (isalnum((unsigned char)label[k]) || label[k] == '-' || label[k] == '_' ||
	        label[k] == '.' || label[k] == ':'))
		buf[k] = (char)tolower((unsigned char)label[k]), k++;
	buf[k] = 0;
	if (!k)
		return NULL;
	if (!strcmp(buf, "utf-8") || !strcmp(buf, "utf8") || !strcmp(buf, "unicode-1-1-utf-8"))
		return CS_UTF8;
	if (!strcmp(buf, "iso-8859-1") || !strcmp(buf, "latin1") || !strcmp(buf, "latin-1") ||
	    !strcmp(buf, "us-ascii") || !strcmp(buf, "ascii") || !strcmp(buf, "windows-1252") ||
	    !strcmp(buf, "cp1252") || !strcmp(buf, "iso8859-1") || !strcmp(buf, "l1") ||
	    !strcmp(buf, "x-cp1252") || !strcmp(buf, "iso_8859-1"))
		return CS_1252;
	if (!strcmp(buf, "gb2312") || !strcmp(buf, "gbk") || !strcmp(buf, "x-gbk"))
		return "GB18030";
	if (!strcmp(buf, "x-sjis") || !strcmp(buf, "sjis") || !strcmp(buf, "shift-jis"))
		return "SHIFT_JIS";
	if (!strcmp(buf, "utf-16"))
		return "UTF-16LE";
	iconv_t cd = iconv_open("UTF-8", buf);
	if (cd == (iconv_t)-1)
		return NULL;
	iconv_close(cd);
	return buf;
}

/* The charset parameter of a content type or meta content, or NULL. */
static const char *find_charset_param(const char *s, size_t n, size_t *len)
{
	const char *p = memcasestr(s, n, "charset");
	if (!p)
		return NULL;
	p += 7;
	const char *end = s + n;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p >= end || *p != '=')
		return NULL;
	p++;
	while (p < end && (isspace((unsigned char)*p) || *p == '"' || *p == '\''))
		p++;
	const char *q = p;
	while (q < end && !isspace((unsigned char)*q) && *q != ';' && *q != '"' && *q != '\'' &&
	       *q != '>' && *q != '/')
		q++;
	*len = (size_t)(q - p);
	return *len ? p : NULL;
}

/* Looks for <meta charset> or <meta http-equiv content="...charset=">
 * in the first 16 KiB (the standard says 1024 bytes; real pages put long
 * scripts first). */
static const char *meta_charset(const char *s, size_t n, char *buf, size_t bufsz)
{
	size_t head = n < 16384 ? n : 16384;
	const char *p = s, *end = s + head;
	while ((p = memcasestr(p, (size_t)(end - p), "<meta")) != NULL) {
		const char *gt = memchr(p, '>', (size_t)(end - p));
		if (!gt)
			break;
		size_t len;
		const char *v = find_charset_param(p, (size_t)(gt - p), &len);
		if (v) {
			const char *name = charset_name(v, len, buf, bufsz);
			if (name)
				return name;
		}
		p = gt;
	}
	return NULL;
}

/* windows-1252 bytes 0x80-0x9F; the rest of the range is Latin-1. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

static char *decode_1252(const unsigned char *s, size_t n, size_t *out_len)
{
	char *out = malloc(n * 3 + 1);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = s[i];
		if (cp < 0x80) {
			out[k++] = (char)cp;
			continue;
		}
		if (cp < 0xA0)
			cp = cp1252_hi[cp - 0x80];
		k += wn_utf8_encode(cp, (unsigned char *)out + k);
	}
	out[k] = 0;
	*out_len = k;
	return out;
}

/* Any charset through iconv; an undecodable byte becomes U+FFFD and is
 * skipped. The result is repaired again, in case iconv passes junk. */
static char *decode_iconv(const char *cs, const char *s, size_t n, size_t *out_len)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = n * 4 + 16;
	char *out = malloc(cap);
	if (!out) {
		iconv_close(cd);
		return NULL;
	}
	char *in = (char *)s, *o = out;
	size_t inleft = n, oleft = cap - 1;
	while (inleft) {
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			break;
		if (errno == E2BIG || oleft < 4)
			break; /* cannot happen with 4x room; stop rather than loop */
		memcpy(o, "\xEF\xBF\xBD", 3);
		o += 3, oleft -= 3;
		in++, inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	char *fixed = wn_utf8_repair(out, (size_t)(o - out), out_len);
	free(out);
	return fixed;
}

/* Valid UTF-8 with at least one multi-byte sequence? */
static int utf8_with_multibyte(const unsigned char *s, size_t n)
{
	if (wn_utf8_valid_prefix(s, n) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return 1;
	return 0;
}

const char *wn_clean_decode_view(const char *bytes, size_t n, const char *ct, size_t *out_len,
                                 const char **charset, char **owned)
{
	*owned = NULL;
	const unsigned char *u = (const unsigned char *)bytes;
	char buf[64];
	const char *cs = NULL;
	if (n >= 3 && memcmp(u, "\xEF\xBB\xBF", 3) == 0) {
		bytes += 3, u += 3, n -= 3;
		cs = CS_UTF8;
	} else if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		bytes += 2, u += 2, n -= 2;
		cs = "UTF-16LE";
	} else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		bytes += 2, u += 2, n -= 2;
		cs = "UTF-16BE";
	}
	size_t len;
	const char *v;
	if (!cs && ct && (v = find_charset_param(ct, strlen(ct), &len)))
		cs = charset_name(v, len, buf, sizeof buf);
	if (!cs)
		cs = meta_charset(bytes, n, buf, sizeof buf);
	if (cs && strcmp(cs, CS_UTF8) != 0 && strncmp(cs, "UTF-16", 6) != 0 &&
	    utf8_with_multibyte(u, n))
		cs = CS_UTF8;
	size_t valid = n + 1; /* not known yet */
	if (!cs) {
		valid = wn_utf8_valid_prefix(u, n);
		cs = valid == n ? CS_UTF8 : CS_1252;
	}

	char *out;
	if (cs == CS_UTF8) {
		*charset = CS_UTF8;
		if (valid > n)
			valid = wn_utf8_valid_prefix(u, n);
		if (valid == n) { /* nothing to repair: the bytes as they are */
			*out_len = n;
			return bytes;
		}
		out = wn_utf8_repair(bytes, n, out_len);
	} else if (cs == CS_1252) {
		out = decode_1252(u, n, out_len);
		*charset = CS_1252;
	} else {
		out = decode_iconv(cs, bytes, n, out_len);
		*charset = "iconv";
		if (!out) { /* iconv refused after all: fall back to 1252 */
			out = decode_1252(u, n, out_len);
			*charset = CS_1252;
		}
	}
	*owned = out;
	return out;
}

char *wn_clean_decode(const char *bytes, size_t n, const char *ct, size_t *out_len,
                      const char **charset)
{
	char *owned;
	const char *v = wn_clean_decode_view(bytes, n, ct, out_len, charset, &owned);
	if (owned || !v)
		return owned;
	char *out = malloc(*out_len + 1); /* as wn_utf8_repair copies valid input */
	if (!out)
		return NULL;
	memcpy(out, v, *out_len);
	out[*out_len] = 0;
	return out;
}
