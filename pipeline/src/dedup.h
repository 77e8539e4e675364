/*
 * Duplicate detection: exact duplicates by a 128-bit hash of the normalised
 * text, near duplicates by MinHash signatures over word shingles with LSH
 * banding, every candidate confirmed by the Jaccard similarity estimated
 * from finer bins of the signatures.
 *
 * The engine owns the policy; this module only answers "is this text a
 * duplicate of one already kept, and of which one". The intended use, on
 * the sink thread in source order:
 *
 *     wn_dedup_check(d, text, n, &sig, &m);       // look, don't touch
 *     if (m.kind != WN_DEDUP_UNIQUE) drop (m.duplicate_of, m.similarity);
 *     else { export; wn_dedup_add(d, id, &sig); }  // kept: later copies match it
 *
 * and across runs: wn_dedup_sig_pack() into the state store at commit,
 * wn_dedup_sig_unpack() + wn_dedup_add() when the next run starts.
 * Signing needs no kept documents: a worker thread may sign with an index
 * of its own made with the same options (signatures are compatible when
 * seed, shingle, num_perm and confirm_bins agree), leaving only
 * wn_dedup_lookup() and wn_dedup_add() to the sink thread.
 *
 * Normalisation: ASCII letters lower-cased; every other ASCII byte
 * (punctuation, whitespace, controls) and the common Unicode spaces,
 * quotes and dashes separate words; other UTF-8 bytes are kept as they
 * are. Words are then joined by single spaces. So "Hello,  World!" and
 * "hello world" are exact duplicates.
 *
 * Signatures are one-permutation MinHash: each shingle is hashed once and
 * dropped into one of confirm_bins fine bins, each keeping its minimum as
 * a 4-bit code (0: empty), which estimate the Jaccard similarity closely
 * (rms error about 0.01 near 0.8 on article-sized texts); groups of fine
 * bins make num_perm coarse bins (8 bits, empty ones densified) whose
 * bands are the LSH keys. See dedup.c for why.
 *
 * An index is used by one thread at a time (wn_dedup_lookup() only reads
 * it); separate indexes are independent (no globals).
 */
#ifndef WN_DEDUP_H
#define WN_DEDUP_H

#include <stddef.h>
#include <stdint.h>

/* Most coarse (LSH) bins and fine (confirmation) bins. */
#define WN_DEDUP_MAX_PERM 512
#define WN_DEDUP_MAX_FINE 4096
/* Longest id wn_dedup_add() accepts, in bytes. */
#define WN_DEDUP_MAX_ID 1024
/* Bytes of a packed signature. */
#define WN_DEDUP_PACKED_SIZE(num_perm, confirm_bins)                                               \
	(36 + (size_t)(num_perm) + (size_t)(confirm_bins) / 2)

/* Return codes: 0 or one of these (negative). */
enum {
	WN_DEDUP_OK = 0,
	WN_DEDUP_ENOMEM = -1,  /* allocation failed; the index is unchanged */
	WN_DEDUP_EINVAL = -2,  /* bad argument (NULL, id too long, ...) */
	WN_DEDUP_ELIMIT = -3,  /* a configured limit (text size, documents, memory) */
	WN_DEDUP_EFORMAT = -4, /* bytes are not a packed signature */
	WN_DEDUP_EPARAMS = -5  /* signature made with another seed, shingle or bins */
};

/* Options; a zero member means its default. */
typedef struct wn_dedup_opts {
	double threshold;   /* near-duplicate Jaccard threshold, (0, 1]; default 0.8 */
	int shingle;        /* words per shingle, 1..16; default 5 */
	int num_perm;       /* coarse (LSH) bins, 16..WN_DEDUP_MAX_PERM; default 128 */
	int confirm_bins;   /* fine bins: a multiple of num_perm and of 16, at most
	                     * WN_DEDUP_MAX_FINE; default 8 * num_perm (1024). Memory per
	                     * document is confirm_bins / 2 bytes; the estimate's error
	                     * shrinks with it (rms ~0.018 at 256, ~0.01 at 1024) */
	int bands, rows;    /* LSH banding; default wn_dedup_params(); bands*rows <= num_perm */
	uint64_t seed;      /* hash seed; default a fixed constant (signatures are stable) */
	size_t max_text;    /* longest text in bytes; default 16 MiB */
	size_t max_docs;    /* most documents in the index; default 100 million */
	size_t max_bytes;   /* most memory the index may hold; default 8 GiB */
	int max_candidates; /* LSH candidates compared per check; default 1000 */
} wn_dedup_opts;

/* A document's signature, filled by wn_dedup_sign()/check(), stored by
 * wn_dedup_add(). Plain data: copy it, pack it, keep it on the stack. */
typedef struct wn_dedup_sig {
	uint64_t exact[2];     /* 128-bit hash of the normalised text */
	uint32_t params;       /* fingerprint of seed, shingle, bins: only equal ones compare */
	uint32_t words;        /* words in the normalised text */
	uint32_t shingles;     /* shingle positions (words - k + 1; 0 without words) */
	uint16_t num_perm;     /* coarse bins used in lsh */
	uint16_t confirm_bins; /* fine bins used in fine */
	uint8_t k;             /* words per shingle used: < opts.shingle for short texts, 0 empty */
	uint8_t lsh[WN_DEDUP_MAX_PERM];      /* coarse bins, densified: 8 bits of each minimum */
	uint8_t fine[WN_DEDUP_MAX_FINE / 2]; /* fine bins, two 4-bit codes a byte, 0 = empty */
} wn_dedup_sig;

typedef enum wn_dedup_kind {
	WN_DEDUP_UNIQUE = 0, /* no kept document is a duplicate */
	WN_DEDUP_EXACT = 1,  /* same normalised text as duplicate_of */
	WN_DEDUP_NEAR = 2    /* estimated Jaccard >= threshold with duplicate_of */
} wn_dedup_kind;

typedef struct wn_dedup_match {
	wn_dedup_kind kind;
	/* Id of the kept document, borrowed from the index (valid until
	 * wn_dedup_free); NULL when unique. */
	const char *duplicate_of;
	/* 1 when exact; the estimated Jaccard when near; when unique, the
	 * best estimate among the candidates (0 when none). */
	double similarity;
	unsigned candidates; /* LSH candidates compared */
} wn_dedup_match;

typedef struct wn_dedup wn_dedup;

/* Chooses LSH banding for a threshold and number of coarse bins: of the
 * bands and rows (bands*rows <= num_perm) whose S-curve 1-(1-s^rows)^bands
 * makes a pair at the threshold a candidate with probability >= 0.995, the
 * one with the least false-candidate area below the threshold (when none
 * reaches 0.995, the one that comes closest). Recall comes first because
 * every candidate is confirmed from the fine bins: a false candidate costs
 * one comparison, a missed one a duplicate. For 0.8 and 128 this gives 18
 * bands of 6 rows. Returns 0, or WN_DEDUP_EINVAL for a threshold outside
 * (0, 1] or num_perm outside 1..WN_DEDUP_MAX_PERM. */
int wn_dedup_params(double threshold, int num_perm, int *bands, int *rows);

/* A new empty index. opts may be NULL (all defaults). Returns NULL when
 * an option is out of range or memory runs out. */
wn_dedup *wn_dedup_new(const wn_dedup_opts *opts);

/* Frees the index and every id it holds. NULL is fine. */
void wn_dedup_free(wn_dedup *d);

/* The options in force (defaults filled in, bands and rows chosen). */
const wn_dedup_opts *wn_dedup_options(const wn_dedup *d);

/* Signature of text[0..n) (need not be NUL-terminated; NULL with n == 0
 * is the empty text). Texts with fewer words than opts.shingle use
 * shingles of all their words (sig->k says how many); a text without
 * words gets k == 0 and is never a duplicate. Uses scratch memory in d,
 * so it is not reentrant on one index. Returns 0, WN_DEDUP_ELIMIT when
 * n > max_text, WN_DEDUP_ENOMEM, WN_DEDUP_EINVAL. */
int wn_dedup_sign(wn_dedup *d, const char *text, size_t n, wn_dedup_sig *sig);

/* Looks sig up among the documents added so far, without changing the
 * index: an exact match first, else the LSH candidates (same k) whose
 * estimated Jaccard is >= threshold; of several, the most similar (ties:
 * the earliest added). At most max_candidates band hits are compared.
 * Fills *m. Allocates nothing. Returns 0, WN_DEDUP_EPARAMS for a
 * signature made with other parameters, or WN_DEDUP_EINVAL. */
int wn_dedup_lookup(const wn_dedup *d, const wn_dedup_sig *sig, wn_dedup_match *m);

/* wn_dedup_sign() then wn_dedup_lookup(): the signature goes to *sig
 * (for wn_dedup_add once the document is kept), the verdict to *m. */
int wn_dedup_check(wn_dedup *d, const char *text, size_t n, wn_dedup_sig *sig, wn_dedup_match *m);

/* Adds a kept document: later checks find it. id (NUL-terminated, at most
 * WN_DEDUP_MAX_ID bytes) is copied. Adding does not look for duplicates;
 * of two exact duplicates added, lookups name the first. Returns 0,
 * WN_DEDUP_EPARAMS (other parameters), WN_DEDUP_ELIMIT (max_docs or
 * max_bytes reached), WN_DEDUP_ENOMEM, WN_DEDUP_EINVAL; on error the
 * index is unchanged. */
int wn_dedup_add(wn_dedup *d, const char *id, const wn_dedup_sig *sig);

/* Estimated Jaccard similarity of two signatures' shingle sets, in [0, 1];
 * 1 for equal normalised texts; -1 when they cannot be compared (other
 * parameters or shingle sizes, or a text without words). */
double wn_dedup_similarity(const wn_dedup_sig *a, const wn_dedup_sig *b);

/* The distinct 64-bit shingle hashes of a text, sorted ascending, into a
 * fresh heap array *out (free() it; NULL when *count == 0): the set whose
 * Jaccard similarity the signatures estimate. For tests and benchmarks
 * that need the exact value. Returns as wn_dedup_sign(). */
int wn_dedup_shingles(wn_dedup *d, const char *text, size_t n, uint64_t **out, size_t *count);

/* Exact Jaccard similarity of two sorted distinct hash arrays (1 when both
 * are empty). */
double wn_dedup_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/* Serialises sig into buf (little-endian, versioned) when cap is large
 * enough. Returns the packed size, WN_DEDUP_PACKED_SIZE(sig->num_perm,
 * sig->confirm_bins) (676 bytes with the defaults), whether or not it was
 * written (so a NULL buf asks for the size). */
size_t wn_dedup_sig_pack(const wn_dedup_sig *sig, void *buf, size_t cap);

/* Reads a packed signature. Returns 0, or WN_DEDUP_EFORMAT when buf[0..n)
 * is not exactly one signature of a known format version. Parameters are
 * checked later, by wn_dedup_add()/lookup(). */
int wn_dedup_sig_unpack(const void *buf, size_t n, wn_dedup_sig *sig);

/* Documents in the index. */
size_t wn_dedup_count(const wn_dedup *d);

/* Bytes of memory the index holds (tables, fine bins, ids, scratch): about
 * 800 a kept document with the defaults, growing in steps as tables
 * double. */
size_t wn_dedup_bytes(const wn_dedup *d);

/* A short English message for a return code. */
const char *wn_dedup_strerror(int rc);

#endif
