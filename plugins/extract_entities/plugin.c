/*
 * extract_entities: the thin host wrapper around the stage core (core.h).
 * Reads `text`, `lang`, `published` / `fetched_at`; writes entities with
 * api->add_entity. Everything the instance allocates lives in its state
 * and is freed in fini.
 */
#include "core.h"

#include <winnow/plugin.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef WN_EE_MODEL_SRC
#define WN_EE_MODEL_SRC ""
#endif
#ifndef WN_EE_MODEL_INST
#define WN_EE_MODEL_INST ""
#endif

typedef struct ee_state {
	/* options */
	const char *model;
	const char *const *gazetteers;
	const char *iso_dir;
	const char *zone_dir;
	const char *geonames;
	double min_conf;
	int no_model;
	/* resources */
	wn_ee ee;
	wn_ee_work w;
	char *buf; /* NUL-terminated copies of surface and canonical strings */
	size_t bufcap;
} ee_state;

static const wn_option ee_options[] = {
    {"model", WN_OPT_PATH, NULL, 0, offsetof(ee_state, model),
     "tagger model file (default: the shipped model/ner.model)", NULL, 0, 0},
    {"gazetteers", WN_OPT_LIST, NULL, 0, offsetof(ee_state, gazetteers),
     "user gazetteer TSV files: canonical, TYPE, aliases a|b, optional id", NULL, 0, 0},
    {"iso_codes_dir", WN_OPT_PATH, "/usr/share/iso-codes/json", 0, offsetof(ee_state, iso_dir),
     "iso-codes JSON folder (countries, regions); Debian package iso-codes", NULL, 0, 0},
    {"zoneinfo_dir", WN_OPT_PATH, "/usr/share/zoneinfo", 0, offsetof(ee_state, zone_dir),
     "tzdata folder (city names from zone names); Debian package tzdata", NULL, 0, 0},
    {"geonames_mo", WN_OPT_PATH, WN_GEONAMES_MO, 0, offsetof(ee_state, geonames),
     "GeoNames English catalogue (cities, regions); Debian package libgeonames-common", NULL, 0, 0},
    {"min_confidence", WN_OPT_REAL, "0", 0, offsetof(ee_state, min_conf),
     "drop entities below this confidence", NULL, 0, 1},
    {"rules_only", WN_OPT_BOOL, "false", 0, offsetof(ee_state, no_model),
     "no tagger: MONEY, PERCENT, DATE and gazetteer entries only", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const ee_needs[] = {"text", NULL};
static const char *const ee_gives[] = {"entities", NULL};

/* The first model path that opens: the option, the installed copy, the
 * source tree's copy. */
static const char *pick_model(const ee_state *st)
{
	if (st->model)
		return st->model;
	static const char *const paths[] = {WN_EE_MODEL_INST, WN_EE_MODEL_SRC};
	for (int i = 0; i < 2; i++) {
		FILE *f = paths[i][0] ? fopen(paths[i], "rb") : NULL;
		if (f) {
			fclose(f);
			return paths[i];
		}
	}
	return NULL;
}

static int ee_init(const wn_ctx *cx)
{
	ee_state *st = cx->state;
	char err[512];
	const char *model = st->no_model ? NULL : pick_model(st);
	if (!st->no_model && !model) {
		cx->api->log(cx, WN_LOG_ERROR,
		             "no tagger model found (set `model:` or rules_only)");
		return WN_FATAL;
	}
	if (wn_ee_open(&st->ee, model, st->iso_dir, st->zone_dir, st->geonames, st->gazetteers, err,
	               sizeof err)) {
		cx->api->log(cx, WN_LOG_ERROR, "%s", err);
		return WN_FATAL;
	}
	return WN_OK;
}

static void ee_fini(const wn_ctx *cx)
{
	ee_state *st = cx->state;
	wn_ee_work_free(&st->w);
	wn_ee_close(&st->ee);
	free(st->buf);
	st->buf = NULL;
}

/* Copies two byte ranges into the state's buffer as NUL-terminated
 * strings; returns 0 or -1 when out of memory. */
static int copy_strs(ee_state *st, const char *a, size_t na, const char *b, size_t nb)
{
	if (na + nb + 2 > st->bufcap) {
		size_t c = (na + nb + 2) * 2;
		char *nbuf = realloc(st->buf, c);
		if (!nbuf)
			return -1;
		st->buf = nbuf, st->bufcap = c;
	}
	memcpy(st->buf, a, na);
	st->buf[na] = 0;
	memcpy(st->buf + na + 1, b, nb);
	st->buf[na + 1 + nb] = 0;
	return 0;
}

static int ee_process(const wn_ctx *cx, wn_record *r)
{
	ee_state *st = cx->state;
	const wn_host_api *api = cx->api;
	size_t n = 0;
	const char *text = api->get_str(r, "text", &n);
	if (!text || n == 0)
		return WN_OK;
	const char *lang = api->get_str(r, "lang", NULL);
	int english = !lang || !lang[0] || strncasecmp(lang, "en", 2) == 0;
	wn_refdate ref;
	if (!wn_refdate_parse(api->get_str(r, "published", NULL), &ref))
		wn_refdate_parse(api->get_str(r, "fetched_at", NULL), &ref);
	if (wn_ee_run(&st->ee, &st->w, text, n, &ref, english)) {
		api->reason(r, "entities_oom", "out of memory extracting entities");
		return WN_ERROR;
	}
	int64_t added = 0;
	for (size_t i = 0; i < st->w.ents.n; i++) {
		const wn_ent *e = &st->w.ents.v[i];
		if (e->conf < st->min_conf)
			continue;
		const char *canon = e->canon ? e->canon : text + e->start;
		size_t cl = e->canon ? e->canon_len : e->end - e->start;
		if (copy_strs(st, text + e->start, e->end - e->start, canon, cl)) {
			api->reason(r, "entities_oom", "out of memory extracting entities");
			return WN_ERROR;
		}
		wn_entity out = {sizeof(wn_entity),
		                 wn_etype_name(e->type),
		                 st->buf,
		                 e->value[0] ? e->value : NULL,
		                 st->buf + (e->end - e->start) + 1,
		                 e->kb_id,
		                 e->start,
		                 e->end,
		                 round(e->conf * 1000.0) / 1000.0, /* 3 digits: no float noise */
		                 NULL};
		if (api->add_entity(r, &out) != WN_OK)
			return WN_ERROR;
		added++;
	}
	api->count(cx, "entities", added);
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_extract_entities = {
    WN_PLUGIN_HEADER,
    WN_KIND_TRANSFORM,
    "extract_entities",
    "0.1.0",
    "named entities (PERSON ORG GPE LOC MISC) by an averaged perceptron, MONEY PERCENT DATE "
    "by rule with normalised values, gazetteers, in-article linking",
    ee_options,
    sizeof(ee_state),
    ee_needs,
    ee_gives,
    ee_init,
    ee_fini,
    NULL,
    ee_process,
    NULL,
    NULL,
    NULL};
