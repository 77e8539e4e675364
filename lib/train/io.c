/* Trainer settings and generated-table rows (io.h). */
#include "io.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

static _Noreturn void bad_knob(const char *name, const char *v, const char *what)
{
	fprintf(stderr, "%s=%s: not %s\n", name, v, what);
	exit(2);
}

int train_env_int(const char *name, int def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (*end || errno || x < INT_MIN || x > INT_MAX)
		bad_knob(name, v, "a whole number");
	return (int)x;
}

double train_env_num(const char *name, double def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (*end || errno || !isfinite(x))
		bad_knob(name, v, "a finite number");
	return x;
}

void train_write_floats(FILE *o, const float *v, int n)
{
	for (int i = 0; i < n; i++)
		fprintf(o, "%s%.7g", !i ? "\n    " : i % 6 ? ", " : ",\n    ", (double)v[i]);
}
