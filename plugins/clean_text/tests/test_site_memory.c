/*
 * The site memory: counts, bounds and files (site_memory.h), and the
 * two-pass batch cleaning (site_clean.h) on a synthetic site of 50 pages
 * (sitegen.h): the recurring disclaimer, bios and newsletter line are gone
 * from the second half of the pages (from every page, as each batch
 * learns), story lines that share words with them stay, and the result
 * does not depend on the order batches or pages come in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "clean_core.h"
#include "site_clean.h"
#include "site_memory.h"
#include "sitegen.h"

extern const char wn_junk_phrases_default[];
extern const size_t wn_junk_phrases_default_len;

static wn_phrases *phrases;
static char pages[SITEGEN_PAGES][8192];

static void test_counts(void)
{
	wn_sitemem *m = wn_sitemem_new(2, 3);
	uint64_t a[] = {11, 12, 11, 13}, b[] = {11, 14};
	const wn_sitemem_site *s;

	CHECK(wn_sitemem_add_page(m, "a.test", a, 4) == 0);
	CHECK(wn_sitemem_add_page(m, "a.test", b, 2) == 0);
	s = wn_sitemem_find(m, "a.test");
	CHECK(wn_sitemem_pages(s) == 2);
	CHECK(wn_sitemem_count(s, 11) == 2); /* twice on a page counts once */
	CHECK(wn_sitemem_count(s, 12) == 1);
	CHECK(wn_sitemem_count(s, 99) == 0);
	CHECK(wn_sitemem_find(m, "b.test") == NULL);
	CHECK(wn_sitemem_count(NULL, 11) == 0);
	/* trimmed to 3 lines: the most frequent, then the smaller hashes */
	wn_sitemem_trim(m);
	CHECK(wn_sitemem_lines(s) == 3);
	CHECK(wn_sitemem_count(s, 11) == 2 && wn_sitemem_count(s, 12) == 1);
	CHECK(wn_sitemem_count(s, 13) == 1 && wn_sitemem_count(s, 14) == 0);
	/* three sites, two kept: the most recently seen */
	wn_sitemem_end_run(m);
	CHECK(wn_sitemem_add_page(m, "b.test", b, 2) == 0);
	CHECK(wn_sitemem_add_page(m, "c.test", b, 2) == 0);
	wn_sitemem_end_run(m);
	CHECK(wn_sitemem_sites(m) == 2);
	CHECK(wn_sitemem_find(m, "a.test") == NULL);
	CHECK(wn_sitemem_find(m, "c.test") != NULL);
	wn_sitemem_free(m);

	char site[64];
	CHECK(wn_sitemem_site_of("https://WWW.Example.COM:8443/a/b?x", site, sizeof site) == 0);
	CHECK_STR(site, "example.com");
	CHECK(wn_sitemem_site_of("http://user:pw@news.test/x", site, sizeof site) == 0);
	CHECK_STR(site, "news.test");
	CHECK(wn_sitemem_site_of("file:///tmp/a.txt", site, sizeof site) == -1);
	CHECK(wn_sitemem_site_of("no url", site, sizeof site) == -1);
	CHECK(wn_sitemem_site_of("https://a-very-long-host.example/", site, 8) == -1);
}

/* Saves m to a temporary file and returns its contents (malloc'd). */
static char *saved(const wn_sitemem *m, const char *path)
{
	char err[256], *buf = calloc(1, 1 << 16);
	FILE *f;

	CHECK(wn_sitemem_save(m, path, err, sizeof err) == 0);
	f = fopen(path, "r");
	if (f && buf) {
		size_t n = fread(buf, 1, (1 << 16) - 1, f);
		buf[n] = '\0';
	}
	if (f)
		fclose(f);
	return buf;
}

static void test_files(const char *dir)
{
	char path[512], err[256], *x, *y;
	wn_sitemem *a = wn_sitemem_new(10, 4), *b = wn_sitemem_new(10, 4);
	wn_sitemem *ab = wn_sitemem_new(10, 4), *ba = wn_sitemem_new(10, 4);
	uint64_t h1[] = {5, 6, 7}, h2[] = {5, 8, 9, 10, 11};
	FILE *f;

	snprintf(path, sizeof path, "%s/ct-sitemem-%ld.txt", dir, (long)getpid());
	wn_sitemem_add_page(a, "x.test", h1, 3);
	wn_sitemem_add_page(a, "y.test", h2, 5);
	wn_sitemem_add_page(b, "y.test", h1, 3);
	wn_sitemem_add_page(b, "x.test", h2, 5);
	/* merged in either order and trimmed: the same file */
	wn_sitemem_merge(ab, a);
	wn_sitemem_merge(ab, b);
	wn_sitemem_merge(ba, b);
	wn_sitemem_merge(ba, a);
	wn_sitemem_end_run(ab);
	wn_sitemem_end_run(ba);
	x = saved(ab, path);
	y = saved(ba, path);
	CHECK(x && y && !strcmp(x, y));
	CHECK(x && strstr(x, "winnow-site-memory 1\nrun 1\n") == x);
	/* round trip */
	wn_sitemem *c = wn_sitemem_new(10, 4);
	CHECK(wn_sitemem_load(c, path, err, sizeof err) == 0);
	CHECK(wn_sitemem_count(wn_sitemem_find(c, "x.test"), 5) == 2);
	CHECK(wn_sitemem_pages(wn_sitemem_find(c, "y.test")) == 2);
	CHECK(wn_sitemem_lines(wn_sitemem_find(c, "x.test")) == 4);
	free(x);
	x = saved(c, path); /* saved again after loading: unchanged */
	CHECK(x && y && !strcmp(x, y));
	free(x);
	free(y);
	/* a missing file is an empty memory; a bad one says where */
	wn_sitemem *d = wn_sitemem_new(0, 0);
	remove(path);
	CHECK(wn_sitemem_load(d, path, err, sizeof err) == 0 && wn_sitemem_sites(d) == 0);
	f = fopen(path, "w");
	fputs("winnow-site-memory 1\nrun 2\nsite a.test 3 1 2\n00000000000000aa 2\nzz\n", f);
	fclose(f);
	CHECK(wn_sitemem_load(d, path, err, sizeof err) == -1);
	CHECK(strstr(err, ":5: expected \"HASH PAGES\"") != NULL);
	f = fopen(path, "w");
	fputs("<html>\n", f);
	fclose(f);
	CHECK(wn_sitemem_load(d, path, err, sizeof err) == -1);
	CHECK(strstr(err, ":1: not a site memory file") != NULL);
	remove(path);
	wn_sitemem_free(a);
	wn_sitemem_free(b);
	wn_sitemem_free(ab);
	wn_sitemem_free(ba);
	wn_sitemem_free(c);
	wn_sitemem_free(d);
}

/* Cleans pages[first..first+n) in the given order as one batch. */
static void clean_batch(const int *order, size_t n, const wn_sitemem *before, uint32_t min,
                        wn_sitemem *learnt, char **out)
{
	wn_site_page p[SITEGEN_PAGES];
	wn_clean_result r[SITEGEN_PAGES];
	wn_clean_opts o = {.phrases = phrases};

	memset(p, 0, sizeof p);
	for (size_t i = 0; i < n; i++) {
		p[i].text = pages[order[i]];
		p[i].len = strlen(pages[order[i]]);
		p[i].site = "harbourlight.test";
	}
	CHECK(wn_clean_site_batch(p, n, &o, before, min, learnt, r) == 0);
	for (size_t i = 0; i < n; i++) {
		free(out[order[i]]);
		out[order[i]] = strdup(r[i].text);
		wn_clean_result_free(&r[i]);
	}
}

/* Cleans the 50 pages in batches of `size`, batches in order or reversed,
 * pages in a batch in order or reversed. */
static void clean_site(size_t size, int reverse, const wn_sitemem *before, uint32_t min, char **out)
{
	size_t nb = (SITEGEN_PAGES + size - 1) / size;

	for (size_t k = 0; k < nb; k++) {
		size_t b = reverse ? nb - 1 - k : k, first = b * size;
		size_t n = first + size > SITEGEN_PAGES ? SITEGEN_PAGES - first : size;
		int order[SITEGEN_PAGES];
		for (size_t i = 0; i < n; i++)
			order[i] = (int)(reverse ? first + n - 1 - i : first + i);
		clean_batch(order, n, before, min, NULL, out);
	}
}

/* Boilerplate lines of the synthetic site found in text. */
static int boiler_in(const char *text)
{
	int n = 0;
	for (int k = 0; sitegen_boiler[k]; k++)
		n += strstr(text, sitegen_boiler[k]) != NULL;
	return n;
}

/* Story paragraphs of page i (the lines after the byline that are not
 * the site's boilerplate) missing from out. */
static int story_lost(int i, const char *out)
{
	char *copy = strdup(pages[i]), *save = NULL;
	int lost = 0, line = 0;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save), line++) {
		int boiler = 0;
		for (int k = 0; sitegen_boiler[k]; k++)
			boiler |= !strcmp(l, sitegen_boiler[k]);
		if (line >= 2 && !boiler && !strstr(out, l)) {
			fprintf(stderr, "page %d lost: %s\n", i, l);
			lost++;
		}
	}
	free(copy);
	return lost;
}

static void test_site(void)
{
	char *plain[SITEGEN_PAGES] = {0}, *mem[SITEGEN_PAGES] = {0}, *rev[SITEGEN_PAGES] = {0};
	char *big[SITEGEN_PAGES] = {0};
	int leak_plain = 0, leak_mem = 0, lost = 0, same = 1, shared_kept = 0;

	for (int i = 0; i < SITEGEN_PAGES; i++)
		sitegen_page(i, pages[i], sizeof pages[i]);
	clean_site(10, 0, NULL, 0, plain); /* no site memory */
	clean_site(10, 0, NULL, 3, mem);
	clean_site(10, 1, NULL, 3, rev);
	clean_site(50, 0, NULL, 3, big);
	for (int i = 0; i < SITEGEN_PAGES; i++) {
		leak_plain += boiler_in(plain[i]);
		if (i >= SITEGEN_PAGES / 2)
			leak_mem += boiler_in(mem[i]) + boiler_in(big[i]);
		lost += story_lost(i, mem[i]) + story_lost(i, big[i]);
		same &= !strcmp(mem[i], rev[i]);
		shared_kept += strstr(mem[i], "Analysts said the general information") != NULL;
	}
	/* without the memory, single-page cleaning keeps most of it */
	CHECK(leak_plain >= SITEGEN_PAGES);
	/* with it, the second half of the pages has none of it */
	CHECK(leak_mem == 0);
	/* story text kept, the sentences that share the disclaimer's words too */
	CHECK(lost == 0);
	CHECK(shared_kept == SITEGEN_PAGES / 5);
	/* batches and pages in another order: the same output */
	CHECK(same);
	/* the floor: two pages of a site teach nothing (min 3) */
	int two[2] = {0, 3};
	char *out2[SITEGEN_PAGES] = {0};
	clean_batch(two, 2, NULL, 3, NULL, out2);
	CHECK(!strcmp(out2[0], plain[0]) && !strcmp(out2[3], plain[3]));
	for (int i = 0; i < SITEGEN_PAGES; i++) {
		free(plain[i]);
		free(mem[i]);
		free(rev[i]);
		free(big[i]);
		free(out2[i]);
	}
}

/* Across runs: pages cleaned one at a time learn nothing within the run,
 * but the memory they leave cleans the next run's first page. */
static void test_runs(void)
{
	wn_sitemem *m = wn_sitemem_new(0, 0), *run = wn_sitemem_new(0, 0);
	char *out[SITEGEN_PAGES] = {0};
	int before = 0;

	for (int i = 0; i < 10; i++) {
		int one[1] = {i};
		clean_batch(one, 1, m, 3, run, out);
		before += boiler_in(out[i]);
	}
	CHECK(before >= 10); /* the memory did not act within... */
	CHECK(wn_sitemem_merge(m, run) == 0);
	wn_sitemem_end_run(m);
	wn_sitemem_free(run);
	int next[1] = {40};
	clean_batch(next, 1, m, 3, NULL, out);
	CHECK(boiler_in(out[40]) == 0); /* ...but does on the next run */
	CHECK(story_lost(40, out[40]) == 0);
	for (int i = 0; i < SITEGEN_PAGES; i++)
		free(out[i]);
	wn_sitemem_free(m);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	phrases = wn_phrases_new();
	CHECK(phrases && wn_phrases_parse(phrases, wn_junk_phrases_default,
	                                  wn_junk_phrases_default_len, NULL) == 0);
	test_counts();
	test_files(tmp && *tmp ? tmp : "/tmp");
	test_site();
	test_runs();
	wn_phrases_free(phrases);
	return check_finish();
}
