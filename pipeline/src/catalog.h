/*
 * The host side of the field catalogue (winnow/fields.h): which fields
 * are times (parsed and written in their single format by
 * lib/core/datetime.h), and the printers behind `winnow schema`.
 */
#ifndef WN_CATALOG_H
#define WN_CATALOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "datetime.h" /* wn_time, wn_time_parse, wn_time_format */

/* True when `name` is a catalogue field with the time format. */
int wn_catalog_is_time(const char *name);

/* Prints the catalogue: markdown=0 a plain table for a terminal, 1 the
 * Markdown page docs/schema.md is (byte for byte). */
void wn_catalog_print(FILE *f, int markdown);

/* `winnow schema [--markdown]`: argv[0] is "schema". Returns an exit code
 * (0, or 64 on a usage error). */
int wn_catalog_cli(int argc, char **argv);

#endif
