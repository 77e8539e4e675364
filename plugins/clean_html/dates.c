/*
 * Date normalisation to ISO 8601 for the published/modified fields.
 * Hand-written rather than strptime: locale-free, thread-safe, and it
 * accepts the handful of shapes that pages really use.
 */
#include "internal.h"

#include "datetime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Reads exactly `k` digits at *p; returns the value or -1. */
static int digits(const char **p, int k)
{
	int v = 0;
	for (int i = 0; i < k; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += k;
	return v;
}

/* Reads 1 or 2 digits. */
static int digits12(const char **p)
{
	if (!isdigit((unsigned char)**p))
		return -1;
	int v = *(*p)++ - '0';
	if (isdigit((unsigned char)**p))
		v = v * 10 + (*(*p)++ - '0');
	return v;
}

static int valid_ymd(int y, int m, int d)
{
	static const int dim[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= dim[m - 1];
}

/* Does the UTF-8 word at p start with `name` (ASCII case-insensitive)? */
static size_t name_at(const char *p, const char *name)
{
	size_t i = 0;
	for (; name[i]; i++)
		if (tolower((unsigned char)p[i]) != (unsigned char)name[i])
			return 0;
	return i;
}

/* A letter of a word: ASCII alpha or any byte of a multi-byte character. */
static int word_byte(unsigned char c)
{
	return isalpha(c) || c >= 0x80;
}

/* Month from a name or abbreviation at *p (wn_month_name: seven
 * languages, the longest that ends a word); advances past it and an
 * abbreviation dot. */
static int month_name(const char **p)
{
	size_t k = 0;
	int m = wn_month_name(*p, NULL, &k);
	if (m > 0)
		*p += k;
	return m;
}

/* Skips spaces (with the no-break and thin spaces French dates use) and
 * commas. */
static void skip_space(const char **p)
{
	for (;;) {
		if (**p && (isspace((unsigned char)**p) || **p == ','))
			(*p)++;
		else if (!strncmp(*p, "\xC2\xA0", 2))
			*p += 2;
		else if (!strncmp(*p, "\xE2\x80\xAF", 3) || !strncmp(*p, "\xE2\x80\x89", 3))
			*p += 3;
		else
			return;
	}
}

/* Optional "HH:MM[:SS][.frac][Z|+HH[:]MM| GMT|UTC]" after the date. */
static void time_part(const char *p, int y, int m, int d, char *out, size_t outsz)
{
	const char *q = p;
	int hh = digits(&q, 2), mm = -1, ss = 0;
	if (hh >= 0 && *q == ':') {
		q++;
		mm = digits(&q, 2);
		if (*q == ':') {
			q++;
			ss = digits(&q, 2);
		}
	}
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) {
		snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
		return;
	}
	if (*q == '.' || *q == ',')
		for (q++; isdigit((unsigned char)*q); q++)
			;
	while (*q == ' ')
		q++;
	char tz[8] = "";
	if (*q == 'Z' || *q == 'z' || strncasecmp(q, "GMT", 3) == 0 ||
	    strncasecmp(q, "UTC", 3) == 0) {
		strcpy(tz, "Z");
	} else if (*q == '+' || *q == '-') {
		char sign = *q++;
		const char *r = q;
		int th = digits(&r, 2), tm = 0;
		if (th >= 0) {
			if (*r == ':')
				r++;
			tm = isdigit((unsigned char)*r) ? digits(&r, 2) : 0;
			if (th <= 14 && tm >= 0 && tm < 60)
				snprintf(tz, sizeof tz, "%c%02d:%02d", sign, th, tm);
		}
	}
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d, hh, mm, ss, tz);
}

int wn_clean_date_iso(const char *s, char *out, size_t outsz)
{
	if (!s || outsz < 32)
		return 0;
	const char *p = s;
	while (isspace((unsigned char)*p))
		p++;
	const char *q = p;
	/* ISO: 2024-01-30[T ]10:00:00... or 2024/01/30 */
	int y = digits(&q, 4);
	if (y >= 0 && (*q == '-' || *q == '/')) {
		char sep = *q++;
		int m = digits12(&q);
		if (*q++ != sep)
			return 0;
		int d = digits12(&q);
		if (!valid_ymd(y, m, d))
			return 0;
		if (*q == 'T' || *q == 't' || *q == ' ')
			q++;
		time_part(q, y, m, d, out, outsz);
		return 1;
	}
	/* RFC 822 and prose: [Weekday,] 30 Jan 2024 [10:00:00 GMT] or
	 * January 30, 2024 */
	q = p;
	if (isalpha((unsigned char)*q)) {
		const char *w = q;
		if (month_name(&w) < 0) { /* a weekday or other word: skip it */
			while (isalpha((unsigned char)*q))
				q++;
			if (*q == '.')
				q++;
			skip_space(&q);
		}
	}
	int d = -1, m = -1;
	if (isdigit((unsigned char)*q)) {
		d = digits12(&q);
		if (*q == '.')
			q++;
		skip_space(&q);
		m = month_name(&q);
	} else {
		m = month_name(&q);
		skip_space(&q);
		d = digits12(&q);
		while (isalpha((unsigned char)*q)) /* 1st, 2nd, 30th */
			q++;
	}
	skip_space(&q);
	y = digits(&q, 4);
	if (!valid_ymd(y, m, d))
		return 0;
	while (*q == ' ' || *q == ',')
		q++;
	if (strncasecmp(q, "at ", 3) == 0)
		q += 3;
	time_part(q, y, m, d, out, outsz);
	return 1;
}

int wn_clean_url_date(const char *url, char *out, size_t outsz)
{
	if (!url || outsz < 11)
		return 0;
	const char *path = strstr(url, "://");
	path = path ? strchr(path + 3, '/') : url;
	for (const char *p = path; p && *p; p++) {
		if (*p != '/' || !isdigit((unsigned char)p[1]))
			continue;
		const char *q = p + 1;
		int y = digits(&q, 4);
		if (y < 0 || (*q != '/' && *q != '-'))
			continue;
		char sep = *q++;
		int m = digits(&q, 2);
		if (m < 0 || *q++ != sep)
			continue;
		int d = digits(&q, 2);
		if (d < 0 || (*q && *q != '/' && *q != '-' && *q != '.' && *q != '_'))
			continue;
		if (!valid_ymd(y, m, d))
			continue;
		snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
		return 1;
	}
	return 0;
}

/* --- dates inside running text (bylines, datelines) -------------------- */

/* Skips spaces, commas and the connecting words pages put between a date's
 * parts or before its time ("14 de mayo de 2024", "3rd of May", "le 13 mars
 * 2025 à 18h05", "4. November 2024 um 17:45"). */
static void skip_glue(const char **p)
{
	static const char *const glue[] = {"de ",      "del ",  "of ", "at ",       "um ",
	                                   "a las ",   "alle ", "om ", "\xC3\xA0 ", "-",
	                                   "\xC2\xB7", "|",     "/",   NULL};
	for (;;) {
		skip_space(p);
		int hit = 0;
		for (const char *const *g = glue; *g && !hit; g++) {
			size_t k = name_at(*p, *g);
			if (k) {
				*p += k;
				hit = 1;
			}
		}
		if (!hit)
			return;
	}
}

/* An ordinal suffix after a day: 1st 2nd 3rd 30th, French 1er, Spanish 1º. */
static void skip_ordinal(const char **p)
{
	static const char *const suf[] = {"st", "nd", "rd", "th", "er", "\xC2\xBA", "\xC2\xAA"};
	for (size_t i = 0; i < sizeof suf / sizeof suf[0]; i++) {
		size_t k = name_at(*p, suf[i]);
		if (k && !word_byte((unsigned char)(*p)[k])) {
			*p += k;
			return;
		}
	}
}

/* A 4-digit year that is not part of a longer number. */
static int year_at(const char **p)
{
	const char *q = *p;
	int y = digits(&q, 4);
	if (y < 0 || isdigit((unsigned char)*q))
		return -1;
	*p = q;
	return y;
}

/* Numeric dates: Y-M-D (any of - / .), and D/M/Y or M/D/Y, where a part
 * over 12 decides and otherwise `dayfirst` does; "04.11.2024" with dots is
 * day first everywhere that writes it. */
static int numeric_date(const char **p, int dayfirst, int *y, int *m, int *d)
{
	const char *q = *p;
	int a = digits(&q, 4);
	if (a >= 0 && (*q == '-' || *q == '/' || *q == '.')) {
		char sep = *q++;
		*m = digits12(&q);
		if (*m < 0 || *q++ != sep)
			return 0;
		*d = digits12(&q);
		*y = a;
	} else {
		q = *p;
		a = digits12(&q);
		char sep = *q;
		if (a < 0 || (sep != '/' && sep != '.' && sep != '-'))
			return 0;
		q++;
		int b = digits12(&q);
		if (b < 0 || *q++ != sep)
			return 0;
		*y = year_at(&q);
		if (sep == '.')
			dayfirst = 1;
		if (a > 12 || (b <= 12 && dayfirst))
			*d = a, *m = b;
		else
			*m = a, *d = b;
	}
	if (isdigit((unsigned char)*q) || !valid_ymd(*y, *m, *d))
		return 0;
	*p = q;
	return 1;
}

/* "14 May 2024", "4. November 2024", "13 mars 2025", "4 de mayo de 2024",
 * "May 14, 2024", "Sept. 3rd, 2024". */
static int named_date(const char **p, int *y, int *m, int *d)
{
	const char *q = *p;
	if (isdigit((unsigned char)*q)) {
		*d = digits12(&q);
		if (isdigit((unsigned char)*q))
			return 0;
		if (*q == '.')
			q++;
		skip_ordinal(&q);
		skip_glue(&q);
		*m = month_name(&q);
	} else {
		*m = month_name(&q);
		if (*m < 0)
			return 0;
		skip_space(&q);
		*d = digits12(&q);
		if (isdigit((unsigned char)*q))
			return 0;
		skip_ordinal(&q);
	}
	skip_glue(&q);
	*y = year_at(&q);
	if (!valid_ymd(*y, *m, *d))
		return 0;
	*p = q;
	return 1;
}

/* A clock time after a date: "16:20", "7:30 pm", "18h05", "17:45 Uhr",
 * "10:00:00Z"; writes the ISO form (with the zone only when one is given
 * numerically or as UTC/GMT). Returns 0 when there is none. */
static int text_time(const char *p, int y, int m, int d, char *out, size_t outsz)
{
	const char *q = p;
	if ((*q == 'T' || *q == 't') && isdigit((unsigned char)q[1]))
		q++; /* ISO 8601's own separator */
	skip_glue(&q);
	int hh = digits12(&q), mm = -1, ss = 0;
	if (hh < 0 || (*q != ':' && *q != 'h' && *q != 'H'))
		return 0;
	q++;
	mm = digits(&q, 2);
	if (mm >= 0 && *q == ':' && isdigit((unsigned char)q[1])) {
		q++;
		ss = digits(&q, 2);
	}
	if (mm < 0 || mm > 59 || ss < 0 || ss > 60 || isdigit((unsigned char)*q))
		return 0;
	const char *r = q;
	while (*r == ' ')
		r++;
	int pm = (r[0] == 'p' || r[0] == 'P') && (r[1] == 'm' || r[1] == 'M' || r[1] == '.');
	int am = (r[0] == 'a' || r[0] == 'A') && (r[1] == 'm' || r[1] == 'M' || r[1] == '.');
	if ((pm || am) && hh >= 1 && hh <= 12)
		hh = hh % 12 + (pm ? 12 : 0);
	if (hh > 23)
		return 0;
	char tz[16] = "";
	if (!pm && !am) {
		if ((*r == 'Z' && !word_byte((unsigned char)r[1])) || !strncmp(r, "UTC", 3) ||
		    !strncmp(r, "GMT", 3)) {
			strcpy(tz, "Z");
		} else if ((*q == '+' || *q == '-') && isdigit((unsigned char)q[1])) {
			char sign = *q++;
			int th = digits(&q, 2), tm = 0;
			if (*q == ':')
				q++;
			if (isdigit((unsigned char)*q))
				tm = digits(&q, 2);
			if (th >= 0 && th <= 14 && tm >= 0 && tm < 60)
				snprintf(tz, sizeof tz, "%c%02d:%02d", sign, th, tm);
		}
	}
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d, hh, mm, ss, tz);
	return 1;
}

int wn_clean_date_find(const char *s, int dayfirst, char *out, size_t outsz, size_t *start,
                       size_t *end)
{
	if (!s || outsz < 32)
		return 0;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		unsigned char prev = p > s ? (unsigned char)p[-1] : ' ';
		if (!(isdigit(c) || word_byte(c)) || isalnum(prev) || (prev >= 0x80 && !isdigit(c)))
			continue;
		const char *q = p;
		int y, m, d;
		if (!(isdigit(c) && numeric_date(&q, dayfirst, &y, &m, &d)) &&
		    !named_date((q = p, &q), &y, &m, &d))
			continue;
		if (!text_time(q, y, m, d, out, outsz))
			snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
		if (start)
			*start = (size_t)(p - s);
		if (end)
			*end = (size_t)(q - s);
		return 1;
	}
	return 0;
}
