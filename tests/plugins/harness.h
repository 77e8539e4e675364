/*
 * The plugin test harness: a fake host that loads one plugin .so alone,
 * with no engine, config file or other stages. A test opens the plugin
 * with its options, feeds or pulls records through its callbacks and
 * checks what comes out. It uses the runner's own record, option-schema
 * and output code, so a plugin sees exactly the host it will run in.
 */
#ifndef WN_HARNESS_H
#define WN_HARNESS_H

#include "winnow/plugin.h"

typedef struct wn_harness wn_harness;

/* Loads the plugin at so_path (descriptor checked as the runner does),
 * applies the options in with_yaml (a YAML mapping such as
 * "{path: out.jsonl, format: array}", or NULL), and calls init. Relative
 * paths in options resolve against the current folder. output_dir is
 * where sinks' outputs land on commit (NULL: the current folder).
 * Returns NULL after printing why on stderr. */
wn_harness *wn_harness_open(const char *so_path, const char *with_yaml, const char *output_dir);

/* The host API table the plugin sees, for setting and reading fields. */
const wn_host_api *wn_harness_api(wn_harness *h);

/* A new empty record owned by the harness (freed by wn_harness_close). */
wn_record *wn_harness_new_record(wn_harness *h);

/* One callback each; they return what the plugin returned. */
int wn_harness_next(wn_harness *h, wn_record *r);
int wn_harness_process(wn_harness *h, wn_record *r); /* process(), or batch() of one */
int wn_harness_write(wn_harness *h, wn_record *r);
/* Sink commit(), then every output is renamed into place. */
int wn_harness_commit(wn_harness *h);

/* The reason message last set on r (api->reason), or NULL; and its code. */
const char *wn_harness_reason(wn_record *r);
const char *wn_harness_reason_code(wn_record *r);

/* A custom counter of the plugin's (api->count), 0 when never counted. */
long long wn_harness_counter(wn_harness *h, const char *name);

/* The whole file at path, NUL-terminated, malloc'd (free it); *len gets
 * its length when not NULL. NULL when it cannot be read. For checking
 * what a sink wrote. */
char *wn_harness_slurp(const char *path, size_t *len);

/* Calls fini and frees everything (outputs not committed are removed). */
void wn_harness_close(wn_harness *h);

#endif
