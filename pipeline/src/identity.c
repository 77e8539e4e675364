/*
 * Canonical URLs and ids: see identity.h.
 */
#include "identity.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Query parameters that only track the visitor and never change the page. */
static int tracking_param(const char *p, size_t n)
{
	static const char *const exact[] = {"fbclid", "gclid",   "dclid", "msclkid", "mc_cid",
	                                    "mc_eid", "igshid",  "yclid", "_ga",     "_hsenc",
	                                    "_hsmi",  "mkt_tok", NULL};
	if (n >= 4 && strncmp(p, "utm_", 4) == 0)
		return 1;
	for (const char *const *e = exact; *e; e++)
		if (strlen(*e) == n && strncmp(p, *e, n) == 0)
			return 1;
	return 0;
}

static int cmp_param(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the query `q` (without '?') to b with tracking params removed
 * and the rest sorted; nothing when no parameter remains. */
static void add_query(wn_buf *b, const char *q)
{
	char *copy = wn_xstrdup(q);
	char **params = NULL;
	size_t n = 0;
	char *save = NULL;
	for (char *t = strtok_r(copy, "&", &save); t; t = strtok_r(NULL, "&", &save)) {
		size_t klen = strcspn(t, "=");
		if (!*t || tracking_param(t, klen))
			continue;
		params = wn_xrealloc(params, (n + 1) * sizeof(*params));
		params[n++] = t;
	}
	/* Whole "k=v" strings are compared, so the order is total: equal
	 * entries are identical and their relative order cannot show. */
	if (n > 1)
		qsort(params, n, sizeof(*params), cmp_param);
	for (size_t i = 0; i < n; i++) {
		wn_buf_addc(b, i ? '&' : '?');
		wn_buf_adds(b, params[i]);
	}
	free(params);
	free(copy);
}

char *wn_canonical_url(const char *url)
{
	if (!url)
		return NULL;
	while (isspace((unsigned char)*url))
		url++;
	size_t len = strlen(url);
	while (len && isspace((unsigned char)url[len - 1]))
		len--;
	char *u = wn_xstrndup(url, len);
	char *colon = strstr(u, "://");
	if (!colon) /* not an absolute URL: only trimmed */
		return u;
	wn_buf b = {0};
	for (char *p = u; p < colon; p++)
		wn_buf_addc(&b, (char)tolower((unsigned char)*p));
	wn_buf_adds(&b, "://");
	char *host = colon + 3;
	size_t hlen = strcspn(host, "/?#");
	char *rest = host + hlen;
	/* Lower-case the host part (after any userinfo), drop a default port. */
	char *at = memchr(host, '@', hlen);
	char *h0 = at ? at + 1 : host;
	if (at)
		wn_buf_add(&b, host, (size_t)(h0 - host));
	size_t h0len = (size_t)(rest - h0);
	char *port = memchr(h0, ':', h0len);
	if (h0len && h0[0] == '[') /* IPv6 literal: port after ']' */
		port = memchr(h0, ']', h0len) ? strchr(memchr(h0, ']', h0len), ':') : NULL;
	if (port && port > rest)
		port = NULL;
	size_t name_len = port ? (size_t)(port - h0) : h0len;
	for (size_t i = 0; i < name_len; i++)
		wn_buf_addc(&b, (char)tolower((unsigned char)h0[i]));
	if (port) {
		size_t plen = (size_t)(rest - port);
		int def =
		    (plen == 3 && strncmp(port, ":80", 3) == 0 && strncmp(b.p, "http:", 5) == 0) ||
		    (plen == 4 && strncmp(port, ":443", 4) == 0 && strncmp(b.p, "https:", 6) == 0);
		if (!def && plen > 1)
			wn_buf_add(&b, port, plen);
	}
	char *hash = strchr(rest, '#');
	if (hash)
		*hash = '\0';
	char *q = strchr(rest, '?');
	if (q)
		*q = '\0';
	if (!*rest && strncmp(b.p, "http", 4) == 0)
		wn_buf_addc(&b, '/');
	wn_buf_adds(&b, rest);
	if (q)
		add_query(&b, q + 1);
	free(u);
	return b.p ? b.p : wn_xstrdup("");
}

void wn_url_id(const char *url, char out[17])
{
	char *c = wn_canonical_url(url ? url : "");
	wn_bytes_id(c, strlen(c), out);
	free(c);
}

void wn_bytes_id(const void *data, size_t n, char out[17])
{
	char hex[65];
	wn_sha256_hex(data, n, hex);
	memcpy(out, hex, 16);
	out[16] = '\0';
}
