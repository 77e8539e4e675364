/* A transform that adds one entity whose `size` is its option `size`
 * (-1: WN_ENTITY_INIT's). The entity sits at the start of a 1 KiB zeroed
 * buffer, so a host that read past a wrong size would read zeros, not
 * crash: the test asserts the refusal, not luck. */
#include <string.h>

#include "winnow/plugin.h"

typedef struct st {
	int64_t size;
} st;

static const wn_option options[] = {
    {"size", WN_OPT_INT, "-1", 0, offsetof(st, size), "wn_entity.size to claim", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static int add_one(const wn_ctx *cx, wn_record *r)
{
	const st *s = cx->state;
	union {
		wn_entity e;
		char pad[1024];
	} u;
	memset(&u, 0, sizeof(u));
	wn_entity e = WN_ENTITY_INIT;
	e.type = "ORG";
	e.text = "Acme";
	e.start = 0;
	e.end = 4;
	e.confidence = 0.5;
	u.e = e;
	if (s->size >= 0)
		u.e.size = (size_t)s->size;
	return cx->api->add_entity(r, &u.e);
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_entity_size = {WN_PLUGIN_HEADER,
                                                          WN_KIND_TRANSFORM,
                                                          "entity_size",
                                                          "1.0.0",
                                                          "adds an entity of a given size",
                                                          options,
                                                          sizeof(st),
                                                          .process = add_one};
