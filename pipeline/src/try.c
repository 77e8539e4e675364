/*
 * `winnow try`: see try.h. Records are printed as one JSON object a line:
 * fields in order (bytes as text with bad UTF-8 replaced), entities in
 * "entities"; a dropped or failed record gets "_outcome", "_code" and
 * "_reason" instead of disappearing. Bytes that are not valid UTF-8 (a
 * page in windows-1252) travel as {"base64": "..."}, so a pipe of `winnow
 * try` commands hands the next plugin exactly the bytes the last one made.
 * Records are written by the one record serialiser, lib/sdk/record_json.h,
 * the one export_json writes datasets with.
 */
#include "try.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "jsonw.h"
#include "record.h"
#include "record_json.h"
#include "solo.h"

/* Prints r as one JSON line with the record serialiser (lib/sdk), in its
 * debugging view: `raw` included, bytes that are not UTF-8 as base64, entity
 * offsets in bytes; and the outcome when it is not WN_OK. */
static void print_record(FILE *out, const wn_host_api *api, wn_record *r, int rc)
{
	static const char *const names[] = {"ok", "done", "drop", "retry", "error", "fatal"};
	unsigned flags = WN_RJSON_RAW | WN_RJSON_BASE64 | WN_RJSON_BYTE_OFFSETS;
	wn_jsonw w;
	wn_jsonw_init(&w, SIZE_MAX / 2);
	wn_jsonw_begin_obj(&w);
	wn_rjson_fields(&w, api, r, flags, NULL);
	if (api->entity_count(r))
		wn_rjson_entities(&w, api, r, flags);
	if (rc != WN_OK) {
		wn_jsonw_key(&w, "_outcome");
		wn_jsonw_str(&w, rc >= 0 && rc <= WN_FATAL ? names[rc] : "invalid");
		wn_jsonw_key(&w, "_code");
		wn_jsonw_str(&w, r->reason_code ? r->reason_code : "");
		wn_jsonw_key(&w, "_reason");
		wn_jsonw_str(&w, r->reason ? r->reason : "");
	}
	wn_jsonw_end_obj(&w);
	size_t len = 0;
	const char *s = wn_jsonw_finish(&w, &len);
	if (s) {
		fwrite(s, 1, len, out);
		fputc('\n', out);
	}
	wn_jsonw_free(&w);
}

/* Fills r from one JSON object line; -1 when the line is not one. */
static wn_err record_from_json(wn_record *r, const char *line, size_t lineno)
{
	json_error_t err;
	json_t *o = json_loads(line, JSON_DECODE_ANY, &err);
	if (!json_is_object(o)) {
		wn_say("stdin:%zu:%d: error: %s", lineno, err.column,
		       o ? "a record must be a JSON object" : err.text);
		json_decref(o);
		return WN_E_FAIL;
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
			    wn_base64_decode(json_string_value(b), json_string_length(b), &n);
			if (bytes)
				wn_record_set(r, k, WN_T_BYTES, bytes, n);
			free(bytes);
		}
	}
	json_decref(o);
	return WN_E_OK;
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
		print_record(out, wn_solo_ctx(s)->api, r, rc);
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
				print_record(out, wn_solo_ctx(s)->api, r, rc);
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
