/*
 * extract_entities through the fake host: options, the fields it reads,
 * the entities it adds (types, offsets, values, canonical names, ids).
 */
#include "check.h"
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *ARTICLE =
    "Chief executive Qin Weizhong said on Monday that the company will invest 160 billion yuan "
    "(US$22.07 billion) in Shenzhen over the next five years.\n\n"
    "Revenue rose 34% last year, Qin said. The Bureau of Industry and Information Technology "
    "(BIIT) approved the plan, and BIIT will review it in 2027.\n\n"
    "Acme shares rose 2 percentage points in Pengcheng.";

/* Index of the entity with this surface text and type, or -1. */
static int find(const wn_host_api *api, wn_record *r, const char *text, const char *type)
{
	for (size_t i = 0; i < api->entity_count(r); i++) {
		const wn_entity *e = api->entity_at(r, i);
		if (strcmp(e->text, text) == 0 && (!type || strcmp(e->type, type) == 0))
			return (int)i;
	}
	return -1;
}

static void dump(const wn_host_api *api, wn_record *r)
{
	for (size_t i = 0; i < api->entity_count(r); i++) {
		const wn_entity *e = api->entity_at(r, i);
		fprintf(stderr, "  %s [%s] %lld-%lld value=%s canon=%s id=%s conf=%.2f\n", e->type,
		        e->text, (long long)e->start, (long long)e->end, e->value ? e->value : "-",
		        e->canonical ? e->canonical : "-", e->kb_id ? e->kb_id : "-",
		        e->confidence);
	}
}

static void test_article(void)
{
	wn_harness *h = wn_harness_open(
	    WN_PLUGIN_SO, "{gazetteers: [" WN_TEST_DIR "/tests/fixtures/user.tsv]}", NULL);
	CHECK(h != NULL);
	if (!h)
		return;
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	api->set_str(r, "text", ARTICLE);
	api->set_str(r, "published", "2026-03-04T08:00:00Z");
	CHECK(wn_harness_process(h, r) == WN_OK);
	if (getenv("WN_TEST_VERBOSE"))
		dump(api, r);
	int i;
	CHECK((i = find(api, r, "160 billion yuan", "MONEY")) >= 0);
	if (i >= 0) {
		const wn_entity *e = api->entity_at(r, (size_t)i);
		CHECK_STR(e->value, "160000000000 CNY");
		CHECK(e->end - e->start == 16 &&
		      memcmp(ARTICLE + e->start, "160 billion yuan", 16) == 0);
	}
	CHECK((i = find(api, r, "US$22.07 billion", "MONEY")) >= 0);
	if (i >= 0)
		CHECK_STR(api->entity_at(r, (size_t)i)->value, "22070000000 USD");
	CHECK((i = find(api, r, "next five years", "DATE")) >= 0);
	if (i >= 0)
		CHECK_STR(api->entity_at(r, (size_t)i)->value, "2027/2031;relative=2026-03-04");
	CHECK((i = find(api, r, "Monday", "DATE")) >= 0);
	if (i >= 0)
		CHECK_STR(api->entity_at(r, (size_t)i)->value, "2026-03-02;relative=2026-03-04");
	CHECK((i = find(api, r, "34%", "PERCENT")) >= 0);
	CHECK((i = find(api, r, "2 percentage points", "PERCENT")) >= 0);
	/* the tagger finds the full name; the later surname links to it */
	CHECK(find(api, r, "Qin Weizhong", "PERSON") >= 0);
	CHECK((i = find(api, r, "Qin", "PERSON")) >= 0);
	if (i >= 0)
		CHECK_STR(api->entity_at(r, (size_t)i)->canonical, "Qin Weizhong");
	/* an acronym after its long form links to it */
	CHECK((i = find(api, r, "BIIT", "ORG")) >= 0);
	if (i >= 0)
		CHECK_STR(api->entity_at(r, (size_t)i)->canonical,
		          "Bureau of Industry and Information Technology");
	/* user gazetteer entries win, with their canonical name and id */
	CHECK((i = find(api, r, "Acme", "ORG")) >= 0);
	if (i >= 0) {
		CHECK_STR(api->entity_at(r, (size_t)i)->canonical, "Acme Robotics Group");
		CHECK_STR(api->entity_at(r, (size_t)i)->kb_id, "Q1001");
	}
	CHECK((i = find(api, r, "Pengcheng", "GPE")) >= 0);
	if (i >= 0)
		CHECK_STR(api->entity_at(r, (size_t)i)->canonical, "Shenzhen");
	CHECK(wn_harness_counter(h, "entities") == (long long)api->entity_count(r));
	/* confidences carry three decimals, not the float's binary noise */
	for (size_t k = 0; k < api->entity_count(r); k++) {
		double c = api->entity_at(r, k)->confidence;
		CHECK(c >= 0 && c <= 1 && fabs(c * 1000 - round(c * 1000)) < 1e-6);
	}
	wn_harness_close(h);
}

static void test_non_english_and_empty(void)
{
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, NULL, NULL);
	CHECK(h != NULL);
	if (!h)
		return;
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	api->set_str(r, "text", "Herr Angela Merkel sagte am Montag: 5% und $3 million, 2024.");
	api->set_str(r, "lang", "de");
	CHECK(wn_harness_process(h, r) == WN_OK);
	CHECK(find(api, r, "5%", "PERCENT") >= 0);
	CHECK(find(api, r, "$3 million", "MONEY") >= 0);
	CHECK(find(api, r, "Angela Merkel", NULL) < 0); /* no tagger for German */
	wn_record *empty = wn_harness_new_record(h);
	CHECK(wn_harness_process(h, empty) == WN_OK);
	CHECK(api->entity_count(empty) == 0);
	wn_harness_close(h);
}

static void test_bad_options(void)
{
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{model: /nonexistent/ner.model}", NULL) == NULL);
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{gazetteers: [" WN_TEST_DIR "/CMakeLists.txt]}",
	                      NULL) == NULL);
}

int main(void)
{
	test_article();
	test_non_english_and_empty();
	test_bad_options();
	return check_finish();
}
