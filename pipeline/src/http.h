/*
 * The HTTP service: one per run, shared by every stage on every thread
 * (fetch_http's worker instances, feed and sitemap sources) through
 * api->http_fetch. A few service threads ("lanes", http.threads) each own
 * a libcurl multi handle and its connection cache; callers queue requests
 * and wait. Every transfer to one host runs on that host's lane, which is
 * what lets the limits hold run-wide: per-host concurrency, the per-host
 * delay between request starts, robots.txt (fetched once per host and
 * cached), Retry-After; each lane has its share of the total concurrency.
 * With per-host politeness off (per_host 0, no delay) jobs are spread over
 * the lanes instead.
 *
 * Policy, identical for every caller:
 *   - retries with exponential backoff and jitter for transient failures
 *     only (timeouts, resets, 5xx, 429); Retry-After on 429/503 is
 *     honoured and also holds back the whole host;
 *   - 304 on a conditional request -> WN_DROP "not_modified"; content type
 *     outside `accept` -> WN_DROP "content_type" (the transfer is cut
 *     short); body over `max_body` -> WN_DROP "too_large" (aborted);
 *     robots.txt says no -> WN_DROP "robots"; a private, loopback or
 *     link-local address when `block_private` is on -> WN_DROP "blocked";
 *   - redirects are followed by the service, each hop as a job of its own
 *     host (robots.txt, limits, delay, block_private, schemes) up to
 *     max_redirects; a loop or too many -> WN_ERROR "too_many_redirects";
 *   - other failures -> WN_ERROR with "http_NNN", "timeout", "network"...
 *
 * Validators (ETag, Last-Modified) of pages fetched conditionally are kept
 * in memory and written to the state store only when the run commits.
 */
#ifndef WN_HTTP_H
#define WN_HTTP_H

#include <stdint.h>

#include "config.h"
#include "state.h"
#include "winnow/plugin.h"

struct wn_run;

/* The `http:` section, with defaults filled in. */
typedef struct wn_http_opts {
	char *user_agent;
	int64_t timeout_ms, connect_timeout_ms;
	int64_t low_speed_time_ms, low_speed_limit; /* bytes/s below which, for that long, abort */
	int64_t max_body, max_redirects;
	int64_t concurrency, per_host; /* per_host 0 = no per-host limit */
	int64_t delay_ms;              /* between request starts on one host */
	int64_t retries, backoff_ms, max_backoff_ms;
	int64_t threads; /* service threads ("lanes"), each with its share of concurrency */
	int respect_robots, allow_file, verify_tls, block_private;
	char **accept;     /* "text/html"; a trailing slash-star takes a whole type; NULL-ended */
	int unconditional; /* not a config key: --reprocess asks for everything anew
	                      (no If-None-Match / If-Modified-Since), so nothing is a 304 */
} wn_http_opts;

/* Reads the `http:` mapping (NULL: all defaults) into o, checking keys
 * (with did-you-mean) and values; errors go to d located at the node.
 * Returns the number of errors; o is filled either way and must be freed
 * with wn_http_opts_free. */
int wn_http_opts_parse(const wn_cfg_node *http, wn_http_opts *o, wn_diag *d);
void wn_http_opts_free(wn_http_opts *o);
/* Deep copy of src into dst (free with wn_http_opts_free). */
void wn_http_opts_copy(wn_http_opts *dst, const wn_http_opts *src);

typedef struct wn_http wn_http;

/* Creates a service with a copy of o. `state` (may be NULL) is borrowed
 * for validators; `run` (may be NULL) is where log lines go. The service
 * thread starts at the first fetch. NULL when curl cannot start. */
wn_http *wn_http_new(const wn_http_opts *o, wn_state *state, struct wn_run *run);

/* api->http_fetch: see plugin.h. Returns WN_OK or WN_FATAL. */
int wn_http_fetch(wn_http *h, const wn_http_req *reqs, wn_http_resp *resps, size_t n);

/* api->http_release. */
void wn_http_release(wn_http_resp *resp);

/* Writes the validators collected so far to the state store in one
 * transaction. Returns WN_E_OK, or WN_E_STORE after logging (nothing
 * written). */
wn_err wn_http_commit(wn_http *h);

/* Stops the service thread and frees everything; NULL is a no-op. Must
 * not run while a fetch is in progress. */
void wn_http_free(wn_http *h);

/* The run is interrupted: every service ends its waiting and running
 * transfers within a fraction of a second (code "interrupted") and fails
 * new ones at once. Async-signal-safe: the engine's SIGINT/SIGTERM handler
 * calls it. It lasts for the rest of the process (one run per process). */
void wn_http_interrupt(void);

/* ---- the run's services, for the engine ------------------------------ */

/* Checks the config's `http:` section; returns the error count. */
int wn_services_check(const wn_config *cfg, wn_diag *d);
/* Opens the state store (when run.state is set) and creates the HTTP
 * service into run->state and run->http; with `reprocess` every request
 * is unconditional (validators are still kept for later runs). WN_E_OK,
 * or WN_E_STORE after logging. */
wn_err wn_services_open(struct wn_run *run, const wn_config *cfg, int reprocess);
/* At run commit: stores what the services kept for the next run.
 * WN_E_OK, or WN_E_STORE after logging. */
wn_err wn_services_commit(struct wn_run *run);
/* Frees both; called after every stage's fini. */
void wn_services_close(struct wn_run *run);

#endif
