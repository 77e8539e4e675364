/*
 * lang_detect core: language identification with libexttextcat (n-gram
 * fingerprints for ~160 languages, from Debian's libexttextcat-data),
 * mapped to ISO 639-1 codes, plus script shortcuts for the languages a
 * script alone identifies (Korean, Japanese, Chinese, Greek, Thai...), where
 * n-gram statistics on short texts are least reliable.
 *
 * A wn_langid is not thread-safe: use one per thread (the plugin has one
 * per instance, and the host runs one instance per worker thread).
 */
#ifndef WN_LANG_CORE_H
#define WN_LANG_CORE_H

#include <stddef.h>

typedef struct wn_langid wn_langid;

/* Code written for text whose language cannot be told (ISO 639-2 "und"). */
#define WN_LANG_UNDETERMINED "und"

/* Opens a detector over the fingerprints in `data_dir` (a folder with
 * fpdb.conf and *.lm files). `langs`, when not NULL and not empty, is a
 * NULL-terminated list of ISO codes the detector may answer (others are
 * not loaded). Returns NULL with a message in err (errcap bytes) on
 * failure: unreadable folder, no language left, out of memory. */
wn_langid *wn_langid_open(const char *data_dir, const char *const *langs, char *err, size_t errcap);

/* Frees the detector (NULL is fine). */
void wn_langid_close(wn_langid *d);

/* Detects the language of n bytes of UTF-8 text (only the first
 * `max_bytes` are read when max_bytes > 0). Writes the ISO 639-1 code
 * (ISO 639-3 when the language has no 639-1 code) into code (room for 12
 * bytes) and a confidence in [0, 1] into *conf. Returns 0, or -1 when the
 * language cannot be told (too little text, no candidate): then code is
 * WN_LANG_UNDETERMINED and *conf is 0. */
int wn_langid_detect(wn_langid *d, const char *text, size_t n, size_t max_bytes, char *code,
                     double *conf);

/* The ISO code for a libexttextcat category name ("zh-CN-utf8" -> "zh",
 * "sh--utf8" -> "sr"), written into out (room for 12 bytes). */
void wn_langid_iso(const char *name, char *out);

/* Normalises a language tag as pages write it ("en-US", "EN_gb", "zh-Hans",
 * withdrawn "iw") to its primary ISO code in lower case, into out (room
 * for 12 bytes). */
void wn_lang_tag_primary(const char *tag, char *out);

/* True when a declared tag and a detected code name the same language
 * ("en-GB" and "en", "no" and "nb", "iw" and "he"). */
int wn_lang_same(const char *declared, const char *detected);

#endif
