/*
 * Plugin loading: finding a plugin by name (built-in table first, then
 * NAME.so in the search path), reading its descriptor as data and checking
 * it (ABI major/minor, struct and option sizes, name, kind, callbacks,
 * option table) before any of its callbacks runs. The header words are
 * checked from the file before dlopen, so a plugin of another ABI runs no
 * code at all, not even its ELF constructors.
 */
#ifndef WN_LOADER_H
#define WN_LOADER_H

#include "util.h"
#include "winnow/plugin.h"

/* Descriptors linked into the runner, NULL-terminated. The runner's
 * generated builtin_plugins.c defines this function; the core's weak
 * one (unit tests, the harness) returns an empty table. A function, not
 * a weak array: an optimiser may fold reads of a weak const array's
 * initialiser into code (clang -O1 did, and no plugin was found). */
const wn_plugin *const *wn_builtin_plugins(void);

/* The first four words of every descriptor, ABI 1.x included (1.x had
 * three, then `kind`): what can be checked before the plugin is opened. */
typedef struct wn_plugin_head {
	uint32_t abi_major, abi_minor, struct_size, option_size;
} wn_plugin_head;

typedef struct wn_loaded {
	wn_plugin desc;  /* host-sized copy: members past the plugin's struct_size are zero */
	wn_option *opts; /* host-strided copy of desc.options when the plugin's
	                  * option_size differs from the host's, else NULL */
	void *handle;    /* dlopen handle, NULL for built-ins */
	char *path;      /* .so path, or "(built-in)" */
} wn_loaded;

/* The plugin search path: `extra` folders (NULL-terminated, may be NULL),
 * then $WINNOW_PLUGIN_PATH (colon-separated), then <exe dir>/plugins and
 * <exe dir>/../lib/winnow/plugins, then the install folder. Heap array of
 * heap strings, NULL-terminated; free with wn_loader_free_path. */
char **wn_loader_search_path(char *const *extra);
void wn_loader_free_path(char **path);

/* Loads plugin `use`: a bare name (built-in or NAME.so on the path) or a
 * path to a .so file (containing '/'), whose descriptor is then
 * wn_plugin_<basename>. Validates it; on failure prints a clear message
 * located at file:line:col (line 0 for none) and returns WN_E_PLUGIN. */
wn_err wn_loader_load(const char *use, char *const *search, wn_loaded *out, wn_diag *d,
                      const char *file, int line, int col);
void wn_loader_unload(wn_loaded *l);

/* Checks a descriptor's header words (ABI major and minor, struct_size,
 * option_size) for plugin `name` at `path`; prints the problem. `avail`
 * is the symbol's size, or 0 when unknown. Returns 0 when they pass. */
wn_err wn_loader_check_head(const wn_plugin_head *h, size_t avail, const char *name,
                            const char *path, wn_diag *d, const char *file, int line, int col);

/* Checks a descriptor read from `path` for plugin `name`: its header words,
 * then the rest through the host-sized copy; prints the problems. `avail`
 * is how many bytes of descriptor are readable (from the symbol's size),
 * or 0 when unknown. Returns 0 when loadable. */
wn_err wn_loader_check(const wn_plugin *p, size_t avail, const char *name, const char *path,
                       wn_diag *d, const char *file, int line, int col);

/* Calls fn for every plugin found (built-ins, then every NAME.so on the
 * path, first one of a name wins); unloadable ones are reported to d. */
void wn_loader_each(char *const *search, void (*fn)(const wn_loaded *l, void *arg), void *arg,
                    wn_diag *d);

/* "source", "transform", "sink" or "?" */
const char *wn_kind_name(int kind);

#endif
