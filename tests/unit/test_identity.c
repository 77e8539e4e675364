/*
 * Canonical URLs and ids: what analysts join and dedup on.
 */
#include <stdlib.h>

#include "check.h"
#include "identity.h"

static void canon(const char *in, const char *want)
{
	char *got = wn_canonical_url(in);
	CHECK_STR(got, want);
	free(got);
}

int main(void)
{
	canon("HTTPS://News.Example.COM/a/b?x=1", "https://news.example.com/a/b?x=1");
	canon("http://example.com:80/p", "http://example.com/p");
	canon("https://example.com:443/p", "https://example.com/p");
	canon("https://example.com:8443/p", "https://example.com:8443/p");
	canon("https://example.com/p#section", "https://example.com/p");
	canon("https://example.com", "https://example.com/");
	canon("https://example.com/p?utm_source=x&b=2&a=1&fbclid=zz",
	      "https://example.com/p?a=1&b=2");
	canon("https://example.com/p?utm_medium=y", "https://example.com/p");
	canon("  https://example.com/Case/Kept  ", "https://example.com/Case/Kept");
	canon("https://user@Example.com/p", "https://user@example.com/p");
	canon("https://[2001:DB8::1]:443/p", "https://[2001:db8::1]/p");
	canon("file:///srv/a%20b.html", "file:///srv/a%20b.html");
	canon("not a url", "not a url");
	CHECK(wn_canonical_url(NULL) == NULL);

	/* The id is the first 16 hex digits of SHA-256 of the canonical URL,
	 * so equivalent URLs share it. */
	char a[17], b[17], c[17];
	wn_url_id("https://Example.com/p?b=2&a=1#x", a);
	wn_url_id("https://example.com/p?a=1&b=2&utm_campaign=q", b);
	wn_url_id("https://example.com/q", c);
	CHECK_STR(a, b);
	CHECK(strcmp(a, c) != 0);
	/* sha256("https://example.com/") = 0f115db0... */
	wn_url_id("https://example.com", a);
	CHECK_STR(a, "0f115db062b7c0dd");
	return check_finish();
}
