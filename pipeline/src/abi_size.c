/*
 * ABI 2.0 struct sizes: see abi_size.h.
 *
 * ABI 2.0 is the first layout of every struct, so today min == host for
 * each. A minor that appends a member grows `host` and keeps `min`; the
 * copies below then leave the new member zero for an older plugin.
 */
#include "abi_size.h"

#include <stdio.h>
#include <string.h>

/* The ABI 2.0 size of T whose last 2.0 member is m: m's end rounded up to
 * T's alignment, which is sizeof(T) as long as T has nothing after m. */
#define SIZE_2_0(T, m) ((WN_END_OF(T, m) + _Alignof(T) - 1) / _Alignof(T) * _Alignof(T))

const wn_abi_struct wn_abi_entity = {"wn_entity", SIZE_2_0(wn_entity, stage), sizeof(wn_entity),
                                     "WN_ENTITY_INIT"};
const wn_abi_struct wn_abi_option = {"wn_option", SIZE_2_0(wn_option, max), sizeof(wn_option),
                                     "WN_PLUGIN_HEADER"};
const wn_abi_struct wn_abi_http_req = {"wn_http_req", SIZE_2_0(wn_http_req, flags),
                                       sizeof(wn_http_req), "WN_HTTP_REQ_INIT"};
const wn_abi_struct wn_abi_http_resp = {"wn_http_resp", SIZE_2_0(wn_http_resp, fetched_at),
                                        sizeof(wn_http_resp), "WN_HTTP_RESP_INIT"};

wn_err wn_abi_size_check(const wn_abi_struct *s, size_t size, const char *what, char *why, size_t n)
{
	if (size >= s->min && size <= s->host)
		return WN_E_OK;
	char range[64];
	if (s->min == s->host)
		snprintf(range, sizeof(range), "%zu", s->host);
	else
		snprintf(range, sizeof(range), "%zu to %zu", s->min, s->host);
	snprintf(why, n,
	         "%s is %zu, but a %s of plugin ABI %d.%d is %s bytes: build against this "
	         "winnow's plugin.h and set the size with %s",
	         what, size, s->name, WN_ABI_MAJOR, WN_ABI_MINOR, range, s->init);
	return WN_E_PLUGIN;
}

void wn_abi_copy_in(void *host, size_t host_size, const void *plug, size_t plug_size)
{
	memset(host, 0, host_size);
	memcpy(host, plug, plug_size < host_size ? plug_size : host_size);
}

const void *wn_abi_at(const void *base, size_t stride, size_t i)
{
	return (const char *)base + stride * i;
}
