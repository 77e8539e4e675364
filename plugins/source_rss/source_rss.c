/*
 * source_rss: one record per item of RSS 2.0, RSS 1.0 (RDF) and Atom 1.0
 * feeds, read through the run's HTTP service (`urls`) or from files
 * (`files`). Each record carries url (the item's link, made absolute),
 * id (a hash of the guid, so an item keeps its id when its link changes),
 * title, published (ISO 8601 UTC), author, summary and feed_url; a later
 * fetch_http stage downloads the pages.
 *
 * Feeds are asked for conditionally: a feed unchanged since the last run
 * (304) yields nothing and is counted (feeds_not_modified). Malformed
 * feeds are recovered where libxml2 can; entities are never expanded
 * (feedkit.h). A feed that cannot be read is one dead letter, and the
 * source goes on with the next.
 */
#include <libxml/parser.h>
#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>

#include "feedkit.h"
#include <winnow/plugin.h>

#define SR_MAX_FIELD (64 * 1024) /* longest title/summary kept */
#define SR_NOT_MODIFIED 100      /* next_feed: the feed answered 304 */

/* One item, parsed and ready to emit. */
typedef struct sr_item {
	char *link, *guid, *title, *date, *author, *summary;
} sr_item;

typedef struct sr_state {
	/* options */
	const char *const *urls;
	const char *const *files;
	int64_t max_bytes, max_items;
	int conditional;
	/* run state */
	size_t next_url, next_file;
	const char *feed; /* the feed the items below came from */
	sr_item *items;
	size_t n_items, next_item;
} sr_state;

static const wn_option sr_options[] = {
    {"urls", WN_OPT_LIST, NULL, 0, offsetof(sr_state, urls), "feed URLs (RSS, RDF or Atom)", NULL,
     0, 0},
    {"files", WN_OPT_LIST, NULL, 0, offsetof(sr_state, files),
     "feed files (paths relative to the config's folder)", NULL, 0, 0},
    {"max_bytes", WN_OPT_SIZE, "16MiB", 0, offsetof(sr_state, max_bytes),
     "largest feed read (after gunzip)", NULL, 1024, 1e12},
    {"max_items", WN_OPT_INT, "0", 0, offsetof(sr_state, max_items),
     "items taken per feed, 0 = all", NULL, 0, 1e9},
    {"conditional", WN_OPT_BOOL, "true", 0, offsetof(sr_state, conditional),
     "ask for feeds with the validators of the last run (needs run.state)", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const sr_gives[] = {"url",    "id",      "title",    "published",
                                       "author", "summary", "feed_url", NULL};

static int sr_init(const wn_ctx *cx)
{
	sr_state *st = cx->state;
	if (!st->urls && !st->files) {
		cx->api->log(cx, WN_LOG_ERROR, "set `urls` or `files`");
		return WN_FATAL;
	}
	return WN_OK;
}

static void items_free(sr_state *st)
{
	for (size_t i = 0; i < st->n_items; i++) {
		sr_item *it = &st->items[i];
		free(it->link);
		free(it->guid);
		free(it->title);
		free(it->date);
		free(it->author);
		free(it->summary);
	}
	free(st->items);
	st->items = NULL;
	st->n_items = st->next_item = 0;
}

static void sr_fini(const wn_ctx *cx)
{
	items_free(cx->state);
}

/* Replaces *slot with v when *slot is empty, else frees v. */
static void keep_first(char **slot, char *v)
{
	if (!*slot)
		*slot = v;
	else
		free(v);
}

/* Atom <link href rel>: the alternate (or rel-less) link. */
static char *atom_link(xmlNodePtr n)
{
	xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
	xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
	int alt = !rel || !strcmp((const char *)rel, "alternate");
	xmlFree(rel);
	char *out = alt && href ? strdup((const char *)href) : NULL;
	xmlFree(href);
	return out;
}

/* Fills one item from the children of an <item> or <entry>. */
static void item_read(xmlNodePtr e, sr_item *it)
{
	char *published = NULL, *updated = NULL;
	for (xmlNodePtr c = e->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (fk_is(c, "title"))
			keep_first(&it->title, fk_text(c, SR_MAX_FIELD));
		else if (fk_is(c, "link"))
			keep_first(&it->link, xmlHasProp(c, (const xmlChar *)"href")
			                          ? atom_link(c)
			                          : fk_text(c, 8192));
		else if (fk_is(c, "guid") || fk_is(c, "id") || fk_is(c, "identifier"))
			keep_first(&it->guid, fk_text(c, 8192));
		else if (fk_is(c, "pubDate") || fk_is(c, "published") || fk_is(c, "date") ||
		         fk_is(c, "issued"))
			keep_first(&published, fk_text(c, 256));
		else if (fk_is(c, "updated") || fk_is(c, "modified"))
			keep_first(&updated, fk_text(c, 256));
		else if (fk_is(c, "author") || fk_is(c, "creator")) {
			xmlNodePtr name = c->children;
			while (name && !fk_is(name, "name"))
				name = name->next;
			keep_first(&it->author, fk_text(name ? name : c, 1024));
		} else if (fk_is(c, "description") || fk_is(c, "summary"))
			keep_first(&it->summary, fk_text(c, SR_MAX_FIELD));
	}
	it->date = published ? published : updated;
	if (published)
		free(updated);
	if (!it->guid) { /* RSS 1.0: <item rdf:about="..."> */
		xmlChar *about = xmlGetProp(e, (const xmlChar *)"about");
		if (about)
			it->guid = strdup((const char *)about);
		xmlFree(about);
	}
}

/* Makes link absolute against the feed's URL (or leaves it). */
static void absolutise(char **link, const char *base)
{
	if (!*link || !base)
		return;
	xmlChar *abs = xmlBuildURI((const xmlChar *)*link, (const xmlChar *)base);
	if (abs) {
		free(*link);
		*link = strdup((const char *)abs);
		xmlFree(abs);
	}
}

/* Collects the items under root: RSS 2.0 channel/item, RDF item
 * siblings of channel, Atom entry. */
static void collect(sr_state *st, xmlNodePtr n, int depth, const char *base)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (fk_is(n, "item") || fk_is(n, "entry")) {
			if (st->max_items && (int64_t)st->n_items >= st->max_items)
				return;
			sr_item *v = realloc(st->items, (st->n_items + 1) * sizeof(*v));
			if (!v)
				return;
			st->items = v;
			sr_item *it = &st->items[st->n_items++];
			memset(it, 0, sizeof(*it));
			item_read(n, it);
			absolutise(&it->link, base);
		} else if (depth < 2) {
			collect(st, n->children, depth + 1, base);
		}
	}
}

/* Loads and parses the next feed; WN_OK with items ready, WN_DONE when
 * no feed is left, SR_NOT_MODIFIED, or WN_DROP/WN_ERROR for this feed
 * (reason on r). */
static int next_feed(const wn_ctx *cx, wn_record *r)
{
	sr_state *st = cx->state;
	int is_url = st->urls && st->urls[st->next_url];
	if (!is_url && !(st->files && st->files[st->next_file]))
		return WN_DONE;
	const char *src = is_url ? st->urls[st->next_url++] : st->files[st->next_file++];
	st->feed = src;
	cx->api->set_str(r, "url", src);
	fk_doc doc;
	unsigned flags = WN_HTTP_TRUSTED | (st->conditional ? WN_HTTP_CONDITIONAL : 0);
	int rc = fk_load(cx, r, src, is_url, flags, (size_t)st->max_bytes, &doc);
	if (rc != WN_OK)
		return rc == WN_DROP && doc.not_modified ? SR_NOT_MODIFIED : rc;
	xmlDocPtr x = fk_parse(&doc, is_url ? src : NULL);
	fk_doc_free(&doc);
	xmlNodePtr root = x ? xmlDocGetRootElement(x) : NULL;
	if (!root) {
		xmlFreeDoc(x);
		cx->api->reason(r, "bad_feed", "%s: not XML, nothing could be recovered", src);
		return WN_ERROR;
	}
	if (!fk_is(root, "rss") && !fk_is(root, "RDF") && !fk_is(root, "feed")) {
		cx->api->reason(r, "bad_feed", "%s: root element <%s> is not rss, rdf:RDF or feed",
		                src, (const char *)root->name);
		xmlFreeDoc(x);
		return WN_ERROR;
	}
	collect(st, root, 0, is_url ? src : NULL);
	xmlFreeDoc(x);
	cx->api->count(cx, "feeds", 1);
	cx->api->del(r, "url");
	return WN_OK;
}

/* Fills r from one item; WN_DROP for an item with no usable link. */
static int emit(const wn_ctx *cx, wn_record *r, const sr_item *it)
{
	const wn_host_api *a = cx->api;
	const char *link = it->link;
	if (!link && it->guid &&
	    (!strncmp(it->guid, "http://", 7) || !strncmp(it->guid, "https://", 8)))
		link = it->guid; /* a permalink guid */
	if (!link) {
		a->reason(r, "no_link", "feed item without a link: %.100s",
		          it->title ? it->title : "(untitled)");
		return WN_DROP;
	}
	int rc = a->set_str(r, "url", link);
	if (rc == WN_OK && it->guid) {
		char id[17];
		fk_id(it->guid, id);
		rc = a->set_str(r, "id", id);
	}
	char iso[32];
	if (rc == WN_OK && it->title)
		rc = a->set_str(r, "title", it->title);
	if (rc == WN_OK && it->date) {
		if (fk_date_iso(it->date, iso) == 0)
			rc = a->set_str(r, "published", iso);
		else
			a->count(cx, "bad_dates", 1);
	}
	if (rc == WN_OK && it->author)
		rc = a->set_str(r, "author", it->author);
	if (rc == WN_OK && it->summary)
		rc = a->set_str(r, "summary", it->summary);
	if (rc == WN_OK)
		rc = a->set_str(r, "feed_url", ((const sr_state *)cx->state)->feed);
	return rc;
}

static int sr_next(const wn_ctx *cx, wn_record *r)
{
	sr_state *st = cx->state;
	while (st->next_item >= st->n_items) {
		items_free(st);
		int rc = next_feed(cx, r);
		if (rc == SR_NOT_MODIFIED) { /* 304: nothing new, not a record */
			cx->api->count(cx, "feeds_not_modified", 1);
			cx->api->del(r, "url");
			continue;
		}
		if (rc != WN_OK)
			return rc;
	}
	return emit(cx, r, &st->items[st->next_item++]);
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_source_rss = {
    WN_PLUGIN_HEADER,
    WN_KIND_SOURCE,
    "source_rss",
    "1.0.0",
    "items of RSS 2.0, RSS 1.0 (RDF) and Atom feeds, from URLs or files",
    sr_options,
    sizeof(sr_state),
    NULL,
    sr_gives,
    sr_init,
    sr_fini,
    sr_next,
    NULL,
    NULL,
    NULL,
    NULL,
};
