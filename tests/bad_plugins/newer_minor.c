/* A plugin that needs a newer minor of the ABI than the runner has. */
#include "winnow/plugin.h"

static int never(const wn_ctx *cx, wn_record *r)
{
	(void)cx;
	(void)r;
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_newer_minor = {
    WN_ABI_MAJOR,      WN_ABI_MINOR + 1, sizeof(wn_plugin), sizeof(wn_option),
    WN_KIND_TRANSFORM, "newer_minor",    "1.0.0",           .process = never};
