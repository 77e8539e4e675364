/*
 * One stage alone: a plugin loaded, configured and started outside any
 * pipeline, with the runner's real record, option and output code. Used by
 * `winnow try` and by the plugin test harness.
 */
#ifndef WN_SOLO_H
#define WN_SOLO_H

#include "config.h"
#include "run.h"

typedef struct wn_solo {
	wn_run run;
	wn_stage stage;
	wn_cfg_doc *doc; /* the options document */
	char *id;
} wn_solo;

/* Loads plugin `use` (a name on `search`, or a .so path), applies the
 * options in with_yaml (a YAML mapping, or NULL) and calls init. Relative
 * paths resolve against the current folder; outputs go to output_dir (NULL:
 * the current folder). Prints problems to d and returns NULL on failure. */
wn_solo *wn_solo_open(const char *use, char *const *search, const char *with_yaml,
                      const char *output_dir, wn_diag *d);

/* Starts an HTTP service for the stage (its plugin can then fetch, as in a
 * run), with the `http:` options in http_yaml (a YAML mapping, or NULL for
 * the defaults). No state store: no conditional requests. Prints problems
 * to d; WN_E_OK or WN_E_CONFIG. wn_solo_close stops it. */
wn_err wn_solo_http(wn_solo *s, const char *http_yaml, wn_diag *d);

/* The instance's context, for calling the plugin's callbacks. */
const wn_ctx *wn_solo_ctx(wn_solo *s);

/* fini and free; outputs not committed are removed. NULL is fine. */
void wn_solo_close(wn_solo *s);

#endif
