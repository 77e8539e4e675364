/*
 * libFuzzer target for the clean_text core: decoding, normalisation,
 * phrase matching and scoring must survive any bytes (no crash, no leak,
 * no UB) and always produce valid UTF-8.
 *
 *   CC=clang cmake -DWINNOW_FUZZ=ON -B build-fuzz && cmake --build build-fuzz --target
 * fuzz_clean_text build-fuzz/plugins/clean_text/fuzz_clean_text -max_total_time=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clean_core.h"
#include "text_norm.h"
#include "utf8.h"

extern const char wn_junk_phrases_default[];
extern const size_t wn_junk_phrases_default_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wn_phrases *ph = wn_phrases_new();
	wn_clean_opts o = {0};
	wn_clean_result res;
	size_t n;
	char *dec;

	if (!ph)
		return 0;
	wn_phrases_parse(ph, wn_junk_phrases_default, wn_junk_phrases_default_len, NULL);
	/* the input as a user phrase file too */
	wn_phrases_parse(ph, (const char *)data, size > 512 ? 512 : size, NULL);
	o.phrases = ph;
	o.known_title = size > 0 && (data[0] & 1) ? "Known title" : NULL;
	dec = wn_text_decode(data, size, size > 1 && (data[1] & 1) ? "charset=gbk" : NULL, &n);
	if (dec) {
		if (wn_utf8_valid_prefix((const unsigned char *)dec, n) != n)
			abort();
		free(dec);
	}
	if (wn_clean_text((const char *)data, size, &o, &res) == 0) {
		if (wn_utf8_valid_prefix((const unsigned char *)res.text, res.text_len) !=
		    res.text_len)
			abort();
		if (res.title && wn_utf8_valid_prefix((const unsigned char *)res.title,
		                                      strlen(res.title)) != strlen(res.title))
			abort();
		wn_clean_result_free(&res);
	}
	wn_phrases_free(ph);
	return 0;
}
