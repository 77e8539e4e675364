/* A plugin built for a future ABI major: refused before any of it runs. */
#include "winnow/plugin.h"

static int never(const wn_ctx *cx, wn_record *r)
{
	(void)cx;
	(void)r;
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_wrong_major = {
    WN_ABI_MAJOR + 1, 0,       sizeof(wn_plugin), WN_KIND_TRANSFORM,
    "wrong_major",    "1.0.0", .process = never};
