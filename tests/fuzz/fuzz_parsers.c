/*
 * libFuzzer targets for every parser of untrusted input that is not a
 * cleaning stage (those have their own): one source, one target per
 * WN_FUZZ_* definition (tests/fuzz/CMakeLists.txt builds them all).
 *
 *   config    YAML config text: load, then build the typed model
 *   robots    robots.txt: parse, then ask it about a few paths
 *   url       URL canonicalisation and ids
 *   source    a source plugin (WN_FUZZ_PLUGIN: source_rss, source_sitemap,
 *             source_warc) reading the input as a file, to the end,
 *             through the runner's own one-stage host (solo.c)
 *
 * Every target must end without a crash, a sanitizer report or a leak,
 * whatever the bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "identity.h"
#include "record.h"
#include "robots.h"
#include "solo.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Diagnostics go nowhere: the fuzzer's own output stays readable. */
__attribute__((unused)) static FILE *sink(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

#if defined(WN_FUZZ_CONFIG)
static void one(const char *s, size_t n)
{
	(void)n;
	wn_diag d = {.out = sink()};
	wn_cfg_doc *doc = wn_cfg_load_string(s, "fuzz.yaml", "/nonexistent", &d);
	if (!doc)
		return;
	wn_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	wn_config_build(doc, &cfg, &d); /* takes doc, success or not */
	wn_config_free(&cfg);
}
#elif defined(WN_FUZZ_ROBOTS)
static void one(const char *s, size_t n)
{
	static const char *const paths[] = {"/", "/a/b?c=d", "/private/x", "/%7Euser", "/*$", ""};
	wn_robots *r = wn_robots_parse(s, n, "winnow/1.0 (+fuzz)");
	for (size_t i = 0; r && i < sizeof(paths) / sizeof(*paths); i++)
		(void)wn_robots_allowed(r, paths[i]);
	/* The input as a path too: long, odd and escaped paths. */
	if (r)
		(void)wn_robots_allowed(r, s);
	wn_robots_free(r);
}
#elif defined(WN_FUZZ_URL)
static void one(const char *s, size_t n)
{
	char id[17];
	char *c = wn_canonical_url(s);
	if (c) {
		/* Canonical form is a fixed point. */
		char *again = wn_canonical_url(c);
		free(again);
		free(c);
	}
	wn_url_id(s, id);
	wn_bytes_id(s, n, id);
}
#elif defined(WN_FUZZ_SOURCE)
#include <dlfcn.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The plugin is opened once for good (RTLD_NODELETE): libFuzzer keeps
 * pointers into its coverage counters, which must outlive every
 * dlclose that solo.c does after each input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char so[512];
	snprintf(so, sizeof(so), "%s/%s.so", WN_FUZZ_PLUGIN_DIR, WN_FUZZ_PLUGIN);
	if (!dlopen(so, RTLD_NOW | RTLD_NODELETE))
		fprintf(stderr, "fuzz: cannot open %s: %s\n", so, dlerror());
	return 0;
}

static void one(const char *s, size_t n)
{
	char path[] = "/tmp/wn-fuzz-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return;
	ssize_t w = write(fd, s, n);
	close(fd);
	if (w == (ssize_t)n) {
		char with[256];
		snprintf(with, sizeof(with), "{ files: [\"%s\"] }", path);
		wn_diag d = {.out = sink()};
		char *search[] = {(char *)WN_FUZZ_PLUGIN_DIR, NULL};
		wn_solo *so = wn_solo_open(WN_FUZZ_PLUGIN, search, with, "/tmp", &d);
		const wn_ctx *cx = so ? wn_solo_ctx(so) : NULL;
		for (int i = 0; cx && i < 100000; i++) {
			wn_record *r = wn_record_new(1 << 24);
			if (!r)
				break;
			int rc = so->stage.plugin.desc.next(cx, r);
			wn_record_free(r);
			if (rc == WN_DONE || rc == WN_FATAL)
				break;
		}
		wn_solo_close(so);
	}
	unlink(path);
}
#else
#error "define one of WN_FUZZ_CONFIG, WN_FUZZ_ROBOTS, WN_FUZZ_URL, WN_FUZZ_SOURCE"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	one(s, size);
	free(s);
	return 0;
}
