/*
 * export_json: a sink that writes articles as JSON Lines (one object a line)
 * or as one JSON array.
 *
 * Each record becomes an object: the chosen fields in the chosen order (or
 * every field but `raw`, in record order) and an "entities" array. The object
 * is built in a reusable jsonw buffer and handed to the host in one piece, so
 * a record that cannot be serialised (too large) is dead-lettered without
 * leaving half a line in the file. The output goes through api->output_open:
 * the host writes a temporary file and renames it into place at commit.
 * With gzip or zstd (`compress`, or a path ending in .gz or .zst) the bytes
 * go through one compressed stream per file (stream.c), finished at commit;
 * the headers carry no time, so files stay byte-identical from run to run.
 * With max_records or max_bytes the output is split into numbered parts
 * (articles.00000.jsonl, ...), each a whole document, all committed
 * together.
 */
#include "jsonw.h"
#include "record_json.h"
#include "stream.h"

#include <winnow/plugin.h>

#include <stdlib.h>
#include <string.h>

/* Hard cap on one serialised record; larger ones are dead-lettered. */
#define EJ_MAX_RECORD ((size_t)256 << 20)

enum { EJ_JSONL = 0, EJ_ARRAY = 1 };
enum { EJ_C_AUTO = 0, EJ_C_NONE = 1, EJ_C_GZIP = 2, EJ_C_ZSTD = 3 };

typedef struct ej_state {
	/* options, written by the host */
	const char *path;
	int format;
	const char *const *fields;
	int entities;
	int pretty;
	int compress;
	int64_t level;
	int64_t max_records;
	int64_t max_bytes;
	/* run state */
	int codec;       /* EJ_PLAIN, EJ_GZIP or EJ_ZSTD */
	int split;       /* writing numbered parts */
	ej_stream cur;   /* the file being written */
	int open;        /* cur is open */
	int64_t part;    /* its number */
	int64_t written; /* records in it so far */
	wn_jsonw w;
} ej_state;

static const wn_option ej_options[] = {
    {"path", WN_OPT_STR, "articles.jsonl", 0, offsetof(ej_state, path),
     "output file, relative to the run's output folder", NULL, 0, 0},
    {"format", WN_OPT_ENUM, "jsonl", 0, offsetof(ej_state, format),
     "jsonl: one object a line; array: one JSON array", "jsonl|array", 0, 0},
    {"fields", WN_OPT_LIST, NULL, 0, offsetof(ej_state, fields),
     "fields to write, in order (missing ones as null); empty: all but raw", NULL, 0, 0},
    {"entities", WN_OPT_BOOL, "true", 0, offsetof(ej_state, entities),
     "add an \"entities\" array of objects to each article", NULL, 0, 0},
    {"pretty", WN_OPT_BOOL, "false", 0, offsetof(ej_state, pretty),
     "indent the array format (JSON Lines stay one record a line)", NULL, 0, 0},
    {"compress", WN_OPT_ENUM, "auto", 0, offsetof(ej_state, compress),
     "compress the file; auto: gzip for a .gz path, zstd for .zst", "auto|none|gzip|zstd", 0, 0},
    {"level", WN_OPT_INT, "0", 0, offsetof(ej_state, level),
     "compression level (gzip 1-9, zstd 1-19); 0: 6 for gzip, 3 for zstd", NULL, 0, 19},
    {"max_records", WN_OPT_INT, "0", 0, offsetof(ej_state, max_records),
     "split into numbered parts of at most this many records (0: one file)", NULL, 0, 1e15},
    {"max_bytes", WN_OPT_SIZE, "0", 0, offsetof(ej_state, max_bytes),
     "start a new part once a part holds this many bytes before compression (0: no limit)", NULL, 0,
     1e15},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

/* Opens the next output file (a numbered part when splitting). */
static int open_next(const wn_ctx *cx, ej_state *s)
{
	char *name = s->split ? ej_part_name(s->path, s->part) : strdup(s->path);
	if (!name)
		return WN_FATAL;
	int level = (int)s->level ? (int)s->level : s->codec == EJ_ZSTD ? 3 : 6;
	int rc = ej_stream_open(&s->cur, cx, name, s->codec, level);
	free(name);
	s->open = rc == WN_OK;
	s->written = 0;
	return rc;
}

/* Finishes the current file: closes the array ("[]" when empty) and the
 * compressed stream. */
static int finish_file(ej_state *s)
{
	const char *tail = s->format != EJ_ARRAY ? "" : s->written ? "\n]\n" : "[]\n";
	int rc = ej_stream_write(&s->cur, tail, strlen(tail));
	int frc = ej_stream_finish(&s->cur);
	s->open = 0;
	return rc ? rc : frc;
}

static int ej_init(const wn_ctx *cx)
{
	ej_state *s = cx->state;
	if (!s->path || !*s->path) {
		cx->api->log(cx, WN_LOG_ERROR, "option path must not be empty");
		return WN_FATAL;
	}
	wn_jsonw_init(&s->w, EJ_MAX_RECORD);
	if (s->format == EJ_ARRAY && s->pretty)
		wn_jsonw_set_pretty(&s->w, 2, 1); /* records sit one level deep */
	else if (s->pretty)
		cx->api->log(cx, WN_LOG_WARN, "pretty is ignored with format jsonl");
	s->codec = s->compress == EJ_C_GZIP   ? EJ_GZIP
	           : s->compress == EJ_C_ZSTD ? EJ_ZSTD
	           : s->compress == EJ_C_NONE ? EJ_PLAIN
	                                      : ej_codec_of(s->path);
	s->split = s->max_records > 0 || s->max_bytes > 0;
	if (open_next(cx, s)) {
		ej_stream_free(&s->cur);
		wn_jsonw_free(&s->w);
		return WN_FATAL;
	}
	return WN_OK;
}

static void ej_fini(const wn_ctx *cx)
{
	ej_state *s = cx->state;
	wn_jsonw_free(&s->w);
	ej_stream_free(&s->cur);
}

/* The members for an explicit `fields` list. "entities" in the list places
 * the entities array there; returns 1 when it did. */
static int put_chosen(const wn_ctx *cx, ej_state *s, const wn_record *r)
{
	int placed = 0;
	for (const char *const *f = s->fields; *f; f++) {
		if (s->entities && strcmp(*f, "entities") == 0) {
			if (!placed)
				wn_rjson_entities(&s->w, cx->api, r, 0);
			placed = 1;
			continue;
		}
		int type = WN_T_NONE;
		size_t len = 0;
		const void *val = cx->api->get(r, *f, &type, &len);
		wn_jsonw_key(&s->w, *f);
		wn_rjson_value(&s->w, type, val, len, 0);
	}
	return placed;
}

/* Serialises r into s->w; returns the text or NULL (see s->w.err). */
static const char *build(const wn_ctx *cx, ej_state *s, const wn_record *r, size_t *len)
{
	int placed = 0;
	wn_jsonw_reset(&s->w);
	wn_jsonw_begin_obj(&s->w);
	if (s->fields && s->fields[0])
		placed = put_chosen(cx, s, r);
	else /* every field but `raw`; a field "entities" yields to the array */
		wn_rjson_fields(&s->w, cx->api, r, 0, s->entities ? "entities" : NULL);
	if (s->entities && !placed)
		wn_rjson_entities(&s->w, cx->api, r, 0);
	wn_jsonw_end_obj(&s->w);
	return wn_jsonw_finish(&s->w, len);
}

static int ej_write(const wn_ctx *cx, wn_record *r)
{
	ej_state *s = cx->state;
	const wn_host_api *api = cx->api;
	size_t len = 0;
	const char *doc = build(cx, s, r, &len);
	if (!doc) {
		int big = wn_jsonw_error(&s->w) == WN_JSONW_ELIMIT;
		api->reason(r, big ? "too_large" : "no_memory", "export_json: %s",
		            big ? "record exceeds 256 MiB as JSON" : "out of memory");
		return WN_ERROR;
	}
	if (s->w.replaced)
		api->count(cx, "utf8_repaired", 1);
	int rc = WN_OK;
	if (s->split && s->written &&
	    ((s->max_records > 0 && s->written >= s->max_records) ||
	     (s->max_bytes > 0 && s->cur.bytes >= (uint64_t)s->max_bytes))) {
		s->part++;
		rc = finish_file(s);
		if (!rc)
			rc = open_next(cx, s);
	}
	ej_stream *o = &s->cur;
	if (!rc && s->format == EJ_ARRAY) {
		const char *sep = s->written ? ",\n" : "[\n";
		rc = ej_stream_write(o, sep, 2);
		if (!rc && s->pretty)
			rc = ej_stream_write(o, "  ", 2);
		if (!rc)
			rc = ej_stream_write(o, doc, len);
	} else if (!rc) {
		rc = ej_stream_write(o, doc, len);
		if (!rc)
			rc = ej_stream_write(o, "\n", 1);
	}
	if (rc)
		return WN_FATAL; /* the host logged the I/O error */
	s->written++;
	return WN_OK;
}

/* Finishes the last file (an empty run still gives a valid document). */
static int ej_commit(const wn_ctx *cx)
{
	ej_state *s = cx->state;
	return s->open ? finish_file(s) : WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_export_json = {
    WN_PLUGIN_HEADER,
    .kind = WN_KIND_SINK,
    .name = "export_json",
    .version = "1.0.0",
    .description = "write articles as JSON Lines or a JSON array, entities nested",
    .options = ej_options,
    .state_size = sizeof(ej_state),
    .init = ej_init,
    .fini = ej_fini,
    .write = ej_write,
    .commit = ej_commit,
};
