/*
 * export_report: a sink that writes report.html, a page to look at before
 * loading anything: the records through the stages, drops by reason, dead
 * letters by code with examples, records per source and per site,
 * languages, text lengths, publication months, entity types and the top
 * entities of each type, duplicate clusters, time per stage, and the
 * change against the previous committed run. One self-contained file
 * (inline CSS and SVG, no script, nothing fetched), written through
 * api->output_open, so it appears with the run's other outputs when the
 * run commits.
 *
 * A sink sees the articles that are exported; what happened to the others
 * comes from what the host hands sinks at commit: run.json as it stands
 * and the staged dead-letter file and drop log (stats.h).
 */
#include "render.h"
#include "stats.h"

#include <winnow/fields.h>
#include <winnow/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ER_MAX_PAGE ((size_t)64 << 20)
#define ER_MAX_KEYS 100000 /* distinct names kept per tally */

/* Word-count bins: [0,100), [100,200), ... [3200, inf). */
static const int64_t er_bins[] = {0, 100, 200, 400, 800, 1600, 3200};
#define ER_NBINS (sizeof er_bins / sizeof er_bins[0])

typedef struct er_state {
	/* options, written by the host */
	const char *path;
	int64_t top;
	/* run state */
	wn_output *out;
	char prev[4096]; /* the previous committed run's run.json, "" when none */
	int64_t articles, entities, words, dated;
	int64_t bins[ER_NBINS];
	er_tally lang, site, month, types, ents; /* ents: "TYPE\ttext" */
} er_state;

static const wn_option er_options[] = {
    {"path", WN_OPT_STR, "report.html", 0, offsetof(er_state, path),
     "the page, relative to the run's output folder", NULL, 0, 0},
    {"top", WN_OPT_INT, "10", 0, offsetof(er_state, top),
     "bars in the site, top-entity, dead-letter and duplicate charts", NULL, 1, 1000},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

/* The previous committed run's run.json: in a fixed output folder, or
 * latest/run.json beside per-run folders (this run's folder is not
 * visible before it commits). "" when there is none. */
static void previous_run(const wn_ctx *cx, char *path, size_t size)
{
	const char *out = cx->api->run_value(cx, "output_dir");
	path[0] = '\0';
	if (!out)
		return;
	snprintf(path, size, "%s/run.json", out);
	if (access(path, R_OK) == 0)
		return;
	snprintf(path, size, "%s/../latest/run.json", out);
	if (access(path, R_OK) != 0)
		path[0] = '\0';
}

static void er_fini(const wn_ctx *cx)
{
	er_state *s = cx->state;
	er_tally_free(&s->lang);
	er_tally_free(&s->site);
	er_tally_free(&s->month);
	er_tally_free(&s->types);
	er_tally_free(&s->ents);
}

static int er_init(const wn_ctx *cx)
{
	er_state *s = cx->state;
	if (!s->path || !*s->path) {
		cx->api->log(cx, WN_LOG_ERROR, "option path must not be empty");
		return WN_FATAL;
	}
	er_tally_init(&s->lang, ER_MAX_KEYS);
	er_tally_init(&s->site, ER_MAX_KEYS);
	er_tally_init(&s->month, ER_MAX_KEYS);
	er_tally_init(&s->types, ER_MAX_KEYS);
	er_tally_init(&s->ents, ER_MAX_KEYS);
	previous_run(cx, s->prev, sizeof s->prev);
	s->out = cx->api->output_open(cx, s->path);
	if (!s->out) {
		er_fini(cx);
		return WN_FATAL;
	}
	return WN_OK;
}

/* The site of r: site_name, else the URL's host, else "(local file)". */
static int add_site(er_state *s, const wn_host_api *api, const wn_record *r)
{
	const char *v = api->get_str(r, WN_F_SITE_NAME, NULL);
	if (v && *v)
		return er_tally_add(&s->site, v, strlen(v), 1);
	const char *url = api->get_str(r, WN_F_URL, NULL);
	const char *h = url ? strstr(url, "://") : NULL;
	if (!h || strncmp(url, "file:", 5) == 0)
		return er_tally_add(&s->site, "(local file)", 12, 1);
	h += 3;
	return er_tally_add(&s->site, h, strcspn(h, "/?#:"), 1);
}

static int add_entities(er_state *s, const wn_host_api *api, const wn_record *r)
{
	size_t n = api->entity_count(r);
	int rc = 0;
	char key[512];
	for (size_t i = 0; i < n && !rc; i++) {
		const wn_entity *e = api->entity_at(r, i);
		if (!e || !e->type)
			continue;
		int k = snprintf(key, sizeof key, "%s\t%s", e->type, e->text ? e->text : "");
		size_t len = k < 0 ? 0 : (size_t)k < sizeof key ? (size_t)k : sizeof key - 1;
		rc = er_tally_add(&s->types, e->type, strlen(e->type), 1) ||
		     er_tally_add(&s->ents, key, len, 1);
		s->entities++;
	}
	return rc;
}

static int er_write(const wn_ctx *cx, wn_record *r)
{
	er_state *s = cx->state;
	const wn_host_api *api = cx->api;
	s->articles++;
	int64_t words = api->get_int(r, WN_F_WORD_COUNT, 0);
	s->words += words;
	size_t b = ER_NBINS - 1;
	while (b > 0 && words < er_bins[b])
		b--;
	s->bins[b]++;
	const char *lang = api->get_str(r, WN_F_LANG, NULL);
	const char *pub = api->get_str(r, WN_F_PUBLISHED, NULL);
	int rc = er_tally_add(&s->lang, lang ? lang : "(unknown)", lang ? strlen(lang) : 9, 1) ||
	         add_site(s, api, r) || add_entities(s, api, r);
	if (!rc && pub && strlen(pub) >= 7) { /* YYYY-MM of the one time format */
		s->dated++;
		rc = er_tally_add(&s->month, pub, 7, 1);
	}
	if (rc) {
		cx->api->log(cx, WN_LOG_ERROR, "out of memory counting");
		return WN_FATAL;
	}
	return WN_OK;
}

static const char er_css[] =
    "body{font:15px/1.4 system-ui,sans-serif;margin:2em auto;max-width:760px;color:#222}"
    "h1{font-size:1.5em}h2{font-size:1.1em;margin:1.6em 0 .4em}"
    ".facts td{padding:2px 14px 2px 0}.none{color:#888}"
    "table.examples,table.change{border-collapse:collapse;font-size:13px;margin:.4em 0}"
    "table.examples td,table.examples th,table.change td,table.change th{border-bottom:1px "
    "solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}"
    "table.examples td{word-break:break-all}"
    "svg.chart text{font-size:12px;fill:#333}svg.chart rect{fill:#4a7fb5}";

static void put_facts(er_state *s, const wn_ctx *cx, wn_buf *b)
{
	const char *job = cx->api->run_value(cx, "run_name");
	const char *run = cx->api->run_value(cx, "run_id");
	const char *at = cx->api->run_value(cx, "started_at");
	wn_buf_adds(b, "<table class=\"facts\"><tr><td>job</td><td>");
	er_put_text(b, job ? job : "?", 0);
	wn_buf_adds(b, "</td></tr><tr><td>run</td><td>");
	er_put_text(b, run ? run : "?", 0);
	wn_buf_adds(b, "</td></tr><tr><td>started</td><td>");
	er_put_text(b, at ? at : "?", 0);
	wn_buf_addf(b,
	            "</td></tr><tr><td>articles exported</td><td>%lld</td></tr>"
	            "<tr><td>entities</td><td>%lld</td></tr>"
	            "<tr><td>words</td><td>%lld</td></tr>"
	            "<tr><td>with a publication date</td><td>%lld</td></tr>",
	            (long long)s->articles, (long long)s->entities, (long long)s->words,
	            (long long)s->dated);
	wn_buf_adds(b, "</table>\n");
}

static void put_lengths(er_state *s, wn_buf *b)
{
	char names[ER_NBINS][32];
	const char *labels[ER_NBINS];
	for (size_t i = 0; i < ER_NBINS; i++) {
		if (i + 1 < ER_NBINS)
			snprintf(names[i], sizeof names[i], "%lld-%lld words",
			         (long long)er_bins[i], (long long)er_bins[i + 1] - 1);
		else
			snprintf(names[i], sizeof names[i], "%lld+ words", (long long)er_bins[i]);
		labels[i] = names[i];
	}
	er_bar_chart(b, "Text length", labels, s->bins, ER_NBINS);
}

/* Publication months in time order (the tally sorts by count). */
static void put_months(er_state *s, wn_buf *b)
{
	size_t n = 0;
	er_entry *v = er_tally_sorted(&s->month, &n);
	const char **labels = calloc(n + 1, sizeof *labels);
	int64_t *values = calloc(n + 1, sizeof *values);
	if (labels && values) {
		for (size_t i = 0; i < n; i++)
			labels[i] = v[i].key;
		for (size_t i = 1; i < n; i++) /* insertion sort by key: months are few */
			for (size_t j = i; j > 0 && strcmp(labels[j - 1], labels[j]) > 0; j--) {
				const char *t = labels[j];
				labels[j] = labels[j - 1];
				labels[j - 1] = t;
			}
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < n; k++)
				if (v[k].key == labels[i])
					values[i] = v[k].n;
		er_bar_chart(b, "Published, by month (UTC)", labels, values, n);
	}
	free(labels);
	free(values);
	free(v);
}

/* One chart of the top entities of each type. */
static void put_top_entities(er_state *s, wn_buf *b)
{
	size_t nt = 0, ne = 0;
	er_entry *types = er_tally_sorted(&s->types, &nt);
	er_entry *ents = er_tally_sorted(&s->ents, &ne);
	const char **labels = calloc(ne + 1, sizeof *labels);
	int64_t *values = calloc(ne + 1, sizeof *values);
	for (size_t t = 0; labels && values && t < nt; t++) {
		size_t tl = strlen(types[t].key), n = 0;
		for (size_t i = 0; i < ne && n < (size_t)s->top; i++)
			if (strncmp(ents[i].key, types[t].key, tl) == 0 &&
			    ents[i].key[tl] == '\t') {
				labels[n] = ents[i].key + tl + 1;
				values[n++] = ents[i].n;
			}
		char title[96];
		snprintf(title, sizeof title, "Top %s", types[t].key);
		er_bar_chart(b, title, labels, values, n);
	}
	free(labels);
	free(values);
	free(types);
	free(ents);
}

/* The page, sections in the order a reader asks: what came in and where
 * it went, then what the articles are, then cost and change. */
static void put_page(er_state *s, const wn_ctx *cx, const er_stats *st, wn_buf *b)
{
	wn_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	               "<title>winnow run report</title><style>");
	wn_buf_adds(b, er_css);
	wn_buf_adds(b, "</style></head><body>\n<h1>winnow run report</h1>\n");
	put_facts(s, cx, b);
	er_put_funnel(b, st);
	er_put_drops(b, st);
	er_put_dead_letters(b, st);
	er_put_sources(b, st);
	er_tally_chart(b, "Sites", &s->site, (size_t)s->top);
	er_tally_chart(b, "Languages", &s->lang, 0);
	put_lengths(s, b);
	put_months(s, b);
	er_tally_chart(b, "Entities by type", &s->types, 0);
	put_top_entities(s, b);
	er_put_duplicates(b, st);
	er_put_stage_times(b, st);
	er_put_change(b, st, s->articles);
	wn_buf_adds(b, "<p class=\"none\">Every record: run.json, dropped.jsonl, "
	               "dead_letter.jsonl.</p>\n</body></html>\n");
}

static int er_commit(const wn_ctx *cx)
{
	er_state *s = cx->state;
	const wn_host_api *api = cx->api;
	er_stats st;
	if (er_stats_load(
	        &st, api->run_value(cx, "run_stats"), api->run_value(cx, "dead_letter_file"),
	        api->run_value(cx, "drop_log_file"), s->prev[0] ? s->prev : NULL, (size_t)s->top)) {
		er_stats_free(&st);
		api->log(cx, WN_LOG_ERROR, "out of memory reading the run's stats");
		return WN_FATAL;
	}
	wn_buf b;
	wn_buf_init(&b, ER_MAX_PAGE);
	put_page(s, cx, &st, &b);
	er_stats_free(&st);
	int rc = b.err ? WN_FATAL : api->output_write(s->out, b.p, b.len);
	if (b.err)
		api->log(cx, WN_LOG_ERROR, "the report would exceed 64 MiB");
	wn_buf_free(&b);
	return rc ? WN_FATAL : WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_export_report = {
    WN_PLUGIN_HEADER,
    .kind = WN_KIND_SINK,
    .name = "export_report",
    .version = "1.0.0",
    .description =
        "write report.html: a self-contained page of charts about the run and its articles",
    .options = er_options,
    .state_size = sizeof(er_state),
    .init = er_init,
    .fini = er_fini,
    .write = er_write,
    .commit = er_commit,
};
