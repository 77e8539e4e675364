/*
 * lang_detect core. See lang_core.h.
 */
#include "lang_core.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <textcat.h>
#include <unistd.h>

#include "text_norm.h"
#include "utf8.h"

/* Texts with fewer letters are not classified by n-grams. */
#define MIN_LETTERS 12
/* Letters at which length stops adding confidence. */
#define FULL_LETTERS 100.0
/* libexttextcat keeps candidates scoring within 3% of the best. */
#define TEXTCAT_SPREAD 0.03

struct wn_langid {
	void *tc;          /* textcat handle */
	candidate_t *cand; /* its result buffer */
	char allowed[512]; /* " en de fr " when restricted, else "" */
};

/* Three-letter codes whose language has a two-letter code textcat does not
 * use, and textcat's own spellings. */
static const char *const iso_fix[][2] = {{"sh", "sr"},  {"plt", "mg"}, {"quz", "qu"},
                                         {"ckb", "ku"}, {"gug", "gn"}, {NULL, NULL}};

void wn_langid_iso(const char *name, char *out)
{
	size_t k = 0;

	while (name[k] && name[k] != '-' && k < 11) {
		out[k] = (char)tolower((unsigned char)name[k]);
		k++;
	}
	out[k] = '\0';
	for (int i = 0; iso_fix[i][0]; i++)
		if (!strcmp(out, iso_fix[i][0]))
			strcpy(out, iso_fix[i][1]);
}

void wn_lang_tag_primary(const char *tag, char *out)
{
	/* withdrawn ISO 639-1 codes pages still use */
	static const char *const old[][2] = {
	    {"iw", "he"}, {"in", "id"}, {"ji", "yi"}, {NULL, NULL}};
	size_t k = 0;

	while (*tag == ' ')
		tag++;
	while (tag[k] && tag[k] != '-' && tag[k] != '_' && tag[k] != ' ' && k < 11) {
		out[k] = (char)tolower((unsigned char)tag[k]);
		k++;
	}
	out[k] = '\0';
	for (int i = 0; old[i][0]; i++)
		if (!strcmp(out, old[i][0]))
			strcpy(out, old[i][1]);
}

int wn_lang_same(const char *declared, const char *detected)
{
	char a[12], b[12];

	wn_lang_tag_primary(declared, a);
	wn_lang_tag_primary(detected, b);
	if (!strcmp(a, b))
		return 1;
	/* "no" (Norwegian) covers both written standards */
	return !strcmp(a, "no") && (!strcmp(b, "nb") || !strcmp(b, "nn"));
}

/* True when `code` may be answered. */
static int allowed(const wn_langid *d, const char *code)
{
	char key[16];

	if (!d->allowed[0])
		return 1;
	snprintf(key, sizeof key, " %s ", code);
	return strstr(d->allowed, key) != NULL;
}

/* Writes a copy of fpdb.conf keeping only the allowed languages into a
 * temporary file; returns its path in tmp (unlinked by the caller). */
static int filtered_conf(const wn_langid *d, const char *conf, char *tmp, size_t cap, int *kept)
{
	FILE *in = fopen(conf, "r"), *out;
	char line[512];
	int fd;

	if (!in)
		return -1;
	snprintf(tmp, cap, "%s/wn-langid-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0 || !(out = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		fclose(in);
		return -1;
	}
	*kept = 0;
	while (fgets(line, sizeof line, in)) {
		char file[256], name[128], code[12];
		if (line[0] == '#' || sscanf(line, "%255s %127s", file, name) != 2)
			continue;
		wn_langid_iso(name, code);
		if (allowed(d, code)) {
			fputs(line, out);
			(*kept)++;
		}
	}
	fclose(in);
	return fclose(out) ? -1 : 0;
}

wn_langid *wn_langid_open(const char *data_dir, const char *const *langs, char *err, size_t errcap)
{
	wn_langid *d = calloc(1, sizeof *d);
	char conf[4096], prefix[4096], tmp[4200];
	int kept = 0, restricted = 0;

	if (!d) {
		snprintf(err, errcap, "out of memory");
		return NULL;
	}
	for (size_t i = 0; langs && langs[i]; i++) {
		char code[12];
		size_t k = strlen(d->allowed);
		wn_lang_tag_primary(langs[i], code);
		if (!k)
			d->allowed[k++] = ' ';
		if (k + strlen(code) + 2 < sizeof d->allowed)
			snprintf(d->allowed + k, sizeof d->allowed - k, "%s ", code);
		restricted = 1;
	}
	snprintf(conf, sizeof conf, "%s/fpdb.conf", data_dir);
	snprintf(prefix, sizeof prefix, "%s/", data_dir);
	if (restricted) {
		if (filtered_conf(d, conf, tmp, sizeof tmp, &kept)) {
			snprintf(err, errcap, "%s: %s", conf, strerror(errno));
			free(d);
			return NULL;
		}
		if (kept > 0)
			d->tc = special_textcat_Init(tmp, prefix);
		unlink(tmp);
	} else {
		d->tc = special_textcat_Init(conf, prefix);
	}
	if (!d->tc) {
		snprintf(err, errcap,
		         restricted && !kept ? "none of the languages listed is known"
		                             : "cannot load the language models in %s "
		                               "(package libexttextcat-data)",
		         data_dir);
		free(d);
		return NULL;
	}
	d->cand = textcat_GetClassifyFullOutput(d->tc);
	if (!d->cand) {
		snprintf(err, errcap, "out of memory");
		wn_langid_close(d);
		return NULL;
	}
	return d;
}

void wn_langid_close(wn_langid *d)
{
	if (!d)
		return;
	if (d->cand)
		textcat_ReleaseClassifyFullOutput(d->tc, d->cand);
	if (d->tc)
		textcat_Done(d->tc);
	free(d);
}

/* Counts letters per script in the first n bytes. */
static size_t count_scripts(const char *s, size_t n, size_t *by)
{
	size_t letters = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = wn_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		int sc;
		if (!k) {
			i++;
			continue;
		}
		i += k;
		sc = wn_script_of(cp);
		if (sc != WN_SCRIPT_NONE) {
			by[sc]++;
			letters++;
		}
	}
	return letters;
}

/* Languages that a script alone tells; NULL when n-grams must decide. */
static const char *script_language(const size_t *by, size_t letters, double *share)
{
	static const struct {
		int script;
		const char *code;
	} unique[] = {{WN_SCRIPT_HANGUL, "ko"},   {WN_SCRIPT_GREEK, "el"},
	              {WN_SCRIPT_THAI, "th"},     {WN_SCRIPT_GEORGIAN, "ka"},
	              {WN_SCRIPT_ARMENIAN, "hy"}, {WN_SCRIPT_HEBREW, "he"}};
	size_t cjk = by[WN_SCRIPT_HAN] + by[WN_SCRIPT_KANA];

	/* Japanese mixes kana into Han; Chinese has none. */
	if (cjk * 2 > letters) {
		*share = (double)cjk / (double)letters;
		return by[WN_SCRIPT_KANA] * 20 > cjk ? "ja" : "zh";
	}
	for (size_t i = 0; i < sizeof unique / sizeof unique[0]; i++)
		if (by[unique[i].script] * 2 > letters) {
			*share = (double)by[unique[i].script] / (double)letters;
			return unique[i].code;
		}
	return NULL;
}

/* Confidence from textcat's candidates: one clear winner on a long text is
 * sure; near-ties (close languages) and short texts are not. */
static double textcat_confidence(const candidate_t *c, int n, size_t letters)
{
	double len = letters >= FULL_LETTERS ? 1.0 : (double)letters / FULL_LETTERS;
	double gap;

	if (n <= 1)
		return 0.55 + 0.44 * len;
	gap =
	    c[0].score > 0 ? (double)(c[1].score - c[0].score) / (c[0].score * TEXTCAT_SPREAD) : 0;
	if (gap > 1)
		gap = 1;
	if (gap < 0)
		gap = 0;
	return (0.3 + 0.4 * gap) * (0.6 + 0.4 * len);
}

/* Keeps only the candidates with a two-letter ISO 639-1 code when there is
 * one: textcat's regional varieties and small neighbours (Scots next to
 * English, Rusyn next to Ukrainian) tie with the major language on news text
 * far more often than they are the answer. Returns the new count. */
static int prefer_major(candidate_t *c, int n)
{
	int m = 0;

	for (int i = 0; i < n; i++) {
		char a[12];
		wn_langid_iso(c[i].name, a);
		if (strlen(a) == 2)
			c[m++] = c[i];
	}
	return m > 0 ? m : n;
}

/* Runs textcat; returns the number of distinct ISO candidates (sorted,
 * merged: zh-CN and zh-TW are one answer) left in d->cand. */
static int classify(wn_langid *d, const char *s, size_t n)
{
	int k = textcat_ClassifyFull(d->tc, s, n, d->cand), m = 0;

	for (int i = 0; i < k; i++) {
		char a[12], b[12];
		int dup = 0;
		wn_langid_iso(d->cand[i].name, a);
		for (int j = 0; j < m && !dup; j++) {
			wn_langid_iso(d->cand[j].name, b);
			dup = !strcmp(a, b);
		}
		if (!dup)
			d->cand[m++] = d->cand[i];
	}
	return prefer_major(d->cand, m);
}

int wn_langid_detect(wn_langid *d, const char *text, size_t n, size_t max_bytes, char *code,
                     double *conf)
{
	size_t by[WN_SCRIPT_COUNT] = {0}, letters;
	const char *sc;
	double share = 0;
	int k;

	strcpy(code, WN_LANG_UNDETERMINED);
	*conf = 0;
	if (max_bytes > 0 && n > max_bytes) {
		n = max_bytes;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--; /* do not cut a character in two */
	}
	letters = count_scripts(text, n, by);
	sc = script_language(by, letters, &share);
	if (sc && allowed(d, sc) && letters >= 4) {
		strcpy(code, sc);
		*conf = (0.6 + 0.39 * (letters >= 40 ? 1.0 : (double)letters / 40.0)) * share;
		return 0;
	}
	if (letters < MIN_LETTERS)
		return -1;
	k = classify(d, text, n);
	if (k <= 0)
		return -1;
	wn_langid_iso(d->cand[0].name, code);
	*conf = textcat_confidence(d->cand, k, letters);
	return 0;
}
