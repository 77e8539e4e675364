/*
 * Stage core (see core.h). Order of precedence, highest first: user
 * gazetteer entries, rules (MONEY, PERCENT, DATE), the tagger, system
 * gazetteer countries the tagger missed. A lower layer never overlaps a
 * higher one: `taken` marks the tokens already inside an entity.
 */
#include "core.h"
#include "hash.h"
#include "lines.h"
#include "rules.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sentences longer than this are tagged in pieces (bounded work). */
#define MAX_SENT 256

/* A token label the tagger gives with this confidence or more (its
 * margin over the next label, through a sigmoid: tagger.c) is one it is
 * sure of: the rules after it yield to it there. Rules written for one
 * kind of text (a name opens with a capital, a camel-case word is a
 * brand, a repeat of a name is the name) overrode labels the tagger had
 * learnt from many; ablation on every dev split showed what that cost
 * (README). From 0.8 to 0.95 the dev figures moved by 0.002 at most. */
#define WN_EE_SURE 0.9f

int wn_ee_open(wn_ee *ee, const char *model_path, const char *iso_dir, const char *zone_dir,
               const char *geonames_mo, const char *const *user_gaz, char *err, size_t errcap)
{
	memset(ee, 0, sizeof *ee);
	if (model_path && wn_ner_load(&ee->model, model_path, err, errcap))
		return -1;
	ee->gaz = wn_gaz_new();
	if (!ee->gaz || wn_gaz_load_system(ee->gaz, iso_dir, zone_dir, geonames_mo) < 0) {
		snprintf(err, errcap, "out of memory loading the gazetteers");
		wn_ee_close(ee);
		return -1;
	}
	for (size_t i = 0; user_gaz && user_gaz[i]; i++)
		if (wn_gaz_load_user(ee->gaz, user_gaz[i], err, errcap) < 0) {
			wn_ee_close(ee);
			return -1;
		}
	return 0;
}

long wn_ee_skip_parse(const char *list)
{
	static const char *const names[] = {"rules", "join",  "poss",    "trim",    "drop",
	                                    "start", "and",   "cues",    "vote",    "meta",
	                                    "heads", "camel", "gaztype", "country", "hyphen",
	                                    "link",  "prop",  "orgctx",  NULL};
	long mask = 0;
	while (list && *list) {
		size_t n = strcspn(list, ",");
		int k = 0;
		if (n == 3 && memcmp(list, "all", 3) == 0)
			mask |= WN_EE_SKIP_ALL, k = -1;
		for (; k >= 0 && names[k]; k++)
			if (strlen(names[k]) == n && memcmp(list, names[k], n) == 0) {
				mask |= 1L << k;
				break;
			}
		if (k >= 0 && !names[k])
			return -1;
		list += n + (list[n] == ',');
	}
	return mask;
}

void wn_ee_close(wn_ee *ee)
{
	wn_ner_free(&ee->model);
	wn_gaz_free(ee->gaz);
	memset(ee, 0, sizeof *ee);
}

void wn_ee_work_free(wn_ee_work *w)
{
	wn_tokens_free(&w->t);
	free(w->labels), free(w->gazf), free(w->docf), free(w->taken), free(w->conf);
	free(w->lkind), free(w->tc);
	wn_ents_free(&w->ents);
	memset(w, 0, sizeof *w);
}

static int ensure(wn_ee_work *w, size_t n)
{
	if (n < w->cap)
		return 0;
	size_t c = n + n / 2 + 64;
	uint8_t *a = realloc(w->labels, c), *b = realloc(w->gazf, c);
	w->labels = a ? a : w->labels, w->gazf = b ? b : w->gazf;
	uint8_t *d = realloc(w->docf, c), *t = realloc(w->taken, c);
	w->docf = d ? d : w->docf, w->taken = t ? t : w->taken;
	float *f = realloc(w->conf, c * sizeof *f);
	w->conf = f ? f : w->conf;
	uint8_t *k = realloc(w->lkind, c);
	w->lkind = k ? k : w->lkind;
	if (!a || !b || !d || !t || !f || !k)
		return -1;
	w->cap = c;
	return 0;
}

/* ------------------------------------------------------------ helpers */

static int tok_is(const char *s, const wn_token *k, const char *w)
{
	if (s[k->start] != w[0]) /* cheap rejection before strlen */
		return 0;
	size_t n = strlen(w);
	return k->end - k->start == n && memcmp(s + k->start, w, n) == 0;
}

/* tok_is ignoring ASCII case. */
static int tok_ci(const char *s, const wn_token *k, const char *w)
{
	size_t n = strlen(w);
	return k->end - k->start == n && strncasecmp(s + k->start, w, n) == 0;
}

static int any_taken(const wn_ee_work *w, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (w->taken[i])
			return 1;
	return 0;
}

static int push_span(wn_ee_work *w, size_t a, size_t b, int type, float conf,
                     const wn_gaz_entry *ge)
{
	wn_ent e;
	memset(&e, 0, sizeof e);
	e.tok0 = (uint32_t)a, e.tok1 = (uint32_t)b;
	e.start = w->t.v[a].start, e.end = w->t.v[b - 1].end;
	e.type = type, e.conf = conf;
	if (ge) {
		e.canon = ge->canonical, e.canon_len = (uint32_t)strlen(ge->canonical);
		e.kb_id = ge->kb_id;
	}
	if (!wn_ents_push(&w->ents, &e))
		return -1;
	memset(w->taken + a, 1, b - a);
	return 0;
}

/* Words that make a LOC span a natural place rather than a GPE. */
static int natural_place(const char *s, const wn_tokens *t, size_t a, size_t b)
{
	static const char *const words[] = {"River",   "Mountains", "Mount",     "Mt.",    "Sea",
	                                    "Ocean",   "Lake",      "Gulf",      "Desert", "Island",
	                                    "Islands", "Peninsula", "Strait",    "Canal",  "Basin",
	                                    "Plateau", "Coast",     "Himalayas", "Alps",   NULL};
	for (size_t i = a; i < b; i++)
		for (int k = 0; words[k]; k++)
			if (tok_is(s, &t->v[i], words[k]))
				return 1;
	return 0;
}

/* Head words that make a name an organisation whatever the tagger said
 * ("Bureau of Industry ...", "Shenzhen Municipal People's Congress"). */
static int org_word(const char *s, const wn_tokens *t, size_t a, size_t b)
{
	static const char *const words[] = {
	    "Bureau",       "Ministry",    "Department", "Committee", "Commission",
	    "Company",      "Corporation", "Corp.",      "Inc.",      "Ltd.",
	    "Group",        "Association", "Agency",     "Council",   "University",
	    "Bank",         "Party",       "Congress",   "Institute", "Organization",
	    "Organisation", "Federation",  "Union",      "Authority", "Administration",
	    "Academy",      "Foundation",  "Office",     "Court",     "Parliament",
	    "Fund",         NULL};
	/* heads of armed, political and social organisations */
	static const char *const more[] = {"Army",  "Brigade",  "Brigades",  "Front",  "Movement",
	                                   "Force", "Forces",   "Club",      "League", "Society",
	                                   "Board", "Alliance", "Coalition", NULL};
	for (size_t i = a; i < b; i++) {
		for (int k = 0; words[k]; k++)
			if (tok_is(s, &t->v[i], words[k]))
				return 1;
		for (int k = 0; more[k]; k++)
			if (tok_is(s, &t->v[i], more[k]))
				return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ layers */

static int add_user_hits(const wn_gaz_hit *h, size_t nh, wn_ee_work *w)
{
	for (size_t i = 0; i < nh; i++)
		if ((h[i].e->kind & WN_GK_USER) && !any_taken(w, h[i].tok0, h[i].tok1) &&
		    push_span(w, h[i].tok0, h[i].tok1, h[i].e->type, 1.0f, h[i].e))
			return -1;
	return 0;
}

static void tag_names(const wn_ee *ee, wn_ee_work *w, const char *s)
{
	wn_ner_input in = {s, &w->t, w->gazf, w->docf, {0}}; /* words: the model's */
	size_t s0 = 0;
	while (s0 < w->t.n) {
		size_t s1 = s0 + 1;
		while (s1 < w->t.n && !(w->t.v[s1].flags & WN_TOKF_SENT) && s1 - s0 < MAX_SENT)
			s1++;
		wn_ner_tag(&ee->model, &in, s0, s1, w->labels, w->conf);
		s0 = s1;
	}
}

static int sure_o(const wn_ee_work *w, size_t a, size_t b);

/* Gazetteer countries nobody else took, except where the tagger (when it
 * ran: `tagged`) was sure they are no name ("US" in a title). */
static int add_countries(const wn_gaz_hit *h, size_t nh, wn_ee_work *w, int tagged)
{
	for (size_t i = 0; i < nh; i++)
		if ((h[i].e->kind & WN_GK_COUNTRY) && !any_taken(w, h[i].tok0, h[i].tok1) &&
		    !(tagged && sure_o(w, h[i].tok0, h[i].tok1)) &&
		    push_span(w, h[i].tok0, h[i].tok1, WN_E_GPE, 0.8f, h[i].e))
			return -1;
	return 0;
}

/* "China-US": a hyphenated word outside any entity whose parts are all
 * gazetteer places gives one GPE per part. */
static int split_hyphenated(const wn_ee *ee, wn_ee_work *w, const char *s)
{
	for (size_t i = 0; i < w->t.n; i++) {
		const wn_token *k = &w->t.v[i];
		if (w->taken[i] || k->kind != WN_TOK_WORD ||
		    !memchr(s + k->start, '-', k->end - k->start))
			continue;
		uint32_t p = k->start, parts[8][2];
		int np = 0, ok = 1;
		while (p < k->end && np < 8) {
			const char *h = memchr(s + p, '-', k->end - p);
			uint32_t e = h ? (uint32_t)(h - s) : k->end;
			const wn_gaz_entry *ge = wn_gaz_lookup(ee->gaz, s + p, e - p);
			if (!ge || !(ge->kind & (WN_GK_COUNTRY | WN_GK_REGION | WN_GK_CITY)))
				ok = 0;
			parts[np][0] = p, parts[np++][1] = e;
			p = e + 1;
		}
		if (!ok || np < 2 || p < k->end)
			continue;
		for (int q = 0; q < np; q++) {
			wn_ent e;
			memset(&e, 0, sizeof e);
			const wn_gaz_entry *ge =
			    wn_gaz_lookup(ee->gaz, s + parts[q][0], parts[q][1] - parts[q][0]);
			e.start = parts[q][0], e.end = parts[q][1];
			e.tok0 = (uint32_t)i, e.tok1 = (uint32_t)i + 1;
			e.type = WN_E_GPE, e.conf = 0.8f;
			e.canon = ge->canonical, e.canon_len = (uint32_t)strlen(ge->canonical);
			if (!wn_ents_push(&w->ents, &e))
				return -1;
		}
		w->taken[i] = 1;
	}
	return 0;
}

/* ------------------------------------------------------------ linking */

typedef struct smap {
	uint64_t *keys;
	int32_t *vals;
	size_t mask;
} smap;

static uint64_t str_key(const char *p, size_t n)
{
	return wn_fnv1a64(p, n) | 1; /* 0 marks an empty slot */
}

/* An empty map with room for `n` keys at under half load; 0, or -1 out of
 * memory (then m holds nothing to free). */
static int smap_init(smap *m, size_t n)
{
	size_t cap = 64;
	while (cap < n * 2)
		cap <<= 1;
	m->keys = calloc(cap, sizeof(*m->keys));
	m->vals = malloc(cap * sizeof(*m->vals));
	m->mask = cap - 1;
	if (m->keys && m->vals)
		return 0;
	free(m->keys), free(m->vals);
	m->keys = NULL, m->vals = NULL;
	return -1;
}

static void smap_free(smap *m)
{
	free(m->keys), free(m->vals);
}

static int32_t *smap_slot(smap *m, uint64_t key, int insert)
{
	size_t h = (size_t)(key ^ (key >> 31)) & m->mask;
	for (size_t probe = 0; probe <= m->mask; probe++, h = (h + 1) & m->mask) {
		if (m->keys[h] == key)
			return &m->vals[h];
		if (!m->keys[h]) {
			if (!insert)
				return NULL;
			m->keys[h] = key, m->vals[h] = -1;
			return &m->vals[h];
		}
	}
	return NULL;
}

/* Acronym of a multi-word name from its capitalised words' initials
 * ("Bureau of Industry and Information Technology" -> "BIIT"); 0 if none. */
static size_t acronym(const char *s, const wn_tokens *t, const wn_ent *e, char *out, size_t cap)
{
	size_t n = 0;
	for (uint32_t i = e->tok0; i < e->tok1; i++) {
		char c = s[t->v[i].start];
		if (c >= 'A' && c <= 'Z' && t->v[i].kind == WN_TOK_WORD) {
			if (n + 1 >= cap)
				return 0;
			out[n++] = c;
		}
	}
	out[n] = 0;
	return n >= 2 && e->tok1 - e->tok0 >= 2 ? n : 0;
}

/* Points e's canonical name at the surface (or canonical) of `to`. */
static void link_to(const char *s, wn_ent *e, const wn_ent *to)
{
	if (to->canon)
		e->canon = to->canon, e->canon_len = to->canon_len;
	else
		e->canon = s + to->start, e->canon_len = to->end - to->start;
	if (!e->kb_id)
		e->kb_id = to->kb_id;
}

static int starts_upper(const char *s, const wn_token *k);
static int is_determiner(const char *s, const wn_token *k);

/* The first word of a multi-word ORG, when it can stand for the whole
 * name later ("Lanfeng" after "Lanfeng Aerial Logistics"): a capitalised
 * word that no gazetteer knows (so "Shenzhen" of "Shenzhen Airlines" stays
 * a place), that the article never writes in lower case, and that is rare
 * in the tagger's training text (frequent words such as "Foreign",
 * "African" or "King" open many names and stand for none of them). */
static int org_short_form(const wn_ee *ee, const wn_ee_work *w, const char *s, const wn_ent *e)
{
	if (e->type != WN_E_ORG || e->tok1 - e->tok0 < 2)
		return 0;
	const wn_token *k = &w->t.v[e->tok0];
	return k->kind == WN_TOK_WORD && starts_upper(s, k) && k->end - k->start >= 3 &&
	       !w->gazf[e->tok0] && !(w->docf[e->tok0] & WN_DOC_LOWER) && !is_determiner(s, k) &&
	       !org_word(s, &w->t, e->tok0, e->tok0 + 1) &&
	       !wn_ner_word_info(&ee->model.words,
	                         wn_ner_word_key(s + k->start, k->end - k->start));
}

/* Surname-only mentions of a full PERSON name, acronyms of an ORG and the
 * leading word of an ORG get the long form's canonical name (and type);
 * untagged capitalised tokens equal to one of these become entities of
 * their own, unless the tagger was sure they are no name there (not at a
 * sentence start, where a capital says nothing and the tagger's "sure"
 * means little: "Dravik operates..."). A full name registers before a
 * short form of another. */
static int link_mentions(const wn_ee *ee, wn_ee_work *w, const char *s)
{
	smap m;
	if (smap_init(&m, w->ents.n * 2))
		return -1;
	char acr[32];
	for (size_t i = 0; i < w->ents.n; i++) {
		wn_ent *e = &w->ents.v[i];
		int32_t *v[2] = {NULL, NULL};
		if (e->type == WN_E_PERSON && e->tok1 - e->tok0 >= 2) {
			/* surname last ("Jensen Huang") or first ("Qin Weizhong") */
			const wn_token *first = &w->t.v[e->tok0], *last = &w->t.v[e->tok1 - 1];
			if (last->kind == WN_TOK_WORD)
				v[0] = smap_slot(
				    &m, str_key(s + last->start, last->end - last->start), 1);
			if (first->kind == WN_TOK_WORD)
				v[1] = smap_slot(
				    &m, str_key(s + first->start, first->end - first->start), 1);
		} else if (e->type != WN_E_PERSON && e->type < WN_E_MONEY) {
			if (acronym(s, &w->t, e, acr, sizeof acr))
				v[0] = smap_slot(&m, str_key(acr, strlen(acr)), 1);
			if (org_short_form(ee, w, s, e)) {
				const wn_token *k = &w->t.v[e->tok0];
				v[1] = smap_slot(&m, str_key(s + k->start, k->end - k->start), 1);
			}
		}
		for (int k = 0; k < 2; k++)
			if (v[k] && *v[k] < 0)
				*v[k] = (int32_t)i;
	}
	int rc = 0;
	size_t n0 = w->ents.n;
	for (size_t i = 0; i < n0; i++) {
		wn_ent *e = &w->ents.v[i];
		if (e->tok1 - e->tok0 != 1 || (e->kb_id && e->canon))
			continue;
		int32_t *v = smap_slot(&m, str_key(s + e->start, e->end - e->start), 0);
		if (v && *v >= 0 && (size_t)*v != i) {
			const wn_ent *to = &w->ents.v[*v];
			e->type = to->type;
			link_to(s, e, to);
		}
	}
	for (size_t i = 0; i < w->t.n && !rc; i++) {
		const wn_token *k = &w->t.v[i];
		char c = s[k->start];
		if (w->taken[i] || k->kind != WN_TOK_WORD || c < 'A' || c > 'Z' ||
		    (ee->model.bits && !(k->flags & WN_TOKF_SENT) && sure_o(w, i, i + 1)))
			continue;
		int32_t *v = smap_slot(&m, str_key(s + k->start, k->end - k->start), 0);
		if (!v || *v < 0)
			continue;
		const wn_ent *to = &w->ents.v[*v];
		size_t full = to->end - to->start;
		if (k->start + full <= w->t.v[w->t.n - 1].end &&
		    memcmp(s + k->start, s + to->start, full) == 0)
			continue; /* the whole name again: propagate_names takes it */
		wn_ent e = w->ents.v[*v];
		wn_ent copy = e;
		e.start = k->start, e.end = k->end, e.tok0 = (uint32_t)i, e.tok1 = (uint32_t)i + 1;
		e.conf = copy.conf * 0.8f;
		e.canon = NULL, e.kb_id = NULL;
		e.value[0] = 0;
		link_to(s, &e, &copy);
		if (!wn_ents_push(&w->ents, &e))
			rc = -1;
		w->taken[i] = 1;
	}
	smap_free(&m);
	return rc;
}

/* ------------------------------------------------------------ tagged names */

static int is_possessive(const char *s, const wn_token *k)
{
	return tok_is(s, k, "'s") || tok_is(s, k, "\xE2\x80\x99s") || tok_is(s, k, "'");
}

static int is_edge_junk(const char *s, const wn_token *k)
{
	return k->kind == WN_TOK_PUNCT || tok_is(s, k, "the") || tok_is(s, k, "'s") ||
	       tok_is(s, k, "\xE2\x80\x99s") || tok_is(s, k, "'");
}

/* A name starts with a capital letter (any script's letters count when
 * they are not ASCII); this drops the tagger's rare lower-case guesses. */
static int starts_upper(const char *s, const wn_token *k)
{
	unsigned char c = (unsigned char)s[k->start];
	/* 0xE2 leads U+2000..U+2FFF: punctuation and symbols, not letters */
	return (c >= 'A' && c <= 'Z') || (c >= 0xC3 && c != 0xE2);
}

/* Tokens [a, b) open like a name: a capital, or a lower-case particle of
 * Arabic, Romance, Dutch and German names before a capital ("al-Qaida",
 * "el-Sheikh", "da Silva", "van Gogh", "bin Laden"). */
static int name_start(const char *s, const wn_tokens *t, size_t a, size_t b)
{
	static const char *const part[] = {"al",  "el",   "ad",  "as",  "ash", "at",  "an",  "ibn",
	                                   "bin", "bint", "abu", "da",  "de",  "di",  "do",  "dos",
	                                   "du",  "la",   "le",  "van", "von", "der", "den", NULL};
	const wn_token *k = &t->v[a];
	if (starts_upper(s, k))
		return 1;
	const char *p = s + k->start;
	size_t n = k->end - k->start, j = 0;
	while (j < n && p[j] >= 'a' && p[j] <= 'z')
		j++;
	int glued = j + 1 < n && p[j] == '-' && p[j + 1] >= 'A' && p[j + 1] <= 'Z';
	if (!glued && !(j == n && a + 1 < b && starts_upper(s, &t->v[a + 1])))
		return 0;
	for (int i = 0; part[i]; i++)
		if (strlen(part[i]) == j && memcmp(p, part[i], j) == 0)
			return 1;
	return 0;
}

static int push_tmp(wn_ee_work *w, wn_ents *tmp, size_t a, size_t b, int type, float conf)
{
	wn_ent e;
	memset(&e, 0, sizeof e);
	e.tok0 = (uint32_t)a, e.tok1 = (uint32_t)b, e.type = type, e.conf = conf;
	e.start = w->t.v[a].start, e.end = w->t.v[b - 1].end;
	return wn_ents_push(tmp, &e) ? 0 : -1;
}

/* A preposition inside a name: "and" after it continues the
 * prepositional object ("Bureau of Industry and Information Technology",
 * "Center for Economic and Social Rights", "Conference on Computer Vision
 * and Pattern Recognition"). */
static int name_preposition(const char *s, const wn_token *k)
{
	return tok_is(s, k, "of") || tok_is(s, k, "for") || tok_is(s, k, "on") ||
	       tok_is(s, k, "in") || tok_is(s, k, "to");
}

/* Tokens [a, b) are all words the model's word table says are mostly
 * written in lower case ("Poverty Reduction"): common words written with
 * capitals, no name of their own. */
static int common_words(const wn_ee *ee, const char *s, const wn_tokens *t, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		const wn_token *k = &t->v[i];
		uint32_t info = 0;
		if (k->kind == WN_TOK_WORD)
			info = wn_ner_word_info(&ee->model.words,
			                        wn_ner_word_key(s + k->start, k->end - k->start));
		if (!info || WN_WI_LOWER(info) == 7 || WN_WI_LOWER(info) < 4)
			return 0;
	}
	return b > a;
}

/* Pushes a tagged span, split at "and" when it coordinates two names
 * ("Yunjing Intelligent and Pudu Technology"): not when the span is a
 * known name ("Bosnia and Herzegovina"), "and" continues an "of" phrase
 * ("Bureau of Industry and Information Technology") or joins modifiers
 * of one organisation head ("Economic and Monetary Union"). */
static int push_split(const wn_ee *ee, wn_ee_work *w, const char *s, wn_ents *tmp, size_t a,
                      size_t b, int type, float conf)
{
	size_t and = 0;
	int of = 0;
	for (size_t k = a + 1; k + 1 < b; k++) {
		if (name_preposition(s, &w->t.v[k]))
			of = 1;
		if (tok_is(s, &w->t.v[k], "and") && !of && starts_upper(s, &w->t.v[k + 1]))
			and = k;
	}
	if (type != WN_E_ORG && type != WN_E_PERSON)
		and = 0;
	if (and&&wn_gaz_lookup(ee->gaz, s + w->t.v[a].start, w->t.v[b - 1].end - w->t.v[a].start))
		and = 0;
	/* "European Economic and Monetary Union": "and" joins the modifiers of
	 * one head noun unless the left part has a head of its own */
	if (and&&org_word(s, &w->t, b - 1, b) && !org_word(s, &w->t, and-1, and))
		and = 0;
	/* "Justice and Equality Movement", "Energy and Environmental Security
	 * Initiative": one word before "and" and a longer name after it is a
	 * modifier of the right part's head, not an organisation of its own */
	if (and&&type == WN_E_ORG && and-a == 1 && b - and > 2)
		and = 0;
	if (and&&common_words(ee, s, &w->t, a, and))
		and = 0;
	if (!and)
		return push_tmp(w, tmp, a, b, type, conf);
	if (push_tmp(w, tmp, a, and, type, conf))
		return -1;
	return push_tmp(w, tmp, and+1, b, type, conf);
}

/* ------------------------------------------------------------ cue phrases */

/* Class nouns that type the names listed after them ("tech giants like
 * Huawei and Tencent", "cities such as Shenzhen"): Hearst patterns. */
static int class_noun_type(const char *s, const wn_token *k)
{
	static const char *const org[] = {
	    "companies",     "firms",        "giants",       "enterprises",  "unicorns",
	    "startups",      "start-ups",    "banks",        "corporations", "brands",
	    "manufacturers", "makers",       "carriers",     "groups",       "organizations",
	    "organisations", "institutions", "universities", "agencies",     "automakers",
	    "insurers",      "retailers",    "developers",   "platforms",    NULL};
	static const char *const gpe[] = {"cities",   "countries", "provinces", "regions",
	                                  "states",   "districts", "nations",   "economies",
	                                  "capitals", NULL};
	static const char *const per[] = {"people",        "executives",  "officials",  "founders",
	                                  "entrepreneurs", "politicians", "scientists", NULL};
	const char *const *lists[3] = {org, gpe, per};
	static const int types[3] = {WN_E_ORG, WN_E_GPE, WN_E_PERSON};
	for (int l = 0; l < 3; l++)
		for (int i = 0; lists[l][i]; i++)
			if (tok_is(s, k, lists[l][i]))
				return types[l];
	return -1;
}

/* Capitalised head words that end a place name and belong to it. */
static int place_head(const char *s, const wn_token *k, int *natural)
{
	static const char *const gpe[] = {"Area",         "Zone",      "Region", "Delta",
	                                  "Municipality", "Territory", NULL};
	static const char *const nat[] = {"Valley",  "Peninsula", "Basin",
	                                  "Plateau", "Desert",    NULL};
	*natural = 0;
	for (int i = 0; gpe[i]; i++)
		if (tok_is(s, k, gpe[i]))
			return 1;
	for (int i = 0; nat[i]; i++)
		if (tok_is(s, k, nat[i]))
			return *natural = 1;
	return 0;
}

static int designator(const char *s, const wn_token *k, int *plural)
{
	static const char *const one[] = {"district",   "District",   "province",
	                                  "Province",   "county",     "County",
	                                  "prefecture", "Prefecture", NULL};
	static const char *const many[] = {"districts", "provinces", "counties", "prefectures",
	                                   NULL};
	*plural = 0;
	for (int i = 0; one[i]; i++)
		if (tok_is(s, k, one[i]))
			return 1;
	for (int i = 0; many[i]; i++)
		if (tok_is(s, k, many[i]))
			return *plural = 1;
	return 0;
}

/* End of the capitalised run starting at token i (i itself when none). */
/* Capitalised function words that open a sentence or a quote but are not
 * part of a name. */
static int is_determiner(const char *s, const wn_token *k)
{
	static const char *const d[] = {"The", "A",   "An",    "This", "That", "These", "Those",
	                                "Its", "Our", "Their", "His",  "Her",  "In",    "On",
	                                "At",  "For", "By",    "From", "With", NULL};
	for (int i = 0; d[i]; i++)
		if (tok_is(s, k, d[i]))
			return 1;
	return 0;
}

static size_t cap_run(const char *s, const wn_tokens *t, const uint8_t *docf, size_t i)
{
	size_t j = i;
	while (j < t->n && t->v[j].kind == WN_TOK_WORD && !is_determiner(s, &t->v[j]) &&
	       s[t->v[j].start] >= 'A' && s[t->v[j].start] <= 'Z' &&
	       (j == i || !(t->v[j].flags & WN_TOKF_SENT)) &&
	       !((t->v[j].flags & WN_TOKF_SENT) && (docf[j] & WN_DOC_LOWER)))
		j++;
	return j;
}

static int any_forced(const uint8_t *forced, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (forced[i])
			return 1;
	return 0;
}

static int org_head_at(const char *s, const wn_tokens *t, size_t k)
{
	static const char *const heads[] = {
	    "Bureau",  "Ministry",  "Department",     "Committee",    "Commission",
	    "Council", "Institute", "Academy",        "University",   "Bank",
	    "Agency",  "Office",    "Administration", "Federation",   "Association",
	    "Union",   "Board",     "Court",          "Chamber",      "League",
	    "Society", "Fund",      "Organization",   "Organisation", NULL};
	for (int i = 0; heads[i]; i++)
		if (tok_is(s, &t->v[k], heads[i]))
			return 1;
	return 0;
}

/* The first token of [b, e) the tagger did not take for a MISC word
 * (a demonym or an adjective: "Afghan provinces", "Nigerian Supreme
 * Council"): a cue's capitalised run starts there; e when none. */
static size_t skip_misc(const wn_ee_work *w, size_t b, size_t e)
{
	while (b < e && ((w->labels[b] != WN_L_O && (w->labels[b] - 1) / 2 == 3) ||
	                 (w->labels[b] == WN_L_O && w->conf[b] >= WN_EE_SURE)))
		b++;
	return b;
}

/* Names typed by their context: lists after a class noun ("giants like
 * A, B and C"), and names before a place designator ("Nanshan and Baoan
 * districts", "Baoan District"). They go into tmp with a strong vote and
 * their tokens are marked in `forced` so the tagger's spans yield. */
static int cue_names(const char *s, const wn_tokens *t, uint8_t *forced, wn_ee_work *w,
                     wn_ents *tmp)
{
	for (size_t k = 0; k + 1 < t->n; k++) {
		/* every cue sits on a word: a lower-case class noun (they end in
		 * "s" or are "people") or a capitalised head or name; the other
		 * tokens, most of a text, are skipped before any list is read */
		const wn_token *tk = &t->v[k];
		char c0 = s[tk->start], cl = s[tk->end - 1];
		if (tk->kind != WN_TOK_WORD ||
		    !((c0 >= 'A' && c0 <= 'Z') ||
		      (c0 >= 'a' && c0 <= 'z' && (cl == 's' || cl == 'e'))))
			continue;
		int type = class_noun_type(s, &t->v[k]);
		size_t j = k + 1;
		/* Every look at t->v[j] is bounded: a text may end right after
		 * the class noun and a comma ("Tech executives,"). */
		if (type >= 0 && tok_is(s, &t->v[j], ","))
			j++;
		if (type >= 0 && j < t->n &&
		    (tok_is(s, &t->v[j], "like") || tok_is(s, &t->v[j], "including")))
			j++;
		else if (type >= 0 && j + 1 < t->n && tok_is(s, &t->v[j], "such") &&
		         tok_is(s, &t->v[j + 1], "as"))
			j += 2;
		else
			type = -1;
		while (type >= 0 && j < t->n) {
			size_t e = cap_run(s, t, w->docf, j);
			if (e == j || e - j > 6)
				break;
			if (push_tmp(w, tmp, j, e, type, 3.0f))
				return -1;
			memset(forced + j, 1, e - j);
			j = e;
			if (j < t->n && tok_is(s, &t->v[j], ","))
				j++;
			if (j < t->n && (tok_is(s, &t->v[j], "and") || tok_is(s, &t->v[j], "or")))
				j++;
		}
		if (org_head_at(s, t, k) && (k + 1 < t->n) &&
		    (tok_is(s, &t->v[k + 1], "of") || tok_is(s, &t->v[k + 1], "for"))) {
			/* "Bureau of Industry and Information Technology" */
			size_t b = k, e = k + 1, q = k + 1;
			while (b > 0 && cap_run(s, t, w->docf, b - 1) > b - 1 &&
			       !(t->v[b].flags & WN_TOKF_SENT))
				b--;
			b = skip_misc(w, b, k);
			while (q < t->n &&
			       (tok_is(s, &t->v[q], "of") || tok_is(s, &t->v[q], "for") ||
			        tok_is(s, &t->v[q], "and") || tok_is(s, &t->v[q], "the"))) {
				size_t r = cap_run(s, t, w->docf, q + 1);
				if (q + 1 >= t->n || r == q + 1 || r - q > 6)
					break;
				e = q = r;
			}
			if (e > k + 1 && !any_forced(forced, b, e)) {
				if (push_tmp(w, tmp, b, e, WN_E_ORG, 3.0f))
					return -1;
				memset(forced + b, 1, e - b);
			}
		}
		int natural = 0;
		if (place_head(s, &t->v[k], &natural) && k > 0 &&
		    cap_run(s, t, w->docf, k - 1) > k - 1 && !(t->v[k].flags & WN_TOKF_SENT)) {
			/* "Greater Bay Area", "Pearl River Delta", "Silicon Valley" */
			size_t b = k;
			while (b > 0 && k + 1 - b < 8 && cap_run(s, t, w->docf, b - 1) > b - 1 &&
			       !(t->v[b].flags & WN_TOKF_SENT))
				b--;
			b = skip_misc(w, b, k);
			if (b < k && !any_forced(forced, b, k + 1)) {
				if (push_tmp(w, tmp, b, k + 1, natural ? WN_E_LOC : WN_E_GPE, 3.0f))
					return -1;
				memset(forced + b, 1, k + 1 - b);
			}
		}
		int plural;
		if (!designator(s, &t->v[k + 1], &plural))
			continue;
		/* walk back over "A, B and C" before the designator */
		size_t e = k + 1, b = e;
		while (b > 0 && cap_run(s, t, w->docf, b - 1) == e && (e - (b - 1)) <= 4)
			b--;
		b = skip_misc(w, b, e);
		while (b < e) {
			if (push_tmp(w, tmp, b, e, WN_E_GPE, 3.0f))
				return -1;
			memset(forced + b, 1, e - b);
			if (!plural || b < 2 ||
			    !(tok_is(s, &t->v[b - 1], "and") || tok_is(s, &t->v[b - 1], ",")))
				break;
			e = b - 1, b = e;
			while (b > 0 && cap_run(s, t, w->docf, b - 1) == e && (e - (b - 1)) <= 4)
				b--;
			b = skip_misc(w, b, e);
		}
	}
	return 0;
}

/* Last words that make a name a company, whatever the tagger said. */
static int company_suffix(const char *s, const wn_token *k)
{
	static const char *const w[] = {
	    "Technology", "Technologies", "Inc.",          "Inc",
	    "Corp.",      "Corp",         "Ltd.",          "Ltd",
	    "LLC",        "Holdings",     "Group",         "Co.",
	    "Company",    "Corporation",  "Motors",        "Airlines",
	    "Airways",    "Systems",      "Electronics",   "Pharmaceuticals",
	    "Robotics",   "Bank",         "Capital",       "Ventures",
	    "Partners",   "Labs",         "Software",      "Networks",
	    "Media",      "Energy",       "Semiconductor", "Semiconductors",
	    "Securities", "Logistics",    "Industries",    "Investments",
	    "Insurance",  "Shipping",     "Biotech",       "Therapeutics",
	    "Telecom",    "Chemicals",    "Shipwrights",   "Engineering",
	    "Solutions",  "Marine",       "Library",       "Museum",
	    "Hospital",   "School",       "College",       NULL};
	for (int i = 0; w[i]; i++)
		if (tok_is(s, k, w[i]))
			return 1;
	return 0;
}

/* Last words of events, plans and laws: such names are MISC (the gold
 * conventions keep events and initiatives out of ORG). */
/* The last word of a street, square or structure's name: a place, never
 * a person or a company ("Market Street", "Calder Quay", "Thornbeck
 * Bridge"). */
static int street_head(const char *s, const wn_token *k)
{
	static const char *const w[] = {"Street",  "St.",    "Road",  "Avenue", "Boulevard",
	                                "Square",  "Bridge", "Quay",  "Lane",   "Highway",
	                                "Harbour", "Harbor", "Wharf", "Pier",   NULL};
	for (int i = 0; w[i]; i++)
		if (tok_is(s, k, w[i]))
			return 1;
	return 0;
}

static int event_head(const char *s, const wn_token *k)
{
	static const char *const w[] = {
	    "Conference", "Festival", "Summit",       "Forum",         "Expo",     "Fair",
	    "Initiative", "Plan",     "Program",      "Programme",     "Strategy", "Games",
	    "Cup",        "Olympics", "Championship", "Championships", "Award",    "Awards",
	    "Prize",      "Act",      "Treaty",       "Accord",        "Protocol", "War",
	    "Gala",       "Week",     "Day",          "Marathon",      NULL};
	for (int i = 0; w[i]; i++)
		if (tok_is(s, k, w[i]))
			return 1;
	return 0;
}

/* Acronyms of common nouns, which the newswire-trained tagger takes for
 * organisations. */
static int common_acronym(const char *s, const wn_token *k)
{
	static const char *const w[] = {
	    "AI",   "VR",   "AR",   "XR",   "GDP",  "GNP",  "CEO", "CFO", "CTO", "COO",
	    "IT",   "TV",   "DNA",  "RNA",  "GPS",  "EV",   "EVs", "IoT", "5G",  "4G",
	    "LLM",  "LLMs", "API",  "APIs", "GPU",  "GPUs", "CPU", "PC",  "PCs", "SUV",
	    "SUVs", "IPO",  "IPOs", "ESG",  "HR",   "PR",   "ID",  "ATM", "PhD", "MBA",
	    "USB",  "LED",  "LCD",  "OLED", "SaaS", "CPI",  "PMI", "FDI", NULL};
	for (int i = 0; w[i]; i++)
		if (tok_is(s, k, w[i]))
			return 1;
	return 0;
}

/* Plural nouns whose possessive stays inside a name ("People's Congress",
 * "Women's Federation", "Workers' Party"): the GMB corpus's cases. */
static int name_plural(const char *s, const wn_token *k)
{
	static const char *const w[] = {"People",   "Women",   "Children", "Workers",
	                                "Veterans", "Farmers", NULL};
	for (int i = 0; w[i]; i++)
		if (tok_is(s, k, w[i]))
			return 1;
	return 0;
}

/* "Shenzhen Municipal People/I-ORG 's/O Congress/B-ORG": one name. */
static void join_plural_possessives(const char *s, wn_ee_work *w)
{
	uint8_t *l = w->labels;
	for (size_t k = 1; k + 1 < w->t.n; k++) {
		if (!is_possessive(s, &w->t.v[k]) || l[k - 1] == WN_L_O || l[k + 1] == WN_L_O ||
		    !name_plural(s, &w->t.v[k - 1]) || !starts_upper(s, &w->t.v[k + 1]))
			continue;
		int type = (l[k - 1] - 1) / 2;
		if (l[k + 1] == WN_L_B_ORG || l[k + 1] == WN_L_I_ORG)
			type = (WN_L_B_ORG - 1) / 2; /* the head decides: "... Congress" */
		size_t a = k - 1;
		while (a > 0 && !(l[a] & 1) && l[a - 1] != WN_L_O)
			a--;
		for (size_t j = a; j < w->t.n && (j <= k || l[j] != WN_L_O); j++) {
			if (j > k + 1 && (l[j] & 1))
				break;
			l[j] = (uint8_t)(1 + 2 * type + (j > a));
		}
	}
}

/* "ByteDance", "DeepSeek", "OpenAI": a word with a capital after lower
 * case letters is a brand or company name ("McCain" and "DeGeneres" are
 * surnames and left to the tagger). */
static int is_camel(const char *s, const wn_token *k)
{
	static const char *const surname[] = {"Mc", "Mac", "De",  "Di", "Da", "La",
	                                      "Le", "Van", "Von", "Du", NULL};
	const char *p = s + k->start;
	size_t n = k->end - k->start, j = 1;
	if (k->kind != WN_TOK_WORD || n < 4 || p[0] < 'A' || p[0] > 'Z')
		return 0;
	while (j < n && p[j] >= 'a' && p[j] <= 'z')
		j++;
	if (j == 1 || j >= n || p[j] < 'A' || p[j] > 'Z')
		return 0;
	for (int q = 0; surname[q]; q++)
		if (strlen(surname[q]) == j && memcmp(p, surname[q], j) == 0)
			return 0;
	return 1;
}

/* A camel-case word the tagger left out becomes an ORG, unless the
 * tagger was sure it is no name (user names and hashtags in tweets). */
static int camel_case_orgs(wn_ee_work *w, const char *s)
{
	for (size_t i = 0; i < w->t.n; i++) {
		const wn_token *k = &w->t.v[i];
		if (w->taken[i] || !is_camel(s, k) || sure_o(w, i, i + 1))
			continue;
		wn_ent e;
		memset(&e, 0, sizeof e);
		e.start = k->start, e.end = k->end, e.tok0 = (uint32_t)i, e.tok1 = (uint32_t)i + 1;
		e.type = WN_E_ORG, e.conf = 0.6f;
		if (!wn_ents_push(&w->ents, &e))
			return -1;
		w->taken[i] = 1;
	}
	return 0;
}

/* A word after which a capitalised head word ("Fund", "Office") is a
 * common noun, not a name. */
static int generic_before(const char *s, const wn_token *k)
{
	static const char *const w[] = {"new", "a",    "an",    "its",  "their", "his", "her",
	                                "our", "each", "every", "this", "that",  NULL};
	for (int i = 0; w[i]; i++)
		if (tok_is(s, k, w[i]))
			return 1;
	return 0;
}

/* A camel-case word whose first part is a word mostly written in lower
 * case ("Deep" of "DeepSeek", "Open" of "OpenAI"): a brand, where a user
 * name ("KellySarahW") opens with a name. */
static int camel_brand(const wn_ee *ee, const char *s, const wn_token *k)
{
	uint32_t j = k->start + 1;
	while (j < k->end && s[j] >= 'a' && s[j] <= 'z')
		j++;
	uint32_t info =
	    wn_ner_word_info(&ee->model.words, wn_ner_word_key(s + k->start, j - k->start));
	return info && WN_WI_LOWER(info) != 7 && WN_WI_LOWER(info) >= 4;
}

/* Tokens [a, b) name a side of a match: before or after a match verb
 * ("beat", "drew with", "lost to", "v"), or followed by a score on a
 * results row ("Chile 2 Peru 1", not "Name (Chile) 10.52"). Matching is
 * case-insensitive for ALL-CAPS headlines. */
static int team_context(const wn_ee_work *w, const char *s, size_t a, size_t b)
{
	static const char *const verbs[] = {
	    "beat",    "beats",    "defeated",  "defeat",  "held",   "hold",     "edged",
	    "edge",    "thrashed", "routed",    "stunned", "stun",   "drew",     "draw",
	    "v",       "v.",       "vs",        "vs.",     "versus", "overcame", "upset",
	    "whipped", "crushed",  "outplayed", NULL};
	const wn_tokens *t = &w->t;
	for (int k = 0; verbs[k]; k++) {
		size_t n = strlen(verbs[k]);
		if (b < t->n && t->v[b].end - t->v[b].start == n &&
		    strncasecmp(s + t->v[b].start, verbs[k], n) == 0)
			return 1;
		if (a > 0 && t->v[a - 1].end - t->v[a - 1].start == n &&
		    strncasecmp(s + t->v[a - 1].start, verbs[k], n) == 0)
			return 1;
	}
	/* "drew with X", "lost to X", "tied with X" */
	if (a >= 2 && (tok_ci(s, &t->v[a - 1], "with") || tok_ci(s, &t->v[a - 1], "to")) &&
	    (tok_ci(s, &t->v[a - 2], "drew") || tok_ci(s, &t->v[a - 2], "lost") ||
	     tok_ci(s, &t->v[a - 2], "tied") || tok_ci(s, &t->v[a - 2], "draw")))
		return 1;
	/* "fires Italy into the final", "Chile into semi-finals" */
	if (b + 1 < t->n && tok_ci(s, &t->v[b], "into")) {
		size_t j = b + 1 + (tok_ci(s, &t->v[b + 1], "the") ? 1 : 0);
		static const char *const stage[] = {"final",      "finals",         "semi-finals",
		                                    "semifinals", "quarter-finals", "quarterfinals",
		                                    "playoffs",   "play-offs",      NULL};
		for (int k = 0; j < t->n && stage[k]; k++)
			if (tok_ci(s, &t->v[j], stage[k]))
				return 1;
	}
	return w->lkind[a] == WN_LINE_TABLE && b < t->n && t->v[b].kind == WN_TOK_NUM &&
	       !(t->v[b].flags & WN_TOKF_NL) && !(a > 0 && tok_is(s, &t->v[a - 1], "("));
}

/* Types a place name takes by metonymy: ORG (a team, a government) and
 * GPE (the place). */
static int meto_pair(int a, int b)
{
	return (a == WN_E_ORG || a == WN_E_GPE) && (b == WN_E_ORG || b == WN_E_GPE);
}

/* Tagged spans [a, b) of label type lt (0 PER) that name nothing: a
 * one-letter fragment ("R" of "R&D"), a common-noun acronym ("AI",
 * "GDP") or a person's name ending in one ("Embodied AI"), an
 * organisation's head word alone after a determiner or "new" ("the new
 * Fund office", "its Bureau"; "Congress" and "Parliament" alone are
 * names), a funding round ("Series D"), "R&D", "M&A". */
static int not_a_name(const char *s, const wn_tokens *t, size_t a, size_t b, int lt)
{
	if (b == a + 1 && (t->v[a].end - t->v[a].start == 1 || common_acronym(s, &t->v[a])))
		return 1;
	if (lt == 0 && b >= a + 2 && common_acronym(s, &t->v[b - 1]))
		return 1;
	if (b == a + 1 && a > 0 && org_word(s, t, a, b) && generic_before(s, &t->v[a - 1]) &&
	    !tok_is(s, &t->v[a], "Congress") && !tok_is(s, &t->v[a], "Parliament"))
		return 1;
	if (b == a + 2 && tok_is(s, &t->v[a], "Series") && t->v[a + 1].end - t->v[a + 1].start == 1)
		return 1;
	return b == a + 3 && tok_is(s, &t->v[a + 1], "&") && t->v[a].end - t->v[a].start == 1 &&
	       t->v[a + 2].end - t->v[a + 2].start == 1;
}

/* A span's type from its form, whatever the tagger said: camel-case
 * brands, company, event and street head words. (An organisation word
 * anywhere in the span no longer makes it an ORG: "Academy Award for Best
 * Actress", "Soviet Union", "La Union" are not; measured in README.) */
static void retype_by_form(const wn_ee *ee, const wn_ee_work *w, const char *s, wn_ent *e)
{
	/* a camel-case word is a brand, not a place, unless the gazetteer
	 * knows it (gaz_place_type); nor a person when it opens with a common
	 * word ("DeepSeek", "OpenAI"; not "JoshiHerrmann") */
	if (!(ee->skip & WN_EE_SKIP_CAMEL) &&
	    (e->type == WN_E_MISC || e->type == WN_E_GPE ||
	     (e->type == WN_E_PERSON && camel_brand(ee, s, &w->t.v[e->tok0]))) &&
	    e->tok1 - e->tok0 == 1 && is_camel(s, &w->t.v[e->tok0]))
		e->type = WN_E_ORG;
	if (ee->skip & WN_EE_SKIP_HEADS || e->tok1 - e->tok0 < 2)
		return;
	const wn_token *last = &w->t.v[e->tok1 - 1];
	if (company_suffix(s, last))
		e->type = WN_E_ORG; /* "Kengqi Technology", "Acme Holdings" */
	if (event_head(s, last))
		e->type = WN_E_MISC; /* "Spring Festival", "Action Plan" */
	if (street_head(s, last) && !org_word(s, &w->t, e->tok0, e->tok1))
		e->type = WN_E_LOC; /* "Market Street", "Tiananmen Square" */
}

/* A span that is exactly a country is a GPE unless the tagger saw an
 * organisation; city and region names also name people and peoples
 * ("Obama", "Somali", "German"), so there the tagger's PERSON or MISC
 * stands too. An ORG stays ORG for any place: the name is also its
 * government's, team's or agency's ("Xinhua"). Returns the gazetteer
 * entry of a GPE (its canonical name), else NULL; an unknown GPE with a
 * natural-place word ("River") becomes a LOC. */
static const wn_gaz_entry *gaz_place_type(const wn_ee *ee, const wn_ee_work *w, const char *s,
                                          wn_ent *e)
{
	const wn_gaz_entry *ge = wn_gaz_lookup(ee->gaz, s + e->start, e->end - e->start);
	int sure =
	    ge && ((ge->kind & WN_GK_COUNTRY) || (e->type != WN_E_PERSON && e->type != WN_E_MISC));
	if (ge && !(ge->kind & WN_GK_USER) && e->type != WN_E_ORG && sure)
		e->type = WN_E_GPE;
	if (e->type != WN_E_GPE)
		return NULL;
	if (!ge && !(ee->skip & WN_EE_SKIP_HEADS) && natural_place(s, &w->t, e->tok0, e->tok1))
		e->type = WN_E_LOC;
	return ge;
}

/* Turns the tagger's BIO labels into entities. Every occurrence of one
 * surface string gets the type with the highest summed confidence over
 * the article (the same word's tags elsewhere), except that a known place
 * keeps its own mention's ORG or GPE (metonymy is per mention) and is an
 * ORG where it plays a match and a GPE opening a dateline. Names on every
 * kind of line count (headings, headlines, table rows: lines.h). */
static int add_tagged(const wn_ee *ee, wn_ee_work *w, const char *s)
{
	static const int types[] = {WN_E_PERSON, WN_E_ORG, WN_E_GPE, WN_E_MISC};
	const unsigned off = ee->skip;
	if (!(off & WN_EE_SKIP_POSS))
		join_plural_possessives(s, w);
	const uint8_t *l = w->labels;
	wn_ents tmp = {0};
	int rc = 0;
	uint8_t *forced = calloc(w->t.n + 1, 1);
	if (!forced)
		rc = -1;
	if (!rc && !(off & WN_EE_SKIP_CUES) && cue_names(s, &w->t, forced, w, &tmp))
		rc = -1;
	for (size_t i = 0; i < w->t.n && !rc; i++) {
		if (l[i] == WN_L_O)
			continue;
		int lt = (l[i] - 1) / 2;
		size_t j = i + 1;
		float c = w->conf[i];
		/* I-x continues; so does an adjacent B-x of a capitalised word
		 * after a capitalised word ("Jensen/B Huang/B"): two names never
		 * touch without a comma, unless a line ends between them (a
		 * headline, then a dateline) or the tagger is sure of its B
		 * (user names side by side in a tweet) */
		while (
		    j < w->t.n && l[j] != WN_L_O && (l[j] - 1) / 2 == lt &&
		    (!(l[j] & 1) || (!(off & WN_EE_SKIP_JOIN) && starts_upper(s, &w->t.v[j]) &&
		                     starts_upper(s, &w->t.v[j - 1]) && w->conf[j] < WN_EE_SURE &&
		                     !(w->t.v[j].flags & WN_TOKF_NL))))
			c += w->conf[j++];
		size_t a = i, b = j;
		/* a possessive ends a name, except before the head of an
		 * organisation's name ("Kurdistan Workers' Party", "Lord's
		 * Resistance Army") */
		int org_head = b > a + 2 && org_word(s, &w->t, b - 1, b);
		for (size_t k = a + 1; k < b && !(off & WN_EE_SKIP_POSS); k++)
			if (is_possessive(s, &w->t.v[k]) && !name_plural(s, &w->t.v[k - 1]) &&
			    !org_head)
				b = k;
		/* junk at the edges goes, but not a "the" the tagger is sure
		 * belongs to the name, as its training data writes some
		 * ("the Netherlands", "The Hague") */
		while (!(off & WN_EE_SKIP_TRIM) && a < b && is_edge_junk(s, &w->t.v[a]) &&
		       !(tok_is(s, &w->t.v[a], "the") && w->conf[a] >= WN_EE_SURE))
			a++;
		while (!(off & WN_EE_SKIP_TRIM) && b > a && is_edge_junk(s, &w->t.v[b - 1]))
			b--;
		float conf = c / (float)(j - i);
		int cued = 0;
		for (size_t k = a; k < b && !rc; k++)
			cued |= forced[k];
		if (!(off & WN_EE_SKIP_DROP) && not_a_name(s, &w->t, a, b, lt))
			b = a;
		while (a < b && w->taken[a]) /* a rule's date at an edge: "LONDON JUL 14" */
			a++;
		while (b > a && w->taken[b - 1])
			b--;
		/* a name opens with a capital or a particle, unless the tagger is
		 * sure of it (lower-case names in tweets; "southern Afghanistan"
		 * as news corpora annotate it) */
		if (a < b && !cued && !any_taken(w, a, b) &&
		    ((off & WN_EE_SKIP_START) || name_start(s, &w->t, a, b) || conf >= WN_EE_SURE))
			rc = (off & WN_EE_SKIP_AND)
			         ? push_tmp(w, &tmp, a, b, types[lt], conf)
			         : push_split(ee, w, s, &tmp, a, b, types[lt], conf);
		i = j - 1;
	}
	/* vote per surface string: conf sums by type */
	smap m;
	float(*votes)[WN_E_NTYPES] = calloc(tmp.n + 1, sizeof *votes);
	if (smap_init(&m, tmp.n) || !votes)
		rc = -1;
	for (size_t i = 0; i < tmp.n && !rc; i++) {
		wn_ent *e = &tmp.v[i];
		int32_t *v = smap_slot(&m, str_key(s + e->start, e->end - e->start), 1);
		if (*v < 0)
			*v = (int32_t)i;
		votes[*v][e->type] += e->conf;
	}
	for (size_t i = 0; i < tmp.n && !rc; i++) {
		wn_ent *e = &tmp.v[i];
		const float *vt =
		    votes[*smap_slot(&m, str_key(s + e->start, e->end - e->start), 0)];
		int best = e->type;
		for (int t = 0; t < WN_E_NTYPES && !(off & WN_EE_SKIP_VOTE); t++)
			if (vt[t] > vt[best])
				best = t;
		/* a known place is a team or a government (ORG) in one mention
		 * and a place in the next ("Austria drew with Serbia" beside
		 * "Name (Austria)"): between those two the mention's own tag
		 * stands */
		const wn_gaz_entry *pg =
		    (off & WN_EE_SKIP_META)
		        ? NULL
		        : wn_gaz_lookup(ee->gaz, s + e->start, e->end - e->start);
		if (meto_pair(e->type, best) && pg)
			best = e->type;
		/* a place playing a match is a team ("Austria drew with Ghana",
		 * "Chile 2 Peru 1"): an ORG by news convention */
		if (pg && team_context(w, s, e->tok0, e->tok1))
			best = WN_E_ORG;
		/* the place a dateline opens with ("MUNICH, Sep 5") */
		if (pg && w->lkind[e->tok0] == WN_LINE_DATELINE &&
		    (w->t.v[e->tok0].flags & WN_TOKF_NL))
			best = WN_E_GPE;
		e->type = best;
		retype_by_form(ee, w, s, e);
		const wn_gaz_entry *ge = NULL;
		if (!(off & WN_EE_SKIP_GAZTYPE))
			ge = gaz_place_type(ee, w, s, e);
		if (any_taken(w, e->tok0, e->tok1))
			continue;
		rc = push_span(w, e->tok0, e->tok1, e->type, e->conf > 1 ? 0.9f : e->conf, ge);
	}
	smap_free(&m);
	free(votes), free(forced);
	wn_ents_free(&tmp);
	return rc;
}
/* The tagger was sure that tokens [a, b) are no name: every one is O
 * with a confidence of WN_EE_SURE or more. */
static int sure_o(const wn_ee_work *w, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (w->labels[i] != WN_L_O || w->conf[i] < WN_EE_SURE)
			return 0;
	return 1;
}

/* The same name elsewhere in the article: an untagged occurrence of a
 * name's exact token sequence gets the name's type (the tagger missed it
 * there: "DeepSeek is expected..." after "while DeepSeek launched..."),
 * unless the tagger was sure it is no name there ("Shi'ite" the adjective
 * after "Shi'ite" the group). */
static int propagate_names(wn_ee_work *w, const char *s)
{
	smap m;
	int rc = smap_init(&m, w->ents.n * 2);
	for (size_t i = 0; i < w->ents.n && !rc; i++) {
		const wn_ent *e = &w->ents.v[i];
		if (e->type >= WN_E_MONEY || e->tok1 - e->tok0 > 4 || e->end - e->start < 2)
			continue;
		int32_t *v = smap_slot(&m, str_key(s + e->start, e->end - e->start), 1);
		if (v && *v < 0)
			*v = (int32_t)i;
	}
	size_t n0 = w->ents.n;
	for (size_t i = 0; i < w->t.n && !rc && n0; i++) {
		const wn_token *k = &w->t.v[i];
		char c = s[k->start];
		if (w->taken[i] || k->kind != WN_TOK_WORD || c < 'A' || c > 'Z')
			continue;
		for (size_t j = i + 4 < w->t.n ? i + 4 : w->t.n; j > i; j--) {
			if (any_taken(w, i, j))
				continue;
			if (j == i + 1 && (k->flags & WN_TOKF_SENT) && (w->docf[i] & WN_DOC_LOWER))
				continue;
			if (sure_o(w, i, j))
				continue;
			int32_t *v =
			    smap_slot(&m, str_key(s + k->start, w->t.v[j - 1].end - k->start), 0);
			if (!v || *v < 0)
				continue;
			wn_ent e = w->ents.v[*v], copy = e;
			e.start = k->start, e.end = w->t.v[j - 1].end;
			e.tok0 = (uint32_t)i, e.tok1 = (uint32_t)j;
			e.conf = copy.conf * 0.8f;
			e.canon = NULL, e.kb_id = NULL;
			link_to(s, &e, &copy);
			if (!wn_ents_push(&w->ents, &e))
				rc = -1;
			memset(w->taken + i, 1, j - i);
			i = j - 1;
			break;
		}
	}
	smap_free(&m);
	return rc;
}

/* A noun that only an organisation has ("Quillmark's total funding",
 * "Quillmark co-founders"), never a person. */
static int org_owned_noun(const char *s, const wn_token *k)
{
	static const char *const w[] = {"shares",       "stock",
	                                "revenue",      "revenues",
	                                "sales",        "profit",
	                                "profits",      "earnings",
	                                "valuation",    "funding",
	                                "headquarters", "subsidiary",
	                                "subsidiaries", "shareholders",
	                                "investors",    "customers",
	                                "employees",    "workforce",
	                                "founders",     "co-founders",
	                                "founder",      "co-founder",
	                                "IPO",          "factory",
	                                "factories",    NULL};
	for (int i = 0; w[i]; i++)
		if (tok_is(s, k, w[i]))
			return 1;
	return 0;
}

/* Names the tagger took for people that their context shows to be
 * organisations: one mention right before an organisation's noun, directly
 * or after a possessive and up to two lower-case words, retypes every
 * PERSON mention with the same text. */
static int org_by_context(wn_ee_work *w, const char *s)
{
	smap m;
	if (smap_init(&m, w->ents.n * 2))
		return -1;
	for (size_t i = 0; i < w->ents.n; i++) {
		const wn_ent *e = &w->ents.v[i];
		if (e->type != WN_E_PERSON || e->kb_id)
			continue;
		size_t j = e->tok1, end = w->t.n;
		if (j < end && is_possessive(s, &w->t.v[j]))
			j++;
		for (size_t skip = 0; j < end && skip < 3; skip++, j++) {
			const wn_token *k = &w->t.v[j];
			if (org_owned_noun(s, k)) {
				int32_t *v =
				    smap_slot(&m, str_key(s + e->start, e->end - e->start), 1);
				if (v)
					*v = 1;
				break;
			}
			if (j == e->tok1 || k->kind != WN_TOK_WORD || s[k->start] < 'a' ||
			    s[k->start] > 'z')
				break; /* directly after the name, or lower-case words between */
		}
	}
	for (size_t i = 0; i < w->ents.n; i++) {
		wn_ent *e = &w->ents.v[i];
		if (e->type != WN_E_PERSON || e->kb_id)
			continue;
		int32_t *v = smap_slot(&m, str_key(s + e->start, e->end - e->start), 0);
		if (v && *v == 1)
			e->type = WN_E_ORG;
	}
	smap_free(&m);
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const wn_ent *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Line kinds, unwrapping and the truecased copy of the text the names
 * are found in (lines.h); returns that text (s itself when nothing needed
 * truecasing), or NULL when out of memory. */
static const char *prepare_lines(const wn_ee *ee, wn_ee_work *w, const char *s, size_t n)
{
	wn_lines_classify(s, &w->t, w->lkind);
	wn_lines_unwrap(s, &w->t, w->lkind);
	if (n + 1 > w->tccap) {
		char *p = realloc(w->tc, n + 1);
		if (!p)
			return NULL;
		w->tc = p, w->tccap = n + 1;
	}
	int rc = wn_lines_truecase(s, n, &w->t, w->lkind, &ee->model.words, w->tc);
	int rc2 = rc < 0 ? -1 : wn_lines_truecase_places(s, n, &w->t, w->lkind, ee->gaz, w->tc);
	if (rc < 0 || rc2 < 0)
		return NULL;
	rc |= rc2;
	w->tc[n] = 0;
	return rc ? w->tc : s;
}

int wn_ee_run(const wn_ee *ee, wn_ee_work *w, const char *s, size_t n, const wn_refdate *ref,
              int tag)
{
	w->ents.n = 0;
	if (wn_tokenize(s, n, &w->t) || ensure(w, w->t.n))
		return -1;
	memset(w->taken, 0, w->t.n);
	const char *ts = s; /* the text names are found in */
	if (tag && ee->model.bits && !(ts = prepare_lines(ee, w, s, n)))
		return -1;
	wn_gaz_hit *h = NULL;
	size_t nh = 0;
	if (wn_gaz_match(ee->gaz, ts, &w->t, &h, &nh))
		return -1;
	wn_gaz_token_flags(h, nh, w->t.n, w->gazf);
	int rc = add_user_hits(h, nh, w);
	if (!rc && !(ee->skip & WN_EE_SKIP_RULES))
		rc = wn_rules_find(s, &w->t, ref, &w->ents, w->taken);
	if (!rc && tag && ee->model.bits) {
		rc = wn_ner_doc_flags(ts, &w->t, w->docf);
		if (!rc) {
			tag_names(ee, w, ts);
			rc = add_tagged(ee, w, ts);
		}
	}
	if (!rc && !(ee->skip & WN_EE_SKIP_COUNTRY))
		rc = add_countries(h, nh, w, tag && ee->model.bits);
	free(h);
	if (!rc && !(ee->skip & WN_EE_SKIP_HYPHEN))
		rc = split_hyphenated(ee, w, ts);
	if (!rc && tag && !(ee->skip & WN_EE_SKIP_LINK))
		rc = link_mentions(ee, w, ts);
	if (!rc && tag && ee->model.bits && !(ee->skip & WN_EE_SKIP_PROP))
		rc = propagate_names(w, ts);
	if (!rc && tag && ee->model.bits && !(ee->skip & WN_EE_SKIP_ORGCTX))
		rc = org_by_context(w, ts);
	if (!rc && tag && ee->model.bits && !(ee->skip & WN_EE_SKIP_CAMEL))
		rc = camel_case_orgs(w, ts);
	if (!rc && w->ents.n > 1)
		qsort(w->ents.v, w->ents.n, sizeof *w->ents.v, by_start);
	return rc;
}
