/*
 * The `http:` config section: its keys are the wn_http_section table
 * (config_keys.c), applied by the one validator in schema.c, which also
 * frees and copies the strings and lists. See http.h.
 */
#include <stdlib.h>
#include <string.h>

#include "config_keys.h"
#include "http.h"
#include "util.h"

int wn_http_opts_parse(const wn_cfg_node *http, wn_http_opts *o, wn_diag *d)
{
	memset(o, 0, sizeof(*o));
	wn_apply a = {.what = "http", .d = d};
	return wn_section_apply(&wn_http_section, http, o, &a);
}

void wn_http_opts_free(wn_http_opts *o)
{
	wn_section_free(&wn_http_section, o);
	memset(o, 0, sizeof(*o));
}

void wn_http_opts_copy(wn_http_opts *dst, const wn_http_opts *src)
{
	*dst = *src;
	wn_section_dup(&wn_http_section, dst);
}
