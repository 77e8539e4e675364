/*
 * Reading a descriptor's words from a .so file without loading it: the
 * bad plugins built beside the tests (WN_BUILD/bad_plugins) are read, and
 * none of them is dlopen'ed here, so their constructors must not run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "elf_peek.h"
#include "winnow/plugin.h"

static char *bad(const char *name)
{
	static char path[4096];
	const char *b = getenv("WN_BUILD");
	snprintf(path, sizeof(path), "%s/bad_plugins/%s.so", b ? b : ".", name);
	return path;
}

int main(void)
{
	uint32_t w[4] = {0, 0, 0, 0};
	size_t size = 0;
	CHECK(wn_elf_peek(bad("wrong_major"), "wn_plugin_wrong_major", w, sizeof(w), &size) ==
	      WN_ELF_FOUND);
	CHECK(w[0] == WN_ABI_MAJOR + 1 && w[1] == 0 && w[2] == sizeof(wn_plugin) &&
	      w[3] == sizeof(wn_option));
	CHECK(size >= sizeof(wn_plugin)); /* sanitizer builds may pad it */

	CHECK(wn_elf_peek(bad("old_abi1"), "wn_plugin_old_abi1", w, sizeof(w), &size) ==
	      WN_ELF_FOUND);
	CHECK(w[0] == 1 && w[1] == 1 && w[3] == WN_KIND_TRANSFORM); /* 1.x: kind is 4th */

	uint32_t t[4] = {7, 7, 7, 7};
	CHECK(wn_elf_peek(bad("tiny_symbol"), "wn_plugin_tiny_symbol", t, sizeof(t), &size) ==
	      WN_ELF_FOUND);
	CHECK(size == 2 * sizeof(uint32_t) && t[0] == WN_ABI_MAJOR && t[2] == 7); /* only 8 read */

	CHECK(wn_elf_peek(bad("no_descriptor"), "wn_plugin_no_descriptor", w, sizeof(w), &size) ==
	      WN_ELF_NO_SYMBOL);
	/* Not an ELF object, or no file: only dlopen can say why. */
	CHECK(wn_elf_peek("check.h", "wn_plugin_x", w, sizeof(w), &size) == WN_ELF_UNKNOWN);
	CHECK(wn_elf_peek("/nonexistent.so", "wn_plugin_x", w, sizeof(w), &size) == WN_ELF_UNKNOWN);
	return check_finish();
}
