/*
 * filter_quality through the fake host: options from YAML, WN_DROP with the
 * rule's name as reason code, WN_OK for a good article, absent text, the
 * page-type rules on clean_html's fields.
 */
#include <string.h>

#include "check.h"
#include "harness.h"

static const char *const ARTICLE =
    "The city council approved a new plan on Tuesday to expand the library network.\n\n"
    "Three branches will open in the northern districts. Construction starts next spring.\n\n"
    "Officials said the buildings would also host evening classes for adults.";

/* Processes one record with text/lang; returns the rc, reason code in *code. */
static int run(wn_harness *h, const char *text, const char *lang, const char **code)
{
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	int rc;

	if (text)
		api->set_str(r, "text", text);
	if (lang)
		api->set_str(r, "lang", lang);
	rc = wn_harness_process(h, r);
	*code = wn_harness_reason_code(r);
	return rc;
}

/* Processes the article with a page type (NULL: none) and a confidence
 * (< 0: none); returns the rc, reason code in *code. */
static int run_typed(wn_harness *h, const char *type, double conf, const char **code)
{
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	int rc;

	api->set_str(r, "text", ARTICLE);
	if (type)
		api->set_str(r, "page_type", type);
	if (conf >= 0)
		api->set_real(r, "page_type_confidence", conf);
	rc = wn_harness_process(h, r);
	*code = wn_harness_reason_code(r);
	return rc;
}

int main(void)
{
	const char *code = NULL;
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO,
	                                "{min_words: 20, min_sentences: 3, langs: [en, de]}", NULL);

	CHECK(h != NULL);
	if (!h)
		return check_finish();
	CHECK(run(h, ARTICLE, "en", &code) == WN_OK);
	CHECK(run(h, ARTICLE, "fr", &code) == WN_DROP);
	CHECK_STR(code, "langs");
	CHECK(run(h, "Too short. Really.", "en", &code) == WN_DROP);
	CHECK_STR(code, "min_words");
	CHECK(run(h, NULL, "en", &code) == WN_DROP);
	CHECK_STR(code, "min_words");
	CHECK(run(h,
	          "one two three four five six seven eight nine ten eleven twelve thirteen "
	          "fourteen fifteen sixteen seventeen eighteen nineteen twenty. Done.",
	          "de", &code) == WN_DROP);
	CHECK_STR(code, "min_sentences");
	wn_harness_close(h);

	/* defaults: 50 words */
	h = wn_harness_open(WN_PLUGIN_SO, NULL, NULL);
	CHECK(h != NULL);
	if (h) {
		CHECK(run(h, ARTICLE, NULL, &code) == WN_DROP);
		CHECK_STR(code, "min_words");
		wn_harness_close(h);
	}
	/* only sure articles: the type and its confidence from clean_html */
	h = wn_harness_open(WN_PLUGIN_SO,
	                    "{min_words: 20, page_types: [article], min_page_type_confidence: 0.8}",
	                    NULL);
	CHECK(h != NULL);
	if (h) {
		CHECK(run_typed(h, "article", 0.93, &code) == WN_OK);
		CHECK(run_typed(h, "listing", 0.99, &code) == WN_DROP);
		CHECK_STR(code, "page_types");
		CHECK(run_typed(h, "article", 0.55, &code) == WN_DROP);
		CHECK_STR(code, "min_page_type_confidence");
		CHECK(run_typed(h, "article", -1, &code) == WN_DROP); /* no confidence: unsure */
		CHECK_STR(code, "min_page_type_confidence");
		CHECK(run_typed(h, NULL, -1, &code) == WN_OK); /* scraped text: no type */
		wn_harness_close(h);
	}
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{min_page_type_confidence: 2}", NULL) == NULL);
	/* a bad option value is refused at open */
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{max_link_ratio: 7}", NULL) == NULL);
	return check_finish();
}
