/*
 * test_gen: a source of synthetic articles for engine tests and benchmarks.
 * Record i gets url https://gen.example/<i>, a title, a `text` of about
 * `size` bytes whose words depend only on i (so outputs are reproducible),
 * an integer `n` = i, and a `lang` that alternates en/de.
 */
#include <stdio.h>
#include <string.h>

#include "winnow/plugin.h"

typedef struct gen_state {
	int64_t count;
	int64_t size;
	int64_t next;
} gen_state;

static const wn_option gen_options[] = {
    {"count", WN_OPT_INT, "1000", 0, offsetof(gen_state, count), "records to make", NULL, 0, 1e12},
    {"size", WN_OPT_SIZE, "2KB", 0, offsetof(gen_state, size), "bytes of text per record", NULL, 0,
     0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static void fill_text(char *buf, int64_t size, int64_t i)
{
	static const char *const words[] = {"market", "city",   "robot", "growth", "report",
	                                    "plan",   "energy", "data",  "policy", "year",
	                                    "bank",   "trade",  "model", "index",  "river"};
	uint64_t x = (uint64_t)i * 2654435761u + 1;
	int64_t n = 0;
	while (n < size - 16) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		const char *w = words[x % 15];
		size_t k = strlen(w);
		memcpy(buf + n, w, k);
		n += (int64_t)k;
		buf[n++] = (x >> 8) % 11 == 0 ? '.' : ' ';
	}
	buf[n] = '\0';
}

static int gen_next(const wn_ctx *cx, wn_record *r)
{
	gen_state *s = cx->state;
	if (s->next >= s->count)
		return WN_DONE;
	int64_t i = s->next++;
	char url[64], title[64];
	snprintf(url, sizeof(url), "https://gen.example/%lld", (long long)i);
	snprintf(title, sizeof(title), "Article %lld", (long long)i);
	char *buf = cx->api->alloc(r, (size_t)s->size + 64);
	if (!buf)
		return WN_FATAL;
	fill_text(buf, s->size, i);
	const wn_host_api *a = cx->api;
	if (a->set_str(r, "url", url) || a->set_str(r, "title", title) ||
	    a->set_str(r, "lang", i % 2 ? "de" : "en") || a->set_int(r, "n", i) ||
	    a->set_str(r, "text", buf))
		return WN_ERROR;
	return WN_OK;
}

static const char *const gen_gives[] = {"url", "title", "lang", "n", "text", NULL};

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_test_gen = {
    WN_PLUGIN_HEADER,
    .kind = WN_KIND_SOURCE,
    .name = "test_gen",
    .version = "1.0.0",
    .description = "synthetic articles for tests and benchmarks",
    .options = gen_options,
    .state_size = sizeof(gen_state),
    .gives = gen_gives,
    .next = gen_next,
};
