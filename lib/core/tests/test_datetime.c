/*
 * The one date normaliser (lib/core/datetime.h): the shapes feeds and
 * pages write, zones, two-digit years, month names, the calendar.
 */
#include "check.h"
#include "datetime.h"

#include <string.h>

/* The normalised form of s, or "ERR". */
static const char *norm(const char *s)
{
	static char out[21];
	wn_time t;
	if (wn_time_parse(s, strlen(s), &t))
		return "ERR";
	wn_time_format(t.epoch, out);
	return out;
}

static int month(const char *s, size_t *len)
{
	return wn_month_name(s, NULL, len);
}

int main(void)
{
	/* What feeds write (RFC 822 and its variants) and what pages write
	 * (ISO 8601), all to one UTC form. */
	CHECK_STR(norm("Tue, 30 Jan 2024 10:00:00 +0100"), "2024-01-30T09:00:00Z");
	CHECK_STR(norm("Tue, 10 Jun 2003 04:00:00 GMT"), "2003-06-10T04:00:00Z");
	CHECK_STR(norm("Tue, 10 Jun 2003 4:00:00 EST"), "2003-06-10T09:00:00Z");
	CHECK_STR(norm("10 Jun 03 04:00 PDT"), "2003-06-10T11:00:00Z");
	CHECK_STR(norm("10 Jun 49 04:00 GMT"), "2049-06-10T04:00:00Z");
	CHECK_STR(norm("10 Jun 50 04:00 GMT"), "1950-06-10T04:00:00Z");
	CHECK_STR(norm("1 Sept. 2024 10:00 CEST"), "2024-09-01T08:00:00Z");
	CHECK_STR(norm("1 Sep 2024 10:00 CET"), "2024-09-01T09:00:00Z");
	CHECK_STR(norm("2003-12-13T18:30:02.25+01:00"), "2003-12-13T17:30:02Z");
	CHECK_STR(norm("2003-12-13"), "2003-12-13T00:00:00Z");
	CHECK_STR(norm("2003-12-13T18:30Z"), "2003-12-13T18:30:00Z");
	CHECK_STR(norm("2024-01-30T10:00:00 BST"), "2024-01-30T09:00:00Z");
	/* Not dates: the text says where it stops being one. */
	CHECK_STR(norm("30 Feb 2024 10:00 GMT"), "ERR");
	CHECK_STR(norm("Tue, 30 Jan 2024 10:00:00 XYZ"), "ERR");
	CHECK_STR(norm("30 Jan 123 10:00"), "ERR");
	CHECK_STR(norm("30 Janx 2024"), "ERR");
	CHECK_STR(norm(""), "ERR");
	wn_time t;
	CHECK(wn_time_parse("Tue, 30 Jan 2024 10:00:00 EDT", 29, &t) == 0 && t.has_offset &&
	      t.offset_min == -240 && t.precision == WN_PREC_SECOND);
	/* n bounds the text: no NUL needed. */
	CHECK(wn_time_parse("2024-01-30XXXX", 10, &t) == 0 && t.precision == WN_PREC_DAY);

	/* Month names: seven languages, the longest word, an abbreviation's
	 * dot, accents as UTF-8, a no-break space ends the word. */
	size_t k = 0;
	CHECK(month("January 3", &k) == 1 && k == 7);
	CHECK(month("Sept. 3", &k) == 9 && k == 5);
	CHECK(month("mars 2025", &k) == 3 && k == 4);
	CHECK(month("f\xC3\xA9vrier", &k) == 2 && k == 8);
	CHECK(month("M\xC3\xA4rz", &k) == 3 && k == 5); /* ASCII letters fold */
	CHECK(month("m\xC3\xA4rz\xC2\xA0"
	            "2024",
	            &k) == 3 &&
	      k == 5);
	CHECK(month("diciembre", &k) == 12);
	CHECK(month("Marché", &k) == -1);
	CHECK(month("mayor", &k) == -1);
	const char *s = "Dec";
	CHECK(wn_month_name(s, s + 2, &k) == -1); /* "De" is no month */

	/* The calendar. */
	CHECK(wn_days_from_civil(1970, 1, 1) == 0);
	CHECK(wn_days_from_civil(2024, 3, 1) - wn_days_from_civil(2024, 2, 1) == 29);
	int y, m, d;
	wn_civil_from_days(wn_days_from_civil(2000, 2, 29), &y, &m, &d);
	CHECK(y == 2000 && m == 2 && d == 29);
	wn_civil_from_days(-1, &y, &m, &d);
	CHECK(y == 1969 && m == 12 && d == 31);
	CHECK(wn_days_in_month(1900, 2) == 28 && wn_days_in_month(2000, 2) == 29);
	char off[7];
	wn_time_format_offset(-210, off);
	CHECK_STR(off, "-03:30");
	return check_finish();
}
