/*
 * The host side of the field catalogue (winnow/fields.h): the one place
 * where time values are parsed and written in their single format, and the
 * printers behind `winnow schema`.
 */
#ifndef WN_CATALOG_H
#define WN_CATALOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum wn_time_prec { WN_PREC_DAY = 0, WN_PREC_SECOND = 1 };

/* A parsed time. */
typedef struct wn_time {
	int64_t epoch;  /* seconds since 1970-01-01T00:00:00Z */
	int precision;  /* enum wn_time_prec */
	int has_offset; /* the text named a zone (Z, GMT, +01:00, ...) */
	int offset_min; /* its offset east of UTC, in minutes */
} wn_time;

/* Parses an ISO 8601 / RFC 3339 date or date-time ("2024-01-30",
 * "2024-01-30T10:00", "2024-01-30 10:00:00.5+0100", "...Z") or an RFC 1123
 * / RFC 822 date ("Tue, 30 Jan 2024 09:00:00 GMT", "30 Jan 2024 10:00
 * +0100"), with surrounding blanks. A time without a zone is taken as UTC
 * (has_offset 0). Returns 0, or -1 when s is no valid date. */
int wn_time_parse(const char *s, size_t n, wn_time *out);

/* Writes epoch as "YYYY-MM-DDThh:mm:ssZ" into out (at least 21 bytes). */
void wn_time_format(int64_t epoch, char out[21]);

/* Writes an offset in minutes as "+hh:mm" into out (at least 7 bytes). */
void wn_time_format_offset(int offset_min, char out[7]);

/* True when `name` is a catalogue field with the time format. */
int wn_catalog_is_time(const char *name);

/* Prints the catalogue: markdown=0 a plain table for a terminal, 1 the
 * Markdown page docs/schema.md is (byte for byte). */
void wn_catalog_print(FILE *f, int markdown);

/* `winnow schema [--markdown]`: argv[0] is "schema". Returns an exit code
 * (0, or 64 on a usage error). */
int wn_catalog_cli(int argc, char **argv);

#endif
