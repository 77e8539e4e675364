/*
 * Counting strings for export_report: a small open-addressing table from
 * string to count, and its entries sorted by count for the charts.
 * Internal to the plugin.
 */
#ifndef ER_TALLY_H
#define ER_TALLY_H

#include <stddef.h>
#include <stdint.h>

typedef struct er_entry {
	char *key;
	int64_t n;
} er_entry;

typedef struct er_tally {
	er_entry *v; /* cap slots, key NULL when free */
	size_t cap, used;
	size_t max_keys; /* past this many keys, new keys count under "(other)" */
	int64_t other;
} er_tally;

/* An empty tally keeping at most max_keys distinct keys. */
void er_tally_init(er_tally *t, size_t max_keys);
/* Adds n to key's count (a copy of key[0..len) is kept). 0, or -1 when
 * out of memory. */
int er_tally_add(er_tally *t, const char *key, size_t len, int64_t n);
/* The entries sorted by count (descending), then key; *n gets their
 * number. Pointers into t: valid until the next add or free. malloc'd
 * array (free it), NULL when empty or out of memory. */
er_entry *er_tally_sorted(const er_tally *t, size_t *n);
void er_tally_free(er_tally *t);

#endif
