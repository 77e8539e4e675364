/*
 * CSV cell encoding: see csv.h.
 */
#include "csv.h"
#include "jsonw.h"
#include "utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Skips decimal digits from *i; returns how many there were. */
static size_t digits(const char *s, size_t n, size_t *i)
{
	size_t start = *i;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9')
		(*i)++;
	return *i - start;
}

int ec_is_plain_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	size_t whole = digits(s, n, &i), frac = 0;
	if (i < n && s[i] == '.') {
		i++;
		frac = digits(s, n, &i);
	}
	if (whole + frac == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (!digits(s, n, &i))
			return 0;
	}
	return i == n;
}

/* Whether a spreadsheet would read the cell as a formula (or, for TAB and
 * CR, strip the lead and then maybe read one). */
static int looks_like_formula(const char *s, size_t n)
{
	if (n == 0 || !strchr("=+-@\t\r", s[0]))
		return 0;
	return !ec_is_plain_number(s, n);
}

static int needs_quotes(const char *s, size_t n)
{
	if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		return 1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\r' || c == '\n')
			return 1;
	}
	return 0;
}

/* Writes valid UTF-8 text s as one cell (neutralised, quoted). */
static int put_clean(wn_buf *b, const char *s, size_t n, int neutralize)
{
	int lead = neutralize && looks_like_formula(s, n);
	/* The ' is part of the cell, so the quoting test sees it first. */
	int quote = needs_quotes(s, n) || (lead && n && (s[n - 1] == ' ' || s[n - 1] == '\t'));
	if (!quote) {
		ec_buf_put(b, "'", lead ? 1 : 0);
		return ec_buf_put(b, s, n);
	}
	ec_buf_put(b, lead ? "\"'" : "\"", lead ? 2 : 1);
	size_t run = 0;
	for (const char *q; (q = memchr(s + run, '"', n - run));) {
		size_t i = (size_t)(q - s);
		ec_buf_put(b, s + run, i + 1 - run); /* up to and with the quote */
		ec_buf_put(b, "\"", 1);
		run = i + 1;
	}
	ec_buf_put(b, s + run, n - run);
	return ec_buf_put(b, "\"", 1);
}

int ec_put_text(wn_buf *b, const char *s, size_t n, const ec_cell_opts *o, int64_t *truncated)
{
	char *fixed = NULL;
	if (wn_utf8_valid_prefix((const unsigned char *)s, n) != n) {
		fixed = wn_utf8_repair(s, n, &n);
		if (!fixed)
			return b->err = EC_ENOMEM;
		s = fixed;
	}
	if (o->max_cell && n > o->max_cell) {
		size_t cut = o->max_cell;
		/* Back off continuation bytes: cut only between characters. */
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
		n = cut;
		if (truncated)
			(*truncated)++;
	}
	int rc = put_clean(b, s, n, o->neutralize);
	free(fixed);
	return rc;
}

int ec_put_int(wn_buf *b, int64_t v)
{
	char t[24];
	int n = snprintf(t, sizeof t, "%" PRId64, v);
	return ec_buf_put(b, t, (size_t)n);
}

int ec_put_real(wn_buf *b, double v)
{
	char t[WN_JSONW_REAL_BUF];
	return ec_buf_put(b, t, wn_jsonw_fmt_real(v, t));
}
