/*
 * Run identity: see run_ident.h.
 */
#include "run_ident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Random bits for the id; the clock and pid when the kernel has none to
 * give (the id stays unique per process and second). */
static unsigned random16(void)
{
	unsigned short v = 0;
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		v = (unsigned short)((unsigned)ts.tv_nsec ^ ((unsigned)getpid() << 3));
	}
	return v;
}

void wn_run_ident_publish(void)
{
	const char *id = getenv("RUN_ID"), *date = getenv("RUN_DATE");
	if (id && *id && date && *date)
		return;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	if (!date || !*date) {
		char d[16];
		strftime(d, sizeof(d), "%Y-%m-%d", &tm);
		setenv("RUN_DATE", d, 1);
	}
	if (!id || !*id) {
		char buf[64];
		size_t n = strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
		snprintf(buf + n, sizeof(buf) - n, "-%d-%04x", (int)getpid(), random16());
		setenv("RUN_ID", buf, 1);
	}
}

const char *wn_run_ident_id(void)
{
	wn_run_ident_publish();
	return getenv("RUN_ID");
}

const char *wn_run_ident_date(void)
{
	wn_run_ident_publish();
	return getenv("RUN_DATE");
}

int wn_output_dir_per_run(const char *output_dir)
{
	const char *id = wn_run_ident_id(), *date = wn_run_ident_date();
	return output_dir && (strstr(output_dir, id) || strstr(output_dir, date));
}
