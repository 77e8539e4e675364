/*
 * Bounded growable strings: see internal.h.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void wn_sbuf_init(wn_sbuf *b, size_t limit)
{
	memset(b, 0, sizeof *b);
	b->limit = limit;
}

/* Makes room for n more bytes plus a NUL; 0 or -1 (limit or no memory). */
static int sbuf_reserve(wn_sbuf *b, size_t n)
{
	if (b->failed)
		return -1;
	if (b->len + n + 1 > b->limit) {
		b->failed = 1;
		return -1;
	}
	if (b->len + n + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

int wn_sbuf_add(wn_sbuf *b, const char *s, size_t n)
{
	if (sbuf_reserve(b, n))
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int wn_sbuf_addc(wn_sbuf *b, char c)
{
	if (b->len + 2 <= b->cap && !b->failed) {
		b->p[b->len++] = c;
		b->p[b->len] = 0;
		return 0;
	}
	return wn_sbuf_add(b, &c, 1);
}

char *wn_sbuf_take(wn_sbuf *b)
{
	char *p = b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void wn_sbuf_free(wn_sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
