/*
 * The stage core on hostile input: a 10 MB article, 10 MB without a
 * space, random bytes, and NUL bytes. Each run must end with 0 and every
 * entity must lie inside the text with start < end.
 */
#include "check.h"
#include "core.h"

#include <stdlib.h>
#include <string.h>

static wn_ee ee;

static int run_ok(const char *s, size_t n)
{
	wn_ee_work w = {0};
	wn_refdate ref;
	wn_refdate_parse("2026-03-04", &ref);
	int ok = wn_ee_run(&ee, &w, s, n, &ref, 1) == 0;
	for (size_t i = 0; ok && i < w.ents.n; i++)
		ok = w.ents.v[i].start < w.ents.v[i].end && w.ents.v[i].end <= n;
	size_t found = w.ents.n;
	wn_ee_work_free(&w);
	return ok && (found || 1);
}

static void test_big_article(void)
{
	const char *para = "Qin Weizhong, chief executive of Acme Robotics Ltd., said on Monday "
	                   "that sales in Shenzhen rose 34% to 1.5 trillion yuan (US$211.34 "
	                   "billion) in 2024, and Qin expects more next year.\n\n";
	size_t pl = strlen(para), n = 10u << 20;
	char *s = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = para[i % pl];
	s[n] = 0;
	CHECK(run_ok(s, n));
	memset(s, 'a', n); /* no spaces at all: one huge token */
	CHECK(run_ok(s, n));
	for (size_t i = 0; i < n / 8; i++) /* no spaces, many tokens (1.25 MB) */
		s[i] = "Ab1.$%-,'"[i % 9];
	CHECK(run_ok(s, n / 8));
	free(s);
}

static void test_random_bytes(void)
{
	uint64_t x = 88172645463325252ull;
	size_t n = 1u << 20;
	unsigned char *s = malloc(n);
	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			s[i] = (unsigned char)(round == 3 ? (x % 3 ? ' ' + x % 90 : 0xE2) : x);
		}
		CHECK(run_ok((const char *)s, n));
	}
	CHECK(run_ok("", 0));
	CHECK(run_ok("\0\0\0", 3));
	free(s);
}

/* A text that ends right after a class noun and a comma: the list cue
 * must not look past the last token (an over-read ASan catches). Each is
 * alone in a fresh work area, whose token slots past the end are unset. */
static void test_cue_at_end(void)
{
	const char *texts[] = {"Tech executives,", "Talks with the companies,", "Makers such",
	                       "He met giants like"};
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		CHECK(run_ok(texts[i], strlen(texts[i])));
}

int main(void)
{
	char err[256];
	CHECK(wn_ee_open(&ee, WN_EE_MODEL_SRC, "/usr/share/iso-codes/json", "/usr/share/zoneinfo",
	                 WN_GEONAMES_MO, NULL, err, sizeof err) == 0);
	test_cue_at_end();
	test_big_article();
	test_random_bytes();
	wn_ee_close(&ee);
	return check_finish();
}
