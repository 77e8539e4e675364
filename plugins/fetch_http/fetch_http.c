/*
 * fetch_http: downloads each record's `url` into `raw` through the run's
 * HTTP service (api->http_fetch).
 *
 * The stage is thin on purpose: the service owns every policy (limits,
 * robots.txt, retries, Retry-After, conditional GET, content types, body
 * size), identically for this stage and for the sources that read feeds.
 * batch() hands the whole batch to the service at once, so a batch is
 * fetched concurrently; the service's limits hold across every worker.
 *
 * Outcomes: a page is exported with raw, content_type, final_url,
 * http_status, fetched_at, etag, last_modified; a policy skip is WN_DROP
 * with the service's code ("not_modified", "content_type", "robots",
 * "too_large", "blocked"); a failure (after retries for transient ones) is
 * WN_ERROR with "http_404", "http_503", "timeout"... and a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winnow/plugin.h>

typedef struct fh_state {
	int conditional; /* ask with the stored validators */
	const char *field;
	int trusted; /* the URLs come from the config's author */
} fh_state;

static const wn_option fh_options[] = {
    {"conditional", WN_OPT_BOOL, "true", 0, offsetof(fh_state, conditional),
     "send If-None-Match/If-Modified-Since for pages a past run stored (needs run.state); "
     "unchanged pages are dropped as not_modified",
     NULL, 0, 0},
    {"field", WN_OPT_STR, "url", 0, offsetof(fh_state, field), "the field holding the URL", NULL, 0,
     0},
    {"trusted", WN_OPT_BOOL, "false", 0, offsetof(fh_state, trusted),
     "exempt these URLs from http.block_private (only for URLs you wrote yourself)", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const fh_needs[] = {"url", NULL};
static const char *const fh_gives[] = {"raw",        "content_type", "final_url",     "http_status",
                                       "fetched_at", "etag",         "last_modified", NULL};

/* Sets a string field when v is not NULL. */
static int set_opt(const wn_ctx *cx, wn_record *r, const char *name, const char *v)
{
	return v ? cx->api->set_str(r, name, v) : WN_OK;
}

/* Moves one response into its record; returns the record's wn_rc. */
static int fh_apply(const wn_ctx *cx, wn_record *r, const wn_http_resp *p)
{
	const wn_host_api *a = cx->api;
	if (p->status)
		a->set_int(r, "http_status", p->status);
	if (p->rc != WN_OK) {
		a->reason(r, p->code, "%s (attempts: %d)", p->reason, p->attempts);
		return p->rc;
	}
	if (p->attempts > 1)
		a->count(cx, "retried", 1);
	a->count(cx, "bytes", (int64_t)p->body_len);
	int rc = a->set(r, "raw", WN_T_BYTES, p->body, p->body_len);
	if (rc == WN_OK)
		rc = set_opt(cx, r, "content_type", p->content_type);
	if (rc == WN_OK)
		rc = set_opt(cx, r, "final_url", p->final_url);
	if (rc == WN_OK)
		rc = a->set_str(r, "fetched_at", p->fetched_at);
	if (rc == WN_OK)
		rc = set_opt(cx, r, "etag", p->etag);
	if (rc == WN_OK)
		rc = set_opt(cx, r, "last_modified", p->last_modified);
	return rc;
}

static int fh_batch(const wn_ctx *cx, wn_record *const *recs, int *rcs, size_t n)
{
	const fh_state *st = cx->state;
	const wn_host_api *a = cx->api;
	wn_http_req *reqs = calloc(n, sizeof(*reqs));
	wn_http_resp *resps = calloc(n, sizeof(*resps));
	if (!reqs || !resps) {
		free(reqs);
		free(resps);
		a->log(cx, WN_LOG_ERROR, "out of memory for a batch of %zu", n);
		return WN_FATAL;
	}
	unsigned flags =
	    (st->conditional ? WN_HTTP_CONDITIONAL : 0) | (st->trusted ? WN_HTTP_TRUSTED : 0);
	for (size_t i = 0; i < n; i++) {
		reqs[i].size = sizeof(reqs[i]);
		resps[i].size = sizeof(resps[i]);
		reqs[i].url = a->get_str(recs[i], st->field, NULL);
		reqs[i].flags = flags;
	}
	int brc = a->http_fetch(cx, reqs, resps, n);
	for (size_t i = 0; i < n && brc == WN_OK; i++) {
		if (!reqs[i].url) {
			a->reason(recs[i], "no_url", "the record has no `%s` field", st->field);
			rcs[i] = WN_ERROR;
		} else {
			rcs[i] = fh_apply(cx, recs[i], &resps[i]);
		}
		a->http_release(&resps[i]);
	}
	free(reqs);
	free(resps);
	return brc;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_fetch_http = {
    WN_PLUGIN_HEADER,
    WN_KIND_TRANSFORM,
    "fetch_http",
    "1.0.0",
    "downloads `url` into `raw` through the run's HTTP service (limits, robots.txt, retries, "
    "conditional GET)",
    fh_options,
    sizeof(fh_state),
    fh_needs,
    fh_gives,
    NULL, /* init: the HTTP service is part of every ABI 2.x host */
    NULL, /* fini: nothing allocated */
    NULL, /* next */
    NULL, /* process: batch() does the work */
    fh_batch,
    NULL,
    NULL,
};
