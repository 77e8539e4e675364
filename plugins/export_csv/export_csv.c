/*
 * export_csv: a sink that writes articles.csv (one row an article, chosen
 * columns) and entities.csv (one row an entity, keyed by the article's id so
 * the two tables join), as RFC 4180 CSV in UTF-8 with CRLF line ends.
 *
 * A record's article row and entity rows are built in memory first and
 * written only when all of them fit, so a record that fails (too large)
 * leaves no partial rows behind. Both files go through api->output_open and
 * are renamed into place by the host when the run commits.
 */
#include "csv.h"

#include <winnow/fields.h>
#include <winnow/plugin.h>

#include <string.h>

/* Hard cap on one record's rows; larger records are dead-lettered. */
#define EC_MAX_ROWS ((size_t)256 << 20)

typedef struct ec_state {
	/* options, written by the host */
	const char *path;
	const char *const *columns;
	int header;
	const char *entities_path;
	int neutralize;
	int bom;
	int64_t max_cell;
	/* run state */
	wn_output *out;                          /* articles */
	wn_output *ents;                         /* entities, NULL when disabled */
	wn_buf row;                              /* the article row being built */
	wn_buf erows;                            /* its entity rows */
	const char *defcols[WN_FIELD_COUNT + 1]; /* the default columns */
	ec_cell_opts cell;
} ec_state;

static const wn_option ec_options[] = {
    {"path", WN_OPT_STR, "articles.csv", 0, offsetof(ec_state, path),
     "articles file, relative to the run's output folder", NULL, 0, 0},
    {"columns", WN_OPT_LIST, NULL, 0, offsetof(ec_state, columns),
     "fields written as columns, in order (missing: empty cell); unset: every catalogue field "
     "but raw (winnow schema)",
     NULL, 0, 0},
    {"header", WN_OPT_BOOL, "true", 0, offsetof(ec_state, header),
     "write a header row with the column names", NULL, 0, 0},
    {"entities_path", WN_OPT_STR, "entities.csv", 0, offsetof(ec_state, entities_path),
     "entities file (article_id joins articles.id); empty: none", NULL, 0, 0},
    {"neutralize_formulas", WN_OPT_BOOL, "true", 0, offsetof(ec_state, neutralize),
     "prefix ' to cells starting with = + - @ TAB CR (not plain numbers)", NULL, 0, 0},
    {"bom", WN_OPT_BOOL, "false", 0, offsetof(ec_state, bom),
     "start each file with a UTF-8 byte order mark (for Excel)", NULL, 0, 0},
    {"max_cell", WN_OPT_SIZE, "0", 0, offsetof(ec_state, max_cell),
     "cut longer cells at a character boundary (0: no cap)", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

/* The entity columns (wn_entity_cols) but kb_id, which user gazetteers
 * set rarely. */
static const char *const ec_entity_columns[] = {"article_id", "type",  "text", "value",
                                                "canonical",  "start", "end",  "confidence",
                                                "stage",      NULL};

/* Fills cols (WN_FIELD_COUNT + 1 entries) with the default columns: every
 * field of the catalogue (winnow/fields.h) but the raw page, in its order,
 * so the CSV holds what the JSON Lines hold and its header does not depend
 * on the records. */
static void default_columns(const char **cols)
{
	size_t n = 0;
	for (size_t i = 0; i < WN_FIELD_COUNT; i++)
		if (wn_field_is_column(&wn_fields[i]))
			cols[n++] = wn_fields[i].name;
	cols[n] = NULL;
}

/* Appends a header row: the names as (neutralised, quoted) cells. */
static void put_header(wn_buf *b, const char *const *names, const ec_cell_opts *o)
{
	for (size_t i = 0; names[i]; i++) {
		if (i)
			ec_buf_put(b, ",", 1);
		ec_put_text(b, names[i], strlen(names[i]), o, NULL);
	}
	ec_buf_put(b, "\r\n", 2);
}

/* Opens one output and writes its BOM and header. NULL on failure. */
static wn_output *open_table(const wn_ctx *cx, ec_state *s, const char *path,
                             const char *const *names)
{
	wn_output *o = cx->api->output_open(cx, path);
	if (!o)
		return NULL;
	wn_buf_reset(&s->row);
	if (s->bom)
		ec_buf_put(&s->row, "\xEF\xBB\xBF", 3);
	if (s->header)
		put_header(&s->row, names, &s->cell);
	if (s->row.err || (s->row.len && cx->api->output_write(o, s->row.p, s->row.len)))
		return NULL;
	return o;
}

static void ec_fini(const wn_ctx *cx)
{
	ec_state *s = cx->state;
	wn_buf_free(&s->row);
	wn_buf_free(&s->erows);
}

static int ec_init(const wn_ctx *cx)
{
	ec_state *s = cx->state;
	if (!s->path || !*s->path) {
		cx->api->log(cx, WN_LOG_ERROR, "option path must not be empty");
		return WN_FATAL;
	}
	if (s->entities_path && strcmp(s->entities_path, s->path) == 0) {
		cx->api->log(cx, WN_LOG_ERROR, "path and entities_path are both \"%s\"", s->path);
		return WN_FATAL;
	}
	if (!s->columns || !s->columns[0]) {
		default_columns(s->defcols);
		s->columns = s->defcols;
	}
	s->cell.neutralize = s->neutralize;
	s->cell.max_cell = s->max_cell > 0 ? (size_t)s->max_cell : 0;
	wn_buf_init(&s->row, EC_MAX_ROWS);
	wn_buf_init(&s->erows, EC_MAX_ROWS);
	s->out = open_table(cx, s, s->path, s->columns);
	if (s->out && s->entities_path && *s->entities_path)
		s->ents = open_table(cx, s, s->entities_path, ec_entity_columns);
	if (!s->out || (s->entities_path && *s->entities_path && !s->ents)) {
		ec_fini(cx); /* the host calls fini only after a successful init */
		return WN_FATAL;
	}
	return WN_OK;
}

/* One field value as a cell; absent fields give an empty cell. */
static void put_field(ec_state *s, wn_buf *b, const wn_record *r, const wn_host_api *api,
                      const char *name, int64_t *truncated)
{
	int type = WN_T_NONE;
	size_t len = 0;
	const void *val = api->get(r, name, &type, &len);
	int64_t i;
	double d;
	switch (val ? type : WN_T_NONE) {
	case WN_T_STR:
	case WN_T_BYTES:
		ec_put_text(b, val, len, &s->cell, truncated);
		break;
	case WN_T_INT:
		memcpy(&i, val, sizeof i);
		ec_put_int(b, i);
		break;
	case WN_T_REAL:
		memcpy(&d, val, sizeof d);
		ec_put_real(b, d);
		break;
	default:
		break;
	}
}

/* A text cell that may be NULL (empty cell), then a comma. */
static void put_opt(ec_state *s, wn_buf *b, const char *v, int64_t *truncated)
{
	if (v)
		ec_put_text(b, v, strlen(v), &s->cell, truncated);
	ec_buf_put(b, ",", 1);
}

/* Appends one entities.csv row for entity e of record r. The id cell is
 * rendered once per record by the caller and passed in as `id`. */
static void put_entity(ec_state *s, const wn_buf *id, const wn_entity *e, wn_cp_cursor *cp,
                       int64_t *truncated)
{
	wn_buf *b = &s->erows;
	ec_buf_put(b, id->p, id->len);
	ec_buf_put(b, ",", 1);
	put_opt(s, b, e->type, truncated);
	put_opt(s, b, e->text, truncated);
	put_opt(s, b, e->value, truncated);
	put_opt(s, b, e->canonical, truncated);
	ec_put_int(b, wn_cp_offset(cp, e->start)); /* code points, not the ABI's bytes */
	ec_buf_put(b, ",", 1);
	ec_put_int(b, wn_cp_offset(cp, e->end));
	ec_buf_put(b, ",", 1);
	ec_put_real(b, e->confidence);
	ec_buf_put(b, ",", 1);
	if (e->stage)
		ec_put_text(b, e->stage, strlen(e->stage), &s->cell, truncated);
	ec_buf_put(b, "\r\n", 2);
}

/* Builds every entity row of r into s->erows. The article id cell is
 * rendered into a scratch buffer first (it repeats on each row). */
static int build_entities(const wn_ctx *cx, ec_state *s, const wn_record *r, int64_t *truncated)
{
	size_t n = cx->api->entity_count(r);
	wn_buf_reset(&s->erows);
	if (!s->ents || n == 0)
		return EC_OK;
	wn_buf id;
	wn_buf_init(&id, EC_MAX_ROWS);
	put_field(s, &id, r, cx->api, WN_F_ID, truncated);
	if (id.len == 0)
		cx->api->count(cx, "entities_without_id", (int64_t)n);
	size_t tlen = 0;
	const char *text = cx->api->get_str(r, WN_F_TEXT, &tlen);
	wn_cp_cursor cp;
	wn_cp_init(&cp, text, text ? tlen : 0);
	for (size_t i = 0; i < n && !id.err; i++) {
		const wn_entity *e = cx->api->entity_at(r, i);
		if (e)
			put_entity(s, &id, e, &cp, truncated);
	}
	int rc = id.err ? id.err : s->erows.err;
	wn_buf_free(&id);
	return rc;
}

static int build_row(const wn_ctx *cx, ec_state *s, const wn_record *r, int64_t *truncated)
{
	wn_buf_reset(&s->row);
	for (size_t i = 0; s->columns[i]; i++) {
		if (i)
			ec_buf_put(&s->row, ",", 1);
		put_field(s, &s->row, r, cx->api, s->columns[i], truncated);
	}
	return ec_buf_put(&s->row, "\r\n", 2);
}

static int ec_write(const wn_ctx *cx, wn_record *r)
{
	ec_state *s = cx->state;
	const wn_host_api *api = cx->api;
	int64_t truncated = 0;
	int rc = build_row(cx, s, r, &truncated);
	if (!rc)
		rc = build_entities(cx, s, r, &truncated);
	if (rc) {
		int big = rc == EC_ELIMIT;
		api->reason(r, big ? "too_large" : "no_memory", "export_csv: %s",
		            big ? "record exceeds 256 MiB as CSV" : "out of memory");
		return WN_ERROR;
	}
	if (truncated)
		api->count(cx, "truncated_cells", truncated);
	if (api->output_write(s->out, s->row.p, s->row.len))
		return WN_FATAL; /* the host logged the I/O error */
	if (s->erows.len && api->output_write(s->ents, s->erows.p, s->erows.len))
		return WN_FATAL;
	return WN_OK;
}

/* Rows are written as they come; nothing is buffered across records. */
static int ec_commit(const wn_ctx *cx)
{
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_export_csv = {
    WN_PLUGIN_HEADER,
    .kind = WN_KIND_SINK,
    .name = "export_csv",
    .version = "1.0.0",
    .description = "write articles.csv and entities.csv (RFC 4180, joinable on id)",
    .options = ec_options,
    .state_size = sizeof(ec_state),
    .init = ec_init,
    .fini = ec_fini,
    .write = ec_write,
    .commit = ec_commit,
};
