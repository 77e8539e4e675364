/*
 * robots.txt (RFC 9309): the rules of the group that applies to one user
 * agent, and the question "may this path be fetched?".
 *
 * The group is chosen by the user agent's product token ("winnow" in
 * "winnow/1.0 (+mailto:...)"), compared case-insensitively; without such a
 * group the `*` group applies, and without that everything is allowed.
 * Patterns support `*` and a trailing `$`; the longest matching pattern
 * wins and Allow wins a tie. Crawl-delay (not in the RFC, widely used) is
 * kept for the HTTP service to honour.
 */
#ifndef WN_ROBOTS_H
#define WN_ROBOTS_H

#include <stddef.h>
#include <stdint.h>

/* The most robots.txt bytes read; RFC 9309 asks for at least 500 KiB. */
#define WN_ROBOTS_MAX_BYTES (512 * 1024)

typedef struct wn_robots wn_robots;

/* Parses `len` bytes of robots.txt for the user agent `agent` (its product
 * token is used). Text past WN_ROBOTS_MAX_BYTES is ignored. Returns rules
 * to free with wn_robots_free; never NULL. */
wn_robots *wn_robots_parse(const char *text, size_t len, const char *agent);

/* Rules that allow everything (allow = 1: robots.txt missing, 4xx) or
 * nothing (allow = 0: robots.txt unreachable, 5xx, as RFC 9309 says). */
wn_robots *wn_robots_all(int allow);

/* 1 when `path` (path and query, starting with '/') may be fetched. */
int wn_robots_allowed(const wn_robots *r, const char *path);

/* Crawl-delay in milliseconds for the chosen group, or -1 when unset. */
int64_t wn_robots_crawl_delay_ms(const wn_robots *r);

void wn_robots_free(wn_robots *r);

#endif
