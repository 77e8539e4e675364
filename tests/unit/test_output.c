/*
 * Outputs: written under temporary names, renamed together on commit,
 * removed on abort; paths may not leave the output folder.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "run.h"

static int exists(const char *dir, const char *name)
{
	char *p = wn_path_join(dir, name);
	int ok = access(p, F_OK) == 0;
	free(p);
	return ok;
}

int main(void)
{
	char dir[] = "/tmp/wn-output-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	wn_run run;
	wn_run_init(&run, "t", dir, ".");
	run.log_level = -1; /* the refusals below are expected: keep quiet */

	struct wn_output *a = wn_output_open(&run, "s", "a.txt");
	struct wn_output *b = wn_output_open(&run, "s", "sub/b.txt");
	CHECK(a && b);
	CHECK(wn_output_open(&run, "s", "a.txt") == NULL);     /* taken */
	CHECK(wn_output_open(&run, "s", "../escape") == NULL); /* outside */
	CHECK(wn_output_open(&run, "s", "/abs") == NULL);
	CHECK(wn_output_write(a, "hello\n", 6) == WN_OK);
	CHECK(wn_output_write(b, "b\n", 2) == WN_OK);
	CHECK(!exists(dir, "a.txt") && !exists(dir, "sub/b.txt"));
	CHECK(wn_outputs_commit(&run) == 0);
	CHECK(exists(dir, "a.txt") && exists(dir, "sub/b.txt"));

	/* An aborted second round leaves the first outputs as they were. */
	a = wn_output_open(&run, "s", "a.txt");
	CHECK(wn_output_write(a, "partial", 7) == WN_OK);
	wn_outputs_abort(&run);
	char *path = wn_path_join(dir, "a.txt");
	FILE *f = fopen(path, "r");
	char line[32] = "";
	CHECK(f && fgets(line, sizeof(line), f));
	if (f)
		fclose(f);
	CHECK_STR(line, "hello\n");
	free(path);

	/* Temp files of a dead process are swept; the folder is then clean. */
	char *stale = wn_path_join(dir, ".x.tmp.999999999");
	f = fopen(stale, "w");
	if (f)
		fclose(f);
	wn_outputs_sweep(dir);
	CHECK(access(stale, F_OK) != 0);
	free(stale);
	wn_run_destroy(&run);
	char *cmd = wn_xasprintf("rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	return check_finish();
}
