/*
 * Reading a symbol's bytes from an ELF file: see elf_peek.h.
 *
 * Only section headers are used (.dynsym and its string table, then the
 * section that holds the symbol). A stripped-to-the-bone object without
 * section headers answers WN_ELF_UNKNOWN and is left to dlopen. Every
 * offset and size read from the file is bounds-checked: the file is not
 * trusted.
 */
#include "elf_peek.h"
#include "util.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TABLE ((uint64_t)64 << 20) /* no plugin has 64 MiB of symbols */

#if __ELF_NATIVE_CLASS == 64
#define NATIVE_CLASS ELFCLASS64
#else
#define NATIVE_CLASS ELFCLASS32
#endif
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_DATA ELFDATA2LSB
#else
#define NATIVE_DATA ELFDATA2MSB
#endif

static int read_at(int fd, void *buf, uint64_t n, uint64_t off)
{
	return pread(fd, buf, (size_t)n, (off_t)off) == (ssize_t)n ? 0 : -1;
}

/* n bytes at off in a new buffer, or NULL. */
static void *read_new(int fd, uint64_t off, uint64_t n)
{
	if (n == 0 || n > MAX_TABLE)
		return NULL;
	void *p = wn_xmalloc((size_t)n);
	if (read_at(fd, p, n, off)) {
		free(p);
		return NULL;
	}
	return p;
}

/* The section headers of a native ELF object, or NULL. */
static ElfW(Shdr) * section_headers(int fd, size_t *n)
{
	ElfW(Ehdr) eh;
	if (read_at(fd, &eh, sizeof(eh), 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != NATIVE_CLASS || eh.e_ident[EI_DATA] != NATIVE_DATA ||
	    eh.e_shentsize != sizeof(ElfW(Shdr)) || eh.e_shnum == 0)
		return NULL;
	*n = eh.e_shnum;
	return read_new(fd, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(ElfW(Shdr)));
}

/* Copies the symbol's first bytes from the section that holds it. */
static int copy_symbol(int fd, const ElfW(Shdr) * sec, const ElfW(Sym) * s, void *buf, size_t want,
                       size_t *size)
{
	uint64_t n = s->st_size < want ? s->st_size : want;
	*size = (size_t)s->st_size;
	if (sec->sh_type == SHT_NOBITS) {
		memset(buf, 0, (size_t)n);
		return WN_ELF_FOUND;
	}
	if (s->st_value < sec->sh_addr || s->st_value - sec->sh_addr > sec->sh_size ||
	    sec->sh_size - (s->st_value - sec->sh_addr) < n)
		return WN_ELF_UNKNOWN;
	return read_at(fd, buf, n, sec->sh_offset + (s->st_value - sec->sh_addr)) ? WN_ELF_UNKNOWN
	                                                                          : WN_ELF_FOUND;
}

/* Finds `sym` in the dynamic symbol table described by sh[ds]. */
static int find_symbol(int fd, const ElfW(Shdr) * sh, size_t nsh, size_t ds, const char *sym,
                       void *buf, size_t want, size_t *size)
{
	const ElfW(Shdr) *d = &sh[ds];
	if (d->sh_entsize != sizeof(ElfW(Sym)) || d->sh_link >= nsh)
		return WN_ELF_UNKNOWN;
	const ElfW(Shdr) *st = &sh[d->sh_link];
	ElfW(Sym) *syms = read_new(fd, d->sh_offset, d->sh_size);
	char *strs = read_new(fd, st->sh_offset, st->sh_size);
	int rc = syms && strs ? WN_ELF_NO_SYMBOL : WN_ELF_UNKNOWN;
	size_t len = strlen(sym);
	for (size_t i = 0; rc == WN_ELF_NO_SYMBOL && i < d->sh_size / sizeof(*syms); i++) {
		const ElfW(Sym) *s = &syms[i];
		if (s->st_shndx == SHN_UNDEF || s->st_name >= st->sh_size ||
		    st->sh_size - s->st_name <= len || memcmp(strs + s->st_name, sym, len + 1) != 0)
			continue;
		rc = s->st_shndx < nsh ? copy_symbol(fd, &sh[s->st_shndx], s, buf, want, size)
		                       : WN_ELF_UNKNOWN;
	}
	free(syms);
	free(strs);
	return rc;
}

int wn_elf_peek(const char *path, const char *sym, void *buf, size_t want, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return WN_ELF_UNKNOWN;
	size_t nsh = 0;
	ElfW(Shdr) *sh = section_headers(fd, &nsh);
	int rc = WN_ELF_UNKNOWN;
	for (size_t i = 0; sh && i < nsh; i++) {
		if (sh[i].sh_type == SHT_DYNSYM) {
			rc = find_symbol(fd, sh, nsh, i, sym, buf, want, size);
			break;
		}
	}
	free(sh);
	close(fd);
	return rc;
}
