/*
 * The plugin test harness: see harness.h. A thin layer over solo.c, the
 * runner's own "one stage alone" host.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crash.h"
#include "record.h"
#include "solo.h"

struct wn_harness {
	wn_solo *solo;
	wn_record **recs;
	size_t n_recs;
};

wn_harness *wn_harness_open(const char *so_path, const char *with_yaml, const char *output_dir)
{
	wn_diag d = {0};
	wn_solo *s = wn_solo_open(so_path, NULL, with_yaml, output_dir, &d);
	if (!s) {
		fprintf(stderr, "harness: %s did not start\n", so_path);
		return NULL;
	}
	wn_harness *h = calloc(1, sizeof(*h));
	if (!h) {
		wn_solo_close(s);
		return NULL;
	}
	h->solo = s;
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

static const wn_plugin *desc(wn_harness *h)
{
	return &h->solo->stage.plugin.desc;
}

int wn_harness_next(wn_harness *h, wn_record *r)
{
	return desc(h)->next ? desc(h)->next(wn_solo_ctx(h->solo), r) : WN_FATAL;
}

static int process_or_batch(wn_harness *h, wn_record *r)
{
	const wn_plugin *p = desc(h);
	if (p->process)
		return p->process(wn_solo_ctx(h->solo), r);
	if (!p->batch)
		return WN_FATAL;
	int rc = WN_OK;
	wn_record *one[1] = {r};
	int brc = p->batch(wn_solo_ctx(h->solo), one, &rc, 1);
	return brc == WN_FATAL ? WN_FATAL : rc;
}

int wn_harness_process(wn_harness *h, wn_record *r)
{
	const wn_plugin *p = desc(h);
	wn_crash_enter(h->solo->stage.id, p->name, p->version, NULL); /* stamps entities */
	int rc = process_or_batch(h, r);
	wn_crash_leave();
	return rc;
}

int wn_harness_write(wn_harness *h, wn_record *r)
{
	return desc(h)->write ? desc(h)->write(wn_solo_ctx(h->solo), r) : WN_FATAL;
}

int wn_harness_commit(wn_harness *h)
{
	int rc = desc(h)->commit ? desc(h)->commit(wn_solo_ctx(h->solo)) : WN_OK;
	if (rc != WN_OK)
		return rc;
	return wn_outputs_commit(&h->solo->run) ? WN_FATAL : WN_OK;
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
	const wn_stage *st = &h->solo->stage;
	for (size_t i = 0; i < st->n_counters; i++)
		if (strcmp(st->counters[i].name, name) == 0)
			return st->counters[i].v;
	return 0;
}

void wn_harness_close(wn_harness *h)
{
	if (!h)
		return;
	wn_solo_close(h->solo);
	for (size_t i = 0; i < h->n_recs; i++)
		wn_record_free(h->recs[i]);
	free(h->recs);
	free(h);
}

char *wn_harness_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = NULL;
	long n = -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
		b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b)
		b[n] = '\0';
	if (b && len)
		*len = (size_t)n;
	return b;
}
