/*
 * wn_is_stopword (lib/core/stopwords.h): the list is sorted and unique (the
 * lookup is a binary search), every listed word is found, counted strings
 * need no NUL, and near misses, upper case and empty input are not words.
 */
#include "check.h"
#include "stopwords.h"

#include <string.h>

int main(void)
{
	size_t n = wn_stopword_count();
	CHECK(n > 100);
	for (size_t i = 0; i < n; i++) {
		const char *w = wn_stopword_at(i);
		CHECK(w && strlen(w) <= WN_STOPWORD_MAX);
		CHECK(wn_is_stopword(w, strlen(w)));
		if (i > 0)
			CHECK(strcmp(wn_stopword_at(i - 1), w) < 0);
	}
	CHECK(wn_stopword_at(n) == NULL);

	/* One word of each language, and of each former list. */
	const char *some[] = {"the", "und", "les", "los", "il", "os", "het", "your", "could"};
	for (size_t i = 0; i < sizeof some / sizeof *some; i++)
		CHECK(wn_is_stopword(some[i], strlen(some[i])));

	/* Counted: a prefix of a longer buffer. */
	CHECK(wn_is_stopword("thesis", 3)); /* "the" */
	CHECK(!wn_is_stopword("thesis", 6));
	CHECK(wn_is_stopword("andere", 3)); /* "and" */
	CHECK(!wn_is_stopword("theirs", 6));
	CHECK(!wn_is_stopword("harbour", 7));
	CHECK(!wn_is_stopword("The", 3)); /* the caller lower-cases */
	CHECK(!wn_is_stopword("", 0));
	CHECK(!wn_is_stopword(NULL, 3));
	CHECK(!wn_is_stopword("aa", 2));            /* between "a" and "about" */
	CHECK(!wn_is_stopword("zz", 2));            /* past the end */
	CHECK(!wn_is_stopword("0", 1));             /* before the start */
	CHECK(!wn_is_stopword("abcdefghijkl", 12)); /* longer than any word */
	return check_finish();
}
