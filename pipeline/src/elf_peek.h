/*
 * Reading a plugin's descriptor words from its ELF file, before dlopen:
 * dlopen runs the object's constructors, so a plugin built for another
 * ABI would run code before the loader could refuse it. The descriptor's
 * first words are plain integers (no relocation touches them), so the
 * file holds them as the compiler wrote them.
 */
#ifndef WN_ELF_PEEK_H
#define WN_ELF_PEEK_H

#include <stddef.h>

enum wn_elf_peek_rc {
	WN_ELF_FOUND = 0,     /* symbol found, its first bytes copied */
	WN_ELF_NO_SYMBOL = 1, /* a readable ELF object without that symbol */
	WN_ELF_UNKNOWN = -1   /* not an ELF object of this machine's class and byte
	                       * order, no section headers, or unreadable: only
	                       * dlopen can tell */
};

/* Looks up the defined dynamic symbol `sym` in the ELF file at `path` and
 * copies its first min(want, symbol size) bytes into buf (zeros for a
 * .bss symbol); *size gets the symbol's size. Runs nothing of the file.
 * Returns an enum wn_elf_peek_rc. */
int wn_elf_peek(const char *path, const char *sym, void *buf, size_t want, size_t *size);

#endif
