/*
 * The engine: see engine.h.
 *
 * Threads: one producer pulls batches from the sources in config order;
 * `workers` threads each take a whole batch through every transform (one
 * instance of each transform per worker, so plugin callbacks never race);
 * the calling thread is the sink thread and takes batches back strictly in
 * the order they were made. At most `queue` batches exist at any time (a
 * slot is taken before a batch is made and given back after its sinks ran),
 * which bounds memory however many records flow and makes the output
 * independent of the worker count.
 */
#include "engine.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crash.h"
#include "history.h"
#include "http.h"
#include "identity.h"
#include "record.h"
#include "report.h"
#include "run_ident.h"
#include "watchdog.h"

typedef struct wn_batch {
	uint64_t seq;
	size_t n;
	wn_record **recs;
	struct wn_batch *next;
} wn_batch;

struct wn_engine {
	wn_config *cfg;
	wn_run_opts opts;
	wn_run run;
	char **search;
	size_t n_stages;
	wn_stage *stages; /* same array as run.stages */
	int lock_fd;
	/* queues, under mu */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	wn_batch *work_head, *work_tail;
	wn_batch **done; /* ring of `slots`, indexed by seq */
	int slots, slots_free;
	int producing; /* producer still running */
	uint64_t made; /* batches made */
	pthread_t producer, *workers;
	/* run state */
	atomic_int stop;   /* stop pulling new records */
	atomic_int failed; /* the run failed: nothing is committed */
	atomic_int budget_hit, interrupted;
	int64_t t0_ms;
	wn_report rep;
	struct wn_output *dead, *drops; /* dead letters; the drop log */
	int64_t counted;                /* records counted against --limit (producer thread) */
	wn_history *hist;
	wn_watchdog *dog;    /* what each worker is in (watchdog.h) */
	int workers_started; /* worker threads that did start */
	int producer_started;
	int abandoned;     /* the sink gave up on a stuck worker: no joins */
	int64_t signal_ms; /* when the sink first saw a stop signal */
};

static volatile sig_atomic_t g_signal; /* SIGINT/SIGTERM seen */

static void on_stop_signal(int sig)
{
	g_signal = sig;
	wn_http_interrupt(); /* fetches waiting on a host or a slow body end now */
}

/* ---- preparation ----------------------------------------------------- */

static int section_kind(const wn_stage_cfg *sc)
{
	return sc->section;
}

/* Checks that every field a stage needs is given by an earlier stage. */
static int check_fields(wn_engine *e, wn_diag *d)
{
	const char **have = NULL;
	size_t n = 0, errors = 0;
	have = wn_xrealloc(have, sizeof(*have));
	have[n++] = "id"; /* the host always sets it */
	for (size_t i = 0; i < e->n_stages; i++) {
		const wn_plugin *p = &e->stages[i].plugin.desc;
		const wn_stage_cfg *sc = &e->cfg->stages[i];
		if (sc->section != WN_KIND_SOURCE) {
			for (const char *const *f = p->needs; f && *f; f++) {
				size_t k = 0;
				while (k < n && strcmp(have[k], *f) != 0)
					k++;
				if (k == n) {
					wn_cfg_error(
					    d, sc->node,
					    "stage '%s' needs '%s' but no earlier stage gives it",
					    sc->id, *f);
					errors++;
				}
			}
		}
		for (const char *const *f = p->gives; f && *f; f++) {
			have = wn_xrealloc(have, (n + 1) * sizeof(*have));
			have[n++] = *f;
		}
	}
	free(have);
	return (int)errors;
}

wn_engine *wn_engine_prepare(wn_config *cfg, const wn_run_opts *opts, wn_diag *d)
{
	wn_engine *e = wn_xcalloc(1, sizeof(*e));
	e->cfg = cfg;
	e->opts = *opts;
	e->lock_fd = -1;
	wn_run_init(&e->run, cfg->name, cfg->output_dir, cfg->doc ? cfg->doc->dir : ".");
	e->run.log_level = opts->log_level;
	e->run.max_record_bytes = (size_t)cfg->max_record_bytes;
	e->search = wn_loader_search_path(cfg->plugin_path);
	e->n_stages = cfg->n_stages;
	e->stages = wn_xcalloc(cfg->n_stages ? cfg->n_stages : 1, sizeof(*e->stages));
	e->run.stages = e->stages;
	e->run.n_stages = cfg->n_stages;
	int errors = 0;
	for (size_t i = 0; i < cfg->n_stages; i++) {
		const wn_stage_cfg *sc = &cfg->stages[i];
		const wn_cfg_node *at = sc->node;
		wn_loaded l;
		if (wn_loader_load(sc->use, e->search, &l, d, at ? at->file : NULL,
		                   at ? at->line : 0, at ? at->col : 0)) {
			errors++;
			continue;
		}
		if (l.desc.kind != section_kind(sc)) {
			wn_cfg_error(d, at,
			             "stage '%s': plugin '%s' is a %s and cannot be used in %s",
			             sc->id, sc->use, wn_kind_name(l.desc.kind),
			             sc->section == WN_KIND_SOURCE ? "sources"
			             : sc->section == WN_KIND_SINK ? "sinks"
			                                           : "pipeline");
			wn_loader_unload(&l);
			errors++;
			continue;
		}
		int n_inst = sc->section == WN_KIND_TRANSFORM ? cfg->workers : 1;
		errors += wn_stage_setup(&e->stages[i], &e->run, (int)i, sc->id, &l, n_inst, sc,
		                         sc->with, cfg->doc ? cfg->doc->dir : ".", d);
	}
	if (!errors)
		errors += check_fields(e, d);
	errors += wn_services_check(cfg, d); /* the `http:` section */
	if (errors) {
		wn_engine_free(e);
		return NULL;
	}
	return e;
}

void wn_engine_describe(const wn_engine *e, FILE *out)
{
	const wn_config *c = e->cfg;
	fprintf(out, "config   %s (sha256 %.16s)\n", c->doc ? c->doc->path : "-",
	        c->doc && c->doc->sha256 ? c->doc->sha256 : "-");
	fprintf(out, "run      name=%s output_dir=%s workers=%d batch_size=%d queue=%d\n", c->name,
	        c->output_dir, c->workers, c->batch_size, c->queue_batches);
	fprintf(out, "lock     %s\n", c->lock);
	static const char *titles[] = {"", "sources", "pipeline", "sinks"};
	int last = 0;
	for (size_t i = 0; i < e->n_stages; i++) {
		const wn_stage *st = &e->stages[i];
		const wn_plugin *p = &st->plugin.desc;
		if (st->cfg->section != last) {
			last = st->cfg->section;
			fprintf(out, "%s:\n", titles[last]);
		}
		fprintf(out, "  %-12s %-18s %-8s %s\n", st->id, p->name, p->version,
		        st->plugin.path);
		if (st->cfg->when.op)
			fprintf(out, "  %-12s when %s\n", "", st->cfg->when.field);
	}
}

/* ---- records --------------------------------------------------------- */

/* Gives a record from a source its id when the source did not. */
static int finish_source_record(wn_engine *e, wn_stage *src, wn_record *r)
{
	if (wn_record_get_str(r, "id", NULL))
		return WN_OK;
	char id[17];
	size_t len = 0;
	const char *url = wn_record_get_str(r, "url", NULL);
	const char *raw = wn_record_get_str(r, "raw", &len);
	if (url)
		wn_url_id(url, id);
	else if (raw)
		wn_bytes_id(raw, len, id);
	else {
		char *key = wn_xasprintf("%s:%llu", src->id, (unsigned long long)r->seq);
		wn_bytes_id(key, strlen(key), id);
		free(key);
	}
	(void)e;
	if (wn_record_set_str(r, "id", id) != WN_OK)
		return WN_ERROR;
	wn_record_move_first(r, "id"); /* analysts expect the key first */
	return WN_OK;
}

/* Sleeps the backoff for retry `attempt` (1-based): base * 2^(attempt-1),
 * capped, times a jitter factor in [0.5, 1). */
static void backoff_sleep(const wn_retry *rt, int attempt, unsigned *seed)
{
	int64_t ms = rt->backoff_ms;
	for (int i = 1; i < attempt && ms < rt->max_backoff_ms; i++)
		ms *= 2;
	if (ms > rt->max_backoff_ms)
		ms = rt->max_backoff_ms;
	ms = ms / 2 + (int64_t)(rand_r(seed) % (unsigned)(ms / 2 + 1));
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static const wn_retry default_retry = {3, 200, 30000};

static const wn_retry *stage_retry(const wn_stage *st)
{
	return st->cfg ? &st->cfg->retry : &default_retry;
}

static void reasonf(wn_record *r, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_record_vreason(r, code, fmt, ap);
	va_end(ap);
}

/* The engine's invariant on a record between stages (asserted, util.h):
 * its rc is an outcome (OK, DROP, RETRY, ERROR or FATAL, never DONE) and
 * failed_stage is -1 or the index of a stage of this run. */
static void assert_record(const wn_engine *e, const wn_record *r)
{
	(void)e; /* only read by the asserts */
	(void)r;
	assert(r->rc >= WN_OK && r->rc <= WN_FATAL && r->rc != WN_DONE);
	assert(r->failed_stage >= -1 && r->failed_stage < (int)e->n_stages);
}

/* Marks r as failed at stage st with rc and, when none was given, a reason. */
static void set_outcome(wn_record *r, const wn_stage *st, int rc, const char *code, const char *msg)
{
	assert(rc != WN_OK && rc != WN_DONE && st->index >= 0);
	r->rc = rc;
	r->failed_stage = st->index;
	if (!r->reason || code) {
		r->reason_code = (char *)(code ? code : "error");
		r->reason = (char *)(msg ? msg : "no reason given");
	}
}

/* ---- producer -------------------------------------------------------- */

/* Waits for a free batch slot; 0, or -1 when the run is stopping. */
static wn_err take_slot(wn_engine *e)
{
	pthread_mutex_lock(&e->mu);
	while (e->slots_free == 0 && !atomic_load(&e->failed) && !atomic_load(&e->stop))
		pthread_cond_wait(&e->cv, &e->mu);
	int ok = e->slots_free > 0 && !atomic_load(&e->failed) && !atomic_load(&e->stop);
	if (ok)
		e->slots_free--;
	pthread_mutex_unlock(&e->mu);
	return ok ? WN_E_OK : WN_E_STOP;
}

static void give_slot(wn_engine *e)
{
	pthread_mutex_lock(&e->mu);
	e->slots_free++;
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mu);
}

static void push_work(wn_engine *e, wn_batch *b)
{
	pthread_mutex_lock(&e->mu);
	b->seq = e->made++;
	b->next = NULL;
	if (e->work_tail)
		e->work_tail->next = b;
	else
		e->work_head = b;
	e->work_tail = b;
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mu);
}

/* Why pulling should stop now, or 0 to go on. */
static int should_stop(wn_engine *e)
{
	if (atomic_load(&e->stop) || atomic_load(&e->failed))
		return 1;
	if (g_signal) {
		atomic_store(&e->interrupted, 1);
		return 1;
	}
	if (e->cfg->time_budget_ms && wn_now_ms() - e->t0_ms >= e->cfg->time_budget_ms) {
		atomic_store(&e->budget_hit, 1);
		return 1;
	}
	if (e->opts.limit && e->counted >= e->opts.limit)
		return 1;
	return 0;
}

static int64_t now_us(void);

/* Calls a source's next() with retries; its time counts as the source's
 * busy time (not the backoff). */
static int source_next(wn_engine *e, wn_stage *src, wn_record *r, unsigned *seed)
{
	const wn_retry *rt = stage_retry(src);
	for (int attempt = 0;; attempt++) {
		wn_crash_enter(src->id, src->plugin.desc.name, src->plugin.desc.version, NULL);
		int64_t t0 = now_us();
		int rc = src->plugin.desc.next(&src->inst[0], r);
		atomic_fetch_add(&src->busy_us, now_us() - t0);
		wn_crash_leave();
		if (rc != WN_RETRY || attempt >= rt->max || should_stop(e))
			return rc;
		atomic_fetch_add(&src->retries, 1);
		backoff_sleep(rt, attempt + 1, seed);
	}
}

/* Fills one batch from source `src`; returns 1 when the source has more. */
static int fill_batch(wn_engine *e, wn_stage *src, wn_batch *b, unsigned *seed)
{
	size_t cap = (size_t)e->cfg->batch_size;
	b->recs = wn_xcalloc(cap, sizeof(*b->recs));
	while (b->n < cap) {
		if (should_stop(e))
			return 0;
		wn_record *r = wn_record_new(e->run.max_record_bytes);
		r->source = src->index;
		int rc = source_next(e, src, r, seed);
		if (rc == WN_DONE) {
			wn_record_free(r);
			return 0;
		}
		e->rep.read++;
		e->counted++;
		atomic_fetch_add(&src->in, 1);
		if (rc == WN_OK && finish_source_record(e, src, r) != WN_OK)
			rc = WN_ERROR;
		wn_seen seen = rc == WN_OK && e->hist ? wn_history_seen(e->hist, r) : WN_SEEN_NEW;
		if (seen == WN_SEEN_ERROR) {
			/* Fail closed: a record the store cannot vouch for may have
			 * been exported before, so nothing of this run commits. */
			wn_run_log(&e->run, src->id, WN_LOG_ERROR,
			           "state store look-up failed (%s); stopping the run",
			           wn_ledger_last_error());
			atomic_store(&e->failed, 1);
			wn_record_free(r);
			return 0;
		}
		if (seen == WN_SEEN_NEW && rc == WN_OK && e->hist &&
		    wn_history_quarantined(e->hist, r)) {
			/* It crashed a plugin before: one dead letter that says so,
			 * instead of crashing every run from now on. */
			set_outcome(r, src, WN_ERROR, NULL, NULL);
			atomic_fetch_add(&src->errors, 1);
		} else if (seen == WN_SEEN_NEW && rc == WN_OK && e->hist &&
		           wn_history_repeat(e->hist, r)) {
			/* One fetch per URL a run: a later listing of it is dropped. */
			set_outcome(r, src, WN_DROP, NULL, NULL);
			atomic_fetch_add(&src->dropped, 1);
		} else if (seen == WN_SEEN_SKIP) {
			/* Exported by an earlier run: skipped before any work, and
			 * not counted against --limit, which is about new work. */
			r->rc = WN_DROP;
			r->failed_stage = src->index;
			e->counted--;
		} else if (rc == WN_OK) {
			atomic_fetch_add(&src->ok, 1);
		} else if (rc == WN_FATAL) {
			wn_run_log(&e->run, src->id, WN_LOG_ERROR, "source stopped: %s",
			           r->reason ? r->reason : "fatal error");
			atomic_store(&src->stopped, 1);
			e->rep.read--;
			e->counted--;
			wn_record_free(r);
			return 0;
		} else {
			int out = rc == WN_DROP ? WN_DROP : WN_ERROR;
			set_outcome(r, src, out, NULL,
			            rc == WN_RETRY ? "gave up after retries" : NULL);
			if (rc != WN_DROP && rc != WN_ERROR && rc != WN_RETRY)
				set_outcome(r, src, WN_ERROR, "bad_return",
				            "plugin returned an invalid code");
		}
		b->recs[b->n++] = r;
	}
	return 1;
}

static void *producer_main(void *arg)
{
	wn_engine *e = arg;
	unsigned seed = (unsigned)getpid();
	wn_crash_thread_init();
	for (size_t i = 0; i < e->cfg->n_sources; i++) {
		wn_stage *src = &e->stages[i];
		if (!src->inited[0])
			continue;
		int more = 1;
		while (more && !should_stop(e)) {
			if (take_slot(e))
				break;
			wn_batch *b = wn_xcalloc(1, sizeof(*b));
			more = fill_batch(e, src, b, &seed);
			if (b->n) {
				push_work(e, b);
			} else {
				free(b->recs);
				free(b);
				give_slot(e);
			}
		}
	}
	pthread_mutex_lock(&e->mu);
	e->producing = 0;
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mu);
	wn_crash_thread_done();
	return NULL;
}

/* ---- workers --------------------------------------------------------- */

static int when_matches(const wn_when *w, const wn_record *r)
{
	if (!w || w->op == WN_WHEN_NONE)
		return 1;
	int type;
	size_t len;
	const void *v = wn_record_get(r, w->field, &type, &len);
	if (w->op == WN_WHEN_EXISTS)
		return v != NULL;
	if (w->op == WN_WHEN_MISSING)
		return v == NULL;
	char num[64];
	const char *s = NULL;
	if (type == WN_T_STR || type == WN_T_BYTES) {
		s = v;
	} else if (type == WN_T_INT) {
		int64_t x;
		memcpy(&x, v, sizeof(x));
		snprintf(num, sizeof(num), "%lld", (long long)x);
		s = num;
	} else if (type == WN_T_REAL) {
		double x;
		memcpy(&x, v, sizeof(x));
		snprintf(num, sizeof(num), "%g", x);
		s = num;
	}
	int hit = 0;
	for (char **val = w->values; s && val && *val && !hit; val++)
		hit = strcmp(s, *val) == 0;
	return w->op == WN_WHEN_NE ? !hit : hit;
}

/* Applies on_error to a record that failed at st. */
static void apply_error(wn_engine *e, wn_stage *st, wn_record *r)
{
	atomic_fetch_add(&st->errors, 1);
	int policy = st->cfg ? st->cfg->on_error : WN_ON_ERROR_DEAD_LETTER;
	switch (policy) {
	case WN_ON_ERROR_SKIP: /* keep the record as it is and go on */
		r->rc = WN_OK;
		break;
	case WN_ON_ERROR_DROP:
		set_outcome(r, st, WN_DROP, NULL, NULL);
		break;
	case WN_ON_ERROR_FAIL:
		set_outcome(r, st, WN_ERROR, NULL, NULL);
		wn_run_log(&e->run, st->id, WN_LOG_ERROR,
		           "record %s failed and on_error is fail: %s",
		           wn_record_get_str(r, "id", NULL), r->reason ? r->reason : "");
		atomic_store(&e->failed, 1);
		break;
	default:
		set_outcome(r, st, WN_ERROR, NULL, NULL);
	}
}

/* Handles the code a transform returned for one record. */
static void transform_outcome(wn_engine *e, wn_stage *st, wn_record *r, int rc)
{
	switch (rc) {
	case WN_OK:
		atomic_fetch_add(&st->ok, 1);
		return;
	case WN_DROP:
		atomic_fetch_add(&st->dropped, 1);
		set_outcome(r, st, WN_DROP, NULL, NULL);
		return;
	case WN_FATAL:
		if (!atomic_exchange(&st->stopped, 1))
			wn_run_log(&e->run, st->id, WN_LOG_ERROR,
			           "stage stopped (fatal error) at record %s: %s",
			           wn_record_get_str(r, "id", NULL), r->reason ? r->reason : "");
		set_outcome(r, st, WN_ERROR, "stage_stopped",
		            "the stage stopped after a fatal error");
		atomic_fetch_add(&st->errors, 1);
		return;
	case WN_RETRY: {
		/* Keep the plugin's code; say that retrying did not help. */
		char *code = r->reason_code ? r->reason_code : (char *)"retry";
		reasonf(r, code, "retries exhausted after %d attempts: %s", r->attempts,
		        r->reason ? r->reason : "transient failure");
		apply_error(e, st, r);
		return;
	}
	case WN_ERROR:
		apply_error(e, st, r);
		return;
	default:
		set_outcome(r, st, WN_ERROR, "bad_return", "plugin returned an invalid code");
		atomic_fetch_add(&st->errors, 1);
	}
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Runs process() on one record with retries and backoff. */
static int process_one(wn_engine *e, wn_stage *st, int w, wn_record *r, unsigned *seed)
{
	const wn_ctx *cx = &st->inst[w];
	const wn_retry *rt = stage_retry(st);
	const char *id = wn_record_get_str(r, "id", NULL);
	for (int attempt = 0;; attempt++) {
		r->attempts = attempt + 1;
		wn_crash_enter(st->id, st->plugin.desc.name, st->plugin.desc.version, id);
		wn_watchdog_begin(e->dog, w, st, id);
		int rc = st->plugin.desc.process(cx, r);
		wn_watchdog_end(e->dog, w);
		wn_crash_leave();
		if (rc != WN_RETRY || attempt >= rt->max || atomic_load(&e->failed))
			return rc;
		atomic_fetch_add(&st->retries, 1);
		backoff_sleep(rt, attempt + 1, seed);
	}
}

/* One transform stage over the live records of a batch. */
static void run_transform(wn_engine *e, wn_stage *st, int w, wn_batch *b, unsigned *seed)
{
	const wn_ctx *cx = &st->inst[w];
	wn_record **live = wn_xcalloc(b->n, sizeof(*live));
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++) {
		wn_record *r = b->recs[i];
		if (r->rc != WN_OK)
			continue;
		atomic_fetch_add(&st->in, 1);
		if (!when_matches(st->cfg ? &st->cfg->when : NULL, r)) {
			atomic_fetch_add(&st->skipped, 1);
			continue;
		}
		if (atomic_load(&st->stopped)) {
			transform_outcome(e, st, r, WN_FATAL);
			continue;
		}
		live[n++] = r;
	}
	int64_t t0 = now_us();
	if (st->plugin.desc.batch && n) {
		int *rcs = wn_xcalloc(n, sizeof(*rcs));
		wn_crash_enter(st->id, st->plugin.desc.name, st->plugin.desc.version, NULL);
		wn_watchdog_begin(e->dog, w, st, NULL);
		int brc = st->plugin.desc.batch(cx, live, rcs, n);
		wn_watchdog_end(e->dog, w);
		wn_crash_leave();
		for (size_t i = 0; i < n; i++)
			transform_outcome(e, st, live[i], brc == WN_FATAL ? WN_FATAL : rcs[i]);
		free(rcs);
	} else {
		for (size_t i = 0; i < n; i++)
			transform_outcome(e, st, live[i], process_one(e, st, w, live[i], seed));
	}
	atomic_fetch_add(&st->busy_us, now_us() - t0);
	free(live);
}

typedef struct worker_arg {
	wn_engine *e;
	int index;
} worker_arg;

static wn_batch *pop_work(wn_engine *e)
{
	pthread_mutex_lock(&e->mu);
	while (!e->work_head && e->producing)
		pthread_cond_wait(&e->cv, &e->mu);
	wn_batch *b = e->work_head;
	if (b) {
		e->work_head = b->next;
		if (!e->work_head)
			e->work_tail = NULL;
	}
	pthread_mutex_unlock(&e->mu);
	return b;
}

static void *worker_main(void *arg)
{
	worker_arg *wa = arg;
	wn_engine *e = wa->e;
	unsigned seed = (unsigned)(getpid() * 31 + wa->index);
	wn_crash_thread_init();
	wn_batch *b;
	while ((b = pop_work(e))) {
		for (size_t s = e->cfg->n_sources; s < e->cfg->n_sources + e->cfg->n_transforms;
		     s++) {
			assert(s < e->n_stages && e->stages[s].index == (int)s);
			run_transform(e, &e->stages[s], wa->index, b, &seed);
		}
		pthread_mutex_lock(&e->mu);
		/* The ring holds at most `slots` batches (the producer takes a slot
		 * before making one), so a batch's place is always free. */
		assert(e->done[b->seq % (uint64_t)e->slots] == NULL);
		e->done[b->seq % (uint64_t)e->slots] = b;
		pthread_cond_broadcast(&e->cv);
		pthread_mutex_unlock(&e->mu);
	}
	wn_crash_thread_done();
	return NULL;
}

/* ---- sinks ------------------------------------------------------------ */

/* Appends a dead-letter line for r. */
static void dead_letter(wn_engine *e, wn_record *r)
{
	assert(r->failed_stage < (int)e->n_stages);
	const wn_stage *st = r->failed_stage >= 0 ? &e->stages[r->failed_stage] : NULL;
	char *line = wn_report_dead_letter_line(st, r);
	if (e->dead && line)
		wn_output_write(e->dead, line, strlen(line));
	free(line);
	e->rep.dead++;
}

/* Appends a drop-log line for a record dropped on purpose. */
static void drop_log(wn_engine *e, wn_record *r, const wn_stage *st)
{
	char *line = e->drops ? wn_report_dead_letter_line(st, r) : NULL;
	if (line)
		wn_output_write(e->drops, line, strlen(line));
	free(line);
}

static int sink_record(wn_engine *e, wn_record *r)
{
	size_t first = e->cfg->n_sources + e->cfg->n_transforms;
	int ok = 1;
	for (size_t s = first; s < e->n_stages; s++) {
		wn_stage *st = &e->stages[s];
		if (atomic_load(&st->stopped))
			continue;
		atomic_fetch_add(&st->in, 1);
		wn_crash_enter(st->id, st->plugin.desc.name, st->plugin.desc.version,
		               wn_record_get_str(r, "id", NULL));
		int64_t t0 = now_us();
		int rc = st->plugin.desc.write(&st->inst[0], r);
		atomic_fetch_add(&st->busy_us, now_us() - t0);
		wn_crash_leave();
		if (rc == WN_OK) {
			atomic_fetch_add(&st->ok, 1);
		} else if (rc == WN_FATAL) {
			atomic_store(&st->stopped, 1);
			wn_run_log(&e->run, st->id, WN_LOG_ERROR, "sink stopped: %s",
			           r->reason ? r->reason : "fatal error");
			atomic_store(&e->failed, 1);
			ok = 0;
		} else {
			atomic_fetch_add(&st->errors, 1);
			set_outcome(r, st, WN_ERROR, NULL, NULL);
			dead_letter(e, r);
			ok = 0;
		}
	}
	if (ok)
		e->rep.exported++;
	return ok;
}

/* Remembers a dropped record's outcome so later runs skip it while its
 * content is unchanged; a store that cannot be written fails the run. */
static void remember(wn_engine *e, wn_record *r)
{
	if (e->hist && wn_history_remember(e->hist, r)) {
		wn_run_log(&e->run, NULL, WN_LOG_ERROR, "cannot write the state store: %s",
		           wn_ledger_last_error());
		atomic_store(&e->failed, 1);
	}
}

/* A record that passed every transform: a duplicate is dropped with the
 * id it duplicates, anything else goes to the sinks and is remembered. */
static void deliver(wn_engine *e, wn_record *r)
{
	if (e->hist && wn_history_unchanged(e->hist, r)) {
		e->rep.seen++;
		return;
	}
	if (e->hist && wn_history_duplicate(e->hist, r)) {
		e->rep.duplicates++;
		drop_log(e, r, NULL);
		remember(e, r);
		return;
	}
	if (sink_record(e, r) && e->hist && wn_history_exported(e->hist, r)) {
		wn_run_log(&e->run, NULL, WN_LOG_ERROR, "cannot write the state store: %s",
		           wn_ledger_last_error());
		atomic_store(&e->failed, 1);
	}
}

/* A dropped record: counted under its stage and reason, and logged,
 * except the ones an earlier run exported ("seen"), which are only
 * counted: every record of an unchanged source is one. */
static void dropped(wn_engine *e, wn_record *r)
{
	assert(r->failed_stage >= 0 && (size_t)r->failed_stage < e->n_stages);
	wn_stage *st = &e->stages[r->failed_stage];
	const char *code = r->reason_code ? r->reason_code : "dropped";
	if (strcmp(code, "seen") == 0) {
		e->rep.seen++;
		wn_stage_count(st, &st->counters, &st->n_counters, "seen", 1);
		return;
	}
	e->rep.dropped++;
	wn_stage_count(st, &st->drops, &st->n_drops, code, 1);
	drop_log(e, r, st);
	if (r->failed_stage >= (int)e->cfg->n_sources) /* a rule of a transform */
		remember(e, r);
}

/* A record that failed: a page that is gone for good becomes a drop
 * ("gone", remembered, so it stops paging every run); anything else is a
 * dead letter, tried again by the next run. */
static void failed(wn_engine *e, wn_record *r)
{
	wn_fate fate = e->hist ? wn_history_failed(e->hist, r) : WN_FATE_DEAD_LETTER;
	if (fate == WN_FATE_STORE_ERROR) {
		wn_run_log(&e->run, NULL, WN_LOG_ERROR, "cannot write the state store: %s",
		           wn_ledger_last_error());
		atomic_store(&e->failed, 1);
	}
	if (fate != WN_FATE_GONE) {
		dead_letter(e, r);
		return;
	}
	assert(r->failed_stage >= 0 && (size_t)r->failed_stage < e->n_stages);
	wn_stage *st = &e->stages[r->failed_stage];
	e->rep.dropped++;
	wn_stage_count(st, &st->drops, &st->n_drops, "gone", 1);
	drop_log(e, r, st);
}

static void consume(wn_engine *e, wn_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		wn_record *r = b->recs[i];
		assert_record(e, r);
		if (r->rc == WN_OK) {
			deliver(e, r);
		} else if (r->rc == WN_DROP) {
			dropped(e, r);
		} else if (g_signal && r->reason_code &&
		           strcmp(r->reason_code, "interrupted") == 0) {
			/* Cut short by the stop, not by its input: left for the
			 * next run, which finds it new, not dead-lettered. */
			e->rep.unfinished++;
		} else {
			failed(e, r);
		}
		wn_record_free(r);
	}
	free(b->recs);
	free(b);
}

/* Takes batches back in order until the producer and workers are done. */
/* How long, after SIGINT/SIGTERM or the end of run.time_budget, calls in
 * flight may still finish before the run commits without them. */
#define WN_STOP_GRACE_MS 10000

static int watch(wn_engine *e);

static void sink_loop(wn_engine *e)
{
	uint64_t next = 0;
	int64_t last_progress = 0;
	for (;;) {
		pthread_mutex_lock(&e->mu);
		wn_batch *b;
		while (!(b = e->done[next % (uint64_t)e->slots]) &&
		       (e->producing || next < e->made) && !atomic_load(&e->failed)) {
			/* Waits in steps, so a worker stuck in a plugin is seen. */
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&e->cv, &e->mu, &until);
			if (!e->done[next % (uint64_t)e->slots] && watch(e)) {
				pthread_mutex_unlock(&e->mu);
				return;
			}
		}
		if (b) {
			assert(b->seq == next); /* batches leave strictly in order */
			e->done[next % (uint64_t)e->slots] = NULL;
		}
		pthread_mutex_unlock(&e->mu);
		if (!b)
			break;
		consume(e, b);
		next++;
		give_slot(e);
		if (e->opts.progress && wn_now_ms() - last_progress >= 250) {
			last_progress = wn_now_ms();
			wn_report_progress(&e->run, &e->rep);
		}
	}
}

/* Gives up on a worker that is stuck in a plugin call: the record in
 * flight is dead-lettered ("timeout") and noted for quarantine, pulling
 * stops, and the run commits what was delivered before it; the records
 * after it are unfinished (the next run does them). The stuck thread is
 * never joined: the process ends once the run has committed. */
static void abandon(wn_engine *e, const wn_stuck *k)
{
	const wn_stage *st = k->stage;
	wn_run_log(&e->run, st ? st->id : NULL, WN_LOG_ERROR,
	           "stuck for %lld s on %s%s (run.record_timeout); it is dead-lettered and the run "
	           "ends with what was done before it",
	           (long long)(k->ms / 1000), *k->id ? "record " : "a batch", k->id);
	wn_record *r = wn_record_new(0);
	if (st) {
		if (*k->id)
			wn_record_set_str(r, "id", k->id);
		r->rc = WN_ERROR;
		r->failed_stage = st->index;
		r->reason_code = (char *)"timeout";
		r->reason = (char *)"the stage did not return within run.record_timeout";
		dead_letter(e, r);
		if (*k->id)
			wn_history_note_quarantine(e->hist, k->id, st->id, st->plugin.desc.name,
			                           st->plugin.desc.version, "timeout");
	}
	wn_record_free(r);
	e->abandoned = 1;
	atomic_store(&e->stop, 1);
}

/* Called by the sink (mu held) while it waits: 1 when the run gives up
 * waiting. A call past run.record_timeout is abandoned; after a stop
 * signal, in-flight calls get a grace period, then their records are left
 * unfinished. */
static int watch(wn_engine *e)
{
	wn_stuck k;
	if (wn_watchdog_check(e->dog, e->cfg->record_timeout_ms, &k)) {
		abandon(e, &k);
		pthread_cond_broadcast(&e->cv);
		return 1;
	}
	/* The producer may be blocked on a full queue behind the stuck call
	 * and never see the budget run out: the sink looks too. */
	if (e->cfg->time_budget_ms && wn_now_ms() - e->t0_ms >= e->cfg->time_budget_ms)
		atomic_store(&e->budget_hit, 1);
	if (!g_signal && !atomic_load(&e->budget_hit))
		return 0;
	if (!e->signal_ms)
		e->signal_ms = wn_now_ms();
	if (wn_now_ms() - e->signal_ms < WN_STOP_GRACE_MS || !wn_watchdog_check(e->dog, 1, &k))
		return 0;
	wn_run_log(&e->run, k.stage ? k.stage->id : NULL, WN_LOG_ERROR,
	           "still busy %d s after %s; its records are left unfinished",
	           WN_STOP_GRACE_MS / 1000, g_signal ? "the stop signal" : "run.time_budget");
	e->abandoned = 1;
	atomic_store(&e->stop, 1);
	pthread_cond_broadcast(&e->cv);
	return 1;
}

/* ---- the run ----------------------------------------------------------- */

/* Takes the run lock: WN_E_OK, WN_E_LOCKED (another run holds it) or
 * WN_E_IO. */
static wn_err take_lock(wn_engine *e)
{
	const char *path = e->cfg->lock;
	char *dir = wn_dirname(path);
	wn_mkdirs(dir, 0777);
	free(dir);
	e->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (e->lock_fd < 0) {
		wn_run_log(&e->run, NULL, WN_LOG_ERROR, "cannot open lock file %s: %s", path,
		           strerror(errno));
		return WN_E_IO;
	}
	if (flock(e->lock_fd, LOCK_EX | LOCK_NB)) {
		char pid[32] = "";
		ssize_t k = pread(e->lock_fd, pid, sizeof(pid) - 1, 0);
		pid[k > 0 ? k : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		/* Exit 75 needs no action (the next scheduled run catches up), so
		 * it is said only at info level: cron mails nothing. */
		char *real = realpath(path, NULL);
		wn_run_log(&e->run, NULL, WN_LOG_INFO,
		           "another run holds the lock %s%s%s%s; not starting (exit 75)",
		           real ? real : path, *pid ? " (pid " : "", pid, *pid ? ")" : "");
		free(real);
		close(e->lock_fd);
		e->lock_fd = -1;
		return WN_E_LOCKED;
	}
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(e->lock_fd, 0) == 0 && pwrite(e->lock_fd, pid, (size_t)n, 0) < 0)
		wn_run_log(&e->run, NULL, WN_LOG_DEBUG, "cannot record pid in the lock file");
	return WN_E_OK;
}

/* Starts every stage; WN_E_OK, or WN_E_PLUGIN (logged). A source that
 * fails to start is stopped (the run goes on, partial); any other stage
 * that fails to start fails the run before anything is read. */
static wn_err init_stages(wn_engine *e)
{
	for (size_t i = 0; i < e->n_stages; i++) {
		wn_stage *st = &e->stages[i];
		wn_crash_enter(st->id, st->plugin.desc.name, st->plugin.desc.version, NULL);
		int rc = wn_stage_init(st);
		wn_crash_leave();
		if (rc == WN_OK)
			continue;
		if (st->cfg->section == WN_KIND_SOURCE) {
			wn_run_log(&e->run, st->id, WN_LOG_ERROR, "source did not start");
			atomic_store(&st->stopped, 1);
			continue;
		}
		wn_run_log(&e->run, st->id, WN_LOG_ERROR, "stage did not start; nothing was run");
		return WN_E_PLUGIN;
	}
	return WN_E_OK;
}

static void start_threads(wn_engine *e, worker_arg *args)
{
	int nw = e->cfg->workers;
	e->slots = e->cfg->queue_batches > 0 ? e->cfg->queue_batches : 4 * nw;
	e->slots_free = e->slots;
	e->done = wn_xcalloc((size_t)e->slots, sizeof(*e->done));
	e->producing = 1;
	e->workers = wn_xcalloc((size_t)nw, sizeof(*e->workers));
	e->dog = wn_watchdog_new(nw);
	/* Threads that cannot start (memory pressure, limits) fail the run
	 * instead of leaving it waiting for ever with the lock held. */
	int err = 0; /* pthread_create returns its error; it does not set errno */
	for (int i = 0; i < nw && !err; i++) {
		args[i] = (worker_arg){e, i};
		if (!(err = pthread_create(&e->workers[i], NULL, worker_main, &args[i])))
			e->workers_started++;
	}
	if (e->workers_started == 0 ||
	    (err = pthread_create(&e->producer, NULL, producer_main, e)) != 0) {
		wn_run_log(&e->run, NULL, WN_LOG_ERROR, "cannot start the run's threads: %s",
		           strerror(err));
		atomic_store(&e->failed, 1);
		pthread_mutex_lock(&e->mu);
		e->producing = 0;
		e->producer_started = 0;
		pthread_cond_broadcast(&e->cv);
		pthread_mutex_unlock(&e->mu);
		return;
	}
	e->producer_started = 1;
	if (e->workers_started < nw)
		wn_run_log(&e->run, NULL, WN_LOG_WARN, "only %d of %d worker threads started",
		           e->workers_started, nw);
}

static void join_threads(wn_engine *e)
{
	if (e->producer_started)
		pthread_join(e->producer, NULL);
	for (int i = 0; i < e->workers_started; i++)
		pthread_join(e->workers[i], NULL);
	/* A failed run may leave batches nobody will consume. */
	for (int i = 0; i < e->slots; i++)
		if (e->done[i]) {
			for (size_t k = 0; k < e->done[i]->n; k++)
				wn_record_free(e->done[i]->recs[k]);
			free(e->done[i]->recs);
			free(e->done[i]);
		}
	while (e->work_head) {
		wn_batch *b = e->work_head;
		e->work_head = b->next;
		for (size_t k = 0; k < b->n; k++)
			wn_record_free(b->recs[k]);
		free(b->recs);
		free(b);
	}
	free(e->done);
	free(e->workers);
	e->done = NULL;
	e->workers = NULL;
}

static int exit_code(wn_engine *e);

/* What sinks may read in their commit (run_value "run_stats",
 * "dead_letter_file", "drop_log_file"): run.json as it stands and the
 * staged dead-letter file and drop log, flushed. The run report shows
 * them; they are known only once every record has reached its end. */
static void expose_commit_facts(wn_engine *e)
{
	wn_run *run = &e->run;
	free(run->commit_stats);
	run->commit_stats =
	    wn_report_text(run, e->cfg, &e->rep, exit_code(e), wn_now_ms() - e->t0_ms);
	run->commit_dead = e->dead && e->dead->f && fflush(e->dead->f) == 0 ? e->dead->tmp : NULL;
	run->commit_drops =
	    e->drops && e->drops->f && fflush(e->drops->f) == 0 ? e->drops->tmp : NULL;
}

/* Calls every sink's commit; 0, or -1 when one fails. */
static wn_err commit_sinks(wn_engine *e)
{
	expose_commit_facts(e);
	size_t s = e->cfg->n_sources + e->cfg->n_transforms;
	for (; s < e->n_stages; s++) {
		wn_stage *st = &e->stages[s];
		if (!st->plugin.desc.commit)
			continue;
		wn_crash_enter(st->id, st->plugin.desc.name, st->plugin.desc.version, NULL);
		int64_t t0 = now_us();
		int rc = st->plugin.desc.commit(&st->inst[0]);
		atomic_fetch_add(&st->busy_us, now_us() - t0); /* run.json is written after */
		wn_crash_leave();
		if (rc != WN_OK) {
			wn_run_log(&e->run, st->id, WN_LOG_ERROR,
			           "sink could not finish its outputs");
			break;
		}
	}
	/* the paths name staged files that are renamed or removed next */
	e->run.commit_dead = e->run.commit_drops = NULL;
	return s < e->n_stages ? WN_E_PLUGIN : WN_E_OK;
}

static int exit_code(wn_engine *e)
{
	if (atomic_load(&e->failed))
		return WN_EXIT_FAILED;
	int partial =
	    e->rep.dead > 0 || atomic_load(&e->budget_hit) || atomic_load(&e->interrupted);
	for (size_t i = 0; i < e->n_stages; i++)
		partial |= atomic_load(&e->stages[i].stopped);
	return partial ? WN_EXIT_PARTIAL : WN_EXIT_OK;
}

/* Phase one of the ledger's commit; 0, or -1 after logging. */
static wn_err prepare_history(wn_engine *e)
{
	if (!wn_history_prepare(e->hist))
		return WN_E_OK;
	wn_run_log(&e->run, NULL, WN_LOG_ERROR, "state store: %s", wn_ledger_last_error());
	return WN_E_STORE;
}

/* Commits outputs, dead letters and run.json; returns the exit code. */
static int finish(wn_engine *e)
{
	if (g_signal) /* also when it came after the sources were done */
		atomic_store(&e->interrupted, 1);
	if (!atomic_load(&e->failed) && commit_sinks(e))
		atomic_store(&e->failed, 1);
	int code = exit_code(e);
	e->rep.budget_hit = atomic_load(&e->budget_hit);
	e->rep.interrupted = atomic_load(&e->interrupted);
	wn_ledger_counts c = {
	    atomic_load(&e->rep.read), e->rep.exported, e->rep.dropped, e->rep.dead, e->rep.seen,
	    e->rep.duplicates};
	if (code == WN_EXIT_FAILED) {
		wn_outputs_abort(&e->run);
		wn_report_write_failed(&e->run, e->cfg, &e->rep, wn_now_ms() - e->t0_ms);
		if (e->hist)
			wn_history_abort(e->hist, code, &c);
		return code;
	}
	/* run.json is the last output renamed: its presence under its final
	 * name with this run's id is what marks the run committed (ledger.h). */
	int64_t ms = wn_now_ms() - e->t0_ms;
	if (wn_report_write_metrics(&e->run, e->cfg, &e->rep, code, ms) ||
	    wn_report_write(&e->run, e->cfg, &e->rep, code, ms) ||
	    (wn_crash_point("commit:staged"), e->hist && prepare_history(e)) ||
	    (wn_crash_point("commit:prepared"), wn_outputs_commit(&e->run))) {
		wn_report_write_failed(&e->run, e->cfg, &e->rep, wn_now_ms() - e->t0_ms);
		if (e->hist)
			wn_history_abort(e->hist, WN_EXIT_FAILED, &c);
		return WN_EXIT_FAILED;
	}
	wn_crash_point("commit:published");
	wn_report_clear_failed(&e->run);
	/* Validators (ETags for conditional GET) only once the outputs are in
	 * place. Deliberately fail-soft: they are a cache, so a failure (logged
	 * by the HTTP service) costs the next run full fetches, never data, and
	 * the committed run stays committed. */
	(void)wn_services_commit(&e->run);
	if (e->hist) {
		if (wn_history_commit(e->hist, code, &c)) {
			/* The outputs are visible: the next run settles this one as
			 * committed from its run.json (ledger.h), nothing repeats. */
			wn_run_log(&e->run, NULL, WN_LOG_ERROR,
			           "state store: cannot mark the run committed: %s",
			           wn_ledger_last_error());
			return WN_EXIT_FAILED;
		}
		wn_crash_point("commit:ledger");
		wn_history_tidy(e->hist);
	}
	return code;
}

static void install_stop_signals(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_stop_signal;
	sa.sa_flags = SA_RESETHAND; /* a second signal kills at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int wn_engine_run(wn_engine *e)
{
	wn_err lock = take_lock(e);
	if (lock != WN_E_OK) /* a command's end: its result becomes the exit code */
		return lock == WN_E_LOCKED ? WN_EXIT_LOCKED : WN_EXIT_FAILED;
	e->t0_ms = wn_now_ms();
	/* Under the lock, what killed runs left is swept before this run
	 * stages its own outputs. */
	wn_outputs_sweep(e->run.output_dir);
	if (wn_outputs_begin(&e->run, wn_output_dir_per_run(e->run.output_dir)))
		return WN_EXIT_FAILED;
	/* A state store that cannot be read is a configuration problem: the
	 * file is not winnow's, or damaged. Nothing has run yet. */
	if (wn_services_open(&e->run, e->cfg, e->opts.reprocess)) /* state store, HTTP */
		return WN_EXIT_CONFIG;
	e->hist = wn_history_open(&e->run, e->cfg, e->opts.reprocess);
	if (!e->hist)
		return WN_EXIT_CONFIG;
	pthread_mutex_init(&e->mu, NULL);
	pthread_cond_init(&e->cv, NULL);
	wn_crash_install();
	char *quarantine = wn_history_quarantine_path(e->cfg);
	wn_crash_quarantine_file(quarantine);
	free(quarantine);
	install_stop_signals();
	e->dead = wn_output_open(&e->run, NULL, e->cfg->dead_letter);
	if (e->cfg->drop_log && *e->cfg->drop_log)
		e->drops = wn_output_open(&e->run, NULL, e->cfg->drop_log);
	if (!e->dead || init_stages(e) != WN_E_OK) {
		wn_outputs_abort(&e->run);
		return WN_EXIT_FAILED;
	}
	worker_arg *args = wn_xcalloc((size_t)e->cfg->workers, sizeof(*args));
	start_threads(e, args);
	sink_loop(e);
	if (e->abandoned) {
		/* A worker may be stuck in a plugin for good: it is neither joined
		 * nor torn down. What was delivered commits, then the process
		 * ends here (the kernel releases the lock). */
		if (e->opts.progress)
			wn_run_progress_clear(&e->run);
		int code = finish(e);
		wn_report_summary(&e->run, e->cfg, &e->rep, code);
		fflush(NULL);
		_exit(code);
	}
	join_threads(e);
	free(args);
	if (e->opts.progress)
		wn_run_progress_clear(&e->run);
	int code = finish(e);
	wn_report_summary(&e->run, e->cfg, &e->rep, code);
	return code;
}

int wn_engine_check_sources(wn_engine *e)
{
	int bad = 0;
	for (size_t i = 0; i < e->cfg->n_sources; i++) {
		wn_stage *st = &e->stages[i];
		if (wn_stage_init(st) != WN_OK) {
			wn_run_log(&e->run, st->id, WN_LOG_ERROR, "source cannot start");
			bad++;
		}
		for (int k = 0; k < st->n_inst; k++) {
			if (st->inited[k] && st->plugin.desc.fini)
				st->plugin.desc.fini(&st->inst[k]);
			st->inited[k] = 0;
		}
	}
	return bad;
}

void wn_engine_free(wn_engine *e)
{
	if (!e)
		return;
	wn_crash_quarantine_file(NULL);
	if (e->dog) { /* the run started: an empty quarantine file is not kept */
		char *q = wn_history_quarantine_path(e->cfg);
		struct stat st;
		if (stat(q, &st) == 0 && st.st_size == 0)
			unlink(q);
		free(q);
	}
	for (size_t i = e->n_stages; i-- > 0;)
		if (e->stages[i].inst)
			wn_stage_teardown(&e->stages[i]);
	wn_history_close(e->hist);
	wn_watchdog_free(e->dog);
	wn_services_close(&e->run);
	free(e->stages);
	wn_run_destroy(&e->run);
	wn_loader_free_path(e->search);
	if (e->lock_fd >= 0)
		close(e->lock_fd);
	if (e->slots) {
		pthread_mutex_destroy(&e->mu);
		pthread_cond_destroy(&e->cv);
	}
	free(e);
}
