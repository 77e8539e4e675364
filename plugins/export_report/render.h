/*
 * export_report's page: one self-contained HTML file (inline CSS, charts
 * as inline SVG, no script, nothing fetched). Internal to the plugin.
 */
#ifndef ER_RENDER_H
#define ER_RENDER_H

#include "buf.h"
#include "tally.h"

#include <stdint.h>

/* Appends s with the five XML specials escaped, cut to at most max_cp
 * code points (an ellipsis marks a cut; 0: no cut). */
void er_put_text(wn_buf *b, const char *s, size_t max_cp);

/* Appends one chart: a heading and horizontal bars, one per label, scaled
 * to the largest value. n may be 0 ("none" is written instead). */
void er_bar_chart(wn_buf *b, const char *title, const char *const *labels, const int64_t *values,
                  size_t n);

/* A chart of the top `top` entries of a tally (all when top is 0), with
 * an "(other)" bar for keys past the tally's limit. */
void er_tally_chart(wn_buf *b, const char *title, const er_tally *t, size_t top);

#endif
