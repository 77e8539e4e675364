/*
 * The ledger: every terminal outcome is remembered with its content hash
 * once the run commits, nothing of an uncommitted run counts, and a store
 * that fails on a look-up says so instead of answering "new".
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ledger.h"
#include "state.h"

static const wn_ledger_counts zero;

int main(void)
{
	char dir[] = "/tmp/wn-ledger-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256], err[256];
	snprintf(path, sizeof(path), "%s/state.db", dir);
	wn_state *s = wn_state_open(path, err, sizeof(err));
	CHECK(s != NULL);
	wn_ledger *l = wn_ledger_open(wn_state_db(s), 1, err, sizeof(err));
	CHECK(l != NULL);

	CHECK(wn_ledger_begin(l, "r1", "t", "2026-01-01T00:00:00Z", dir, "") == 0);
	CHECK(wn_ledger_exported(l, "a", "hash-a", NULL, 0) == 0);
	CHECK(wn_ledger_remember(l, "b", "hash-b", WN_OUTCOME_DROPPED) == 0);
	CHECK(wn_ledger_remember(l, "c", "hash-c", WN_OUTCOME_DUPLICATE) == 0);
	char hash[65];
	wn_outcome o = WN_OUTCOME_NONE;
	/* Pending rows do not count before the commit. */
	CHECK(wn_ledger_seen(l, "a", hash, &o) == WN_LOOKUP_NEW);
	CHECK(wn_ledger_prepare(l) == 0);
	CHECK(wn_ledger_commit(l, 0, "2026-01-01T00:00:01Z", &zero) == 0);

	CHECK(wn_ledger_seen(l, "a", hash, &o) == WN_LOOKUP_FOUND);
	CHECK(o == WN_OUTCOME_EXPORTED);
	CHECK_STR(hash, "hash-a");
	CHECK(wn_ledger_seen(l, "b", hash, &o) == WN_LOOKUP_FOUND);
	CHECK(o == WN_OUTCOME_DROPPED);
	CHECK_STR(hash, "hash-b");
	CHECK(wn_ledger_seen(l, "c", hash, &o) == WN_LOOKUP_FOUND);
	CHECK(o == WN_OUTCOME_DUPLICATE);
	CHECK(wn_ledger_seen(l, "zz", hash, &o) == WN_LOOKUP_NEW);
	CHECK_STR(wn_outcome_name(WN_OUTCOME_DUPLICATE), "duplicate");

	/* A run id is never reused. */
	CHECK(wn_ledger_begin(l, "r1", "t", "2026-01-03T00:00:00Z", dir, "") != 0);

	/* An aborted run's rows are gone. */
	CHECK(wn_ledger_begin(l, "r2", "t", "2026-01-02T00:00:00Z", dir, "") == 0);
	CHECK(wn_ledger_remember(l, "d", "hash-d", WN_OUTCOME_DROPPED) == 0);
	CHECK(wn_ledger_abort(l, "failed", 1, "2026-01-02T00:00:01Z", &zero) == 0);
	CHECK(wn_ledger_seen(l, "d", hash, &o) == WN_LOOKUP_NEW);

	/* A store that fails under the look-up is an error, never "new". */
	CHECK(sqlite3_exec(wn_state_db(s), "DROP TABLE seen;", NULL, NULL, NULL) == SQLITE_OK);
	CHECK(wn_ledger_seen(l, "a", hash, &o) == WN_LOOKUP_ERROR);

	wn_ledger_close(l);
	wn_state_close(s);
	unlink(path);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	return check_finish();
}
