/*
 * The host API table plugins call through: thin adapters from a plugin's
 * context (stage and run) to the services that do the work: the logger
 * (log.c), counters and lifecycle (run.c), outputs (output.c), HTTP
 * (http.c) and records (record.c).
 */
#include "run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

static int api_add_entity(wn_record *r, const wn_entity *e)
{
	return e ? wn_record_add_entity(r, e, wn_crash_current_stage()) : WN_ERROR;
}

static int api_http_fetch(const wn_ctx *cx, const wn_http_req *reqs, wn_http_resp *resps, size_t n)
{
	wn_run *run = cx->stage->run;
	if (!run->http) {
		api_log(cx, WN_LOG_ERROR, "this host has no HTTP service");
		return WN_FATAL;
	}
	return wn_http_fetch(run->http, reqs, resps, n);
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
    .http_release = wn_http_release,
};
