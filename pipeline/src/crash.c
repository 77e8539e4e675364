/*
 * Crash reports: see crash.h. The handler only uses async-signal-safe
 * calls (write, sigaction, raise).
 */
#include "crash.h"
#include "util.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Thread_local const char *t_stage, *t_plugin, *t_version, *t_record;
static _Thread_local void *t_altstack;
void wn_crash_enter(const char *stage, const char *plugin, const char *version,
                    const char *record_id)
{
	t_stage = stage;
	t_plugin = plugin;
	t_version = version;
	t_record = record_id;
}

void wn_crash_leave(void)
{
	t_stage = t_plugin = t_version = t_record = NULL;
}

static void put(const char *s)
{
	if (s && write(STDERR_FILENO, s, strlen(s)) < 0)
		return;
}

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return "SIGSEGV";
	case SIGBUS:
		return "SIGBUS";
	case SIGFPE:
		return "SIGFPE";
	case SIGILL:
		return "SIGILL";
	case SIGABRT:
		return "SIGABRT";
	}
	return "signal";
}

static int g_quarantine_fd = -1;

void wn_crash_quarantine_file(const char *path)
{
	if (g_quarantine_fd >= 0)
		close(g_quarantine_fd);
	g_quarantine_fd = path ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644) : -1;
}

/* One line for the next run: the record this thread crashed on. */
static void note_quarantine(int sig)
{
	int fd = g_quarantine_fd;
	if (fd < 0 || !t_record || !t_stage)
		return;
	const char *parts[] = {t_record, "\t",      t_stage, "\t",          t_plugin,
	                       " ",      t_version, "\t",    sig_name(sig), "\n"};
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		if (parts[i] && write(fd, parts[i], strlen(parts[i])) < 0)
			return;
	fsync(fd);
}

static void on_crash(int sig)
{
	note_quarantine(sig);
	put("winnow: crashed (");
	put(sig_name(sig));
	put(")");
	if (t_stage) {
		put(" in stage '");
		put(t_stage);
		put("' (plugin ");
		put(t_plugin);
		put(" ");
		put(t_version);
		put(")");
		if (t_record) {
			put(" on record ");
			put(t_record);
		}
	} else {
		put(" outside any plugin");
	}
	put("; outputs of this run are not committed");
	if (t_record && g_quarantine_fd >= 0)
		put("; the next run quarantines that record");
	put("\n");
	/* SA_RESETHAND restored the default action: die with the same signal
	 * so the exit status tells what happened. */
	raise(sig);
}

void wn_crash_install(void)
{
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	wn_crash_thread_init();
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

void wn_crash_thread_init(void)
{
	if (t_altstack)
		return;
	size_t size = 64 * 1024;
	t_altstack = wn_xmalloc(size);
	stack_t ss = {.ss_sp = t_altstack, .ss_size = size, .ss_flags = 0};
	if (sigaltstack(&ss, NULL)) {
		free(t_altstack);
		t_altstack = NULL;
	}
}

void wn_crash_thread_done(void)
{
	if (!t_altstack)
		return;
	stack_t ss = {.ss_flags = SS_DISABLE};
	sigaltstack(&ss, NULL);
	free(t_altstack);
	t_altstack = NULL;
}

const char *wn_crash_current_stage(void)
{
	return t_stage;
}

void wn_crash_point(const char *point)
{
	const char *at = getenv("WINNOW_CRASH_AT");
	if (at && strcmp(at, point) == 0)
		kill(getpid(), SIGKILL);
}
