/*
 * Hard-wrap undoing for clean_text. Plain-text scrapes, mails and old
 * archives often break paragraphs at a fixed width (~70-80 columns); the
 * junk signals read lines, so a wrapped paragraph must become one line
 * first, or its continuation lines ("by the Foundation. But...") read as
 * short fragments.
 */
#ifndef WN_UNWRAP_H
#define WN_UNWRAP_H

#include <stddef.h>

/* Detects a fixed wrap width in normalised text t (n bytes: lines
 * separated by '\n', no trailing spaces) and, when the text is wrapped,
 * joins each full-width line with the next non-empty line of its
 * paragraph (with a space; without one after a hyphen or between two
 * Chinese or Japanese characters). The width is found in display columns
 * or, failing that, in characters; failing both, without the lines over
 * 100 columns (a wide table in a wrapped dump), unless `blocks` says the
 * text has a block a line (clean_html's output: its long lines are
 * paragraphs, and its table rows are no wrap). Of the widths so found,
 * the first that explains the breaks (half or more of the full lines
 * followed by text end where the next word would not have fitted) is
 * taken, else the first. Works in place; returns
 * the new length (== n when the text is not wrapped) and NUL-terminates.
 * Returns (size_t)-1 when out of memory (t is then unchanged). */
size_t wn_unwrap(char *t, size_t n, int blocks);

#endif
