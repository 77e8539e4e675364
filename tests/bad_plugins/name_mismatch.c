/* The descriptor wn_plugin_name_mismatch calls itself something else. */
#include "winnow/plugin.h"

static int never(const wn_ctx *cx, wn_record *r)
{
	(void)cx;
	(void)r;
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_name_mismatch = {
    WN_PLUGIN_HEADER, WN_KIND_TRANSFORM, "some_other_name", "1.0.0", .process = never};
