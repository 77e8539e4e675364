/*
 * filter_quality core: measurements (words, sentences, symbols, links,
 * repeated lines) on small texts with known counts, and each rule firing
 * alone, in order, and not firing when switched off.
 */
#include <string.h>

#include "check.h"
#include "quality.h"

static const char *const PROSE =
    "The council met on Tuesday. It approved the budget for next year!\n\n"
    "Residents asked whether the new library would open on time? Officials said yes.";

static void test_measure(void)
{
	wn_quality_stats st;

	CHECK(wn_quality_measure(PROSE, strlen(PROSE), &st) == 0);
	CHECK(st.words == 25);
	CHECK(st.sentences == 4);
	CHECK(st.symbols == 0);
	CHECK(st.link_chars == 0);
	CHECK(st.lines == 2);
	CHECK(st.repeated_lines == 0);

	/* abbreviations inside a word and "..." count once; a decimal point
	 * is not a sentence end */
	const char *t = "Prices rose 3.5 percent... Then they fell?! Really.";
	CHECK(wn_quality_measure(t, strlen(t), &st) == 0);
	CHECK(st.sentences == 3);

	const char *cjk = "市议会周二批准了新计划。工程将于明年开工！";
	CHECK(wn_quality_measure(cjk, strlen(cjk), &st) == 0);
	CHECK(st.sentences == 2);
	CHECK(st.words == 19);

	const char *links = "see https://example.org/a/b/c and www.example.com now";
	CHECK(wn_quality_measure(links, strlen(links), &st) == 0);
	CHECK(st.link_chars == strlen("https://example.org/a/b/c") + strlen("www.example.com"));
	CHECK(st.symbols == 0); /* slashes inside URLs are links, not symbols */

	const char *sym = "BTC $43,210 | ETH $2,310 | ### >>> ***";
	CHECK(wn_quality_measure(sym, strlen(sym), &st) == 0);
	CHECK(st.symbols == 13);

	const char *rep = "Buy now\nBuy now\n  Buy now  \nOther\n\n";
	CHECK(wn_quality_measure(rep, strlen(rep), &st) == 0);
	CHECK(st.lines == 4);
	CHECK(st.repeated_lines == 2);

	CHECK(wn_quality_measure("", 0, &st) == 0);
	CHECK(st.words == 0 && st.lines == 0 && st.nonspace == 0);
}

/* Runs the checker on text with rules r; returns the failing rule name. */
static const char *rule_for(const wn_quality_rules *r, const char *text, const char *lang)
{
	wn_quality_stats st;
	char msg[160];
	const char *rule;

	wn_quality_measure(text, strlen(text), &st);
	rule = wn_quality_check(r, &st, lang, msg, sizeof msg);
	if (rule)
		CHECK(msg[0] != '\0');
	return rule;
}

static void test_rules(void)
{
	const char *const en_only[] = {"en", "de", NULL};
	wn_quality_rules off = {0, 0, 1, 1, 1, NULL, NULL, 0};
	wn_quality_rules r;

	CHECK(rule_for(&off, PROSE, NULL) == NULL);
	CHECK(rule_for(&off, "", NULL) == NULL);

	r = off;
	r.min_words = 26;
	CHECK_STR(rule_for(&r, PROSE, "en"), "min_words");
	r.min_words = 25;
	CHECK(rule_for(&r, PROSE, "en") == NULL);

	r = off;
	r.min_sentences = 5;
	CHECK_STR(rule_for(&r, PROSE, "en"), "min_sentences");

	r = off;
	r.max_symbol_ratio = 0.1;
	CHECK_STR(rule_for(&r, "AAPL ▲ 1.2% | MSFT ▼ 0.4% | GOOG ▲ 2.2% | >>>", NULL),
	          "max_symbol_ratio");
	CHECK(rule_for(&r, PROSE, NULL) == NULL);

	r = off;
	r.max_link_ratio = 0.2;
	CHECK_STR(rule_for(&r, "Links: https://a.example/x https://b.example/y", NULL),
	          "max_link_ratio");

	r = off;
	r.max_repeated_line_ratio = 0.3;
	CHECK_STR(rule_for(&r, "Sale\nSale\nSale\nA real line.", NULL), "max_repeated_line_ratio");

	r = off;
	r.langs = en_only;
	CHECK_STR(rule_for(&r, PROSE, "fr"), "langs");
	CHECK_STR(rule_for(&r, PROSE, NULL), "langs");
	CHECK(rule_for(&r, PROSE, "en-GB") == NULL);
	CHECK(rule_for(&r, PROSE, "DE") == NULL);

	/* order: the language is checked first, then length */
	r.min_words = 1000;
	CHECK_STR(rule_for(&r, PROSE, "fr"), "langs");
	CHECK_STR(rule_for(&r, PROSE, "en"), "min_words");
}

/* page_types and min_page_type_confidence: a typed record is kept only
 * when its type is listed and sure enough; an untyped one always passes */
static void test_page_type(void)
{
	static const char *const articles[] = {"article", "forum", NULL};
	wn_quality_rules r = {0, 0, 1, 1, 1, NULL, NULL, 0};
	char msg[160];

	/* off by default: any type, any confidence */
	CHECK(wn_quality_check_type(&r, "listing", 0.1, msg, sizeof msg) == NULL);

	r.page_types = articles;
	CHECK(wn_quality_check_type(&r, "article", 0.4, msg, sizeof msg) == NULL);
	CHECK(wn_quality_check_type(&r, "Forum", 0.9, msg, sizeof msg) == NULL);
	CHECK_STR(wn_quality_check_type(&r, "product", 0.99, msg, sizeof msg), "page_types");
	CHECK(strstr(msg, "product") != NULL);
	CHECK_STR(wn_quality_check_type(&r, "other", 0.2, msg, sizeof msg), "page_types");
	CHECK(wn_quality_check_type(&r, NULL, 0, msg, sizeof msg) == NULL);

	r.min_page_type_confidence = 0.8;
	CHECK(wn_quality_check_type(&r, "article", 0.8, msg, sizeof msg) == NULL);
	CHECK_STR(wn_quality_check_type(&r, "article", 0.79, msg, sizeof msg),
	          "min_page_type_confidence");
	CHECK(strstr(msg, "0.790") != NULL);
	/* the list is checked first */
	CHECK_STR(wn_quality_check_type(&r, "listing", 0.5, msg, sizeof msg), "page_types");

	/* the confidence alone: unsure types go, whatever the type */
	r.page_types = NULL;
	CHECK_STR(wn_quality_check_type(&r, "listing", 0.5, msg, sizeof msg),
	          "min_page_type_confidence");
	CHECK(wn_quality_check_type(&r, "listing", 0.95, msg, sizeof msg) == NULL);
	CHECK(wn_quality_check_type(&r, NULL, 0, msg, sizeof msg) == NULL);
}

int main(void)
{
	test_measure();
	test_rules();
	test_page_type();
	return check_finish();
}
