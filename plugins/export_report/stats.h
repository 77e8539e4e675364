/*
 * export_report's view of the whole run, not only of the articles a sink
 * sees: the records through the stages, drops by reason, dead letters,
 * duplicate clusters, time per stage and the change against the previous
 * committed run. It reads what the host hands a sink at commit
 * (run_value "run_stats", "dead_letter_file", "drop_log_file") and the
 * previous run's run.json. Internal to the plugin.
 */
#ifndef ER_STATS_H
#define ER_STATS_H

#include "buf.h"
#include "tally.h"

#include <stddef.h>
#include <stdint.h>

struct json_t;

/* Up to ER_EXAMPLES lines of one dead-letter code or duplicate cluster. */
#define ER_EXAMPLES 3

typedef struct er_group {
	char *key; /* code, or the kept record's id */
	int64_t n;
	char *url[ER_EXAMPLES], *reason[ER_EXAMPLES], *stage[ER_EXAMPLES];
	size_t n_ex;
} er_group;

typedef struct er_stats {
	struct json_t *run;  /* this run's run.json as it stands; NULL: host has none */
	struct json_t *prev; /* the previous committed run's run.json, or NULL */
	er_group *dead;      /* dead letters by code, the largest first */
	size_t n_dead;
	int64_t dead_total;
	er_group *dups; /* duplicate clusters by kept id, the largest first */
	size_t n_dups;
	int64_t dup_total;
	int have_dead, have_drops; /* the files were handed over and read */
} er_stats;

/* Fills s from the run stats text (NULL: unknown), the staged dead-letter
 * file and drop log (NULL: none) and the previous run.json's path (NULL
 * or missing: none). Groups past `top` are counted, not kept. Returns 0,
 * or -1 when out of memory; unreadable or malformed input only leaves
 * its part empty. */
int er_stats_load(er_stats *s, const char *run_stats, const char *dead_path, const char *drop_path,
                  const char *prev_path, size_t top);
void er_stats_free(er_stats *s);

/* The sections of the page that come from the run's stats; each writes
 * "not known" when the host did not hand its input over. */
void er_put_funnel(wn_buf *b, const er_stats *s);
void er_put_drops(wn_buf *b, const er_stats *s);
void er_put_dead_letters(wn_buf *b, const er_stats *s);
void er_put_sources(wn_buf *b, const er_stats *s);
void er_put_duplicates(wn_buf *b, const er_stats *s);
void er_put_stage_times(wn_buf *b, const er_stats *s);
/* This run against the previous one; `exported` is what this run's sink
 * saw (the stats may be missing). */
void er_put_change(wn_buf *b, const er_stats *s, int64_t exported);

#endif
