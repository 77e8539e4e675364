/*
 * The error policy's message paths (util.h, docs/architecture.md
 * "Errors"): the run logger's lines, the summary and progress lines that
 * share its lock, the messages outside a run, and the one exit on
 * allocation failure. stderr is captured into a temporary file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "run.h"
#include "util.h"

static int g_saved = -1;
static FILE *g_tmp;

/* Sends stderr into a fresh temporary file. */
static void capture_begin(void)
{
	fflush(stderr);
	g_saved = dup(2);
	g_tmp = tmpfile();
	dup2(fileno(g_tmp), 2);
}

/* Restores stderr and returns what was written (heap). */
static char *capture_end(void)
{
	fflush(stderr);
	dup2(g_saved, 2);
	close(g_saved);
	long n = ftell(g_tmp);
	char *s = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	rewind(g_tmp);
	if (n > 0 && fread(s, 1, (size_t)n, g_tmp) != (size_t)n)
		s[0] = '\0';
	fclose(g_tmp);
	return s;
}

static void expect_text(char *got, const char *want)
{
	CHECK_STR(got, want);
	free(got);
}

static void test_run_logger(void)
{
	wn_run run;
	memset(&run, 0, sizeof run);
	run.log_level = WN_LOG_WARN;
	pthread_mutex_init(&run.log_mu, NULL);

	capture_begin();
	wn_run_log(&run, "html", WN_LOG_ERROR, "bad %d", 7);
	wn_run_log(&run, NULL, WN_LOG_WARN, "careful");
	wn_run_log(&run, "html", WN_LOG_INFO, "not shown at level warning");
	expect_text(capture_end(), "winnow: [html] error: bad 7\nwinnow: warning: careful\n");

	/* The progress line is replaced by the next one, and cleared before
	 * any other line; a line after that has nothing to clear. */
	capture_begin();
	wn_run_progress(&run, "1 read");
	wn_run_progress(&run, "2 read");
	wn_run_say(&run, "partial run %s", "x");
	wn_run_say(&run, "time budget spent");
	wn_run_progress_clear(&run);
	expect_text(capture_end(), "\r\033[Kwinnow: 1 read\r\033[Kwinnow: 2 read"
	                           "\r\033[Kwinnow: partial run x\nwinnow: time budget spent\n");

	capture_begin();
	wn_run_progress(&run, "3 read");
	wn_run_progress_clear(&run);
	wn_run_progress_clear(&run);
	expect_text(capture_end(), "\r\033[Kwinnow: 3 read\r\033[K");
	pthread_mutex_destroy(&run.log_mu);
}

static void test_outside_a_run(void)
{
	capture_begin();
	wn_say("%s: %s", "plan.txt", "No such file or directory");
	int code = wn_usage_error("usage: winnow try PLUGIN\n", "try needs a %s", "PLUGIN");
	int code2 = wn_usage_error(NULL, "no usage");
	expect_text(capture_end(), "winnow: plan.txt: No such file or directory\n"
	                           "winnow: try needs a PLUGIN\nusage: winnow try PLUGIN\n"
	                           "winnow: no usage\n");
	CHECK(code == 64 && code2 == 64);
}

/* wn_oom is the one exit on allocation failure: message, exit status 1. */
static void test_oom(void)
{
	int fd[2];
	CHECK(pipe(fd) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 2);
		wn_oom();
	}
	close(fd[1]);
	char buf[64] = "";
	ssize_t n = read(fd[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd[0]);
	int st = 0;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK_STR(buf, "winnow: out of memory\n");
}

/* Every failure category is negative, so `if (f())` reads "failed". */
static void test_categories(void)
{
	const wn_err all[] = {WN_E_FAIL,   WN_E_IO,   WN_E_STORE, WN_E_CONFIG,
	                      WN_E_PLUGIN, WN_E_STOP, WN_E_LOCKED};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		CHECK(all[i] < WN_E_OK);
	CHECK(WN_E_OK == 0);
}

int main(void)
{
	test_run_logger();
	test_outside_a_run();
	test_oom();
	test_categories();
	return check_finish();
}
