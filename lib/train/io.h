/*
 * What the trainers share at their edges: settings read from the
 * environment (CLEAN_TRAIN_*, CT_*) and the number rows of the C tables
 * they generate. One home, so that every knob is parsed and checked the
 * same way and every generated table prints its floats the same way.
 */
#ifndef WN_TRAIN_IO_H
#define WN_TRAIN_IO_H

#include <stdio.h>

/* The integer in environment variable name, or def when it is unset or
 * empty. A value that is not a whole integer (trailing junk, out of int's
 * range) ends the process with status 2 and a message naming the
 * variable: a mistyped knob must not train a model with a default. */
int train_env_int(const char *name, int def);

/* The same for a real number (strtod syntax; must be finite). */
double train_env_num(const char *name, double def);

/* Writes v[0..n) as the body of a C array initialiser: six values a line,
 * each line indented by four spaces and started on a new line, in %.7g
 * (a float's 7 significant digits, enough to round-trip its value within
 * 1 ulp and short enough to keep the tables small). No braces. */
void train_write_floats(FILE *o, const float *v, int n);

#endif
