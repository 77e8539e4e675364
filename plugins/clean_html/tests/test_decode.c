/*
 * clean_html, decoding layer: sniffing, charsets, repair, dates.
 */
#include "check.h"
#include "wn_clean.h"

#include <stdlib.h>
#include <string.h>

/* Decodes s with content type ct and checks the UTF-8 result contains want. */
static void decodes_to(const char *s, size_t n, const char *ct, const char *want,
                       const char *want_cs)
{
	size_t len;
	const char *cs = NULL;
	char *u = wn_clean_decode(s, n, ct, &len, &cs);
	CHECK(u != NULL);
	if (!CONTAINS(u, want))
		fprintf(stderr, "decoded: %s\n", u ? u : "(null)");
	CHECK(CONTAINS(u, want));
	if (want_cs)
		CHECK_STR(cs, want_cs);
	free(u);
}

static void test_sniff(void)
{
	CHECK(wn_clean_sniff("<html><body>x</body></html>", 27, NULL) == WN_SNIFF_HTML);
	CHECK(wn_clean_sniff("  <!DOCTYPE html><p>x", 21, NULL) == WN_SNIFF_HTML);
	CHECK(wn_clean_sniff("Just some words.\nMore.", 22, NULL) == WN_SNIFF_TEXT);
	CHECK(wn_clean_sniff("<html>", 6, "text/plain; charset=utf-8") == WN_SNIFF_TEXT);
	CHECK(wn_clean_sniff("anything", 8, "text/html") == WN_SNIFF_HTML);
	CHECK(wn_clean_sniff("{\"a\":1}", 7, "application/json") == WN_SNIFF_TEXT);
	CHECK(wn_clean_sniff("\x89PNG\r\n\x1a\n....", 12, NULL) == WN_SNIFF_BINARY);
	CHECK(wn_clean_sniff("%PDF-1.4 ...", 12, "text/html") == WN_SNIFF_BINARY);
	CHECK(wn_clean_sniff("<html>\0\0\0\x01\x02", 11, NULL) == WN_SNIFF_BINARY);
	CHECK(wn_clean_sniff("GIF89a", 6, "image/gif") == WN_SNIFF_BINARY);
}

static void test_charsets(void)
{
	/* iso-8859-1 declared by <meta>: é is 0xE9 */
	const char latin[] = "<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xE9</body>";
	decodes_to(latin, sizeof latin - 1, NULL, "caf\xC3\xA9", "windows-1252");
	/* http-equiv form */
	const char he[] = "<meta http-equiv=\"Content-Type\" content=\"text/html; "
	                  "charset=ISO-8859-1\"><p>na\xEFve</p>";
	decodes_to(he, sizeof he - 1, NULL, "na\xC3\xAFve", "windows-1252");
	/* no label, invalid UTF-8: guessed windows-1252; 0x93/0x94 are quotes */
	const char cp[] = "<p>\x93quoted\x94 \x80 5</p>";
	decodes_to(cp, sizeof cp - 1, NULL, "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC 5",
	           "windows-1252");
	/* UTF-8 BOM wins over a wrong meta */
	const char bom[] = "\xEF\xBB\xBF<meta charset=\"windows-1252\"><p>\xC3\xBC</p>";
	decodes_to(bom, sizeof bom - 1, NULL, "<p>\xC3\xBC</p>", "UTF-8");
	/* content type charset beats meta */
	const char ctm[] = "<meta charset=\"utf-8\"><p>\xE9t\xE9</p>";
	decodes_to(ctm, sizeof ctm - 1, "text/html; charset=ISO-8859-1", "\xC3\xA9t\xC3\xA9",
	           "windows-1252");
	/* a single-byte label on bytes that are really UTF-8: UTF-8 */
	const char mis[] = "<meta charset=\"iso-8859-1\"><p>\xC3\xA9t\xC3\xA9</p>";
	decodes_to(mis, sizeof mis - 1, NULL, "\xC3\xA9t\xC3\xA9</p>", "UTF-8");
	/* other charsets through iconv: KOI8-R "мир" = CD C9 D2 */
	const char koi[] = "<p>\xCD\xC9\xD2</p>";
	decodes_to(koi, sizeof koi - 1, "text/html; charset=koi8-r", "\xD0\xBC\xD0\xB8\xD1\x80",
	           NULL);
	/* unknown label: falls back to the guess */
	const char unk[] = "<meta charset=\"x-nonsense-42\"><p>plain</p>";
	decodes_to(unk, sizeof unk - 1, NULL, "plain", "UTF-8");
}

static void test_repair(void)
{
	/* declared UTF-8 with invalid bytes: replaced by U+FFFD */
	const char bad[] = "<meta charset=utf-8><p>ok \xFF\xFE bad \xC3</p>";
	decodes_to(bad, sizeof bad - 1, NULL, "ok \xEF\xBF\xBD\xEF\xBF\xBD bad \xEF\xBF\xBD",
	           "UTF-8");
}

static void test_dates(void)
{
	char b[40];
	CHECK(wn_clean_date_iso("2024-01-30T10:00:00Z", b, sizeof b));
	CHECK_STR(b, "2024-01-30T10:00:00Z");
	CHECK(wn_clean_date_iso("2024-01-30T10:00:00.123+0100", b, sizeof b));
	CHECK_STR(b, "2024-01-30T10:00:00+01:00");
	CHECK(wn_clean_date_iso("2024-01-30 08:05", b, sizeof b));
	CHECK_STR(b, "2024-01-30T08:05:00");
	CHECK(wn_clean_date_iso(" 2024-01-30", b, sizeof b));
	CHECK_STR(b, "2024-01-30");
	CHECK(wn_clean_date_iso("Tue, 30 Jan 2024 10:00:00 GMT", b, sizeof b));
	CHECK_STR(b, "2024-01-30T10:00:00Z");
	CHECK(wn_clean_date_iso("January 30, 2024", b, sizeof b));
	CHECK_STR(b, "2024-01-30");
	CHECK(wn_clean_date_iso("Sept. 3rd, 2021", b, sizeof b));
	CHECK_STR(b, "2021-09-03");
	CHECK(wn_clean_date_iso("3 November 2022", b, sizeof b));
	CHECK_STR(b, "2022-11-03");
	CHECK(!wn_clean_date_iso("yesterday", b, sizeof b));
	CHECK(!wn_clean_date_iso("2024-13-01", b, sizeof b));
	CHECK(!wn_clean_date_iso("", b, sizeof b));
	CHECK(wn_clean_url_date("https://x.example/2024/01/30/story-slug", b, sizeof b));
	CHECK_STR(b, "2024-01-30");
	CHECK(wn_clean_url_date("https://x.example/news/2019-12-02-some-story", b, sizeof b));
	CHECK_STR(b, "2019-12-02");
	CHECK(!wn_clean_url_date("https://x.example/article/12345678", b, sizeof b));
	CHECK(!wn_clean_url_date("https://2024.example/p/1", b, sizeof b));
}

int main(void)
{
	test_sniff();
	test_charsets();
	test_repair();
	test_dates();
	return check_finish();
}
