/*
 * The run and its stages from start to end: run-wide facts set up and
 * freed, stage instances set up with their options, started, counted and
 * torn down. See run.h.
 */
#include "run.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run_ident.h"

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
	free(run->commit_stats);
	pthread_mutex_destroy(&run->out_mu);
	pthread_mutex_destroy(&run->log_mu);
}

int wn_stage_setup(wn_stage *st, wn_run *run, int index, const char *id, wn_loaded *l, int n_inst,
                   const wn_stage_cfg *sc, const wn_cfg_node *with, const char *default_base,
                   wn_diag *d)
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
