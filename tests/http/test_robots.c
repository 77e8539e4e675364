/*
 * robots.txt rules (robots.c): group choice by product token, longest
 * match, Allow on ties, wildcards and '$', Crawl-delay, unreachable files.
 */
#include <string.h>

#include "check.h"
#include "robots.h"

static int allowed(const char *txt, const char *agent, const char *path)
{
	wn_robots *r = wn_robots_parse(txt, strlen(txt), agent);
	int ok = wn_robots_allowed(r, path);
	wn_robots_free(r);
	return ok;
}

static void test_groups(void)
{
	const char *txt = "User-agent: *\nDisallow: /private\n\n"
	                  "User-agent: Winnow\nDisallow: /no-winnow\nCrawl-delay: 2.5\n";
	/* Our own group replaces the '*' group entirely. */
	CHECK(allowed(txt, "winnow/1.0 (+mailto:x@y)", "/private/a"));
	CHECK(!allowed(txt, "winnow/1.0", "/no-winnow/a"));
	CHECK(!allowed(txt, "otherbot/2", "/private/a"));
	CHECK(allowed(txt, "otherbot/2", "/no-winnow"));
	wn_robots *r = wn_robots_parse(txt, strlen(txt), "winnow");
	CHECK(wn_robots_crawl_delay_ms(r) == 2500);
	wn_robots_free(r);
	/* Two user-agent lines share one group. */
	const char *two = "User-agent: a\nUser-agent: winnow\nDisallow: /x\n";
	CHECK(!allowed(two, "winnow", "/x"));
	CHECK(allowed(two, "b", "/x"));
}

static void test_rules(void)
{
	const char *txt = "user-agent: *   # everyone\n"
	                  "disallow: /a\nallow: /a/b\n"
	                  "disallow: /*.pdf$\n"
	                  "disallow: /p*q\n"
	                  "allow: /same\ndisallow: /same\n"
	                  "disallow:\n";
	CHECK(!allowed(txt, "w", "/a/c"));
	CHECK(allowed(txt, "w", "/a/b/c")); /* longer rule wins */
	CHECK(!allowed(txt, "w", "/x/y.pdf"));
	CHECK(allowed(txt, "w", "/x/y.pdf?z=1")); /* '$' anchors */
	CHECK(!allowed(txt, "w", "/pxxxq/r"));
	CHECK(allowed(txt, "w", "/same")); /* allow wins a tie */
	CHECK(allowed(txt, "w", "/robots.txt"));
	CHECK(allowed(txt, "w", "/"));
	/* Many stars do not blow up. */
	CHECK(!allowed("User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*a*a*b\n", "w",
	               "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
	CHECK(allowed("User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*a*a*b$\n", "w",
	              "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"));
}

static void test_all(void)
{
	wn_robots *deny = wn_robots_all(0), *allow = wn_robots_all(1);
	CHECK(!wn_robots_allowed(deny, "/x"));
	CHECK(wn_robots_allowed(allow, "/x"));
	CHECK(wn_robots_crawl_delay_ms(allow) == -1);
	wn_robots_free(deny);
	wn_robots_free(allow);
	CHECK(allowed("", "w", "/anything"));
	CHECK(allowed("garbage\n\0\xff", "w", "/anything"));
}

int main(void)
{
	test_groups();
	test_rules();
	test_all();
	return check_finish();
}
