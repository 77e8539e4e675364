/*
 * Duplicate detection (see dedup.h for the contract).
 *
 * Why one-permutation MinHash: classic MinHash hashes every shingle
 * num_perm times; dropping each shingle into one bin by its hash and
 * keeping the minimum per bin costs one hash per shingle.
 *
 * Why two resolutions: an estimate from a sketch that sees m of the
 * union's |U| shingles errs by about sqrt(J(1-J)/m * (1-m/|U|)): 0.03 for
 * 128 bins near 0.8 on a 300-word article, enough for pairs at 0.77 to
 * pass and at 0.83 to fail often, which costs 5-7% of precision and recall
 * when rewrites spread around the threshold. Many small bins see almost
 * the whole union: 1024 fine bins of 4 bits (the memory of 256 bins of 16
 * bits) bring the error to about 0.01. The estimate counts only bins
 * non-empty in either text ("zero coding", Li, Owen and Zhang 2012) and
 * removes the 1/15 chance that two different minima share a code.
 *
 * LSH needs every bin filled, so groups of fine bins are merged into
 * num_perm coarse bins (the same as hashing into num_perm bins directly);
 * the few empty coarse bins borrow the value of a non-empty one chosen by
 * a probe sequence that depends only on the bin ("optimal densification",
 * Shrivastava 2017), which keeps the chance that two signatures agree in a
 * bin equal to their Jaccard. Coarse bins keep 8 bits: a band of 6 rows
 * agrees by chance once in 2^48.
 *
 * The index: fine bins in fixed-size chunks (no large reallocs), ids in an
 * arena, an open-addressing table of exact hashes and one of LSH band
 * keys, both at most 3/4 full. Every allocation is counted against
 * max_bytes.
 */
#include "dedup.h"
#include "hash.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SEED 0x5eed0f3a1b2c4d5eULL
#define FORMAT_VERSION 1
#define SIG_CHUNK 1024      /* documents' fine bins per chunk */
#define ARENA_CHUNK 65536   /* bytes per id arena chunk */
#define MAX_CANDIDATES 4096 /* upper bound of opts.max_candidates */
#define DENSIFY_ATTEMPTS 64 /* probes per empty bin before a linear scan */
/* An empty bin's minimum. Shingle values are capped one below it, which
 * changes one hash in 2^32 and keeps the bin loops free of branches. */
#define EMPTY UINT32_MAX

/* An exact-hash table slot; doc1 == 0 marks an empty slot. */
typedef struct exact_slot {
	uint64_t h0, h1;
	uint32_t doc1;
} exact_slot;

/* A band table slot: a 32-bit key fingerprint and doc index + 1. Equal
 * keys (and fingerprint collisions) share a probe run; lookups confirm
 * every hit from the fine bins, so a collision costs only time. */
typedef struct band_slot {
	uint32_t key;
	uint32_t doc1;
} band_slot;

typedef struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
} arena_chunk;

struct wn_dedup {
	wn_dedup_opts o;
	uint32_t params; /* fingerprint signatures must carry */
	size_t bytes;    /* memory held, checked against o.max_bytes */

	size_t ndocs, docs_cap;
	const char **ids; /* per doc, into the arena */
	uint8_t *ks;      /* per doc: shingle size of its signature */
	uint8_t **chunks; /* SIG_CHUNK documents' fine bins, confirm_bins / 2 bytes each */
	size_t nchunks, chunks_cap;
	arena_chunk *arena;

	exact_slot *exact;
	size_t exact_cap, exact_used; /* cap is a power of two */
	band_slot *band;
	size_t band_cap, band_used;

	/* Scratch for sign(), grown up to max_text. */
	char *norm;
	size_t norm_cap;
	uint64_t *tok;
	size_t tok_cap;
	uint32_t *mins; /* confirm_bins minima (EMPTY: none); the first num_perm become coarse */
};

/* ---- hashing ---------------------------------------------------------- */

/* Eight bytes, little-endian on every host (packed signatures and the
 * hashes in them outlive the binary that made them). */
static uint64_t load64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* Up to 7 trailing bytes, little-endian. */
static uint64_t load_tail(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	while (n--)
		v = (v << 8) | p[n];
	return v;
}

/* MurmurHash3_x64_128 (Austin Appleby, public domain), written out with
 * explicit little-endian loads so the hash, and so the packed exact
 * hashes kept across runs, are the same on every host. */
static void murmur3_128(const void *data, size_t len, uint64_t seed, uint64_t out[2])
{
	const unsigned char *p = data;
	const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
	uint64_t h1 = seed, h2 = seed;
	size_t nblocks = len / 16;
	for (size_t i = 0; i < nblocks; i++, p += 16) {
		uint64_t k1 = load64(p), k2 = load64(p + 8);
		k1 *= c1, k1 = wn_rotl64(k1, 31), k1 *= c2, h1 ^= k1;
		h1 = wn_rotl64(h1, 27), h1 += h2, h1 = h1 * 5 + 0x52dce729;
		k2 *= c2, k2 = wn_rotl64(k2, 33), k2 *= c1, h2 ^= k2;
		h2 = wn_rotl64(h2, 31), h2 += h1, h2 = h2 * 5 + 0x38495ab5;
	}
	size_t rest = len & 15;
	uint64_t k1 = load_tail(p, rest < 8 ? rest : 8);
	uint64_t k2 = rest > 8 ? load_tail(p + 8, rest - 8) : 0;
	if (rest > 8)
		k2 *= c2, k2 = wn_rotl64(k2, 33), k2 *= c1, h2 ^= k2;
	if (rest > 0)
		k1 *= c1, k1 = wn_rotl64(k1, 31), k1 *= c2, h1 ^= k1;
	h1 ^= (uint64_t)len, h2 ^= (uint64_t)len;
	h1 += h2, h2 += h1;
	h1 = wn_fmix64(h1), h2 = wn_fmix64(h2);
	h1 += h2, h2 += h1;
	out[0] = h1, out[1] = h2;
}

/* A word's hash, eight bytes at a time; s must be followed by 8 readable
 * bytes (the normalised buffer has that slack), so the last chunk is one
 * masked load. Words of up to 8 bytes get one finaliser: this runs for
 * every word of every document. */
static uint64_t word_hash(const char *s, size_t n, uint64_t seed)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
	assert(n > 0);
	for (; n > 8; n -= 8, p += 8)
		h = wn_rotl64((h ^ load64(p)) * 0x9e3779b97f4a7c15ULL, 29);
	h ^= load64(p) & (~0ULL >> (64 - 8 * n));
	return wn_fmix64(h);
}

/* The hash of the k words starting at w: word i rotated by 13 * i, so
 * order matters, then one finaliser. Word hashes are already well mixed;
 * a multiply chain here cost a third of the signing time. */
static uint64_t shingle_hash(const uint64_t *w, int k, uint64_t seed)
{
	uint64_t h = seed + (uint64_t)k;
	for (int i = 0; i < k; i++)
		h ^= wn_rotl64(w[i], (13 * i) & 63);
	return wn_fmix64(h);
}

/* Maps a 32-bit value uniformly onto [0, n) without division. */
static uint32_t reduce32(uint32_t x, uint32_t n)
{
	return (uint32_t)(((uint64_t)x * n) >> 32);
}

/* ---- normalisation ---------------------------------------------------- */

/* Length of a non-ASCII separator at p (0 when p starts a word
 * character): the Unicode spaces, dashes, quotes and ellipsis that
 * scrapers leave in place of ASCII ones (U+00A0, U+00AB, U+00BB,
 * U+2000..U+203F), so "“Yes” — he said" matches "\"Yes\" - he said". */
static size_t utf8_separator(const unsigned char *p, size_t left)
{
	if (p[0] == 0xc2 && left >= 2 && (p[1] == 0xa0 || p[1] == 0xab || p[1] == 0xbb))
		return 2;
	if (p[0] == 0xe2 && left >= 3 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0xbf)
		return 3;
	return 0;
}

/* Grows a scratch array to hold `need` elements of `size` bytes, counting
 * the memory against max_bytes. */
static int grow_scratch(wn_dedup *d, void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 256;
	while (ncap < need)
		ncap *= 2;
	if (d->bytes - *cap * size + ncap * size > d->o.max_bytes)
		return WN_DEDUP_ELIMIT;
	void *np = realloc(*p, ncap * size);
	if (!np)
		return WN_DEDUP_ENOMEM;
	/* Zeroed, so the slack word_hash() reads past a word is defined. */
	memset((char *)np + *cap * size, 0, (ncap - *cap) * size);
	d->bytes = d->bytes - *cap * size + ncap * size;
	*p = np, *cap = ncap;
	return 0;
}

/* Ends the word that started at d->norm[start] and ends at [end]. */
static void end_word(wn_dedup *d, size_t start, size_t end, size_t *w)
{
	assert(*w < d->tok_cap);
	d->tok[(*w)++] = word_hash(d->norm + start, end - start, d->o.seed);
}

/* Normalises text into d->norm (words joined by one space) and hashes
 * every word into d->tok. Returns 0 or an error; *nwords, *len out. */
static int normalise(wn_dedup *d, const char *text, size_t n, size_t *nwords, size_t *len)
{
	/* 8 bytes of slack after the text: word_hash() reads whole words. */
	int rc = grow_scratch(d, (void **)&d->norm, &d->norm_cap, n + 9, 1);
	if (rc)
		return rc;
	/* A word is at least one byte plus a separator, except the last. */
	rc = grow_scratch(d, (void **)&d->tok, &d->tok_cap, n / 2 + 1, sizeof(uint64_t));
	if (rc)
		return rc;
	const unsigned char *p = (const unsigned char *)text;
	char *out = d->norm;
	size_t o = 0, w = 0, i = 0, start = 0;
	int in_word = 0;
	while (i < n) {
		unsigned char c = p[i];
		size_t sep = 0;
		if (c < 0x80) {
			unsigned char lower = (unsigned char)(c | 0x20);
			if ((unsigned)(lower - 'a') < 26)
				c = lower;
			else
				sep = (unsigned)(c - '0') >= 10;
		} else {
			sep = utf8_separator(p + i, n - i);
		}
		if (sep) {
			if (in_word)
				end_word(d, start, o, &w), in_word = 0;
			i += sep;
			continue;
		}
		if (!in_word) {
			if (w)
				out[o++] = ' ';
			start = o, in_word = 1;
		}
		out[o++] = (char)c;
		i++;
	}
	if (in_word)
		end_word(d, start, o, &w);
	memset(out + o, 0, 9);
	*nwords = w, *len = o;
	return 0;
}

/* ---- signatures ------------------------------------------------------- */

static uint32_t params_fingerprint(const wn_dedup_opts *o)
{
	uint64_t h =
	    wn_fmix64(o->seed ^ ((uint64_t)FORMAT_VERSION << 56) ^ ((uint64_t)o->shingle << 48) ^
	              ((uint64_t)o->confirm_bins << 24) ^ (uint64_t)o->num_perm);
	return (uint32_t)(h >> 32) | 1; /* never 0, so a zeroed sig never matches */
}

/* Fills empty coarse bins from non-empty ones (at least one exists). The
 * probe sequence depends on the bin and attempt only, never on the
 * document. */
static void densify(const wn_dedup *d, uint8_t *v)
{
	uint32_t np = (uint32_t)d->o.num_perm;
	const uint32_t *mins = d->mins;
	for (uint32_t i = 0; i < np; i++) {
		if (mins[i] != EMPTY)
			continue;
		uint32_t j = np;
		for (uint32_t a = 1; a <= DENSIFY_ATTEMPTS && j == np; a++) {
			uint64_t h = wn_fmix64(d->o.seed ^ ((uint64_t)i << 32 | a));
			uint32_t cand = reduce32((uint32_t)(h >> 32), np);
			if (mins[cand] != EMPTY)
				j = cand;
		}
		/* Very sparse signatures: the next filled bin, still document-free. */
		for (uint32_t s = 1; j == np; s++)
			if (mins[(i + s) % np] != EMPTY)
				j = (i + s) % np;
		v[i] = (uint8_t)mins[j];
	}
}

/* The 4-bit code of a fine bin's minimum: 1..15 from its low 28 bits, 0
 * for an empty bin. */
static unsigned fine_code(uint32_t min)
{
	unsigned code = 1 + (unsigned)(((uint64_t)(min & 0x0fffffff) * 15) >> 28);
	return min == EMPTY ? 0 : code;
}

/* Fine bins of the shingles of d->tok[0..nwords) into d->mins and their
 * codes into sig->fine. Returns the shingle size used. */
static int fine_bins(wn_dedup *d, size_t nwords, wn_dedup_sig *sig)
{
	uint32_t nf = (uint32_t)d->o.confirm_bins, *mins = d->mins;
	int k = nwords < (size_t)d->o.shingle ? (int)nwords : d->o.shingle;
	size_t nsh = nwords - (size_t)k + 1;
	memset(mins, 0xff, nf * sizeof *mins);
	for (size_t i = 0; i < nsh; i++) {
		uint64_t h = shingle_hash(d->tok + i, k, d->o.seed);
		uint32_t bin = reduce32((uint32_t)(h >> 32), nf), val = (uint32_t)h;
		val = val == EMPTY ? EMPTY - 1 : val;
		mins[bin] = val < mins[bin] ? val : mins[bin];
	}
	for (uint32_t i = 0; i < nf; i += 2)
		sig->fine[i / 2] = (uint8_t)(fine_code(mins[i]) | fine_code(mins[i + 1]) << 4);
	sig->shingles = (uint32_t)nsh;
	return k;
}

/* Merges groups of fine bins into the coarse bins sig->lsh. Fine bin b
 * holds the hashes whose top bits map to b, so b / group holds exactly
 * those that num_perm bins would. In place: coarse bin c reads only fine
 * bins >= c. */
static void coarse_bins(wn_dedup *d, wn_dedup_sig *sig)
{
	uint32_t nc = (uint32_t)d->o.num_perm, group = (uint32_t)d->o.confirm_bins / nc;
	uint32_t *mins = d->mins;
	for (uint32_t c = 0; c < nc; c++) {
		uint32_t min = EMPTY;
		for (uint32_t b = c * group; b < (c + 1) * group; b++)
			min = mins[b] < min ? mins[b] : min;
		mins[c] = min;
		sig->lsh[c] = (uint8_t)min;
	}
	densify(d, sig->lsh);
}

int wn_dedup_sign(wn_dedup *d, const char *text, size_t n, wn_dedup_sig *sig)
{
	if (!d || !sig || (!text && n))
		return WN_DEDUP_EINVAL;
	if (n > d->o.max_text)
		return WN_DEDUP_ELIMIT;
	size_t nwords = 0, len = 0;
	int rc = normalise(d, text ? text : "", n, &nwords, &len);
	if (rc)
		return rc;
	memset(sig, 0, offsetof(wn_dedup_sig, lsh));
	murmur3_128(d->norm, len, d->o.seed, sig->exact);
	sig->params = d->params;
	sig->num_perm = (uint16_t)d->o.num_perm;
	sig->confirm_bins = (uint16_t)d->o.confirm_bins;
	sig->words = nwords > UINT32_MAX ? UINT32_MAX : (uint32_t)nwords;
	if (nwords == 0) {
		memset(sig->lsh, 0, (size_t)d->o.num_perm);
		memset(sig->fine, 0, (size_t)d->o.confirm_bins / 2);
		return 0;
	}
	sig->k = (uint8_t)fine_bins(d, nwords, sig);
	coarse_bins(d, sig);
	return 0;
}

/* Bit 4i set iff nibble i of w is not zero. */
static uint64_t nibbles_set(uint64_t w)
{
	w |= w >> 1;
	w |= w >> 2;
	return w & 0x1111111111111111ULL;
}

/* Estimated Jaccard from two arrays of nf 4-bit codes: of the bins
 * non-empty in either text, the share with equal codes in both, less the
 * 1/15 chance that two different minima share a code. */
static double estimate(const uint8_t *a, const uint8_t *b, int nf)
{
	const double chance = 1.0 / 15;
	int none = 0, both = 0, eq = 0;
	for (int i = 0; i < nf / 2; i += 8) {
		uint64_t x = load64(a + i), y = load64(b + i);
		uint64_t nx = nibbles_set(x), ny = nibbles_set(y), diff = nibbles_set(x ^ y);
		none += __builtin_popcountll(~(nx | ny) & 0x1111111111111111ULL);
		both += __builtin_popcountll(nx & ny);
		eq += __builtin_popcountll(nx & ny & ~diff);
	}
	if (none == nf)
		return 0;
	double j = ((double)eq - chance * both) / (1 - chance) / (nf - none);
	return j < 0 ? 0 : j > 1 ? 1 : j;
}

double wn_dedup_similarity(const wn_dedup_sig *a, const wn_dedup_sig *b)
{
	if (!a || !b || a->params != b->params || a->num_perm != b->num_perm ||
	    a->confirm_bins != b->confirm_bins || a->k != b->k || a->k == 0)
		return -1;
	if (a->exact[0] == b->exact[0] && a->exact[1] == b->exact[1])
		return 1;
	return estimate(a->fine, b->fine, a->confirm_bins);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

int wn_dedup_shingles(wn_dedup *d, const char *text, size_t n, uint64_t **out, size_t *count)
{
	if (!d || !out || !count || (!text && n))
		return WN_DEDUP_EINVAL;
	*out = NULL, *count = 0;
	if (n > d->o.max_text)
		return WN_DEDUP_ELIMIT;
	size_t nwords = 0, len = 0;
	int rc = normalise(d, text ? text : "", n, &nwords, &len);
	if (rc || nwords == 0)
		return rc;
	int k = nwords < (size_t)d->o.shingle ? (int)nwords : d->o.shingle;
	size_t nsh = nwords - (size_t)k + 1, m = 0;
	uint64_t *s = malloc(nsh * sizeof *s);
	if (!s)
		return WN_DEDUP_ENOMEM;
	for (size_t i = 0; i < nsh; i++)
		s[i] = shingle_hash(d->tok + i, k, d->o.seed);
	qsort(s, nsh, sizeof *s, cmp_u64);
	for (size_t i = 0; i < nsh; i++)
		if (m == 0 || s[i] != s[m - 1])
			s[m++] = s[i];
	*out = s, *count = m;
	return 0;
}

double wn_dedup_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	if (na == 0 && nb == 0)
		return 1;
	size_t i = 0, j = 0, both = 0;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			both++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return (double)both / (double)(na + nb - both);
}

/* ---- packing ---------------------------------------------------------- */

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v), put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v), put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return get16(p) | get16(p + 2) << 16;
}

/* Layout: "WD", version, k, num_perm (u16), confirm_bins (u16), params,
 * words, shingles (u32 each), exact hash (2 x u64), coarse bins (a byte
 * each), fine bins (two a byte, low nibble first). */
size_t wn_dedup_sig_pack(const wn_dedup_sig *sig, void *buf, size_t cap)
{
	size_t size = WN_DEDUP_PACKED_SIZE(sig->num_perm, sig->confirm_bins);
	if (!buf || cap < size)
		return size;
	unsigned char *p = buf;
	p[0] = 'W', p[1] = 'D', p[2] = FORMAT_VERSION, p[3] = sig->k;
	put16(p + 4, sig->num_perm), put16(p + 6, sig->confirm_bins);
	put32(p + 8, sig->params), put32(p + 12, sig->words), put32(p + 16, sig->shingles);
	put64(p + 20, sig->exact[0]), put64(p + 28, sig->exact[1]);
	memcpy(p + 36, sig->lsh, sig->num_perm);
	memcpy(p + 36 + sig->num_perm, sig->fine, sig->confirm_bins / 2);
	return size;
}

int wn_dedup_sig_unpack(const void *buf, size_t n, wn_dedup_sig *sig)
{
	const unsigned char *p = buf;
	if (!p || !sig || n < WN_DEDUP_PACKED_SIZE(0, 0) || p[0] != 'W' || p[1] != 'D' ||
	    p[2] != FORMAT_VERSION)
		return WN_DEDUP_EFORMAT;
	uint32_t nc = get16(p + 4), nf = get16(p + 6);
	if (nc == 0 || nc > WN_DEDUP_MAX_PERM || nf == 0 || nf > WN_DEDUP_MAX_FINE || nf % 16 ||
	    n != WN_DEDUP_PACKED_SIZE(nc, nf) || p[3] > 16)
		return WN_DEDUP_EFORMAT;
	memset(sig, 0, sizeof *sig);
	sig->k = p[3], sig->num_perm = (uint16_t)nc, sig->confirm_bins = (uint16_t)nf;
	sig->params = get32(p + 8), sig->words = get32(p + 12), sig->shingles = get32(p + 16);
	sig->exact[0] = load64(p + 20), sig->exact[1] = load64(p + 28);
	memcpy(sig->lsh, p + 36, nc);
	memcpy(sig->fine, p + 36 + nc, nf / 2);
	return 0;
}

/* ---- LSH parameters --------------------------------------------------- */

/* Probability that a pair of similarity s shares at least one band. */
static double s_curve(double s, int bands, int rows)
{
	return 1 - pow(1 - pow(s, rows), bands);
}

/* Midpoint-rule integral of the S-curve on [0, t]: false candidates. */
static double false_area(double t, int bands, int rows)
{
	const int steps = 200;
	double h = t / steps, sum = 0;
	for (int i = 0; i < steps; i++)
		sum += s_curve((i + 0.5) * h, bands, rows);
	return sum * h;
}

int wn_dedup_params(double threshold, int num_perm, int *bands, int *rows)
{
	if (!(threshold > 0 && threshold <= 1) || num_perm < 1 || num_perm > WN_DEDUP_MAX_PERM ||
	    !bands || !rows)
		return WN_DEDUP_EINVAL;
	const double want = 0.995;
	double best_fp = INFINITY, best_p = -1;
	for (int r = 1; r <= num_perm; r++) {
		/* The fewest bands of r rows that reach `want` (fewer bands,
		 * fewer false candidates), else all that fit. */
		int b = num_perm / r;
		while (b > 1 && s_curve(threshold, b - 1, r) >= want)
			b--;
		double p = s_curve(threshold, b, r), fp = false_area(threshold, b, r);
		int ok = p >= want, best_ok = best_p >= want;
		if ((ok && (!best_ok || fp < best_fp)) || (!ok && !best_ok && p > best_p))
			best_fp = fp, best_p = p, *bands = b, *rows = r;
	}
	return 0;
}

/* ---- the index -------------------------------------------------------- */

/* Fills defaults and checks ranges; 0 or WN_DEDUP_EINVAL. */
static int resolve_opts(wn_dedup_opts *o)
{
	if (o->threshold == 0)
		o->threshold = 0.8;
	if (!o->shingle)
		o->shingle = 5;
	if (!o->num_perm)
		o->num_perm = 128;
	if (!o->confirm_bins && o->num_perm <= WN_DEDUP_MAX_FINE / 8)
		o->confirm_bins = 8 * o->num_perm;
	if (!o->seed)
		o->seed = DEFAULT_SEED;
	if (!o->max_text)
		o->max_text = (size_t)16 << 20;
	if (!o->max_docs)
		o->max_docs = 100000000;
	if (!o->max_bytes)
		o->max_bytes = (size_t)8 << 30;
	if (!o->max_candidates)
		o->max_candidates = 1000;
	if (!(o->threshold > 0 && o->threshold <= 1) || o->shingle < 1 || o->shingle > 16 ||
	    o->num_perm < 16 || o->num_perm > WN_DEDUP_MAX_PERM || o->confirm_bins < o->num_perm ||
	    o->confirm_bins > WN_DEDUP_MAX_FINE || o->confirm_bins % o->num_perm ||
	    o->confirm_bins % 16 || o->max_candidates < 1 || o->max_candidates > MAX_CANDIDATES ||
	    o->max_docs > UINT32_MAX - 1 || o->max_text > SIZE_MAX / 8)
		return WN_DEDUP_EINVAL;
	if (!o->bands && !o->rows)
		wn_dedup_params(o->threshold, o->num_perm, &o->bands, &o->rows);
	if (o->bands < 1 || o->rows < 1 || o->bands * o->rows > o->num_perm)
		return WN_DEDUP_EINVAL;
	return 0;
}

wn_dedup *wn_dedup_new(const wn_dedup_opts *opts)
{
	wn_dedup_opts o = {0};
	if (opts)
		o = *opts;
	if (resolve_opts(&o))
		return NULL;
	wn_dedup *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->o = o;
	d->params = params_fingerprint(&o);
	d->mins = malloc((size_t)o.confirm_bins * sizeof *d->mins);
	d->bytes = sizeof *d + (size_t)o.confirm_bins * sizeof *d->mins;
	if (!d->mins || d->bytes > o.max_bytes) {
		wn_dedup_free(d);
		return NULL;
	}
	return d;
}

void wn_dedup_free(wn_dedup *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nchunks; i++)
		free(d->chunks[i]);
	for (arena_chunk *c = d->arena, *next; c; c = next)
		next = c->next, free(c);
	free(d->chunks);
	free(d->ids);
	free(d->ks);
	free(d->exact);
	free(d->band);
	free(d->norm);
	free(d->tok);
	free(d->mins);
	free(d);
}

const wn_dedup_opts *wn_dedup_options(const wn_dedup *d)
{
	return &d->o;
}

size_t wn_dedup_count(const wn_dedup *d)
{
	return d ? d->ndocs : 0;
}

size_t wn_dedup_bytes(const wn_dedup *d)
{
	return d ? d->bytes : 0;
}

/* A document's fine bins. */
static uint8_t *doc_fine(const wn_dedup *d, size_t doc)
{
	return d->chunks[doc / SIG_CHUNK] + (doc % SIG_CHUNK) * (size_t)d->o.confirm_bins / 2;
}

/* The band table key of band b: its rows, the shingle size and the band
 * number, so equal rows in different bands never meet. */
static uint32_t band_key(const wn_dedup *d, const uint8_t *v, int k, int b)
{
	const uint8_t *row = v + (size_t)b * (size_t)d->o.rows;
	uint64_t h = d->o.seed ^ ((uint64_t)b << 40) ^ ((uint64_t)k << 32);
	for (int i = 0; i < d->o.rows; i++)
		h = wn_rotl64(h ^ row[i], 23) * 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(wn_fmix64(h) >> 32);
}

static size_t band_home(const wn_dedup *d, uint32_t key)
{
	return (size_t)(wn_fmix64(key) & (d->band_cap - 1));
}

static size_t exact_home(const wn_dedup *d, uint64_t h0)
{
	return (size_t)(h0 & (d->exact_cap - 1));
}

/* The first document added with this exact hash, or -1. */
static long exact_find(const wn_dedup *d, const uint64_t h[2])
{
	if (!d->exact_cap)
		return -1;
	for (size_t i = exact_home(d, h[0]);; i = (i + 1) & (d->exact_cap - 1)) {
		const exact_slot *s = &d->exact[i];
		if (!s->doc1)
			return -1;
		if (s->h0 == h[0] && s->h1 == h[1])
			return (long)s->doc1 - 1;
	}
}

/* Appends LSH candidates for sig to cand[] (at most cap), one entry per
 * band hit; returns how many. */
static size_t band_candidates(const wn_dedup *d, const wn_dedup_sig *sig, uint32_t *cand,
                              size_t cap)
{
	size_t n = 0;
	if (!d->band_cap)
		return 0;
	for (int b = 0; b < d->o.bands && n < cap; b++) {
		uint32_t key = band_key(d, sig->lsh, sig->k, b);
		for (size_t i = band_home(d, key);; i = (i + 1) & (d->band_cap - 1)) {
			const band_slot *s = &d->band[i];
			if (!s->doc1 || n == cap)
				break;
			if (s->key == key)
				cand[n++] = s->doc1 - 1;
		}
	}
	return n;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int wn_dedup_lookup(const wn_dedup *d, const wn_dedup_sig *sig, wn_dedup_match *m)
{
	if (!d || !sig || !m)
		return WN_DEDUP_EINVAL;
	memset(m, 0, sizeof *m);
	if (sig->params != d->params || sig->num_perm != d->o.num_perm ||
	    sig->confirm_bins != d->o.confirm_bins)
		return WN_DEDUP_EPARAMS;
	if (sig->k == 0)
		return 0; /* no words: nothing to be a duplicate of */
	long ex = exact_find(d, sig->exact);
	if (ex >= 0) {
		m->kind = WN_DEDUP_EXACT, m->duplicate_of = d->ids[ex], m->similarity = 1;
		return 0;
	}
	uint32_t cand[MAX_CANDIDATES];
	size_t n = band_candidates(d, sig, cand, (size_t)d->o.max_candidates);
	/* Sorted, so duplicates are adjacent and ties go to the earliest. */
	qsort(cand, n, sizeof cand[0], cmp_u32);
	long best = -1;
	double best_sim = 0;
	for (size_t i = 0; i < n; i++) {
		if ((i > 0 && cand[i] == cand[i - 1]) || d->ks[cand[i]] != sig->k)
			continue;
		m->candidates++;
		double s = estimate(sig->fine, doc_fine(d, cand[i]), d->o.confirm_bins);
		if (s > best_sim)
			best_sim = s, best = cand[i];
	}
	m->similarity = best_sim;
	if (best >= 0 && best_sim >= d->o.threshold)
		m->kind = WN_DEDUP_NEAR, m->duplicate_of = d->ids[best];
	return 0;
}

int wn_dedup_check(wn_dedup *d, const char *text, size_t n, wn_dedup_sig *sig, wn_dedup_match *m)
{
	if (m)
		memset(m, 0, sizeof *m);
	int rc = wn_dedup_sign(d, text, n, sig);
	if (rc)
		return rc;
	return wn_dedup_lookup(d, sig, m);
}

/* ---- adding ----------------------------------------------------------- */

/* Reserves `more` bytes against max_bytes; 0 or WN_DEDUP_ELIMIT. */
static int reserve(const wn_dedup *d, size_t more)
{
	return more > d->o.max_bytes - d->bytes ? WN_DEDUP_ELIMIT : 0;
}

/* Room in the table of `size`-byte slots for `need` used slots at most
 * 3/4 full: a doubled table, rehashed by `rehash`. */
static int table_room(wn_dedup *d, void **tab, size_t *cap, size_t need, size_t size,
                      void (*rehash)(wn_dedup *, void *, size_t))
{
	if (need * 4 <= *cap * 3)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 1024;
	while (need * 4 > ncap * 3)
		ncap *= 2;
	int rc = reserve(d, ncap * size);
	if (rc)
		return rc;
	void *nt = calloc(ncap, size);
	if (!nt)
		return WN_DEDUP_ENOMEM;
	void *old = *tab;
	size_t ocap = *cap;
	*tab = nt, *cap = ncap;
	rehash(d, old, ocap);
	free(old);
	d->bytes = d->bytes + ncap * size - ocap * size;
	return 0;
}

static void exact_put(wn_dedup *d, const exact_slot *e)
{
	size_t i = exact_home(d, e->h0);
	while (d->exact[i].doc1)
		i = (i + 1) & (d->exact_cap - 1);
	d->exact[i] = *e;
}

static void exact_rehash(wn_dedup *d, void *old, size_t ocap)
{
	const exact_slot *o = old;
	for (size_t i = 0; i < ocap; i++)
		if (o[i].doc1)
			exact_put(d, &o[i]);
}

static void band_put(wn_dedup *d, band_slot e)
{
	size_t i = band_home(d, e.key);
	while (d->band[i].doc1)
		i = (i + 1) & (d->band_cap - 1);
	d->band[i] = e;
}

static void band_rehash(wn_dedup *d, void *old, size_t ocap)
{
	const band_slot *o = old;
	for (size_t i = 0; i < ocap; i++)
		if (o[i].doc1)
			band_put(d, o[i]);
}

/* Copies id into the arena; NULL when memory or max_bytes runs out. */
static const char *intern(wn_dedup *d, const char *id, size_t len)
{
	arena_chunk *c = d->arena;
	if (!c || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > ARENA_CHUNK ? len + 1 : ARENA_CHUNK;
		if (reserve(d, sizeof *c + cap))
			return NULL;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->next = d->arena, c->used = 0, c->cap = cap;
		d->arena = c;
		d->bytes += sizeof *c + cap;
	}
	char *s = memcpy(c->data + c->used, id, len + 1);
	c->used += len + 1;
	return s;
}

/* Room for one more document in the per-document arrays and chunks. */
static int docs_room(wn_dedup *d)
{
	if (d->ndocs == d->docs_cap) {
		size_t ncap = d->docs_cap ? d->docs_cap * 2 : 1024;
		size_t per = sizeof *d->ids + sizeof *d->ks;
		int rc = reserve(d, (ncap - d->docs_cap) * per);
		if (rc)
			return rc;
		const char **ids = realloc(d->ids, ncap * sizeof *ids);
		if (!ids)
			return WN_DEDUP_ENOMEM;
		d->ids = ids;
		uint8_t *ks = realloc(d->ks, ncap);
		if (!ks)
			return WN_DEDUP_ENOMEM;
		d->ks = ks;
		d->bytes += (ncap - d->docs_cap) * per;
		d->docs_cap = ncap;
	}
	if (d->ndocs / SIG_CHUNK < d->nchunks)
		return 0;
	if (d->nchunks == d->chunks_cap) {
		size_t ncap = d->chunks_cap ? d->chunks_cap * 2 : 16;
		int rc = reserve(d, (ncap - d->chunks_cap) * sizeof *d->chunks);
		if (rc)
			return rc;
		uint8_t **ch = realloc(d->chunks, ncap * sizeof *ch);
		if (!ch)
			return WN_DEDUP_ENOMEM;
		d->bytes += (ncap - d->chunks_cap) * sizeof *ch;
		d->chunks = ch, d->chunks_cap = ncap;
	}
	size_t chunk = (size_t)SIG_CHUNK * (size_t)d->o.confirm_bins / 2;
	int rc = reserve(d, chunk);
	if (rc)
		return rc;
	if (!(d->chunks[d->nchunks] = malloc(chunk)))
		return WN_DEDUP_ENOMEM;
	d->nchunks++;
	d->bytes += chunk;
	return 0;
}

/* Grows everything one more document needs, before anything changes, so
 * a failure leaves the index as it was. */
static int make_room(wn_dedup *d, const char *id, size_t len, const char **interned)
{
	int rc = docs_room(d);
	if (!rc)
		rc = table_room(d, (void **)&d->exact, &d->exact_cap, d->exact_used + 1,
		                sizeof(exact_slot), exact_rehash);
	if (!rc)
		rc = table_room(d, (void **)&d->band, &d->band_cap,
		                d->band_used + (size_t)d->o.bands, sizeof(band_slot), band_rehash);
	if (!rc && !(*interned = intern(d, id, len)))
		rc = reserve(d, len + 1 + sizeof(arena_chunk)) ? WN_DEDUP_ELIMIT : WN_DEDUP_ENOMEM;
	return rc;
}

/* Whether a band run already holds max_candidates entries of this key:
 * more would only be cut off at lookup, and would make every probe of the
 * run slower (thousands of near-identical boilerplate pages, say). */
static int band_full(const wn_dedup *d, uint32_t key)
{
	int same = 0;
	for (size_t i = band_home(d, key); d->band[i].doc1; i = (i + 1) & (d->band_cap - 1))
		if (d->band[i].key == key && ++same >= d->o.max_candidates)
			return 1;
	return 0;
}

int wn_dedup_add(wn_dedup *d, const char *id, const wn_dedup_sig *sig)
{
	if (!d || !id || !sig)
		return WN_DEDUP_EINVAL;
	size_t len = strlen(id);
	if (len > WN_DEDUP_MAX_ID)
		return WN_DEDUP_EINVAL;
	if (sig->params != d->params || sig->num_perm != d->o.num_perm ||
	    sig->confirm_bins != d->o.confirm_bins)
		return WN_DEDUP_EPARAMS;
	if (d->ndocs >= d->o.max_docs)
		return WN_DEDUP_ELIMIT;
	const char *interned = NULL;
	int rc = make_room(d, id, len, &interned);
	if (rc)
		return rc;
	uint32_t doc = (uint32_t)d->ndocs++;
	d->ids[doc] = interned;
	d->ks[doc] = sig->k;
	memcpy(doc_fine(d, doc), sig->fine, (size_t)d->o.confirm_bins / 2);
	if (sig->k == 0)
		return 0; /* kept, but no words: never matched */
	if (exact_find(d, sig->exact) < 0) {
		exact_slot e = {sig->exact[0], sig->exact[1], doc + 1};
		exact_put(d, &e);
		d->exact_used++;
	}
	for (int b = 0; b < d->o.bands; b++) {
		uint32_t key = band_key(d, sig->lsh, sig->k, b);
		if (band_full(d, key))
			continue;
		band_put(d, (band_slot){key, doc + 1});
		d->band_used++;
	}
	return 0;
}

const char *wn_dedup_strerror(int rc)
{
	switch (rc) {
	case WN_DEDUP_OK:
		return "ok";
	case WN_DEDUP_ENOMEM:
		return "out of memory";
	case WN_DEDUP_EINVAL:
		return "invalid argument";
	case WN_DEDUP_ELIMIT:
		return "limit reached (text size, documents or memory)";
	case WN_DEDUP_EFORMAT:
		return "not a packed dedup signature";
	case WN_DEDUP_EPARAMS:
		return "signature made with other dedup parameters";
	}
	return "unknown dedup error";
}
