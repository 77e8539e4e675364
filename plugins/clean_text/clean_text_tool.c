/*
 * clean_text_tool: runs the clean_text core on a file, for tuning and for
 * users who want to see why a line went.
 *
 *   clean_text_tool [-v] [-H] [-p phrases.txt] [-T known-title] FILE
 *   clean_text_tool [-H] [-p phrases.txt] -o OUTDIR FILE...
 *
 * Prints the detected title (if any) as "# title" and a blank line, then
 * the cleaned text. With -v, prints every line's score and signals to
 * stderr ("-" = dropped). -H: the text is clean_html's output (see
 * wn_clean_opts.from_html). With -o (batch mode, for benches), writes each
 * FILE's cleaned text (no title line) to OUTDIR/<its base name> and prints
 * "files N bytes B seconds S" (S: time spent decoding and cleaning only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clean_core.h"
#include "text_norm.h"

extern const char wn_junk_phrases_default[];
extern const size_t wn_junk_phrases_default_len;

/* Prints one scored line to stderr. */
static void explain(void *ud, const char *line, size_t len, double score, int dropped,
                    const char *why)
{
	(void)ud;
	fprintf(stderr, "%c %5.1f %-40.40s | %.*s\n", dropped ? '-' : '+', score, why,
	        (int)(len > 70 ? 70 : len), line);
}

/* Reads a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, len = 0, k;

	if (!f)
		return NULL;
	do {
		if (len + 65536 > cap) {
			char *nb = realloc(buf, cap = len + 65536);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		k = fread(buf + len, 1, cap - len, f);
		len += k;
	} while (k > 0);
	fclose(f);
	*n = len;
	return buf;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Batch mode: cleans each file into outdir; returns the exit status. */
static int batch(const wn_clean_opts *o, const char *outdir, char **files, int nfiles)
{
	double secs = 0;
	size_t bytes = 0;

	for (int i = 0; i < nfiles; i++) {
		wn_clean_result res;
		size_t n;
		char *in = slurp(files[i], &n), *dec;
		const char *base = strrchr(files[i], '/');
		char path[4096];
		FILE *f;
		double t0 = now();

		if (!in) {
			perror(files[i]);
			return 1;
		}
		bytes += n;
		dec = wn_text_decode(in, n, NULL, &n);
		if (!dec || wn_clean_text(dec, n, o, &res)) {
			fprintf(stderr, "%s: out of memory\n", files[i]);
			return 1;
		}
		secs += now() - t0;
		free(dec);
		free(in);
		snprintf(path, sizeof path, "%s/%s", outdir, base ? base + 1 : files[i]);
		f = fopen(path, "wb");
		if (!f || fprintf(f, "%s\n", res.text) < 0 || fclose(f)) {
			perror(path);
			return 1;
		}
		wn_clean_result_free(&res);
	}
	printf("files %d bytes %zu seconds %.6f\n", nfiles, bytes, secs);
	return 0;
}

int main(int argc, char **argv)
{
	wn_clean_opts o = {0};
	wn_clean_result res;
	wn_phrases *ph = wn_phrases_new();
	const char *path = NULL;
	char *in;
	size_t n;

	if (!ph || wn_phrases_parse(ph, wn_junk_phrases_default, wn_junk_phrases_default_len, NULL))
		return 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			o.explain = explain;
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			wn_phrases_load(ph, argv[++i], NULL);
		else if (!strcmp(argv[i], "-H"))
			o.from_html = 1;
		else if (!strcmp(argv[i], "-T") && i + 1 < argc)
			o.known_title = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			o.phrases = ph;
			return batch(&o, argv[i + 1], argv + i + 2, argc - i - 2);
		} else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: clean_text_tool [-v] [-p phrases] [-T title] FILE\n");
		return 2;
	}
	in = slurp(path, &n);
	if (!in) {
		perror(path);
		return 1;
	}
	o.phrases = ph;
	/* as the plugin does for `raw`: BOM, UTF-8, else windows-1252 */
	char *dec = wn_text_decode(in, n, NULL, &n);
	if (!dec || wn_clean_text(dec, n, &o, &res))
		return 1;
	free(dec);
	if (res.title)
		printf("# %s\n\n", res.title);
	printf("%s\n", res.text);
	wn_clean_result_free(&res);
	wn_phrases_free(ph);
	free(in);
	return 0;
}
