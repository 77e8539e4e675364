/*
 * A synthetic news site for the site-memory tests: page i of 50 has a
 * headline, a byline, five story paragraphs made from a seeded generator
 * (one of them shares words with the disclaimer on purpose), then the
 * site's recurring tail: a two-line disclaimer on every page, the bio of
 * one of three authors (each on a third of the pages) and a newsletter
 * call to action. Deterministic: the same i gives the same page.
 */
#ifndef WN_TEST_SITEGEN_H
#define WN_TEST_SITEGEN_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SITEGEN_PAGES 50

static const char *const sitegen_boiler[] = {
    "Disclaimer: the information in this article is provided for general information only "
    "and does not constitute investment, legal or tax advice of any kind.",
    "Readers should consult a qualified adviser before making any financial decision based "
    "on what they read on Harbourlight Business.",
    "Mara Ellison covers ports, shipping and logistics for Harbourlight Business and "
    "previously reported on trade for a regional daily for nine years.",
    "Tomas Reyes writes about energy, utilities and the companies building the region's new "
    "power grid, and hosts the weekly Harbourlight Markets podcast.",
    "Ines Okafor is Harbourlight Business's technology editor; before journalism she worked "
    "as a software engineer at two start-ups in the harbour district.",
    "Sign up for our free weekly newsletter to get the best of Harbourlight Business in your "
    "inbox every Friday morning.",
    NULL};

/* A story sentence that shares words with the disclaimer, and must stay
 * (%s: the firm, %u: a figure). */
#define SITEGEN_SHARED_WORDS                                                                       \
	"Analysts said the general information in %s's filing does not constitute a change of "    \
	"strategy, although investment in the harbour will rise by %u per cent."

static uint32_t sitegen_rand(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static const char *sitegen_pick(uint32_t *s, const char *const *v, size_t n)
{
	return v[sitegen_rand(s) % n];
}

/* Writes page i into buf (cap bytes). Returns its length. */
static size_t sitegen_page(int i, char *buf, size_t cap)
{
	static const char *const firms[] = {
	    "Calder Marine",   "Westquay Freight", "Northmoor Energy", "Lindqvist Cables",
	    "Osprey Robotics", "Brackwater Ports", "Tern Analytics",   "Galloway Steel"};
	static const char *const verbs[] = {"expands",    "cuts jobs at", "wins contract for",
	                                    "invests in", "delays",       "sells stake in"};
	static const char *const things[] = {"container terminal", "wind farm", "cable factory",
	                                     "warehouse robots",   "dry dock",  "battery plant"};
	static const char *const people[] = {"chief executive Anna Brook",
	                                     "finance chief Leo Marsh", "union leader Pat Quinn",
	                                     "mayor Ruth Adeyemi", "analyst Omar Haddad"};
	static const char *const towns[] = {"Port Calder", "Westbay", "Lowmoor", "Kestrel Point"};
	uint32_t s = 2654435761u * (uint32_t)(i + 1);
	const char *firm = sitegen_pick(&s, firms, 8), *thing = sitegen_pick(&s, things, 6);
	size_t o = 0;

#define SG(...) o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, __VA_ARGS__)
	SG("%s %s %s in %s\n\n", firm, sitegen_pick(&s, verbs, 6), thing,
	   sitegen_pick(&s, towns, 4));
	SG("By %s\n\n", i % 3 == 0 ? "Mara Ellison" : i % 3 == 1 ? "Tomas Reyes" : "Ines Okafor");
	SG("%s said on %s that it would spend %u million on its %s in %s, the company's largest "
	   "project in %u years.\n\n",
	   firm, i % 2 ? "Tuesday" : "Thursday", 20 + sitegen_rand(&s) % 400, thing,
	   sitegen_pick(&s, towns, 4), 3 + sitegen_rand(&s) % 20);
	SG("The decision follows %u months of talks with the council, %s told reporters at the "
	   "site, adding that about %u people would work there by %u.\n\n",
	   2 + sitegen_rand(&s) % 30, sitegen_pick(&s, people, 5), 50 + sitegen_rand(&s) % 900,
	   2026 + sitegen_rand(&s) % 5);
	if (i % 5 == 2)
		SG(SITEGEN_SHARED_WORDS "\n\n", firm, 5 + (unsigned)i);
	SG("\"We have waited %u years for this,\" said %s. \"It brings work back to the "
	   "harbour, and the %s will need local suppliers for years.\"\n\n",
	   3 + sitegen_rand(&s) % 40, sitegen_pick(&s, people, 5), thing);
	SG("Shares in %s rose %u.%u per cent in early trading, while rivals %s and %s were little "
	   "changed.\n\n",
	   firm, sitegen_rand(&s) % 9, sitegen_rand(&s) % 10, sitegen_pick(&s, firms, 8),
	   sitegen_pick(&s, firms, 8));
	SG("Work on the %u-hectare %s is due to start in %s, subject to a final environmental "
	   "review by the regional authority.\n\n",
	   10 + (unsigned)i * 7, thing, i % 2 ? "the spring" : "the autumn");
	SG("%s\n%s\n\n%s\n\n%s\n", sitegen_boiler[0], sitegen_boiler[1], sitegen_boiler[2 + i % 3],
	   sitegen_boiler[5]);
#undef SG
	return o < cap ? o : cap - 1;
}

#endif
