/*
 * wn_html_reclose: the divs left open inside a button, nav, ... are closed
 * at its end tag, and nothing else in the page changes.
 */
#include "check.h"
#include "fixture.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Repairs `in`; want is the exact output, or NULL for "no change". */
static void expect_(int line, const char *in, const char *want)
{
	size_t len = 12345;
	char *got = wn_html_reclose(in, strlen(in), &len);
	if (!want) {
		if (got)
			fprintf(stderr, "line %d: unexpected repair: %s\n", line, got);
		CHECK(got == NULL);
	} else if (CHECK_STR(got, want)) {
		CHECK(len == strlen(want));
	} else {
		fprintf(stderr, "  (from line %d)\n", line);
	}
	free(got);
}
#define EXPECT(in, want) expect_(__LINE__, in, want)

static void test_repairs(void)
{
	/* the case that lost whole articles: the button and the header */
	EXPECT("<header><button class=\"menu\"><div class=\"inner\"><div></button></header>\n"
	       "<main><article><p>The story...</p></article></main>",
	       "<header><button class=\"menu\"><div class=\"inner\"><div></div></div></button>"
	       "</header>\n<main><article><p>The story...</p></article></main>");
	EXPECT("<nav class=\"m\"><div class=\"inner\"><a "
	       "href=\"/\">Home</a></nav><article>x</article>",
	       "<nav class=\"m\"><div class=\"inner\"><a href=\"/\">Home</a></div></nav>"
	       "<article>x</article>");
	/* only the divs above the target count, spans and links between them
	 * are closed by libxml2 itself */
	EXPECT("<div><ul><li><div><span><div><a>x</li><li>y</li></ul></div>",
	       "<div><ul><li><div><span><div><a>x</div></div></li><li>y</li></ul></div>");
	/* upper case names are the same elements */
	EXPECT("<NAV><Div>x</NAV>", "<NAV><Div>x</div></NAV>");
	/* an unquoted value ends at '>', a quote inside it opens nothing */
	EXPECT("<nav><div class=a\"b>x</nav>y", "<nav><div class=a\"b>x</div></nav>y");
	/* "x/" is the value (libxml2 reads it so): not a self-closing tag */
	EXPECT("<nav><div class=x/>y</nav>", "<nav><div class=x/>y</div></nav>");
	/* a p closed by the div start tag is not above the target */
	EXPECT("<aside><p>a<div>b</aside>", "<aside><p>a<div>b</div></aside>");
}

static void test_no_change(void)
{
	EXPECT("<html><body><nav><div>a</div></nav><p>b</p></body></html>", NULL);
	EXPECT("", NULL);
	EXPECT("no markup at all < 3 </ 4", NULL);
	/* p, h1-h6, dd, dt: libxml2 closes them on start tags we do not all
	 * model, so they are left alone */
	EXPECT("<p><span><div>x</p>", NULL);
	EXPECT("<h2><div>x</h2>", NULL);
	/* a table part above the target is an HTML5 scope boundary */
	EXPECT("<nav><table><tr><td><div>x</nav>", NULL);
	EXPECT("<nav><td><div>x</nav>", NULL);
	/* a target not open at all */
	EXPECT("<div>x</nav>", NULL);
	/* end tags inside comments, declarations and scripts are text */
	EXPECT("<nav><div>x<!-- </nav> --></div></nav>", NULL);
	EXPECT("<nav><div>x<!DOCTYPE </nav>></div></nav>", NULL);
	EXPECT("<nav><div><script>var s = \"</nav>\";</script></div></nav>", NULL);
	EXPECT("<nav><div><STYLE>a::after{content:\"</nav>\"}</sTyLe></div></nav>", NULL);
	/* quoted values may hold '>' and end tags */
	EXPECT("<nav><div title=\"a > b </nav>\">x</div></nav>", NULL);
	EXPECT("<nav><div data-x = 'y></nav>'>x</div></nav>", NULL);
	/* self-closing and void elements are never open */
	EXPECT("<nav><div/>x</nav>", NULL);
	EXPECT("<nav><div class=\"a\" />x<br><img src=x></nav>", NULL);
	/* an unterminated tag or comment runs to the end */
	EXPECT("<nav><div><!-- </nav>", NULL);
	EXPECT("<nav><div title=\"</nav>", NULL);
}

/* Deep or adversarial nesting: the model stops repairing, fast. */
static void test_caps(void)
{
	/* a div and 300 spans above the nav: the search gives up */
	wn_buf b = {0};
	wn_buf_adds(&b, "<nav><div>");
	for (int i = 0; i < 300; i++)
		wn_buf_adds(&b, "<span>");
	wn_buf_adds(&b, "</nav>");
	EXPECT(b.p, NULL);
	/* the fix before the stack overflows is kept, none after it */
	wn_buf_reset(&b);
	wn_buf_adds(&b, "<nav><div></nav>");
	for (int i = 0; i < 5000; i++)
		wn_buf_adds(&b, "<b>");
	wn_buf_adds(&b, "<nav><div></nav>");
	size_t len;
	char *got = wn_html_reclose(b.p, b.len, &len);
	CHECK(got && len == b.len + 6);
	CHECK(got && memcmp(got, "<nav><div></div></nav><b>", 25) == 0);
	CHECK(got && memcmp(got + 22, b.p + 16, b.len - 16) == 0);
	free(got);
	/* 100,000 end tags of nothing open, each searched 250 deep (not past
	 * the cap): bounded work, and the nav is still repaired after them */
	wn_buf_reset(&b);
	wn_buf_adds(&b, "<nav><div>");
	for (int i = 0; i < 250; i++)
		wn_buf_adds(&b, "<span>");
	for (int i = 0; i < 100000; i++)
		wn_buf_adds(&b, "</x>");
	wn_buf_adds(&b, "</nav>");
	got = wn_html_reclose(b.p, b.len, &len);
	CHECK(got && len == b.len + 6 && strcmp(got + len - 12, "</div></nav>") == 0);
	free(got);
	/* nested navs and divs past the stack cap: no repair */
	wn_buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		wn_buf_adds(&b, i % 2 ? "<div>" : "<nav></x>");
	EXPECT(b.p, NULL);
	wn_buf_free(&b);
}

/* End to end: the article after the header button's unclosed divs. */
static void test_clean_page(void)
{
	wn_clean_doc d;
	CHECK(clean_fixture("unclosed_button.html", NULL, &d) == WN_CLEAN_OK);
	CHECK(CONTAINS(d.text, "BUTTONCASEONE"));
	CHECK(CONTAINS(d.text, "BUTTONCASETWO"));
	CHECK(CONTAINS(d.text, "BUTTONCASETHREE"));
	CHECK(!CONTAINS(d.text, "FOOTERJUNK"));
	wn_clean_doc_free(&d);
}

int main(void)
{
	test_repairs();
	test_no_change();
	test_caps();
	test_clean_page();
	return check_finish();
}
