/*
 * source_files: emits one record per local file. Entries in `paths` are
 * files, folders (walked, recursively by default) or glob(3) patterns,
 * relative to the config file's folder. Each record gets `url` (file://,
 * percent-encoded), `raw` (the bytes), `content_type`, `path` (relative to
 * the entry that found it) and `fetched_at` (the file's mtime, UTC), and
 * `id`: a hash of the path under the source root (sf_stable_id), so ids do
 * not change when the whole tree moves (docs/schema.md).
 *
 * The file list is built once in init and sorted, so the same tree gives
 * the same records in the same order on every run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs_list.h"
#include "fs_type.h"
#include "inputs.h"
#include "sha256.h"
#include <winnow/plugin.h>

typedef struct sf_state {
	/* options, written by the host */
	const char *const *paths;
	int recursive;
	const char *const *include;
	const char *const *exclude;
	int64_t max_size;
	int follow_symlinks;
	int sniff;
	int missing_ok;
	/* run state */
	size_t missing; /* named paths that are not there */
	fs_list files;
	size_t next;     /* index of the next file to emit */
	wn_inputs shard; /* sharded runs: which files are this shard's */
	int64_t *units;  /* per file: its index in the frozen list, or < 0 */
} sf_state;

/* Internal "go on to the next file" outcome, never returned to the host. */
#define SF_SKIP (-1)

static const wn_option sf_options[] = {
    {"paths", WN_OPT_LIST, NULL, 1, offsetof(sf_state, paths),
     "files, folders and glob patterns, relative to the config file", NULL, 0, 0},
    {"recursive", WN_OPT_BOOL, "true", 0, offsetof(sf_state, recursive),
     "walk sub-folders of listed folders", NULL, 0, 0},
    {"include", WN_OPT_LIST, NULL, 0, offsetof(sf_state, include),
     "file names taken from folders (unset: *.html *.htm *.xhtml *.txt *.text *.md)", NULL, 0, 0},
    {"exclude", WN_OPT_LIST, NULL, 0, offsetof(sf_state, exclude),
     "fnmatch patterns of names or relative paths to leave out", NULL, 0, 0},
    {"max_size", WN_OPT_SIZE, "32MiB", 0, offsetof(sf_state, max_size),
     "larger files are errors (reason too_large)", NULL, 1, 1e15},
    {"follow_symlinks", WN_OPT_BOOL, "false", 0, offsetof(sf_state, follow_symlinks),
     "follow symbolic links met while walking folders", NULL, 0, 0},
    {"sniff", WN_OPT_BOOL, "true", 0, offsetof(sf_state, sniff),
     "judge files without a known extension by their bytes", NULL, 0, 0},
    {"missing_ok", WN_OPT_BOOL, "false", 0, offsetof(sf_state, missing_ok),
     "a named path that is not there is only a warning (by default the source fails: "
     "a mount that is gone is not an empty day)",
     NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const sf_gives[] = {"url", "raw", "content_type", "path", "fetched_at", NULL};

/* Listing warnings go to the log and to a counter named by their code. */
static void sf_warn(void *arg, const char *code, const char *path, const char *why)
{
	const wn_ctx *cx = arg;
	sf_state *st = cx->state;
	int fails = strcmp(code, "missing") == 0 && !st->missing_ok;
	cx->api->log(cx, fails ? WN_LOG_ERROR : WN_LOG_WARN, "%s: %s", path, why);
	cx->api->count(cx, code, 1);
	st->missing += fails;
}

/* Sharded runs (inputs.h): files of other shards are passed over like
 * duplicates; under `winnow plan` none is read. */
static int sf_shard(const wn_ctx *cx, sf_state *st)
{
	if (wn_inputs_open(cx, &st->shard) != WN_OK)
		return WN_FATAL;
	st->units = calloc(st->files.n ? st->files.n : 1, sizeof(*st->units));
	if (!st->units)
		return WN_FATAL;
	for (size_t i = 0; i < st->files.n; i++) {
		fs_file *f = &st->files.v[i];
		st->units[i] = f->dup ? WN_INPUT_SKIP : wn_inputs_take(&st->shard, f->path);
		if (st->units[i] == WN_INPUT_SKIP)
			f->dup = 1;
	}
	return WN_OK;
}

static int sf_init(const wn_ctx *cx)
{
	sf_state *st = cx->state;
	fs_filter flt = {st->include, st->exclude, st->recursive, st->follow_symlinks, st->sniff};
	const char *base = cx->api->run_value(cx, "config_dir");
	if (fs_list_build(&st->files, st->paths, base, &flt, sf_warn, (void *)cx) != 0) {
		cx->api->log(cx, WN_LOG_ERROR, "out of memory listing files");
		fs_list_free(&st->files);
		return WN_FATAL;
	}
	if (st->missing) {
		/* Failing here stops the source: the run says so in its exit
		 * code (2) and summary instead of passing for a quiet day. */
		cx->api->log(cx, WN_LOG_ERROR,
		             "%zu input path(s) missing; the source is stopped (missing_ok: true "
		             "to allow)",
		             st->missing);
		fs_list_free(&st->files);
		return WN_FATAL;
	}
	if (st->files.n == 0)
		cx->api->log(cx, WN_LOG_WARN, "no input files found");
	return sf_shard(cx, st);
}

static void sf_fini(const wn_ctx *cx)
{
	sf_state *st = cx->state;
	fs_list_free(&st->files);
	wn_inputs_close(&st->shard);
	free(st->units);
	st->units = NULL;
}

/* Reads the whole of fd (size from fstat) into a malloc'd buffer. */
static int sf_read_all(int fd, size_t size, unsigned char **out, size_t *len)
{
	unsigned char *b = malloc(size ? size : 1);
	size_t n = 0;
	if (!b)
		return ENOMEM;
	while (n < size) {
		ssize_t k = read(fd, b + n, size - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			free(b);
			return e;
		}
		if (k == 0)
			break; /* the file shrank since fstat: take what is there */
		n += (size_t)k;
	}
	*out = b;
	*len = n;
	return 0;
}

/* The name of the folder f->rel is relative to: the last component of
 * that folder's real path (so "." and ".." entries get a real name), or
 * "" when it cannot be told. Points into buf (PATH_MAX bytes). */
static const char *sf_root_name(const fs_file *f, char *buf)
{
	size_t pl = strlen(f->path), rl = strlen(f->rel);
	if (rl >= pl || pl - rl - 1 >= PATH_MAX || f->path[pl - rl - 1] != '/')
		return "";
	char dir[PATH_MAX];
	memcpy(dir, f->path, pl - rl - 1);
	dir[pl - rl - 1] = '\0';
	const char *d = realpath(dir, buf) ? buf : dir;
	const char *slash = strrchr(d, '/');
	return slash ? slash + 1 : "";
}

/* A local file's id: the first 16 hex digits of SHA-256 over "file:" +
 * the root folder's name + "/" + the path under it. Unlike the absolute
 * file:// URL it does not change when the tree is moved or copied. */
static int sf_stable_id(const fs_file *f, char id[17])
{
	char buf[PATH_MAX];
	const char *root = sf_root_name(f, buf);
	size_t n = 5 + strlen(root) + 1 + strlen(f->rel);
	char *key = malloc(n + 1);
	if (!key)
		return -1;
	snprintf(key, n + 1, "file:%s/%s", root, f->rel);
	char hex[65];
	wn_sha256_hex(key, n, hex);
	free(key);
	memcpy(id, hex, 16);
	id[16] = '\0';
	return 0;
}

/* Sets the fields that name the file; they go on error records too, so
 * the dead letter says which file failed. */
static int sf_name_record(const wn_ctx *cx, wn_record *r, const fs_file *f)
{
	char *url = fs_file_url(f->path);
	if (!url)
		return WN_FATAL;
	char id[17];
	if (sf_stable_id(f, id)) {
		free(url);
		return WN_FATAL;
	}
	int rc = cx->api->set_str(r, "id", id);
	if (rc == WN_OK)
		rc = cx->api->set_str(r, "url", url);
	free(url);
	if (rc == WN_OK)
		rc = cx->api->set_str(r, "path", f->rel);
	return rc;
}

/* The content type to announce, or NULL to skip the file as binary. A
 * charset is named only when the bytes prove it (BOM, or text that is
 * valid UTF-8); otherwise the cleaning stage reads <meta> or guesses. */
static const char *sf_content_type(const sf_state *st, const fs_file *f, const unsigned char *b,
                                   size_t n)
{
	const char *slash = strrchr(f->path, '/');
	int kind = fs_kind_by_name(slash ? slash + 1 : f->path);
	if (kind < 0 && !st->sniff)
		return "application/octet-stream";
	if (kind < 0)
		kind = fs_sniff(b, n);
	if (kind == FS_HTML)
		return fs_has_bom(b, n) ? "text/html; charset=utf-8" : "text/html";
	if (kind == FS_TEXT)
		return fs_is_utf8(b, n) ? "text/plain; charset=utf-8" : "text/plain";
	return NULL;
}

/* The file's mtime as ISO 8601 UTC into buf (at least 32 bytes). */
static void sf_mtime(const struct stat *sb, char *buf, size_t size)
{
	struct tm tm;
	time_t t = sb->st_mtime;
	if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		buf[0] = '\0';
}

/* Fails the record for file f with an errno reason. */
static int sf_fail_errno(const wn_ctx *cx, wn_record *r, const fs_file *f, int err)
{
	int rc = sf_name_record(cx, r, f);
	if (rc != WN_OK)
		return rc;
	cx->api->reason(r, "unreadable", "%s: %s", f->path, strerror(err));
	return WN_ERROR;
}

/* Opens and checks file f: on success *fd is open and *sb filled. */
static int sf_open(const wn_ctx *cx, wn_record *r, const fs_file *f, int *fd, struct stat *sb)
{
	const sf_state *st = cx->state;
	/* O_NONBLOCK: if a FIFO took the file's place since listing, open
	 * must not hang; it has no effect on regular files. */
	*fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0)
		return sf_fail_errno(cx, r, f, errno);
	int e = fstat(*fd, sb) != 0 ? errno : S_ISREG(sb->st_mode) ? 0 : EINVAL;
	if (e) {
		close(*fd);
		return sf_fail_errno(cx, r, f, e);
	}
	if (sb->st_size > st->max_size) {
		close(*fd);
		int rc = sf_name_record(cx, r, f);
		if (rc != WN_OK)
			return rc;
		cx->api->reason(r, "too_large", "%s: %lld bytes is over max_size (%lld)", f->path,
		                (long long)sb->st_size, (long long)st->max_size);
		return WN_ERROR;
	}
	return WN_OK;
}

/* Fills r from file f, or returns SF_SKIP for a binary file. */
static int sf_emit(const wn_ctx *cx, wn_record *r, const fs_file *f)
{
	const sf_state *st = cx->state;
	struct stat sb;
	int fd;
	int rc = sf_open(cx, r, f, &fd, &sb);
	if (rc != WN_OK)
		return rc;
	unsigned char *buf = NULL;
	size_t n = 0;
	int err = sf_read_all(fd, (size_t)sb.st_size, &buf, &n);
	close(fd);
	if (err)
		return sf_fail_errno(cx, r, f, err);
	const char *ctype = sf_content_type(st, f, buf, n);
	if (!ctype) {
		free(buf);
		cx->api->count(cx, "skipped_binary", 1);
		/* Passed over quietly in a folder; a file the config names is
		 * meant to be read, so that it is not is said. */
		if (f->named)
			cx->api->log(cx, WN_LOG_WARN,
			             "%s: not HTML or text (by its name and bytes); not read",
			             f->path);
		return SF_SKIP;
	}
	char when[32];
	sf_mtime(&sb, when, sizeof when);
	rc = sf_name_record(cx, r, f);
	if (rc == WN_OK)
		rc = cx->api->set(r, "raw", WN_T_BYTES, buf, n);
	free(buf);
	if (rc == WN_OK)
		rc = cx->api->set_str(r, "content_type", ctype);
	if (rc == WN_OK && when[0])
		rc = cx->api->set_str(r, "fetched_at", when);
	return rc;
}

/* Emits the next listed file, passing over duplicates and binaries. */
static int sf_next(const wn_ctx *cx, wn_record *r)
{
	sf_state *st = cx->state;
	while (st->next < st->files.n) {
		size_t i = st->next++;
		const fs_file *f = &st->files.v[i];
		if (f->dup)
			continue;
		int rc = sf_emit(cx, r, f);
		if (rc == WN_OK)
			rc = wn_inputs_mark(cx, r, st->units[i]);
		if (rc != SF_SKIP)
			return rc;
	}
	return WN_DONE;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_source_files = {
    WN_PLUGIN_HEADER,
    WN_KIND_SOURCE,
    "source_files",
    "1.0.0",
    "local files, folders and glob patterns (HTML and text, others sniffed)",
    sf_options,
    sizeof(sf_state),
    NULL,
    sf_gives,
    sf_init,
    sf_fini,
    sf_next,
    NULL,
    NULL,
    NULL,
    NULL,
};
