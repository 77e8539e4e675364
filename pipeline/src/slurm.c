#include "slurm.h"
#include <stdio.h>
int wn_cmd_slurm(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("winnow: slurm: not built yet\n", stderr);
	return 1;
}
