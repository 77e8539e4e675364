/*
 * The state store (state.c): schema, validators round trip, reopening,
 * a file from a newer winnow refused.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "state.h"

int main(void)
{
	char dir[] = "/tmp/wn-state.XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char path[256], err[256];
	snprintf(path, sizeof(path), "%s/sub/state.db", dir);
	wn_state *s = wn_state_open(path, err, sizeof(err));
	CHECK(s != NULL);
	char *etag, *lm;
	CHECK(!wn_state_validators_get(s, "http://a/", &etag, &lm));
	wn_validator v[] = {{"http://a/", "\"x1\"", NULL},
	                    {"http://b/", NULL, "Wed, 21 Oct 2015 07:28:00 GMT"}};
	CHECK(wn_state_validators_put(s, v, 2, err, sizeof(err)) == 0);
	wn_state_close(s);

	s = wn_state_open(path, err, sizeof(err));
	CHECK(s != NULL);
	CHECK(wn_state_validators_get(s, "http://a/", &etag, &lm));
	CHECK_STR(etag, "\"x1\"");
	CHECK(lm == NULL);
	free(etag);
	free(lm);
	CHECK(wn_state_validators_get(s, "http://b/", &etag, &lm));
	CHECK(etag == NULL);
	CHECK_STR(lm, "Wed, 21 Oct 2015 07:28:00 GMT");
	free(etag);
	free(lm);
	wn_state_close(s);

	/* A newer schema is refused, not damaged. */
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "UPDATE schema_version SET version = 99;", NULL, NULL, NULL);
	char *mode = NULL;
	sqlite3_close(db);
	(void)mode;
	s = wn_state_open(path, err, sizeof(err));
	CHECK(s == NULL);
	CHECK(CONTAINS(err, "newer"));
	wn_state_close(s);

	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	return check_finish();
}
