/*
 * Config scalars: integers, reals, booleans, durations and sizes, as the
 * config and plugin options write them. See config.h for the contracts.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- scalar parsers --------------------------------------------------- */

wn_err wn_parse_int(const char *s, int64_t *out)
{
	if (!s || !*s || isspace((unsigned char)*s))
		return WN_E_FAIL;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return WN_E_FAIL;
	*out = v;
	return WN_E_OK;
}

wn_err wn_parse_real(const char *s, double *out)
{
	if (!s || !*s || isspace((unsigned char)*s))
		return WN_E_FAIL;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno == ERANGE || *end || !isfinite(v))
		return WN_E_FAIL;
	*out = v;
	return WN_E_OK;
}

wn_err wn_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1", NULL};
	static const char *const no[] = {"false", "no", "off", "0", NULL};
	for (int i = 0; s && yes[i]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return WN_E_OK;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return WN_E_OK;
		}
	}
	return WN_E_FAIL;
}

/* Reads the number of a quantity, "<digits>[.<digits>]" at *s (no sign),
 * and the spaces before its unit. The integer part is exact; the fraction
 * is kept as a double, so "1.5G" is exact enough. */
static wn_err read_quantity(const char **s, uint64_t *whole, double *frac)
{
	const char *p = *s;
	uint64_t w = 0;
	int digits = 0;
	for (; isdigit((unsigned char)*p); p++, digits++) {
		if (w > (UINT64_MAX - 9) / 10)
			return WN_E_FAIL;
		w = w * 10 + (uint64_t)(*p - '0');
	}
	double f = 0, scale = 0.1;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++, scale /= 10)
			f += (*p - '0') * scale;
	}
	if (!digits)
		return WN_E_FAIL;
	while (*p == ' ')
		p++;
	*whole = w;
	*frac = f;
	*s = p;
	return WN_E_OK;
}

/* whole.frac * mult into *out, rounded, or -1 past INT64_MAX. */
static wn_err scale_number(uint64_t whole, double frac, uint64_t mult, int64_t *out)
{
	if (whole && mult > (uint64_t)INT64_MAX / whole)
		return WN_E_FAIL;
	uint64_t v = whole * mult;
	uint64_t f = (uint64_t)llround(frac * (double)mult);
	if (v > (uint64_t)INT64_MAX - f)
		return WN_E_FAIL;
	*out = (int64_t)(v + f);
	return WN_E_OK;
}

struct unit {
	const char *name;
	uint64_t mult;
};

/* The multiplier of the unit at s[0..len), compared case-insensitively
 * when `fold` is set; 0 when unknown. */
static uint64_t unit_mult(const struct unit *units, const char *s, size_t len, int fold)
{
	for (; units->name; units++) {
		if (strlen(units->name) != len)
			continue;
		if (fold ? strncasecmp(units->name, s, len) == 0
		         : strncmp(units->name, s, len) == 0)
			return units->mult;
	}
	return 0;
}

/* Durations: one or more <number><unit> ("1h30m"); a lone bare number is
 * seconds. Units are case-sensitive: "m" is minutes, "ms" milliseconds. */
wn_err wn_parse_duration(const char *s, int64_t *ms)
{
	static const struct unit units[] = {{"ms", 1},       {"s", 1000},    {"sec", 1000},
	                                    {"m", 60000},    {"min", 60000}, {"h", 3600000},
	                                    {"d", 86400000}, {NULL, 0}};
	if (!s || !*s)
		return WN_E_FAIL;
	int64_t total = 0;
	int parts = 0;
	while (*s) {
		uint64_t whole;
		double frac;
		if (read_quantity(&s, &whole, &frac))
			return WN_E_FAIL;
		size_t ul = 0;
		while (isalpha((unsigned char)s[ul]))
			ul++;
		uint64_t mult = ul ? unit_mult(units, s, ul, 0) : 1000;
		/* A bare number only stands alone: "1h30" is a typo. */
		if (!mult || (!ul && (parts || s[ul])))
			return WN_E_FAIL;
		int64_t v;
		if (scale_number(whole, frac, mult, &v) || v > INT64_MAX - total)
			return WN_E_FAIL;
		total += v;
		parts++;
		s += ul;
		while (*s == ' ')
			s++;
	}
	*ms = total;
	return WN_E_OK;
}

/* Sizes. Decimal SI units are powers of 1000 (kB, KB, MB, GB, TB), IEC
 * units powers of 1024 (KiB, MiB, GiB, TiB), and a bare letter (K, M, G,
 * T) is binary too, as in nginx and sort -S: people who write "64K" mean
 * 65536. Units are case-insensitive ("64kb" = 64000); "B" is bytes. */
wn_err wn_parse_size(const char *s, int64_t *bytes)
{
	static const struct unit units[] = {
	    {"b", 1},
	    {"kb", 1000},
	    {"mb", 1000000},
	    {"gb", 1000000000},
	    {"tb", 1000000000000},
	    {"k", 1ull << 10},
	    {"m", 1ull << 20},
	    {"g", 1ull << 30},
	    {"t", 1ull << 40},
	    {"kib", 1ull << 10},
	    {"mib", 1ull << 20},
	    {"gib", 1ull << 30},
	    {"tib", 1ull << 40},
	    {NULL, 0},
	};
	if (!s || !*s)
		return WN_E_FAIL;
	uint64_t whole;
	double frac;
	if (read_quantity(&s, &whole, &frac))
		return WN_E_FAIL;
	size_t ul = strlen(s);
	uint64_t mult = ul ? unit_mult(units, s, ul, 1) : 1;
	if (!mult)
		return WN_E_FAIL;
	return scale_number(whole, frac, mult, bytes) ? WN_E_FAIL : WN_E_OK;
}
