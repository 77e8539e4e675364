/*
 * export_sqlite's database: the schema (from the field catalogue), the
 * run's transaction, and the statements that upsert one article with its
 * entities. Internal to the plugin; it logs through the callback given to
 * es_db_open and never calls the host itself.
 */
#ifndef ES_DB_H
#define ES_DB_H

#include <winnow/plugin.h>

#include <sqlite3.h>
#include <stdint.h>

enum { ES_OK = 0, ES_ERROR = 1, ES_BAD_RECORD = 2 };

/* The schema version kept in PRAGMA user_version. */
#define ES_SCHEMA_VERSION 1
/* PRAGMA application_id of a winnow database: "wnDB". */
#define ES_APPLICATION_ID 0x776E4442

typedef void (*es_log_fn)(void *arg, int level, const char *msg);

typedef struct es_db {
	sqlite3 *db;
	sqlite3_stmt *put_article, *del_entities, *put_entity, *put_run;
	int in_tx;          /* the run's transaction is open */
	int want_fts;       /* keep articles_fts */
	int fts;            /* articles_fts exists and is kept up to date */
	int64_t mismatched; /* values of the wrong type stored as NULL, unreported */
	es_log_fn log;
	void *log_arg;
} es_db;

/* Opens (creating when missing, with its parent folder) the database at
 * path in WAL mode. Returns 0, or -1 after logging. */
int es_db_open(es_db *d, const char *path, int fts, int64_t busy_ms, es_log_fn log, void *arg);

/* Begins the run's transaction (BEGIN IMMEDIATE: one writer at a time),
 * creates or upgrades the schema inside it and prepares the statements.
 * Returns 0, or -1 after logging (a foreign or newer database, locked). */
int es_db_begin(es_db *d);

/* Upserts record r (by id) and replaces its entities, offsets in code
 * points. Values whose type does not fit their column are stored as NULL
 * and counted in d->mismatched. *n_ents gets the entities written. Returns
 * ES_OK, ES_BAD_RECORD (no id) or ES_ERROR (logged). */
int es_db_put(es_db *d, const wn_host_api *api, const wn_record *r, const char *run_id,
              int64_t *n_ents);

/* Records the run in `runs`. 0, or -1 after logging. */
int es_db_add_run(es_db *d, const char *run_id, const char *started_at, int64_t articles,
                  int64_t entities);

/* Commits the run's transaction. 0, or -1 after logging (nothing of the
 * run is then in the database). */
int es_db_commit(es_db *d);

/* Imports the drop log of the committed run whose folder is `folder`
 * (its run.json names the run) into the `dropped` table, once: only when
 * that run is in `runs` and its drops are not imported yet. Its own
 * transaction; call it outside the run's. Returns the rows imported, 0
 * when there was nothing to do, or -1 after logging. */
int64_t es_db_import_drops(es_db *d, const char *folder, const char *log_name);

/* Rolls back an open transaction and closes the database. Safe on a
 * zeroed or already closed es_db. */
void es_db_close(es_db *d);

#endif
