/*
 * test_pass: a transform for engine tests. By default it passes records
 * through untouched (it reads the text, as a real stage would). Options
 * make it fail, drop, retry or crash on chosen records so the engine's
 * policies can be tested: records whose integer field `n` is a multiple of
 * `fail_every` fail, of `drop_every` are dropped, and so on.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "winnow/plugin.h"

typedef struct pass_state {
	int64_t fail_every, drop_every, retry_every, fatal_at, crash_at, abort_at, delay_ms;
	int fail_init;
	const char *tag;       /* when set, the field `tag` is set to it */
	int64_t gate_at;       /* record n that waits for gate_file */
	const char *gate_file; /* ... to exist: a test holds the run there */
	int64_t tries;         /* process calls seen (per instance) */
} pass_state;

#define OPT(nm, type, def, field, help)                                                            \
	{                                                                                          \
		nm, type, def, 0, offsetof(pass_state, field), help, NULL, 0, 0                    \
	}
static const wn_option pass_options[] = {
    OPT("fail_every", WN_OPT_INT, "0", fail_every, "fail records with n % this == 0"),
    OPT("drop_every", WN_OPT_INT, "0", drop_every, "drop records with n % this == 0"),
    OPT("retry_every", WN_OPT_INT, "0", retry_every,
        "return RETRY once for records with n % this == 0"),
    OPT("fatal_at", WN_OPT_INT, "-1", fatal_at, "return FATAL at record n"),
    OPT("crash_at", WN_OPT_INT, "-1", crash_at, "segfault at record n"),
    OPT("abort_at", WN_OPT_INT, "-1", abort_at, "abort() at record n"),
    OPT("delay_ms", WN_OPT_INT, "0", delay_ms, "sleep this long per record (slow stage)"),
    OPT("fail_init", WN_OPT_BOOL, "false", fail_init, "init fails"),
    OPT("tag", WN_OPT_STR, NULL, tag, "set field `tag` to this"),
    OPT("gate_at", WN_OPT_INT, "-1", gate_at, "at record n, wait until gate_file exists"),
    OPT("gate_file", WN_OPT_STR, NULL, gate_file,
        "the file record gate_at waits for (10 minutes at most)"),
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static int pass_init(const wn_ctx *cx)
{
	pass_state *s = cx->state;
	if (s->fail_init) {
		cx->api->log(cx, WN_LOG_ERROR, "init failed on purpose (fail_init)");
		return WN_FATAL;
	}
	return WN_OK;
}

static int every(int64_t n, int64_t k)
{
	return k > 0 && n % k == 0;
}

static int pass_process(const wn_ctx *cx, wn_record *r)
{
	pass_state *s = cx->state;
	const wn_host_api *a = cx->api;
	int64_t n = a->get_int(r, "n", INT64_MIN) /* absent: never a chosen n */;
	size_t len = 0;
	(void)a->get_str(r, "text", &len);
	if (s->delay_ms > 0) {
		struct timespec ts = {s->delay_ms / 1000, (s->delay_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (n == s->gate_at && s->gate_file) {
		/* Holds the run at a known point, so a test can act while it is
		 * live without guessing how long it takes. */
		struct timespec ts = {0, 10 * 1000000L};
		for (int i = 0; i < 60000 && access(s->gate_file, F_OK) != 0; i++)
			nanosleep(&ts, NULL);
	}
	if (n == s->abort_at)
		abort();
	if (n == s->crash_at)
		raise(SIGSEGV);
	if (n == s->fatal_at) {
		a->reason(r, "broken", "fatal on purpose at %lld", (long long)n);
		return WN_FATAL;
	}
	if (every(n, s->fail_every)) {
		a->reason(r, "bad_record", "record %lld fails on purpose", (long long)n);
		return WN_ERROR;
	}
	if (every(n, s->drop_every)) {
		a->reason(r, "unwanted", "record %lld dropped on purpose", (long long)n);
		return WN_DROP;
	}
	if (every(n, s->retry_every) && !a->get_int(r, "retried", 0)) {
		a->set_int(r, "retried", 1);
		a->reason(r, "flaky", "transient failure");
		return WN_RETRY;
	}
	if (s->tag && a->set_str(r, "tag", s->tag))
		return WN_ERROR;
	s->tries++;
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_test_pass = {
    WN_PLUGIN_HEADER,
    .kind = WN_KIND_TRANSFORM,
    .name = "test_pass",
    .version = "1.0.0",
    .description = "pass-through transform with injectable failures (tests only)",
    .options = pass_options,
    .state_size = sizeof(pass_state),
    .init = pass_init,
    .process = pass_process,
};
