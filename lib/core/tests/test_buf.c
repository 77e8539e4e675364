/*
 * wn_buf (lib/core/buf.h): limits, sticky errors, take, reset.
 */
#include "buf.h"
#include "check.h"
#include "grow.h"

#include <stdlib.h>
#include <string.h>

/* wn_grow: doubling from `first`, a maximum, failure leaves all as it was. */
static void test_grow(void)
{
	int *v = NULL;
	size_t cap = 0;
	v = wn_grow(v, &cap, 1, sizeof *v, 16, 0);
	CHECK(v && cap == 16);
	int *same = wn_grow(v, &cap, 16, sizeof *v, 16, 0);
	CHECK(same == v && cap == 16);
	v = wn_grow(v, &cap, 17, sizeof *v, 16, 0);
	CHECK(v && cap == 32);
	v = wn_grow(v, &cap, 100, sizeof *v, 16, 0);
	CHECK(v && cap == 128);
	v[127] = 7;
	CHECK(wn_grow(v, &cap, 300, sizeof *v, 16, 200) == NULL && cap == 128 && v[127] == 7);
	v = wn_grow(v, &cap, 150, sizeof *v, 16, 200);
	CHECK(v && cap == 200 && v[127] == 7);
	CHECK(wn_grow(v, &cap, (size_t)-1 / 2, sizeof *v, 16, 0) == NULL && cap == 200);
	free(v);
}

int main(void)
{
	test_grow();
	/* A zeroed buffer has no limit and allocates on the first append. */
	wn_buf b = {0};
	CHECK(b.p == NULL);
	CHECK(wn_buf_add(&b, NULL, 0) == 0);
	CHECK_STR(b.p, "");
	for (int i = 0; i < 1000; i++)
		CHECK(wn_buf_addc(&b, (char)('a' + i % 26)) == 0);
	CHECK(b.len == 1000 && b.p[1000] == '\0' && b.p[999] == 'a' + 999 % 26);
	CHECK(wn_buf_addf(&b, "%d-%s", 42, "x") == 0);
	CHECK(b.len == 1004 && strcmp(b.p + 1000, "42-x") == 0);
	wn_buf_free(&b);
	CHECK(b.p == NULL && b.len == 0 && b.cap == 0);

	/* The limit caps len (the NUL is not counted); the failing append
	 * leaves the contents alone, and so does every later one. */
	wn_buf_init(&b, 8);
	CHECK(wn_buf_adds(&b, "abcd") == 0);
	CHECK(wn_buf_addf(&b, "%d", 123) == 0);
	CHECK(wn_buf_adds(&b, "xy") == -1);
	CHECK(b.err == WN_BUF_ELIMIT);
	CHECK(wn_buf_addc(&b, 'z') == -1); /* would fit, but the error sticks */
	CHECK(wn_buf_addf(&b, "%s", "") == -1);
	CHECK_STR(b.p, "abcd123");
	CHECK(b.cap <= 9); /* never more than a full buffer */
	wn_buf_reset(&b);
	CHECK(b.len == 0 && b.err == WN_BUF_OK && b.p[0] == '\0' && b.limit == 8);
	for (int i = 0; i < 8; i++)
		CHECK(wn_buf_addc(&b, '0') == 0);
	CHECK(wn_buf_addc(&b, '1') == -1); /* the fast path checks the limit too */
	CHECK_STR(b.p, "00000000");

	/* take hands the string over and leaves an empty, reusable buffer. */
	char *s = wn_buf_take(&b);
	CHECK_STR(s, "00000000");
	free(s);
	CHECK(b.p == NULL && b.len == 0 && b.err == WN_BUF_OK && b.limit == 8);
	CHECK(wn_buf_take(&b) == NULL);
	CHECK(wn_buf_adds(&b, "ok") == 0);
	CHECK_STR(b.p, "ok");
	wn_buf_free(&b);
	wn_buf_free(&b); /* twice is fine */

	/* Bytes, NUL included, go in as they are. */
	wn_buf_init(&b, 0);
	CHECK(wn_buf_add(&b, "a\0b", 3) == 0);
	CHECK(b.len == 3 && memcmp(b.p, "a\0b", 4) == 0);
	/* An absurd size fails cleanly instead of wrapping around. */
	CHECK(wn_buf_add(&b, "", (size_t)-1) == -1 && b.err == WN_BUF_ENOMEM);
	CHECK(b.len == 3);
	wn_buf_free(&b);
	return check_finish();
}
