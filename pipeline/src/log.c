/*
 * The run's logger: every line the runner writes to stderr during a run
 * goes through here (util.h, "Messages"): the plugins' and the runner's
 * log lines as "winnow: [stage] level: message", the end-of-run summary,
 * and the progress line, which any other line clears first. One lock
 * keeps lines from different threads whole. See run.h.
 */
#include "run.h"

#include <stdarg.h>
#include <stdio.h>

/* Writes the line "winnow: PREFIXMSG" under the lock, clearing a shown
 * progress line first. */
static void emit(wn_run *run, const char *prefix, const char *msg)
{
	pthread_mutex_lock(&run->log_mu);
	if (atomic_exchange(&run->progress_shown, 0))
		fputs("\r\033[K", stderr); /* clear the progress line first */
	fprintf(stderr, "winnow: %s%s\n", prefix, msg);
	pthread_mutex_unlock(&run->log_mu);
}

void wn_run_vlog(wn_run *run, const char *id, int level, const char *fmt, va_list ap)
{
	if (level > run->log_level)
		return;
	static const char *names[] = {"error", "warning", "info", "debug"};
	char msg[2048], prefix[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(prefix, sizeof prefix, "%s%s%s%s: ", id ? "[" : "", id ? id : "", id ? "] " : "",
	         names[level < 0   ? 0
	               : level > 3 ? 3
	                           : level]);
	emit(run, prefix, msg);
}

void wn_run_log(wn_run *run, const char *stage_id, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wn_run_vlog(run, stage_id, level, fmt, ap);
	va_end(ap);
}

void wn_run_say(wn_run *run, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit(run, "", msg);
}

void wn_run_progress(wn_run *run, const char *msg)
{
	/* Always from column 0: the previous progress line is overwritten. */
	pthread_mutex_lock(&run->log_mu);
	fprintf(stderr, "\r\033[Kwinnow: %s", msg);
	atomic_store(&run->progress_shown, 1);
	pthread_mutex_unlock(&run->log_mu);
}

void wn_run_progress_clear(wn_run *run)
{
	pthread_mutex_lock(&run->log_mu);
	if (atomic_exchange(&run->progress_shown, 0))
		fputs("\r\033[K", stderr);
	pthread_mutex_unlock(&run->log_mu);
}
