/*
 * The watchdog: see watchdog.h.
 */
#include "watchdog.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

typedef struct slot {
	int64_t since_ms; /* 0 when idle */
	const wn_stage *stage;
	char id[72];
} slot;

struct wn_watchdog {
	pthread_mutex_t mu;
	int n;
	slot *slots;
};

wn_watchdog *wn_watchdog_new(int workers)
{
	wn_watchdog *w = wn_xcalloc(1, sizeof(*w));
	pthread_mutex_init(&w->mu, NULL);
	w->n = workers > 0 ? workers : 1;
	w->slots = wn_xcalloc((size_t)w->n, sizeof(*w->slots));
	return w;
}

void wn_watchdog_free(wn_watchdog *w)
{
	if (!w)
		return;
	pthread_mutex_destroy(&w->mu);
	free(w->slots);
	free(w);
}

void wn_watchdog_begin(wn_watchdog *w, int worker, const wn_stage *st, const char *record_id)
{
	if (worker < 0 || worker >= w->n)
		return;
	pthread_mutex_lock(&w->mu);
	slot *s = &w->slots[worker];
	s->since_ms = wn_now_ms();
	s->stage = st;
	snprintf(s->id, sizeof(s->id), "%s", record_id ? record_id : "");
	pthread_mutex_unlock(&w->mu);
}

void wn_watchdog_end(wn_watchdog *w, int worker)
{
	if (worker < 0 || worker >= w->n)
		return;
	pthread_mutex_lock(&w->mu);
	w->slots[worker].since_ms = 0;
	pthread_mutex_unlock(&w->mu);
}

int wn_watchdog_check(wn_watchdog *w, int64_t limit_ms, wn_stuck *out)
{
	if (limit_ms <= 0)
		return 0;
	int found = 0;
	int64_t now = wn_now_ms();
	pthread_mutex_lock(&w->mu);
	for (int i = 0; i < w->n; i++) {
		const slot *s = &w->slots[i];
		int64_t ms = s->since_ms ? now - s->since_ms : 0;
		if (ms > limit_ms && (!found || ms > out->ms)) {
			found = 1;
			out->worker = i;
			out->stage = s->stage;
			out->ms = ms;
			snprintf(out->id, sizeof(out->id), "%s", s->id);
		}
	}
	pthread_mutex_unlock(&w->mu);
	return found;
}
