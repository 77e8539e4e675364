/*
 * Dates and times: the one normaliser. Every date a plugin or the runner
 * reads (feed dates, page metadata, `published` set on a record) is parsed
 * here into seconds since the epoch with its precision and zone, and
 * written in one format, "YYYY-MM-DDThh:mm:ssZ" (UTC). The calendar
 * arithmetic and the month names (seven languages) live here too, so code
 * that finds dates in running text (clean_html) or computes them
 * (extract_entities) uses the same pieces.
 *
 * Locale-free and thread-safe: no strptime, no timegm, no globals.
 */
#ifndef WN_DATETIME_H
#define WN_DATETIME_H

#include <stddef.h>
#include <stdint.h>

enum wn_time_prec { WN_PREC_DAY = 0, WN_PREC_SECOND = 1 };

/* A parsed time. */
typedef struct wn_time {
	int64_t epoch;  /* seconds since 1970-01-01T00:00:00Z */
	int precision;  /* enum wn_time_prec */
	int has_offset; /* the text named a zone (Z, GMT, EST, +01:00, ...) */
	int offset_min; /* its offset east of UTC, in minutes */
} wn_time;

/* Parses the n bytes at s (no NUL needed), with surrounding blanks: an
 * ISO 8601 / RFC 3339 date or date-time ("2024-01-30", "2024-01-30T10:00",
 * "2024-01-30 10:00:00.5+0100", "...Z"), or an RFC 1123 / RFC 822 date
 * ("Tue, 30 Jan 2024 09:00:00 GMT", "30 Jan 24 10:00 +0100", "30 Jan 2024
 * 4:00 EST"; a two-digit year is 1950-2049; month names as
 * wn_month_name). Zones: Z, UT, UTC, GMT, +hh, +hhmm, +hh:mm (or -), and
 * the North American and Central European names (EST, EDT, CST, CDT, MST,
 * MDT, PST, PDT, CET, CEST, BST). A time without a zone is UTC
 * (has_offset 0). Returns 0, or -1 when s is no valid date (30 February
 * included) and *out is untouched. */
int wn_time_parse(const char *s, size_t n, wn_time *out);

/* Writes epoch as "YYYY-MM-DDThh:mm:ssZ" into out (21 bytes; years are
 * clamped to 0000-9999). */
void wn_time_format(int64_t epoch, char out[21]);

/* Writes an offset in minutes as "+hh:mm" into out (7 bytes). */
void wn_time_format_offset(int offset_min, char out[7]);

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (m
 * 1..12; d may run past the month: it counts on). */
int64_t wn_days_from_civil(int64_t y, int m, int d);

/* The inverse: the civil date of day z since 1970-01-01. */
void wn_civil_from_days(int64_t z, int *y, int *m, int *d);

/* Days in month m (1..12) of year y, leap years counted. */
int wn_days_in_month(int y, int m);

/* The month (1..12) named by the word at p: a month name or abbreviation
 * in English, French, German, Spanish, Italian, Portuguese or Dutch (ASCII
 * case-insensitive, UTF-8 accents as written, "fevrier" and "février"
 * alike), the longest that ends a word (a no-break or thin space ends one
 * too). *len gets the bytes it covers, with an abbreviation's dot. `end`
 * bounds the text, or is NULL when p is NUL-terminated. -1 when no month
 * name starts at p. */
int wn_month_name(const char *p, const char *end, size_t *len);

#endif
