/*
 * Date normalisation to ISO 8601 for the published/modified fields.
 * Hand-written rather than strptime: locale-free, thread-safe, and it
 * accepts the handful of shapes that pages really use.
 */
#include "internal.h"

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
	return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Month from its English name or 3-letter abbreviation at *p. */
static int month_name(const char **p)
{
	static const char *const names[] = {"january",   "february", "march",    "april",
	                                    "may",       "june",     "july",     "august",
	                                    "september", "october",  "november", "december"};
	for (int i = 0; i < 12; i++) {
		size_t full = strlen(names[i]);
		if (strncasecmp(*p, names[i], full) == 0 && !isalpha((unsigned char)(*p)[full])) {
			*p += full;
			return i + 1;
		}
		if (strncasecmp(*p, names[i], 3) == 0 && !isalpha((unsigned char)(*p)[3])) {
			*p += 3;
			if (**p == '.')
				(*p)++;
			return i + 1;
		}
		if (i == 8 && strncasecmp(*p, "sept", 4) == 0 && !isalpha((unsigned char)(*p)[4])) {
			*p += 4;
			if (**p == '.')
				(*p)++;
			return 9;
		}
	}
	return -1;
}

static void skip_space(const char **p)
{
	while (**p && (isspace((unsigned char)**p) || **p == ','))
		(*p)++;
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
