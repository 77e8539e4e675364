/*
 * libFuzzer target: arbitrary bytes (with a content type picked from the
 * first byte) through the whole cleaning path. Build with clang and
 * -DWINNOW_FUZZ=ON; run: build-fuzz/plugins/clean_html/fuzz_clean_html -max_total_time=120
 */
#include "wn_clean.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {NULL,
	                                    "text/html",
	                                    "text/html; charset=iso-8859-1",
	                                    "text/html; charset=shift_jis",
	                                    "text/plain",
	                                    "application/xhtml+xml; charset=utf-16"};
	const char *ct = size ? types[data[0] % 6] : NULL;
	wn_clean_opts o;
	wn_clean_opts_init(&o);
	o.max_size = 1 << 20;
	wn_clean_doc d;
	wn_clean_page((const char *)data, size, ct, "https://fuzz.example/2024/01/30/x", &o, &d);
	wn_clean_doc_free(&d);
	return 0;
}
