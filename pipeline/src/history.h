/*
 * A run's memory of earlier runs, and the policy built on it: records an
 * earlier run exported are skipped ("seen") unless their content changed
 * and run.on_change says update; texts that duplicate one already kept,
 * in this run or an earlier one, exactly or nearly, are dropped with the
 * id they duplicate. The ledger (ledger.h) keeps the facts in the state
 * store; without a state store only duplicates within the run are found.
 */
#ifndef WN_HISTORY_H
#define WN_HISTORY_H

#include "config.h"
#include "ledger.h"
#include "run.h"

typedef struct wn_history wn_history;

/* Opens the history for a run of cfg (the state store, when configured,
 * must be open in run->state). `reprocess` ignores what earlier runs
 * exported. Returns NULL after logging when the store cannot be read. */
wn_history *wn_history_open(wn_run *run, const wn_config *cfg, int reprocess);

/* Producer thread, right after a source made r: 1 when a record with
 * the same id (the same canonical URL) was already given in this run, by
 * this source or another (a feed and a sitemap listing one page), so it is
 * dropped before any work with reason "repeat"; 0 for the first. */
int wn_history_repeat(wn_history *h, wn_record *r);

/* The file that notes records a plugin crashed on (crash.h): the state
 * store's path, else the lock's, plus ".quarantine". Heap string. */
char *wn_history_quarantine_path(const wn_config *cfg);

/* Notes record `id` in the quarantine file (why: "timeout", or a signal
 * name as the crash handler writes it), for the next run. h may be NULL. */
void wn_history_note_quarantine(wn_history *h, const char *id, const char *stage,
                                const char *plugin, const char *version, const char *why);

/* Producer thread: 1 when r's id crashed a plugin in an earlier run
 * (the quarantine file names it): r is failed with code "quarantined"
 * and a reason that says which stage, plugin and signal, so it is
 * dead-lettered once instead of crashing this run too; 0 otherwise. */
int wn_history_quarantined(wn_history *h, wn_record *r);

/* What the history says of a record a source just made. */
typedef enum wn_seen {
	WN_SEEN_ERROR = -1, /* the state store failed: neither "new" nor "seen" */
	WN_SEEN_NEW = 0,    /* go on: new, changed, or to be asked for again */
	WN_SEEN_SKIP = 1,   /* an earlier run ended it on this content: skip */
} wn_seen;

/* Producer thread, right after a source made r (with its id). Hashes
 * the content the source gave (raw bytes, else text) and looks the id
 * up: WN_SEEN_SKIP (r gets the drop reason "seen") when an earlier run
 * exported it, or dropped it or found it a duplicate on the same
 * content; WN_SEEN_NEW to go on; WN_SEEN_ERROR when the store failed,
 * which the caller must treat as a failure, never as new work. With
 * run.on_change: update an exported record goes on (a fetch stage may ask
 * for it conditionally) and wn_history_unchanged decides at the end. */
wn_seen wn_history_seen(wn_history *h, wn_record *r);

/* Sink thread, before the sinks: 1 when r was seen and its content (the
 * page bytes, else the text) is what an earlier run exported (reason
 * "seen"), 0 when it is new or changed. */
int wn_history_unchanged(wn_history *h, wn_record *r);

/* Sink thread, before the sinks: 1 when r duplicates a text already kept
 * (r gets reason "duplicate" or "near_duplicate", duplicate_of and the
 * similarity), 0 when it is new. */
int wn_history_duplicate(wn_history *h, wn_record *r);

/* Sink thread, after every sink took r: remembers it (pending until the
 * run commits). WN_E_OK, or WN_E_STORE (wn_ledger_last_error says why). */
wn_err wn_history_exported(wn_history *h, const wn_record *r);

/* What becomes of a record that failed (wn_history_failed). */
typedef enum wn_fate {
	WN_FATE_STORE_ERROR = -1, /* the state store failed; dead-letter it all the same */
	WN_FATE_DEAD_LETTER = 0,  /* a dead letter, tried again by a later run */
	WN_FATE_GONE = 1,         /* the page is gone for good: drop it ("gone") */
} wn_fate;

/* Sink thread, for a record that failed: notes the failure (later runs
 * back off from it, see wn_history_seen), or for a quarantined record
 * remembers it as such. When the failure says the page is gone (http_410,
 * or http_404 in run.gone_after committed runs, this one included), it is
 * remembered as gone, r's reason says so, and WN_FATE_GONE is returned
 * (the caller drops it instead: it stops paging every run). */
wn_fate wn_history_failed(wn_history *h, wn_record *r);

/* Sink thread: remembers that r ended dropped by a rule (its reason) or as
 * a duplicate, when its content was hashed at the source, so later runs
 * skip it until it changes. WN_E_OK, or WN_E_STORE (wn_ledger_last_error
 * says why). */
wn_err wn_history_remember(wn_history *h, const wn_record *r);

/* The commit protocol around the renames of the outputs (ledger.h):
 * prepare before, commit after; abort when the run does not commit. */
wn_err wn_history_prepare(wn_history *h);
wn_err wn_history_commit(wn_history *h, int exit_code, const wn_ledger_counts *c);
void wn_history_abort(wn_history *h, int exit_code, const wn_ledger_counts *c);

/* After a commit: points run.latest at the output folder and removes the
 * output folders of committed runs beyond run.keep. */
void wn_history_tidy(wn_history *h);

void wn_history_close(wn_history *h);

#endif
