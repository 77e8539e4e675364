/*
 * Run identity: the one home of a run's id and date, and of the rule that
 * tells whether an output folder is made per run.
 *
 * The id is fixed once per process, before the config is read, and
 * published as RUN_ID (and the UTC date as RUN_DATE) so configs can
 * template paths with them; a value the user set in the environment wins.
 * Everything that names the run (output folder, run.json, the ledger,
 * `winnow runs`) reads it from here, so they always agree.
 */
#ifndef WN_RUN_IDENT_H
#define WN_RUN_IDENT_H

/* Fixes the run's id and date unless already fixed: RUN_ID and RUN_DATE
 * from the environment when set and non-empty, else generated
 * ("20261204T153000Z-4242-9f3a": UTC time, process id and 16 random bits,
 * so two runs started in the same second by a recycled pid still
 * differ) and exported. Safe to call more than once. */
void wn_run_ident_publish(void);

/* The run's id and UTC date (YYYY-MM-DD); wn_run_ident_publish first. */
const char *wn_run_ident_id(void);
const char *wn_run_ident_date(void);

/* True when `output_dir` is made per run: its path carries the run's id
 * or date (output_dir: out/${RUN_ID}). Such a folder is written in one
 * piece and renamed into place at commit; a fixed folder is switched to
 * a new generation instead (output.c). */
int wn_output_dir_per_run(const char *output_dir);

#endif
