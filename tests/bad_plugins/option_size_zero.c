/* A descriptor whose option table stride is 0: its header was written by
 * hand with the three words of ABI 1.x, so option_size is left out. */
#include "winnow/plugin.h"

typedef struct st {
	int64_t n;
} st;

static const wn_option options[] = {
    {"n", WN_OPT_INT, "1", 0, offsetof(st, n), "a number", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

static int never(const wn_ctx *cx, wn_record *r)
{
	(void)cx;
	(void)r;
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_option_size_zero = {.abi_major = WN_ABI_MAJOR,
                                                               .abi_minor = WN_ABI_MINOR,
                                                               .struct_size = sizeof(wn_plugin),
                                                               .kind = WN_KIND_TRANSFORM,
                                                               .name = "option_size_zero",
                                                               .version = "1.0.0",
                                                               .options = options,
                                                               .state_size = sizeof(st),
                                                               .process = never};
