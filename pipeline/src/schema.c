/*
 * Option schemas: see schema.h for the contracts.
 *
 * One validator walks two kinds of table: a plugin's wn_option table is
 * wrapped into wn_key rows (no flags), so plugin options and engine keys
 * go through the same functions and get the same messages. The only
 * difference is how a key is named: "option 'count'" (with the stage as
 * prefix) for a plugin, "run.workers" for the engine.
 *
 * Values are written into the state with memcpy at the declared offset,
 * so a misaligned offset in a foreign plugin is not undefined behaviour
 * here. Tables come from plugins we do not trust: every walk over one
 * stops at 256 entries, and apply re-checks each offset.
 */
#include "schema.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 256
#define MAX_NAME 64
/* Bounds at or past this are "none" (INT64_MAX as a double, or infinity). */
#define NO_BOUND 9.2e18

void *wn_pool_keep(wn_pool *p, void *ptr)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->ptrs = wn_xrealloc(p->ptrs, p->cap * sizeof *p->ptrs);
	}
	p->ptrs[p->n++] = ptr;
	return ptr;
}

void wn_pool_free(wn_pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->ptrs[i]);
	free(p->ptrs);
	memset(p, 0, sizeof *p);
}

const char *wn_opt_type_name(int type)
{
	static const char *const names[] = {"?",    "string",   "path", "int",  "real",
	                                    "bool", "duration", "size", "enum", "list"};
	if (type == WN_KEY_CUSTOM)
		return "custom";
	return type >= WN_OPT_STR && type <= WN_OPT_LIST ? names[type] : "?";
}

/* ---- tables --------------------------------------------------------------- */

/* A table as the validator walks it. */
typedef struct table {
	const wn_key *keys;
	size_t n;
	size_t size;         /* bytes of the struct the offsets point into */
	const char *plugin;  /* plugin name: plugin wording; NULL: engine wording */
	const char *section; /* engine: keys are named "section.key" */
	wn_key *own;         /* the wrapped copy of a plugin's table */
} table;

static table plugin_table(const wn_plugin *p)
{
	table t = {.size = p->state_size, .plugin = p->name ? p->name : "?"};
	while (p->options && t.n < MAX_OPTIONS && p->options[t.n].name)
		t.n++;
	t.own = wn_xcalloc(t.n + 1, sizeof *t.own);
	for (size_t i = 0; i < t.n; i++)
		t.own[i].opt = p->options[i];
	t.keys = t.own;
	return t;
}

static table section_table(const wn_section *s)
{
	table t = {.keys = s->keys, .size = s->size, .section = s->name};
	while (s->keys && t.n < MAX_OPTIONS && s->keys[t.n].opt.name)
		t.n++;
	return t;
}

/* The C size of the value written for a row; 0 for a type the table may
 * not use (the WN_KEY_* types are the engine's only). */
static size_t key_size(const table *t, const wn_key *k)
{
	switch (k->opt.type) {
	case WN_OPT_STR:
	case WN_OPT_PATH:
		return sizeof(const char *);
	case WN_OPT_INT:
		return k->csize ? k->csize : sizeof(int64_t);
	case WN_OPT_DURATION:
	case WN_OPT_SIZE:
		return sizeof(int64_t);
	case WN_OPT_REAL:
		return sizeof(double);
	case WN_OPT_BOOL:
	case WN_OPT_ENUM:
		return sizeof(int);
	case WN_OPT_LIST:
		return sizeof(const char *const *);
	case WN_KEY_CUSTOM:
		return t->plugin ? 0 : 1; /* the callback writes; the offset is unused */
	default:
		return 0;
	}
}

/* True when the row's value fits inside the struct. */
static int offset_ok(const table *t, const wn_key *k)
{
	size_t sz = key_size(t, k);
	return sz && k->opt.offset <= t->size && t->size - k->opt.offset >= sz;
}

static int is_string(const wn_key *k)
{
	return k->opt.type == WN_OPT_STR || k->opt.type == WN_OPT_PATH;
}

/* Rows the validator writes (not checked by hand, not a callback). */
static int applied(const wn_key *k)
{
	return !(k->flags & WN_KEY_MANUAL) && k->opt.type != WN_KEY_CUSTOM;
}

/* ---- errors ------------------------------------------------------------- */

/* Where errors go and how they are prefixed. Defaults have no place in
 * the config, so their errors name the table instead of a location. */
typedef struct ectx {
	wn_diag *d;
	const char *prefix; /* "stage 'json'", "plugin export_json" or NULL */
	const char *where;  /* set for defaults: printed instead of node locations */
	const char *what;   /* engine: "unknown key 'k' in WHAT" */
	const table *t;
	wn_pool *pool;    /* NULL: values are owned by the struct */
	const char *base; /* folder for relative paths in defaults */
	int errors;
} ectx;

static void err(ectx *e, const wn_cfg_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err(ectx *e, const wn_cfg_node *at, const char *fmt, ...)
{
	/* Defaults have no node: their errors name e->where instead. */
	int located = at && !e->where;
	va_list ap;
	va_start(ap, fmt);
	wn_diag_verror(e->d, located ? at->file : e->where, located ? at->line : 0,
	               located ? at->col : 0, e->prefix, fmt, ap);
	va_end(ap);
	e->errors++;
}

/* An error about row k: "option 'count' ..." or "run.workers ...". */
static void kerr(ectx *e, const wn_key *k, const wn_cfg_node *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void kerr(ectx *e, const wn_key *k, const wn_cfg_node *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (e->t->plugin)
		err(e, at, "option '%s' %s", k->opt.name, msg);
	else if (e->t->section)
		err(e, at, "%s.%s %s", e->t->section, k->opt.name, msg);
	else
		err(e, at, "%s %s", k->opt.name, msg);
}

/* ---- choices and bounds ----------------------------------------------------- */

/* Index of `s` among "a|b|c", or -1. */
static int choice_index(const char *choices, const char *s)
{
	size_t len = strlen(s);
	int i = 0;
	for (const char *c = choices; c; i++) {
		const char *bar = strchr(c, '|');
		size_t n = bar ? (size_t)(bar - c) : strlen(c);
		if (n == len && strncmp(c, s, n) == 0)
			return i;
		c = bar ? bar + 1 : NULL;
	}
	return -1;
}

/* The choices split into a NULL-terminated heap array (one allocation). */
static const char **choice_list(const char *choices)
{
	size_t n = 1, len = strlen(choices);
	for (const char *c = choices; *c; c++)
		n += *c == '|';
	char **v = wn_xmalloc((n + 1) * sizeof *v + len + 1);
	char *text = (char *)(v + n + 1);
	memcpy(text, choices, len + 1);
	size_t k = 0;
	v[k++] = text;
	for (char *c = text; *c; c++) {
		if (*c == '|') {
			*c = '\0';
			v[k++] = c + 1;
		}
	}
	v[k] = NULL;
	return (const char **)v;
}

/* "a|b|c" as "a, b or c" into buf (cut at n). */
static void choices_prose(const char *choices, char *buf, size_t n)
{
	const char **list = choice_list(choices);
	size_t cnt = 0, used = 0;
	while (list[cnt])
		cnt++;
	buf[0] = '\0';
	for (size_t i = 0; i < cnt && used < n; i++) {
		const char *sep = i == 0 ? "" : i + 1 == cnt ? " or " : ", ";
		int w = snprintf(buf + used, n - used, "%s%s", sep, list[i]);
		used += w > 0 ? (size_t)w : 0;
	}
	free(list);
}

/* A bound as a config would write it: "30s", "16MiB", "256", "0.8". */
static void fmt_bound(int type, double x, char *buf, size_t n)
{
	static const struct {
		const char *unit;
		int64_t mult;
	} durations[] = {{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}},
	  sizes[] = {{"TiB", INT64_C(1) << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1024}};
	if (type == WN_OPT_REAL || x != floor(x) || fabs(x) >= NO_BOUND) {
		snprintf(buf, n, "%g", x);
		return;
	}
	int64_t v = (int64_t)x;
	for (size_t i = 0; v && i < 4; i++) {
		if (type == WN_OPT_DURATION && v % durations[i].mult == 0) {
			snprintf(buf, n, "%lld%s", (long long)(v / durations[i].mult),
			         durations[i].unit);
			return;
		}
		if (type == WN_OPT_SIZE && v % sizes[i].mult == 0) {
			snprintf(buf, n, "%lld%s", (long long)(v / sizes[i].mult), sizes[i].unit);
			return;
		}
	}
	snprintf(buf, n, "%lld%s", (long long)v, type == WN_OPT_DURATION && v ? "ms" : "");
}

static int bounded(const wn_key *k)
{
	return k->opt.min < k->opt.max;
}

/* The bounds in a message: "from 1 to 256", "of at least 1KiB", "in (0, 1]". */
static void range_prose(const wn_key *k, char *buf, size_t n)
{
	char lo[48], hi[48];
	fmt_bound(k->opt.type, k->opt.min, lo, sizeof lo);
	fmt_bound(k->opt.type, k->opt.max, hi, sizeof hi);
	if (k->opt.max >= NO_BOUND)
		snprintf(buf, n, "of at %s %s", k->flags & WN_KEY_ABOVE_MIN ? "more than" : "least",
		         lo);
	else if (k->opt.min <= -NO_BOUND)
		snprintf(buf, n, "of at most %s", hi);
	else if (k->flags & WN_KEY_ABOVE_MIN)
		snprintf(buf, n, "in (%s, %s]", lo, hi);
	else
		snprintf(buf, n, "from %s to %s", lo, hi);
}

static int in_bounds(const wn_key *k, double x)
{
	if (!bounded(k))
		return 1;
	int lo_ok = k->flags & WN_KEY_ABOVE_MIN ? x > k->opt.min : x >= k->opt.min;
	return lo_ok && x <= k->opt.max;
}

/* What a value of the type is, for "must be ...". */
static const char *noun(int type)
{
	switch (type) {
	case WN_OPT_INT:
		return "an integer";
	case WN_OPT_REAL:
		return "a number";
	case WN_OPT_BOOL:
		return "true or false";
	case WN_OPT_DURATION:
		return "a duration";
	case WN_OPT_SIZE:
		return "a size";
	case WN_OPT_LIST:
		return "a list of strings";
	default:
		return "a string";
	}
}

/* Examples shown when a value does not parse. */
static const char *example(int type)
{
	return type == WN_OPT_DURATION ? " like 250ms, 20s, 5m, 1h or 2d"
	       : type == WN_OPT_SIZE   ? " like 512, 64KiB or 10MB"
	                               : "";
}

/* ---- writing values ------------------------------------------------------ */

static void put(void *state, const wn_key *k, const void *val, size_t n)
{
	memcpy((char *)state + k->opt.offset, val, n);
}

static void put_int(void *state, const wn_key *k, int64_t v)
{
	if (k->opt.type == WN_OPT_INT && k->csize == sizeof(int)) {
		int x = (int)v; /* the table check keeps the bounds inside int */
		put(state, k, &x, sizeof x);
	} else {
		put(state, k, &v, sizeof v);
	}
}

/* Frees an owned string or list member and sets it to NULL. */
static void free_member(const wn_key *k, void *state)
{
	void *p;
	memcpy(&p, (char *)state + k->opt.offset, sizeof p);
	if (k->opt.type == WN_OPT_LIST)
		for (char **it = p; it && *it; it++)
			free(*it);
	free(p);
	p = NULL;
	put(state, k, &p, sizeof p);
}

/* Stores a heap string or list: into the pool, or owned by the struct
 * (replacing and freeing the value there). */
static void put_ptr(ectx *e, const wn_key *k, void *state, void *p)
{
	if (e->pool) {
		if (p)
			wn_pool_keep(e->pool, p);
	} else {
		free_member(k, state);
	}
	put(state, k, &p, sizeof p);
}

/* Keeps an allocation in the pool (pool mode); returns it. */
static void *keep(ectx *e, void *p)
{
	return e->pool ? wn_pool_keep(e->pool, p) : p;
}

static void put_enum(ectx *e, const wn_key *k, const wn_cfg_node *v, void *state)
{
	const char *choices = k->opt.choices;
	int idx = choices ? choice_index(choices, v->value) : -1;
	if (idx >= 0) {
		put(state, k, &idx, sizeof idx);
		return;
	}
	char prose[256] = "(no choices)";
	const char **list = choices ? choice_list(choices) : NULL;
	const char *best = list ? wn_closest(v->value, list) : NULL;
	if (choices)
		choices_prose(choices, prose, sizeof prose);
	if (best)
		kerr(e, k, v, "must be %s, not '%s' (did you mean '%s'?)", prose, v->value, best);
	else
		kerr(e, k, v, "must be %s, not '%s'", prose, v->value);
	free(list);
}

/* Numbers, bools and durations/sizes from a scalar. */
static void put_number(ectx *e, const wn_key *k, const wn_cfg_node *v, void *state)
{
	int type = k->opt.type;
	int64_t i = 0;
	double r = 0;
	int b = 0, bad;
	char range[128] = "";
	switch (type) {
	case WN_OPT_INT:
		bad = wn_parse_int(v->value, &i);
		r = (double)i;
		break;
	case WN_OPT_DURATION:
		bad = wn_parse_duration(v->value, &i);
		r = (double)i;
		break;
	case WN_OPT_SIZE:
		bad = wn_parse_size(v->value, &i);
		r = (double)i;
		break;
	case WN_OPT_REAL:
		bad = wn_parse_real(v->value, &r);
		break;
	default:
		bad = wn_parse_bool(v->value, &b);
		break;
	}
	if (type != WN_OPT_BOOL && bounded(k))
		range_prose(k, range, sizeof range);
	if (bad && (type == WN_OPT_INT || type == WN_OPT_REAL) && *range) {
		kerr(e, k, v, "must be %s %s, not '%s'", noun(type), range, v->value);
		return;
	}
	if (bad) {
		kerr(e, k, v, "must be %s%s, not '%s'", noun(type), example(type), v->value);
		return;
	}
	if (type != WN_OPT_BOOL && !in_bounds(k, r)) {
		kerr(e, k, v, "must be %s %s, not '%s'", noun(type), range, v->value);
		return;
	}
	if (type == WN_OPT_REAL)
		put(state, k, &r, sizeof r);
	else if (type == WN_OPT_BOOL)
		put(state, k, &b, sizeof b);
	else
		put_int(state, k, i);
}

static void put_list(ectx *e, const wn_key *k, const wn_cfg_node *v, void *state)
{
	size_t n = v->kind == WN_CFG_SEQ ? v->n : 1;
	for (size_t i = 0; i < n; i++) {
		const wn_cfg_node *it = v->kind == WN_CFG_SEQ ? v->vals[i] : v;
		if (it->kind != WN_CFG_SCALAR) {
			kerr(e, k, it, "must be a list of strings");
			return;
		}
		if ((k->flags & WN_KEY_NONEMPTY) && !*it->value) {
			kerr(e, k, it, "must not hold an empty item");
			return;
		}
	}
	char **list = keep(e, wn_xcalloc(n + 1, sizeof *list));
	for (size_t i = 0; i < n; i++) {
		const wn_cfg_node *it = v->kind == WN_CFG_SEQ ? v->vals[i] : v;
		list[i] = keep(e, k->flags & WN_KEY_PATHS
		                      ? wn_path_join(it->base ? it->base : e->base, it->value)
		                      : wn_xstrdup(it->value));
	}
	if (!e->pool)
		free_member(k, state);
	put(state, k, &list, sizeof list);
}

/* Null under WN_KEY_NULL_OFF: 0, or "" for a string. */
static void put_off(ectx *e, const wn_key *k, void *state)
{
	if (is_string(k)) {
		put_ptr(e, k, state, wn_xstrdup(""));
	} else if (k->opt.type == WN_OPT_LIST) {
		put_ptr(e, k, state, NULL);
	} else if (k->opt.type == WN_OPT_REAL) {
		double z = 0;
		put(state, k, &z, sizeof z);
	} else if (k->opt.type == WN_OPT_BOOL || k->opt.type == WN_OPT_ENUM) {
		int z = 0;
		put(state, k, &z, sizeof z);
	} else {
		put_int(state, k, 0);
	}
}

/* Writes node v as row k's value. Null clears strings and lists and
 * leaves other types at their default, unless the row's flags say
 * otherwise. */
static void put_value(ectx *e, const wn_key *k, const wn_cfg_node *v, void *state)
{
	int type = k->opt.type;
	int null = wn_cfg_is_null(v);
	int empty = null || (v->kind == WN_CFG_SCALAR && !*v->value);
	if (type == WN_KEY_CUSTOM) {
		e->errors += k->parse ? k->parse(v, state, e->d) : 0;
		return;
	}
	if ((k->flags & WN_KEY_NONEMPTY) && empty && !null && type != WN_OPT_LIST) {
		kerr(e, k, v, "must not be empty");
		return;
	}
	if ((k->flags & WN_KEY_EMPTY_DEFAULT) && empty)
		return;
	if (null) {
		if (k->flags & WN_KEY_NULL_OFF)
			put_off(e, k, state);
		else if (is_string(k) || type == WN_OPT_LIST)
			put_ptr(e, k, state, NULL);
		return;
	}
	if (type == WN_OPT_LIST) {
		if (v->kind == WN_CFG_MAP)
			kerr(e, k, v, "must be a list of strings, not a mapping");
		else
			put_list(e, k, v, state);
		return;
	}
	if (v->kind != WN_CFG_SCALAR) {
		kerr(e, k, v, "must be %s, not a %s", noun(type),
		     v->kind == WN_CFG_MAP ? "mapping" : "list");
		return;
	}
	if (is_string(k)) {
		char *s = type == WN_OPT_PATH && *v->value
		              ? wn_path_join(v->base ? v->base : e->base, v->value)
		              : wn_xstrdup(v->value);
		put_ptr(e, k, state, s);
	} else if (type == WN_OPT_ENUM) {
		put_enum(e, k, v, state);
	} else {
		put_number(e, k, v, state);
	}
}

/* Applies k's default text, parsed as YAML, with paths against e->base. */
static void put_default(ectx *e, const wn_key *k, void *state)
{
	char *label = e->t->plugin ? wn_xasprintf("plugin %s (default)", e->t->plugin)
	                           : wn_xasprintf("section %s (default)",
	                                          e->t->section ? e->t->section : "?");
	ectx de = *e;
	de.prefix = label;
	de.where = e->where ? e->where : label;
	de.errors = 0;
	/* The YAML parser's own message would point into the default text;
	 * one message naming the option says more, so its output is dropped. */
	FILE *sink = fopen("/dev/null", "w");
	wn_diag quiet = {.out = sink};
	wn_cfg_node *v = wn_cfg_parse_value(k->opt.def, label, e->base, sink ? &quiet : e->d);
	if (sink)
		fclose(sink);
	if (!v)
		err(&de, NULL, "default '%s' of option '%s' is not valid YAML", k->opt.def,
		    k->opt.name);
	else
		put_value(&de, k, v, state);
	e->errors += de.errors;
	wn_cfg_node_free(v);
	free(label);
}

/* ---- applying a mapping ---------------------------------------------------- */

static const wn_key *find_key(const table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->keys[i].opt.name, name) == 0)
			return &t->keys[i];
	return NULL;
}

static void unknown_key(ectx *e, const wn_cfg_node *key)
{
	const table *t = e->t;
	const char **names = wn_xcalloc(t->n + 1, sizeof *names);
	for (size_t i = 0; i < t->n; i++)
		names[i] = t->keys[i].opt.name;
	const char *best = wn_closest(key->value, names);
	const char *pname = t->plugin;
	/* An engine message names its place itself ("in retry of stage 'x'"). */
	ectx plain = *e;
	plain.prefix = NULL;
	plain.errors = 0;
	if (!pname && best)
		err(&plain, key, "unknown key '%s' in %s (did you mean '%s'?)", key->value, e->what,
		    best);
	else if (!pname)
		err(&plain, key, "unknown key '%s' in %s", key->value, e->what);
	else if (best)
		err(e, key, "unknown option '%s' for plugin %s (did you mean '%s'?)", key->value,
		    pname, best);
	else if (t->n == 0)
		err(e, key, "unknown option '%s': plugin %s takes no options", key->value, pname);
	else
		err(e, key, "unknown option '%s' for plugin %s (see: winnow plugins %s)",
		    key->value, pname, pname);
	e->errors += plain.errors;
	free(names);
}

static void missing(ectx *e, const wn_key *k, const wn_cfg_node *at)
{
	if (e->t->plugin)
		err(e, at, "missing required option '%s' for plugin %s (%s)", k->opt.name,
		    e->t->plugin, k->opt.help ? k->opt.help : wn_opt_type_name(k->opt.type));
	else
		err(e, at, "missing required key '%s' in %s", k->opt.name, e->what);
}

/* Defaults, then the mapping's values, then the required check. */
static void apply_table(ectx *e, const wn_cfg_node *map, const wn_cfg_node *at, void *state,
                        int skip_unknown)
{
	const table *t = e->t;
	for (size_t i = 0; i < t->n; i++) {
		const wn_key *k = &t->keys[i];
		if (!applied(k))
			continue;
		if (!offset_ok(t, k))
			err(e, at, "option '%s' lies outside plugin %s's state (plugin bug)",
			    k->opt.name, t->plugin ? t->plugin : "?");
		else if (k->opt.def)
			put_default(e, k, state);
	}
	if (wn_cfg_is_null(map))
		map = NULL;
	if (map && map->kind != WN_CFG_MAP) {
		if (t->plugin)
			err(e, map, "'with' must be a mapping of plugin options");
		else
			err(e, map, "%s must be a mapping (key: value pairs)", e->what);
		map = NULL;
	}
	for (size_t i = 0; map && i < map->n; i++) {
		const wn_key *k = find_key(t, map->keys[i]->value);
		if (!k && !skip_unknown)
			unknown_key(e, map->keys[i]);
		else if (k && !(k->flags & WN_KEY_MANUAL) && offset_ok(t, k))
			put_value(e, k, map->vals[i], state);
	}
	for (size_t i = 0; i < t->n; i++) {
		const wn_key *k = &t->keys[i];
		if (k->opt.required && !(k->flags & WN_KEY_MANUAL) &&
		    wn_cfg_is_null(wn_cfg_get(map, k->opt.name)))
			missing(e, k, map ? map : at);
	}
}

static int apply_plugin(const wn_plugin *p, const char *stage_id, const wn_cfg_node *with,
                        const wn_cfg_node *at, void *state, const char *default_base, wn_pool *pool,
                        wn_diag *d)
{
	table t = plugin_table(p);
	char *prefix = wn_xasprintf("stage '%s'", stage_id ? stage_id : "?");
	ectx e = {.d = d, .prefix = prefix, .t = &t, .pool = pool, .base = default_base};
	apply_table(&e, with, at, state, 0);
	free(t.own);
	free(prefix);
	return e.errors;
}

int wn_schema_apply(const wn_plugin *p, const char *stage_id, const wn_cfg_node *with, void *state,
                    const char *default_base, wn_pool *pool, wn_diag *d)
{
	return apply_plugin(p, stage_id, with, with, state, default_base, pool, d);
}

int wn_schema_apply_stage(const wn_plugin *p, const wn_stage_cfg *st, void *state,
                          const char *default_base, wn_pool *pool, wn_diag *d)
{
	return apply_plugin(p, st->id, st->with, st->with ? st->with : st->node, state,
	                    default_base, pool, d);
}

static ectx section_ectx(const table *t, const wn_apply *a)
{
	ectx e = {.d = a->d,
	          .prefix = a->prefix,
	          .what = a->what      ? a->what
	                  : t->section ? t->section
	                               : "?",
	          .t = t,
	          .pool = a->pool,
	          .base = a->base ? a->base : "."};
	return e;
}

int wn_section_apply(const wn_section *s, const wn_cfg_node *map, void *st, const wn_apply *a)
{
	table t = section_table(s);
	ectx e = section_ectx(&t, a);
	apply_table(&e, map, a->at ? a->at : map, st, a->skip_unknown);
	return e.errors;
}

int wn_section_apply_key(const wn_section *s, const char *key, const wn_cfg_node *v, void *st,
                         const wn_apply *a)
{
	table t = section_table(s);
	ectx e = section_ectx(&t, a);
	const wn_key *k = find_key(&t, key);
	if (k && applied(k) && offset_ok(&t, k))
		put_value(&e, k, v, st);
	return e.errors;
}

void wn_section_free(const wn_section *s, void *st)
{
	table t = section_table(s);
	for (size_t i = 0; i < t.n; i++) {
		const wn_key *k = &t.keys[i];
		if (applied(k) && (is_string(k) || k->opt.type == WN_OPT_LIST) && offset_ok(&t, k))
			free_member(k, st);
	}
}

void wn_section_dup(const wn_section *s, void *dst)
{
	table t = section_table(s);
	for (size_t i = 0; i < t.n; i++) {
		const wn_key *k = &t.keys[i];
		if (!applied(k) || !offset_ok(&t, k) ||
		    !(is_string(k) || k->opt.type == WN_OPT_LIST))
			continue;
		char **p;
		memcpy(&p, (char *)dst + k->opt.offset, sizeof p);
		if (!p)
			continue;
		void *copy;
		if (is_string(k)) {
			copy = wn_xstrdup((const char *)p);
		} else {
			size_t n = 0;
			while (p[n])
				n++;
			char **list = wn_xcalloc(n + 1, sizeof *list);
			for (size_t j = 0; j < n; j++)
				list[j] = wn_xstrdup(p[j]);
			copy = list;
		}
		put(dst, k, &copy, sizeof copy);
	}
}

/* ---- checking a table --------------------------------------------------- */

/* The engine's own demands on a row: member sizes, callbacks, bounds that
 * fit the member. 0 when the row is usable. */
static wn_err check_engine_entry(ectx *e, const wn_key *k)
{
	if (k->opt.type == WN_KEY_CUSTOM && !k->parse && !(k->flags & WN_KEY_MANUAL)) {
		err(e, NULL, "custom key '%s' has no parse callback", k->opt.name);
		return WN_E_FAIL;
	}
	if (k->csize && (k->opt.type != WN_OPT_INT ||
	                 (k->csize != sizeof(int) && k->csize != sizeof(int64_t)))) {
		err(e, NULL, "key '%s': member size %zu is not an int or int64_t", k->opt.name,
		    k->csize);
		return WN_E_FAIL;
	}
	if (k->csize == sizeof(int) && sizeof(int) < sizeof(int64_t) &&
	    !(bounded(k) && k->opt.min >= INT_MIN && k->opt.max <= INT_MAX)) {
		err(e, NULL, "key '%s' is an int: its bounds must lie inside int", k->opt.name);
		return WN_E_FAIL;
	}
	return WN_E_OK;
}

/* Checks one entry's own fields; 0 when the entry is usable. */
static int check_entry(ectx *e, size_t i)
{
	const table *t = e->t;
	const wn_key *k = &t->keys[i];
	size_t len = strnlen(k->opt.name, MAX_NAME + 1);
	int bad = 0;
	if (len == 0 || len > MAX_NAME) {
		err(e, NULL, "option %zu has an empty or over-long name", i + 1);
		return -1;
	}
	for (size_t j = 0; j < len; j++) {
		if (!islower((unsigned char)k->opt.name[j]) &&
		    !isdigit((unsigned char)k->opt.name[j]) && k->opt.name[j] != '_') {
			err(e, NULL,
			    "option %zu: name '%.*s' must be lower-case letters, digits, '_'",
			    i + 1, (int)len, k->opt.name);
			return -1;
		}
	}
	for (size_t j = 0; j < i; j++) {
		if (strcmp(t->keys[j].opt.name, k->opt.name) == 0) {
			err(e, NULL, "option '%s' is declared twice", k->opt.name);
			bad = -1;
		}
	}
	if (!key_size(t, k)) {
		err(e, NULL, "option '%s' has unknown type %d", k->opt.name, k->opt.type);
		return -1;
	}
	if (!t->plugin && check_engine_entry(e, k))
		return -1;
	if (!offset_ok(t, k)) {
		err(e, NULL,
		    "option '%s' (offset %zu, %zu bytes) lies outside the state (%zu bytes)",
		    k->opt.name, k->opt.offset, key_size(t, k), t->size);
		bad = -1;
	}
	const char *c = k->opt.choices;
	if (k->opt.type == WN_OPT_ENUM &&
	    (!c || !*c || strstr(c, "||") || *c == '|' || c[strlen(c) - 1] == '|')) {
		err(e, NULL, "enum option '%s' needs choices like \"a|b|c\"", k->opt.name);
		bad = -1;
	}
	return bad;
}

/* Checks every entry, and tries each default in a scratch struct. */
static void check_table(ectx *e)
{
	const table *t = e->t;
	void *scratch = wn_xcalloc(1, t->size ? t->size : 1);
	wn_pool pool = {0};
	e->pool = &pool;
	e->base = ".";
	for (size_t i = 0; i < t->n; i++) {
		if (check_entry(e, i) == 0 && applied(&t->keys[i]) && t->keys[i].opt.def)
			put_default(e, &t->keys[i], scratch);
	}
	wn_pool_free(&pool);
	free(scratch);
}

int wn_schema_check_table(const wn_plugin *p, const char *where, wn_diag *d)
{
	char *prefix = wn_xasprintf("plugin %s", p->name ? p->name : "?");
	table t = plugin_table(p);
	ectx e = {.d = d, .prefix = prefix, .where = where ? where : prefix, .t = &t};
	if (t.n == MAX_OPTIONS && p->options[t.n].name)
		err(&e, NULL, "more than %d options (is the table's NULL-name end missing?)",
		    MAX_OPTIONS);
	check_table(&e);
	free(t.own);
	free(prefix);
	return e.errors;
}

int wn_section_check(const wn_section *s, wn_diag *d)
{
	char *prefix = wn_xasprintf("section %s", s->name ? s->name : "(stage)");
	table t = section_table(s);
	ectx e = {.d = d, .prefix = prefix, .where = prefix, .t = &t};
	check_table(&e);
	free(prefix);
	return e.errors;
}

/* ---- printing --------------------------------------------------------- */

/* The default as shown in the table: "-" for none, '""' for empty. */
static const char *shown_default(const wn_option *o)
{
	if (!o->def)
		return "-";
	return *o->def ? o->def : "\"\"";
}

void wn_schema_print(const wn_plugin *p, FILE *out)
{
	table t = plugin_table(p);
	size_t n = t.n;
	free(t.own);
	if (n == 0) {
		fputs("  (no options)\n", out);
		return;
	}
	int wn = 6, wt = 4, wd = 7;
	for (size_t i = 0; i < n; i++) {
		const wn_option *o = &p->options[i];
		int l = (int)strnlen(o->name, MAX_NAME);
		wn = l > wn ? l : wn;
		l = (int)strlen(wn_opt_type_name(o->type));
		wt = l > wt ? l : wt;
		l = (int)strnlen(shown_default(o), 40);
		wd = l > wd ? l : wd;
	}
	fprintf(out, "  %-*s  %-*s  %-*s  %-8s  %s\n", wn, "OPTION", wt, "TYPE", wd, "DEFAULT",
	        "REQUIRED", "HELP");
	for (size_t i = 0; i < n; i++) {
		const wn_option *o = &p->options[i];
		/* The column is at most 40 wide, but a default is never cut: a
		 * cut path would read as a real one. */
		fprintf(out, "  %-*.*s  %-*s  %-*s  %-8s  %s", wn, MAX_NAME, o->name, wt,
		        wn_opt_type_name(o->type), wd, shown_default(o), o->required ? "yes" : "",
		        o->help ? o->help : "");
		if (o->type == WN_OPT_ENUM && o->choices)
			fprintf(out, " (one of: %s)", o->choices);
		if (o->min < o->max && o->type != WN_OPT_ENUM && o->type != WN_OPT_BOOL)
			fprintf(out, " [%g..%g%s]", o->min, o->max,
			        o->type == WN_OPT_DURATION ? " ms"
			        : o->type == WN_OPT_SIZE   ? " bytes"
			                                   : "");
		fputc('\n', out);
	}
}

/* One printed row of an engine table. */
typedef struct row {
	char key[2 * MAX_NAME + 2];
	const char *type;
	const char *def;
	char range[128];
	const char *help;
	int prose; /* the default is documented in words (wn_key.shown) */
} row;

/* The range column: "1..256", "1KiB..", "(0..1]", "skip|update" (for
 * Markdown, `sep` replaces the '|' of the choices). */
static void range_cell(const wn_key *k, const char *sep, char *buf, size_t n)
{
	char lo[48], hi[48];
	if (k->range) {
		snprintf(buf, n, "%s", k->range);
	} else if (k->opt.type == WN_OPT_ENUM && k->opt.choices) {
		size_t used = 0;
		buf[0] = '\0';
		for (const char *c = k->opt.choices; *c && used + 4 < n; c++) {
			int w = *c == '|' ? snprintf(buf + used, n - used, "%s", sep)
			                  : snprintf(buf + used, n - used, "%c", *c);
			used += w > 0 ? (size_t)w : 0;
		}
	} else if (bounded(k) && k->opt.type != WN_OPT_BOOL) {
		fmt_bound(k->opt.type, k->opt.min, lo, sizeof lo);
		fmt_bound(k->opt.type, k->opt.max, hi, sizeof hi);
		snprintf(buf, n, "%s%s..%s%s", k->flags & WN_KEY_ABOVE_MIN ? "(" : "", lo,
		         k->opt.max >= NO_BOUND ? "" : hi, k->flags & WN_KEY_ABOVE_MIN ? "]" : "");
	} else {
		snprintf(buf, n, "-");
	}
}

static void row_of(const wn_key *k, const char *parent, const char *sep, row *r)
{
	snprintf(r->key, sizeof r->key, "%s%s%s", parent ? parent : "", parent ? "." : "",
	         k->opt.name);
	r->type = k->tname ? k->tname : wn_opt_type_name(k->opt.type);
	r->def = k->shown ? k->shown : shown_default(&k->opt);
	range_cell(k, sep, r->range, sizeof r->range);
	r->help = k->opt.help ? k->opt.help : "";
	r->prose = k->shown != NULL;
}

/* Calls fn for every row of s, and after a row with a nested table for
 * each of its rows ("retry.max"). */
static void each_row(const wn_section *s, const char *sep, void (*fn)(const row *, void *),
                     void *arg)
{
	table t = section_table(s);
	for (size_t i = 0; i < t.n; i++) {
		row r;
		row_of(&t.keys[i], NULL, sep, &r);
		fn(&r, arg);
		if (!t.keys[i].sub)
			continue;
		table sub = section_table(t.keys[i].sub);
		for (size_t j = 0; j < sub.n; j++) {
			row_of(&sub.keys[j], t.keys[i].opt.name, sep, &r);
			fn(&r, arg);
		}
	}
}

typedef struct widths {
	int key, type, def, range;
	FILE *out;
} widths;

static int maxi(int a, int b)
{
	return a > b ? a : b;
}

/* Columns on a terminal: UTF-8 characters, not bytes ("4 × workers"). */
static int width(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void measure(const row *r, void *arg)
{
	widths *w = arg;
	w->key = maxi(w->key, width(r->key));
	w->type = maxi(w->type, width(r->type));
	w->def = maxi(w->def, width(r->def));
	w->range = maxi(w->range, width(r->range));
}

/* s, then spaces up to w columns and the two between columns. */
static void cell(FILE *out, const char *s, int w)
{
	fprintf(out, "%s%*s", s, w - width(s) + 2, "");
}

static void print_row(const row *r, void *arg)
{
	widths *w = arg;
	fputs("  ", w->out);
	cell(w->out, r->key, w->key);
	cell(w->out, r->type, w->type);
	cell(w->out, r->def, w->def);
	cell(w->out, r->range, w->range);
	fprintf(w->out, "%s\n", r->help);
}

void wn_section_print(const wn_section *s, FILE *out)
{
	widths w = {3, 4, 7, 5, out};
	row head = {
	    .key = "KEY", .type = "TYPE", .def = "DEFAULT", .range = "RANGE", .help = "MEANING"};
	each_row(s, "|", measure, &w);
	print_row(&head, &w);
	each_row(s, "|", print_row, &w);
}

static void markdown_row(const row *r, void *arg)
{
	FILE *out = arg;
	/* A default from the table is a value and is shown as code; one the
	 * table documents in words (wn_key.shown) is prose. */
	int code = !r->prose && strcmp(r->def, "-") != 0;
	fprintf(out, "| `%s` | %s | %s%s%s | %s | %s |\n", r->key, r->type, code ? "`" : "",
	        strcmp(r->def, "-") == 0 ? "none" : r->def, code ? "`" : "", r->range, r->help);
}

void wn_section_markdown(const wn_section *s, FILE *out)
{
	fputs("| key | type | default | range | meaning |\n", out);
	fputs("| --- | --- | --- | --- | --- |\n", out);
	each_row(s, ", ", markdown_row, out);
}
