/*
 * Plugin option schemas: see schema.h for the contracts.
 *
 * Values are written into the plugin's state with memcpy at the declared
 * offset, so a misaligned offset in a foreign plugin is not undefined
 * behaviour here. Tables come from plugins we do not trust: every walk
 * over one stops at 256 entries, and apply re-checks each offset.
 */
#include "schema.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 256
#define MAX_NAME 64

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
	return type >= WN_OPT_STR && type <= WN_OPT_LIST ? names[type] : "?";
}

/* The C size of the value written for each type. */
static size_t type_size(int type)
{
	switch (type) {
	case WN_OPT_STR:
	case WN_OPT_PATH:
		return sizeof(const char *);
	case WN_OPT_INT:
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
	default:
		return 0;
	}
}

/* True when the option's value fits inside the state. */
static int offset_ok(const wn_plugin *p, const wn_option *o)
{
	size_t sz = type_size(o->type);
	return sz && o->offset <= p->state_size && p->state_size - o->offset >= sz;
}

/* Entries before the NULL name, at most MAX_OPTIONS. */
static size_t option_count(const wn_plugin *p)
{
	size_t n = 0;
	while (p->options && n < MAX_OPTIONS && p->options[n].name)
		n++;
	return n;
}

/* Where errors go and how they are prefixed. Defaults have no place in
 * the config, so their errors name the plugin instead of a location. */
typedef struct ectx {
	wn_diag *d;
	const char *prefix; /* "stage 'json'" or "plugin export_json" */
	const char *where;  /* set for defaults: printed instead of node locations */
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

static void put(void *state, const wn_option *o, const void *val, size_t n)
{
	memcpy((char *)state + o->offset, val, n);
}

/* Checks a number against the option's bounds (when min < max). */
static int in_bounds(ectx *e, const wn_option *o, const wn_cfg_node *v, double x)
{
	if (!(o->min < o->max) || (x >= o->min && x <= o->max))
		return 1;
	const char *unit = o->type == WN_OPT_DURATION ? "ms"
	                   : o->type == WN_OPT_SIZE   ? " bytes"
	                                              : "";
	err(e, v, "option '%s' must be between %g%s and %g%s, not '%s'", o->name, o->min, unit,
	    o->max, unit, v->value);
	return 0;
}

static const char *expects(int type)
{
	switch (type) {
	case WN_OPT_INT:
		return "an integer";
	case WN_OPT_REAL:
		return "a number";
	case WN_OPT_BOOL:
		return "true or false";
	case WN_OPT_DURATION:
		return "a duration like 250ms, 20s, 5m, 1h or 2d";
	case WN_OPT_SIZE:
		return "a size like 512, 64KiB or 10MB";
	default:
		return "a string";
	}
}

static void put_enum(ectx *e, const wn_option *o, const wn_cfg_node *v, void *state)
{
	int idx = o->choices ? choice_index(o->choices, v->value) : -1;
	if (idx >= 0) {
		put(state, o, &idx, sizeof idx);
		return;
	}
	const char **list = o->choices ? choice_list(o->choices) : NULL;
	const char *best = list ? wn_closest(v->value, list) : NULL;
	if (best)
		err(e, v, "option '%s' must be one of %s, not '%s' (did you mean '%s'?)", o->name,
		    o->choices, v->value, best);
	else
		err(e, v, "option '%s' must be one of %s, not '%s'", o->name,
		    o->choices ? o->choices : "(no choices)", v->value);
	free(list);
}

/* Numbers, bools and durations/sizes from a scalar. */
static void put_number(ectx *e, const wn_option *o, const wn_cfg_node *v, void *state)
{
	int64_t i = 0;
	double r = 0;
	int b = 0, bad;
	switch (o->type) {
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
	if (bad) {
		err(e, v, "option '%s' expects %s, not '%s'", o->name, expects(o->type), v->value);
		return;
	}
	if (o->type != WN_OPT_BOOL && !in_bounds(e, o, v, r))
		return;
	if (o->type == WN_OPT_REAL)
		put(state, o, &r, sizeof r);
	else if (o->type == WN_OPT_BOOL)
		put(state, o, &b, sizeof b);
	else
		put(state, o, &i, sizeof i);
}

static void put_list(ectx *e, const wn_option *o, const wn_cfg_node *v, void *state, wn_pool *pool)
{
	size_t n = v->kind == WN_CFG_SEQ ? v->n : 1;
	for (size_t i = 0; v->kind == WN_CFG_SEQ && i < n; i++) {
		if (v->vals[i]->kind != WN_CFG_SCALAR) {
			err(e, v->vals[i], "option '%s' expects a list of strings", o->name);
			return;
		}
	}
	const char **list = wn_pool_keep(pool, wn_xcalloc(n + 1, sizeof *list));
	for (size_t i = 0; i < n; i++) {
		const char *s = v->kind == WN_CFG_SEQ ? v->vals[i]->value : v->value;
		list[i] = wn_pool_keep(pool, wn_xstrdup(s));
	}
	put(state, o, &list, sizeof list);
}

/* Writes node v as option o's value. Null clears strings and lists and
 * leaves other types at their default. */
static void put_value(ectx *e, const wn_option *o, const wn_cfg_node *v, void *state,
                      const char *base, wn_pool *pool)
{
	if (wn_cfg_is_null(v)) {
		if (o->type == WN_OPT_STR || o->type == WN_OPT_PATH || o->type == WN_OPT_LIST) {
			const void *none = NULL;
			put(state, o, &none, sizeof none);
		}
		return;
	}
	if (o->type == WN_OPT_LIST) {
		if (v->kind == WN_CFG_MAP)
			err(e, v, "option '%s' expects a list of strings, not a mapping", o->name);
		else
			put_list(e, o, v, state, pool);
		return;
	}
	if (v->kind != WN_CFG_SCALAR) {
		err(e, v, "option '%s' expects %s, not a %s", o->name, expects(o->type),
		    v->kind == WN_CFG_MAP ? "mapping" : "list");
		return;
	}
	if (o->type == WN_OPT_STR || o->type == WN_OPT_PATH) {
		char *s = o->type == WN_OPT_PATH && *v->value
		              ? wn_path_join(v->base ? v->base : base, v->value)
		              : wn_xstrdup(v->value);
		wn_pool_keep(pool, s);
		put(state, o, &s, sizeof s);
	} else if (o->type == WN_OPT_ENUM) {
		put_enum(e, o, v, state);
	} else {
		put_number(e, o, v, state);
	}
}

/* Applies o's default text, parsed as YAML, with paths against base. */
static void put_default(ectx *e, const wn_plugin *p, const wn_option *o, void *state,
                        const char *base, wn_pool *pool)
{
	char *label = wn_xasprintf("plugin %s (default)", p->name ? p->name : "?");
	ectx de = {.d = e->d, .prefix = label, .where = e->where ? e->where : label};
	/* The YAML parser's own message would point into the default text;
	 * one message naming the option says more, so its output is dropped. */
	FILE *sink = fopen("/dev/null", "w");
	wn_diag quiet = {.out = sink};
	wn_cfg_node *v = wn_cfg_parse_value(o->def, label, base, sink ? &quiet : e->d);
	if (sink)
		fclose(sink);
	if (!v)
		err(&de, NULL, "default '%s' of option '%s' is not valid YAML", o->def, o->name);
	else
		put_value(&de, o, v, state, base, pool);
	e->errors += de.errors;
	wn_cfg_node_free(v);
	free(label);
}

static const wn_option *find_option(const wn_plugin *p, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p->options[i].name, name) == 0)
			return &p->options[i];
	return NULL;
}

static void unknown_option(ectx *e, const wn_plugin *p, size_t n, const wn_cfg_node *key)
{
	const char **names = wn_xcalloc(n + 1, sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = p->options[i].name;
	const char *best = wn_closest(key->value, names);
	const char *pname = p->name ? p->name : "?";
	if (best)
		err(e, key, "unknown option '%s' for plugin %s (did you mean '%s'?)", key->value,
		    pname, best);
	else if (n == 0)
		err(e, key, "unknown option '%s': plugin %s takes no options", key->value, pname);
	else
		err(e, key, "unknown option '%s' for plugin %s (see: winnow plugins %s)",
		    key->value, pname, pname);
	free(names);
}

static int apply(const wn_plugin *p, const char *stage_id, const wn_cfg_node *with,
                 const wn_cfg_node *at, void *state, const char *default_base, wn_pool *pool,
                 wn_diag *d)
{
	char *prefix = wn_xasprintf("stage '%s'", stage_id ? stage_id : "?");
	ectx e = {.d = d, .prefix = prefix};
	size_t n = option_count(p);
	for (size_t i = 0; i < n; i++) {
		const wn_option *o = &p->options[i];
		if (!offset_ok(p, o))
			err(&e, at, "option '%s' lies outside plugin %s's state (plugin bug)",
			    o->name, p->name ? p->name : "?");
		else if (o->def)
			put_default(&e, p, o, state, default_base, pool);
	}
	if (wn_cfg_is_null(with))
		with = NULL;
	if (with && with->kind != WN_CFG_MAP) {
		err(&e, with, "'with' must be a mapping of plugin options");
		with = NULL;
	}
	for (size_t i = 0; with && i < with->n; i++) {
		const wn_option *o = find_option(p, n, with->keys[i]->value);
		if (!o)
			unknown_option(&e, p, n, with->keys[i]);
		else if (offset_ok(p, o))
			put_value(&e, o, with->vals[i], state, default_base, pool);
	}
	for (size_t i = 0; i < n; i++) {
		const wn_option *o = &p->options[i];
		if (o->required && wn_cfg_is_null(wn_cfg_get(with, o->name)))
			err(&e, with ? with : at, "missing required option '%s' for plugin %s (%s)",
			    o->name, p->name ? p->name : "?",
			    o->help ? o->help : wn_opt_type_name(o->type));
	}
	free(prefix);
	return e.errors;
}

int wn_schema_apply(const wn_plugin *p, const char *stage_id, const wn_cfg_node *with, void *state,
                    const char *default_base, wn_pool *pool, wn_diag *d)
{
	return apply(p, stage_id, with, with, state, default_base, pool, d);
}

int wn_schema_apply_stage(const wn_plugin *p, const wn_stage_cfg *st, void *state,
                          const char *default_base, wn_pool *pool, wn_diag *d)
{
	return apply(p, st->id, st->with, st->with ? st->with : st->node, state, default_base, pool,
	             d);
}

/* Checks one entry's own fields; 0 when the entry is usable. */
static int check_entry(const wn_plugin *p, size_t i, ectx *e)
{
	const wn_option *o = &p->options[i];
	size_t len = strnlen(o->name, MAX_NAME + 1);
	int bad = 0;
	if (len == 0 || len > MAX_NAME) {
		err(e, NULL, "option %zu has an empty or over-long name", i + 1);
		return -1;
	}
	for (size_t k = 0; k < len; k++) {
		if (!islower((unsigned char)o->name[k]) && !isdigit((unsigned char)o->name[k]) &&
		    o->name[k] != '_') {
			err(e, NULL,
			    "option %zu: name '%.*s' must be lower-case letters, digits, '_'",
			    i + 1, (int)len, o->name);
			return -1;
		}
	}
	for (size_t k = 0; k < i; k++) {
		if (strcmp(p->options[k].name, o->name) == 0) {
			err(e, NULL, "option '%s' is declared twice", o->name);
			bad = -1;
		}
	}
	if (!type_size(o->type)) {
		err(e, NULL, "option '%s' has unknown type %d", o->name, o->type);
		return -1;
	}
	if (!offset_ok(p, o)) {
		err(e, NULL,
		    "option '%s' (offset %zu, %zu bytes) lies outside the state (%zu bytes)",
		    o->name, o->offset, type_size(o->type), p->state_size);
		bad = -1;
	}
	if (o->type == WN_OPT_ENUM &&
	    (!o->choices || !*o->choices || strstr(o->choices, "||") || *o->choices == '|' ||
	     o->choices[strlen(o->choices) - 1] == '|')) {
		err(e, NULL, "enum option '%s' needs choices like \"a|b|c\"", o->name);
		bad = -1;
	}
	return bad;
}

int wn_schema_check_table(const wn_plugin *p, const char *where, wn_diag *d)
{
	char *prefix = wn_xasprintf("plugin %s", p->name ? p->name : "?");
	ectx e = {.d = d, .prefix = prefix, .where = where ? where : prefix};
	size_t n = option_count(p);
	if (n == MAX_OPTIONS && p->options[n].name)
		err(&e, NULL, "more than %d options (is the table's NULL-name end missing?)",
		    MAX_OPTIONS);
	/* Defaults are tried in a scratch state, only for sound entries. */
	void *scratch = wn_xcalloc(1, p->state_size ? p->state_size : 1);
	wn_pool pool = {0};
	for (size_t i = 0; i < n; i++) {
		if (check_entry(p, i, &e) == 0 && p->options[i].def)
			put_default(&e, p, &p->options[i], scratch, ".", &pool);
	}
	wn_pool_free(&pool);
	free(scratch);
	free(prefix);
	return e.errors;
}

/* The default as shown in the table: "-" for none, '""' for empty. */
static const char *shown_default(const wn_option *o)
{
	if (!o->def)
		return "-";
	return *o->def ? o->def : "\"\"";
}

void wn_schema_print(const wn_plugin *p, FILE *out)
{
	size_t n = option_count(p);
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
