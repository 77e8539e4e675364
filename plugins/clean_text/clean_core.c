/*
 * clean_text core: line features, junk signals, scoring. See clean_core.h
 * for the model; the weights below are in units of the default threshold
 * (3): one strong signal, or two or three weak ones, drop a line.
 */
#include "clean_core.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "clean_internal.h"
#include "hash.h"
#include "line_model.h"
#include "markup.h"
#include "mojibake.h"
#include "site_memory.h"
#include "text_norm.h"
#include "unwrap.h"
#include "utf8.h"

/* Adds `w` to a line's score and, when the caller asked for the reasons
 * (opts->explain), notes the signal's name. */
static void sig(const doc *d, line *l, double w, const char *name)
{
	size_t k;

	l->score += w;
	if (!d->opts->explain)
		return;
	k = strlen(l->why);
	if (k + strlen(name) + 8 < sizeof l->why)
		snprintf(l->why + k, sizeof l->why - k, "%s%s%+.1f", k ? " " : "", name, w);
}

/* A signal of the line's shape alone (short, symbols, repeated), which
 * the model may overrule inside the story (shape_only). */
static void shape_sig(const doc *d, line *l, double w, const char *name)
{
	sig(d, l, w, name);
	l->shape += w;
}

/* Strips a leading list bullet ("• ", "- ", "* "): gold text keeps list
 * items without their glyph. Numbers ("1.") stay: they are content. */
static size_t bullet_len(const char *s, size_t n)
{
	static const char *const bullets[] = {"\xE2\x80\xA2",
	                                      "\xE2\x97\xA6",
	                                      "\xE2\x96\xAA",
	                                      "\xE2\x97\x8F",
	                                      "\xE2\x96\xA0",
	                                      "\xE2\x96\xBA",
	                                      "\xE2\x96\xB6",
	                                      "\xE2\x9E\xA4",
	                                      "\xC2\xB7",
	                                      "-",
	                                      "*",
	                                      NULL};
	for (int i = 0; bullets[i]; i++) {
		size_t k = strlen(bullets[i]);
		if (n > k + 1 && memcmp(s, bullets[i], k) == 0 && s[k] == ' ')
			return k + 1;
	}
	return 0;
}

/* Sentence-final punctuation, in the scripts we meet. */
static int is_final_punct(uint32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == ';' || cp == 0x2026 ||
	       cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1A || cp == 0xFF1B ||
	       cp == 0x061F || cp == 0x06D4 || cp == 0x0964 || cp == 0xFF0E;
}

/* Closing quotes and brackets that may follow the final punctuation. */
static int is_closer(uint32_t cp)
{
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D || cp == 0x2019 ||
	       cp == 0xBB || cp == 0x300D || cp == 0x300F || cp == 0xFF09;
}

/* Fills terminal/colon_end from the last characters of the line. */
static void line_ending(line *l)
{
	const unsigned char *u = (const unsigned char *)l->s;
	size_t end = l->len;

	for (int step = 0; step < 3 && end > 0; step++) {
		size_t b = end - 1;
		uint32_t cp;
		while (b > 0 && (u[b] & 0xC0) == 0x80)
			b--;
		if (!wn_utf8_decode(u + b, end - b, &cp))
			return;
		if (is_final_punct(cp)) {
			l->terminal = 1;
			l->colon_end = step == 0 && (cp == ':' || cp == 0xFF1A);
			return;
		}
		if (!is_closer(cp))
			return;
		end = b;
	}
}

/* Unicode's space separators (Zs) above ASCII, without a table look-up
 * per character. */
static int space_separator(uint32_t cp)
{
	return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000;
}

/* Counts letters per script and the line's majority script. */
static void line_chars(line *l, size_t *by_script)
{
	const unsigned char *u = (const unsigned char *)l->s;
	size_t count[WN_SCRIPT_COUNT] = {0};
	int best = WN_SCRIPT_NONE;

	for (size_t i = 0; i < l->len;) {
		uint32_t cp;
		size_t k;
		int sc;
		if (u[i] < 0x80) { /* ASCII: only its letters have a script */
			l->nonspace += u[i] != ' ';
			if ((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z') {
				l->letters++;
				count[WN_SCRIPT_LATIN]++;
			}
			i++;
			continue;
		}
		k = wn_utf8_next(u + i, l->len - i, &cp);
		if (!k) {
			i++;
			continue;
		}
		i += k;
		if (cp < 0x80 ? cp != ' ' : !space_separator(cp))
			l->nonspace++;
		sc = wn_script_of(cp);
		if (sc != WN_SCRIPT_NONE) {
			l->letters++;
			count[sc]++;
		}
	}
	for (int sc = 1; sc < WN_SCRIPT_COUNT; sc++) {
		by_script[sc] += count[sc];
		if (count[sc] > count[best])
			best = sc;
	}
	l->script = best;
}

/* The length of the half when a line is one text written twice, with or
 * without a space between ("Two people at a deskTwo people at a desk");
 * 0 otherwise. A text renderer writes an image's alt text and then its
 * title, or a linked image's alt text and then the link's own text, so
 * the doubled line is a picture's label, or (when it is a sentence) a
 * paragraph some markup repeats. The half must hold a letter or digit:
 * a rule of underscores is no text. */
static size_t doubled_half(const char *s, size_t n)
{
	size_t h = n / 2;

	if (n < 8 || (n % 2 == 1 && s[h] != ' ') || memcmp(s, s + n - h, h))
		return 0;
	for (size_t i = 0; i < h; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return h;
	return 0;
}

/* Marks or mends what a renderer writes that a page does not show, in
 * scraped text (its lines trimmed by the normaliser). A doubled line
 * (doubled_half) that is a sentence of 8+ words is written once, the way
 * the page shows it; anything shorter or without a sentence's end is a
 * picture's label, like a line of labels in brackets (wn_label_line), and
 * a button's line (wn_button_line) a control's: all are marked to go
 * (is_junk) after the model has read them as they stand. */
static void renderer_artifacts(line *l)
{
	const char *s = l->s;
	size_t h;

	if (wn_button_line(s, l->len) || wn_label_line(s, l->len)) {
		l->artifact = 1;
		return;
	}
	if (!(h = doubled_half(s, l->len)))
		return;
	if (s[h - 1] && strchr(".!?", s[h - 1]) && wn_text_word_count(s, h) >= 8)
		l->len = h;
	else
		l->artifact = 1;
}

/* Computes the shape of one line; -1 when out of memory. Scraped text's
 * renderer artifacts are mended or marked first (renderer_artifacts). */
static int line_features(line *l, size_t *by_script, int scraped)
{
	size_t flen;
	size_t b = bullet_len(l->s, l->len);

	l->s += b;
	l->len -= b;
	l->bullet = b > 0;
	if (scraped)
		renderer_artifacts(l);
	l->folded = wn_text_casefold(l->s, l->len, &flen);
	if (!l->folded)
		return -1;
	l->bare = malloc(flen + 1);
	if (!l->bare)
		return -1;
	wn_phrases_bare(l->folded, flen, l->bare);
	l->words = wn_text_word_count(l->s, l->len);
	line_chars(l, by_script);
	line_ending(l);
	l->url = strstr(l->folded, "http://") || strstr(l->folded, "https://") ||
	         strstr(l->folded, "www.");
	l->prose = (l->words >= 8 && l->terminal) || l->words >= 30;
	return 0;
}

/* Splits the normalised text into lines and blocks. A text with no blank
 * line at all has one paragraph per line. */
static int split_lines(doc *d, const char *t, size_t n)
{
	size_t cap = 1, i = 0;
	int block = 0, blanks = 0;

	for (const char *p = memchr(t, '\n', n); p;
	     p = memchr(p + 1, '\n', n - (size_t)(p + 1 - t)))
		cap++;
	d->v = calloc(cap, sizeof(line));
	if (!d->v)
		return -1;
	while (i < n) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t j = nl ? (size_t)(nl - t) : n;
		if (j == i) {
			block++;
			blanks++;
		} else {
			d->v[d->n].s = t + i;
			d->v[d->n].len = j - i;
			d->v[d->n].block = block;
			d->n++;
		}
		i = j + 1;
	}
	if (blanks == 0)
		for (size_t k = 0; k < d->n; k++)
			d->v[k].block = (int)k;
	return 0;
}

/* True for a menu or breadcrumb: three or more items of at most three
 * words, separated by | / > » › · or •. */
static int is_menu(const line *l)
{
	static const char *const seps[] = {
	    "|", " / ", " > ", "\xC2\xBB", "\xE2\x80\xBA", "\xC2\xB7", "\xE2\x80\xA2", NULL};
	for (int k = 0; seps[k]; k++) {
		size_t items = 0, sl = strlen(seps[k]);
		const char *p = l->s, *end = l->s + l->len;
		int ok = 1;
		if (!memmem(p, l->len, seps[k], sl))
			continue; /* one item */
		while (ok && p <= end) {
			const char *q = memmem(p, (size_t)(end - p), seps[k], sl);
			if (!q)
				q = end;
			ok = wn_text_word_count(p, (size_t)(q - p)) <= 3;
			items++;
			p = q + sl;
		}
		if (ok && items >= 3)
			return 1;
	}
	return 0;
}

/* True when word w (n bytes) is one of the NULL-terminated list. */
static int word_in(const char *w, size_t n, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !memcmp(w, list[i], n))
			return 1;
	return 0;
}

/* A call to action addressed to the reader on the site's behalf: a short
 * line that opens with an imperative verb of the channel or account kind
 * and names the site as "us"/"our" ("Scan the QR code to follow us on
 * ...", "Sign up for our newsletter", "Download our app", "Support our
 * journalism"). Story text rarely speaks for the site in the imperative.
 * Works on the bare text (case-folded letters); English, German, French,
 * Spanish. */
static int is_cta(const line *l)
{
	static const char *const verbs[] = {
	    "follow",  "subscribe", "sign",      "join",     "like",       "scan",    "download",
	    "support", "register",  "click",     "tap",      "get",        "connect", "donate",
	    "become",  "contact",   "listen",    "watch",    "visit",      "folgen",  "abonnieren",
	    "suivez",  "abonnez",   "rejoignez", "siguenos", "suscribete", "unete",   NULL};
	static const char *const site[] = {"us",      "our",      "uns", "unseren", "unserem",
	                                   "unseren", "nous",     "nos", "notre",   "nuestro",
	                                   "nuestra", "nuestros", NULL};
	const char *p = l->bare, *end = p + strlen(p);
	int first = 1, verb = 0, us = 0;

	if (l->words > 16 || (l->prose && l->words > 12))
		return 0;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != ' ')
			q++;
		if (first)
			verb = word_in(p, (size_t)(q - p), verbs);
		else if (verb && word_in(p, (size_t)(q - p), site))
			us = 1;
		first = 0;
		p = q + 1;
	}
	return verb && us;
}

/* Signals a line carries on its own, wherever it stands. */
static void base_signals(doc *d, line *l)
{
	wn_phrase_hit hit;
	double ph;

	wn_phrases_score(d->opts->phrases, l->folded, l->bare, &hit);
	ph = hit.exact + hit.prefix + (hit.inside > 3 ? 3 : hit.inside);
	if (is_cta(l) && ph < WN_CLEAN_THRESHOLD) {
		sig(d, l, 0, "cta"); /* weighs as a full phrase, below */
		ph = WN_CLEAN_THRESHOLD;
	}
	/* A long paragraph that merely starts with "By" or mentions a
	 * newsletter is still article text: halve the phrase signal. */
	if (l->prose && l->words >= 30)
		ph /= 2;
	if (ph > 0)
		sig(d, l, ph, "phrase");
	l->phrase = ph;
	/* "Related Stories" opens a list; "Read more: <headline>" is the
	 * teaser itself */
	l->opens_list = hit.opens_list && strlen(l->bare) <= hit.list_len + 12;
	if (!l->prose && (l->words <= 12 || l->letters < 30))
		shape_sig(d, l, 1, "short");
	if (l->nonspace >= 3 && l->letters * 2 < l->nonspace)
		shape_sig(d, l, 2, "symbols");
	if (l->url && l->words <= 15)
		sig(d, l, 1, "link");
	if (d->opts->site_boiler && strlen(l->bare) >= WN_CLEAN_MIN_HASHED &&
	    d->opts->site_boiler(d->opts->site_ud, wn_sitemem_hash(l->folded, strlen(l->folded)))) {
		l->site = 1;
		sig(d, l, d->threshold, "site");
	}
	if (l->artifact) /* goes in is_junk; the model reads it as it is */
		sig(d, l, 0, "artifact");
	l->menu = !l->prose && is_menu(l);
	if (l->menu)
		sig(d, l, 3, "menu");
	if (l->letters >= 2 && l->script != d->dominant && d->dominant_share >= 0.6) {
		sig(d, l, 2, "script");
		if (l->letters < 40)
			sig(d, l, 1, "script-short");
	}
}

/* A line's key for grouping equal texts: a hash and its index. */
typedef struct hkey {
	uint64_t h;
	size_t i;
} hkey;

static uint64_t fnv1a(const char *s, size_t n)
{
	return wn_fnv1a64(s, n);
}

static int cmp_hkey(const void *a, const void *b)
{
	const hkey *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Sorted keys of the lines whose bare text has at least `min` bytes,
 * hashing the first `prefix` bytes (0: all). NULL when none or no memory
 * (repetition signals are then skipped, never wrong). */
static hkey *line_keys(const doc *d, size_t min, size_t prefix, size_t *m)
{
	hkey *k = malloc((d->n ? d->n : 1) * sizeof *k);

	*m = 0;
	if (!k)
		return NULL;
	for (size_t i = 0; i < d->n; i++) {
		size_t n = strlen(d->v[i].bare);
		if (n >= min && n > 0)
			k[(*m)++] =
			    (hkey){fnv1a(d->v[i].bare, prefix && prefix < n ? prefix : n), i};
	}
	qsort(k, *m, sizeof *k, cmp_hkey);
	return k;
}

/* Equal lines: a paragraph that reappears later is a teaser (the earlier
 * copy goes), a short line that repeats is a widget, a copy of the
 * headline goes. Equal texts sit next to each other in the sorted keys. */
static void equal_line_signals(doc *d)
{
	size_t m, title = SIZE_MAX;
	hkey *k = line_keys(d, 1, 0, &m);

	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].title)
			title = i;
	for (size_t p = 0; k && p < m; p++) {
		line *a = &d->v[k[p].i];
		int later =
		    p + 1 < m && k[p + 1].h == k[p].h && !strcmp(a->bare, d->v[k[p + 1].i].bare);
		int earlier =
		    p > 0 && k[p - 1].h == k[p].h && !strcmp(a->bare, d->v[k[p - 1].i].bare);
		if (a->title || (!later && !earlier))
			continue;
		a->dup = 1;
		if (title != SIZE_MAX && !strcmp(a->bare, d->v[title].bare)) {
			sig(d, a, 3, "dup-title");
			a->dup_title = 1;
		} else if (a->prose && a->words >= 5 && later)
			sig(d, a, 3, "repeated-later");
		else if (!a->prose)
			shape_sig(d, a, 2, "repeated");
	}
	free(k);
}

/* Teasers: an early line whose text begins a later, longer one (a cut
 * excerpt). Candidates share their first 40 bytes. */
static void teaser_signals(doc *d)
{
	size_t m;
	hkey *k = line_keys(d, 40, 40, &m);

	for (size_t p = 0; k && p < m; p++) {
		line *a = &d->v[k[p].i];
		size_t n = strlen(a->bare);
		/* later lines of the group; bounded so a page of identical
		 * prefixes stays linear */
		for (size_t q = p + 1; q < m && q <= p + 8 && k[q].h == k[p].h; q++) {
			const char *b = d->v[k[q].i].bare;
			if (n < strlen(b) && !strncmp(a->bare, b, n)) {
				sig(d, a, 3, "teaser");
				break;
			}
		}
	}
	free(k);
}

/* An author box: a short name line whose next line starts with the same
 * name ("Jane Roe" / "Jane Roe is a reporter..."), in the second half. */
static void author_box_signals(doc *d)
{
	for (size_t i = d->n / 2; i + 1 < d->n; i++) {
		line *a = &d->v[i], *b = &d->v[i + 1];
		if (a->prose || a->words < 1 || a->words > 4 || a->terminal ||
		    a->letters * 5 < a->nonspace * 4)
			continue;
		if (b->len > a->len && memcmp(b->s, a->s, a->len) == 0 &&
		    (b->s[a->len] == ' ' || b->s[a->len] == '\'' ||
		     (unsigned char)b->s[a->len] == 0xE2)) {
			sig(d, a, 3, "author-name");
			sig(d, b, 2, "author-bio");
		}
	}
}

/* True when a line is shaped like a headline: a few words, no final
 * period, mostly letters, no link, no junk signal. */
static int title_shaped(const doc *d, const line *l, size_t min_words)
{
	return l->words >= min_words && l->words <= 25 && l->s[l->len - 1] != '.' &&
	       l->letters * 2 >= l->nonspace && !l->url && l->score < d->threshold;
}

/* Marks the line above the first paragraph that repeats the record's
 * known title (a page title may add " | Site" to the headline). */
static void match_known_title(doc *d, const char *known)
{
	size_t fl;
	char *f = wn_text_casefold(known, strlen(known), &fl);

	if (!f)
		return;
	wn_phrases_bare(f, fl, f);
	for (size_t i = 0; i < d->n && i < 8; i++) {
		line *l = &d->v[i];
		size_t bl = strlen(l->bare);
		if (bl > 0 && strncmp(f, l->bare, bl) == 0 &&
		    (f[bl] == '\0' || (f[bl] == ' ' && l->words >= 3))) {
			l->title = 1;
			break;
		}
		if (l->prose && l->score < d->threshold)
			break;
	}
	free(f);
}

/* The headline: among the lines before any prose, the first
 * headline-shaped one of four words or more with no junk signal at all
 * (site names, cookie prompts, tickers and menus stand above headlines);
 * failing that, a first line of two or three words. */
static char *find_title(doc *d)
{
	line *pick = NULL;

	if (d->n < 2)
		return NULL;
	if (d->opts->known_title) {
		match_known_title(d, d->opts->known_title);
		return NULL;
	}
	if (d->opts->from_html) /* the extractor took the title from the page */
		return NULL;
	/* stop at the first paragraph that reads as article text */
	for (size_t i = 0; i + 1 < d->n && i < 8 && !pick; i++) {
		line *l = &d->v[i];
		if (l->prose && l->score < d->threshold)
			break;
		if (title_shaped(d, l, 4) && l->phrase == 0 && !memchr(l->s, '|', l->len))
			pick = l;
	}
	if (!pick && title_shaped(d, &d->v[0], 2) && !d->v[0].prose)
		pick = &d->v[0];
	if (!pick)
		return NULL;
	pick->title = 1;
	return strndup(pick->s, pick->len);
}

/* Marks anchors and returns their span [*first, *last]; 0 when none. */
static int find_anchors(doc *d, size_t *first, size_t *last)
{
	int any = 0;

	for (size_t i = 0; i < d->n; i++) {
		line *l = &d->v[i];
		/* a paragraph with any junk phrase ("sign up for our
		 * newsletter...") does not vouch for what surrounds it */
		l->anchor = l->prose && !l->title && l->score < d->threshold && l->phrase == 0;
		if (l->anchor) {
			if (!any)
				*first = i;
			*last = i;
			any = 1;
		}
	}
	return any;
}

/* Position: what stands before the first or after the last article-like
 * paragraph is navigation, tag lines, bylines, widgets and author boxes,
 * unless it continues the article (a list the last paragraph introduces). */
static void position_signals(doc *d)
{
	size_t first = 0, last = 0;
	int list_ok;

	if (!find_anchors(d, &first, &last))
		return;
	for (size_t i = 0; i < first; i++) {
		line *l = &d->v[i];
		l->head = 1;
		if (!l->title && !l->prose)
			sig(d, l, l->words <= 3 && !l->terminal ? 2 : 1, "head");
	}
	list_ok = d->v[last].colon_end;
	for (size_t i = last + 1; i < d->n; i++) {
		line *l = &d->v[i];
		l->tail = 1;
		if (list_ok && !l->prose && l->score < d->threshold && l->words <= 25)
			continue;
		list_ok = 0;
		/* a short closing sentence ("The trial resumes on Monday.") is
		 * still article text unless something else marks it */
		sig(d, l,
		    l->prose || (l->terminal && l->words >= 3 && l->phrase == 0) ? 1.5
		                                                                 : d->threshold,
		    "tail");
	}
	/* A short line right before an article paragraph, inside the
	 * article, reads as a subheading. */
	for (size_t i = first + 1; i < last; i++) {
		line *l = &d->v[i];
		if (!l->prose && d->v[i + 1].anchor && l->phrase < 3 &&
		    l->letters * 2 >= l->nonspace)
			sig(d, l, -1, "subheading");
	}
}

/* Teaser lists: the short lines after a "Related"-style heading, and runs
 * of three or more headline-shaped lines. */
static void list_signals(doc *d)
{
	size_t run = 0;

	for (size_t i = 0; i < d->n; i++) {
		if (!d->v[i].opens_list || d->v[i].score < d->threshold)
			continue;
		for (size_t j = i + 1; j < d->n && !d->v[j].opens_list; j++) {
			line *l = &d->v[j];
			/* a headline that reads as a sentence ("Is the city
			 * running out of...?") inside a block of headlines is
			 * still one of them; prose elsewhere ends the list */
			int in_list = j > i + 1 && l->block == d->v[j - 1].block &&
			              !d->v[j - 1].prose && l->words <= 20;
			if (l->anchor && !in_list)
				break;
			if (!l->prose || in_list) /* surest in the heading's block */
				sig(d, l, l->block == d->v[i].block || in_list ? 3 : 2,
				    "teaser-list");
		}
	}
	for (size_t i = 0; i <= d->n; i++) {
		line *l = i < d->n ? &d->v[i] : NULL;
		if (l && !l->prose && !l->terminal && l->words >= 3 && l->words <= 20) {
			run++;
			continue;
		}
		/* a list the previous line introduces ("...:") is content */
		if (run >= 3 && !(i - run > 0 && d->v[i - run - 1].colon_end))
			for (size_t j = i - run; j < i; j++) {
				sig(d, &d->v[j], 1, "headline-run");
				d->v[j].layout += 1;
			}
		run = 0;
	}
}

/* The dominant script: the one with most letters. */
static void dominant_script(doc *d, const size_t *by_script)
{
	size_t total = 0;

	d->dominant = WN_SCRIPT_NONE;
	for (int sc = 1; sc < WN_SCRIPT_COUNT; sc++) {
		total += by_script[sc];
		if (by_script[sc] > by_script[d->dominant])
			d->dominant = sc;
	}
	d->dominant_share = total ? (double)by_script[d->dominant] / (double)total : 0;
}

/* The model's decision: p of d->keep (wn_lm_keep, picked by the
 * trainer's cross-validation), or 0.6 times that for an anchor (a
 * sentence the rules vouch for). On the held-back dev dumps the lower
 * anchor threshold cost nothing (0.897 either way), and it keeps the
 * paragraphs of short texts, unlike the dev pages, that the model is
 * unsure about. */
#define ANCHOR_SHARE 0.6

static int model_keeps(const doc *d, const line *l)
{
	return l->p >= (l->anchor ? ANCHOR_SHARE * d->keep : d->keep);
}

/* Lines the rules would drop for their shape alone (short, digits and
 * symbols, repeated: under 1 of their score from anything else) stay
 * inside the story, between its first and last paragraphs, when the model
 * is this sure they are article text. Those signals find menus and
 * tickers on a page dump, but inside a story they also hit a directory's
 * addresses and phone numbers, a plan's repeated headings, a review's
 * "– Ali***": the model reads them in context. Chosen on the fit part's
 * dumps (articles 0.9373 at no override, 0.9375, 0.9377, 0.9376 and
 * 0.9375 from 0.9, 0.8, 0.7 and 0.6); see the README. */
#define SHAPE_TRUST 0.8

/* A line no other line repeats, dropped for its shape and its layout
 * alone (short, digits and symbols, in a run of headline-shaped lines),
 * is a table's cells or a listicle's item names more often than junk
 * inside the story: there it stays when the model gives it this or more.
 * On the fit part's dumps, with the model unchanged, 0.4, 0.5 and 0.6 did
 * the same (+0.0003); a repeated line needs SHAPE_TRUST (at 0.5 the fit
 * part's w3m and lynx dumps lost 0.0006 and 0.0004). */
#define LAYOUT_TRUST 0.5

static int shape_only(const doc *d, const line *l)
{
	if (d->rules_only || l->head || l->tail)
		return 0;
	if (l->score - l->shape < 1 && l->p >= SHAPE_TRUST)
		return 1;
	return !l->dup && l->score - l->shape - l->layout < 1 && l->p >= LAYOUT_TRUST;
}

/* The decision. After clean_html only what it cannot know goes: lines the
 * phrase list marks (feed and syndication footers, credits, copyright
 * lines, widget words) when short or after the last paragraph, and a copy
 * of the headline; sentences inside the article stay, as clean_html chose
 * their block. Otherwise a line goes when the rule signals
 * reach the threshold (structure the rules know for sure: a repeated
 * headline, a teaser the article repeats, a menu, a phrase-list line) or
 * when the line model reads it as not article text. When the model would
 * keep nothing (a one-line note, a text unlike any page it learnt from),
 * the rules alone decide: an empty output is a failure, not a cleaning. */
static int is_junk(const doc *d, const line *l)
{
	if (d->opts->from_html)
		return !d->rules_only && ((l->phrase >= WN_CLEAN_THRESHOLD && !l->field &&
		                           (l->tail || (l->words <= 8 && !l->prose))) ||
		                          l->dup_title || l->site);
	if (l->artifact || (l->score >= d->threshold && !shape_only(d, l)))
		return 1;
	return !d->rules_only && !model_keeps(d, l);
}

/* True when the model keeps line i (and the rules do). */
static int kept(const doc *d, size_t i)
{
	const line *l = &d->v[i];
	return !l->title && model_keeps(d, l) && l->score < d->threshold;
}

/* The kept line nearest to i in direction dir (+1 or -1), looking through
 * the lines the rules drop; SIZE_MAX when the next other line is not kept. */
static size_t kept_neighbour(const doc *d, size_t i, int dir)
{
	for (size_t j = i + (size_t)dir; j < d->n; j += (size_t)dir) {
		if (d->v[j].score >= d->threshold || d->v[j].title)
			continue;
		return kept(d, j) ? j : SIZE_MAX;
	}
	return SIZE_MAX;
}

/* Structure the model does not see line by line: a short run (a
 * subheading, a short list, an aside) between two kept lines is part of
 * the article, and so is a sentence next to a kept line (a closing quote,
 * "The hearing resumes in June."), when the rules keep them. Lines the
 * rules drop (a photo credit, a "Read more" teaser) do not break a run. */
static void mend_runs(doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		size_t j = i, run = 0;
		line *l = &d->v[i];
		if (kept(d, i) || l->score >= d->threshold || l->title || l->url)
			continue;
		size_t prev = kept_neighbour(d, i, -1);
		/* a list the previous kept line introduces ("...:") may be long */
		size_t max = prev != SIZE_MAX && d->v[prev].colon_end ? 25 : 3;
		while (j < d->n && run < max && !kept(d, j) && !d->v[j].url && !d->v[j].title) {
			run += d->v[j].score < d->threshold;
			j++;
		}
		if (prev != SIZE_MAX && j < d->n && kept(d, j)) {
			for (size_t k = i; k < j; k++)
				if (d->v[k].score < d->threshold) {
					d->v[k].p = d->keep;
					d->v[k].mended = 1;
				}
		} else if (l->terminal && l->words >= 3 && l->phrase < WN_CLEAN_THRESHOLD &&
		           (prev != SIZE_MAX || kept_neighbour(d, i, 1) != SIZE_MAX)) {
			l->p = d->keep;
			l->mended = 1;
		}
	}
}

/* True for a comment's header: a short line that names who wrote what
 * follows ("Sharon says", "Amy wrote:", "Tom replied"), the shape
 * WordPress and Disqus-style templates print. */
static int comment_header(const line *l)
{
	/* not "said:", which forums print over a quoted post */
	static const char *const verbs[] = {"says",    "wrote",     "writes", "replied",
	                                    "replies", "commented", NULL};
	const char *b = l->bare, *w;
	size_t n = strlen(b);

	if (l->words < 2 || l->words > 10 || (l->terminal && !l->colon_end) || !n)
		return 0;
	w = b + n;
	while (w > b && w[-1] != ' ')
		w--;
	return word_in(w, (size_t)(b + n - w), verbs);
}

/* A short line that opens a comment section ("109 Comments", "Reader
 * Interactions", "Leave a Reply", "Join the discussion"). */
static int comments_heading(const line *l)
{
	return l->words <= 6 && !l->prose &&
	       (strstr(l->bare, "comment") || strstr(l->bare, "leave a reply") ||
	        strstr(l->bare, "interactions") || strstr(l->bare, "discussion") ||
	        strstr(l->bare, "responses"));
}

/* True when s opens a quotation: ", “, ‘ or «. */
static int opens_quote(const char *s)
{
	return *s == '"' || !strncmp(s, "\u201c", 3) || !strncmp(s, "\u2018", 3) ||
	       !strncmp(s, "\u00ab", 2);
}

/* A heading that counts the comments on the post it names ("59 Comments
 * on “...”", "12 Responses to “...”", "3 thoughts on “...”", "7
 * Kommentare zu ...", "15 Replies to “...”"): the count says that what
 * follows is readers' comments, whatever their headers look like. Not a
 * bare "9 Comments": a Q&A page counts the comments under its question,
 * and its answers follow; nor "replies" or "posts" without a quoted
 * title, which a forum thread counts ("20 replies to this topic").
 * html2text's heading frame ("***** 59 Comments on ...") is skipped. */
static int comment_count(const line *l)
{
	static const char *const nouns[] = {
	    "comments on ",     "comment on ",     "responses to ",
	    "response to ",     "thoughts on ",    "thought on ",
	    "kommentare zu ",   "kommentar zu ",   "commentaires sur ",
	    "commentaire sur ", "comentarios en ", "comentarios sobre ",
	    "commenti su ",     "reacties op ",    NULL};
	const char *f = l->folded;
	size_t k = 0;

	if (l->words > 20 || l->prose)
		return 0;
	while (*f == '*' || *f == ' ')
		f++;
	while (f[k] >= '0' && f[k] <= '9')
		k++;
	if (!k || f[k] != ' ')
		return 0;
	f += k + 1;
	for (size_t j = 0; nouns[j]; j++)
		if (!strncmp(f, nouns[j], strlen(nouns[j])))
			return 1;
	if (!strncmp(f, "replies to ", 11))
		return opens_quote(f + 11);
	return !strncmp(f, "reply to ", 9) && opens_quote(f + 9);
}

/* A comment thread after the article: from the first of two or more
 * comment headers that follow four kept paragraphs and a heading that
 * opens a comment section, every line goes (readers' comments are not
 * the article, however well written). A forum thread, whose posts are
 * the content, has no such heading between its posts. */
static void comment_thread(doc *d)
{
	size_t body = 0, first = SIZE_MAX, heads = 0;
	int opened = 0;

	for (size_t i = 0; i < d->n; i++) {
		const line *l = &d->v[i];
		if (first == SIZE_MAX && l->prose && l->p >= 0.5) {
			body++;
			opened = 0; /* the heading must follow the body */
		}
		if (body >= 4 && first == SIZE_MAX && comment_count(l)) {
			first = i;
			heads = 2; /* the count vouches for the thread */
		}
		opened |= body >= 4 && comments_heading(l);
		if (comment_header(l)) {
			if (first == SIZE_MAX && opened)
				first = i;
			heads += first != SIZE_MAX;
		}
	}
	if (first == SIZE_MAX || heads < 2)
		return;
	for (size_t i = first; i < d->n; i++) {
		d->v[i].p = 0;
		if (d->v[i].score < d->threshold)
			sig(d, &d->v[i], 0, "comments");
	}
}

/* A paragraph: a line of this many words or more (closing_bio,
 * story_edges). */
#define EDGE_PROSE 8

/* True when a line reads as an author's or a company's bio: two or three
 * capitalised words (a full name) and then "is a/an/the", "has been/over/
 * more", "co-founded", "founded", "writes", "covers", "joined" ("Sean Peek
 * co-founded ...", "Mara Quill is a staff writer at ..."), 12 words or
 * more. Not one word: a news story's paragraphs open so on the companies,
 * places and things they are about ("Emirates is the number one buyer of
 * ...", "Titan is the only ..."; on AEB's dumps such closing paragraphs
 * went as bios). Nor "is the" and a superlative ("Perfect Privacy is
 * the best ...", "Microsoft Excel is the most common tool"): a review's
 * verdict on the thing it is about. */
static int bio_shaped(const line *l)
{
	static const char *const verbs[] = {"is a ",     "is an ",    "is the ",     "has been ",
	                                    "has over ", "has more ", "co-founded ", "founded ",
	                                    "writes ",   "covers ",   "joined ",     NULL};
	static const char *const most[] = {"most",    "best",    "only",     "number",  "largest",
	                                   "biggest", "leading", "cheapest", "easiest", "fastest",
	                                   "least",   "worst",   NULL};
	const char *p = l->s, *end = l->s + l->len;

	if (l->words < 12)
		return 0;
	for (int names = 0; names < 4; names++) {
		const char *w = p;
		if (names > 1)
			for (size_t j = 0; verbs[j]; j++) {
				size_t vl = strlen(verbs[j]);
				if ((size_t)(end - p) <= vl || strncmp(p, verbs[j], vl))
					continue;
				const char *x = p + vl, *e = x;
				while (e < end && *e != ' ')
					e++;
				return strcmp(verbs[j], "is the ") ||
				       !word_in(x, (size_t)(e - x), most);
			}
		if (names == 3 || p >= end || *p < 'A' || *p > 'Z')
			return 0;
		while (p < end && *p != ' ')
			p++;
		if (p - w < 2 || p >= end)
			return 0;
		p++;
	}
	return 0;
}

/* An author's bio closing the article: after four kept paragraphs, a
 * bio-shaped line among the last three paragraphs kept (lines of
 * EDGE_PROSE words or more, as the decision keeps them) goes; the model
 * reads it as prose like the story's. Paragraphs, not lines: a bio box's
 * short lines ("Follow her on X", a site's tag line) would push the bio
 * out of the window. */
static void closing_bio(doc *d)
{
	size_t body = 0, last = 0;

	for (size_t i = 0; i < d->n; i++)
		body += d->v[i].prose && d->v[i].p >= 0.5 && d->v[i].score < d->threshold;
	if (body < 4)
		return;
	for (size_t i = d->n; i-- > 0 && last < 3;) {
		line *l = &d->v[i];
		if (l->title || l->words < EDGE_PROSE || is_junk(d, l))
			continue;
		last++;
		if (bio_shaped(l)) {
			l->p = 0;
			sig(d, l, 0, "bio");
		}
	}
}

/* The story's edges: the span from the first to the last line the model
 * keeps on its own evidence (not mended by mend_runs) with EDGE_PROSE
 * words or more. Outside it, the short lines kept for their neighbours'
 * sake are mostly a site's: a menu's items under the last paragraph, a
 * byline's and a share bar's words above the first. */
/* Outside the span, a kept line under EDGE_WORDS words that does not end
 * a sentence goes; a sentence ("The hearing resumes in June.") stays. The
 * sizes and the sentence exemption were chosen by the cross-validation on
 * the fit part (README.md); a bar on p added nothing there. */
#define EDGE_WORDS 12

/* Drops the short non-sentences kept outside the story's span; one pass
 * to find it and one to trim, so linear. */
static void story_edges(doc *d)
{
	size_t first = SIZE_MAX, last = 0;

	for (size_t i = 0; i < d->n; i++)
		if (kept(d, i) && !d->v[i].mended && d->v[i].words >= EDGE_PROSE) {
			if (first == SIZE_MAX)
				first = i;
			last = i;
		}
	if (first == SIZE_MAX)
		return;
	for (size_t i = 0; i < d->n; i++) {
		line *l = &d->v[i];
		if ((i < first || i > last) && kept(d, i) && l->words < EDGE_WORDS &&
		    !l->terminal) {
			l->p = 0;
			sig(d, l, 0, "edge");
		}
	}
}

/* A line's "label:" (its folded text up to a colon in the first 40
 * bytes, the colon included) for grouping equal labels. */
typedef struct label_key {
	const char *s;
	size_t len, i;
} label_key;

static int cmp_label(const void *a, const void *b)
{
	const label_key *x = a, *y = b;
	int c;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->s, y->s, x->len);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Marks "Label: value" lines whose label (up to a colon in the first 40
 * bytes) three or more lines share: the fields of a listing's items
 * ("Published By: ..." under each game), data clean_html chose to keep,
 * not a credit line. Equal labels are grouped by sorting, so a page of
 * many fields stays n log n. */
static void field_runs(doc *d)
{
	label_key *k = malloc((d->n ? d->n : 1) * sizeof *k);
	size_t m = 0;

	if (!k)
		return; /* no memory: no field kept, as before the rule */
	for (size_t i = 0; i < d->n; i++) {
		const char *f = d->v[i].folded, *c = memchr(f, ':', strnlen(f, 40));
		if (c && c > f)
			k[m++] = (label_key){f, (size_t)(c - f) + 1, i};
	}
	qsort(k, m, sizeof *k, cmp_label);
	for (size_t a = 0, b; a < m; a = b) {
		for (b = a + 1; b < m && k[b].len == k[a].len && !memcmp(k[b].s, k[a].s, k[a].len);)
			b++;
		for (size_t j = a; b - a >= 3 && j < b; j++)
			d->v[k[j].i].field = 1;
	}
	free(k);
}

/* After clean_html: when the phrase lines are all there is ("Skip to
 * content", a cookie prompt), clean_html failed on the page; keep its text
 * (an empty text would hide the failure as a clean page). */
static void check_html(doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (!is_junk(d, &d->v[i]))
			return;
	d->rules_only = 1;
}

/* Sets d->rules_only when the model keeps no line the rules keep. */
static void check_model(doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->v[i].title && d->v[i].p >= 0.5 && d->v[i].score < d->threshold)
			return;
	d->rules_only = 1;
}

/* Joins the kept lines: "\n" inside a block, "\n\n" between blocks. */
static int assemble(doc *d, size_t total, wn_clean_result *res)
{
	char *out = malloc(total + 2 * d->n + 1);
	size_t o = 0, words = 0;
	int prev_block = -1;

	if (!out)
		return -1;
	for (size_t i = 0; i < d->n; i++) {
		line *l = &d->v[i];
		int drop = l->title || is_junk(d, l);
		if (d->opts->explain) {
			char why[200];
			snprintf(why, sizeof why, "p=%.2f %s", l->p, l->title ? "title" : l->why);
			d->opts->explain(d->opts->explain_ud, l->s, l->len, l->score, drop, why);
		}
		if (drop) {
			res->dropped += !l->title;
			res->site_dropped += !l->title && l->site;
			continue;
		}
		if (o > 0) {
			out[o++] = '\n';
			if (l->block != prev_block)
				out[o++] = '\n';
		}
		memcpy(out + o, l->s, l->len);
		o += l->len;
		words += l->words;
		prev_block = l->block;
	}
	out[o] = '\0';
	res->text = out;
	res->text_len = o;
	res->words = words; /* a word never spans a newline: the lines' sum */
	return 0;
}

/* The site memory's hashes of the text's lines (site_memory.h). */
static int line_hashes(const doc *d, wn_clean_result *res)
{
	res->hashes = malloc((d->n ? d->n : 1) * sizeof *res->hashes);
	if (!res->hashes)
		return -1;
	for (size_t i = 0; i < d->n; i++)
		if (strlen(d->v[i].bare) >= WN_CLEAN_MIN_HASHED)
			res->hashes[res->n_hashes++] =
			    wn_sitemem_hash(d->v[i].folded, strlen(d->v[i].folded));
	return 0;
}

static void free_doc(doc *d)
{
	for (size_t i = 0; d->v && i < d->n; i++) {
		free(d->v[i].folded);
		free(d->v[i].bare);
	}
	free(d->v);
}

/* The normalised text (wn_text_normalize) with mojibake repaired first:
 * normalisation drops the C1 controls that "â\u0080\u0099" holds, after
 * which "’" could not be told back. NULL when out of memory. */
static char *normalize(const char *in, size_t n, size_t *tlen)
{
	char *copy, *t;

	if (!wn_mojibake_maybe(in, n))
		return wn_text_normalize(in, n, tlen);
	copy = malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, in, n);
	t = wn_text_normalize(copy, wn_mojibake_fix(copy, n), tlen);
	free(copy);
	return t;
}

/* Scraped text's output and title without the character references a
 * renderer left ("don&#x27;t", "&amp;") and the renderer's link
 * underscores (when `links`), asterisk frames, button marks and picture
 * labels (markup.h); the word count follows. */
static void unmark_result(wn_clean_result *res, int links)
{
	size_t n = wn_text_unescape_html(res->text, res->text_len);

	n = wn_unmark(res->text, n, links);
	if (links || n != res->text_len)
		res->words = wn_text_word_count(res->text, n);
	res->text_len = n;
	if (res->title) {
		wn_text_unescape_html(res->title, strlen(res->title));
		wn_unmark(res->title, strlen(res->title), links);
	}
}

int wn_clean_text(const char *in, size_t n, const wn_clean_opts *opts, wn_clean_result *res)
{
	size_t by_script[WN_SCRIPT_COUNT] = {0}, tlen;
	wn_clean_opts defaults = {0};
	char *t = normalize(in, n, &tlen);
	doc d = {0};
	int rc = -1, links;

	memset(res, 0, sizeof *res);
	if (!t)
		return -1;
	d.opts = opts ? opts : &defaults;
	if ((tlen = wn_unwrap(t, tlen, d.opts->from_html)) == (size_t)-1)
		goto out;
	/* link underscores are undone in the output only: the line model
	 * learnt the dumps as the renderers wrote them (README.md) */
	links = !d.opts->from_html && wn_unmark_links(t, tlen);
	d.threshold = d.opts->threshold > 0 ? d.opts->threshold : WN_CLEAN_THRESHOLD;
	d.keep = d.opts->lm_keep > 0 ? d.opts->lm_keep : wn_lm_keep;
	if (split_lines(&d, t, tlen))
		goto out;
	for (size_t i = 0; i < d.n; i++)
		if (line_features(&d.v[i], by_script, !d.opts->from_html))
			goto out;
	dominant_script(&d, by_script);
	for (size_t i = 0; i < d.n; i++)
		base_signals(&d, &d.v[i]);
	res->title = d.n ? find_title(&d) : NULL;
	equal_line_signals(&d);
	teaser_signals(&d);
	author_box_signals(&d);
	position_signals(&d);
	list_signals(&d);
	if (!d.opts->from_html) {
		if (wn_lm_predict(&d))
			goto out;
		mend_runs(&d);
		wn_lm_story_end(&d);
		comment_thread(&d);
		closing_bio(&d);
		story_edges(&d);
		check_model(&d);
	} else {
		field_runs(&d);
		check_html(&d);
	}
	res->lines = d.n;
	rc = assemble(&d, tlen, res);
	if (!rc && !d.opts->from_html)
		unmark_result(res, links);
	if (!rc && d.opts->want_hashes)
		rc = line_hashes(&d, res);
out:
	free_doc(&d);
	free(t);
	if (rc)
		wn_clean_result_free(res);
	return rc;
}

void wn_clean_result_free(wn_clean_result *res)
{
	free(res->text);
	free(res->title);
	free(res->hashes);
	memset(res, 0, sizeof *res);
}
