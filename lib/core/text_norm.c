/*
 * Unicode text helpers: decoding, normalisation, scripts, word counts.
 * See text_norm.h for the contracts.
 */
#include "text_norm.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "utf8.h"

/* windows-1252 code points for bytes 0x80..0x9F (0 = undefined there, which
 * we map to U+FFFD); the rest of the code page equals Latin-1. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Latin-1 or windows-1252 to UTF-8 (at most 3 bytes per input byte). */
static char *decode_single_byte(const unsigned char *s, size_t n, int cp1252, size_t *out_len)
{
	char *out = malloc(n * 3 + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = s[i];
		if (cp1252 && cp >= 0x80 && cp < 0xA0)
			cp = cp1252_high[cp - 0x80] ? cp1252_high[cp - 0x80] : 0xFFFD;
		o += wn_utf8_encode(cp, (unsigned char *)out + o);
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return out;
}

/* Converts with iconv from `charset`; NULL when iconv does not know the
 * charset or the input is not valid in it (the caller falls back). */
static char *decode_iconv(const char *s, size_t n, const char *charset, size_t *out_len)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	size_t cap = n * 4 + 16, inleft = n, outleft = cap;
	char *out, *in = (char *)s, *op;

	if (cd == (iconv_t)-1)
		return NULL;
	out = malloc(cap + 1);
	if (!out) {
		iconv_close(cd);
		return NULL;
	}
	op = out;
	if (iconv(cd, &in, &inleft, &op, &outleft) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &outleft) == (size_t)-1) {
		free(out);
		iconv_close(cd);
		return NULL;
	}
	iconv_close(cd);
	*op = '\0';
	/* iconv output is valid UTF-8, but repair anyway: a broken converter
	 * must not leak invalid bytes downstream. */
	char *fixed = wn_utf8_repair(out, (size_t)(op - out), out_len);
	free(out);
	return fixed;
}

/* Copies the charset named in a content type into buf (lower case);
 * returns 0 when there is none. A bare name ("utf-8") counts as one. */
static int charset_of(const char *ct, char *buf, size_t cap)
{
	const char *p;
	size_t k = 0;

	if (!ct || !*ct)
		return 0;
	p = strcasestr(ct, "charset=");
	if (p)
		p += 8;
	else if (!strchr(ct, '/') && !strchr(ct, ';'))
		p = ct;
	else
		return 0;
	while (*p == ' ' || *p == '"' || *p == '\'')
		p++;
	while (*p && *p != ';' && *p != '"' && *p != '\'' && *p != ' ' && k + 1 < cap)
		buf[k++] = (char)tolower((unsigned char)*p++);
	buf[k] = '\0';
	return k > 0;
}

char *wn_text_decode(const void *raw, size_t n, const char *content_type, size_t *out_len)
{
	const unsigned char *s = raw;
	char cs[64];
	char *out;

	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return wn_utf8_repair((const char *)s + 3, n - 3, out_len);
	if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		/* iconv's "UTF-16" reads the BOM itself. */
		out = decode_iconv((const char *)s, n, "UTF-16", out_len);
		if (out)
			return out;
	}
	if (charset_of(content_type, cs, sizeof cs)) {
		if (!strcmp(cs, "utf-8") || !strcmp(cs, "utf8") || !strcmp(cs, "us-ascii"))
			return wn_utf8_repair((const char *)s, n, out_len);
		/* Pages labelled Latin-1 are windows-1252 in practice (WHATWG). */
		if (!strcmp(cs, "iso-8859-1") || !strcmp(cs, "latin1") ||
		    !strcmp(cs, "windows-1252") || !strcmp(cs, "cp1252"))
			return decode_single_byte(s, n, 1, out_len);
		out = decode_iconv((const char *)s, n, cs, out_len);
		if (out)
			return out;
	}
	if (wn_utf8_valid_prefix(s, n) == n)
		return wn_utf8_repair((const char *)s, n, out_len);
	return decode_single_byte(s, n, 1, out_len);
}

/* Characters that take no room and carry no meaning in text. */
static int is_invisible(uint32_t cp)
{
	return cp == 0x200B || cp == 0xFEFF || cp == 0x00AD || cp == 0x180E ||
	       (cp >= 0x2060 && cp <= 0x2064);
}

/* A growable output buffer; capacity is fixed up front (normalisation never
 * grows text by more than the NFC step already did). */
typedef struct {
	char *buf;
	size_t len;
	size_t line_start; /* offset where the current line began */
	size_t trim_mark;  /* offset before a trailing run of spaces, or SIZE_MAX */
	int pending_space; /* ASCII blank seen since the last character */
	int blank_lines;   /* blank lines pending before the next text line */
	int any_text;      /* a text line was written */
} norm_out;

static void out_cp(norm_out *o, uint32_t cp)
{
	if (cp < 0x80) {
		o->buf[o->len++] = (char)cp;
		return;
	}
	o->len += wn_utf8_encode(cp, (unsigned char *)o->buf + o->len);
}

/* Ends the current line: drops its trailing spaces, and turns an empty line
 * into a pending blank line. */
static void end_line(norm_out *o)
{
	if (o->trim_mark != SIZE_MAX)
		o->len = o->trim_mark;
	o->trim_mark = SIZE_MAX;
	o->pending_space = 0;
	if (o->len == o->line_start) {
		o->blank_lines++;
		return;
	}
	o->any_text = 1;
	o->blank_lines = 0;
	o->buf[o->len++] = '\n';
	o->line_start = o->len;
}

/* Writes a visible character (or a no-break space) to the current line,
 * first emitting the blank line and the space it is owed. */
static void put_char(norm_out *o, uint32_t cp, int is_space)
{
	if (o->len == o->line_start) {
		if (is_space)
			return; /* leading spaces */
		if (o->any_text && o->blank_lines > 0) {
			o->buf[o->len++] = '\n';
			o->line_start = o->len;
		}
		o->blank_lines = 0;
	} else if (o->pending_space) {
		if (o->trim_mark == SIZE_MAX)
			o->trim_mark = o->len;
		o->buf[o->len++] = ' ';
	}
	o->pending_space = 0;
	if (is_space) {
		if (o->trim_mark == SIZE_MAX)
			o->trim_mark = o->len;
	} else {
		o->trim_mark = SIZE_MAX;
	}
	out_cp(o, cp);
}

/* utf8proc_category with an ASCII fast path (a table look-up per
 * character was most of clean_text's time). Exact for the categories the
 * callers here test (Cc, Zs, letters, marks, digits); other printable
 * ASCII reads as Po, as none of them tests punctuation or symbols. */
static utf8proc_category_t category(uint32_t cp)
{
	/* Latin-1 letters and basic Cyrillic (U+0400-U+045F, all letters):
	 * capitals, then small letters */
	if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x400 && cp <= 0x42F))
		return UTF8PROC_CATEGORY_LU;
	if ((cp >= 0xDF && cp <= 0xFF && cp != 0xF7) || (cp >= 0x430 && cp <= 0x45F))
		return UTF8PROC_CATEGORY_LL;
	if (cp >= 0x80)
		return utf8proc_category((utf8proc_int32_t)cp);
	if (cp < 0x20 || cp == 0x7F)
		return UTF8PROC_CATEGORY_CC;
	if (cp == ' ')
		return UTF8PROC_CATEGORY_ZS;
	if (cp >= 'A' && cp <= 'Z')
		return UTF8PROC_CATEGORY_LU;
	if (cp >= 'a' && cp <= 'z')
		return UTF8PROC_CATEGORY_LL;
	if (cp >= '0' && cp <= '9')
		return UTF8PROC_CATEGORY_ND;
	return UTF8PROC_CATEGORY_PO;
}

/* The normalising pass over NFC text (valid UTF-8, n bytes). */
static void normalize_pass(const unsigned char *s, size_t n, norm_out *o)
{
	uint32_t prev = ' ', next = ' ';
	size_t nk = 0; /* length of the character at i, decoded into next */

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = nk ? nk : wn_utf8_next(s + i, n - i, &next);
		cp = next;
		if (!k) { /* cannot happen after repair; be safe */
			i++;
			continue;
		}
		i += k;
		/* the next character, decoded once for both iterations */
		next = ' ';
		nk = i < n ? wn_utf8_next(s + i, n - i, &next) : 0;
		if (i < n && !nk)
			next = ' ';
		if (cp >= 0x21 && cp < 0x7F) { /* printable ASCII: the common case */
			if (o->len != o->line_start && !o->pending_space) {
				o->trim_mark = SIZE_MAX; /* put_char, inside a word */
				o->buf[o->len++] = (char)cp;
			} else
				put_char(o, cp, 0);
		} else if (cp == '\r') {
			if (next != '\n')
				end_line(o);
		} else if (cp == '\n' || cp == '\v' || cp == '\f' || cp == 0x85 || cp == 0x2028) {
			end_line(o);
		} else if (cp == 0x2029) {
			end_line(o);
			end_line(o);
		} else if (cp == ' ' || cp == '\t') {
			o->pending_space = 1;
		} else if (category(cp) == UTF8PROC_CATEGORY_CC || is_invisible(cp)) {
			/* dropped */
		} else if ((cp == 0x200C || cp == 0x200D) &&
		           (category(prev) == UTF8PROC_CATEGORY_ZS || prev <= ' ' || next <= ' ')) {
			/* a joiner next to a space or line end joins nothing */
		} else {
			put_char(o, cp, category(cp) == UTF8PROC_CATEGORY_ZS);
		}
		prev = cp;
	}
	end_line(o);
	if (o->len > 0 && o->buf[o->len - 1] == '\n')
		o->len--;
	o->buf[o->len] = '\0';
}

/* True when n bytes are valid UTF-8 without NUL and every non-ASCII
 * character passes keep(): the quick checks below share this walk. */
static int all_chars(const char *s, size_t n, int (*keep)(uint32_t))
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k;
		if (u[i] < 0x80) {
			if (!u[i])
				return 0;
			i++;
			continue;
		}
		k = wn_utf8_decode(u + i, n - i, &cp);
		if (!k || !keep(cp))
			return 0;
		i += k;
	}
	return 1;
}

/* CJK punctuation without the combining tone marks (U+302A-U+302F),
 * kana without the combining sound marks (U+3099, U+309A) and Hangul
 * syllables: no case; precomposed, so NFC leaves them alone; and nothing
 * in the quick sets composes with them. */
static int kana_hangul(uint32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x3029) || (cp >= 0x3030 && cp <= 0x303F) ||
	       (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA) ||
	       (cp >= 0x30FC && cp <= 0x30FE) || (cp >= 0xAC00 && cp <= 0xD7A3);
}

/* Characters that neither case folding nor NFC change, and that compose
 * with nothing before them: general punctuation (U+2002-U+206F), currency
 * signs, CJK ideographs. */
static int caseless_char(uint32_t cp)
{
	return (cp >= 0x2002 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20BF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || kana_hangul(cp);
}

/* Characters NFC leaves alone and that compose with nothing before them:
 * below U+0300 (ASCII, Latin-1 and the Latin extensions: no canonical
 * decomposition, no combining mark), Cyrillic letters, and the caseless
 * ones. A combining mark, Hangul or U+2000 is not among them. */
static int nfc_char(uint32_t cp)
{
	return cp < 0x300 || (cp >= 0x400 && cp <= 0x482) || (cp >= 0x48A && cp <= 0x52F) ||
	       caseless_char(cp);
}

/* True when n bytes of valid UTF-8 are already NFC for a reason that is
 * quick to check (nfc_char); any other character sends the line through
 * utf8proc. */
static int is_nfc_quick(const char *s, size_t n)
{
	return all_chars(s, n, nfc_char);
}

/* True when n bytes are all ASCII (and no NUL, which utf8proc stops at). */
static int is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
			return 0;
	return 1;
}

/* NFC of n bytes of valid UTF-8, line by line: a line of ASCII (or of the
 * characters is_nfc_quick knows) is already NFC and is copied; the others
 * go through utf8proc. Exact, as nothing
 * composes or reorders across a newline. NULL when out of memory. */
static char *nfc_lines(const char *s, size_t n, size_t *out_len)
{
	size_t cap = n + 64, len = 0;
	char *out = malloc(cap);

	for (size_t i = 0; out && i <= n;) {
		size_t j = i;
		utf8proc_uint8_t *nfc = NULL;
		utf8proc_ssize_t m = 0;
		const char *src = s + i;
		while (j < n && s[j] != '\n')
			j++;
		m = (utf8proc_ssize_t)(j - i);
		if (!is_nfc_quick(s + i, j - i)) {
			m = utf8proc_map((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(j - i),
			                 &nfc, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
			if (m < 0) {
				free(out);
				return NULL;
			}
			src = (const char *)nfc;
		}
		if (len + (size_t)m + 2 > cap) {
			char *nb = realloc(out, cap = 2 * (len + (size_t)m + 2));
			if (!nb) {
				free(nfc);
				free(out);
				return NULL;
			}
			out = nb;
		}
		memcpy(out + len, src, (size_t)m);
		len += (size_t)m;
		free(nfc);
		if (j < n)
			out[len++] = '\n';
		i = j + 1;
	}
	if (out)
		*out_len = len;
	return out;
}

char *wn_text_normalize(const char *s, size_t n, size_t *out_len)
{
	size_t rlen, m = 0;
	char *rep = wn_utf8_repair(s, n, &rlen);
	char *nfc;
	norm_out o;

	if (!rep)
		return NULL;
	nfc = nfc_lines(rep, rlen, &m);
	if (!nfc) {
		/* Only out of memory is possible on repaired input; fall back
		 * to the un-normalised text rather than failing. */
		nfc = rep;
		m = rlen;
		rep = NULL;
	}
	free(rep);
	memset(&o, 0, sizeof o);
	o.trim_mark = SIZE_MAX;
	/* The pass only drops bytes or turns U+2029 (3 bytes) into 2. */
	o.buf = malloc(m + 2);
	if (!o.buf) {
		free(nfc);
		return NULL;
	}
	normalize_pass((const utf8proc_uint8_t *)nfc, m, &o);
	free(nfc);
	if (out_len)
		*out_len = o.len;
	return o.buf;
}

int wn_is_letter_or_mark(uint32_t cp)
{
	utf8proc_category_t c = category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME;
}

int wn_script_of(uint32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80) /* ASCII: only its letters have a script */
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z' ? WN_SCRIPT_LATIN : WN_SCRIPT_NONE;
	c = category(cp);
	if (c < UTF8PROC_CATEGORY_LU || c > UTF8PROC_CATEGORY_LO) {
		/* Han ideographic "letters" such as 〇 are Nl. */
		if (!(c == UTF8PROC_CATEGORY_NL && cp >= 0x3000 && cp < 0x3100))
			return WN_SCRIPT_NONE;
	}
	if (cp < 0x250 || (cp >= 0x1E00 && cp < 0x1F00) || (cp >= 0x2C60 && cp < 0x2C80) ||
	    (cp >= 0xA720 && cp < 0xA800) || (cp >= 0xFF21 && cp < 0xFF5B))
		return WN_SCRIPT_LATIN;
	if ((cp >= 0x370 && cp < 0x400) || (cp >= 0x1F00 && cp < 0x2000))
		return WN_SCRIPT_GREEK;
	if ((cp >= 0x400 && cp < 0x530) || (cp >= 0x1C80 && cp < 0x1C90) ||
	    (cp >= 0x2DE0 && cp < 0x2E00) || (cp >= 0xA640 && cp < 0xA6A0))
		return WN_SCRIPT_CYRILLIC;
	if (cp >= 0x530 && cp < 0x590)
		return WN_SCRIPT_ARMENIAN;
	if ((cp >= 0x590 && cp < 0x600) || (cp >= 0xFB1D && cp < 0xFB50))
		return WN_SCRIPT_HEBREW;
	if ((cp >= 0x600 && cp < 0x700) || (cp >= 0x750 && cp < 0x780) ||
	    (cp >= 0x8A0 && cp < 0x900) || (cp >= 0xFB50 && cp < 0xFE00) ||
	    (cp >= 0xFE70 && cp < 0xFF00))
		return WN_SCRIPT_ARABIC;
	if (cp >= 0x900 && cp < 0x980)
		return WN_SCRIPT_DEVANAGARI;
	if (cp >= 0x980 && cp < 0xA00)
		return WN_SCRIPT_BENGALI;
	if (cp >= 0xA00 && cp < 0xE00)
		return WN_SCRIPT_INDIC_OTHER;
	if (cp >= 0xE00 && cp < 0xE80)
		return WN_SCRIPT_THAI;
	if ((cp >= 0x10A0 && cp < 0x1100) || (cp >= 0x2D00 && cp < 0x2D30))
		return WN_SCRIPT_GEORGIAN;
	if ((cp >= 0x1100 && cp < 0x1200) || (cp >= 0x3130 && cp < 0x3190) ||
	    (cp >= 0xAC00 && cp < 0xD7B0))
		return WN_SCRIPT_HANGUL;
	if ((cp >= 0x1200 && cp < 0x1380) || (cp >= 0x2D80 && cp < 0x2DE0))
		return WN_SCRIPT_ETHIOPIC;
	if ((cp >= 0x3040 && cp < 0x3100) || (cp >= 0x31F0 && cp < 0x3200) ||
	    (cp >= 0xFF66 && cp < 0xFFA0))
		return WN_SCRIPT_KANA;
	if ((cp >= 0x2E80 && cp < 0x2FE0) || (cp >= 0x3005 && cp < 0x3008) ||
	    (cp >= 0x3021 && cp < 0x302A) || (cp >= 0x3400 && cp < 0x4DC0) ||
	    (cp >= 0x4E00 && cp < 0xA000) || (cp >= 0xF900 && cp < 0xFB00) ||
	    (cp >= 0x20000 && cp < 0x30000))
		return WN_SCRIPT_HAN;
	return WN_SCRIPT_OTHER;
}

int wn_script_unspaced(int script)
{
	return script == WN_SCRIPT_HAN || script == WN_SCRIPT_KANA || script == WN_SCRIPT_THAI;
}

/* Latin-1 characters whose full case folding is the simple one: all of
 * U+00A0-U+00FF but MICRO SIGN (folds to Greek mu) and SHARP S (folds to
 * "ss"), and the caseless ones. Latin-1 letters are starters that NFC
 * composes with nothing but combining marks, which are not among them. */
static int latin1_fold_char(uint32_t cp)
{
	return (cp >= 0xA0 && cp <= 0xFF && cp != 0xB5 && cp != 0xDF) ||
	       (cp >= 0x400 && cp <= 0x45F) || caseless_char(cp);
}

/* The simple fold of a character latin1_fold_char accepts: the same
 * number of UTF-8 bytes. */
static uint32_t fold_simple(uint32_t cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
	    (cp >= 0x410 && cp <= 0x42F))
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	return cp;
}

/* Folds n bytes of the characters latin1_fold_char accepts (and ASCII)
 * into a new string: A-Z, U+00C0-U+00DE (but U+00D7) and the basic
 * Cyrillic capitals to lower case. */
static char *fold_latin1(const char *s, size_t n, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)s;
	char *low = malloc(n + 1);

	if (!low)
		return NULL;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = wn_utf8_next(u + i, n - i, &cp);
		if (k <= 1) { /* ASCII (all_chars checked the rest is valid) */
			low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
			i++;
		} else {
			wn_utf8_encode(fold_simple(cp), (unsigned char *)low + i);
			i += k;
		}
	}
	low[n] = '\0';
	if (out_len)
		*out_len = n;
	return low;
}

char *wn_text_casefold(const char *s, size_t n, size_t *out_len)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t m;

	/* ASCII folds to lower case, byte for byte */
	if (is_ascii(s, n)) {
		char *low = malloc(n + 1);
		if (!low)
			return NULL;
		for (size_t i = 0; i < n; i++)
			low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
		low[n] = '\0';
		if (out_len)
			*out_len = n;
		return low;
	}
	/* accented Latin-1 letters (most European text), basic Cyrillic and
	 * characters without case that are NFC (curly quotes, dashes,
	 * currency signs, CJK, kana) fold one by one, without utf8proc */
	if (all_chars(s, n, latin1_fold_char))
		return fold_latin1(s, n, out_len);
	m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
	                 UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE);

	if (m < 0)
		return NULL;
	if (out_len)
		*out_len = (size_t)m;
	return (char *)out;
}

/* isdigit and isalnum of the C locale, without a call per byte. */
static int ascii_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int ascii_alnum(unsigned char c)
{
	return ascii_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

size_t wn_text_word_count(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t words = 0;
	int in_word = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k;
		utf8proc_category_t c;
		if (ascii_alnum(u[i])) { /* the common case */
			words += !in_word;
			in_word = 1;
			i++;
			continue;
		}
		k = wn_utf8_next(u + i, n - i, &cp);
		if (!k) {
			in_word = 0;
			i++;
			continue;
		}
		i += k;
		c = category(cp);
		if (cp >= 0x80 && wn_script_unspaced(wn_script_of(cp))) {
			words++;
			in_word = 0;
		} else if ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO)) {
			/* letters, marks and digits */
			if (!in_word)
				words++;
			in_word = 1;
		} else if (in_word && (cp == '\'' || cp == 0x2019 || cp == '-') && i < n &&
		           ascii_alnum(u[i])) {
			/* "don't", "well-known": one word */
		} else if (in_word && (cp == '.' || cp == ',') && i < n && ascii_digit(u[i]) &&
		           i >= 2 && ascii_digit(u[i - 2])) {
			/* "3.5", "1,200": one number */
		} else {
			in_word = 0;
		}
	}
	return words;
}

/* The named references scraped text keeps most: markup's own, spaces,
 * dashes, quotes and the signs a page prints. Longer lists are HTML's. */
static const struct {
	const char *name;
	uint32_t cp;
} html_names[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},      {"apos", '\''},
    {"nbsp", ' '},     {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"lsquo", 0x2018},
    {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"laquo", 0x00AB},  {"raquo", 0x00BB},
    {"copy", 0x00A9},  {"reg", 0x00AE},   {"trade", 0x2122}, {"middot", 0x00B7}, {"bull", 0x2022},
    {"deg", 0x00B0},   {"euro", 0x20AC},  {"pound", 0x00A3}, {"eacute", 0x00E9},
};

/* The character reference at s (n bytes, s[0] == '&'): its code point into
 * *cp and its length, or 0 when s starts none decoded here. */
static size_t html_ref(const char *s, size_t n, uint32_t *cp)
{
	size_t i = 1;

	if (n > 3 && s[1] == '#') {
		int hex = s[2] == 'x' || s[2] == 'X';
		uint32_t v = 0;
		size_t start = i = 2 + (size_t)hex;
		for (; i < n && i < start + 7; i++) {
			int d = ascii_digit((unsigned char)s[i]) ? s[i] - '0'
			        : hex && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f'
			            ? (s[i] | 0x20) - 'a' + 10
			            : -1;
			if (d < 0)
				break;
			v = v * (hex ? 16 : 10) + (uint32_t)d;
		}
		/* no control, surrogate or value past Unicode: those stay text */
		if (i == start || i >= n || s[i] != ';' || v < 0x20 || (v >= 0x7F && v < 0xA0) ||
		    (v >= 0xD800 && v < 0xE000) || v > 0x10FFFF)
			return 0;
		*cp = v;
		return i + 1;
	}
	while (i < n && i < 8 && ascii_alnum((unsigned char)s[i]))
		i++;
	if (i >= n || s[i] != ';')
		return 0;
	for (size_t k = 0; k < sizeof html_names / sizeof html_names[0]; k++)
		if (strlen(html_names[k].name) == i - 1 &&
		    !memcmp(s + 1, html_names[k].name, i - 1)) {
			*cp = html_names[k].cp;
			return i + 1;
		}
	return 0;
}

size_t wn_text_unescape_html(char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = s[i] == '&' ? html_ref(s + i, n - i, &cp) : 0;
		if (k) { /* a reference is longer than its UTF-8: o stays behind i */
			o += wn_utf8_encode(cp, (unsigned char *)s + o);
			i += k;
		} else
			s[o++] = s[i++];
	}
	if (o < n)
		s[o] = '\0';
	return o;
}
