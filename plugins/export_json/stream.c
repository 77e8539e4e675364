/*
 * export_json's output files: see stream.h. Both compressors keep no time
 * or name in their headers, so a file is byte-identical from run to run.
 */
#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1 << 16)

int ej_codec_of(const char *path)
{
	size_t n = strlen(path);
	if (n > 3 && strcmp(path + n - 3, ".gz") == 0)
		return EJ_GZIP;
	if (n > 4 && strcmp(path + n - 4, ".zst") == 0)
		return EJ_ZSTD;
	return EJ_PLAIN;
}

char *ej_part_name(const char *path, int64_t part)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strchr(base + (*base == '.'), '.'); /* ".hidden" keeps its dot */
	size_t head = dot ? (size_t)(dot - path) : strlen(path);
	size_t n = strlen(path) + 24;
	char *out = malloc(n);
	if (out)
		snprintf(out, n, "%.*s.%05lld%s", (int)head, path, (long long)part, dot ? dot : "");
	return out;
}

static int fail(ej_stream *st, const char *what)
{
	st->cx->api->log(st->cx, WN_LOG_ERROR, "%s", what);
	return WN_FATAL;
}

int ej_stream_open(ej_stream *st, const wn_ctx *cx, const char *relpath, int codec, int level)
{
	memset(st, 0, sizeof *st);
	st->cx = cx;
	st->codec = codec;
	st->out = cx->api->output_open(cx, relpath);
	if (!st->out)
		return WN_FATAL;
	if (codec == EJ_GZIP) {
		/* windowBits 15 + 16: a gzip wrapper (header without a time) */
		if (deflateInit2(&st->z, level > 9 ? 9 : level, Z_DEFLATED, 15 + 16, 8,
		                 Z_DEFAULT_STRATEGY) != Z_OK) {
			st->codec = EJ_PLAIN;
			return fail(st, "gzip: cannot start a stream");
		}
	} else if (codec == EJ_ZSTD) {
		st->zs = ZSTD_createCStream();
		if (!st->zs || ZSTD_isError(ZSTD_CCtx_setParameter(st->zs, ZSTD_c_compressionLevel,
		                                                   level > 19 ? 19 : level)))
			return fail(st, "zstd: cannot start a stream");
	}
	return WN_OK;
}

static int put_gzip(ej_stream *st, const void *p, size_t n, int flush)
{
	unsigned char chunk[CHUNK];
	st->z.next_in = (unsigned char *)(uintptr_t)p;
	st->z.avail_in = (uInt)n; /* records are capped at 256 MiB: fits */
	int zrc;
	do {
		st->z.next_out = chunk;
		st->z.avail_out = sizeof chunk;
		zrc = deflate(&st->z, flush);
		if (zrc == Z_STREAM_ERROR)
			return fail(st, "gzip: stream error");
		size_t have = sizeof chunk - st->z.avail_out;
		if (have && st->cx->api->output_write(st->out, chunk, have))
			return WN_FATAL;
	} while (st->z.avail_out == 0 || (flush == Z_FINISH && zrc != Z_STREAM_END));
	return WN_OK;
}

static int put_zstd(ej_stream *st, const void *p, size_t n, ZSTD_EndDirective end)
{
	unsigned char chunk[CHUNK];
	ZSTD_inBuffer in = {p, n, 0};
	size_t left;
	do {
		ZSTD_outBuffer out = {chunk, sizeof chunk, 0};
		left = ZSTD_compressStream2(st->zs, &out, &in, end);
		if (ZSTD_isError(left))
			return fail(st, ZSTD_getErrorName(left));
		if (out.pos && st->cx->api->output_write(st->out, chunk, out.pos))
			return WN_FATAL;
	} while (end == ZSTD_e_end ? left != 0 : in.pos < in.size);
	return WN_OK;
}

int ej_stream_write(ej_stream *st, const void *p, size_t n)
{
	st->bytes += n;
	if (st->codec == EJ_GZIP)
		return put_gzip(st, p, n, Z_NO_FLUSH);
	if (st->codec == EJ_ZSTD)
		return put_zstd(st, p, n, ZSTD_e_continue);
	return n ? st->cx->api->output_write(st->out, p, n) : WN_OK;
}

int ej_stream_finish(ej_stream *st)
{
	int rc = WN_OK;
	if (st->codec == EJ_GZIP)
		rc = put_gzip(st, "", 0, Z_FINISH);
	else if (st->codec == EJ_ZSTD)
		rc = put_zstd(st, "", 0, ZSTD_e_end);
	ej_stream_free(st);
	return rc;
}

void ej_stream_free(ej_stream *st)
{
	if (st->codec == EJ_GZIP)
		deflateEnd(&st->z);
	if (st->zs)
		ZSTD_freeCStream(st->zs);
	st->zs = NULL;
	st->codec = EJ_PLAIN;
}
