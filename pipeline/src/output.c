/*
 * Output files committed together. A run writes its outputs where no
 * reader looks (a staging folder) and makes them visible only when it
 * commits, all of them in one atomic step:
 *
 *   folder per run    out/RUNID is written as the hidden sibling
 *                     out/.RUNID.winnow.PID and renamed to out/RUNID
 *                     (exchanged with an older folder of that name);
 *   fixed folder      output/.winnow/gen.PID.RUNID holds the files;
 *                     output/.winnow/current is a link to the committed
 *                     generation, switched by one rename, and each
 *                     visible name (output/articles.jsonl) is a link
 *                     through current.
 *
 * So a reader never sees a partial file, nor files of two runs mixed in
 * one folder (a reader that opens several files of a fixed folder while a
 * commit switches it resolves output/.winnow/current once and reads
 * through that path), and a killed run leaves nothing visible: only
 * staging that the next run sweeps. `winnow try` and the harness keep
 * the simpler file-by-file mode (WN_OUT_DIRECT).
 */
#include "run.h"

#include "crash.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMP_TAG ".tmp."
#define GEN_DIR ".winnow"     /* inside a fixed output folder */
#define GEN_PREFIX "gen."     /* gen.PID.RUNID */
#define GEN_CURRENT "current" /* link to the committed generation */
#define STAGE_TAG ".winnow."  /* .BASE.winnow.PID beside a per-run folder */

/* A relative path inside the output folder: no "..", not absolute. */
static int safe_relpath(const char *rel)
{
	if (!rel || !*rel || rel[0] == '/')
		return 0;
	for (const char *p = rel; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n + (e ? 1 : 0);
	}
	return 1;
}

/* "dir/.name.tmp.PID" beside final path "dir/name". */
static char *tmp_name(const char *final)
{
	const char *slash = strrchr(final, '/');
	size_t dirlen = slash ? (size_t)(slash - final + 1) : 0;
	return wn_xasprintf("%.*s.%s%s%d", (int)dirlen, final, final + dirlen, TMP_TAG,
	                    (int)getpid());
}

/* Creates the folder a file goes in; 0, or -1 after logging. */
static wn_err make_parent(wn_run *run, const char *stage_id, const char *path)
{
	char *dir = wn_dirname(path);
	wn_err rc = wn_mkdirs(dir, 0777);
	if (rc)
		wn_run_log(run, stage_id, WN_LOG_ERROR, "cannot create %s: %s", dir,
		           strerror(errno));
	free(dir);
	return rc;
}

/* True when another output of the run already has this final path. */
static int taken(wn_run *run, const char *final)
{
	int found = 0;
	pthread_mutex_lock(&run->out_mu);
	for (size_t i = 0; i < run->n_outputs && !found; i++)
		found = strcmp(run->outputs[i]->final, final) == 0;
	pthread_mutex_unlock(&run->out_mu);
	return found;
}

static void output_free(struct wn_output *o)
{
	free(o->rel);
	free(o->tmp);
	free(o->final);
	free(o);
}

struct wn_output *wn_output_open(wn_run *run, const char *stage_id, const char *relpath)
{
	if (!safe_relpath(relpath)) {
		wn_run_log(run, stage_id, WN_LOG_ERROR,
		           "output path '%s' must be relative to the output folder, without '..'",
		           relpath ? relpath : "(null)");
		return NULL;
	}
	char *final = wn_path_join(run->output_dir, relpath);
	if (taken(run, final)) {
		wn_run_log(run, stage_id, WN_LOG_ERROR,
		           "output '%s' is already written by another stage", relpath);
		free(final);
		return NULL;
	}
	struct wn_output *o = wn_xcalloc(1, sizeof(*o));
	o->rel = wn_xstrdup(relpath);
	o->final = final;
	o->tmp = run->stage_dir ? wn_path_join(run->stage_dir, relpath) : tmp_name(final);
	if (make_parent(run, stage_id, o->tmp)) {
		output_free(o);
		return NULL;
	}
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		wn_run_log(run, stage_id, WN_LOG_ERROR, "cannot write %s: %s", o->tmp,
		           strerror(errno));
		output_free(o);
		return NULL;
	}
	setvbuf(o->f, NULL, _IOFBF, 1 << 16);
	pthread_mutex_lock(&run->out_mu);
	run->outputs = wn_xrealloc(run->outputs, (run->n_outputs + 1) * sizeof(*run->outputs));
	run->outputs[run->n_outputs++] = o;
	pthread_mutex_unlock(&run->out_mu);
	return o;
}

/* Every this many bytes, writeback of what is written so far is started
 * in the background, so the fsync at commit finds little left to do
 * instead of flushing a whole large output at the end. */
#define KICK_BYTES (32u << 20)

int wn_output_write(struct wn_output *o, const void *buf, size_t len)
{
	if (!o || !o->f || o->failed)
		return WN_FATAL;
	if (len && fwrite(buf, 1, len, o->f) != len) {
		o->failed = errno ? errno : EIO;
		return WN_FATAL;
	}
	o->unsynced += len;
	if (o->unsynced >= KICK_BYTES) {
		o->unsynced = 0;
		if (fflush(o->f) == 0) /* a hint only: errors show at commit */
			sync_file_range(fileno(o->f), 0, 0, SYNC_FILE_RANGE_WRITE);
	}
	return WN_OK;
}

/* Flushes and syncs one output; 0 or an errno. */
static int finish_file(struct wn_output *o)
{
	if (o->failed)
		return o->failed;
	if (fflush(o->f) || fsync(fileno(o->f)))
		return errno ? errno : EIO;
	int rc = fclose(o->f);
	o->f = NULL;
	return rc ? (errno ? errno : EIO) : 0;
}

static void sync_path(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static void sync_dir(const char *path)
{
	char *dir = wn_dirname(path);
	sync_path(dir);
	free(dir);
}

/* Frees the output list after a commit or an abort. */
static void drop_outputs(wn_run *run)
{
	for (size_t i = 0; i < run->n_outputs; i++)
		output_free(run->outputs[i]);
	free(run->outputs);
	run->outputs = NULL;
	run->n_outputs = 0;
}

/* WN_OUT_DIRECT: renames each file into place, one by one. */
static wn_err publish_direct(wn_run *run)
{
	for (size_t i = 0; i < run->n_outputs; i++) {
		struct wn_output *o = run->outputs[i];
		if (rename(o->tmp, o->final)) {
			wn_run_log(run, NULL, WN_LOG_ERROR, "cannot rename %s to %s: %s", o->tmp,
			           o->final, strerror(errno));
			return WN_E_IO;
		}
		sync_dir(o->final);
		free(o->tmp);
		o->tmp = NULL;
	}
	return WN_E_OK;
}

/* Makes `link` a symbolic link to `target`, replacing what is there in
 * one rename (a reader sees the old entry or the new, never none). */
static int replace_link(const char *target, const char *link)
{
	char *tmp = wn_xasprintf("%s%s%d", link, TMP_TAG, (int)getpid());
	unlink(tmp);
	int rc = symlink(target, tmp) || rename(tmp, link) ? -1 : 0;
	int err = errno;
	if (rc)
		unlink(tmp);
	free(tmp);
	errno = err;
	return rc;
}

/* The link a visible name needs: "../" per folder in rel, then
 * .winnow/current/rel. */
static char *visible_target(const char *rel)
{
	size_t up = 0;
	for (const char *p = rel; *p; p++)
		up += *p == '/';
	char *t = wn_xstrdup("");
	for (size_t i = 0; i < up; i++) {
		char *n = wn_xasprintf("%s../", t);
		free(t);
		t = n;
	}
	char *full = wn_xasprintf("%s" GEN_DIR "/" GEN_CURRENT "/%s", t, rel);
	free(t);
	return full;
}

/* Points each visible name at .winnow/current (done before the switch:
 * names that already pointed there, the usual case, are left alone). */
static wn_err link_visible(wn_run *run)
{
	for (size_t i = 0; i < run->n_outputs; i++) {
		struct wn_output *o = run->outputs[i];
		char *want = visible_target(o->rel);
		char have[4096];
		ssize_t n = readlink(o->final, have, sizeof(have) - 1);
		int ok = n >= 0 && (size_t)n == strlen(want) && memcmp(have, want, (size_t)n) == 0;
		if (!ok && replace_link(want, o->final)) {
			wn_run_log(run, NULL, WN_LOG_ERROR, "cannot link %s: %s", o->final,
			           strerror(errno));
			free(want);
			return WN_E_IO;
		}
		free(want);
	}
	return WN_E_OK;
}

/* True when `name` is a generation or staging name made by a process that
 * is gone: "gen.PID.RUNID" (prefix "gen.") or ".BASE.winnow.PID" (tag). */
static int dead_owner(const char *name, const char *tag)
{
	const char *p = strstr(name, tag);
	if (!p)
		return 0;
	char *end;
	long pid = strtol(p + strlen(tag), &end, 10);
	if (pid <= 0 || end == p + strlen(tag) || (*end && *end != '.'))
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Removes every generation in gdir but `keep` (NULL: only those of dead
 * processes) and the committed one that current names. */
static void remove_generations(const char *gdir, const char *keep)
{
	char *cur = wn_path_join(gdir, GEN_CURRENT), committed[512];
	ssize_t n = readlink(cur, committed, sizeof(committed) - 1);
	free(cur);
	committed[n > 0 ? n : 0] = '\0';
	DIR *d = opendir(gdir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, GEN_PREFIX, strlen(GEN_PREFIX)) != 0)
			continue;
		if (strcmp(e->d_name, committed) == 0 ||
		    (keep ? strcmp(e->d_name, keep) == 0 : !dead_owner(e->d_name, GEN_PREFIX)))
			continue;
		char *p = wn_path_join(gdir, e->d_name);
		wn_rmtree(p);
		free(p);
	}
	if (d)
		closedir(d);
}

/* WN_OUT_GENERATION: links the visible names, then switches current to
 * this run's generation in one rename; older generations are removed. */
static wn_err publish_generation(wn_run *run)
{
	if (link_visible(run))
		return WN_E_IO;
	wn_crash_point("commit:linked");
	char *gdir = wn_path_join(run->output_dir, GEN_DIR);
	char *cur = wn_path_join(gdir, GEN_CURRENT);
	const char *gen = strrchr(run->stage_dir, '/') + 1;
	wn_err rc = replace_link(gen, cur);
	if (rc)
		wn_run_log(run, NULL, WN_LOG_ERROR, "cannot switch %s to %s: %s", cur, gen,
		           strerror(errno));
	else {
		sync_path(gdir);
		remove_generations(gdir, gen);
	}
	free(cur);
	free(gdir);
	return rc;
}

/* WN_OUT_FOLDER: renames the staged folder to its final name, exchanged
 * atomically with an older folder of that name (then removed). */
static wn_err publish_folder(wn_run *run)
{
	const char *dst = run->output_dir;
	if (rename(run->stage_dir, dst) == 0 ||
	    ((errno == EEXIST || errno == ENOTEMPTY) &&
	     renameat2(AT_FDCWD, run->stage_dir, AT_FDCWD, dst, RENAME_EXCHANGE) == 0)) {
		wn_rmtree(run->stage_dir); /* the older folder, when exchanged */
		sync_dir(dst);
		return WN_E_OK;
	}
	wn_run_log(run, NULL, WN_LOG_ERROR, "cannot rename %s to %s: %s", run->stage_dir, dst,
	           strerror(errno));
	return WN_E_IO;
}

wn_err wn_outputs_commit(wn_run *run)
{
	/* Everything is made durable before anything becomes visible, so a
	 * crash in between leaves either the old outputs or the new ones. */
	for (size_t i = 0; i < run->n_outputs; i++) {
		struct wn_output *o = run->outputs[i];
		int err = finish_file(o);
		if (err) {
			wn_run_log(run, NULL, WN_LOG_ERROR, "writing %s failed: %s", o->final,
			           strerror(err));
			wn_outputs_abort(run);
			return WN_E_IO;
		}
		if (run->stage_dir)
			sync_dir(o->tmp);
	}
	int rc = run->out_mode == WN_OUT_GENERATION ? publish_generation(run)
	         : run->out_mode == WN_OUT_FOLDER   ? publish_folder(run)
	                                            : publish_direct(run);
	if (rc) {
		wn_outputs_abort(run);
		return WN_E_IO;
	}
	drop_outputs(run);
	free(run->stage_dir);
	run->stage_dir = NULL;
	return WN_E_OK;
}

void wn_outputs_abort(wn_run *run)
{
	for (size_t i = 0; i < run->n_outputs; i++) {
		struct wn_output *o = run->outputs[i];
		if (o->f)
			fclose(o->f);
		o->f = NULL;
		if (o->tmp && !run->stage_dir)
			unlink(o->tmp);
	}
	drop_outputs(run);
	if (run->stage_dir)
		wn_rmtree(run->stage_dir);
	free(run->stage_dir);
	run->stage_dir = NULL;
}

wn_err wn_outputs_begin(wn_run *run, int per_run)
{
	const char *dir = run->output_dir;
	char *made;
	if (per_run) {
		char *parent = wn_dirname(dir);
		const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		run->stage_dir = wn_xasprintf("%s/.%s" STAGE_TAG "%d", parent, base, (int)getpid());
		made = parent;
	} else {
		run->stage_dir = wn_xasprintf("%s/" GEN_DIR "/" GEN_PREFIX "%d.%s", dir,
		                              (int)getpid(), run->run_id);
		made = NULL;
	}
	run->out_mode = per_run ? WN_OUT_FOLDER : WN_OUT_GENERATION;
	wn_rmtree(run->stage_dir); /* a leftover of an earlier process with our pid */
	if (wn_mkdirs(run->stage_dir, 0777)) {
		wn_run_log(run, NULL, WN_LOG_ERROR, "cannot create output folder %s: %s",
		           run->stage_dir, strerror(errno));
		free(made);
		free(run->stage_dir);
		run->stage_dir = NULL;
		return WN_E_IO;
	}
	free(made);
	return WN_E_OK;
}

/* True when name is ".X.tmp.PID" and that process is gone. */
static int stale_tmp(const char *name)
{
	return name[0] == '.' && dead_owner(name, TMP_TAG);
}

/* Removes, in `dir`, staging folders of dead processes and, with
 * `files`, their temporary files (only in the output folder itself:
 * beside it, names like .X.tmp.PID may be another program's). */
static void sweep_dir(const char *dir, int files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		int file = files && stale_tmp(e->d_name);
		int stage = e->d_name[0] == '.' && dead_owner(e->d_name, STAGE_TAG);
		if (!file && !stage)
			continue;
		char *p = wn_path_join(dir, e->d_name);
		if (file)
			unlink(p);
		else
			wn_rmtree(p);
		free(p);
	}
	if (d)
		closedir(d);
}

void wn_outputs_sweep(const char *output_dir)
{
	sweep_dir(output_dir, 1);
	char *parent = wn_dirname(output_dir);
	sweep_dir(parent, 0);
	free(parent);
	char *gdir = wn_path_join(output_dir, GEN_DIR);
	remove_generations(gdir, NULL);
	free(gdir);
}
