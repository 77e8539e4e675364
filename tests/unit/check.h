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

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			check_pass_++;                                                             \
		} else {                                                                           \
			check_fail_++;                                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

/* Compares two strings, either of which may be NULL (then unequal); a
 * function rather than a macro body so that arrays are fine arguments. */
static inline int check_streq_(const char *file, int line, const char *ea, const char *eb,
                               const char *a, const char *b)
{
	if (a && b && strcmp(a, b) == 0) {
		check_pass_++;
		return 1;
	}
	check_fail_++;
	fprintf(stderr, "%s:%d: check failed: %s == %s (\"%s\" vs \"%s\")\n", file, line, ea, eb,
	        a ? a : "(null)", b ? b : "(null)");
	return 0;
}

#define CHECK_STR(a, b) check_streq_(__FILE__, __LINE__, #a, #b, (a), (b))

/* True when haystack contains needle (both may be NULL: false). */
static inline int check_contains_(const char *h, const char *n)
{
	return h && n && strstr(h, n) != NULL;
}
#define CONTAINS(h, n) check_contains_((h), (n))

static inline int check_finish(void)
{
	printf("%d passed, %d failed\n", check_pass_, check_fail_);
	return check_fail_ ? 1 : 0;
}

#endif
