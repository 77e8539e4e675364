/*
 * The entity list the stage core builds before handing entities to the
 * host: byte spans into the article text plus type, normalised value,
 * canonical name and confidence. Shared by the rules, the tagger, the
 * gazetteer and the in-article linking.
 */
#ifndef WN_EE_ENT_H
#define WN_EE_ENT_H

#include <stddef.h>
#include <stdint.h>

enum wn_etype {
	WN_E_PERSON,
	WN_E_ORG,
	WN_E_GPE,
	WN_E_LOC,
	WN_E_MISC,
	WN_E_MONEY,
	WN_E_PERCENT,
	WN_E_DATE,
	WN_E_NTYPES
};

/* Upper-case type name ("PERSON"...) of an enum wn_etype. */
const char *wn_etype_name(int type);

typedef struct wn_ent {
	uint32_t start, end; /* bytes into the text, end exclusive */
	uint32_t tok0, tok1; /* token range [tok0, tok1) */
	int type;            /* enum wn_etype */
	float conf;          /* 0..1 */
	char value[128];     /* normalised value, "" when none */
	const char *canon;   /* canonical name, NULL: the surface text */
	uint32_t canon_len;
	const char *kb_id; /* user gazetteer id or NULL */
} wn_ent;

typedef struct wn_ents {
	wn_ent *v;
	size_t n, cap;
} wn_ents;

/* Appends a copy of *e; returns a pointer to the stored copy, or NULL
 * when out of memory. */
wn_ent *wn_ents_push(wn_ents *l, const wn_ent *e);

/* Frees the list and zeroes it. */
void wn_ents_free(wn_ents *l);

/* A reference date for relative expressions (the article's publication
 * date, else its fetch time). known == 0: relative dates stay unresolved. */
typedef struct wn_refdate {
	int known;
	int y, m, d;
} wn_refdate;

/* Parses the date part of an ISO 8601 timestamp ("2026-01-30",
 * "2026-01-30T08:00:00Z"); returns 1 and fills *r, or 0 (r->known = 0). */
int wn_refdate_parse(const char *iso, wn_refdate *r);

#endif
