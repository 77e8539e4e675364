/*
 * The hash functions of the tree, shared at source level (static inline,
 * so nothing to link): byte-string hashes for tables and integer mixers.
 * Use one of these rather than writing another.
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
#include <string.h>

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

/* The 32-bit FNV-1a offset basis: the seed of wn_fnv1a32 for the
 * standard hash (a caller may perturb it to get a family of hashes). */
#define WN_FNV32_BASIS 2166136261u

/* One step of 32-bit FNV-1a: folds byte c into h. For hashes computed
 * while the bytes are read or rewritten (lower-cased names, skipped
 * digits, folded quotes). */
static inline uint32_t wn_fnv1a32_step(uint32_t h, unsigned char c)
{
	return (h ^ c) * 16777619u;
}

/* 32-bit FNV-1a of n bytes, from seed h (WN_FNV32_BASIS for the standard
 * hash). Persistent: the NER tagger's features and clean_html's hashed
 * class-token weights (block_model.h) are indexed through it. */
static inline uint32_t wn_fnv1a32(const char *p, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++)
		h = wn_fnv1a32_step(h, (unsigned char)p[i]);
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

/* 64-bit FNV-1a of a NUL-terminated string: keys of in-memory hash
 * tables (HTTP hosts). Not persisted anywhere. */
static inline uint64_t wn_fnv1a64_str(const char *s)
{
	return wn_fnv1a64(s, strlen(s));
}

/* Rotates x left by r bits (any r; r % 64 is used). */
static inline uint64_t wn_rotl64(uint64_t x, int r)
{
	return (x << (r & 63)) | (x >> ((64 - r) & 63));
}

/* MurmurHash3's 64-bit finaliser: every input bit flips about half the
 * output bits. Persistent: dedup's packed signatures and LSH bands, kept
 * in the state store across runs, are made with it. */
static inline uint64_t wn_fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

#endif
