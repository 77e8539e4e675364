/*
 * export_report through the fake host: one self-contained page (no
 * script, nothing fetched), a chart per topic with one bar per value,
 * names escaped, counts right, and the page only at commit.
 */
#include "check.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t count(const char *h, const char *n)
{
	size_t k = 0;
	for (const char *p = h; p && (p = strstr(p, n)); p += strlen(n))
		k++;
	return k;
}

static void article(wn_harness *h, const char *lang, const char *site, const char *pub, int words,
                    const char *org)
{
	const wn_host_api *api = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	api->set_str(r, "id", "x");
	api->set_str(r, "url", "https://news.example/a");
	if (lang)
		api->set_str(r, "lang", lang);
	if (site)
		api->set_str(r, "site_name", site);
	if (pub)
		api->set_str(r, "published", pub);
	api->set_int(r, "word_count", words);
	api->set_str(r, "text", "text");
	wn_entity e = {.size = sizeof(wn_entity),
	               .type = "ORG",
	               .text = org,
	               .start = 0,
	               .end = 1,
	               .confidence = 1};
	CHECK(api->add_entity(r, &e) == WN_OK);
	wn_entity p = {.size = sizeof(wn_entity),
	               .type = "PERSON",
	               .text = "Ann",
	               .start = 0,
	               .end = 1,
	               .confidence = 1};
	CHECK(api->add_entity(r, &p) == WN_OK);
	CHECK(wn_harness_write(h, r) == WN_OK);
}

int main(void)
{
	const char *dir = "out_export_report";
	mkdir(dir, 0777);
	unlink("out_export_report/report.html");
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, "{top: 5}", dir);
	CHECK(h != NULL);
	if (!h)
		return check_finish();
	article(h, "en", "The <Daily> & Co", "2024-01-30T10:00:00+01:00", 150, "Acme");
	article(h, "en", NULL, "2024-03-02", 950, "Acme");
	article(h, "de", NULL, NULL, 20, "Beta \"AG\"");
	struct stat st;
	CHECK(stat("out_export_report/report.html", &st) != 0); /* not before commit */
	CHECK(wn_harness_commit(h) == WN_OK);
	wn_harness_close(h);
	char *page = wn_harness_slurp("out_export_report/report.html", NULL);
	CHECK(page != NULL);
	if (!page)
		return check_finish();
	CHECK(strncmp(page, "<!DOCTYPE html>", 15) == 0);
	CHECK(!strstr(page, "<script") && !strstr(page, "<link") && !strstr(page, "src="));
	CHECK(!strstr(page, "href="));
	/* languages, sites, lengths, months, types, top ORG, top PERSON */
	CHECK(count(page, "<svg ") == 7);
	CHECK(count(page, "<rect ") == 2 + 2 + 7 + 2 + 2 + 2 + 1);
	CHECK(strstr(page, "The &lt;Daily&gt; &amp; Co") != NULL);
	CHECK(strstr(page, "Beta &quot;AG&quot;") != NULL);
	CHECK(strstr(page, ">news.example</text>") != NULL); /* host when no site_name */
	CHECK(strstr(page, ">2024-01</text>") && strstr(page, ">2024-03</text>"));
	CHECK(strstr(page, "2024-01</text>") < strstr(page, "2024-03</text>")); /* in time order */
	CHECK(strstr(page, "<td>articles exported</td><td>3</td>") != NULL);
	CHECK(strstr(page, "<td>entities</td><td>6</td>") != NULL);
	free(page);
	return check_finish();
}
