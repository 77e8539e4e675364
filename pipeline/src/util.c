/*
 * Internal helpers: see util.h for the contracts.
 */
#include "util.h"

#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

_Noreturn void wn_oom(void)
{
	fputs("winnow: out of memory\n", stderr);
	exit(1);
}

void wn_vsay(const char *fmt, va_list ap)
{
	fputs("winnow: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void wn_say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_vsay(fmt, ap);
	va_end(ap);
}

int wn_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_vsay(fmt, ap);
	va_end(ap);
	if (usage)
		fputs(usage, stderr);
	return 64;
}

void *wn_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		wn_oom();
	return p;
}

void *wn_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		wn_oom();
	return p;
}

void *wn_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		wn_oom();
	return q;
}

char *wn_xstrdup(const char *s)
{
	return wn_xstrndup(s, strlen(s));
}

char *wn_xstrndup(const char *s, size_t n)
{
	char *p = wn_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *wn_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		wn_oom();
	return s;
}

static void diag_v(wn_diag *d, const char *kind, const char *file, int line, int col,
                   const char *prefix, const char *fmt, va_list ap)
{
	FILE *out = d && d->out ? d->out : stderr;
	if (line > 0)
		fprintf(out, "%s:%d:%d: %s: ", file ? file : "?", line, col, kind);
	else
		fprintf(out, "%s: %s: ", file ? file : "winnow", kind);
	if (prefix)
		fprintf(out, "%s: ", prefix);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
}

void wn_diag_error(wn_diag *d, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_diag_verror(d, file, line, col, NULL, fmt, ap);
	va_end(ap);
}

void wn_diag_verror(wn_diag *d, const char *file, int line, int col, const char *prefix,
                    const char *fmt, va_list ap)
{
	diag_v(d, "error", file, line, col, prefix, fmt, ap);
	if (d)
		d->errors++;
}

void wn_diag_warn(wn_diag *d, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_v(d, "warning", file, line, col, NULL, fmt, ap);
	va_end(ap);
	if (d)
		d->warnings++;
}

/* Optimal string alignment distance (Levenshtein plus transpositions),
 * capped: typos are short edits, so rows beyond 64 chars are not needed. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *wn_closest(const char *word, const char *const *cands)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	size_t len = strlen(word);
	size_t allowed = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	for (; cands && *cands; cands++) {
		size_t dist = edit_distance(word, *cands);
		if (dist < best_d) {
			best_d = dist;
			best = *cands;
		}
	}
	return best_d <= allowed ? best : NULL;
}

int64_t wn_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wn_iso_utc(int64_t unix_seconds, char out[32])
{
	time_t t = (time_t)unix_seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *wn_path_join(const char *dir, const char *rel)
{
	if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
		return wn_xstrdup(rel);
	size_t n = strlen(dir);
	return wn_xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", rel);
}

char *wn_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return wn_xstrdup(".");
	if (slash == path)
		return wn_xstrdup("/");
	return wn_xstrndup(path, (size_t)(slash - path));
}

wn_err wn_mkdirs(const char *path, unsigned mode)
{
	char *p = wn_xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) && errno != EEXIST) {
			free(p);
			return WN_E_IO;
		}
		*s = '/';
	}
	int rc = mkdir(p, mode);
	free(p);
	return rc && errno != EEXIST ? WN_E_IO : WN_E_OK;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

wn_err wn_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st))
		return errno == ENOENT ? WN_E_OK : WN_E_IO;
	return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) ? WN_E_IO : WN_E_OK;
}
