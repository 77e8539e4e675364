/*
 * ABI 2.0 struct sizes through the host table: add_entity and http_release
 * read a plugin's struct through its own size, refuse a size the host does
 * not know with a sentence that says what to do, and never touch a byte
 * past the stated size (the plugin's copies here are malloc'ed at exactly
 * that size, so ASan would report an over-read). http_fetch's sizes are
 * tested end to end (tests/e2e/abi_structs.sh).
 */
#include <stdlib.h>
#include <string.h>

#include "abi_size.h"
#include "check.h"
#include "record.h"
#include "run.h"

static void size_messages(void)
{
	char why[320];
	CHECK(wn_abi_size_check(&wn_abi_entity, sizeof(wn_entity), "e.size", why, sizeof(why)) ==
	      0);
	CHECK(wn_abi_size_check(&wn_abi_entity, 0, "e.size", why, sizeof(why)) == WN_E_PLUGIN);
	char want[320];
	snprintf(want, sizeof(want),
	         "e.size is 0, but a wn_entity of plugin ABI 2.0 is %zu bytes: build against this "
	         "winnow's plugin.h and set the size with WN_ENTITY_INIT",
	         sizeof(wn_entity));
	CHECK_STR(why, want);
	CHECK(wn_abi_size_check(&wn_abi_http_req, sizeof(wn_http_req) + 1, "q", why, sizeof(why)));
	CHECK(strstr(why, "WN_HTTP_REQ_INIT") != NULL);
	CHECK(wn_abi_size_check(&wn_abi_http_resp, 16, "s", why, sizeof(why)) == WN_E_PLUGIN);
	CHECK(strstr(why, "WN_HTTP_RESP_INIT") != NULL);
}

/* A plugin struct shorter than the host's: the host's copy has the
 * plugin's bytes, then zeros, and nothing past the plugin's size is read. */
static void copy_in(void)
{
	size_t small = offsetof(wn_entity, start);
	unsigned char *plug = malloc(small);
	memset(plug, 0xAB, small);
	wn_entity host;
	wn_abi_copy_in(&host, sizeof(host), plug, small);
	CHECK(memcmp(&host, plug, small) == 0);
	CHECK(host.start == 0 && host.end == 0 && host.confidence == 0 && host.stage == NULL);
	free(plug);
	char arr[3 * 40];
	CHECK(wn_abi_at(arr, 40, 2) == arr + 80);
}

static void add_entity(void)
{
	const wn_host_api *api = &wn_host_table;
	wn_record *r = wn_record_new(0);
	wn_entity *e = malloc(sizeof(*e)); /* exactly the plugin's size */
	*e = (wn_entity)WN_ENTITY_INIT;
	e->type = "ORG";
	e->text = "Acme";
	e->end = 4;
	CHECK(api->add_entity(r, e) == WN_OK);
	const wn_entity *got = api->entity_at(r, 0);
	CHECK(got && got->size == sizeof(wn_entity) && got->end == 4);
	CHECK_STR(got->text, "Acme");
	e->size = 0; /* WN_ENTITY_INIT forgotten */
	CHECK(api->add_entity(r, e) == WN_FATAL);
	CHECK_STR(r->reason_code, "abi_size");
	CHECK(strstr(r->reason,
	             "add_entity: wn_entity.size is 0, but a wn_entity of plugin ABI 2.0") ==
	      r->reason);
	e->size = sizeof(wn_entity) + 8; /* larger than any this host knows */
	CHECK(api->add_entity(r, e) == WN_FATAL);
	CHECK(api->entity_count(r) == 1);
	free(e);
	wn_record_free(r);
}

static void release(void)
{
	const wn_host_api *api = &wn_host_table;
	wn_http_resp *p = malloc(sizeof(*p));
	*p = (wn_http_resp)WN_HTTP_RESP_INIT;
	p->body = strdup("body");
	p->etag = strdup("\"x\"");
	p->rc = WN_OK;
	p->status = 200;
	api->http_release(p); /* frees (ASan: no leak), zeroes, keeps the size */
	CHECK(p->size == sizeof(wn_http_resp) && !p->body && !p->etag && p->status == 0);
	p->size = 0;
	p->status = 7;
	api->http_release(p); /* a size it does not know: left alone */
	CHECK(p->size == 0 && p->status == 7);
	free(p);
}

int main(void)
{
	size_messages();
	copy_in();
	add_entity();
	release();
	return check_finish();
}
