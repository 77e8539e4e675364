/*
 * `winnow merge --workdir DIR`: the shards of a plan into one dataset
 * (docs/scale-out.md). Records come back in the frozen list's order,
 * duplicates across shards are dropped (exact by content hash, near by
 * MinHash with LSH banding, on disk in partitions so memory stays flat),
 * the survivors go through the config's own sinks, and run.json sums the
 * shards' counters. The survivor of a group of duplicates is the first in
 * the global order, as in a one-machine run, so the dataset is the same
 * bytes whatever N was.
 */
#ifndef WN_MERGE_H
#define WN_MERGE_H

/* The whole command (argv[0] is "merge"). Exit code. */
int wn_cmd_merge(int argc, char **argv);

#endif
