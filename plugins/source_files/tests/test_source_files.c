/*
 * source_files through the fake host: listing (folders, globs, include,
 * exclude, order), sniffing, size limit and file:// URLs, on the small
 * tree in tree/ (plus big.html for the size limit).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

#define TREE WN_TEST_DIR "/tree"

/* Opens the plugin with a `with:` mapping built from fmt. */
static wn_harness *open_with(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static wn_harness *open_with(const char *fmt, ...)
{
	char yaml[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(yaml, sizeof yaml, fmt, ap);
	va_end(ap);
	return wn_harness_open(WN_PLUGIN_SO, yaml, NULL);
}

/* Runs the source to the end and joins the `path` fields with '|'
 * into out; errors appear as "!reason-code". Returns the record count. */
static int drain(wn_harness *h, char *out, size_t size)
{
	const wn_host_api *api = wn_harness_api(h);
	int n = 0, rc;
	out[0] = '\0';
	for (;;) {
		wn_record *r = wn_harness_new_record(h);
		rc = wn_harness_next(h, r);
		if (rc == WN_DONE)
			break;
		const char *p = api->get_str(r, "path", NULL);
		size_t len = strlen(out);
		if (rc == WN_OK)
			snprintf(out + len, size - len, "%s%s", n ? "|" : "", p ? p : "?");
		else
			snprintf(out + len, size - len, "%s!%d", n ? "|" : "", rc);
		n++;
		if (n > 100)
			break; /* a source that never ends is a failure, not a hang */
	}
	return n;
}

static void test_recursive_folder(void)
{
	char got[1024];
	wn_harness *h = open_with("{ paths: [\"%s\"] }", TREE);
	CHECK(h != NULL);
	if (!h)
		return;
	drain(h, got, sizeof got);
	/* Sorted by relative path; blob (binary), style.css (not included)
	 * and the dot-file are absent. */
	CHECK_STR(got, "a.html|b.txt|notes|plain|sub/c.htm|sub/deep/d.md|with space.txt");
	CHECK(wn_harness_counter(h, "skipped_binary") == 1);
	CHECK(wn_harness_counter(h, "no_match") == 0);
	wn_harness_close(h);
}

static void test_not_recursive(void)
{
	char got[1024];
	wn_harness *h = open_with("{ paths: [\"%s\"], recursive: false }", TREE);
	CHECK(h != NULL);
	if (!h)
		return;
	drain(h, got, sizeof got);
	CHECK_STR(got, "a.html|b.txt|notes|plain|with space.txt");
	wn_harness_close(h);
}

static void test_globs_keep_entry_order(void)
{
	char got[1024];
	wn_harness *h = open_with(
	    "{ paths: [\"%s/sub/*.htm\", \"%s/*.txt\", \"%s/nothing*.html\"] }", TREE, TREE, TREE);
	CHECK(h != NULL);
	if (!h)
		return;
	drain(h, got, sizeof got);
	/* Entry order first, then name order; a pattern that matches
	 * nothing is only a warning. */
	CHECK_STR(got, "c.htm|b.txt|with space.txt");
	CHECK(wn_harness_counter(h, "no_match") == 1);
	wn_harness_close(h);
}

static void test_include_exclude(void)
{
	char got[1024];
	wn_harness *h =
	    open_with("{ paths: [\"%s\"], include: [\"*.md\", \"*.css\"], sniff: false }", TREE);
	CHECK(h != NULL);
	if (h) {
		drain(h, got, sizeof got);
		CHECK_STR(got, "style.css|sub/deep/d.md");
		wn_harness_close(h);
	}
	h = open_with("{ paths: [\"%s\"], exclude: [\"*.txt\", \"deep\", \"plain\"] }", TREE);
	CHECK(h != NULL);
	if (h) {
		drain(h, got, sizeof got);
		CHECK_STR(got, "a.html|notes|sub/c.htm");
		wn_harness_close(h);
	}
}

static void test_duplicates_once(void)
{
	char got[1024];
	wn_harness *h =
	    open_with("{ paths: [\"%s/sub\", \"%s/sub/c.htm\", \"%s/missing\"], missing_ok: true }",
	              TREE, TREE, TREE);
	CHECK(h != NULL);
	if (!h)
		return;
	drain(h, got, sizeof got);
	CHECK_STR(got, "c.htm|deep/d.md");
	CHECK(wn_harness_counter(h, "missing") == 1);
	wn_harness_close(h);
}

/* A named path that is not there stops the source (unless missing_ok):
 * a mount that is gone must not pass for a day without input. */
static void test_missing_fails(void)
{
	wn_harness *h = open_with("{ paths: [\"%s/sub\", \"%s/gone\"] }", TREE, TREE);
	CHECK(h == NULL);
	if (h)
		wn_harness_close(h);
}

/* Runs one named file and returns its record (or NULL). */
static wn_record *one(wn_harness *h, int *rc)
{
	wn_record *r = wn_harness_new_record(h);
	*rc = wn_harness_next(h, r);
	return r;
}

static void test_fields_and_sniffing(void)
{
	wn_harness *h = open_with("{ paths: [\"%s/notes\", \"%s/plain\", \"%s/with space.txt\", "
	                          "\"%s/blob\", \"%s/a.html\"] }",
	                          TREE, TREE, TREE, TREE, TREE);
	CHECK(h != NULL);
	if (!h)
		return;
	const wn_host_api *api = wn_harness_api(h);
	int rc;
	wn_record *r = one(h, &rc);
	CHECK(rc == WN_OK);
	CHECK_STR(api->get_str(r, "path", NULL), "notes");
	CHECK_STR(api->get_str(r, "content_type", NULL), "text/html; charset=utf-8");
	r = one(h, &rc);
	CHECK(rc == WN_OK);
	CHECK_STR(api->get_str(r, "content_type", NULL), "text/plain; charset=utf-8");
	r = one(h, &rc);
	CHECK(rc == WN_OK);
	const char *url = api->get_str(r, "url", NULL);
	CHECK(url && strncmp(url, "file:///", 8) == 0);
	CHECK(CONTAINS(url, "/tree/with%20space.txt"));
	CHECK(!CONTAINS(url, " "));
	/* blob is skipped as binary: the next record is a.html */
	r = one(h, &rc);
	CHECK(rc == WN_OK);
	CHECK_STR(api->get_str(r, "path", NULL), "a.html");
	CHECK_STR(api->get_str(r, "content_type", NULL), "text/html");
	size_t len = 0;
	int type = 0;
	const void *raw = api->get(r, "raw", &type, &len);
	CHECK(raw != NULL && type == WN_T_BYTES);
	CHECK(len > 20 && memcmp(raw, "<!DOCTYPE html>", 15) == 0);
	const char *when = api->get_str(r, "fetched_at", NULL);
	CHECK(when && strlen(when) == 20 && when[10] == 'T' && when[19] == 'Z');
	/* the id hashes "file:" + the root folder's name + the path under it
	 * (sha256("file:tree/a.html")), not the absolute path */
	CHECK_STR(api->get_str(r, "id", NULL), "10cde1d066efa51f");
	r = one(h, &rc);
	CHECK(rc == WN_DONE);
	wn_harness_close(h);
}

/* The same file reached through another spelling of its folder, or from
 * its folder rather than by name, keeps its id. */
static void test_stable_id(void)
{
	const char *entries[] = {"{ paths: [\"%s/../tree/a.html\"] }",
	                         "{ paths: [\"%s/./\"], include: [a.html], recursive: false }"};
	for (size_t i = 0; i < 2; i++) {
		wn_harness *h = open_with(entries[i], TREE);
		CHECK(h != NULL);
		if (!h)
			return;
		int rc;
		wn_record *r = one(h, &rc);
		CHECK(rc == WN_OK);
		CHECK_STR(wn_harness_api(h)->get_str(r, "id", NULL), "10cde1d066efa51f");
		wn_harness_close(h);
	}
}

static void test_max_size(void)
{
	wn_harness *h = open_with("{ paths: [\"%s/big.html\", \"%s/a.html\"], max_size: 200 }",
	                          WN_TEST_DIR, TREE);
	CHECK(h != NULL);
	if (!h)
		return;
	const wn_host_api *api = wn_harness_api(h);
	int rc;
	wn_record *r = one(h, &rc);
	CHECK(rc == WN_ERROR);
	const char *why = wn_harness_reason(r);
	CHECK_STR(wn_harness_reason_code(r), "too_large");
	CHECK(CONTAINS(why, "big.html"));
	CHECK(CONTAINS(why, "bytes"));
	CHECK(CONTAINS(api->get_str(r, "url", NULL), "big.html"));
	/* the run goes on with the next file */
	r = one(h, &rc);
	CHECK(rc == WN_OK);
	CHECK_STR(api->get_str(r, "path", NULL), "a.html");
	wn_harness_close(h);
}

static void test_two_instances(void)
{
	char a[1024], b[1024];
	wn_harness *h1 = open_with("{ paths: [\"%s\"] }", TREE);
	wn_harness *h2 = open_with("{ paths: [\"%s/sub\"] }", TREE);
	CHECK(h1 && h2);
	if (h1 && h2) {
		drain(h2, b, sizeof b);
		drain(h1, a, sizeof a);
		CHECK_STR(b, "c.htm|deep/d.md");
		CHECK(CONTAINS(a, "a.html|b.txt"));
	}
	if (h1)
		wn_harness_close(h1);
	if (h2)
		wn_harness_close(h2);
}

/* A file listed at init but gone at next: a per-record error naming it,
 * and the relative entry resolved against the (harness's) config folder. */
static void test_vanished_file(void)
{
	FILE *fp = fopen("vanish.txt", "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fputs("here now\n", fp);
	fclose(fp);
	wn_harness *h = open_with("{ paths: [vanish.txt] }");
	CHECK(h != NULL);
	unlink("vanish.txt");
	if (!h)
		return;
	int rc;
	wn_record *r = one(h, &rc);
	CHECK(rc == WN_ERROR);
	CHECK_STR(wn_harness_reason_code(r), "unreadable");
	CHECK(CONTAINS(wn_harness_reason(r), "vanish.txt"));
	CHECK(CONTAINS(wn_harness_reason(r), "No such file"));
	r = one(h, &rc);
	CHECK(rc == WN_DONE);
	wn_harness_close(h);
}

/* Symbolic links are followed only when asked, and a link back to an
 * enclosing folder is not walked twice. The tree is made in the build
 * folder so the source tree stays free of links. */
static void test_symlinks(void)
{
	char got[1024];
	unlink("links/self");
	unlink("links/sub");
	unlink("links/own.txt");
	rmdir("links");
	CHECK(mkdir("links", 0755) == 0);
	FILE *fp = fopen("links/own.txt", "w");
	CHECK(fp != NULL);
	if (fp)
		fclose(fp);
	CHECK(symlink(TREE "/sub", "links/sub") == 0);
	CHECK(symlink(".", "links/self") == 0);
	wn_harness *h = open_with("{ paths: [links] }");
	CHECK(h != NULL);
	if (h) {
		drain(h, got, sizeof got);
		CHECK_STR(got, "own.txt");
		wn_harness_close(h);
	}
	h = open_with("{ paths: [links], follow_symlinks: true }");
	CHECK(h != NULL);
	if (h) {
		drain(h, got, sizeof got);
		CHECK_STR(got, "own.txt|sub/c.htm|sub/deep/d.md");
		wn_harness_close(h);
	}
}

int main(void)
{
	test_recursive_folder();
	test_not_recursive();
	test_globs_keep_entry_order();
	test_include_exclude();
	test_duplicates_once();
	test_missing_fails();
	test_fields_and_sniffing();
	test_stable_id();
	test_max_size();
	test_two_instances();
	test_vanished_file();
	test_symlinks();
	return check_finish();
}
