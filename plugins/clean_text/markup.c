/*
 * What text renderers write that a page does not show. See markup.h.
 */
#include "markup.h"

#include <ctype.h>
#include <string.h>

#include "stopwords.h"

/* Underscore links that show a text renders links this way: html2text's
 * dumps have dozens, while a page that merely names things with
 * underscores (forum user names, a programmer's snake_case, mostly lower
 * case) rarely shows ten; chosen on the fit part's dumps (README.md). */
#define LINK_SIGNS 10

static int alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

/* True when s[0..k) is lower-case ASCII `low` in any case. */
static int same_lower(const char *s, const char *low, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if ((upper((unsigned char)s[i]) ? s[i] + 32 : s[i]) != low[i])
			return 0;
	return 1;
}

/* True when the token s[0..n) names a file ("Selfoss_waterfall_oct_18.jpg"):
 * its underscores are the file's, not a link's. */
static int file_name(const char *s, size_t n)
{
	static const char *const ext[] = {".jpg", ".jpeg", ".png", ".gif", ".webp",
	                                  ".svg", ".pdf",  ".mp4", ".zip"};

	for (size_t e = 0; e < sizeof ext / sizeof ext[0]; e++) {
		size_t k = strlen(ext[e]);
		for (size_t i = 0; i + k <= n; i++)
			if (same_lower(s + i, ext[e], k))
				return 1;
	}
	return 0;
}

/* End of the token (a run of non-space bytes on one line) at s[i]. */
static size_t token_end(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] != ' ' && s[i] != '\n')
		i++;
	return i;
}

/* Counts the underscores that join a word to a capitalised word
 * ("Cookie_Policy") or follow sentence punctuation ("Bailey,_MS",
 * "vs._Part-Time") outside file names, up to LINK_SIGNS. */
static int link_signs(const char *t, size_t n)
{
	int signs = 0;

	for (size_t i = 0; i < n && signs < LINK_SIGNS;) {
		size_t e = token_end(t, n, i), un = 0;
		for (size_t j = i + 1; j + 1 < e; j++) {
			unsigned char a = (unsigned char)t[j - 1], b = (unsigned char)t[j + 1];
			unsigned char c = j + 2 < e ? (unsigned char)t[j + 2] : ' ';
			un += t[j] == '_' && ((alnum(a) && upper(b) && lower(c)) ||
			                      (strchr(",.;:?!)", a) && a && alnum(b)));
		}
		if (un && !file_name(t + i, e - i))
			signs += (int)un;
		i = e + 1;
	}
	return signs;
}

/* Length of a frame of two or more '*' and a space at the start of
 * s[0..n) that the line's end repeats (" " and as many '*'), else 0. */
static size_t star_frame(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && s[k] == '*')
		k++;
	if (k < 2 || 2 * k + 3 > n || s[k] != ' ' || s[n - k - 1] != ' ')
		return 0;
	for (size_t j = n - k; j < n; j++)
		if (s[j] != '*')
			return 0;
	return k + 1;
}

/* True when the underscores of the token s[0..n) stand for a link's spaces:
 * it is no file name and it has a capitalised part ("Join_now"), a
 * function word after its first part ("no_longer_a_guaranteed", where
 * "is_eligible" is a name), punctuation before an
 * underscore ("Bailey,_MS") or an underscore at an end ("___Top_Content_");
 * "order_date", "MAX_PATH" and "fill in ____" are left as they are. */
static int link_phrase(const char *s, size_t n)
{
	size_t un = 0;

	for (size_t i = 0; i < n; i++)
		un += s[i] == '_';
	if (!un || un == n || file_name(s, n))
		return 0;
	if (s[0] == '_' || s[n - 1] == '_')
		return 1;
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		char low[8];
		while (i + k < n && s[i + k] != '_')
			k++;
		if (k >= 2 && upper((unsigned char)s[i]) && lower((unsigned char)s[i + 1]))
			return 1;
		if (i + k < n && k && strchr(",.;:?!)", s[i + k - 1]))
			return 1;
		if (i && k && k < sizeof low) { /* "is_eligible" is a name */
			for (size_t j = 0; j < k; j++)
				low[j] = upper((unsigned char)s[i + j]) ? (char)(s[i + j] + 32)
				                                        : s[i + j];
			if (wn_is_stopword(low, k))
				return 1;
		}
		i += k + 1;
	}
	return 0;
}

/* Turns the underscores of the token s[0..n) into spaces when they stand
 * for a link's (link_phrase). */
static void split_link(char *s, size_t n)
{
	if (link_phrase(s, n))
		for (size_t i = 0; i < n; i++)
			if (s[i] == '_')
				s[i] = ' ';
}

int wn_unmark_links(const char *t, size_t n)
{
	return link_signs(t, n) >= LINK_SIGNS;
}

/* lynx's mark of a form button: its label follows */
#define BUTTON_MARK "(BUTTON)"

/* The longest text in brackets that is a picture's label, not a note */
#define LABEL_MAX 60

int wn_button_line(const char *s, size_t n)
{
	size_t m = sizeof BUTTON_MARK - 1;

	if (n < m || memcmp(s, BUTTON_MARK, m))
		return 0;
	while (n > m && s[n - 1] == ' ')
		n--;
	return s[n - 1] != '?';
}

/* The length of the label in brackets that opens s (n bytes): "[", 1 to
 * LABEL_MAX bytes without a bracket, "]"; 0 when s opens none. */
static size_t label_len(const char *s, size_t n)
{
	size_t k = 1;

	if (!n || s[0] != '[')
		return 0;
	while (k < n && s[k] != ']' && s[k] != '[')
		k++;
	if (k >= n || s[k] != ']' || k == 1 || k - 1 > LABEL_MAX)
		return 0;
	return k + 1;
}

int wn_label_line(const char *s, size_t n)
{
	size_t i = 0;

	if (!n)
		return 0;
	while (i < n) {
		size_t k = label_len(s + i, n - i);
		if (!k)
			return 0;
		i += k;
		while (i < n && s[i] == ' ')
			i++;
	}
	return 1;
}

/* Blanks lynx's button marks in line s (n bytes): the label is text, the
 * mark a renderer's. */
static void blank_buttons(char *s, size_t n)
{
	size_t m = sizeof BUTTON_MARK - 1;

	for (char *at = memmem(s, n, BUTTON_MARK, m); at;
	     at = memmem(at + m, n - (size_t)(at + m - s), BUTTON_MARK, m))
		memset(at, ' ', m);
}

/* Blanks a picture's label that opens line s (n bytes): html2text and
 * w3m write an image as its alt text in brackets, and a caption or the
 * paragraph beside it follows on the same line ("[Yasaka Pagoda]Yasaka
 * Pagoda in Kyoto"). A label (label_len) of 2 bytes or more holding a
 * letter; a checkbox ("[ ] Book the venue"), a footnote ("[12] ...") and
 * a link in markdown ("[HubSpot](https://...)") are no labels. The line
 * may open with spaces: a button's mark blanked before it. */
static void blank_label(char *s, size_t n)
{
	size_t i = 0, k;
	int letter = 0;

	while (i < n && s[i] == ' ')
		i++;
	k = label_len(s + i, n - i);
	if (k < 4 || (i + k < n && s[i + k] == '('))
		return;
	for (size_t j = i + 1; j + 1 < i + k; j++)
		letter |= isalpha((unsigned char)s[j]) || (unsigned char)s[j] >= 0x80;
	if (letter)
		memset(s + i, ' ', k);
}

size_t wn_unmark(char *t, size_t n, int links)
{
	size_t o = 0, i = 0;

	while (i < n) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - t) : n, f = star_frame(t + i, end - i);
		size_t start = o, next = end;
		if (f) {
			i += f;
			end -= f;
		}
		blank_buttons(t + i, end - i);
		blank_label(t + i, end - i);
		for (size_t k = i; links && k < end;) {
			size_t e = token_end(t, end, k);
			split_link(t + k, e - k);
			k = e + 1;
		}
		for (; i < end; i++) {
			if (t[i] == ' ' && (o == start || t[o - 1] == ' '))
				continue; /* no space at the start, one between words */
			t[o++] = t[i];
		}
		while (o > start && t[o - 1] == ' ')
			o--;
		i = next;
		if (i < n)
			t[o++] = t[i++]; /* the '\n' */
	}
	t[o] = '\0';
	return o;
}
