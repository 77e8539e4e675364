/*
 * Unit tests for the JSON writer in plugins/common/jsonw.c: escapes, UTF-8
 * repair, JavaScript-unsafe separators, numbers, nesting, pretty printing,
 * misuse and the hard size limit.
 */
#include "check.h"
#include "jsonw.h"

#include <math.h>
#include <stdlib.h>

/* Writes one string value and returns the finished document (static). */
static const char *one_str(const char *s, size_t n)
{
	static char out[512];
	wn_jsonw w;
	wn_jsonw_init(&w, 0);
	wn_jsonw_strn(&w, s, n);
	const char *doc = wn_jsonw_finish(&w, NULL);
	snprintf(out, sizeof out, "%s", doc ? doc : "(error)");
	wn_jsonw_free(&w);
	return out;
}

static const char *one_real(double v)
{
	static char out[64];
	wn_jsonw w;
	wn_jsonw_init(&w, 0);
	wn_jsonw_real(&w, v);
	const char *doc = wn_jsonw_finish(&w, NULL);
	snprintf(out, sizeof out, "%s", doc ? doc : "(error)");
	wn_jsonw_free(&w);
	return out;
}

static void test_escapes(void)
{
	CHECK_STR(one_str("plain", 5), "\"plain\"");
	CHECK_STR(one_str("a\"b\\c/d", 7), "\"a\\\"b\\\\c/d\"");
	CHECK_STR(one_str("\b\f\n\r\t", 5), "\"\\b\\f\\n\\r\\t\"");
	CHECK_STR(one_str("\x01\x1f\x7f", 3), "\"\\u0001\\u001f\x7f\"");
	CHECK_STR(one_str("a\0b", 3), "\"a\\u0000b\"");
	CHECK_STR(one_str("", 0), "\"\"");
	/* Valid multi-byte text passes through unchanged. */
	CHECK_STR(one_str("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14),
	          "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
	/* U+2028 and U+2029 are legal JSON but end lines in JavaScript. */
	CHECK_STR(one_str("x\xE2\x80\xA8y\xE2\x80\xA9", 8), "\"x\\u2028y\\u2029\"");
}

static void test_repair(void)
{
	/* A lone continuation byte, a Latin-1 byte, a truncated sequence, an
	 * overlong encoding and a surrogate: each bad byte becomes U+FFFD. */
	CHECK_STR(one_str("a\x80z", 3), "\"a\xEF\xBF\xBDz\"");
	CHECK_STR(one_str("caf\xE9", 4), "\"caf\xEF\xBF\xBD\"");
	CHECK_STR(one_str("\xE2\x82", 2), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
	CHECK_STR(one_str("\xC0\xAF", 2), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
	CHECK_STR(one_str("\xED\xA0\x80", 3), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");

	wn_jsonw w;
	wn_jsonw_init(&w, 0);
	wn_jsonw_str(&w, "\xff\xfe ok");
	CHECK(w.replaced == 2);
	wn_jsonw_reset(&w);
	CHECK(w.replaced == 0);
	wn_jsonw_free(&w);
}

static void test_numbers(void)
{
	CHECK_STR(one_real(0.1), "0.1");
	CHECK_STR(one_real(3.0), "3.0");
	CHECK_STR(one_real(-2.5), "-2.5");
	CHECK_STR(one_real(1e300), "1e+300");
	CHECK_STR(one_real(NAN), "null");
	CHECK_STR(one_real(INFINITY), "null");
	CHECK_STR(one_real(-INFINITY), "null");
	/* Round trip: 17 significant digits where 15 are not enough. */
	double third = 1.0 / 3.0;
	CHECK(strtod(one_real(third), NULL) == third);
	CHECK(strtod(one_real(0.1 + 0.2), NULL) == 0.1 + 0.2);

	wn_jsonw w;
	wn_jsonw_init(&w, 0);
	wn_jsonw_begin_arr(&w);
	wn_jsonw_int(&w, INT64_MIN);
	wn_jsonw_int(&w, INT64_MAX);
	wn_jsonw_int(&w, 0);
	wn_jsonw_bool(&w, 1);
	wn_jsonw_bool(&w, 0);
	wn_jsonw_null(&w);
	wn_jsonw_str(&w, NULL);
	wn_jsonw_end_arr(&w);
	CHECK_STR(wn_jsonw_finish(&w, NULL),
	          "[-9223372036854775808,9223372036854775807,0,true,false,null,null]");
	wn_jsonw_free(&w);
}

static void test_nesting(void)
{
	wn_jsonw w;
	size_t len = 0;
	wn_jsonw_init(&w, 0);
	wn_jsonw_begin_obj(&w);
	wn_jsonw_key(&w, "a");
	wn_jsonw_int(&w, 1);
	wn_jsonw_key(&w, "list");
	wn_jsonw_begin_arr(&w);
	wn_jsonw_begin_obj(&w);
	wn_jsonw_end_obj(&w);
	wn_jsonw_begin_arr(&w);
	wn_jsonw_end_arr(&w);
	wn_jsonw_str(&w, "x");
	wn_jsonw_end_arr(&w);
	wn_jsonw_keyn(&w, "k\"ey", 4);
	wn_jsonw_raw(&w, "{\"r\":1}", 7);
	wn_jsonw_end_obj(&w);
	const char *doc = wn_jsonw_finish(&w, &len);
	CHECK_STR(doc, "{\"a\":1,\"list\":[{},[],\"x\"],\"k\\\"ey\":{\"r\":1}}");
	CHECK(doc && len == strlen(doc));

	/* Reset keeps the buffer and starts a new document. */
	wn_jsonw_reset(&w);
	wn_jsonw_begin_arr(&w);
	wn_jsonw_end_arr(&w);
	CHECK_STR(wn_jsonw_finish(&w, NULL), "[]");
	wn_jsonw_free(&w);
}

static void test_pretty(void)
{
	wn_jsonw w;
	wn_jsonw_init(&w, 0);
	wn_jsonw_set_pretty(&w, 2, 1);
	wn_jsonw_begin_obj(&w);
	wn_jsonw_key(&w, "a");
	wn_jsonw_begin_arr(&w);
	wn_jsonw_int(&w, 1);
	wn_jsonw_int(&w, 2);
	wn_jsonw_end_arr(&w);
	wn_jsonw_key(&w, "e");
	wn_jsonw_begin_obj(&w);
	wn_jsonw_end_obj(&w);
	wn_jsonw_end_obj(&w);
	CHECK_STR(wn_jsonw_finish(&w, NULL),
	          "{\n    \"a\": [\n      1,\n      2\n    ],\n    \"e\": {}\n  }");
	wn_jsonw_free(&w);
}

/* Runs `steps` misuse scenario number i and returns the error. */
static int misuse(int i)
{
	wn_jsonw w;
	wn_jsonw_init(&w, 0);
	switch (i) {
	case 0: /* a value directly in an object */
		wn_jsonw_begin_obj(&w);
		wn_jsonw_int(&w, 1);
		break;
	case 1: /* a key in an array */
		wn_jsonw_begin_arr(&w);
		wn_jsonw_key(&w, "k");
		break;
	case 2: /* mismatched end */
		wn_jsonw_begin_arr(&w);
		wn_jsonw_end_obj(&w);
		break;
	case 3: /* two top-level values */
		wn_jsonw_int(&w, 1);
		wn_jsonw_int(&w, 2);
		break;
	case 4: /* a key without its value */
		wn_jsonw_begin_obj(&w);
		wn_jsonw_key(&w, "k");
		wn_jsonw_end_obj(&w);
		break;
	case 5: /* unclosed at finish */
		wn_jsonw_begin_obj(&w);
		break;
	case 6: /* too deep */
		for (int d = 0; d <= WN_JSONW_MAX_DEPTH; d++)
			wn_jsonw_begin_arr(&w);
		break;
	default: /* empty document */
		break;
	}
	const char *doc = wn_jsonw_finish(&w, NULL);
	int err = doc ? WN_JSONW_OK : wn_jsonw_error(&w);
	wn_jsonw_free(&w);
	return err;
}

static void test_misuse(void)
{
	for (int i = 0; i <= 7; i++)
		CHECK(misuse(i) == WN_JSONW_EUSAGE);
}

static void test_limit(void)
{
	wn_jsonw w;
	wn_jsonw_init(&w, 10);
	CHECK(wn_jsonw_str(&w, "12345678") == WN_JSONW_OK); /* 10 bytes exactly */
	CHECK_STR(wn_jsonw_finish(&w, NULL), "\"12345678\"");
	wn_jsonw_reset(&w);
	CHECK(wn_jsonw_str(&w, "123456789") == WN_JSONW_ELIMIT);
	CHECK(wn_jsonw_null(&w) == WN_JSONW_ELIMIT); /* sticky */
	CHECK(wn_jsonw_finish(&w, NULL) == NULL);
	CHECK(wn_jsonw_error(&w) == WN_JSONW_ELIMIT);
	/* An escape that would cross the limit fails too. */
	wn_jsonw_reset(&w);
	CHECK(wn_jsonw_str(&w, "1234567\x01") == WN_JSONW_ELIMIT);
	wn_jsonw_free(&w);

	/* A large document grows the buffer as needed. */
	size_t n = 1 << 20;
	char *big = malloc(n);
	CHECK(big != NULL);
	if (!big)
		return;
	memset(big, 'x', n);
	wn_jsonw_init(&w, 0);
	wn_jsonw_strn(&w, big, n);
	size_t len = 0;
	CHECK(wn_jsonw_finish(&w, &len) != NULL && len == n + 2);
	wn_jsonw_free(&w);
	free(big);
}

int main(void)
{
	test_escapes();
	test_repair();
	test_numbers();
	test_nesting();
	test_pretty();
	test_misuse();
	test_limit();
	return check_finish();
}
