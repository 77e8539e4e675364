/*
 * The field catalogue, host side: time values in one format, and the
 * `winnow schema` printers. The catalogue itself is winnow/fields.h.
 *
 * Times are normalised here and only here, from the record setter
 * (record.c), so a value is in its one format from the moment any plugin
 * sets it, whichever plugin that is; sinks then only copy.
 */
#include "catalog.h"

#include <ctype.h>
#include <string.h>

#include "winnow/fields.h"

/* --- parsing -------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

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

/* An optional zone: Z, UTC, GMT, UT, +hh, +hhmm, +hh:mm (or -). Sets
 * t->has_offset and offset_min; -1 on a malformed one. */
static int zone(scan *s, wn_time *t)
{
	blanks(s);
	if (s->p >= s->end)
		return 0;
	if (eat(s, 'Z') || eat(s, 'z') || word(s, "utc") || word(s, "gmt") || word(s, "ut")) {
		t->has_offset = 1;
		t->offset_min = 0;
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

/* "hh:mm[:ss[.frac]]"; sets *secs. -1 when malformed. */
static int clock(scan *s, int *secs)
{
	int hh = digits(s, 2);
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
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	t->epoch = days_from_civil(y, m, d) * 86400 + secs - (int64_t)t->offset_min * 60;
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
		if (clock(s, &secs))
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

/* RFC 1123 / 822: [Day,] DD Mon YYYY hh:mm[:ss] zone. */
static int parse_rfc(scan *s, wn_time *t)
{
	static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                  "jul", "aug", "sep", "oct", "nov", "dec"};
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
	for (int i = 0; i < 12 && !m; i++)
		if (word(s, mon[i]))
			m = i + 1;
	if (!m)
		return -1;
	blanks(s);
	int y = digits(s, 4);
	if (y < 0)
		return -1;
	blanks(s);
	t->precision = WN_PREC_DAY;
	if (s->p < s->end) {
		if (clock(s, &secs) || zone(s, t))
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
	/* civil_from_days (Hinnant) */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y += m <= 2;
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

int wn_catalog_is_time(const char *name)
{
	switch (name[0]) { /* most field names are not times: decide fast */
	case 'p':
	case 'm':
	case 'l':
	case 'f':
		break;
	default:
		return 0;
	}
	const wn_field_def *f = wn_field_find(name);
	return f && f->fmt == WN_FMT_TIME;
}

/* --- printing -------------------------------------------------------- */

static const char *type_name(int type)
{
	switch (type) {
	case WN_T_STR:
		return "string";
	case WN_T_INT:
		return "integer";
	case WN_T_REAL:
		return "real";
	case WN_T_BYTES:
		return "bytes";
	default:
		return "?";
	}
}

/* A table cell: '|' would end the cell early, so it is escaped. */
static void md_cell(FILE *f, const char *s)
{
	fputs(" ", f);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
	}
	fputs(" |", f);
}

static void print_markdown(FILE *f)
{
	fputs("### Article fields\n\n"
	      "| field | type | format / unit | set by | may be absent | meaning |\n"
	      "| --- | --- | --- | --- | --- | --- |\n",
	      f);
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *d = &wn_fields[i];
		char name[80];
		snprintf(name, sizeof name, "`%s`", d->name);
		fputs("|", f);
		md_cell(f, name);
		md_cell(f, type_name(d->type));
		md_cell(f, d->unit);
		md_cell(f, d->stages);
		md_cell(f, d->optional ? "yes" : "no");
		md_cell(f, d->doc);
		fputs("\n", f);
	}
	fputs("\n### Entity columns\n\n"
	      "| column | type | format / unit | may be absent | meaning |\n"
	      "| --- | --- | --- | --- | --- |\n",
	      f);
	for (size_t i = 0; i < WN_ENTITY_COL_COUNT; i++) {
		const wn_entity_col *c = &wn_entity_cols[i];
		char name[80];
		snprintf(name, sizeof name, "`%s`", c->name);
		fputs("|", f);
		md_cell(f, name);
		md_cell(f, type_name(c->type));
		md_cell(f, c->unit);
		md_cell(f, c->optional ? "yes" : "no");
		md_cell(f, c->doc);
		fputs("\n", f);
	}
}

static void print_plain(FILE *f)
{
	fprintf(f, "%-20s %-8s %-3s %-40s %s\n", "FIELD", "TYPE", "OPT", "FORMAT/UNIT", "SET BY");
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *d = &wn_fields[i];
		fprintf(f, "%-20s %-8s %-3s %-40s %s\n", d->name, type_name(d->type),
		        d->optional ? "yes" : "no", d->unit[0] ? d->unit : "-", d->stages);
	}
	fprintf(f, "\n%-20s %-8s %-3s %s\n", "ENTITY COLUMN", "TYPE", "OPT", "FORMAT/UNIT");
	for (size_t i = 0; i < WN_ENTITY_COL_COUNT; i++) {
		const wn_entity_col *c = &wn_entity_cols[i];
		fprintf(f, "%-20s %-8s %-3s %s\n", c->name, type_name(c->type),
		        c->optional ? "yes" : "no", c->unit[0] ? c->unit : "-");
	}
}

void wn_catalog_print(FILE *f, int markdown)
{
	if (markdown)
		print_markdown(f);
	else
		print_plain(f);
}

static const char usage_schema[] =
    "usage: winnow schema [--markdown]\n"
    "\n"
    "Prints the catalogue of record fields (name, type, format or unit, the\n"
    "stages that set it, whether it may be absent) and of entity columns.\n"
    "--markdown prints the tables of docs/schema.md.\n";

int wn_catalog_cli(int argc, char **argv)
{
	int markdown = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--markdown") == 0) {
			markdown = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_schema, stdout);
			return 0;
		} else {
			fprintf(stderr, "winnow: schema: unknown argument '%s'\n%s", argv[i],
			        usage_schema);
			return 64;
		}
	}
	wn_catalog_print(stdout, markdown);
	return 0;
}
