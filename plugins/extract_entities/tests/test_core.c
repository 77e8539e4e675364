/*
 * The stage core's article-level rules, on texts where the context decides
 * (so the result does not hang on the tagger's guesses): list cues, place
 * designators and heads, "Bureau of X and Y", common-noun acronyms, the
 * user gazetteer, hyphenated place pairs, and surname linking.
 */
#include "check.h"
#include "core.h"

#include <stdio.h>
#include <string.h>

static wn_ee ee;
static wn_ee_work w;

/* Type name of the entity with exactly this surface text, or NULL. */
static const char *type_of(const char *s, const char *text)
{
	for (size_t i = 0; i < w.ents.n; i++) {
		const wn_ent *e = &w.ents.v[i];
		if (e->end - e->start == strlen(text) &&
		    memcmp(s + e->start, text, strlen(text)) == 0)
			return wn_etype_name(e->type);
	}
	return NULL;
}

static const char *canon_of(const char *s, const char *text)
{
	static char buf[256];
	for (size_t i = 0; i < w.ents.n; i++) {
		const wn_ent *e = &w.ents.v[i];
		if (e->end - e->start == strlen(text) &&
		    memcmp(s + e->start, text, strlen(text)) == 0) {
			if (!e->canon)
				return text;
			snprintf(buf, sizeof buf, "%.*s", (int)e->canon_len, e->canon);
			return buf;
		}
	}
	return NULL;
}

static void run(const char *s)
{
	wn_refdate ref;
	wn_refdate_parse("2026-03-04", &ref);
	CHECK(wn_ee_run(&ee, &w, s, strlen(s), &ref, 1) == 0);
}

static void test_cues(void)
{
	const char *s = "The city hosts tech giants like Zorvex and Quallin Systems, and the "
	                "Varlo and Pemberth districts grew fastest. Exports from the Greater "
	                "Mirren Area rose, said the Bureau of Trade and Industrial Planning.";
	run(s);
	CHECK_STR(type_of(s, "Zorvex"), "ORG");
	CHECK_STR(type_of(s, "Quallin Systems"), "ORG");
	CHECK_STR(type_of(s, "Varlo"), "GPE");
	CHECK_STR(type_of(s, "Pemberth"), "GPE");
	CHECK_STR(type_of(s, "Greater Mirren Area"), "GPE");
	CHECK_STR(type_of(s, "Bureau of Trade and Industrial Planning"), "ORG");
}

static void test_acronyms_and_pairs(void)
{
	const char *s = "Investment in AI and GDP growth lifted China-Japan trade, the Office "
	                "of Port Planning (OPP) said. OPP expects more.";
	run(s);
	CHECK(type_of(s, "AI") == NULL);
	CHECK(type_of(s, "GDP") == NULL);
	CHECK_STR(type_of(s, "China"), "GPE");
	CHECK_STR(type_of(s, "Japan"), "GPE");
	CHECK_STR(type_of(s, "Office of Port Planning"), "ORG");
	CHECK_STR(canon_of(s, "OPP"), "Office of Port Planning");
}

static void test_user_gazetteer(void)
{
	const char *s = "Shares of Acme rose in Pengcheng on Monday.";
	run(s);
	CHECK_STR(type_of(s, "Acme"), "ORG");
	CHECK_STR(canon_of(s, "Pengcheng"), "Shenzhen");
	CHECK_STR(type_of(s, "Monday"), "DATE");
}

static void test_org_short_forms(void)
{
	const char *s = "Dravik Aerial Logistics raised funds from the Shenzhen Harbour Fund. "
	                "Dravik operates 40 routes. The new Fund office opened in Shenzhen.";
	run(s);
	CHECK_STR(type_of(s, "Dravik"), "ORG");
	CHECK_STR(canon_of(s, "Dravik"), "Dravik Aerial Logistics");
	CHECK_STR(type_of(s, "Shenzhen"), "GPE"); /* a place opening an ORG stays a place */
	CHECK(type_of(s, "Fund") == NULL);        /* an ORG head word alone is no name */
	const char *t = "Chief executive Mara Quell said Valtrix Semiconductor will hire 300 "
	                "engineers. Valtrix expects sales to double.";
	run(t);
	CHECK_STR(type_of(t, "Valtrix Semiconductor"), "ORG"); /* an industry head */
	const char *u = "The exhibition moves from Penrow Library to Galt Hospital in May.";
	run(u);
	CHECK_STR(type_of(u, "Penrow Library"), "ORG"); /* institutions, not places */
	CHECK_STR(type_of(u, "Galt Hospital"), "ORG");
	run(t);
	CHECK_STR(canon_of(t, "Valtrix"), "Valtrix Semiconductor");
}

static void test_street_names(void)
{
	const char *s = "Shops on Kelbrook Street and Varney Road closed early, and the "
	                "crowd moved to Ostrand Square.";
	run(s);
	CHECK_STR(type_of(s, "Kelbrook Street"), "LOC");
	CHECK_STR(type_of(s, "Varney Road"), "LOC");
	CHECK_STR(type_of(s, "Ostrand Square"), "LOC");
}

static void test_org_by_context(void)
{
	const char *s = "Investors backed Quorrin again. The round brings Quorrin's total "
	                "funding to $71 million, said Quorrin co-founder Ayesha Karimova.";
	run(s);
	CHECK_STR(type_of(s, "Quorrin"), "ORG"); /* owned nouns: funding, co-founder */
	CHECK_STR(type_of(s, "Ayesha Karimova"), "PERSON");
	const char *t = "Pellucid Systems closed a Series D round led by Harbor Gate Capital.";
	run(t);
	CHECK(type_of(t, "Series D") == NULL); /* a funding round, no name */
	CHECK_STR(type_of(t, "Harbor Gate Capital"), "ORG");
}

/* The n-th entity (0-based) with this surface text: its type, or NULL. */
static const char *type_nth(const char *s, const char *text, int nth)
{
	for (size_t i = 0; i < w.ents.n; i++) {
		const wn_ent *e = &w.ents.v[i];
		if (e->end - e->start == strlen(text) &&
		    memcmp(s + e->start, text, strlen(text)) == 0 && nth-- == 0)
			return wn_etype_name(e->type);
	}
	return NULL;
}

/* News page structure: names on headline, dateline and results lines are
 * found (not filtered out); a place playing a match is an ORG, the same
 * place in "Name (Country)" a GPE; a dateline's place is a GPE and never
 * runs into the headline above it; a name wrapped across lines is one
 * entity whose offsets cover the line break; a relative date carries its
 * anchor. */
static void test_news_structure(void)
{
	const char *s = "SOCCER - ARSENAL BEAT CHELSEA IN LONDON\n"
	                "LONDON 1996-08-30\n"
	                "Austria drew with Ghana in Madrid on Tuesday.\n"
	                "Chile 2 Peru 1\n"
	                "1. Tirunesh Dibaba (Ethiopia) 14:30.88\n"
	                "2. Marta Soler (Chile) 14:31.02\n"
	                "The talks led by Chancellor Angela\n"
	                "Merkel ended on Monday.";
	run(s);
	CHECK_STR(type_nth(s, "LONDON", 0), "GPE");
	CHECK_STR(type_nth(s, "LONDON", 1), "GPE"); /* the dateline, apart */
	CHECK_STR(type_of(s, "Austria"), "ORG");
	CHECK_STR(type_of(s, "Ghana"), "ORG");
	CHECK_STR(type_nth(s, "Chile", 0), "ORG"); /* a results row */
	CHECK_STR(type_of(s, "Peru"), "ORG");
	CHECK_STR(type_nth(s, "Chile", 1), "GPE"); /* an athlete's country */
	CHECK_STR(type_of(s, "Ethiopia"), "GPE");
	CHECK_STR(type_of(s, "Angela\nMerkel"), "PERSON");
	for (size_t i = 0; i < w.ents.n; i++)
		if (w.ents.v[i].type == WN_E_DATE && w.ents.v[i].end - w.ents.v[i].start == 6 &&
		    memcmp(s + w.ents.v[i].start, "Monday", 6) == 0)
			CHECK_STR(w.ents.v[i].value, "2026-03-02;relative=2026-03-04");
}

/* How a tagged "A and B" is cut: after a preposition of the name, after
 * one word before a longer name, after common words only, it stays one
 * organisation; two names of their own are two. A demonym before a place
 * designator is no place; an organisation's head after a possessive keeps
 * the name whole. */
static void test_and_possessive_cues(void)
{
	const char *s = "The report came from the Dorvel Center for Economic and Social Rights "
	                "in Vantry on Monday.";
	run(s);
	CHECK_STR(type_of(s, "Dorvel Center for Economic and Social Rights"), "ORG");
	const char *t = "Rebels of the Justice and Equality Movement attacked a town, and "
	                "Kenyan provinces reported floods.";
	run(t);
	CHECK_STR(type_of(t, "Justice and Equality Movement"), "ORG");
	CHECK(type_of(t, "Kenyan") == NULL || strcmp(type_of(t, "Kenyan"), "GPE") != 0);
	const char *u = "Fighters of the Lord's Resistance Army crossed the border.";
	run(u);
	CHECK_STR(type_of(u, "Lord's Resistance Army"), "ORG");
}

/* The ablation switches ee-bench reads (WN_EE_SKIP). */
static void test_skip_parse(void)
{
	CHECK(wn_ee_skip_parse(NULL) == 0);
	CHECK(wn_ee_skip_parse("") == 0);
	CHECK(wn_ee_skip_parse("rules") == WN_EE_SKIP_RULES);
	CHECK(wn_ee_skip_parse("start,link") == (WN_EE_SKIP_START | WN_EE_SKIP_LINK));
	CHECK(wn_ee_skip_parse("all") == WN_EE_SKIP_ALL);
	CHECK(wn_ee_skip_parse("rules,nosuch") == -1);
	/* every step off: no rules (dates), nothing added after the tagger */
	const char *s = "Investors met in Paris on Monday.";
	run(s);
	CHECK_STR(type_of(s, "Monday"), "DATE");
	ee.skip = (unsigned)wn_ee_skip_parse("all");
	run(s);
	CHECK(type_of(s, "Monday") == NULL);
	ee.skip = 0;
}

int main(void)
{
	char err[256];
	const char *user[] = {WN_TEST_DIR "/tests/fixtures/user.tsv", NULL};
	CHECK(wn_ee_open(&ee, WN_EE_MODEL_SRC, "/usr/share/iso-codes/json", "/usr/share/zoneinfo",
	                 WN_GEONAMES_MO, user, err, sizeof err) == 0);
	test_cues();
	test_acronyms_and_pairs();
	test_user_gazetteer();
	test_org_short_forms();
	test_street_names();
	test_org_by_context();
	test_news_structure();
	test_and_possessive_cues();
	test_skip_parse();
	wn_ee_work_free(&w);
	wn_ee_close(&ee);
	return check_finish();
}
