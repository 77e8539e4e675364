/*
 * Option schemas: one validator for every configured mapping. A plugin's
 * `with:` is checked against the plugin's wn_option table; the engine's
 * own sections (`run:`, `http:`, `dedup:`, `dead_letter:`, a stage's
 * engine keys, `retry:`) against wn_key tables (config_keys.c). Both are
 * walked by the same code, so every value error has the same wording, the
 * same file:line:col, the same duration/size/enum/range handling and the
 * same did-you-mean. The tables also print themselves (`winnow plugins
 * NAME`, `winnow help config`) and generate docs/config.md's key tables.
 */
#ifndef WN_SCHEMA_H
#define WN_SCHEMA_H

#include <stdio.h>

#include "config.h"
#include "winnow/plugin.h"

/* Memory that option values point into; lives until wn_pool_free. */
typedef struct wn_pool {
	void **ptrs;
	size_t n, cap;
} wn_pool;
void *wn_pool_keep(wn_pool *p, void *ptr); /* takes ownership, returns ptr */
void wn_pool_free(wn_pool *p);

/* Validates `with` (a MAP or NULL) against p->options and fills `state`
 * (p->state_size zeroed bytes): defaults first, then configured values.
 * Errors (unknown option with did-you-mean, wrong type, out of bounds,
 * bad enum choice, missing required) are printed at the node's
 * file:line:col, naming the stage id. Strings and lists are allocated in
 * `pool`. Relative WN_OPT_PATH values resolve against the node's base
 * folder (for defaults: `default_base`). Returns the number of errors. */
int wn_schema_apply(const wn_plugin *p, const char *stage_id, const wn_cfg_node *with, void *state,
                    const char *default_base, wn_pool *pool, wn_diag *d);

/* wn_schema_apply for a configured stage (st->id, st->with); a missing
 * required option is reported at the stage entry when it has no `with:`,
 * so the error still has a file:line:col. Returns the number of errors. */
int wn_schema_apply_stage(const wn_plugin *p, const wn_stage_cfg *st, void *state,
                          const char *default_base, wn_pool *pool, wn_diag *d);

/* Checks a descriptor's option table itself (names unique and non-empty,
 * known types, offsets inside state_size, defaults that parse). Used by
 * the loader before the plugin is accepted. Returns errors printed. */
int wn_schema_check_table(const wn_plugin *p, const char *where, wn_diag *d);

/* Prints the options table: name, type, default, required, help. */
void wn_schema_print(const wn_plugin *p, FILE *out);

/* Human name of an option type ("string", "duration", ...). */
const char *wn_opt_type_name(int type);

/* ---- engine key tables -------------------------------------------------- */

/* Key types beside enum wn_opt_type that only engine tables use. */
enum wn_key_type {
	WN_KEY_CUSTOM = 100 /* checked and written by the row's `parse` (a stage's `when:`) */
};

/* How a row treats null and empty values, and other departures from the
 * plugin rules (where null keeps the default of a number and clears a
 * string or list). */
enum wn_key_flag {
	WN_KEY_NULL_OFF = 1,      /* null means off: 0, or "" for a string */
	WN_KEY_EMPTY_DEFAULT = 2, /* null or "" keeps the default */
	WN_KEY_NONEMPTY = 4,      /* a quoted "" (or an empty list item) is an error */
	WN_KEY_PATHS = 8,         /* WN_OPT_LIST: items are paths, resolved as WN_OPT_PATH */
	WN_KEY_ABOVE_MIN = 16,    /* the lower bound is exclusive: (min, max] */
	WN_KEY_MANUAL = 32        /* checked by hand by the caller: listed, not applied */
};

struct wn_section;

/* One engine key: the plugin option row plus what the engine needs more.
 * Build rows with designated initialisers (config_keys.c has macros), so
 * a member added to wn_option never shifts them. */
typedef struct wn_key {
	wn_option opt;     /* name, type, def (YAML text), offset, help, choices, bounds */
	unsigned flags;    /* enum wn_key_flag */
	size_t csize;      /* WN_OPT_INT: sizeof the member (int or int64_t); 0 = int64_t */
	const char *shown; /* the default as documented when code computes it, else NULL */
	const char *tname; /* type as documented for WN_KEY_* rows ("condition") */
	const char *range; /* range as documented when the bounds cannot say it */
	/* WN_KEY_CUSTOM: checks v and writes it into the struct at `base`;
	 * returns the number of errors printed to d. */
	int (*parse)(const wn_cfg_node *v, void *base, wn_diag *d);
	const struct wn_section *sub; /* keys of a nested mapping, for help and docs */
} wn_key;

/* A section: its table over one C struct. */
typedef struct wn_section {
	const char *name;   /* "run": messages name keys "run.workers"; NULL: bare names */
	const char *title;  /* one line for `winnow help config` */
	const wn_key *keys; /* ends with a row whose opt.name is NULL */
	size_t size;        /* sizeof the struct the offsets point into */
} wn_section;

/* How one mapping is applied. */
typedef struct wn_apply {
	const char *prefix;    /* message prefix ("stage 'x'"), or NULL */
	const char *what;      /* unknown-key messages: "unknown key 'k' in WHAT" */
	const char *base;      /* folder that relative paths in defaults resolve against */
	wn_pool *pool;         /* NULL: values are owned by the struct (wn_section_free) */
	int skip_unknown;      /* 1: the caller reports unknown keys itself */
	const wn_cfg_node *at; /* where a missing required key is reported */
	wn_diag *d;
} wn_apply;

/* Writes every default of s into `st` (sizeof s->size; zeroed, or holding
 * values of an earlier apply in owned mode), then checks `map` (a MAP or
 * NULL) against the table and writes its values. Unknown keys get a
 * did-you-mean unless a->skip_unknown. WN_KEY_MANUAL rows are skipped.
 * Returns the number of errors printed. */
int wn_section_apply(const wn_section *s, const wn_cfg_node *map, void *st, const wn_apply *a);

/* Applies one row to one value node (a scalar given for a mapping: the
 * `retry: 3` form), with the same checks and wording. Returns errors. */
int wn_section_apply_key(const wn_section *s, const char *key, const wn_cfg_node *v, void *st,
                         const wn_apply *a);

/* Frees what an owned-mode apply allocated in `st` (strings and lists of
 * the table) and zeroes those members. */
void wn_section_free(const wn_section *s, void *st);

/* Deep-copies the table's strings and lists of src into dst, after a
 * plain struct copy by the caller (dst is then freed with
 * wn_section_free). */
void wn_section_dup(const wn_section *s, void *dst);

/* Checks a table as wn_schema_check_table checks a plugin's (names,
 * types, offsets, member sizes, defaults that parse). Returns errors. */
int wn_section_check(const wn_section *s, wn_diag *d);

/* Prints the table for `winnow help config`: key, type, default, range,
 * meaning; nested tables follow their row as "key.sub". */
void wn_section_print(const wn_section *s, FILE *out);

/* The same as a Markdown table (docs/config.md). */
void wn_section_markdown(const wn_section *s, FILE *out);

#endif
