/*
 * clean_html metadata the page states only loosely: titles with a site
 * name before or after the headline, dates in visible bylines and
 * datelines, authors behind lead-ins and roles. Lower layers first
 * (wn_clean_date_find, wn_clean_author, wn_clean_title_pick), then whole
 * invented pages.
 */
#include "check.h"
#include "fixture.h"
#include "wn_clean.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int clean_str(const char *html, const char *url, wn_clean_doc *d)
{
	return wn_clean_page(html, strlen(html), "text/html", url, NULL, d);
}

/* The date found in s (or "" when none). */
static const char *find(const char *s, int dayfirst)
{
	static char out[40];
	if (!wn_clean_date_find(s, dayfirst, out, sizeof out, NULL, NULL))
		out[0] = 0;
	return out;
}

static void test_date_find(void)
{
	CHECK_STR(find("May 14, 2024", 0), "2024-05-14");
	CHECK_STR(find("Posted on Sept. 3rd, 2024 at 7:30 pm", 0), "2024-09-03T19:30:00");
	CHECK_STR(find("Tuesday 3 September 2024, 07:30 BST", 1), "2024-09-03T07:30:00");
	CHECK_STR(find("2024-04-09 16:20", 0), "2024-04-09T16:20:00");
	CHECK_STR(find("Updated 2024-04-09T16:20:05Z", 0), "2024-04-09T16:20:05Z");
	CHECK_STR(find("12 mars 2025", 1), "2025-03-12");
	CHECK_STR(find("le 1er f\xC3\xA9vrier 2024 \xC3\xA0 18h05", 1), "2024-02-01T18:05:00");
	CHECK_STR(find("13\xC2\xA0"
	               "d\xC3\xA9"
	               "cembre\xC2\xA0"
	               "2023",
	               1),
	          "2023-12-13");
	CHECK_STR(find("4. November 2024", 1), "2024-11-04");
	CHECK_STR(find("Von Jonas \xC2\xB7 14. M\xC3\xA4rz 2024, 17:45 Uhr", 1),
	          "2024-03-14T17:45:00");
	CHECK_STR(find("04.11.2024, 17:45 Uhr", 0), "2024-11-04T17:45:00"); /* dots: day first */
	CHECK_STR(find("4 de noviembre de 2024", 1), "2024-11-04");
	CHECK_STR(find("Publicado el 21 ago. 2023", 1), "2023-08-21");
	CHECK_STR(find("3 maggio 2022", 1), "2022-05-03");
	/* numeric: the locale decides unless a part over 12 does */
	CHECK_STR(find("12/03/2025", 1), "2025-03-12");
	CHECK_STR(find("12/03/2025", 0), "2025-12-03");
	CHECK_STR(find("03/25/2025", 1), "2025-03-25");
	CHECK_STR(find("25/03/2025", 0), "2025-03-25");
	/* not dates */
	CHECK_STR(find("Copyright 2023 Northfield Post", 0), "");
	CHECK_STR(find("3 min read", 0), "");
	CHECK_STR(find("May 2024", 0), "");
	CHECK_STR(find("Maison 12 2024", 1), "");
	CHECK_STR(find("31/02/2024", 1), "");
	CHECK_STR(find("10.5 million and 1.500.000 euros", 1), "");
	CHECK_STR(find("2024-13-01", 0), "");
	/* offsets, for telling "published ... updated ..." apart */
	size_t a, b;
	char out[40];
	CHECK(wn_clean_date_find("Posted: 2 May 2024", 1, out, sizeof out, &a, &b));
	CHECK(a == 8 && b == 18);
	/* the existing structured parser learned the other languages' months */
	CHECK(wn_clean_date_iso("4 mars 2025", out, sizeof out) && !strcmp(out, "2025-03-04"));
}

/* The author left after cleaning s. */
static const char *author(const char *s)
{
	static char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	wn_clean_author(buf);
	return buf;
}

static void test_author(void)
{
	CHECK_STR(author("Story: Callum Nguyen-Fairweather"), "Callum Nguyen-Fairweather");
	CHECK_STR(author("Words: Ana Lima"), "Ana Lima");
	CHECK_STR(author("TEXT : Ana Lima"), "Ana Lima");
	CHECK_STR(author("By Kim Lee | March 3, 2024"), "Kim Lee");
	CHECK_STR(author("by: Kim Lee"), "Kim Lee");
	CHECK_STR(author("Written by Sam Ortiz, Senior Correspondent"), "Sam Ortiz");
	CHECK_STR(author("Reporting by Ana Ruiz; Editing by Tom Lee"), "Ana Ruiz");
	CHECK_STR(author("Von Jonas Reichert \xC2\xB7 04.11.2024, 17:45 Uhr"), "Jonas Reichert");
	CHECK_STR(author("Par Marie Dupont, envoy\xC3\xA9"
	                 "e sp\xC3\xA9"
	                 "ciale"),
	          "Marie Dupont");
	CHECK_STR(author("Por Mar\xC3\xAD"
	                 "a Jos\xC3\xA9 P\xC3\xA9rez"),
	          "Mar\xC3\xAD"
	          "a Jos\xC3\xA9 P\xC3\xA9rez");
	CHECK_STR(author("By Priya Raman, Industry Correspondent"), "Priya Raman");
	CHECK_STR(author("Jane Doe on May 14, 2024"), "Jane Doe");
	/* a date first: the name, if any, after it */
	CHECK_STR(author("May 14, 2024 by Jane Doe"), "Jane Doe");
	CHECK_STR(author("August 28, 2025 \xE2\x80\xA2 5 min read"), "");
	CHECK_STR(author("August 28, 2025\xE2\x80\xA2 5 min read"), "");
	CHECK_STR(author("May 14, 2024 \xC2\xB7 Jane Doe"), "");
	CHECK_STR(author("Posted by BeauHD on Friday"), "BeauHD");
	CHECK_STR(author("Ana Long on Mondays"), "Ana Long");
	CHECK_STR(author("Jane Doe, Reuters"), "Jane Doe");
	/* names stay whole */
	CHECK_STR(author("Karl Bauer, Eva Stein"), "Karl Bauer, Eva Stein");
	CHECK_STR(author("Anna Berg, Staffan Larsson"), "Anna Berg, Staffan Larsson");
	CHECK_STR(author("Byron Keyes"), "Byron Keyes");
	CHECK_STR(author("Story Musgrave"), "Story Musgrave");
	CHECK_STR(author("Von Miller"), "Von Miller");
	CHECK_STR(author("Par Avion Smith"), "Avion Smith");
	CHECK_STR(author("Von Ursula von der Leyen"), "Ursula von der Leyen");
	CHECK_STR(author("Von Montag an gilt die neue Regel"), "Von Montag an gilt die neue Regel");
	CHECK_STR(author("Mary-Jane Watson-Parker"), "Mary-Jane Watson-Parker");
	/* a byline's blocks as lines: the first line with a name */
	CHECK_STR(author("Harry Rabinowitz\nTech Reporter"), "Harry Rabinowitz");
	CHECK_STR(author("By\nSummer Swann"), "Summer Swann");
	CHECK_STR(author("Written by\nDan Pantelo\nMarch 3, 2025"), "Dan Pantelo");
	CHECK_STR(author("Article by:\nCara Dumaplin, Contributor"), "Cara Dumaplin");
	CHECK_STR(author("Luke Kim\nDecember 5, 2025"), "Luke Kim");
	CHECK_STR(author("December 5, 2025\nLuke Kim"), "Luke Kim");
	CHECK_STR(author("CM\nCraig McCarthy\nLast updated"), "Craig McCarthy");
	CHECK_STR(author("\xE2\x80\xA2\nMay 4, 2025"), "");
	CHECK_STR(author("AP\n3 min read"), "AP"); /* initials with no name after */
	CHECK_STR(author("Author\n"), "");
	/* separators of any symbol, handles, phrase lead-ins, a second "by" */
	CHECK_STR(author("Chris Lane \xE2\x8B\x85 Founder and Editor"), "Chris Lane");
	CHECK_STR(author("galitsyn \xC2\xBB Sat"), "galitsyn");
	CHECK_STR(author("amondale (Amondale)"), "amondale");
	CHECK_STR(author("Paramita (Guha) Ghosh"), "Paramita (Guha) Ghosh");
	CHECK_STR(author("Sam & Max"), "Sam & Max");
	CHECK_STR(author("Jane Doe \xE2\x80\xA6 Staff"), "Jane Doe"); /* U+2026 is no "&" */
	CHECK_STR(author("Guide by Will Judd"), "Will Judd");
	CHECK_STR(author("This post was written by Dana Lee"), "Dana Lee");
	CHECK_STR(author("Shelby Loos, DVM. Reviewed by Molly Price, DVM"), "Shelby Loos, DVM.");
	CHECK_STR(author("Stand by me"), "Stand by me");
	CHECK_STR(author("B boobaloobie"), "boobaloobie");
	CHECK_STR(author("P Packard"), "Packard");
	CHECK_STR(author("J Smith"), "J Smith");
}

/* The title left after picking from t. */
static const char *pick(const char *t, const char *h, const char *site, const char *host, int guess)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "%s", t);
	wn_clean_title_pick(buf, h, site, host, guess);
	return buf;
}

static void test_title_pick(void)
{
	/* the site's side, known by name, by host, or by the other side being
	 * the h1 */
	CHECK_STR(
	    pick("The Valley Gazette :: Flood wall finished late", NULL, "Valley Gazette", NULL, 0),
	    "Flood wall finished late");
	CHECK_STR(pick("Flood wall finished late | The Valley Gazette", NULL, "The Valley Gazette",
	               NULL, 0),
	          "Flood wall finished late");
	CHECK_STR(pick("Dockside Daily \xE2\x80\x94 Strike ends", NULL, NULL,
	               "www.docksidedaily.example/news/1", 0),
	          "Strike ends");
	CHECK_STR(pick("Strike ends \xC2\xB7 BBC News", NULL, NULL, "www.bbc.co.uk", 0),
	          "Strike ends");
	CHECK_STR(pick("Hillcrest Herald | Mayor resigns after audit", "Mayor resigns after audit",
	               NULL, NULL, 0),
	          "Mayor resigns after audit");
	CHECK_STR(pick("Mayor resigns after audit - Local - Hillcrest Herald",
	               "Mayor resigns after audit - Local", NULL, NULL, 0),
	          "Mayor resigns after audit - Local");
	/* a bare <title>: the short capitalised side goes */
	CHECK_STR(pick("Riverside Echo \xC2\xBB Ferry fares frozen for another year", NULL, NULL,
	               NULL, 1),
	          "Ferry fares frozen for another year");
	CHECK_STR(pick("Ferry fares frozen for another year / Riverside Echo", NULL, NULL, NULL, 1),
	          "Ferry fares frozen for another year");
	CHECK_STR(pick("Daily Planet Gazette - Storm floods the lower town", NULL, NULL, NULL, 1),
	          "Storm floods the lower town");
	/* separators that belong to the headline */
	CHECK_STR(pick("Q&A - how the new tax rules work", NULL, NULL, NULL, 1),
	          "Q&A - how the new tax rules work");
	CHECK_STR(pick("Stocks rise - and fall - in one day", NULL, NULL, NULL, 1),
	          "Stocks rise - and fall - in one day");
	CHECK_STR(pick("Jean-Luc picks a well-known co-pilot", NULL, NULL, NULL, 1),
	          "Jean-Luc picks a well-known co-pilot");
	CHECK_STR(pick("Brexit: what next - Q&A", "Brexit: what next - Q&A", NULL, NULL, 1),
	          "Brexit: what next - Q&A");
	CHECK_STR(pick("Storm hits coast - Coast News", NULL, NULL, NULL, 0),
	          "Storm hits coast - Coast News"); /* no evidence, no guess */
	/* a generic host label is no evidence */
	CHECK_STR(pick("News roundup - Storm hits the coast", NULL, NULL, "news.example.com", 0),
	          "News roundup - Storm hits the coast");
}

static void test_title_pages(void)
{
	wn_clean_doc d;
	/* no h1, no og:title: the site prefix of <title> goes */
	CHECK(clean_fixture("dateline_oldschool.html", NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.title, "Village hall roof saved by bake sale");
	wn_clean_doc_free(&d);
	/* og:title with a site prefix, the h1 as evidence */
	CHECK(clean_str("<html><head><meta property=\"og:title\" content=\"Hillcrest Herald | "
	                "Mayor resigns after audit\"></head><body><h1>Mayor resigns after "
	                "audit</h1><p>The mayor resigned on Friday after an audit found gaps in "
	                "the accounts, with a comma.</p></body></html>",
	                NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.title, "Mayor resigns after audit");
	wn_clean_doc_free(&d);
	/* the JSON-LD publisher names the site's side */
	CHECK(clean_str("<html><head><title>Metro Ledger :: Tram</title><script "
	                "type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"publisher\":"
	                "{\"@type\":\"Organization\",\"name\":\"Metro Ledger\"}}</script></head>"
	                "<body><p>The tram line was approved by the council on Monday, with a "
	                "comma.</p></body></html>",
	                NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.title, "Tram");
	CHECK_STR(d.site_name, "Metro Ledger");
	wn_clean_doc_free(&d);
	/* the host names the site's side */
	CHECK(clean_str("<html><head><title>Dockside Daily - Strike ends</title></head><body>"
	                "<p>The port strike ended on Monday after talks, with a comma.</p></body>"
	                "</html>",
	                "https://www.docksidedaily.example/2024/05/01/strike", &d) == WN_CLEAN_OK);
	CHECK_STR(d.title, "Strike ends");
	wn_clean_doc_free(&d);
	/* French site name in og:site_name, prefix with an em dash */
	CHECK(clean_fixture("dateline_fr.html", NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.title, "Le march\xC3\xA9 couvert rouvre ses portes apr\xC3\xA8s deux ans de "
	                   "travaux");
	wn_clean_doc_free(&d);
}

/* Character references the parser leaves in metadata: JSON-LD's strings
 * (script text) and meta content a CMS escaped twice, tags too. Decoded
 * once; text that only looks like one ("R&D;", "&#0;") stays. */
static void test_char_refs(void)
{
	wn_clean_doc d;
	CHECK(clean_str("<html><head><meta property=\"og:title\" content=\"Salt &amp;amp; "
	                "pepper&amp;nbsp;mills\"><meta name=\"description\" content=\"Which "
	                "grinder lasts &amp;#8211; and which jams &amp;hellip;\"><meta "
	                "name=\"keywords\" content=\"Salt &amp;amp;  Pepper, salt &amp; pepper, "
	                "Mills\"><script "
	                "type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"author\":"
	                "{\"@type\":\"Person\",\"name\":\"Ren&eacute;e O&#x2019;Hara\"},"
	                "\"publisher\":{\"@type\":\"Organization\",\"name\":\"R&D; &#0; "
	                "&bogus; Kitchen\"}}</script></head><body><h1>Salt &amp; pepper "
	                "mills</h1><p>We ground a kilo of pepper in each mill, with a comma.</p>"
	                "</body></html>",
	                NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.title, "Salt & pepper mills");
	CHECK_STR(d.description, "Which grinder lasts \xE2\x80\x93 and which jams \xE2\x80\xA6");
	CHECK_STR(d.author, "Ren\xC3\xA9"
	                    "e O\xE2\x80\x99"
	                    "Hara");
	CHECK_STR(d.site_name, "R&D; &#0; &bogus; Kitchen");
	CHECK_STR(d.tags, "Salt & Pepper; Mills"); /* one tag once decoded */
	wn_clean_doc_free(&d);
}

static void test_dateline_pages(void)
{
	wn_clean_doc d;
	/* a blog byline; not the header's date bar, the related list, the
	 * comments or the footer */
	CHECK(clean_fixture("dateline_blog.html", NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.published, "2024-06-01T15:05:00");
	CHECK(d.modified == NULL);
	CHECK_STR(d.author, "Rosa Delgado-Whitt");
	CHECK_STR(d.title, "Lakeshore library extends weekend hours");
	CHECK(CONTAINS(d.text, "open on Sundays from July"));
	wn_clean_doc_free(&d);
	/* French: published and updated in one line, the byline out of the text */
	CHECK(clean_fixture("dateline_fr.html", NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.published, "2024-02-02T07:30:00");
	CHECK_STR(d.modified, "2024-02-03T11:05:00");
	CHECK_STR(d.author, "L\xC3\xA9"
	                    "a Fontanel");
	CHECK(!CONTAINS(d.text, "Par L\xC3\xA9"
	                        "a"));
	wn_clean_doc_free(&d);
	/* German, "Von" byline in its own element; not the comment's date */
	CHECK(clean_fixture("dateline_de.html", NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.published, "2024-03-04T10:15:00");
	CHECK_STR(d.author, "Mareike Sonntag");
	wn_clean_doc_free(&d);
	/* a cue-less date line right under a table-layout headline; not the
	 * footer's "Updated" */
	CHECK(clean_fixture("dateline_oldschool.html", NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.published, "2024-09-12");
	CHECK(d.modified == NULL);
	wn_clean_doc_free(&d);
	/* dates only in the today bar, a "latest" list, comments and the
	 * footer: none is the article's */
	CHECK(clean_fixture("dateline_none.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(d.published == NULL && d.modified == NULL);
	CHECK_STR(d.author, "Tom Askew");
	wn_clean_doc_free(&d);

	/* numeric dates follow the page's locale */
	const char *fmt = "<html lang=\"%s\"><body><h1>Bins to be collected fortnightly</h1>"
	                  "<div class=\"article-date\">05/04/2024</div><p>Bins will be collected "
	                  "every two weeks from the summer, the council said, with a comma.</p>"
	                  "</body></html>";
	static const struct {
		const char *lang, *want;
	} loc[] = {{"en-GB", "2024-04-05"}, {"en-AU", "2024-04-05"}, {"de", "2024-04-05"},
	           {"en-US", "2024-05-04"}, {"en", "2024-05-04"},    {"", "2024-05-04"}};
	for (size_t i = 0; i < sizeof loc / sizeof loc[0]; i++) {
		char page[1024];
		snprintf(page, sizeof page, fmt, loc[i].lang);
		CHECK(clean_str(page, NULL, &d) == WN_CLEAN_OK);
		CHECK_STR(d.published, loc[i].want);
		wn_clean_doc_free(&d);
	}
	/* og:locale gives the region when <html lang> has none */
	CHECK(clean_str("<html lang=\"en\"><head><meta property=\"og:locale\" content=\"en_NZ\">"
	                "</head><body><h1>Ferry timetable changes</h1><p class=\"meta\">Story: "
	                "Aroha Ngata | 07/08/2024 09:00</p><p>The ferry timetable changes next "
	                "month, the operator said, with a comma.</p></body></html>",
	                NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.published, "2024-08-07T09:00:00");
	CHECK_STR(d.author, "Aroha Ngata");
	wn_clean_doc_free(&d);
	/* Spanish, in a <time> without datetime, above the headline */
	CHECK(
	    clean_str("<html lang=\"es\"><body><main><time>12 de enero de 2024</time><h1>El "
	              "puerto ampl\xC3\xAD"
	              "a su muelle</h1><p class=\"autor\">Por Luc\xC3\xAD"
	              "a Ferrer</p><p>El puerto ampliar\xC3\xA1 su muelle principal este a\xC3"
	              "\xB1o, seg\xC3\xBAn la autoridad portuaria, con una coma.</p></main></body>"
	              "</html>",
	              NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.published, "2024-01-12");
	CHECK_STR(d.author, "Luc\xC3\xAD"
	                    "a Ferrer");
	wn_clean_doc_free(&d);
	/* metadata beats the visible date; the visible date beats the URL's */
	CHECK(clean_str("<html><head><meta property=\"article:published_time\" content=\"2024-"
	                "01-05T08:00:00Z\"></head><body><h1>Snow closes schools</h1><span "
	                "class=\"date\">January 6, 2024</span><p>Schools closed on Friday after "
	                "heavy snow, the district said, with a comma.</p></body></html>",
	                "https://a.example/2024/01/04/snow", &d) == WN_CLEAN_OK);
	CHECK_STR(d.published, "2024-01-05T08:00:00Z");
	wn_clean_doc_free(&d);
	CHECK(clean_str("<html><body><h1>Snow closes schools</h1><span class=\"date\">January 6, "
	                "2024 10:00</span><p>Schools closed on Friday after heavy snow, the "
	                "district said, with a comma.</p></body></html>",
	                "https://a.example/2024/01/04/snow", &d) == WN_CLEAN_OK);
	CHECK_STR(d.published, "2024-01-06T10:00:00");
	wn_clean_doc_free(&d);
	/* a byline block far below the headline (an author box) is too far */
	wn_clean_doc far;
	char big[8192];
	size_t k = (size_t)snprintf(big, sizeof big, "<html><body><h1>Long read</h1>");
	for (int i = 0; i < 60; i++)
		k += (size_t)snprintf(big + k, sizeof big - k,
		                      "<p>Paragraph %d of the long read, with a comma.</p>", i);
	snprintf(big + k, sizeof big - k,
	         "<div class=\"author-meta\">Joined March 3, 2015</div></body></html>");
	CHECK(clean_str(big, NULL, &far) == WN_CLEAN_OK);
	CHECK(far.published == NULL);
	wn_clean_doc_free(&far);
}

int main(void)
{
	test_date_find();
	test_author();
	test_title_pick();
	test_title_pages();
	test_char_refs();
	test_dateline_pages();
	return check_finish();
}
