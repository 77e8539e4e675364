/*
 * source_warc through the fake host, on WARC files the test writes: the
 * same records plain, gzipped per record (Common Crawl) and gzipped whole;
 * response records into records (status, content type, chunked and
 * gzipped bodies), other types skipped and counted; WARC 1.1, a record
 * over max_record, a truncated file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "harness.h"

/* One WARC record as text (malloc'd). */
static char *record(const char *version, const char *type, const char *uri, const char *ctype,
                    const char *block, size_t block_len, size_t *len)
{
	char head[1024];
	int n = snprintf(head, sizeof(head),
	                 "%s\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
	                 "WARC-Target-URI: %s\r\nWARC-Date: 2024-03-01T10:00:00Z\r\n"
	                 "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
	                 version, type, uri, ctype, block_len);
	char *out = malloc((size_t)n + block_len + 4);
	memcpy(out, head, (size_t)n);
	memcpy(out + n, block, block_len);
	memcpy(out + n + block_len, "\r\n\r\n", 4);
	*len = (size_t)n + block_len + 4;
	return out;
}

#define HTTP_RESP "application/http; msgtype=response"

/* The records of every test file, in order. */
static size_t build(char **recs, size_t *lens)
{
	static char gzbody[256];
	size_t n = 0;
	recs[n] = record("WARC/1.0", "warcinfo", "", "application/warc-fields", "software: t\r\n",
	                 13, &lens[n]);
	n++;
	const char *req = "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n";
	recs[n] = record("WARC/1.0", "request", "http://a.example/",
	                 "application/http; msgtype=request", req, strlen(req), &lens[n]);
	n++;
	const char *ok = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
	                 "<html><body><p>Page A</p></body></html>";
	recs[n] = record("WARC/1.0", "response", "http://a.example/", HTTP_RESP, ok, strlen(ok),
	                 &lens[n]);
	n++;
	const char *chunked =
	    "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Type: text/html\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
	recs[n] = record("WARC/1.1", "response", "<http://b.example/x>", HTTP_RESP, chunked,
	                 strlen(chunked), &lens[n]);
	n++;
	/* A body the server had gzipped. */
	const char *plain = "<p>gzipped body</p>";
	z_stream z = {0};
	deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	unsigned char gz[128];
	z.next_in = (Bytef *)(uintptr_t)plain;
	z.avail_in = (uInt)strlen(plain);
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	deflate(&z, Z_FINISH);
	size_t gzlen = z.total_out;
	deflateEnd(&z);
	int h = snprintf(
	    gzbody, sizeof(gzbody),
	    "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\n\r\n");
	memcpy(gzbody + h, gz, gzlen);
	recs[n] = record("WARC/1.0", "response", "http://c.example/", HTTP_RESP, gzbody,
	                 (size_t)h + gzlen, &lens[n]);
	n++;
	recs[n] = record("WARC/1.0", "metadata", "http://a.example/", "application/warc-fields",
	                 "fetchTimeMs: 5\r\n", 16, &lens[n]);
	n++;
	const char *revisit = "HTTP/1.1 200 OK\r\n\r\n";
	recs[n] = record("WARC/1.0", "revisit", "http://a.example/", HTTP_RESP, revisit,
	                 strlen(revisit), &lens[n]);
	n++;
	return n;
}

static void write_files(void)
{
	char *recs[16];
	size_t lens[16], n = build(recs, lens);
	FILE *f = fopen("plain.warc", "wb");
	gzFile whole = gzopen("whole.warc.gz", "wb");
	for (size_t i = 0; i < n; i++) {
		fwrite(recs[i], 1, lens[i], f);
		gzwrite(whole, recs[i], (unsigned)lens[i]);
		gzFile m = gzopen("members.warc.gz", i ? "ab" : "wb"); /* one member each */
		gzwrite(m, recs[i], (unsigned)lens[i]);
		gzclose(m);
	}
	fclose(f);
	gzclose(whole);
	/* A truncated copy: the last response promises more than it has. */
	f = fopen("cut.warc", "wb");
	fwrite(recs[2], 1, lens[2], f);
	fwrite(recs[3], 1, lens[3] - 20, f);
	fclose(f);
	for (size_t i = 0; i < n; i++)
		free(recs[i]);
}

static void check_file(const char *name)
{
	char with[256];
	snprintf(with, sizeof(with), "{files: [%s]}", name);
	wn_harness *h = wn_harness_open(WN_PLUGIN_SO, with, NULL);
	CHECK(h != NULL);
	if (!h)
		return;
	const wn_host_api *a = wn_harness_api(h);
	wn_record *r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_OK);
	CHECK_STR(a->get_str(r, "url", NULL), "http://a.example/");
	CHECK(a->get_int(r, "http_status", 0) == 200);
	CHECK_STR(a->get_str(r, "content_type", NULL), "text/html; charset=utf-8");
	CHECK_STR(a->get_str(r, "raw", NULL), "<html><body><p>Page A</p></body></html>");
	CHECK_STR(a->get_str(r, "fetched_at", NULL), "2024-03-01T10:00:00Z");
	r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_OK);
	CHECK_STR(a->get_str(r, "url", NULL), "http://b.example/x");
	CHECK(a->get_int(r, "http_status", 0) == 404);
	CHECK_STR(a->get_str(r, "raw", NULL), "hello world");
	r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_OK);
	CHECK_STR(a->get_str(r, "raw", NULL), "<p>gzipped body</p>");
	r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_DONE);
	CHECK(wn_harness_counter(h, "skipped_warcinfo") == 1);
	CHECK(wn_harness_counter(h, "skipped_request") == 1);
	CHECK(wn_harness_counter(h, "skipped_metadata") == 1);
	CHECK(wn_harness_counter(h, "skipped_revisit") == 1);
	wn_harness_close(h);
}

int main(void)
{
	write_files();
	check_file("plain.warc");
	check_file("members.warc.gz");
	check_file("whole.warc.gz");

	/* max_record: the big response is dropped, the rest goes on. */
	wn_harness *h =
	    wn_harness_open(WN_PLUGIN_SO, "{files: [plain.warc], max_record: 1024}", NULL);
	CHECK(h != NULL);
	wn_record *r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_OK);
	wn_harness_close(h);
	h = wn_harness_open(WN_PLUGIN_SO, "{files: [cut.warc, plain.warc]}", NULL);
	r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_OK);
	r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_ERROR);
	CHECK_STR(wn_harness_reason_code(r), "truncated");
	r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_OK); /* the next file */
	CHECK_STR(wn_harness_api(h)->get_str(r, "url", NULL), "http://a.example/");
	wn_harness_close(h);
	/* A damaged member in the middle of a per-record .warc.gz: said, as a
	 * failure of the file, never a quiet end of it; the records of the
	 * members after it are still read. */
	FILE *in = fopen("members.warc.gz", "rb");
	static unsigned char gzb[1 << 16];
	size_t gn = in ? fread(gzb, 1, sizeof(gzb), in) : 0;
	if (in)
		fclose(in);
	size_t heads[16], nh = 0;
	for (size_t i = 0; i + 2 < gn && nh < 16; i++)
		if (gzb[i] == 0x1f && gzb[i + 1] == 0x8b && gzb[i + 2] == 8)
			heads[nh++] = i;
	CHECK(nh == 7);
	if (nh == 7) {
		for (size_t i = heads[3] + 12; i < heads[3] + 24; i++)
			gzb[i] ^= 0x5a; /* inside the deflate data of response b */
		FILE *out = fopen("damaged.warc.gz", "wb");
		fwrite(gzb, 1, gn, out);
		fclose(out);
		h = wn_harness_open(WN_PLUGIN_SO, "{files: [damaged.warc.gz]}", NULL);
		const wn_host_api *a = wn_harness_api(h);
		r = wn_harness_new_record(h);
		CHECK(wn_harness_next(h, r) == WN_OK);
		CHECK_STR(a->get_str(r, "url", NULL), "http://a.example/");
		r = wn_harness_new_record(h);
		CHECK(wn_harness_next(h, r) == WN_ERROR);
		CHECK_STR(wn_harness_reason_code(r), "bad_gzip");
		CHECK(strstr(wn_harness_reason(r), "resumes") != NULL);
		r = wn_harness_new_record(h);
		CHECK(wn_harness_next(h, r) == WN_OK);
		CHECK_STR(a->get_str(r, "url", NULL), "http://c.example/");
		r = wn_harness_new_record(h);
		CHECK(wn_harness_next(h, r) == WN_DONE);
		wn_harness_close(h);
		/* The last member damaged: nothing to resume at, and said so. */
		for (size_t i = heads[3] + 12; i < heads[3] + 24; i++)
			gzb[i] ^= 0x5a; /* undo */
		for (size_t i = heads[6] + 12; i < heads[6] + 24 && i < gn; i++)
			gzb[i] ^= 0x5a;
		out = fopen("damaged_last.warc.gz", "wb");
		fwrite(gzb, 1, gn, out);
		fclose(out);
		h = wn_harness_open(WN_PLUGIN_SO, "{files: [damaged_last.warc.gz, plain.warc]}",
		                    NULL);
		int oks = 0, rc = WN_OK;
		for (int i = 0; i < 3; i++) {
			r = wn_harness_new_record(h);
			oks += wn_harness_next(h, r) == WN_OK;
		}
		CHECK(oks == 3);
		r = wn_harness_new_record(h);
		CHECK(wn_harness_next(h, r) == WN_ERROR);
		CHECK_STR(wn_harness_reason_code(r), "bad_gzip");
		CHECK(strstr(wn_harness_reason(r), "not read") != NULL);
		r = wn_harness_new_record(h);
		rc = wn_harness_next(h, r); /* on to the next file */
		CHECK(rc == WN_OK);
		CHECK_STR(a->get_str(r, "url", NULL), "http://a.example/");
		wn_harness_close(h);
	}
	h = wn_harness_open(WN_PLUGIN_SO, "{files: [missing.warc]}", NULL);
	r = wn_harness_new_record(h);
	CHECK(wn_harness_next(h, r) == WN_ERROR);
	CHECK_STR(wn_harness_reason_code(r), "read_error");
	wn_harness_close(h);
	return check_finish();
}
