/*
 * winnow: the command line.
 *
 *   winnow run CONFIG [--set key=value]... [--limit N] [--log-level LEVEL]
 *   winnow check CONFIG [--set key=value]...
 *   winnow plugins [NAME] [--plugin-path DIR]...
 *   winnow try PLUGIN [--with YAML] [--http YAML] [--limit N] [--output DIR]
 *   winnow runs CONFIG [--limit N]
 *   winnow help config [SECTION] [--markdown]
 *   winnow --version | --help
 *
 * Exit codes: 0 done, 2 partial, 1 failed, 78 config or plugin error,
 * 75 another run holds the lock, 64 bad command line.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "config_keys.h"
#include "engine.h"
#include "ledger.h"
#include "loader.h"
#include "merge.h"
#include "run_ident.h"
#include "schema.h"
#include "shard.h"
#include "slurm.h"
#include "state.h"
#include "try.h"
#include "util.h"

#define EXIT_USAGE 64

static const char usage_main[] =
    "usage: winnow COMMAND [OPTIONS]\n"
    "\n"
    "Turns raw scraped articles into clean datasets, as a YAML config says.\n"
    "\n"
    "commands:\n"
    "  run CONFIG       run the pipeline\n"
    "  check CONFIG     validate the config, load every plugin, print the pipeline\n"
    "  plugins [NAME]   list the plugins found, or show one plugin's options\n"
    "  try PLUGIN       run one plugin alone on JSON Lines (for plugin authors)\n"
    "  runs CONFIG      list the run history kept in the config's state store\n"
    "  plan CONFIG      freeze the inputs into shards (docs/scale-out.md)\n"
    "  merge            merge a plan's shards, dedup across them\n"
    "  slurm CONFIG     run a plan's shards as a Slurm job array, then merge\n"
    "  schema           print the catalogue of record fields (docs/schema.md)\n"
    "  help config [SECTION]  the engine's config keys (docs/config.md)\n"
    "\n"
    "options:\n"
    "  --version        print the version and plugin ABI\n"
    "  -h, --help       this help; `winnow COMMAND --help` for a command\n"
    "\n"
    "exit codes: 0 done, 2 partial (see the summary line), 1 failed,\n"
    "78 config or plugin error, 75 another run holds the lock, 64 usage.\n";

static const char usage_run[] =
    "usage: winnow run CONFIG [--set KEY=VALUE]... [--limit N] [--log-level LEVEL]\n"
    "\n"
    "Runs the pipeline CONFIG describes. Silent when everything is exported;\n"
    "one summary line on stderr when the run is partial or fails.\n"
    "\n"
    "  --set KEY=VALUE   override a config value: run.workers=4, or STAGE.OPTION\n"
    "                    for a stage's plugin option (quality.min_words=50)\n"
    "  --limit N         stop after N new records from the sources (records an\n"
    "                    earlier run exported do not count)\n"
    "  --log-level L     error, warn (default), info or debug\n"
    "  --reprocess       export again what earlier runs exported (run.state)\n"
    "  --progress        draw a progress line (default: when stderr is a terminal)\n"
    "  --no-progress     never draw it\n"
    "  --shard K/N       run shard K of the plan in --workdir DIR (winnow plan)\n"
    "  --workdir DIR     the plan's work folder\n";

static const char usage_check[] =
    "usage: winnow check CONFIG [--set KEY=VALUE]...\n"
    "\n"
    "Validates CONFIG, loads and checks every plugin and its options, and prints\n"
    "the resolved pipeline. Exit 0 when the config would run, 78 otherwise.\n";

static const char usage_plugins[] =
    "usage: winnow plugins [NAME] [--plugin-path DIR]...\n"
    "\n"
    "Without NAME, lists every plugin found (built-in and on the plugin path:\n"
    "--plugin-path, $WINNOW_PLUGIN_PATH, then the installed plugins) with its\n"
    "kind, version and ABI. With NAME, prints that plugin's options.\n";

static const char usage_runs[] =
    "usage: winnow runs CONFIG [--limit N]\n"
    "\n"
    "Lists the runs recorded in CONFIG's state store (run.state), newest first:\n"
    "start, end, status, exit code and counts. --limit N shows the last N.\n";

static const char usage_try[] =
    "usage: winnow try PLUGIN [--with YAML] [--http YAML] [--limit N] [--output DIR]\n"
    "                         [--plugin-path DIR]...\n"
    "\n"
    "Runs one plugin alone. A source prints the records it makes as JSON Lines\n"
    "(--limit N: the first N). A transform reads JSON Lines records on stdin and\n"
    "prints what comes out; dropped and failed records carry _outcome, _code and\n"
    "_reason. A sink writes the records from stdin into --output DIR (default .).\n"
    "PLUGIN is a name on the plugin path or a path to a .so file. Bytes that are\n"
    "not UTF-8 (a page in another charset) are written as {\"base64\": \"...\"}.\n"
    "\n"
    "  --with YAML   the plugin's options: --with '{paths: [samples], recursive: false}'\n"
    "  --http YAML   the HTTP service's options (as the config's http: section) for\n"
    "                plugins that fetch: --http '{block_private: false, delay: 0}'\n"
    "\n"
    "example: winnow try source_files --with '{paths: [page.html]}' | winnow try clean_html\n";

static int parse_level(const char *s)
{
	static const char *const names[] = {"error", "warn", "info", "debug", NULL};
	for (int i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	if (strcmp(s, "warning") == 0)
		return WN_LOG_WARN;
	return -1;
}

typedef struct cli {
	const char *config;
	char **sets;
	size_t n_sets;
	int64_t limit;
	int log_level;
	int progress;
	char **plugin_path;
	size_t n_path;
	const char *name;
	const char *with;
	const char *output;
	int reprocess;
	const char *http;    /* try: http: options as YAML */
	const char *shard;   /* run: K/N of a plan (shard.h) */
	const char *workdir; /* run: the plan's work folder */
} cli;

static void add_arg(char ***v, size_t *n, char *s)
{
	*v = wn_xrealloc(*v, (*n + 2) * sizeof(**v)); /* exits on OOM, as util.h says */
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

/* What parse_cli found. */
typedef enum cli_res {
	CLI_USAGE = -1, /* a usage error (printed): exit EXIT_USAGE */
	CLI_GO = 0,     /* options in *c: go on */
	CLI_HELP = 1,   /* --help was shown: exit 0 */
} cli_res;

/* Parses the options of a command into *c. */
static cli_res parse_cli(int argc, char **argv, const char *usage, int want_config, cli *c)
{
	enum {
		O_SET = 256,
		O_LIMIT,
		O_LEVEL,
		O_PROGRESS,
		O_NOPROGRESS,
		O_PATH,
		O_WITH,
		O_OUTPUT,
		O_REPROCESS,
		O_HTTP,
		O_SHARD,
		O_WORKDIR
	};
	static const struct option opts[] = {{"set", required_argument, NULL, O_SET},
	                                     {"limit", required_argument, NULL, O_LIMIT},
	                                     {"log-level", required_argument, NULL, O_LEVEL},
	                                     {"progress", no_argument, NULL, O_PROGRESS},
	                                     {"no-progress", no_argument, NULL, O_NOPROGRESS},
	                                     {"plugin-path", required_argument, NULL, O_PATH},
	                                     {"with", required_argument, NULL, O_WITH},
	                                     {"output", required_argument, NULL, O_OUTPUT},
	                                     {"reprocess", no_argument, NULL, O_REPROCESS},
	                                     {"http", required_argument, NULL, O_HTTP},
	                                     {"shard", required_argument, NULL, O_SHARD},
	                                     {"workdir", required_argument, NULL, O_WORKDIR},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	memset(c, 0, sizeof(*c));
	c->log_level = WN_LOG_WARN;
	c->progress = -1;
	optind = 1;
	int ch;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end;
		switch (ch) {
		case 'h':
			fputs(usage, stdout);
			return CLI_HELP;
		case O_SET:
			add_arg(&c->sets, &c->n_sets, optarg);
			break;
		case O_LIMIT:
			c->limit = strtoll(optarg, &end, 10);
			if (*end || c->limit <= 0) {
				wn_say("--limit needs a positive number, not '%s'", optarg);
				return CLI_USAGE;
			}
			break;
		case O_LEVEL:
			c->log_level = parse_level(optarg);
			if (c->log_level < 0) {
				fprintf(
				    stderr,
				    "winnow: --log-level is error, warn, info or debug, not '%s'\n",
				    optarg);
				return CLI_USAGE;
			}
			break;
		case O_PROGRESS:
			c->progress = 1;
			break;
		case O_NOPROGRESS:
			c->progress = 0;
			break;
		case O_PATH:
			add_arg(&c->plugin_path, &c->n_path, optarg);
			break;
		case O_WITH:
			c->with = optarg;
			break;
		case O_OUTPUT:
			c->output = optarg;
			break;
		case O_REPROCESS:
			c->reprocess = 1;
			break;
		case O_HTTP:
			c->http = optarg;
			break;
		case O_SHARD:
			c->shard = optarg;
			break;
		case O_WORKDIR:
			c->workdir = optarg;
			break;
		default:
			fputs(usage, stderr);
			return CLI_USAGE;
		}
	}
	if (want_config) {
		if (optind != argc - 1) {
			(void)wn_usage_error(usage, "expected one CONFIG file");
			return CLI_USAGE;
		}
		c->config = argv[optind];
	} else if (optind < argc) {
		c->name = argv[optind++];
		if (optind < argc) {
			wn_say("unexpected argument '%s'", argv[optind]);
			return CLI_USAGE;
		}
	}
	return CLI_GO;
}

/* Loads, overrides and builds the config; NULL after printing errors. */
static wn_config *load_config(const cli *c, wn_diag *d)
{
	wn_run_ident_publish();
	wn_cfg_doc *doc = wn_cfg_load(c->config, d);
	if (!doc)
		return NULL;
	for (size_t i = 0; i < c->n_sets; i++)
		wn_cfg_override(doc, c->sets[i], d);
	if (d->errors) {
		wn_cfg_free(doc);
		return NULL;
	}
	wn_config *cfg = wn_xcalloc(1, sizeof(*cfg));
	if (wn_config_build(doc, cfg, d)) {
		wn_config_free(cfg);
		free(cfg);
		return NULL;
	}
	/* --plugin-path folders come before the config's own. */
	if (c->n_path) {
		char **merged = NULL;
		size_t n = 0;
		for (size_t i = 0; i < c->n_path; i++)
			add_arg(&merged, &n, wn_xstrdup(c->plugin_path[i]));
		for (char **p = cfg->plugin_path; p && *p; p++)
			add_arg(&merged, &n, *p);
		free(cfg->plugin_path);
		cfg->plugin_path = merged;
	}
	return cfg;
}

static void free_config(wn_config *cfg)
{
	if (cfg) {
		wn_config_free(cfg);
		free(cfg);
	}
}

static int cmd_run_or_check(int argc, char **argv, int check)
{
	cli c;
	cli_res rc = parse_cli(argc, argv, check ? usage_check : usage_run, 1, &c);
	if (rc != CLI_GO)
		return rc == CLI_HELP ? 0 : EXIT_USAGE;
	wn_diag d = {0};
	wn_config *cfg = load_config(&c, &d);
	int code = WN_EXIT_CONFIG;
	if (cfg && (c.shard || c.workdir) && (check || !c.shard || !c.workdir)) {
		wn_say("--shard K/N and --workdir DIR go together, with run");
		free_config(cfg);
		cfg = NULL;
		code = EXIT_USAGE;
	} else if (cfg && c.shard && wn_shard_begin(cfg, c.shard, c.workdir)) {
		free_config(cfg);
		cfg = NULL;
	}
	if (cfg) {
		wn_run_opts o = {
		    .limit = c.limit, .log_level = c.log_level, .reprocess = c.reprocess};
		o.progress = c.progress >= 0 ? c.progress : isatty(STDERR_FILENO);
		wn_engine *e = wn_engine_prepare(cfg, &o, &d);
		if (e) {
			if (check) {
				wn_engine_describe(e, stdout);
				code = wn_engine_check_sources(e) ? WN_EXIT_CONFIG : WN_EXIT_OK;
			} else {
				code = wn_engine_run(e);
			}
			wn_engine_free(e);
		}
		if (c.shard)
			code = wn_shard_end(code);
	}
	if (code == WN_EXIT_CONFIG && d.errors)
		wn_say("%d error%s in %s; nothing was run", d.errors, d.errors == 1 ? "" : "s",
		       c.config);
	else if (code == WN_EXIT_CONFIG) /* the engine said why (a state store it cannot use) */
		wn_say("%s: nothing was run", c.config);
	free_config(cfg);
	free(c.sets);
	free(c.plugin_path);
	return code;
}

static void list_one(const wn_loaded *l, void *arg)
{
	(void)arg;
	const wn_plugin *p = &l->desc;
	printf("%-18s %-9s %-8s ABI %u.%u  %s\n", p->name, wn_kind_name(p->kind), p->version,
	       p->abi_major, p->abi_minor, p->description ? p->description : "");
}

static void show_one(const wn_loaded *l)
{
	const wn_plugin *p = &l->desc;
	printf("%s %s (%s, plugin ABI %u.%u)\n", p->name, p->version, wn_kind_name(p->kind),
	       p->abi_major, p->abi_minor);
	printf("  %s\n", l->path);
	if (p->description)
		printf("\n%s\n", p->description);
	printf("\nneeds:");
	for (const char *const *f = p->needs; f && *f; f++)
		printf(" %s", *f);
	printf("\ngives:");
	for (const char *const *f = p->gives; f && *f; f++)
		printf(" %s", *f);
	printf("\n\noptions (under `with:`):\n");
	wn_schema_print(p, stdout);
}

static int cmd_plugins(int argc, char **argv)
{
	cli c;
	cli_res rc = parse_cli(argc, argv, usage_plugins, 0, &c);
	if (rc != CLI_GO)
		return rc == CLI_HELP ? 0 : EXIT_USAGE;
	char **search = wn_loader_search_path(c.plugin_path);
	wn_diag d = {0};
	int code = 0;
	if (c.name) {
		wn_loaded l;
		if (wn_loader_load(c.name, search, &l, &d, NULL, 0, 0) == 0) {
			show_one(&l);
			wn_loader_unload(&l);
		} else {
			code = WN_EXIT_CONFIG;
		}
	} else {
		wn_loader_each(search, list_one, NULL, &d);
		if (d.errors)
			code = WN_EXIT_CONFIG;
	}
	wn_loader_free_path(search);
	free(c.plugin_path);
	free(c.sets);
	return code;
}

static int cmd_try(int argc, char **argv)
{
	cli c;
	cli_res rc = parse_cli(argc, argv, usage_try, 0, &c);
	if (rc != CLI_GO)
		return rc == CLI_HELP ? 0 : EXIT_USAGE;
	if (!c.name) {
		wn_usage_error(usage_try, "try needs a PLUGIN");
		free(c.plugin_path);
		free(c.sets);
		return EXIT_USAGE;
	}
	char **search = wn_loader_search_path(c.plugin_path);
	wn_try_opts o = {.use = c.name,
	                 .with = c.with,
	                 .http = c.http,
	                 .search = search,
	                 .output_dir = c.output,
	                 .limit = c.limit};
	int code = wn_try(&o, stdin, stdout);
	wn_loader_free_path(search);
	free(c.plugin_path);
	free(c.sets);
	return code;
}

static void print_run(const wn_ledger_run *r, void *arg)
{
	(void)arg;
	/* Only a run that ended has an exit code: a killed or live one has none. */
	char code[16] = "-";
	if (*r->finished_at)
		snprintf(code, sizeof(code), "%d", r->exit_code);
	printf("%-28s %-20s %-20s %-10s %4s %8lld %8lld %8lld %8lld %8lld %8lld\n", r->run_id,
	       r->started_at, *r->finished_at ? r->finished_at : "-", r->status, code,
	       (long long)r->counts.read, (long long)r->counts.exported,
	       (long long)r->counts.dropped, (long long)r->counts.seen,
	       (long long)r->counts.duplicates, (long long)r->counts.dead);
}

static int cmd_runs(int argc, char **argv)
{
	cli c;
	cli_res rc = parse_cli(argc, argv, usage_runs, 1, &c);
	if (rc != CLI_GO)
		return rc == CLI_HELP ? 0 : EXIT_USAGE;
	wn_diag d = {0};
	wn_config *cfg = load_config(&c, &d);
	int code = WN_EXIT_CONFIG;
	if (cfg && !cfg->state) {
		wn_say("%s has no run.state: no run history is kept", c.config);
	} else if (cfg) {
		char err[512];
		wn_state *st = wn_state_open(cfg->state, err, sizeof(err));
		/* Read only: a run that is live now must not be settled as killed. */
		wn_ledger *l = st ? wn_ledger_open(wn_state_db(st), 0, err, sizeof(err)) : NULL;
		if (!l) {
			wn_say("state store %s: %s", cfg->state, err);
		} else {
			printf("%-28s %-20s %-20s %-10s %4s %8s %8s %8s %8s %8s %8s\n", "RUN",
			       "STARTED", "FINISHED", "STATUS", "EXIT", "READ", "EXPORTED",
			       "DROPPED", "SEEN", "DUPS", "DEAD");
			code = wn_ledger_each_run(l, (int)c.limit, print_run, NULL) ? 1 : 0;
			if (code)
				wn_say("state store %s: %s", cfg->state, wn_ledger_last_error());
		}
		wn_ledger_close(l);
		wn_state_close(st);
	}
	free_config(cfg);
	free(c.sets);
	free(c.plugin_path);
	return code;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("winnow %s (plugin ABI %d.%d)\n", WN_VERSION, WN_ABI_MAJOR, WN_ABI_MINOR);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 && argc > 2 && strcmp(argv[2], "config") == 0)
		return wn_config_help(argc - 2, argv + 2, stdout);
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(cmd, "run") == 0)
		return cmd_run_or_check(argc - 1, argv + 1, 0);
	if (strcmp(cmd, "check") == 0)
		return cmd_run_or_check(argc - 1, argv + 1, 1);
	if (strcmp(cmd, "plugins") == 0)
		return cmd_plugins(argc - 1, argv + 1);
	if (strcmp(cmd, "try") == 0)
		return cmd_try(argc - 1, argv + 1);
	if (strcmp(cmd, "runs") == 0)
		return cmd_runs(argc - 1, argv + 1);
	if (strcmp(cmd, "plan") == 0) /* sharded runs: shard.h, merge.h, slurm.h */
		return wn_cmd_plan(argc - 1, argv + 1);
	if (strcmp(cmd, "merge") == 0)
		return wn_cmd_merge(argc - 1, argv + 1);
	if (strcmp(cmd, "slurm") == 0)
		return wn_cmd_slurm(argc - 1, argv + 1);
	if (strcmp(cmd, "schema") == 0)
		return wn_catalog_cli(argc - 1, argv + 1);
	static const char *const cmds[] = {"run",    "check", "plugins", "try",   "runs",
	                                   "schema", "plan",  "merge",   "slurm", NULL};
	const char *near = wn_closest(cmd, cmds);
	return wn_usage_error(usage_main, "unknown command '%s'%s%s%s", cmd,
	                      near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}
