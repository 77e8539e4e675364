/*
 * export_report's charts: see render.h. Bars are SVG rects with their
 * label and value as SVG text, so the page needs no script and reads the
 * same offline, printed or in a mail client.
 */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#define CHART_W 720
#define LABEL_W 260
#define VALUE_W 70
#define ROW_H 22

void er_put_text(wn_buf *b, const char *s, size_t max_cp)
{
	size_t cp = 0;
	for (const char *p = s; *p; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && max_cp && cp++ == max_cp) {
			wn_buf_adds(b, "\xE2\x80\xA6"); /* … */
			return;
		}
		switch (*p) {
		case '&':
			wn_buf_adds(b, "&amp;");
			break;
		case '<':
			wn_buf_adds(b, "&lt;");
			break;
		case '>':
			wn_buf_adds(b, "&gt;");
			break;
		case '"':
			wn_buf_adds(b, "&quot;");
			break;
		case '\'':
			wn_buf_adds(b, "&#39;");
			break;
		case '\n':
		case '\r':
		case '\t':
			wn_buf_addc(b, ' ');
			break;
		default:
			wn_buf_addc(b, *p);
		}
	}
}

void er_bar_chart(wn_buf *b, const char *title, const char *const *labels, const int64_t *values,
                  size_t n)
{
	wn_buf_adds(b, "<section><h2>");
	er_put_text(b, title, 0);
	wn_buf_adds(b, "</h2>\n");
	if (n == 0) {
		wn_buf_adds(b, "<p class=\"none\">none</p></section>\n");
		return;
	}
	int64_t max = 1;
	for (size_t i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	int h = (int)n * ROW_H + 4;
	wn_buf_addf(b,
	            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" "
	            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	            CHART_W, h, CHART_W, h);
	er_put_text(b, title, 0);
	wn_buf_adds(b, "\">\n");
	int span = CHART_W - LABEL_W - VALUE_W;
	for (size_t i = 0; i < n; i++) {
		int y = (int)i * ROW_H + 2;
		int w = values[i] > 0 ? (int)((double)values[i] / (double)max * span) : 0;
		if (values[i] > 0 && w < 1)
			w = 1;
		wn_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 8,
		            y + ROW_H / 2 + 5);
		er_put_text(b, labels[i], 36);
		wn_buf_addf(b,
		            "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
		            "<text x=\"%d\" y=\"%d\">%lld</text>\n",
		            LABEL_W, y + 2, w, ROW_H - 4, LABEL_W + w + 6, y + ROW_H / 2 + 5,
		            (long long)values[i]);
	}
	wn_buf_adds(b, "</svg></section>\n");
}

void er_tally_chart(wn_buf *b, const char *title, const er_tally *t, size_t top)
{
	size_t n = 0;
	er_entry *v = er_tally_sorted(t, &n);
	if (top && n > top)
		n = top;
	const char **labels = calloc(n + 1, sizeof *labels);
	int64_t *values = calloc(n + 1, sizeof *values);
	if (labels && values) {
		for (size_t i = 0; i < n; i++) {
			labels[i] = v[i].key;
			values[i] = v[i].n;
		}
		if (t->other) {
			labels[n] = "(other)";
			values[n++] = t->other;
		}
		er_bar_chart(b, title, labels, values, n);
	}
	free(labels);
	free(values);
	free(v);
}
