/*
 * The typed config model: every section and engine key of a loaded config
 * checked and turned into wn_config, with every error printed at its
 * file:line:col. The keys' values are checked and written by schema.c's
 * validator from the tables in config_keys.c; here is the structure
 * around them (sections, stages, ids, `when:`), the defaults computed
 * from other keys and the checks across keys. Plugin options under
 * `with:` are schema.c's too. See config.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_keys.h"
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

/* run: the table, then the defaults computed from other keys. */
static void build_run(model *m, const wn_cfg_node *run)
{
	wn_config *c = m->cfg;
	wn_apply a = {.what = "run", .base = c->doc->dir, .d = m->d};
	wn_section_apply(&wn_run_section, run, c, &a);
	if (!c->name || !*c->name) {
		free(c->name);
		c->name = file_stem(c->doc->path);
	}
	if (!c->lock)
		c->lock = default_lock(c);
	if (!c->queue_batches)
		c->queue_batches = 4 * c->workers;
}

static void build_dead_letter(model *m, const wn_cfg_node *dl)
{
	/* Both paths are relative to output_dir, so they are not resolved. */
	wn_apply a = {.what = "dead_letter", .base = m->cfg->doc->dir, .d = m->d};
	wn_section_apply(&wn_dead_letter_section, dl, m->cfg, &a);
}

static void build_dedup(model *m, const wn_cfg_node *dd)
{
	wn_apply a = {.what = "dedup", .base = m->cfg->doc->dir, .d = m->d};
	wn_section_apply(&wn_dedup_section, dd, m->cfg, &a);
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

/* The stage rows of wn_stage_section that are code: their base is the
 * wn_stage_cfg, whose id is set by then. */
int wn_cfg_parse_when(const wn_cfg_node *v, void *stage, wn_diag *d)
{
	model m = {.d = d};
	int before = d->errors;
	if (want_map(&m, v, "when"))
		build_when(&m, stage, v);
	return d->errors - before;
}

int wn_cfg_parse_with(const wn_cfg_node *v, void *stage, wn_diag *d)
{
	model m = {.d = d};
	int before = d->errors;
	((wn_stage_cfg *)stage)->with = want_map(&m, v, "with");
	return d->errors - before;
}

/* `retry: N` (the max) or `retry: {max, backoff, max_backoff}`. */
int wn_cfg_parse_retry(const wn_cfg_node *v, void *stage, wn_diag *d)
{
	wn_stage_cfg *st = stage;
	char *prefix = wn_xasprintf("stage '%s'", st->id);
	char *what = wn_xasprintf("retry of %s", prefix);
	wn_apply a = {.prefix = prefix, .what = what, .d = d};
	int errors = 0;
	if (v->kind == WN_CFG_SCALAR) {
		errors = wn_section_apply_key(&wn_retry_section, "max", v, &st->retry, &a);
	} else if (v->kind != WN_CFG_MAP) {
		wn_cfg_error(d, v,
		             "%s: retry must be a count, or a mapping {max, backoff, "
		             "max_backoff}",
		             prefix);
		errors = 1;
	} else {
		errors = wn_section_apply(&wn_retry_section, v, &st->retry, &a);
		if (st->retry.max_backoff_ms < st->retry.backoff_ms) {
			wn_cfg_error(d, v, "%s: retry.max_backoff is shorter than retry.backoff",
			             prefix);
			errors++;
		}
	}
	free(what);
	free(prefix);
	return errors;
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
	const wn_cfg_node *use = wn_cfg_get(e, "use"), *idn = wn_cfg_get(e, "id");
	const char *s;
	st->node = e;
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
	/* The engine keys beside use and id: the stage table (retry's
	 * defaults first, for a stage without `retry:`). */
	char *prefix = wn_xasprintf("stage '%s'", st->id);
	wn_apply a = {.prefix = prefix, .what = prefix, .skip_unknown = 1, .d = m->d};
	wn_section_apply(&wn_retry_section, NULL, &st->retry, &a);
	wn_section_apply(&wn_stage_section, e, st, &a);
	free(prefix);
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

wn_err wn_config_build(wn_cfg_doc *doc, wn_config *cfg, wn_diag *d)
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
		return WN_E_CONFIG;
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
		return WN_E_CONFIG;
	}
	return WN_E_OK;
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
	wn_section_free(&wn_run_section, cfg);
	wn_section_free(&wn_dead_letter_section, cfg);
	wn_section_free(&wn_dedup_section, cfg);
	wn_cfg_free(cfg->doc);
	memset(cfg, 0, sizeof *cfg);
}
