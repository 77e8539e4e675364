/*
 * Site boilerplate memory: per site, how many pages were seen and on how
 * many of them each line (by the hash of its case-folded text) appeared. A line
 * that recurs on many pages of one site (a disclaimer, an author bio, a
 * newsletter box) is that site's boilerplate, whatever its wording; a
 * story line that merely shares words with it has another hash.
 *
 * Bounded: at most max_sites sites and max_lines lines per site, trimmed
 * deterministically (wn_sitemem_trim): the same counts give the same
 * memory, whatever the order they were added in. Not thread-safe: a
 * memory is used by one thread, or read-only by many (wn_sitemem_shared
 * below is the locked, process-wide form the plugin uses).
 */
#ifndef WN_SITE_MEMORY_H
#define WN_SITE_MEMORY_H

#include <stddef.h>
#include <stdint.h>

typedef struct wn_sitemem wn_sitemem;
typedef struct wn_sitemem_site wn_sitemem_site;

/* The hash a line is remembered by: 64-bit FNV-1a of its case-folded
 * text, digits and punctuation kept (so a stock sentence whose figures
 * change is not one line). Persisted in memory files: never change it. */
uint64_t wn_sitemem_hash(const char *folded, size_t n);

/* A new empty memory holding at most max_sites sites and max_lines lines
 * per site once trimmed (0: 1000 and 1000). NULL when out of memory. */
wn_sitemem *wn_sitemem_new(size_t max_sites, size_t max_lines);

void wn_sitemem_free(wn_sitemem *m);

/* Counts one page of `site`: pages + 1, and + 1 for each distinct hash
 * among the n given (repeats within the page count once). 0, or -1 when
 * out of memory (the memory stays consistent, the page partly counted). */
int wn_sitemem_add_page(wn_sitemem *m, const char *site, const uint64_t *h, size_t n);

/* Adds every count of src to dst (sites, pages, lines). 0 or -1. */
int wn_sitemem_merge(wn_sitemem *dst, const wn_sitemem *src);

/* The site's entry, or NULL when the memory has never seen it. */
const wn_sitemem_site *wn_sitemem_find(const wn_sitemem *m, const char *site);

/* Pages seen of a site (0 for NULL). */
uint32_t wn_sitemem_pages(const wn_sitemem_site *s);

/* Pages of a site the line appeared on (0 for NULL or an unknown line). */
uint32_t wn_sitemem_count(const wn_sitemem_site *s, uint64_t h);

/* Number of sites, and lines of the site (for tests and the bench). */
size_t wn_sitemem_sites(const wn_sitemem *m);
size_t wn_sitemem_lines(const wn_sitemem_site *s);

/* Ends a run: the run counter goes up and sites seen in it get the new
 * stamp; then trims. */
void wn_sitemem_end_run(wn_sitemem *m);

/* Applies the bounds: each site keeps its max_lines most frequent lines
 * (ties: smaller hash), then the memory keeps the max_sites sites seen
 * most recently (ties: more pages, then name). Deterministic. */
void wn_sitemem_trim(wn_sitemem *m);

/* Reads a memory file into m (added to what m holds). A missing file is
 * an empty memory. 0, or -1 with "PATH:LINE: what" in err. */
int wn_sitemem_load(wn_sitemem *m, const char *path, char *err, size_t errlen);

/* Writes m to path atomically (a temporary file renamed into place).
 * 0, or -1 with the reason in err. */
int wn_sitemem_save(const wn_sitemem *m, const char *path, char *err, size_t errlen);

/* The site key of a URL: its host, lower case, without "www." and port;
 * writes at most cap bytes with the NUL. 0, or -1 when the URL has no
 * host (file:, a bare path) or it does not fit. */
int wn_sitemem_site_of(const char *url, char *out, size_t cap);

/* --- the process-wide shared form ---------------------------------- */

/* One memory file shared by every instance of the plugin in the process
 * (each worker thread has its own instance): the memory as loaded when
 * the first instance opened it, read-only for the whole run (so a
 * decision never depends on which worker ran which batch before), and
 * the run's counts, added under a lock batch by batch. When the last
 * instance closes it, the run's counts are merged, trimmed and saved.
 * Sums do not depend on the order batches arrive in, nor does the trim. */
typedef struct wn_sitemem_shared wn_sitemem_shared;

/* Opens (or joins) the shared memory of path. NULL with err set when the
 * file is unreadable or malformed, or out of memory. */
wn_sitemem_shared *wn_sitemem_shared_open(const char *path, size_t max_sites, size_t max_lines,
                                          char *err, size_t errlen);

/* The memory as it was at the start of the run (read-only). */
const wn_sitemem *wn_sitemem_shared_snapshot(const wn_sitemem_shared *s);

/* Adds a batch's counts to the run's (locked). 0 or -1 (out of memory). */
int wn_sitemem_shared_add(wn_sitemem_shared *s, const wn_sitemem *batch);

/* Leaves the shared memory; the last one out saves it. 0, or -1 with err
 * set when saving failed. */
int wn_sitemem_shared_close(wn_sitemem_shared *s, char *err, size_t errlen);

#endif
