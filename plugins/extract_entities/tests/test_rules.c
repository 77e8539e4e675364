/*
 * Unit tests for the MONEY / PERCENT / DATE rules and their normalised
 * values, and for the tokenizer they run on.
 */
#include "check.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char got_text[256], got_value[128], got_type[16];

/* Runs the rules over `s` with reference date `pub` (may be NULL) and
 * looks up the entity whose surface text is `want`; fills got_* and
 * returns 1 when found. */
static int find(const char *s, const char *pub, const char *want)
{
	wn_tokens t = {0};
	wn_ents e = {0};
	wn_refdate ref;
	wn_refdate_parse(pub, &ref);
	int found = 0;
	got_text[0] = got_value[0] = got_type[0] = 0;
	if (wn_tokenize(s, strlen(s), &t) == 0 && wn_rules_find(s, &t, &ref, &e, NULL) == 0) {
		for (size_t i = 0; i < e.n; i++) {
			size_t n = e.v[i].end - e.v[i].start;
			if (n == strlen(want) && memcmp(s + e.v[i].start, want, n) == 0) {
				snprintf(got_text, sizeof got_text, "%.*s", (int)n,
				         s + e.v[i].start);
				snprintf(got_value, sizeof got_value, "%s", e.v[i].value);
				snprintf(got_type, sizeof got_type, "%s",
				         wn_etype_name(e.v[i].type));
				found = 1;
			}
		}
		if (!found)
			for (size_t i = 0; i < e.n; i++)
				fprintf(stderr, "  have %s [%.*s] %s\n", wn_etype_name(e.v[i].type),
				        (int)(e.v[i].end - e.v[i].start), s + e.v[i].start,
				        e.v[i].value);
	}
	wn_tokens_free(&t);
	wn_ents_free(&e);
	return found;
}

#define EXPECT(s, pub, want, type, value)                                                          \
	do {                                                                                       \
		CHECK(find(s, pub, want));                                                         \
		CHECK_STR(got_type, type);                                                         \
		CHECK_STR(got_value, value);                                                       \
	} while (0)

static void test_tokenizer(void)
{
	const char *s = "Mr. Smith's U.S.-led firm didn't pay $22,000.50 in 2026-2030.\n\nNew one";
	wn_tokens t = {0};
	CHECK(wn_tokenize(s, strlen(s), &t) == 0);
	const char *want[] = {"Mr.", "Smith",     "'s", "U.S.-led",  "firm", "did", "n't", "pay",
	                      "$",   "22,000.50", "in", "2026-2030", ".",    "New", "one"};
	CHECK(t.n == sizeof want / sizeof *want);
	for (size_t i = 0; i < t.n && i < sizeof want / sizeof *want; i++) {
		char buf[32];
		snprintf(buf, sizeof buf, "%.*s", (int)(t.v[i].end - t.v[i].start),
		         s + t.v[i].start);
		CHECK_STR(buf, want[i]);
	}
	CHECK(t.n == 15 && (t.v[0].flags & WN_TOKF_SENT) && (t.v[13].flags & WN_TOKF_PARA) &&
	      (t.v[13].flags & WN_TOKF_SENT) && !(t.v[1].flags & WN_TOKF_SENT));
	wn_tokens_free(&t);
}

static void test_money(void)
{
	const char *pair = "It reached 160 billion yuan (US$22.07 billion) last year.";
	EXPECT(pair, NULL, "160 billion yuan", "MONEY", "160000000000 CNY");
	EXPECT(pair, NULL, "US$22.07 billion", "MONEY", "22070000000 USD");
	EXPECT("about $5m in cash", NULL, "$5m", "MONEY", "5000000 USD");
	EXPECT("a €1.2bn deal", NULL, "€1.2bn", "MONEY", "1200000000 EUR");
	EXPECT("sold for £300,000 on", NULL, "£300,000", "MONEY", "300000 GBP");
	EXPECT("HK$3.5 trillion", NULL, "HK$3.5 trillion", "MONEY", "3500000000000 HKD");
	EXPECT("RMB 50 million was", NULL, "RMB 50 million", "MONEY", "50000000 CNY");
	EXPECT("worth 3 million US dollars", NULL, "3 million US dollars", "MONEY", "3000000 USD");
	EXPECT("cost 500 euros", NULL, "500 euros", "MONEY", "500 EUR");
	EXPECT("between $5 million and", NULL, "$5 million", "MONEY", "5000000 USD");
	EXPECT("raised $5-10 million", NULL, "$5-10 million", "MONEY", "5000000..10000000 USD");
	EXPECT("from $5 to $10 billion", NULL, "$5 to $10 billion", "MONEY",
	       "5000000000..10000000000 USD");
	EXPECT("earned 1.25 dollars per share", NULL, "1.25 dollars per share", "MONEY",
	       "1.25 USD per share");
	EXPECT("a USD 40 billion fund", NULL, "USD 40 billion", "MONEY", "40000000000 USD");
	EXPECT("just 99 cents", NULL, "99 cents", "MONEY", "0.99 USD");
	EXPECT("paid ¥2,000", NULL, "¥2,000", "MONEY", "2000 JPY");
}

/* Money as newswire writes it (issue 15): codes and abbreviations before
 * or after the amount, amounts in words, hyphenated magnitudes. */
static void test_news_money(void)
{
	EXPECT("profit of dlrs 220 million in", NULL, "dlrs 220 million", "MONEY", "220000000 USD");
	EXPECT("a loss of 15.6 mln dlrs on", NULL, "15.6 mln dlrs", "MONEY", "15600000 USD");
	EXPECT("fined RM50,000 for", NULL, "RM50,000", "MONEY", "50000 MYR");
	EXPECT("a Rs.500 note", NULL, "Rs.500", "MONEY", "500 INR");
	EXPECT("worth HK$1.2bn last", NULL, "HK$1.2bn", "MONEY", "1200000000 HKD");
	EXPECT("a A$5 million grant", NULL, "A$5 million", "MONEY", "5000000 AUD");
	EXPECT("raised US$300,000 from", NULL, "US$300,000", "MONEY", "300000 USD");
	EXPECT("spent 4.5 billion yuan on", NULL, "4.5 billion yuan", "MONEY", "4500000000 CNY");
	EXPECT("a fine of 20 million euros", NULL, "20 million euros", "MONEY", "20000000 EUR");
	EXPECT("shares rose a penny to", NULL, "a penny", "MONEY", "0.01 USD");
	EXPECT("it cost 50 pence", NULL, "50 pence", "MONEY", "0.5 GBP");
	EXPECT("cost millions of dollars", NULL, "millions of dollars", "MONEY", "1000000.. USD");
	EXPECT("billions of euros were", NULL, "billions of euros", "MONEY", "1000000000.. EUR");
	EXPECT("hundreds of millions of euros", NULL, "hundreds of millions of euros", "MONEY",
	       "100000000.. EUR");
	EXPECT("a $8-billion deal", NULL, "$8-billion", "MONEY", "8000000000 USD");
	EXPECT("a 10 million stg loan", NULL, "10 million stg", "MONEY", "10000000 GBP");
}

static void test_percent(void)
{
	EXPECT("grew 34% in", NULL, "34%", "PERCENT", "34");
	EXPECT("grew 6.67 percent", NULL, "6.67 percent", "PERCENT", "6.67");
	EXPECT("fell 3 per cent", NULL, "3 per cent", "PERCENT", "3");
	EXPECT("up 2 percentage points", NULL, "2 percentage points", "PERCENT", "2 pp");
	EXPECT("a 5-7% rise", NULL, "5-7%", "PERCENT", "5..7");
	EXPECT("some 5 to 7 percent", NULL, "5 to 7 percent", "PERCENT", "5..7");
	EXPECT("over 90 % of", NULL, "90 %", "PERCENT", "90");
	EXPECT("only five percent", NULL, "five percent", "PERCENT", "5");
}

static void test_dates(void)
{
	const char *pub = "2026-03-04T10:00:00Z"; /* a Wednesday */
	EXPECT("By 2035, the city", pub, "2035", "DATE", "2035");
	EXPECT("on January 26, 2024 it", pub, "January 26, 2024", "DATE", "2024-01-26");
	EXPECT("on January 30 the", pub, "January 30", "DATE", "2026-01-30");
	EXPECT("on January 30 the", NULL, "January 30", "DATE", "XXXX-01-30");
	EXPECT("on 5 March 2025 the", pub, "5 March 2025", "DATE", "2025-03-05");
	EXPECT("in September 2024 the", pub, "September 2024", "DATE", "2024-09");
	EXPECT("in Sept. 2024 the", pub, "Sept. 2024", "DATE", "2024-09");
	EXPECT("the 2026-2030 plan", pub, "2026-2030", "DATE", "2026/2030");
	EXPECT("from 2026 to 2030 it", pub, "2026 to 2030", "DATE", "2026/2030");
	EXPECT("released 2024-01-30.", pub, "2024-01-30", "DATE", "2024-01-30");
	EXPECT("in the 1990s", pub, "1990s", "DATE", "1990/1999");
	EXPECT("from January to March 2024", pub, "January to March 2024", "DATE",
	       "2024-01/2024-03");
	CHECK(!find("You may go", pub, "may"));
	CHECK(!find("May I go", pub, "May"));
	EXPECT("in May the", pub, "May", "DATE", "2026-05");
	EXPECT("LONDON JUL 14 -", pub, "JUL 14", "DATE", "2026-07-14");
	CHECK(!find("Kim Jun said", pub, "Jun"));
}

/* Seasons, decades, holidays and fiscal periods (issue 15). */
static void test_news_dates(void)
{
	const char *pub = "2026-03-04";
	EXPECT("in the summer of 2024 the", pub, "summer of 2024", "DATE", "2024-SU");
	EXPECT("by spring 2027", pub, "spring 2027", "DATE", "2027-SP");
	EXPECT("last autumn", pub, "last autumn", "DATE", "2025-FA;relative=2026-03-04");
	EXPECT("in the 1980s and", pub, "1980s", "DATE", "1980/1989");
	EXPECT("hits of the '90s", pub, "'90s", "DATE", "1990/1999");
	EXPECT("since the nineties", pub, "nineties", "DATE", "1990/1999");
	EXPECT("on Christmas Day 2024 the", pub, "Christmas Day 2024", "DATE", "2024-12-25");
	EXPECT("before Christmas the", pub, "Christmas", "DATE", "2026-12-25");
	EXPECT("on New Year's Day the", pub, "New Year's Day", "DATE", "2026-01-01");
	EXPECT("at Easter 2025", pub, "Easter 2025", "DATE", "2025-04-20");
	EXPECT("on Thanksgiving 2024", pub, "Thanksgiving 2024", "DATE", "2024-11-28");
	EXPECT("on Good Friday 2025 the", pub, "Good Friday 2025", "DATE", "2025-04-18");
	EXPECT("by Memorial Day 2024 the", pub, "Memorial Day 2024", "DATE", "2024-05-27");
	EXPECT("on Labor Day 2025 the", pub, "Labor Day 2025", "DATE", "2025-09-01");
	EXPECT("at Christmas", NULL, "Christmas", "DATE", "XXXX-12-25");
	EXPECT("in fiscal 2025 the", pub, "fiscal 2025", "DATE", "FY2025");
	EXPECT("for fiscal year 2024 the", pub, "fiscal year 2024", "DATE", "FY2024");
	EXPECT("its FY2023 results", pub, "FY2023", "DATE", "FY2023");
	EXPECT("in the third quarter of 2025", pub, "third quarter of 2025", "DATE", "2025-Q3");
	EXPECT("results for Q4 2024 were", pub, "Q4 2024", "DATE", "2024-Q4");
	EXPECT("in the first half of 2025", pub, "first half of 2025", "DATE", "2025-H1");
	CHECK(!find("in the first half the", pub, "first half")); /* of a match */
	CHECK(!find("Christmas Island is", pub, "Christmas"));
	/* "Jan" is a month before a day or a year, a first name otherwise */
	EXPECT("on Jan 14 the", pub, "Jan 14", "DATE", "2026-01-14");
	EXPECT("since Jan 2025 the", pub, "Jan 2025", "DATE", "2025-01");
	EXPECT("since Jan. 2025 the", pub, "Jan. 2025", "DATE", "2025-01");
	CHECK(!find("U.N. envoy Jan Egeland said", pub, "Jan"));
}

static void test_relative(void)
{
	const char *pub = "2026-03-04"; /* a Wednesday */
	/* resolved against the reference date and flagged with it */
	EXPECT("since last year the", pub, "last year", "DATE", "2025;relative=2026-03-04");
	EXPECT("earlier this year", pub, "this year", "DATE", "2026;relative=2026-03-04");
	EXPECT("over the next five years", pub, "next five years", "DATE",
	       "2027/2031;relative=2026-03-04");
	EXPECT("the past two years", pub, "past two years", "DATE",
	       "2024/2025;relative=2026-03-04");
	EXPECT("in the next decade", pub, "next decade", "DATE", "2036/2045;relative=2026-03-04");
	EXPECT("said on Monday that", pub, "Monday", "DATE", "2026-03-02;relative=2026-03-04");
	EXPECT("said on Wednesday that", pub, "Wednesday", "DATE",
	       "2026-03-04;relative=2026-03-04");
	EXPECT("said yesterday", pub, "yesterday", "DATE", "2026-03-03;relative=2026-03-04");
	EXPECT("said today that", pub, "today", "DATE", "2026-03-04;relative=2026-03-04");
	EXPECT("later next month", pub, "next month", "DATE", "2026-04;relative=2026-03-04");
	EXPECT("last month", "2026-01-15", "last month", "DATE", "2025-12;relative=2026-01-15");
	EXPECT("three years ago", pub, "three years ago", "DATE", "2023;relative=2026-03-04");
	EXPECT("last week", pub, "last week", "DATE", "2026-02-23/2026-03-01;relative=2026-03-04");
	/* no reference date: flagged, unresolved */
	EXPECT("since last year", NULL, "last year", "DATE", ";relative");
	EXPECT("said today", NULL, "today", "DATE", ";relative");
	/* absolute dates carry no flag */
	EXPECT("on 5 March 2025 the", pub, "5 March 2025", "DATE", "2025-03-05");
}

static void test_not_entities(void)
{
	CHECK(!find("He bought 2024 robots", NULL, "2024 yuan"));
	CHECK(find("2024 yuan", NULL, "2024 yuan") && strcmp(got_type, "MONEY") == 0);
	CHECK(!find("at 3 pm", NULL, "3"));
	CHECK(!find("Room 12 is", NULL, "12"));
}

int main(void)
{
	test_tokenizer();
	test_money();
	test_news_money();
	test_percent();
	test_dates();
	test_news_dates();
	test_relative();
	test_not_entities();
	return check_finish();
}
