/*
 * A minimal test harness for winnow's C tests: CHECK records a failure
 * with file:line and goes on; the test's main returns check_finish(),
 * which prints "N passed, N failed" and gives ctest the exit status.
 */
#ifndef WN_CHECK_H
#define WN_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_pass_, check_fail_;

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (cond) {                                                             \
			check_pass_++;                                                  \
		} else {                                                                \
			check_fail_++;                                                  \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                       \
	} while (0)

#define CHECK_STR(a, b)                                                                 \
	do {                                                                            \
		const char *ca_ = (a), *cb_ = (b);                                      \
		if (ca_ && cb_ && strcmp(ca_, cb_) == 0) {                              \
			check_pass_++;                                                  \
		} else {                                                                \
			check_fail_++;                                                  \
			fprintf(stderr, "%s:%d: check failed: %s == %s (\"%s\" vs \"%s\")\n", \
				__FILE__, __LINE__, #a, #b, ca_ ? ca_ : "(null)",       \
				cb_ ? cb_ : "(null)");                                  \
		}                                                                       \
	} while (0)

/* True when haystack contains needle (both may be NULL: false). */
#define CONTAINS(h, n) ((h) && (n) && strstr((h), (n)) != NULL)

static inline int check_finish(void)
{
	printf("%d passed, %d failed\n", check_pass_, check_fail_);
	return check_fail_ ? 1 : 0;
}

#endif
