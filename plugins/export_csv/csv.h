/*
 * CSV cells for export_csv: the RFC 4180 cell encoder (quoting, UTF-8
 * repair, a size cap, and formula neutralisation so spreadsheets do not
 * execute scraped text), appending to a row held in a wn_buf.
 *
 * Internal to the plugin (hidden visibility); not part of any ABI.
 */
#ifndef EC_CSV_H
#define EC_CSV_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

/* Rows are built in a wn_buf (lib/core/buf.h) with a hard cap.
 * Its errors are sticky, so a row is built then tested once; the cell
 * functions return EC_OK or the buffer's error (wn_buf.err). */
enum { EC_OK = WN_BUF_OK, EC_ENOMEM = WN_BUF_ENOMEM, EC_ELIMIT = WN_BUF_ELIMIT };

/* Appends n bytes; returns EC_OK or the (sticky) error. */
static inline int ec_buf_put(wn_buf *b, const void *s, size_t n)
{
	wn_buf_add(b, s, n);
	return b->err;
}

/* How cells are encoded. */
typedef struct ec_cell_opts {
	int neutralize;  /* prefix ' to cells a spreadsheet would evaluate */
	size_t max_cell; /* cap on a cell's content in bytes, 0 = none */
} ec_cell_opts;

/* True when s[0..n) is a plain decimal number ("-3.5", "+2", "1e-9",
 * ".5"): such a cell is data, never a formula, so it is not neutralised. */
int ec_is_plain_number(const char *s, size_t n);

/* Appends one text cell. Invalid UTF-8 is replaced with U+FFFD; content
 * over o->max_cell bytes is cut at a character boundary (then *truncated is
 * incremented); a cell starting with = + - @ TAB or CR that is not a plain
 * number gets a leading ' when o->neutralize; a cell with , " CR LF or
 * leading/trailing space or tab is quoted with inner quotes doubled.
 * Returns EC_OK or the buffer's error. */
int ec_put_text(wn_buf *b, const char *s, size_t n, const ec_cell_opts *o, int64_t *truncated);

/* Appends a 64-bit integer cell. */
int ec_put_int(wn_buf *b, int64_t v);

/* Appends a real cell, round-trippable; NaN and infinities give an empty
 * cell (CSV has no spelling for them). */
int ec_put_real(wn_buf *b, double v);

#endif
