/*
 * Records: typed fields in insertion order, replacement in place, large
 * values, deletion, entities with copied strings, the size limit, reasons.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "record.h"

static void reason(wn_record *r, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_record_vreason(r, code, fmt, ap);
	va_end(ap);
}

static void test_fields(void)
{
	wn_record *r = wn_record_new(0);
	CHECK(r != NULL);
	CHECK(wn_record_set_str(r, "url", "https://a.example/") == WN_OK);
	CHECK(wn_record_set_int(r, "n", -42) == WN_OK);
	CHECK(wn_record_set_real(r, "score", 0.25) == WN_OK);
	CHECK(wn_record_set(r, "raw", WN_T_BYTES, "a\0b", 3) == WN_OK);
	CHECK(wn_record_field_count(r) == 4);
	CHECK_STR(wn_record_get_str(r, "url", NULL), "https://a.example/");
	CHECK(wn_record_get_int(r, "n", 0) == -42);
	CHECK(wn_record_get_int(r, "url", 7) == 7); /* not an int: the default */
	int t;
	size_t len;
	const double *d = wn_record_get(r, "score", &t, &len);
	CHECK(t == WN_T_REAL && d && *d == 0.25);
	const char *raw = wn_record_get_str(r, "raw", &len);
	CHECK(len == 3 && raw && raw[1] == '\0' && raw[2] == 'b' && raw[3] == '\0');
	CHECK(wn_record_get(r, "missing", &t, &len) == NULL && t == WN_T_NONE && len == 0);
	CHECK(wn_record_get_str(r, "n", NULL) == NULL); /* ints are not strings */

	/* Replacing keeps the position; deleting closes the gap. */
	CHECK(wn_record_set_str(r, "url", "https://b.example/") == WN_OK);
	CHECK_STR(wn_record_field_at(r, 0, NULL, NULL, NULL), "url");
	CHECK_STR(wn_record_get_str(r, "url", NULL), "https://b.example/");
	wn_record_del(r, "n");
	CHECK(wn_record_field_count(r) == 3);
	CHECK_STR(wn_record_field_at(r, 1, &t, NULL, NULL), "score");
	CHECK(wn_record_field_at(r, 3, NULL, NULL, NULL) == NULL);
	CHECK(wn_record_set_str(r, "url", NULL) == WN_OK); /* NULL deletes */
	CHECK(wn_record_get_str(r, "url", NULL) == NULL);

	/* Moving a field to the front keeps the others in order. */
	wn_record_set_str(r, "id", "abc");
	wn_record_move_first(r, "id");
	CHECK_STR(wn_record_field_at(r, 0, NULL, NULL, NULL), "id");
	CHECK_STR(wn_record_field_at(r, 1, NULL, NULL, NULL), "score");
	CHECK_STR(wn_record_field_at(r, 2, NULL, NULL, NULL), "raw");
	wn_record_free(r);
}

/* Large values are replaced without growing memory without bound. */
static void test_large_values(void)
{
	size_t n = 1 << 20;
	char *big = malloc(n);
	memset(big, 'x', n);
	wn_record *r = wn_record_new(3 * n);
	for (int i = 0; i < 50; i++)
		CHECK(wn_record_set(r, "text", WN_T_STR, big, n) == WN_OK);
	CHECK(r->bytes < 2 * n); /* the old copies were freed */
	size_t len;
	CHECK(wn_record_get_str(r, "text", &len) && len == n);
	free(big);
	wn_record_free(r);
}

static void test_limit(void)
{
	wn_record *r = wn_record_new(8192);
	char buf[6000];
	memset(buf, 'a', sizeof(buf));
	CHECK(wn_record_set(r, "a", WN_T_STR, buf, sizeof(buf)) == WN_OK);
	CHECK(wn_record_set(r, "b", WN_T_STR, buf, sizeof(buf)) == WN_ERROR);
	CHECK_STR(r->reason_code, "too_large");
	CHECK(wn_record_get_str(r, "b", NULL) == NULL || wn_record_get_str(r, "b", NULL)[0] == 0);
	wn_record_free(r);
}

static void test_entities(void)
{
	wn_record *r = wn_record_new(0);
	char text[] = "Qin Weizhong";
	wn_entity e = {.type = "PERSON", .text = text, .start = 0, .end = 12, .confidence = 0.9};
	CHECK(wn_record_add_entity(r, &e, "entities") == WN_OK);
	text[0] = 'X'; /* the record holds its own copy */
	for (int i = 0; i < 100; i++)
		CHECK(wn_record_add_entity(r, &e, NULL) == WN_OK);
	CHECK(wn_record_entity_count(r) == 101);
	const wn_entity *got = wn_record_entity_at(r, 0);
	CHECK_STR(got->text, "Qin Weizhong");
	CHECK_STR(got->stage, "entities");
	CHECK(got->value == NULL && got->end == 12);
	CHECK(wn_record_entity_at(r, 101) == NULL);
	wn_record_clear_entities(r);
	CHECK(wn_record_entity_count(r) == 0);
	wn_record_free(r);
}

static void test_reason_and_reset(void)
{
	wn_record *r = wn_record_new(0);
	reason(r, "too_short", "only %d words", 12);
	CHECK_STR(r->reason_code, "too_short");
	CHECK_STR(r->reason, "only 12 words");
	void *p = wn_record_alloc(r, 100);
	CHECK(p != NULL && ((char *)p)[99] == 0);
	wn_record_set_str(r, "title", "t");
	wn_record_reset(r);
	CHECK(wn_record_field_count(r) == 0 && r->reason == NULL && r->rc == WN_OK);
	CHECK(wn_record_set_str(r, "title", "again") == WN_OK);
	CHECK_STR(wn_record_get_str(r, "title", NULL), "again");
	wn_record_free(r);
	wn_record_free(NULL);
}

int main(void)
{
	test_fields();
	test_large_values();
	test_limit();
	test_entities();
	test_reason_and_reset();
	return check_finish();
}
