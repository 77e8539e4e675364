/*
 * Function words ("stop words") of English, German, French, Spanish,
 * Italian, Portuguese and Dutch: one sorted list for every stage that asks
 * whether a text reads as running prose (a sentence has a quarter or more
 * of them; a menu, a tag list or a headline list few).
 */
#include "stopwords.h"

#include <string.h>

/* Sorted by strcmp (byte order) for the binary search below; the union of
 * the lists clean_html's block features and clean_text's line model used
 * before they shared this one. Keep it sorted (tests/test_stopwords.c). */
static const char *const words[] = {
    "a",    "about", "after", "al",    "all",  "als",   "also",  "an",    "and",  "any",   "are",
    "as",   "at",    "auf",   "be",    "been", "but",   "by",    "can",   "con",  "could", "da",
    "das",  "de",    "dei",   "del",   "dem",  "den",   "der",   "des",   "det",  "di",    "did",
    "die",  "do",    "does",  "du",    "e",    "een",   "ein",   "eine",  "el",   "em",    "en",
    "er",   "es",    "est",   "et",    "for",  "from",  "had",   "has",   "have", "he",    "her",
    "het",  "his",   "how",   "i",     "if",   "il",    "in",    "into",  "is",   "ist",   "it",
    "its",  "just",  "la",    "las",   "le",   "les",   "lo",    "los",   "mit",  "more",  "most",
    "my",   "na",    "nicht", "no",    "not",  "o",     "of",    "on",    "one",  "or",    "os",
    "our",  "out",   "par",   "per",   "pour", "que",   "se",    "she",   "sich", "so",    "some",
    "than", "that",  "the",   "their", "them", "then",  "there", "these", "they", "this",  "to",
    "um",   "un",    "una",   "und",   "une",  "up",    "van",   "was",   "we",   "were",  "what",
    "when", "which", "who",   "will",  "with", "would", "you",   "your",  "zu",
};

#define NWORDS (sizeof words / sizeof *words)

/* strcmp order between the counted string (w, n) and the C string s. */
static int cmp_counted(const char *w, size_t n, const char *s)
{
	size_t m = strlen(s);
	int c = memcmp(w, s, n < m ? n : m);
	if (c)
		return c;
	return n < m ? -1 : n > m;
}

int wn_is_stopword(const char *w, size_t n)
{
	size_t lo = 0, hi = NWORDS;

	if (!w || n == 0 || n > WN_STOPWORD_MAX)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_counted(w, n, words[mid]);
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

size_t wn_stopword_count(void)
{
	return NWORDS;
}

const char *wn_stopword_at(size_t i)
{
	return i < NWORDS ? words[i] : NULL;
}
