/*
 * Entity list helpers and the reference-date parser.
 */
#include "ent.h"

#include <stdlib.h>
#include <string.h>

const char *wn_etype_name(int type)
{
	static const char *const names[WN_E_NTYPES] = {"PERSON", "ORG",   "GPE",     "LOC",
	                                               "MISC",   "MONEY", "PERCENT", "DATE"};
	return type >= 0 && type < WN_E_NTYPES ? names[type] : "MISC";
}

wn_ent *wn_ents_push(wn_ents *l, const wn_ent *e)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		wn_ent *nv = realloc(l->v, nc * sizeof *nv);
		if (!nv)
			return NULL;
		l->v = nv, l->cap = nc;
	}
	l->v[l->n] = *e;
	return &l->v[l->n++];
}

void wn_ents_free(wn_ents *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Reads exactly `n` digits at s into *v; 1 on success. */
static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

int wn_refdate_parse(const char *iso, wn_refdate *r)
{
	memset(r, 0, sizeof *r);
	if (!iso)
		return 0;
	while (*iso == ' ')
		iso++;
	int y, m, d;
	if (strlen(iso) < 10 || !digits(iso, 4, &y) || iso[4] != '-' || !digits(iso + 5, 2, &m) ||
	    iso[7] != '-' || !digits(iso + 8, 2, &d))
		return 0;
	if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1)
		return 0;
	r->known = 1, r->y = y, r->m = m, r->d = d;
	return 1;
}
