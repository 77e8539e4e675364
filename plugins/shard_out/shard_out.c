/*
 * shard_out: the sink of a sharded run. `winnow run --shard K/N` puts it
 * in place of the config's sinks; `winnow merge` reads what it wrote,
 * puts the records of every shard back into one global order, drops the
 * duplicates across shards and hands the survivors to the config's own
 * sinks. So it must keep everything a sink could look at: every field
 * with its type and position, every entity with all its members.
 *
 * One JSON line a record:
 *
 *   {"u": UNIT, "f": [[NAME, TYPE, VALUE], ...], "e": [[TYPE, TEXT, VALUE,
 *    CANONICAL, KB_ID, START, END, CONFIDENCE, STAGE], ...]}
 *
 * UNIT is the record's input in the frozen list (field shard_unit, taken
 * out of "f"); TYPE the wn_type number. Strings that are valid UTF-8 are
 * JSON strings; other bytes (and BYTES fields) are {"hex": "..."}; reals
 * are C99 hex floats in a string ("0x1.8p+1"), so they read back exactly.
 * `raw` (the page bytes) is left out unless `raw: true`: sinks rarely
 * write it and it is most of a shard's size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs.h"
#include "jsonw.h"
#include "utf8.h"
#include <winnow/plugin.h>

typedef struct so_state {
	/* options, written by the host */
	const char *path;
	int raw;
	/* run state */
	wn_output *out;
	wn_jsonw w;
	char *hex;
	size_t hex_cap;
} so_state;

static const wn_option so_options[] = {
    {"path", WN_OPT_STR, "records.jsonl", 0, offsetof(so_state, path),
     "output file, relative to the shard's output folder", NULL, 0, 0},
    {"raw", WN_OPT_BOOL, "false", 0, offsetof(so_state, raw),
     "keep the raw page bytes too (for sinks that write `raw`)", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static int so_init(const wn_ctx *cx)
{
	so_state *s = cx->state;
	wn_jsonw_init(&s->w, 0);
	s->out = cx->api->output_open(cx, s->path);
	return s->out ? WN_OK : WN_FATAL;
}

static void so_fini(const wn_ctx *cx)
{
	so_state *s = cx->state;
	wn_jsonw_free(&s->w);
	free(s->hex);
}

/* A string value: JSON text when it is valid UTF-8 without NUL bytes
 * (the JSON reader gives those back unchanged), else {"hex": ...}. */
static int put_bytes(so_state *s, const char *v, size_t n, int force_hex)
{
	if (!force_hex && wn_utf8_valid_prefix((const unsigned char *)v, n) == n &&
	    !memchr(v, '\0', n))
		return wn_jsonw_strn(&s->w, v, n);
	if (s->hex_cap < 2 * n + 1) {
		char *h = realloc(s->hex, 2 * n + 1);
		if (!h)
			return -1;
		s->hex = h;
		s->hex_cap = 2 * n + 1;
	}
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		s->hex[2 * i] = digits[(unsigned char)v[i] >> 4];
		s->hex[2 * i + 1] = digits[(unsigned char)v[i] & 15];
	}
	wn_jsonw_begin_obj(&s->w);
	wn_jsonw_key(&s->w, "hex");
	wn_jsonw_strn(&s->w, s->hex, 2 * n);
	return wn_jsonw_end_obj(&s->w);
}

static void put_real(so_state *s, double v)
{
	char b[64];
	snprintf(b, sizeof b, "%a", v);
	wn_jsonw_str(&s->w, b);
}

static void put_opt_str(so_state *s, const char *v)
{
	if (v)
		put_bytes(s, v, strlen(v), 0);
	else
		wn_jsonw_null(&s->w);
}

/* The fields but the unit (returned in *unit) and, unless kept, raw. */
static int put_fields(const wn_ctx *cx, so_state *s, const wn_record *r, int64_t *unit)
{
	wn_jsonw_begin_arr(&s->w);
	size_t n = cx->api->field_count(r);
	for (size_t i = 0; i < n; i++) {
		int type;
		const void *val;
		size_t len;
		const char *name = cx->api->field_at(r, i, &type, &val, &len);
		if (!name || (!s->raw && strcmp(name, "raw") == 0))
			continue;
		if (strcmp(name, WN_SHARD_UNIT_FIELD) == 0 && type == WN_T_INT) {
			*unit = *(const int64_t *)val;
			continue;
		}
		wn_jsonw_begin_arr(&s->w);
		wn_jsonw_str(&s->w, name);
		wn_jsonw_int(&s->w, type);
		if (type == WN_T_INT)
			wn_jsonw_int(&s->w, *(const int64_t *)val);
		else if (type == WN_T_REAL)
			put_real(s, *(const double *)val);
		else
			put_bytes(s, val, len, type == WN_T_BYTES);
		wn_jsonw_end_arr(&s->w);
	}
	return wn_jsonw_end_arr(&s->w);
}

static int put_entities(const wn_ctx *cx, so_state *s, const wn_record *r)
{
	wn_jsonw_begin_arr(&s->w);
	size_t n = cx->api->entity_count(r);
	for (size_t i = 0; i < n; i++) {
		const wn_entity *e = cx->api->entity_at(r, i);
		wn_jsonw_begin_arr(&s->w);
		put_opt_str(s, e->type);
		put_opt_str(s, e->text);
		put_opt_str(s, e->value);
		put_opt_str(s, e->canonical);
		put_opt_str(s, e->kb_id);
		wn_jsonw_int(&s->w, e->start);
		wn_jsonw_int(&s->w, e->end);
		put_real(s, e->confidence);
		put_opt_str(s, e->stage);
		wn_jsonw_end_arr(&s->w);
	}
	return wn_jsonw_end_arr(&s->w);
}

static int so_write(const wn_ctx *cx, wn_record *r)
{
	so_state *s = cx->state;
	int64_t unit = -1;
	wn_jsonw_reset(&s->w);
	wn_jsonw_begin_obj(&s->w);
	wn_jsonw_key(&s->w, "f");
	put_fields(cx, s, r, &unit);
	wn_jsonw_key(&s->w, "e");
	put_entities(cx, s, r);
	wn_jsonw_key(&s->w, "u");
	wn_jsonw_int(&s->w, unit);
	wn_jsonw_end_obj(&s->w);
	size_t len;
	const char *json = wn_jsonw_finish(&s->w, &len);
	if (!json || wn_jsonw_error(&s->w)) {
		cx->api->reason(r, "too_large", "record cannot be serialised");
		return WN_ERROR;
	}
	if (unit < 0) {
		cx->api->reason(r, "no_unit", "record has no %s: its source cannot be sharded",
		                WN_SHARD_UNIT_FIELD);
		return WN_ERROR;
	}
	if (cx->api->output_write(s->out, json, len) != WN_OK ||
	    cx->api->output_write(s->out, "\n", 1) != WN_OK)
		return WN_FATAL;
	return WN_OK;
}

static int so_commit(const wn_ctx *cx)
{
	(void)cx;
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_shard_out = {
    WN_PLUGIN_HEADER,
    WN_KIND_SINK,
    "shard_out",
    "1.0.0",
    "a sharded run's records, every field and entity, for `winnow merge`",
    so_options,
    sizeof(so_state),
    NULL,
    NULL,
    so_init,
    so_fini,
    NULL,
    NULL,
    NULL,
    so_write,
    so_commit,
};
