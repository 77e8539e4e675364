/*
 * Hard-wrap undoing. See unwrap.h.
 */
#include "unwrap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text_norm.h"
#include "utf8.h"

/* Widths outside this range are not a wrap: paragraphs on one line are
 * longer, and shorter lines are lists or verse. */
#define WRAP_MIN 40
#define WRAP_MAX 100
/* Full-width lines that show a wrap whatever their share of the lines. */
#define WRAP_MANY 12

typedef struct span {
	size_t at, len, cps; /* cps: display columns */
} span;

/* Display columns of n bytes of UTF-8: East Asian wide characters take
 * two, so Chinese wrapped at 36 characters reads as 72 columns. */
static size_t columns(const char *s, size_t n)
{
	size_t cols = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k;
		if ((unsigned char)s[i] < 0x80) { /* ASCII: one column */
			i++;
			cols++;
			continue;
		}
		k = wn_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (!k) {
			i++;
			cols++;
			continue;
		}
		i += k;
		cols += (cp >= 0x1100 && cp < 0x1160) || (cp >= 0x2E80 && cp < 0xA4D0) ||
		                (cp >= 0xAC00 && cp < 0xD7A4) || (cp >= 0xF900 && cp < 0xFB00) ||
		                (cp >= 0xFE30 && cp < 0xFE50) || (cp >= 0xFF00 && cp < 0xFF61) ||
		                (cp >= 0xFFE0 && cp < 0xFFE7) || cp >= 0x20000
		            ? 2
		            : 1;
	}
	return cols;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* True when a line starts a list item: a bullet, or "12." / "3)". */
static int starts_item(const char *s, size_t n)
{
	size_t k = 0;

	if (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ')
		return 1;
	if (n >= 3 && (!memcmp(s, "\xE2\x80\xA2", 3) || !memcmp(s, "\xC2\xB7", 2)))
		return 1;
	while (k < n && k < 3 && s[k] >= '0' && s[k] <= '9')
		k++;
	return k > 0 && k + 1 < n && (s[k] == '.' || s[k] == ')') && s[k + 1] == ' ';
}

/* The wrap width: the 95th percentile of non-empty line lengths. */
static size_t wrap_width(const span *v, size_t m)
{
	size_t *lens = malloc((m ? m : 1) * sizeof *lens), k = 0, w;

	if (!lens)
		return 0;
	for (size_t i = 0; i < m; i++)
		if (v[i].len)
			lens[k++] = v[i].cps;
	if (k == 0) {
		free(lens);
		return 0;
	}
	qsort(lens, k, sizeof *lens, cmp_size);
	w = lens[(k - 1) * 95 / 100];
	free(lens);
	return w;
}

/* The separator that joins line a to line b: "" or " ". */
static const char *joiner(const char *t, const span *a, const span *b)
{
	size_t e = a->at + a->len, s = e - 1;
	uint32_t last = 0, first = 0;

	while (s > a->at && ((unsigned char)t[s] & 0xC0) == 0x80)
		s--;
	wn_utf8_decode((const unsigned char *)t + s, e - s, &last);
	wn_utf8_decode((const unsigned char *)t + b->at, b->len, &first);
	if (last == '-' && s > a->at && t[s - 1] != ' ')
		return "";
	if (wn_script_unspaced(wn_script_of(last)) && wn_script_unspaced(wn_script_of(first)))
		return "";
	return " ";
}

/* True when the first word of line b would have fitted at the end of line
 * a within width w: then the break is the author's, not a wrap. */
static int word_fits(const char *t, const span *a, const span *b, size_t w)
{
	size_t k = 0;

	while (k < b->len && t[b->at + k] != ' ')
		k++;
	return a->cps + 1 + columns(t + b->at, k) <= w;
}

size_t wn_unwrap(char *t, size_t n)
{
	size_t m = 0, cap = 1, w, full = 0, nonempty = 0, o = 0;
	span *v;

	for (size_t i = 0; i < n; i++)
		cap += t[i] == '\n';
	v = malloc(cap * sizeof *v);
	if (!v)
		return (size_t)-1;
	for (size_t i = 0; i <= n;) {
		size_t j = i;
		while (j < n && t[j] != '\n')
			j++;
		v[m].at = i;
		v[m].len = j - i;
		v[m].cps = columns(t + i, j - i);
		m++;
		i = j + 1;
	}
	w = wrap_width(v, m);
	for (size_t i = 0; i < m; i++) {
		nonempty += v[i].len > 0;
		full += i + 1 < m && v[i].cps * 4 >= w * 3 && v[i + 1].len > 0;
	}
	/* a wrapped text has many full lines; on a page with long menus they
	 * are fewer than 30% of the lines, but then there are many */
	if (w < WRAP_MIN || w > WRAP_MAX || full < 3 ||
	    (full * 10 < nonempty * 3 && full < WRAP_MANY)) {
		free(v);
		return n;
	}
	for (size_t i = 0; i < m; i++) {
		/* o <= v[i].at always: joins only shrink the text */
		memmove(t + o, t + v[i].at, v[i].len);
		o += v[i].len;
		if (i + 1 == m)
			break;
		if (v[i].len && v[i].cps * 4 >= w * 3 && v[i + 1].len &&
		    !starts_item(t + v[i + 1].at, v[i + 1].len) &&
		    !word_fits(t, &v[i], &v[i + 1], w)) {
			/* line i now sits at o - len; line i + 1 is untouched */
			span moved = {o - v[i].len, v[i].len, v[i].cps};
			const char *j = joiner(t, &moved, &v[i + 1]);
			memcpy(t + o, j, strlen(j));
			o += strlen(j);
		} else {
			t[o++] = '\n';
		}
	}
	t[o] = '\0';
	free(v);
	return o;
}
