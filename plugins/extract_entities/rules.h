/*
 * Rule-based MONEY, PERCENT and DATE recognition with normalised values.
 *
 * Value formats (also in README.md):
 *   MONEY    "<amount> <ISO 4217>", amount a plain decimal without exponent
 *            ("160 billion yuan" -> "160000000000 CNY", "US$22.07 billion"
 *            -> "22070000000 USD"); a range is "<low>..<high> <code>"; a
 *            per-share amount ends in " per share".
 *   PERCENT  the number ("34%" -> "34", "5-7 percent" -> "5..7");
 *            percentage points end in " pp" ("2 percentage points" -> "2 pp").
 *   DATE     ISO 8601: "2024", "2024-01", "2024-01-30", intervals with a
 *            slash "2026/2030"; relative references resolved against the
 *            reference date ("last year" -> "2025"); "" when unresolvable.
 */
#ifndef WN_EE_RULES_H
#define WN_EE_RULES_H

#include "ent.h"
#include "tokenize.h"

/* Finds MONEY, PERCENT and DATE spans in s over its tokens and appends them
 * to `out` in text order. `taken` (one byte per token, may be NULL) marks
 * tokens already inside an entity: they are skipped, and tokens used here
 * are marked. Returns 0, or -1 when out of memory. */
int wn_rules_find(const char *s, const wn_tokens *t, const wn_refdate *ref, wn_ents *out,
                  unsigned char *taken);

/* Formats an amount as a plain decimal (at most 2 decimals, no exponent)
 * into buf (cap bytes). */
void wn_format_amount(double v, char *buf, size_t cap);

#endif
