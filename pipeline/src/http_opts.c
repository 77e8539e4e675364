/*
 * The `http:` config section: checked keys with file:line:col errors, and
 * the defaults the HTTP service runs with. See http.h.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "util.h"

/* ---- options ------------------------------------------------------------ */

static const char *const http_keys[] = {
    "user_agent", "timeout",       "connect_timeout", "low_speed_time", "low_speed_limit",
    "max_body",   "max_redirects", "concurrency",     "per_host",       "delay",
    "retries",    "backoff",       "max_backoff",     "respect_robots", "accept",
    "allow_file", "verify_tls",    "block_private",   "threads",        NULL};

static const char *const default_accept[] = {"text/html", "application/xhtml+xml", "text/plain",
                                             NULL};

static void opts_defaults(wn_http_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->user_agent = wn_xstrdup("winnow/" WN_VERSION " (+https://github.com/winnow)");
	o->timeout_ms = 30000;
	o->connect_timeout_ms = 10000;
	o->low_speed_time_ms = 30000;
	o->low_speed_limit = 1;
	o->max_body = 16 << 20;
	o->max_redirects = 5;
	o->concurrency = 32;
	o->per_host = 2;
	o->retries = 3;
	o->threads = 2;
	o->backoff_ms = 500;
	o->max_backoff_ms = 60000;
	o->respect_robots = 1;
	o->verify_tls = 1;
}

/* Parses an integer-like key with a parser and bounds; counts errors. */
typedef int (*scalar_parser)(const char *, int64_t *);

static int opt_num(const wn_cfg_node *v, const char *key, scalar_parser parse, int64_t lo,
                   int64_t hi, int64_t *out, wn_diag *d)
{
	int64_t x;
	if (v->kind != WN_CFG_SCALAR || parse(v->value, &x) || x < lo || x > hi) {
		wn_cfg_error(d, v, "http.%s: expected a %s from %lld to %lld", key,
		             parse == wn_parse_duration ? "duration (ms)"
		             : parse == wn_parse_size   ? "size (bytes)"
		                                        : "number",
		             (long long)lo, (long long)hi);
		return 1;
	}
	*out = x;
	return 0;
}

static int opt_bool(const wn_cfg_node *v, const char *key, int *out, wn_diag *d)
{
	if (v->kind != WN_CFG_SCALAR || wn_parse_bool(v->value, out)) {
		wn_cfg_error(d, v, "http.%s: expected true or false", key);
		return 1;
	}
	return 0;
}

static int opt_list(const wn_cfg_node *v, char ***out, wn_diag *d)
{
	size_t n = v->kind == WN_CFG_SEQ ? v->n : 1;
	char **list = wn_xcalloc(n + 1, sizeof(*list));
	for (size_t i = 0; i < n; i++) {
		const wn_cfg_node *it = v->kind == WN_CFG_SEQ ? v->vals[i] : v;
		if (it->kind != WN_CFG_SCALAR || !*it->value) {
			wn_cfg_error(d, it, "http.accept: expected media types such as text/html");
			for (size_t k = 0; k < i; k++)
				free(list[k]);
			free(list);
			return 1;
		}
		list[i] = wn_xstrdup(it->value);
	}
	*out = list;
	return 0;
}

/* One key: returns the number of errors. */
static int opt_key(wn_http_opts *o, const char *k, const wn_cfg_node *v, wn_diag *d)
{
	const int64_t big = INT64_C(1) << 40;
	if (!strcmp(k, "user_agent")) {
		if (v->kind != WN_CFG_SCALAR || !*v->value) {
			wn_cfg_error(d, v, "http.user_agent: expected a string");
			return 1;
		}
		free(o->user_agent);
		o->user_agent = wn_xstrdup(v->value);
		return 0;
	}
	struct {
		const char *key;
		scalar_parser p;
		int64_t lo, hi, *out;
	} nums[] = {
	    {"timeout", wn_parse_duration, 1, big, &o->timeout_ms},
	    {"connect_timeout", wn_parse_duration, 1, big, &o->connect_timeout_ms},
	    {"low_speed_time", wn_parse_duration, 0, big, &o->low_speed_time_ms},
	    {"low_speed_limit", wn_parse_size, 0, big, &o->low_speed_limit},
	    {"max_body", wn_parse_size, 1, big, &o->max_body},
	    {"max_redirects", wn_parse_int, 0, 50, &o->max_redirects},
	    {"concurrency", wn_parse_int, 1, 4096, &o->concurrency},
	    {"per_host", wn_parse_int, 0, 4096, &o->per_host},
	    {"delay", wn_parse_duration, 0, big, &o->delay_ms},
	    {"retries", wn_parse_int, 0, 100, &o->retries},
	    {"backoff", wn_parse_duration, 0, big, &o->backoff_ms},
	    {"max_backoff", wn_parse_duration, 0, big, &o->max_backoff_ms},
	    {"threads", wn_parse_int, 1, 64, &o->threads},
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (!strcmp(k, nums[i].key))
			return opt_num(v, k, nums[i].p, nums[i].lo, nums[i].hi, nums[i].out, d);
	struct {
		const char *key;
		int *out;
	} bools[] = {{"respect_robots", &o->respect_robots},
	             {"allow_file", &o->allow_file},
	             {"verify_tls", &o->verify_tls},
	             {"block_private", &o->block_private}};
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		if (!strcmp(k, bools[i].key))
			return opt_bool(v, k, bools[i].out, d);
	if (!strcmp(k, "accept")) {
		char **list = NULL;
		if (opt_list(v, &list, d))
			return 1;
		for (char **a = o->accept; a && *a; a++)
			free(*a);
		free(o->accept);
		o->accept = list;
	}
	return 0; /* unknown keys were reported by wn_cfg_check_keys */
}

int wn_http_opts_parse(const wn_cfg_node *http, wn_http_opts *o, wn_diag *d)
{
	opts_defaults(o);
	int errors = 0;
	if (http && !wn_cfg_is_null(http)) {
		if (http->kind != WN_CFG_MAP) {
			wn_cfg_error(d, http, "http: expected a mapping");
			errors++;
		} else {
			errors += wn_cfg_check_keys(http, http_keys, "http", d);
			for (size_t i = 0; i < http->n; i++)
				errors += opt_key(o, http->keys[i]->value, http->vals[i], d);
		}
	}
	if (!o->accept) {
		size_t n = sizeof(default_accept) / sizeof(default_accept[0]);
		o->accept = wn_xcalloc(n, sizeof(*o->accept));
		for (size_t i = 0; default_accept[i]; i++)
			o->accept[i] = wn_xstrdup(default_accept[i]);
	}
	return errors;
}

void wn_http_opts_free(wn_http_opts *o)
{
	free(o->user_agent);
	for (char **a = o->accept; a && *a; a++)
		free(*a);
	free(o->accept);
	memset(o, 0, sizeof(*o));
}

void wn_http_opts_copy(wn_http_opts *dst, const wn_http_opts *src)
{
	*dst = *src;
	dst->user_agent = wn_xstrdup(src->user_agent);
	size_t n = 0;
	while (src->accept && src->accept[n])
		n++;
	dst->accept = wn_xcalloc(n + 1, sizeof(*dst->accept));
	for (size_t i = 0; i < n; i++)
		dst->accept[i] = wn_xstrdup(src->accept[i]);
}
