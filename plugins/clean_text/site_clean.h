/*
 * Cleaning a batch of pages with the site memory (site_memory.h), in two
 * passes so that the result depends only on the batch and on the memory
 * as it was when the run started, never on thread timing: pass 1 cleans
 * every page with the earlier runs' counts and counts each page's lines
 * per site; pass 2 cleans again the pages where the batch's own counts
 * make a line boilerplate. The plugin and clean_text_tool both use it.
 */
#ifndef WN_SITE_CLEAN_H
#define WN_SITE_CLEAN_H

#include <stddef.h>
#include <stdint.h>

#include "clean_core.h"
#include "site_memory.h"

/* One page of a batch. */
typedef struct wn_site_page {
	const char *text; /* NULL: skipped (res zeroed, rc 0) */
	size_t len;
	const char *site;        /* site key (wn_sitemem_site_of), NULL or "": no memory */
	int from_html;           /* as wn_clean_opts.from_html */
	const char *known_title; /* as wn_clean_opts.known_title */
} wn_site_page;

/* Cleans n pages into res[n] (each freed by the caller with
 * wn_clean_result_free) with `base` as options for all of them. A line is
 * a site's boilerplate when its count in `before` (may be NULL) plus its
 * count in this batch reaches min_pages (0: no site memory at all). When
 * `learnt` is not NULL the batch's counts are added to it. Returns 0, or
 * -1 when out of memory (every res[] is then freed). */
int wn_clean_site_batch(const wn_site_page *pages, size_t n, const wn_clean_opts *base,
                        const wn_sitemem *before, uint32_t min_pages, wn_sitemem *learnt,
                        wn_clean_result *res);

#endif
