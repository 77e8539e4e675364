/*
 * Reading and cleaning the clean_html test fixtures (WN_FIXTURES folder),
 * shared by the whole-page tests.
 */
#ifndef WN_CLEAN_FIXTURE_H
#define WN_CLEAN_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wn_clean.h"

/* The bytes of fixture `name` (NUL-terminated, malloc'd), or NULL. */
static inline char *slurp(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", WN_FIXTURES, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	*len = b ? fread(b, 1, (size_t)n, f) : 0;
	if (b)
		b[*len] = 0;
	fclose(f);
	return b;
}

/* Cleans fixture `name` with default options; returns the status. */
static inline int clean_fixture(const char *name, const char *url, wn_clean_doc *d)
{
	size_t n;
	char *b = slurp(name, &n);
	if (!b) {
		memset(d, 0, sizeof *d);
		return -1;
	}
	int rc = wn_clean_page(b, n, "text/html", url, NULL, d);
	free(b);
	return rc;
}

#endif
