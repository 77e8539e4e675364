/*
 * text_norm (plugins/common) tests: decoding by BOM, declared charset,
 * UTF-8 validity and the windows-1252 fallback; normalisation (NFC,
 * controls, zero-width characters, spaces, blank lines, NBSP kept);
 * scripts; case folding; word counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text_norm.h"

/* Decodes and compares with the expected UTF-8. */
static void dec(const char *raw, size_t n, const char *ct, const char *want)
{
	size_t len;
	char *got = wn_text_decode(raw, n, ct, &len);

	CHECK_STR(got, want);
	CHECK(got && len == strlen(want));
	if (got && len != strlen(want))
		fprintf(stderr, "  decoding \"%s\": length %zu\n", want, len);
	free(got);
}

static void test_decode(void)
{
	dec("\xEF\xBB\xBFhi", 5, NULL, "hi");
	dec("\xFF\xFEh\0\xE9\0", 6, NULL, "h\xC3\xA9");
	dec("\xFE\xFF\0h\0\xE9", 6, "charset=iso-8859-1", "h\xC3\xA9");
	dec("caf\xE9 \x93q\x94", 8, "text/plain; charset=ISO-8859-1",
	    "caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D");
	dec("caf\xE9", 4, "text/html; charset=\"windows-1252\"", "caf\xC3\xA9");
	dec("\xD6\xD0\xCE\xC4", 4, "text/plain; charset=gbk", "\xE4\xB8\xAD\xE6\x96\x87");
	dec("\xC3\xA9t\xC3\xA9", 5, NULL, "\xC3\xA9t\xC3\xA9");
	/* not UTF-8 and no charset: windows-1252 */
	dec("na\xEFve \x80", 7, NULL, "na\xC3\xAFve \xE2\x82\xAC");
	/* declared UTF-8 but broken: repaired, not re-decoded */
	dec("a\xFF", 2, "utf-8", "a\xEF\xBF\xBD");
	/* an unknown charset falls back to the byte heuristics */
	dec("ok", 2, "charset=no-such-charset", "ok");
	/* a bare charset name counts */
	dec("\xE9", 1, "latin1", "\xC3\xA9");
	dec("", 0, NULL, "");
}

static void norm(const char *in, const char *want)
{
	size_t len;
	char *got = wn_text_normalize(in, strlen(in), &len);

	CHECK_STR(got, want);
	CHECK(got && len == strlen(want));
	free(got);
}

static void test_normalize(void)
{
	norm("e\xCC\x81t\xC3\xA9", "\xC3\xA9t\xC3\xA9");        /* NFC */
	norm("a\r\nb\rc", "a\nb\nc");                           /* line ends */
	norm("a  \t b\x07", "a b");                             /* spaces, BEL */
	norm("  lead and trail  \n", "lead and trail");         /* trimmed */
	norm("zero\xE2\x80\x8Bwidth\xEF\xBB\xBF", "zerowidth"); /* ZWSP, BOM */
	norm("soft\xC2\xADhyphen", "softhyphen");               /* SHY */
	norm("no\xC2\xA0"
	     "break",
	     "no\xC2\xA0"
	     "break");                          /* NBSP kept */
	norm("x\xC2\xA0\n\xC2\xA0y", "x\ny");   /* ...not at ends */
	norm("\n\n\na\n\n\n\nb\n\n", "a\n\nb"); /* blank runs */
	norm("a\n \t \nb", "a\n\nb");           /* blank w/ spaces */
	norm("p\xE2\x80\xA9q", "p\n\nq");       /* U+2029 */
	norm("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB",
	     "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB"); /* ZWJ kept */
	norm("end\xE2\x80\x8D", "end");                       /* ZWJ at end */
	norm("bad\xFF", "bad\xEF\xBF\xBD");                   /* repaired */
	norm("\xE2\x80\x9Cq\xE2\x80\x9D \xE2\x80\x94 x",
	     "\xE2\x80\x9Cq\xE2\x80\x9D \xE2\x80\x94 x");
	norm("", "");
}

static void test_scripts_words(void)
{
	size_t n;
	char *f;

	CHECK(wn_script_of('a') == WN_SCRIPT_LATIN);
	CHECK(wn_script_of(0xE9) == WN_SCRIPT_LATIN);
	CHECK(wn_script_of('1') == WN_SCRIPT_NONE);
	CHECK(wn_script_of(0x0416) == WN_SCRIPT_CYRILLIC);
	CHECK(wn_script_of(0x4E2D) == WN_SCRIPT_HAN);
	CHECK(wn_script_of(0x3042) == WN_SCRIPT_KANA);
	CHECK(wn_script_of(0xAC00) == WN_SCRIPT_HANGUL);
	CHECK(wn_script_of(0x0627) == WN_SCRIPT_ARABIC);
	CHECK(wn_script_of(0x05D0) == WN_SCRIPT_HEBREW);
	CHECK(wn_script_of(0x0915) == WN_SCRIPT_DEVANAGARI);
	CHECK(wn_script_of(0x03B1) == WN_SCRIPT_GREEK);
	CHECK(wn_script_of(0x0E01) == WN_SCRIPT_THAI);
	CHECK(wn_script_of(0x3002) == WN_SCRIPT_NONE);
	CHECK(wn_script_unspaced(WN_SCRIPT_HAN) && !wn_script_unspaced(WN_SCRIPT_LATIN));

	CHECK(wn_text_word_count("Don't stop, well-known 3.5 times!", 33) == 5);
	CHECK(wn_text_word_count("1,200 or 3.5.", 13) == 3);
	CHECK(wn_text_word_count("中文 text", 11) == 3);
	CHECK(wn_text_word_count("", 0) == 0);
	CHECK(wn_text_word_count("\xFF\xFE", 2) == 0);

	f = wn_text_casefold("Stra\xC3\x9F"
	                     "E \xC3\x89T\xC3\x89",
	                     13, &n);
	CHECK_STR(f, "strasse \xC3\xA9t\xC3\xA9");
	free(f);
}

static void unescape_case(const char *in, const char *want)
{
	char buf[256];
	size_t n = strlen(in);

	memcpy(buf, in, n + 1);
	n = wn_text_unescape_html(buf, n);
	CHECK(n == strlen(want));
	CHECK_STR(buf, want);
}

/* Character references a renderer left are characters again; what is no
 * reference, or one to a control, stays as written. */
static void test_unescape_html(void)
{
	unescape_case("don&#x27;t &amp; won&#039;t", "don't & won't");
	unescape_case("&quot;A&quot;&nbsp;&lt;b&gt; &rsquo; &#8212;",
	              "\"A\" <b> \xE2\x80\x99 \xE2\x80\x94");
	unescape_case("&#x1F600; &#X41;", "\xF0\x9F\x98\x80 A");
	unescape_case("AT&T &ampersand; &#; &#x; &#1; &#xD800; &#x110000; &#65 &zwnj;",
	              "AT&T &ampersand; &#; &#x; &#1; &#xD800; &#x110000; &#65 &zwnj;");
	unescape_case("&", "&");
	unescape_case("", "");
}

int main(void)
{
	test_decode();
	test_unescape_html();
	test_normalize();
	test_scripts_words();
	return check_finish();
}
