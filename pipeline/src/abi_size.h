/*
 * ABI 2.0 struct sizes: which sizes of each exchanged struct the host
 * accepts, and the copies between a plugin's struct (its own size, maybe
 * an older and smaller layout) and the host's. Every place the host reads
 * or writes a plugin's wn_entity, wn_option, wn_http_req or wn_http_resp
 * goes through here, so no byte past the plugin's stated size is touched.
 */
#ifndef WN_ABI_SIZE_H
#define WN_ABI_SIZE_H

#include <stddef.h>

#include "util.h"
#include "winnow/plugin.h"

/* End of member m: the smallest size of a struct that has m. */
#define WN_END_OF(type, m) (offsetof(type, m) + sizeof(((type *)0)->m))

/* One exchanged struct: its name, the smallest size the host accepts (its
 * size in ABI 2.0), the host's own sizeof, and the macro that sets the size
 * in plugin code. */
typedef struct wn_abi_struct {
	const char *name;
	size_t min, host;
	const char *init;
} wn_abi_struct;

extern const wn_abi_struct wn_abi_entity, wn_abi_option, wn_abi_http_req, wn_abi_http_resp;

/* WN_E_OK when `size` is a size of `s` this host knows (min..host);
 * otherwise WN_E_PLUGIN with a sentence in why[n] naming the struct, the size, the sizes
 * this host takes and the macro to use. `what` names the value
 * ("wn_entity.size", "reqs[2].size"). */
wn_err wn_abi_size_check(const wn_abi_struct *s, size_t size, const char *what, char *why,
                         size_t n);

/* Zeroes host_size bytes at `host` and copies the first min(plug_size,
 * host_size) bytes of `plug` there: members the plugin's layout lacks
 * read as absent. Reads no byte of `plug` past plug_size. */
void wn_abi_copy_in(void *host, size_t host_size, const void *plug, size_t plug_size);

/* The i-th element of an array of `stride`-byte structs. */
const void *wn_abi_at(const void *base, size_t stride, size_t i);

#endif
