/*
 * What a run tells: the dead-letter lines, run.json, the progress line on
 * a terminal and the one summary line of a partial or failed run.
 */
#ifndef WN_REPORT_H
#define WN_REPORT_H

#include <stdatomic.h>
#include <stdint.h>

#include "config.h"
#include "run.h"

typedef struct wn_report {
	atomic_llong read; /* records the sources produced */
	int64_t exported, dropped, dead;
	int64_t seen;       /* skipped: exported by an earlier run */
	int64_t duplicates; /* dropped as duplicates of a kept record */
	int64_t unfinished; /* cut short by an interruption: not failures of the
	                       input, not committed, done again by the next run */
	int budget_hit, interrupted;
} wn_report;

/* A JSON string of s[0..n), repaired to valid UTF-8 first (jansson refuses
 * anything else, and a reason or a field must never be lost); null only
 * when out of memory. */
struct json_t;
struct json_t *wn_json_text(const char *s, size_t n);

/* One dead-letter JSON line (with '\n') for record r that failed at stage
 * st (NULL when unknown): stage, plugin, version, id, url, code, reason,
 * attempts. Heap string. */
char *wn_report_dead_letter_line(const wn_stage *st, const wn_record *r);

/* run.json's text as it stands now (indented JSON), for the sinks' commit
 * (run_value "run_stats"). Heap string, NULL when out of memory. */
char *wn_report_text(wn_run *run, const wn_config *cfg, const wn_report *rep, int exit_code,
                     int64_t duration_ms);

/* Writes run.json's text (malloc'd; taken and freed, NULL gives WN_E_IO)
 * into the run's outputs, committed with them: the one writer of
 * run.json, for runs and merges. WN_E_OK or WN_E_IO. */
wn_err wn_report_save(wn_run *run, char *text);

/* Writes run.json into the run's outputs (committed with them). WN_E_OK
 * or WN_E_IO. */
wn_err wn_report_write(wn_run *run, const wn_config *cfg, const wn_report *rep, int exit_code,
                       int64_t duration_ms);
/* Writes the Prometheus textfile (run.metrics, default metrics.prom) into
 * the run's outputs; nothing when run.metrics is "". WN_E_OK or
 * WN_E_IO. */
wn_err wn_report_write_metrics(wn_run *run, const wn_config *cfg, const wn_report *rep,
                               int exit_code, int64_t duration_ms);
/* Removes a run.json.failed an earlier failed run left in the output
 * folder, once a run has committed. */
void wn_report_clear_failed(wn_run *run);

/* For a failed run: writes run.json.failed directly (outputs are not
 * committed, but the operator still gets the counters). */
void wn_report_write_failed(wn_run *run, const wn_config *cfg, const wn_report *rep,
                            int64_t duration_ms);

/* The terminal progress line of rep's counters (wn_run_progress; cleared
 * with wn_run_progress_clear). */
void wn_report_progress(wn_run *run, const wn_report *rep);

/* Prints nothing for a clean run; one line for a partial or failed one. */
void wn_report_summary(wn_run *run, const wn_config *cfg, const wn_report *rep, int exit_code);

#endif
