/*
 * Sharded runs: see shard.h and docs/scale-out.md.
 */
#include "shard.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "loader.h"
#include "run.h"
#include "state.h"
#include "util.h"

#define EXIT_USAGE 64

/* The run values sources read (one run per process, so one pair). */
static char *g_plan_file, *g_list_file;
/* The shard this process runs, for wn_shard_end. */
static struct {
	char *workdir;
	int k;
} g_run = {NULL, -1};

const char *wn_shard_value(const char *key)
{
	if (strcmp(key, "shard_plan") == 0)
		return g_plan_file;
	if (strcmp(key, "shard_list") == 0)
		return g_list_file;
	return NULL;
}

char *wn_shard_dir(const char *workdir, int k)
{
	return wn_xasprintf("%s/shards/%05d", workdir, k);
}

char *wn_shard_marker(const char *workdir, int k, const char *ext)
{
	return wn_xasprintf("%s/state/%05d.%s", workdir, k, ext);
}

/* Writes data to path through a temporary file and a rename. 0 or -1. */
static wn_err write_atomic(const char *path, const char *data, size_t n)
{
	char *tmp = wn_xasprintf("%s.tmp.%d", path, (int)getpid());
	FILE *f = fopen(tmp, "w");
	int ok = f && fwrite(data, 1, n, f) == n;
	ok = f && fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
	if (f)
		ok = fclose(f) == 0 && ok;
	ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		wn_say("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ok ? WN_E_OK : WN_E_IO;
}

/* The whole of a file, NUL-terminated, or NULL (errno set). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, k;
	char *b = wn_xmalloc(cap);
	while ((k = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (cap - n < 2)
			b = wn_xrealloc(b, cap *= 2);
	}
	fclose(f);
	b[n] = '\0';
	if (len)
		*len = n;
	return b;
}

/* --- plan.txt ------------------------------------------------------------ */

void wn_plan_free(wn_plan *p)
{
	free(p->config);
	for (size_t i = 0; i < p->n_sets; i++)
		free(p->sets[i]);
	free(p->sets);
	memset(p, 0, sizeof(*p));
}

static void plan_add_set(wn_plan *p, const char *s)
{
	p->sets = wn_xrealloc(p->sets, (p->n_sets + 2) * sizeof(*p->sets));
	p->sets[p->n_sets++] = wn_xstrdup(s);
	p->sets[p->n_sets] = NULL;
}

wn_err wn_plan_read(const char *workdir, wn_plan *p)
{
	memset(p, 0, sizeof(*p));
	char *path = wn_xasprintf("%s/plan.txt", workdir);
	char *text = slurp(path, NULL);
	if (!text) {
		fprintf(
		    stderr,
		    "winnow: %s: %s (make one with `winnow plan CONFIG --shards N --workdir %s`)\n",
		    path, strerror(errno), workdir);
		free(path);
		return WN_E_CONFIG;
	}
	int ok = strncmp(text, "winnow-plan 1\n", 14) == 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); ok && l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(l, ' ');
		if (!v)
			continue;
		*v++ = '\0';
		if (strcmp(l, "shards") == 0)
			p->shards = atoi(v);
		else if (strcmp(l, "inputs") == 0)
			p->inputs = strtoll(v, NULL, 10);
		else if (strcmp(l, "list_sha256") == 0)
			snprintf(p->list_sha, sizeof p->list_sha, "%s", v);
		else if (strcmp(l, "config_sha256") == 0)
			snprintf(p->config_sha, sizeof p->config_sha, "%s", v);
		else if (strcmp(l, "config") == 0)
			p->config = wn_xstrdup(v);
		else if (strcmp(l, "set") == 0)
			plan_add_set(p, v);
	}
	ok = ok && p->shards > 0 && p->config && strlen(p->list_sha) == 64;
	if (!ok)
		wn_say("%s is not a winnow plan", path);
	free(text);
	free(path);
	if (!ok)
		wn_plan_free(p);
	return ok ? WN_E_OK : WN_E_CONFIG;
}

static int plan_write(const char *workdir, const wn_plan *p)
{
	char *buf =
	    wn_xasprintf("winnow-plan 1\nshards %d\ninputs %lld\nlist_sha256 %s\n"
	                 "config %s\nconfig_sha256 %s\n",
	                 p->shards, (long long)p->inputs, p->list_sha, p->config, p->config_sha);
	for (size_t i = 0; i < p->n_sets; i++) {
		char *more = wn_xasprintf("%sset %s\n", buf, p->sets[i]);
		free(buf);
		buf = more;
	}
	char *path = wn_xasprintf("%s/plan.txt", workdir);
	int rc = write_atomic(path, buf, strlen(buf));
	free(path);
	free(buf);
	return rc;
}

/* --- enumerating the inputs ---------------------------------------------- */

/* Starts source stage `i` of cfg with the `shard_plan` run value set, so
 * that it writes its input keys into g_plan_file and reads nothing. */
static wn_err list_source(const wn_config *cfg, size_t i, char **search, wn_diag *d)
{
	const wn_stage_cfg *sc = &cfg->stages[i];
	const char *dir = cfg->doc ? cfg->doc->dir : ".";
	wn_loaded l;
	if (wn_loader_load(sc->use, search, &l, d, NULL, 0, 0))
		return WN_E_CONFIG;
	wn_run run;
	wn_stage st;
	memset(&st, 0, sizeof st);
	wn_run_init(&run, cfg->name, cfg->output_dir, dir);
	run.stages = &st;
	run.n_stages = 1;
	wn_err rc = wn_stage_setup(&st, &run, 0, sc->id, &l, 1, sc, sc->with, dir, d) ? WN_E_CONFIG
	                                                                              : WN_E_OK;
	if (rc == 0 && wn_stage_init(&st) != WN_OK) {
		wn_diag_error(d, NULL, 0, 0, "source '%s' (%s) did not start", sc->id, sc->use);
		rc = WN_E_CONFIG;
	}
	if (st.inst)
		wn_stage_teardown(&st);
	wn_run_destroy(&run);
	return rc;
}

/* Checks that every source said "#source ID" and turns the keys into
 * "INDEX\tSTAGE\tKEY" lines. Returns the list (heap) or NULL. */
static char *number_inputs(const wn_config *cfg, const char *raw, int64_t *count)
{
	for (size_t i = 0; i < cfg->n_sources; i++) {
		char *mark = wn_xasprintf("\n#source %s\n", cfg->stages[i].id);
		int found = strncmp(raw, mark + 1, strlen(mark + 1)) == 0 || strstr(raw, mark);
		free(mark);
		if (!found) {
			wn_say("source '%s' (%s) cannot be sharded: it does not list its inputs "
			       "(source_files and source_warc do; see docs/scale-out.md)",
			       cfg->stages[i].id, cfg->stages[i].use);
			return NULL;
		}
	}
	const char *bad = strncmp(raw, "#bad ", 5) == 0 ? raw : strstr(raw, "\n#bad ");
	if (bad) {
		bad += bad[0] == '\n';
		wn_say("%.*s: an input's name holds a tab or a newline; rename it to shard these "
		       "inputs",
		       (int)strcspn(bad + 5, "\n"), bad + 5);
		return NULL;
	}
	size_t cap = strlen(raw) * 2 + 64, n = 0;
	char *out = wn_xmalloc(cap);
	int64_t idx = 0;
	for (const char *l = raw; *l;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		if (len && l[0] != '#') {
			if (n + len + 32 > cap)
				out = wn_xrealloc(out, cap = cap * 2 + len + 32);
			n += (size_t)sprintf(out + n, "%lld\t", (long long)idx++);
			memcpy(out + n, l, len);
			n += len;
			out[n++] = '\n';
		}
		l += len + (e ? 1 : 0);
	}
	out[n] = '\0';
	*count = idx;
	return out;
}

/* Lists every source's inputs in config order. Heap text or NULL. */
static char *enumerate(const wn_config *cfg, const char *workdir, int64_t *count)
{
	g_plan_file = wn_xasprintf("%s/.plan.tmp.%d", workdir, (int)getpid());
	unlink(g_plan_file);
	char **search = wn_loader_search_path(cfg->plugin_path);
	wn_diag d = {0};
	int rc = 0;
	for (size_t i = 0; i < cfg->n_sources && rc == 0; i++)
		rc = list_source(cfg, i, search, &d);
	wn_loader_free_path(search);
	char *raw = rc == 0 ? slurp(g_plan_file, NULL) : NULL;
	if (rc == 0 && !raw)
		raw = wn_xstrdup("");
	unlink(g_plan_file);
	free(g_plan_file);
	g_plan_file = NULL;
	char *list = raw ? number_inputs(cfg, raw, count) : NULL;
	free(raw);
	return list;
}

/* --- loading a config ---------------------------------------------------- */

static wn_config *load(const char *path, char *const *sets, size_t n_sets)
{
	wn_diag d = {0};
	wn_cfg_doc *doc = wn_cfg_load(path, &d);
	if (!doc)
		return NULL;
	for (size_t i = 0; i < n_sets; i++)
		wn_cfg_override(doc, sets[i], &d);
	if (d.errors) {
		wn_cfg_free(doc);
		return NULL;
	}
	wn_config *cfg = wn_xcalloc(1, sizeof(*cfg));
	if (wn_config_build(doc, cfg, &d)) {
		wn_config_free(cfg);
		free(cfg);
		return NULL;
	}
	return cfg;
}

static void unload(wn_config *cfg)
{
	if (cfg) {
		wn_config_free(cfg);
		free(cfg);
	}
}

wn_config *wn_plan_config(const wn_plan *p)
{
	return load(p->config, p->sets, p->n_sets);
}

void wn_plan_config_free(wn_config *cfg)
{
	unload(cfg);
}

/* --- shard states ------------------------------------------------------- */

/* A running marker is true while its run holds the shard's lock (the
 * engine's run lock, state/NNNNN.lock); a run killed with SIGKILL, or on
 * a node that died, holds none, and its shard counts as failed. */
static int running_alive(const char *workdir, int k)
{
	char *path = wn_shard_marker(workdir, k, "lock");
	int fd = open(path, O_RDWR | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return 0;
	int held = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd); /* drops the lock if this process took it */
	return held;
}

int wn_shard_state(const char *workdir, int k)
{
	static const char *const exts[] = {"done", "running", "failed"};
	static const int states[] = {WN_SHARD_DONE, WN_SHARD_RUNNING, WN_SHARD_FAILED};
	for (int i = 0; i < 3; i++) {
		char *m = wn_shard_marker(workdir, k, exts[i]);
		int there = access(m, F_OK) == 0;
		int alive = there && i == 1 ? running_alive(workdir, k) : 1;
		free(m);
		if (there)
			return alive ? states[i] : WN_SHARD_FAILED;
	}
	return WN_SHARD_MISSING;
}

static int plan_status(const char *workdir)
{
	wn_plan p;
	if (wn_plan_read(workdir, &p))
		return 1;
	static const char *const names[] = {"missing", "running", "failed", "done"};
	int count[4] = {0};
	printf("%d shards, %lld inputs, list sha256 %.16s\n", p.shards, (long long)p.inputs,
	       p.list_sha);
	for (int k = 0; k < p.shards; k++) {
		int s = wn_shard_state(workdir, k);
		count[s]++;
		printf("shard %05d %s\n", k, names[s]);
	}
	printf("done %d, running %d, failed %d, missing %d\n", count[WN_SHARD_DONE],
	       count[WN_SHARD_RUNNING], count[WN_SHARD_FAILED], count[WN_SHARD_MISSING]);
	int all = count[WN_SHARD_DONE] == p.shards;
	wn_plan_free(&p);
	return all ? 0 : 2;
}

/* --- winnow plan -------------------------------------------------------- */

static const char usage_plan[] =
    "usage: winnow plan CONFIG --shards N --workdir DIR [--set KEY=VALUE]...\n"
    "       winnow plan [CONFIG] --workdir DIR --status\n"
    "\n"
    "Freezes CONFIG's input list (files, WARC files) into DIR and cuts it into N\n"
    "shards, round-robin, whole inputs only. Inputs added later never move a\n"
    "shard: run each with `winnow run CONFIG --shard K/N --workdir DIR`, then\n"
    "`winnow merge --workdir DIR`. Planning again with the same N and inputs\n"
    "changes nothing; anything else is refused (use a new DIR).\n"
    "\n"
    "  --status   list the shards: done, running, failed or missing\n"
    "             (exit 0 when all are done, 2 otherwise)\n";

/* With run.state, the store is made (or upgraded) here, on the machine
 * that plans: shards only open it read-only, and one that cannot is a
 * failure (a store not shared with the node, a damaged file), never a
 * first run. 0, or -1 after printing why. */
static wn_err make_store(const wn_config *cfg)
{
	char err[512];
	wn_state *s = cfg->state ? wn_state_open(cfg->state, err, sizeof(err)) : NULL;
	if (cfg->state && !s) {
		wn_say("state store: %s", err);
		return WN_E_STORE;
	}
	wn_state_close(s);
	return WN_E_OK;
}

int wn_plan_make(const char *config, char *const *sets, size_t n_sets, int shards,
                 const char *workdir)
{
	char abs[PATH_MAX];
	if (!realpath(config, abs)) {
		wn_say("%s: %s", config, strerror(errno));
		return WN_EXIT_CONFIG;
	}
	wn_config *cfg = load(abs, sets, n_sets);
	if (!cfg)
		return WN_EXIT_CONFIG;
	if (make_store(cfg)) {
		unload(cfg);
		return WN_EXIT_CONFIG;
	}
	char *sub[] = {wn_xasprintf("%s/shards", workdir), wn_xasprintf("%s/state", workdir),
	               wn_xasprintf("%s/logs", workdir)};
	int rc = 0;
	for (int i = 0; i < 3; i++) {
		if (rc == 0 && wn_mkdirs(sub[i], 0777)) {
			wn_say("%s: %s", sub[i], strerror(errno));
			rc = 1;
		}
		free(sub[i]);
	}
	wn_plan p = {.shards = shards, .config = wn_xstrdup(abs)};
	char *list = rc ? NULL : enumerate(cfg, workdir, &p.inputs);
	if (list) {
		wn_sha256_hex(list, strlen(list), p.list_sha);
		snprintf(p.config_sha, sizeof p.config_sha, "%s", cfg->doc->sha256);
		for (size_t i = 0; i < n_sets; i++)
			plan_add_set(&p, sets[i]);
	}
	wn_plan old;
	char *old_path = wn_xasprintf("%s/plan.txt", workdir);
	int have_old = list && access(old_path, F_OK) == 0;
	free(old_path);
	if (!list) {
		rc = rc ? rc : WN_EXIT_CONFIG;
	} else if (have_old && wn_plan_read(workdir, &old) == 0) {
		int same = old.shards == p.shards && !strcmp(old.list_sha, p.list_sha) &&
		           !strcmp(old.config_sha, p.config_sha);
		if (same)
			printf("plan unchanged: %lld inputs in %d shards\n", (long long)p.inputs,
			       p.shards);
		else
			wn_say("%s already holds a plan of %d shards over %lld inputs (list "
			       "%.16s); this one has %s: planning again would mix shards of two "
			       "plans. Its shards keep running on the frozen list; for the new "
			       "inputs use a new --workdir",
			       workdir, old.shards, (long long)old.inputs, old.list_sha,
			       old.shards != p.shards                  ? "another N"
			       : strcmp(old.list_sha, p.list_sha) != 0 ? "another input list"
			                                               : "another config");
		rc = same ? 0 : 1;
		wn_plan_free(&old);
	} else if (have_old) {
		rc = 1;
	} else {
		char *path = wn_xasprintf("%s/inputs.tsv", workdir);
		rc = write_atomic(path, list, strlen(list)) || plan_write(workdir, &p) ? 1 : 0;
		free(path);
		if (rc == 0)
			printf("planned %lld inputs in %d shards (list sha256 %.16s)\n",
			       (long long)p.inputs, p.shards, p.list_sha);
	}
	free(list);
	wn_plan_free(&p);
	unload(cfg);
	return rc;
}

int wn_cmd_plan(int argc, char **argv)
{
	enum { O_SHARDS = 256, O_WORKDIR, O_SET, O_STATUS };
	static const struct option opts[] = {{"shards", required_argument, NULL, O_SHARDS},
	                                     {"workdir", required_argument, NULL, O_WORKDIR},
	                                     {"set", required_argument, NULL, O_SET},
	                                     {"status", no_argument, NULL, O_STATUS},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *workdir = NULL;
	char **sets = wn_xcalloc((size_t)argc + 1, sizeof(*sets));
	size_t n_sets = 0;
	long shards = 0;
	int status = 0, ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end = NULL;
		if (ch == 'h') {
			fputs(usage_plan, stdout);
			free(sets);
			return 0;
		} else if (ch == O_SHARDS) {
			shards = strtol(optarg, &end, 10);
			if (*end || shards < 1 || shards > 1000000) {
				wn_say("--shards needs 1..1000000, not '%s'", optarg);
				free(sets);
				return EXIT_USAGE;
			}
		} else if (ch == O_WORKDIR) {
			workdir = optarg;
		} else if (ch == O_SET) {
			sets[n_sets++] = optarg;
		} else if (ch == O_STATUS) {
			status = 1;
		} else {
			fputs(usage_plan, stderr);
			free(sets);
			return EXIT_USAGE;
		}
	}
	const char *config = optind < argc ? argv[optind] : NULL;
	int rc;
	if (!workdir || (!status && (!config || !shards)) || optind + 1 < argc) {
		rc = wn_usage_error(usage_plan, "plan needs CONFIG, --shards N and --workdir DIR");
	} else {
		rc = status ? plan_status(workdir)
		            : wn_plan_make(config, sets, n_sets, (int)shards, workdir);
	}
	free(sets);
	return rc;
}

/* --- winnow run --shard ------------------------------------------------- */

/* Writes shard k's slice of the frozen list (after checking its hash). */
static char *write_slice(const char *workdir, const wn_plan *p, int k)
{
	char *path = wn_xasprintf("%s/inputs.tsv", workdir);
	size_t n;
	char *list = slurp(path, &n);
	char sha[65] = "";
	if (list)
		wn_sha256_hex(list, n, sha);
	if (!list || strcmp(sha, p->list_sha) != 0) {
		wn_say("%s %s: the frozen list is not the one planned", path,
		       list ? "was changed" : strerror(errno));
		free(path);
		free(list);
		return NULL;
	}
	free(path);
	char *out = wn_xmalloc(n + 1);
	size_t m = 0;
	for (char *l = list; *l;) {
		char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) + 1 : strlen(l);
		if (strtoll(l, NULL, 10) % p->shards == k) {
			memcpy(out + m, l, len);
			m += len;
		}
		l += len;
	}
	free(list);
	char *slice = wn_xasprintf("%s/shards/%05d.list", workdir, k);
	if (write_atomic(slice, out, m)) {
		free(slice);
		slice = NULL;
	}
	free(out);
	return slice;
}

/* The config of a shard: outputs in the shard folder, one sink
 * (shard_out), no dedup, the state store read-only. */
static void reshape(wn_config *cfg, const char *workdir, int k)
{
	free(cfg->output_dir);
	cfg->output_dir = wn_shard_dir(workdir, k);
	free(cfg->lock);
	cfg->lock = wn_shard_marker(workdir, k, "lock");
	/* The store is read-only to a shard: it skips what earlier runs
	 * did, and journals its own rows for the merge, the only writer. */
	cfg->state_journal = cfg->state ? WN_SHARD_JOURNAL : NULL;
	free(cfg->latest);
	cfg->latest = NULL;
	cfg->keep = 0;
	cfg->dedup.exact = cfg->dedup.near = 0;
	size_t first = cfg->n_sources + cfg->n_transforms;
	wn_stage_cfg keep = cfg->stages[first];
	for (size_t i = first; i < cfg->n_stages; i++) {
		wn_stage_cfg *st = &cfg->stages[i];
		free(st->id);
		free(st->use);
		free(st->when.field);
		for (size_t j = 0; st->when.values && st->when.values[j]; j++)
			free(st->when.values[j]);
		free(st->when.values);
	}
	keep.id = wn_xstrdup("shard_out");
	keep.use = wn_xstrdup("shard_out");
	keep.with = NULL;
	memset(&keep.when, 0, sizeof keep.when);
	cfg->stages[first] = keep;
	cfg->n_sinks = 1;
	cfg->n_stages = first + 1;
}

wn_err wn_shard_begin(wn_config *cfg, const char *spec, const char *workdir)
{
	char *end;
	long k = strtol(spec, &end, 10), n = *end == '/' ? strtol(end + 1, &end, 10) : 0;
	if (*end || k < 0 || n < 1 || k >= n) {
		wn_say("--shard is K/N with 0 <= K < N, not '%s'", spec);
		return WN_E_CONFIG;
	}
	wn_plan p;
	if (wn_plan_read(workdir, &p))
		return WN_E_CONFIG;
	wn_err rc = WN_E_CONFIG;
	if (n != p.shards)
		wn_say("--shard %s: the plan in %s has %d shards; every shard of a plan runs with "
		       "the same N (or plan anew in another --workdir)",
		       spec, workdir, p.shards);
	else if (!cfg->doc || strcmp(cfg->doc->sha256, p.config_sha) != 0)
		wn_say("%s (with its --set values) is not the config planned in %s (%s with %zu "
		       "--set): shards of one plan run the same config",
		       cfg->doc ? cfg->doc->path : "config", workdir, p.config, p.n_sets);
	else if ((g_list_file = write_slice(workdir, &p, (int)k)))
		rc = WN_E_OK;
	wn_plan_free(&p);
	if (rc)
		return rc;
	reshape(cfg, workdir, (int)k);
	g_run.workdir = wn_xstrdup(workdir);
	g_run.k = (int)k;
	char *done = wn_shard_marker(workdir, (int)k, "done");
	char *failed = wn_shard_marker(workdir, (int)k, "failed");
	char *running = wn_shard_marker(workdir, (int)k, "running");
	unlink(done);
	unlink(failed);
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	char *text = wn_xasprintf("host %s pid %ld\n", host, (long)getpid());
	rc = write_atomic(running, text, strlen(text)) ? WN_E_IO : WN_E_OK;
	free(text);
	free(done);
	free(failed);
	free(running);
	return rc;
}

int wn_shard_end(int code)
{
	if (!g_run.workdir)
		return code;
	char *dir = wn_shard_dir(g_run.workdir, g_run.k);
	char *path = wn_xasprintf("%s/run.json", dir);
	json_error_t err;
	json_t *rj =
	    (code == WN_EXIT_OK || code == WN_EXIT_PARTIAL) ? json_load_file(path, 0, &err) : NULL;
	int interrupted = rj && (json_is_true(json_object_get(rj, "interrupted")) ||
	                         json_is_true(json_object_get(rj, "time_budget_hit")));
	int done = rj && !interrupted;
	json_t *m =
	    json_pack("{s:i, s:i, s:b, s:O*}", "shard", g_run.k, "exit_code", code, "interrupted",
	              interrupted, "records", rj ? json_object_get(rj, "records") : NULL);
	char *text = m ? json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	char *marker = wn_shard_marker(g_run.workdir, g_run.k, done ? "done" : "failed");
	char *running = wn_shard_marker(g_run.workdir, g_run.k, "running");
	if (!text || write_atomic(marker, text, strlen(text)))
		done = 0;
	unlink(running);
	free(running);
	free(marker);
	free(text);
	json_decref(m);
	json_decref(rj);
	free(path);
	free(dir);
	free(g_run.workdir);
	g_run.workdir = NULL;
	free(g_list_file);
	g_list_file = NULL;
	if (!done && code == WN_EXIT_OK)
		return WN_EXIT_PARTIAL;
	return code;
}
