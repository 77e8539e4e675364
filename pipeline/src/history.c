/*
 * A run's memory of earlier runs: see history.h.
 */
#include "history.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dedup.h"
#include "hash.h"
#include "identity.h"
#include "record.h"
#include "run_ident.h"
#include "state.h"

struct wn_history {
	wn_run *run;
	const wn_config *cfg;
	int reprocess;
	wn_ledger *ledger; /* NULL without a state store */
	wn_dedup *dedup;   /* NULL when duplicates are not looked for */
	wn_dedup_sig sig;  /* of the record last checked (sink thread) */
	int have_sig;
	unsigned char *packed;
	size_t packed_cap;
	/* Ids given this run (producer thread): 64-bit hashes in an open
	 * addressing table, 0 meaning empty. */
	uint64_t *ids;
	size_t n_ids, cap_ids;
	/* Records that crashed a plugin in an earlier run: lines of the
	 * quarantine file, "ID\tSTAGE\tPLUGIN VERSION\tSIGNAL". */
	char **quarantine;
	size_t n_quarantine;
	char *quarantine_path;
};

/* Adds key to the run's id table; 1 when it was there already. */
static int ids_add(wn_history *h, uint64_t key)
{
	key |= 1; /* never 0, the empty mark */
	if (2 * (h->n_ids + 1) > h->cap_ids) {
		size_t cap = h->cap_ids ? 2 * h->cap_ids : 1024;
		uint64_t *t = wn_xcalloc(cap, sizeof(*t));
		for (size_t i = 0; i < h->cap_ids; i++)
			for (size_t k = h->ids[i] ? h->ids[i] & (cap - 1) : cap; k < cap;
			     k = (k + 1) & (cap - 1))
				if (!t[k]) {
					t[k] = h->ids[i];
					break;
				}
		free(h->ids);
		h->ids = t;
		h->cap_ids = cap;
	}
	for (size_t k = key & (h->cap_ids - 1);; k = (k + 1) & (h->cap_ids - 1)) {
		if (h->ids[k] == key)
			return 1;
		if (!h->ids[k]) {
			h->ids[k] = key;
			h->n_ids++;
			return 0;
		}
	}
}

/* Loads one committed signature into the index. */
static wn_err load_sig(const char *id, const void *blob, size_t n, void *arg)
{
	wn_history *h = arg;
	wn_dedup_sig sig;
	/* A signature made with other dedup settings cannot be compared:
	 * skipping it is right (the record is still remembered as seen). */
	if (wn_dedup_sig_unpack(blob, n, &sig) == 0 &&
	    wn_dedup_add(h->dedup, id, &sig) == WN_DEDUP_ENOMEM)
		wn_oom(); /* dedup.c reports it as a code (util.h) */
	return WN_E_OK;
}

static wn_err open_dedup(wn_history *h)
{
	if (!h->cfg->dedup.exact && !h->cfg->dedup.near)
		return WN_E_OK;
	wn_dedup_opts o = {.threshold = h->cfg->dedup.threshold, .shingle = h->cfg->dedup.shingle};
	h->dedup = wn_dedup_new(&o);
	if (!h->dedup) {
		wn_run_log(h->run, NULL, WN_LOG_ERROR, "cannot set up duplicate detection");
		return WN_E_STORE;
	}
	if (h->ledger && !h->reprocess && wn_ledger_each_signature(h->ledger, load_sig, h)) {
		wn_run_log(h->run, NULL, WN_LOG_ERROR, "state store: %s", wn_ledger_last_error());
		return WN_E_STORE;
	}
	return WN_E_OK;
}

char *wn_history_quarantine_path(const wn_config *cfg)
{
	/* A shard's own (its lock's): shards on many nodes share one store. */
	int store = cfg->state && !cfg->state_journal;
	return wn_xasprintf("%s.quarantine", store ? cfg->state : cfg->lock);
}

/* Reads the quarantine file (absent: none). */
static void load_quarantine(wn_history *h)
{
	h->quarantine_path = wn_history_quarantine_path(h->cfg);
	FILE *f = fopen(h->quarantine_path, "r");
	char line[1024];
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line || !strchr(line, '\t'))
			continue;
		h->quarantine =
		    wn_xrealloc(h->quarantine, (h->n_quarantine + 1) * sizeof(*h->quarantine));
		h->quarantine[h->n_quarantine++] = wn_xstrdup(line);
	}
	if (f)
		fclose(f);
}

void wn_history_note_quarantine(wn_history *h, const char *id, const char *stage,
                                const char *plugin, const char *version, const char *why)
{
	FILE *f = h ? fopen(h->quarantine_path, "a") : NULL;
	if (!f)
		return;
	fprintf(f, "%s\t%s\t%s %s\t%s\n", id, stage, plugin, version, why);
	fclose(f);
}

int wn_history_quarantined(wn_history *h, wn_record *r)
{
	const char *id = wn_record_get_str(r, "id", NULL);
	size_t n = id ? strlen(id) : 0;
	for (size_t i = 0; n && i < h->n_quarantine; i++) {
		const char *q = h->quarantine[i];
		if (strncmp(q, id, n) != 0 || q[n] != '\t')
			continue;
		char stage[128] = "", plugin[128] = "", sig[32] = "";
		sscanf(q + n + 1, "%127[^\t]\t%127[^\t]\t%31s", stage, plugin, sig);
		char *msg = wn_record_alloc(r, 512);
		if (msg)
			snprintf(
			    msg, 512,
			    "it crashed stage '%s' (plugin %s, %s) in an earlier run; quarantined, "
			    "not processed again (remove its line from %s to try it again)",
			    stage, plugin, sig, h->quarantine_path);
		r->reason_code = (char *)"quarantined";
		r->reason = msg ? msg : (char *)"quarantined";
		return 1;
	}
	return 0;
}

/* The ledger journal's writer: one line into the shard's output file. */
static wn_err put_journal(const char *line, size_t n, void *arg)
{
	return wn_output_write(arg, line, n) == WN_OK ? WN_E_OK : WN_E_IO;
}

/* A shard's ledger journal, committed with the shard's outputs. */
static wn_err open_journal(wn_history *h)
{
	struct wn_output *out = wn_output_open(h->run, NULL, h->cfg->state_journal);
	if (!out) {
		wn_run_log(h->run, NULL, WN_LOG_ERROR, "cannot open %s", h->cfg->state_journal);
		return WN_E_IO;
	}
	wn_ledger_journal(h->ledger, put_journal, out);
	return WN_E_OK;
}

wn_history *wn_history_open(wn_run *run, const wn_config *cfg, int reprocess)
{
	wn_history *h = wn_xcalloc(1, sizeof(*h));
	h->run = run;
	h->cfg = cfg;
	h->reprocess = reprocess;
	load_quarantine(h);
	if (run->state) {
		char err[512];
		/* A shard reads the store and journals its rows (ledger.h);
		 * only the merge, under the run lock, settles and writes. */
		h->ledger =
		    wn_ledger_open(wn_state_db(run->state), !cfg->state_journal, err, sizeof(err));
		if (!h->ledger) {
			wn_run_log(run, NULL, WN_LOG_ERROR, "state store %s: %s", cfg->state, err);
			wn_history_close(h);
			return NULL;
		}
		if (cfg->state_journal && open_journal(h)) {
			wn_history_close(h);
			return NULL;
		}
	}
	if (open_dedup(h) ||
	    (h->ledger && wn_ledger_begin(h->ledger, run->run_id, run->name, run->started_at,
	                                  run->output_dir, cfg->doc ? cfg->doc->sha256 : NULL))) {
		if (h->ledger)
			wn_run_log(run, NULL, WN_LOG_ERROR, "state store %s: %s (run id %s)",
			           cfg->state, wn_ledger_last_error(), run->run_id);
		wn_history_close(h);
		return NULL;
	}
	return h;
}

/* A short hash of what the source delivered: the bytes when it gave
 * them, else the text, else the URL. It tells a changed page. */
static void content_hash(const wn_record *r, char out[17])
{
	size_t n = 0;
	const char *v = wn_record_get_str(r, "raw", &n);
	if (!v)
		v = wn_record_get_str(r, "text", &n);
	if (!v)
		v = wn_record_get_str(r, "url", &n);
	wn_bytes_id(v ? v : "", v ? n : 0, out);
}

static void mark_seen(wn_record *r)
{
	r->reason_code = (char *)"seen";
	r->reason = (char *)"exported by an earlier run";
}

/* The content hash of what the source gave, when it gave bytes or text
 * (not for a bare URL: that is hashed once fetched, at the sink). */
static void source_hash(wn_record *r)
{
	if (wn_record_get_str(r, "raw", NULL) || wn_record_get_str(r, "text", NULL))
		content_hash(r, r->content_hash);
}

int wn_history_repeat(wn_history *h, wn_record *r)
{
	const char *id = wn_record_get_str(r, "id", NULL);
	if (!id || !ids_add(h, wn_fnv1a64(id, strlen(id))))
		return 0;
	r->reason_code = (char *)"repeat";
	r->reason = (char *)"its URL was already given in this run (by this or another source)";
	return 1;
}

/* Seconds since the epoch of an ISO 8601 UTC time ("...Z"); -1 when it
 * is not one. */
static int64_t iso_seconds(const char *iso)
{
	struct tm tm = {0};
	const char *end = strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return end && !*end ? (int64_t)timegm(&tm) : -1;
}

/* A record that failed in earlier runs waits before it is tried again:
 * run.retry_backoff after the first failure, doubling with each one, at
 * most a week. So a source that is down, or a page that errors, costs one
 * dead letter now and then rather than one every run. */
static wn_seen backoff(wn_history *h, wn_record *r, const char *id)
{
	int64_t base = h->cfg->retry_backoff_ms / 1000;
	int count = 0;
	char last[32];
	if (base <= 0)
		return WN_SEEN_NEW;
	wn_lookup f = wn_ledger_failures(h->ledger, id, NULL, &count, last);
	if (f == WN_LOOKUP_ERROR)
		return WN_SEEN_ERROR;
	int64_t at = f == WN_LOOKUP_FOUND ? iso_seconds(last) : -1;
	if (at < 0)
		return WN_SEEN_NEW;
	int64_t wait = base;
	for (int i = 1; i < count && wait < 7 * 86400; i++)
		wait *= 2;
	if (wait > 7 * 86400)
		wait = 7 * 86400;
	int64_t now = iso_seconds(h->run->started_at);
	if (now < 0 || now >= at + wait)
		return WN_SEEN_NEW;
	char due[32];
	wn_iso_utc(at + wait, due);
	char *msg = wn_record_alloc(r, 160);
	if (msg)
		snprintf(msg, 160, "failed in %d earlier run(s), last at %s; tried again from %s",
		         count, last, due);
	r->reason_code = (char *)"deferred";
	r->reason = msg ? msg : (char *)"deferred";
	return WN_SEEN_SKIP;
}

wn_seen wn_history_seen(wn_history *h, wn_record *r)
{
	source_hash(r);
	if (!h->ledger || h->reprocess)
		return WN_SEEN_NEW;
	const char *id = wn_record_get_str(r, "id", NULL);
	char old[65];
	wn_outcome outcome = WN_OUTCOME_NONE;
	wn_lookup found = id ? wn_ledger_seen(h->ledger, id, old, &outcome) : WN_LOOKUP_NEW;
	if (found == WN_LOOKUP_ERROR)
		return WN_SEEN_ERROR;
	if (found == WN_LOOKUP_NEW)
		return id ? backoff(h, r, id) : WN_SEEN_NEW;
	if (outcome == WN_OUTCOME_GONE || outcome == WN_OUTCOME_QUARANTINED) {
		r->reason_code = (char *)"seen";
		r->reason = (char *)(outcome == WN_OUTCOME_GONE
		                         ? "gone: an earlier run found it permanently missing"
		                         : "quarantined: it crashed a plugin in an earlier run");
		return WN_SEEN_SKIP;
	}
	if (outcome != WN_OUTCOME_EXPORTED) {
		/* Dropped or a duplicate before: skipped while the content is the
		 * same (the rules would say the same again), done again when not. */
		if (!r->content_hash[0] || strncmp(old, r->content_hash, 16) != 0)
			return WN_SEEN_NEW;
		r->reason_code = (char *)"seen";
		r->reason = (char *)(outcome == WN_OUTCOME_DUPLICATE
		                         ? "a duplicate in an earlier run, content unchanged"
		                         : "dropped by an earlier run, content unchanged");
		return WN_SEEN_SKIP;
	}
	r->was_seen = 1;
	snprintf(r->seen_hash, sizeof(r->seen_hash), "%.16s", old);
	if (h->cfg->on_change == WN_ON_CHANGE_UPDATE)
		return WN_SEEN_NEW; /* exported again if its content changed */
	mark_seen(r);
	return WN_SEEN_SKIP;
}

int wn_history_unchanged(wn_history *h, wn_record *r)
{
	if (!r->content_hash[0])
		content_hash(r, r->content_hash);
	(void)h;
	if (!r->was_seen || strcmp(r->seen_hash, r->content_hash) != 0)
		return 0;
	mark_seen(r);
	return 1;
}

int wn_history_duplicate(wn_history *h, wn_record *r)
{
	h->have_sig = 0;
	size_t n = 0;
	const char *text = h->dedup ? wn_record_get_str(r, h->cfg->dedup.field, &n) : NULL;
	wn_dedup_match m;
	int rc = text ? wn_dedup_check(h->dedup, text, n, &h->sig, &m) : WN_DEDUP_EINVAL;
	if (rc == WN_DEDUP_ENOMEM)
		wn_oom();
	if (rc != WN_DEDUP_OK)
		return 0;
	h->have_sig = 1;
	int dup = (m.kind == WN_DEDUP_EXACT && h->cfg->dedup.exact) ||
	          (m.kind == WN_DEDUP_NEAR && h->cfg->dedup.near);
	if (!dup)
		return 0;
	r->duplicate_of = wn_record_alloc(r, strlen(m.duplicate_of) + 1);
	if (r->duplicate_of)
		strcpy(r->duplicate_of, m.duplicate_of);
	r->similarity = m.similarity;
	r->reason_code = (char *)(m.kind == WN_DEDUP_EXACT ? "duplicate" : "near_duplicate");
	char *msg = wn_record_alloc(r, 160);
	if (msg)
		snprintf(msg, 160, "%s of %s (similarity %.3f)",
		         m.kind == WN_DEDUP_EXACT ? "exact duplicate" : "near duplicate",
		         m.duplicate_of, m.similarity);
	r->reason = msg ? msg : (char *)"duplicate";
	return 1;
}

wn_err wn_history_exported(wn_history *h, const wn_record *r)
{
	const char *id = wn_record_get_str(r, "id", NULL);
	size_t n = 0;
	if (!id)
		return WN_E_OK;
	if (h->dedup && h->have_sig) {
		/* later copies in this run match it */
		if (wn_dedup_add(h->dedup, id, &h->sig) == WN_DEDUP_ENOMEM)
			wn_oom();
		n = wn_dedup_sig_pack(&h->sig, NULL, 0);
		if (n > h->packed_cap) {
			h->packed = wn_xrealloc(h->packed, n);
			h->packed_cap = n;
		}
		wn_dedup_sig_pack(&h->sig, h->packed, h->packed_cap);
	}
	h->have_sig = 0;
	if (!h->ledger)
		return WN_E_OK;
	return wn_ledger_exported(h->ledger, id, r->content_hash, n ? h->packed : NULL, n);
}

wn_err wn_history_remember(wn_history *h, const wn_record *r)
{
	const char *id = wn_record_get_str(r, "id", NULL);
	if (!h->ledger || !id || !r->content_hash[0])
		return WN_E_OK;
	wn_outcome o = r->duplicate_of ? WN_OUTCOME_DUPLICATE : WN_OUTCOME_DROPPED;
	return wn_ledger_remember(h->ledger, id, r->content_hash, o);
}

wn_fate wn_history_failed(wn_history *h, wn_record *r)
{
	if (h->ledger && r->reason_code && strcmp(r->reason_code, "quarantined") == 0) {
		/* Dead-lettered this once; later runs skip it. */
		const char *qid = wn_record_get_str(r, "id", NULL);
		return qid && wn_ledger_remember(h->ledger, qid, "", WN_OUTCOME_QUARANTINED)
		           ? WN_FATE_STORE_ERROR
		           : WN_FATE_DEAD_LETTER;
	}
	const char *id = wn_record_get_str(r, "id", NULL);
	const char *code = r->reason_code ? r->reason_code : "error";
	if (!h->ledger || !id)
		return WN_FATE_DEAD_LETTER;
	/* Every failure is noted: later runs back off from the record
	 * (wn_history_seen), and a page that keeps answering 404 is gone. */
	if (wn_ledger_failed(h->ledger, id, code))
		return WN_FATE_STORE_ERROR;
	int is410 = strcmp(code, "http_410") == 0, count = 0;
	char last[32];
	if (h->cfg->gone_after <= 0 || (!is410 && strcmp(code, "http_404")))
		return WN_FATE_DEAD_LETTER;
	if (wn_ledger_failures(h->ledger, id, code, &count, last) == WN_LOOKUP_ERROR)
		return WN_FATE_STORE_ERROR;
	count++; /* this run's, still pending */
	if (!is410 && count < h->cfg->gone_after)
		return WN_FATE_DEAD_LETTER;
	char *msg = wn_record_alloc(r, 128);
	if (msg)
		snprintf(msg, 128, "gone: %s in %d run(s); not asked for again", code, count);
	r->reason_code = (char *)"gone";
	r->reason = msg ? msg : (char *)"gone";
	return wn_ledger_remember(h->ledger, id, "", WN_OUTCOME_GONE) ? WN_FATE_STORE_ERROR
	                                                              : WN_FATE_GONE;
}

wn_err wn_history_prepare(wn_history *h)
{
	return h->ledger ? wn_ledger_prepare(h->ledger) : 0;
}

static void now_iso(char out[32])
{
	wn_iso_utc((int64_t)time(NULL), out);
}

wn_err wn_history_commit(wn_history *h, int exit_code, const wn_ledger_counts *c)
{
	char now[32];
	now_iso(now);
	return h->ledger ? wn_ledger_commit(h->ledger, exit_code, now, c) : 0;
}

void wn_history_abort(wn_history *h, int exit_code, const wn_ledger_counts *c)
{
	char now[32];
	now_iso(now);
	if (h->ledger)
		wn_ledger_abort(h->ledger, "failed", exit_code, now, c);
}

/* The symlink that names the last committed output folder: run.latest,
 * or, when the folder is made per run (its path carries the run's id or
 * date), "latest" beside it. NULL when there is none to keep. */
static char *latest_path(const wn_history *h)
{
	if (h->cfg->latest)
		return wn_xstrdup(h->cfg->latest);
	const char *dir = h->run->output_dir;
	if (!wn_output_dir_per_run(dir))
		return NULL;
	char *parent = wn_dirname(dir);
	char *p = wn_path_join(parent, "latest");
	free(parent);
	return p;
}

/* Points `link` at the output folder, atomically (a new link renamed
 * over the old one), with a relative target when they share a folder. */
static void point_latest(wn_history *h, const char *link)
{
	char *ldir = wn_dirname(link), *odir = wn_dirname(h->run->output_dir);
	const char *base = strrchr(h->run->output_dir, '/');
	int same = strcmp(ldir, odir) == 0 && base;
	const char *target = same ? base + 1 : h->run->output_dir;
	char *tmp = wn_xasprintf("%s.tmp.%d", link, (int)getpid());
	unlink(tmp);
	if (symlink(target, tmp) || rename(tmp, link)) {
		wn_run_log(h->run, NULL, WN_LOG_WARN, "cannot update %s: %s", link,
		           strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(ldir);
	free(odir);
}

static void prune(wn_history *h)
{
	char **ids, **dirs;
	size_t n;
	if (!h->ledger || h->cfg->keep <= 0 ||
	    wn_ledger_expired(h->ledger, h->cfg->keep, h->run->output_dir, &ids, &dirs, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		/* Only folders winnow made for that run are ever removed. */
		if (wn_ledger_outputs_in_place(dirs[i], ids[i]) && wn_rmtree(dirs[i]) == 0)
			wn_ledger_mark_pruned(h->ledger, ids[i]);
		free(ids[i]);
		free(dirs[i]);
	}
	free(ids);
	free(dirs);
}

void wn_history_tidy(wn_history *h)
{
	char *link = latest_path(h);
	if (link)
		point_latest(h, link);
	free(link);
	prune(h);
}

void wn_history_close(wn_history *h)
{
	if (!h)
		return;
	wn_ledger_close(h->ledger);
	wn_dedup_free(h->dedup);
	free(h->packed);
	free(h->ids);
	for (size_t i = 0; i < h->n_quarantine; i++)
		free(h->quarantine[i]);
	free(h->quarantine);
	free(h->quarantine_path);
	free(h);
}
