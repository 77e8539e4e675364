/*
 * Descriptor checks, on descriptors made in memory: every refusal says
 * what is wrong, and a good descriptor passes. (Loading real broken .so
 * files is tests/e2e/bad_plugins.sh.)
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "loader.h"

typedef struct st {
	int64_t n;
} st;

static int process(const wn_ctx *cx, wn_record *r)
{
	(void)cx;
	(void)r;
	return WN_OK;
}

static const wn_option good_opts[] = {
    {"n", WN_OPT_INT, "1", 0, offsetof(st, n), "a number", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static const wn_option bad_offset[] = {
    {"n", WN_OPT_INT, "1", 0, 4096, "out of the state", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static wn_plugin good(void)
{
	wn_plugin p = {WN_PLUGIN_HEADER,
	               WN_KIND_TRANSFORM,
	               "good",
	               "1.0.0",
	               "ok",
	               .options = good_opts,
	               .state_size = sizeof(st),
	               .process = process};
	return p;
}

/* Runs the check and returns its messages (caller frees). */
static char *checked(const wn_plugin *p, size_t avail, const char *name, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	wn_diag d = {.out = open_memstream(&buf, &len)};
	*rc = wn_loader_check(p, avail, name, "/x/p.so", &d, "c.yaml", 3, 5);
	fclose(d.out);
	return buf;
}

static void expect(const wn_plugin *p, size_t avail, const char *name, const char *msg)
{
	int rc;
	char *out = checked(p, avail, name, &rc);
	CHECK(rc == WN_E_PLUGIN);
	CHECK(CONTAINS(out, "c.yaml:3:5: error:"));
	if (!CONTAINS(out, msg))
		fprintf(stderr, "  expected '%s' in: %s", msg, out ? out : "(nothing)");
	CHECK(CONTAINS(out, msg));
	free(out);
}

int main(void)
{
	int rc;
	wn_plugin p = good();
	char *out = checked(&p, 0, "good", &rc);
	CHECK(rc == 0 && (!out || !*out));
	free(out);

	p = good();
	p.abi_major = WN_ABI_MAJOR + 1;
	expect(&p, 0, "good", "rebuild the plugin");
	p = good();
	p.abi_minor = WN_ABI_MINOR + 1;
	expect(&p, 0, "good", "newer than this winnow");
	p = good();
	p.struct_size = 16;
	expect(&p, 0, "good", "descriptor size 16");
	p = good();
	expect(&p, 8, "good", "not a winnow descriptor");
	expect(&p, sizeof(p) - 8, "good", "descriptor size");
	p = good();
	p.abi_major = 1;
	p.abi_minor = 1;
	expect(&p, 0, "good",
	       "plugin 'good' (/x/p.so) was built for plugin ABI 1.1, but this winnow " WN_VERSION
	       " speaks ABI 2.0: ABI 1.x structs carry no size");
	/* The option table's stride: absent (0), older and smaller, larger. */
	p = good();
	p.option_size = 0;
	expect(&p, 0, "good", "its option_size is 0, but a wn_option of plugin ABI 2.0 is");
	p = good();
	p.option_size = sizeof(wn_option) - sizeof(double);
	expect(&p, 0, "good", "set the size with WN_PLUGIN_HEADER");
	p = good();
	p.option_size = sizeof(wn_option) + 8;
	expect(&p, 0, "good", "its option_size is");
	wn_plugin_head h = {WN_ABI_MAJOR, WN_ABI_MINOR, sizeof(wn_plugin), sizeof(wn_option)};
	CHECK(wn_loader_check_head(&h, 0, "good", "/x/p.so", &(wn_diag){0}, NULL, 0, 0) == 0);
	p = good();
	p.name = "other";
	expect(&p, 0, "good", "its descriptor is named 'other'");
	p = good();
	p.kind = 9;
	expect(&p, 0, "good", "unknown kind 9");
	p = good();
	p.process = NULL;
	expect(&p, 0, "good", "has no process or batch callback");
	p = good();
	p.kind = WN_KIND_SOURCE;
	expect(&p, 0, "good", "is a source but has no next callback");
	p = good();
	p.kind = WN_KIND_SINK;
	expect(&p, 0, "good", "is a sink but has no write callback");
	p = good();
	p.version = NULL;
	expect(&p, 0, "good", "no version string");
	p = good();
	p.options = bad_offset;
	int rc2;
	free(checked(&p, 0, "good", &rc2));
	CHECK(rc2 == WN_E_PLUGIN);

	CHECK_STR(wn_kind_name(WN_KIND_SINK), "sink");
	CHECK_STR(wn_kind_name(0), "?");

	/* A name that is nowhere on the path. */
	char *paths[] = {"/nonexistent-dir", NULL};
	char *buf = NULL;
	size_t len = 0;
	wn_diag d = {.out = open_memstream(&buf, &len)};
	wn_loaded l;
	CHECK(wn_loader_load("no_such_plugin", paths, &l, &d, "c.yaml", 1, 2) == WN_E_PLUGIN);
	fclose(d.out);
	CHECK(CONTAINS(buf, "c.yaml:1:2: error: no plugin named 'no_such_plugin'"));
	free(buf);

	/* The search path: extra folders first, then the environment's. */
	setenv("WINNOW_PLUGIN_PATH", "/env/a:/env/b", 1);
	char *extra[] = {"/mine", NULL};
	char **sp = wn_loader_search_path(extra);
	CHECK_STR(sp[0], "/mine");
	CHECK_STR(sp[1], "/env/a");
	CHECK_STR(sp[2], "/env/b");
	wn_loader_free_path(sp);
	return check_finish();
}
