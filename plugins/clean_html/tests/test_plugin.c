/*
 * clean_html through the fake host: options, fields written, not-HTML
 * pass-through, binary input dead-lettered with a reason.
 */
#include "check.h"
#include "harness.h"

#include <string.h>

int main(void)
{
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, "{min_text: 20, max_size: 1MiB}", NULL);
	CHECK(h != NULL);
	if (!h)
		return check_finish();
	const wn_host_api *api = wn_harness_api(h);

	wn_record *r = wn_harness_new_record(h);
	const char page[] =
	    "<html lang=\"fr\"><head><meta charset=\"iso-8859-1\"><title>Le titre - Site</title>"
	    "<meta property=\"og:site_name\" content=\"Site\"></head><body><article>"
	    "<p>Premier paragraphe de l'article, assez long pour compter, avec une virgule.</p>"
	    "<p>Deuxi\xE8me paragraphe, \xE9galement assez long pour \xEAtre retenu ici.</p>"
	    "</article></body></html>";
	api->set(r, "raw", WN_T_BYTES, page, sizeof page - 1);
	api->set_str(r, "url", "https://site.example/2024/03/05/titre");
	CHECK(wn_harness_process(h, r) == WN_OK);
	CHECK_STR(api->get_str(r, "title", NULL), "Le titre");
	CHECK_STR(api->get_str(r, "lang", NULL), "fr");
	/* the host stores times in one format (winnow/fields.h) */
	CHECK_STR(api->get_str(r, "published", NULL), "2024-03-05T00:00:00Z");
	CHECK_STR(api->get_str(r, "published_precision", NULL), "day");
	CHECK_STR(api->get_str(r, "site_name", NULL), "Site");
	CHECK(CONTAINS(api->get_str(r, "text", NULL),
	               "Deuxi\xC3\xA8me paragraphe, \xC3\xA9galement"));
	CHECK(CONTAINS(api->get_str(r, "text", NULL), "virgule.\n\nDeuxi"));
	CHECK(api->get_int(r, "word_count", 0) >= 20);
	CHECK(api->get_str(r, "author", NULL) == NULL);

	/* plain text: untouched, counted */
	wn_record *t = wn_harness_new_record(h);
	api->set(t, "raw", WN_T_BYTES, "just text", 9);
	api->set_str(t, "content_type", "text/plain");
	CHECK(wn_harness_process(h, t) == WN_OK);
	CHECK(api->get_str(t, "text", NULL) == NULL);
	CHECK(wn_harness_counter(h, "not_html") == 1);

	/* binary: error with a reason */
	wn_record *b = wn_harness_new_record(h);
	api->set(b, "raw", WN_T_BYTES, "%PDF-1.7\n\0\0binary", 18);
	CHECK(wn_harness_process(h, b) == WN_ERROR);
	CHECK_STR(wn_harness_reason_code(b), "binary");
	CHECK(wn_harness_reason(b) != NULL);

	/* no raw field at all */
	wn_record *e = wn_harness_new_record(h);
	CHECK(wn_harness_process(h, e) == WN_ERROR);
	CHECK_STR(wn_harness_reason_code(e), "no_raw");
	wn_harness_close(h);
	return check_finish();
}
