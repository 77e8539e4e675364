/*
 * MONEY, PERCENT and DATE by rule over the token stream (see rules.h for
 * the value formats). Each recogniser looks at token i and returns the
 * number of tokens it covers (0: no match); the driver tries money, then
 * percent, then dates, so "2024 yuan" is money and never a year.
 */
#include "rules.h"

#include "datetime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct rx {
	const char *s;
	const wn_token *t;
	size_t n;
	const wn_refdate *ref;
	const unsigned char *taken;
} rx;

/* ------------------------------------------------------------ token tests */

static size_t tlen(const rx *x, size_t i)
{
	return x->t[i].end - x->t[i].start;
}

static const char *tp(const rx *x, size_t i)
{
	return x->s + x->t[i].start;
}

/* Token i exists, is free and equals w ignoring ASCII case. */
static int is_w(const rx *x, size_t i, const char *w)
{
	if (i >= x->n || ((tp(x, i)[0] ^ w[0]) & ~0x20)) /* cheap rejection */
		return 0;
	size_t l = strlen(w);
	return i < x->n && !(x->taken && x->taken[i]) && tlen(x, i) == l &&
	       strncasecmp(tp(x, i), w, l) == 0;
}

/* Token i equals one of the NULL-terminated words; returns index+1 or 0. */
static int is_any(const rx *x, size_t i, const char *const *ws)
{
	for (int k = 0; ws[k]; k++)
		if (is_w(x, i, ws[k]))
			return k + 1;
	return 0;
}

static int glued(const rx *x, size_t i)
{
	return i < x->n && !(x->t[i].flags & WN_TOKF_SPACE);
}

static int is_dash(const rx *x, size_t i)
{
	return is_w(x, i, "-") || is_w(x, i, "\xE2\x80\x93") || is_w(x, i, "\xE2\x80\x94");
}

static int is_range_word(const rx *x, size_t i)
{
	return is_dash(x, i) || is_w(x, i, "to") || is_w(x, i, "through");
}

/* ------------------------------------------------------------ numbers */

static const char *const num_words[] = {
    "one",       "two",      "three",    "four",    "five",     "six",      "seven",   "eight",
    "nine",      "ten",      "eleven",   "twelve",  "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen", "twenty",  "thirty",   "forty",    "fifty",   "sixty",
    "seventy",   "eighty",   "ninety",   "hundred", NULL};

static double num_word_value(int k)
{
	if (k <= 20)
		return k;
	if (k <= 27)
		return (k - 18) * 10.0;
	return 100;
}

/* Parses digits with optional thousands commas and one decimal point from
 * p[0..n); returns 1 and *v when the whole range is such a number. */
static int parse_digits(const char *p, size_t n, double *v)
{
	char buf[48];
	size_t k = 0;
	int dot = 0, any = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c >= '0' && c <= '9') {
			any = 1;
		} else if (c == ',' && !dot) {
			continue;
		} else if (c == '.' && !dot) {
			dot = 1;
		} else {
			return 0;
		}
		if (k + 1 >= sizeof buf)
			return 0;
		buf[k++] = c;
	}
	if (!any)
		return 0;
	buf[k] = 0;
	*v = strtod(buf, NULL);
	return 1;
}

/* Multiplier of a glued magnitude suffix ("bn", "m", "k", "tn"), or 0. */
static double suffix_mag(const char *p, size_t n)
{
	static const struct {
		const char *s;
		double m;
	} tab[] = {{"k", 1e3},   {"K", 1e3},   {"m", 1e6}, {"mn", 1e6},  {"M", 1e6},
	           {"bn", 1e9},  {"b", 1e9},   {"B", 1e9}, {"tn", 1e12}, {"trn", 1e12},
	           {"mln", 1e6}, {"bln", 1e9}, {NULL, 0}};
	for (int i = 0; tab[i].s; i++)
		if (strlen(tab[i].s) == n && memcmp(tab[i].s, p, n) == 0)
			return tab[i].m;
	return 0;
}

/* Multiplier of a magnitude word after a hyphen ("8-billion"), or 0. */
static double hyphen_mag(const char *p, size_t n)
{
	static const char *const w[] = {"thousand", "million", "billion", "trillion", NULL};
	for (int i = 0; w[i]; i++)
		if (strlen(w[i]) == n && memcmp(w[i], p, n) == 0)
			return pow(1e3, i + 1);
	return 0;
}

/* A number at token i: digits ("1,200.5"), digits with a glued magnitude
 * ("5bn"), or a number word. *v gets the value; *has_mag says a glued
 * magnitude was applied. Returns 1 on success. */
static int num_at(const rx *x, size_t i, double *v, int *has_mag)
{
	*has_mag = 0;
	if (i >= x->n || (x->taken && x->taken[i]))
		return 0;
	const char *p = tp(x, i);
	size_t n = tlen(x, i);
	if (x->t[i].kind == WN_TOK_NUM)
		return parse_digits(p, n, v);
	if (x->t[i].kind != WN_TOK_WORD)
		return 0;
	size_t k = 0;
	while (k < n && ((p[k] >= '0' && p[k] <= '9') || p[k] == '.' || p[k] == ','))
		k++;
	if (k > 0) {
		double m = suffix_mag(p + k, n - k);
		if (m == 0 && p[k] == '-') /* "$8-billion" */
			m = hyphen_mag(p + k + 1, n - k - 1);
		if (m == 0 || !parse_digits(p, k, v))
			return 0;
		*v *= m, *has_mag = 1;
		return 1;
	}
	int w = is_any(x, i, num_words);
	if (!w)
		return 0;
	*v = num_word_value(w);
	return 1;
}

/* Multiplier of a magnitude word at token i ("billion", "bn"), or 0. */
static double mag_at(const rx *x, size_t i)
{
	static const char *const w[] = {"thousand",  "million", "billion", "trillion", "bn",
	                                "mn",        "tn",      "trn",     "millions", "billions",
	                                "trillions", "mln",     "bln",     NULL};
	static const double m[] = {1e3,  1e6, 1e9, 1e12, 1e9, 1e6, 1e12,
	                           1e12, 1e6, 1e9, 1e12, 1e6, 1e9};
	int k = is_any(x, i, w);
	return k ? m[k - 1] : 0;
}

void wn_format_amount(double v, char *buf, size_t cap)
{
	double r = round(v * 100) / 100;
	if (!isfinite(r) || fabs(r) >= 1e21) {
		snprintf(buf, cap, "%g", v);
		return;
	}
	if (fabs(r - round(r)) < 1e-9) {
		snprintf(buf, cap, "%.0f", r);
		return;
	}
	snprintf(buf, cap, "%.2f", r);
	size_t l = strlen(buf);
	while (l > 0 && buf[l - 1] == '0')
		buf[--l] = 0;
}

/* ------------------------------------------------------------ money */

/* A currency symbol, code or "US$"-style prefix at token i: returns the
 * tokens it covers and sets *code. */
static size_t cur_prefix(const rx *x, size_t i, const char **code)
{
	static const char *const sym[] = {"$",
	                                  "\xE2\x82\xAC",
	                                  "\xC2\xA3",
	                                  "\xC2\xA5",
	                                  "\xE2\x82\xB9",
	                                  "\xE2\x82\xA9",
	                                  "\xE2\x82\xBD",
	                                  "\xE2\x82\xBA",
	                                  NULL};
	static const char *const sym_code[] = {"USD", "EUR", "GBP", "JPY",
	                                       "INR", "KRW", "RUB", "TRY"};
	static const char *const pre[] = {"US", "U.S.", "HK", "A",  "AU",  "C",  "CA", "S",
	                                  "NZ", "NT",   "R",  "CN", "RMB", "C$", NULL};
	static const char *const pre_code[] = {"USD", "USD", "HKD", "AUD", "AUD", "CAD", "CAD",
	                                       "SGD", "NZD", "TWD", "BRL", "CNY", "CNY", "CAD"};
	static const char *const codes[] = {"USD", "EUR", "GBP", "JPY", "CNY", "RMB",
	                                    "HKD", "AUD", "CAD", "CHF", "INR", "KRW",
	                                    "SGD", "TWD", "NZD", "Rs",  "Rs.", NULL};
	static const char *const codes_iso[] = {"USD", "EUR", "GBP", "JPY", "CNY", "CNY",
	                                        "HKD", "AUD", "CAD", "CHF", "INR", "KRW",
	                                        "SGD", "TWD", "NZD", "INR", "INR"};
	int k = is_any(x, i, pre);
	if (k && glued(x, i + 1) && (is_w(x, i + 1, "$") || is_w(x, i + 1, "\xC2\xA5"))) {
		*code = pre_code[k - 1];
		return 2;
	}
	if ((k = is_any(x, i, sym))) {
		*code = sym_code[k - 1];
		return 1;
	}
	if ((k = is_any(x, i, codes)) && x->t[i].kind == WN_TOK_WORD &&
	    (tp(x, i)[1] == 's' || (tp(x, i)[1] >= 'A' && tp(x, i)[1] <= 'Z'))) {
		*code = codes_iso[k - 1];
		/* "Rs.500": the tokenizer keeps the period apart */
		return is_w(x, i + 1, ".") && glued(x, i + 1) && glued(x, i + 2) ? 2 : 1;
	}
	if (is_w(x, i, "dlrs") || is_w(x, i, "dlr")) { /* wire style: "dlrs 220 million" */
		*code = "USD";
		return 1;
	}
	return 0;
}

/* A currency word or code after the amount at token i ("yuan", "US
 * dollars", "Hong Kong dollars", "euros", "CNY"): tokens covered, *code. */
static size_t cur_suffix(const rx *x, size_t i, const char **code, double *scale)
{
	static const char *const words[] = {
	    "yuan",   "renminbi", "RMB",     "dollars",  "dollar",  "euros",  "euro",   "pounds",
	    "pound",  "yen",      "rupees",  "rupee",    "won",     "francs", "franc",  "pesos",
	    "peso",   "roubles",  "rubles",  "ruble",    "rouble",  "cents",  "USD",    "EUR",
	    "GBP",    "JPY",      "CNY",     "HKD",      "AUD",     "CAD",    "CHF",    "INR",
	    "KRW",    "SGD",      "TWD",     "NZD",      "ringgit", "baht",   "dong",   "rupiah",
	    "riyals", "dirhams",  "shekels", "lira",     "krona",   "kronor", "crowns", "dlrs",
	    "dlr",    "stg",      "pence",   "ringgits", NULL};
	static const char *const iso[] = {
	    "CNY", "CNY", "CNY", "USD", "USD", "EUR", "EUR", "GBP", "GBP", "JPY", "INR",
	    "INR", "KRW", "CHF", "CHF", "MXN", "MXN", "RUB", "RUB", "RUB", "RUB", "USD",
	    "USD", "EUR", "GBP", "JPY", "CNY", "HKD", "AUD", "CAD", "CHF", "INR", "KRW",
	    "SGD", "TWD", "NZD", "MYR", "THB", "VND", "IDR", "SAR", "AED", "ILS", "TRY",
	    "SEK", "SEK", "CZK", "USD", "USD", "GBP", "GBP", "MYR"};
	static const struct {
		const char *a, *b, *code;
	} adj[] = {
	    {"Hong", "Kong", "HKD"},   {"New", "Taiwan", "TWD"},   {"US", NULL, "USD"},
	    {"U.S.", NULL, "USD"},     {"American", NULL, "USD"},  {"Australian", NULL, "AUD"},
	    {"Canadian", NULL, "CAD"}, {"Singapore", NULL, "SGD"}, {"Swiss", NULL, "CHF"},
	    {"HK", NULL, "HKD"},       {"Zimbabwe", NULL, "ZWL"},  {"Taiwan", NULL, "TWD"},
	    {NULL, NULL, NULL}};
	*scale = 1;
	for (int a = 0; adj[a].a; a++) {
		size_t j = i;
		if (!is_w(x, j++, adj[a].a))
			continue;
		if (adj[a].b && !is_w(x, j++, adj[a].b))
			continue;
		if (is_w(x, j, "dollars") || is_w(x, j, "dollar") || is_w(x, j, "francs")) {
			*code = adj[a].code;
			return j + 1 - i;
		}
	}
	int k = is_any(x, i, words);
	if (!k)
		return 0;
	*code = iso[k - 1];
	if (is_w(x, i, "cents") || is_w(x, i, "pence"))
		*scale = 0.01;
	if ((is_w(x, i, "pounds") || is_w(x, i, "pound")) && is_w(x, i + 1, "sterling"))
		return 2;
	return 1;
}

/* An amount at token i: number plus optional magnitude word. */
static size_t amount_at(const rx *x, size_t i, double *v, int *mag)
{
	int hm;
	if (!num_at(x, i, v, &hm))
		return 0;
	double m = mag_at(x, i + 1);
	*mag = hm;
	if (m) {
		*v *= m, *mag = 1;
		return 2;
	}
	return 1;
}

/* A range token "5-10" at i: both ends. */
static int range_token(const rx *x, size_t i, double *lo, double *hi)
{
	if (i >= x->n || x->t[i].kind != WN_TOK_NUM || (x->taken && x->taken[i]))
		return 0;
	const char *p = tp(x, i);
	const char *d = memchr(p, '-', tlen(x, i));
	if (!d)
		return 0;
	return parse_digits(p, (size_t)(d - p), lo) &&
	       parse_digits(d + 1, tlen(x, i) - (size_t)(d - p) - 1, hi);
}

/* Writes "<v> CODE" or "<lo>..<hi> CODE" plus " per share" into value. */
static void money_value(char *out, size_t cap, double lo, double hi, int range, const char *code,
                        int per_share)
{
	char a[32], b[32];
	wn_format_amount(lo, a, sizeof a);
	wn_format_amount(hi, b, sizeof b);
	if (range)
		snprintf(out, cap, "%s..%s %s%s", a, b, code, per_share ? " per share" : "");
	else
		snprintf(out, cap, "%s %s%s", a, code, per_share ? " per share" : "");
}

/* A code glued to its amount in one token ("RM50,000", "Rs500"): *v and
 * *code, 1 when so. */
static int glued_code_amount(const rx *x, size_t i, double *v, const char **code)
{
	static const char *const pre[] = {"RM", "Rs", "Rp", "RMB", "USD", "EUR", "HKD", NULL};
	static const char *const iso[] = {"MYR", "INR", "IDR", "CNY", "USD", "EUR", "HKD"};
	if (i >= x->n || x->t[i].kind != WN_TOK_WORD || (x->taken && x->taken[i]))
		return 0;
	const char *p = tp(x, i);
	size_t n = tlen(x, i);
	for (int k = 0; pre[k]; k++) {
		size_t l = strlen(pre[k]);
		if (n <= l || memcmp(p, pre[k], l) != 0 || p[l] < '0' || p[l] > '9')
			continue;
		size_t d = l;
		while (d < n && ((p[d] >= '0' && p[d] <= '9') || p[d] == '.' || p[d] == ','))
			d++;
		double m = d < n ? suffix_mag(p + d, n - d) : 1;
		if (m == 0 || !parse_digits(p + l, d - l, v))
			return 0;
		*v *= m, *code = iso[k];
		return 1;
	}
	return 0;
}

/* Amounts in words: "a penny", "millions of dollars", "hundreds of
 * millions of euros" (an open range from the smallest such amount). */
static size_t money_words_at(const rx *x, size_t i, wn_ent *e)
{
	const char *code = NULL;
	double scale = 1;
	if (is_w(x, i, "a") && is_w(x, i + 1, "penny")) {
		e->type = WN_E_MONEY;
		snprintf(e->value, sizeof e->value, "0.01 USD");
		return 2;
	}
	static const char *const many[] = {"tens",     "hundreds",  "thousands", "millions",
	                                   "billions", "trillions", NULL};
	static const double mv[] = {10, 100, 1e3, 1e6, 1e9, 1e12};
	double v = 1;
	size_t j = i;
	int k;
	while ((k = is_any(x, j, many)) && is_w(x, j + 1, "of"))
		v *= mv[k - 1], j += 2;
	if (j == i || v < 1e3)
		return 0;
	size_t s = cur_suffix(x, j, &code, &scale);
	if (!s || scale != 1)
		return 0;
	char a[32];
	wn_format_amount(v, a, sizeof a);
	e->type = WN_E_MONEY;
	snprintf(e->value, sizeof e->value, "%s.. %s", a, code);
	return j + s - i;
}

static size_t money_at(const rx *x, size_t i, wn_ent *e)
{
	size_t w = money_words_at(x, i, e);
	if (w)
		return w;
	double gv;
	const char *gcode;
	if (glued_code_amount(x, i, &gv, &gcode)) {
		size_t j = i + 1;
		double m = mag_at(x, j);
		if (m)
			gv *= m, j++;
		e->type = WN_E_MONEY;
		money_value(e->value, sizeof e->value, gv, 0, 0, gcode, 0);
		return j - i;
	}
	const char *code = NULL;
	double lo, hi = 0, scale = 1;
	int mag, range = 0;
	size_t j = i + cur_prefix(x, i, &code);
	size_t k;
	if (range_token(x, j, &lo, &hi)) {
		double m = mag_at(x, j + 1);
		range = 1, k = m ? 2 : 1;
		if (m)
			lo *= m, hi *= m;
	} else if (!(k = amount_at(x, j, &lo, &mag))) {
		return 0;
	}
	j += k;
	if (!range && is_range_word(x, j)) {
		const char *c2 = NULL;
		size_t j2 = j + 1 + cur_prefix(x, j + 1, &c2);
		int mag2;
		if ((!c2 || !code || strcmp(c2, code) == 0) && (k = amount_at(x, j2, &hi, &mag2))) {
			if (!mag && mag2 && hi >= 1e3)
				lo *= k == 2 ? mag_at(x, j2 + 1) : 1;
			range = 1, j = j2 + k;
		}
	}
	if (!code) {
		size_t s = cur_suffix(x, j, &code, &scale);
		if (!s)
			return 0;
		j += s;
	}
	int per_share = 0;
	if (is_w(x, j, "per") && is_w(x, j + 1, "share"))
		per_share = 1, j += 2;
	e->type = WN_E_MONEY;
	money_value(e->value, sizeof e->value, lo * scale, hi * scale, range, code, per_share);
	return j - i;
}

/* ------------------------------------------------------------ percent */

static size_t percent_at(const rx *x, size_t i, wn_ent *e)
{
	double lo, hi = 0;
	int mag, range = 0;
	size_t j = i;
	if (range_token(x, j, &lo, &hi)) {
		range = 1, j++;
	} else {
		if (!num_at(x, j, &lo, &mag) || mag)
			return 0;
		j++;
		if (is_range_word(x, j) && num_at(x, j + 1, &hi, &mag) && !mag) {
			/* "5 to 7 percent"; "5% to 7%" is matched as two */
			if (!is_w(x, j + 1, "%"))
				range = 1, j += 2;
		}
	}
	int pp = 0;
	if (is_w(x, j, "%") || is_w(x, j, "percent") || is_w(x, j, "pct") ||
	    is_w(x, j, "\xEF\xBC\x85")) {
		j++;
		if (is_w(x, j, "points") && !is_w(x, j - 1, "%"))
			pp = 1, j++;
	} else if (is_w(x, j, "per") && is_w(x, j + 1, "cent")) {
		j += 2;
	} else if (is_w(x, j, "percentage") &&
	           (is_w(x, j + 1, "points") || is_w(x, j + 1, "point"))) {
		pp = 1, j += 2;
	} else {
		return 0;
	}
	char a[32], b[32];
	wn_format_amount(lo, a, sizeof a);
	wn_format_amount(hi, b, sizeof b);
	e->type = WN_E_PERCENT;
	snprintf(e->value, sizeof e->value, "%s%s%s%s", a, range ? ".." : "", range ? b : "",
	         pp ? " pp" : "");
	return j - i;
}

/* ------------------------------------------------------------ calendar */

/* Dates are computed with lib/core/datetime.h (wn_days_from_civil,
 * wn_civil_from_days). */

static void fmt_day(char *out, size_t cap, long z)
{
	int y, m, d;
	wn_civil_from_days(z, &y, &m, &d);
	snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
}

static int day_at(const rx *x, size_t i);
static int year_at(const rx *x, size_t i);

/* Month index 1..12 of a month token (full name or abbreviation, a capital
 * first letter required), else 0. */
static int month_at(const rx *x, size_t i)
{
	static const char *const full[] = {"January",  "February", "March",  "April",     "May",
	                                   "June",     "July",     "August", "September", "October",
	                                   "November", "December", NULL};
	static const char *const abbr[] = {"Jan.", "Feb.", "Mar.", "Apr.", "May.", "Jun.",  "Jul.",
	                                   "Aug.", "Sep.", "Oct.", "Nov.", "Dec.", "Sept.", "Feb",
	                                   "Aug",  "Sept", "Oct",  "Nov",  "Dec",  NULL};
	static const int abbr_m[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 9, 2, 8, 9, 10, 11, 12};
	if (i >= x->n || tp(x, i)[0] < 'A' || tp(x, i)[0] > 'Z')
		return 0;
	static const char *const before_day[] = {"Mar", "Apr", "Jun", "Jul", "Sep", "Jan", NULL};
	static const int before_day_m[] = {3, 4, 6, 7, 9, 1};
	int k = is_any(x, i, full);
	if (k)
		return k;
	/* "Jul 14", "MAR 3", "Jan 2025": words or first names of their own
	 * ("mar", "Jun", "Jan Egeland") unless a day or a year follows */
	if ((k = is_any(x, i, before_day)) && (day_at(x, i + 1) || year_at(x, i + 1)))
		return before_day_m[k - 1];
	k = is_any(x, i, abbr);
	return k ? abbr_m[k - 1] : 0;
}

/* A day of month at token i ("26", "26th"): 1..31, else 0. */
static int day_at(const rx *x, size_t i)
{
	if (i >= x->n || (x->taken && x->taken[i]))
		return 0;
	const char *p = tp(x, i);
	size_t n = tlen(x, i), k = 0;
	int d = 0;
	while (k < n && k < 2 && p[k] >= '0' && p[k] <= '9')
		d = d * 10 + (p[k++] - '0');
	if (k == 0 ||
	    (k < n && !(n - k == 2 &&
	                (strncasecmp(p + k, "st", 2) == 0 || strncasecmp(p + k, "nd", 2) == 0 ||
	                 strncasecmp(p + k, "rd", 2) == 0 || strncasecmp(p + k, "th", 2) == 0))))
		return 0;
	return d >= 1 && d <= 31 ? d : 0;
}

/* Reads exactly n ASCII digits at p (no sscanf: tokens are not
 * NUL-terminated, and scanning to the text's end made it quadratic). */
static int fixed_int(const char *p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		*v = *v * 10 + (p[i] - '0');
	}
	return 1;
}

/* A plausible year at token i (four digits, 1600..2199), else 0. */
static int year_at(const rx *x, size_t i)
{
	if (i >= x->n || x->t[i].kind != WN_TOK_NUM || tlen(x, i) != 4 || (x->taken && x->taken[i]))
		return 0;
	const char *p = tp(x, i);
	int y;
	if (!fixed_int(p, 4, &y) || y < 1600 || y > 2199)
		return 0;
	return y;
}

/* Month and optional day of a "Month D" or "D Month" date at i, with an
 * optional year; tokens covered, or 0. */
static size_t full_date_at(const rx *x, size_t i, int *y, int *m, int *d)
{
	size_t j = i;
	*y = 0, *d = 0;
	if ((*m = month_at(x, j))) {
		j++;
		if ((*d = day_at(x, j)))
			j++;
	} else if ((*d = day_at(x, j)) && (*m = month_at(x, j + 1))) {
		j += 2;
	} else if (is_w(x, j, "the") && (*d = day_at(x, j + 1)) && is_w(x, j + 2, "of") &&
	           (*m = month_at(x, j + 3))) {
		j += 4;
	} else {
		return 0;
	}
	size_t c = is_w(x, j, ",") && *d ? 1 : 0;
	if ((*y = year_at(x, j + c)))
		j += c + 1;
	return j - i;
}

/* "May" and "March" alone are dates only after a preposition or a
 * relative word; other month names alone are dates. */
static int lone_month_ok(const rx *x, size_t i, int m)
{
	static const char *const pre[] = {"in",    "since",   "until", "till",   "by",
	                                  "of",    "from",    "early", "late",   "mid",
	                                  "last",  "next",    "this",  "during", "before",
	                                  "after", "through", "to",    NULL};
	if (m != 5 && m != 3)
		return 1;
	return i > 0 && is_any(x, i - 1, pre);
}

/* Writes a month-precision or day-precision ISO value; year 0 means
 * "unknown": the reference year is used, else XXXX. */
static void ymd_value(const rx *x, char *out, size_t cap, int y, int m, int d)
{
	char ys[8];
	if (!y && x->ref->known)
		y = x->ref->y;
	if (y)
		snprintf(ys, sizeof ys, "%04d", y);
	else
		snprintf(ys, sizeof ys, "XXXX");
	if (d)
		snprintf(out, cap, "%s-%02d-%02d", ys, m, d);
	else
		snprintf(out, cap, "%s-%02d", ys, m);
}

static size_t absolute_date_at(const rx *x, size_t i, wn_ent *e)
{
	int y, m, d, y2, m2, d2;
	size_t k = full_date_at(x, i, &y, &m, &d);
	if (k) {
		if (!d && !y && !lone_month_ok(x, i, m))
			return 0;
		/* ranges: "January to March 2024", "January 26 - 30" */
		size_t k2;
		if (is_range_word(x, i + k) && (k2 = full_date_at(x, i + k + 1, &y2, &m2, &d2)) &&
		    (!d == !d2)) {
			if (!y)
				y = y2;
			char a[24], b[24];
			ymd_value(x, a, sizeof a, y, m, d);
			ymd_value(x, b, sizeof b, y2 ? y2 : y, m2, d2);
			snprintf(e->value, sizeof e->value, "%s/%s", a, b);
			return k + 1 + k2;
		}
		if (!d && !m)
			return 0;
		if (!d && y)
			snprintf(e->value, sizeof e->value, "%04d-%02d", y, m);
		else
			ymd_value(x, e->value, sizeof e->value, y, m, d);
		return k;
	}
	return 0;
}

/* Four-digit years, "2026-2030", "2026 to 2030", ISO dates, decades. */
static size_t year_date_at(const rx *x, size_t i, wn_ent *e)
{
	if (i >= x->n || (x->taken && x->taken[i]))
		return 0;
	const char *p = tp(x, i);
	size_t n = tlen(x, i);
	int y, m, d, y2;
	if (x->t[i].kind == WN_TOK_NUM && n == 10 && p[4] == '-' && p[7] == '-' &&
	    fixed_int(p, 4, &y) && fixed_int(p + 5, 2, &m) && fixed_int(p + 8, 2, &d) && m >= 1 &&
	    m <= 12 && d >= 1 && d <= 31) {
		snprintf(e->value, sizeof e->value, "%04d-%02d-%02d", y, m, d);
		return 1;
	}
	if (x->t[i].kind == WN_TOK_NUM && n == 9 && p[4] == '-' && fixed_int(p, 4, &y) &&
	    fixed_int(p + 5, 4, &y2) && y >= 1600 && y2 > y && y2 <= 2199) {
		snprintf(e->value, sizeof e->value, "%04d/%04d", y, y2);
		return 1;
	}
	if (x->t[i].kind == WN_TOK_WORD && n == 5 && p[4] == 's' && fixed_int(p, 4, &y) &&
	    y % 10 == 0 && y >= 1600 && y < 2200) {
		snprintf(e->value, sizeof e->value, "%04d/%04d", y, y + 9);
		return 1;
	}
	if (!(y = year_at(x, i)))
		return 0;
	/* not a year: "2024 yuan", "2024 percent", "$2024", "No. 2024" */
	if (i > 0 && (is_w(x, i - 1, "$") || is_w(x, i - 1, "No.") || is_w(x, i - 1, "#")))
		return 0;
	if (mag_at(x, i + 1) || is_w(x, i + 1, "%") || is_w(x, i + 1, "percent"))
		return 0;
	if (is_range_word(x, i + 1) && (y2 = year_at(x, i + 2)) && y2 > y) {
		snprintf(e->value, sizeof e->value, "%04d/%04d", y, y2);
		return 3;
	}
	snprintf(e->value, sizeof e->value, "%04d", y);
	return 1;
}

static size_t weekday_at(const rx *x, size_t i, wn_ent *e)
{
	static const char *const wd[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
	                                 "Friday", "Saturday", "Sunday",    NULL};
	int k = is_any(x, i, wd);
	if (!k || tp(x, i)[0] < 'A' || tp(x, i)[0] > 'Z')
		return 0;
	if (x->ref->known) {
		/* the last such weekday on or before the reference date */
		long z = wn_days_from_civil(x->ref->y, x->ref->m, x->ref->d);
		int cur = (int)(((z % 7) + 7 + 3) % 7); /* 0 = Monday; 1970-01-01 was a Thursday */
		fmt_day(e->value, sizeof e->value, z - ((cur - (k - 1) + 7) % 7));
	}
	return 1;
}

/* Unit of a relative expression: 0 day, 1 week, 2 month, 3 quarter,
 * 4 year, 5 decade; -1 none. *plural says the plural form was used. */
static int unit_at(const rx *x, size_t i, int *plural)
{
	static const char *const one[] = {"day",  "week",   "month", "quarter",
	                                  "year", "decade", NULL};
	static const char *const many[] = {"days",  "weeks",   "months", "quarters",
	                                   "years", "decades", NULL};
	int k = is_any(x, i, one);
	*plural = 0;
	if (k)
		return k - 1;
	k = is_any(x, i, many);
	*plural = k != 0;
	return k - 1;
}

/* Shifts the reference by `n` units and writes the period it falls in
 * (a span of `len` units starting there when len > 1). */
static void shifted_value(const rx *x, char *out, size_t cap, int unit, int n, int len)
{
	const wn_refdate *r = x->ref;
	if (!r->known) {
		out[0] = 0;
		return;
	}
	long z = wn_days_from_civil(r->y, r->m, r->d);
	char a[24], b[24];
	if (unit == 4 || unit == 5) {
		int span = unit == 5 ? 10 : 1;
		int y0 = r->y + n * span, y1 = y0 + len * span - 1;
		if (unit == 5 && n == 0)
			y0 = r->y - r->y % 10, y1 = y0 + 9;
		if (y1 == y0)
			snprintf(out, cap, "%04d", y0);
		else
			snprintf(out, cap, "%04d/%04d", y0, y1);
		return;
	}
	if (unit == 2 || unit == 3) {
		int step = unit == 3 ? 3 : 1;
		int base = unit == 3 ? (r->m - 1) / 3 * 3 : r->m - 1;
		int m0 = r->y * 12 + base + n * step, m1 = m0 + len * step - 1;
		snprintf(a, sizeof a, "%04d-%02d", m0 / 12, m0 % 12 + 1);
		snprintf(b, sizeof b, "%04d-%02d", m1 / 12, m1 % 12 + 1);
		if (m0 == m1)
			snprintf(out, cap, "%s", a);
		else
			snprintf(out, cap, "%s/%s", a, b);
		return;
	}
	int step = unit == 1 ? 7 : 1;
	long start = z + (long)n * step;
	if (unit == 1)
		start -= ((z % 7) + 7 + 3) % 7; /* weeks start on Monday */
	long end = start + (long)len * step - 1;
	fmt_day(a, sizeof a, start);
	fmt_day(b, sizeof b, end);
	if (start == end)
		snprintf(out, cap, "%s", a);
	else
		snprintf(out, cap, "%s/%s", a, b);
}

static size_t relative_date_at(const rx *x, size_t i, wn_ent *e)
{
	static const char *const day_words[] = {"yesterday", "today", "tomorrow", NULL};
	int k = is_any(x, i, day_words);
	int plural, unit;
	if (k) {
		shifted_value(x, e->value, sizeof e->value, 0, k - 2, 1);
		return 1;
	}
	int dir = 0;
	if (is_w(x, i, "last") || is_w(x, i, "past") || is_w(x, i, "previous"))
		dir = -1;
	else if (is_w(x, i, "next") || is_w(x, i, "coming"))
		dir = 1;
	else if (is_w(x, i, "this"))
		dir = 0;
	else {
		/* "three years ago" */
		double v;
		int mag;
		if (num_at(x, i, &v, &mag) && !mag && v >= 1 && v < 1000 &&
		    (unit = unit_at(x, i + 1, &plural)) >= 0 && is_w(x, i + 2, "ago")) {
			shifted_value(x, e->value, sizeof e->value, unit, -(int)v, 1);
			return 3;
		}
		return 0;
	}
	if ((unit = unit_at(x, i + 1, &plural)) >= 0 && !plural) {
		shifted_value(x, e->value, sizeof e->value, unit, dir, 1);
		return 2;
	}
	if (is_w(x, i + 1, "weekend"))
		return 2;
	double v;
	int mag;
	if (dir != 0 && num_at(x, i + 1, &v, &mag) && !mag && v >= 1 && v < 1000 &&
	    (unit = unit_at(x, i + 2, &plural)) >= 0) {
		int nn = (int)v;
		shifted_value(x, e->value, sizeof e->value, unit, dir > 0 ? 1 : -nn, nn);
		return 3;
	}
	return 0;
}

/* Appends the relative flag and the anchor date the value was resolved
 * against: "2025;relative=2026-03-04", or ";relative" without one. */
static void mark_relative(const rx *x, wn_ent *e)
{
	size_t l = strlen(e->value);
	if (x->ref->known)
		snprintf(e->value + l, sizeof e->value - l, ";relative=%04d-%02d-%02d", x->ref->y,
		         x->ref->m, x->ref->d);
	else
		snprintf(e->value + l, sizeof e->value - l, ";relative");
}

/* Year after token j, optionally after "of" or ",": the year, *k the
 * tokens covered from j; 0 when none. */
static int year_after(const rx *x, size_t j, size_t *k)
{
	size_t c = is_w(x, j, "of") || is_w(x, j, ",") ? 1 : 0;
	int y = year_at(x, j + c);
	*k = y ? c + 1 : 0;
	return y;
}

/* Season code of token i (TIMEX style), its months, or NULL. */
static const char *season_at_tok(const rx *x, size_t i, int *m0, int *m1)
{
	static const char *const w[] = {"spring", "summer", "autumn", "fall", "winter", NULL};
	static const char *const code[] = {"SP", "SU", "FA", "FA", "WI"};
	static const int a[] = {3, 6, 9, 9, 12}, b[] = {5, 8, 11, 11, 14};
	int k = is_any(x, i, w);
	if (!k)
		return NULL;
	*m0 = a[k - 1], *m1 = b[k - 1];
	return code[k - 1];
}

/* "summer of 2024", "spring 2027"; "last autumn", "this summer", "next
 * winter" (relative: the latest such season ended before the reference
 * date, the current year's, the next one to begin). */
static size_t season_at(const rx *x, size_t i, wn_ent *e)
{
	int m0, m1, y;
	size_t k;
	const char *c = season_at_tok(x, i, &m0, &m1);
	if (c && (y = year_after(x, i + 1, &k))) {
		snprintf(e->value, sizeof e->value, "%04d-%s", y, c);
		return 1 + k;
	}
	int dir = is_w(x, i, "last") ? -1 : is_w(x, i, "next") ? 1 : is_w(x, i, "this") ? 0 : 2;
	if (dir == 2 || !(c = season_at_tok(x, i + 1, &m0, &m1)))
		return 0;
	if (x->ref->known) {
		int r = x->ref->m + (x->ref->m <= 2 && m0 == 12 ? 12 : 0), ry = x->ref->y;
		y = dir < 0 ? (m1 < r ? ry : ry - 1) : dir > 0 ? (m0 > r ? ry : ry + 1) : ry;
		if (m0 == 12 && x->ref->m <= 2)
			y--; /* winter is named by the year it begins in */
		snprintf(e->value, sizeof e->value, "%04d-%s", y, c);
	}
	mark_relative(x, e);
	return 2;
}

/* "the 1990s" is year_date_at's; here "'90s", "the nineties", "1990's". */
static size_t decade_at(const rx *x, size_t i, wn_ent *e)
{
	static const char *const w[] = {"twenties",  "thirties", "forties",  "fifties", "sixties",
	                                "seventies", "eighties", "nineties", NULL};
	int k, d;
	if ((is_w(x, i, "'") || is_w(x, i, "\xE2\x80\x99")) && glued(x, i + 1) &&
	    x->t[i + 1].kind == WN_TOK_WORD && tlen(x, i + 1) == 3 && tp(x, i + 1)[2] == 's' &&
	    fixed_int(tp(x, i + 1), 2, &d) && d % 10 == 0) {
		int y = d >= 30 ? 1900 + d : 2000 + d;
		snprintf(e->value, sizeof e->value, "%04d/%04d", y, y + 9);
		return 2;
	}
	size_t b = i;
	if (b > 0 && (is_w(x, b - 1, "early") || is_w(x, b - 1, "mid") || is_w(x, b - 1, "late")))
		b--;
	if ((k = is_any(x, i, w)) && b > 0 && is_w(x, b - 1, "the")) {
		int y = 1910 + 10 * k;
		snprintf(e->value, sizeof e->value, "%04d/%04d", y, y + 9);
		return 1;
	}
	int y = year_at(x, i);
	if (y && y % 10 == 0 && glued(x, i + 1) && is_w(x, i + 1, "'s")) {
		snprintf(e->value, sizeof e->value, "%04d/%04d", y, y + 9);
		return 2;
	}
	return 0;
}

/* Easter Sunday of year y (anonymous Gregorian algorithm). */
static void easter(int y, int *m, int *d)
{
	int a = y % 19, b = y / 100, c = y % 100, dd = b / 4, e = b % 4, f = (b + 8) / 25;
	int g = (b - f + 1) / 3, h = (19 * a + b - dd - g + 15) % 30, i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7, mm = (a + 11 * h + 22 * l) / 451;
	*m = (h + l - 7 * mm + 114) / 31;
	*d = (h + l - 7 * mm + 114) % 31 + 1;
}

/* Day of the n-th weekday wd (0 = Monday) of month m in year y; n = -1:
 * the last one. */
static int nth_weekday(int y, int m, int wd, int n)
{
	if (n < 0) { /* back from the month's last day */
		long z =
		    (m == 12 ? wn_days_from_civil(y + 1, 1, 1) : wn_days_from_civil(y, m + 1, 1)) -
		    1;
		int cur = (int)(((z % 7) + 7 + 3) % 7);
		int yy, mm, dd;
		wn_civil_from_days(z - ((cur - wd + 7) % 7), &yy, &mm, &dd);
		return dd;
	}
	long z = wn_days_from_civil(y, m, 1);
	int cur = (int)(((z % 7) + 7 + 3) % 7);
	return 1 + (wd - cur + 7) % 7 + 7 * (n - 1);
}

/* Holidays with an optional year: fixed dates, Easter-based dates and US
 * holidays fixed by weekday. Without a year: the reference year, else
 * XXXX (fixed dates) or no value. */
static size_t holiday_at(const rx *x, size_t i, wn_ent *e)
{
	static const struct {
		const char *w[4];
		int m, d; /* d < 0: -1 Easter + m days; -2 n-th weekday: m month, see below */
		int wd, nth;
	} h[] = {
	    {{"New", "Year", "'s", "Day"}, 1, 1, 0, 0},
	    {{"New", "Year", "'s", "Eve"}, 12, 31, 0, 0},
	    {{"Christmas", "Day", NULL, NULL}, 12, 25, 0, 0},
	    {{"Christmas", "Eve", NULL, NULL}, 12, 24, 0, 0},
	    {{"Christmas", NULL, NULL, NULL}, 12, 25, 0, 0},
	    {{"Boxing", "Day", NULL, NULL}, 12, 26, 0, 0},
	    {{"Valentine", "'s", "Day", NULL}, 2, 14, 0, 0},
	    {{"Halloween", NULL, NULL, NULL}, 10, 31, 0, 0},
	    {{"Good", "Friday", NULL, NULL}, -2, -1, 0, 0},
	    {{"Easter", "Sunday", NULL, NULL}, 0, -1, 0, 0},
	    {{"Easter", "Monday", NULL, NULL}, 1, -1, 0, 0},
	    {{"Easter", NULL, NULL, NULL}, 0, -1, 0, 0},
	    {{"Thanksgiving", "Day", NULL, NULL}, 11, -2, 3, 4},
	    {{"Thanksgiving", NULL, NULL, NULL}, 11, -2, 3, 4},
	    {{"Labor", "Day", NULL, NULL}, 9, -2, 0, 1},
	    {{"Memorial", "Day", NULL, NULL}, 5, -2, 0, -1},
	};
	for (size_t k = 0; k < sizeof h / sizeof *h; k++) {
		size_t j = i;
		for (int w = 0; w < 4 && h[k].w[w]; w++, j++)
			if (!is_w(x, j, h[k].w[w]) || tp(x, j)[0] != h[k].w[w][0])
				break;
		if (j - i < 4 && h[k].w[j - i])
			continue; /* not every word matched */
		/* "Christmas Island", "Easter Island": a name, not a day */
		if (j < x->n && tp(x, j)[0] >= 'A' && tp(x, j)[0] <= 'Z' && !year_at(x, j))
			return 0;
		size_t yk;
		int y = year_after(x, j, &yk);
		if (yk && is_w(x, j, "of"))
			y = 0, yk = 0;
		if (!y && x->ref->known)
			y = x->ref->y;
		int m = h[k].m, d = h[k].d;
		if (d == -1 && y) {
			int em, ed;
			easter(y, &em, &ed);
			fmt_day(e->value, sizeof e->value, wn_days_from_civil(y, em, ed) + m);
		} else if (d == -2 && y) {
			ymd_value(x, e->value, sizeof e->value, y, m,
			          nth_weekday(y, m, h[k].wd, h[k].nth));
		} else if (d > 0) {
			ymd_value(x, e->value, sizeof e->value, y, m, d);
		}
		return j - i + yk;
	}
	return 0;
}

/* Fiscal years and parts of a year: "fiscal 2025", "fiscal year 2024",
 * "FY2023", "FY23" -> FY2023; "third quarter of 2025", "Q4 2024" ->
 * 2025-Q3; "first half of 2025", "H1 2025" -> 2025-H1. A year is
 * required ("the first half" of a match is no date). */
static size_t fiscal_at(const rx *x, size_t i, wn_ent *e)
{
	static const char *const ord[] = {"first", "second", "third", "fourth", "1st",
	                                  "2nd",   "3rd",    "4th",   NULL};
	size_t k;
	int y, n;
	if (is_w(x, i, "fiscal")) {
		size_t j = i + 1 + (is_w(x, i + 1, "year") ? 1 : 0);
		if ((y = year_at(x, j))) {
			snprintf(e->value, sizeof e->value, "FY%04d", y);
			return j + 1 - i;
		}
		return 0;
	}
	if (i < x->n && x->t[i].kind == WN_TOK_WORD && !(x->taken && x->taken[i])) {
		const char *p = tp(x, i);
		size_t l = tlen(x, i);
		if ((l == 6 || l == 4) && p[0] == 'F' && p[1] == 'Y' &&
		    fixed_int(p + 2, (int)l - 2, &y)) {
			snprintf(e->value, sizeof e->value, "FY%04d", l == 4 ? 2000 + y : y);
			return 1;
		}
		if (l == 2 && (p[0] == 'Q' || p[0] == 'H') && p[1] >= '1' &&
		    p[1] <= (p[0] == 'Q' ? '4' : '2') && (y = year_after(x, i + 1, &k))) {
			snprintf(e->value, sizeof e->value, "%04d-%c%c", y, p[0], p[1]);
			return 1 + k;
		}
	}
	if ((n = is_any(x, i, ord))) {
		n = (n - 1) % 4 + 1;
		int q = is_w(x, i + 1, "quarter"), h = is_w(x, i + 1, "half") && n <= 2;
		if ((q || h) && (y = year_after(x, i + 2, &k))) {
			snprintf(e->value, sizeof e->value, "%04d-%c%d", y, q ? 'Q' : 'H', n);
			return 2 + k;
		}
	}
	return 0;
}

static size_t date_at(const rx *x, size_t i, wn_ent *e)
{
	size_t k;
	e->type = WN_E_DATE;
	if ((k = absolute_date_at(x, i, e)) || (k = fiscal_at(x, i, e)) ||
	    (k = holiday_at(x, i, e)) || (k = season_at(x, i, e)) || (k = decade_at(x, i, e)) ||
	    (k = year_date_at(x, i, e)))
		return k;
	if ((k = weekday_at(x, i, e)) || (k = relative_date_at(x, i, e)))
		mark_relative(x, e);
	return k;
}

/* ------------------------------------------------------------ driver */

/* Token i can open a MONEY, PERCENT or DATE: anything but a lower-case
 * word, or one of the lower-case words a recogniser starts with (most
 * tokens of a text are lower-case words that open nothing: checking them
 * against every word list was a tenth of the stage's time). */
static int may_open(const rx *x, size_t i)
{
#define W(s)                                                                                       \
	{                                                                                          \
		s, sizeof s - 1                                                                    \
	}
	static const struct {
		const char *w;
		size_t n;
	} open[] = {W("a"),         W("the"),      W("one"),       W("two"),       W("three"),
	            W("four"),      W("five"),     W("six"),       W("seven"),     W("eight"),
	            W("nine"),      W("ten"),      W("eleven"),    W("twelve"),    W("thirteen"),
	            W("fourteen"),  W("fifteen"),  W("sixteen"),   W("seventeen"), W("eighteen"),
	            W("nineteen"),  W("twenty"),   W("thirty"),    W("forty"),     W("fifty"),
	            W("sixty"),     W("seventy"),  W("eighty"),    W("ninety"),    W("hundred"),
	            W("tens"),      W("hundreds"), W("thousands"), W("millions"),  W("billions"),
	            W("trillions"), W("dlrs"),     W("dlr"),       W("fiscal"),    W("first"),
	            W("second"),    W("third"),    W("fourth"),    W("last"),      W("next"),
	            W("this"),      W("past"),     W("previous"),  W("coming"),    W("yesterday"),
	            W("today"),     W("tomorrow"), W("spring"),    W("summer"),    W("autumn"),
	            W("fall"),      W("winter"),   W("twenties"),  W("thirties"),  W("forties"),
	            W("fifties"),   W("sixties"),  W("seventies"), W("eighties"),  W("nineties")};
#undef W
	const char *p = tp(x, i);
	size_t n = tlen(x, i);
	if (x->t[i].kind != WN_TOK_WORD || p[0] < 'a' || p[0] > 'z')
		return 1;
	for (size_t k = 0; k < sizeof open / sizeof *open; k++)
		if (open[k].n == n && open[k].w[0] == p[0] && memcmp(open[k].w, p, n) == 0)
			return 1;
	return 0;
}

int wn_rules_find(const char *s, const wn_tokens *t, const wn_refdate *ref, wn_ents *out,
                  unsigned char *taken)
{
	rx x = {s, t->v, t->n, ref, taken};
	for (size_t i = 0; i < t->n; i++) {
		if ((taken && taken[i]) || !may_open(&x, i))
			continue;
		/* cheap filter: every rule starts with a digit, a letter or a symbol */
		wn_ent e;
		memset(&e, 0, sizeof e);
		size_t k = money_at(&x, i, &e);
		if (!k)
			k = percent_at(&x, i, &e);
		if (!k)
			k = date_at(&x, i, &e);
		if (!k)
			continue;
		e.start = t->v[i].start, e.end = t->v[i + k - 1].end;
		e.tok0 = (uint32_t)i, e.tok1 = (uint32_t)(i + k);
		e.conf = 0.95f;
		if (!wn_ents_push(out, &e))
			return -1;
		if (taken)
			memset(taken + i, 1, k);
		i += k - 1;
	}
	return 0;
}
