/*
 * Small integer hash mixers shared at source level (static inline, so
 * nothing to link).
 *
 * These values are persistent: the extract_entities tagger's feature
 * hashes index the weights of the shipped model (model/ner.model), so
 * changing a constant or an operation here silently breaks every trained
 * model. Add a new function instead of editing one.
 */
#ifndef WN_COMMON_HASH_H
#define WN_COMMON_HASH_H

#include <stddef.h>
#include <stdint.h>

/* A 32-bit integer finaliser (Chris Wellons' "lowbias32": xorshift-multiply
 * twice): every input bit affects every output bit, so the low bits are fit
 * for masking into a power-of-two table. A bijection; wn_mix32(0) == 0. */
static inline uint32_t wn_mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	h *= 0x846ca68bu;
	h ^= h >> 16;
	return h;
}

/* 64-bit FNV-1a of n bytes: a byte-string hash for in-memory tables (word
 * and name lookups). Not persisted anywhere. */
static inline uint64_t wn_fnv1a64(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

#endif
