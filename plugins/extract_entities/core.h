/*
 * The extract_entities stage core, independent of the host: tokenize,
 * match gazetteers, apply the MONEY/PERCENT/DATE rules, tag names, then
 * link mentions within the article. The plugin, the bench tool, the tests
 * and the fuzzer all call this.
 */
#ifndef WN_EE_CORE_H
#define WN_EE_CORE_H

#include "ent.h"
#include "gazetteer.h"
#include "tagger.h"
#include "tokenize.h"

/* Read-only resources; one per stage instance (not shared mutable). */
typedef struct wn_ee {
	wn_ner_model model; /* bits == 0: no tagger (rules and gazetteers only) */
	wn_gaz *gaz;        /* never NULL after wn_ee_open */
} wn_ee;

/* Scratch reused from one text to the next, and the result. */
typedef struct wn_ee_work {
	wn_tokens t;
	uint8_t *labels, *gazf, *docf, *taken;
	uint8_t *lkind; /* enum wn_line_kind of each token's line (lines.h) */
	float *conf;
	size_t cap;
	char *tc; /* the truecased copy of the text the tagger reads (lines.h) */
	size_t tccap;
	wn_ents ents; /* the result of the last wn_ee_run, sorted by start */
} wn_ee_work;

/* Opens the resources: the model file (NULL: none), the system gazetteers
 * (iso_dir / zone_dir / geonames_mo, NULL to skip) and user TSV files (NULL-terminated
 * list or NULL). Returns 0, or -1 with a message in err. */
int wn_ee_open(wn_ee *ee, const char *model_path, const char *iso_dir, const char *zone_dir,
               const char *geonames_mo, const char *const *user_gaz, char *err, size_t errcap);

/* Releases what wn_ee_open allocated. */
void wn_ee_close(wn_ee *ee);

/* Finds the entities of s[0..n) into w->ents. Lines of every kind are
 * tagged (lines.h): hard-wrapped prose is unwrapped and headline lines are
 * truecased first, offsets stay those of s. An entity's canonical name may
 * point into w (valid until the next call) or into s. `ref` resolves relative
 * dates; `tag_names` == 0 runs rules and gazetteers only (non-English).
 * Returns 0, or -1 when out of memory or the text is too large (4 GiB). */
int wn_ee_run(const wn_ee *ee, wn_ee_work *w, const char *s, size_t n, const wn_refdate *ref,
              int tag_names);

/* Frees the scratch and the result. */
void wn_ee_work_free(wn_ee_work *w);

#endif
