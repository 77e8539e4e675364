/*
 * Plugin option schemas: validating a stage's `with:` mapping against the
 * plugin's option table, writing the values into its instance state at the
 * declared offsets, and printing the table for `winnow plugins NAME`.
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

#endif
