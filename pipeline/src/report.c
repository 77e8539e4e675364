/*
 * Run reporting: see report.h. JSON is built with jansson; strings from
 * records are repaired to valid UTF-8 first, since jansson refuses
 * anything else and a reason must never be lost.
 */
#include "report.h"
#include "util.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jsonw.h"
#include "record.h"
#include "utf8.h"

json_t *wn_json_text(const char *s, size_t n)
{
	if (wn_utf8_valid_prefix((const unsigned char *)s, n) == n)
		return json_stringn(s, n);
	size_t len;
	char *fixed = wn_utf8_repair(s, n, &len);
	json_t *j = fixed ? json_stringn(fixed, len) : json_null();
	free(fixed);
	return j;
}

static json_t *jstr(const char *s)
{
	return s ? wn_json_text(s, strlen(s)) : json_null();
}

char *wn_report_dead_letter_line(const wn_stage *st, const wn_record *r)
{
	json_t *o = json_object();
	/* Duplicates are the engine's own verdict, not a stage's. */
	int engine = !st && r->duplicate_of;
	json_object_set_new(o, "stage", jstr(st ? st->id : engine ? "dedup" : NULL));
	json_object_set_new(o, "plugin",
	                    jstr(st       ? st->plugin.desc.name
	                         : engine ? "winnow"
	                                  : NULL));
	json_object_set_new(o, "version",
	                    jstr(st       ? st->plugin.desc.version
	                         : engine ? WN_VERSION
	                                  : NULL));
	json_object_set_new(o, "id", jstr(wn_record_get_str(r, "id", NULL)));
	json_object_set_new(o, "url", jstr(wn_record_get_str(r, "url", NULL)));
	json_object_set_new(o, "code", jstr(r->reason_code ? r->reason_code : "error"));
	json_object_set_new(o, "reason", jstr(r->reason ? r->reason : "no reason given"));
	json_object_set_new(o, "attempts", json_integer(r->attempts ? r->attempts : 1));
	if (r->duplicate_of) {
		json_object_set_new(o, "duplicate_of", jstr(r->duplicate_of));
		json_object_set_new(o, "similarity", json_real(r->similarity));
	}
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *line = wn_xmalloc(n + 2);
	memcpy(line, s, n);
	line[n] = '\n';
	line[n + 1] = '\0';
	free(s);
	return line;
}

static json_t *kv_object(const wn_kv *kv, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, kv[i].name, json_integer(kv[i].v));
	return o;
}

static json_t *stage_json(const wn_stage *st)
{
	json_t *o = json_object();
	const wn_plugin *p = &st->plugin.desc;
	json_object_set_new(o, "id", jstr(st->id));
	json_object_set_new(o, "plugin", jstr(p->name));
	json_object_set_new(o, "version", jstr(p->version));
	json_object_set_new(o, "abi", json_sprintf("%u.%u", p->abi_major, p->abi_minor));
	json_object_set_new(o, "kind", jstr(wn_kind_name(p->kind)));
	json_object_set_new(o, "in", json_integer(atomic_load(&st->in)));
	json_object_set_new(o, "ok", json_integer(atomic_load(&st->ok)));
	json_object_set_new(o, "dropped", json_integer(atomic_load(&st->dropped)));
	json_object_set_new(o, "errors", json_integer(atomic_load(&st->errors)));
	json_object_set_new(o, "retries", json_integer(atomic_load(&st->retries)));
	json_object_set_new(o, "skipped", json_integer(atomic_load(&st->skipped)));
	json_object_set_new(o, "busy_ms", json_integer(atomic_load(&st->busy_us) / 1000));
	json_object_set_new(o, "stopped", json_boolean(atomic_load(&st->stopped)));
	json_object_set_new(o, "drops", kv_object(st->drops, st->n_drops));
	json_object_set_new(o, "counters", kv_object(st->counters, st->n_counters));
	return o;
}

static const char *status_name(int code)
{
	return code == 0 ? "ok" : code == 2 ? "partial" : "failed";
}

static json_t *report_json(wn_run *run, const wn_config *cfg, const wn_report *rep, int exit_code,
                           int64_t duration_ms)
{
	json_t *o = json_object();
	char now[32];
	wn_iso_utc((int64_t)time(NULL), now);
	json_object_set_new(o, "name", jstr(run->name));
	json_object_set_new(o, "run_id", jstr(run->run_id));
	json_object_set_new(o, "status", jstr(status_name(exit_code)));
	json_object_set_new(o, "exit_code", json_integer(exit_code));
	json_object_set_new(o, "started_at", jstr(run->started_at));
	json_object_set_new(o, "finished_at", jstr(now));
	json_object_set_new(o, "duration_ms", json_integer(duration_ms));
	json_object_set_new(o, "winnow_version", jstr(WN_VERSION));
	json_object_set_new(o, "abi", json_sprintf("%d.%d", WN_ABI_MAJOR, WN_ABI_MINOR));
	json_t *c = json_object();
	json_object_set_new(c, "path", jstr(cfg->doc ? cfg->doc->path : NULL));
	json_object_set_new(c, "sha256", jstr(cfg->doc ? cfg->doc->sha256 : NULL));
	json_object_set_new(o, "config", c);
	json_object_set_new(o, "workers", json_integer(cfg->workers));
	json_t *recs = json_object();
	json_object_set_new(recs, "read", json_integer(atomic_load(&rep->read)));
	json_object_set_new(recs, "exported", json_integer(rep->exported));
	json_object_set_new(recs, "dropped", json_integer(rep->dropped));
	json_object_set_new(recs, "seen", json_integer(rep->seen));
	json_object_set_new(recs, "duplicates", json_integer(rep->duplicates));
	json_object_set_new(recs, "dead_lettered", json_integer(rep->dead));
	json_object_set_new(recs, "unfinished", json_integer(rep->unfinished));
	json_object_set_new(o, "records", recs);
	json_object_set_new(o, "time_budget_hit", json_boolean(rep->budget_hit));
	json_object_set_new(o, "interrupted", json_boolean(rep->interrupted));
	json_t *stages = json_array();
	for (size_t i = 0; i < run->n_stages; i++)
		json_array_append_new(stages, stage_json(&run->stages[i]));
	json_object_set_new(o, "stages", stages);
	return o;
}

char *wn_report_text(wn_run *run, const wn_config *cfg, const wn_report *rep, int exit_code,
                     int64_t duration_ms)
{
	json_t *o = report_json(run, cfg, rep, exit_code, duration_ms);
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

wn_err wn_report_save(wn_run *run, char *text)
{
	struct wn_output *out = text ? wn_output_open(run, NULL, "run.json") : NULL;
	wn_err rc = out && wn_output_write(out, text, strlen(text)) == WN_OK &&
	                    wn_output_write(out, "\n", 1) == WN_OK
	                ? WN_E_OK
	                : WN_E_IO;
	free(text);
	return rc;
}

wn_err wn_report_write(wn_run *run, const wn_config *cfg, const wn_report *rep, int exit_code,
                       int64_t duration_ms)
{
	return wn_report_save(run, wn_report_text(run, cfg, rep, exit_code, duration_ms));
}

/* One metric line; labels are the run name and optional extra pairs.
 * Counts print as integers, other values in the shortest form that reads
 * back the same (0.09, not 0.089999999999999997). */
static void metric(wn_buf *b, const char *name, const char *run, const char *labels, double v)
{
	char num[WN_JSONW_REAL_BUF];
	if (v == (double)(int64_t)v && v > -1e15 && v < 1e15)
		snprintf(num, sizeof num, "%lld", (long long)v);
	else if (!wn_jsonw_fmt_real(v, num))
		snprintf(num, sizeof num, "NaN");
	wn_buf_addf(b, "%s{run=\"%s\"%s%s} %s\n", name, run, labels ? "," : "",
	            labels ? labels : "", num);
}

static void help(wn_buf *b, const char *name, const char *type, const char *text)
{
	wn_buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* Label values may not hold '"', '\\' or newlines; run names and stage ids
 * are plain names, but a quote is replaced to be safe. */
static char *label_value(const char *s)
{
	char *v = wn_xstrdup(s ? s : "");
	for (char *p = v; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '\n')
			*p = '_';
	return v;
}

/* Records of the run by outcome: the outcomes split `read`, so a sum
 * over the label is the records read (Prometheus's naming rule). */
static void run_records(wn_buf *b, const char *name, const wn_report *rep)
{
	help(b, "winnow_run_records_read", "gauge", "Records the sources gave in the last run.");
	metric(b, "winnow_run_records_read", name, NULL, (double)atomic_load(&rep->read));
	help(b, "winnow_run_records", "gauge",
	     "Records of the last run by outcome; the outcomes add up to records read.");
	const char *outcomes[] = {"exported",  "dropped",       "seen",
	                          "duplicate", "dead_lettered", "unfinished"};
	int64_t counts[] = {rep->exported,   rep->dropped, rep->seen,
	                    rep->duplicates, rep->dead,    rep->unfinished};
	for (size_t i = 0; i < sizeof(counts) / sizeof(*counts); i++) {
		char *l = wn_xasprintf("outcome=\"%s\"", outcomes[i]);
		metric(b, "winnow_run_records", name, l, (double)counts[i]);
		free(l);
	}
}

/* Per stage: records in, split by outcome; retries and busy time apart
 * (retries are attempts, not records); drops by reason code. */
static void stage_records(wn_buf *b, const char *name, const wn_run *run)
{
	help(b, "winnow_stage_records_in", "gauge", "Records that reached each stage.");
	help(b, "winnow_stage_records", "gauge",
	     "Records per stage by outcome; per stage they add up to records_in.");
	help(b, "winnow_stage_retries", "gauge", "Retried attempts per stage (not records).");
	help(b, "winnow_stage_busy_seconds", "gauge", "Time spent inside each stage.");
	help(b, "winnow_stage_dropped_records", "gauge",
	     "Records dropped per stage and reason code.");
	for (size_t i = 0; i < run->n_stages; i++) {
		wn_stage *st = &run->stages[i];
		char *id = label_value(st->id);
		char *l = wn_xasprintf("stage=\"%s\"", id);
		metric(b, "winnow_stage_records_in", name, l, (double)atomic_load(&st->in));
		metric(b, "winnow_stage_retries", name, l, (double)atomic_load(&st->retries));
		metric(b, "winnow_stage_busy_seconds", name, l,
		       (double)atomic_load(&st->busy_us) / 1e6);
		free(l);
		const char *what[] = {"ok", "dropped", "errors", "skipped"};
		long long v[] = {atomic_load(&st->ok), atomic_load(&st->dropped),
		                 atomic_load(&st->errors), atomic_load(&st->skipped)};
		for (size_t k = 0; k < sizeof(v) / sizeof(*v); k++) {
			l = wn_xasprintf("stage=\"%s\",outcome=\"%s\"", id, what[k]);
			metric(b, "winnow_stage_records", name, l, (double)v[k]);
			free(l);
		}
		pthread_mutex_lock(&st->mu);
		for (size_t k = 0; k < st->n_drops; k++) {
			char *reason = label_value(st->drops[k].name);
			l = wn_xasprintf("stage=\"%s\",reason=\"%s\"", id, reason);
			metric(b, "winnow_stage_dropped_records", name, l, (double)st->drops[k].v);
			free(l);
			free(reason);
		}
		pthread_mutex_unlock(&st->mu);
		free(id);
	}
}

wn_err wn_report_write_metrics(wn_run *run, const wn_config *cfg, const wn_report *rep,
                               int exit_code, int64_t duration_ms)
{
	if (!cfg->metrics || !*cfg->metrics)
		return WN_E_OK;
	wn_buf b = {0};
	char *name = label_value(run->name);
	help(&b, "winnow_build_info", "gauge", "The winnow that wrote this file.");
	char *l =
	    wn_xasprintf("version=\"%s\",abi=\"%d.%d\"", WN_VERSION, WN_ABI_MAJOR, WN_ABI_MINOR);
	metric(&b, "winnow_build_info", name, l, 1);
	free(l);
	help(&b, "winnow_run_exit_code", "gauge", "Exit code of the last run (0 ok, 2 partial).");
	metric(&b, "winnow_run_exit_code", name, NULL, exit_code);
	help(&b, "winnow_run_interrupted", "gauge", "1 when the last run was stopped by a signal.");
	metric(&b, "winnow_run_interrupted", name, NULL, rep->interrupted);
	help(&b, "winnow_run_time_budget_hit", "gauge",
	     "1 when the last run spent run.time_budget.");
	metric(&b, "winnow_run_time_budget_hit", name, NULL, rep->budget_hit);
	help(&b, "winnow_run_duration_seconds", "gauge", "Wall time of the last run.");
	metric(&b, "winnow_run_duration_seconds", name, NULL, (double)duration_ms / 1000.0);
	help(&b, "winnow_run_finished_timestamp_seconds", "gauge",
	     "When the last run committed (Unix time).");
	metric(&b, "winnow_run_finished_timestamp_seconds", name, NULL, (double)time(NULL));
	run_records(&b, name, rep);
	stage_records(&b, name, run);
	free(name);
	struct wn_output *out = b.p ? wn_output_open(run, NULL, cfg->metrics) : NULL;
	wn_err rc = out && wn_output_write(out, b.p, b.len) == WN_OK ? WN_E_OK : WN_E_IO;
	wn_buf_free(&b);
	return rc;
}

void wn_report_clear_failed(wn_run *run)
{
	char *path = wn_path_join(run->output_dir, "run.json.failed");
	unlink(path); /* absent is fine */
	free(path);
}

void wn_report_write_failed(wn_run *run, const wn_config *cfg, const wn_report *rep,
                            int64_t duration_ms)
{
	json_t *o = report_json(run, cfg, rep, 1, duration_ms);
	char *path = wn_path_join(run->output_dir, "run.json.failed");
	wn_mkdirs(run->output_dir, 0777); /* a folder per run exists only once committed */
	json_dump_file(o, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	free(path);
	json_decref(o);
}

void wn_report_progress(wn_run *run, const wn_report *rep)
{
	char msg[160];
	snprintf(msg, sizeof msg, "%lld read, %lld exported, %lld dropped, %lld dead-lettered",
	         (long long)atomic_load(&rep->read), (long long)rep->exported,
	         (long long)rep->dropped, (long long)rep->dead);
	wn_run_progress(run, msg);
}

void wn_report_summary(wn_run *run, const wn_config *cfg, const wn_report *rep, int exit_code)
{
	if (exit_code == 0)
		return;
	char stopped[512] = "";
	size_t used = 0;
	for (size_t i = 0; i < run->n_stages; i++) {
		if (!atomic_load(&run->stages[i].stopped) || used >= sizeof(stopped) - 64)
			continue;
		used += (size_t)snprintf(stopped + used, sizeof(stopped) - used, "%s'%s'",
		                         used ? ", " : "; stopped: ", run->stages[i].id);
	}
	/* A failed run commits nothing: no dead-letter file to point at. */
	char see[600] = "";
	if (exit_code != 2)
		snprintf(see, sizeof(see), " (nothing was committed)");
	else if (rep->dead)
		snprintf(see, sizeof(see), " (see %.500s)", cfg->dead_letter);
	wn_run_say(run, "%s run %s: %lld read, %lld %s, %lld dropped, %lld dead-lettered%s%s",
	           exit_code == 2 ? "partial" : "failed", run->name,
	           (long long)atomic_load(&rep->read), (long long)rep->exported,
	           exit_code == 2 ? "exported" : "ready to export", (long long)rep->dropped,
	           (long long)rep->dead, see, stopped);
	if (rep->budget_hit)
		wn_run_say(run, "time budget spent; the rest is left for the next run");
	if (rep->interrupted)
		wn_run_say(run,
		           "interrupted; what was done is committed, %lld unfinished record(s) "
		           "left for the next run",
		           (long long)rep->unfinished);
}
