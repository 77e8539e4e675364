/*
 * winnow plugin ABI 2.0.
 *
 * This is the only header a plugin includes. It is self-contained (it needs
 * <stddef.h> and <stdint.h> only) and a plugin links nothing from the runner:
 * every host service is reached through the function table in wn_ctx, which
 * the host hands to each callback. A runner upgrade that keeps the ABI major
 * therefore never breaks a built plugin with "undefined symbol".
 *
 * A plugin exports exactly one symbol, a const descriptor named
 * wn_plugin_<name> (see WN_PLUGIN_EXPORT). The loader reads it as data and
 * checks abi_major, abi_minor, struct_size and option_size before calling
 * any plugin code: for a .so it reads these four words from the ELF file
 * before dlopen, so a plugin of another ABI is refused before even its
 * constructors run (docs/writing-a-plugin.md, "Loading").
 *
 * Compatibility rules:
 *   - a plugin loads iff its abi_major == WN_ABI_MAJOR of the host and its
 *     abi_minor <= the host's WN_ABI_MINOR;
 *   - a minor bump only appends members to the end of a struct; existing
 *     members never move or change meaning;
 *   - every struct that crosses the boundary says its size, so any of them
 *     can grow in a minor: wn_plugin.struct_size, wn_plugin.option_size (the
 *     stride of the option table), wn_host_api.size, and a `size` first in
 *     wn_entity, wn_http_req and wn_http_resp (set it with WN_ENTITY_INIT,
 *     WN_HTTP_REQ_INIT, WN_HTTP_RESP_INIT). The host never reads or writes
 *     a byte past the size a plugin states, and treats members past it as
 *     absent (zero, NULL). A size below ABI 2.0's or above the host's own is
 *     refused: the loader refuses the descriptor, add_entity and http_fetch
 *     return WN_FATAL with the reason;
 *   - wn_host_api.size lets a plugin test for members added after its own
 *     minor (WN_API_HAS); wn_entity.size does the same for entities the host
 *     returns (entity_at), which are always the host's own, larger or equal;
 *   - ABI 1.x descriptors (winnow 0.1) are refused with a message naming
 *     the file and both ABIs: their structs carried no size.
 *
 * Threads: which thread runs each callback (useful for thread-affine
 * libraries) is written at each callback in wn_plugin below:
 *   - init and fini run on the thread that starts and ends the run (the
 *     main thread), one instance after the other;
 *   - a source's next runs on the producer thread;
 *   - transform instance i runs process/batch on worker thread i only, for
 *     the whole run;
 *   - a sink's write and commit run on the main thread, in source order.
 * A callback never runs concurrently with another callback of the same
 * instance; instances of one plugin run at the same time on different
 * threads. Host calls through wn_ctx.api are safe from any thread.
 *
 * Ownership (the full contract is in docs/writing-a-plugin.md):
 *   - the host allocates state_size bytes of zeroed instance state, writes the
 *     configured options into it (option table offsets), then calls init;
 *   - records are owned by the host; strings and pointers a getter returns are
 *     borrowed and stay valid until the record's next setter call on that
 *     field or the end of the callback, whichever comes first;
 *   - an entity_at pointer (and the strings in it) stays valid until the
 *     next add_entity or clear_entities on that record or the end of the
 *     callback, whichever comes first;
 *   - what a plugin allocates itself it frees in fini. No mutable globals:
 *     several instances of one plugin run at once, on several threads.
 */
#ifndef WINNOW_PLUGIN_H
#define WINNOW_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WN_ABI_MAJOR 2
#define WN_ABI_MINOR 0

/* Result codes every callback speaks. */
enum wn_rc {
	WN_OK = 0,    /* done, go on */
	WN_DONE = 1,  /* source: no more records */
	WN_DROP = 2,  /* record filtered out on purpose: counted, not an error */
	WN_RETRY = 3, /* transient failure: the host retries with backoff */
	WN_ERROR = 4, /* this record failed: it goes to the dead-letter file */
	WN_FATAL = 5  /* this stage is unusable: the host stops it */
};

enum wn_kind { WN_KIND_SOURCE = 1, WN_KIND_TRANSFORM = 2, WN_KIND_SINK = 3 };

/* Field value types. Strings are UTF-8 (not enforced), NUL-terminated in the
 * record; bytes are arbitrary (the host still appends a NUL after them). */
enum wn_type {
	WN_T_NONE = 0, /* absent */
	WN_T_STR = 1,
	WN_T_BYTES = 2,
	WN_T_INT = 3, /* int64_t */
	WN_T_REAL = 4 /* double */
};

/* Option types and the C type the host writes at `offset` in the state:
 *   WN_OPT_STR      const char *            (NULL when unset, no default)
 *   WN_OPT_PATH     const char *            relative paths resolved against
 *                                            the config file's folder
 *   WN_OPT_INT      int64_t
 *   WN_OPT_REAL     double
 *   WN_OPT_BOOL     int                     0 or 1
 *   WN_OPT_DURATION int64_t milliseconds    "250ms", "20s", "5m", "1h", "2d"
 *   WN_OPT_SIZE     int64_t bytes           "512", "64KB", "10MiB", "1G"
 *   WN_OPT_ENUM     int                     index into `choices` ("a|b|c")
 *   WN_OPT_LIST     const char *const *     NULL-terminated list of strings;
 *                                            a scalar is a one-item list
 * Strings and lists are owned by the host and live until after fini. */
enum wn_opt_type {
	WN_OPT_STR = 1,
	WN_OPT_PATH,
	WN_OPT_INT,
	WN_OPT_REAL,
	WN_OPT_BOOL,
	WN_OPT_DURATION,
	WN_OPT_SIZE,
	WN_OPT_ENUM,
	WN_OPT_LIST
};

/* One declared option. The table ends with an entry whose name is NULL.
 * Entries carry no size of their own: the host steps through the table by
 * the descriptor's option_size (sizeof(wn_option) where the plugin was
 * built, set by WN_PLUGIN_HEADER), so members appended in a minor read as
 * absent in an older plugin's table. */
typedef struct wn_option {
	const char *name;    /* key under `with:` */
	int type;            /* enum wn_opt_type */
	const char *def;     /* default as YAML text, or NULL for none */
	int required;        /* 1: the config must set it */
	size_t offset;       /* offsetof(your_state, member) */
	const char *help;    /* one line for `winnow plugins NAME` */
	const char *choices; /* WN_OPT_ENUM: "jsonl|array"; else NULL */
	double min, max;     /* numeric bounds, checked when min < max */
} wn_option;

/* Log levels for api->log. */
enum wn_log_level { WN_LOG_ERROR = 0, WN_LOG_WARN = 1, WN_LOG_INFO = 2, WN_LOG_DEBUG = 3 };

typedef struct wn_record wn_record; /* one article; owned by the host */
typedef struct wn_stage wn_stage;   /* the host's view of a stage instance */
typedef struct wn_output wn_output; /* an output file committed at run end */

/* One entity on a record. Offsets are bytes into the record's `text` field,
 * start inclusive, end exclusive. Strings may be NULL where unknown.
 * Start from WN_ENTITY_INIT, which sets `size`: add_entity reads only
 * `size` bytes of it. An entity from entity_at is the host's and its
 * `size` is the host's sizeof (never smaller than the plugin's). */
typedef struct wn_entity {
	size_t size;           /* sizeof(wn_entity) of the side that made it */
	const char *type;      /* PERSON, ORG, LOC, GPE, MISC, MONEY, PERCENT, DATE */
	const char *text;      /* the surface string */
	const char *value;     /* normalised value ("1.6e11 CNY", "2024-01-30") */
	const char *canonical; /* canonical name (gazetteer, coreference) */
	const char *kb_id;     /* user gazetteer id */
	int64_t start, end;
	double confidence; /* 0..1 */
	const char *stage; /* set by the host: id of the stage that added it */
} wn_entity;

/* A zeroed wn_entity with its size set: `wn_entity e = WN_ENTITY_INIT;`. */
#define WN_ENTITY_INIT                                                                             \
	{                                                                                          \
		sizeof(wn_entity), NULL, NULL, NULL, NULL, NULL, 0, 0, 0.0, NULL                   \
	}

struct wn_ctx;

/* --- HTTP service types ------------------------------------------------ */

/* Request flags for api->http_fetch. */
enum wn_http_flag {
	/* Send If-None-Match / If-Modified-Since from the state store; an
	 * unchanged page (304) ends as WN_DROP with code "not_modified". */
	WN_HTTP_CONDITIONAL = 1,
	/* Skip the `http.accept` content-type list (feeds, sitemaps). */
	WN_HTTP_ANY_TYPE = 2,
	/* The URL was written in the config by its author: `block_private`
	 * does not apply (URLs found in feeds and pages never set this). */
	WN_HTTP_TRUSTED = 4
};

/* One request. The strings are borrowed for the call. Start from
 * WN_HTTP_REQ_INIT (or set `size = sizeof(wn_http_req)` in each element
 * of a calloc'ed array). */
typedef struct wn_http_req {
	size_t size; /* sizeof(wn_http_req) in the plugin */
	const char *url;
	unsigned flags; /* enum wn_http_flag bits */
} wn_http_req;

#define WN_HTTP_REQ_INIT                                                                           \
	{                                                                                          \
		sizeof(wn_http_req), NULL, 0                                                       \
	}

/* One response, filled by api->http_fetch and freed by api->http_release.
 * Everything it points to is owned by the host. The plugin sets `size`
 * before the call (WN_HTTP_RESP_INIT); the host writes only that many
 * bytes and keeps `size` as it is. */
typedef struct wn_http_resp {
	size_t size;      /* sizeof(wn_http_resp) in the plugin */
	int rc;           /* WN_OK: body below; WN_DROP: skipped by policy;
	                   * WN_ERROR: failed (after retries when transient) */
	int status;       /* last HTTP status, 0 when no response came */
	int attempts;     /* transfers tried (1 + retries) */
	char code[32];    /* reason code when rc != WN_OK: "http_404",
	                   * "http_503", "timeout", "too_many_redirects",
	                   * "not_modified", "content_type", "robots",
	                   * "too_large", "blocked", "bad_url", "network" */
	char reason[256]; /* human reason when rc != WN_OK */
	char *body;       /* transfer-decoded body, NUL-terminated; NULL when
	                   * rc != WN_OK */
	size_t body_len;
	char *content_type; /* as sent ("text/html; charset=utf-8"), or NULL */
	char *final_url;    /* after redirects */
	char *etag;         /* validators as sent, or NULL */
	char *last_modified;
	char fetched_at[32]; /* ISO 8601 UTC of the last transfer */
} wn_http_resp;

#define WN_HTTP_RESP_INIT                                                                          \
	{                                                                                          \
		sizeof(wn_http_resp), 0, 0, 0, "", "", NULL, 0, NULL, NULL, NULL, NULL, ""         \
	}

/* The host's function table. Members are appended, never reordered. */
typedef struct wn_host_api {
	size_t size; /* sizeof(wn_host_api) in the host: see WN_API_HAS */
	uint32_t abi_major, abi_minor;

	/* --- records: fields --------------------------------------------- */

	/* Sets field `name` to a copy of `len` bytes at `val` (type WN_T_STR or
	 * WN_T_BYTES), replacing any earlier value and keeping the field's
	 * position. Returns WN_OK, or WN_ERROR when the record's size limit or
	 * memory is exhausted (the reason is set on the record). */
	int (*set)(wn_record *r, const char *name, int type, const void *val, size_t len);
	/* Sets a NUL-terminated string field; NULL `s` deletes the field. */
	int (*set_str)(wn_record *r, const char *name, const char *s);
	int (*set_int)(wn_record *r, const char *name, int64_t v);
	int (*set_real)(wn_record *r, const char *name, double v);
	/* Removes a field; no-op when absent. */
	void (*del)(wn_record *r, const char *name);
	/* Borrowed value of a field, or NULL when absent. *type and *len are
	 * written when not NULL (len excludes the trailing NUL). Ints and reals
	 * are returned as pointers to int64_t and double. */
	const void *(*get)(const wn_record *r, const char *name, int *type, size_t *len);
	/* Borrowed string (STR or BYTES) or NULL; *len may be NULL. */
	const char *(*get_str)(const wn_record *r, const char *name, size_t *len);
	/* Integer field, or `def` when absent or not an integer. */
	int64_t (*get_int)(const wn_record *r, const char *name, int64_t def);
	/* Number of fields and the i-th one in insertion order (for sinks).
	 * Returns the name, or NULL when i is out of range. */
	size_t (*field_count)(const wn_record *r);
	const char *(*field_at)(const wn_record *r, size_t i, int *type, const void **val,
	                        size_t *len);

	/* --- records: entities and scratch memory ------------------------ */

	/* Appends a copy of the first e->size bytes of `e` (all strings
	 * copied; e->stage ignored; members past e->size read as absent).
	 * WN_OK; WN_ERROR when the record's size limit or memory is exhausted;
	 * WN_FATAL when e->size is not a wn_entity size this host knows (0:
	 * WN_ENTITY_INIT was not used). The reason is set on the record. */
	int (*add_entity)(wn_record *r, const wn_entity *e);
	size_t (*entity_count)(const wn_record *r);
	/* Borrowed entity i, or NULL when out of range. Its size is the
	 * host's sizeof(wn_entity), at least the plugin's. The pointer and its
	 * strings stay valid until the next add_entity or clear_entities on
	 * this record or the end of the callback, whichever comes first: an
	 * add_entity may move the entity array. */
	const wn_entity *(*entity_at)(const wn_record *r, size_t i);
	/* Removes every entity (a stage that recomputes them). */
	void (*clear_entities)(wn_record *r);
	/* Zeroed scratch memory freed with the record; NULL when exhausted. */
	void *(*alloc)(wn_record *r, size_t n);

	/* --- outcomes ----------------------------------------------------- */

	/* Says why a record is dropped, retried or failed. `code` is a short
	 * machine word counted in run.json (e.g. "too_short"); the printf-style
	 * message is the human reason written to the dead-letter file. Call it
	 * before returning WN_DROP, WN_RETRY or WN_ERROR. */
	void (*reason)(wn_record *r, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
	    __attribute__((format(printf, 3, 4)))
#endif
	    ;

	/* --- stage services ------------------------------------------------ */

	/* Logs one line prefixed with the stage id; thread-safe. */
	void (*log)(const struct wn_ctx *cx, int level, const char *fmt, ...)
#if defined(__GNUC__)
	    __attribute__((format(printf, 3, 4)))
#endif
	    ;
	/* Adds `delta` to the stage's counter `name` (reported in run.json);
	 * thread-safe. */
	void (*count)(const struct wn_ctx *cx, const char *name, int64_t delta);
	/* Run facts by key: "run_id", "run_date" (YYYY-MM-DD), "started_at"
	 * (ISO 8601 UTC), "output_dir", "config_dir", "stage_id". NULL when
	 * unknown. Borrowed for the whole run. */
	const char *(*run_value)(const struct wn_ctx *cx, const char *key);

	/* Opens an output file `relpath` under the run's output folder. The
	 * data goes to a temporary file that the host renames into place only
	 * when the whole run commits (after every sink's commit returned WN_OK);
	 * a failed or killed run leaves earlier outputs untouched. NULL on error
	 * (logged). The host closes it; the plugin never frees it. */
	wn_output *(*output_open)(const struct wn_ctx *cx, const char *relpath);
	/* Appends bytes; WN_OK or WN_FATAL on an I/O error (logged). */
	int (*output_write)(wn_output *o, const void *buf, size_t len);

	/* --- HTTP service -------------------------------------------------- */

	/* Fetches n requests through the run's one HTTP service and blocks
	 * until every one has an outcome in resps[i]. The arrays are stepped
	 * through by reqs[0].size and resps[0].size, and every element must
	 * carry the same size (WN_HTTP_REQ_INIT, WN_HTTP_RESP_INIT); each
	 * resps[i] is zeroed first up to its size, which is kept. The
	 * service runs them concurrently under the run-wide limits (total
	 * and per-host concurrency, per-host delay, robots.txt), follows
	 * redirects, retries transient failures (timeouts, resets, 5xx, 429)
	 * with backoff and Retry-After, and checks the content type and
	 * body size. Thread-safe: any instance on any thread may call it.
	 * Returns WN_OK (look at each resps[i].rc), or WN_FATAL when the run
	 * has no HTTP service or a size is wrong (logged; resps untouched).
	 * Every resps[i] must later be given to http_release, whatever its
	 * rc. */
	int (*http_fetch)(const struct wn_ctx *cx, const wn_http_req *reqs, wn_http_resp *resps,
	                  size_t n);
	/* Frees what http_fetch allocated in resp and zeroes it up to
	 * resp->size, keeping the size (the element can be reused). */
	void (*http_release)(wn_http_resp *resp);
} wn_host_api;

/* What every callback receives. Made by the host and only read by the
 * plugin, so a minor may append members; the plugin never copies it. */
typedef struct wn_ctx {
	const wn_host_api *api;
	wn_stage *stage; /* opaque; pass it back where asked */
	void *state;     /* this instance's state_size bytes, options filled in */
} wn_ctx;

/* True when the host's table has member `m` (for plugins built against an
 * older minor that use a newer optional service). */
#define WN_API_HAS(api, m) ((api)->size >= offsetof(wn_host_api, m) + sizeof(((wn_host_api *)0)->m))

/* The descriptor. All callbacks receive the instance's context. Its first
 * four words are plain integers the loader reads from the file before the
 * plugin is opened: fill them with WN_PLUGIN_HEADER. */
typedef struct wn_plugin {
	uint32_t abi_major;   /* WN_ABI_MAJOR at build time */
	uint32_t abi_minor;   /* WN_ABI_MINOR at build time */
	uint32_t struct_size; /* sizeof(wn_plugin) at build time */
	uint32_t option_size; /* sizeof(wn_option) at build time: the stride
	                       * of `options` */
	int kind;             /* enum wn_kind */
	const char *name;     /* must match the symbol suffix and `use:` */
	const char *version;  /* the plugin's own version, "1.2.0" */
	const char *description;
	const wn_option *options; /* NULL or a NULL-name-terminated table */
	size_t state_size;        /* bytes of instance state, may be 0 */
	const char *const *needs; /* fields read; NULL-terminated or NULL */
	const char *const *gives; /* fields written; NULL-terminated or NULL */

	/* Opens resources. WN_OK, or WN_FATAL (stage not started; log why).
	 * Main thread, once per instance, before any record. */
	int (*init)(const wn_ctx *cx);
	/* Releases what init and the callbacks allocated. Called once for
	 * every instance whose init returned WN_OK, in reverse stage order.
	 * Main thread, after the last record. */
	void (*fini)(const wn_ctx *cx);

	/* Source: fills `r` with the next record and returns WN_OK; WN_DONE
	 * when exhausted; WN_ERROR with a reason for one bad input (it is
	 * dead-lettered and the host calls again); WN_DROP to skip one;
	 * WN_RETRY to be called again after backoff; WN_FATAL to stop.
	 * The producer thread (not the thread that ran init). */
	int (*next)(const wn_ctx *cx, wn_record *r);

	/* Transform: one record. Any wn_rc but WN_DONE. Instance i runs on
	 * worker thread i, always the same thread for the whole run. */
	int (*process)(const wn_ctx *cx, wn_record *r);
	/* Transform, optional: a whole batch at once (used instead of process
	 * when set). Writes one wn_rc per record into rcs[]; returns WN_OK or
	 * WN_FATAL for the stage. Same thread as process. */
	int (*batch)(const wn_ctx *cx, wn_record *const *recs, int *rcs, size_t n);

	/* Sink: receives records in source order, on the main thread. */
	int (*write)(const wn_ctx *cx, wn_record *r);
	/* Sink: finish the outputs (close arrays, flush); the host then renames
	 * every output into place. WN_OK or WN_FATAL. Main thread. */
	int (*commit)(const wn_ctx *cx);
} wn_plugin;

/* Declares the exported descriptor. In a .so build (the default) it is the
 * one visible symbol; with -DWN_STATIC_PLUGIN it links into the runner. */
#if defined(__GNUC__)
#define WN_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define WN_PLUGIN_EXPORT
#endif

/* Fills the four header words of a descriptor: ABI major and minor, the
 * descriptor's size and the option table's stride. */
#define WN_PLUGIN_HEADER                                                                           \
	WN_ABI_MAJOR, WN_ABI_MINOR, (uint32_t)sizeof(wn_plugin), (uint32_t)sizeof(wn_option)

#ifdef __cplusplus
}
#endif
#endif /* WINNOW_PLUGIN_H */
