/*
 * String counts: see tally.h. Linear probing on a power-of-two table kept
 * at most half full, hashed with 64-bit FNV-1a (lib/core/hash.h).
 */
#include "tally.h"

#include "hash.h"

#include <stdlib.h>
#include <string.h>

void er_tally_init(er_tally *t, size_t max_keys)
{
	memset(t, 0, sizeof *t);
	t->max_keys = max_keys;
}

static er_entry *slot(er_entry *v, size_t cap, const char *key, size_t len)
{
	size_t i = (size_t)wn_fnv1a64(key, len) & (cap - 1);
	while (v[i].key && !(strncmp(v[i].key, key, len) == 0 && v[i].key[len] == '\0'))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static int grow(er_tally *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	er_entry *v = calloc(cap, sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].key)
			*slot(v, cap, t->v[i].key, strlen(t->v[i].key)) = t->v[i];
	free(t->v);
	t->v = v;
	t->cap = cap;
	return 0;
}

int er_tally_add(er_tally *t, const char *key, size_t len, int64_t n)
{
	if ((t->used + 1) * 2 > t->cap && grow(t))
		return -1;
	er_entry *e = slot(t->v, t->cap, key, len);
	if (!e->key) {
		if (t->used >= t->max_keys) {
			t->other += n;
			return 0;
		}
		e->key = malloc(len + 1);
		if (!e->key)
			return -1;
		memcpy(e->key, key, len);
		e->key[len] = '\0';
		t->used++;
	}
	e->n += n;
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const er_entry *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

er_entry *er_tally_sorted(const er_tally *t, size_t *n)
{
	*n = 0;
	if (!t->used)
		return NULL;
	er_entry *out = malloc(t->used * sizeof *out);
	if (!out)
		return NULL;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].key)
			out[(*n)++] = t->v[i];
	qsort(out, *n, sizeof *out, by_count);
	return out;
}

void er_tally_free(er_tally *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i].key);
	free(t->v);
	memset(t, 0, sizeof *t);
}
