/*
 * clean_text_tool: runs the clean_text core on a file, for tuning and for
 * users who want to see why a line went.
 *
 *   clean_text_tool [-v] [-H] [-p phrases.txt] [-T known-title] FILE
 *   clean_text_tool [-H] [-p phrases.txt] [-s SITE [-b N] [-m MEMORY]] -o OUTDIR FILE...
 *
 * Prints the detected title (if any) as "# title" and a blank line, then
 * the cleaned text. With -v, prints every line's score and signals to
 * stderr ("-" = dropped). -H: the text is clean_html's output (see
 * wn_clean_opts.from_html). With -o (batch mode, for benches), writes each
 * FILE's cleaned text (no title line) to OUTDIR/<its base name> and prints
 * "files N bytes B seconds S" (S: thread CPU time spent decoding and
 * cleaning only; with -H cleaning only, as the plugin gets clean_html's
 * text as a string and does not decode it).
 * -s SITE: the files are pages of one site, cleaned in batches of N (-b,
 * default 64) with the site memory as the plugin does (site_clean.h);
 * -m MEMORY: the memory file read at the start (it serves the whole run)
 * and updated with what the run learnt at the end, as the plugin's
 * site_memory option.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clean_core.h"
#include "site_clean.h"
#include "site_memory.h"
#include "text_norm.h"

extern const char wn_junk_phrases_default[];
extern const size_t wn_junk_phrases_default_len;

/* Prints one scored line to stderr: every signal (a line's why is short,
 * and a cut one hides what dropped it), the text's first 70 bytes. */
static void explain(void *ud, const char *line, size_t len, double score, int dropped,
                    const char *why)
{
	(void)ud;
	fprintf(stderr, "%c %5.1f %-40s | %.*s\n", dropped ? '-' : '+', score, why,
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

	/* CPU time of this thread, as bench/clean/bench_clean measures
	 * clean_html: the machine is shared, and wall time would count other
	 * people's jobs into clean_text's share */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Site options of the batch mode. */
typedef struct site_args {
	const char *site;   /* NULL: no site memory */
	const char *memory; /* memory file, or NULL */
	int batch;          /* pages per batch */
} site_args;

/* Writes one cleaned file into outdir. */
static int write_out(const char *outdir, const char *file, const wn_clean_result *res)
{
	const char *base = strrchr(file, '/');
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", outdir, base ? base + 1 : file);
	f = fopen(path, "wb");
	if (!f || fprintf(f, "%s\n", res->text) < 0 || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

/* Cleans files[0..n) as one batch; adds the time spent to *secs. */
static int one_batch(const wn_clean_opts *o, const site_args *sa, const wn_sitemem *mem,
                     wn_sitemem *learnt, const char *outdir, char **files, int n, double *secs,
                     size_t *bytes)
{
	wn_site_page pages[256] = {0};
	wn_clean_result res[256];
	char *dec[256] = {0};
	int rc = 0;

	for (int i = 0; i < n && !rc; i++) {
		size_t len;
		char *in = slurp(files[i], &len);
		if (!in) {
			perror(files[i]);
			rc = 1;
			break;
		}
		*bytes += len;
		double t0 = now();
		dec[i] = wn_text_decode(in, len, NULL, &pages[i].len);
		/* after clean_html the text reaches the plugin as a string,
		 * which it does not decode */
		if (!o->from_html)
			*secs += now() - t0;
		free(in);
		pages[i].text = dec[i];
		pages[i].site = sa->site;
		pages[i].from_html = o->from_html;
		if (!dec[i])
			rc = 1;
	}
	double t0 = now();
	if (!rc && wn_clean_site_batch(pages, (size_t)n, o, mem, sa->site ? 3 : 0, learnt, res)) {
		fprintf(stderr, "%s: out of memory\n", files[0]);
		rc = 1;
	}
	*secs += now() - t0;
	for (int i = 0; i < n; i++) {
		if (!rc && write_out(outdir, files[i], &res[i]))
			rc = 1;
		if (pages[i].text)
			wn_clean_result_free(&res[i]);
		free(dec[i]);
	}
	return rc;
}

/* Batch mode: cleans each file into outdir; returns the exit status. */
static int batch(const wn_clean_opts *o, const site_args *sa, const char *outdir, char **files,
                 int nfiles)
{
	double secs = 0;
	size_t bytes = 0;
	int step = sa->site ? sa->batch : 1, rc = 0;
	wn_sitemem *mem = sa->site ? wn_sitemem_new(0, 0) : NULL;
	wn_sitemem *learnt = sa->site ? wn_sitemem_new(0, 0) : NULL;
	char err[512];

	if (sa->memory && wn_sitemem_load(mem, sa->memory, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	for (int i = 0; i < nfiles && !rc; i += step)
		rc = one_batch(o, sa, mem, learnt, outdir, files + i,
		               nfiles - i < step ? nfiles - i : step, &secs, &bytes);
	if (!rc && sa->memory) {
		/* as the plugin: the memory read at the start serves the whole
		 * run; what the run learnt is added when it ends */
		if (wn_sitemem_merge(mem, learnt))
			rc = 1;
		wn_sitemem_end_run(mem);
		if (wn_sitemem_save(mem, sa->memory, err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			rc = 1;
		}
	}
	wn_sitemem_free(mem);
	wn_sitemem_free(learnt);
	if (!rc)
		printf("files %d bytes %zu seconds %.6f\n", nfiles, bytes, secs);
	return rc;
}

int main(int argc, char **argv)
{
	wn_clean_opts o = {0};
	wn_clean_result res;
	wn_phrases *ph = wn_phrases_new();
	const char *path = NULL;
	site_args sa = {NULL, NULL, 64};
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
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			sa.site = argv[++i];
		else if (!strcmp(argv[i], "-m") && i + 1 < argc)
			sa.memory = argv[++i];
		else if (!strcmp(argv[i], "-b") && i + 1 < argc) {
			sa.batch = atoi(argv[++i]);
			if (sa.batch < 1 || sa.batch > 256) {
				fprintf(stderr, "clean_text_tool: -b takes 1 to 256\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			o.phrases = ph;
			return batch(&o, &sa, argv[i + 1], argv + i + 2, argc - i - 2);
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
