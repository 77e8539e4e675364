/*
 * source_files: expanding the `paths` option into a sorted, de-duplicated
 * list of candidate files. Listing happens once, in init, so a run sees a
 * stable snapshot and the output order depends only on the file names.
 */
#ifndef WN_FS_LIST_H
#define WN_FS_LIST_H

#include <stddef.h>
#include <sys/types.h>

/* One candidate file. */
typedef struct fs_file {
	char *path;  /* path to open: the root joined with rel */
	char *rel;   /* path relative to the root it was found under */
	size_t root; /* index of the `paths` entry that found it */
	dev_t dev;   /* identity, for de-duplication across roots */
	ino_t ino;
	int dup;   /* 1: an earlier root already lists this file */
	int named; /* 1: a `paths` entry named it (directly or by glob), not a walk */
} fs_file;

typedef struct fs_list {
	fs_file *v;
	size_t n, cap;
} fs_list;

/* What decides which files a folder walk takes. */
typedef struct fs_filter {
	const char *const *include; /* fnmatch patterns; NULL: built-in defaults */
	const char *const *exclude; /* fnmatch patterns or NULL */
	int recursive;
	int follow_symlinks;
	int sniff; /* take extension-less files too (they are sniffed later) */
} fs_filter;

/* Called for what listing skips with a warning: `code` is "no_match" (a
 * `paths` entry that names nothing) or "unreadable_dir" (a folder that
 * cannot be opened); `why` is the human detail. */
typedef void (*fs_warn_fn)(void *arg, const char *code, const char *path, const char *why);

/* Expands `paths` (files, folders, glob(3) patterns; relative entries are
 * joined to `base` when it is not NULL) into `out`, sorted by (entry
 * order, rel) with later duplicates flagged. Returns 0, or -1 when out of
 * memory (the list is then partial; free it with fs_list_free). */
int fs_list_build(fs_list *out, const char *const *paths, const char *base, const fs_filter *flt,
                  fs_warn_fn warn, void *warn_arg);

/* Frees every entry and the array; leaves an empty list. */
void fs_list_free(fs_list *l);

/* True when `name` (a base name) or `rel` matches one of `pats`. */
int fs_match_any(const char *const *pats, const char *name, const char *rel);

#endif
