/*
 * Config files: YAML into a located tree (wn_cfg_node), --set overrides,
 * scalar parsers, and the typed model the engine runs from. See config.h
 * for the contracts.
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
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	wn_diag_error(b->d, b->file, (int)m->line + 1, (int)m->column + 1, "%s", msg ? msg : fmt);
	free(msg);
	b->failed = 1;
}

static int is_var_start(int c)
{
	return isalpha(c) || c == '_';
}

/* Expands one "${...}" whose body (between the braces) is body[0..len). */
static int expand_var(builder *b, const yaml_mark_t *m, const char *body, size_t len, wn_buf *out)
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
		return -1;
	}
	char *name = wn_xstrndup(body, name_len);
	const char *v = getenv(name);
	int rc = 0;
	if (v && (*v || !has_def)) {
		wn_buf_adds(out, v);
	} else if (has_def) {
		wn_buf_add(out, body + name_len + 2, len - name_len - 2);
	} else {
		berror(
		    b, m,
		    "environment variable '%s' is not set (write ${%s:-default} to give a default)",
		    name, name);
		rc = -1;
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
static int parse_tree(const char *text, size_t len, const char *file, const char *base,
                      int expand_vars, wn_diag *d, wn_cfg_node **out)
{
	yaml_parser_t parser;
	yaml_document_t ydoc;
	*out = NULL;
	if (!yaml_parser_initialize(&parser)) {
		wn_diag_error(d, file, 0, 0, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &ydoc)) {
		yaml_error(d, file, &parser);
		yaml_parser_delete(&parser);
		return -1;
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
		return -1;
	}
	return 0;
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
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	wn_diag_error(d, n ? n->file : NULL, n ? n->line : 0, n ? n->col : 0, "%s",
	              msg ? msg : fmt);
	free(msg);
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

static int in_list(const char *s, const char *const *list)
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
		if (in_list(k->value, allowed))
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

static const char *const top_keys[] = {"version",  "run",   "http",        "sources",
                                       "pipeline", "sinks", "dead_letter", NULL};
static const char *const stage_keys[] = {"id", "use", "when", "on_error", "retry", "with", NULL};
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
	for (const char *const *k = top_keys; *k; k++)
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
static int override_walk(wn_cfg_node *root, char **parts, size_t n, wn_cfg_node *val,
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
		else if (cur == root && !in_list(part, top_keys))
			stage = find_stage(root, part);
		if (cur == root && !stage && !in_list(part, top_keys)) {
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
		if (was_stage && !in_list(part, stage_keys)) {
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
			return 0;
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
	return -1;
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

int wn_cfg_override(wn_cfg_doc *doc, const char *assign, wn_diag *d)
{
	doc_impl *impl = (doc_impl *)doc;
	const char *eq = strchr(assign, '=');
	size_t n = 0;
	char **parts = eq ? split_path(assign, (size_t)(eq - assign), &n) : NULL;
	if (!parts) {
		wn_diag_error(d, "--set", 0, 0,
		              "'%s': expected KEY.PATH=VALUE (e.g. run.workers=4)", assign);
		return -1;
	}
	char *label = wn_xasprintf("--set %s", assign);
	impl->labels = wn_xrealloc(impl->labels, (impl->n_labels + 1) * sizeof *impl->labels);
	impl->labels[impl->n_labels++] = label;

	int rc = -1;
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
	return rc;
}

/* ---- scalar parsers --------------------------------------------------- */

int wn_parse_int(const char *s, int64_t *out)
{
	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int wn_parse_real(const char *s, double *out)
{
	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno == ERANGE || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int wn_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1", NULL};
	static const char *const no[] = {"false", "no", "off", "0", NULL};
	for (int i = 0; s && yes[i]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* Reads "<digits>[.<digits>]" at *s (no sign). The integer part is exact;
 * the fraction is kept as a double, so "1.5G" is exact enough. */
static int read_number(const char **s, uint64_t *whole, double *frac)
{
	const char *p = *s;
	uint64_t w = 0;
	int digits = 0;
	for (; isdigit((unsigned char)*p); p++, digits++) {
		if (w > (UINT64_MAX - 9) / 10)
			return -1;
		w = w * 10 + (uint64_t)(*p - '0');
	}
	double f = 0, scale = 0.1;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++, scale /= 10)
			f += (*p - '0') * scale;
	}
	if (!digits)
		return -1;
	*whole = w;
	*frac = f;
	*s = p;
	return 0;
}

/* whole.frac * mult into *out, rounded, or -1 past INT64_MAX. */
static int scale_number(uint64_t whole, double frac, uint64_t mult, int64_t *out)
{
	if (whole && mult > (uint64_t)INT64_MAX / whole)
		return -1;
	uint64_t v = whole * mult;
	uint64_t f = (uint64_t)llround(frac * (double)mult);
	if (v > (uint64_t)INT64_MAX - f)
		return -1;
	*out = (int64_t)(v + f);
	return 0;
}

struct unit {
	const char *name;
	uint64_t mult;
};

/* The multiplier of the unit at s[0..len), compared case-insensitively
 * when `fold` is set; 0 when unknown. */
static uint64_t unit_mult(const struct unit *units, const char *s, size_t len, int fold)
{
	for (; units->name; units++) {
		if (strlen(units->name) != len)
			continue;
		if (fold ? strncasecmp(units->name, s, len) == 0
		         : strncmp(units->name, s, len) == 0)
			return units->mult;
	}
	return 0;
}

/* Durations: one or more <number><unit> ("1h30m"); a lone bare number is
 * seconds. Units are case-sensitive: "m" is minutes, "ms" milliseconds. */
int wn_parse_duration(const char *s, int64_t *ms)
{
	static const struct unit units[] = {{"ms", 1},       {"s", 1000},    {"sec", 1000},
	                                    {"m", 60000},    {"min", 60000}, {"h", 3600000},
	                                    {"d", 86400000}, {NULL, 0}};
	if (!s || !*s)
		return -1;
	int64_t total = 0;
	int parts = 0;
	while (*s) {
		uint64_t whole;
		double frac;
		if (read_number(&s, &whole, &frac))
			return -1;
		while (*s == ' ')
			s++;
		size_t ul = 0;
		while (isalpha((unsigned char)s[ul]))
			ul++;
		uint64_t mult = ul ? unit_mult(units, s, ul, 0) : 1000;
		/* A bare number only stands alone: "1h30" is a typo. */
		if (!mult || (!ul && (parts || s[ul])))
			return -1;
		int64_t v;
		if (scale_number(whole, frac, mult, &v) || v > INT64_MAX - total)
			return -1;
		total += v;
		parts++;
		s += ul;
		while (*s == ' ')
			s++;
	}
	*ms = total;
	return 0;
}

/* Sizes. Decimal SI units are powers of 1000 (kB, KB, MB, GB, TB), IEC
 * units powers of 1024 (KiB, MiB, GiB, TiB), and a bare letter (K, M, G,
 * T) is binary too, as in nginx and sort -S: people who write "64K" mean
 * 65536. Units are case-insensitive ("64kb" = 64000); "B" is bytes. */
int wn_parse_size(const char *s, int64_t *bytes)
{
	static const struct unit units[] = {
	    {"b", 1},
	    {"kb", 1000},
	    {"mb", 1000000},
	    {"gb", 1000000000},
	    {"tb", 1000000000000},
	    {"k", 1ull << 10},
	    {"m", 1ull << 20},
	    {"g", 1ull << 30},
	    {"t", 1ull << 40},
	    {"kib", 1ull << 10},
	    {"mib", 1ull << 20},
	    {"gib", 1ull << 30},
	    {"tib", 1ull << 40},
	    {NULL, 0},
	};
	if (!s || !*s)
		return -1;
	uint64_t whole;
	double frac;
	if (read_number(&s, &whole, &frac))
		return -1;
	while (*s == ' ')
		s++;
	size_t ul = strlen(s);
	uint64_t mult = ul ? unit_mult(units, s, ul, 1) : 1;
	if (!mult)
		return -1;
	return scale_number(whole, frac, mult, bytes);
}

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

static void build_run(model *m, const wn_cfg_node *run)
{
	static const char *const keys[] = {
	    "name",  "output_dir",  "state",           "lock",        "workers", "batch_size",
	    "queue", "time_budget", "max_record_size", "plugin_path", "keep",    NULL};
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
		c->lock = c->state ? wn_xasprintf("%s.lock", c->state)
		                   : wn_path_join(c->output_dir, ".winnow.lock");
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
}

static void build_dead_letter(model *m, const wn_cfg_node *dl)
{
	static const char *const keys[] = {"path", NULL};
	const wn_cfg_node *n = wn_cfg_get(dl, "path");
	const char *s;
	wn_cfg_check_keys(dl, keys, "dead_letter", m->d);
	/* Relative to output_dir, so it is not resolved here. */
	if (n && (s = want_scalar(m, n, "dead_letter.path")) && *s)
		m->cfg->dead_letter = wn_xstrdup(s);
	if (!m->cfg->dead_letter)
		m->cfg->dead_letter = wn_xstrdup("dead_letter.jsonl");
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
static void check_stage_keys(model *m, const wn_stage_cfg *st, const wn_cfg_node *e)
{
	const char **cands = absent_keys(e, stage_keys);
	for (size_t i = 0; i < e->n; i++) {
		const wn_cfg_node *k = e->keys[i];
		if (in_list(k->value, stage_keys))
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
	wn_cfg_check_keys(root, top_keys, "the config", d);
	build_version(&m, root);
	build_run(&m, want_map(&m, wn_cfg_get(root, "run"), "run"));
	build_dead_letter(&m, want_map(&m, wn_cfg_get(root, "dead_letter"), "dead_letter"));
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
	wn_cfg_free(cfg->doc);
	memset(cfg, 0, sizeof *cfg);
}
