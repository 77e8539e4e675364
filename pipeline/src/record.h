/*
 * Records: one article each, as ordered named typed fields plus a list of
 * entities, all allocated in a per-record arena that is freed at once.
 * The host API table (api.c) exposes these to plugins.
 */
#ifndef WN_RECORD_H
#define WN_RECORD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "winnow/plugin.h"

typedef struct wn_field {
	const char *name;
	int type;
	void *val;  /* arena copy, NUL-terminated for STR/BYTES */
	size_t len; /* bytes, without the NUL */
} wn_field;

struct wn_record {
	uint64_t seq;          /* position in source order, set by the engine */
	int source;            /* index of the source stage that made it */
	int rc;                /* outcome so far (enum wn_rc) */
	int failed_stage;      /* stage index of the outcome, -1 while OK */
	int attempts;          /* tries of the failing stage */
	char *reason_code;     /* last reason() code, arena */
	char *reason;          /* last reason() message, arena */
	char content_hash[17]; /* the content, hashed when it is delivered (history.c) */
	char seen_hash[17];    /* an earlier run's hash of it ("" when none) */
	int was_seen;          /* an earlier run exported this id */
	char *duplicate_of;    /* the kept record this one duplicates, arena */
	double similarity;     /* with duplicate_of */
	wn_field *fields;
	size_t n_fields, cap_fields;
	wn_entity *ents;
	size_t n_ents, cap_ents;
	size_t bytes; /* arena bytes in use, checked against limit */
	size_t limit; /* 0 = none */
	struct wn_chunk *arena;
};

/* New empty record; `limit` caps the arena bytes (0 = no cap). Never
 * NULL (allocation failure exits, util.h). */
wn_record *wn_record_new(size_t limit);
/* Frees the record and everything in its arena. NULL is fine. */
void wn_record_free(wn_record *r);
/* Empties the record for reuse, keeping its first arena chunk. */
void wn_record_reset(wn_record *r);

/* The operations behind the API table, same contracts as in plugin.h. */
int wn_record_set(wn_record *r, const char *name, int type, const void *val, size_t len);
int wn_record_set_str(wn_record *r, const char *name, const char *s);
int wn_record_set_int(wn_record *r, const char *name, int64_t v);
int wn_record_set_real(wn_record *r, const char *name, double v);
void wn_record_del(wn_record *r, const char *name);
const void *wn_record_get(const wn_record *r, const char *name, int *type, size_t *len);
const char *wn_record_get_str(const wn_record *r, const char *name, size_t *len);
int64_t wn_record_get_int(const wn_record *r, const char *name, int64_t def);
size_t wn_record_field_count(const wn_record *r);
const char *wn_record_field_at(const wn_record *r, size_t i, int *type, const void **val,
                               size_t *len);
int wn_record_add_entity(wn_record *r, const wn_entity *e, const char *stage);
size_t wn_record_entity_count(const wn_record *r);
const wn_entity *wn_record_entity_at(const wn_record *r, size_t i);
void wn_record_clear_entities(wn_record *r);
void *wn_record_alloc(wn_record *r, size_t n);
/* Moves field `name` to the front, keeping the others' order. */
void wn_record_move_first(wn_record *r, const char *name);
void wn_record_vreason(wn_record *r, const char *code, const char *fmt, va_list ap);

#endif
