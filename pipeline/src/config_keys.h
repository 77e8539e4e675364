/*
 * The engine's config keys, declared as tables (config_keys.c) that the
 * one validator in schema.c applies: `run:`, `dead_letter:` and `dedup:`
 * over wn_config, `http:` over wn_http_opts, a stage's engine keys over
 * wn_stage_cfg and `retry:` over wn_retry. `winnow help config` prints
 * them and docs/config.md's key tables are generated from them
 * (scripts/config-doc; tests/e2e/config_doc.sh fails on drift).
 *
 * Adding a key to a section is one row here plus the struct member and
 * its use: parsing, defaults, errors, freeing, copying, help and docs
 * follow from the row.
 */
#ifndef WN_CONFIG_KEYS_H
#define WN_CONFIG_KEYS_H

#include "schema.h"

extern const wn_section wn_run_section;         /* run: over wn_config */
extern const wn_section wn_dead_letter_section; /* dead_letter: over wn_config */
extern const wn_section wn_dedup_section;       /* dedup: over wn_config */
extern const wn_section wn_http_section;        /* http: over wn_http_opts */
extern const wn_section wn_stage_section;       /* a stage entry over wn_stage_cfg */
extern const wn_section wn_retry_section;       /* a stage's retry: over wn_retry */

/* The sections `winnow help config` knows, by the name it takes. */
typedef struct wn_config_topic {
	const char *name; /* "run", "http", "dead_letter", "dedup", "stage", "retry" */
	const wn_section *section;
} wn_config_topic;
extern const wn_config_topic wn_config_topics[]; /* ends with a NULL name */

/* The stage rows config_model.c implements: `when:` and `with:` (the
 * row's base is the wn_stage_cfg) and `retry:` (a count, or a mapping
 * applied with wn_retry_section). Each returns the errors it printed. */
int wn_cfg_parse_when(const wn_cfg_node *v, void *stage, wn_diag *d);
int wn_cfg_parse_with(const wn_cfg_node *v, void *stage, wn_diag *d);
int wn_cfg_parse_retry(const wn_cfg_node *v, void *stage, wn_diag *d);

/* `winnow help config [SECTION] [--markdown]`: argv[0] is "config".
 * Prints every section's keys (type, default, range, meaning), or one
 * section's, as text or as the Markdown table docs/config.md holds.
 * Returns the exit code: 0, or 64 for an unknown section or argument. */
int wn_config_help(int argc, char **argv, FILE *out);

#endif
