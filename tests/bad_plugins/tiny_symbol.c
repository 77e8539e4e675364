/* A symbol with the descriptor's name that is far too small to be one:
 * the loader must not read past it. */
#include <stdint.h>

#include "winnow/plugin.h"

WN_PLUGIN_EXPORT const uint32_t wn_plugin_tiny_symbol[2] = {WN_ABI_MAJOR, WN_ABI_MINOR};
