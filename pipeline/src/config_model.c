/*
 * The typed config model: every section and engine key of a loaded config
 * checked and turned into wn_config, with every error printed at its
 * file:line:col. Plugin options under `with:` are schema.c's. See config.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "run_ident.h"
#include "winnow/plugin.h"

/* ---- the typed model -------------------------------------------------- */

/* Build-time context: the doc being read, the diag, the ids seen so far. */
typedef struct model {
	wn_config *cfg;
	wn_diag *d;
	const wn_cfg_node **id_nodes; /* one per stage, for duplicate reports */
} model;

/* The scalar text of n, or NULL after an error naming `what`. */
static const char *want_scalar(model *m, const wn_cfg_node *n, const char *what)
{
	if (n->kind == WN_CFG_SCALAR)
		return n->value;
	wn_cfg_error(m->d, n, "%s must be a single value, not a %s", what,
	             n->kind == WN_CFG_MAP ? "mapping" : "list");
	return NULL;
}

/* An integer in [lo, hi] from n into *out (left alone on error). */
static void want_int(model *m, const wn_cfg_node *n, const char *what, int64_t lo, int64_t hi,
                     int *out)
{
	const char *s = want_scalar(m, n, what);
	int64_t v;
	if (!s)
		return;
	if (wn_parse_int(s, &v) || v < lo || v > hi)
		wn_cfg_error(m->d, n, "%s must be an integer from %lld to %lld, not '%s'", what,
		             (long long)lo, (long long)hi, s);
	else
		*out = (int)v;
}

static void want_duration(model *m, const wn_cfg_node *n, const char *what, int64_t *out)
{
	const char *s = want_scalar(m, n, what);
	if (s && wn_parse_duration(s, out))
		wn_cfg_error(m->d, n,
		             "%s must be a duration like 250ms, 20s, 5m, 1h or 2d, not '%s'", what,
		             s);
}

/* A path from n resolved against the folder n came from. */
static char *want_path(model *m, const wn_cfg_node *n, const char *what)
{
	const char *s = want_scalar(m, n, what);
	if (!s)
		return NULL;
	if (!*s) {
		wn_cfg_error(m->d, n, "%s must not be empty", what);
		return NULL;
	}
	return wn_path_join(n->base, s);
}

/* A MAP node, or NULL for absent/null; a wrong kind is an error. */
static const wn_cfg_node *want_map(model *m, const wn_cfg_node *n, const char *what)
{
	if (wn_cfg_is_null(n))
		return NULL;
	if (n->kind == WN_CFG_MAP)
		return n;
	wn_cfg_error(m->d, n, "%s must be a mapping (key: value pairs)", what);
	return NULL;
}

static char *file_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	return wn_xstrndup(base, n ? n : strlen(base));
}

static void build_plugin_path(model *m, const wn_cfg_node *n)
{
	if (wn_cfg_is_null(n))
		return;
	if (n->kind == WN_CFG_MAP) {
		wn_cfg_error(m->d, n, "run.plugin_path must be a folder or a list of folders");
		return;
	}
	size_t cnt = n->kind == WN_CFG_SEQ ? n->n : 1;
	char **out = wn_xcalloc(cnt + 1, sizeof *out);
	size_t k = 0;
	for (size_t i = 0; i < cnt; i++) {
		char *p = want_path(m, n->kind == WN_CFG_SEQ ? n->vals[i] : n, "run.plugin_path");
		if (p)
			out[k++] = p;
	}
	m->cfg->plugin_path = out;
}

/* The lock every run of this config takes: beside the state store when
 * there is one; else in the output folder, or in its parent when the
 * folder is made per run (its path carries the run's id or date), so
 * that runs into different folders still exclude each other. */
static char *default_lock(const wn_config *c)
{
	if (c->state)
		return wn_xasprintf("%s.lock", c->state);
	if (wn_output_dir_per_run(c->output_dir)) {
		char *parent = wn_dirname(c->output_dir);
		char *lock = wn_path_join(parent, ".winnow.lock");
		free(parent);
		return lock;
	}
	return wn_path_join(c->output_dir, ".winnow.lock");
}

static void build_run(model *m, const wn_cfg_node *run)
{
	static const char *const keys[] = {"name",           "output_dir",    "state",
	                                   "lock",           "workers",       "batch_size",
	                                   "queue",          "time_budget",   "max_record_size",
	                                   "plugin_path",    "keep",          "on_change",
	                                   "latest",         "metrics",       "gone_after",
	                                   "record_timeout", "retry_backoff", NULL};
	wn_config *c = m->cfg;
	const wn_cfg_node *n;
	wn_cfg_check_keys(run, keys, "run", m->d);
	const char *s = (n = wn_cfg_get(run, "name")) ? want_scalar(m, n, "run.name") : NULL;
	c->name = s && *s ? wn_xstrdup(s) : file_stem(c->doc->path);
	if ((n = wn_cfg_get(run, "output_dir")))
		c->output_dir = want_path(m, n, "run.output_dir");
	if (!c->output_dir)
		c->output_dir = wn_path_join(c->doc->dir, "output");
	if ((n = wn_cfg_get(run, "state")) && !wn_cfg_is_null(n))
		c->state = want_path(m, n, "run.state");
	if ((n = wn_cfg_get(run, "lock")) && !wn_cfg_is_null(n))
		c->lock = want_path(m, n, "run.lock");
	if (!c->lock)
		c->lock = default_lock(c);
	c->workers = 2;
	if ((n = wn_cfg_get(run, "workers")))
		want_int(m, n, "run.workers", 1, 256, &c->workers);
	c->batch_size = 64;
	if ((n = wn_cfg_get(run, "batch_size")))
		want_int(m, n, "run.batch_size", 1, 100000, &c->batch_size);
	c->queue_batches = 4 * c->workers;
	if ((n = wn_cfg_get(run, "queue")))
		want_int(m, n, "run.queue", 1, 65536, &c->queue_batches);
	if ((n = wn_cfg_get(run, "time_budget")) && !wn_cfg_is_null(n))
		want_duration(m, n, "run.time_budget", &c->time_budget_ms);
	c->record_timeout_ms = 10 * 60 * 1000;
	if ((n = wn_cfg_get(run, "record_timeout")))
		c->record_timeout_ms = 0; /* null or 0: never */
	if (n && !wn_cfg_is_null(n))
		want_duration(m, n, "run.record_timeout", &c->record_timeout_ms);
	c->max_record_bytes = 64ll << 20;
	if ((n = wn_cfg_get(run, "max_record_size")) &&
	    (s = want_scalar(m, n, "run.max_record_size"))) {
		int64_t v;
		if (wn_parse_size(s, &v) || v < 1024)
			wn_cfg_error(
			    m->d, n,
			    "run.max_record_size must be a size of at least 1KiB like 512KiB "
			    "or 64MiB, not '%s'",
			    s);
		else
			c->max_record_bytes = v;
	}
	build_plugin_path(m, wn_cfg_get(run, "plugin_path"));
	if ((n = wn_cfg_get(run, "keep")))
		want_int(m, n, "run.keep", 0, INT_MAX, &c->keep);
	c->retry_backoff_ms = 60 * 60 * 1000;
	if ((n = wn_cfg_get(run, "retry_backoff")))
		c->retry_backoff_ms = 0; /* null or 0: try every run */
	if (n && !wn_cfg_is_null(n))
		want_duration(m, n, "run.retry_backoff", &c->retry_backoff_ms);
	c->gone_after = 3;
	if ((n = wn_cfg_get(run, "gone_after")))
		want_int(m, n, "run.gone_after", 0, 1000, &c->gone_after);
	if ((n = wn_cfg_get(run, "on_change")) && (s = want_scalar(m, n, "run.on_change"))) {
		if (strcmp(s, "update") == 0)
			c->on_change = WN_ON_CHANGE_UPDATE;
		else if (strcmp(s, "skip") != 0)
			wn_cfg_error(m->d, n, "run.on_change must be skip or update, not '%s'", s);
	}
	if ((n = wn_cfg_get(run, "latest")) && !wn_cfg_is_null(n))
		c->latest = want_path(m, n, "run.latest");
	c->metrics = wn_xstrdup("metrics.prom");
	if ((n = wn_cfg_get(run, "metrics")) && (s = want_scalar(m, n, "run.metrics"))) {
		free(c->metrics); /* relative to output_dir, so not resolved here */
		c->metrics = wn_xstrdup(wn_cfg_is_null(n) ? "" : s);
	}
}

static void build_dead_letter(model *m, const wn_cfg_node *dl)
{
	static const char *const keys[] = {"path", "drops", NULL};
	const wn_cfg_node *n = wn_cfg_get(dl, "path");
	const char *s;
	wn_cfg_check_keys(dl, keys, "dead_letter", m->d);
	const wn_cfg_node *dn = wn_cfg_get(dl, "drops");
	m->cfg->drop_log = wn_xstrdup("dropped.jsonl");
	if (dn && (s = want_scalar(m, dn, "dead_letter.drops"))) {
		free(m->cfg->drop_log);
		m->cfg->drop_log = wn_xstrdup(wn_cfg_is_null(dn) ? "" : s);
	}
	/* Relative to output_dir, so it is not resolved here. */
	if (n && (s = want_scalar(m, n, "dead_letter.path")) && *s)
		m->cfg->dead_letter = wn_xstrdup(s);
	if (!m->cfg->dead_letter)
		m->cfg->dead_letter = wn_xstrdup("dead_letter.jsonl");
}

static void want_bool(model *m, const wn_cfg_node *n, const char *what, int *out)
{
	const char *s = want_scalar(m, n, what);
	if (s && wn_parse_bool(s, out))
		wn_cfg_error(m->d, n, "%s must be true or false, not '%s'", what, s);
}

/* dedup: { exact, near, threshold, shingle, field } */
static void build_dedup(model *m, const wn_cfg_node *dd)
{
	static const char *const keys[] = {"exact", "near", "threshold", "shingle", "field", NULL};
	wn_config *c = m->cfg;
	c->dedup.exact = c->dedup.near = 1;
	c->dedup.threshold = 0.8;
	c->dedup.shingle = 5;
	c->dedup.field = wn_xstrdup("text");
	if (!dd)
		return;
	wn_cfg_check_keys(dd, keys, "dedup", m->d);
	const wn_cfg_node *n;
	const char *s;
	if ((n = wn_cfg_get(dd, "exact")))
		want_bool(m, n, "dedup.exact", &c->dedup.exact);
	if ((n = wn_cfg_get(dd, "near")))
		want_bool(m, n, "dedup.near", &c->dedup.near);
	if ((n = wn_cfg_get(dd, "shingle")))
		want_int(m, n, "dedup.shingle", 1, 16, &c->dedup.shingle);
	if ((n = wn_cfg_get(dd, "threshold")) && (s = want_scalar(m, n, "dedup.threshold"))) {
		double v;
		if (wn_parse_real(s, &v) || !(v > 0 && v <= 1))
			wn_cfg_error(m->d, n,
			             "dedup.threshold must be a number in (0, 1], not '%s'", s);
		else
			c->dedup.threshold = v;
	}
	if ((n = wn_cfg_get(dd, "field")) && (s = want_scalar(m, n, "dedup.field")) && *s) {
		free(c->dedup.field);
		c->dedup.field = wn_xstrdup(s);
	}
}

/* Names that reach file names and --set paths: keep them plain. */
static int plain_name(const char *s, int allow_dash)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && !(allow_dash && *s == '-'))
			return 0;
	return 1;
}

static char **one_value(const char *s)
{
	char **v = wn_xcalloc(2, sizeof *v);
	v[0] = wn_xstrdup(s);
	return v;
}

static void build_when_in(model *m, wn_stage_cfg *st, const wn_cfg_node *n)
{
	if (n->kind != WN_CFG_SEQ || n->n == 0) {
		wn_cfg_error(m->d, n, "stage '%s': when.in must be a non-empty list", st->id);
		return;
	}
	st->when.values = wn_xcalloc(n->n + 1, sizeof(char *));
	for (size_t i = 0, k = 0; i < n->n; i++) {
		const char *s = want_scalar(m, n->vals[i], "each when.in item");
		if (s)
			st->when.values[k++] = wn_xstrdup(s);
	}
}

static void build_when(model *m, wn_stage_cfg *st, const wn_cfg_node *w)
{
	static const char *const keys[] = {"field", "eq", "ne", "in", "exists", NULL};
	static const char *const ops[] = {"eq", "ne", "in", "exists", NULL};
	char *what = wn_xasprintf("when of stage '%s'", st->id);
	wn_cfg_check_keys(w, keys, what, m->d);
	free(what);
	const wn_cfg_node *f = wn_cfg_get(w, "field"), *opn = NULL;
	const char *s;
	if (!f)
		wn_cfg_error(m->d, w, "stage '%s': when needs a 'field'", st->id);
	else if ((s = want_scalar(m, f, "when.field")))
		st->when.field = wn_xstrdup(s);
	int nops = 0, op = 0;
	for (int i = 0; ops[i]; i++) {
		const wn_cfg_node *n = wn_cfg_get(w, ops[i]);
		if (n) {
			nops++;
			if (nops == 2)
				wn_cfg_error(m->d, n,
				             "stage '%s': when takes exactly one of eq, ne, in, "
				             "exists",
				             st->id);
			opn = n;
			op = i;
		}
	}
	if (nops == 0)
		wn_cfg_error(m->d, w, "stage '%s': when needs one of eq, ne, in, exists", st->id);
	if (nops != 1)
		return;
	if (op == 0 || op == 1) {
		st->when.op = op == 0 ? WN_WHEN_EQ : WN_WHEN_NE;
		if ((s = want_scalar(m, opn, op == 0 ? "when.eq" : "when.ne")))
			st->when.values = one_value(s);
	} else if (op == 2) {
		st->when.op = WN_WHEN_IN;
		build_when_in(m, st, opn);
	} else {
		int yes;
		if (!(s = want_scalar(m, opn, "when.exists")))
			return;
		if (wn_parse_bool(s, &yes))
			wn_cfg_error(m->d, opn, "when.exists must be true or false, not '%s'", s);
		else
			st->when.op = yes ? WN_WHEN_EXISTS : WN_WHEN_MISSING;
		st->when.values = wn_xcalloc(1, sizeof(char *));
	}
}

static void build_retry(model *m, wn_stage_cfg *st, const wn_cfg_node *r)
{
	static const char *const keys[] = {"max", "backoff", "max_backoff", NULL};
	const wn_cfg_node *n;
	if (r->kind == WN_CFG_SCALAR) {
		want_int(m, r, "retry", 0, 100, &st->retry.max);
		return;
	}
	if (!want_map(m, r, "retry (a count, or {max, backoff, max_backoff})"))
		return;
	char *what = wn_xasprintf("retry of stage '%s'", st->id);
	wn_cfg_check_keys(r, keys, what, m->d);
	free(what);
	if ((n = wn_cfg_get(r, "max")))
		want_int(m, n, "retry.max", 0, 100, &st->retry.max);
	if ((n = wn_cfg_get(r, "backoff")))
		want_duration(m, n, "retry.backoff", &st->retry.backoff_ms);
	if ((n = wn_cfg_get(r, "max_backoff")))
		want_duration(m, n, "retry.max_backoff", &st->retry.max_backoff_ms);
	if (st->retry.max_backoff_ms < st->retry.backoff_ms)
		wn_cfg_error(m->d, r, "stage '%s': retry.max_backoff is shorter than retry.backoff",
		             st->id);
}

static void build_on_error(model *m, wn_stage_cfg *st, const wn_cfg_node *n)
{
	static const char *const names[] = {"dead_letter", "drop", "skip", "fail", NULL};
	const char *s = want_scalar(m, n, "on_error");
	if (!s)
		return;
	for (int i = 0; names[i]; i++) {
		if (strcmp(s, names[i]) == 0) {
			st->on_error = i; /* same order as enum wn_on_error */
			return;
		}
	}
	const char *best = wn_closest(s, names);
	wn_cfg_error(
	    m->d, n, "stage '%s': on_error must be dead_letter, drop, skip or fail, not '%s'%s%s%s",
	    st->id, s, best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
}

/* Unknown keys in a stage entry. A key close to an engine key is a typo;
 * anything else is most likely a plugin option put beside `use`. */
/* The allowed keys not already present in map. For stage entries a key
 * that is there is never the one a typo meant: 'url' beside 'use' is a
 * plugin option, not a misspelt 'use'. Returned array is heap, NULL-terminated. */
static const char **absent_keys(const wn_cfg_node *map, const char *const *allowed)
{
	size_t n = 0;
	while (allowed[n])
		n++;
	const char **out = wn_xcalloc(n + 1, sizeof *out);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!wn_cfg_get(map, allowed[i]))
			out[k++] = allowed[i];
	return out;
}

static void check_stage_keys(model *m, const wn_stage_cfg *st, const wn_cfg_node *e)
{
	const char **cands = absent_keys(e, wn_cfg_stage_keys);
	for (size_t i = 0; i < e->n; i++) {
		const wn_cfg_node *k = e->keys[i];
		if (wn_cfg_in_list(k->value, wn_cfg_stage_keys))
			continue;
		const char *best = wn_closest(k->value, cands);
		if (best)
			wn_cfg_error(m->d, k, "unknown key '%s' in stage '%s' (did you mean '%s'?)",
			             k->value, st->id, best);
		else
			wn_cfg_error(m->d, k,
			             "unknown key '%s' in stage '%s' (plugin options go under "
			             "'with:')",
			             k->value, st->id);
	}
	free(cands);
}

/* The id node (or use node) of the stage; reports a duplicate id. */
static void check_stage_id(model *m, wn_stage_cfg *st, const wn_cfg_node *idn)
{
	size_t idx = (size_t)(st - m->cfg->stages);
	m->id_nodes[idx] = idn;
	for (size_t i = 0; i < idx; i++) {
		if (m->cfg->stages[i].id && strcmp(m->cfg->stages[i].id, st->id) == 0) {
			wn_cfg_error(m->d, idn,
			             "duplicate stage id '%s' (first used at line %d; give each "
			             "stage its own 'id:')",
			             st->id, m->id_nodes[i]->line);
			return;
		}
	}
}

static void build_stage(model *m, wn_stage_cfg *st, const wn_cfg_node *e, const char *section,
                        size_t pos)
{
	const wn_cfg_node *use = wn_cfg_get(e, "use"), *idn = wn_cfg_get(e, "id"), *n;
	const char *s;
	st->node = e;
	st->retry = (wn_retry){3, 200, 30000};
	if (use && (s = want_scalar(m, use, "use"))) {
		if (plain_name(s, 0))
			st->use = wn_xstrdup(s);
		else
			wn_cfg_error(m->d, use,
			             "'use: %s' is not a plugin name (letters, digits and '_')", s);
	} else if (!use) {
		wn_cfg_error(m->d, e, "stage %zu in %s has no 'use:' (the plugin to run)", pos + 1,
		             section);
	}
	if (idn && (s = want_scalar(m, idn, "id")) && !plain_name(s, 1))
		wn_cfg_error(m->d, idn, "stage id '%s' may only use letters, digits, '_' and '-'",
		             s);
	else if (idn && s)
		st->id = wn_xstrdup(s);
	if (!st->id && !idn && st->use)
		st->id = wn_xstrdup(st->use);
	if (st->id)
		check_stage_id(m, st, idn ? idn : use);
	if (!st->id)
		st->id = wn_xasprintf("%s[%zu]", section, pos);
	check_stage_keys(m, st, e);
	if ((n = wn_cfg_get(e, "when")) && want_map(m, n, "when"))
		build_when(m, st, n);
	if ((n = wn_cfg_get(e, "on_error")))
		build_on_error(m, st, n);
	if ((n = wn_cfg_get(e, "retry")))
		build_retry(m, st, n);
	if ((n = wn_cfg_get(e, "with")))
		st->with = want_map(m, n, "with");
}

static void build_section(model *m, const char *section, int kind, int required, size_t *count)
{
	const wn_cfg_node *root = m->cfg->doc->root, *seq = wn_cfg_get(root, section);
	if (wn_cfg_is_null(seq) || (seq->kind == WN_CFG_SEQ && seq->n == 0)) {
		if (required)
			wn_cfg_error(m->d, seq ? seq : root,
			             "'%s' must list at least one stage (- use: PLUGIN)", section);
		return;
	}
	if (seq->kind != WN_CFG_SEQ) {
		wn_cfg_error(m->d, seq, "'%s' must be a list of stages (- use: PLUGIN)", section);
		return;
	}
	for (size_t i = 0; i < seq->n; i++) {
		if (seq->vals[i]->kind != WN_CFG_MAP) {
			wn_cfg_error(m->d, seq->vals[i],
			             "each stage in %s must be a mapping with 'use:'", section);
			continue;
		}
		wn_stage_cfg *st = &m->cfg->stages[m->cfg->n_stages++];
		st->section = kind;
		build_stage(m, st, seq->vals[i], section, i);
		(*count)++;
	}
}

static size_t seq_len(const wn_cfg_node *root, const char *key)
{
	const wn_cfg_node *n = wn_cfg_get(root, key);
	return n && n->kind == WN_CFG_SEQ ? n->n : 0;
}

static void build_version(model *m, const wn_cfg_node *root)
{
	const wn_cfg_node *v = wn_cfg_get(root, "version");
	int64_t ver;
	if (!v) {
		wn_cfg_error(m->d, root, "missing 'version: 1' at the top of the config");
		return;
	}
	if (v->kind != WN_CFG_SCALAR || wn_parse_int(v->value, &ver) || ver != 1) {
		wn_cfg_error(m->d, v,
		             "unsupported config version '%s' (this winnow reads version 1)",
		             v->kind == WN_CFG_SCALAR ? v->value : "?");
		return;
	}
	m->cfg->version = 1;
}

int wn_config_build(wn_cfg_doc *doc, wn_config *cfg, wn_diag *d)
{
	wn_diag local = {0};
	if (!d)
		d = &local;
	int before = d->errors;
	memset(cfg, 0, sizeof *cfg);
	cfg->doc = doc;
	const wn_cfg_node *root = doc ? doc->root : NULL;
	if (!root || root->kind != WN_CFG_MAP) {
		wn_diag_error(d, doc ? doc->path : NULL, root ? root->line : 0,
		              root ? root->col : 0,
		              "a config must be a mapping with version: 1, sources and sinks");
		wn_config_free(cfg);
		return -1;
	}
	model m = {.cfg = cfg, .d = d};
	wn_cfg_check_keys(root, wn_cfg_top_keys, "the config", d);
	build_version(&m, root);
	build_run(&m, want_map(&m, wn_cfg_get(root, "run"), "run"));
	build_dead_letter(&m, want_map(&m, wn_cfg_get(root, "dead_letter"), "dead_letter"));
	build_dedup(&m, want_map(&m, wn_cfg_get(root, "dedup"), "dedup"));
	cfg->http = want_map(&m, wn_cfg_get(root, "http"), "http");

	size_t cap = seq_len(root, "sources") + seq_len(root, "pipeline") + seq_len(root, "sinks");
	cfg->stages = wn_xcalloc(cap, sizeof *cfg->stages);
	m.id_nodes = wn_xcalloc(cap, sizeof *m.id_nodes);
	build_section(&m, "sources", WN_KIND_SOURCE, 1, &cfg->n_sources);
	build_section(&m, "pipeline", WN_KIND_TRANSFORM, 0, &cfg->n_transforms);
	build_section(&m, "sinks", WN_KIND_SINK, 1, &cfg->n_sinks);
	free(m.id_nodes);
	if (d->errors != before) {
		wn_config_free(cfg);
		return -1;
	}
	return 0;
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void wn_config_free(wn_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_stages; i++) {
		wn_stage_cfg *st = &cfg->stages[i];
		free(st->id);
		free(st->use);
		free(st->when.field);
		free_strv(st->when.values);
	}
	free(cfg->stages);
	free(cfg->name);
	free(cfg->output_dir);
	free(cfg->state);
	free(cfg->lock);
	free_strv(cfg->plugin_path);
	free(cfg->dead_letter);
	free(cfg->latest);
	free(cfg->drop_log);
	free(cfg->metrics);
	free(cfg->dedup.field);
	wn_cfg_free(cfg->doc);
	memset(cfg, 0, sizeof *cfg);
}
