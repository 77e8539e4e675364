/*
 * The watchdog: what each worker thread is doing, so that a stage that
 * never returns on a record cannot hold a run (and its lock) for ever.
 * Workers note each plugin call's start and end; the sink thread asks,
 * while it waits, whether one call has run longer than run.record_timeout.
 * Thread-safe: one mutex, taken twice per plugin call.
 */
#ifndef WN_WATCHDOG_H
#define WN_WATCHDOG_H

#include <stdint.h>

#include "run.h"

typedef struct wn_watchdog wn_watchdog;

/* A call that has run too long. */
typedef struct wn_stuck {
	int worker;
	const wn_stage *stage;
	char id[72]; /* the record's id, "" for a batch call */
	int64_t ms;  /* how long it has run */
} wn_stuck;

/* For `workers` worker threads; never NULL (allocation failure exits). */
wn_watchdog *wn_watchdog_new(int workers);
void wn_watchdog_free(wn_watchdog *w);

/* Worker `worker` starts a call of stage st on record_id (NULL for a
 * batch call); the id is copied. */
void wn_watchdog_begin(wn_watchdog *w, int worker, const wn_stage *st, const char *record_id);
/* ... and it returned. */
void wn_watchdog_end(wn_watchdog *w, int worker);

/* 1 with *out filled when a call has run longer than limit_ms (the
 * longest such), 0 when none has; limit_ms <= 0 never finds one. */
int wn_watchdog_check(wn_watchdog *w, int64_t limit_ms, wn_stuck *out);

#endif
