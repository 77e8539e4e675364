/*
 * `winnow try`: see try.h. Records are printed as one JSON object a line:
 * fields in order (bytes as text with bad UTF-8 replaced), entities in
 * "entities"; a dropped or failed record gets "_outcome", "_code" and
 * "_reason" instead of disappearing. Bytes that are not valid UTF-8 (a
 * page in windows-1252) travel as {"base64": "..."}, so a pipe of `winnow
 * try` commands hands the next plugin exactly the bytes the last one made.
 */
#include "try.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "report.h"
#include "solo.h"
#include "utf8.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static json_t *base64_json(const unsigned char *p, size_t n)
{
	size_t cap = (n + 2) / 3 * 4 + 1;
	char *out = malloc(cap);
	if (!out)
		return json_null();
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	json_t *j = json_pack("{s:s%}", "base64", out, o);
	free(out);
	return j;
}

/* Decodes base64 text into a fresh buffer; NULL when it is not base64. */
static unsigned char *base64_decode(const char *s, size_t n, size_t *len)
{
	unsigned char *out = malloc(n / 4 * 3 + 3);
	uint32_t v = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; out && i < n && s[i] != '='; i++) {
		const char *c = strchr(b64, s[i]);
		if (!c || !s[i]) {
			free(out);
			return NULL;
		}
		v = v << 6 | (uint32_t)(c - b64);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits);
		}
	}
	*len = o;
	return out;
}

static json_t *entity_json(const wn_entity *e)
{
	json_t *o = json_object();
	const char *names[] = {"type", "text", "value", "canonical", "kb_id", "stage"};
	const char *vals[] = {e->type, e->text, e->value, e->canonical, e->kb_id, e->stage};
	for (size_t i = 0; i < 6; i++)
		if (vals[i])
			json_object_set_new(o, names[i], wn_json_text(vals[i], strlen(vals[i])));
	json_object_set_new(o, "start", json_integer(e->start));
	json_object_set_new(o, "end", json_integer(e->end));
	json_object_set_new(o, "confidence", json_real(e->confidence));
	return o;
}

static void print_record(FILE *out, const wn_record *r, int rc)
{
	json_t *o = json_object();
	for (size_t i = 0; i < wn_record_field_count(r); i++) {
		int type;
		const void *v;
		size_t len;
		const char *name = wn_record_field_at(r, i, &type, &v, &len);
		if (type == WN_T_INT)
			json_object_set_new(o, name, json_integer(*(const int64_t *)v));
		else if (type == WN_T_REAL)
			json_object_set_new(o, name, json_real(*(const double *)v));
		else if (type == WN_T_BYTES &&
		         wn_utf8_valid_prefix((const unsigned char *)v, len) != len)
			json_object_set_new(o, name, base64_json(v, len));
		else
			json_object_set_new(o, name, wn_json_text(v, len));
	}
	if (wn_record_entity_count(r)) {
		json_t *a = json_array();
		for (size_t i = 0; i < wn_record_entity_count(r); i++)
			json_array_append_new(a, entity_json(wn_record_entity_at(r, i)));
		json_object_set_new(o, "entities", a);
	}
	if (rc != WN_OK) {
		static const char *const names[] = {"ok",    "done",  "drop",
		                                    "retry", "error", "fatal"};
		json_object_set_new(o, "_outcome",
		                    json_string(rc >= 0 && rc <= WN_FATAL ? names[rc] : "invalid"));
		json_object_set_new(o, "_code", json_string(r->reason_code ? r->reason_code : ""));
		json_object_set_new(
		    o, "_reason",
		    wn_json_text(r->reason ? r->reason : "", r->reason ? strlen(r->reason) : 0));
	}
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s)
		fprintf(out, "%s\n", s);
	free(s);
	json_decref(o);
}

/* Fills r from one JSON object line; -1 when the line is not one. */
static int record_from_json(wn_record *r, const char *line, size_t lineno)
{
	json_error_t err;
	json_t *o = json_loads(line, JSON_DECODE_ANY, &err);
	if (!json_is_object(o)) {
		fprintf(stderr, "winnow: stdin:%zu:%d: error: %s\n", lineno, err.column,
		        o ? "a record must be a JSON object" : err.text);
		json_decref(o);
		return -1;
	}
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		if (json_is_string(v))
			wn_record_set(r, k, strcmp(k, "raw") == 0 ? WN_T_BYTES : WN_T_STR,
			              json_string_value(v), json_string_length(v));
		else if (json_is_integer(v))
			wn_record_set_int(r, k, json_integer_value(v));
		else if (json_is_real(v))
			wn_record_set_real(r, k, json_real_value(v));
		else if (json_is_object(v) && json_is_string(json_object_get(v, "base64"))) {
			json_t *b = json_object_get(v, "base64");
			size_t n;
			unsigned char *bytes =
			    base64_decode(json_string_value(b), json_string_length(b), &n);
			if (bytes)
				wn_record_set(r, k, WN_T_BYTES, bytes, n);
			free(bytes);
		}
	}
	json_decref(o);
	return 0;
}

static int try_source(wn_solo *s, const wn_try_opts *o, FILE *out)
{
	const wn_plugin *p = &s->stage.plugin.desc;
	int code = 0;
	for (int64_t n = 0; !o->limit || n < o->limit; n++) {
		wn_record *r = wn_record_new(0);
		int rc = p->next(wn_solo_ctx(s), r);
		if (rc == WN_DONE || rc == WN_FATAL) {
			wn_record_free(r);
			return rc == WN_FATAL ? 1 : code;
		}
		print_record(out, r, rc);
		code = rc == WN_OK ? code : 2;
		wn_record_free(r);
	}
	return code;
}

/* Transforms and sinks: one record per input line. */
static int try_stream(wn_solo *s, FILE *in, FILE *out)
{
	const wn_plugin *p = &s->stage.plugin.desc;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	int code = 0;
	while (getline(&line, &cap, in) > 0) {
		lineno++;
		wn_record *r = wn_record_new(0);
		int rc = WN_ERROR;
		if (record_from_json(r, line, lineno) == 0) {
			if (p->kind == WN_KIND_SINK)
				rc = p->write(wn_solo_ctx(s), r);
			else if (p->process)
				rc = p->process(wn_solo_ctx(s), r);
			else if (p->batch(wn_solo_ctx(s), &r, &rc, 1) == WN_FATAL)
				rc = WN_FATAL;
			if (p->kind == WN_KIND_TRANSFORM || rc != WN_OK)
				print_record(out, r, rc);
		}
		code = rc == WN_FATAL ? 1 : rc == WN_OK || code ? code : 2;
		wn_record_free(r);
		if (rc == WN_FATAL)
			break;
	}
	free(line);
	if (p->kind == WN_KIND_SINK && code != 1) {
		int rc = p->commit ? p->commit(wn_solo_ctx(s)) : WN_OK;
		if (rc != WN_OK || wn_outputs_commit(&s->run))
			code = 1;
	}
	return code;
}

int wn_try(const wn_try_opts *o, FILE *in, FILE *out)
{
	wn_diag d = {0};
	wn_solo *s = wn_solo_open(o->use, o->search, o->with, o->output_dir, &d);
	if (!s)
		return 78;
	if (wn_solo_http(s, o->http, &d)) {
		wn_solo_close(s);
		return 78;
	}
	int code = s->stage.plugin.desc.kind == WN_KIND_SOURCE ? try_source(s, o, out)
	                                                       : try_stream(s, in, out);
	wn_solo_close(s);
	return code;
}
