/*
 * Word classes for the tagger, learnt from the training text without its
 * labels (winnow-train only; the stage reads the finished table from the
 * model file, see tagger.h).
 */
#ifndef WN_EE_CLUSTER_H
#define WN_EE_CLUSTER_H

#include "tokenize.h"

#include <stddef.h>
#include <stdint.h>

/* Builds the word table of tagger.h from ndoc documents (text[k] tokenized
 * as tok[k]): every word seen at least twice gets its lower-case ratio, the
 * frequent ones a cluster path from bisecting spherical 2-means over their
 * left and right neighbour counts. *slots gets 2 * *nslots u32 (malloc'd,
 * at most half full). Deterministic: the same documents in the same order
 * give the same table. Returns 0, or -1 when out of memory. */
int wn_ner_words_build(const char *const *text, const wn_tokens *const *tok, size_t ndoc,
                       uint32_t **slots, uint32_t *nslots);

#endif
