/*
 * Sharded runs, the source's side: see inputs.h.
 */
#include "inputs.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct wn_input_key *)a)->key, ((const struct wn_input_key *)b)->key);
}

/* Loads this stage's lines "INDEX\tSTAGE\tKEY" of the shard list. */
static int load_list(const wn_ctx *cx, wn_inputs *in, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		cx->api->log(cx, WN_LOG_ERROR, "shard list %s: %s", path, strerror(errno));
		return WN_FATAL;
	}
	char *line = NULL;
	size_t cap = 0, want = strlen(in->stage), lineno = 0;
	ssize_t len;
	int rc = WN_OK;
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2) {
			cx->api->log(cx, WN_LOG_ERROR,
			             "shard list %s:%zu: not INDEX<tab>STAGE<tab>KEY", path,
			             lineno);
			rc = WN_FATAL;
			break;
		}
		if ((size_t)(t2 - t1 - 1) != want || memcmp(t1 + 1, in->stage, want) != 0)
			continue;
		struct wn_input_key *k = realloc(in->keys, (in->n + 1) * sizeof(*k));
		if (k)
			in->keys = k;
		char *key = k ? strdup(t2 + 1) : NULL;
		if (!key) {
			rc = WN_FATAL;
			break;
		}
		in->keys[in->n].key = key;
		in->keys[in->n++].idx = strtoll(line, NULL, 10);
	}
	free(line);
	fclose(f);
	if (rc == WN_OK && in->n > 1)
		qsort(in->keys, in->n, sizeof(*in->keys), cmp_key);
	return rc;
}

int wn_inputs_open(const wn_ctx *cx, wn_inputs *in)
{
	memset(in, 0, sizeof(*in));
	const char *plan = cx->api->run_value(cx, "shard_plan");
	const char *list = cx->api->run_value(cx, "shard_list");
	const char *stage = cx->api->run_value(cx, "stage_id");
	if (!plan && !list)
		return WN_OK;
	in->stage = strdup(stage ? stage : "");
	if (!in->stage)
		return WN_FATAL;
	if (plan) {
		in->mode = 1;
		in->plan = fopen(plan, "a");
		if (!in->plan) {
			cx->api->log(cx, WN_LOG_ERROR, "plan %s: %s", plan, strerror(errno));
			return WN_FATAL;
		}
		fprintf(in->plan, "#source %s\n", in->stage);
		return WN_OK;
	}
	in->mode = 2;
	return load_list(cx, in, list);
}

int64_t wn_inputs_take(wn_inputs *in, const char *key)
{
	if (in->mode == 0)
		return WN_INPUT_ALL;
	/* A path is known by its real path, so a config named by another
	 * relative path, or a job started in another folder, finds it. */
	char real[PATH_MAX];
	if (!strstr(key, "://") && realpath(key, real))
		key = real;
	if (in->mode == 1) { /* a tab or newline in a name would break the list */
		if (strpbrk(key, "\t\n")) {
			fprintf(in->plan, "#bad %s: ", in->stage);
			for (const char *p = key; *p; p++)
				fputc(*p == '\t' || *p == '\n' ? '?' : *p, in->plan);
			fputc('\n', in->plan);
		} else
			fprintf(in->plan, "%s\t%s\n", in->stage, key);
		return WN_INPUT_SKIP;
	}
	struct wn_input_key want = {(char *)key, 0};
	const struct wn_input_key *at =
	    in->n ? bsearch(&want, in->keys, in->n, sizeof(*in->keys), cmp_key) : NULL;
	return at ? at->idx : WN_INPUT_SKIP;
}

int wn_inputs_planning(const wn_inputs *in)
{
	return in->mode == 1;
}

int wn_inputs_mark(const wn_ctx *cx, wn_record *r, int64_t unit)
{
	if (unit < 0)
		return WN_OK;
	return cx->api->set_int(r, WN_SHARD_UNIT_FIELD, unit);
}

void wn_inputs_close(wn_inputs *in)
{
	if (in->plan)
		fclose(in->plan);
	for (size_t i = 0; i < in->n; i++)
		free(in->keys[i].key);
	free(in->keys);
	free(in->stage);
	memset(in, 0, sizeof(*in));
}
