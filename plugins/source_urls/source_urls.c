/*
 * source_urls: the example plugin. Copy this file to start your own.
 *
 * It emits one record per URL, taken from the `urls` option, then from the
 * lines of `file`. It sets only the `url` field; a later stage (fetch_http)
 * downloads the page into `raw`. Everything a plugin needs is here: the
 * state struct, the option table, init/next/fini, result codes, reasons.
 * docs/writing-a-plugin.md walks through it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The only header a plugin includes from winnow. Never link to the runner:
 * every host service is reached through cx->api. */
#include <winnow/plugin.h>

/* A longer line is refused: every buffer a plugin grows needs a limit. */
#define SU_MAX_LINE 8192

/*
 * Instance state. The host allocates state_size zeroed bytes per instance,
 * writes the configured options into the members named in the option
 * table, then calls init. Anything else here is ours to manage. No global
 * variables: several instances may run at once, on several threads.
 */
typedef struct su_state {
	/* options (owned by the host, valid until after fini) */
	const char *const *urls; /* NULL-terminated list, or NULL */
	const char *file;        /* path, already resolved against the config's folder */
	/* our own run state */
	size_t next_url;            /* index into urls */
	FILE *fp;                   /* the open `file`, or NULL */
	long lineno;                /* line number of the last line read */
	char line[SU_MAX_LINE + 2]; /* room for the newline and the NUL */
} su_state;

/*
 * Options: the host parses and validates `with:` against this table (types,
 * required, bounds, "did you mean" for typos) and `winnow plugins
 * source_urls` prints it. Defaults are written as YAML text.
 */
static const wn_option su_options[] = {
    {"urls", WN_OPT_LIST, NULL, 0, offsetof(su_state, urls), "URLs to emit", NULL, 0, 0},
    {"file", WN_OPT_PATH, NULL, 0, offsetof(su_state, file),
     "file of URLs, one a line; # comments and blank lines allowed", NULL, 0, 0},
    {NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0}};

/* The fields this stage writes, so `winnow check` can verify a pipeline. */
static const char *const su_gives[] = {"url", NULL};

/* init: open resources. WN_FATAL means the stage cannot start; log why. */
static int su_init(const wn_ctx *cx)
{
	su_state *st = cx->state;
	if (!st->urls && !st->file) {
		cx->api->log(cx, WN_LOG_ERROR, "set `urls` or `file`");
		return WN_FATAL;
	}
	if (st->file) {
		st->fp = fopen(st->file, "r");
		if (!st->fp) {
			cx->api->log(cx, WN_LOG_ERROR, "%s: %s", st->file, strerror(errno));
			return WN_FATAL;
		}
	}
	return WN_OK;
}

/* fini: free what we allocated. Called once if init returned WN_OK. */
static void su_fini(const wn_ctx *cx)
{
	su_state *st = cx->state;
	if (st->fp)
		fclose(st->fp);
}

/* An absolute http, https or file URL with no white space in it. */
static int su_url_ok(const char *u)
{
	static const char *const schemes[] = {"http://", "https://", "file://", NULL};
	for (const char *const *s = schemes; *s; s++) {
		size_t k = strlen(*s);
		if (strncasecmp(u, *s, k) != 0 || u[k] == '\0')
			continue;
		if (k != strlen("file://") && u[k] == '/')
			return 0; /* http:/// has no host */
		for (const unsigned char *c = (const unsigned char *)u; *c; c++) {
			if (isspace(*c) || iscntrl(*c))
				return 0;
		}
		return 1;
	}
	return 0;
}

/* Trims white space at both ends, in place; returns the new start. */
static char *su_trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/*
 * Reads the next URL line from the file into *url (pointing into st->line).
 * Returns WN_OK, WN_DONE at end of file, or WN_ERROR for an over-long line
 * (with a reason on r).
 */
static int su_read_line(const wn_ctx *cx, wn_record *r, char **url)
{
	su_state *st = cx->state;
	while (fgets(st->line, sizeof st->line, st->fp)) {
		st->lineno++;
		if (!strchr(st->line, '\n') && !feof(st->fp)) {
			int c;
			while ((c = fgetc(st->fp)) != EOF && c != '\n')
				; /* drop the rest of the over-long line */
			cx->api->reason(r, "bad_url", "%s:%ld: line longer than %d bytes", st->file,
			                st->lineno, SU_MAX_LINE);
			return WN_ERROR;
		}
		char *s = su_trim(st->line);
		if (*s != '\0' && *s != '#') {
			*url = s;
			return WN_OK;
		}
	}
	return WN_DONE;
}

/*
 * next: fill r and return WN_OK, or WN_DONE when there is nothing left.
 * A bad URL is WN_ERROR with a reason: the host dead-letters that one
 * record and calls next again, so one typo does not stop the run.
 * The record belongs to the host: set_str copies our string into it.
 */
static int su_next(const wn_ctx *cx, wn_record *r)
{
	su_state *st = cx->state;
	if (st->urls && st->urls[st->next_url]) {
		size_t i = st->next_url++;
		if (!su_url_ok(st->urls[i])) {
			cx->api->reason(r, "bad_url",
			                "urls[%zu]: not an absolute http(s) or file URL: %s", i,
			                st->urls[i]);
			return WN_ERROR;
		}
		return cx->api->set_str(r, "url", st->urls[i]);
	}
	if (!st->fp)
		return WN_DONE;
	char *url;
	int rc = su_read_line(cx, r, &url);
	if (rc != WN_OK)
		return rc;
	if (!su_url_ok(url)) {
		cx->api->reason(r, "bad_url", "%s:%ld: not an absolute http(s) or file URL: %s",
		                st->file, st->lineno, url);
		return WN_ERROR;
	}
	return cx->api->set_str(r, "url", url);
}

/*
 * The descriptor: the one exported symbol, named wn_plugin_<name>. The host
 * reads it as data and checks the ABI version before calling any code.
 * Members after `gives` are callbacks; a source sets init, fini and next.
 */
WN_PLUGIN_EXPORT const wn_plugin wn_plugin_source_urls = {
    WN_PLUGIN_HEADER, /* ABI major, minor, struct size */
    WN_KIND_SOURCE,
    "source_urls", /* matches the symbol suffix and `use:` */
    "1.0.0",
    "URLs from the config or a file, one record each (url only)",
    su_options,
    sizeof(su_state),
    NULL,     /* needs: a source reads no fields */
    su_gives, /* gives */
    su_init,
    su_fini,
    su_next,
    NULL, /* process: transforms only */
    NULL, /* batch */
    NULL, /* write: sinks only */
    NULL, /* commit */
};
