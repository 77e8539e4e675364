/*
 * The engine driven directly, as the CLI does: a config made in memory
 * over the test plugins, prepared, run, and its run.json read back.
 * Checks exit codes, counters, the needs/gives check and kind checks.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "engine.h"

static char dir[] = "/tmp/wn-engine-XXXXXX";

/* Loads a config from text (plugin path and output folder filled in). */
static wn_config *config(const char *pipeline, wn_diag *d)
{
	const char *build = getenv("WN_BUILD");
	char *text =
	    wn_xasprintf("version: 1\n"
	                 "run: { output_dir: %s/out, workers: 2, plugin_path: [%s/testkit, "
	                 "%s/plugins] }\n"
	                 "sources: [{ id: gen, use: test_gen, with: { count: 100, size: 64 } }]\n"
	                 "%s\n"
	                 "sinks: [{ id: json, use: export_json }]\n",
	                 dir, build, build, pipeline);
	wn_cfg_doc *doc = wn_cfg_load_string(text, "engine.yaml", dir, d);
	free(text);
	wn_config *c = calloc(1, sizeof(*c));
	if (!doc || wn_config_build(doc, c, d)) {
		free(c);
		return NULL;
	}
	return c;
}

/* Runs a pipeline; returns the exit code (78 when it does not prepare). */
static int run(const char *pipeline, char **diag)
{
	size_t len;
	wn_diag d = {.out = open_memstream(diag, &len)};
	wn_config *c = config(pipeline, &d);
	wn_run_opts o = {.log_level = -1};
	wn_engine *e = c ? wn_engine_prepare(c, &o, &d) : NULL;
	int code = e ? wn_engine_run(e) : WN_EXIT_CONFIG;
	wn_engine_free(e);
	if (c) {
		wn_config_free(c);
		free(c);
	}
	fclose(d.out);
	return code;
}

static json_t *report(void)
{
	char *path = wn_xasprintf("%s/out/run.json", dir);
	json_t *j = json_load_file(path, 0, NULL);
	free(path);
	return j;
}

static long long records(json_t *j, const char *what)
{
	return json_integer_value(json_object_get(json_object_get(j, "records"), what));
}

int main(void)
{
	CHECK(mkdtemp(dir) != NULL);
	char *diag = NULL;

	CHECK(run("pipeline: [{ id: p, use: test_pass }]", &diag) == WN_EXIT_OK);
	json_t *j = report();
	CHECK(j && records(j, "exported") == 100 && records(j, "dead_lettered") == 0);
	json_decref(j);
	free(diag);

	CHECK(run("pipeline: [{ id: p, use: test_pass, with: { fail_every: 10, drop_every: 7 } }]",
	          &diag) == WN_EXIT_PARTIAL);
	j = report();
	/* n = 0..99: 10 multiples of 10 fail; of the rest, 13 multiples of 7
	 * (7, 14, ... 98 without 70) drop. */
	CHECK(j && records(j, "dead_lettered") == 10 && records(j, "dropped") == 13 &&
	      records(j, "exported") == 77);
	json_decref(j);
	free(diag);

	/* A stage that needs a field no earlier stage gives: refused. */
	CHECK(run("pipeline: [{ id: need, use: clean_html }]", &diag) == WN_EXIT_CONFIG);
	CHECK(CONTAINS(diag, "stage 'need' needs 'raw' but no earlier stage gives it"));
	free(diag);

	/* A sink used as a transform: refused at its line. */
	CHECK(run("pipeline: [{ id: j2, use: export_json }]", &diag) == WN_EXIT_CONFIG);
	CHECK(CONTAINS(diag, "engine.yaml:4:"));
	CHECK(CONTAINS(diag, "is a sink and cannot be used in pipeline"));
	free(diag);

	char *cmd = wn_xasprintf("rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	return check_finish();
}
