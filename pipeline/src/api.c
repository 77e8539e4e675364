/*
 * The host API table plugins call through: thin adapters from a plugin's
 * context (stage and run) to the services that do the work: the logger
 * (log.c), counters and lifecycle (run.c), outputs (output.c), HTTP
 * (http.c) and records (record.c).
 */
#include "run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_size.h"
#include "crash.h"
#include "http.h"
#include "record.h"
#include "shard.h"

static void api_reason(wn_record *r, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_record_vreason(r, code, fmt, ap);
	va_end(ap);
}

static void api_log(const wn_ctx *cx, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_run_vlog(cx->stage->run, cx->stage->id, level, fmt, ap);
	va_end(ap);
}

static void api_count(const wn_ctx *cx, const char *name, int64_t delta)
{
	wn_stage *st = cx->stage;
	if (name && *name)
		wn_stage_count(st, &st->counters, &st->n_counters, name, delta);
}

static const char *api_run_value(const wn_ctx *cx, const char *key)
{
	wn_run *run = cx->stage->run;
	if (!key)
		return NULL;
	if (strcmp(key, "run_id") == 0)
		return run->run_id;
	if (strcmp(key, "run_date") == 0)
		return run->run_date;
	if (strcmp(key, "started_at") == 0)
		return run->started_at;
	if (strcmp(key, "output_dir") == 0)
		return run->output_dir;
	if (strcmp(key, "config_dir") == 0)
		return run->config_dir;
	if (strcmp(key, "stage_id") == 0)
		return cx->stage->id;
	if (strcmp(key, "run_name") == 0)
		return run->name;
	/* Sinks' commit only: what the run report shows (engine.c). */
	if (strcmp(key, "run_stats") == 0)
		return run->commit_stats;
	if (strcmp(key, "dead_letter_file") == 0)
		return run->commit_dead;
	if (strcmp(key, "drop_log_file") == 0)
		return run->commit_drops;
	return wn_shard_value(key); /* shard_plan, shard_list: sharded runs */
}

static wn_output *api_output_open(const wn_ctx *cx, const char *relpath)
{
	return wn_output_open(cx->stage->run, cx->stage->id, relpath);
}

/* The plugin's entity is read through its own size into a host-sized
 * copy; a size the host does not know stops the stage (every call of that
 * plugin would fail the same way). */
static int api_add_entity(wn_record *r, const wn_entity *e)
{
	if (!e)
		return WN_ERROR;
	char why[320];
	if (wn_abi_size_check(&wn_abi_entity, e->size, "add_entity: wn_entity.size", why,
	                      sizeof(why))) {
		api_reason(r, "abi_size", "%s", why);
		return WN_FATAL;
	}
	wn_entity c;
	wn_abi_copy_in(&c, sizeof(c), e, e->size);
	return wn_record_add_entity(r, &c, wn_crash_current_stage());
}

/* Checks that every element of a plugin's array has the size of the first
 * and that it is one this host knows; logs why not. */
static wn_err same_sizes(const wn_ctx *cx, const wn_abi_struct *s, const char *arr,
                         const void *base, size_t n)
{
	size_t stride = *(const size_t *)base;
	char what[64], why[320];
	snprintf(what, sizeof(what), "http_fetch: %s[0].size", arr);
	if (wn_abi_size_check(s, stride, what, why, sizeof(why))) {
		api_log(cx, WN_LOG_ERROR, "%s", why);
		return WN_E_PLUGIN;
	}
	for (size_t i = 1; i < n; i++) {
		size_t sz = *(const size_t *)wn_abi_at(base, stride, i);
		if (sz != stride) {
			api_log(
			    cx, WN_LOG_ERROR,
			    "http_fetch: %s[%zu].size is %zu but %s[0].size is %zu: every element "
			    "must have the same size (%s)",
			    arr, i, sz, arr, stride, s->init);
			return WN_E_PLUGIN;
		}
	}
	return WN_E_OK;
}

/* Moves a finished host-sized response into the plugin's element: the
 * first `size` bytes of it, keeping the plugin's size. Members past that
 * size would stay the host's and be freed here; ABI 2.0 has none. */
static void deliver(wn_http_resp *mine, wn_http_resp *theirs)
{
	size_t size = theirs->size;
	memcpy((char *)theirs + sizeof(size_t), (char *)mine + sizeof(size_t),
	       size - sizeof(size_t));
	memset(mine, 0, size); /* what the plugin now owns */
	wn_http_release(mine);
}

/* http_fetch through the plugin's sizes: the requests are read into and
 * the responses made in host-sized arrays, then delivered. */
static int api_http_fetch(const wn_ctx *cx, const wn_http_req *reqs, wn_http_resp *resps, size_t n)
{
	wn_run *run = cx->stage->run;
	if (!n)
		return WN_OK;
	if (!reqs || !resps || same_sizes(cx, &wn_abi_http_req, "reqs", reqs, n) ||
	    same_sizes(cx, &wn_abi_http_resp, "resps", resps, n))
		return WN_FATAL;
	if (!run->http) {
		api_log(cx, WN_LOG_ERROR, "this host has no HTTP service");
		return WN_FATAL;
	}
	wn_http_req *rq = wn_xcalloc(n, sizeof(*rq));
	wn_http_resp *rs = wn_xcalloc(n, sizeof(*rs));
	for (size_t i = 0; i < n; i++)
		wn_abi_copy_in(&rq[i], sizeof(rq[i]), wn_abi_at(reqs, reqs[0].size, i),
		               reqs[0].size);
	int rc = wn_http_fetch(run->http, rq, rs, n);
	for (size_t i = 0; i < n; i++)
		deliver(&rs[i], (wn_http_resp *)wn_abi_at(resps, resps[0].size, i));
	free(rq);
	free(rs);
	return rc;
}

/* Frees a plugin's response through its size; one whose size this host
 * does not know was never filled by http_fetch and is left alone. */
static void api_http_release(wn_http_resp *resp)
{
	char why[320];
	if (!resp ||
	    wn_abi_size_check(&wn_abi_http_resp, resp->size, "resp.size", why, sizeof(why)))
		return;
	size_t size = resp->size;
	wn_http_resp mine;
	wn_abi_copy_in(&mine, sizeof(mine), resp, size);
	wn_http_release(&mine);
	memset((char *)resp + sizeof(size_t), 0, size - sizeof(size_t));
}

const wn_host_api wn_host_table = {
    .size = sizeof(wn_host_api),
    .abi_major = WN_ABI_MAJOR,
    .abi_minor = WN_ABI_MINOR,
    .set = wn_record_set,
    .set_str = wn_record_set_str,
    .set_int = wn_record_set_int,
    .set_real = wn_record_set_real,
    .del = wn_record_del,
    .get = wn_record_get,
    .get_str = wn_record_get_str,
    .get_int = wn_record_get_int,
    .field_count = wn_record_field_count,
    .field_at = wn_record_field_at,
    .add_entity = api_add_entity,
    .entity_count = wn_record_entity_count,
    .entity_at = wn_record_entity_at,
    .clear_entities = wn_record_clear_entities,
    .alloc = wn_record_alloc,
    .reason = api_reason,
    .log = api_log,
    .count = api_count,
    .run_value = api_run_value,
    .output_open = api_output_open,
    .output_write = wn_output_write,
    .http_fetch = api_http_fetch,
    .http_release = api_http_release,
};
