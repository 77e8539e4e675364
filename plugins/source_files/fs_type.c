/*
 * source_files: file kinds and file:// URLs. See fs_type.h.
 */
#include "fs_type.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "utf8.h"

/* How far into a file the HTML markers are looked for. */
#define FS_SNIFF_WINDOW 1024

int fs_kind_by_name(const char *name)
{
	static const struct {
		const char *ext;
		int kind;
	} map[] = {{"html", FS_HTML}, {"htm", FS_HTML},  {"xhtml", FS_HTML},
	           {"txt", FS_TEXT},  {"text", FS_TEXT}, {"md", FS_TEXT}};
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name || strchr(dot, '/'))
		return -1;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcasecmp(dot + 1, map[i].ext) == 0)
			return map[i].kind;
	}
	return -1;
}

int fs_is_utf8(const unsigned char *b, size_t n)
{
	return wn_utf8_valid_prefix(b, n) == n;
}

int fs_has_bom(const unsigned char *b, size_t n)
{
	return n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF;
}

/* Case-insensitive "does the window contain needle". */
static int fs_window_has(const unsigned char *b, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++) {
		if (strncasecmp((const char *)b + i, needle, k) == 0)
			return 1;
	}
	return 0;
}

static int fs_looks_html(const unsigned char *b, size_t n)
{
	static const char *const opens[] = {"<!doctype html", "<html", "<head", "<body", NULL};
	size_t i = fs_has_bom(b, n) ? 3 : 0;
	while (i < n && b[i] && strchr(" \t\r\n\f", b[i]))
		i++;
	for (const char *const *o = opens; *o; o++) {
		size_t k = strlen(*o);
		if (n - i >= k && strncasecmp((const char *)b + i, *o, k) == 0)
			return 1;
	}
	size_t w = n < FS_SNIFF_WINDOW ? n : FS_SNIFF_WINDOW;
	return fs_window_has(b, w, "<p>") || fs_window_has(b, w, "<div");
}

/* Legacy 8-bit text (Latin-1, cp1252) is not UTF-8 but is still text:
 * no NUL and at most 1 in 20 bytes a control character. */
static int fs_mostly_printable(const unsigned char *b, size_t n)
{
	size_t ctl = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i] == 0)
			return 0;
		if (b[i] < 0x20 && !strchr("\t\n\r\f\v", b[i]))
			ctl++;
	}
	return ctl * 20 <= n;
}

int fs_sniff(const unsigned char *b, size_t n)
{
	if (memchr(b, 0, n))
		return FS_BINARY;
	if (fs_looks_html(b, n))
		return FS_HTML;
	if (fs_is_utf8(b, n) || fs_mostly_printable(b, n))
		return FS_TEXT;
	return FS_BINARY;
}

/* Removes "." segments and resolves ".." lexically in an absolute path,
 * in place ("/a/./b/../c" -> "/a/c"); ".." above "/" stays at "/". */
static void fs_normalize(char *p)
{
	char *out = p; /* p[0] == '/' */
	const char *s = p;
	while (*s) {
		while (*s == '/')
			s++;
		const char *e = strchr(s, '/');
		size_t k = e ? (size_t)(e - s) : strlen(s);
		if (k == 0 || (k == 1 && s[0] == '.')) {
			/* skip */
		} else if (k == 2 && s[0] == '.' && s[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, s, k);
			out += k;
		}
		s += k;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

char *fs_file_url(const char *path)
{
	char cwd[PATH_MAX];
	const char *pre = "";
	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof cwd))
			return NULL;
		pre = cwd;
	}
	size_t lp = strlen(pre), ln = strlen(path);
	char *abs = malloc(lp + ln + 2);
	if (!abs)
		return NULL;
	memcpy(abs, pre, lp);
	abs[lp] = '/';
	memcpy(abs + lp + 1, path, ln + 1);
	fs_normalize(abs);
	char *url = malloc(strlen("file://") + strlen(abs) * 3 + 1);
	if (url) {
		static const char hex[] = "0123456789ABCDEF";
		char *q = url + strlen("file://");
		memcpy(url, "file://", strlen("file://"));
		for (const unsigned char *s = (const unsigned char *)abs; *s; s++) {
			if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			    (*s >= '0' && *s <= '9') || strchr("-._~/", *s)) {
				*q++ = (char)*s;
			} else {
				*q++ = '%';
				*q++ = hex[*s >> 4];
				*q++ = hex[*s & 15];
			}
		}
		*q = '\0';
	}
	free(abs);
	return url;
}
