/*
 * `winnow slurm`: see slurm.h and docs/scale-out.md.
 *
 * Writes two batch scripts into DIR/slurm/ and submits them with sbatch
 * (or, with --dry-run, prints the shell lines that would): shards.sbatch,
 * one array task per incomplete shard (task K runs `winnow run --shard
 * K/N`; arrays longer than MaxArraySize are cut into chunks whose index
 * is offset by the script's argument), and merge.sbatch, which waits for
 * every chunk with --dependency=afterok and is cancelled, not left
 * pending forever, when a shard fails (--kill-on-invalid-dep).
 *
 * A shard task asks to be told 120 s before its time runs out
 * (--signal=B:USR1@120): the script passes SIGTERM on to winnow, which
 * finishes the records in flight and commits them as a partial shard (not
 * marked done), and then requeues the task, whose rerun replaces the
 * shard's outputs. A plain SIGTERM (scancel) is passed on the same way,
 * without the requeue. The task's exit status is 0 only when the shard's
 * completion marker is there.
 */
#include "slurm.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "shard.h"
#include "util.h"

#define EXIT_USAGE 64

typedef struct slurm_opts {
	const char *config, *workdir, *partition, *time, *mem, *winnow, *output;
	char **sets;
	size_t n_sets;
	int shards, array_limit, dry_run;
} slurm_opts;

/* s in single quotes for sh (heap). */
static char *sh_quote(const char *s)
{
	size_t n = 3;
	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 4 : 1;
	char *out = wn_xmalloc(n), *o = out;
	*o++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return out;
}

/* Appends printf text to a heap string. */
static void cat(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cat(char **s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *add = NULL;
	if (vasprintf(&add, fmt, ap) < 0)
		add = NULL;
	va_end(ap);
	char *both = wn_xasprintf("%s%s", *s ? *s : "", add ? add : "");
	free(add);
	free(*s);
	*s = both;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ok = f && fputs(text, f) >= 0;
	if (f)
		ok = fclose(f) == 0 && ok;
	if (!ok)
		wn_say("%s: %s", path, strerror(errno));
	return ok ? 0 : -1;
}

/* The #SBATCH lines every script starts with: the job's name, its log
 * (`log`: a file name under WD/logs with sbatch's % patterns) and the
 * partition when one is set. */
static void sbatch_head(char **s, const slurm_opts *o, const char *job, const char *wd,
                        const char *log)
{
	cat(s, "#SBATCH --job-name=%s\n#SBATCH --output=%s/logs/%s\n", job, wd, log);
	if (o->partition)
		cat(s, "#SBATCH --partition=%s\n", o->partition);
}

/* The shard array script. */
static char *shard_script(const slurm_opts *o, const char *wd, const char *cfg, const char *bin)
{
	char *q_wd = sh_quote(wd), *q_cfg = sh_quote(cfg), *q_bin = sh_quote(bin), *s = NULL;
	cat(&s,
	    "#!/bin/bash\n"
	    "# Written by `winnow slurm`: array task I runs shard BASE+I of the plan in\n"
	    "# %s (BASE is the first argument). See docs/scale-out.md.\n",
	    wd);
	sbatch_head(&s, o, "winnow-shards", wd, "slurm-%A_%a.out");
	cat(&s, "#SBATCH --requeue\n"
	        "#SBATCH --signal=B:USR1@120\n");
	if (o->time)
		cat(&s, "#SBATCH --time=%s\n", o->time);
	if (o->mem)
		cat(&s, "#SBATCH --mem=%s\n", o->mem);
	cat(&s,
	    "set -u\n"
	    "wd=%s\n"
	    "k=$((${1:-0} + SLURM_ARRAY_TASK_ID))\n"
	    "log=$(printf '%%s/logs/shard-%%05d.log' \"$wd\" \"$k\")\n"
	    "say() { echo \"$(date -u +%%FT%%TZ) shard $k/%d: $*\" >>\"$log\"; }\n"
	    "say \"job ${SLURM_JOB_ID} on $(hostname), restart ${SLURM_RESTART_COUNT:-0}\"\n"
	    "stop() { # winnow finishes the records in flight, commits them unmarked\n"
	    "\tkill -TERM \"$pid\" 2>/dev/null\n"
	    "\twait \"$pid\"\n"
	    "\tif [ \"$1\" = USR1 ]; then\n"
	    "\t\tsay \"time nearly up: requeued\"\n"
	    "\t\tscontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\" >>\"$log\" "
	    "2>&1\n"
	    "\telse say \"stopped by SIGTERM\"; fi\n"
	    "\texit 1\n"
	    "}\n"
	    "trap 'stop USR1' USR1\n"
	    "trap 'stop TERM' TERM\n"
	    "%s run %s --shard \"$k/%d\" --workdir \"$wd\" --no-progress",
	    q_wd, o->shards, q_bin, q_cfg, o->shards);
	for (size_t i = 0; i < o->n_sets; i++) {
		char *q = sh_quote(o->sets[i]);
		cat(&s, " --set %s", q);
		free(q);
	}
	cat(&s, " >>\"$log\" 2>&1 &\n"
	        "pid=$!\n"
	        "wait \"$pid\"\n"
	        "rc=$?\n"
	        "say \"winnow exited $rc\"\n"
	        "[ -e \"$(printf '%%s/state/%%05d.done' \"$wd\" \"$k\")\" ]\n");
	free(q_wd);
	free(q_cfg);
	free(q_bin);
	return s;
}

static char *merge_script(const slurm_opts *o, const char *wd, const char *bin)
{
	char *q_wd = sh_quote(wd), *q_bin = sh_quote(bin), *s = NULL;
	cat(&s,
	    "#!/bin/bash\n"
	    "# Written by `winnow slurm`: merges the plan in %s once every shard is done.\n",
	    wd);
	sbatch_head(&s, o, "winnow-merge", wd, "merge-%j.log");
	cat(&s, "exec %s merge --workdir %s", q_bin, q_wd);
	if (o->output) {
		char *q = sh_quote(o->output);
		cat(&s, " --output %s", q);
		free(q);
	}
	cat(&s, "\n");
	free(q_wd);
	free(q_bin);
	return s;
}

/* MaxArraySize of the cluster (1001, Slurm's default, when unknown or for
 * a dry run: without a cluster, scontrol can spend a minute looking for
 * one in DNS). */
static int max_array_size(int dry_run)
{
	if (dry_run)
		return 1001;
	FILE *p = popen("timeout 20 scontrol show config 2>/dev/null", "r");
	char line[512];
	int max = 0;
	while (p && fgets(line, sizeof line, p))
		if (strncmp(line, "MaxArraySize", 12) == 0 && strchr(line, '='))
			max = atoi(strchr(line, '=') + 1);
	if (p)
		pclose(p);
	return max > 1 ? max : 1001;
}

/* "0-3,5,7-9" for the sorted indexes v[0..n) minus base. */
static char *array_spec(const int *v, size_t n, int base, int limit)
{
	char *s = NULL;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (j > i)
			cat(&s, "%s%d-%d", s ? "," : "", v[i] - base, v[j] - base);
		else
			cat(&s, "%s%d", s ? "," : "", v[i] - base);
		i = j + 1;
	}
	if (limit > 0)
		cat(&s, "%%%d", limit);
	return s;
}

/* Runs an sbatch command line; the job id it prints, or NULL. */
static char *submit(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char out[256] = "";
	if (p && !fgets(out, sizeof out, p))
		out[0] = '\0';
	int st = p ? pclose(p) : -1;
	out[strcspn(out, ";\n")] = '\0';
	if (st != 0 || !out[0] || strspn(out, "0123456789") != strlen(out)) {
		wn_say("%s: failed (%s)", cmd, out[0] ? out : "no job id");
		return NULL;
	}
	return wn_xstrdup(out);
}

/* Submits (or prints) the chunks of the array and the merge job. */
static int submit_all(const slurm_opts *o, const char *wd, const int *todo, size_t n)
{
	int max = max_array_size(o->dry_run), rc = 0;
	char *deps = NULL, *q_wd = sh_quote(wd);
	for (size_t i = 0; i < n && rc == 0;) {
		int base = todo[i] / max * max;
		size_t j = i;
		while (j < n && todo[j] < base + max)
			j++;
		char *spec = array_spec(todo + i, j - i, base, o->array_limit);
		char *cmd = wn_xasprintf("sbatch --parsable --array=%s %s/slurm/shards.sbatch %d",
		                         spec, q_wd, base);
		if (o->dry_run) {
			printf("j%d=$(%s)\n", base, cmd);
			cat(&deps, ":$j%d", base);
		} else {
			char *id = submit(cmd);
			if (id) {
				printf("submitted shards %s (base %d) as job %s\n", spec, base, id);
				cat(&deps, ":%s", id);
			}
			rc = id ? 0 : 1;
			free(id);
		}
		free(cmd);
		free(spec);
		i = j;
	}
	if (rc == 0) {
		char *cmd = wn_xasprintf("sbatch --parsable %s%s %s %s/slurm/merge.sbatch",
		                         deps ? "--dependency=afterok" : "", deps ? deps : "",
		                         deps ? "--kill-on-invalid-dep=yes" : "", q_wd);
		if (o->dry_run) {
			printf("%s\n", cmd);
		} else {
			char *id = submit(cmd);
			if (id)
				printf("submitted merge as job %s\n", id);
			rc = id ? 0 : 1;
			free(id);
		}
		free(cmd);
	}
	free(deps);
	free(q_wd);
	return rc;
}

static int run_slurm(const slurm_opts *o)
{
	int rc = wn_plan_make(o->config, o->sets, o->n_sets, o->shards, o->workdir);
	if (rc)
		return rc;
	char wd[PATH_MAX], bin[PATH_MAX];
	wn_plan p;
	if (!realpath(o->workdir, wd) || wn_plan_read(wd, &p))
		return WN_EXIT_FAILED;
	if (!realpath(o->winnow ? o->winnow : "/proc/self/exe", bin)) {
		wn_say("%s: %s", o->winnow ? o->winnow : "winnow", strerror(errno));
		wn_plan_free(&p);
		return EXIT_USAGE;
	}
	int *todo = wn_xcalloc((size_t)p.shards, sizeof(*todo));
	size_t n = 0, running = 0;
	for (int k = 0; k < p.shards; k++) {
		int s = wn_shard_state(wd, k);
		running += s == WN_SHARD_RUNNING;
		if (s == WN_SHARD_MISSING || s == WN_SHARD_FAILED)
			todo[n++] = k;
	}
	printf("%zu of %d shards to run (%zu running, %zu done)\n", n, p.shards, running,
	       (size_t)p.shards - n - running);
	char *dir = wn_xasprintf("%s/slurm", wd);
	char *sp = wn_xasprintf("%s/shards.sbatch", dir),
	     *mp = wn_xasprintf("%s/merge.sbatch", dir);
	char *ss = shard_script(o, wd, p.config, bin), *ms = merge_script(o, wd, bin);
	rc = wn_mkdirs(dir, 0777) || write_file(sp, ss) || write_file(mp, ms) ? 1 : 0;
	if (rc == 0 && running && !o->dry_run)
		wn_say("%zu shard%s still running: the merge may start before they finish and then "
		       "refuse; wait for them, or cancel them first",
		       running, running == 1 ? " is" : "s are");
	if (rc == 0)
		rc = submit_all(o, wd, todo, n);
	free(ss);
	free(ms);
	free(sp);
	free(mp);
	free(dir);
	free(todo);
	wn_plan_free(&p);
	return rc;
}

static const char usage_slurm[] =
    "usage: winnow slurm CONFIG --shards N --workdir DIR [--array-limit M]\n"
    "                    [--partition P] [--time T] [--mem M] [--output DIR]\n"
    "                    [--set KEY=VALUE]... [--winnow PATH] [--dry-run]\n"
    "\n"
    "Plans CONFIG in DIR (as `winnow plan`; an existing plan must be the same)\n"
    "and submits a Slurm job array over the shards that are not done, plus a\n"
    "merge job that runs when every one of them succeeded. Run it again after a\n"
    "failure: it resubmits only the shards that are still incomplete.\n"
    "\n"
    "  --array-limit M  at most M array tasks at once (--array=...%M)\n"
    "  --partition P, --time T, --mem M   passed to sbatch for the shard tasks\n"
    "  --output DIR     where the merge writes (default: the config's output_dir)\n"
    "  --winnow PATH    the winnow the jobs run (default: this one)\n"
    "  --dry-run        write the scripts into DIR/slurm and print the sbatch lines\n"
    "                   (arrays cut as for Slurm's default MaxArraySize, 1001)\n";

int wn_cmd_slurm(int argc, char **argv)
{
	enum {
		O_SHARDS = 256,
		O_WORKDIR,
		O_LIMIT,
		O_PART,
		O_TIME,
		O_MEM,
		O_DRY,
		O_SET,
		O_BIN,
		O_OUT
	};
	static const struct option opts[] = {{"shards", required_argument, NULL, O_SHARDS},
	                                     {"workdir", required_argument, NULL, O_WORKDIR},
	                                     {"array-limit", required_argument, NULL, O_LIMIT},
	                                     {"partition", required_argument, NULL, O_PART},
	                                     {"time", required_argument, NULL, O_TIME},
	                                     {"mem", required_argument, NULL, O_MEM},
	                                     {"dry-run", no_argument, NULL, O_DRY},
	                                     {"set", required_argument, NULL, O_SET},
	                                     {"winnow", required_argument, NULL, O_BIN},
	                                     {"output", required_argument, NULL, O_OUT},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	slurm_opts o = {0};
	o.sets = wn_xcalloc((size_t)argc + 1, sizeof(*o.sets));
	int ch, bad = 0;
	optind = 1;
	while (!bad && (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(usage_slurm, stdout);
			free(o.sets);
			return 0;
		}
		if (ch == O_SHARDS || ch == O_LIMIT) {
			char *end;
			long v = strtol(optarg, &end, 10);
			bad = *end || v < 1 || v > 1000000;
			*(ch == O_SHARDS ? &o.shards : &o.array_limit) = (int)v;
		} else if (ch == O_WORKDIR || ch == O_PART || ch == O_TIME || ch == O_MEM ||
		           ch == O_BIN || ch == O_OUT) {
			const char **dst[] = {&o.workdir, &o.partition, &o.time,
			                      &o.mem,     &o.winnow,    &o.output};
			int at = ch == O_WORKDIR ? 0
			         : ch == O_PART  ? 1
			         : ch == O_TIME  ? 2
			         : ch == O_MEM   ? 3
			         : ch == O_BIN   ? 4
			                         : 5;
			*dst[at] = optarg;
		} else if (ch == O_DRY) {
			o.dry_run = 1;
		} else if (ch == O_SET) {
			o.sets[o.n_sets++] = optarg;
		} else {
			bad = 1;
		}
	}
	o.config = optind == argc - 1 ? argv[optind] : NULL;
	int rc;
	if (bad || !o.config || !o.shards || !o.workdir) {
		rc = wn_usage_error(
		    usage_slurm, "slurm needs CONFIG, --shards N (1..1000000) and --workdir DIR");
	} else {
		rc = run_slurm(&o);
	}
	free(o.sets);
	return rc;
}
