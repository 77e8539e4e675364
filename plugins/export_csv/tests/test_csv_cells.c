/*
 * Unit tests for export_csv's cell encoder (csv.c): RFC 4180 quoting,
 * formula neutralisation and its plain-number exemption, UTF-8 repair, the
 * max_cell cap at character boundaries, numbers, and the buffer limit.
 */
#include "check.h"
#include "csv.h"

#include <math.h>

/* Encodes one text cell with the given options; returns it (static). */
static const char *cell(const char *s, size_t n, int neutralize, size_t max_cell, int64_t *trunc)
{
	static char out[256];
	wn_buf b;
	ec_cell_opts o = {neutralize, max_cell};
	wn_buf_init(&b, 1 << 20);
	int rc = ec_put_text(&b, s, n, &o, trunc);
	snprintf(out, sizeof out, "%.*s", (int)b.len, b.p ? b.p : "");
	wn_buf_free(&b);
	return rc ? "(error)" : out;
}

#define C(s) cell(s, sizeof(s) - 1, 1, 0, NULL)
#define RAW(s) cell(s, sizeof(s) - 1, 0, 0, NULL)

static void test_quoting(void)
{
	CHECK_STR(C("plain text"), "plain text");
	CHECK_STR(C(""), "");
	CHECK_STR(C("a,b"), "\"a,b\"");
	CHECK_STR(C("say \"hi\""), "\"say \"\"hi\"\"\"");
	CHECK_STR(C("\""), "\"\"\"\"");
	CHECK_STR(C("line1\nline2"), "\"line1\nline2\"");
	CHECK_STR(C("cr\rhere"), "\"cr\rhere\"");
	CHECK_STR(C(" lead"), "\" lead\"");
	CHECK_STR(C("trail "), "\"trail \"");
	CHECK_STR(C("in side"), "in side");
	CHECK_STR(C("caf\xC3\xA9"), "caf\xC3\xA9");
}

static void test_formulas(void)
{
	CHECK_STR(C("=1+2"), "'=1+2");
	CHECK_STR(C("+cmd"), "'+cmd");
	CHECK_STR(C("-2+3"), "'-2+3");
	CHECK_STR(C("@SUM(A1)"), "'@SUM(A1)");
	CHECK_STR(C("\tx"), "\"'\tx\"");
	CHECK_STR(C("\rx"), "\"'\rx\"");
	CHECK_STR(C("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	CHECK_STR(C("=a "), "\"'=a \"");
	CHECK_STR(C("-"), "'-");
	/* Plain numbers are data, not formulas. */
	CHECK_STR(C("-3.5"), "-3.5");
	CHECK_STR(C("+42"), "+42");
	CHECK_STR(C("-1e-9"), "-1e-9");
	CHECK_STR(C("-.5"), "-.5");
	/* Off switch. */
	CHECK_STR(RAW("=1+2"), "=1+2");
	/* Not at the start: harmless. */
	CHECK_STR(C("a=b"), "a=b");

	CHECK(ec_is_plain_number("0", 1));
	CHECK(ec_is_plain_number("12.", 3));
	CHECK(!ec_is_plain_number(".", 1));
	CHECK(!ec_is_plain_number("-", 1));
	CHECK(!ec_is_plain_number("1e", 2));
	CHECK(!ec_is_plain_number("1e+", 3));
	CHECK(!ec_is_plain_number("1.2.3", 5));
	CHECK(!ec_is_plain_number("", 0));
	CHECK(!ec_is_plain_number("0x1F", 4));
}

static void test_repair_and_cap(void)
{
	CHECK_STR(C("a\xFF"
	            "b"),
	          "a\xEF\xBF\xBD"
	          "b");
	int64_t t = 0;
	CHECK_STR(cell("abcdef", 6, 1, 4, &t), "abcd");
	CHECK(t == 1);
	CHECK_STR(cell("abcd", 4, 1, 4, &t), "abcd");
	CHECK(t == 1);
	/* "é" is two bytes: a cap of 4 after "abc" must not split it. */
	CHECK_STR(cell("abc\xC3\xA9z", 6, 1, 4, &t), "abc");
	CHECK(t == 2);
	/* The cap applies after repair: U+FFFD is three bytes. */
	CHECK_STR(cell("\xFFxyz", 4, 1, 3, &t), "\xEF\xBF\xBD");
	/* A cap that cuts before a trailing space changes the quoting. */
	CHECK_STR(cell("ab cd", 5, 1, 3, &t), "\"ab \"");
}

static void test_numbers(void)
{
	wn_buf b;
	wn_buf_init(&b, 1024);
	ec_put_int(&b, -7);
	ec_buf_put(&b, ",", 1);
	ec_put_int(&b, INT64_MIN);
	ec_buf_put(&b, ",", 1);
	ec_put_real(&b, 0.25);
	ec_buf_put(&b, ",", 1);
	ec_put_real(&b, NAN);
	ec_buf_put(&b, ",", 1);
	ec_put_real(&b, 2.0);
	const char *want = "-7,-9223372036854775808,0.25,,2.0";
	CHECK(b.len == strlen(want) && memcmp(b.p, want, b.len) == 0);
	wn_buf_free(&b);
}

static void test_limit(void)
{
	wn_buf b;
	ec_cell_opts o = {1, 0};
	wn_buf_init(&b, 8);
	CHECK(ec_put_text(&b, "12345678", 8, &o, NULL) == EC_OK);
	CHECK(ec_buf_put(&b, "x", 1) == EC_ELIMIT);
	CHECK(ec_buf_put(&b, "", 0) == EC_ELIMIT); /* sticky */
	wn_buf_reset(&b);
	CHECK(ec_put_text(&b, "a,b,c,d,", 8, &o, NULL) == EC_ELIMIT);
	wn_buf_free(&b);
}

int main(void)
{
	test_quoting();
	test_formulas();
	test_repair_and_cap();
	test_numbers();
	test_limit();
	return check_finish();
}
