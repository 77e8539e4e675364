/*
 * Crash reports: when a plugin crashes the process (SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL, SIGABRT), say which stage, plugin and record it was in
 * before dying with the same signal. Each thread keeps where it is in
 * thread-local storage, set around every plugin callback.
 */
#ifndef WN_CRASH_H
#define WN_CRASH_H

/* Installs the handlers (once per process). */
void wn_crash_install(void);
/* Where a crash on a record is noted (an append-only file, one line
 * "RECORD_ID\tSTAGE\tPLUGIN VERSION\tSIGNAL" per crash) so the next run
 * quarantines that record instead of crashing on it again; the file is
 * opened now, as a signal handler cannot open it. NULL closes it. */
void wn_crash_quarantine_file(const char *path);
/* Gives the calling thread an alternate signal stack (so a stack overflow
 * can still be reported); pair with wn_crash_thread_done. */
void wn_crash_thread_init(void);
void wn_crash_thread_done(void);
/* Marks the thread as inside a callback of stage/plugin for record_id
 * (any may be NULL). The strings must outlive the callback. */
void wn_crash_enter(const char *stage, const char *plugin, const char *version,
                    const char *record_id);
void wn_crash_leave(void);
/* The stage id the calling thread is in a callback of, or NULL. The host
 * uses it to stamp entities with the stage that added them. */
const char *wn_crash_current_stage(void);

/* Fault injection for the kill tests: when the environment variable
 * WINNOW_CRASH_AT equals `point`, the process kills itself with SIGKILL
 * right there, as a power cut or an OOM kill would. The commit names its
 * steps ("commit:staged", "commit:prepared", "commit:published",
 * "commit:ledger") so every window of it is tested without depending on
 * timing. Costs one getenv per call; never set in production. */
void wn_crash_point(const char *point);

#endif
