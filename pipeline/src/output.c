/*
 * Output files committed together: every output is written under a
 * temporary name in its final folder and renamed into place only when the
 * run commits, so readers and a killed run never see a partial file under
 * a final name, and earlier outputs stay intact until the new ones are
 * complete.
 */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMP_TAG ".tmp."

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

struct wn_output *wn_output_open(wn_run *run, const char *stage_id, const char *relpath)
{
	if (!safe_relpath(relpath)) {
		wn_run_log(run, stage_id, WN_LOG_ERROR,
		           "output path '%s' must be relative to the output folder, without '..'",
		           relpath ? relpath : "(null)");
		return NULL;
	}
	char *final = wn_path_join(run->output_dir, relpath);
	pthread_mutex_lock(&run->out_mu);
	for (size_t i = 0; i < run->n_outputs; i++) {
		if (strcmp(run->outputs[i]->final, final) == 0) {
			pthread_mutex_unlock(&run->out_mu);
			wn_run_log(run, stage_id, WN_LOG_ERROR,
			           "output '%s' is already written by another stage", relpath);
			free(final);
			return NULL;
		}
	}
	pthread_mutex_unlock(&run->out_mu);
	char *dir = wn_dirname(final);
	if (wn_mkdirs(dir, 0777)) {
		wn_run_log(run, stage_id, WN_LOG_ERROR, "cannot create %s: %s", dir,
		           strerror(errno));
		free(dir);
		free(final);
		return NULL;
	}
	free(dir);
	struct wn_output *o = wn_xcalloc(1, sizeof(*o));
	o->rel = wn_xstrdup(relpath);
	o->final = final;
	o->tmp = tmp_name(final);
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		wn_run_log(run, stage_id, WN_LOG_ERROR, "cannot write %s: %s", o->tmp,
		           strerror(errno));
		free(o->rel);
		free(o->tmp);
		free(o->final);
		free(o);
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

static void sync_dir(const char *path)
{
	char *dir = wn_dirname(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int wn_outputs_commit(wn_run *run)
{
	/* Everything is made durable before anything is renamed, so a crash
	 * in between leaves either all old files or complete new ones. */
	for (size_t i = 0; i < run->n_outputs; i++) {
		struct wn_output *o = run->outputs[i];
		int err = finish_file(o);
		if (err) {
			wn_run_log(run, NULL, WN_LOG_ERROR, "writing %s failed: %s", o->final,
			           strerror(err));
			wn_outputs_abort(run);
			return -1;
		}
	}
	for (size_t i = 0; i < run->n_outputs; i++) {
		struct wn_output *o = run->outputs[i];
		if (rename(o->tmp, o->final)) {
			wn_run_log(run, NULL, WN_LOG_ERROR, "cannot rename %s to %s: %s", o->tmp,
			           o->final, strerror(errno));
			wn_outputs_abort(run);
			return -1;
		}
		sync_dir(o->final);
		free(o->tmp);
		o->tmp = NULL;
	}
	for (size_t i = 0; i < run->n_outputs; i++) {
		free(run->outputs[i]->rel);
		free(run->outputs[i]->final);
		free(run->outputs[i]);
	}
	free(run->outputs);
	run->outputs = NULL;
	run->n_outputs = 0;
	return 0;
}

void wn_outputs_abort(wn_run *run)
{
	for (size_t i = 0; i < run->n_outputs; i++) {
		struct wn_output *o = run->outputs[i];
		if (o->f)
			fclose(o->f);
		if (o->tmp) {
			unlink(o->tmp);
			free(o->tmp);
		}
		free(o->rel);
		free(o->final);
		free(o);
	}
	free(run->outputs);
	run->outputs = NULL;
	run->n_outputs = 0;
}

/* True when name is ".X.tmp.PID" and that process is gone. */
static int stale_tmp(const char *name)
{
	if (name[0] != '.')
		return 0;
	const char *tag = strstr(name, TMP_TAG);
	if (!tag)
		return 0;
	char *end;
	long pid = strtol(tag + strlen(TMP_TAG), &end, 10);
	if (*end || pid <= 0)
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void wn_outputs_sweep(const char *output_dir)
{
	DIR *d = opendir(output_dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (stale_tmp(e->d_name)) {
			char *p = wn_path_join(output_dir, e->d_name);
			unlink(p);
			free(p);
		}
	}
	closedir(d);
}
