/* A shared object that exports no winnow descriptor at all. */
#include "winnow/plugin.h"

WN_PLUGIN_EXPORT int not_a_plugin(void);
WN_PLUGIN_EXPORT int not_a_plugin(void)
{
	return 42;
}
