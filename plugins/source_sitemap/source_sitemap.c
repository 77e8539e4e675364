/*
 * source_sitemap: one record per <url> of XML sitemaps (sitemaps.org),
 * following sitemap indexes to their children, gzipped (.xml.gz) or not,
 * read through the run's HTTP service (`urls`) or from files (`files`).
 *
 * Records carry url, lastmod (ISO 8601 UTC) and feed_url (the sitemap);
 * Google News sitemaps also give title and published. `lastmod_after`
 * keeps only entries (and child sitemaps) modified since a date;
 * `include`/`exclude` are POSIX extended regular expressions matched
 * anywhere in the URL. Child sitemaps named by an index are fetched as
 * untrusted URLs (http.block_private applies), the configured ones as
 * trusted; `max_sitemaps` bounds how many are read in all.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "feedkit.h"
#include <winnow/plugin.h>

#define SM_NOT_MODIFIED 100 /* next_sitemap: the sitemap answered 304 */

typedef struct sm_entry {
	char *loc, *lastmod, *title, *published;
} sm_entry;

typedef struct sm_src {
	char *loc;
	int is_url, trusted;
} sm_src;

typedef struct sm_state {
	/* options */
	const char *const *urls, *const *files, *const *include, *const *exclude;
	const char *lastmod_after;
	int keep_undated, conditional;
	int64_t max_bytes, max_sitemaps, max_urls;
	/* run state */
	char cutoff[32];
	regex_t *inc, *exc;
	size_t n_inc, n_exc;
	sm_src *queue; /* sitemaps to read, in order */
	size_t n_queue, next_src, cap_queue;
	char *current; /* the sitemap the entries came from */
	sm_entry *entries;
	size_t n_entries, next_entry;
	int64_t emitted;
} sm_state;

#define OPT(n, t, d, f, h)                                                                         \
	{                                                                                          \
		n, t, d, 0, offsetof(sm_state, f), h, NULL, 0, 0                                   \
	}
static const wn_option sm_options[] = {
    OPT("urls", WN_OPT_LIST, NULL, urls, "sitemap or sitemap index URLs"),
    OPT("files", WN_OPT_LIST, NULL, files, "sitemap files (.xml or .xml.gz)"),
    OPT("include", WN_OPT_LIST, NULL, include, "keep only URLs matching one of these regexes"),
    OPT("exclude", WN_OPT_LIST, NULL, exclude, "drop URLs matching one of these regexes"),
    OPT("lastmod_after", WN_OPT_STR, NULL, lastmod_after,
        "keep entries modified at or after this date (2024-01-31 or ISO 8601)"),
    OPT("keep_undated", WN_OPT_BOOL, "true", keep_undated,
        "with lastmod_after: keep entries that have no lastmod"),
    OPT("conditional", WN_OPT_BOOL, "true", conditional,
        "ask for sitemaps with the validators of the last run (needs run.state)"),
    OPT("max_bytes", WN_OPT_SIZE, "50MiB", max_bytes, "largest sitemap read (after gunzip)"),
    OPT("max_sitemaps", WN_OPT_INT, "1000", max_sitemaps, "sitemaps read in all, indexes included"),
    OPT("max_urls", WN_OPT_INT, "0", max_urls, "records emitted in all, 0 = no limit"),
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const sm_gives[] = {"url", "lastmod", "title", "published", "feed_url", NULL};

/* Compiles a list of regexes; 0, or -1 after logging. */
static int compile(const wn_ctx *cx, const char *const *pats, regex_t **out, size_t *n)
{
	size_t k = 0;
	while (pats && pats[k])
		k++;
	*out = k ? calloc(k, sizeof(**out)) : NULL;
	if (k && !*out)
		return -1;
	for (*n = 0; *n < k; (*n)++) {
		int rc = regcomp(&(*out)[*n], pats[*n], REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[256];
			regerror(rc, &(*out)[*n], msg, sizeof(msg));
			cx->api->log(cx, WN_LOG_ERROR, "bad regex '%s': %s", pats[*n], msg);
			return -1;
		}
	}
	return 0;
}

static int queue_add(sm_state *st, const char *loc, int is_url, int trusted)
{
	if ((int64_t)st->n_queue >= st->max_sitemaps)
		return -1;
	if (st->n_queue == st->cap_queue) {
		size_t cap = st->cap_queue ? st->cap_queue * 2 : 16;
		sm_src *q = realloc(st->queue, cap * sizeof(*q));
		if (!q)
			return -1;
		st->queue = q;
		st->cap_queue = cap;
	}
	char *dup = strdup(loc);
	if (!dup)
		return -1;
	st->queue[st->n_queue++] = (sm_src){dup, is_url, trusted};
	return 0;
}

static void sm_cleanup(sm_state *st);

static int sm_init(const wn_ctx *cx)
{
	sm_state *st = cx->state;
	if (!st->urls && !st->files) {
		cx->api->log(cx, WN_LOG_ERROR, "set `urls` or `files`");
		return WN_FATAL;
	}
	if (st->lastmod_after && fk_date_iso(st->lastmod_after, st->cutoff)) {
		cx->api->log(cx, WN_LOG_ERROR, "lastmod_after: not a date: %s", st->lastmod_after);
		return WN_FATAL;
	}
	if (compile(cx, st->include, &st->inc, &st->n_inc) ||
	    compile(cx, st->exclude, &st->exc, &st->n_exc)) {
		sm_cleanup(st); /* fini is not called after a failed init */
		return WN_FATAL;
	}
	for (size_t i = 0; st->urls && st->urls[i]; i++)
		queue_add(st, st->urls[i], 1, 1);
	for (size_t i = 0; st->files && st->files[i]; i++)
		queue_add(st, st->files[i], 0, 1);
	return WN_OK;
}

static void entries_free(sm_state *st)
{
	for (size_t i = 0; i < st->n_entries; i++) {
		free(st->entries[i].loc);
		free(st->entries[i].lastmod);
		free(st->entries[i].title);
		free(st->entries[i].published);
	}
	free(st->entries);
	st->entries = NULL;
	st->n_entries = st->next_entry = 0;
}

/* Frees everything the state holds (fini, or a failed init). */
static void sm_cleanup(sm_state *st)
{
	entries_free(st);
	for (size_t i = 0; i < st->n_inc; i++)
		regfree(&st->inc[i]);
	for (size_t i = 0; i < st->n_exc; i++)
		regfree(&st->exc[i]);
	free(st->inc);
	free(st->exc);
	for (size_t i = 0; i < st->n_queue; i++)
		free(st->queue[i].loc);
	free(st->queue);
	free(st->current);
}

static void sm_fini(const wn_ctx *cx)
{
	sm_cleanup(cx->state);
}

static int any_match(const regex_t *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (regexec(&v[i], s, 0, NULL, 0) == 0)
			return 1;
	return 0;
}

/* Is a lastmod (raw text or NULL) recent enough? */
static int recent(const sm_state *st, const char *lastmod)
{
	char iso[32];
	if (!*st->cutoff)
		return 1;
	if (!lastmod || fk_date_iso(lastmod, iso))
		return st->keep_undated;
	return strcmp(iso, st->cutoff) >= 0;
}

/* The text of the first descendant of n named `name` (depth <= 3). */
static char *child_text(xmlNodePtr n, const char *name, int depth)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (fk_is(c, name))
			return fk_text(c, 8192);
		if (c->type == XML_ELEMENT_NODE && depth < 3) {
			char *t = child_text(c, name, depth + 1);
			if (t)
				return t;
		}
	}
	return NULL;
}

/* A <sitemap> of an index: queue the child when recent enough. */
static void index_child(const wn_ctx *cx, sm_state *st, xmlNodePtr n)
{
	char *loc = child_text(n, "loc", 0), *lastmod = child_text(n, "lastmod", 0);
	if (loc && !recent(st, lastmod))
		cx->api->count(cx, "sitemaps_old", 1);
	else if (loc && queue_add(st, loc, 1, 0))
		cx->api->count(cx, "sitemaps_over_limit", 1);
	free(loc);
	free(lastmod);
}

/* A <url> of a urlset: keep the entry when it passes the filters. */
static void url_entry(const wn_ctx *cx, sm_state *st, xmlNodePtr n)
{
	sm_entry e = {child_text(n, "loc", 0), child_text(n, "lastmod", 0), NULL, NULL};
	const char *why = !e.loc                   ? "no_loc"
	                  : !recent(st, e.lastmod) ? (e.lastmod ? "old" : "undated")
	                  : st->n_inc && !any_match(st->inc, st->n_inc, e.loc) ? "not_included"
	                  : any_match(st->exc, st->n_exc, e.loc)               ? "excluded"
	                                                                       : NULL;
	sm_entry *v = why ? NULL : realloc(st->entries, (st->n_entries + 1) * sizeof(*v));
	if (!v) {
		cx->api->count(cx, why ? why : "out_of_memory", 1);
		free(e.loc);
		free(e.lastmod);
		return;
	}
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (fk_is(c, "news") && !e.title && !e.published) {
			/* Google News sitemaps; the first <news:news> counts (more
			 * than one per <url> is malformed, and each used to leak). */
			e.title = child_text(c, "title", 0);
			e.published = child_text(c, "publication_date", 0);
		}
	st->entries = v;
	st->entries[st->n_entries++] = e;
}

/* Reads the next queued sitemap: WN_OK (entries may be empty), WN_DONE,
 * SM_NOT_MODIFIED, or WN_DROP/WN_ERROR for this sitemap with a reason on
 * r. */
static int next_sitemap(const wn_ctx *cx, wn_record *r)
{
	sm_state *st = cx->state;
	if (st->next_src >= st->n_queue)
		return WN_DONE;
	sm_src *s = &st->queue[st->next_src++];
	free(st->current);
	st->current = strdup(s->loc);
	unsigned flags =
	    (s->trusted ? WN_HTTP_TRUSTED : 0) | (st->conditional ? WN_HTTP_CONDITIONAL : 0);
	fk_doc doc;
	cx->api->set_str(r, "url", s->loc);
	int rc = fk_load(cx, r, s->loc, s->is_url, flags, (size_t)st->max_bytes, &doc);
	if (rc != WN_OK)
		return rc == WN_DROP && doc.not_modified ? SM_NOT_MODIFIED : rc;
	xmlDocPtr x = fk_parse(&doc, s->is_url ? s->loc : NULL);
	fk_doc_free(&doc);
	xmlNodePtr root = x ? xmlDocGetRootElement(x) : NULL;
	int index = fk_is(root, "sitemapindex");
	if (!index && !fk_is(root, "urlset")) {
		cx->api->reason(r, "bad_sitemap", "%s: not a urlset or sitemapindex", s->loc);
		xmlFreeDoc(x);
		return WN_ERROR;
	}
	for (xmlNodePtr c = root->children; c; c = c->next) {
		if (index && fk_is(c, "sitemap"))
			index_child(cx, st, c);
		else if (!index && fk_is(c, "url"))
			url_entry(cx, st, c);
	}
	xmlFreeDoc(x);
	cx->api->count(cx, index ? "indexes" : "sitemaps", 1);
	cx->api->del(r, "url");
	return WN_OK;
}

static int emit(const wn_ctx *cx, wn_record *r, const sm_entry *e, const char *from)
{
	const wn_host_api *a = cx->api;
	char iso[32];
	int rc = a->set_str(r, "url", e->loc);
	if (rc == WN_OK && e->lastmod && !fk_date_iso(e->lastmod, iso))
		rc = a->set_str(r, "lastmod", iso);
	if (rc == WN_OK && e->title)
		rc = a->set_str(r, "title", e->title);
	if (rc == WN_OK && e->published && !fk_date_iso(e->published, iso))
		rc = a->set_str(r, "published", iso);
	if (rc == WN_OK)
		rc = a->set_str(r, "feed_url", from);
	return rc;
}

static int sm_next(const wn_ctx *cx, wn_record *r)
{
	sm_state *st = cx->state;
	if (st->max_urls && st->emitted >= st->max_urls)
		return WN_DONE;
	while (st->next_entry >= st->n_entries) {
		entries_free(st);
		int rc = next_sitemap(cx, r);
		if (rc == SM_NOT_MODIFIED) { /* 304: unchanged since the last run */
			cx->api->count(cx, "sitemaps_not_modified", 1);
			cx->api->del(r, "url");
			continue;
		}
		if (rc != WN_OK)
			return rc;
	}
	st->emitted++;
	return emit(cx, r, &st->entries[st->next_entry++], st->current);
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_source_sitemap = {
    WN_PLUGIN_HEADER,
    WN_KIND_SOURCE,
    "source_sitemap",
    "1.0.0",
    "URLs of XML sitemaps and sitemap indexes (gzipped or not), from URLs or files",
    sm_options,
    sizeof(sm_state),
    NULL,
    sm_gives,
    sm_init,
    sm_fini,
    sm_next,
    NULL,
    NULL,
    NULL,
    NULL,
};
