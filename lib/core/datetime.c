/*
 * Dates and times: the one normaliser (contracts in datetime.h).
 */
#include "datetime.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* --- the calendar ------------------------------------------------------- */

/* Howard Hinnant's days_from_civil. */
int64_t wn_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Howard Hinnant's civil_from_days, with a 64-bit year. */
static void civil64(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void wn_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t yy;
	civil64(days, &yy, m, d);
	*y = (int)yy;
}

int wn_days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* --- month names -------------------------------------------------------- */

/* Month names and abbreviations (English, French, German, Spanish,
 * Italian, Portuguese, Dutch), lower case UTF-8. Abbreviations may carry a
 * trailing dot. Shared names (mai, april, ...) map to the same month. */
static const struct {
	const char *name;
	int month;
} months[] = {
    {"january", 1},
    {"february", 2},
    {"march", 3},
    {"april", 4},
    {"may", 5},
    {"june", 6},
    {"july", 7},
    {"august", 8},
    {"september", 9},
    {"october", 10},
    {"november", 11},
    {"december", 12},
    {"jan", 1},
    {"feb", 2},
    {"mar", 3},
    {"apr", 4},
    {"jun", 6},
    {"jul", 7},
    {"aug", 8},
    {"sep", 9},
    {"sept", 9},
    {"oct", 10},
    {"nov", 11},
    {"dec", 12},
    {"janvier", 1},
    {"f\xC3\xA9vrier", 2},
    {"fevrier", 2},
    {"mars", 3},
    {"avril", 4},
    {"mai", 5},
    {"juin", 6},
    {"juillet", 7},
    {"ao\xC3\xBBt", 8},
    {"aout", 8},
    {"septembre", 9},
    {"octobre", 10},
    {"novembre", 11},
    {"d\xC3\xA9"
     "cembre",
     12},
    {"decembre", 12},
    {"janv", 1},
    {"f\xC3\xA9vr", 2},
    {"fevr", 2},
    {"avr", 4},
    {"juil", 7},
    {"d\xC3\xA9"
     "c",
     12},
    {"januar", 1},
    {"j\xC3\xA4nner", 1},
    {"februar", 2},
    {"m\xC3\xA4rz", 3},
    {"maerz", 3},
    {"juni", 6},
    {"juli", 7},
    {"oktober", 10},
    {"dezember", 12},
    {"m\xC3\xA4r", 3},
    {"okt", 10},
    {"dez", 12},
    {"enero", 1},
    {"febrero", 2},
    {"marzo", 3},
    {"abril", 4},
    {"mayo", 5},
    {"junio", 6},
    {"julio", 7},
    {"agosto", 8},
    {"septiembre", 9},
    {"setiembre", 9},
    {"octubre", 10},
    {"noviembre", 11},
    {"diciembre", 12},
    {"ene", 1},
    {"abr", 4},
    {"ago", 8},
    {"dic", 12},
    {"gennaio", 1},
    {"febbraio", 2},
    {"aprile", 4},
    {"maggio", 5},
    {"giugno", 6},
    {"luglio", 7},
    {"settembre", 9},
    {"ottobre", 10},
    {"dicembre", 12},
    {"janeiro", 1},
    {"fevereiro", 2},
    {"mar\xC3\xA7o", 3},
    {"maio", 5},
    {"junho", 6},
    {"julho", 7},
    {"setembro", 9},
    {"outubro", 10},
    {"dezembro", 12},
    {"januari", 1},
    {"februari", 2},
    {"maart", 3},
    {"mei", 5},
    {"augustus", 8},
};

/* Bytes of `name` matched (ASCII case-insensitive) at p, else 0. */
static size_t name_at(const char *p, const char *end, const char *name)
{
	size_t i = 0;
	for (; name[i]; i++)
		if ((end && p + i >= end) || tolower((unsigned char)p[i]) != (unsigned char)name[i])
			return 0;
	return i;
}

/* Does a word end at p? The end of the text, a byte that is no letter (ASCII
 * or part of a multi-byte character), or a no-break or thin space. */
static int word_end(const char *p, const char *end)
{
	size_t left = end ? (size_t)(end - p) : strnlen(p, 3);
	if (left == 0)
		return 1;
	unsigned char c = (unsigned char)*p;
	if (!isalpha(c) && c < 0x80)
		return 1;
	return (left >= 2 && !strncmp(p, "\xC2\xA0", 2)) ||
	       (left >= 3 && (!strncmp(p, "\xE2\x80\xAF", 3) || !strncmp(p, "\xE2\x80\x89", 3)));
}

int wn_month_name(const char *p, const char *end, size_t *len)
{
	size_t best = 0;
	int m = -1;
	for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
		size_t k = name_at(p, end, months[i].name);
		if (k > best && word_end(p + k, end)) {
			best = k;
			m = months[i].month;
		}
	}
	if (m < 0)
		return -1;
	if ((!end || p + best < end) && p[best] == '.')
		best++;
	*len = best;
	return m;
}

/* --- parsing ------------------------------------------------------------ */

/* A cursor over the text being parsed. */
typedef struct scan {
	const char *p, *end;
} scan;

/* Reads exactly n digits; -1 when they are not there. */
static int digits(scan *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s->p >= s->end || !isdigit((unsigned char)*s->p))
			return -1;
		v = v * 10 + (*s->p++ - '0');
	}
	return v;
}

/* Reads 1 or 2 digits (RFC 822 days); -1 when none. */
static int digits12(scan *s)
{
	int v = digits(s, 1);
	if (v >= 0 && s->p < s->end && isdigit((unsigned char)*s->p))
		v = v * 10 + (*s->p++ - '0');
	return v;
}

static int eat(scan *s, char c)
{
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return 1;
	}
	return 0;
}

static void blanks(scan *s)
{
	while (s->p < s->end && isspace((unsigned char)*s->p))
		s->p++;
}

/* Case-insensitive prefix word match; advances past it. */
static int word(scan *s, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(s->end - s->p) < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)s->p[i]) != w[i])
			return 0;
	s->p += n;
	return 1;
}

/* A zone name at s (North American and Central European names feeds
 * use); its offset in minutes into *off. */
static int zone_name(scan *s, int *off)
{
	static const struct {
		const char *name;
		int hours;
	} names[] = {{"utc", 0},  {"gmt", 0},  {"ut", 0},   {"est", -5}, {"edt", -4},
	             {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8},
	             {"pdt", -7}, {"cest", 2}, {"cet", 1},  {"bst", 1}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (word(s, names[i].name)) {
			*off = names[i].hours * 60;
			return 1;
		}
	return 0;
}

/* An optional zone: Z, a name (zone_name), +hh, +hhmm, +hh:mm (or -).
 * Sets t->has_offset and offset_min; -1 on a malformed one. */
static int zone(scan *s, wn_time *t)
{
	blanks(s);
	if (s->p >= s->end)
		return 0;
	int off = 0;
	if (eat(s, 'Z') || eat(s, 'z') || zone_name(s, &off)) {
		t->has_offset = 1;
		t->offset_min = off;
		return 0;
	}
	int sign = *s->p == '+' ? 1 : *s->p == '-' ? -1 : 0;
	if (!sign)
		return -1;
	s->p++;
	int hh = digits(s, 2), mm = 0;
	if (hh < 0)
		return -1;
	if (eat(s, ':') || (s->p < s->end && isdigit((unsigned char)*s->p)))
		mm = digits(s, 2);
	if (mm < 0 || hh > 23 || mm > 59)
		return -1;
	t->has_offset = 1;
	t->offset_min = sign * (hh * 60 + mm);
	return 0;
}

/* "hh:mm[:ss[.frac]]" ("h:mm" too when loose, as RFC 822 dates are
 * written); sets *secs. -1 when malformed. */
static int clock(scan *s, int loose, int *secs)
{
	int hh = loose ? digits12(s) : digits(s, 2);
	if (hh < 0 || !eat(s, ':'))
		return -1;
	int mm = digits(s, 2), ss = 0;
	if (mm < 0)
		return -1;
	if (eat(s, ':')) {
		ss = digits(s, 2);
		if (ss < 0)
			return -1;
		if (eat(s, '.') || eat(s, ','))
			while (s->p < s->end && isdigit((unsigned char)*s->p))
				s->p++; /* fractions of a second are dropped */
	}
	if (hh == 24 && mm == 0 && ss == 0)
		hh = 24; /* end of day: rolls over below */
	else if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	if (ss == 60)
		ss = 59; /* a leap second: the last second of the minute */
	*secs = hh * 3600 + mm * 60 + ss;
	return 0;
}

static int finish(int y, int m, int d, int secs, wn_time *t)
{
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > wn_days_in_month(y, m))
		return -1;
	t->epoch = wn_days_from_civil(y, m, d) * 86400 + secs - (int64_t)t->offset_min * 60;
	return 0;
}

/* ISO 8601 / RFC 3339: YYYY-MM-DD[(T| )hh:mm[:ss[.f]]][zone]. */
static int parse_iso(scan *s, wn_time *t)
{
	int y = digits(s, 4);
	if (y < 0 || !eat(s, '-'))
		return -1;
	int m = digits(s, 2);
	if (m < 0 || !eat(s, '-'))
		return -1;
	int d = digits(s, 2), secs = 0;
	if (d < 0)
		return -1;
	t->precision = WN_PREC_DAY;
	if (eat(s, 'T') || eat(s, 't') ||
	    (s->p + 1 < s->end && *s->p == ' ' && isdigit((unsigned char)s->p[1]) && s->p++)) {
		if (clock(s, 0, &secs))
			return -1;
		t->precision = WN_PREC_SECOND;
		if (zone(s, t))
			return -1;
	}
	blanks(s);
	if (s->p != s->end)
		return -1;
	return finish(y, m, d, secs, t);
}

/* RFC 822's year: four digits, or two (1950-2049); -1 otherwise. */
static int rfc_year(scan *s)
{
	const char *start = s->p;
	while (s->p < s->end && isdigit((unsigned char)*s->p) && s->p - start < 5)
		s->p++;
	size_t n = (size_t)(s->p - start);
	if (n != 2 && n != 4)
		return -1;
	int y = 0;
	for (size_t i = 0; i < n; i++)
		y = y * 10 + (start[i] - '0');
	return n == 4 ? y : y + (y < 50 ? 2000 : 1900);
}

/* RFC 1123 / 822: [Day,] DD Mon YY[YY] h[h]:mm[:ss] zone. */
static int parse_rfc(scan *s, wn_time *t)
{
	if (s->p < s->end && isalpha((unsigned char)*s->p)) {
		while (s->p < s->end && isalpha((unsigned char)*s->p))
			s->p++;
		eat(s, ',');
		blanks(s);
	}
	int d = digits12(s), m = 0, secs = 0;
	if (d < 0)
		return -1;
	blanks(s);
	size_t k = 0;
	m = wn_month_name(s->p, s->end, &k);
	if (m < 0)
		return -1;
	s->p += k;
	blanks(s);
	int y = rfc_year(s);
	if (y < 0)
		return -1;
	blanks(s);
	t->precision = WN_PREC_DAY;
	if (s->p < s->end) {
		if (clock(s, 1, &secs) || zone(s, t))
			return -1;
		t->precision = WN_PREC_SECOND;
	}
	blanks(s);
	if (s->p != s->end)
		return -1;
	return finish(y, m, d, secs, t);
}

int wn_time_parse(const char *str, size_t n, wn_time *out)
{
	scan s = {str, str + n};
	blanks(&s);
	while (s.end > s.p && isspace((unsigned char)s.end[-1]))
		s.end--;
	wn_time t = {0};
	scan iso = s;
	if (parse_iso(&iso, &t) == 0) {
		*out = t;
		return 0;
	}
	memset(&t, 0, sizeof t);
	if (parse_rfc(&s, &t) == 0) {
		*out = t;
		return 0;
	}
	return -1;
}

void wn_time_format(int64_t epoch, char out[21])
{
	int64_t days = epoch >= 0 ? epoch / 86400 : -((-epoch + 86399) / 86400);
	int64_t sod = epoch - days * 86400;
	int64_t y;
	int m, d;
	civil64(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	char buf[64]; /* roomier than needed: the compiler cannot prove the ranges */
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d, (int)(sod / 3600),
	         (int)(sod / 60 % 60), (int)(sod % 60));
	memcpy(out, buf, 20);
	out[20] = '\0';
}

void wn_time_format_offset(int offset_min, char out[7])
{
	int a = offset_min < 0 ? -offset_min : offset_min;
	char buf[32];
	snprintf(buf, sizeof buf, "%c%02d:%02d", offset_min < 0 ? '-' : '+', a / 60 % 100, a % 60);
	memcpy(out, buf, 6);
	out[6] = '\0';
}
