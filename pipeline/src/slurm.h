/*
 * `winnow slurm CONFIG --shards N ...`: a plan's shards as a Slurm job
 * array (incomplete shards only, chunked under MaxArraySize) and a merge
 * job that waits for them (docs/scale-out.md).
 */
#ifndef WN_SLURM_H
#define WN_SLURM_H

/* The whole command (argv[0] is "slurm"). Exit code. */
int wn_cmd_slurm(int argc, char **argv);

#endif
