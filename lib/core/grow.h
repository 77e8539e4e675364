/*
 * Growing an array: the one doubling rule, instead of a hand-written
 * `cap ? cap * 2 : N` and realloc at each site.
 *
 *     item *nv = wn_grow(a->v, &a->cap, a->n + 1, sizeof *nv, 16, 0);
 *     if (!nv)
 *             return -1;  // a->v and a->cap are as they were
 *     a->v = nv;
 *
 * Growth is geometric (amortised O(1) appends); a maximum keeps a bounded
 * buffer from over-allocating past its limit.
 */
#ifndef WN_GROW_H
#define WN_GROW_H

#include <stddef.h>

/* Makes room for at least `need` (>= 1) elements of `size` bytes in the
 * malloc'd array p (NULL when empty) of *cap elements: when need > *cap,
 * the capacity doubles from *cap (or `first` when *cap is 0) until need
 * fits, but never past `max` elements (0: no maximum), and p is
 * realloc'd. Returns the array to use (p itself when it had room) with
 * *cap updated; NULL when need exceeds max, the size overflows or memory
 * runs out, and then p and *cap are untouched. */
void *wn_grow(void *p, size_t *cap, size_t need, size_t size, size_t first, size_t max);

#endif
