/*
 * robots.txt: see robots.h.
 *
 * Parsing keeps only what the chosen group says: the rules of every group
 * whose user-agent line names our product token, or, when none does, the
 * rules of the `*` groups. Several groups that match are merged, as the RFC
 * asks.
 */
#include "robots.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct robots_rule {
	char *pattern;
	size_t len;
	int allow;
} robots_rule;

/* One set of rules; `specific` for our agent's groups, `star` for `*`. */
typedef struct rule_set {
	robots_rule *v;
	size_t n;
	int64_t delay_ms;
	int seen; /* a group for this set exists */
} rule_set;

struct wn_robots {
	rule_set rules;
	int deny_all; /* unreachable robots.txt */
};

/* The product token of a user agent: up to the first '/', space or ';'. */
static size_t agent_token(const char *ua, char *out, size_t cap)
{
	size_t n = 0;
	while (ua && ua[n] && ua[n] != '/' && ua[n] != ' ' && ua[n] != ';' && n + 1 < cap) {
		out[n] = ua[n];
		n++;
	}
	out[n] = '\0';
	return n;
}

static void set_add(rule_set *s, const char *pat, size_t len, int allow)
{
	s->v = wn_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = (robots_rule){wn_xstrndup(pat, len), len, allow};
}

static void set_free(rule_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].pattern);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Trims spaces at both ends of [*b, *e). */
static void trim(const char **b, const char **e)
{
	while (*b < *e && isspace((unsigned char)**b))
		(*b)++;
	while (*e > *b && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* Parser state across lines: which sets the current group feeds. */
typedef struct robots_parse {
	const char *token;
	rule_set specific, star;
	int in_agents; /* the previous line was a user-agent line */
	int to_specific, to_star;
} robots_parse;

static void on_agent(robots_parse *p, const char *v, size_t n)
{
	if (!p->in_agents)
		p->to_specific = p->to_star = 0; /* a new group starts */
	p->in_agents = 1;
	char tok[128];
	size_t k = 0;
	while (k < n && k + 1 < sizeof(tok) && v[k] != '/' && !isspace((unsigned char)v[k])) {
		tok[k] = v[k];
		k++;
	}
	tok[k] = '\0';
	if (strcmp(tok, "*") == 0) {
		p->to_star = 1;
		p->star.seen = 1;
	} else if (*p->token && strcasecmp(tok, p->token) == 0) {
		p->to_specific = 1;
		p->specific.seen = 1;
	}
}

static void on_rule(robots_parse *p, const char *key, size_t kn, const char *v, size_t n)
{
	p->in_agents = 0;
	int allow = kn == 5 && strncasecmp(key, "allow", 5) == 0;
	int disallow = kn == 8 && strncasecmp(key, "disallow", 8) == 0;
	int delay = kn == 11 && strncasecmp(key, "crawl-delay", 11) == 0;
	if (delay) {
		char num[32];
		size_t k = n < sizeof(num) - 1 ? n : sizeof(num) - 1;
		memcpy(num, v, k);
		num[k] = '\0';
		char *end;
		double s = strtod(num, &end);
		if (end != num && s >= 0 && s < 86400) {
			if (p->to_specific)
				p->specific.delay_ms = (int64_t)(s * 1000);
			if (p->to_star)
				p->star.delay_ms = (int64_t)(s * 1000);
		}
		return;
	}
	if ((!allow && !disallow) || n == 0)
		return; /* unknown keys, and an empty Disallow, say nothing */
	if (p->to_specific)
		set_add(&p->specific, v, n, allow);
	if (p->to_star)
		set_add(&p->star, v, n, allow);
}

/* One line "key: value # comment". */
static void parse_line(robots_parse *p, const char *b, const char *e)
{
	const char *hash = memchr(b, '#', (size_t)(e - b));
	if (hash)
		e = hash;
	const char *colon = memchr(b, ':', (size_t)(e - b));
	if (!colon)
		return;
	const char *kb = b, *ke = colon, *vb = colon + 1, *ve = e;
	trim(&kb, &ke);
	trim(&vb, &ve);
	size_t kn = (size_t)(ke - kb), vn = (size_t)(ve - vb);
	if (kn == 10 && strncasecmp(kb, "user-agent", 10) == 0) {
		on_agent(p, vb, vn);
		return;
	}
	on_rule(p, kb, kn, vb, vn);
}

wn_robots *wn_robots_parse(const char *text, size_t len, const char *agent)
{
	char token[128];
	agent_token(agent, token, sizeof(token));
	robots_parse p = {.token = token};
	p.specific.delay_ms = p.star.delay_ms = -1;
	if (len > WN_ROBOTS_MAX_BYTES)
		len = WN_ROBOTS_MAX_BYTES;
	const char *s = text, *end = text + len;
	while (s < end) {
		const char *nl = s;
		while (nl < end && *nl != '\n' && *nl != '\r')
			nl++;
		parse_line(&p, s, nl);
		s = nl + 1;
	}
	wn_robots *r = wn_xcalloc(1, sizeof(*r));
	if (p.specific.seen) {
		r->rules = p.specific;
		set_free(&p.star);
	} else {
		r->rules = p.star;
		set_free(&p.specific);
	}
	return r;
}

wn_robots *wn_robots_all(int allow)
{
	wn_robots *r = wn_xcalloc(1, sizeof(*r));
	r->deny_all = !allow;
	r->rules.delay_ms = -1;
	return r;
}

/*
 * Does pattern p (with '*' and a final '$') match a prefix of s? The
 * classic greedy wildcard walk with one backtrack point: linear in
 * practice and never exponential, whatever the number of stars.
 */
static int pattern_match(const char *p, size_t pn, const char *s)
{
	int anchored = pn > 0 && p[pn - 1] == '$';
	if (anchored)
		pn--;
	size_t i = 0, j = 0, star = (size_t)-1, mark = 0, sn = strlen(s);
	while (j < sn) {
		if (i < pn && p[i] == '*') {
			star = i++;
			mark = j;
		} else if (i < pn && p[i] == s[j]) {
			i++;
			j++;
		} else if (i == pn && !anchored) {
			return 1; /* the pattern matched a prefix */
		} else if (star != (size_t)-1) {
			i = star + 1;
			j = ++mark;
		} else {
			return 0;
		}
	}
	while (i < pn && p[i] == '*')
		i++;
	return i == pn;
}

int wn_robots_allowed(const wn_robots *r, const char *path)
{
	if (!r)
		return 1;
	if (r->deny_all)
		return 0;
	if (strcmp(path, "/robots.txt") == 0)
		return 1;
	size_t best = 0;
	int allow = 1, found = 0;
	for (size_t i = 0; i < r->rules.n; i++) {
		const robots_rule *rule = &r->rules.v[i];
		if (!pattern_match(rule->pattern, rule->len, path))
			continue;
		if (!found || rule->len > best || (rule->len == best && rule->allow)) {
			best = rule->len;
			allow = rule->allow;
			found = 1;
		}
	}
	return allow;
}

int64_t wn_robots_crawl_delay_ms(const wn_robots *r)
{
	return r ? r->rules.delay_ms : -1;
}

void wn_robots_free(wn_robots *r)
{
	if (!r)
		return;
	set_free(&r->rules);
	free(r);
}
