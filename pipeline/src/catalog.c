/*
 * The field catalogue, host side: which fields hold times, and the
 * `winnow schema` printers. The catalogue itself is winnow/fields.h.
 *
 * Times are normalised from the record setter (record.c) with the one
 * date normaliser, lib/core/datetime.h, so a value is in its one format
 * from the moment any plugin sets it, whichever plugin that is; sinks then
 * only copy.
 */
#include "catalog.h"
#include "util.h"

#include <ctype.h>
#include <string.h>

#include "winnow/fields.h"

int wn_catalog_is_time(const char *name)
{
	switch (name[0]) { /* most field names are not times: decide fast */
	case 'p':
	case 'm':
	case 'l':
	case 'f':
		break;
	default:
		return 0;
	}
	const wn_field_def *f = wn_field_find(name);
	return f && f->fmt == WN_FMT_TIME;
}

/* --- printing -------------------------------------------------------- */

static const char *type_name(int type)
{
	switch (type) {
	case WN_T_STR:
		return "string";
	case WN_T_INT:
		return "integer";
	case WN_T_REAL:
		return "real";
	case WN_T_BYTES:
		return "bytes";
	default:
		return "?";
	}
}

/* A table cell: '|' would end the cell early, so it is escaped. */
static void md_cell(FILE *f, const char *s)
{
	fputs(" ", f);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
	}
	fputs(" |", f);
}

/* One table row: the name in backticks, then the cells. */
static void md_row(FILE *f, const char *name, const char *const *cells, size_t n)
{
	char quoted[80];
	snprintf(quoted, sizeof quoted, "`%s`", name);
	fputs("|", f);
	md_cell(f, quoted);
	for (size_t i = 0; i < n; i++)
		md_cell(f, cells[i]);
	fputs("\n", f);
}

static void print_markdown(FILE *f)
{
	fputs("### Article fields\n\n"
	      "| field | type | format / unit | set by | may be absent | meaning |\n"
	      "| --- | --- | --- | --- | --- | --- |\n",
	      f);
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *d = &wn_fields[i];
		const char *cells[] = {type_name(d->type), d->unit, d->stages,
		                       d->optional ? "yes" : "no", d->doc};
		md_row(f, d->name, cells, sizeof cells / sizeof *cells);
	}
	fputs("\n### Entity columns\n\n"
	      "| column | type | format / unit | may be absent | meaning |\n"
	      "| --- | --- | --- | --- | --- |\n",
	      f);
	for (size_t i = 0; i < WN_ENTITY_COL_COUNT; i++) {
		const wn_entity_col *c = &wn_entity_cols[i];
		const char *cells[] = {type_name(c->type), c->unit, c->optional ? "yes" : "no",
		                       c->doc};
		md_row(f, c->name, cells, sizeof cells / sizeof *cells);
	}
}

static void print_plain(FILE *f)
{
	fprintf(f, "%-20s %-8s %-3s %-40s %s\n", "FIELD", "TYPE", "OPT", "FORMAT/UNIT", "SET BY");
	for (size_t i = 0; i < WN_FIELD_COUNT; i++) {
		const wn_field_def *d = &wn_fields[i];
		fprintf(f, "%-20s %-8s %-3s %-40s %s\n", d->name, type_name(d->type),
		        d->optional ? "yes" : "no", d->unit[0] ? d->unit : "-", d->stages);
	}
	fprintf(f, "\n%-20s %-8s %-3s %s\n", "ENTITY COLUMN", "TYPE", "OPT", "FORMAT/UNIT");
	for (size_t i = 0; i < WN_ENTITY_COL_COUNT; i++) {
		const wn_entity_col *c = &wn_entity_cols[i];
		fprintf(f, "%-20s %-8s %-3s %s\n", c->name, type_name(c->type),
		        c->optional ? "yes" : "no", c->unit[0] ? c->unit : "-");
	}
}

void wn_catalog_print(FILE *f, int markdown)
{
	if (markdown)
		print_markdown(f);
	else
		print_plain(f);
}

static const char usage_schema[] =
    "usage: winnow schema [--markdown]\n"
    "\n"
    "Prints the catalogue of record fields (name, type, format or unit, the\n"
    "stages that set it, whether it may be absent) and of entity columns.\n"
    "--markdown prints the tables of docs/schema.md.\n";

int wn_catalog_cli(int argc, char **argv)
{
	int markdown = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--markdown") == 0) {
			markdown = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_schema, stdout);
			return 0;
		} else {
			return wn_usage_error(usage_schema, "schema: unknown argument '%s'",
			                      argv[i]);
		}
	}
	wn_catalog_print(stdout, markdown);
	return 0;
}
