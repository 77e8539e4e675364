/* Evaluation of boosted-tree tables (trees.h). */
#include "trees.h"

#include <stddef.h>

double wn_trees_sum(const wn_trees *m, const float *x)
{
	size_t nint = ((size_t)1 << m->depth) - 1, nleaf = (size_t)1 << m->depth;
	double z = 0;
	for (int t = 0; t < m->ntrees; t++) {
		const unsigned char *f = m->feat + (size_t)t * nint;
		const float *thr = m->thr + (size_t)t * nint;
		size_t nd = 0;
		for (int d = 0; d < m->depth; d++)
			nd = 2 * nd + 1 + (x[f[nd]] > thr[nd]);
		z += m->leaf[(size_t)t * nleaf + nd - nint];
	}
	return z;
}
