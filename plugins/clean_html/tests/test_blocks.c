/*
 * The learned block decisions and the page type (blocks.c, block_model.h)
 * on synthetic pages written for these tests: several content blocks kept
 * (a forum thread's posts, a listing's cards), an article whose wrappers
 * carry cue words or utility classes, an article after an unclosed <div>
 * inside a <nav>, never an empty output when the page has text, the
 * same output on every run, a product page typed product, odd page-type
 * declarations, which learned threshold a block needs, and the repeats,
 * structures voted on, and the page furniture and the blocks beside the
 * heading's column dropped, after the decision; menu items read as a
 * menu outside one.
 */
#include "check.h"
#include "fixture.h"

#include <math.h>

static int has(const char *t, const char *s)
{
	return t && strstr(t, s) != NULL;
}

static void test_forum_posts(void)
{
	wn_clean_doc d;
	CHECK(clean_fixture("forum_thread.html", NULL, &d) == WN_CLEAN_OK);
	/* every post of the thread, not just the best one */
	CHECK(has(d.text, "FIRSTPOST"));
	CHECK(has(d.text, "SECONDPOST"));
	CHECK(has(d.text, "THIRDPOST"));
	CHECK(has(d.text, "FOURTHPOST"));
	CHECK(!has(d.text, "SIMILARJUNK"));
	CHECK(!has(d.text, "FOOTERJUNK"));
	CHECK(d.page_type != NULL);
	CHECK_STR(d.page_type, "forum");
	CHECK(d.page_type_confidence > 0 && d.page_type_confidence <= 1);
	wn_clean_doc_free(&d);
}

static void test_noscript_thread(void)
{
	/* a script-built forum page serves the thread inside <noscript>: the
	 * posts are the page, the app shell's header and footer are not */
	wn_clean_doc d;
	CHECK(clean_fixture("noscript_thread.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(has(d.text, "NOSCRIPTONE"));
	CHECK(has(d.text, "NOSCRIPTTWO"));
	CHECK(has(d.text, "NOSCRIPTTHREE"));
	CHECK(!has(d.text, "FOOTERJUNK"));
	CHECK(!has(d.text, "Sign up"));
	wn_clean_doc_free(&d);
}

static void test_listing_cards(void)
{
	wn_clean_doc d;
	CHECK(clean_fixture("listing.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(has(d.text, "CARDONE"));
	CHECK(has(d.text, "CARDTWO"));
	CHECK(has(d.text, "CARDTHREE"));
	CHECK(has(d.text, "CARDFOUR"));
	CHECK(has(d.text, "Pea and mint soup")); /* the card titles too */
	CHECK(!has(d.text, "FOOTERJUNK"));
	CHECK(!has(d.text, "Next page"));
	wn_clean_doc_free(&d);
}

static void test_cue_wrapped_article(void)
{
	/* "widget-area", "sidebar-layout", "overflow-hidden", "hidden-xs-down"
	 * on the article's wrappers: cue words, but the article is still there */
	wn_clean_doc d;
	CHECK(clean_fixture("wrapped.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(has(d.text, "WRAPPEDONE"));
	CHECK(has(d.text, "WRAPPEDTWO"));
	CHECK(has(d.text, "WRAPPEDTHREE"));
	CHECK(has(d.text, "WRAPPEDFOUR"));
	CHECK(!has(d.text, "RELATEDJUNK"));
	CHECK(!has(d.text, "Why the river flooded")); /* the headline is metadata */
	wn_clean_doc_free(&d);
}

static void test_unclosed_div_in_nav(void)
{
	/* libxml2 may keep the <nav> open across the article after the
	 * unclosed <div>; the article must not go with the nav */
	wn_clean_doc d;
	CHECK(clean_fixture("unclosed_nav.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(has(d.text, "NAVCASEONE"));
	CHECK(has(d.text, "NAVCASETWO"));
	CHECK(has(d.text, "NAVCASETHREE"));
	CHECK(!has(d.text, "FOOTERJUNK"));
	CHECK(!has(d.text, "A quiet revolution")); /* leading h1: metadata */
	wn_clean_doc_free(&d);
}

/* Pages with few or no words in their markup, and what their text is:
 * `text` exactly, or "" for none. */
static void test_few_words_are_no_text(void)
{
	static const struct {
		const char *why, *html, *text;
	} cases[] = {
	    {"a script shell: a skip link and a notice are all its markup holds",
	     "<html><body><a class=\"skip-link\" href=\"#main\">Skip to content</a>"
	     "<noscript>You need to enable JavaScript to run this app.</noscript>"
	     "<div id=\"root\"></div></body></html>",
	     ""},
	    {"a description cut from the page's text (a script-built forum's first "
	     "post) stands in for the text the scripts would show",
	     "<html><head><meta name=\"description\" content=\"Our pump fails every winter "
	     "when the pipes freeze. Has anyone fitted a heat trace cable on a &hellip;\">"
	     "</head><body><a href=\"#main\">Skip to content</a></body></html>",
	     "Our pump fails every winter when the pipes freeze. Has anyone fitted a heat "
	     "trace cable on a \xE2\x80\xA6"},
	    {"three dots in brackets, as WordPress cuts",
	     "<html><head><meta name=\"description\" content=\"The council met on Monday to "
	     "discuss the new harbour wall and the ferry timetable for [...]\"></head>"
	     "<body><div id=\"root\"></div></body></html>",
	     "The council met on Monday to discuss the new harbour wall and the ferry "
	     "timetable for [...]"},
	    {"a description written whole is the site's pitch, not the page's text",
	     "<html><head><meta name=\"description\" content=\"Handmade wool rugs, washable, "
	     "made to order and shipped within the week.\"></head><body><a "
	     "href=\"#main\">Skip to content</a></body></html>",
	     ""},
	    {"nor is a slogan, cut or not: the same ten-word floor",
	     "<html><head><meta name=\"description\" content=\"Smarter rugs, better "
	     "homes...\"></head><body><div id=\"app\"></div></body></html>",
	     ""},
	    {"ten words are text: a short notice page keeps its notice",
	     "<html><body><p>The office is closed on Friday for the national "
	     "holiday.</p></body></html>",
	     "The office is closed on Friday for the national holiday."},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		wn_clean_doc d;
		CHECK(wn_clean_page(cases[i].html, strlen(cases[i].html), NULL, NULL, NULL, &d) ==
		      WN_CLEAN_OK);
		if (!d.text || strcmp(d.text, cases[i].text) != 0)
			fprintf(stderr, "few words, %s: got \"%s\"\n", cases[i].why,
			        d.text ? d.text : "(null)");
		CHECK(d.text && !strcmp(d.text, cases[i].text));
		CHECK((d.word_count == 0) == !cases[i].text[0]);
		CHECK(!strstr(cases[i].html, "description") || d.description); /* kept as such */
		wn_clean_doc_free(&d);
	}
}

static void test_never_empty(void)
{
	static const char page[] =
	    "<html><body><div class=\"sidebar\">Opening hours: nine to five, Monday to "
	    "Saturday, and ten to four on Sundays</div><div class=\"nav\"><a "
	    "href=\"/\">Home</a></div></body></html>";
	wn_clean_doc d;
	CHECK(wn_clean_page(page, sizeof page - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(has(d.text, "Opening hours"));
	CHECK(d.page_type != NULL);
	wn_clean_doc_free(&d);
	static const char none[] = "<html><body><script>var x = 1;</script></body></html>";
	CHECK(wn_clean_page(none, sizeof none - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(d.text && !d.text[0]);
	CHECK_STR(d.page_type, "other");
	wn_clean_doc_free(&d);
}

static void test_deterministic(void)
{
	/* the model is a compiled-in table: the same page gives the same bytes */
	wn_clean_doc a, b;
	CHECK(clean_fixture("forum_thread.html", NULL, &a) == WN_CLEAN_OK);
	CHECK(clean_fixture("forum_thread.html", NULL, &b) == WN_CLEAN_OK);
	CHECK(a.text && b.text && !strcmp(a.text, b.text));
	CHECK(a.page_type_confidence == b.page_type_confidence);
	wn_clean_doc_free(&a);
	wn_clean_doc_free(&b);
}

static void test_page_types(void)
{
	/* a shop's product page (og:type, microdata offer, price meta, a buy
	 * form with a select box, a quantity input and a button) is typed
	 * product, surely; its description is content, and the shop its
	 * metadata names as author is no author of a product page */
	wn_clean_doc d;
	CHECK(clean_fixture("product_page.html", NULL, &d) == WN_CLEAN_OK);
	CHECK_STR(d.page_type, "product");
	CHECK(d.page_type_confidence > 0.8 && d.page_type_confidence <= 1);
	CHECK(d.author == NULL);
	CHECK(has(d.text, "PRODUCTDESC"));
	CHECK(!has(d.text, "FOOTERJUNK"));
	wn_clean_doc_free(&d);
	/* declarations cut short or empty are read without harm: "@type" at
	 * the end of the JSON-LD, empty itemtype and itemprop values, an
	 * og:type of only a dot, a pager link of digits, a price sign at the
	 * end of the text */
	static const char odd[] =
	    "<html><head><script type=\"application/ld+json\">{\"@type\"</script>"
	    "<meta property=\"og:type\" content=\".\"><meta property=\"product:\">"
	    "<meta name=\"generator\"></head><body><div itemscope itemtype=\" / \">"
	    "<p itemprop=\"  \">A short paragraph of text that costs $</p>"
	    "<div class=\"breadcrumb\"></div><a href=\"?p=2\"> 2 </a><a>1999</a>"
	    "<input><input type=\"number\"><button></button></div></body></html>";
	CHECK(wn_clean_page(odd, sizeof odd - 1, NULL, NULL, NULL, &d) == WN_CLEAN_OK);
	CHECK(d.page_type != NULL);
	CHECK(d.page_type_confidence >= 0 && d.page_type_confidence <= 1);
	wn_clean_doc_free(&d);
}

static int nblocks;
static void count_block(void *ud, const float *dense, int nd, const char *text, size_t len, float p,
                        uint32_t grp)
{
	(void)ud, (void)dense, (void)text, (void)len, (void)grp;
	CHECK(nd > 10 && p >= 0 && p <= 1);
	nblocks++;
}

/* Runs html (n bytes) through the extraction with the trainer's sink:
 * what clean_train sees of a page. */
static void sink_page(const char *html, size_t n, const wn_block_sink *sink)
{
	wn_clean_doc d;
	CHECK(wn_clean_page_sink(html, n, NULL, NULL, NULL, &d, sink) == WN_CLEAN_OK);
	wn_clean_doc_free(&d);
}

/* sink_page() on the fixture NAME. */
static void sink_fixture(const char *name, const wn_block_sink *sink)
{
	size_t n;
	char *html = slurp(name, &n);
	CHECK(html != NULL);
	if (html)
		sink_page(html, n, sink);
	free(html);
}

static void test_sink(void)
{
	/* the trainer's view: every text block with its features */
	wn_block_sink sink = {count_block, NULL, NULL, NULL};
	sink_fixture("listing.html", &sink);
	CHECK(nblocks >= 10); /* nav links, h1, 4 titles, 4 texts, pager, footer */
	float p1[3] = {0.2f, 0.9f, 0.4f}, chars[3] = {10, 100, 1000}, out[WN_BLOCKS_NSTAGE2];
	uint32_t grp[3] = {0, 1, 0}; /* blocks 0 and 2 repeat one structure */
	double gsum[2], gw[2];
	wn_blocks_group_sums(p1, chars, grp, 3, 2, gsum, gw);
	wn_blocks_stage2(p1, chars, grp, gsum, gw, 3, 0, out);
	CHECK(out[0] == 0.2f && out[1] == 0 && out[2] == 0.9f);
	CHECK(out[3] > 0.4f && out[3] < 0.9f);     /* weighted mean of 0.9 and 0.4 */
	CHECK(out[5] > 0.399f && out[5] < 0.401f); /* the rest of its group: block 2 */
	wn_blocks_stage2(p1, chars, grp, gsum, gw, 3, 1, out);
	CHECK(out[5] == 0.9f); /* alone in its group: its own p1 */
}

/* Every block's dense features, in order, for one page at a time. */
#define CLS_ND (WN_BF_PT + WN_PT_CLASSES) /* the dense features: page types last */
static float cls_f[2][8][CLS_ND];
static int cls_n[2], cls_page;
static void class_block(void *ud, const float *dense, int nd, const char *text, size_t len, float p,
                        uint32_t grp)
{
	(void)ud, (void)text, (void)len, (void)p, (void)grp;
	CHECK(nd == CLS_ND);
	if (cls_n[cls_page] < 8 && nd == CLS_ND)
		memcpy(cls_f[cls_page][cls_n[cls_page]++], dense, sizeof cls_f[0][0]);
}

/* The block model reads class and id names only through the cue words
 * (the ancestor bits): a page whose wrappers are renamed to other names
 * that are no cue gives the same block inputs, block for block, but for
 * the page-type probabilities (the page-type model reads the page's class
 * words as one bag). */
static void test_class_names(void)
{
	static const char a[] =
	    "<html><head><title>Harbour news</title></head><body>"
	    "<div class=\"xq7-wrap\"><h1>Harbour news</h1>"
	    "<p>The harbour reopens on Monday after the storm, the port authority said.</p>"
	    "<p>Ferries to the islands will run on the summer timetable from June.</p></div>"
	    "<div class=\"zz-panel\" id=\"k2\"><p>Weather: wind from the west.</p></div>"
	    "</body></html>";
	static const char b[] =
	    "<html><head><title>Harbour news</title></head><body>"
	    "<div class=\"qq9-holder\"><h1>Harbour news</h1>"
	    "<p>The harbour reopens on Monday after the storm, the port authority said.</p>"
	    "<p>Ferries to the islands will run on the summer timetable from June.</p></div>"
	    "<div class=\"yy-slot\" id=\"m4\"><p>Weather: wind from the west.</p></div>"
	    "</body></html>";
	wn_block_sink sink = {class_block, NULL, NULL, NULL};
	cls_page = 0;
	sink_page(a, sizeof a - 1, &sink);
	cls_page = 1;
	sink_page(b, sizeof b - 1, &sink);
	CHECK(cls_n[0] >= 3 && cls_n[0] == cls_n[1]);
	for (int i = 0; i < cls_n[0] && i < cls_n[1]; i++)
		CHECK(!memcmp(cls_f[0][i], cls_f[1][i], WN_BF_PT * sizeof cls_f[0][i][0]));
}

/* Hidden panels by role: a tab list's other panels and an accordion's
 * closed regions are read like <details>; a hidden menu or a hidden
 * element without a panel's role stays hidden. */
static float pan_f[4][2];
static void panel_block(void *ud, const float *dense, int nd, const char *text, size_t len, float p,
                        uint32_t grp)
{
	(void)ud, (void)p, (void)grp;
	CHECK(nd > WN_BF_DETAILS);
	static const char *const mark[] = {"TABONE", "TABTWO", "MENUITEMS", "LOOSEDIV"};
	for (int k = 0; k < 4; k++)
		if (len >= strlen(mark[k]) && !strncmp(text, mark[k], strlen(mark[k]))) {
			pan_f[k][0] = dense[WN_BF_HIDDEN];
			pan_f[k][1] = dense[WN_BF_DETAILS];
		}
}

static void test_collapsed_panels(void)
{
	static const char html[] =
	    "<html><head><title>Sending a message</title></head><body><main>"
	    "<h1>Sending a message</h1><p>Pick the language of your project below.</p>"
	    "<div role=\"tablist\"><button>One</button><button>Two</button></div>"
	    "<div role=\"tabpanel\"><p>TABONE install the client and set the key.</p></div>"
	    "<div role=\"tabpanel\" hidden><p>TABTWO add the package and export the key.</p></div>"
	    "<ul role=\"menu\" style=\"display: none\"><li>MENUITEMS home about</li></ul>"
	    "<div aria-hidden=\"true\"><p>LOOSEDIV a copy of the heading.</p></div>"
	    "</main></body></html>";
	wn_block_sink sink = {panel_block, NULL, NULL, NULL};
	memset(pan_f, 0xff, sizeof pan_f); /* NaN: a block not reported fails below */
	sink_page(html, sizeof html - 1, &sink);
	CHECK(pan_f[0][0] == 0 && pan_f[0][1] == 0); /* the open tab */
	CHECK(pan_f[1][0] == 0 && pan_f[1][1] == 1); /* the closed tab: a disclosure */
	CHECK(pan_f[2][0] == 1 && pan_f[2][1] == 0); /* a hidden menu */
	CHECK(pan_f[3][0] == 1 && pan_f[3][1] == 0); /* hidden, no panel role */
}

/* Menu items are navigation wherever the menu element is: a picker's
 * links with role="menuitemradio" (a menu's item by ARIA) in a plain
 * <div> read as a menu, as in a role="menu" list; a paragraph's link and
 * a link list without roles do not. */
static float menu_f[3] = {-1, -1, -1};
static void menu_block(void *ud, const float *dense, int nd, const char *text, size_t len, float p,
                       uint32_t grp)
{
	(void)ud, (void)p, (void)grp;
	CHECK(nd > WN_BF_MENU);
	static const char *const mark[] = {"Abkhazian", "Read the", "Nordic"};
	for (int k = 0; k < 3; k++)
		if (len >= strlen(mark[k]) && !strncmp(text, mark[k], strlen(mark[k])))
			menu_f[k] = dense[WN_BF_MENU];
}

static void test_menu_items(void)
{
	static const char html[] =
	    "<html><head><title>Trending</title></head><body><main>"
	    "<h1>Trending</h1>"
	    "<div class=\"picker\"><a role=\"menuitemradio\" href=\"?l=ab\">Abkhazian</a> "
	    "<a role=\"menuitemradio\" href=\"?l=aa\">Afar</a> "
	    "<a role=\"menuitemradio\" href=\"?l=af\">Afrikaans</a></div>"
	    "<p>Read the <a href=\"/guide\">guide</a> before you post a project.</p>"
	    "<div><a href=\"/nordic\">Nordic</a> <a href=\"/alpine\">Alpine</a></div>"
	    "</main></body></html>";
	wn_block_sink sink = {menu_block, NULL, NULL, NULL};
	sink_page(html, sizeof html - 1, &sink);
	CHECK(menu_f[0] == 1); /* the picker's items */
	CHECK(menu_f[1] == 0); /* a link in prose */
	CHECK(menu_f[2] == 0); /* links without a role */
}

/* the element tree a page's blocks come with (wn_block_tree) */
static size_t tree_blocks, tree_nodes, tree_bad, tree_p_of_c;
static void check_tree(void *ud, const wn_block_tree *t, size_t n)
{
	(void)ud;
	tree_blocks = n, tree_nodes = t->nnodes;
	if (!t->nnodes || t->lo[0] != 0 || t->hi[0] != n || t->parent[0] != -1)
		tree_bad++;
	for (size_t v = 1; v < t->nnodes; v++) { /* parents first, ranges nested */
		int32_t pa = t->parent[v];
		if (pa < 0 || (size_t)pa >= v || t->lo[v] < t->lo[pa] || t->hi[v] > t->hi[pa] ||
		    t->lo[v] > t->hi[v])
			tree_bad++;
	}
	for (size_t i = 0; i < n; i++) /* a block lies in its owner's range */
		if (t->node[i] >= t->nnodes || i < t->lo[t->node[i]] || i >= t->hi[t->node[i]])
			tree_bad++;
	/* the third block ("c") sits in a <p> in a <div> holding three blocks */
	if (n == 5)
		tree_p_of_c = t->hi[t->parent[t->node[2]]] - t->lo[t->parent[t->node[2]]];
}

static void test_tree_context(void)
{
	const char *html = "<html><body><nav><p>alpha one</p><p>beta two</p></nav><article>"
	                   "<div><p>gamma three</p><p>delta four</p><p>epsilon five</p></div>"
	                   "</article></body></html>";
	wn_block_sink sink = {NULL, NULL, NULL, check_tree};
	sink_page(html, strlen(html), &sink);
	CHECK(tree_blocks == 5 && tree_nodes >= 8 && tree_bad == 0);
	CHECK(tree_p_of_c == 3);

	/* the same shape by hand: body > nav > p p, body > article > div > p p p
	 * (the div a wrapper: it holds what the article holds) */
	const uint32_t lo[9] = {0, 0, 0, 1, 2, 2, 2, 3, 4}, hi[9] = {5, 2, 1, 2, 5, 5, 3, 4, 5};
	const int32_t par[9] = {-1, 0, 1, 1, 0, 4, 5, 5, 5};
	const uint32_t node[5] = {2, 3, 6, 7, 8};
	wn_block_tree t = {lo, hi, par, 9, node};
	const float p1[5] = {0.1f, 0.1f, 0.9f, 0.8f, 0.2f}, chars[5] = {10, 10, 100, 100, 100};
	float out[5 * WN_BLOCKS_NTREE];
	CHECK(wn_blocks_tree_ctx(p1, chars, 5, &t, out, WN_BLOCKS_NTREE) == 0);
	const float *c = out + 2 * WN_BLOCKS_NTREE; /* "gamma" */
	CHECK(fabsf(c[0] - 0.5f) < 1e-6f);          /* its siblings: (80 + 20) / 200 */
	CHECK(fabsf(c[1] - 300.f / 320) < 1e-6f);   /* the div's share */
	CHECK(fabsf(c[2] - 102.f / 220) < 1e-6f);   /* next level: the body, the wrapper skipped */
	CHECK(fabsf(c[3] - 1) < 1e-6f);
	CHECK(c[6] == 1 && fabsf(c[7] - 300.f / 320) < 1e-6f); /* in the best subtree */
	CHECK(c[8] == 1);
	const float *a = out; /* "alpha", in the nav */
	CHECK(a[6] == 0 && fabsf(a[7] - 300.f / 320) < 1e-6f);
	CHECK(fabsf(a[8] - 32.f / 40) < 1e-6f); /* its best ancestor, the body: 32 of 40 */
	CHECK(fabsf(a[0] - 0.1f) < 1e-6f);      /* its sibling in the nav */
}

/* the main-heading and repeated-text features of a few blocks, by the
 * marker their text starts with */
static float feat_menu[4], feat_desc[4], feat_care[4], feat_spons[4], feat_foot[4];
static int n_spons;
static void head_block(void *ud, const float *dense, int nd, const char *text, size_t len, float p,
                       uint32_t grp)
{
	(void)ud, (void)p, (void)grp;
	CHECK(nd > WN_BF_REPEATS);
	static const struct {
		const char *mark;
		float *to;
	} m[] = {{"MENUKITCHEN", feat_menu},
	         {"ITEMDESC", feat_desc},
	         {"ITEMCARE", feat_care},
	         {"Sponsored", feat_spons},
	         {"FOOTERJUNK", feat_foot}};
	for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
		if (len >= strlen(m[k].mark) && !strncmp(text, m[k].mark, strlen(m[k].mark))) {
			m[k].to[0] = dense[WN_BF_HEAD_BEFORE];
			m[k].to[1] = dense[WN_BF_HEAD_DIST];
			m[k].to[2] = dense[WN_BF_HEAD_LCA];
			m[k].to[3] = dense[WN_BF_REPEATS];
			n_spons += m[k].to == feat_spons;
		}
}

static void test_heading_features(void)
{
	wn_block_sink sink = {head_block, NULL, NULL, NULL};
	sink_fixture("product_carousel.html", &sink);
	/* the heading is the <h1> naming the product, not the logo's <h1>:
	 * the menu between them comes before it */
	CHECK(feat_menu[0] == 1 && feat_desc[0] == 0 && feat_foot[0] == 0);
	/* the description is the block after the heading, its care note the
	 * second */
	CHECK(fabsf(feat_desc[1] - (float)log1p(1)) < 1e-6f);
	CHECK(fabsf(feat_care[1] - (float)log1p(2)) < 1e-6f);
	/* the item's own box shares a small element with the heading; the
	 * carousel only the page wrapper, the footer only the body */
	CHECK(feat_desc[2] > 0 && feat_desc[2] < 0.6f);
	CHECK(feat_care[2] == feat_desc[2]);
	CHECK(feat_spons[2] > feat_desc[2] && feat_spons[2] < 1);
	CHECK(feat_foot[2] == 1);
	/* "Sponsored" on each of the four cards: three other blocks say it */
	CHECK(n_spons == 4 && fabsf(feat_spons[3] - (float)log1p(3)) < 1e-6f);
	CHECK(feat_desc[3] == 0);

	/* no heading at all: the heading features are neutral */
	const char *plain = "<html><body><div><p>ITEMDESC one two three four five.</p>"
	                    "<p>FOOTERJUNK six</p></div></body></html>";
	memset(feat_desc, 0, sizeof feat_desc);
	sink_page(plain, strlen(plain), &sink);
	CHECK(feat_desc[0] == 0 && feat_desc[1] == 0 && feat_desc[2] == 1 && feat_desc[3] == 0);
}

/* Repeated text: a kept block of 3+ words that equals an earlier kept
 * one goes (a quote of an earlier post, a carousel card shown twice, the
 * mobile copy of a paragraph); short labels, code and table cells may
 * repeat; a dropped first copy does not take a later one with it; not on
 * articles and documentation, where repeats can be structure. */
static void test_repeats(void)
{
	const char *text[] = {"The same paragraph of words.",
	                      "Something else entirely here.",
	                      "The same paragraph of words.",
	                      "Read more",
	                      "Read more",
	                      "x = x + 1",
	                      "x = x + 1",
	                      "Seen once before here.",
	                      "Seen once before here.",
	                      "The same paragraph of words."};
	size_t len[10];
	for (int i = 0; i < 10; i++)
		len[i] = strlen(text[i]);
	uint8_t pre[10] = {0, 0, 0, 0, 0, 1, 1, 0, 0, 0};
	uint8_t keep[10] = {1, 1, 1, 1, 1, 1, 1, 0, 1, 0};
	CHECK(wn_drop_repeats(text, len, pre, keep, 10) == 1);
	CHECK(keep[0] && keep[1] && !keep[2]); /* the second copy goes */
	CHECK(keep[3] && keep[4]);             /* two words: a label */
	CHECK(keep[5] && keep[6]);             /* code */
	CHECK(!keep[7] && keep[8]);            /* its first copy was not kept */
	CHECK(!keep[9]);                       /* never kept stays so */
	CHECK(wn_drop_repeats(text, len, pre, keep, 0) == 0);
	CHECK(!wn_repeats_apply("article") && !wn_repeats_apply("documentation"));
	CHECK(wn_repeats_apply("forum") && wn_repeats_apply("product") &&
	      wn_repeats_apply("other") && wn_repeats_apply(NULL));
}

/* Page furniture among the kept blocks (wn_drop_furniture): pop-ups go
 * when outweighed by the rest, landmarks unless too little would be
 * left. */
static void test_furniture(void)
{
	enum { N = WN_FURN_NONE, P = WN_FURN_POPUP, L = WN_FURN_LANDMARK };
	/* a story, a consent box, a menu's blurbs, a footer never kept */
	size_t words[5] = {120, 40, 30, 0, 25};
	uint8_t kind[5] = {N, P, L, N, L};
	uint8_t keep[5] = {1, 1, 1, 0, 0};
	CHECK(wn_drop_furniture(words, kind, keep, 5, 10) == 2);
	CHECK(keep[0] && !keep[1] && !keep[2] && !keep[3] && !keep[4]);
	/* a product's details in a sheet: more words in the pop-up stay */
	size_t w2[3] = {20, 200, 15};
	uint8_t k2[3] = {N, P, L}, keep2[3] = {1, 1, 1};
	CHECK(wn_drop_furniture(w2, k2, keep2, 3, 10) == 1);
	CHECK(keep2[0] && keep2[1] && !keep2[2]);
	/* a page kept mostly in its <nav>: 9 words outside, under 10, so it
	 * stays whole; with 10 the landmark goes, however large */
	size_t w3[2] = {9, 300};
	uint8_t k3[2] = {N, L}, keep3[2] = {1, 1};
	CHECK(wn_drop_furniture(w3, k3, keep3, 2, 10) == 0);
	CHECK(keep3[0] && keep3[1]);
	w3[0] = 10;
	CHECK(wn_drop_furniture(w3, k3, keep3, 2, 10) == 1);
	CHECK(keep3[0] && !keep3[1]);
	/* an even split keeps the pop-up; nothing kept stays so */
	size_t w4[2] = {50, 50};
	uint8_t k4[2] = {N, P}, keep4[2] = {1, 1}, none[2] = {0, 0};
	CHECK(wn_drop_furniture(w4, k4, keep4, 2, 10) == 0 && keep4[1]);
	CHECK(wn_drop_furniture(w4, k4, none, 2, 10) == 0 && !none[0] && !none[1]);
	/* side blocks go as pop-ups do: only when outweighed by the rest */
	enum { S = WN_FURN_SIDE };
	size_t w5[3] = {60, 40, 70};
	uint8_t k5[3] = {S, N, N}, keep5[3] = {1, 1, 0};
	CHECK(wn_drop_furniture(w5, k5, keep5, 3, 10) == 0 && keep5[0]); /* 40 < 60 */
	keep5[2] = 1;
	CHECK(wn_drop_furniture(w5, k5, keep5, 3, 10) == 1 && !keep5[0] && keep5[1]);
}

/* The structure vote (wn_group_vote): a structure of 3 or more blocks
 * kept at least half is kept whole, except where the options drop. */
static void test_group_vote(void)
{
	/* group 0: 4 posts, 2 kept; group 1: 3 cards, 1 kept; group 2: two
	 * blocks, one kept (too few to vote); group 3: 4 blocks, 3 kept, one
	 * of the others dropped by an option */
	uint32_t grp[13] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3};
	uint8_t fixed[13] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	uint8_t keep[13] = {1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0};
	CHECK(wn_group_vote(grp, 4, fixed, keep, 13) == 3);
	CHECK(keep[0] && keep[1] && keep[2] && keep[3]);     /* half: all */
	CHECK(!keep[4] && keep[5] && !keep[6]);              /* a third: as decided */
	CHECK(keep[7] && !keep[8]);                          /* two blocks: no vote */
	CHECK(keep[9] && keep[10] && keep[11] && !keep[12]); /* the option stands */
	CHECK(wn_group_vote(grp, 4, fixed, keep, 0) == 0);
}

/* The blocks beside the heading's column (wn_mark_side), on a hand-built
 * element tree: body (0) > row (1) > a side column (2) and the story's
 * column (3). Blocks: 0 the side box's label, 1-3 its links (group 1),
 * 4 the story's heading, 5 a byline with a link, 6-7 the story's
 * paragraphs (group 3), 8 a footer link outside the row, under the body. */
static void test_side_blocks(void)
{
	enum { N = WN_FURN_NONE, S = WN_FURN_SIDE };
	uint32_t lo[4] = {0, 0, 0, 4}, hi[4] = {9, 8, 4, 8};
	int32_t parent[4] = {-1, 0, 1, 1};
	uint32_t node[9] = {2, 2, 2, 2, 3, 3, 3, 3, 0};
	wn_block_tree t = {lo, hi, parent, 4, node};
	uint32_t chars[9] = {10, 12, 9, 14, 50, 40, 300, 250, 12};
	uint32_t link[9] = {0, 12, 9, 13, 0, 8, 0, 20, 12};
	uint32_t grp[9] = {0, 1, 1, 1, 2, 4, 3, 3, 5};
	uint8_t keep[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, kind[9] = {0};
	/* the story's column holds most of the kept text: the all-link blocks
	 * outside it are side lists (13 of 14 in links is over 90%), its own
	 * linked byline and the side box's label are not */
	CHECK(wn_mark_side(&t, chars, link, grp, 6, keep, 9, 4, 0, kind) == 4);
	CHECK(kind[0] == N && kind[1] == S && kind[2] == S && kind[3] == S);
	CHECK(kind[4] == N && kind[5] == N && kind[6] == N && kind[7] == N && kind[8] == S);

	/* a block the model dropped is none; so is one of 80% links */
	memset(kind, 0, sizeof kind);
	keep[2] = 0, link[3] = 11;
	CHECK(wn_mark_side(&t, chars, link, grp, 6, keep, 9, 4, 0, kind) == 2);
	CHECK(kind[1] == S && kind[2] == N && kind[3] == N && kind[8] == S);
	keep[2] = 1, link[3] = 13;

	/* a listing's cards: a card of the side box's structure is kept inside
	 * the heading's column, so the same structure outside is content too */
	memset(kind, 0, sizeof kind);
	grp[7] = 1;
	CHECK(wn_mark_side(&t, chars, link, grp, 6, keep, 9, 4, 0, kind) == 1);
	CHECK(kind[1] == N && kind[2] == N && kind[3] == N && kind[8] == S);
	grp[7] = 3;

	/* the side column kept more than the story's: the column around the
	 * heading grows to the row, and only what is outside the row is left */
	memset(kind, 0, sizeof kind);
	chars[1] = link[1] = 900;
	CHECK(wn_mark_side(&t, chars, link, grp, 6, keep, 9, 4, 0, kind) == 1);
	CHECK(kind[1] == N && kind[8] == S);
	/* ... and when only the body holds half, there is no column */
	memset(kind, 0, sizeof kind);
	chars[8] = link[8] = 5000;
	CHECK(wn_mark_side(&t, chars, link, grp, 6, keep, 9, 4, 0, kind) == 0);
	chars[1] = link[1] = 12, chars[8] = link[8] = 12;

	/* on a page of one piece, the side box's label goes too, links or not;
	 * the story's own blocks and a card-like block of its structure stay */
	memset(kind, 0, sizeof kind);
	CHECK(wn_mark_side(&t, chars, link, grp, 6, keep, 9, 4, 1, kind) == 5);
	CHECK(kind[0] == S && kind[1] == S && kind[3] == S && kind[8] == S);
	CHECK(kind[4] == N && kind[5] == N && kind[6] == N && kind[7] == N);
	memset(kind, 0, sizeof kind);
	grp[0] = 3; /* the label built like the story's paragraphs */
	CHECK(wn_mark_side(&t, chars, link, grp, 6, keep, 9, 4, 1, kind) == 4 && kind[0] == N);
	grp[0] = 0;

	/* no heading, or one the body owns: nothing marked */
	memset(kind, 0, sizeof kind);
	CHECK(wn_mark_side(&t, chars, link, grp, 6, keep, 9, -1, 1, kind) == 0);
	CHECK(wn_mark_side(&t, chars, link, grp, 6, keep, 9, 8, 1, kind) == 0);
	for (int i = 0; i < 9; i++)
		CHECK(kind[i] == N);
}

/* What a page type decides besides repeats: its model group, whether it
 * has an author, whether loose datelines go, whether its text is one
 * piece and whether its structures are voted on; a name that is no class
 * ("other", NULL) is "other". */
static void test_type_policies(void)
{
	CHECK(wn_blocks_group("article") == WN_GROUP_ARTICLE);
	CHECK(wn_blocks_group("documentation") == WN_GROUP_TEXT &&
	      wn_blocks_group("forum") == WN_GROUP_TEXT);
	CHECK(wn_blocks_group("product") == WN_GROUP_OTHER &&
	      wn_blocks_group("other") == WN_GROUP_OTHER &&
	      wn_blocks_group(NULL) == WN_GROUP_OTHER);
	CHECK(wn_page_type_authored("article") && wn_page_type_authored("forum") &&
	      wn_page_type_authored("other") && wn_page_type_authored(NULL));
	CHECK(!wn_page_type_authored("product") && !wn_page_type_authored("listing") &&
	      !wn_page_type_authored("collection") && !wn_page_type_authored("service") &&
	      !wn_page_type_authored("documentation"));
	CHECK(wn_datelines_apply("article"));
	CHECK(!wn_datelines_apply("forum") && !wn_datelines_apply("listing") &&
	      !wn_datelines_apply("collection") && !wn_datelines_apply("product") &&
	      !wn_datelines_apply("service") && !wn_datelines_apply("documentation") &&
	      !wn_datelines_apply("other") && !wn_datelines_apply(NULL));
	CHECK(wn_one_piece("article") && wn_one_piece("documentation") && wn_one_piece("service"));
	CHECK(!wn_one_piece("forum") && !wn_one_piece("listing") && !wn_one_piece("collection") &&
	      !wn_one_piece("product") && !wn_one_piece("other") && !wn_one_piece(NULL));
	CHECK(!wn_group_vote_apply("article"));
	CHECK(wn_group_vote_apply("collection") && wn_group_vote_apply("documentation") &&
	      wn_group_vote_apply("forum") && wn_group_vote_apply("listing") &&
	      wn_group_vote_apply("product") && wn_group_vote_apply("service") &&
	      wn_group_vote_apply("other") && wn_group_vote_apply(NULL));
}

/* The class names in the model's order, and the type a page gets from its
 * class probabilities: the likeliest class, "other" when none reaches 0.3. */
static void test_type_pick(void)
{
	CHECK(!strcmp(wn_page_type_name(0), "article") && !strcmp(wn_page_type_name(3), "forum") &&
	      !strcmp(wn_page_type_name(WN_PT_CLASSES - 1), "service"));
	CHECK(!strcmp(wn_page_type_name(-1), "other") &&
	      !strcmp(wn_page_type_name(WN_PT_CLASSES), "other"));
	float p[WN_PT_CLASSES] = {0.1f, 0.1f, 0.1f, 0.45f, 0.1f, 0.05f, 0.1f};
	CHECK(!strcmp(wn_page_type_pick(p), "forum"));
	const float flat[WN_PT_CLASSES] = {0.2f, 0.1f, 0.1f, 0.25f, 0.15f, 0.1f, 0.1f};
	CHECK(!strcmp(wn_page_type_pick(flat), "other"));
	p[3] = 0.05f, p[5] = 0.45f; /* the same confidence on another class */
	CHECK(!strcmp(wn_page_type_pick(p), "product"));
	CHECK(wn_page_type_best(p) == 5);
	p[1] = 0.45f; /* a tie: the first class in the model's order */
	CHECK(wn_page_type_best(p) == 1 && !strcmp(wn_page_type_pick(p), "collection"));
}

static void test_thresholds(void)
{
	/* which learned threshold a block must reach (wn_blocks_threshold) */
	const float thr[WN_BLOCKS_NTHR] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
	float f[256] = {0};
	f[WN_BF_TOTAL] = (float)log1p(2000); /* a page of 2,000 characters */
	f[WN_BF_RSHARE] = 0.5f;              /* the rules took 1,000: no story */
	f[WN_BF_RULE] = 1;
	CHECK(wn_blocks_threshold(f, thr) == 0.1f); /* rule output */
	f[WN_BF_RULE] = 0;
	CHECK(wn_blocks_threshold(f, thr) == 0.2f); /* any other block */
	f[WN_BF_SOFT] = 1, f[WN_BF_SROOT] = 0.4f;   /* a big cue-dropped container */
	CHECK(wn_blocks_threshold(f, thr) == 0.3f);
	f[WN_BF_SROOT] = 0.05f; /* a small one: a widget, its own threshold */
	CHECK(wn_blocks_threshold(f, thr) == 0.7f);
	f[WN_BF_HIDDEN] = 1; /* hidden beside a found article */
	CHECK(wn_blocks_threshold(f, thr) == 0.8f);
	f[WN_BF_RSHARE] = 0.05f; /* hidden where the rules found almost nothing */
	f[WN_BF_SOFT] = 0, f[WN_BF_SROOT] = 0;
	CHECK(wn_blocks_threshold(f, thr) == 0.3f);
	/* beside a story (the rules took 5,000 characters) widgets and hidden
	 * blocks are never kept: the threshold is over 1 */
	f[WN_BF_TOTAL] = (float)log1p(10000), f[WN_BF_RSHARE] = 0.5f;
	CHECK(wn_blocks_threshold(f, thr) > 1);
	f[WN_BF_HIDDEN] = 0, f[WN_BF_SOFT] = 1, f[WN_BF_SROOT] = 0.05f;
	CHECK(wn_blocks_threshold(f, thr) > 1);
	/* a caption has its group's own threshold, wherever it sits; a
	 * byline is metadata, never text */
	f[WN_BF_CAPTION] = 1;
	CHECK(wn_blocks_threshold(f, thr) == 0.9f);
	f[WN_BF_CAPTION] = 0, f[WN_BF_BYLINE] = 1;
	CHECK(wn_blocks_threshold(f, thr) > 1);
}

int main(void)
{
	test_forum_posts();
	test_noscript_thread();
	test_listing_cards();
	test_cue_wrapped_article();
	test_unclosed_div_in_nav();
	test_few_words_are_no_text();
	test_never_empty();
	test_deterministic();
	test_page_types();
	test_type_policies();
	test_type_pick();
	test_sink();
	test_class_names();
	test_tree_context();
	test_collapsed_panels();
	test_menu_items();
	test_heading_features();
	test_thresholds();
	test_repeats();
	test_furniture();
	test_side_blocks();
	test_group_vote();
	return check_finish();
}
