/*
 * Named-entity tagger: a structured averaged perceptron (beam search) over
 * hashed features (BIO labels for PER, ORG, LOC, MISC).
 *
 * Features of token i: the word and its lower-case form, affixes, word
 * shape, capitalisation, the +-2 context words and shapes, position in the
 * sentence, word classes, gazetteer membership of the token and its
 * neighbours, document evidence (the same word capitalised mid-sentence,
 * lower-case, or after a personal title elsewhere in the article), and the
 * two previous labels.
 * Each feature string is hashed to one of 2^bits rows of NLABELS weights.
 *
 * Word classes (wn_ner_words): a table learnt from the training text
 * without labels, keyed by the lower-cased word: a cluster path (bisecting
 * k-means over left/right neighbour counts, cluster.c) whose prefixes are
 * features at several granularities, and how often the word is written in
 * lower case mid-sentence (a binned P(lower | word): "The" vs "Bank").
 *
 * Model file (little-endian): "WNNER2\0\0", u32 bits, u32 nlabels, f32
 * scale, u32 nslots (a power of two, or 0), then (1 << bits) * nlabels int16
 * weights (real weight = w/scale), then nslots pairs of u32 (word key, word
 * info; key 0 = empty slot). "WNNER1" files have no nslots and no table.
 */
#ifndef WN_EE_TAGGER_H
#define WN_EE_TAGGER_H

#include "tokenize.h"

#include <stddef.h>
#include <stdint.h>

enum wn_ner_label {
	WN_L_O,
	WN_L_B_PER,
	WN_L_I_PER,
	WN_L_B_ORG,
	WN_L_I_ORG,
	WN_L_B_LOC,
	WN_L_I_LOC,
	WN_L_B_MISC,
	WN_L_I_MISC,
	WN_NLABELS
};

/* Gazetteer bits per token (wn_ner_input.gaz). */
enum {
	WN_GZ_COUNTRY = 1, /* inside a country name */
	WN_GZ_REGION = 2,  /* inside a province/state/region name */
	WN_GZ_CITY = 4,    /* inside a city name */
	WN_GZ_BEGIN = 8,   /* first token of a gazetteer match */
	WN_GZ_USER = 16,   /* inside a user gazetteer entry */
};

#define WN_NER_MAX_FEATS 64

/* Word info bits (a wn_ner_words value). */
#define WN_WI_PATH(v) ((v)&0xFFFu)         /* cluster path, WN_WI_DEPTH bits */
#define WN_WI_DEPTH(v) (((v) >> 12) & 15u) /* 0: no cluster */
#define WN_WI_LOWER(v) (((v) >> 16) & 7u)  /* 0..6: 6 * P(lower), 7 unknown */
#define WN_WI_MAX_DEPTH 12

/* An open-addressing table of word key -> word info (see above). */
typedef struct wn_ner_words {
	const uint32_t *slot; /* 2 * (mask + 1) u32: key, info */
	uint32_t mask;        /* slots - 1; slot == NULL: no table */
} wn_ner_words;

/* The table key of a word (its lower-cased hash, never 0). */
uint32_t wn_ner_word_key(const char *p, size_t n);

/* The info of a word, or 0 when the table lacks it. */
uint32_t wn_ner_word_info(const wn_ner_words *wt, uint32_t key);

/* What the tagger reads about one text. */
typedef struct wn_ner_input {
	const char *s;
	const wn_tokens *t;
	const uint8_t *gaz; /* per token, or NULL */
	const uint8_t *doc; /* per token document evidence (wn_ner_doc_flags), or NULL */
	wn_ner_words words; /* word classes; wn_ner_tag sets the model's */
} wn_ner_input;

/* Document evidence bits (wn_ner_doc_flags). */
enum {
	WN_DOC_CAP_MID = 1, /* the word occurs capitalised mid-sentence elsewhere */
	WN_DOC_LOWER = 2,   /* ... in lower case elsewhere */
	WN_DOC_TITLED = 4,  /* ... right after a personal title (Mr., President) */
	WN_DOC_IN_SEQ = 8,  /* ... as the last word of a capitalised sequence */
};

/* Computes per-token document evidence into flags[0..t->n). Returns 0 or
 * -1 when out of memory. */
int wn_ner_doc_flags(const char *s, const wn_tokens *t, uint8_t *flags);

/* Hashes the static features of token i into out[] (bucket indexes for a
 * table of 2^bits rows); returns how many (<= WN_NER_MAX_FEATS). */
size_t wn_ner_features(const wn_ner_input *in, size_t i, size_t sent0, size_t sent1, uint32_t bits,
                       uint32_t *out);

/* Hashes the label-history features of token i (prev labels p1, p2). */
size_t wn_ner_hist_features(const wn_ner_input *in, size_t i, int p1, int p2, uint32_t bits,
                            uint32_t *out);

/* True when label l may follow label prev under BIO. */
int wn_ner_allowed(int prev, int l);

typedef struct wn_ner_model {
	uint32_t bits;
	float scale;
	const int16_t *w;   /* (1 << bits) * WN_NLABELS, inside the mapping */
	wn_ner_words words; /* inside the mapping too */
	void *map;          /* the read-only file mapping, shared by instances */
	size_t maplen;
} wn_ner_model;

/* Maps a model file read-only (instances of the stage share the pages);
 * 0, or -1 with a message in err. */
int wn_ner_load(wn_ner_model *m, const char *path, char *err, size_t errcap);

/* Frees the weights and zeroes m. */
void wn_ner_free(wn_ner_model *m);

#define WN_NER_BEAM 4       /* paths kept by the beam search */
#define WN_NER_MAX_SENT 256 /* longer sentences are decoded in pieces */

/* One path of the beam. */
typedef struct wn_ner_hyp {
	int64_t score;
	int p1, p2; /* its last two labels */
	int parent; /* index in the previous column */
	int gold;   /* training: the path equals the gold labels so far */
	float conf; /* confidence of this column's label */
} wn_ner_hyp;

/* Adds the weights of feature rows f[0..nf) to sc[WN_NLABELS]. */
typedef void (*wn_ner_scorer)(const void *ctx, const uint32_t *f, size_t nf, int64_t *sc);

/* Beam search over tokens [sent0, sent1) (at most WN_NER_MAX_SENT): the
 * best path's labels and confidences. With `gold` (training), stops at the
 * first token where no kept path agrees with gold and returns how many
 * tokens were decoded (early update); otherwise returns sent1 - sent0. */
size_t wn_ner_beam(wn_ner_scorer score, const void *ctx, uint32_t bits, double scale,
                   const wn_ner_input *in, size_t sent0, size_t sent1, const uint8_t *gold,
                   uint8_t *labels, float *conf);

/* Tags tokens [sent0, sent1) of one sentence: labels[i] and conf[i]
 * (0..1, the margin of the chosen label) for each. */
void wn_ner_tag(const wn_ner_model *m, const wn_ner_input *in, size_t sent0, size_t sent1,
                uint8_t *labels, float *conf);

#endif
