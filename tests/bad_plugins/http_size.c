/* A transform that fetches its option `url` twice in one http_fetch,
 * with the request and response sizes its options say (-1: the INIT
 * macros'), and `mismatch` giving the second element another size. The
 * arrays sit in zeroed buffers with a canary after the last element; the
 * record gets `body_len` (of the first response), `rcs` ("0,0") and
 * `canary` (1 when the host wrote nothing past the responses). */
#include <string.h>

#include "winnow/plugin.h"

typedef struct st {
	const char *url;
	int64_t req_size, resp_size;
	int mismatch;
} st;

static const wn_option options[] = {
    {"url", WN_OPT_STR, NULL, 1, offsetof(st, url), "the URL to fetch", NULL, 0, 0},
    {"req_size", WN_OPT_INT, "-1", 0, offsetof(st, req_size), "wn_http_req.size", NULL, 0, 0},
    {"resp_size", WN_OPT_INT, "-1", 0, offsetof(st, resp_size), "wn_http_resp.size", NULL, 0, 0},
    {"mismatch", WN_OPT_BOOL, "false", 0, offsetof(st, mismatch), "sizes differ", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

#define BUF 4096
#define CANARY 0x5A

typedef struct bufs {
	union {
		wn_http_req r;
		char b[BUF];
	} req;
	union {
		wn_http_resp r;
		char b[BUF];
	} resp;
} bufs;

/* Lays out two requests and two responses at the chosen strides. */
static void lay_out(const st *s, bufs *b, const char *url, size_t *rq, size_t *rs)
{
	*rq = s->req_size >= 0 ? (size_t)s->req_size : sizeof(wn_http_req);
	*rs = s->resp_size >= 0 ? (size_t)s->resp_size : sizeof(wn_http_resp);
	memset(b, 0, sizeof(*b));
	memset(b->resp.b, CANARY, sizeof(b->resp.b));
	for (int i = 0; i < 2; i++) {
		wn_http_req q = WN_HTTP_REQ_INIT;
		q.url = url;
		q.size = *rq;
		memcpy(b->req.b + i * *rq, &q, *rq < sizeof(q) ? *rq : sizeof(q));
		size_t sz = i == 1 && s->mismatch ? *rs + 8 : *rs;
		memset(b->resp.b + i * *rs, 0, sz < BUF / 2 ? sz : BUF / 2);
		memcpy(b->resp.b + i * *rs, &sz, sizeof(sz));
	}
	if (s->mismatch)
		memcpy(b->req.b + *rq, &(size_t){*rq + 8}, sizeof(size_t));
}

static int canary_ok(const bufs *b, size_t rs)
{
	for (size_t k = 2 * rs; k < 2 * rs + 64 && k < BUF; k++)
		if ((unsigned char)b->resp.b[k] != CANARY)
			return 0;
	return 1;
}

static int fetch_twice(const wn_ctx *cx, wn_record *r)
{
	const wn_host_api *a = cx->api;
	const st *s = cx->state;
	bufs *b = a->alloc(r, sizeof(*b));
	if (!b || s->req_size > BUF / 2 - 8 || s->resp_size > BUF / 2 - 8)
		return WN_FATAL; /* a test config error */
	size_t rq, rs;
	lay_out(s, b, s->url, &rq, &rs);
	int rc = a->http_fetch(cx, (wn_http_req *)b->req.b, (wn_http_resp *)b->resp.b, 2);
	if (rc == WN_OK) {
		wn_http_resp one, two;
		memcpy(&one, b->resp.b, sizeof(one));
		memcpy(&two, b->resp.b + rs, sizeof(two));
		char rcs[32];
		memcpy(rcs, "0,0", 4);
		rcs[0] = (char)('0' + one.rc);
		rcs[2] = (char)('0' + two.rc);
		a->set_int(r, "body_len", (int64_t)one.body_len);
		a->set_str(r, "rcs", rcs);
		a->set_int(r, "canary", canary_ok(b, rs));
	}
	a->http_release((wn_http_resp *)b->resp.b);
	a->http_release((wn_http_resp *)(b->resp.b + rs));
	return rc;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_http_size = {WN_PLUGIN_HEADER,
                                                        WN_KIND_TRANSFORM,
                                                        "http_size",
                                                        "1.0.0",
                                                        "http_fetch with given sizes",
                                                        options,
                                                        sizeof(st),
                                                        .process = fetch_twice};
