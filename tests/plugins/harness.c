/*
 * The plugin test harness: see harness.h.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crash.h"
#include "loader.h"
#include "record.h"
#include "run.h"

struct wn_harness {
	wn_run run;
	wn_stage stage;
	wn_cfg_doc *doc;
	wn_record **recs;
	size_t n_recs;
};

wn_harness *wn_harness_open(const char *so_path, const char *with_yaml, const char *output_dir)
{
	wn_harness *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	wn_run_init(&h->run, "harness", output_dir ? output_dir : ".", ".");
	h->run.log_level = WN_LOG_INFO;
	wn_diag d = {0};
	wn_loaded l;
	if (wn_loader_load(so_path, NULL, &l, &d, NULL, 0, 0)) {
		wn_run_destroy(&h->run);
		free(h);
		return NULL;
	}
	const wn_cfg_node *with = NULL;
	if (with_yaml) {
		h->doc = wn_cfg_load_string(with_yaml, "with", ".", &d);
		with = h->doc ? h->doc->root : NULL;
	}
	int errors = d.errors;
	char *id = wn_xstrdup(l.desc.name);
	errors += wn_stage_setup(&h->stage, &h->run, 0, id, &l, 1, NULL, with, ".", &d);
	h->run.stages = &h->stage;
	h->run.n_stages = 1;
	if (errors || wn_stage_init(&h->stage) != WN_OK) {
		fprintf(stderr, "harness: %s did not start\n", so_path);
		wn_harness_close(h);
		return NULL;
	}
	return h;
}

const wn_host_api *wn_harness_api(wn_harness *h)
{
	(void)h;
	return &wn_host_table;
}

wn_record *wn_harness_new_record(wn_harness *h)
{
	wn_record *r = wn_record_new(0);
	if (!r)
		return NULL;
	wn_record **v = realloc(h->recs, (h->n_recs + 1) * sizeof(*v));
	if (!v) {
		wn_record_free(r);
		return NULL;
	}
	h->recs = v;
	h->recs[h->n_recs++] = r;
	return r;
}

static const wn_ctx *ctx(wn_harness *h)
{
	return &h->stage.inst[0];
}

static int harness_process(wn_harness *h, const wn_plugin *p, wn_record *r);

int wn_harness_next(wn_harness *h, wn_record *r)
{
	const wn_plugin *p = &h->stage.plugin.desc;
	return p->next ? p->next(ctx(h), r) : WN_FATAL;
}

int wn_harness_process(wn_harness *h, wn_record *r)
{
	const wn_plugin *p = &h->stage.plugin.desc;
	wn_crash_enter(h->stage.id, p->name, p->version, NULL); /* stamps entities */
	int rc = harness_process(h, p, r);
	wn_crash_leave();
	return rc;
}

static int harness_process(wn_harness *h, const wn_plugin *p, wn_record *r)
{
	if (p->process)
		return p->process(ctx(h), r);
	if (!p->batch)
		return WN_FATAL;
	int rc = WN_OK;
	wn_record *one[1] = {r};
	int brc = p->batch(ctx(h), one, &rc, 1);
	return brc == WN_FATAL ? WN_FATAL : rc;
}

int wn_harness_write(wn_harness *h, wn_record *r)
{
	const wn_plugin *p = &h->stage.plugin.desc;
	return p->write ? p->write(ctx(h), r) : WN_FATAL;
}

int wn_harness_commit(wn_harness *h)
{
	const wn_plugin *p = &h->stage.plugin.desc;
	int rc = p->commit ? p->commit(ctx(h)) : WN_OK;
	if (rc != WN_OK)
		return rc;
	return wn_outputs_commit(&h->run) ? WN_FATAL : WN_OK;
}

const char *wn_harness_reason(wn_record *r)
{
	return r ? r->reason : NULL;
}

const char *wn_harness_reason_code(wn_record *r)
{
	return r ? r->reason_code : NULL;
}

long long wn_harness_counter(wn_harness *h, const char *name)
{
	for (size_t i = 0; i < h->stage.n_counters; i++)
		if (strcmp(h->stage.counters[i].name, name) == 0)
			return h->stage.counters[i].v;
	return 0;
}

void wn_harness_close(wn_harness *h)
{
	if (!h)
		return;
	char *id = (char *)h->stage.id;
	if (h->stage.inst)
		wn_stage_teardown(&h->stage);
	free(id);
	for (size_t i = 0; i < h->n_recs; i++)
		wn_record_free(h->recs[i]);
	free(h->recs);
	wn_cfg_free(h->doc);
	wn_run_destroy(&h->run);
	free(h);
}
