/*
 * source_files: what a file is (by name, else by its first bytes) and
 * how it is named as a URL.
 */
#ifndef WN_FS_TYPE_H
#define WN_FS_TYPE_H

#include <stddef.h>

enum fs_kind { FS_BINARY = 0, FS_HTML = 1, FS_TEXT = 2 };

/* Kind implied by the file name's extension (case-insensitive): html,
 * htm, xhtml are FS_HTML; txt, text, md are FS_TEXT; anything else -1. */
int fs_kind_by_name(const char *name);

/* Kind judged from the bytes: HTML when, after a BOM and white space, it
 * opens with <!doctype html, <html, <head or <body, or has <p> or <div
 * in its first 1 KiB; text when valid UTF-8 or mostly printable without
 * NUL bytes; else binary. */
int fs_sniff(const unsigned char *b, size_t n);

/* True when all n bytes are valid UTF-8. */
int fs_is_utf8(const unsigned char *b, size_t n);

/* True when b starts with the UTF-8 byte order mark. */
int fs_has_bom(const unsigned char *b, size_t n);

/* The file:// URL of `path` as a malloc'd string: made absolute against
 * the current folder, "." and ".." removed, every byte outside the
 * unreserved set and '/' percent-encoded ("a b.txt" -> "a%20b.txt").
 * NULL when out of memory or the current folder is unknown. */
char *fs_file_url(const char *path);

#endif
