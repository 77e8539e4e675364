/*
 * source_warc: one record per WARC `response` record (WARC 1.0 and 1.1),
 * from plain files, files gzipped record by record (Common Crawl) or
 * gzipped whole; zlib's gzread reads all three alike, members one after
 * another.
 *
 * A response's HTTP status line and headers go into http_status and
 * content_type, its body (de-chunked, and gunzipped when the server had
 * gzipped it) into raw; url is WARC-Target-URI, fetched_at WARC-Date.
 * Other record types (warcinfo, request, metadata, revisit, resource...)
 * are skipped and counted as skipped_<type>. A record over `max_record`
 * is dropped as too_large. Damaged gzip data gives one dead letter
 * (bad_gzip) and reading resumes at the next intact gzip member that
 * starts a WARC record, so one bad member of a per-record .warc.gz costs
 * the records in that member only; a file gzipped whole has no next
 * member, and its rest is lost (the dead letter says so).
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

#include <winnow/plugin.h>

#include "gunzip.h"
#include "inputs.h"

#define WARC_MAX_LINE 65536 /* longest header line */

typedef struct warc_state {
	const char *const *files;
	int64_t max_record;
	size_t next_file;
	const char *name; /* the open file */
	gzFile gz;
	int64_t good;    /* raw offset in the file up to which records were read */
	wn_inputs shard; /* sharded runs: which files are this shard's */
	int64_t unit;    /* the open file's index in the frozen list, or < 0 */
	char line[WARC_MAX_LINE];
} warc_state;

static const wn_option warc_options[] = {
    {"files", WN_OPT_LIST, NULL, 1, offsetof(warc_state, files),
     "WARC files (.warc, .warc.gz), paths relative to the config's folder", NULL, 0, 0},
    {"max_record", WN_OPT_SIZE, "64MiB", 0, offsetof(warc_state, max_record),
     "largest record block read; bigger responses are dropped as too_large", NULL, 1024, 1e12},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const char *const warc_gives[] = {"url",          "raw",        "http_status",
                                         "content_type", "fetched_at", NULL};

/* The WARC headers of one record that matter here. */
typedef struct warc_head {
	char type[32];
	char *uri, *date, *ctype;
	long long length;
} warc_head;

static void head_free(warc_head *h)
{
	free(h->uri);
	free(h->date);
	free(h->ctype);
	memset(h, 0, sizeof(*h));
}

/* Only sharded runs need a start (inputs.h): under `winnow plan` every
 * file is listed and none is read. */
static int warc_init(const wn_ctx *cx)
{
	warc_state *st = cx->state;
	if (wn_inputs_open(cx, &st->shard) != WN_OK)
		return WN_FATAL;
	if (wn_inputs_planning(&st->shard)) {
		for (const char *const *f = st->files; *f; f++)
			wn_inputs_take(&st->shard, *f);
		st->next_file = SIZE_MAX;
	}
	return WN_OK;
}

static void warc_fini(const wn_ctx *cx)
{
	warc_state *st = cx->state;
	if (st->gz)
		gzclose(st->gz);
	st->gz = NULL;
	wn_inputs_close(&st->shard);
}

/* Trims CR/LF and spaces at the end of s in place. */
static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* Opens the next file; 1 opened, 0 none left, -1 cannot open (reason). */
static int open_next(const wn_ctx *cx, wn_record *r)
{
	warc_state *st = cx->state;
	if (st->gz) {
		gzclose(st->gz);
		st->gz = NULL;
	}
	if (st->next_file == SIZE_MAX)
		return 0;
	for (;;) { /* passes over other shards' files */
		if (!st->files[st->next_file])
			return 0;
		st->name = st->files[st->next_file++];
		st->unit = wn_inputs_take(&st->shard, st->name);
		if (st->unit != WN_INPUT_SKIP)
			break;
	}
	st->gz = gzopen(st->name, "rb");
	if (!st->gz) {
		cx->api->reason(r, "read_error", "%s: cannot open", st->name);
		return -1;
	}
	gzbuffer(st->gz, 128 * 1024);
	st->good = 0;
	return 1;
}

/* 1 when the gzip member starting at raw offset off of fd begins a WARC
 * record and inflates whole to its end: three magic bytes alone match by
 * chance inside deflate data, and a member damaged further on would only
 * be found damaged again. */
static int warc_member_at(int fd, off_t off)
{
	unsigned char in[16384], out[16384];
	z_stream z = {0};
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return 0;
	int rc = Z_OK, started = 0, ok = 1;
	while (rc == Z_OK && ok) {
		if (!z.avail_in) {
			ssize_t n = pread(fd, in, sizeof(in), off);
			if (n <= 0)
				break;
			off += n;
			z.next_in = in;
			z.avail_in = (uInt)n;
		}
		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = inflate(&z, Z_NO_FLUSH);
		size_t got = sizeof(out) - z.avail_out;
		if (!started && got >= 5) {
			started = 1;
			ok = !memcmp(out, "WARC/", 5);
		}
	}
	inflateEnd(&z);
	return ok && started && rc == Z_STREAM_END;
}

/* Raw offset of the first gzip member at or after from whose data starts a
 * WARC record, or -1 when there is none. */
static off_t next_member(int fd, off_t from)
{
	unsigned char buf[65536];
	for (off_t base = from;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), base);
		if (n < 3)
			return -1;
		for (ssize_t i = 0; i + 2 < n; i++)
			if (buf[i] == 0x1f && buf[i + 1] == 0x8b && buf[i + 2] == 8 &&
			    warc_member_at(fd, base + i))
				return base + i;
		base += n - 2; /* a magic cut by the buffer's end is seen again */
	}
}

/* After damaged gzip data: reopens the file at the next intact member past
 * what was read (the damaged one included, as zlib had started on it).
 * Returns that raw offset, or -1 when the rest of the file is lost. */
static off_t resync(warc_state *st)
{
	int fd = open(st->name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	off_t at = next_member(fd, (off_t)st->good + 1);
	gzFile gz = at >= 0 && lseek(fd, at, SEEK_SET) == at ? gzdopen(fd, "rb") : NULL;
	if (!gz) {
		close(fd);
		return -1;
	}
	gzclose(st->gz);
	st->gz = gz;
	gzbuffer(st->gz, 128 * 1024);
	st->good = at;
	return at;
}

/* After a read came short: 0 when that was the end of the file; else the
 * data was damaged (reason on r): 2 when reading goes on at the next
 * intact member, 1 when the rest of the file is lost. zlib reports a
 * damaged member in the middle of a multi-member .warc.gz the same way as
 * the end, unless asked: without this the rest was lost without a word. */
static int gz_damaged(const wn_ctx *cx, wn_record *r)
{
	warc_state *st = cx->state;
	int err = Z_OK;
	const char *msg = gzerror(st->gz, &err);
	if (err == Z_OK || err == Z_STREAM_END)
		return 0;
	char what[160];
	snprintf(what, sizeof(what), "%s", msg ? msg : "zlib error");
	long long after = (long long)gztell(st->gz);
	off_t at = resync(st);
	if (at >= 0)
		cx->api->reason(
		    r, "bad_gzip",
		    "%s: damaged gzip data after %lld bytes (%s); reading resumes at the "
		    "next intact member, byte %lld of the file",
		    st->name, after, what, (long long)at);
	else
		cx->api->reason(r, "bad_gzip",
		                "%s: damaged gzip data after %lld bytes (%s); the rest of the file "
		                "is not read",
		                st->name, after, what);
	return at >= 0 ? 2 : 1;
}

/* Reads the header of the next record into h. 1 read, 0 end of file,
 * -1 damaged (reason on r), -2 damaged but the file goes on after it. */
static int read_head(const wn_ctx *cx, wn_record *r, warc_head *h)
{
	warc_state *st = cx->state;
	do { /* blank lines end the previous record */
		if (!gzgets(st->gz, st->line, sizeof(st->line))) {
			int d = gz_damaged(cx, r);
			return d == 2 ? -2 : -d;
		}
		chomp(st->line);
	} while (!st->line[0]);
	if (strcmp(st->line, "WARC/1.0") && strcmp(st->line, "WARC/1.1")) {
		cx->api->reason(r, "bad_warc", "%s: expected WARC/1.0 or WARC/1.1, got '%.40s'",
		                st->name, st->line);
		return -1;
	}
	h->length = -1;
	while (gzgets(st->gz, st->line, sizeof(st->line))) {
		chomp(st->line);
		if (!st->line[0])
			break;
		char *colon = strchr(st->line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if (!strcasecmp(st->line, "WARC-Type"))
			snprintf(h->type, sizeof(h->type), "%s", v);
		else if (!strcasecmp(st->line, "WARC-Target-URI") && !h->uri) {
			size_t n = strlen(v);
			if (n >= 2 && v[0] == '<' && v[n - 1] == '>') { /* some WARC 1.0 writers */
				v[n - 1] = '\0';
				v++;
			}
			h->uri = strdup(v);
		} else if (!strcasecmp(st->line, "WARC-Date") && !h->date)
			h->date = strdup(v);
		else if (!strcasecmp(st->line, "Content-Type") && !h->ctype)
			h->ctype = strdup(v);
		else if (!strcasecmp(st->line, "Content-Length"))
			h->length = strtoll(v, NULL, 10);
	}
	if (h->length < 0) {
		cx->api->reason(r, "bad_warc", "%s: record without Content-Length", st->name);
		return -1;
	}
	return 1;
}

/* Skips n bytes of block; 0, or -1 at a premature end. */
static int skip(gzFile gz, long long n)
{
	char buf[16384];
	while (n > 0) {
		int k = gzread(gz, buf,
		               (unsigned)(n < (long long)sizeof(buf) ? n : (long long)sizeof(buf)));
		if (k <= 0)
			return -1;
		n -= k;
	}
	return 0;
}

/* Removes chunked transfer coding in place; returns the new length, or
 * the old one when the framing is broken (kept as it came). */
static size_t dechunk(char *b, size_t n)
{
	size_t in = 0, out = 0;
	while (in < n) {
		char *end;
		unsigned long long k = strtoull(b + in, &end, 16);
		const char *nl = memchr(b + in, '\n', n - in);
		if (end == b + in || !nl)
			return n;
		in = (size_t)(nl - b) + 1;
		if (k == 0)
			return out;
		if (k > n - in)
			return n;
		memmove(b + out, b + in, (size_t)k);
		out += (size_t)k;
		in += (size_t)k;
		while (in < n && (b[in] == '\r' || b[in] == '\n'))
			in++;
	}
	return out;
}

/* Finds a header's value in the HTTP head [h, end); copies into out. */
static int http_header(const char *h, const char *end, const char *name, char *out, size_t cap)
{
	size_t k = strlen(name);
	for (const char *p = h; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		if ((size_t)(e - p) > k && !strncasecmp(p, name, k) && p[k] == ':') {
			const char *v = p + k + 1;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			size_t n = (size_t)(e - v);
			while (n && (v[n - 1] == '\r' || v[n - 1] == ' '))
				n--;
			if (n >= cap)
				n = cap - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return 1;
		}
		p = e + 1;
	}
	return 0;
}

/* Fills r from an HTTP response block. */
static int fill_response(const wn_ctx *cx, wn_record *r, char *b, size_t n)
{
	const wn_host_api *a = cx->api;
	warc_state *st = cx->state;
	char *sep = NULL;
	size_t skip_n = 4;
	for (size_t i = 0; i + 1 < n && !sep; i++) {
		if (b[i] == '\n' && b[i + 1] == '\n')
			sep = b + i, skip_n = 2;
		else if (i + 3 < n && !memcmp(b + i, "\r\n\r\n", 4))
			sep = b + i;
	}
	int status = 0;
	if (strncmp(b, "HTTP/", 5) || !sep || sscanf(b, "HTTP/%*s %d", &status) != 1) {
		a->reason(r, "bad_http", "%s: response record without an HTTP head", st->name);
		return WN_ERROR;
	}
	char val[512];
	a->set_int(r, "http_status", status);
	if (http_header(b, sep, "Content-Type", val, sizeof(val)))
		a->set_str(r, "content_type", val);
	char *body = sep + skip_n;
	size_t len = n - (size_t)(body - b);
	if (http_header(b, sep, "Transfer-Encoding", val, sizeof(val)) &&
	    strcasestr(val, "chunked"))
		len = dechunk(body, len);
	if (http_header(b, sep, "Content-Encoding", val, sizeof(val)) &&
	    (strcasestr(val, "gzip") || strcasestr(val, "deflate"))) {
		size_t plain_len;
		char *plain = NULL;
		if (wn_gunzip(body, len, (size_t)st->max_record, &plain, &plain_len) ==
		    WN_GUNZIP_OK) {
			int rc = a->set(r, "raw", WN_T_BYTES, plain, plain_len);
			free(plain);
			return rc;
		}
		a->count(cx, "undecodable_bodies", 1);
	}
	return a->set(r, "raw", WN_T_BYTES, body, len);
}

/* A record block came short: WN_ERROR when the file goes on after
 * damaged gzip data, else WN_FATAL (this file is done; see warc_next). */
static int cut_short(const wn_ctx *cx, wn_record *r)
{
	warc_state *st = cx->state;
	int err = Z_OK;
	gzerror(st->gz, &err);
	if (err == Z_OK || err == Z_STREAM_END || err == Z_BUF_ERROR) { /* the file ends */
		cx->api->reason(r, "truncated", "%s: record cut short", st->name);
		return WN_FATAL;
	}
	return gz_damaged(cx, r) == 2 ? WN_ERROR : WN_FATAL;
}

/* One response record whose head is h. */
static int read_response(const wn_ctx *cx, wn_record *r, warc_head *h)
{
	warc_state *st = cx->state;
	const wn_host_api *a = cx->api;
	if (h->uri)
		a->set_str(r, "url", h->uri);
	if (h->date)
		a->set_str(r, "fetched_at", h->date);
	if (h->length > st->max_record) {
		if (skip(st->gz, h->length))
			return cut_short(cx, r);
		a->reason(r, "too_large", "%s: record of %lld bytes over max_record", st->name,
		          h->length);
		return WN_DROP;
	}
	char *b = malloc((size_t)h->length + 1);
	if (!b) {
		a->reason(r, "out_of_memory", "record of %lld bytes", h->length);
		return WN_ERROR;
	}
	int rc;
	if (gzread(st->gz, b, (unsigned)h->length) != (int)h->length) {
		rc = cut_short(cx, r);
	} else {
		b[h->length] = '\0';
		rc = fill_response(cx, r, b, (size_t)h->length);
	}
	free(b);
	return rc;
}

static int warc_next(const wn_ctx *cx, wn_record *r)
{
	warc_state *st = cx->state;
	for (;;) {
		if (!st->gz) {
			int o = open_next(cx, r);
			if (o <= 0)
				return o == 0 ? WN_DONE : WN_ERROR;
		}
		warc_head h = {0};
		int got = read_head(cx, r, &h);
		int rc = WN_OK;
		if (got == 1 && !strcmp(h.type, "response") &&
		    (!h.ctype || strcasestr(h.ctype, "application/http"))) {
			rc = read_response(cx, r, &h);
		} else if (got == 1) {
			char name[48];
			snprintf(name, sizeof(name), "skipped_%s", *h.type ? h.type : "untyped");
			cx->api->count(cx, name, 1);
			if (skip(st->gz, h.length)) {
				rc = cut_short(cx, r);
			} else {
				st->good = (int64_t)gzoffset(st->gz);
				head_free(&h);
				continue;
			}
		}
		head_free(&h);
		if (got == -2)
			return WN_ERROR; /* damaged, and read on after it */
		if (got == 1 && rc != WN_FATAL)
			st->good = (int64_t)gzoffset(st->gz);
		if (got <= 0 || rc == WN_FATAL) { /* end or damage: on to the next file */
			gzclose(st->gz);
			st->gz = NULL;
			if (got == 0)
				continue;
			return WN_ERROR;
		}
		return rc == WN_OK ? wn_inputs_mark(cx, r, st->unit) : rc;
	}
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_source_warc = {
    WN_PLUGIN_HEADER,
    WN_KIND_SOURCE,
    "source_warc",
    "1.0.0",
    "response records of WARC 1.0/1.1 files (plain, per-record or whole gzip)",
    warc_options,
    sizeof(warc_state),
    NULL,
    warc_gives,
    warc_init,
    warc_fini,
    warc_next,
    NULL,
    NULL,
    NULL,
    NULL,
};
