/*
 * The field catalogue: time values in their one format (parsing, the
 * record setter's normalisation with precision and offset, values that
 * are no dates), code point offsets, and the catalogue's own consistency.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "check.h"
#include "record.h"
#include "winnow/fields.h"

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

static void test_parse(void)
{
	CHECK_STR(norm("2024-01-30T09:00:00Z"), "2024-01-30T09:00:00Z");
	CHECK_STR(norm("2024-01-30T10:00:00+01:00"), "2024-01-30T09:00:00Z");
	CHECK_STR(norm("2024-01-30T04:00:00-05:00"), "2024-01-30T09:00:00Z");
	CHECK_STR(norm("2024-01-30T10:00:00.123+0100"), "2024-01-30T09:00:00Z");
	CHECK_STR(norm("2024-01-30 09:00"), "2024-01-30T09:00:00Z");
	CHECK_STR(norm(" 2024-01-30 "), "2024-01-30T00:00:00Z");
	CHECK_STR(norm("2024-01-01T00:30:00+01:00"), "2023-12-31T23:30:00Z");
	CHECK_STR(norm("2024-02-29T12:00:00z"), "2024-02-29T12:00:00Z");
	CHECK_STR(norm("Tue, 30 Jan 2024 09:00:00 GMT"), "2024-01-30T09:00:00Z");
	CHECK_STR(norm("Tue, 30 Jan 2024 10:00:00 +0100"), "2024-01-30T09:00:00Z");
	CHECK_STR(norm("3 Dec 2026 16:43 UTC"), "2026-12-03T16:43:00Z");
	CHECK_STR(norm("1969-12-31T23:59:59Z"), "1969-12-31T23:59:59Z");
	CHECK_STR(norm("2024-02-30"), "ERR");
	CHECK_STR(norm("2023-02-29"), "ERR");
	CHECK_STR(norm("2024-01-30T25:00:00Z"), "ERR");
	CHECK_STR(norm("2024-01-30T09:00:00+25:00"), "ERR");
	CHECK_STR(norm("yesterday"), "ERR");
	CHECK_STR(norm("2024-01-30T09:00:00Z junk"), "ERR");
	CHECK_STR(norm(""), "ERR");
	wn_time t;
	CHECK(wn_time_parse("2024-01-30", 10, &t) == 0 && t.precision == WN_PREC_DAY &&
	      !t.has_offset);
	CHECK(wn_time_parse("2024-01-30T09:00", 16, &t) == 0 && t.precision == WN_PREC_SECOND &&
	      !t.has_offset);
	CHECK(wn_time_parse("2024-01-30T09:00-03:30", 22, &t) == 0 && t.has_offset &&
	      t.offset_min == -210);
	char off[7];
	wn_time_format_offset(-210, off);
	CHECK_STR(off, "-03:30");
	wn_time_format_offset(60, off);
	CHECK_STR(off, "+01:00");
}

/* A record's published as the setter leaves it: value, precision, offset. */
#define NO_OFFSET 9999
static void expect_published(wn_record *r, const char *v, const char *prec, int64_t off)
{
	CHECK_STR(wn_record_get_str(r, "published", NULL), v);
	CHECK_STR(wn_record_get_str(r, "published_precision", NULL), prec);
	CHECK(wn_record_get_int(r, "published_offset", NO_OFFSET) == off);
}

static void test_record(void)
{
	wn_record *r = wn_record_new(0);
	/* the same instant from a feed (Z) and from the page (+01:00) */
	CHECK(wn_record_set_str(r, "published", "2024-01-30T09:00:00Z") == WN_OK);
	expect_published(r, "2024-01-30T09:00:00Z", "second", 0);
	CHECK(wn_record_set_str(r, "published", "2024-01-30T10:00:00+01:00") == WN_OK);
	expect_published(r, "2024-01-30T09:00:00Z", "second", 60);
	/* writing back what was read keeps the facts */
	const char *cur = wn_record_get_str(r, "published", NULL);
	CHECK(wn_record_set_str(r, "published", cur) == WN_OK);
	expect_published(r, "2024-01-30T09:00:00Z", "second", 60);
	CHECK(wn_record_set_str(r, "published", "2024-01-30") == WN_OK);
	expect_published(r, "2024-01-30T00:00:00Z", "day", NO_OFFSET);
	CHECK(wn_record_set_str(r, "published", "2024-01-30T10:00:00") == WN_OK);
	expect_published(r, "2024-01-30T10:00:00Z", "second", NO_OFFSET); /* zoneless: UTC */
	/* no date at all: kept aside, the column stays clean */
	CHECK(wn_record_set_str(r, "published", "last Tuesday") == WN_OK);
	CHECK(wn_record_get_str(r, "published", NULL) == NULL);
	CHECK(wn_record_get_str(r, "published_precision", NULL) == NULL);
	CHECK_STR(wn_record_get_str(r, "published_raw", NULL), "last Tuesday");
	CHECK(wn_record_set_str(r, "published", "2024-01-30T09:00:00Z") == WN_OK);
	CHECK(wn_record_get_str(r, "published_raw", NULL) == NULL);
	/* deleting published takes its facts along */
	CHECK(wn_record_set_str(r, "published", NULL) == WN_OK);
	CHECK(wn_record_get_str(r, "published_precision", NULL) == NULL);
	CHECK(wn_record_get(r, "published_offset", NULL, NULL) == NULL);
	/* the other time fields: one format, no facts */
	CHECK(wn_record_set_str(r, "last_modified", "Thu, 03 Dec 2026 16:43:47 GMT") == WN_OK);
	CHECK_STR(wn_record_get_str(r, "last_modified", NULL), "2026-12-03T16:43:47Z");
	CHECK(wn_record_set_str(r, "modified", "2026-12-03T17:43:47+01:00") == WN_OK);
	CHECK_STR(wn_record_get_str(r, "modified", NULL), "2026-12-03T16:43:47Z");
	CHECK(wn_record_get_str(r, "modified_precision", NULL) == NULL);
	CHECK(wn_record_set_str(r, "fetched_at", "n/a") == WN_OK);
	CHECK_STR(wn_record_get_str(r, "fetched_at_raw", NULL), "n/a");
	/* non-time fields are untouched */
	CHECK(wn_record_set_str(r, "title", "2024-01-30T10:00:00+01:00") == WN_OK);
	CHECK_STR(wn_record_get_str(r, "title", NULL), "2024-01-30T10:00:00+01:00");
	wn_record_free(r);
}

static void test_cp(void)
{
	const char *s = "\xE2\x80\x9CQuoted\xE2\x80\x9D caf\xC3\xA9 Z\xC3\xBCrich";
	wn_cp_cursor c;
	wn_cp_init(&c, s, strlen(s));
	CHECK(wn_cp_offset(&c, 0) == 0);
	CHECK(wn_cp_offset(&c, 3) == 1);    /* after the opening quote */
	CHECK(wn_cp_offset(&c, 9) == 7);    /* "Quoted" */
	CHECK(wn_cp_offset(&c, 12) == 8);   /* closing quote */
	CHECK(wn_cp_offset(&c, 4) == 2);    /* backwards: recounted */
	CHECK(wn_cp_offset(&c, 999) == 20); /* clamped to the end */
	CHECK(wn_cp_offset(&c, -5) == 0);
}

/* Arbitrary bytes never crash the parser, and whatever it accepts is
 * printed in the one format. */
static void test_parse_noise(void)
{
	static const char alphabet[] = "0123456789-:+TZ .,GMTJanFebDecMon\xC3\xA9";
	unsigned seed = 12345;
	int bad = 0;
	for (int i = 0; i < 20000; i++) {
		char s[40];
		size_t n = (size_t)(seed >> 16) % sizeof s;
		for (size_t k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			s[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		wn_time t;
		if (wn_time_parse(s, n, &t) == 0) {
			char out[21];
			wn_time_format(t.epoch, out);
			bad += strlen(out) != 20 || out[10] != 'T' || out[19] != 'Z';
		}
	}
	CHECK(bad == 0);
}

static void test_catalogue(void)
{
	/* names are unique, every entry is documented */
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		CHECK(wn_fields[i].doc && *wn_fields[i].doc && wn_fields[i].stages);
		CHECK(wn_field_find(wn_fields[i].name) == &wn_fields[i]);
		for (size_t j = i + 1; j < WN_FIELD_COUNT; j++)
			CHECK(strcmp(wn_fields[i].name, wn_fields[j].name) != 0);
	}
	CHECK(wn_field_find("nope") == NULL);
	CHECK(wn_field_find("publishe") == NULL);
	CHECK(wn_catalog_is_time("published") && wn_catalog_is_time("fetched_at"));
	CHECK(!wn_catalog_is_time("published_offset") && !wn_catalog_is_time("title"));
	CHECK(strcmp(wn_fields[0].name, WN_F_ID) == 0); /* the key comes first */
	CHECK(!wn_field_is_column(wn_field_find(WN_F_RAW)));
}

int main(void)
{
	test_parse();
	test_parse_noise();
	test_record();
	test_cp();
	test_catalogue();
	return check_finish();
}
