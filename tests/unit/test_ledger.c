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

/* A shard's journal, collected in memory. */
static char journal[4096];
static size_t journal_len;

static int put_line(const char *line, size_t n, void *arg)
{
	(void)arg;
	if (journal_len + n >= sizeof(journal))
		return -1;
	memcpy(journal + journal_len, line, n);
	journal_len += n;
	journal[journal_len] = '\0';
	return 0;
}

/* A shard's ledger (read-only store, rows to a journal) and the merge
 * replaying its lines into the writable one (l, whose run r1 committed
 * "a"). */
static void journal_round_trip(wn_ledger *l, const char *path)
{
	char err[256], hash[65];
	wn_outcome o = WN_OUTCOME_NONE;
	wn_state *ro = wn_state_open_readonly(path, err, sizeof(err));
	CHECK(ro != NULL);
	wn_ledger *sh = wn_ledger_open(wn_state_db(ro), 0, err, sizeof(err));
	CHECK(sh != NULL);
	wn_ledger_journal(sh, put_line, NULL);
	CHECK(wn_ledger_begin(sh, "shard", "t", "2026-01-04T00:00:00Z", "", "") == 0);
	CHECK(wn_ledger_seen(sh, "a", hash, &o) == WN_LOOKUP_FOUND); /* reads the store */
	const char *odd = "x\ty\\z\nw"; /* a tab, a backslash, a newline */
	CHECK(wn_ledger_exported(sh, odd, "hash-x", "sig", 3) == 0);
	CHECK(wn_ledger_remember(sh, "e", "hash-e", WN_OUTCOME_DROPPED) == 0);
	CHECK(wn_ledger_failed(sh, "f", "http_500") == 0);
	CHECK(wn_ledger_prepare(sh) == 0 && wn_ledger_commit(sh, 0, "", &zero) == 0);
	CHECK(wn_ledger_seen(sh, "e", hash, &o) == WN_LOOKUP_NEW); /* nothing written */
	wn_ledger_close(sh);
	wn_state_close(ro);
	CHECK(wn_state_open_readonly("/nonexistent/state.db", err, sizeof(err)) == NULL);

	/* Three lines, read back field for field. */
	CHECK(wn_ledger_begin(l, "merge", "t", "2026-01-04T00:00:01Z", "", "") == 0);
	wn_ledger_row row;
	char *save = NULL, *line = strtok_r(journal, "\n", &save);
	CHECK(line && wn_ledger_journal_read(line, &row) == 0);
	CHECK(!row.failure && row.outcome == WN_OUTCOME_EXPORTED);
	CHECK_STR(row.id, odd);
	CHECK_STR(row.hash, "hash-x");
	line = strtok_r(NULL, "\n", &save);
	CHECK(line && wn_ledger_journal_read(line, &row) == 0 && wn_ledger_replay(l, &row) == 0);
	CHECK(row.outcome == WN_OUTCOME_DROPPED);
	line = strtok_r(NULL, "\n", &save);
	CHECK(line && wn_ledger_journal_read(line, &row) == 0 && wn_ledger_replay(l, &row) == 0);
	CHECK(row.failure);
	CHECK_STR(row.code, "http_500");
	CHECK(strtok_r(NULL, "\n", &save) == NULL);
	char bad[] = "seen\tonly-two";
	CHECK(wn_ledger_journal_read(bad, &row) == -1);
	CHECK(wn_ledger_prepare(l) == 0 && wn_ledger_commit(l, 0, "", &zero) == 0);
	CHECK(wn_ledger_seen(l, "e", hash, &o) == WN_LOOKUP_FOUND && o == WN_OUTCOME_DROPPED);
	CHECK_STR(hash, "hash-e");
	int count = 0;
	char last[32];
	CHECK(wn_ledger_failures(l, "f", "http_500", &count, last) == WN_LOOKUP_FOUND);
	CHECK(count == 1);
}

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

	journal_round_trip(l, path);

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
