/*
 * Plugin loader: see loader.h.
 *
 * The descriptor is data, so it can be checked before the plugin runs. Its
 * four header words (ABI major and minor, descriptor size, option stride)
 * are read from the .so file before dlopen (elf_peek.c), so a plugin built
 * for another ABI is refused before its constructors could run. After
 * dlopen the whole descriptor is checked, then copied into a zero-filled
 * host-sized descriptor (members an older plugin doesn't know read NULL),
 * and an option table of another stride into a host-strided copy.
 */
#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi_size.h"
#include "elf_peek.h"
#include "schema.h"

#ifndef WN_INSTALL_PLUGIN_DIR
#define WN_INSTALL_PLUGIN_DIR "/usr/local/lib/winnow/plugins"
#endif
#ifndef WN_VERSION
#define WN_VERSION "0"
#endif

/* The runner's generated table overrides this empty one; unit tests and
 * the plugin harness link the core without any built-in plugins. */
__attribute__((weak, noinline)) const wn_plugin *const *wn_builtin_plugins(void)
{
	static const wn_plugin *const none[] = {NULL};
	return none;
}

const char *wn_kind_name(int kind)
{
	switch (kind) {
	case WN_KIND_SOURCE:
		return "source";
	case WN_KIND_TRANSFORM:
		return "transform";
	case WN_KIND_SINK:
		return "sink";
	}
	return "?";
}

static void push(char ***v, size_t *n, char *s)
{
	*v = wn_xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

char **wn_loader_search_path(char *const *extra)
{
	char **v = NULL;
	size_t n = 0;
	for (; extra && *extra; extra++)
		push(&v, &n, wn_xstrdup(*extra));
	const char *env = getenv("WINNOW_PLUGIN_PATH");
	if (env && *env) {
		char *copy = wn_xstrdup(env), *save = NULL;
		for (char *t = strtok_r(copy, ":", &save); t; t = strtok_r(NULL, ":", &save))
			push(&v, &n, wn_xstrdup(t));
		free(copy);
	}
	char exe[4096];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k > 0) {
		exe[k] = '\0';
		char *dir = wn_dirname(exe);
		push(&v, &n, wn_xasprintf("%s/plugins", dir));
		push(&v, &n, wn_xasprintf("%s/../lib/winnow/plugins", dir));
		free(dir);
	}
	push(&v, &n, wn_xstrdup(WN_INSTALL_PLUGIN_DIR));
	if (!v)
		v = wn_xcalloc(1, sizeof(*v));
	return v;
}

void wn_loader_free_path(char **path)
{
	for (char **p = path; p && *p; p++)
		free(*p);
	free(path);
}

static int has_callbacks(const wn_plugin *p)
{
	switch (p->kind) {
	case WN_KIND_SOURCE:
		return p->next != NULL;
	case WN_KIND_TRANSFORM:
		return p->process != NULL || p->batch != NULL;
	case WN_KIND_SINK:
		return p->write != NULL;
	}
	return 0;
}

static const char *needed_callback(int kind)
{
	return kind == WN_KIND_SOURCE ? "next"
	       : kind == WN_KIND_SINK ? "write"
	                              : "process or batch";
}

/* The refusal of another ABI major, which says which side to rebuild. */
static void other_major(const wn_plugin_head *h, const char *name, const char *path, wn_diag *d,
                        const char *file, int line, int col)
{
	const char *what =
	    h->abi_major == 1
	        ? "ABI 1.x structs carry no size, so they cannot be read safely: rebuild "
	          "the plugin against this winnow's plugin.h (WN_PLUGIN_HEADER and the "
	          "WN_*_INIT macros; docs/writing-a-plugin.md, \"ABI version rules\")"
	    : h->abi_major > WN_ABI_MAJOR
	        ? "upgrade winnow, or rebuild the plugin against this winnow's plugin.h"
	        : "rebuild the plugin against this winnow's plugin.h";
	wn_diag_error(d, file, line, col,
	              "plugin '%s' (%s) was built for plugin ABI %u.%u, but this winnow %s speaks "
	              "ABI %d.%d: %s",
	              name, path, h->abi_major, h->abi_minor, WN_VERSION, WN_ABI_MAJOR,
	              WN_ABI_MINOR, what);
}

wn_err wn_loader_check_head(const wn_plugin_head *h, size_t avail, const char *name,
                            const char *path, wn_diag *d, const char *file, int line, int col)
{
	if (avail && avail < sizeof(*h)) {
		wn_diag_error(d, file, line, col,
		              "%s: symbol wn_plugin_%s is not a winnow descriptor", path, name);
		return WN_E_PLUGIN;
	}
	if (h->abi_major != WN_ABI_MAJOR) {
		other_major(h, name, path, d, file, line, col);
		return WN_E_PLUGIN;
	}
	if (h->abi_minor > WN_ABI_MINOR) {
		wn_diag_error(d, file, line, col,
		              "plugin '%s' (%s) needs plugin ABI %u.%u, newer than this winnow %s "
		              "(ABI %d.%d): upgrade winnow, or rebuild the plugin against this "
		              "winnow's plugin.h",
		              name, path, h->abi_major, h->abi_minor, WN_VERSION, WN_ABI_MAJOR,
		              WN_ABI_MINOR);
		return WN_E_PLUGIN;
	}
	if (h->struct_size < WN_END_OF(wn_plugin, commit) || h->struct_size > sizeof(wn_plugin) ||
	    (avail && avail < h->struct_size)) {
		wn_diag_error(d, file, line, col,
		              "plugin '%s' (%s): descriptor size %u does not match ABI %u.%u "
		              "(expected %zu): rebuild the plugin",
		              name, path, h->struct_size, h->abi_major, h->abi_minor,
		              sizeof(wn_plugin));
		return WN_E_PLUGIN;
	}
	char why[320];
	if (wn_abi_size_check(&wn_abi_option, h->option_size, "its option_size", why,
	                      sizeof(why))) {
		wn_diag_error(d, file, line, col, "plugin '%s' (%s): %s", name, path, why);
		return WN_E_PLUGIN;
	}
	return WN_E_OK;
}

/* The header words of a descriptor in memory. */
static wn_plugin_head head_of(const wn_plugin *p)
{
	wn_plugin_head h = {p->abi_major, p->abi_minor, p->struct_size, p->option_size};
	return h;
}

/* Checks the members past the header, on the host-sized copy. */
static wn_err check_body(const wn_plugin *p, const char *name, const char *path, wn_diag *d,
                         const char *file, int line, int col)
{
	if (!p->name || strcmp(p->name, name) != 0) {
		wn_diag_error(d, file, line, col,
		              "plugin '%s' (%s): its descriptor is named '%s'; the descriptor "
		              "wn_plugin_%s must have name \"%s\"",
		              name, path, p->name ? p->name : "(null)", name, name);
		return WN_E_PLUGIN;
	}
	if (p->kind < WN_KIND_SOURCE || p->kind > WN_KIND_SINK) {
		wn_diag_error(d, file, line, col, "plugin '%s' (%s): unknown kind %d", name, path,
		              p->kind);
		return WN_E_PLUGIN;
	}
	if (!has_callbacks(p)) {
		wn_diag_error(d, file, line, col, "plugin '%s' (%s) is a %s but has no %s callback",
		              name, path, wn_kind_name(p->kind), needed_callback(p->kind));
		return WN_E_PLUGIN;
	}
	if (!p->version) {
		wn_diag_error(d, file, line, col, "plugin '%s' (%s): no version string", name,
		              path);
		return WN_E_PLUGIN;
	}
	char *where = wn_xasprintf("plugin '%s' (%s)", name, path);
	int bad = wn_schema_check_table(p, where, d);
	free(where);
	return bad ? WN_E_PLUGIN : WN_E_OK;
}

/* Copies a descriptor whose header words passed into the host-sized
 * struct; an option table of another stride is copied entry by entry
 * into a host-strided table (at most 257 entries: schema.c refuses more
 * than 256), so the rest of the host indexes options with its own
 * sizeof. */
static void adopt(wn_loaded *out, const wn_plugin *p)
{
	memset(&out->desc, 0, sizeof(out->desc));
	memcpy(&out->desc, p, p->struct_size);
	out->opts = NULL;
	size_t stride = p->option_size;
	if (!p->options || stride == sizeof(wn_option))
		return;
	size_t n = 0;
	while (n < 257 && ((const wn_option *)wn_abi_at(p->options, stride, n))->name)
		n++;
	out->opts = wn_xcalloc(n + 1, sizeof(wn_option));
	for (size_t i = 0; i < n; i++)
		wn_abi_copy_in(&out->opts[i], sizeof(wn_option), wn_abi_at(p->options, stride, i),
		               stride);
	out->desc.options = out->opts;
}

/* Checks the header words, then the adopted descriptor; 0 with `out`
 * filled, or -1 with nothing to free. */
static wn_err check_adopt(const wn_plugin *p, size_t avail, const char *name, const char *path,
                          wn_loaded *out, wn_diag *d, const char *file, int line, int col)
{
	wn_plugin_head h = head_of(p);
	if (wn_loader_check_head(&h, avail, name, path, d, file, line, col))
		return WN_E_PLUGIN;
	adopt(out, p);
	if (check_body(&out->desc, name, path, d, file, line, col)) {
		free(out->opts);
		out->opts = NULL;
		return WN_E_PLUGIN;
	}
	return WN_E_OK;
}

wn_err wn_loader_check(const wn_plugin *p, size_t avail, const char *name, const char *path,
                       wn_diag *d, const char *file, int line, int col)
{
	if (avail && avail < sizeof(wn_plugin_head)) { /* the words past it are not there */
		wn_plugin_head none = {0, 0, 0, 0};
		return wn_loader_check_head(&none, avail, name, path, d, file, line, col);
	}
	wn_loaded l;
	memset(&l, 0, sizeof(l));
	if (check_adopt(p, avail, name, path, &l, d, file, line, col))
		return WN_E_PLUGIN;
	free(l.opts);
	return WN_E_OK;
}

static const wn_plugin *find_builtin(const char *name)
{
	for (const wn_plugin *const *b = wn_builtin_plugins(); *b; b++)
		if ((*b)->name && strcmp((*b)->name, name) == 0)
			return *b;
	return NULL;
}

/* Checks the descriptor's header words as they are in the file, before
 * dlopen runs any of it (constructors included). 0 when they pass or
 * only dlopen can tell (no section headers, another ELF class). */
static wn_err check_file(const char *path, const char *name, const char *sym, wn_diag *d,
                         const char *file, int line, int col)
{
	wn_plugin_head h;
	size_t size = 0;
	memset(&h, 0, sizeof(h));
	switch (wn_elf_peek(path, sym, &h, sizeof(h), &size)) {
	case WN_ELF_FOUND:
		return wn_loader_check_head(&h, size ? size : 1, name, path, d, file, line, col);
	case WN_ELF_NO_SYMBOL:
		wn_diag_error(d, file, line, col,
		              "%s is not a winnow plugin for '%s': it does not export %s", path,
		              name, sym);
		return WN_E_PLUGIN;
	default:
		return WN_E_OK;
	}
}

/* Opens `path` and checks its descriptor for plugin `name`. */
static wn_err load_so(const char *path, const char *name, wn_loaded *out, wn_diag *d,
                      const char *file, int line, int col)
{
	char *sym = wn_xasprintf("wn_plugin_%s", name);
	if (check_file(path, name, sym, d, file, line, col)) {
		free(sym);
		return WN_E_PLUGIN;
	}
	dlerror();
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		wn_diag_error(d, file, line, col, "cannot load plugin '%s': %s", name, dlerror());
		free(sym);
		return WN_E_PLUGIN;
	}
	const wn_plugin *p = dlsym(h, sym);
	if (!p) {
		wn_diag_error(d, file, line, col,
		              "%s is not a winnow plugin for '%s': it does not export %s", path,
		              name, sym);
		free(sym);
		dlclose(h);
		return WN_E_PLUGIN;
	}
	free(sym);
	/* The symbol's size tells how much of the descriptor we may read. */
	Dl_info info;
	const ElfW(Sym) *es = NULL;
	size_t avail = 0;
	if (dladdr1(p, &info, (void **)&es, RTLD_DL_SYMENT) && es)
		avail = es->st_size;
	if (avail && avail < sizeof(wn_plugin_head)) {
		wn_loader_check(p, avail, name, path, d, file, line, col);
		dlclose(h);
		return WN_E_PLUGIN;
	}
	if (check_adopt(p, avail, name, path, out, d, file, line, col)) {
		dlclose(h);
		return WN_E_PLUGIN;
	}
	out->handle = h;
	out->path = wn_xstrdup(path);
	return WN_E_OK;
}

/* The plugin name of a .so path: its file name without ".so". */
static char *name_of_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".so") == 0)
		n -= 3;
	return wn_xstrndup(base, n);
}

wn_err wn_loader_load(const char *use, char *const *search, wn_loaded *out, wn_diag *d,
                      const char *file, int line, int col)
{
	memset(out, 0, sizeof(*out));
	if (strchr(use, '/')) {
		char *name = name_of_path(use);
		wn_err rc = load_so(use, name, out, d, file, line, col);
		free(name);
		return rc;
	}
	const wn_plugin *b = find_builtin(use);
	if (b) {
		if (check_adopt(b, 0, use, "(built-in)", out, d, file, line, col))
			return WN_E_PLUGIN;
		out->path = wn_xstrdup("(built-in)");
		return WN_E_OK;
	}
	for (char *const *dir = search; dir && *dir; dir++) {
		char *path = wn_xasprintf("%s/%s.so", *dir, use);
		if (access(path, F_OK) == 0) {
			wn_err rc = load_so(path, use, out, d, file, line, col);
			free(path);
			return rc;
		}
		free(path);
	}
	wn_diag_error(d, file, line, col,
	              "no plugin named '%s' (looked for %s.so in the plugin path; see `winnow "
	              "plugins`)",
	              use, use);
	return WN_E_PLUGIN;
}

void wn_loader_unload(wn_loaded *l)
{
	if (l->handle)
		dlclose(l->handle);
	free(l->opts);
	free(l->path);
	memset(l, 0, sizeof(*l));
}

static int seen(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void wn_loader_each(char *const *search, void (*fn)(const wn_loaded *l, void *arg), void *arg,
                    wn_diag *d)
{
	char **names = NULL;
	size_t n = 0;
	for (const wn_plugin *const *b = wn_builtin_plugins(); *b; b++) {
		wn_loaded l;
		if (wn_loader_load((*b)->name, NULL, &l, d, NULL, 0, 0) == 0) {
			fn(&l, arg);
			wn_loader_unload(&l);
		}
		push(&names, &n, wn_xstrdup((*b)->name));
	}
	for (char *const *dir = search; dir && *dir; dir++) {
		DIR *dp = opendir(*dir);
		if (!dp)
			continue;
		char **here = NULL;
		size_t nh = 0;
		struct dirent *e;
		while ((e = readdir(dp))) {
			size_t len = strlen(e->d_name);
			if (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0)
				push(&here, &nh, wn_xstrndup(e->d_name, len - 3));
		}
		closedir(dp);
		if (nh)
			qsort(here, nh, sizeof(*here), cmp_str);
		for (size_t i = 0; i < nh; i++) {
			if (!seen(names, n, here[i])) {
				char *path = wn_xasprintf("%s/%s.so", *dir, here[i]);
				wn_loaded l;
				if (load_so(path, here[i], &l, d, NULL, 0, 0) == 0) {
					fn(&l, arg);
					wn_loader_unload(&l);
				}
				free(path);
				push(&names, &n, here[i]);
			} else {
				free(here[i]);
			}
		}
		free(here);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
