/*
 * bench/dedup: a deterministic synthetic news corpus with planted near
 * duplicates. Documents are regenerated from their seeds on demand, so
 * nothing but a few bytes of metadata per document is kept.
 *
 * Stories are word streams drawn from a Zipfian vocabulary of made-up
 * words, in sentences and paragraphs. A copy takes an earlier story (of the
 * last 1,000) and a target Jaccard similarity drawn uniformly from
 * [0.55, 1.0), then applies the edits a syndicated or rewritten wire story
 * gets (site boilerplate added, paragraphs reordered, sentences inserted,
 * words substituted, deleted and inserted) in amounts estimated to reach
 * the target. The target only steers: the ground truth is the exact
 * Jaccard of the shingle sets, measured. 8% of copies are exact copies
 * rendered differently (case, punctuation, spacing, CRLF).
 */
#ifndef BENCH_DEDUP_CORPUS_H
#define BENCH_DEDUP_CORPUS_H

#include <stddef.h>
#include <stdint.h>

typedef struct corpus_doc {
	uint32_t story;  /* cluster: the story this document tells */
	uint8_t is_copy; /* 0: the story's first appearance */
	uint8_t exact;   /* a copy with the story's exact words */
	uint16_t site;   /* whose boilerplate it may carry */
	float target;    /* planted similarity the edits aimed at (copies) */
} corpus_doc;

typedef struct corpus corpus;

/* A corpus of n documents from seed; NULL when out of memory. */
corpus *corpus_new(size_t n, uint64_t seed);
void corpus_free(corpus *c);
size_t corpus_size(const corpus *c);
size_t corpus_stories(const corpus *c);
const corpus_doc *corpus_meta(const corpus *c, size_t i);

/* Renders document i into *buf (grown as needed, heap; scratch memory in c,
 * so one thread at a time); returns its
 * length, or (size_t)-1 when out of memory. */
size_t corpus_render(corpus *c, size_t i, char **buf, size_t *cap);

#endif
