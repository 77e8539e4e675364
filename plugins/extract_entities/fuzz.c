/*
 * libFuzzer target over the stage core (tokenizer, gazetteers, rules,
 * tagger, linking): any byte string must be processed without a crash or
 * a sanitizer report. Built with -DWINNOW_FUZZ=ON under clang.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static wn_ee ee; /* a fuzzer is one process: opened once */
	static wn_ee_work w;
	static int opened;
	if (!opened) {
		char err[256];
		const char *model = getenv("WN_EE_MODEL");
		if (wn_ee_open(&ee, model ? model : WN_EE_MODEL_SRC, "/usr/share/iso-codes/json",
		               "/usr/share/zoneinfo", WN_GEONAMES_MO, NULL, err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		opened = 1;
	}
	wn_refdate ref;
	wn_refdate_parse("2026-03-04", &ref);
	if (wn_ee_run(&ee, &w, (const char *)data, size, &ref, 1) == 0)
		for (size_t i = 0; i < w.ents.n; i++)
			if (w.ents.v[i].end > size || w.ents.v[i].start >= w.ents.v[i].end)
				abort();
	return 0;
}
