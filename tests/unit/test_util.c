/*
 * Internal helpers: did-you-mean, buffers with limits, hashing, paths.
 */
#include <stdlib.h>

#include "check.h"
#include "util.h"

int main(void)
{
	const char *keys[] = {"workers", "batch_size", "output_dir", "name", NULL};
	CHECK_STR(wn_closest("wrokers", keys), "workers");
	CHECK_STR(wn_closest("output-dir", keys), "output_dir");
	CHECK_STR(wn_closest("nmae", keys), "name");
	CHECK(wn_closest("zzzzzzzz", keys) == NULL);
	CHECK(wn_closest("x", NULL) == NULL);

	wn_buf b = {.limit = 8};
	CHECK(wn_buf_adds(&b, "abcd") == 0);
	CHECK(wn_buf_addf(&b, "%d", 123) == 0);
	CHECK(wn_buf_adds(&b, "xy") == -1); /* would pass the limit */
	CHECK_STR(b.p, "abcd123");
	wn_buf_reset(&b);
	CHECK(b.len == 0 && b.p[0] == 0);
	wn_buf_free(&b);

	char hex[65];
	wn_sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

	char *p = wn_path_join("/etc/winnow", "a.yaml");
	CHECK_STR(p, "/etc/winnow/a.yaml");
	free(p);
	p = wn_path_join("/etc/winnow/", "/abs");
	CHECK_STR(p, "/abs");
	free(p);
	p = wn_dirname("configs/default.yaml");
	CHECK_STR(p, "configs");
	free(p);
	p = wn_dirname("default.yaml");
	CHECK_STR(p, ".");
	free(p);
	char iso[32];
	wn_iso_utc(0, iso);
	CHECK_STR(iso, "1970-01-01T00:00:00Z");
	return check_finish();
}
