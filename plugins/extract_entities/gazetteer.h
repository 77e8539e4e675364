/*
 * Gazetteers: names matched over the token stream in one left-to-right
 * pass (a token-level trie whose edges are hashed, the token analogue of
 * Aho-Corasick: each position walks the trie as far as it goes and keeps
 * the longest complete name).
 *
 * System entries are read at run time from Debian data: country names from
 * iso-codes (iso_3166-1.json: name, common_name, official_name, plus a few
 * short English forms such as "US" and "Britain"), provinces/states from
 * iso_3166-2.json (local designators such as "Sheng" or "Province"
 * stripped), and city names from the tzdata zone names (Asia/Hong_Kong ->
 * "Hong Kong"), and cities and regions from GeoNames in the English
 * catalogue of libgeonames-common (about 28,000 names). User entries come from TSV files: canonical
 * name, type, aliases separated by '|', optional id. A user entry always wins over a system entry
 * with the same surface form. Matching is case-sensitive.
 */
#ifndef WN_EE_GAZETTEER_H
#define WN_EE_GAZETTEER_H

#include "tokenize.h"

#include <stddef.h>
#include <stdint.h>

typedef struct wn_gaz wn_gaz;

/* Entry kinds. */
enum { WN_GK_COUNTRY = 1, WN_GK_REGION = 2, WN_GK_CITY = 4, WN_GK_USER = 16 };

typedef struct wn_gaz_entry {
	const char *canonical;
	const char *kb_id; /* NULL for system entries */
	int type;          /* enum wn_etype */
	int kind;          /* WN_GK_* */
} wn_gaz_entry;

typedef struct wn_gaz_hit {
	uint32_t tok0, tok1; /* token range [tok0, tok1) */
	const wn_gaz_entry *e;
} wn_gaz_hit;

/* An empty gazetteer, or NULL when out of memory. */
wn_gaz *wn_gaz_new(void);

/* Frees everything. NULL is fine. */
void wn_gaz_free(wn_gaz *g);

/* Adds the Debian data sets; missing files are skipped (returns how many
 * names were added, -1 when out of memory). iso_dir is usually
 * /usr/share/iso-codes/json, zone_dir /usr/share/zoneinfo, geonames_mo
 * WN_GEONAMES_MO; NULL skips one. */
long wn_gaz_load_system(wn_gaz *g, const char *iso_dir, const char *zone_dir,
                        const char *geonames_mo);

/* Where Debian's libgeonames-common keeps the English place names. */
#define WN_GEONAMES_MO "/usr/share/locale/en/LC_MESSAGES/geonames.mo"

/* Adds a user TSV file. Returns the number of entries, or -1 with a
 * message in err (file:line: what is wrong). */
long wn_gaz_load_user(wn_gaz *g, const char *path, char *err, size_t errcap);

/* Adds one name; `surface` is tokenized and matched token by token.
 * Returns 0 or -1 when out of memory. */
int wn_gaz_add(wn_gaz *g, const char *surface, const char *canonical, int type, int kind,
               const char *kb_id);

/* Finds the longest non-overlapping matches left to right. *hits is a
 * malloc'd array the caller frees (may be NULL when *nhits is 0).
 * Returns 0 or -1 when out of memory. */
int wn_gaz_match(const wn_gaz *g, const char *s, const wn_tokens *t, wn_gaz_hit **hits,
                 size_t *nhits);

/* Per-token bits for the tagger: the WN_GK_* kinds of the match covering
 * each token, plus 8 on a match's first token (tagger.h WN_GZ_*). */
void wn_gaz_token_flags(const wn_gaz_hit *h, size_t n, size_t ntok, uint8_t *flags);

/* Looks up one exact surface string; NULL when absent. */
const wn_gaz_entry *wn_gaz_lookup(const wn_gaz *g, const char *s, size_t n);

#endif
