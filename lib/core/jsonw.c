/*
 * Streaming JSON writer: see jsonw.h.
 *
 * The nesting state is two bit sets (object-or-array, has-members) indexed by
 * depth, so the writer needs no allocation besides its output buffer and a
 * document is checked for balance as it is written.
 */
#include "jsonw.h"
#include "grow.h"
#include "utf8.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(d) ((uint64_t)1 << (d))

void wn_jsonw_init(wn_jsonw *w, size_t limit)
{
	memset(w, 0, sizeof(*w));
	w->limit = limit ? limit : SIZE_MAX / 2;
}

void wn_jsonw_free(wn_jsonw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->cap = w->len = 0;
}

void wn_jsonw_reset(wn_jsonw *w)
{
	w->len = 0;
	w->err = WN_JSONW_OK;
	w->depth = 0;
	w->want_value = 0;
	w->is_obj = w->filled = 0;
	w->replaced = 0;
}

void wn_jsonw_set_pretty(wn_jsonw *w, int indent, int base)
{
	w->indent = indent > 0 ? indent : 0;
	w->base = base > 0 ? base : 0;
}

int wn_jsonw_error(const wn_jsonw *w)
{
	return w->err;
}

/* Makes room for `need` more bytes plus a NUL, within the hard limit. */
static int reserve(wn_jsonw *w, size_t need)
{
	if (w->err)
		return w->err;
	if (need > w->limit - w->len)
		return w->err = WN_JSONW_ELIMIT;
	char *nb = wn_grow(w->buf, &w->cap, w->len + need + 1, 1, 256, w->limit + 1);
	if (!nb)
		return w->err = WN_JSONW_ENOMEM;
	w->buf = nb;
	return WN_JSONW_OK;
}

static int put(wn_jsonw *w, const void *p, size_t n)
{
	if (reserve(w, n))
		return w->err;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return WN_JSONW_OK;
}

/* Newline and indentation for the current depth, when pretty. */
static int newline(wn_jsonw *w)
{
	if (!w->indent)
		return WN_JSONW_OK;
	size_t n = 1 + (size_t)(w->base + w->depth) * (size_t)w->indent;
	if (reserve(w, n))
		return w->err;
	w->buf[w->len] = '\n';
	memset(w->buf + w->len + 1, ' ', n - 1);
	w->len += n;
	return WN_JSONW_OK;
}

static int in_obj(const wn_jsonw *w)
{
	return w->depth > 0 && (w->is_obj & BIT(w->depth - 1));
}

/* Writes what must precede a new member of the current container (comma,
 * newline) and marks it non-empty. */
static int member_sep(wn_jsonw *w)
{
	uint64_t bit = BIT(w->depth - 1);
	if ((w->filled & bit) && put(w, ",", 1))
		return w->err;
	w->filled |= bit;
	return newline(w);
}

/* Checks that a value may come here and writes its separator. */
static int value_prefix(wn_jsonw *w)
{
	if (w->err)
		return w->err;
	if (w->want_value) {
		w->want_value = 0;
		return WN_JSONW_OK;
	}
	if (w->depth == 0)
		return w->len ? (w->err = WN_JSONW_EUSAGE) : WN_JSONW_OK;
	if (in_obj(w))
		return w->err = WN_JSONW_EUSAGE; /* a value needs a key first */
	return member_sep(w);
}

static int begin(wn_jsonw *w, int obj)
{
	if (value_prefix(w))
		return w->err;
	if (w->depth >= WN_JSONW_MAX_DEPTH)
		return w->err = WN_JSONW_EUSAGE;
	uint64_t bit = BIT(w->depth);
	w->is_obj = obj ? (w->is_obj | bit) : (w->is_obj & ~bit);
	w->filled &= ~bit;
	w->depth++;
	return put(w, obj ? "{" : "[", 1);
}

static int end(wn_jsonw *w, int obj)
{
	if (w->err)
		return w->err;
	if (w->depth == 0 || w->want_value || in_obj(w) != obj)
		return w->err = WN_JSONW_EUSAGE;
	int had_members = (w->filled & BIT(w->depth - 1)) != 0;
	w->depth--;
	if (had_members && newline(w))
		return w->err;
	return put(w, obj ? "}" : "]", 1);
}

int wn_jsonw_begin_obj(wn_jsonw *w)
{
	return begin(w, 1);
}

int wn_jsonw_end_obj(wn_jsonw *w)
{
	return end(w, 1);
}

int wn_jsonw_begin_arr(wn_jsonw *w)
{
	return begin(w, 0);
}

int wn_jsonw_end_arr(wn_jsonw *w)
{
	return end(w, 0);
}

/* Writes one escape for the ASCII byte c (a control char, '"' or '\\'). */
static int put_escape(wn_jsonw *w, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = {'\\', 0, 0, 0, 0, 0};
	size_t n = 2;
	switch (c) {
	case '"':
	case '\\':
		e[1] = (char)c;
		break;
	case '\b':
		e[1] = 'b';
		break;
	case '\f':
		e[1] = 'f';
		break;
	case '\n':
		e[1] = 'n';
		break;
	case '\r':
		e[1] = 'r';
		break;
	case '\t':
		e[1] = 't';
		break;
	default:
		memcpy(e + 1, "u00", 3);
		e[4] = hex[c >> 4];
		e[5] = hex[c & 15];
		n = 6;
	}
	return put(w, e, n);
}

/* Bytes a JSON string can carry as they are: printable ASCII but '"' and
 * '\\'. Bytes >= 0x80 are checked as UTF-8 by the slow path. */
static const unsigned char plain_byte[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    R16(0), R16(0), /* 0x00-0x1f: control characters */
    1,      1,      0,      1,      1,      1,      1,      1,      1,      1,     1,
    1,      1,      1,      1,      1, /* 0x20-0x2f: '"' at 0x22 */
    R16(1), R16(1), 1,      1,      1,      1,      1,      1,      1,      1,     1,
    1,      1,      1,      0,      1,      1,      1, /* 0x50-0x5f: '\\' at 0x5c */
    R16(1), R16(1), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0)
#undef R16
};

/* The quoted, escaped, repaired body of a string. Runs of bytes that need
 * no change (plain ASCII, found by table lookup, and valid multi-byte
 * sequences) are copied in one go: text is mostly such runs. */
static int put_string(wn_jsonw *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;
	if (put(w, "\"", 1))
		return w->err;
	while (i < n) {
		while (i < n && plain_byte[s[i]])
			i++;
		if (i >= n)
			break;
		unsigned char c = s[i];
		uint32_t cp = 0;
		size_t k = c >= 0x80 ? wn_utf8_decode(s + i, n - i, &cp) : 1;
		if (c >= 0x80 && k && cp != 0x2028 && cp != 0x2029) {
			i += k;
			continue;
		}
		if (put(w, s + run, i - run))
			return w->err;
		if (c < 0x80) {
			put_escape(w, c);
		} else if (!k) {
			/* One replacement per bad byte, as wn_utf8_repair does. */
			put(w, "\xEF\xBF\xBD", 3);
			w->replaced++;
			k = 1;
		} else {
			put(w, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
		}
		i += k;
		run = i;
	}
	put(w, s + run, i - run);
	return put(w, "\"", 1);
}

int wn_jsonw_keyn(wn_jsonw *w, const char *k, size_t n)
{
	if (w->err)
		return w->err;
	if (!in_obj(w) || w->want_value || !k)
		return w->err = WN_JSONW_EUSAGE;
	if (member_sep(w) || put_string(w, k, n))
		return w->err;
	if (put(w, w->indent ? ": " : ":", w->indent ? 2 : 1))
		return w->err;
	w->want_value = 1;
	return WN_JSONW_OK;
}

int wn_jsonw_key(wn_jsonw *w, const char *k)
{
	return wn_jsonw_keyn(w, k, k ? strlen(k) : 0);
}

int wn_jsonw_strn(wn_jsonw *w, const char *s, size_t n)
{
	if (!s)
		return wn_jsonw_null(w);
	if (value_prefix(w))
		return w->err;
	return put_string(w, s, n);
}

int wn_jsonw_str(wn_jsonw *w, const char *s)
{
	return wn_jsonw_strn(w, s, s ? strlen(s) : 0);
}

int wn_jsonw_int(wn_jsonw *w, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%" PRId64, v);
	return wn_jsonw_raw(w, b, (size_t)n);
}

size_t wn_jsonw_fmt_real(double v, char *buf)
{
	buf[0] = '\0';
	if (!isfinite(v))
		return 0;
	/* Shortest precision that round-trips; %.17g always does. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, WN_JSONW_REAL_BUF, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	size_t n = strlen(buf);
	int has_point = 0;
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == ',') /* a locale with a decimal comma */
			buf[i] = '.';
		if (buf[i] == '.' || buf[i] == 'e' || buf[i] == 'E')
			has_point = 1;
	}
	if (!has_point) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	return n;
}

int wn_jsonw_real(wn_jsonw *w, double v)
{
	char b[WN_JSONW_REAL_BUF];
	size_t n = wn_jsonw_fmt_real(v, b);
	if (!n)
		return wn_jsonw_null(w);
	return wn_jsonw_raw(w, b, n);
}

int wn_jsonw_bool(wn_jsonw *w, int v)
{
	return v ? wn_jsonw_raw(w, "true", 4) : wn_jsonw_raw(w, "false", 5);
}

int wn_jsonw_null(wn_jsonw *w)
{
	return wn_jsonw_raw(w, "null", 4);
}

int wn_jsonw_raw(wn_jsonw *w, const char *json, size_t n)
{
	if (value_prefix(w))
		return w->err;
	return put(w, json, n);
}

const char *wn_jsonw_finish(wn_jsonw *w, size_t *len)
{
	if (!w->err && (w->depth || w->want_value || !w->len))
		w->err = WN_JSONW_EUSAGE;
	if (w->err)
		return NULL;
	w->buf[w->len] = '\0'; /* reserve() always keeps room for it */
	if (len)
		*len = w->len;
	return w->buf;
}
