/*
 * Unicode text helpers for the text stages (clean_text, lang_detect,
 * filter_quality): decoding raw bytes to UTF-8, normalising scraped text
 * (NFC, no control or zero-width characters, tidy whitespace), telling the
 * script of a character, case folding and counting words.
 *
 * Every function returning char * returns a malloc'd NUL-terminated string
 * the caller frees, or NULL when out of memory.
 */
#ifndef WN_TEXT_NORM_H
#define WN_TEXT_NORM_H

#include <stddef.h>
#include <stdint.h>

/* Writing systems, coarse enough to tell "a footer in another script". */
enum wn_script {
	WN_SCRIPT_NONE = 0, /* not a letter: digits, punctuation, spaces, marks */
	WN_SCRIPT_LATIN,
	WN_SCRIPT_GREEK,
	WN_SCRIPT_CYRILLIC,
	WN_SCRIPT_ARMENIAN,
	WN_SCRIPT_HEBREW,
	WN_SCRIPT_ARABIC,
	WN_SCRIPT_DEVANAGARI,
	WN_SCRIPT_BENGALI,
	WN_SCRIPT_INDIC_OTHER, /* Gurmukhi .. Sinhala */
	WN_SCRIPT_THAI,
	WN_SCRIPT_GEORGIAN,
	WN_SCRIPT_HANGUL,
	WN_SCRIPT_KANA,
	WN_SCRIPT_HAN,
	WN_SCRIPT_ETHIOPIC,
	WN_SCRIPT_OTHER, /* a letter of a script not listed above */
	WN_SCRIPT_COUNT
};

/* Decodes raw bytes to UTF-8. The charset comes, in this order, from a byte
 * order mark, from `content_type` (a MIME value such as
 * "text/plain; charset=gbk", or a bare charset name; may be NULL), from the
 * bytes being valid UTF-8, and finally windows-1252. Invalid sequences in the
 * result are replaced by U+FFFD, so the result is always valid UTF-8.
 * *out_len (when not NULL) gets the length. NULL only when out of memory. */
char *wn_text_decode(const void *raw, size_t n, const char *content_type, size_t *out_len);

/* Normalises scraped text: invalid UTF-8 repaired, NFC, CR and CRLF made
 * LF, control characters and invisible zero-width characters removed (ZWJ
 * and ZWNJ stay between non-space characters, where scripts and emoji need
 * them), runs of ASCII spaces and tabs collapsed to one space, every line
 * trimmed of spaces (no-break spaces inside a line stay), runs of blank lines
 * collapsed to one, no blank lines at either end. NULL when out of memory. */
char *wn_text_normalize(const char *s, size_t n, size_t *out_len);

/* True when code point cp is a letter or a mark (Unicode categories L*
 * and M*). Answers ASCII, Latin-1 and basic Cyrillic without a table
 * look-up, the same way the normaliser does. */
int wn_is_letter_or_mark(uint32_t cp);

/* Script of code point cp (WN_SCRIPT_NONE for anything not a letter). */
int wn_script_of(uint32_t cp);

/* True for scripts written without spaces between words (Han, Kana, Thai),
 * where each character counts as a word. */
int wn_script_unspaced(int script);

/* Case-folded copy of s (n bytes, valid UTF-8) for caseless matching;
 * NULL when out of memory or s is not valid UTF-8. */
char *wn_text_casefold(const char *s, size_t n, size_t *out_len);

/* Number of words in s: runs of letters and digits (apostrophes and
 * hyphens inside a word do not split it), with every Han, Kana or Thai
 * character counted as one word. Invalid bytes count as separators. */
size_t wn_text_word_count(const char *s, size_t n);

/* Decodes in place the HTML character references a renderer or a scraper
 * left in text s (n bytes): decimal and hexadecimal ones ("&#8217;",
 * "&#x27;"), but for controls, surrogates and values past Unicode, and the
 * named ones scraped text keeps most ("&amp;", "&quot;", "&nbsp;" as a
 * space, "&rsquo;", "&mdash;", ...); any other stays as written. Returns
 * the new length (<= n) and NUL-terminates when it shrank. */
size_t wn_text_unescape_html(char *s, size_t n);

#endif
