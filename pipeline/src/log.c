/*
 * The run's logger: every message of the runner and of plugins goes
 * through here, one line at a time, as "winnow: [stage] level: message",
 * clearing a progress line first. See run.h.
 */
#include "run.h"

#include <stdarg.h>
#include <stdio.h>

void wn_run_vlog(wn_run *run, const char *id, int level, const char *fmt, va_list ap)
{
	if (level > run->log_level)
		return;
	static const char *names[] = {"error", "warning", "info", "debug"};
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	pthread_mutex_lock(&run->log_mu);
	if (atomic_exchange(&run->progress_shown, 0))
		fputs("\r\033[K", stderr); /* clear the progress line first */
	fprintf(stderr, "winnow: %s%s%s%s: %s\n", id ? "[" : "", id ? id : "", id ? "] " : "",
	        names[level < 0   ? 0
	              : level > 3 ? 3
	                          : level],
	        msg);
	pthread_mutex_unlock(&run->log_mu);
}

void wn_run_log(wn_run *run, const char *stage_id, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_run_vlog(run, stage_id, level, fmt, ap);
	va_end(ap);
}
