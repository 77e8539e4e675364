/*
 * source_urls through the fake host: URLs from the option list and from a
 * file (comments, blank lines, trimming), and bad URLs as per-record
 * errors that name where they came from.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harness.h"

/* Reads one record: returns its rc and the url (or the reason on error). */
static int next_url(wn_harness *h, const char **out)
{
	wn_record *r = wn_harness_new_record(h);
	int rc = wn_harness_next(h, r);
	*out = rc == WN_OK     ? wn_harness_api(h)->get_str(r, "url", NULL)
	       : rc == WN_DONE ? NULL
	                       : wn_harness_reason(r);
	return rc;
}

static void test_list(void)
{
	wn_harness *h = wn_harness_open(
	    WN_PLUGIN_SO,
	    "{ urls: [\"https://a.example/x\", \"gopher://b\", \"HTTP://c.example/\"] }", NULL);
	CHECK(h != NULL);
	if (!h)
		return;
	const char *u;
	CHECK(next_url(h, &u) == WN_OK);
	CHECK_STR(u, "https://a.example/x");
	CHECK(next_url(h, &u) == WN_ERROR);
	CHECK(CONTAINS(u, "urls[1]"));
	CHECK(CONTAINS(u, "gopher://b"));
	CHECK(next_url(h, &u) == WN_OK);
	CHECK_STR(u, "HTTP://c.example/");
	CHECK(next_url(h, &u) == WN_DONE);
	CHECK(next_url(h, &u) == WN_DONE); /* stays done */
	wn_harness_close(h);
}

static void test_file(void)
{
	wn_harness *h = wn_harness_open(
	    WN_PLUGIN_SO,
	    "{ urls: [\"https://first.example/\"], file: \"" WN_TEST_DIR "/urls.txt\" }", NULL);
	CHECK(h != NULL);
	if (!h)
		return;
	const char *u;
	CHECK(next_url(h, &u) == WN_OK); /* the list comes first */
	CHECK_STR(u, "https://first.example/");
	CHECK(next_url(h, &u) == WN_OK);
	CHECK_STR(u, "https://news.example.org/2024/05/harbour-bridge-opens");
	CHECK(next_url(h, &u) == WN_OK);
	CHECK_STR(u, "http://EXAMPLE.com/a?b=1#frag"); /* trimmed */
	CHECK(next_url(h, &u) == WN_OK);
	CHECK_STR(u, "file:///srv/articles/local%20copy.html");
	CHECK(next_url(h, &u) == WN_ERROR);
	CHECK(CONTAINS(u, "urls.txt:8"));
	CHECK(CONTAINS(u, "ftp://old.example.net"));
	CHECK(next_url(h, &u) == WN_OK); /* one bad line does not stop the run */
	CHECK_STR(u, "https://ok.example.org/after-the-bad-one");
	CHECK(next_url(h, &u) == WN_ERROR);
	CHECK(CONTAINS(u, "urls.txt:10"));
	CHECK(next_url(h, &u) == WN_DONE);
	wn_harness_close(h);
}

static void test_needs_a_source(void)
{
	/* Neither option: init refuses (FATAL), so the stage never opens. */
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{}", NULL) == NULL);
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{ file: \"" WN_TEST_DIR "/no-such-file.txt\" }",
	                      NULL) == NULL);
}

int main(void)
{
	test_list();
	test_file();
	test_needs_a_source();
	return check_finish();
}
