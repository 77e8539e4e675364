/* lib/core/sha256.h: the project's one SHA-256, as hex. */
#ifndef WN_CORE_SHA256_H
#define WN_CORE_SHA256_H

#include <stddef.h>

/* SHA-256 of the n bytes at data as 64 lower-case hex digits and a NUL into
 * out[65]. Record ids, content hashes, the config's hash, shard plans and the stable ids of
 * sources (their first 16 digits) are all made with it, so the runner and
 * the plugins agree on every id. Thread-safe (the digest is looked up once
 * per process). */
void wn_sha256_hex(const void *data, size_t n, char out[65]);

#endif
