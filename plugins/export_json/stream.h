/*
 * export_json's output files: plain, gzip or zstd, split into numbered
 * parts by record count or size. Internal to the plugin.
 */
#ifndef EJ_STREAM_H
#define EJ_STREAM_H

#include <winnow/plugin.h>

#include <stdint.h>
#include <zlib.h>
#include <zstd.h>

enum { EJ_PLAIN = 0, EJ_GZIP = 1, EJ_ZSTD = 2 };

/* One open output file and its compressor. */
typedef struct ej_stream {
	const wn_ctx *cx;
	wn_output *out;
	int codec; /* EJ_PLAIN, EJ_GZIP, EJ_ZSTD */
	z_stream z;
	ZSTD_CStream *zs;
	uint64_t bytes; /* uncompressed bytes written to this file */
} ej_stream;

/* The codec a path's suffix asks for: ".gz" gzip, ".zst" zstd, else plain. */
int ej_codec_of(const char *path);

/* Part `part` of path: "articles.jsonl.gz" -> "articles.00003.jsonl.gz"
 * (the number before the first dot of the file name, or appended). A
 * malloc'd string or NULL. */
char *ej_part_name(const char *path, int64_t part);

/* Opens relpath through api->output_open with codec at level (gzip 1-9,
 * zstd 1-19; clamped). WN_OK or WN_FATAL (logged). */
int ej_stream_open(ej_stream *st, const wn_ctx *cx, const char *relpath, int codec, int level);

/* Writes n bytes. WN_OK or WN_FATAL (logged). */
int ej_stream_write(ej_stream *st, const void *p, size_t n);

/* Ends the compressed stream (its trailer); the host closes the file at
 * commit. WN_OK or WN_FATAL. Safe once; ej_stream_free afterwards. */
int ej_stream_finish(ej_stream *st);

/* Frees the compressor (not the file: the host owns it). */
void ej_stream_free(ej_stream *st);

#endif
