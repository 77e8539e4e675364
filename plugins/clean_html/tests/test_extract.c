/*
 * clean_html, whole pages: main content, junk removal, metadata sources,
 * malformed, hostile and large input.
 */
#include "check.h"
#include "fixture.h"
#include "wn_clean.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_junk(void)
{
	wn_clean_doc d;
	CHECK(clean_fixture("junk.html", NULL, &d) == WN_CLEAN_OK);
	const char *t = d.text;
	CHECK(CONTAINS(t, "The long-awaited harbour tunnel opened"));
	CHECK(CONTAINS(t, "freeing the old bridge for buses"));
	CHECK(CONTAINS(t, "Delays and overruns")); /* h2 kept */
	CHECK(CONTAINS(t, "a full review of the tunnel's effect"));
	static const char *const junk[] = {
	    "COOKIEJUNK",  "NAVJUNK",       "SHAREJUNK",   "CAPTIONJUNK",
	    "Sam Lens",    "ADJUNK",        "HIDDENJUNK",  "NEWSLETTERJUNK",
	    "COMMENTJUNK", "SIDEBARJUNK",   "RELATEDJUNK", "FOOTERJUNK",
	    "SCRIPTJUNK",  "Jane Reporter", "color:red",   "WPCAPTIONJUNK"};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		if (CONTAINS(t, junk[i]))
			fprintf(stderr, "junk left in text: %s\n", junk[i]);
		CHECK(!CONTAINS(t, junk[i]));
	}
	/* the byline went to metadata; the h1 title is not repeated in text */
	CHECK_STR(d.author, "Jane Reporter");
	CHECK(!CONTAINS(t, "Harbour tunnel opens after six years"));
	/* paragraphs separated by one blank line, no stray whitespace */
	CHECK(CONTAINS(t, "terminal.\n\nCity officials"));
	CHECK(!CONTAINS(t, "\n\n\n"));
	CHECK(t && t[0] != '\n' && t[strlen(t) - 1] != '\n');
	CHECK(d.word_count > 100 && d.word_count < 200);
	CHECK_STR(d.title, "Harbour tunnel opens after six years");
	CHECK_STR(d.lang, "en");
	wn_clean_doc_free(&d);
}

/* Wrappers holding embeds keep the article; camelCase cues; a repeated
 * headline and a "By ..." line are not text. */
static void test_junk2(void)
{
	wn_clean_doc d;
	CHECK(clean_fixture("junk2.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "The regional council approved the offshore wind farm"));
	CHECK(CONTAINS(d.text, "forty turbines"));
	CHECK(CONTAINS(d.text, "Fishing groups"));
	CHECK(!CONTAINS(d.text, "CREDITJUNK"));
	CHECK(!CONTAINS(d.text, "COPYRIGHTJUNK"));
	CHECK(!CONTAINS(d.text, "Wind farm approved by the council"));
	CHECK(!CONTAINS(d.text, "Alex Writer"));
	CHECK_STR(d.author, "Alex Writer");
	CHECK(d.text && strncmp(d.text, "The regional council", 20) == 0);
	wn_clean_doc_free(&d);
}

/* Structures the scorer must get right on any site. */
static void test_structures(void)
{
	wn_clean_doc d;
	/* paragraphs made with <br><br> inside one div */
	CHECK(clean_fixture("br_paragraphs.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "more words here.\n\nSecond chunk"));
	CHECK(!CONTAINS(d.text, "Copyright footer"));
	CHECK(!CONTAINS(d.text, "Home"));
	wn_clean_doc_free(&d);
	/* an article in three sibling sections: all of them, headings kept */
	CHECK(clean_fixture("sections.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "Part one paragraph one"));
	CHECK(CONTAINS(d.text, "Part two\n\nPart two paragraph one"));
	CHECK(CONTAINS(d.text, "Part three paragraph two"));
	CHECK(!CONTAINS(d.text, "One"));
	wn_clean_doc_free(&d);
	/* one short paragraph beside a bigger comment section and teasers, on
	 * a page that says it is an article (og:type): the comments and the
	 * teasers go. (Without any metadata the page type of so small a page
	 * is a guess, and on pages not typed article the model judges
	 * comment-cued blocks itself: there they are often the content.) */
	CHECK(clean_fixture("short_with_comments.html", NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.page_type, "article");
	CHECK(CONTAINS(d.text, "the bridge will close for repairs"));
	CHECK(!CONTAINS(d.text, "Comment one"));
	CHECK(!CONTAINS(d.text, "Teaser"));
	wn_clean_doc_free(&d);
	/* a dateline block is not text; a sentence with a date is */
	const char dl[] = "<html><body><article><div>Updated 5:27 am EST, Wednesday, November 20, "
	                  "2019</div><p>The meeting on November 20, 2019 approved the plan, with a "
	                  "comma, and more words.</p><p>Nov. 21, 2019</p><p>Another paragraph that "
	                  "is long enough to be scored, with a comma.</p></article></body></html>";
	CHECK(wn_clean_page(dl, sizeof dl - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(!CONTAINS(d.text, "Updated"));
	CHECK(!CONTAINS(d.text, "Nov. 21"));
	CHECK(CONTAINS(d.text, "The meeting on November 20, 2019 approved"));
	wn_clean_doc_free(&d);
	/* headings, lists and quotes of a listicle; the related list dropped */
	CHECK(clean_fixture("listicle.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "1. The first thing\n\nExplanation of the first thing"));
	CHECK(CONTAINS(d.text, "Bullet one of the first thing\n\nBullet two"));
	CHECK(CONTAINS(d.text, "A quoted sentence from someone important"));
	CHECK(CONTAINS(d.text, "Step two"));
	CHECK(!CONTAINS(d.text, "Related post"));
	wn_clean_doc_free(&d);
}

static void test_meta_og(void)
{
	wn_clean_doc d;
	CHECK(clean_fixture("meta_og.html", "https://valley.example/2020/02/02/x", &d) ==
	      WN_CLEAN_OK);
	CHECK_STR(d.title, "Rivers rise across the valley");
	CHECK_STR(d.site_name, "Valley Times");
	CHECK_STR(d.author, "Maria Flood");
	CHECK_STR(d.published, "2024-01-30T08:15:00+01:00"); /* meta beats the URL date */
	CHECK_STR(d.modified, "2024-01-31T10:00:00Z");
	CHECK_STR(d.lang, "en");
	CHECK_STR(d.canonical_url, "https://valley.example/news/rivers-rise?ref=canon");
	CHECK_STR(d.image, "https://valley.example/img/river.jpg");
	CHECK_STR(d.description, "Heavy rain pushed three rivers over their banks.");
	CHECK_STR(d.tags, "Weather; Floods; rivers");
	CHECK(CONTAINS(d.text, "Emergency crews placed sandbags"));
	wn_clean_doc_free(&d);
}

static void test_jsonld(void)
{
	wn_clean_doc d;
	CHECK(clean_fixture("jsonld.html", NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.title, "Neue Br\xC3\xBC"
	                   "cke \xC3\xBC"
	                   "ber den Fluss er\xC3\xB6"
	                   "ffnet");
	CHECK_STR(d.author, "Karl Bauer, Eva Stein");
	CHECK_STR(d.published, "2023-05-04T09:30:00+02:00");
	CHECK_STR(d.modified, "2023-05-05");
	CHECK_STR(d.site_name, "Stadtanzeiger");
	CHECK_STR(d.image, "https://stadt.example/bruecke.jpg");
	CHECK_STR(d.tags, "Verkehr; Br\xC3\xBC"
	                  "cke");
	CHECK_STR(d.description, "Die neue Br\xC3\xBC"
	                         "cke ist offen.");
	CHECK_STR(d.lang, "de"); /* content-language meta */
	CHECK(CONTAINS(d.text, "Nach drei Jahren Bauzeit"));
	wn_clean_doc_free(&d);
}

static void test_fallbacks(void)
{
	wn_clean_doc d;
	CHECK(clean_fixture("fallbacks.html", "https://north.example/2022/11/04/budget", &d) ==
	      WN_CLEAN_OK);
	CHECK_STR(d.title, "Council approves the new library budget"); /* suffix cut */
	CHECK_STR(d.author, "Pat Writer");                             /* rel=author */
	CHECK_STR(d.published, "2022-11-03"); /* <time> beats the URL date */
	CHECK(CONTAINS(d.text, "children's reading room"));
	CHECK(!CONTAINS(d.text, "Pat Writer"));
	CHECK(d.lang == NULL && d.site_name == NULL && d.tags == NULL);
	wn_clean_doc_free(&d);

	/* URL date when the page has none; h1 beats <title> */
	const char page[] = "<html><head><title>Short | Site</title></head><body><h1>The real "
	                    "headline</h1><p>Some article text that is long enough to be a "
	                    "paragraph, with a comma.</p></body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, "https://a.example/2021/07/09/x", NULL,
	                    &d) == WN_CLEAN_OK);
	CHECK_STR(d.published, "2021-07-09");
	CHECK_STR(d.title, "The real headline");
	wn_clean_doc_free(&d);

	/* og:title carrying the site name; "By" stripped from the author */
	const char og[] =
	    "<html><head><meta property=\"og:title\" content=\"Storm hits coast - "
	    "Coast News\"><meta property=\"og:site_name\" content=\"Coast "
	    "News\"><meta name=\"author\" content=\"By Kim Lee\"></head><body><p>Some "
	    "article text that is long enough to be a paragraph, with a comma.</p>"
	    "</body></html>";
	CHECK(wn_clean_page(og, sizeof og - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.title, "Storm hits coast");
	CHECK_STR(d.author, "Kim Lee");
	CHECK(CONTAINS(d.text, "Some article text"));
	wn_clean_doc_free(&d);
}

static void test_malformed(void)
{
	wn_clean_doc d;
	CHECK(clean_fixture("malformed.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "First paragraph of a broken page"));
	CHECK(CONTAINS(d.text, "entities & \xC3\xA9t\xC3\xA9 \xE2\x80\x94 and &bogus;"));
	CHECK(CONTAINS(d.text, "<script> is text here"));
	CHECK(CONTAINS(d.text, "Deeply nested fourth paragraph"));
	CHECK(CONTAINS(d.text, "cell without closing tags\tanother cell"));
	CHECK_STR(d.title, "Broken page");
	wn_clean_doc_free(&d);

	/* a stray </div> ends the article container early: the loose text
	 * that follows, outside any block, still belongs to the article */
	const char split[] =
	    "<html><body><div class=\"story\"><p>The first paragraph of the story, long enough "
	    "to be scored, with a comma or two, and more words.</p><p>The second paragraph of the "
	    "story, also long enough, with a comma.</p></div></div> Loose text after a stray "
	    "close tag that continues the story with <i>emphasis</i> and many more words to "
	    "read.<div class=\"nav-links\"><a href=\"/\">Home</a></div></body></html>";
	CHECK(wn_clean_page(split, sizeof split - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "Loose text after a stray close tag that continues the story with "
	                       "emphasis and many"));
	CHECK(!CONTAINS(d.text, "Home"));
	wn_clean_doc_free(&d);
}

static void test_not_html_and_errors(void)
{
	wn_clean_doc d;
	const char txt[] = "Plain text article.\n\nSecond paragraph.";
	CHECK(wn_clean_page(txt, sizeof txt - 1, "text/plain", NULL, NULL, &d) ==
	      WN_CLEAN_NOT_HTML);
	CHECK(wn_clean_page(txt, sizeof txt - 1, NULL, NULL, NULL, &d) == WN_CLEAN_NOT_HTML);
	CHECK(d.text == NULL);

	const char bin[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	CHECK(wn_clean_page(bin, sizeof bin - 1, "text/html", NULL, NULL, &d) == WN_CLEAN_ERROR);
	CHECK_STR(d.err_code, "binary");
	unsigned char noise[2048];
	for (size_t i = 0; i < sizeof noise; i++)
		noise[i] = (unsigned char)(i * 131 + 7);
	CHECK(wn_clean_page((const char *)noise, sizeof noise, NULL, NULL, NULL, &d) ==
	      WN_CLEAN_ERROR);
	CHECK_STR(d.err_code, "binary");
	CHECK(wn_clean_page("", 0, NULL, NULL, NULL, &d) == WN_CLEAN_ERROR);
	CHECK_STR(d.err_code, "empty");

	wn_clean_opts o;
	wn_clean_opts_init(&o);
	o.max_size = 100;
	char big[200];
	memset(big, 'a', sizeof big);
	memcpy(big, "<html><p>", 9);
	CHECK(wn_clean_page(big, sizeof big, NULL, NULL, &o, &d) == WN_CLEAN_ERROR);
	CHECK_STR(d.err_code, "too_large");

	/* truncated in the middle of a tag: still a result, no crash */
	const char cut[] = "<html><body><p>Text that is cut off right in the middle of a <a hr";
	CHECK(wn_clean_page(cut, sizeof cut - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "Text that is cut off"));
	wn_clean_doc_free(&d);
}

static void test_invalid_utf8(void)
{
	wn_clean_doc d;
	const char page[] = "<html><head><meta charset=\"utf-8\"><title>T\xFF</title></head><body>"
	                    "<p>Caf\xC3\xA9 and broken \xE2\x82 bytes \xC0\xAF here in a paragraph "
	                    "long enough.</p></body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "Caf\xC3\xA9 and broken \xEF\xBF\xBD"));
	CHECK_STR(d.title, "T\xEF\xBF\xBD");
	/* every output byte sequence is valid UTF-8 */
	int valid = 1;
	for (const unsigned char *p = (const unsigned char *)d.text; p && *p; p++)
		if (*p == 0xFF || *p == 0xC0)
			valid = 0;
	CHECK(valid);
	wn_clean_doc_free(&d);
}

/* word_count counts words as clean_text and the rest of the project do
 * (wn_text_word_count): an apostrophe or hyphen inside a word does not
 * split it, and each Han character is a word (a Chinese sentence has no
 * spaces to split at). */
static void test_word_count(void)
{
	wn_clean_doc d;
	const char page[] =
	    "<html><head><meta charset=\"utf-8\"><title>Tunnel</title></head><body><article>"
	    "<p>The mayor's well-known plan for the harbour tunnel was approved on Monday by the "
	    "council after a long debate.</p>"
	    "<p>\xE5\xB8\x82\xE6\x94\xBF\xE5\xBA\x9C\xE6\x89\xB9\xE5\x87\x86\xE4\xBA\x86"
	    "\xE9\x9A\xA7\xE9\x81\x93\xE8\xAE\xA1\xE5\x88\x92\xE3\x80\x82</p>"
	    "</article></body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "The mayor's well-known plan"));
	CHECK(CONTAINS(d.text, "\xE9\x9A\xA7\xE9\x81\x93"));
	/* 19 English words and 10 Han characters */
	CHECK(d.word_count == 29);
	wn_clean_doc_free(&d);
}

/* Text for screen readers only (the frameworks' "visually hidden"
 * classes) is never on screen, so never main text: a skip link, a link's
 * spoken suffix, a heading the design leaves out. The visible words
 * around it stay. */
static void test_screen_reader_text(void)
{
	wn_clean_doc d;
	const char page[] =
	    "<html><head><title>Ferry</title></head><body>"
	    "<a class=\"skip-link screen-reader-text\" href=\"#main\">Skip to content</a>"
	    "<main id=\"main\"><article><h2 class=\"Visually-Hidden\">Article body</h2>"
	    "<p>The night ferry to the islands will run twice a week from June, the operator said "
	    "on Tuesday, after a winter of repairs to its only ship.</p>"
	    "<p>Tickets go on sale next month <a href=\"/t\">on the website<span "
	    "class=\"sr-only\"> (opens in a new tab)</span></a> and at the harbour office, where "
	    "queues formed before dawn last year.</p>"
	    "<p>The crossing takes nine hours and cabins sleep four, with a cafe on the upper deck "
	    "and room for forty cars below.</p>"
	    "</article></main></body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "The night ferry to the islands"));
	CHECK(CONTAINS(d.text, "on the website and at the harbour office"));
	CHECK(CONTAINS(d.text, "room for forty cars below."));
	CHECK(!CONTAINS(d.text, "opens in a new tab"));
	CHECK(!CONTAINS(d.text, "Skip to content"));
	CHECK(!CONTAINS(d.text, "Article body"));
	wn_clean_doc_free(&d);
}

/* Words that touch across a tag are two words when a capital starts the
 * second (a card's brand and name, a label and its link, set apart by CSS
 * the markup does not carry); within one text node, across a comment and
 * where lower case goes on (a drop cap, an emphasised syllable) the text
 * stays as written. */
static void test_words_across_tags(void)
{
	wn_clean_doc d;
	const char page[] =
	    "<html><head><title>Ferry</title></head><body><article>"
	    "<p>The night ferry to the islands will run twice a week from June, the operator "
	    "said on Tuesday, after a winter of repairs to its only ship, the "
	    "<span class=\"brand\">Nordic Line</span><span class=\"name\">Aurora</span>.</p>"
	    "<p>Tickets are sold by<a href=\"/b\">Harbour Board</a> staff, and the timetable "
	    "went up on the iPhone app and at the McDonald pier office.</p>"
	    "<p><span class=\"dropcap\">T</span>he crossing takes nine hours, and un<em>likely"
	    "</em> as it sounds, the FerryWorks<!-- -->Guild cafe stays open all night.</p>"
	    "<p>The <span class=\"brand\">NORDIC</span><span>Ferries</span> board and <span "
	    "class=\"dropcap\">T</span><span class=\"caps\">HE</span> harbour office agreed the "
	    "timetable, the operator said on Tuesday.</p>"
	    "</article></body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "the Nordic Line Aurora."));
	CHECK(CONTAINS(d.text, "sold by Harbour Board staff"));
	CHECK(CONTAINS(d.text, "the iPhone app and at the McDonald pier"));
	CHECK(CONTAINS(d.text, "The crossing takes nine hours, and unlikely as"));
	CHECK(CONTAINS(d.text, "the FerryWorksGuild cafe"));
	CHECK(CONTAINS(d.text, "The NORDIC Ferries board and THE harbour office"));
	wn_clean_doc_free(&d);
}

/* A dateline loose in the headline's container (no block element of its
 * own, beside the h1 and the byline) goes to metadata like one in an
 * element of its own; a date in a table cell stays. */
static void test_loose_dateline(void)
{
	wn_clean_doc d;
	const char page[] =
	    "<html><head><title>Ferry returns</title></head><body>"
	    "<div class=\"article-title\"><h1>Night ferry returns</h1>"
	    "<p class=\"byline\">By Ana Lima</p><span class=\"timestamp\">Updated "
	    "<time>5:27 am CST, Wednesday, November 20, 2019</time></span></div>"
	    "<div class=\"article-body\">"
	    "<p>The night ferry to the islands will run twice a week from June, the operator said "
	    "on Tuesday, after a winter of repairs to its only ship and a long dispute over fares "
	    "with the regional council.</p>"
	    "<p>The crossing takes nine hours and cabins sleep four, with a cafe on the upper deck "
	    "and room for forty cars below, the operator said, adding that bookings open in "
	    "May.</p>"
	    "<p>Fares for the season, as the operator set them:</p>"
	    "<table><tr><td>1/6/2020</td><td>42 euros</td></tr>"
	    "<tr><td>1/7/2020</td><td>48 euros</td></tr></table>"
	    "<p>Islanders have waited two winters for the service, which the council called a "
	    "lifeline for the schools and the clinic, and the harbour will open at night again.</p>"
	    "</div></body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.page_type, "article");
	CHECK(CONTAINS(d.text, "The night ferry to the islands"));
	CHECK(CONTAINS(d.text, "the harbour will open at night again."));
	CHECK(!CONTAINS(d.text, "November 20, 2019"));
	CHECK(CONTAINS(d.text, "1/6/2020\t42 euros"));
	wn_clean_doc_free(&d);
}

/* Pop-ups are not the page's text: a modal (role dialog, aria-modal), a
 * tooltip, a popover and a status message go from the kept text, even
 * written as prose in the story's container; a page whose text is mostly
 * in a modal keeps it. */
static void test_popups(void)
{
	wn_clean_doc d;
	const char page[] =
	    "<html><head><title>Harbour reopens</title></head><body><main><article>"
	    "<h1>Harbour reopens</h1>"
	    "<p>The old harbour reopened on Monday after two years of work on its walls, and the "
	    "first boats came in at dawn with the tide, the port office said.</p>"
	    "<div role=\"dialog\" aria-modal=\"true\"><p>Before you go on reading, join the "
	    "letter that thousands of readers open every morning to learn what happened.</p></div>"
	    "<p>Fishers had moored at the new pier along the coast since the works began, a long "
	    "way from the market and the ice house on the quay.</p>"
	    "<div popover id=\"share\"><p>Share this story with a friend who would like to "
	    "read about the harbour, by mail or by message.</p></div>"
	    "<p>The council will open the market hall again in the spring, once its roof is "
	    "mended, and the ice house a month later.</p>"
	    "<div role=\"tooltip\"><p>The port office runs the harbour for the council and "
	    "answers questions from the public.</p></div>"
	    "<p role=\"status\">Saved to your reading list, with the other stories about the "
	    "harbour and the coast that you saved this week.</p>"
	    "</article></main></body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "The old harbour reopened on Monday"));
	CHECK(CONTAINS(d.text, "once its roof is mended"));
	CHECK(!CONTAINS(d.text, "join the letter"));
	CHECK(!CONTAINS(d.text, "Share this story"));
	CHECK(!CONTAINS(d.text, "answers questions from the public"));
	CHECK(!CONTAINS(d.text, "Saved to your reading list"));
	wn_clean_doc_free(&d);
	const char modal[] =
	    "<html><head><title>Harbour reopens</title></head><body>"
	    "<div role=\"dialog\" aria-modal=\"true\"><article><h1>Harbour reopens</h1>"
	    "<p>The old harbour reopened on Monday after two years of work on its walls, and the "
	    "first boats came in at dawn with the tide, the port office said.</p>"
	    "<p>Fishers had moored at the new pier along the coast since the works began, a long "
	    "way from the market and the ice house on the quay.</p></article></div>"
	    "</body></html>";
	CHECK(wn_clean_page(modal, sizeof modal - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "The old harbour reopened on Monday"));
	CHECK(CONTAINS(d.text, "a long way from the market"));
	wn_clean_doc_free(&d);
}

/* The white space between two elements of a kept block is written with
 * them: a highlighted code line ("<span>def</span> <span>f</span>") keeps
 * its spaces, newlines and indentation, and two links a space apart stay
 * two words. */
static void test_space_between_elements(void)
{
	wn_clean_doc d;
	const char page[] =
	    "<html><head><title>Counting vowels</title></head><body><main><article>"
	    "<h1>Counting vowels</h1>"
	    "<p>A small function counts the vowels of a sentence; the cache keeps the answers "
	    "for sentences it has seen, so a second call with the same sentence is free.</p>"
	    "<pre><span class=\"nd\">@cache</span>\n<span class=\"k\">def</span><span "
	    "class=\"w\"> </span><span class=\"nf\">count_vowels</span><span "
	    "class=\"p\">(</span><span class=\"n\">sentence</span><span "
	    "class=\"p\">):</span>\n    <span class=\"k\">return</span> <span "
	    "class=\"nb\">sum</span>(<span class=\"n\">sentence</span>.count(v) "
	    "<span class=\"k\">for</span> v <span class=\"ow\">in</span> "
	    "<span class=\"s\">'aeiou'</span>)</pre>"
	    "<p>The cache grows without bound, which suits a function called with few distinct "
	    "sentences; see the <a href=\"/m\">manual</a> <a href=\"/g\">guide</a> for the "
	    "bounded one, and the notes on threads before sharing it between them.</p>"
	    "</article></main></body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text,
	               "@cache\ndef count_vowels(sentence):\n    return sum(sentence.count(v) "
	               "for v in 'aeiou')"));
	CHECK(CONTAINS(d.text, "see the manual guide for the bounded one"));
	wn_clean_doc_free(&d);
}

/* The author clean_html gives a two-paragraph article whose <h1> is
 * followed by byline_html, with head in its <head>. */
static const char *author_of(const char *byline_html, const char *head)
{
	static char out[128];
	char page[2048];
	snprintf(page, sizeof page,
	         "<html><head><title>Ferry</title>%s</head><body><article><h1>Night ferry "
	         "returns</h1>%s<p>The night ferry to the islands will run twice a week from June, "
	         "the operator said on Tuesday, after a winter of repairs to its only ship.</p>"
	         "<p>The crossing takes nine hours and cabins sleep four, with a cafe on the upper "
	         "deck and room for forty cars below.</p></article></body></html>",
	         head, byline_html);
	wn_clean_doc d;
	out[0] = 0;
	if (wn_clean_page(page, strlen(page), NULL, NULL, NULL, &d) == WN_CLEAN_OK) {
		snprintf(out, sizeof out, "%s", d.author ? d.author : "");
		wn_clean_doc_free(&d);
	}
	return out;
}

/* A byline whose name and role sit in blocks of their own: the name, not
 * "Ana LimaTransport Reporter". */
static void test_byline_blocks(void)
{
	CHECK_STR(author_of("<div class=\"byline\"><div class=\"author-name\">By <a "
	                    "href=\"/a\">Ana Lima</a></div><div class=\"author-role\">Transport "
	                    "Reporter</div></div>",
	                    ""),
	          "Ana Lima");
	/* the label and the name in elements of their own, no space between */
	CHECK_STR(author_of("<div class=\"byline\"><span>By</span><a href=\"/a\">Ana "
	                    "Lima</a></div>",
	                    ""),
	          "Ana Lima");
}

/* Bylines no cue marks: a link to the author's page that spells the name,
 * a "Written by" label before the name, the twitter:label/data pair; and
 * what is not one ("Sort by" / "Most Recent", a link to all authors). */
static void test_unmarked_bylines(void)
{
	CHECK_STR(author_of("<div class=\"x\"><span><a href=\"/authors/ana-lima-2\">Ana "
	                    "Lima</a></span></div>",
	                    ""),
	          "Ana Lima");
	CHECK_STR(
	    author_of("<div><p class=\"s\">Written by</p><p class=\"t\">Ana Lima</p></div>", ""),
	    "Ana Lima");
	CHECK_STR(author_of("", "<meta name=\"twitter:label1\" content=\"Written by\">"
	                        "<meta name=\"twitter:data1\" content=\"Ana Lima\">"),
	          "Ana Lima");
	/* not bylines */
	CHECK_STR(author_of("<div><span>Sort by</span><span>Most Recent</span></div>", ""), "");
	CHECK_STR(author_of("<a href=\"/authors/\">Our Authors</a>", ""), "");
	CHECK_STR(author_of("<a href=\"/author/jl\">Jane Lee</a>", ""), "");
	CHECK_STR(author_of("", "<meta name=\"twitter:label1\" content=\"Written by\">"
	                        "<meta name=\"twitter:data1\" content=\"admin\">"),
	          "");
}

/* A template that closes the page ("</body></html>") and then prints the
 * article: browsers put what follows into the body, and so do we (libxml2
 * 2.9 starts a second <html> for it, outside the body). */
static void test_text_after_body_end(void)
{
	wn_clean_doc d;
	const char page[] =
	    "<html><head><title>Tide tables</title></head><body><nav><a href=\"/\">Home</a> "
	    "<a href=\"/news\">News</a></nav></body></html>\n"
	    "<div class=\"post\"><h1>Tide tables for the winter</h1>"
	    "<p>The harbour office has published the tide tables for the winter, with the "
	    "highest tides expected in the second week of January.</p>"
	    "<p>Boat owners are asked to check their moorings before the storms that usually "
	    "come with the spring tides, the office said.</p></div>\n"
	    "</body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "published the tide tables for the winter"));
	CHECK(CONTAINS(d.text, "come with the spring tides, the office said."));
	wn_clean_doc_free(&d);
}

/* The byline in an article's own <header> (WordPress's markup: headline,
 * date and "Author" for screen readers before the name) gives the
 * author, without the screen-reader words; the header itself stays out
 * of the text. */
static void test_byline_in_article_header(void)
{
	wn_clean_doc d;
	const char page[] =
	    "<html><head><title>Ferry</title></head><body><header class=\"site-header\">"
	    "<a href=\"/\">Harbour Times</a></header><main><article><header class=\"entry-header\">"
	    "<h1 class=\"entry-title\">Night ferry returns</h1><div class=\"entry-meta\">"
	    "<span class=\"byline\"><span class=\"screen-reader-text\">Author</span> "
	    "<span class=\"author vcard\"><a class=\"url fn n\" href=\"/author/ana\">Ana Lima</a>"
	    "</span></span></div></header><div class=\"entry-content\">"
	    "<p>The night ferry to the islands will run twice a week from June, the operator said "
	    "on Tuesday, after a winter of repairs to its only ship.</p>"
	    "<p>The crossing takes nine hours and cabins sleep four, with a cafe on the upper deck "
	    "and room for forty cars below.</p></div></article></main></body></html>";
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.author, "Ana Lima");
	CHECK(CONTAINS(d.text, "The night ferry to the islands"));
	CHECK(!CONTAINS(d.text, "Ana Lima"));
	wn_clean_doc_free(&d);
}

/* Text below libxml2's default depth limit (256) is kept, not cut off in
 * silence (the parser runs with XML_PARSE_HUGE). */
static void test_text_below_depth_256(void)
{
	enum { DEPTH = 400 };
	char *b = malloc(DEPTH * 12 + 512);
	size_t k = (size_t)sprintf(b, "<html><head><title>Deep</title></head><body>");
	for (int i = 0; i < DEPTH; i++)
		k += (size_t)sprintf(b + k, "<div>");
	k += (size_t)sprintf(b + k, "<p>Deep text at the bottom of a tree four hundred levels "
	                            "deep, long enough to be the story.</p>");
	for (int i = 0; i < DEPTH; i++)
		k += (size_t)sprintf(b + k, "</div>");
	wn_clean_doc d;
	CHECK(wn_clean_page(b, k, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(d.text && CONTAINS(d.text, "four hundred levels deep"));
	wn_clean_doc_free(&d);
	free(b);
}

static void test_deep_nesting(void)
{
	enum { DEPTH = 100000 };
	size_t cap = DEPTH * 20 + 512;
	char *b = malloc(cap);
	size_t k = (size_t)sprintf(b, "<html><body>");
	for (int i = 0; i < DEPTH; i++)
		k += (size_t)sprintf(b + k, "%s", i % 2 ? "<span>" : "<div>");
	k += (size_t)sprintf(b + k,
	                     "<p>Deep text at the bottom of a very deep tree, long enough.</p>");
	wn_clean_doc d;
	CHECK(wn_clean_page(b, k, NULL, NULL, NULL, &d) == WN_CLEAN_OK); /* no crash */
	wn_clean_doc_free(&d);
	/* and closed again */
	for (int i = DEPTH - 1; i >= 0; i--)
		k += (size_t)snprintf(b + k, cap - k, "%s", i % 2 ? "</span>" : "</div>");
	CHECK(wn_clean_page(b, k, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	wn_clean_doc_free(&d);
	free(b);
}

static void test_large_page(void)
{
	/* ~8 MB: 40,000 paragraphs inside an article, plus a nav */
	size_t cap = 9u << 20;
	char *b = malloc(cap);
	size_t k = (size_t)sprintf(b, "<html><body><nav><a href=/>Home</a></nav><article>");
	int paras = 0;
	while (k + 400 < cap - 64) {
		k += (size_t)sprintf(
		    b + k,
		    "<p>Paragraph %d of a very long article, with commas, words and "
		    "more words so that every paragraph is a real candidate for the "
		    "scorer, which must stay linear in the size of the page.</p>\n",
		    paras++);
		if (k > (8u << 20))
			break;
	}
	k += (size_t)sprintf(b + k, "</article></body></html>");
	wn_clean_doc d;
	CHECK(wn_clean_page(b, k, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "Paragraph 0 of a very long article"));
	char last[64];
	snprintf(last, sizeof last, "Paragraph %d of", paras - 1);
	CHECK(CONTAINS(d.text, last));
	CHECK(d.word_count > paras * 30);
	wn_clean_doc_free(&d);
	free(b);
}

static void test_options(void)
{
	const char page[] = "<html><body><article><p>An article paragraph that is long enough "
	                    "to count, with a comma.</p><h2>Sub heading</h2><table><tr><td>A1</td>"
	                    "<td>B1</td></tr><tr><td>A2</td><td>B2</td></tr></table><p>Another "
	                    "paragraph that is long enough to count, with a comma.</p></article>"
	                    "</body></html>";
	wn_clean_opts o;
	wn_clean_opts_init(&o);
	wn_clean_doc d;
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, &o, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "Sub heading"));
	CHECK(CONTAINS(d.text, "A1\tB1\nA2\tB2"));
	wn_clean_doc_free(&d);
	o.keep_tables = 0;
	o.keep_headings = 0;
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, &o, &d) == WN_CLEAN_OK);
	CHECK(!CONTAINS(d.text, "Sub heading"));
	CHECK(!CONTAINS(d.text, "A1"));
	CHECK(CONTAINS(d.text, "Another paragraph"));
	wn_clean_doc_free(&d);
}

int main(void)
{
	test_junk();
	test_junk2();
	test_structures();
	test_meta_og();
	test_jsonld();
	test_fallbacks();
	test_malformed();
	test_not_html_and_errors();
	test_invalid_utf8();
	test_word_count();
	test_screen_reader_text();
	test_words_across_tags();
	test_loose_dateline();
	test_popups();
	test_space_between_elements();
	test_text_after_body_end();
	test_byline_blocks();
	test_unmarked_bylines();
	test_byline_in_article_header();
	test_deep_nesting();
	test_text_below_depth_256();
	test_large_page();
	test_options();
	return check_finish();
}
