/*
 * CSV cells for export_csv: a growable row buffer with a hard limit and the
 * RFC 4180 cell encoder (quoting, UTF-8 repair, a size cap, and formula
 * neutralisation so spreadsheets do not execute scraped text).
 *
 * Internal to the plugin (hidden visibility); not part of any ABI.
 */
#ifndef EC_CSV_H
#define EC_CSV_H

#include <stddef.h>
#include <stdint.h>

/* A byte buffer with a hard cap. Errors are sticky: after a failure every
 * append is a no-op returning nonzero, so a row is built then tested once. */
typedef struct ec_buf {
	char *p;
	size_t len, cap, limit;
	int err; /* EC_ENOMEM or EC_ELIMIT */
} ec_buf;

enum { EC_OK = 0, EC_ENOMEM = 1, EC_ELIMIT = 2 };

/* How cells are encoded. */
typedef struct ec_cell_opts {
	int neutralize;  /* prefix ' to cells a spreadsheet would evaluate */
	size_t max_cell; /* cap on a cell's content in bytes, 0 = none */
} ec_cell_opts;

/* Empties b (no allocation) with a hard cap of `limit` bytes. */
void ec_buf_init(ec_buf *b, size_t limit);

/* Frees b's memory; b may be initialised again. */
void ec_buf_free(ec_buf *b);

/* Forgets the content and any error, keeping the memory. */
void ec_buf_reset(ec_buf *b);

/* Appends n bytes; returns EC_OK or the (sticky) error. */
int ec_buf_put(ec_buf *b, const void *s, size_t n);

/* True when s[0..n) is a plain decimal number ("-3.5", "+2", "1e-9",
 * ".5"): such a cell is data, never a formula, so it is not neutralised. */
int ec_is_plain_number(const char *s, size_t n);

/* Appends one text cell. Invalid UTF-8 is replaced with U+FFFD; content
 * over o->max_cell bytes is cut at a character boundary (then *truncated is
 * incremented); a cell starting with = + - @ TAB or CR that is not a plain
 * number gets a leading ' when o->neutralize; a cell with , " CR LF or
 * leading/trailing space or tab is quoted with inner quotes doubled.
 * Returns EC_OK or the buffer's error. */
int ec_put_text(ec_buf *b, const char *s, size_t n, const ec_cell_opts *o, int64_t *truncated);

/* Appends a 64-bit integer cell. */
int ec_put_int(ec_buf *b, int64_t v);

/* Appends a real cell, round-trippable; NaN and infinities give an empty
 * cell (CSV has no spelling for them). */
int ec_put_real(ec_buf *b, double v);

#endif
