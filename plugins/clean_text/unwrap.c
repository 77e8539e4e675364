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
/* Lines over WRAP_MAX, in percent of the lines, that still let the others
 * show a wrap. */
#define WRAP_LONGER 15

typedef struct span {
	size_t at, len;
	size_t cps;         /* its width in the measure the wrap was found with */
	size_t cols, chars; /* display columns, characters */
} span;

/* East Asian wide characters: two columns on a terminal. */
static int wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp < 0x1160) || (cp >= 0x2E80 && cp < 0xA4D0) ||
	       (cp >= 0xAC00 && cp < 0xD7A4) || (cp >= 0xF900 && cp < 0xFB00) ||
	       (cp >= 0xFE30 && cp < 0xFE50) || (cp >= 0xFF00 && cp < 0xFF61) ||
	       (cp >= 0xFFE0 && cp < 0xFFE7) || cp >= 0x20000;
}

/* Display columns of n bytes of UTF-8: East Asian wide characters take
 * two, so Chinese wrapped at 36 characters reads as 72 columns. *chars
 * gets the number of characters (invalid bytes count as one). */
static size_t columns(const char *s, size_t n, size_t *chars)
{
	size_t cols = 0;

	*chars = 0;
	for (size_t i = 0; i < n; ++*chars) {
		uint32_t cp;
		size_t k;
		if ((unsigned char)s[i] < 0x80) { /* ASCII: one column */
			i++;
			cols++;
			continue;
		}
		k = wn_utf8_next((const unsigned char *)s + i, n - i, &cp);
		if (!k) {
			i++;
			cols++;
			continue;
		}
		i += k;
		cols += wide(cp) ? 2 : 1;
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

/* The wrap width: the 95th percentile of the lengths of the non-empty
 * lines no longer than cap. */
static size_t wrap_width(const span *v, size_t m, size_t cap)
{
	size_t *lens = malloc((m ? m : 1) * sizeof *lens), k = 0, w;

	if (!lens)
		return 0;
	for (size_t i = 0; i < m; i++)
		if (v[i].len && v[i].cps <= cap)
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
 * a within width w (in columns, or in characters when by_chars): then the
 * break is the author's, not a wrap. */
static int word_fits(const char *t, const span *a, const span *b, size_t w, int by_chars)
{
	size_t k = 0, chars, cols;

	while (k < b->len && t[b->at + k] != ' ')
		k++;
	cols = columns(t + b->at, k, &chars);
	return a->cps + 1 + (by_chars ? chars : cols) <= w;
}

/* True when line i (i + 1 < m) is full at width w (three quarters of it
 * or more, and no longer than cap) and text other than a list item
 * follows it: the lines a wrap may have broken. */
static int full_before_text(const char *t, const span *v, size_t i, size_t w, size_t cap)
{
	return v[i].len && v[i].cps * 4 >= w * 3 && v[i].cps <= cap && v[i + 1].len &&
	       !starts_item(t + v[i + 1].at, v[i + 1].len);
}

/* True when width w explains the breaks after the full lines: greedy
 * wrapping at w breaks a line only where the next word would not fit, so
 * at the true width nearly every full line followed by text is such a
 * break. At a width set too wide by a table's or a menu's lines (the
 * 95th percentile then falls among them), the story's wrapped lines end
 * where their next word would have fitted, and few would be joined. */
static int breaks_explained(const char *t, const span *v, size_t m, size_t w, int by_chars,
                            size_t cap)
{
	size_t full = 0, wrapped = 0;

	for (size_t i = 0; i + 1 < m; i++)
		if (full_before_text(t, v, i, w, cap)) {
			full++;
			wrapped += !word_fits(t, &v[i], &v[i + 1], w, by_chars);
		}
	return wrapped * 2 >= full;
}

/* Measures the lines in columns, or in characters when by_chars, and
 * returns the wrap width, or 0 when the lines do not show a wrap. With a
 * cap, lines longer than it are left out of the width (a table, a
 * preformatted block or a long link overrun any wrap); they must then be
 * few, the full lines many, and lines just over the width rare. */
static size_t find_wrap(span *v, size_t m, int by_chars, size_t cap)
{
	size_t w, full = 0, nonempty = 0, longer = 0, over = 0;

	for (size_t i = 0; i < m; i++)
		v[i].cps = by_chars ? v[i].chars : v[i].cols;
	w = wrap_width(v, m, cap);
	for (size_t i = 0; i < m; i++) {
		nonempty += v[i].len > 0;
		longer += v[i].cps > cap;
		over += v[i].cps * 16 > w * 17 && v[i].cps * 4 <= w * 5;
		full += i + 1 < m && v[i].cps * 4 >= w * 3 && v[i].cps <= cap && v[i + 1].len > 0;
	}
	/* a wrapped text has many full lines; on a page with long menus they
	 * are fewer than 30% of the lines, but then there are many */
	if (w < WRAP_MIN || w > WRAP_MAX || full < 3 ||
	    (full * 10 < nonempty * 3 && full < WRAP_MANY))
		return 0;
	/* and the wrap must show a sharp edge: hardly a line a little over
	 * the width, 6-25% (text with a paragraph per line has as many there
	 * as just under it) */
	if (longer &&
	    (longer * 100 >= nonempty * WRAP_LONGER || full < WRAP_MANY || over * 10 > full))
		return 0;
	return w;
}

/* The wrap width over find_wrap's passes: in columns, then in
 * characters (when wide characters make them differ), then both without
 * the lines over WRAP_MAX (not for blocks). Terminal browsers wrap at a
 * width in columns, html2text at a number of characters: a page of
 * English with a sidebar of Korean teasers shows its wrap only in
 * characters. A wide table shows it only without its lines. The first
 * width that explains the breaks is taken, else the first found; its
 * measure and cap go to *by_chars and *limit, and v is left measured so.
 * Returns 0 when no pass shows a wrap. */
static size_t pick_wrap(const char *t, span *v, size_t m, int blocks, int any_wide, int *by_chars,
                        size_t *limit)
{
	size_t first = 0, first_cap = SIZE_MAX;
	int first_chars = 0;

	for (int pass = 0; pass < (blocks ? 2 : 4); pass++) {
		int chars = pass % 2;
		size_t cap = pass < 2 ? SIZE_MAX : WRAP_MAX;
		size_t w = !chars || any_wide ? find_wrap(v, m, chars, cap) : 0;
		if (!w)
			continue;
		if (breaks_explained(t, v, m, w, chars, cap)) {
			*by_chars = chars, *limit = cap;
			return w;
		}
		if (!first)
			first = w, first_chars = chars, first_cap = cap;
	}
	for (size_t i = 0; first && i < m; i++)
		v[i].cps = first_chars ? v[i].chars : v[i].cols;
	*by_chars = first_chars, *limit = first_cap;
	return first;
}

size_t wn_unwrap(char *t, size_t n, int blocks)
{
	size_t m = 0, cap = 1, o = 0, limit;
	int by_chars, any_wide = 0;
	span *v;

	for (const char *p = memchr(t, '\n', n); p;
	     p = memchr(p + 1, '\n', n - (size_t)(p + 1 - t)))
		cap++;
	v = malloc(cap * sizeof *v);
	if (!v)
		return (size_t)-1;
	for (size_t i = 0; i <= n;) {
		const char *nl = i < n ? memchr(t + i, '\n', n - i) : NULL;
		size_t j = nl ? (size_t)(nl - t) : n;
		v[m].at = i;
		v[m].len = j - i;
		v[m].cols = columns(t + i, j - i, &v[m].chars);
		any_wide |= v[m].cols != v[m].chars;
		m++;
		i = j + 1;
	}
	size_t w = pick_wrap(t, v, m, blocks, any_wide, &by_chars, &limit);
	if (!w) {
		free(v);
		return n;
	}
	for (size_t i = 0; i < m; i++) {
		/* o <= v[i].at always: joins only shrink the text */
		memmove(t + o, t + v[i].at, v[i].len);
		o += v[i].len;
		if (i + 1 == m)
			break;
		if (full_before_text(t, v, i, w, limit) &&
		    !word_fits(t, &v[i], &v[i + 1], w, by_chars)) {
			/* line i now sits at o - len; line i + 1 is untouched */
			span moved = {o - v[i].len, v[i].len, v[i].cps, v[i].cols, v[i].chars};
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
