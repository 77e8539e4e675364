/*
 * A small streaming JSON writer into a growable buffer.
 *
 * Used by the export_json sink and by the runner (run.json, dead-letter
 * lines). Values are appended in document order; the writer inserts commas,
 * colons and (optionally) indentation itself, so callers only say what comes
 * next. Every string goes out as valid UTF-8: invalid bytes become U+FFFD,
 * control characters and U+2028/U+2029 are escaped, so the output is valid
 * JSON (RFC 8259) and also safe to paste into JavaScript.
 *
 * Errors are sticky, in the curl/stdio style: after the first failure (out of
 * memory, the hard size limit, or a misuse such as a key outside an object)
 * every call is a no-op that returns the same error, and wn_jsonw_finish
 * returns NULL. Callers can therefore write a whole document and test once.
 *
 * Typical use:
 *     wn_jsonw w;
 *     wn_jsonw_init(&w, 1 << 20);
 *     wn_jsonw_begin_obj(&w);
 *     wn_jsonw_key(&w, "id");
 *     wn_jsonw_int(&w, 42);
 *     wn_jsonw_end_obj(&w);
 *     const char *doc = wn_jsonw_finish(&w, &len);   // NULL on error
 *     ...
 *     wn_jsonw_free(&w);
 */
#ifndef WN_JSONW_H
#define WN_JSONW_H

#include <stddef.h>
#include <stdint.h>

/* Deepest nesting of objects and arrays the writer tracks. */
#define WN_JSONW_MAX_DEPTH 64

/* Buffer size for wn_jsonw_fmt_real (sign, 17 digits, exponent, NUL). */
#define WN_JSONW_REAL_BUF 40

enum wn_jsonw_err {
	WN_JSONW_OK = 0,
	WN_JSONW_ENOMEM = 1, /* malloc/realloc failed */
	WN_JSONW_ELIMIT = 2, /* the document would exceed the hard limit */
	WN_JSONW_EUSAGE = 3  /* misuse: bad nesting, key where a value belongs... */
};

typedef struct wn_jsonw {
	char *buf;       /* NUL-terminated after wn_jsonw_finish */
	size_t len;      /* bytes written */
	size_t cap;      /* bytes allocated */
	size_t limit;    /* hard cap on len */
	int err;         /* enum wn_jsonw_err, sticky */
	int depth;       /* open containers */
	int indent;      /* spaces per level when pretty, 0 = compact */
	int base;        /* extra levels of indentation for every line */
	int want_value;  /* 1 right after a key: a value must follow */
	uint64_t is_obj; /* bit d: container at depth d+1 is an object */
	uint64_t filled; /* bit d: container at depth d+1 has members */
	size_t replaced; /* invalid UTF-8 bytes replaced with U+FFFD so far */
} wn_jsonw;

/* Prepares an empty compact writer whose output may never exceed `limit`
 * bytes (0 means SIZE_MAX / 2). Allocates nothing until the first write. */
void wn_jsonw_init(wn_jsonw *w, size_t limit);

/* Frees the buffer; the writer may be initialised again afterwards. */
void wn_jsonw_free(wn_jsonw *w);

/* Empties the writer for a new document, keeping its buffer, limit and
 * pretty settings, and clearing any error and the `replaced` count. */
void wn_jsonw_reset(wn_jsonw *w);

/* Pretty printing: `indent` spaces per level (0 = compact, one line), and
 * `base` extra levels before every line after the first (for documents
 * nested inside something the caller writes itself). */
void wn_jsonw_set_pretty(wn_jsonw *w, int indent, int base);

/* Containers. begin_* starts a value; end_* must match the innermost open
 * container. Return the writer's error state (WN_JSONW_OK on success). */
int wn_jsonw_begin_obj(wn_jsonw *w);
int wn_jsonw_end_obj(wn_jsonw *w);
int wn_jsonw_begin_arr(wn_jsonw *w);
int wn_jsonw_end_arr(wn_jsonw *w);

/* An object member name (NUL-terminated, or `n` bytes for keyn); the next
 * call must write its value. Only valid directly inside an object. */
int wn_jsonw_key(wn_jsonw *w, const char *k);
int wn_jsonw_keyn(wn_jsonw *w, const char *k, size_t n);

/* A string value, escaped and UTF-8-repaired. A NULL `s` writes null.
 * strn takes `n` bytes and may contain NUL bytes (written as \u0000). */
int wn_jsonw_str(wn_jsonw *w, const char *s);
int wn_jsonw_strn(wn_jsonw *w, const char *s, size_t n);

/* Scalars. Non-finite reals (NaN, +-Inf) are written as null, since JSON
 * has no spelling for them. */
int wn_jsonw_int(wn_jsonw *w, int64_t v);
int wn_jsonw_real(wn_jsonw *w, double v);
int wn_jsonw_bool(wn_jsonw *w, int v);
int wn_jsonw_null(wn_jsonw *w);

/* Appends `n` bytes of already-serialised JSON as one value, unchecked:
 * the caller vouches that it is a valid JSON value in valid UTF-8. */
int wn_jsonw_raw(wn_jsonw *w, const char *json, size_t n);

/* Ends the document: checks every container is closed, NUL-terminates the
 * buffer and returns it (borrowed, valid until the next call on `w`) with
 * its length in *len (when not NULL). Returns NULL on error (see err). */
const char *wn_jsonw_finish(wn_jsonw *w, size_t *len);

/* The sticky error state (enum wn_jsonw_err). */
int wn_jsonw_error(const wn_jsonw *w);

/* Formats a finite double in the shortest of %.15g/%.16g/%.17g that reads
 * back to the same value, always with a '.' decimal point and with ".0"
 * appended to integral values so readers keep it a real. Writes at most
 * WN_JSONW_REAL_BUF bytes including the NUL; returns the length, or 0 when
 * v is NaN or infinite (buf then holds ""). */
size_t wn_jsonw_fmt_real(double v, char *buf);

#endif
