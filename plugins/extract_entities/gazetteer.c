/*
 * Gazetteer loading and one-pass matching (see gazetteer.h).
 *
 * The trie is stored as one open-addressing hash table keyed by the hash of
 * a token-sequence prefix: every prefix of every name is present (so a walk
 * can stop as soon as a prefix is unknown) and complete names carry the
 * entry index. Strings are interned in one growable pool of owned copies.
 */
#include "gazetteer.h"
#include "hash.h"

#include "ent.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_NAME_TOKENS 12

typedef struct slot {
	uint64_t key;  /* 0: empty */
	int32_t entry; /* -1: a prefix only */
} slot;

struct wn_gaz {
	slot *tab;
	size_t mask, used;
	wn_gaz_entry *ents;
	size_t nents, cap;
	char **strs; /* owned strings */
	size_t nstrs, capstrs;
};

static uint64_t tok_hash(const char *p, size_t n)
{
	return wn_fnv1a64(p, n);
}

/* Hash of prefix `prev` extended by one token hash. */
static uint64_t extend(uint64_t prev, uint64_t th)
{
	uint64_t h = (prev ^ (th + 0x9E3779B97F4A7C15ull + (prev << 6) + (prev >> 2)));
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h | 1;
}

wn_gaz *wn_gaz_new(void)
{
	wn_gaz *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->mask = 4095;
	g->tab = malloc((g->mask + 1) * sizeof *g->tab);
	if (!g->tab) {
		free(g);
		return NULL;
	}
	for (size_t i = 0; i <= g->mask; i++)
		g->tab[i] = (slot){0, -1};
	return g;
}

void wn_gaz_free(wn_gaz *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nstrs; i++)
		free(g->strs[i]);
	free(g->strs);
	free(g->ents);
	free(g->tab);
	free(g);
}

static slot *find_slot(slot *tab, size_t mask, uint64_t key)
{
	size_t h = (size_t)(key ^ (key >> 31)) & mask;
	while (tab[h].key && tab[h].key != key)
		h = (h + 1) & mask;
	return &tab[h];
}

static int grow(wn_gaz *g)
{
	size_t nm = g->mask * 2 + 1;
	slot *nt = malloc((nm + 1) * sizeof *nt);
	if (!nt)
		return -1;
	for (size_t i = 0; i <= nm; i++)
		nt[i] = (slot){0, -1};
	for (size_t i = 0; i <= g->mask; i++)
		if (g->tab[i].key)
			*find_slot(nt, nm, g->tab[i].key) = g->tab[i];
	free(g->tab);
	g->tab = nt, g->mask = nm;
	return 0;
}

/* Returns the slot for key, inserting it (as a prefix) when absent. */
static slot *put(wn_gaz *g, uint64_t key)
{
	if ((g->used + 1) * 2 > g->mask && grow(g))
		return NULL;
	slot *s = find_slot(g->tab, g->mask, key);
	if (!s->key)
		s->key = key, g->used++;
	return s;
}

static const char *intern(wn_gaz *g, const char *s)
{
	if (!s)
		return NULL;
	if (g->nstrs == g->capstrs) {
		size_t nc = g->capstrs ? g->capstrs * 2 : 256;
		char **nv = realloc(g->strs, nc * sizeof *nv);
		if (!nv)
			return NULL;
		g->strs = nv, g->capstrs = nc;
	}
	char *c = strdup(s);
	if (c)
		g->strs[g->nstrs++] = c;
	return c;
}

int wn_gaz_add(wn_gaz *g, const char *surface, const char *canonical, int type, int kind,
               const char *kb_id)
{
	wn_tokens t = {0};
	if (wn_tokenize(surface, strlen(surface), &t))
		return -1;
	if (t.n == 0 || t.n > MAX_NAME_TOKENS) {
		wn_tokens_free(&t);
		return 0;
	}
	uint64_t key = 0;
	slot *s = NULL;
	for (size_t i = 0; i < t.n; i++) {
		key = extend(key, tok_hash(surface + t.v[i].start, t.v[i].end - t.v[i].start));
		if (!(s = put(g, key))) {
			wn_tokens_free(&t);
			return -1;
		}
	}
	wn_tokens_free(&t);
	if (s->entry >= 0) {
		wn_gaz_entry *old = &g->ents[s->entry];
		/* a user entry always wins; otherwise the first (country) stays */
		if (!(kind & WN_GK_USER) || (old->kind & WN_GK_USER)) {
			if (!(kind & WN_GK_USER))
				old->kind |= kind;
			return 0;
		}
	}
	if (g->nents == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 512;
		wn_gaz_entry *nv = realloc(g->ents, nc * sizeof *nv);
		if (!nv)
			return -1;
		g->ents = nv, g->cap = nc;
	}
	wn_gaz_entry *e = &g->ents[g->nents];
	e->canonical = intern(g, canonical ? canonical : surface);
	e->kb_id = intern(g, kb_id);
	e->type = type, e->kind = kind;
	if (!e->canonical || (kb_id && !e->kb_id))
		return -1;
	s->entry = (int32_t)g->nents++;
	return 0;
}

int wn_gaz_match(const wn_gaz *g, const char *s, const wn_tokens *t, wn_gaz_hit **hits,
                 size_t *nhits)
{
	size_t n = 0, cap = 0;
	wn_gaz_hit *v = NULL;
	for (size_t i = 0; i < t->n;) {
		uint64_t key = 0;
		size_t best = 0;
		int32_t be = -1;
		for (size_t j = i; j < t->n && j - i < MAX_NAME_TOKENS; j++) {
			if (j > i && (t->v[j].flags & WN_TOKF_NL))
				break;
			key = extend(key, tok_hash(s + t->v[j].start, t->v[j].end - t->v[j].start));
			const slot *sl = find_slot(g->tab, g->mask, key);
			if (!sl->key)
				break;
			if (sl->entry >= 0)
				best = j + 1, be = sl->entry;
		}
		if (be < 0) {
			i++;
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			wn_gaz_hit *nv = realloc(v, nc * sizeof *nv);
			if (!nv) {
				free(v);
				return -1;
			}
			v = nv, cap = nc;
		}
		v[n++] = (wn_gaz_hit){(uint32_t)i, (uint32_t)best, &g->ents[be]};
		i = best;
	}
	*hits = v, *nhits = n;
	return 0;
}

const wn_gaz_entry *wn_gaz_lookup(const wn_gaz *g, const char *s, size_t n)
{
	wn_tokens t = {0};
	const wn_gaz_entry *r = NULL;
	if (wn_tokenize(s, n, &t) == 0 && t.n > 0) {
		uint64_t key = 0;
		for (size_t i = 0; i < t.n; i++)
			key = extend(key, tok_hash(s + t.v[i].start, t.v[i].end - t.v[i].start));
		const slot *sl = find_slot(g->tab, g->mask, key);
		if (sl->key && sl->entry >= 0)
			r = &g->ents[sl->entry];
	}
	wn_tokens_free(&t);
	return r;
}

/* ------------------------------------------------------------ system data */

static json_t *load_json(const char *dir, const char *file, const char *key)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	json_t *root = json_load_file(path, 0, NULL);
	if (!root)
		return NULL;
	json_t *arr = json_incref(json_object_get(root, key));
	json_decref(root);
	return arr;
}

static long add_countries(wn_gaz *g, const char *iso_dir)
{
	/* Short English forms iso-codes does not carry, keyed by alpha-2. */
	static const char *const extra[][2] = {{"US", "US"},
	                                       {"US", "U.S."},
	                                       {"US", "USA"},
	                                       {"US", "U.S.A."},
	                                       {"US", "America"},
	                                       {"US", "United States of America"},
	                                       {"GB", "UK"},
	                                       {"GB", "U.K."},
	                                       {"GB", "Britain"},
	                                       {"GB", "Great Britain"},
	                                       {"RU", "Russia"},
	                                       {"KR", "Korea"},
	                                       {"KP", "North Korea"},
	                                       {"SY", "Syria"},
	                                       {"VN", "Vietnam"},
	                                       {"LA", "Laos"},
	                                       {"MD", "Moldova"},
	                                       {"TZ", "Tanzania"},
	                                       {"VE", "Venezuela"},
	                                       {"BO", "Bolivia"},
	                                       {"CZ", "Czech Republic"},
	                                       {"NL", "Holland"},
	                                       {"CD", "Congo"},
	                                       {"CI", "Ivory Coast"},
	                                       {"MK", "Macedonia"},
	                                       {"PS", "Palestine"},
	                                       {"VA", "Vatican"},
	                                       {"TR", "Turkey"},
	                                       {NULL, NULL}};
	json_t *arr = load_json(iso_dir, "iso_3166-1.json", "3166-1");
	if (!arr)
		return 0;
	long added = 0;
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c)
	{
		const char *a2 = json_string_value(json_object_get(c, "alpha_2"));
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *common = json_string_value(json_object_get(c, "common_name"));
		const char *official = json_string_value(json_object_get(c, "official_name"));
		if (!name || !a2)
			continue;
		const char *canon = common ? common : name;
		const char *forms[3] = {common, name, official};
		for (int k = 0; k < 3; k++) {
			if (!forms[k] || strchr(forms[k], ',')) /* "Korea, Republic of" */
				continue;
			if (wn_gaz_add(g, forms[k], canon, WN_E_GPE, WN_GK_COUNTRY, NULL)) {
				json_decref(arr);
				return -1;
			}
			added++;
		}
		for (int k = 0; extra[k][0]; k++)
			if (strcmp(extra[k][0], a2) == 0) {
				if (wn_gaz_add(g, extra[k][1], canon, WN_E_GPE, WN_GK_COUNTRY,
				               NULL)) {
					json_decref(arr);
					return -1;
				}
				added++;
			}
	}
	json_decref(arr);
	return added;
}

/* Copies name without trailing local designators ("Guangdong Sheng" ->
 * "Guangdong"); returns 0 when nothing usable is left. */
static int region_name(const char *name, char *out, size_t cap)
{
	static const char *const drop[] = {
	    "Sheng",        "Shi",         "Zizhiqu",    "SAR",      "Uygur",     "Huizi",
	    "Zhuangzu",     "Province",    "Region",     "oblast",   "oblast'",   "okrug",
	    "kraj",         "novads",      "Respublika", "županija", "apskritis", "miestas",
	    "oblysy",       "Governorate", "Prefecture", "State",    "Territory", "District",
	    "Municipality", NULL};
	static const char *const stop[] = {
	    "Central", "North",   "South",   "East",   "West",   "Northern", "Southern",
	    "Eastern", "Western", "Capital", "Centre", "Center", "Coast",    "Islands",
	    "Island",  "Upper",   "Lower",   "George", "John",   "Andrew",   "Mary",
	    "Paul",    "Peter",   "Norte",   "Sur",    "Nord",   "Sud",      NULL};
	if (strchr(name, '(') || strchr(name, ',') || strstr(name, "\xE2\x80\xA0") ||
	    strlen(name) >= cap)
		return 0;
	strcpy(out, name);
	for (;;) {
		char *sp = strrchr(out, ' ');
		if (!sp)
			break;
		int hit = 0;
		for (int k = 0; drop[k]; k++)
			if (strcmp(sp + 1, drop[k]) == 0)
				hit = 1;
		if (!hit)
			break;
		*sp = 0;
	}
	if (out[0] < 'A' || out[0] > 'Z')
		return (unsigned char)out[0] >= 0xC0; /* accented capitals are fine */
	for (int k = 0; stop[k]; k++)
		if (strcmp(out, stop[k]) == 0)
			return 0;
	return 1;
}

static long add_regions(wn_gaz *g, const char *iso_dir)
{
	json_t *arr = load_json(iso_dir, "iso_3166-2.json", "3166-2");
	if (!arr)
		return 0;
	long added = 0;
	size_t i;
	json_t *c;
	char buf[256];
	json_array_foreach(arr, i, c)
	{
		const char *name = json_string_value(json_object_get(c, "name"));
		if (!name || !region_name(name, buf, sizeof buf))
			continue;
		if (wn_gaz_add(g, buf, buf, WN_E_GPE, WN_GK_REGION, NULL)) {
			json_decref(arr);
			return -1;
		}
		added++;
	}
	json_decref(arr);
	return added;
}

static long add_zone_cities(wn_gaz *g, const char *zone_dir)
{
	static const char *const areas[] = {"Africa", "America", "Asia",    "Atlantic", "Australia",
	                                    "Europe", "Indian",  "Pacific", NULL};
	long added = 0;
	char path[1024], name[256];
	for (int a = 0; areas[a]; a++) {
		snprintf(path, sizeof path, "%s/%s", zone_dir, areas[a]);
		DIR *d = opendir(path);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			const char *z = de->d_name;
			size_t n = strlen(z);
			if (z[0] < 'A' || z[0] > 'Z' || n >= sizeof name)
				continue;
			for (size_t k = 0; k <= n; k++)
				name[k] = z[k] == '_' ? ' ' : z[k];
			if (wn_gaz_add(g, name, name, WN_E_GPE, WN_GK_CITY, NULL)) {
				closedir(d);
				return -1;
			}
			added++;
		}
		closedir(d);
	}
	return added;
}

/* City and region names from GeoNames as Debian ships them: the English
 * translation catalogue of libgeonames (package libgeonames-common), a
 * GNU .mo file whose msgids are GeoNames ids ("1795565" -> "Shenzhen")
 * or admin codes ("CN.30" -> a province). */
static long add_geonames(wn_gaz *g, const char *mo_path)
{
	FILE *f = fopen(mo_path, "rb");
	if (!f)
		return 0;
	long added = 0;
	unsigned char *buf = NULL;
	size_t len = 0;
	if (fseek(f, 0, SEEK_END) == 0) {
		long l = ftell(f);
		if (l > 28 && l < (64L << 20) && fseek(f, 0, SEEK_SET) == 0) {
			len = (size_t)l;
			buf = malloc(len + 1);
			if (buf && fread(buf, 1, len, f) != len)
				len = 0;
		}
	}
	fclose(f);
	uint32_t hdr[5];
	if (!buf || len < 28) {
		free(buf);
		return 0;
	}
	memcpy(hdr, buf, sizeof hdr);
	/* magic, revision, count, offset of msgids, offset of msgstrs */
	if (hdr[0] != 0x950412deu || (uint64_t)hdr[4] + (uint64_t)hdr[2] * 8 > len ||
	    (uint64_t)hdr[3] + (uint64_t)hdr[2] * 8 > len) {
		free(buf);
		return 0;
	}
	char name[256];
	for (uint32_t i = 0; i < hdr[2]; i++) {
		uint32_t il, io, sl, so;
		memcpy(&il, buf + hdr[3] + i * 8, 4);
		memcpy(&io, buf + hdr[3] + i * 8 + 4, 4);
		memcpy(&sl, buf + hdr[4] + i * 8, 4);
		memcpy(&so, buf + hdr[4] + i * 8 + 4, 4);
		if ((uint64_t)io + il > len || (uint64_t)so + sl > len || il == 0 || sl == 0 ||
		    sl >= sizeof name)
			continue;
		int region = memchr(buf + io, '.', il) != NULL;
		memcpy(name, buf + so, sl);
		name[sl] = 0;
		if (!((name[0] >= 'A' && name[0] <= 'Z') || (unsigned char)name[0] >= 0xC0))
			continue;
		if (wn_gaz_add(g, name, name, WN_E_GPE, region ? WN_GK_REGION : WN_GK_CITY, NULL)) {
			free(buf);
			return -1;
		}
		added++;
	}
	free(buf);
	return added;
}

long wn_gaz_load_system(wn_gaz *g, const char *iso_dir, const char *zone_dir,
                        const char *geonames_mo)
{
	long total = 0, n;
	if (geonames_mo) {
		if ((n = add_geonames(g, geonames_mo)) < 0)
			return -1;
		total += n;
	}
	if (iso_dir) {
		if ((n = add_countries(g, iso_dir)) < 0)
			return -1;
		total += n;
		if ((n = add_regions(g, iso_dir)) < 0)
			return -1;
		total += n;
	}
	if (zone_dir) {
		if ((n = add_zone_cities(g, zone_dir)) < 0)
			return -1;
		total += n;
	}
	return total;
}

/* ------------------------------------------------------------ user TSV */

static int type_from_name(const char *s)
{
	for (int t = 0; t < WN_E_NTYPES; t++)
		if (strcmp(s, wn_etype_name(t)) == 0)
			return t;
	if (strcmp(s, "PER") == 0)
		return WN_E_PERSON;
	return -1;
}

long wn_gaz_load_user(wn_gaz *g, const char *path, char *err, size_t errcap)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[4096];
	long lineno = 0, added = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		if (line[0] == 0 || line[0] == '#')
			continue;
		char *fields[4] = {0};
		int nf = 0;
		for (char *p = line; p && nf < 4; nf++) {
			fields[nf] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = 0;
		}
		int type = nf >= 2 ? type_from_name(fields[1]) : -1;
		if (nf < 2 || !fields[0][0] || type < 0) {
			snprintf(err, errcap,
			         "%s:%ld: want canonical<TAB>TYPE[<TAB>aliases|...[<TAB>id]]", path,
			         lineno);
			fclose(f);
			return -1;
		}
		const char *id = nf >= 4 && fields[3][0] ? fields[3] : NULL;
		int rc = wn_gaz_add(g, fields[0], fields[0], type, WN_GK_USER, id);
		for (char *a = nf >= 3 ? fields[2] : NULL; a && *a && !rc;) {
			char *bar = strchr(a, '|');
			if (bar)
				*bar = 0;
			if (*a)
				rc = wn_gaz_add(g, a, fields[0], type, WN_GK_USER, id);
			a = bar ? bar + 1 : NULL;
		}
		if (rc) {
			snprintf(err, errcap, "%s: out of memory", path);
			fclose(f);
			return -1;
		}
		added++;
	}
	fclose(f);
	return added;
}

void wn_gaz_token_flags(const wn_gaz_hit *h, size_t n, size_t ntok, uint8_t *flags)
{
	memset(flags, 0, ntok);
	for (size_t i = 0; i < n; i++)
		for (uint32_t k = h[i].tok0; k < h[i].tok1 && k < ntok; k++)
			flags[k] |= (uint8_t)((h[i].e->kind & 0x17) | (k == h[i].tok0 ? 8 : 0));
}
