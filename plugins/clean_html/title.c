/*
 * The headline out of a page title: "Headline | Site" as often as "Site ::
 * Headline". Evidence decides first (a side naming the site or the host,
 * a side matching the <h1>); a bare <title> then loses its short side.
 */
#include "internal.h"

#include <ctype.h>
#include <string.h>

/* Separators count only with a space on each side, so hyphenated words
 * and "9/11" never split. */
static const char *const seps[] = {
    " | ",        " - ",        " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ",
    " \xC2\xBB ", " \xC2\xAB ", " \xC2\xB7 ",     " \xE2\x80\xA2 ", " / ",
    NULL};

/* Host labels that never name a site on their own. */
static const char *const generic_labels[] = {"www",    "m",       "amp", "news", "blog", "blogs",
                                             "mobile", "edition", "com", "co",   "org",  "net",
                                             "gov",    "edu",     "ac",  NULL};

typedef struct span {
	const char *p;
	size_t n;
} span;

/* Comparison key: ASCII letters and digits lower-cased, other bytes kept,
 * punctuation and spaces dropped. Bounded by the size of k. */
static void key_of(span s, char *k, size_t ksz)
{
	size_t o = 0;
	for (size_t i = 0; i < s.n && o + 1 < ksz; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (isalnum(c) || c >= 0x80)
			k[o++] = (char)tolower(c);
	}
	k[o] = 0;
}

static size_t words_of(span s)
{
	size_t w = 0;
	for (size_t i = 0; i < s.n; i++)
		w += s.p[i] != ' ' && (i == 0 || s.p[i - 1] == ' ');
	return w;
}

/* A site's name starts with a capital, a digit or a non-ASCII letter;
 * a headline never continues with a lower-case word after a site. */
static int lower_start(span s)
{
	return s.n && islower((unsigned char)s.p[0]);
}

/* Keys equal, also with a leading "the" ("The Valley Gazette"). */
static int same_name(const char *a, const char *b)
{
	if (!*a || !*b)
		return 0;
	if (!strncmp(a, "the", 3) && a[3] && !strcmp(a + 3, b))
		return 1;
	if (!strncmp(b, "the", 3) && b[3] && !strcmp(a, b + 3))
		return 1;
	return !strcmp(a, b);
}

/* Does the segment name the host ("Valley Gazette" on valleygazette.example,
 * "BBC News" on bbc.co.uk)? Compared with each non-generic label but the
 * last (the top-level domain). */
static int names_host(const char *k, const char *host)
{
	if (!host || strlen(k) < 3)
		return 0;
	const char *end = host + strcspn(host, "/:?#");
	const char *last = NULL;
	for (const char *p = host; p < end; p++)
		if (*p == '.')
			last = p;
	for (const char *l = host; last && l < last;) {
		size_t n = strcspn(l, ".");
		char lab[128];
		span s = {l, n};
		key_of(s, lab, sizeof lab);
		int generic = 0;
		for (const char *const *g = generic_labels; *g; g++)
			generic |= !strcmp(lab, *g);
		size_t ll = strlen(lab);
		if (!generic && ll >= 3 &&
		    (!strcmp(k, lab) || (ll >= 4 && strstr(k, lab)) ||
		     (strlen(k) >= 4 && strstr(lab, k)) || !strncmp(k, lab, ll)))
			return 1;
		l += n + 1;
	}
	return 0;
}

/* Is segment s the site (its name, or the host's)? Site names are short. */
static int is_site(span s, const char *site, const char *host)
{
	if (!s.n || words_of(s) > 6)
		return 0;
	char k[512], sk[512];
	key_of(s, k, sizeof k);
	if (site) {
		span ss = {site, strlen(site)};
		key_of(ss, sk, sizeof sk);
		if (same_name(k, sk))
			return 1;
	}
	return names_host(k, host);
}

/* Is segment s the headline: equal to it, or a good part of it? */
static int is_headline(span s, const char *hkey)
{
	if (!hkey || !*hkey || !s.n)
		return 0;
	char k[4096];
	key_of(s, k, sizeof k);
	if (!*k)
		return 0;
	return !strcmp(k, hkey) || (words_of(s) >= 3 && strstr(hkey, k));
}

/* The first and the last separator of t; 0 when there is none. */
static int find_seps(const char *t, span *first, span *last)
{
	first->p = last->p = NULL;
	for (const char *const *sp = seps; *sp; sp++) {
		size_t sl = strlen(*sp);
		for (const char *p = strstr(t, *sp); p; p = strstr(p + 1, *sp)) {
			if (!first->p || p < first->p)
				first->p = p, first->n = sl;
			if (!last->p || p > last->p)
				last->p = p, last->n = sl;
		}
	}
	return first->p != NULL;
}

/* Shortest-side guess for a bare <title>: the cut side must be short and
 * capitalised, the kept side not a lower-case continuation and not shorter
 * unless it still reads as a title (three words). */
static int guess_ok(span cut, span keep)
{
	size_t cw = words_of(cut), kw = words_of(keep);
	return cw && cw <= 5 && !lower_start(cut) && !lower_start(keep) && (kw >= 3 || kw > cw);
}

void wn_clean_title_pick(char *t, const char *headline, const char *site, const char *host,
                         int guess)
{
	span a, b;
	if (!t || !find_seps(t, &a, &b))
		return;
	size_t tl = strlen(t);
	/* suffix cut keeps [0, b); prefix cut keeps after a */
	span keep_s = {t, (size_t)(b.p - t)}, cut_s = {b.p + b.n, tl - (size_t)(b.p + b.n - t)};
	span cut_p = {t, (size_t)(a.p - t)}, keep_p = {a.p + a.n, tl - (size_t)(a.p + a.n - t)};
	char hkey[4096] = "", tkey[4096];
	if (headline) {
		span h = {headline, strlen(headline)};
		key_of(h, hkey, sizeof hkey);
		span whole = {t, tl};
		key_of(whole, tkey, sizeof tkey);
		if (*hkey && strstr(hkey, tkey))
			return; /* the separator belongs to the headline */
	}
	int which = 0; /* 1: suffix cut, 2: prefix cut */
	if (is_site(cut_s, site, host))
		which = 1;
	else if (is_site(cut_p, site, host))
		which = 2;
	else if (is_headline(keep_s, hkey))
		which = 1;
	else if (is_headline(keep_p, hkey))
		which = 2;
	else if (guess) {
		int s_ok = guess_ok(cut_s, keep_s), p_ok = guess_ok(cut_p, keep_p);
		if (s_ok && p_ok)
			which = words_of(keep_p) > words_of(keep_s) ? 2 : 1;
		else
			which = s_ok ? 1 : p_ok ? 2 : 0;
	}
	if (which == 1)
		t[keep_s.n] = 0;
	else if (which == 2)
		memmove(t, keep_p.p, keep_p.n + 1);
}
