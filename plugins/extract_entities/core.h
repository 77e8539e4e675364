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

/* Post-processing steps after the tagger, each of which can be turned
 * off for ablation (ee-bench reads WN_EE_SKIP=name,...: wn_ee_skip_parse);
 * the stage always runs them all. */
enum {
	WN_EE_SKIP_RULES = 1 << 0,    /* MONEY/PERCENT/DATE rules (they bound names) */
	WN_EE_SKIP_JOIN = 1 << 1,     /* adjacent B-x B-x of capitalised words joined */
	WN_EE_SKIP_POSS = 1 << 2,     /* a possessive ends a name; "People's" joins */
	WN_EE_SKIP_TRIM = 1 << 3,     /* punctuation/"the"/"'s" trimmed off the edges */
	WN_EE_SKIP_DROP = 1 << 4,     /* fragments, common acronyms, "Series D" dropped */
	WN_EE_SKIP_START = 1 << 5,    /* a name opens with a capital or a particle */
	WN_EE_SKIP_AND = 1 << 6,      /* "A and B" split */
	WN_EE_SKIP_CUES = 1 << 7,     /* class-noun lists, designators, place heads */
	WN_EE_SKIP_VOTE = 1 << 8,     /* one type per surface string in the article */
	WN_EE_SKIP_META = 1 << 9,     /* metonymy: mention's own ORG/GPE, teams, datelines */
	WN_EE_SKIP_HEADS = 1 << 10,   /* head words: org, company, event, street, natural */
	WN_EE_SKIP_CAMEL = 1 << 11,   /* camel-case brands are ORG */
	WN_EE_SKIP_GAZTYPE = 1 << 12, /* a known place span is a GPE */
	WN_EE_SKIP_COUNTRY = 1 << 13, /* countries the tagger missed */
	WN_EE_SKIP_HYPHEN = 1 << 14,  /* "China-US" split into places */
	WN_EE_SKIP_LINK = 1 << 15,    /* surname, acronym and short-form linking */
	WN_EE_SKIP_PROP = 1 << 16,    /* untagged repeats of a found name */
	WN_EE_SKIP_ORGCTX = 1 << 17,  /* a PERSON before an organisation's noun is ORG */
	WN_EE_SKIP_ALL = (1 << 18) - 1,
};

/* Read-only resources; one per stage instance (not shared mutable). */
typedef struct wn_ee {
	wn_ner_model model; /* bits == 0: no tagger (rules and gazetteers only) */
	wn_gaz *gaz;        /* never NULL after wn_ee_open */
	unsigned skip;      /* WN_EE_SKIP_* (ablation only; 0 in the stage) */
} wn_ee;

/* The WN_EE_SKIP_* mask of a comma-separated list of step names ("rules",
 * "join", "poss", "trim", "drop", "start", "and", "cues", "vote", "meta",
 * "heads", "camel", "gaztype", "country", "hyphen", "link", "prop",
 * "orgctx", or "all"); -1 when a name is unknown. NULL or "" gives 0. */
long wn_ee_skip_parse(const char *list);

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
