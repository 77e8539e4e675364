/*
 * A growable byte buffer with an optional hard limit, shared by the runner
 * and the plugins.
 *
 * The contents are always NUL-terminated once anything was appended (the
 * NUL is not counted in `len`), so `p` can be used as a C string; it may
 * also hold NUL bytes, `len` is authoritative.
 *
 * Errors are sticky: the first append that fails (out of memory, or it
 * would take `len` past `limit`) leaves the contents as they were, records
 * why in `err`, and every later append fails too until wn_buf_reset. So a
 * caller can append a whole text and test once, and what it gets is always
 * a prefix of what it appended, never a text with a piece missing.
 *
 * A zeroed wn_buf is a valid empty buffer without a limit:
 *     wn_buf b = {0};                 or   wn_buf b = {.limit = 1 << 20};
 *     wn_buf_adds(&b, "id=");
 *     wn_buf_addf(&b, "%d", 42);
 *     if (b.err) ...                  (b.p is NULL until the first append)
 *     wn_buf_free(&b);
 *
 * The fields are public: code may read p and len, set limit before the
 * first append, and may preallocate p/cap itself (malloc'd, cap >= 1).
 */
#ifndef WN_COMMON_BUF_H
#define WN_COMMON_BUF_H

#include <stddef.h>

/* Values of wn_buf.err. */
enum wn_buf_err {
	WN_BUF_OK = 0,
	WN_BUF_ENOMEM = 1, /* realloc failed */
	WN_BUF_ELIMIT = 2  /* an append would have taken len past limit */
};

typedef struct wn_buf {
	char *p;      /* malloc'd, NUL-terminated; NULL until the first append */
	size_t len;   /* bytes held, not counting the NUL */
	size_t cap;   /* bytes allocated at p (room for len + the NUL) */
	size_t limit; /* hard cap on len; 0 = none */
	int err;      /* enum wn_buf_err of the first failed append; sticky */
} wn_buf;

/* Makes b an empty buffer whose len may never exceed `limit` (0 = no
 * limit). Allocates nothing. Equivalent to `*b = (wn_buf){.limit = limit}`. */
void wn_buf_init(wn_buf *b, size_t limit);

/* Appends n bytes from data (data may be NULL when n is 0). Returns 0, or
 * -1 when b has failed before, memory runs out, or len + n would exceed
 * the limit; on -1 the contents are unchanged and b->err is set. */
int wn_buf_add(wn_buf *b, const void *data, size_t n);

/* wn_buf_add of the NUL-terminated string s (without its NUL). */
int wn_buf_adds(wn_buf *b, const char *s);

/* wn_buf_add of the one byte c; cheap when there is room. */
int wn_buf_addc(wn_buf *b, char c);

/* Appends printf-formatted text, all of it or (on -1, as wn_buf_add) none;
 * -1 also when the format itself fails (err is then WN_BUF_ENOMEM). */
int wn_buf_addf(wn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empties b for reuse: len 0 (p keeps its memory and holds ""), err
 * cleared, limit kept. */
void wn_buf_reset(wn_buf *b);

/* Hands the contents over to the caller: returns p (malloc'd, NUL-
 * terminated; NULL if nothing was ever appended) and leaves b empty, with
 * no memory, err cleared and limit kept. The caller frees the result. */
char *wn_buf_take(wn_buf *b);

/* Frees the memory and leaves b empty (err cleared, limit kept); b may be
 * used again. Safe on a zeroed or already freed buffer. */
void wn_buf_free(wn_buf *b);

#endif
