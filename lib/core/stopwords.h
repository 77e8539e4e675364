/*
 * Function words ("stop words") of seven European languages, one list for
 * the whole project: the share of them in a text tells prose from menus,
 * tag lists and headline runs.
 */
#ifndef WN_STOPWORDS_H
#define WN_STOPWORDS_H

#include <stddef.h>

/* No word of the list is longer than this many bytes. */
#define WN_STOPWORD_MAX 5

/* Is the word w (n bytes, need not be NUL-terminated) a function word of
 * English, German, French, Spanish, Italian, Portuguese or Dutch? The
 * caller lower-cases it first (ASCII; the list has no accented words).
 * NULL or n == 0 is not a stop word. O(log n), no allocation, thread-safe. */
int wn_is_stopword(const char *w, size_t n);

/* How many words the list holds, and the i-th in sorted order (NULL past
 * the end): for tests and for tools that dump the list. */
size_t wn_stopword_count(void);
const char *wn_stopword_at(size_t i);

#endif
