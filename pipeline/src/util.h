/*
 * Small internal helpers shared by the runner's modules, and the runner's
 * error policy: the result type wn_err, allocation that exits on failure,
 * messages outside a run, diagnostics in file:line:col form, "did you
 * mean" suggestions and time. The growable buffer wn_buf (lib/core/buf.h)
 * and SHA-256 (lib/core/sha256.h) are included here for the modules that
 * use them.
 *
 * The error policy of pipeline/src (docs/architecture.md, "Errors"):
 *   - Results. A function that can fail returns wn_err (0 is success,
 *     every failure negative, so `if (f())` reads "failed"), and it has
 *     reported the failure before it returns: through the run logger, a
 *     wn_diag, or an err[] buffer its contract names. The caller decides
 *     what to do and does not report it again. Plugins speak wn_rc
 *     (plugin.h) instead; process exit codes (wn_exit, engine.h) exist only
 *     where a command ends. Three other shapes stay, each for its own
 *     concept: validators that report into a wn_diag return how many
 *     errors they printed (like a compiler, they report them all); a
 *     yes/no question returns a bool-like int (1 yes, 0 no) and cannot
 *     fail; a function with more than two outcomes returns a named enum
 *     (wn_seen, wn_lookup, wn_fate, ...), never a bare 1/0/-1.
 *   - Allocation failure is fatal, in one place: every allocation of the
 *     runner goes through wn_x* below, which print "winnow: out of
 *     memory" and exit(1); no runner code returns or tests for an
 *     allocation failure, on start-up and hot paths alike (a batch job
 *     that ran out of memory is rerun; its commit protocol leaves the
 *     previous outputs whole). The exceptions are named at their sites:
 *     dedup.c, a pure algorithm also built without this file (by
 *     bench/dedup), returns WN_DEDUP_ENOMEM, which its callers in the
 *     runner (history.c, merge.c) hand to wn_oom(); lib/core's wn_buf
 *     keeps a sticky error, which its callers check anyway for the
 *     buffer's limit.
 *   - Messages. During a run every line goes through the run logger
 *     (wn_run_log, log.c: level, stage, the progress line cleared, one
 *     lock). Outside a run (command-line parsing, `winnow plan`, `merge`,
 *     `slurm`, `runs`, `try`, `schema`, `help`) errors go through wn_say
 *     or wn_usage_error below, to stderr; usage and help text the user
 *     asked for is the command's output and goes to stdout with fputs.
 *   - Invariants of the engine (slot ring, stage indexes, record states)
 *     are assert()ed: a failed assert is a bug in the runner, never bad
 *     input, which always gets a message saying where. The sanitizer
 *     build (WINNOW_SANITIZE, CI's second pass) keeps them (-UNDEBUG);
 *     other NDEBUG builds drop them.
 */
#ifndef WN_UTIL_H
#define WN_UTIL_H

#include "buf.h"
#include "sha256.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The runner's result: 0 or a negative category (see the policy above).
 * Values are never renumbered; callers test `!= WN_E_OK` or a category,
 * never a number. */
typedef enum wn_err {
	WN_E_OK = 0,
	WN_E_FAIL = -1,   /* failed, reported; no finer category applies */
	WN_E_IO = -2,     /* a file or folder could not be read, written or renamed */
	WN_E_STORE = -3,  /* the state store (SQLite) failed */
	WN_E_CONFIG = -4, /* bad configuration, plan or arguments, found before work */
	WN_E_PLUGIN = -5, /* a plugin callback failed (init, commit) */
	WN_E_STOP = -6,   /* the run is stopping (signal, budget, a fatal stage) */
	WN_E_LOCKED = -7, /* another run holds the lock: nothing to do now */
} wn_err;

/* The one exit on allocation failure: prints "winnow: out of memory" and
 * exits 1. The wn_x* functions call it; so does the runner wherever
 * dedup.c (built alone too) reports WN_DEDUP_ENOMEM. */
_Noreturn void wn_oom(void);

/* Allocation for every path of the runner (see the policy above): on
 * failure print "winnow: out of memory" and exit(1). Never return NULL. */
void *wn_xmalloc(size_t n);
void *wn_xcalloc(size_t n, size_t size);
void *wn_xrealloc(void *p, size_t n);
char *wn_xstrdup(const char *s);
char *wn_xstrndup(const char *s, size_t n);
/* printf into a fresh heap string. */
char *wn_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Messages outside a run: "winnow: MESSAGE\n" on stderr. Inside a run
 * use wn_run_log (run.h) instead. */
void wn_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wn_vsay(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* A command-line misuse: wn_say's line, then `usage` (may be NULL) on
 * stderr. Returns 64 (EX_USAGE), the exit code of every usage error. */
int wn_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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

/* Monotonic milliseconds, and the wall clock as ISO 8601 UTC
 * ("2026-11-25T12:59:59Z") into out[32]. */
int64_t wn_now_ms(void);
void wn_iso_utc(int64_t unix_seconds, char out[32]);

/* Joins dir and rel unless rel is absolute; heap result. */
char *wn_path_join(const char *dir, const char *rel);
/* Folder part of a path ("." when none); heap result. */
char *wn_dirname(const char *path);
/* mkdir -p; WN_E_OK, or WN_E_IO with errno set. */
wn_err wn_mkdirs(const char *path, unsigned mode);
/* rm -rf without following links; WN_E_OK, or WN_E_IO with errno set (a
 * path that does not exist is WN_E_OK). */
wn_err wn_rmtree(const char *path);

#endif
