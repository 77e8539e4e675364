/*
 * Small internal helpers shared by the runner's modules: checked
 * allocation, diagnostics in file:line:col form, "did you mean"
 * suggestions, hashing and time. The growable buffer wn_buf is
 * lib/core/buf.h, included here for the modules that use it.
 */
#ifndef WN_UTIL_H
#define WN_UTIL_H

#include "buf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Allocation for start-up paths (config, loader): on failure print
 * "winnow: out of memory" and exit(1). Never return NULL. Hot paths
 * (records) use plain malloc and report failures instead. */
void *wn_xmalloc(size_t n);
void *wn_xcalloc(size_t n, size_t size);
void *wn_xrealloc(void *p, size_t n);
char *wn_xstrdup(const char *s);
char *wn_xstrndup(const char *s, size_t n);
/* printf into a fresh heap string. */
char *wn_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Diagnostics. Each error is printed at once to `out` (stderr when NULL)
 * as "FILE:LINE:COL: error: MESSAGE" and counted; `errors` tells the
 * caller whether to stop. line/col 0 print "FILE: error: ...". */
typedef struct wn_diag {
	FILE *out;
	int errors;
	int warnings;
} wn_diag;
void wn_diag_error(wn_diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* wn_diag_error from a va_list, for functions that report in their own
 * words; `prefix` (may be NULL) comes before the message: "PREFIX: msg". */
void wn_diag_verror(wn_diag *d, const char *file, int line, int col, const char *prefix,
                    const char *fmt, va_list ap);
void wn_diag_warn(wn_diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The candidate closest to `word` by edit distance, or NULL when none is
 * close enough to be a plausible typo. `cands` is NULL-terminated. */
const char *wn_closest(const char *word, const char *const *cands);

/* SHA-256 of data as 64 lowercase hex digits plus NUL into out[65]. */
void wn_sha256_hex(const void *data, size_t n, char out[65]);

/* Monotonic milliseconds, and the wall clock as ISO 8601 UTC
 * ("2026-11-25T12:59:59Z") into out[32]. */
int64_t wn_now_ms(void);
void wn_iso_utc(int64_t unix_seconds, char out[32]);

/* Joins dir and rel unless rel is absolute; heap result. */
char *wn_path_join(const char *dir, const char *rel);
/* Folder part of a path ("." when none); heap result. */
char *wn_dirname(const char *path);
/* mkdir -p; 0 or -1 with errno set. */
int wn_mkdirs(const char *path, unsigned mode);
/* rm -rf without following links; 0, or -1 with errno set (a path that
 * does not exist is 0). */
int wn_rmtree(const char *path);

#endif
