/*
 * Writes the synthetic site of the site-memory test (plugins/clean_text/
 * tests/sitegen.h) for bench/clean/text_run: DIR/pages/page-NN.txt (50
 * pages) and DIR/boiler.txt (the site's recurring lines, one a line).
 */
#include <stdio.h>

#include "sitegen.h"

int main(int argc, char **argv)
{
	char page[8192], path[4096];
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: sitegen DIR (DIR/pages must exist)\n");
		return 2;
	}
	for (int i = 0; i < SITEGEN_PAGES; i++) {
		size_t n = sitegen_page(i, page, sizeof page);
		snprintf(path, sizeof path, "%s/pages/page-%02d.txt", argv[1], i);
		if (!(f = fopen(path, "w")) || fwrite(page, 1, n, f) != n || fclose(f)) {
			perror(path);
			return 1;
		}
	}
	snprintf(path, sizeof path, "%s/boiler.txt", argv[1]);
	if (!(f = fopen(path, "w"))) {
		perror(path);
		return 1;
	}
	for (int k = 0; sitegen_boiler[k]; k++)
		fprintf(f, "%s\n", sitegen_boiler[k]);
	return fclose(f) != 0;
}
