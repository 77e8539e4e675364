/* A transform that forgot its process (and batch) callback. */
#include "winnow/plugin.h"

WN_PLUGIN_EXPORT const wn_plugin wn_plugin_no_callback = {WN_PLUGIN_HEADER, WN_KIND_TRANSFORM,
                                                          "no_callback", "1.0.0",
                                                          .description = "has no process callback"};
