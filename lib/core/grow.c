/*
 * Growing an array (contracts in grow.h).
 */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

void *wn_grow(void *p, size_t *cap, size_t need, size_t size, size_t first, size_t max)
{
	if (need <= *cap)
		return p;
	if ((max && need > max) || size == 0)
		return NULL;
	size_t n = *cap ? *cap : (first ? first : 1);
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : n * 2;
	if (max && n > max)
		n = max;
	if (n > SIZE_MAX / size)
		return NULL;
	void *np = realloc(p, n * size);
	if (!np)
		return NULL;
	*cap = n;
	return np;
}
