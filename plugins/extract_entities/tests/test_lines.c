/*
 * Line kinds, unwrapping and truecasing (lines.h): each kind of line a
 * news page has, hard-wrapped prose read as one sentence, and headline
 * words recased from the article's own spellings without moving a byte.
 */
#include "check.h"
#include "lines.h"

#include <stdlib.h>
#include <string.h>

/* Index of the first token whose text is `w`, or -1. */
static long tok_at(const char *s, const wn_tokens *t, const char *w)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].end - t->v[i].start == strlen(w) &&
		    memcmp(s + t->v[i].start, w, strlen(w)) == 0)
			return (long)i;
	return -1;
}

static void test_kinds(void)
{
	const char *s = "SOCCER - ARSENAL BEAT CHELSEA\n"
	                "LONDON 1996-08-30\n"
	                "Arsenal 2 Chelsea 1\n"
	                "1. Tirunesh Dibaba (Ethiopia) 14:30.88\n"
	                "Arsenal  12  25\n"
	                "What Makes Shenzhen Aim to Become a Pioneer City?\n"
	                "- a bullet item with a few words in it\n"
	                "The talks went on in Geneva on Monday.\n";
	wn_tokens t = {0};
	CHECK(wn_tokenize(s, strlen(s), &t) == 0);
	uint8_t *k = malloc(t.n);
	wn_lines_classify(s, &t, k);
	CHECK(k[tok_at(s, &t, "SOCCER")] == WN_LINE_CAPS);
	CHECK(k[tok_at(s, &t, "LONDON")] == WN_LINE_DATELINE);
	CHECK(k[tok_at(s, &t, "Arsenal")] == WN_LINE_TABLE);
	CHECK(k[tok_at(s, &t, "Tirunesh")] == WN_LINE_TABLE);
	CHECK(k[tok_at(s, &t, "12")] == WN_LINE_TABLE); /* columns */
	CHECK(k[tok_at(s, &t, "Makes")] == WN_LINE_HEADING);
	CHECK(k[tok_at(s, &t, "bullet")] == WN_LINE_LIST);
	CHECK(k[tok_at(s, &t, "Geneva")] == WN_LINE_PROSE);
	free(k);
	wn_tokens_free(&t);
}

static void test_unwrap(void)
{
	const char *s = "The German government led by Chancellor Angela\n"
	                "Merkel said on Monday that the talks with France\n"
	                "would go on.\n"
	                "Short line\n"
	                "Next one.\n\n"
	                "A new paragraph.";
	wn_tokens t = {0};
	CHECK(wn_tokenize(s, strlen(s), &t) == 0);
	uint8_t *k = malloc(t.n);
	wn_lines_classify(s, &t, k);
	CHECK(wn_lines_unwrap(s, &t, k) == 2);
	long m = tok_at(s, &t, "Merkel"), wd = tok_at(s, &t, "would");
	CHECK(m > 0 && !(t.v[m].flags & WN_TOKF_SENT) && (t.v[m].flags & WN_TOKF_NL));
	CHECK(wd > 0 && !(t.v[wd].flags & WN_TOKF_SENT));
	/* a sentence end, a short line and a blank line keep their breaks */
	CHECK(t.v[tok_at(s, &t, "Short")].flags & WN_TOKF_SENT);
	CHECK(t.v[tok_at(s, &t, "Next")].flags & WN_TOKF_SENT);
	CHECK(t.v[tok_at(s, &t, "A")].flags & WN_TOKF_SENT);
	free(k);
	wn_tokens_free(&t);
}

static void test_truecase(void)
{
	const char *s = "SOCCER - ARSENAL BEAT CHELSEA IN LONDON\n"
	                "LONDON, Aug 30 (Reuters) - The manager said they beat Chelsea in "
	                "London as soccer fans watched.\n"
	                "What Makes a City Great\n"
	                "It makes sense.";
	size_t n = strlen(s);
	wn_tokens t = {0};
	CHECK(wn_tokenize(s, n, &t) == 0);
	uint8_t *k = malloc(t.n);
	char *out = malloc(n + 1);
	wn_lines_classify(s, &t, k);
	wn_ner_words none = {NULL, 0}; /* no word table: the article's spellings only */
	CHECK(wn_lines_truecase(s, n, &t, k, &none, out) == 1);
	out[n] = 0;
	/* the article writes "beat", "in", "soccer" in lower case and
	 * "Chelsea", "London" capitalised; an unknown word gets a capital */
	CHECK(strncmp(out, "Soccer - Arsenal beat Chelsea in London\n", 40) == 0);
	CHECK(strncmp(out + 40, "London, Aug 30", 14) == 0);     /* a dateline opening prose */
	CHECK(strstr(out, "What makes a City Great\n") != NULL); /* headings only lower */
	CHECK(strlen(out) == n);
	free(out), free(k);
	wn_tokens_free(&t);
}

/* A gazetteer place of two words or more keeps its capitals whatever its
 * words are alone ("city", "new"); an unknown word with a common-noun
 * ending is lower case. */
static void test_truecase_places(void)
{
	const char *s = "NEW YORK TO HOST GOALLESS FINAL\nThe final was held.";
	size_t n = strlen(s);
	wn_tokens t = {0};
	CHECK(wn_tokenize(s, n, &t) == 0);
	uint8_t *k = malloc(t.n);
	char *out = malloc(n + 1);
	wn_gaz *gz = wn_gaz_new();
	CHECK(gz && wn_gaz_load_system(gz, NULL, "/usr/share/zoneinfo", NULL) >= 0);
	wn_lines_classify(s, &t, k);
	wn_ner_words none = {NULL, 0};
	CHECK(wn_lines_truecase(s, n, &t, k, &none, out) == 1);
	CHECK(wn_lines_truecase_places(s, n, &t, k, gz, out) == 1);
	out[n] = 0;
	CHECK(strncmp(out, "New York", 8) == 0); /* America/New_York */
	CHECK(strstr(out, " goalless final\n") != NULL);
	wn_gaz_free(gz);
	free(out), free(k);
	wn_tokens_free(&t);
}

int main(void)
{
	test_kinds();
	test_unwrap();
	test_truecase();
	test_truecase_places();
	return check_finish();
}
