/*
 * The engine's config keys as tables: see config_keys.h. The help texts
 * are the meaning column of docs/config.md (scripts/config-doc writes
 * them there).
 */
#include "config_keys.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "http.h"

/* ---- row builders ------------------------------------------------------ */

/* The option part of a row: key k at member m of struct S. Rows are
 * { OPT(...), more members }: designated, so wn_option may grow. */
#define OPT(S, m, k, t, d, lo, hi, ch, h)                                                          \
	.opt = {.name = k,                                                                         \
	        .type = t,                                                                         \
	        .def = d,                                                                          \
	        .offset = offsetof(S, m),                                                          \
	        .help = h,                                                                         \
	        .choices = ch,                                                                     \
	        .min = lo,                                                                         \
	        .max = hi}
/* The size of an integer member (int or int64_t) for WN_OPT_INT rows. */
#define CSIZE(S, m) .csize = sizeof(((S *)0)->m)
#define K_END                                                                                      \
	{                                                                                          \
		.opt = {.name = NULL }                                                             \
	}

/* No upper bound. */
#define NONE INFINITY
/* The HTTP service's upper bound on durations, sizes and byte rates: 2^40. */
#define BIG 1099511627776.0

/* ---- run: ---------------------------------------------------------------- */

#define RUN(m, k, t, d, lo, hi, h) OPT(wn_config, m, k, t, d, lo, hi, NULL, h)

static const wn_key run_keys[] = {
    {RUN(name, "name", WN_OPT_STR, NULL, 0, 0, "the run's name in `run.json` and messages"),
     .flags = WN_KEY_EMPTY_DEFAULT, .shown = "the config file's name"},
    {RUN(output_dir, "output_dir", WN_OPT_PATH, "output", 0, 0,
         "where outputs, `run.json` and dead letters go; not empty"),
     .flags = WN_KEY_NONEMPTY | WN_KEY_EMPTY_DEFAULT},
    {RUN(state, "state", WN_OPT_PATH, NULL, 0, 0,
         "the state store (one SQLite file): run history, ids already exported, duplicate "
         "signatures, HTTP validators. Without it every run starts afresh"),
     .flags = WN_KEY_NONEMPTY},
    {RUN(lock, "lock", WN_OPT_PATH, NULL, 0, 0,
         "the lock file; a second run on the same lock exits 75. Default: beside the state "
         "store, else in `output_dir`, or in its parent when its path carries `${RUN_ID}` or "
         "`${RUN_DATE}`"),
     .flags = WN_KEY_NONEMPTY, .shown = "`STATE.lock` or `.winnow.lock`"},
    {RUN(workers, "workers", WN_OPT_INT, "2", 1, 256,
         "transform threads; outputs are identical whatever the count"),
     CSIZE(wn_config, workers)},
    {RUN(batch_size, "batch_size", WN_OPT_INT, "64", 1, 100000,
         "records per batch; clean_text's site memory learns within a batch "
         "(plugins/clean_text/README.md), so its output depends on this, not on `workers`"),
     CSIZE(wn_config, batch_size)},
    {RUN(queue_batches, "queue", WN_OPT_INT, NULL, 1, 65536,
         "batches in flight at most; bounds memory"),
     CSIZE(wn_config, queue_batches), .shown = "4 × workers"},
    {RUN(time_budget_ms, "time_budget", WN_OPT_DURATION, NULL, 0, 0,
         "stop pulling new records after this long, commit, exit 2")},
    {RUN(max_record_bytes, "max_record_size", WN_OPT_SIZE, "64MiB", 1024, NONE,
         "a record growing past this fails (reason `too_large`)")},
    {RUN(plugin_path, "plugin_path", WN_OPT_LIST, NULL, 0, 0,
         "extra folders searched for `NAME.so` first: a folder or a list of folders"),
     .flags = WN_KEY_PATHS | WN_KEY_NONEMPTY, .tname = "paths"},
    {RUN(gone_after, "gone_after", WN_OPT_INT, "3", 0, 1000,
         "with `state`: a URL that answers 404 in this many committed runs is remembered as "
         "gone (a 410 at once): dropped with code `gone` instead of dead-lettered, and not "
         "asked for again; 0 = never"),
     CSIZE(wn_config, gone_after)},
    {RUN(retry_backoff_ms, "retry_backoff", WN_OPT_DURATION, "1h", 0, 0,
         "with `state`: a record that failed (dead-lettered) waits this long before a later "
         "run tries it again, doubled with each failure (at most a week); meanwhile it is "
         "dropped as `deferred`, so a source that is down pages now and then, not every run; "
         "`0` or `null` = try every run; `--reprocess` tries everything"),
     .flags = WN_KEY_NULL_OFF},
    {RUN(record_timeout_ms, "record_timeout", WN_OPT_DURATION, "10m", 0, 0,
         "a plugin call (one record, or one batch) that runs longer is given up: the record "
         "is dead-lettered (`timeout`) and quarantined, the run commits what was delivered "
         "before it and exits 2; `0` or `null` = never"),
     .flags = WN_KEY_NULL_OFF},
    {RUN(keep, "keep", WN_OPT_INT, "0", 0, INT_MAX,
         "with `state`: the newest N runs that exported articles keep their output folders; "
         "older ones (only folders winnow made for that run) are removed after a commit; "
         "runs that exported nothing do not count and their folders go once a newer run "
         "commits; 0 = keep all"),
     CSIZE(wn_config, keep)},
    {OPT(wn_config, on_change, "on_change", WN_OPT_ENUM, "skip", 0, 0, "skip|update",
         "with `state`, for a record an earlier run exported: `skip` it before any work, or "
         "`update`: process it and export it again if its content changed")},
    {RUN(latest, "latest", WN_OPT_PATH, NULL, 0, 0,
         "a symbolic link pointed at the output folder after each commit. Default: `latest` "
         "beside `output_dir` when its path carries `${RUN_ID}` or `${RUN_DATE}`, else none"),
     .flags = WN_KEY_NONEMPTY, .shown = "see meaning"},
    {RUN(metrics, "metrics", WN_OPT_STR, "metrics.prom", 0, 0,
         "Prometheus textfile written beside `run.json` (relative to `output_dir`); `\"\"` or "
         "`null` for none"),
     .flags = WN_KEY_NULL_OFF},
    K_END,
};

const wn_section wn_run_section = {"run", "engine settings", run_keys, sizeof(wn_config)};

/* ---- dead_letter: --------------------------------------------------------- */

static const wn_key dead_letter_keys[] = {
    {RUN(dead_letter, "path", WN_OPT_STR, "dead_letter.jsonl", 0, 0,
         "relative to `output_dir`; one JSON line per failed record: `stage`, `plugin`, "
         "`version`, `id`, `url`, `code`, `reason`, `attempts`"),
     .flags = WN_KEY_EMPTY_DEFAULT},
    {RUN(drop_log, "drops", WN_OPT_STR, "dropped.jsonl", 0, 0,
         "the same for records dropped on purpose (filter rules, duplicates, with "
         "`duplicate_of` and `similarity`); records skipped as `seen` are only counted. "
         "`\"\"` or `null` for none"),
     .flags = WN_KEY_NULL_OFF},
    K_END,
};

const wn_section wn_dead_letter_section = {"dead_letter",
                                           "where failed and dropped records are written",
                                           dead_letter_keys, sizeof(wn_config)};

/* ---- dedup: --------------------------------------------------------------- */

static const wn_key dedup_keys[] = {
    {RUN(dedup.exact, "exact", WN_OPT_BOOL, "true", 0, 0,
         "drop a record whose normalised text equals a kept one's (`duplicate`)")},
    {RUN(dedup.near, "near", WN_OPT_BOOL, "true", 0, 0,
         "drop a record whose text is nearly a kept one's (`near_duplicate`): estimated "
         "Jaccard similarity of word shingles (MinHash with LSH) at least `threshold`")},
    {RUN(dedup.threshold, "threshold", WN_OPT_REAL, "0.8", 0, 1, "for `near`"),
     .flags = WN_KEY_ABOVE_MIN},
    {RUN(dedup.shingle, "shingle", WN_OPT_INT, "5", 1, 16,
         "words per shingle; changing it makes earlier signatures incomparable"),
     CSIZE(wn_config, dedup.shingle)},
    {RUN(dedup.field, "field", WN_OPT_STR, "text", 0, 0,
         "the field compared; records without it are not compared"),
     .flags = WN_KEY_EMPTY_DEFAULT},
    K_END,
};

const wn_section wn_dedup_section = {"dedup", "duplicate detection", dedup_keys, sizeof(wn_config)};

/* ---- http: ------------------------------------------------------------------ */

#define HTTP(m, k, t, d, lo, hi, h) OPT(wn_http_opts, m, k, t, d, lo, hi, NULL, h)

static const wn_key http_keys[] = {
    {HTTP(user_agent, "user_agent", WN_OPT_STR,
          "winnow/" WN_VERSION " (+https://github.com/winnow)", 0, 0,
          "User-Agent; its product token picks the robots.txt group; not empty"),
     .flags = WN_KEY_NONEMPTY | WN_KEY_EMPTY_DEFAULT, .shown = "`winnow/VERSION (+...)`"},
    {HTTP(timeout_ms, "timeout", WN_OPT_DURATION, "30s", 1, BIG, "whole transfer")},
    {HTTP(connect_timeout_ms, "connect_timeout", WN_OPT_DURATION, "10s", 1, BIG, "connecting")},
    {HTTP(low_speed_limit, "low_speed_limit", WN_OPT_SIZE, "1", 0, BIG,
          "bytes per second; a transfer slower than this for `low_speed_time` is aborted")},
    {HTTP(low_speed_time_ms, "low_speed_time", WN_OPT_DURATION, "30s", 0, BIG,
          "see `low_speed_limit`")},
    {HTTP(max_body, "max_body", WN_OPT_SIZE, "16MiB", 1, BIG, "decoded body limit")},
    {HTTP(max_redirects, "max_redirects", WN_OPT_INT, "5", 0, 50, "redirects followed"),
     CSIZE(wn_http_opts, max_redirects)},
    {HTTP(concurrency, "concurrency", WN_OPT_INT, "32", 1, 4096,
          "transfers at once, run-wide (split among the service threads)"),
     CSIZE(wn_http_opts, concurrency)},
    {HTTP(threads, "threads", WN_OPT_INT, "2", 1, 64,
          "service threads; a host stays on one when `per_host` or `delay` is set"),
     CSIZE(wn_http_opts, threads)},
    {HTTP(per_host, "per_host", WN_OPT_INT, "2", 0, 4096,
          "transfers (and connections) at once per scheme://host:port; 0 = no limit"),
     CSIZE(wn_http_opts, per_host)},
    {HTTP(delay_ms, "delay", WN_OPT_DURATION, "0", 0, BIG,
          "between request starts on one host (a robots.txt Crawl-delay raises it, up to "
          "60s)")},
    {HTTP(retries, "retries", WN_OPT_INT, "3", 0, 100, "retries of transient failures only"),
     CSIZE(wn_http_opts, retries)},
    {HTTP(backoff_ms, "backoff", WN_OPT_DURATION, "500ms", 0, BIG,
          "first delay before a retry; doubles each time")},
    {HTTP(max_backoff_ms, "max_backoff", WN_OPT_DURATION, "60s", 0, BIG,
          "longest delay before a retry")},
    {HTTP(respect_robots, "respect_robots", WN_OPT_BOOL, "true", 0, 0,
          "robots.txt fetched once per host per run; 4xx = allow all, unreachable = disallow "
          "all (RFC 9309)")},
    {HTTP(accept, "accept", WN_OPT_LIST, "[text/html, application/xhtml+xml, text/plain]", 0, 0,
          "content types fetched; `type/*` allowed; feeds and sitemaps are exempt"),
     .flags = WN_KEY_EMPTY_DEFAULT | WN_KEY_NONEMPTY},
    {HTTP(allow_file, "allow_file", WN_OPT_BOOL, "false", 0, 0, "allow `file://` URLs")},
    {HTTP(verify_tls, "verify_tls", WN_OPT_BOOL, "true", 0, 0,
          "check the server's TLS certificate")},
    {HTTP(block_private, "block_private", WN_OPT_BOOL, "false", 0, 0,
          "refuse private, loopback, link-local, CGNAT and multicast addresses, checked on "
          "every connection (new or reused) and every redirect hop; URLs the config's author "
          "wrote (feed URLs, `fetch_http` with `trusted: true`) are exempt, and so are their "
          "redirects on the same host, but not a redirect to another host")},
    K_END,
};

const wn_section wn_http_section = {"http", "the HTTP service (fetching stages)", http_keys,
                                    sizeof(wn_http_opts)};

/* ---- a stage's engine keys ---------------------------------------------- */

#define STAGE(m, k, t, d, h) OPT(wn_stage_cfg, m, k, t, d, 0, 0, NULL, h)

static const wn_key retry_keys[] = {
    {OPT(wn_retry, max, "max", WN_OPT_INT, "3", 0, 100, NULL,
         "attempts after the first; `retry: N` is short for `{max: N}`"),
     CSIZE(wn_retry, max)},
    {OPT(wn_retry, backoff_ms, "backoff", WN_OPT_DURATION, "200ms", 0, 0, NULL,
         "first delay; doubles each attempt, with jitter")},
    {OPT(wn_retry, max_backoff_ms, "max_backoff", WN_OPT_DURATION, "30s", 0, 0, NULL,
         "longest delay; not shorter than `backoff`")},
    K_END,
};

const wn_section wn_retry_section = {"retry", "a stage's retries of WN_RETRY", retry_keys,
                                     sizeof(wn_retry)};

static const wn_key stage_keys[] = {
    {STAGE(use, "use", WN_OPT_STR, NULL,
           "required: the plugin (`winnow plugins` lists them); it must be of the "
           "section's kind"),
     .flags = WN_KEY_MANUAL, .tname = "plugin name", .shown = "required"},
    {STAGE(id, "id", WN_OPT_STR, NULL,
           "the stage's name; unique in the file; used in messages, `run.json`, dead letters "
           "and `--set ID.OPTION=VALUE`"),
     .flags = WN_KEY_MANUAL, .tname = "name", .shown = "`use`"},
    {STAGE(with, "with", WN_KEY_CUSTOM, NULL,
           "the plugin's options (`winnow plugins NAME` lists them with types and defaults)"),
     .parse = wn_cfg_parse_with, .tname = "mapping"},
    {STAGE(when, "when", WN_KEY_CUSTOM, NULL,
           "run the stage only for records where the condition holds: `{field: lang, eq: en}`, "
           "`{field: lang, ne: en}`, `{field: lang, in: [en, de]}`, "
           "`{field: author, exists: true}`; skipped records are counted and go on unchanged"),
     .parse = wn_cfg_parse_when, .tname = "condition", .shown = "always"},
    {OPT(wn_stage_cfg, on_error, "on_error", WN_OPT_ENUM, "dead_letter", 0, 0,
         "dead_letter|drop|skip|fail",
         "what a failed record (`WN_ERROR`) becomes: `dead_letter` (written to the "
         "dead-letter file, run exits 2), `drop` (counted as a drop under the plugin's reason "
         "code), `skip` (the record goes on unchanged), `fail` (the whole run fails, exit 1, "
         "nothing committed)")},
    {STAGE(retry, "retry", WN_KEY_CUSTOM, NULL,
           "for `WN_RETRY` (transient failures): `{max: 3, backoff: 200ms, max_backoff: 30s}` "
           "or just a number for `max`"),
     .parse = wn_cfg_parse_retry, .tname = "count or mapping", .shown = "see retry.*",
     .sub = &wn_retry_section},
    K_END,
};

const wn_section wn_stage_section = {NULL, "a stage entry of sources, pipeline and sinks",
                                     stage_keys, sizeof(wn_stage_cfg)};

const wn_config_topic wn_config_topics[] = {
    {"run", &wn_run_section},     {"http", &wn_http_section},
    {"stage", &wn_stage_section}, {"dead_letter", &wn_dead_letter_section},
    {"dedup", &wn_dedup_section}, {NULL, NULL},
};

/* ---- winnow help config -------------------------------------------------- */

static const wn_config_topic *find_topic(const char *name)
{
	for (const wn_config_topic *t = wn_config_topics; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static void print_topic(const wn_config_topic *t, int markdown, FILE *out)
{
	if (markdown) {
		wn_section_markdown(t->section, out);
		return;
	}
	fprintf(out, "%s: %s\n", t->name, t->section->title);
	wn_section_print(t->section, out);
}

int wn_config_help(int argc, char **argv, FILE *out)
{
	const char *name = NULL;
	int markdown = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--markdown") == 0) {
			markdown = 1;
		} else if (argv[i][0] != '-' && !name) {
			name = argv[i];
		} else {
			return wn_usage_error("usage: winnow help config [SECTION] [--markdown]\n",
			                      "unexpected argument '%s'", argv[i]);
		}
	}
	if (name) {
		const wn_config_topic *t = find_topic(name);
		if (!t) {
			const char *names[16];
			size_t n = 0;
			for (const wn_config_topic *k = wn_config_topics; k->name && n < 15; k++)
				names[n++] = k->name;
			names[n] = NULL;
			const char *best = wn_closest(name, names);
			wn_say("no config section '%s'%s%s%s (sections: run, http, stage, "
			       "dead_letter, dedup)",
			       name, best ? " (did you mean '" : "", best ? best : "",
			       best ? "'?)" : "");
			return 64;
		}
		print_topic(t, markdown, out);
		return 0;
	}
	for (const wn_config_topic *t = wn_config_topics; t->name; t++) {
		if (t != wn_config_topics)
			fputc('\n', out);
		if (markdown)
			fprintf(out, "%s:\n", t->name);
		print_topic(t, markdown, out);
	}
	return 0;
}
