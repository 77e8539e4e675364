/*
 * wn_clean_page: the whole cleaning of one page (see wn_clean.h).
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wn_clean_opts_init(wn_clean_opts *o)
{
	o->max_size = 16 << 20;
	o->min_text = 25;
	o->keep_tables = 1;
	o->keep_headings = 1;
	o->keep_lists = 1;
}

void wn_clean_doc_free(wn_clean_doc *d)
{
	char **f[] = {&d->title, &d->author,        &d->published, &d->modified,
	              &d->lang,  &d->canonical_url, &d->site_name, &d->description,
	              &d->image, &d->tags,          &d->text};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		free(*f[i]);
		*f[i] = NULL;
	}
	memset(d, 0, sizeof *d);
}

static int fail(wn_clean_doc *d, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->err_msg, sizeof d->err_msg, fmt, ap);
	va_end(ap);
	d->err_code = code;
	return WN_CLEAN_ERROR;
}

/* libxml2 parse options: recover from anything, never touch the network,
 * stay silent, compact the tree, and ignore <meta charset> since the input
 * is already UTF-8. Entities are not expanded (no HTML_PARSE_NOENT). HUGE
 * lifts the nesting limit of 256, below which libxml2 dropped the rest of
 * the page in silence (the tree walks here are iterative: 200,000 levels
 * are fine). */
#define WN_HTML_OPTS                                                                               \
	(HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |       \
	 HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE)

int wn_clean_page(const char *bytes, size_t n, const char *content_type, const char *url,
                  const wn_clean_opts *opts, wn_clean_doc *out)
{
	return wn_clean_page_sink(bytes, n, content_type, url, opts, out, NULL);
}

int wn_clean_page_sink(const char *bytes, size_t n, const char *content_type, const char *url,
                       const wn_clean_opts *opts, wn_clean_doc *out, const wn_block_sink *sink)
{
	wn_clean_opts defaults;
	if (!opts) {
		wn_clean_opts_init(&defaults);
		opts = &defaults;
	}
	memset(out, 0, sizeof *out);
	if (!bytes || n == 0)
		return fail(out, "empty", "empty input");
	if (opts->max_size > 0 && n > (uint64_t)opts->max_size)
		return fail(out, "too_large", "input is %zu bytes, over max_size %lld", n,
		            (long long)opts->max_size);
	int kind = wn_clean_sniff(bytes, n, content_type);
	if (kind == WN_SNIFF_BINARY)
		return fail(out, "binary", "input is binary, not HTML");
	if (kind == WN_SNIFF_TEXT)
		return WN_CLEAN_NOT_HTML;

	size_t len;
	char *owned; /* valid UTF-8 is parsed where it lies: no copy */
	const char *utf8 =
	    wn_clean_decode_view(bytes, n, content_type, &len, &out->charset, &owned);
	if (!utf8)
		return fail(out, "nomem", "out of memory decoding the page");
	if (len > INT32_MAX) {
		free(owned);
		return fail(out, "too_large", "decoded page too large");
	}
	/* divs left open inside a button or nav would make libxml2 ignore its
	 * end tag and nest the article inside it: close them first */
	size_t fixed_len;
	char *fixed = wn_html_reclose(utf8, len, &fixed_len);
	if (fixed && fixed_len <= INT32_MAX) {
		free(owned);
		owned = fixed;
		utf8 = fixed;
		len = fixed_len;
	} else {
		free(fixed);
	}
	xmlDoc *doc = htmlReadMemory(utf8, (int)len, url, "UTF-8", WN_HTML_OPTS);
	free(owned);
	if (!doc || !xmlDocGetRootElement(doc)) {
		if (doc)
			xmlFreeDoc(doc);
		return fail(out, "parse", "libxml2 could not build a tree");
	}
	/* a page that goes on after "</body></html>": its text is the page's */
	wn_dom_adopt_trailing(xmlDocGetRootElement(doc));
	wn_meta_extract(doc, url, out);
	char *byline = NULL;
	int rc = wn_content_extract(doc, opts, out, &byline, sink);
	xmlFreeDoc(doc);
	if (rc) {
		free(byline);
		wn_clean_doc_free(out);
		return fail(out, "nomem", "out of memory extracting the text");
	}
	if (!wn_page_type_authored(out->page_type)) {
		free(out->author);
		out->author = NULL;
	} else if (!out->author && byline) {
		wn_clean_author(byline); /* "By Jane Doe · 3 May" -> "Jane Doe" */
		if (byline[0]) {
			out->author = byline;
			byline = NULL;
		}
	}
	free(byline);
	return WN_CLEAN_OK;
}
