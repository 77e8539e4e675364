/*
 * Diagnostics captured in memory, so tests can read the messages the
 * config and schema code print (wn_diag with an open_memstream).
 */
#ifndef WN_CAPTURE_H
#define WN_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct capture {
	char *buf;
	size_t len;
	wn_diag d;
} capture;

static inline void cap_open(capture *c)
{
	memset(c, 0, sizeof *c);
	c->d.out = open_memstream(&c->buf, &c->len);
}

/* Flushes and returns the text so far ("" when none; valid until cap_close). */
static inline const char *cap_text(capture *c)
{
	fflush(c->d.out);
	return c->buf ? c->buf : "";
}

static inline void cap_close(capture *c)
{
	fclose(c->d.out);
	free(c->buf);
}

#endif
