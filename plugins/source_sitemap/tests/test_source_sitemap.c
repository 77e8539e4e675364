/*
 * source_sitemap through the fake host: a urlset, the same gzipped, a
 * lastmod cut-off, include/exclude regexes, a Google News sitemap, a file
 * that is not a sitemap. (Indexes with gzipped children are fetched over
 * HTTP: tests/e2e/feeds_sitemap.sh.)
 */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "harness.h"

static const char urlset[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"\n"
    "        xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n"
    "  <url><loc>https://s.example.org/news/1</loc><lastmod>2024-03-01</lastmod></url>\n"
    "  <url><loc>https://s.example.org/news/2</loc><lastmod>2023-12-31T23:00:00Z</lastmod></url>\n"
    "  <url><loc>https://s.example.org/tag/x</loc><lastmod>2024-03-02</lastmod></url>\n"
    "  <url><loc>https://s.example.org/news/3</loc></url>\n"
    "  <url><loc>https://s.example.org/news/4</loc>\n"
    "    <news:news><news:publication><news:name>S</news:name></news:publication>\n"
    "      <news:publication_date>2024-03-05T08:00:00+02:00</news:publication_date>\n"
    "      <news:title>News &amp; title</news:title></news:news>\n"
    /* A second <news:news> in one <url>: ignored, and not leaked (ASan). */
    "    <news:news><news:title>Second</news:title></news:news></url>\n"
    "</urlset>\n";

static void write_file(const char *path, const char *s, int gz)
{
	if (gz) {
		gzFile g = gzopen(path, "wb");
		gzwrite(g, s, (unsigned)strlen(s));
		gzclose(g);
	} else {
		FILE *f = fopen(path, "w");
		fputs(s, f);
		fclose(f);
	}
}

/* Runs the source to the end; returns the URLs seen, space-separated. */
static int drain(wn_harness *h, char *out, size_t cap, wn_record **last)
{
	int n = 0;
	out[0] = '\0';
	for (;;) {
		wn_record *r = wn_harness_new_record(h);
		int rc = wn_harness_next(h, r);
		if (rc == WN_DONE)
			break;
		if (rc != WN_OK)
			return -rc;
		const char *u = wn_harness_api(h)->get_str(r, "url", NULL);
		strncat(out, u ? u : "?", cap - strlen(out) - 2);
		strcat(out, " ");
		*last = r;
		n++;
	}
	return n;
}

int main(void)
{
	write_file("sm.xml", urlset, 0);
	write_file("sm.xml.gz", urlset, 1);
	write_file("notsm.xml", "<html><body>no</body></html>", 0);
	char seen[2048];
	wn_record *last = NULL;

	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, "{files: [sm.xml, sm.xml.gz]}", NULL);
	CHECK(h != NULL);
	CHECK(h && drain(h, seen, sizeof(seen), &last) == 10);
	if (last) {
		const wn_host_api *a = wn_harness_api(h);
		CHECK_STR(a->get_str(last, "title", NULL), "News & title");
		CHECK_STR(a->get_str(last, "published", NULL), "2024-03-05T06:00:00Z");
		CHECK_STR(a->get_str(last, "feed_url", NULL), "sm.xml.gz");
	}
	CHECK(wn_harness_counter(h, "sitemaps") == 2);
	wn_harness_close(h);

	h = wn_harness_open(WN_PLUGIN_SO,
	                    "{files: [sm.xml.gz], lastmod_after: 2024-01-01, keep_undated: false,"
	                    " include: ['/news/', '/tag/'], exclude: ['/tag/']}",
	                    NULL);
	CHECK(h != NULL);
	last = NULL;
	CHECK(h && drain(h, seen, sizeof(seen), &last) == 1);
	CHECK_STR(seen, "https://s.example.org/news/1 ");
	if (last)
		CHECK_STR(wn_harness_api(h)->get_str(last, "lastmod", NULL),
		          "2024-03-01T00:00:00Z");
	CHECK(wn_harness_counter(h, "old") == 1);
	CHECK(wn_harness_counter(h, "undated") == 2);
	CHECK(wn_harness_counter(h, "excluded") == 1);
	wn_harness_close(h);

	h = wn_harness_open(WN_PLUGIN_SO, "{files: [notsm.xml, sm.xml], max_urls: 2}", NULL);
	wn_record *r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_ERROR);
	CHECK_STR(wn_harness_reason_code(r), "bad_sitemap");
	CHECK(drain(h, seen, sizeof(seen), &last) == 2); /* goes on with the next */
	wn_harness_close(h);

	CHECK(wn_harness_open(WN_PLUGIN_SO, "{files: [sm.xml], include: ['(']}", NULL) == NULL);
	CHECK(wn_harness_open(WN_PLUGIN_SO, "{files: [sm.xml], lastmod_after: soon}", NULL) ==
	      NULL);
	return check_finish();
}
