/*
 * Records: fields and entities in a per-record arena.
 *
 * Small values (names, metadata, entity strings) are carved from arena
 * chunks that are freed together. Large values (page bytes, article text)
 * get their own allocation so that replacing them, which cleaning stages
 * do, frees the old copy at once instead of growing the arena: memory per
 * record stays close to what the record holds.
 */
#include "record.h"
#include "util.h"

#include "catalog.h"
#include "grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 4096
#define BIG_VALUE 2048 /* values at least this long get their own block */

struct wn_chunk {
	struct wn_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

/* Allocation flag kept in the field's type high bit: the value was
 * malloc'd on its own and must be freed when replaced or on reset. */
#define OWNED 0x100

wn_record *wn_record_new(size_t limit)
{
	wn_record *r = wn_xcalloc(1, sizeof(*r));
	r->limit = limit;
	r->failed_stage = -1;
	return r;
}

static void free_owned(wn_record *r)
{
	for (size_t i = 0; i < r->n_fields; i++)
		if (r->fields[i].type & OWNED)
			free(r->fields[i].val);
}

void wn_record_reset(wn_record *r)
{
	free_owned(r);
	struct wn_chunk *c = r->arena;
	if (c) { /* keep the first chunk (the most recent, usually largest) */
		struct wn_chunk *rest = c->next;
		while (rest) {
			struct wn_chunk *n = rest->next;
			free(rest);
			rest = n;
		}
		c->next = NULL;
		c->used = 0;
	}
	r->n_fields = 0;
	r->n_ents = 0;
	r->bytes = 0;
	r->rc = WN_OK;
	r->failed_stage = -1;
	r->attempts = 0;
	r->reason = r->reason_code = NULL;
	r->content_hash[0] = r->seen_hash[0] = '\0';
	r->was_seen = 0;
	r->duplicate_of = NULL;
	r->similarity = 0;
	r->seq = 0;
	r->source = 0;
}

void wn_record_free(wn_record *r)
{
	if (!r)
		return;
	free_owned(r);
	for (struct wn_chunk *c = r->arena; c;) {
		struct wn_chunk *n = c->next;
		free(c);
		c = n;
	}
	free(r->fields);
	free(r->ents);
	free(r);
}

/* Counts n bytes against the record's limit; -1 (with a reason) when the
 * record would grow past it. */
static wn_err charge(wn_record *r, size_t n)
{
	if (r->limit && r->bytes + n > r->limit) {
		r->reason_code = "too_large";
		r->reason = "record exceeds run.max_record_size";
		return WN_E_FAIL;
	}
	r->bytes += n;
	return WN_E_OK;
}

void *wn_record_alloc(wn_record *r, size_t n)
{
	size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (need < n || charge(r, need))
		return NULL;
	struct wn_chunk *c = r->arena;
	if (!c || c->cap - c->used < need) {
		size_t cap = c ? c->cap * 2 : CHUNK_MIN;
		while (cap < need)
			cap *= 2;
		struct wn_chunk *nc = wn_xmalloc(sizeof(*nc) + cap);
		nc->cap = cap;
		nc->used = 0;
		nc->next = c;
		r->arena = c = nc;
	}
	void *p = (char *)c->data + c->used;
	c->used += need;
	memset(p, 0, n);
	return p;
}

static char *arena_strndup(wn_record *r, const char *s, size_t n)
{
	char *p = wn_record_alloc(r, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static wn_field *find(const wn_record *r, const char *name)
{
	for (size_t i = 0; i < r->n_fields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	return NULL;
}

/* The field called name, appended empty when absent; NULL on failure. */
static wn_field *find_or_add(wn_record *r, const char *name)
{
	wn_field *f = find(r, name);
	if (f)
		return f;
	wn_field *nf = wn_grow(r->fields, &r->cap_fields, r->n_fields + 1, sizeof(*nf), 16, 0);
	if (!nf)
		return NULL;
	r->fields = nf;
	char *nm = arena_strndup(r, name, strlen(name));
	if (!nm)
		return NULL;
	f = &r->fields[r->n_fields++];
	*f = (wn_field){.name = nm, .type = WN_T_NONE};
	return f;
}

static void drop_value(wn_record *r, wn_field *f)
{
	if (f->type & OWNED) {
		free(f->val);
		r->bytes -= f->len + 1;
	}
	f->val = NULL;
	f->len = 0;
}

/* Stores a copy of the value as given (wn_record_set normalises first). */
static int set_value(wn_record *r, const char *name, int type, const void *val, size_t len)
{
	wn_field *f = find_or_add(r, name);
	if (!f)
		return WN_ERROR;
	drop_value(r, f);
	f->type = WN_T_NONE;
	void *copy;
	int owned = len >= BIG_VALUE;
	if (owned) {
		if (charge(r, len + 1))
			return WN_ERROR;
		copy = wn_xmalloc(len + 1);
	} else {
		copy = wn_record_alloc(r, len + 1);
		if (!copy)
			return WN_ERROR;
	}
	if (len)
		memcpy(copy, val, len);
	((char *)copy)[len] = '\0';
	f->val = copy;
	f->len = len;
	f->type = type | (owned ? OWNED : 0);
	return WN_OK;
}

/* The fields that describe `published`, kept in step with it. */
static void del_published_facts(wn_record *r)
{
	wn_record_del(r, "published_precision");
	wn_record_del(r, "published_offset");
}

/* A time field set by a plugin: stored in the catalogue's one format (UTC,
 * "Z"), whatever form it came in; `published` also gets its precision and
 * original offset. A value that is no date goes to NAME_raw instead, so a
 * time column never mixes formats. Setting the value a field already holds
 * (a stage writing back what it read) changes nothing. */
static int set_time(wn_record *r, const char *name, const char *val, size_t len)
{
	size_t old_len;
	const char *old = wn_record_get_str(r, name, &old_len);
	if (old && old_len == len && memcmp(old, val, len) == 0)
		return WN_OK;
	int pub = strcmp(name, "published") == 0;
	wn_time t;
	if (wn_time_parse(val, len, &t) != 0) {
		char raw[64];
		snprintf(raw, sizeof raw, "%s_raw", name);
		int rc = set_value(r, raw, WN_T_STR, val, len);
		wn_record_del(r, name); /* with its facts when it is published */
		return rc;
	}
	char iso[21];
	wn_time_format(t.epoch, iso);
	int rc = set_value(r, name, WN_T_STR, iso, strlen(iso));
	if (rc != WN_OK || !pub)
		return rc;
	const char *prec = t.precision == WN_PREC_DAY ? "day" : "second";
	rc = set_value(r, "published_precision", WN_T_STR, prec, strlen(prec));
	if (rc == WN_OK && t.has_offset && t.precision != WN_PREC_DAY) {
		int64_t off = t.offset_min;
		rc = set_value(r, "published_offset", WN_T_INT, &off, sizeof off);
	} else if (rc == WN_OK) {
		wn_record_del(r, "published_offset");
	}
	wn_record_del(r, "published_raw");
	return rc;
}

int wn_record_set(wn_record *r, const char *name, int type, const void *val, size_t len)
{
	if (type == WN_T_STR && wn_catalog_is_time(name))
		return set_time(r, name, val, len);
	return set_value(r, name, type, val, len);
}

int wn_record_set_str(wn_record *r, const char *name, const char *s)
{
	if (!s) {
		wn_record_del(r, name);
		return WN_OK;
	}
	return wn_record_set(r, name, WN_T_STR, s, strlen(s));
}

int wn_record_set_int(wn_record *r, const char *name, int64_t v)
{
	return set_value(r, name, WN_T_INT, &v, sizeof(v));
}

int wn_record_set_real(wn_record *r, const char *name, double v)
{
	return set_value(r, name, WN_T_REAL, &v, sizeof(v));
}

void wn_record_del(wn_record *r, const char *name)
{
	if (strcmp(name, "published") == 0) /* its facts go with it */
		del_published_facts(r);
	wn_field *f = find(r, name);
	if (!f)
		return;
	drop_value(r, f);
	size_t i = (size_t)(f - r->fields);
	memmove(f, f + 1, (r->n_fields - i - 1) * sizeof(*f));
	r->n_fields--;
}

const void *wn_record_get(const wn_record *r, const char *name, int *type, size_t *len)
{
	const wn_field *f = find(r, name);
	if (type)
		*type = f ? f->type & ~OWNED : WN_T_NONE;
	if (len)
		*len = f ? f->len : 0;
	return f ? f->val : NULL;
}

const char *wn_record_get_str(const wn_record *r, const char *name, size_t *len)
{
	int t;
	const void *v = wn_record_get(r, name, &t, len);
	if (t != WN_T_STR && t != WN_T_BYTES) {
		if (len)
			*len = 0;
		return NULL;
	}
	return v;
}

int64_t wn_record_get_int(const wn_record *r, const char *name, int64_t def)
{
	int t;
	const void *v = wn_record_get(r, name, &t, NULL);
	if (t != WN_T_INT)
		return def;
	int64_t x;
	memcpy(&x, v, sizeof(x));
	return x;
}

size_t wn_record_field_count(const wn_record *r)
{
	return r->n_fields;
}

const char *wn_record_field_at(const wn_record *r, size_t i, int *type, const void **val,
                               size_t *len)
{
	if (i >= r->n_fields)
		return NULL;
	const wn_field *f = &r->fields[i];
	if (type)
		*type = f->type & ~OWNED;
	if (val)
		*val = f->val;
	if (len)
		*len = f->len;
	return f->name;
}

static const char *dup_opt(wn_record *r, const char *s, int *fail)
{
	if (!s)
		return NULL;
	const char *p = arena_strndup(r, s, strlen(s));
	if (!p)
		*fail = 1;
	return p;
}

int wn_record_add_entity(wn_record *r, const wn_entity *e, const char *stage)
{
	wn_entity *ne = wn_grow(r->ents, &r->cap_ents, r->n_ents + 1, sizeof(*ne), 16, 0);
	if (!ne)
		return WN_ERROR;
	r->ents = ne;
	int fail = 0;
	wn_entity c = *e; /* a host-sized struct: api.c adapts the plugin's */
	c.size = sizeof(c);
	c.type = dup_opt(r, e->type, &fail);
	c.text = dup_opt(r, e->text, &fail);
	c.value = dup_opt(r, e->value, &fail);
	c.canonical = dup_opt(r, e->canonical, &fail);
	c.kb_id = dup_opt(r, e->kb_id, &fail);
	c.stage = dup_opt(r, stage, &fail);
	if (fail)
		return WN_ERROR;
	r->ents[r->n_ents++] = c;
	return WN_OK;
}

size_t wn_record_entity_count(const wn_record *r)
{
	return r->n_ents;
}

const wn_entity *wn_record_entity_at(const wn_record *r, size_t i)
{
	return i < r->n_ents ? &r->ents[i] : NULL;
}

void wn_record_clear_entities(wn_record *r)
{
	r->n_ents = 0;
}

void wn_record_vreason(wn_record *r, const char *code, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt ? fmt : "", ap);
	/* A reason must survive even when the arena is exhausted (the usual
	 * cause of failures): fall back to static text. */
	size_t lim = r->limit;
	r->limit = 0; /* a reason is never refused for size */
	char *c = code ? arena_strndup(r, code, strlen(code)) : NULL;
	char *m = arena_strndup(r, buf, strlen(buf));
	r->limit = lim;
	r->reason_code = c ? c : (char *)"error";
	r->reason = m ? m : (char *)"out of memory";
}

void wn_record_move_first(wn_record *r, const char *name)
{
	wn_field *f = find(r, name);
	if (!f || f == r->fields)
		return;
	wn_field keep = *f;
	memmove(r->fields + 1, r->fields, (size_t)(f - r->fields) * sizeof(*f));
	r->fields[0] = keep;
}
