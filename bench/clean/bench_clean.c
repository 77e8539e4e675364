/*
 * bench_clean: times wn_clean_page() over a set of pages in one process on
 * one core, and libxml2's parse-only ceiling (htmlReadMemory + xmlFreeDoc)
 * on the same bytes. Pages are loaded into memory first; only the
 * extraction is timed (best of `reps` passes, thread CPU time).
 *
 *   bench_clean OUT_DIR REPS FILE.html...
 *
 * Writes OUT_DIR/<id>.txt (id = file name without .html), the page types
 * in OUT_DIR/page_types.tsv ("id<TAB>type<TAB>confidence"), the authors in
 * OUT_DIR/authors.tsv ("id<TAB>author", empty when none) and prints one
 * line: "pages N bytes B clean_s S parse_s S".
 */
#include "wn_clean.h"

#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct page {
	char *buf;
	size_t len;
	char id[256];
} page;

static double now(void)
{
	struct timespec ts;
	/* CPU time of this thread, not wall time: the machine is shared, and
	 * both sides (clean and parse-only) are measured the same way */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int load(const char *path, page *p)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p->buf = malloc((size_t)n + 1);
	p->len = p->buf ? fread(p->buf, 1, (size_t)n, f) : 0;
	fclose(f);
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	snprintf(p->id, sizeof p->id, "%s", b);
	char *dot = strstr(p->id, ".html");
	if (dot)
		*dot = 0;
	return p->buf ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_clean OUT_DIR REPS FILE.html...\n");
		return 2;
	}
	const char *outdir = argv[1];
	int reps = atoi(argv[2]);
	int n = argc - 3;
	page *pages = calloc((size_t)n, sizeof *pages);
	size_t bytes = 0;
	for (int i = 0; i < n; i++) {
		if (load(argv[i + 3], &pages[i])) {
			fprintf(stderr, "cannot read %s\n", argv[i + 3]);
			return 1;
		}
		bytes += pages[i].len;
	}
	xmlInitParser();
	wn_clean_opts o;
	wn_clean_opts_init(&o);

	char tpath[4096];
	snprintf(tpath, sizeof tpath, "%s/page_types.tsv", outdir);
	FILE *types = fopen(tpath, "wb");
	snprintf(tpath, sizeof tpath, "%s/authors.tsv", outdir);
	FILE *authors = fopen(tpath, "wb");
	double best_clean = 1e30, best_parse = 1e30;
	for (int r = 0; r < reps; r++) {
		double t0 = now();
		for (int i = 0; i < n; i++) {
			wn_clean_doc d;
			wn_clean_page(pages[i].buf, pages[i].len, NULL, NULL, &o, &d);
			if (r == 0) {
				char path[4096];
				snprintf(path, sizeof path, "%s/%s.txt", outdir, pages[i].id);
				if (types)
					fprintf(types, "%s\t%s\t%.3f\n", pages[i].id,
					        d.page_type ? d.page_type : "error",
					        d.page_type_confidence);
				if (authors) /* one line each: no tab or newline inside */
					fprintf(authors, "%s\t%s\n", pages[i].id,
					        d.author && !strpbrk(d.author, "\t\n") ? d.author
					                                               : "");
				FILE *f = fopen(path, "wb");
				if (f) {
					if (d.text)
						fwrite(d.text, 1, d.text_len, f);
					fclose(f);
				}
			}
			wn_clean_doc_free(&d);
		}
		double t1 = now();
		if (r > 0 || reps == 1)
			best_clean = t1 - t0 < best_clean ? t1 - t0 : best_clean;
		t0 = now();
		for (int i = 0; i < n; i++) {
			xmlDoc *doc = htmlReadMemory(pages[i].buf, (int)pages[i].len, NULL, NULL,
			                             HTML_PARSE_RECOVER | HTML_PARSE_NONET |
			                                 HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			                                 HTML_PARSE_COMPACT);
			if (doc)
				xmlFreeDoc(doc);
		}
		t1 = now();
		best_parse = t1 - t0 < best_parse ? t1 - t0 : best_parse;
	}
	if (types)
		fclose(types);
	if (authors)
		fclose(authors);
	printf("pages %d bytes %zu clean_s %.6f parse_s %.6f\n", n, bytes, best_clean, best_parse);
	for (int i = 0; i < n; i++)
		free(pages[i].buf);
	free(pages);
	return 0;
}
