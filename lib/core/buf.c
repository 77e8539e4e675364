/*
 * Growable byte buffer: see buf.h for the contracts.
 */
#include "buf.h"
#include "grow.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wn_buf_init(wn_buf *b, size_t limit)
{
	*b = (wn_buf){.limit = limit};
}

/* Makes room for n more bytes plus the NUL, within the limit. Returns 0,
 * or -1 with b->err set (and the contents untouched). */
static int reserve(wn_buf *b, size_t n)
{
	if (b->err)
		return -1;
	if (b->limit && (b->len > b->limit || n > b->limit - b->len)) {
		b->err = WN_BUF_ELIMIT;
		return -1;
	}
	if (n > SIZE_MAX - 1 - b->len) {
		b->err = WN_BUF_ENOMEM;
		return -1;
	}
	/* never more than a full buffer: limit bytes and the NUL */
	char *p = wn_grow(b->p, &b->cap, b->len + n + 1, 1, 64, b->limit ? b->limit + 1 : 0);
	if (!p) {
		b->err = WN_BUF_ENOMEM;
		return -1;
	}
	b->p = p;
	return 0;
}

int wn_buf_add(wn_buf *b, const void *data, size_t n)
{
	if (reserve(b, n))
		return -1;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int wn_buf_adds(wn_buf *b, const char *s)
{
	return wn_buf_add(b, s, strlen(s));
}

int wn_buf_addc(wn_buf *b, char c)
{
	/* The common case without a call: room for c and the NUL. */
	if (!b->err && b->len + 1 < b->cap && (!b->limit || b->len < b->limit)) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
		return 0;
	}
	return wn_buf_add(b, &c, 1);
}

int wn_buf_addf(wn_buf *b, const char *fmt, ...)
{
	if (b->err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = WN_BUF_ENOMEM;
		return -1;
	}
	if (reserve(b, (size_t)n))
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void wn_buf_reset(wn_buf *b)
{
	b->len = 0;
	b->err = WN_BUF_OK;
	if (b->p)
		b->p[0] = '\0';
}

char *wn_buf_take(wn_buf *b)
{
	char *p = b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = WN_BUF_OK;
	return p;
}

void wn_buf_free(wn_buf *b)
{
	free(wn_buf_take(b));
}
