/*
 * lang_detect core tests: accuracy on the committed multilingual fixture
 * (tests/langs.tsv, 26 languages, 2 texts each; must be >= 95%), ISO
 * mapping, tag normalisation, undetermined short text, restricted lists,
 * confidence ordering.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lang_core.h"

/* Runs the detector over every "code<TAB>text" line; returns accuracy. */
static double accuracy(wn_langid *d, const char *path, int *total)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	int ok = 0, n = 0;

	CHECK(f != NULL);
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t'), code[12];
		double conf;
		if (line[0] == '#' || !tab)
			continue;
		*tab = '\0';
		line[strcspn(tab + 1, "\n") + (size_t)(tab + 1 - line)] = '\0';
		CHECK(strlen(tab + 1) >= 200);
		wn_langid_detect(d, tab + 1, strlen(tab + 1), 0, code, &conf);
		n++;
		if (!strcmp(code, line))
			ok++;
		else
			fprintf(stderr, "miss: %s detected as %s (%.2f)\n", line, code, conf);
	}
	fclose(f);
	*total = n;
	return n ? (double)ok / n : 0;
}

static void test_accuracy(const char *path)
{
	char err[256];
	wn_langid *d = wn_langid_open(WN_TEXTCAT_DIR, NULL, err, sizeof err);
	int n = 0;
	double acc;

	CHECK(d != NULL);
	if (!d) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	acc = accuracy(d, path, &n);
	printf("accuracy %.3f on %d texts\n", acc, n);
	CHECK(n >= 40);
	CHECK(acc >= 0.95);
	wn_langid_close(d);
}

static void test_mapping(void)
{
	char out[12];

	wn_langid_iso("zh-CN-utf8", out);
	CHECK_STR(out, "zh");
	wn_langid_iso("sh--utf8", out);
	CHECK_STR(out, "sr");
	wn_langid_iso("haw-utf8", out);
	CHECK_STR(out, "haw");
	wn_langid_iso("en--utf8", out);
	CHECK_STR(out, "en");
	wn_lang_tag_primary("EN_gb", out);
	CHECK_STR(out, "en");
	wn_lang_tag_primary("zh-Hans", out);
	CHECK_STR(out, "zh");
	wn_lang_tag_primary("iw", out);
	CHECK_STR(out, "he");
	CHECK(wn_lang_same("en-GB", "en"));
	CHECK(wn_lang_same("no", "nb"));
	CHECK(wn_lang_same("IW", "he"));
	CHECK(!wn_lang_same("nb", "nn"));
	CHECK(!wn_lang_same("en", "de"));
}

static void test_short_and_confidence(void)
{
	char err[256], code[12];
	double c1, c2;
	wn_langid *d = wn_langid_open(WN_TEXTCAT_DIR, NULL, err, sizeof err);
	const char *lng = "The committee will publish its final report next week, after months of "
	                  "hearings with experts, officials and residents of the affected towns.";

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(wn_langid_detect(d, "ok", 2, 0, code, &c1) == -1);
	CHECK_STR(code, WN_LANG_UNDETERMINED);
	CHECK(c1 == 0);
	CHECK(wn_langid_detect(d, "12345 678 90 !!", 15, 0, code, &c1) == -1);
	CHECK(wn_langid_detect(d, lng, strlen(lng), 0, code, &c1) == 0);
	CHECK_STR(code, "en");
	CHECK(wn_langid_detect(d, "The report is due.", 18, 0, code, &c2) == 0);
	CHECK(c1 > c2);
	CHECK(c1 >= 0.9 && c1 <= 1.0);
	/* max_bytes cuts on a character boundary */
	CHECK(wn_langid_detect(d, "日本語のテキストです。", 31, 7, code, &c1) == -1 ||
	      strcmp(code, "und") != 0);
	wn_langid_close(d);
}

static void test_restricted(void)
{
	char err[256], code[12];
	double conf;
	const char *const langs[] = {"da", "sv", NULL};
	const char *const none[] = {"xx", NULL};
	const char *no = "Regjeringen la fram et nytt forslag om skatt på fredag, og flere partier "
	                 "sier at de vil stemme imot i Stortinget neste uke.";
	wn_langid *d = wn_langid_open(WN_TEXTCAT_DIR, langs, err, sizeof err);

	CHECK(d != NULL);
	if (d) {
		wn_langid_detect(d, no, strlen(no), 0, code, &conf);
		CHECK(!strcmp(code, "da") || !strcmp(code, "sv"));
		wn_langid_close(d);
	}
	CHECK(wn_langid_open(WN_TEXTCAT_DIR, none, err, sizeof err) == NULL);
	CHECK(wn_langid_open("/nonexistent", NULL, err, sizeof err) == NULL);
}

int main(int argc, char **argv)
{
	test_mapping();
	test_short_and_confidence();
	test_restricted();
	if (argc > 1)
		test_accuracy(argv[1]);
	else
		CHECK(!"usage: test_lang_detect langs.tsv");
	return check_finish();
}
