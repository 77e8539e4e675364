/*
 * lang_detect through the fake host: lang and lang_confidence written, a
 * page-declared lang kept when it agrees or the detector is unsure,
 * overridden (and counted) when the detector is confident it is wrong.
 */
#include <string.h>

#include "check.h"
#include "harness.h"

static const char *const EN =
    "The city council approved a new plan on Tuesday to expand the public library network, "
    "adding three branches in the northern districts. Construction begins next spring.";
static const char *const DE =
    "Der Stadtrat hat am Dienstag einen neuen Plan beschlossen, nach dem das Netz der "
    "öffentlichen Bibliotheken um drei Zweigstellen im Norden erweitert wird.";

/* Runs one record; returns it for inspection. */
static wn_record *run(wn_harness *h, const char *text, const char *lang, int *rc)
{
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);

	if (text)
		api->set_str(r, "text", text);
	if (lang)
		api->set_str(r, "lang", lang);
	*rc = wn_harness_process(h, r);
	return r;
}

static double real_field(const wn_host_api *api, wn_record *r, const char *name)
{
	int type = 0;
	const void *v = api->get(r, name, &type, NULL);
	return v && type == WN_T_REAL ? *(const double *)v : -1;
}

int main(void)
{
	int rc;
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, NULL, NULL);
	const wn_host_api *api;
	wn_record *r;

	CHECK(h != NULL);
	if (!h)
		return check_finish();
	api = wn_harness_api(h);

	r = run(h, EN, NULL, &rc);
	CHECK(rc == WN_OK);
	CHECK_STR(api->get_str(r, "lang", NULL), "en");
	CHECK(real_field(api, r, "lang_confidence") >= 0.9);

	r = run(h, DE, NULL, &rc);
	CHECK_STR(api->get_str(r, "lang", NULL), "de");

	/* the page's own tag is kept when it agrees */
	r = run(h, EN, "en-US", &rc);
	CHECK_STR(api->get_str(r, "lang", NULL), "en-US");
	CHECK(wn_harness_counter(h, "lang_overridden") == 0);

	/* a wrong declaration on a long clear text is overridden */
	r = run(h, DE, "en", &rc);
	CHECK(rc == WN_OK);
	CHECK_STR(api->get_str(r, "lang", NULL), "de");
	CHECK(wn_harness_counter(h, "lang_overridden") == 1);

	/* too little text to be sure: the page wins */
	r = run(h, "Hallo Welt", "en", &rc);
	CHECK_STR(api->get_str(r, "lang", NULL), "en");
	CHECK(wn_harness_counter(h, "lang_overridden") == 1);

	/* no text: nothing written, counted */
	r = run(h, NULL, NULL, &rc);
	CHECK(rc == WN_OK);
	CHECK(api->get_str(r, "lang", NULL) == NULL);
	CHECK(wn_harness_counter(h, "no_text") == 1);

	/* undeterminable text without a declaration */
	r = run(h, "12 34 56", NULL, &rc);
	CHECK_STR(api->get_str(r, "lang", NULL), "und");
	wn_harness_close(h);

	/* restricted candidates */
	h = wn_harness_open(WN_PLUGIN_SO, "{langs: [de, nl]}", NULL);
	CHECK(h != NULL);
	if (h) {
		r = run(h, DE, NULL, &rc);
		CHECK_STR(wn_harness_api(h)->get_str(r, "lang", NULL), "de");
		wn_harness_close(h);
	}
	/* a missing model folder stops the stage at init */
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{data_dir: /nonexistent}", NULL) == NULL);
	return check_finish();
}
