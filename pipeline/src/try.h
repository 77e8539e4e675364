/*
 * `winnow try`: one plugin alone, from the command line, so a plugin
 * author sees what a plugin does without writing a pipeline. A source
 * prints the records it makes; a transform reads records from standard
 * input and prints what comes out; a sink writes records from standard
 * input into an output folder. Records travel as JSON Lines. Plugins
 * that fetch get an HTTP service with the run's defaults (or --http).
 */
#ifndef WN_TRY_H
#define WN_TRY_H

#include <stdint.h>
#include <stdio.h>

typedef struct wn_try_opts {
	const char *use;        /* plugin name or .so path */
	const char *with;       /* YAML mapping of options, or NULL */
	const char *http;       /* YAML mapping of http: options, or NULL */
	char *const *search;    /* plugin search path */
	const char *output_dir; /* sinks: where outputs go (default ".") */
	int64_t limit;          /* sources: records at most (0 = all) */
} wn_try_opts;

/* Runs it; returns an exit code (0 ok, 2 some records failed or were
 * dropped, 1 the plugin failed, 78 it could not be loaded or configured). */
int wn_try(const wn_try_opts *o, FILE *in, FILE *out);

#endif
