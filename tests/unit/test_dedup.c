/*
 * Duplicate detection: exact matches through normalisation, near matches
 * whose estimated similarity tracks the exact shingle Jaccard, pairs
 * below the threshold left alone, packing, limits and determinism.
 */
#include "check.h"
#include "dedup.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A deterministic pseudo-random text of n words from a 4,000-word
 * vocabulary, into a heap string. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void make_word(uint64_t r, char *w)
{
	int len = 3 + (int)(r % 6);
	r /= 6;
	for (int i = 0; i < len; i++, r /= 26)
		w[i] = (char)('a' + r % 26);
	w[len] = '\0';
}

static char *make_text(uint64_t seed, int n)
{
	char *t = malloc((size_t)n * 10 + 1), w[16];
	size_t o = 0;
	for (int i = 0; i < n; i++) {
		make_word(rng_next(&seed) % 4000 * 2654435761u, w);
		o += (size_t)sprintf(t + o, "%s%s", i ? " " : "", w);
	}
	t[o] = '\0';
	return t;
}

/* Replaces every `every`-th word of t with "zzedit": a light edit. */
static char *edit_text(const char *t, int every)
{
	char *e = malloc(strlen(t) * 2 + 16);
	size_t o = 0;
	int word = 0;
	for (const char *p = t; *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (++word % every == 0)
			o += (size_t)sprintf(e + o, "%szzedit%d", o ? " " : "", word);
		else
			o += (size_t)sprintf(e + o, "%s%.*s", o ? " " : "", (int)len, p);
		p += len + (end != NULL);
	}
	e[o] = '\0';
	return e;
}

static double exact_jaccard(wn_dedup *d, const char *a, const char *b)
{
	uint64_t *sa, *sb;
	size_t na, nb;
	if (wn_dedup_shingles(d, a, strlen(a), &sa, &na) ||
	    wn_dedup_shingles(d, b, strlen(b), &sb, &nb))
		return -1;
	double j = wn_dedup_jaccard(sa, na, sb, nb);
	free(sa);
	free(sb);
	return j;
}

static wn_dedup_sig sig, sig2; /* 2 KB each: kept off the stack of every test */

static int check_text(wn_dedup *d, const char *t, wn_dedup_match *m)
{
	return wn_dedup_check(d, t, strlen(t), &sig, m);
}

static void test_params(void)
{
	int b = 0, r = 0;
	CHECK(wn_dedup_params(0.8, 128, &b, &r) == 0);
	CHECK(b == 18 && r == 6);
	/* The S-curve passes nearly every pair at the threshold: recall first. */
	CHECK(1 - pow(1 - pow(0.8, r), b) >= 0.995);
	CHECK(1 - pow(1 - pow(0.3, r), b) < 0.02);
	CHECK(wn_dedup_params(0, 128, &b, &r) == WN_DEDUP_EINVAL);
	CHECK(wn_dedup_params(1.5, 128, &b, &r) == WN_DEDUP_EINVAL);
	CHECK(wn_dedup_params(0.8, 0, &b, &r) == WN_DEDUP_EINVAL);
	wn_dedup_opts bad = {.num_perm = 8};
	CHECK(wn_dedup_new(&bad) == NULL);
	bad = (wn_dedup_opts){.bands = 20, .rows = 7};
	CHECK(wn_dedup_new(&bad) == NULL);
	bad = (wn_dedup_opts){.num_perm = 128, .confirm_bins = 1000}; /* not a multiple */
	CHECK(wn_dedup_new(&bad) == NULL);
	bad = (wn_dedup_opts){.num_perm = 64, .confirm_bins = 256};
	wn_dedup *d = wn_dedup_new(&bad);
	CHECK(d != NULL);
	wn_dedup_free(d);
}

static void test_exact(void)
{
	wn_dedup *d = wn_dedup_new(NULL);
	wn_dedup_match m;
	const char *a = "Hello,  World! The quick brown fox jumps over the lazy dog.";
	const char *b = "hello world\nthe QUICK brown fox -- jumps over the lazy dog";
	const char *c = "\xe2\x80\x9cHello\xe2\x80\x9d world\xc2\xa0the quick brown fox "
	                "\xe2\x80\x94 jumps over the lazy dog\xe2\x80\xa6";
	CHECK(check_text(d, a, &m) == 0);
	CHECK(m.kind == WN_DEDUP_UNIQUE && m.duplicate_of == NULL);
	CHECK(wn_dedup_add(d, "a", &sig) == 0);
	CHECK(check_text(d, a, &m) == 0 && m.kind == WN_DEDUP_EXACT);
	CHECK_STR(m.duplicate_of, "a");
	CHECK(m.similarity == 1);
	CHECK(check_text(d, b, &m) == 0 && m.kind == WN_DEDUP_EXACT);
	CHECK(check_text(d, c, &m) == 0 && m.kind == WN_DEDUP_EXACT);
	/* A different word is not exact (and too short to be near). */
	CHECK(check_text(d, "Hello world the quick brown cat jumps over the lazy dog", &m) == 0);
	CHECK(m.kind != WN_DEDUP_EXACT);
	/* Of two exact copies added, lookups name the first. */
	CHECK(check_text(d, b, &m) == 0 && wn_dedup_add(d, "b", &sig) == 0);
	CHECK(check_text(d, a, &m) == 0 && m.duplicate_of && !strcmp(m.duplicate_of, "a"));
	CHECK(wn_dedup_count(d) == 2);
	wn_dedup_free(d);
}

static void test_near(void)
{
	wn_dedup *d = wn_dedup_new(NULL);
	wn_dedup_match m;
	char *orig = make_text(1, 400);
	char *light = edit_text(orig, 60); /* ~8% of shingles changed */
	double j = exact_jaccard(d, orig, light);
	CHECK(j > 0.85 && j < 0.95);
	CHECK(check_text(d, orig, &m) == 0 && wn_dedup_add(d, "orig", &sig) == 0);
	CHECK(check_text(d, light, &m) == 0);
	CHECK(m.kind == WN_DEDUP_NEAR);
	CHECK_STR(m.duplicate_of, "orig");
	CHECK(fabs(m.similarity - j) < 0.04);
	CHECK(m.candidates >= 1);

	/* Below the threshold: a heavier edit (J about 0.6) is not matched. */
	char *heavy = edit_text(orig, 12);
	double jh = exact_jaccard(d, orig, heavy);
	CHECK(jh > 0.4 && jh < 0.7);
	CHECK(check_text(d, heavy, &m) == 0 && m.kind == WN_DEDUP_UNIQUE);
	CHECK(m.duplicate_of == NULL && m.similarity < 0.8);

	/* Unrelated text: nothing. */
	char *other = make_text(2, 400);
	CHECK(exact_jaccard(d, orig, other) < 0.01);
	CHECK(check_text(d, other, &m) == 0 && m.kind == WN_DEDUP_UNIQUE);
	CHECK(m.similarity < 0.1);

	/* Reordered paragraphs: only the shingles across the seams change. */
	char *swapped = malloc(strlen(orig) + 2);
	const char *mid = strchr(orig + strlen(orig) / 2, ' ');
	sprintf(swapped, "%s %.*s", mid + 1, (int)(mid - orig), orig);
	CHECK(check_text(d, swapped, &m) == 0 && m.kind == WN_DEDUP_NEAR);
	free(swapped);
	free(orig);
	free(light);
	free(heavy);
	free(other);
	wn_dedup_free(d);
}

/* Over many pairs the estimate is unbiased and close to the exact value. */
static void test_estimate_error(void)
{
	wn_dedup *d = wn_dedup_new(NULL);
	double sum = 0, sumsq = 0;
	int n = 0;
	for (int i = 0; i < 40; i++) {
		char *a = make_text(100 + (uint64_t)i, 150 + i * 10);
		char *b = edit_text(a, 15 + i);
		double j = exact_jaccard(d, a, b);
		wn_dedup_sign(d, a, strlen(a), &sig);
		wn_dedup_sign(d, b, strlen(b), &sig2);
		double e = wn_dedup_similarity(&sig, &sig2) - j;
		sum += e, sumsq += e * e, n++;
		free(a);
		free(b);
	}
	CHECK(fabs(sum / n) < 0.01);
	CHECK(sqrt(sumsq / n) < 0.025);
	wn_dedup_free(d);
}

/* Of several kept documents above the threshold, the most similar is
 * named, whatever the order they were added in; boilerplate around a
 * copy only lowers the similarity as much as the shingles say. */
static void test_best_match(void)
{
	wn_dedup *d = wn_dedup_new(NULL);
	wn_dedup_match m;
	char *orig = make_text(21, 500);
	char *rewrite = edit_text(orig, 60);
	char *query = edit_text(orig, 250);
	CHECK(exact_jaccard(d, query, rewrite) >= 0.8);
	CHECK(check_text(d, rewrite, &m) == 0 && wn_dedup_add(d, "rewrite", &sig) == 0);
	CHECK(check_text(d, orig, &m) == 0 && m.kind == WN_DEDUP_NEAR);
	CHECK(wn_dedup_add(d, "orig", &sig) == 0); /* the engine would not; the index allows */
	CHECK(check_text(d, query, &m) == 0 && m.kind == WN_DEDUP_NEAR);
	CHECK_STR(m.duplicate_of, "orig");
	CHECK(m.candidates == 2);

	char *wrapped = malloc(strlen(orig) + 200);
	sprintf(wrapped,
	        "Home | World | Sport. %s Copyright 2026 Example Wire. All rights "
	        "reserved. Share this article.",
	        orig);
	double j = exact_jaccard(d, orig, wrapped);
	CHECK(j > 0.9 && j < 1);
	CHECK(check_text(d, wrapped, &m) == 0 && m.kind == WN_DEDUP_NEAR);
	CHECK_STR(m.duplicate_of, "orig");
	CHECK(fabs(m.similarity - j) < 0.03);
	free(orig);
	free(rewrite);
	free(query);
	free(wrapped);
	wn_dedup_free(d);
}

static void test_short_and_empty(void)
{
	wn_dedup *d = wn_dedup_new(NULL);
	wn_dedup_match m;
	CHECK(wn_dedup_check(d, NULL, 0, &sig, &m) == 0);
	CHECK(sig.k == 0 && sig.words == 0 && m.kind == WN_DEDUP_UNIQUE);
	CHECK(wn_dedup_add(d, "empty", &sig) == 0);
	/* Texts without words are never duplicates, not even of each other. */
	CHECK(check_text(d, " ... !!! ", &m) == 0 && m.kind == WN_DEDUP_UNIQUE);
	CHECK(sig.k == 0);
	CHECK(wn_dedup_similarity(&sig, &sig) == -1);

	/* Fewer words than the shingle size: shingles of all the words. */
	CHECK(check_text(d, "Breaking news today", &m) == 0);
	CHECK(sig.k == 3 && sig.words == 3 && sig.shingles == 1);
	CHECK(wn_dedup_add(d, "short", &sig) == 0);
	CHECK(check_text(d, "breaking NEWS, today.", &m) == 0 && m.kind == WN_DEDUP_EXACT);
	CHECK(check_text(d, "Breaking news tonight", &m) == 0 && m.kind == WN_DEDUP_UNIQUE);
	CHECK(check_text(d, "One", &m) == 0 && sig.k == 1 && m.kind == WN_DEDUP_UNIQUE);
	wn_dedup_free(d);
}

static void test_pack(void)
{
	wn_dedup *d = wn_dedup_new(NULL);
	char *t = make_text(7, 300);
	wn_dedup_match m;
	CHECK(check_text(d, t, &m) == 0);
	unsigned char buf[WN_DEDUP_PACKED_SIZE(WN_DEDUP_MAX_PERM, WN_DEDUP_MAX_FINE)];
	size_t n = wn_dedup_sig_pack(&sig, NULL, 0);
	CHECK(n == WN_DEDUP_PACKED_SIZE(128, 1024) && n == 676);
	CHECK(wn_dedup_sig_pack(&sig, buf, sizeof buf) == n);
	memset(&sig2, 0xab, sizeof sig2);
	CHECK(wn_dedup_sig_unpack(buf, n, &sig2) == 0);
	CHECK(memcmp(sig.exact, sig2.exact, sizeof sig.exact) == 0);
	CHECK(sig2.k == sig.k && sig2.num_perm == 128 && sig2.params == sig.params);
	CHECK(sig2.confirm_bins == 1024);
	CHECK(sig2.words == sig.words && sig2.shingles == sig.shingles);
	CHECK(memcmp(sig.lsh, sig2.lsh, 128) == 0 && memcmp(sig.fine, sig2.fine, 512) == 0);
	CHECK(wn_dedup_similarity(&sig, &sig2) == 1);
	/* An unpacked signature is as good as a fresh one (the next run). */
	wn_dedup *next = wn_dedup_new(NULL);
	CHECK(wn_dedup_add(next, "prev", &sig2) == 0);
	char *edited = edit_text(t, 80);
	CHECK(check_text(next, edited, &m) == 0 && m.kind == WN_DEDUP_NEAR);
	CHECK(check_text(next, t, &m) == 0 && m.kind == WN_DEDUP_EXACT);
	/* Damaged or foreign bytes are refused. */
	CHECK(wn_dedup_sig_unpack(buf, n - 1, &sig2) == WN_DEDUP_EFORMAT);
	CHECK(wn_dedup_sig_unpack(buf, 3, &sig2) == WN_DEDUP_EFORMAT);
	buf[2] = 99;
	CHECK(wn_dedup_sig_unpack(buf, n, &sig2) == WN_DEDUP_EFORMAT);
	CHECK(wn_dedup_sig_unpack(NULL, 0, &sig2) == WN_DEDUP_EFORMAT);
	/* Signatures from other parameters are refused by the index. */
	wn_dedup_opts o = {.shingle = 4};
	wn_dedup *other = wn_dedup_new(&o);
	CHECK(wn_dedup_add(other, "x", &sig) == WN_DEDUP_EPARAMS);
	CHECK(wn_dedup_lookup(other, &sig, &m) == WN_DEDUP_EPARAMS);
	CHECK(wn_dedup_count(other) == 0);
	wn_dedup_free(other);
	wn_dedup_free(next);
	free(edited);
	free(t);
	wn_dedup_free(d);
}

static void test_deterministic(void)
{
	char *t = make_text(11, 250);
	wn_dedup *a = wn_dedup_new(NULL), *b = wn_dedup_new(NULL);
	wn_dedup_sign(a, t, strlen(t), &sig);
	wn_dedup_sign(b, t, strlen(t), &sig2);
	CHECK(memcmp(&sig, &sig2, offsetof(wn_dedup_sig, lsh)) == 0);
	CHECK(memcmp(sig.lsh, sig2.lsh, 128) == 0 && memcmp(sig.fine, sig2.fine, 512) == 0);
	/* Same index, signed twice: scratch reuse changes nothing. */
	wn_dedup_sign(a, "other words here", 16, &sig2);
	wn_dedup_sign(a, t, strlen(t), &sig2);
	CHECK(memcmp(sig.lsh, sig2.lsh, 128) == 0 && memcmp(sig.fine, sig2.fine, 512) == 0);
	/* A known value pins the hash across builds and hosts: packed
	 * signatures outlive the binary that made them. */
	wn_dedup_sign(a, "the quick brown fox", 19, &sig);
	CHECK(sig.exact[0] == 0xdd6bf29a4bcb1d00ULL && sig.exact[1] == 0x90a238ca90eed9c9ULL);
	/* One shingle: one fine bin, and the one coarse bin densified into all. */
	CHECK(sig.fine[487] == 0x90 && sig.lsh[0] == 0x3c && sig.lsh[127] == 0x3c);
	wn_dedup_opts seeded = {.seed = 42};
	wn_dedup *c = wn_dedup_new(&seeded);
	wn_dedup_sign(c, t, strlen(t), &sig2);
	wn_dedup_sign(a, t, strlen(t), &sig);
	CHECK(sig.params != sig2.params);
	CHECK(wn_dedup_similarity(&sig, &sig2) == -1);
	wn_dedup_free(a);
	wn_dedup_free(b);
	wn_dedup_free(c);
	free(t);
}

static void test_limits(void)
{
	wn_dedup_opts o = {.max_text = 100, .max_docs = 3};
	wn_dedup *d = wn_dedup_new(&o);
	wn_dedup_match m;
	char big[200];
	memset(big, 'a', sizeof big);
	CHECK(wn_dedup_check(d, big, sizeof big, &sig, &m) == WN_DEDUP_ELIMIT);
	CHECK(wn_dedup_check(d, NULL, 5, &sig, &m) == WN_DEDUP_EINVAL);
	CHECK(check_text(d, "a b c d e f", &m) == 0);
	char id[WN_DEDUP_MAX_ID + 2];
	memset(id, 'x', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	CHECK(wn_dedup_add(d, id, &sig) == WN_DEDUP_EINVAL);
	CHECK(wn_dedup_add(d, "1", &sig) == 0);
	CHECK(wn_dedup_add(d, "2", &sig) == 0);
	CHECK(wn_dedup_add(d, "3", &sig) == 0);
	CHECK(wn_dedup_add(d, "4", &sig) == WN_DEDUP_ELIMIT);
	CHECK(wn_dedup_count(d) == 3);
	CHECK(wn_dedup_bytes(d) > 0);
	wn_dedup_free(d);
	/* A memory cap refuses growth instead of exceeding it. */
	wn_dedup_opts tiny = {.max_bytes = 2000000};
	d = wn_dedup_new(&tiny);
	int rc = 0, added = 0;
	char name[64];
	for (int i = 0; i < 100000 && rc == 0; i++) {
		snprintf(name, sizeof name, "doc words %d and %d here", i, i * 7);
		wn_dedup_sign(d, name, strlen(name), &sig);
		snprintf(name, sizeof name, "%d", i);
		rc = wn_dedup_add(d, name, &sig);
		added += rc == 0;
	}
	CHECK(rc == WN_DEDUP_ELIMIT);
	CHECK(added > 0 && wn_dedup_bytes(d) <= 2000000);
	CHECK(wn_dedup_count(d) == (size_t)added);
	wn_dedup_free(d);
	CHECK(strlen(wn_dedup_strerror(WN_DEDUP_ELIMIT)) > 0);
}

int main(void)
{
	test_params();
	test_exact();
	test_near();
	test_estimate_error();
	test_best_match();
	test_short_and_empty();
	test_pack();
	test_deterministic();
	test_limits();
	return check_finish();
}
