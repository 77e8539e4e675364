/*
 * Config files: YAML (libyaml's document API) into a small tree that keeps
 * every node's file:line:col, then into the typed model the engine uses.
 *
 * Loading expands ${VAR} and ${VAR:-default} in every scalar, rejects
 * duplicate keys, and --set overrides are applied to the tree before
 * validation so they get the same checks. Validation rejects unknown keys
 * with a did-you-mean, and prints every error it finds (not just the first)
 * through a wn_diag.
 */
#ifndef WN_CONFIG_H
#define WN_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum wn_cfg_kind { WN_CFG_SCALAR = 1, WN_CFG_MAP, WN_CFG_SEQ };

typedef struct wn_cfg_node wn_cfg_node;
struct wn_cfg_node {
	int kind;
	char *value;        /* SCALAR: text after ${VAR} expansion */
	int plain;          /* SCALAR: 1 when unquoted (so `null`, `~` mean null) */
	const char *file;   /* where it came from: config path or "--set" */
	const char *base;   /* folder relative paths resolve against */
	int line, col;      /* 1-based */
	size_t n;           /* MAP: pairs; SEQ: items */
	wn_cfg_node **keys; /* MAP: key scalars */
	wn_cfg_node **vals; /* MAP: values; SEQ: items */
};

typedef struct wn_cfg_doc {
	char *path;   /* the config file as given */
	char *dir;    /* its folder */
	char *sha256; /* hex hash of the file bytes and the overrides */
	wn_cfg_node *root;
} wn_cfg_doc;

/* Parses `path`. On a syntax error, a duplicate key or an undefined
 * ${VAR} without default, prints the error(s) to d and returns NULL. */
wn_cfg_doc *wn_cfg_load(const char *path, wn_diag *d);
/* Same from a string; `name` is used in messages and `dir` for paths. */
wn_cfg_doc *wn_cfg_load_string(const char *text, const char *name, const char *dir, wn_diag *d);
void wn_cfg_free(wn_cfg_doc *doc);

/* Parses `text` as one YAML value with no ${VAR} expansion (plugin option
 * defaults, "--set k=[a, b]" values). Nodes point at `file` and `base`,
 * which must outlive the tree. Empty text is an empty plain scalar.
 * Returns a tree to free with wn_cfg_node_free, or NULL after an error. */
wn_cfg_node *wn_cfg_parse_value(const char *text, const char *file, const char *base, wn_diag *d);
void wn_cfg_node_free(wn_cfg_node *n);

/* Applies one "--set a.b.c=value" override. Path parts name mapping keys
 * from the root; a part that names a stage id (in sources, pipeline or
 * sinks) selects that stage, and a further part that is not an engine key
 * goes under its `with:` ("--set clean.min_words=50"). Missing maps are
 * created. Relative paths in the value resolve against the current
 * folder. Returns WN_E_OK, or WN_E_CONFIG with an error printed. */
wn_err wn_cfg_override(wn_cfg_doc *doc, const char *assign, wn_diag *d);

/* Value of `key` in MAP node, or NULL. */
wn_cfg_node *wn_cfg_get(const wn_cfg_node *map, const char *key);
/* Reports every key of MAP node not in `allowed` (NULL-terminated) as
 * "unknown key 'x' in <what> (did you mean 'y'?)". Returns the count. */
int wn_cfg_check_keys(const wn_cfg_node *map, const char *const *allowed, const char *what,
                      wn_diag *d);
/* The keys allowed at the top of a config and in a stage entry. */
extern const char *const wn_cfg_top_keys[];
extern const char *const wn_cfg_stage_keys[];
/* True when s is one of the NULL-terminated list. */
int wn_cfg_in_list(const char *s, const char *const *list);
/* Prints an error located at node n. */
void wn_cfg_error(wn_diag *d, const wn_cfg_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* True when n is null, absent or a plain `null`/`~`/empty scalar. */
int wn_cfg_is_null(const wn_cfg_node *n);

/* Scalar parsers: 0 on success, -1 when the text is not of that form. */
wn_err wn_parse_int(const char *s, int64_t *out);
wn_err wn_parse_real(const char *s, double *out);
wn_err wn_parse_bool(const char *s, int *out); /* true/false/yes/no/on/off/1/0 */
wn_err wn_parse_duration(const char *s,
                         int64_t *ms); /* "250ms" "20s" "5m" "1h" "2d"; bare = seconds */
wn_err wn_parse_size(const char *s, int64_t *bytes); /* "512" "64KB" "64KiB" "10MB" "1G" */

/* ---- the typed model ---------------------------------------------- */

enum wn_on_change { WN_ON_CHANGE_SKIP = 0, WN_ON_CHANGE_UPDATE };
enum wn_on_error {
	WN_ON_ERROR_DEAD_LETTER = 0,
	WN_ON_ERROR_DROP,
	WN_ON_ERROR_SKIP,
	WN_ON_ERROR_FAIL
};
enum wn_when_op {
	WN_WHEN_NONE = 0,
	WN_WHEN_EQ,
	WN_WHEN_NE,
	WN_WHEN_IN,
	WN_WHEN_EXISTS,
	WN_WHEN_MISSING
};

/* `when: { field: lang, eq: en }` (or ne, in: [..], exists: true/false). */
typedef struct wn_when {
	int op;
	char *field;
	char **values; /* EQ/NE: one; IN: several; NULL-terminated */
} wn_when;

typedef struct wn_retry {
	int max;                /* attempts after the first; default 3 */
	int64_t backoff_ms;     /* first delay; doubles each time, with jitter; default 200 */
	int64_t max_backoff_ms; /* cap; default 30000 */
} wn_retry;

typedef struct wn_stage_cfg {
	char *id;
	char *use;
	int section;             /* WN_KIND_SOURCE / TRANSFORM / SINK by section */
	const wn_cfg_node *node; /* the stage's mapping, for error locations */
	const wn_cfg_node *with; /* plugin options mapping, or NULL */
	wn_when when;
	int on_error;
	wn_retry retry;
} wn_stage_cfg;

typedef struct wn_config {
	wn_cfg_doc *doc;
	int version;
	/* run: */
	char *name;
	char *output_dir;          /* absolute or relative to cwd after resolution */
	char *state;               /* state store path, or NULL */
	char *lock;                /* lock file path */
	int workers;               /* transform threads, default 2 */
	int batch_size;            /* records per batch, default 64 */
	int queue_batches;         /* batches in flight, default 4 * workers */
	int64_t time_budget_ms;    /* 0 = none */
	int64_t record_timeout_ms; /* run.record_timeout: a plugin call longer than this is
	                              given up (watchdog.h); 0 = never */
	int64_t max_record_bytes;  /* record size cap, default 64 MiB */
	char **plugin_path;        /* extra plugin folders, NULL-terminated */
	int keep;                  /* run.keep: finished runs to retain; 0 = all (default) */
	int64_t retry_backoff_ms;  /* run.retry_backoff: wait after a record's first failure,
	                              doubled per failure (0 = try every run) */
	int gone_after;            /* run.gone_after: runs a URL answers 404 before it is
	                              remembered as gone (410: at once); 0 = never */
	int on_change;             /* run.on_change: WN_ON_CHANGE_SKIP (default) or _UPDATE */
	char *latest;  /* run.latest: symlink to the last committed output folder, or NULL */
	char *metrics; /* run.metrics: Prometheus textfile, relative to output_dir; "" = none */
	/* A shard of a sharded run (shard.c): the state store is opened
	 * read-only and the ledger's rows go to this output file (a static
	 * string, not freed) for `winnow merge` to commit; NULL otherwise. */
	const char *state_journal;
	/* dedup: */
	struct {
		int exact, near;  /* exact and near duplicates dropped (default both on) */
		double threshold; /* near: Jaccard, default 0.8 */
		int shingle;      /* words per shingle, default 5 */
		char *field;      /* the text compared, default "text" */
	} dedup;
	/* dead_letter: */
	char *dead_letter; /* path relative to output_dir, default dead_letter.jsonl */
	char *drop_log; /* dead_letter.drops: dropped records, default dropped.jsonl; "" = none */
	/* http: kept as a node for the HTTP service to read */
	const wn_cfg_node *http;
	/* stages in order: sources, then pipeline, then sinks */
	wn_stage_cfg *stages;
	size_t n_stages, n_sources, n_transforms, n_sinks;
} wn_config;

/* Builds the model from a loaded document: checks every section and engine
 * key (plugin options under `with:` are checked later by the schema).
 * Stage ids default to `use` and must be unique. Returns WN_E_OK, or
 * WN_E_CONFIG after printing every error found. Takes ownership of doc. */
wn_err wn_config_build(wn_cfg_doc *doc, wn_config *cfg, wn_diag *d);
void wn_config_free(wn_config *cfg);

#endif
