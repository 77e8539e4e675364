/*
 * Config files: YAML into a located tree (wn_cfg_node), tree queries and
 * --set overrides. Scalars are parsed in config_scalar.c, the typed model
 * is built in config_model.c. See config.h for the contracts.
 *
 * The tree is a plain tree: aliases are copied where they are used, so
 * freeing never meets a shared node. Copying is what makes an alias bomb
 * dangerous, hence the caps on total nodes and depth.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "winnow/plugin.h"

/* No real config comes near these; an alias bomb does at once. */
#define MAX_NODES 100000
#define MAX_DEPTH 64
/* A config file larger than this is a mistake (or an attack). */
#define MAX_FILE_BYTES (16u << 20)

/* The public document plus what only this file needs. `pub` comes first
 * so a wn_cfg_doc pointer converts back. */
typedef struct doc_impl {
	wn_cfg_doc pub;
	wn_buf hashed; /* file bytes, then each override and a NUL */
	char **labels; /* "--set a.b=c" strings that override nodes point at */
	size_t n_labels;
} doc_impl;

/* ---- building the tree ----------------------------------------------- */

typedef struct builder {
	yaml_document_t *ydoc;
	const char *file, *base;
	int expand;   /* ${VAR} expansion on (config files) or off (defaults) */
	size_t nodes; /* built so far: the alias-bomb guard */
	int failed;   /* an error was printed: the tree is discarded */
	int stop;     /* a cap was hit: build nothing more */
	wn_diag *d;
} builder;

static wn_cfg_node *node_new(int kind, const char *file, const char *base, int line, int col)
{
	wn_cfg_node *n = wn_xcalloc(1, sizeof *n);
	n->kind = kind;
	n->file = file;
	n->base = base;
	n->line = line;
	n->col = col;
	return n;
}

void wn_cfg_node_free(wn_cfg_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys)
			wn_cfg_node_free(n->keys[i]);
		if (n->vals)
			wn_cfg_node_free(n->vals[i]);
	}
	free(n->keys);
	free(n->vals);
	free(n->value);
	free(n);
}

static void berror(builder *b, const yaml_mark_t *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints an error at libyaml mark m and marks the build failed. */
static void berror(builder *b, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_diag_verror(b->d, b->file, (int)m->line + 1, (int)m->column + 1, NULL, fmt, ap);
	va_end(ap);
	b->failed = 1;
}

static int is_var_start(int c)
{
	return isalpha(c) || c == '_';
}

/* Expands one "${...}" whose body (between the braces) is body[0..len). */
static wn_err expand_var(builder *b, const yaml_mark_t *m, const char *body, size_t len,
                         wn_buf *out)
{
	size_t name_len = 0;
	while (name_len < len && (isalnum((unsigned char)body[name_len]) || body[name_len] == '_'))
		name_len++;
	int has_def = len - name_len >= 2 && body[name_len] == ':' && body[name_len + 1] == '-';
	if (name_len == 0 || !is_var_start((unsigned char)body[0]) ||
	    (name_len != len && !has_def)) {
		char *what = wn_xstrndup(body, len);
		berror(b, m, "bad variable reference '${%s}' (use ${NAME} or ${NAME:-default})",
		       what);
		free(what);
		return WN_E_CONFIG;
	}
	char *name = wn_xstrndup(body, name_len);
	const char *v = getenv(name);
	wn_err rc = WN_E_OK;
	if (v && (*v || !has_def)) {
		wn_buf_adds(out, v);
	} else if (has_def) {
		wn_buf_add(out, body + name_len + 2, len - name_len - 2);
	} else {
		berror(
		    b, m,
		    "environment variable '%s' is not set (write ${%s:-default} to give a default)",
		    name, name);
		rc = WN_E_CONFIG;
	}
	free(name);
	return rc;
}

/* Expands ${VAR}, ${VAR:-default} and $$ in s. Any other '$' is literal,
 * so regexes like "^a$" need no escaping. NULL after an error. */
static char *expand(builder *b, const char *s, const yaml_mark_t *m)
{
	if (!strchr(s, '$'))
		return wn_xstrdup(s);
	wn_buf out = {0};
	wn_buf_adds(&out, "");
	while (*s) {
		if (s[0] == '$' && s[1] == '$') {
			wn_buf_addc(&out, '$');
			s += 2;
		} else if (s[0] == '$' && s[1] == '{') {
			const char *end = strchr(s + 2, '}');
			if (!end) {
				berror(b, m, "unterminated '${' in '%s'", s);
				wn_buf_free(&out);
				return NULL;
			}
			if (expand_var(b, m, s + 2, (size_t)(end - s - 2), &out)) {
				wn_buf_free(&out);
				return NULL;
			}
			s = end + 1;
		} else {
			wn_buf_addc(&out, *s++);
		}
	}
	return out.p;
}

static wn_cfg_node *build(builder *b, yaml_node_t *yn, int depth);

static wn_cfg_node *build_scalar(builder *b, yaml_node_t *yn, wn_cfg_node *n)
{
	const char *text = (const char *)yn->data.scalar.value;
	if (strlen(text) != yn->data.scalar.length) {
		berror(b, &yn->start_mark, "%s", "NUL character in a string value");
		return n;
	}
	n->plain = yn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->value = b->expand ? expand(b, text, &yn->start_mark) : wn_xstrdup(text);
	return n;
}

/* Reports every key that repeats an earlier one in map n, in order.
 * Quadratic, but maps are small and the node cap bounds the worst case. */
static void check_duplicates(builder *b, const wn_cfg_node *n)
{
	if (n->n > 4096) /* a generated bomb, not a config: skip the O(n^2) scan */
		return;
	for (size_t i = 1; i < n->n; i++) {
		for (size_t j = 0; j < i && n->keys[i]->value; j++) {
			if (n->keys[j]->value &&
			    strcmp(n->keys[i]->value, n->keys[j]->value) == 0) {
				wn_diag_error(b->d, b->file, n->keys[i]->line, n->keys[i]->col,
				              "duplicate key '%s' (first defined at line %d)",
				              n->keys[i]->value, n->keys[j]->line);
				b->failed = 1;
				break;
			}
		}
	}
}

static wn_cfg_node *build_map(builder *b, yaml_node_t *yn, wn_cfg_node *n, int depth)
{
	size_t cnt = (size_t)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
	n->keys = wn_xcalloc(cnt, sizeof *n->keys);
	n->vals = wn_xcalloc(cnt, sizeof *n->vals);
	for (size_t i = 0; i < cnt && !b->stop; i++) {
		yaml_node_pair_t *pair = &yn->data.mapping.pairs.start[i];
		yaml_node_t *k = yaml_document_get_node(b->ydoc, pair->key);
		yaml_node_t *v = yaml_document_get_node(b->ydoc, pair->value);
		if (!k || k->type != YAML_SCALAR_NODE) {
			berror(b, k ? &k->start_mark : &yn->start_mark, "%s",
			       "mapping keys must be plain strings");
			break;
		}
		/* Keys are names, never expanded. */
		int saved = b->expand;
		b->expand = 0;
		n->keys[i] = build(b, k, depth + 1);
		b->expand = saved;
		n->vals[i] = build(b, v, depth + 1);
		n->n = i + 1;
	}
	if (!b->stop)
		check_duplicates(b, n);
	return n;
}

static wn_cfg_node *build_seq(builder *b, yaml_node_t *yn, wn_cfg_node *n, int depth)
{
	size_t cnt = (size_t)(yn->data.sequence.items.top - yn->data.sequence.items.start);
	n->vals = wn_xcalloc(cnt, sizeof *n->vals);
	for (size_t i = 0; i < cnt && !b->stop; i++) {
		yaml_node_t *item =
		    yaml_document_get_node(b->ydoc, yn->data.sequence.items.start[i]);
		n->vals[i] = build(b, item, depth + 1);
		n->n = i + 1;
	}
	return n;
}

/* Copies libyaml node yn (aliases included) into a fresh tree. On error
 * the partial tree is still well formed, so the caller can free it. */
static wn_cfg_node *build(builder *b, yaml_node_t *yn, int depth)
{
	if (!yn) /* libyaml never gives a dangling index, but be safe */
		return node_new(WN_CFG_SCALAR, b->file, b->base, 0, 0);
	const yaml_mark_t *m = &yn->start_mark;
	int line = (int)m->line + 1, col = (int)m->column + 1;
	if (++b->nodes > MAX_NODES && !b->stop) {
		berror(b, m, "more than %d nodes (an alias bomb?)", MAX_NODES);
		b->stop = 1;
	}
	if (depth > MAX_DEPTH && !b->stop) {
		berror(b, m, "nesting deeper than %d levels (a recursive alias?)", MAX_DEPTH);
		b->stop = 1;
	}
	if (b->stop)
		return node_new(WN_CFG_SCALAR, b->file, b->base, line, col);
	switch (yn->type) {
	case YAML_MAPPING_NODE:
		return build_map(b, yn, node_new(WN_CFG_MAP, b->file, b->base, line, col), depth);
	case YAML_SEQUENCE_NODE:
		return build_seq(b, yn, node_new(WN_CFG_SEQ, b->file, b->base, line, col), depth);
	default:
		return build_scalar(b, yn, node_new(WN_CFG_SCALAR, b->file, b->base, line, col));
	}
}

static void yaml_error(wn_diag *d, const char *file, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";
	if (p->error == YAML_READER_ERROR) {
		wn_diag_error(d, file, 0, 0, "%s at byte %zu", problem, p->problem_offset);
	} else if (p->context) {
		wn_diag_error(d, file, (int)p->problem_mark.line + 1,
		              (int)p->problem_mark.column + 1, "%s (%s at line %d)", problem,
		              p->context, (int)p->context_mark.line + 1);
	} else {
		wn_diag_error(d, file, (int)p->problem_mark.line + 1,
		              (int)p->problem_mark.column + 1, "%s", problem);
	}
}

/* Parses text into a tree. *out is NULL for an empty document. Returns 0,
 * or -1 after printing errors. */
static wn_err parse_tree(const char *text, size_t len, const char *file, const char *base,
                         int expand_vars, wn_diag *d, wn_cfg_node **out)
{
	yaml_parser_t parser;
	yaml_document_t ydoc;
	*out = NULL;
	if (!yaml_parser_initialize(&parser)) {
		wn_diag_error(d, file, 0, 0, "out of memory");
		return WN_E_CONFIG;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &ydoc)) {
		yaml_error(d, file, &parser);
		yaml_parser_delete(&parser);
		return WN_E_CONFIG;
	}
	builder b = {.ydoc = &ydoc, .file = file, .base = base, .expand = expand_vars, .d = d};
	yaml_node_t *root = yaml_document_get_root_node(&ydoc);
	if (root)
		*out = build(&b, root, 0);
	yaml_document_delete(&ydoc);
	/* A second document is almost always a stray '---'. */
	if (!b.failed && root) {
		if (!yaml_parser_load(&parser, &ydoc)) {
			yaml_error(d, file, &parser);
			b.failed = 1;
		} else {
			yaml_node_t *extra = yaml_document_get_root_node(&ydoc);
			if (extra) {
				wn_diag_error(d, file, (int)extra->start_mark.line + 1,
				              (int)extra->start_mark.column + 1,
				              "a second YAML document; a config is one document");
				b.failed = 1;
			}
			yaml_document_delete(&ydoc);
		}
	}
	yaml_parser_delete(&parser);
	if (b.failed) {
		wn_cfg_node_free(*out);
		*out = NULL;
		return WN_E_CONFIG;
	}
	return WN_E_OK;
}

wn_cfg_node *wn_cfg_parse_value(const char *text, const char *file, const char *base, wn_diag *d)
{
	wn_cfg_node *n;
	if (parse_tree(text, strlen(text), file, base, 0, d, &n))
		return NULL;
	if (!n) {
		n = node_new(WN_CFG_SCALAR, file, base, 1, 1);
		n->value = wn_xstrdup("");
		n->plain = 1;
	}
	return n;
}

static void doc_rehash(doc_impl *impl)
{
	char hex[65];
	wn_sha256_hex(impl->hashed.p ? impl->hashed.p : "", impl->hashed.len, hex);
	free(impl->pub.sha256);
	impl->pub.sha256 = wn_xstrdup(hex);
}

static wn_cfg_doc *load_text(const char *text, size_t len, const char *path, const char *dir,
                             wn_diag *d)
{
	doc_impl *impl = wn_xcalloc(1, sizeof *impl);
	impl->pub.path = wn_xstrdup(path);
	impl->pub.dir = wn_xstrdup(dir ? dir : ".");
	wn_buf_add(&impl->hashed, text, len);
	doc_rehash(impl);
	if (parse_tree(text, len, impl->pub.path, impl->pub.dir, 1, d, &impl->pub.root)) {
		wn_cfg_free(&impl->pub);
		return NULL;
	}
	return &impl->pub;
}

wn_cfg_doc *wn_cfg_load_string(const char *text, const char *name, const char *dir, wn_diag *d)
{
	return load_text(text, strlen(text), name, dir, d);
}

wn_cfg_doc *wn_cfg_load(const char *path, wn_diag *d)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		wn_diag_error(d, path, 0, 0, "cannot open config: %s", strerror(errno));
		return NULL;
	}
	wn_buf text = {.limit = MAX_FILE_BYTES};
	char chunk[8192];
	size_t got;
	int too_big = 0;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (wn_buf_add(&text, chunk, got)) {
			too_big = 1;
			break;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (too_big || bad) {
		wn_diag_error(d, path, 0, 0, "%s",
		              too_big ? "config file is larger than 16 MiB" : "cannot read config");
		wn_buf_free(&text);
		return NULL;
	}
	char *dir = wn_dirname(path);
	wn_cfg_doc *doc = load_text(text.p ? text.p : "", text.len, path, dir, d);
	free(dir);
	wn_buf_free(&text);
	return doc;
}

void wn_cfg_free(wn_cfg_doc *doc)
{
	if (!doc)
		return;
	doc_impl *impl = (doc_impl *)doc;
	wn_cfg_node_free(doc->root);
	free(doc->path);
	free(doc->dir);
	free(doc->sha256);
	wn_buf_free(&impl->hashed);
	for (size_t i = 0; i < impl->n_labels; i++)
		free(impl->labels[i]);
	free(impl->labels);
	free(impl);
}

/* ---- tree queries ----------------------------------------------------- */

wn_cfg_node *wn_cfg_get(const wn_cfg_node *map, const char *key)
{
	if (!map || map->kind != WN_CFG_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->vals[i];
	return NULL;
}

void wn_cfg_error(wn_diag *d, const wn_cfg_node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_diag_verror(d, n ? n->file : NULL, n ? n->line : 0, n ? n->col : 0, NULL, fmt, ap);
	va_end(ap);
}

int wn_cfg_is_null(const wn_cfg_node *n)
{
	if (!n)
		return 1;
	if (n->kind != WN_CFG_SCALAR || !n->plain)
		return 0;
	const char *v = n->value ? n->value : "";
	return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

int wn_cfg_in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

int wn_cfg_check_keys(const wn_cfg_node *map, const char *const *allowed, const char *what,
                      wn_diag *d)
{
	if (!map || map->kind != WN_CFG_MAP)
		return 0;
	int bad = 0;
	for (size_t i = 0; i < map->n; i++) {
		const wn_cfg_node *k = map->keys[i];
		if (wn_cfg_in_list(k->value, allowed))
			continue;
		const char *best = wn_closest(k->value, allowed);
		if (best)
			wn_cfg_error(d, k, "unknown key '%s' in %s (did you mean '%s'?)", k->value,
			             what, best);
		else
			wn_cfg_error(d, k, "unknown key '%s' in %s", k->value, what);
		bad++;
	}
	return bad;
}

/* ---- overrides -------------------------------------------------------- */

const char *const wn_cfg_top_keys[] = {"version", "run",         "http",  "sources", "pipeline",
                                       "sinks",   "dead_letter", "dedup", NULL};
const char *const wn_cfg_stage_keys[] = {"id", "use", "when", "on_error", "retry", "with", NULL};
static const char *const stage_sections[] = {"sources", "pipeline", "sinks", NULL};

static void map_add(wn_cfg_node *map, wn_cfg_node *key, wn_cfg_node *val)
{
	map->keys = wn_xrealloc(map->keys, (map->n + 1) * sizeof *map->keys);
	map->vals = wn_xrealloc(map->vals, (map->n + 1) * sizeof *map->vals);
	map->keys[map->n] = key;
	map->vals[map->n] = val;
	map->n++;
}

/* The stage's id as written, or its `use` (the default id). */
static const char *stage_id_of(const wn_cfg_node *stage)
{
	const wn_cfg_node *id = wn_cfg_get(stage, "id");
	if (!id || id->kind != WN_CFG_SCALAR)
		id = wn_cfg_get(stage, "use");
	return id && id->kind == WN_CFG_SCALAR ? id->value : NULL;
}

/* The stage with `id` in sequence seq (or by 0-based index), or NULL. */
static wn_cfg_node *seq_stage(const wn_cfg_node *seq, const char *id)
{
	if (!seq || seq->kind != WN_CFG_SEQ)
		return NULL;
	for (size_t i = 0; i < seq->n; i++) {
		const char *sid = stage_id_of(seq->vals[i]);
		if (seq->vals[i]->kind == WN_CFG_MAP && sid && strcmp(sid, id) == 0)
			return seq->vals[i];
	}
	int64_t idx;
	if (wn_parse_int(id, &idx) == 0 && idx >= 0 && (uint64_t)idx < seq->n &&
	    seq->vals[idx]->kind == WN_CFG_MAP)
		return seq->vals[idx];
	return NULL;
}

static wn_cfg_node *find_stage(const wn_cfg_node *root, const char *id)
{
	for (const char *const *s = stage_sections; *s; s++) {
		const wn_cfg_node *seq = wn_cfg_get(root, *s);
		if (!seq || seq->kind != WN_CFG_SEQ)
			continue;
		for (size_t i = 0; i < seq->n; i++) {
			const char *sid = stage_id_of(seq->vals[i]);
			if (seq->vals[i]->kind == WN_CFG_MAP && sid && strcmp(sid, id) == 0)
				return seq->vals[i];
		}
	}
	return NULL;
}

/* Reports a first path part that is neither a section nor a stage id,
 * suggesting the closest of both. */
static void no_such_root(const wn_cfg_node *root, const char *part, const char *label, wn_diag *d)
{
	size_t n = 0, cap = 8;
	const char **cands = wn_xcalloc(cap, sizeof *cands);
	for (const char *const *k = wn_cfg_top_keys; *k; k++)
		cands[n++] = *k;
	for (const char *const *s = stage_sections; *s; s++) {
		const wn_cfg_node *seq = wn_cfg_get(root, *s);
		for (size_t i = 0; seq && seq->kind == WN_CFG_SEQ && i < seq->n; i++) {
			const char *sid = stage_id_of(seq->vals[i]);
			if (!sid)
				continue;
			if (n + 2 > cap)
				cands = wn_xrealloc(cands, (cap *= 2) * sizeof *cands);
			cands[n++] = sid;
		}
	}
	cands[n] = NULL;
	const char *best = wn_closest(part, cands);
	if (best)
		wn_diag_error(d, label, 0, 0,
		              "'%s' is neither a config section nor a stage id (did "
		              "you mean '%s'?)",
		              part, best);
	else
		wn_diag_error(d, label, 0, 0, "'%s' is neither a config section nor a stage id",
		              part);
	free(cands);
}

/* The value slot of `key` in map, adding the key (with a NULL value) when
 * absent. */
static wn_cfg_node **map_slot(wn_cfg_node *map, const char *key, const char *label)
{
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return &map->vals[i];
	wn_cfg_node *k = node_new(WN_CFG_SCALAR, label, ".", 0, 0);
	k->value = wn_xstrdup(key);
	k->plain = 1;
	map_add(map, k, NULL);
	return &map->vals[map->n - 1];
}

/* The mapping under `key`, created (or replacing a null) when needed. */
static wn_cfg_node *map_child(wn_cfg_node *map, const char *key, const char *label)
{
	wn_cfg_node **slot = map_slot(map, key, label);
	if (*slot && (*slot)->kind != WN_CFG_SCALAR)
		return *slot;
	if (*slot && !wn_cfg_is_null(*slot))
		return NULL;
	wn_cfg_node_free(*slot);
	*slot = node_new(WN_CFG_MAP, label, ".", 0, 0);
	return *slot;
}

static wn_cfg_node *override_value(const char *text, const char *label, wn_diag *d)
{
	if (text[0] == '[' || text[0] == '{')
		return wn_cfg_parse_value(text, label, ".", d);
	wn_cfg_node *v = node_new(WN_CFG_SCALAR, label, ".", 0, 0);
	v->value = wn_xstrdup(text);
	v->plain = 1;
	return v;
}

/* Walks the dotted path parts[0..n) from the root and stores val at the
 * end. Returns 0, or -1 after an error (val is then freed). */
static wn_err override_walk(wn_cfg_node *root, char **parts, size_t n, wn_cfg_node *val,
                            const char *label, wn_diag *d)
{
	wn_cfg_node *cur = root;
	int after_stage = 0;
	for (size_t i = 0; i < n; i++) {
		const char *part = parts[i];
		int was_stage = after_stage;
		after_stage = 0;
		wn_cfg_node *stage = NULL;
		if (cur->kind == WN_CFG_SEQ)
			stage = seq_stage(cur, part);
		else if (cur == root && !wn_cfg_in_list(part, wn_cfg_top_keys))
			stage = find_stage(root, part);
		if (cur == root && !stage && !wn_cfg_in_list(part, wn_cfg_top_keys)) {
			no_such_root(root, part, label, d);
			goto fail;
		}
		if (cur->kind == WN_CFG_SEQ && !stage) {
			wn_diag_error(d, label, 0, 0, "no stage '%s' in '%s'", part,
			              i ? parts[i - 1] : "");
			goto fail;
		}
		if (stage) {
			if (i + 1 == n) {
				wn_diag_error(d, label, 0, 0,
				              "'%s' is a stage; name one of its keys", part);
				goto fail;
			}
			cur = stage;
			after_stage = 1;
			continue;
		}
		/* A plugin option named right after a stage lives under `with:`. */
		if (was_stage && !wn_cfg_in_list(part, wn_cfg_stage_keys)) {
			cur = map_child(cur, "with", label);
			if (!cur) {
				wn_diag_error(d, label, 0, 0,
				              "the stage's 'with' is not a mapping");
				goto fail;
			}
		}
		if (i + 1 == n) {
			wn_cfg_node **slot = map_slot(cur, part, label);
			wn_cfg_node_free(*slot);
			*slot = val;
			return WN_E_OK;
		}
		wn_cfg_node **slot = map_slot(cur, part, label);
		if (*slot && (*slot)->kind == WN_CFG_SEQ) {
			cur = *slot;
			continue;
		}
		cur = map_child(cur, part, label);
		if (!cur) {
			wn_diag_error(d, label, 0, 0, "'%s' is a value, not a mapping", part);
			goto fail;
		}
	}
fail:
	wn_cfg_node_free(val);
	return WN_E_CONFIG;
}

/* Splits "a.b.c" into parts; NULL when a part is empty. */
static char **split_path(const char *path, size_t len, size_t *n)
{
	char *copy = wn_xstrndup(path, len);
	size_t cnt = 1;
	for (const char *s = copy; *s; s++)
		cnt += *s == '.';
	char **parts = wn_xcalloc(cnt + 1, sizeof *parts);
	char *save = copy;
	size_t k = 0;
	for (char *s = copy;; s++) {
		if (*s != '.' && *s)
			continue;
		if (s == save) {
			free(copy);
			free(parts);
			return NULL;
		}
		int end = !*s;
		*s = '\0';
		parts[k++] = save;
		save = s + 1;
		if (end)
			break;
	}
	*n = k;
	return parts; /* parts[0] is the start of copy: freed through it */
}

wn_err wn_cfg_override(wn_cfg_doc *doc, const char *assign, wn_diag *d)
{
	doc_impl *impl = (doc_impl *)doc;
	const char *eq = strchr(assign, '=');
	size_t n = 0;
	char **parts = eq ? split_path(assign, (size_t)(eq - assign), &n) : NULL;
	if (!parts) {
		wn_diag_error(d, "--set", 0, 0,
		              "'%s': expected KEY.PATH=VALUE (e.g. run.workers=4)", assign);
		return WN_E_CONFIG;
	}
	char *label = wn_xasprintf("--set %s", assign);
	impl->labels = wn_xrealloc(impl->labels, (impl->n_labels + 1) * sizeof *impl->labels);
	impl->labels[impl->n_labels++] = label;

	wn_err rc = -1;
	wn_cfg_node *val = override_value(eq + 1, label, d);
	if (!doc->root)
		doc->root = node_new(WN_CFG_MAP, label, ".", 0, 0);
	if (val && doc->root->kind != WN_CFG_MAP) {
		wn_diag_error(d, label, 0, 0, "the config is not a mapping");
		wn_cfg_node_free(val);
	} else if (val) {
		rc = override_walk(doc->root, parts, n, val, label, d);
	}
	free(parts[0]);
	free(parts);
	if (rc == 0) {
		wn_buf_add(&impl->hashed, assign, strlen(assign) + 1);
		doc_rehash(impl);
	}
	return rc ? WN_E_CONFIG : WN_E_OK;
}
