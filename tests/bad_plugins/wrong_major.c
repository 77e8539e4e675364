/* A plugin built for a future ABI major: refused before any of it runs,
 * its constructor included (tests/e2e/bad_plugins.sh). */
#include <unistd.h>

#include "winnow/plugin.h"

__attribute__((constructor)) static void announce(void)
{
	static const char msg[] = "wrong_major: constructor ran\n";
	if (write(2, msg, sizeof(msg) - 1) < 0)
		return;
}

static int never(const wn_ctx *cx, wn_record *r)
{
	(void)cx;
	(void)r;
	return WN_OK;
}

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_wrong_major = {
    WN_ABI_MAJOR + 1, 0,       sizeof(wn_plugin), sizeof(wn_option), WN_KIND_TRANSFORM,
    "wrong_major",    "1.0.0", .process = never};
