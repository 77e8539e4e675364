/*
 * Two-pass batch cleaning with the site memory: see site_clean.h.
 */
#include "site_clean.h"

#include <stdlib.h>
#include <string.h>

/* What the memory knows of one page's site while it is cleaned. */
typedef struct site_view {
	const wn_sitemem_site *before, *batch;
	uint32_t min_pages;
} site_view;

static int site_boiler(void *ud, uint64_t h)
{
	const site_view *v = ud;
	return wn_sitemem_count(v->before, h) + wn_sitemem_count(v->batch, h) >= v->min_pages;
}

static int has_site(const wn_site_page *p)
{
	return p->site && *p->site;
}

static int clean_one(const wn_site_page *p, const wn_clean_opts *base, site_view *v,
                     int want_hashes, wn_clean_result *res)
{
	wn_clean_opts o = *base;

	o.from_html = p->from_html;
	o.known_title = p->known_title;
	o.site_boiler = v ? site_boiler : NULL;
	o.site_ud = v;
	o.want_hashes = want_hashes;
	return wn_clean_text(p->text, p->len, &o, res);
}

/* True when a line of the page is boilerplate with the batch's counts but
 * was not with the earlier runs' alone: the page is cleaned again. */
static int needs_second_pass(const wn_clean_result *r, const site_view *v)
{
	for (size_t k = 0; k < r->n_hashes; k++) {
		uint32_t before = wn_sitemem_count(v->before, r->hashes[k]);
		if (before < v->min_pages &&
		    before + wn_sitemem_count(v->batch, r->hashes[k]) >= v->min_pages)
			return 1;
	}
	return 0;
}

int wn_clean_site_batch(const wn_site_page *pages, size_t n, const wn_clean_opts *base,
                        const wn_sitemem *before, uint32_t min_pages, wn_sitemem *learnt,
                        wn_clean_result *res)
{
	wn_sitemem *batch = min_pages ? wn_sitemem_new(0, 0) : NULL;
	int rc = min_pages && !batch ? -1 : 0;

	memset(res, 0, n * sizeof *res);
	for (size_t i = 0; i < n && !rc; i++) {
		const wn_site_page *p = &pages[i];
		int mem = batch && has_site(p);
		site_view v = {mem ? wn_sitemem_find(before, p->site) : NULL, NULL, min_pages};
		if (!p->text)
			continue;
		rc = clean_one(p, base, mem ? &v : NULL, mem, &res[i]);
		if (!rc && mem)
			rc = wn_sitemem_add_page(batch, p->site, res[i].hashes, res[i].n_hashes);
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const wn_site_page *p = &pages[i];
		if (!p->text || !batch || !has_site(p))
			continue;
		site_view v = {wn_sitemem_find(before, p->site), wn_sitemem_find(batch, p->site),
		               min_pages};
		if (needs_second_pass(&res[i], &v)) {
			wn_clean_result_free(&res[i]);
			rc = clean_one(p, base, &v, 0, &res[i]);
		}
	}
	if (!rc && learnt && batch)
		rc = wn_sitemem_merge(learnt, batch);
	wn_sitemem_free(batch);
	if (rc)
		for (size_t i = 0; i < n; i++)
			wn_clean_result_free(&res[i]);
	return rc;
}
