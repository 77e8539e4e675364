/*
 * The host API table plugins call through, and the per-stage services
 * behind it (logging, counters, run facts, outputs). Record operations
 * are record.c's; this file adds what needs the stage or the run.
 */
#include "run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crash.h"
#include "http.h"
#include "record.h"
#include "run_ident.h"
#include "shard.h"

static void api_reason(wn_record *r, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_record_vreason(r, code, fmt, ap);
	va_end(ap);
}

static void vlog(wn_run *run, const char *id, int level, const char *fmt, va_list ap)
{
	if (level > run->log_level)
		return;
	static const char *names[] = {"error", "warning", "info", "debug"};
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	pthread_mutex_lock(&run->log_mu);
	if (atomic_exchange(&run->progress_shown, 0))
		fputs("\r\033[K", stderr); /* clear the progress line first */
	fprintf(stderr, "winnow: %s%s%s%s: %s\n", id ? "[" : "", id ? id : "", id ? "] " : "",
		names[level < 0 ? 0 : level > 3 ? 3 : level], msg);
	pthread_mutex_unlock(&run->log_mu);
}

void wn_run_log(wn_run *run, const char *stage_id, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(run, stage_id, level, fmt, ap);
	va_end(ap);
}

static void api_log(const wn_ctx *cx, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(cx->stage->run, cx->stage->id, level, fmt, ap);
	va_end(ap);
}

void wn_stage_count(wn_stage *st, wn_kv **list, size_t *n, const char *name, int64_t delta)
{
	pthread_mutex_lock(&st->mu);
	size_t i = 0;
	while (i < *n && strcmp((*list)[i].name, name) != 0)
		i++;
	if (i == *n) {
		*list = wn_xrealloc(*list, (*n + 1) * sizeof(**list));
		(*list)[i] = (wn_kv){wn_xstrdup(name), 0};
		(*n)++;
	}
	(*list)[i].v += delta;
	pthread_mutex_unlock(&st->mu);
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

static int api_http_fetch(const wn_ctx *cx, const wn_http_req *reqs, wn_http_resp *resps,
			  size_t n)
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

void wn_run_init(wn_run *run, const char *name, const char *output_dir, const char *config_dir)
{
	memset(run, 0, sizeof(*run));
	run->name = wn_xstrdup(name ? name : "winnow");
	time_t now = time(NULL);
	run->run_date = wn_xstrdup(wn_run_ident_date());
	run->run_id = wn_xstrdup(wn_run_ident_id());
	char iso[32];
	wn_iso_utc((int64_t)now, iso);
	run->started_at = wn_xstrdup(iso);
	run->output_dir = wn_xstrdup(output_dir ? output_dir : ".");
	run->config_dir = wn_xstrdup(config_dir ? config_dir : ".");
	run->log_level = WN_LOG_WARN;
	pthread_mutex_init(&run->out_mu, NULL);
	pthread_mutex_init(&run->log_mu, NULL);
}

void wn_run_destroy(wn_run *run)
{
	wn_outputs_abort(run);
	free(run->name);
	free(run->run_id);
	free(run->run_date);
	free(run->started_at);
	free(run->output_dir);
	free(run->config_dir);
	pthread_mutex_destroy(&run->out_mu);
	pthread_mutex_destroy(&run->log_mu);
}

int wn_stage_setup(wn_stage *st, wn_run *run, int index, const char *id, wn_loaded *l,
		   int n_inst, const wn_stage_cfg *sc, const wn_cfg_node *with,
		   const char *default_base, wn_diag *d)
{
	memset(st, 0, sizeof(*st));
	st->index = index;
	st->id = id;
	st->run = run;
	st->plugin = *l;
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&st->mu, NULL);
	st->n_inst = n_inst;
	st->inst = wn_xcalloc((size_t)n_inst, sizeof(*st->inst));
	st->inited = wn_xcalloc((size_t)n_inst, 1);
	size_t sz = st->plugin.desc.state_size;
	for (int i = 0; i < n_inst; i++) {
		st->inst[i].api = &wn_host_table;
		st->inst[i].stage = st;
		st->inst[i].state = sz ? wn_xcalloc(1, sz) : NULL;
	}
	/* With the stage's config, errors point at the stage even when it
	 * has no `with:` (a missing required option). */
	int errors = sc ? wn_schema_apply_stage(&st->plugin.desc, sc, st->inst[0].state,
						default_base, &st->pool, d)
			: wn_schema_apply(&st->plugin.desc, id, with, st->inst[0].state,
					  default_base, &st->pool, d);
	st->cfg = sc;
	/* Every instance starts from the same option values; the strings and
	 * lists they point to are host-owned and shared read-only. */
	for (int i = 1; i < n_inst && sz; i++)
		memcpy(st->inst[i].state, st->inst[0].state, sz);
	return errors;
}

int wn_stage_init(wn_stage *st)
{
	for (int i = 0; i < st->n_inst; i++) {
		int rc = st->plugin.desc.init ? st->plugin.desc.init(&st->inst[i]) : WN_OK;
		if (rc != WN_OK)
			return WN_FATAL;
		st->inited[i] = 1;
	}
	return WN_OK;
}

void wn_stage_teardown(wn_stage *st)
{
	for (int i = st->n_inst - 1; i >= 0; i--) {
		if (st->inited && st->inited[i] && st->plugin.desc.fini)
			st->plugin.desc.fini(&st->inst[i]);
		if (st->inst)
			free(st->inst[i].state);
	}
	free(st->inst);
	free(st->inited);
	wn_pool_free(&st->pool);
	wn_loader_unload(&st->plugin);
	for (size_t i = 0; i < st->n_counters; i++)
		free(st->counters[i].name);
	for (size_t i = 0; i < st->n_drops; i++)
		free(st->drops[i].name);
	free(st->counters);
	free(st->drops);
	pthread_mutex_destroy(&st->mu);
	st->inst = NULL;
	st->inited = NULL;
	st->counters = st->drops = NULL;
}
