/*
 * source_files: listing. See fs_list.h for the contract.
 *
 * Folder walks skip dot-files and dot-folders (.git, editor droppings);
 * symbolic links are followed only when asked, with a guard against link
 * cycles. Files named explicitly, or matched by a glob, bypass `include`
 * (the user chose them) but not `exclude`.
 */
#include "fs_list.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Deep enough for any real article tree; stops pathological nesting. */
#define FS_MAX_DEPTH 64

static const char *const fs_default_include[] = {"*.html", "*.htm", "*.xhtml", "*.txt",
                                                 "*.text", "*.md",  NULL};

/* State of one walk below one `paths` entry. */
typedef struct fs_walk {
	fs_list *out;
	const fs_filter *flt;
	size_t root;
	fs_warn_fn warn;
	void *warn_arg;
	int depth;
	dev_t anc_dev[FS_MAX_DEPTH]; /* the folders above: a link cycle revisits one */
	ino_t anc_ino[FS_MAX_DEPTH];
} fs_walk;

static int walk_dir(fs_walk *w, const char *dir, const char *rel);

/* malloc'd "a/b" (no doubled slash); NULL when out of memory. */
static char *fs_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int slash = la > 0 && a[la - 1] != '/';
	char *s = malloc(la + slash + lb + 1);
	if (!s)
		return NULL;
	memcpy(s, a, la);
	if (slash)
		s[la] = '/';
	memcpy(s + la + slash, b, lb + 1);
	return s;
}

int fs_match_any(const char *const *pats, const char *name, const char *rel)
{
	for (; pats && *pats; pats++) {
		if (fnmatch(*pats, name, 0) == 0 || fnmatch(*pats, rel, FNM_PATHNAME) == 0)
			return 1;
	}
	return 0;
}

/* True when a walked file without a matching include should still be
 * taken: it has no extension, so only its bytes can say what it is. */
static int fs_no_extension(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot == NULL || dot == name;
}

/* Appends a file; takes ownership of path and rel (freed on failure). */
static int fs_add(fs_list *l, char *path, char *rel, size_t root, const struct stat *st)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		fs_file *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			free(path);
			free(rel);
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (fs_file){path, rel, root, st->st_dev, st->st_ino, 0, 0};
	return 0;
}

/* A folder already on the current walk path means a symlink cycle. */
static int walk_is_ancestor(const fs_walk *w, const struct stat *st)
{
	for (int i = 0; i < w->depth; i++) {
		if (w->anc_dev[i] == st->st_dev && w->anc_ino[i] == st->st_ino)
			return 1;
	}
	return 0;
}

/* Descends into a folder unless too deep or already being walked. */
static int walk_sub(fs_walk *w, const char *path, const char *rel, const struct stat *st)
{
	if (w->depth >= FS_MAX_DEPTH || walk_is_ancestor(w, st))
		return 0;
	w->anc_dev[w->depth] = st->st_dev;
	w->anc_ino[w->depth] = st->st_ino;
	w->depth++;
	int rc = walk_dir(w, path, rel);
	w->depth--;
	return rc;
}

/* One folder entry found by a walk; takes ownership of path and rel. */
static int walk_entry(fs_walk *w, char *path, char *rel, const char *name)
{
	const fs_filter *f = w->flt;
	struct stat st;
	int rc = 0;
	if (lstat(path, &st) != 0 || (S_ISLNK(st.st_mode) && !f->follow_symlinks) ||
	    (S_ISLNK(st.st_mode) && stat(path, &st) != 0))
		goto skip;
	if (S_ISDIR(st.st_mode)) {
		/* An excluded folder name prunes the whole subtree. */
		if (f->recursive && !fs_match_any(f->exclude, name, rel))
			rc = walk_sub(w, path, rel, &st);
		goto skip;
	}
	if (!S_ISREG(st.st_mode) || fs_match_any(f->exclude, name, rel))
		goto skip;
	const char *const *inc = f->include ? f->include : fs_default_include;
	if (fs_match_any(inc, name, rel) || (f->sniff && fs_no_extension(name)))
		return fs_add(w->out, path, rel, w->root, &st);
skip:
	free(path);
	free(rel);
	return rc;
}

/* Lists folder `dir`, whose path relative to the root is `rel` ("" for
 * the root itself). */
static int walk_dir(fs_walk *w, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	if (!d) {
		w->warn(w->warn_arg, "unreadable_dir", dir, strerror(errno));
		return 0;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *p = fs_join(dir, e->d_name);
		char *r = rel[0] ? fs_join(rel, e->d_name) : strdup(e->d_name);
		if (!p || !r) {
			free(p);
			free(r);
			rc = -1;
			break;
		}
		rc = walk_entry(w, p, r, e->d_name);
	}
	closedir(d);
	return rc;
}

/* Adds one path a `paths` entry named (directly or by glob): a folder is
 * walked, a file taken unless excluded. `rel` is its name under the root. */
static int fs_add_named(fs_walk *w, const char *path, const char *rel)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		/* A path that is not there is "missing" (the source's caller
		 * decides if that fails the run); other errors are no match. */
		w->warn(w->warn_arg, errno == ENOENT || errno == ENOTDIR ? "missing" : "no_match",
		        path, strerror(errno));
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		w->depth = 0;
		return walk_sub(w, path, rel, &st);
	}
	const char *slash = strrchr(rel, '/');
	const char *name = slash ? slash + 1 : rel;
	if (!S_ISREG(st.st_mode) || fs_match_any(w->flt->exclude, name, rel))
		return 0;
	char *p = strdup(path), *r = strdup(rel);
	if (!p || !r) {
		free(p);
		free(r);
		return -1;
	}
	if (fs_add(w->out, p, r, w->root, &st))
		return -1;
	w->out->v[w->out->n - 1].named = 1;
	return 0;
}

/* Copies s with glob metacharacters backslash-escaped, so a base folder
 * named "drafts [old]" is taken literally in front of a pattern. */
static char *fs_glob_escape(const char *s)
{
	char *o = malloc(strlen(s) * 2 + 1), *q = o;
	if (!o)
		return NULL;
	for (; *s; s++) {
		if (strchr("*?[]\\", *s))
			*q++ = '\\';
		*q++ = *s;
	}
	*q = '\0';
	return o;
}

/* Number of '/' in the pattern's leading part free of metacharacters:
 * matches are named relative to that folder ("news/ * /a.html" gives
 * "2024/a.html"). Escaped characters count as literal. */
static size_t fs_static_slashes(const char *pat)
{
	size_t n = 0, upto = 0;
	for (const char *p = pat; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (strchr("*?[", *p))
			return upto;
		if (*p == '/')
			upto = ++n;
	}
	return upto;
}

/* The part of match `m` after its first `slashes` slashes. */
static const char *fs_after_slashes(const char *m, size_t slashes)
{
	const char *rel = m;
	for (size_t i = 0; i < slashes; i++) {
		const char *s = strchr(rel, '/');
		if (!s)
			break;
		rel = s + 1;
	}
	return rel;
}

/* Expands one glob pattern `pat` (already joined to the base). */
static int fs_add_glob(fs_walk *w, const char *pat, const char *entry)
{
	glob_t g;
	int grc = glob(pat, GLOB_NOSORT, NULL, &g);
	if (grc == GLOB_NOMATCH || (grc == 0 && g.gl_pathc == 0)) {
		w->warn(w->warn_arg, "no_match", entry, "the pattern matches nothing");
		globfree(&g);
		return 0;
	}
	if (grc != 0) {
		globfree(&g);
		return grc == GLOB_NOSPACE ? -1 : 0;
	}
	size_t slashes = fs_static_slashes(pat);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++)
		rc = fs_add_named(w, g.gl_pathv[i], fs_after_slashes(g.gl_pathv[i], slashes));
	globfree(&g);
	return rc;
}

/* Expands one `paths` entry as root number `root`. */
static int fs_add_entry(fs_walk *w, const char *entry, const char *base)
{
	int is_glob = strpbrk(entry, "*?[") != NULL;
	int rel_entry = entry[0] != '/' && base && base[0];
	char *eb = rel_entry && is_glob ? fs_glob_escape(base) : NULL;
	char *full = rel_entry ? fs_join(eb ? eb : base, entry) : strdup(entry);
	free(eb);
	if (!full)
		return -1;
	int rc;
	if (is_glob) {
		rc = fs_add_glob(w, full, entry);
	} else {
		/* A file is named by its base name; a folder's files by their
		 * path below it (rel "" for the folder itself). */
		struct stat st;
		int dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
		const char *slash = strrchr(full, '/');
		rc = fs_add_named(w, full, dir ? "" : slash ? slash + 1 : full);
	}
	free(full);
	return rc;
}

static int fs_cmp_order(const void *a, const void *b)
{
	const fs_file *x = a, *y = b;
	if (x->root != y->root)
		return x->root < y->root ? -1 : 1;
	return strcmp(x->rel, y->rel);
}

/* Orders pointers by file identity, then by list position. */
static int fs_cmp_ident(const void *a, const void *b)
{
	const fs_file *x = *(const fs_file *const *)a, *y = *(const fs_file *const *)b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Flags every file that an earlier entry of the sorted list already has
 * (same device and inode: also catches two names of one file). */
static int fs_flag_dups(fs_list *l)
{
	if (l->n < 2)
		return 0;
	fs_file **ix = malloc(l->n * sizeof *ix);
	if (!ix)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		ix[i] = &l->v[i];
	qsort(ix, l->n, sizeof *ix, fs_cmp_ident);
	for (size_t i = 1; i < l->n; i++) {
		if (ix[i]->dev == ix[i - 1]->dev && ix[i]->ino == ix[i - 1]->ino)
			ix[i]->dup = 1;
	}
	free(ix);
	return 0;
}

int fs_list_build(fs_list *out, const char *const *paths, const char *base, const fs_filter *flt,
                  fs_warn_fn warn, void *warn_arg)
{
	fs_walk *w = calloc(1, sizeof *w);
	if (!w)
		return -1;
	w->out = out;
	w->flt = flt;
	w->warn = warn;
	w->warn_arg = warn_arg;
	int rc = 0;
	for (size_t i = 0; rc == 0 && paths && paths[i]; i++) {
		w->root = i;
		w->depth = 0;
		rc = fs_add_entry(w, paths[i], base);
	}
	free(w);
	if (rc == 0 && out->n)
		qsort(out->v, out->n, sizeof *out->v, fs_cmp_order);
	return rc ? rc : fs_flag_dups(out);
}

void fs_list_free(fs_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].rel);
	}
	free(l->v);
	*l = (fs_list){0};
}
