#include "merge.h"
#include <stdio.h>
int wn_cmd_merge(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("winnow: merge: not built yet\n", stderr);
	return 1;
}
