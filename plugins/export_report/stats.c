/*
 * export_report's run-wide sections: see stats.h. The dead-letter file and
 * the drop log are read twice: once to count by code or cluster, once to
 * pick a few examples of the largest groups, so memory stays bounded
 * whatever the run's size.
 */
#include "stats.h"

#include "render.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t jint(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

static json_t *load_text(const char *text)
{
	return text ? json_loads(text, 0, NULL) : NULL;
}

static json_t *load_file(const char *path)
{
	return path ? json_load_file(path, 0, NULL) : NULL;
}

/* Calls fn on each JSON object line of path; 0, or -1 when fn fails.
 * Lines that do not parse are skipped. */
static int each_line(const char *path, int (*fn)(json_t *o, void *arg), void *arg)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	while (!rc && getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		if (json_is_object(o))
			rc = fn(o, arg);
		json_decref(o);
	}
	free(line);
	fclose(f);
	return rc;
}

/* --- grouping ------------------------------------------------------------ */

typedef struct grouping {
	int dups;         /* duplicate clusters (by duplicate_of), else codes */
	er_tally tally;   /* pass 1: counts */
	er_group *groups; /* pass 2: examples of the largest */
	size_t n;
} grouping;

static const char *group_key(json_t *o, int dups)
{
	return dups ? jstr(o, "duplicate_of") : jstr(o, "code") ? jstr(o, "code") : "error";
}

static int count_line(json_t *o, void *arg)
{
	grouping *g = arg;
	const char *k = group_key(o, g->dups);
	if (!k)
		return 0;
	return er_tally_add(&g->tally, k, strlen(k), 1);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int example_line(json_t *o, void *arg)
{
	grouping *g = arg;
	const char *k = group_key(o, g->dups);
	for (size_t i = 0; k && i < g->n; i++) {
		er_group *gr = &g->groups[i];
		if (strcmp(gr->key, k) != 0 || gr->n_ex == ER_EXAMPLES)
			continue;
		const char *url = jstr(o, "url") ? jstr(o, "url") : jstr(o, "id");
		gr->url[gr->n_ex] = dup_or_null(url);
		gr->reason[gr->n_ex] = dup_or_null(jstr(o, "reason"));
		gr->stage[gr->n_ex] = dup_or_null(jstr(o, "stage"));
		gr->n_ex++;
		break;
	}
	return 0;
}

/* Groups the lines of path; the largest `top` get examples. */
static int group_file(const char *path, int dups, size_t top, er_group **out, size_t *n_out,
                      int64_t *total)
{
	grouping g = {.dups = dups};
	er_tally_init(&g.tally, 100000);
	int rc = each_line(path, count_line, &g);
	size_t n = 0;
	er_entry *v = rc ? NULL : er_tally_sorted(&g.tally, &n);
	*total = g.tally.other;
	for (size_t i = 0; i < n; i++)
		*total += v[i].n;
	if (n > top)
		n = top;
	g.groups = n ? calloc(n, sizeof *g.groups) : NULL;
	for (size_t i = 0; g.groups && i < n; i++) {
		g.groups[i].n = v[i].n;
		if (!(g.groups[i].key = strdup(v[i].key)))
			break;
		g.n++;
	}
	free(v);
	if (!rc && n && g.n != n)
		rc = -1;
	if (!rc && g.n)
		rc = each_line(path, example_line, &g);
	er_tally_free(&g.tally);
	*out = g.groups;
	*n_out = g.n;
	return rc;
}

int er_stats_load(er_stats *s, const char *run_stats, const char *dead_path, const char *drop_path,
                  const char *prev_path, size_t top)
{
	memset(s, 0, sizeof *s);
	s->run = load_text(run_stats);
	s->prev = load_file(prev_path);
	if (!json_is_object(s->prev)) {
		json_decref(s->prev);
		s->prev = NULL;
	}
	int rc = 0;
	if (dead_path) {
		s->have_dead = 1;
		rc = group_file(dead_path, 0, top, &s->dead, &s->n_dead, &s->dead_total);
	}
	if (!rc && drop_path) {
		s->have_drops = 1;
		rc = group_file(drop_path, 1, top, &s->dups, &s->n_dups, &s->dup_total);
	}
	return rc;
}

static void free_groups(er_group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].key);
		for (size_t k = 0; k < g[i].n_ex; k++) {
			free(g[i].url[k]);
			free(g[i].reason[k]);
			free(g[i].stage[k]);
		}
	}
	free(g);
}

void er_stats_free(er_stats *s)
{
	json_decref(s->run);
	json_decref(s->prev);
	free_groups(s->dead, s->n_dead);
	free_groups(s->dups, s->n_dups);
	memset(s, 0, sizeof *s);
}

/* --- sections ------------------------------------------------------------ */

static void not_known(wn_buf *b, const char *title, const char *what)
{
	wn_buf_adds(b, "<section><h2>");
	er_put_text(b, title, 0);
	wn_buf_adds(b, "</h2><p class=\"none\">not known: ");
	er_put_text(b, what, 0);
	wn_buf_adds(b, "</p></section>\n");
}

/* A chart of up to `cap` labelled values built by the caller. */
typedef struct bars {
	char **labels;
	int64_t *values;
	size_t n, cap;
} bars;

static int bars_init(bars *c, size_t cap)
{
	c->labels = calloc(cap + 1, sizeof *c->labels);
	c->values = calloc(cap + 1, sizeof *c->values);
	c->n = 0;
	c->cap = cap;
	return c->labels && c->values ? 0 : -1;
}

static void bars_add(bars *c, int64_t v, const char *fmt, const char *a, const char *b)
{
	if (c->n == c->cap)
		return;
	size_t len = strlen(fmt) + strlen(a) + (b ? strlen(b) : 0) + 1;
	char *l = malloc(len);
	if (!l)
		return;
	snprintf(l, len, fmt, a, b ? b : "");
	c->labels[c->n] = l;
	c->values[c->n++] = v;
}

static void bars_put(bars *c, wn_buf *b, const char *title)
{
	er_bar_chart(b, title, (const char *const *)c->labels, c->values, c->n);
	for (size_t i = 0; i < c->n; i++)
		free(c->labels[i]);
	free(c->labels);
	free(c->values);
}

static json_t *stages(const er_stats *s)
{
	return json_object_get(s->run, "stages");
}

static json_t *records(json_t *run)
{
	return json_object_get(run, "records");
}

void er_put_funnel(wn_buf *b, const er_stats *s)
{
	const char *title = "Records through the stages";
	json_t *st = stages(s), *recs = records(s->run);
	bars c;
	if (!json_is_array(st) || !recs) {
		not_known(b, title, "this host hands no run stats to sinks");
		return;
	}
	if (bars_init(&c, json_array_size(st) + 2))
		return;
	bars_add(&c, jint(recs, "read"), "%sread by the sources", "", NULL);
	size_t i;
	json_t *o;
	json_array_foreach(st, i, o)
	{
		const char *kind = jstr(o, "kind"), *id = jstr(o, "id");
		if (kind && id && strcmp(kind, "transform") == 0) /* skipped: passed by `when` */
			bars_add(&c, jint(o, "ok") + jint(o, "skipped"), "after %s", id, NULL);
	}
	bars_add(&c, jint(recs, "exported"), "%sexported", "", NULL);
	bars_put(&c, b, title);
}

void er_put_drops(wn_buf *b, const er_stats *s)
{
	const char *title = "Drops by reason";
	json_t *st = stages(s), *recs = records(s->run);
	if (!json_is_array(st) || !recs) {
		not_known(b, title, "this host hands no run stats to sinks");
		return;
	}
	size_t n = 3, i;
	json_t *o;
	json_array_foreach(st, i, o) n += json_object_size(json_object_get(o, "drops"));
	bars c;
	if (bars_init(&c, n))
		return;
	json_array_foreach(st, i, o)
	{
		const char *id = jstr(o, "id"), *code;
		json_t *v;
		json_object_foreach(json_object_get(o, "drops"), code, v)
		    bars_add(&c, (int64_t)json_integer_value(v), "%s: %s", id ? id : "?", code);
	}
	if (jint(recs, "duplicates"))
		bars_add(&c, jint(recs, "duplicates"), "dedup: %sduplicate", "", NULL);
	if (jint(recs, "seen"))
		bars_add(&c, jint(recs, "seen"), "%sseen (exported by an earlier run)", "", NULL);
	bars_put(&c, b, title);
}

/* A table of each group's examples. */
static void put_examples(wn_buf *b, const er_group *g, size_t n, const char *key_head,
                         const char *url_head)
{
	if (!n)
		return;
	wn_buf_adds(b, "<table class=\"examples\"><tr><th>");
	er_put_text(b, key_head, 0);
	wn_buf_adds(b, "</th><th>stage</th><th>");
	er_put_text(b, url_head, 0);
	wn_buf_adds(b, "</th><th>reason</th></tr>\n");
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < g[i].n_ex; k++) {
			wn_buf_adds(b, "<tr><td>");
			er_put_text(b, k ? "" : g[i].key, 40);
			wn_buf_adds(b, "</td><td>");
			er_put_text(b, g[i].stage[k] ? g[i].stage[k] : "", 24);
			wn_buf_adds(b, "</td><td>");
			er_put_text(b, g[i].url[k] ? g[i].url[k] : "", 200);
			wn_buf_adds(b, "</td><td>");
			er_put_text(b, g[i].reason[k] ? g[i].reason[k] : "", 160);
			wn_buf_adds(b, "</td></tr>\n");
		}
	wn_buf_adds(b, "</table>\n");
}

/* A chart of groups, with "(other)" for the ones past the top. */
static void put_groups(wn_buf *b, const char *title, const er_group *g, size_t n, int64_t total)
{
	bars c;
	if (bars_init(&c, n + 1))
		return;
	int64_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		bars_add(&c, g[i].n, "%s", g[i].key, NULL);
		shown += g[i].n;
	}
	if (total > shown)
		bars_add(&c, total - shown, "%s(other)", "", NULL);
	bars_put(&c, b, title);
}

/* A chart of groups with an example table under it, or why it is not
 * known (have is 0). */
static void put_grouped(wn_buf *b, const char *title, int have, const char *why, const er_group *g,
                        size_t n, int64_t total, const char *key_head, const char *val_head)
{
	if (!have) {
		not_known(b, title, why);
		return;
	}
	put_groups(b, title, g, n, total);
	put_examples(b, g, n, key_head, val_head);
}

void er_put_dead_letters(wn_buf *b, const er_stats *s)
{
	put_grouped(b, "Dead letters by code", s->have_dead,
	            "this host hands no dead-letter file to sinks", s->dead, s->n_dead,
	            s->dead_total, "code", "record");
}

void er_put_duplicates(wn_buf *b, const er_stats *s)
{
	put_grouped(b, "Duplicate clusters (copies dropped, by the id kept)", s->have_drops,
	            "no drop log (dead_letter.drops)", s->dups, s->n_dups, s->dup_total, "kept id",
	            "copy dropped");
}

/* A chart of one value per stage (`key` of its run stats), labelled
 * "id (plugin)"; only stages of `kind` when it is not NULL. */
static void per_stage_chart(wn_buf *b, const er_stats *s, const char *title, const char *kind,
                            const char *key)
{
	json_t *st = stages(s);
	bars c;
	if (!json_is_array(st)) {
		not_known(b, title, "this host hands no run stats to sinks");
		return;
	}
	if (bars_init(&c, json_array_size(st)))
		return;
	size_t i;
	json_t *o;
	json_array_foreach(st, i, o)
	{
		const char *k = jstr(o, "kind"), *id = jstr(o, "id"), *plugin = jstr(o, "plugin");
		if (kind && !(k && id && strcmp(k, kind) == 0))
			continue;
		bars_add(&c, jint(o, key), "%s (%s)", id ? id : "?", plugin ? plugin : "?");
	}
	bars_put(&c, b, title);
}

void er_put_sources(wn_buf *b, const er_stats *s)
{
	/* a source's `in`: the records it gave */
	per_stage_chart(b, s, "Records per source", "source", "in");
}

void er_put_stage_times(wn_buf *b, const er_stats *s)
{
	per_stage_chart(b, s, "Time per stage (ms, summed over workers)", NULL, "busy_ms");
}

static void change_row(wn_buf *b, const char *what, int64_t now, int64_t before, int known)
{
	wn_buf_adds(b, "<tr><td>");
	er_put_text(b, what, 0);
	wn_buf_addf(b, "</td><td>%lld</td>", (long long)now);
	if (known)
		wn_buf_addf(b, "<td>%lld</td><td>%+lld</td></tr>\n", (long long)before,
		            (long long)(now - before));
	else
		wn_buf_adds(b, "<td>?</td><td></td></tr>\n");
}

void er_put_change(wn_buf *b, const er_stats *s, int64_t exported)
{
	wn_buf_adds(b, "<section><h2>Change against the previous run</h2>\n");
	if (!s->prev) {
		wn_buf_adds(b, "<p class=\"none\">no earlier committed run here</p></section>\n");
		return;
	}
	json_t *now = records(s->run), *was = records(s->prev);
	wn_buf_adds(b, "<p>previous run ");
	er_put_text(b, jstr(s->prev, "run_id") ? jstr(s->prev, "run_id") : "?", 0);
	wn_buf_adds(b, ", started ");
	er_put_text(b, jstr(s->prev, "started_at") ? jstr(s->prev, "started_at") : "?", 0);
	wn_buf_adds(b, "</p>\n<table class=\"change\"><tr><th></th><th>this run</th>"
	               "<th>previous</th><th>change</th></tr>\n");
	change_row(b, "exported", now ? jint(now, "exported") : exported, jint(was, "exported"),
	           was != NULL);
	static const char *const keys[] = {"read", "dropped", "duplicates", "dead_lettered",
	                                   "seen"};
	for (size_t i = 0; now && i < sizeof keys / sizeof *keys; i++)
		change_row(b, keys[i], jint(now, keys[i]), jint(was, keys[i]),
		           json_object_get(was, keys[i]) != NULL);
	if (s->run)
		change_row(b, "duration (ms)", jint(s->run, "duration_ms"),
		           jint(s->prev, "duration_ms"),
		           json_object_get(s->prev, "duration_ms") != NULL);
	wn_buf_adds(b, "</table></section>\n");
}
