/*
 * Base64 (RFC 4648, standard alphabet, padded): how bytes that are not
 * text travel inside JSON ({"base64": "..."} in `winnow try` records).
 */
#ifndef WN_BASE64_H
#define WN_BASE64_H

#include <stddef.h>

/* Encodes the n bytes at p into a malloc'd NUL-terminated string (free
 * it); *len gets its length when not NULL. NULL when out of memory. */
char *wn_base64_encode(const void *p, size_t n, size_t *len);

/* Decodes n characters of base64 text (padding optional) into a malloc'd
 * buffer of *len bytes (free it). NULL when s holds a character outside
 * the alphabet, or out of memory. */
unsigned char *wn_base64_decode(const char *s, size_t n, size_t *len);

#endif
