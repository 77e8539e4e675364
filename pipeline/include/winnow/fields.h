/*
 * winnow record fields: the one catalogue of the core fields a record can
 * carry, with their type, format, the stage that sets them and whether they
 * may be absent. `winnow schema` prints it and docs/schema.md is generated
 * from it (a test fails when the two drift).
 *
 * This header is for plugins as much as for the runner: it needs only
 * <stddef.h>, <stdint.h> and plugin.h, and everything in it is static
 * (const tables and inline helpers), so a plugin links nothing for it.
 * Plugins name fields with the WN_F_* macros instead of bare strings, and
 * sinks walk wn_fields[] to get a stable, typed column order.
 *
 * Formats the host enforces (pipeline/src/fields.c, applied in the record
 * setter, so every plugin, in tree or not, gets them):
 *   - time fields (WN_FMT_TIME): whatever a plugin sets (ISO 8601 with any
 *     offset, a date alone, an RFC 1123 HTTP date) is stored as
 *     "YYYY-MM-DDThh:mm:ssZ" in UTC. A date alone becomes midnight UTC; a
 *     time without a zone is taken as UTC. For `published` the host also
 *     sets `published_precision` ("day" or "second") and, when the source
 *     gave an offset, `published_offset` (minutes east of UTC: 60 for
 *     +01:00); a zoneless time has precision "second" and no offset, which
 *     is how it is told apart from a time given in UTC (offset 0). A value that is no date at all
 *     is moved to NAME_raw and NAME is left absent.
 *   - entity offsets: wn_entity.start/end are UTF-8 byte offsets into
 *     `text` (the ABI); exported files carry code point offsets, so that
 *     Python's text[start:end] is the entity. wn_cp_offset converts.
 */
#ifndef WINNOW_FIELDS_H
#define WINNOW_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "winnow/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Field names. */
#define WN_F_ID "id"
#define WN_F_URL "url"
#define WN_F_CANONICAL_URL "canonical_url"
#define WN_F_FINAL_URL "final_url"
#define WN_F_TITLE "title"
#define WN_F_AUTHOR "author"
#define WN_F_PUBLISHED "published"
#define WN_F_PUBLISHED_PRECISION "published_precision"
#define WN_F_PUBLISHED_OFFSET "published_offset"
#define WN_F_MODIFIED "modified"
#define WN_F_LANG "lang"
#define WN_F_LANG_CONFIDENCE "lang_confidence"
#define WN_F_SITE_NAME "site_name"
#define WN_F_DESCRIPTION "description"
#define WN_F_IMAGE "image"
#define WN_F_TAGS "tags"
#define WN_F_PAGE_TYPE "page_type"
#define WN_F_PAGE_TYPE_CONFIDENCE "page_type_confidence"
#define WN_F_WORD_COUNT "word_count"
#define WN_F_TEXT "text"
#define WN_F_SUMMARY "summary"
#define WN_F_FEED_URL "feed_url"
#define WN_F_LASTMOD "lastmod"
#define WN_F_PATH "path"
#define WN_F_CONTENT_TYPE "content_type"
#define WN_F_HTTP_STATUS "http_status"
#define WN_F_FETCHED_AT "fetched_at"
#define WN_F_ETAG "etag"
#define WN_F_LAST_MODIFIED "last_modified"
#define WN_F_PUBLISHED_RAW "published_raw"
#define WN_F_RAW "raw"

/* How a field's value is written. */
enum wn_field_fmt {
	WN_FMT_PLAIN = 0, /* free text, or a number */
	WN_FMT_TIME = 1,  /* "YYYY-MM-DDThh:mm:ssZ", UTC (normalised by the host) */
	WN_FMT_URL = 2,   /* absolute URL */
	WN_FMT_ENUM = 3,  /* one word of a fixed set (see doc) */
	WN_FMT_HEX = 4,   /* lower-case hex digits */
	WN_FMT_LANG = 5,  /* ISO 639-1 code */
	WN_FMT_BINARY = 6 /* bytes, never exported */
};

/* One catalogue entry. */
typedef struct wn_field_def {
	const char *name;
	int type;           /* enum wn_type: WN_T_STR, WN_T_INT, WN_T_REAL, WN_T_BYTES */
	int fmt;            /* enum wn_field_fmt */
	const char *unit;   /* unit or exact format, "" when none */
	const char *stages; /* which stages set it */
	int optional;       /* 1: may be absent from an exported record */
	const char *doc;    /* one line */
} wn_field_def;

/* The core record fields, in the order sinks use for columns. */
static const wn_field_def wn_fields[] = {
    {WN_F_ID, WN_T_STR, WN_FMT_HEX, "16 hex digits", "host (or a source)", 0,
     "record id: SHA-256 of the canonical URL, or a source's stable id (source_files: the path "
     "under the source root)"},
    {WN_F_URL, WN_T_STR, WN_FMT_URL, "", "sources", 1,
     "where the record came from (file:// for local files)"},
    {WN_F_CANONICAL_URL, WN_T_STR, WN_FMT_URL, "", "clean_html", 1,
     "the page's own canonical URL (link rel=canonical, og:url)"},
    {WN_F_FINAL_URL, WN_T_STR, WN_FMT_URL, "", "fetch_http", 1, "the URL after redirects"},
    {WN_F_TITLE, WN_T_STR, WN_FMT_PLAIN, "", "source_rss, source_sitemap, clean_html, clean_text",
     1, "headline"},
    {WN_F_AUTHOR, WN_T_STR, WN_FMT_PLAIN, "", "source_rss, clean_html", 1,
     "byline; several authors joined by \", \". clean_html names none on a page it types "
     "product, listing, collection, service or documentation (there the metadata's author is "
     "the site)"},
    {WN_F_PUBLISHED, WN_T_STR, WN_FMT_TIME, "ISO 8601 UTC, YYYY-MM-DDThh:mm:ssZ",
     "source_rss, source_sitemap, clean_html", 1,
     "publication time in UTC; a date alone is midnight UTC (see published_precision)"},
    {WN_F_PUBLISHED_PRECISION, WN_T_STR, WN_FMT_ENUM, "day | second", "host", 1,
     "day: the source gave a date only; second: a time of day (set with published)"},
    {WN_F_PUBLISHED_OFFSET, WN_T_INT, WN_FMT_PLAIN, "minutes east of UTC", "host", 1,
     "UTC offset the source wrote (60 for +01:00, 0 for Z); absent for a date alone or a time "
     "without a zone (taken as UTC)"},
    {WN_F_MODIFIED, WN_T_STR, WN_FMT_TIME, "ISO 8601 UTC, YYYY-MM-DDThh:mm:ssZ", "clean_html", 1,
     "last modification time in UTC; a date alone is midnight UTC"},
    {WN_F_LANG, WN_T_STR, WN_FMT_LANG, "ISO 639-1", "clean_html, lang_detect", 1,
     "language of the text"},
    {WN_F_LANG_CONFIDENCE, WN_T_REAL, WN_FMT_PLAIN, "0..1", "lang_detect", 1, "confidence of lang"},
    {WN_F_SITE_NAME, WN_T_STR, WN_FMT_PLAIN, "", "clean_html", 1, "publication or site name"},
    {WN_F_DESCRIPTION, WN_T_STR, WN_FMT_PLAIN, "", "clean_html", 1,
     "the page's summary (meta description, og:description), whitespace collapsed and "
     "character references decoded"},
    {WN_F_IMAGE, WN_T_STR, WN_FMT_URL, "", "clean_html", 1, "lead image URL"},
    {WN_F_TAGS, WN_T_STR, WN_FMT_PLAIN, "\"; \"-separated", "clean_html", 1,
     "keywords and section tags"},
    {WN_F_PAGE_TYPE, WN_T_STR, WN_FMT_ENUM,
     "article | collection | documentation | forum | listing | product | service | other",
     "clean_html", 1, "what kind of page the HTML is (a learned model)"},
    {WN_F_PAGE_TYPE_CONFIDENCE, WN_T_REAL, WN_FMT_PLAIN, "0..1", "clean_html", 1,
     "probability that page_type is right, calibrated (at 0.95 and over right 98-99% of the "
     "time on unseen sites); filter_quality's min_page_type_confidence filters on it"},
    {WN_F_WORD_COUNT, WN_T_INT, WN_FMT_PLAIN, "words", "clean_html, clean_text", 1,
     "words in text: runs of letters and digits (an apostrophe or hyphen inside a word does "
     "not split it), every Han, Kana or Thai character one word; the same count whichever "
     "stage wrote it"},
    {WN_F_TEXT, WN_T_STR, WN_FMT_PLAIN, "UTF-8, paragraphs split by a blank line",
     "clean_html, clean_text", 1,
     "the article's main text; entity offsets point into it. From clean_html: when the "
     "page's markup holds no main text (under 10 words: a script shell, a skip link) the "
     "page's `description` stands in if it has 10 words or more, else it is empty (counted "
     "as `empty_text`)"},
    {WN_F_SUMMARY, WN_T_STR, WN_FMT_PLAIN, "", "source_rss", 1, "the feed item's summary"},
    {WN_F_FEED_URL, WN_T_STR, WN_FMT_URL, "", "source_rss, source_sitemap", 1,
     "the feed or sitemap the URL was found in"},
    {WN_F_LASTMOD, WN_T_STR, WN_FMT_TIME, "ISO 8601 UTC, YYYY-MM-DDThh:mm:ssZ", "source_sitemap", 1,
     "the sitemap's lastmod"},
    {WN_F_PATH, WN_T_STR, WN_FMT_PLAIN, "relative path", "source_files", 1,
     "the file's path under the source root it was found in"},
    {WN_F_CONTENT_TYPE, WN_T_STR, WN_FMT_PLAIN, "MIME type", "sources, fetch_http", 1,
     "content type of raw (\"text/html; charset=utf-8\")"},
    {WN_F_HTTP_STATUS, WN_T_INT, WN_FMT_PLAIN, "HTTP status", "fetch_http, source_warc", 1,
     "status of the last response"},
    {WN_F_FETCHED_AT, WN_T_STR, WN_FMT_TIME, "ISO 8601 UTC, YYYY-MM-DDThh:mm:ssZ",
     "fetch_http, source_files, source_warc", 1,
     "when the page was fetched (local files: their modification time)"},
    {WN_F_ETAG, WN_T_STR, WN_FMT_PLAIN, "", "fetch_http", 1, "the response's ETag"},
    {WN_F_LAST_MODIFIED, WN_T_STR, WN_FMT_TIME, "ISO 8601 UTC, YYYY-MM-DDThh:mm:ssZ", "fetch_http",
     1, "the response's Last-Modified, in UTC"},
    {WN_F_PUBLISHED_RAW, WN_T_STR, WN_FMT_PLAIN, "as found", "host", 1,
     "a published value that is no date (published is then absent); modified_raw, "
     "lastmod_raw, fetched_at_raw and last_modified_raw likewise"},
    {WN_F_RAW, WN_T_BYTES, WN_FMT_BINARY, "bytes", "sources, fetch_http", 1,
     "the page as read or fetched; never exported"},
};

#define WN_FIELD_COUNT (sizeof wn_fields / sizeof wn_fields[0])

/* One column of the entity tables (JSON "entities" arrays, entities.csv,
 * the SQLite entities table). */
typedef struct wn_entity_col {
	const char *name;
	int type; /* enum wn_type */
	const char *unit;
	int optional;
	const char *doc;
} wn_entity_col;

static const wn_entity_col wn_entity_cols[] = {
    {"article_id", WN_T_STR, "16 hex digits", 0,
     "the article's id (tables only; JSON nests entities in the article)"},
    {"type", WN_T_STR, "PERSON | ORG | GPE | LOC | MISC | MONEY | PERCENT | DATE", 0,
     "entity type"},
    {"text", WN_T_STR, "", 0, "the surface string, exactly text[start:end]"},
    {"value", WN_T_STR, "", 1, "normalised value (\"44000 USD\", \"2024-01-30\")"},
    {"canonical", WN_T_STR, "", 1, "canonical name (gazetteer, coreference)"},
    {"kb_id", WN_T_STR, "", 1, "user gazetteer id (JSON and SQLite)"},
    {"start", WN_T_INT, "code points", 0,
     "offset of the first character in the article's text, from 0"},
    {"end", WN_T_INT, "code points", 0, "offset after the last character (exclusive)"},
    {"confidence", WN_T_REAL, "0..1", 0, "tagger confidence (1 for rules)"},
    {"stage", WN_T_STR, "", 0, "id of the stage that found it"},
};

#define WN_ENTITY_COL_COUNT (sizeof wn_entity_cols / sizeof wn_entity_cols[0])

/* The catalogue entry for `name`, or NULL when it is not a core field. */
static inline const wn_field_def *wn_field_find(const char *name)
{
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const char *a = wn_fields[i].name, *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return &wn_fields[i];
	}
	return NULL;
}

/* True when a sink should write the field as a column by default: every
 * core field but the raw page bytes. */
static inline int wn_field_is_column(const wn_field_def *f)
{
	return f->type != WN_T_BYTES;
}

/* Converts byte offsets into a UTF-8 string to code point offsets. Keep one
 * cursor per text and feed it offsets in any order: increasing ones (the
 * usual entity order) cost one pass over the text in all. */
typedef struct wn_cp_cursor {
	const char *s; /* the text */
	size_t len;    /* its length in bytes */
	size_t byte;   /* a position already counted ... */
	int64_t cp;    /* ... and its code point offset */
} wn_cp_cursor;

/* Starts a cursor over text s of len bytes (s may be NULL when len is 0). */
static inline void wn_cp_init(wn_cp_cursor *c, const char *s, size_t len)
{
	c->s = s;
	c->len = len;
	c->byte = 0;
	c->cp = 0;
}

/* The code point offset of byte offset `byte` (clamped to [0, len]): the
 * number of code points that start before it. An offset inside a
 * multi-byte sequence counts that sequence as started. */
static inline int64_t wn_cp_offset(wn_cp_cursor *c, int64_t byte)
{
	size_t b = byte < 0 ? 0 : (size_t)byte > c->len ? c->len : (size_t)byte;
	if (b < c->byte) {
		c->byte = 0;
		c->cp = 0;
	}
	for (; c->byte < b; c->byte++)
		if (((unsigned char)c->s[c->byte] & 0xC0) != 0x80)
			c->cp++;
	return c->cp;
}

#ifdef __cplusplus
}
#endif
#endif /* WINNOW_FIELDS_H */
