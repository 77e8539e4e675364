/*
 * clean_text through the fake host: text cleaned in place, title and
 * word_count written, an existing title respected, raw bytes decoded with
 * the declared charset, a record with nothing to clean dropped as
 * "no_text", a user phrase file added with `phrases:`, the site memory
 * kept between runs in the `site_memory` file, and `input: article` for
 * text another extractor already cut to the article.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "sitegen.h"

static const char *const PAGE =
    "Harbour Bridge Reopens After Two Years of Repairs\n\n"
    "Share\n\n"
    "The harbour bridge reopened to traffic on Monday after two years of repairs, the "
    "transport authority said.\n\n"
    "Engineers replaced most of the steel cables and resurfaced the whole deck, which had "
    "been closed since a storm damaged it.\n\n"
    "Photo: City Archive\n\n"
    "Commuters welcomed the news, although tolls will rise by ten percent next month.\n\n"
    "Like (3)\nPrevious Council votes on budget\nNext Schools prepare for winter";

static const char *const CLEAN =
    "The harbour bridge reopened to traffic on Monday after two years of repairs, the "
    "transport authority said.\n\n"
    "Engineers replaced most of the steel cables and resurfaced the whole deck, which had "
    "been closed since a storm damaged it.\n\n"
    "Commuters welcomed the news, although tolls will rise by ten percent next month.";

static wn_record *record(wn_harness *h, const char *field, int type, const char *v, size_t n)
{
	wn_record *r = wn_harness_new_record(h);
	if (v)
		wn_harness_api(h)->set(r, field, type, v, n);
	return r;
}

/* Cleans page i of the synthetic site as a record from its host; returns
 * how many of the site's boilerplate lines are left. */
static int site_page(wn_harness *h, int i, const char *host)
{
	const wn_host_api *api = wn_harness_api(h);
	char page[8192], url[128];
	size_t n = sitegen_page(i, page, sizeof page);
	wn_record *r = record(h, "text", WN_T_STR, page, n);
	const char *text;
	int left = 0;

	snprintf(url, sizeof url, "https://%s/news/story-%d", host, i);
	api->set_str(r, "url", url);
	CHECK(wn_harness_process(h, r) == WN_OK);
	text = api->get_str(r, "text", NULL);
	CHECK(text && strstr(text, "subject to a final environmental review") != NULL);
	for (int k = 0; text && sitegen_boiler[k]; k++)
		left += strstr(text, sitegen_boiler[k]) != NULL;
	return left;
}

/* Run 1 cleans ten pages one by one (a batch of one learns nothing on its
 * own) and leaves the site memory file; run 2's first page of that site
 * loses the site's disclaimer, bio and newsletter lines; another site is
 * not touched. A malformed file stops the stage with the line named. */
static void test_site_memory_file(void)
{
	const char *path = "ct_site_memory.txt", *opts = "{site_memory: ct_site_memory.txt}";
	wn_harness *h;
	int left = 0;
	FILE *f;

	remove(path);
	h = wn_harness_open(WN_PLUGIN_SO, opts, NULL);
	CHECK(h != NULL);
	if (!h)
		return;
	for (int i = 0; i < 10; i++)
		left += site_page(h, i, "www.harbourlight.test");
	CHECK(left >= 10);
	wn_harness_close(h);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	h = wn_harness_open(WN_PLUGIN_SO, opts, NULL);
	CHECK(h != NULL);
	if (!h)
		return;
	CHECK(site_page(h, 40, "harbourlight.test") == 0);
	CHECK(wn_harness_counter(h, "site_lines_dropped") >= 2);
	CHECK(site_page(h, 41, "other.test") >= 1);
	wn_harness_close(h);
	f = fopen(path, "w");
	if (f) {
		fputs("winnow-site-memory 1\nrun 1\nsite a.test x\n", f);
		fclose(f);
	}
	CHECK(wn_harness_open(WN_PLUGIN_SO, opts, NULL) == NULL);
	remove(path);
}

/* An article another extractor already cut from its page: a directory
 * of clinics whose short lines (a fee note under each clinic, a phone
 * number) are the article's, and a feed footer no extractor removes. */
static const char *const ARTICLE =
    "The city's three harbour clinics will stay open until eight in the evening from next "
    "month, the health board said on Tuesday.\n\n"
    "Northgate Clinic\n\nFees based on income\n\n0161 555 0142\n\n"
    "Northgate sees about four hundred patients a week and will add two nurses to cover the "
    "later shifts.\n\n"
    "Quayside Clinic\n\nFees based on income\n\n0161 555 0178\n\n"
    "Quayside, which opened in a former ferry office, will start a walk-in service for "
    "children on Saturday mornings.\n\n"
    "Marsh Lane Clinic\n\nFees based on income\n\n0161 555 0190\n\n"
    "Marsh Lane will share a doctor with Quayside until a second post is filled.\n\n"
    "The post Three Harbour Clinics Extend Their Hours appeared first on Harbour Light.";

/* `input: article`: every line of the article stays, as clean_html's text
 * would (no model, no repetition or shape rules), the feed footer goes and
 * the text is otherwise only normalised; a choice the option does not
 * have stops the stage. */
static void test_input_article(void)
{
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, "{input: article}", NULL);
	const char *text;
	const char *p;
	int fees = 0;

	CHECK(h != NULL);
	if (!h)
		return;
	wn_record *r = record(h, "text", WN_T_STR, ARTICLE, strlen(ARTICLE));
	CHECK(wn_harness_process(h, r) == WN_OK);
	text = wn_harness_api(h)->get_str(r, "text", NULL);
	for (p = text; p && (p = strstr(p, "Fees based on income")) != NULL; p++)
		fees++;
	CHECK(fees == 3);
	CHECK(CONTAINS(text, "0161 555 0142") && CONTAINS(text, "0161 555 0190"));
	CHECK(CONTAINS(text, "Marsh Lane Clinic\n\nFees based on income"));
	CHECK(!CONTAINS(text, "appeared first on"));
	CHECK(wn_harness_counter(h, "lines_dropped") == 1);
	wn_harness_close(h);
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{input: summary}", NULL) == NULL);
}

int main(void)
{
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, NULL, NULL);
	const wn_host_api *api;
	wn_record *r;
	FILE *f;

	CHECK(h != NULL);
	if (!h)
		return check_finish();
	api = wn_harness_api(h);

	r = record(h, "text", WN_T_STR, PAGE, strlen(PAGE));
	CHECK(wn_harness_process(h, r) == WN_OK);
	CHECK_STR(api->get_str(r, "text", NULL), CLEAN);
	CHECK_STR(api->get_str(r, "title", NULL),
	          "Harbour Bridge Reopens After Two Years of Repairs");
	CHECK(api->get_int(r, "word_count", -1) == 51);
	CHECK(wn_harness_counter(h, "lines_dropped") == 5);

	/* a title set by the page stays; the repeated headline still goes */
	r = record(h, "text", WN_T_STR, PAGE, strlen(PAGE));
	api->set_str(r, "title", "Harbour Bridge Reopens After Two Years of Repairs | Daily Port");
	CHECK(wn_harness_process(h, r) == WN_OK);
	CHECK_STR(api->get_str(r, "title", NULL),
	          "Harbour Bridge Reopens After Two Years of Repairs | Daily Port");
	CHECK_STR(api->get_str(r, "text", NULL), CLEAN);

	/* raw windows-1252 bytes: curly quotes decoded */
	const char raw[] = "Caf\xE9 owners \x93welcome\x94 the new rules, the association said "
	                   "on Friday after a long meeting.";
	r = record(h, "raw", WN_T_BYTES, raw, sizeof raw - 1);
	api->set_str(r, "content_type", "text/plain; charset=windows-1252");
	CHECK(wn_harness_process(h, r) == WN_OK);
	CHECK_STR(api->get_str(r, "text", NULL),
	          "Café owners “welcome” the new rules, the association said on Friday after "
	          "a long meeting.");

	/* nothing to clean */
	r = record(h, "text", WN_T_STR, NULL, 0);
	CHECK(wn_harness_process(h, r) == WN_DROP);
	CHECK_STR(wn_harness_reason_code(r), "no_text");
	wn_harness_close(h);

	/* a user phrase file adds a site's own widget text */
	f = fopen("ct_user_phrases.txt", "w");
	CHECK(f != NULL);
	if (f) {
		fputs("# test\n=5 commuters welcomed the news although tolls will rise by ten "
		      "percent next month\n",
		      f);
		fclose(f);
	}
	h = wn_harness_open(WN_PLUGIN_SO, "{phrases: ct_user_phrases.txt}", NULL);
	CHECK(h != NULL);
	if (h) {
		r = record(h, "text", WN_T_STR, PAGE, strlen(PAGE));
		CHECK(wn_harness_process(h, r) == WN_OK);
		CHECK(!CONTAINS(wn_harness_api(h)->get_str(r, "text", NULL), "Commuters"));
		wn_harness_close(h);
	}
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{phrases: /nonexistent/phrases.txt}", NULL) == NULL);
	test_site_memory_file();
	test_input_article();
	return check_finish();
}
