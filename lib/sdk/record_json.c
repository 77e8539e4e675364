/*
 * A record as JSON (contracts in record_json.h).
 */
#include "record_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "utf8.h"
#include <winnow/fields.h>

/* Bytes that are not valid UTF-8 as {"base64": "..."}. */
static void put_base64(wn_jsonw *w, const void *val, size_t len)
{
	size_t n = 0;
	char *b = wn_base64_encode(val, len, &n);
	if (!b) {
		wn_jsonw_null(w);
		return;
	}
	wn_jsonw_begin_obj(w);
	wn_jsonw_key(w, "base64");
	wn_jsonw_strn(w, b, n);
	wn_jsonw_end_obj(w);
	free(b);
}

void wn_rjson_value(wn_jsonw *w, int type, const void *val, size_t len, unsigned flags)
{
	int64_t i;
	double d;
	switch (val ? type : WN_T_NONE) {
	case WN_T_BYTES:
	case WN_T_STR:
		if (type == WN_T_BYTES && (flags & WN_RJSON_BASE64) &&
		    wn_utf8_valid_prefix((const unsigned char *)val, len) != len)
			put_base64(w, val, len);
		else
			wn_jsonw_strn(w, val, len);
		break;
	case WN_T_INT:
		memcpy(&i, val, sizeof i);
		wn_jsonw_int(w, i);
		break;
	case WN_T_REAL:
		memcpy(&d, val, sizeof d);
		wn_jsonw_real(w, d);
		break;
	default:
		wn_jsonw_null(w);
	}
}

void wn_rjson_fields(wn_jsonw *w, const wn_host_api *api, const wn_record *r, unsigned flags,
                     const char *skip)
{
	size_t n = api->field_count(r);
	for (size_t i = 0; i < n; i++) {
		int type = WN_T_NONE;
		const void *val = NULL;
		size_t len = 0;
		const char *name = api->field_at(r, i, &type, &val, &len);
		if (!name || (!(flags & WN_RJSON_RAW) && strcmp(name, "raw") == 0))
			continue;
		if (skip && strcmp(name, skip) == 0)
			continue;
		wn_jsonw_key(w, name);
		wn_rjson_value(w, type, val, len, flags);
	}
}

/* A string member, left out when the value is unknown (NULL). */
static void put_opt_str(wn_jsonw *w, const char *key, const char *val)
{
	if (!val)
		return;
	wn_jsonw_key(w, key);
	wn_jsonw_str(w, val);
}

void wn_rjson_entities(wn_jsonw *w, const wn_host_api *api, const wn_record *r, unsigned flags)
{
	size_t n = api->entity_count(r);
	size_t tlen = 0;
	const char *text = api->get_str(r, WN_F_TEXT, &tlen);
	wn_cp_cursor cp; /* offsets in code points, not the ABI's bytes */
	wn_cp_init(&cp, text, text ? tlen : 0);
	int bytes = (flags & WN_RJSON_BYTE_OFFSETS) != 0;
	wn_jsonw_key(w, "entities");
	wn_jsonw_begin_arr(w);
	for (size_t i = 0; i < n; i++) {
		const wn_entity *e = api->entity_at(r, i);
		if (!e)
			continue;
		wn_jsonw_begin_obj(w);
		put_opt_str(w, "type", e->type);
		put_opt_str(w, "text", e->text);
		put_opt_str(w, "value", e->value);
		put_opt_str(w, "canonical", e->canonical);
		put_opt_str(w, "kb_id", e->kb_id);
		wn_jsonw_key(w, "start");
		wn_jsonw_int(w, bytes ? (int64_t)e->start : (int64_t)wn_cp_offset(&cp, e->start));
		wn_jsonw_key(w, "end");
		wn_jsonw_int(w, bytes ? (int64_t)e->end : (int64_t)wn_cp_offset(&cp, e->end));
		wn_jsonw_key(w, "confidence");
		wn_jsonw_real(w, e->confidence);
		put_opt_str(w, "stage", e->stage);
		wn_jsonw_end_obj(w);
	}
	wn_jsonw_end_arr(w);
}
