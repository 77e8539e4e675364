/*
 * lib/train/io.h: knobs from the environment (defaults, whole and real
 * numbers, and a mistyped value ending the process with status 2 rather
 * than training with a default) and the rows of generated tables.
 */
#include "check.h"
#include "io.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_env(void)
{
	unsetenv("WN_TEST_KNOB");
	CHECK(train_env_int("WN_TEST_KNOB", 7) == 7);
	CHECK(train_env_num("WN_TEST_KNOB", 0.25) == 0.25);
	setenv("WN_TEST_KNOB", "", 1); /* empty: the default, like unset */
	CHECK(train_env_int("WN_TEST_KNOB", 7) == 7);
	setenv("WN_TEST_KNOB", "-12", 1);
	CHECK(train_env_int("WN_TEST_KNOB", 7) == -12);
	setenv("WN_TEST_KNOB", "1e-3", 1);
	CHECK(train_env_num("WN_TEST_KNOB", 0) == 1e-3);
}

/* The exit status of a child that reads WN_TEST_KNOB=value as an int
 * (real: as a number), its stderr thrown away. */
static int child_status(const char *value, int real)
{
	pid_t pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		setenv("WN_TEST_KNOB", value, 1);
		if (real)
			train_env_num("WN_TEST_KNOB", 0);
		else
			train_env_int("WN_TEST_KNOB", 0);
		_exit(0);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_bad_knobs(void)
{
	CHECK(child_status("200", 0) == 0);
	CHECK(child_status("2OO", 0) == 2);         /* letter O: trailing junk */
	CHECK(child_status("1.5", 0) == 2);         /* not whole */
	CHECK(child_status("99999999999", 0) == 2); /* over int */
	CHECK(child_status("0.5", 1) == 0);
	CHECK(child_status("1e-4x", 1) == 2);
	CHECK(child_status("inf", 1) == 2);
}

static void test_write_floats(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);
	CHECK(o != NULL);
	if (!o)
		return;
	const float v[7] = {1, 0.5f, -2, 3.14159274f, 1e-8f, 0, 7};
	train_write_floats(o, v, 7);
	fclose(o);
	CHECK_STR(buf, "\n    1, 0.5, -2, 3.141593, 1e-08, 0,\n    7");
	free(buf);
}

int main(void)
{
	test_env();
	test_bad_knobs();
	test_write_floats();
	return check_finish();
}
