/*
 * multiping.c - `sonar multiping`: many targets through one socket per
 * family; a table (or JSON, CSV, a stream of events) in input order.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "json.h"
#include "report.h"
#include "run.h"
#include "sonar.h"
#include "targets.h"

enum { OPT_CONCURRENT = OPT_FIRST_FREE, OPT_PACING };

struct multi_run {
	struct cli_common cc;
	struct sonar_options o;
	struct target_list targets;
	int status; /* exit code from the results */
	bool done;
	const char *files[8]; /* -F, read once privileges are dropped */
	size_t nfiles;
	char **operands; /* the TARGETs of the command line */
	size_t nops;
};

/* Print the usage of `sonar multiping`. */
static void usage(FILE *f)
{
	fputs("Usage: sonar multiping [OPTIONS] TARGET... | -F FILE\n"
	      "Ping many targets at once, through one socket per address family.\n\n"
	      "  -F, --file FILE         read targets from FILE ('-': standard input),\n"
	      "                          one per line, '#' starts a comment\n"
	      "  -c, --count N           probes per target (default 2; 0 = until Ctrl-C)\n"
	      "  -i, --interval S        seconds between probes to one target (default 0.5)\n"
	      "      --concurrent-tasks N  targets in flight at once (default 50)\n"
	      "      --pacing S          seconds between targets' first probes (fping's -i;\n"
	      "                          default: spread evenly over one interval; 0: all\n"
	      "                          at once)\n",
	      f);
	fputs(cli_common_help, f);
}

/* multiping's own options. */
static int multi_option(int c, const char *arg, void *ctx)
{
	struct multi_run *run = ctx;
	long v;

	switch (c) {
	case 'F':
		/* read after privileges are dropped, never as root */
		if (run->nfiles == sizeof(run->files) / sizeof(run->files[0])) {
			cli_error("at most 8 -F files");
			return -1;
		}
		run->files[run->nfiles++] = arg;
		return 1;
	case OPT_CONCURRENT:
		if (cli_parse_long("concurrent tasks", arg, 1, 1000000, &v) < 0)
			return -1;
		run->o.concurrent_tasks = (int)v;
		return 1;
	case OPT_PACING: {
		double d;

		if (cli_parse_seconds("pacing", arg, 0, false, 86400, &d) < 0)
			return -1;
		run->o.pacing = d;
		return 1;
	}
	default:
		return 0;
	}
}

/* Stream events as they happen when asked. */
static void multi_event_cb(const struct sonar_event *ev, void *user)
{
	json_event(stdout, ev);
	(void)user;
}

/*
 * Print the results from inside the callback: 10,000 results are held
 * once (by the engine), not copied. The exit code is decided here too.
 */
static void multi_done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct multi_run *run = user;
	size_t i;

	(void)op;
	run->done = true;
	run->status = report_exit_code(hosts, n);
	/* as fping: a line on stderr for each name that did not resolve */
	for (i = 0; i < n; i++)
		if (hosts[i].error == SONAR_ENAMELOOKUP)
			cli_error("%s", hosts[i].error_message);
	if (run->cc.stream)
		return;
	if (run->cc.format == FORMAT_TEXT)
		report_table(stdout, hosts, run->targets.v, n);
	else
		report_hosts(stdout, run->cc.format == FORMAT_JSON, hosts, n, run->targets.v);
}

/* After the lockdown: read the files as the user, then start. */
static int multi_start(struct sonar_engine *e, void *ctx)
{
	struct multi_run *run = ctx;
	char err[4400];
	int op;

	for (size_t i = 0; i < run->nfiles; i++) {
		if (targets_read(run->files[i], &run->targets, err, sizeof(err)) < 0) {
			cli_error("%s", err);
			return -EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < run->nops; i++) {
		if (targets_add(&run->targets, run->operands[i]) < 0) {
			cli_error("out of memory");
			return -EXIT_SYSTEM;
		}
	}
	if (run->targets.n == 0) {
		cli_error("multiping needs TARGETs or -F FILE (see sonar multiping --help)");
		return -EXIT_USAGE;
	}
	op = sonar_engine_multiping(e, (const char *const *)run->targets.v, run->targets.n, &run->o,
	                            run->cc.stream ? multi_event_cb : NULL, multi_done_cb, run);
	return op < 0 ? -cli_fail(op) : op;
}

int cmd_multiping(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"file", required_argument, NULL, 'F'},
	    {"concurrent-tasks", required_argument, NULL, OPT_CONCURRENT},
	    {"pacing", required_argument, NULL, OPT_PACING},
	    {NULL, 0, NULL, 0},
	};
	struct multi_run run;
	uint64_t dropped = 0;
	int first, status = EXIT_USAGE;

	memset(&run, 0, sizeof(run));
	run.cc.privilege = PRIV_AUTO;
	sonar_multiping_defaults(&run.o);
	first = cli_parse(argc, argv, "multiping", longopts, "F:", multi_option, &run, usage,
	                  &run.o, &run.cc);
	if (first == CLI_DONE) {
		status = EXIT_ALIVE;
		goto out;
	}
	if (first < 0)
		goto out;
	run.operands = argv + first;
	run.nops = (size_t)(argc - first);
	status = run_command(&run.cc, &run.o, multi_start, &run, &dropped);
	if (status)
		goto out;
	if (!run.done) {
		cli_error("the multiping ended without results");
		status = EXIT_SYSTEM;
		goto out;
	}
	status = run.status;
	if (dropped)
		cli_error("the kernel dropped %llu packets for a full receive buffer: their probes "
		          "count as lost",
		          (unsigned long long)dropped);
out:
	targets_free(&run.targets);
	free(run.cc.payload);
	return status;
}
