/*
 * A record as JSON: the one serialiser of records, through the host API
 * (so a plugin and the runner write the same text). export_json writes
 * its datasets with it and `winnow try` its records; both on the
 * streaming writer lib/core/jsonw.h.
 *
 * Field values: strings and bytes as JSON strings (invalid UTF-8 replaced
 * with U+FFFD, counted in w->replaced), integers, reals (always with a
 * point or exponent, shortest round-trip form), absent values as null.
 * Entities, each an object with the members type, text, value, canonical,
 * kb_id (each left out when unknown), start, end, confidence, stage.
 */
#ifndef WN_RECORD_JSON_H
#define WN_RECORD_JSON_H

#include <stddef.h>
#include <winnow/plugin.h>

#include "jsonw.h"

/* Choices for the debugging view (`winnow try`) against a dataset's. */
enum wn_rjson_flag {
	WN_RJSON_RAW = 1,    /* write the `raw` field too (datasets leave the page out) */
	WN_RJSON_BASE64 = 2, /* bytes that are not UTF-8 as {"base64": "..."}, exactly */
	WN_RJSON_BYTE_OFFSETS =
	    4 /* entity offsets in bytes, as the ABI has them, not code points */
};

/* Writes one typed value (WN_T_*) at the writer's position: a member's
 * value or an array element. `flags`: WN_RJSON_BASE64 only. */
void wn_rjson_value(wn_jsonw *w, int type, const void *val, size_t len, unsigned flags);

/* Writes every field of r as members of the object open in w, in record
 * order; `raw` only with WN_RJSON_RAW, and not the field named `skip`
 * (NULL: none; export_json skips a field named "entities", which would
 * clash with the array). */
void wn_rjson_fields(wn_jsonw *w, const wn_host_api *api, const wn_record *r, unsigned flags,
                     const char *skip);

/* Writes the member "entities": an array of r's entities (empty when it has
 * none). Offsets count code points of `text` unless WN_RJSON_BYTE_OFFSETS. */
void wn_rjson_entities(wn_jsonw *w, const wn_host_api *api, const wn_record *r, unsigned flags);

#endif
