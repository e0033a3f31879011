/*
 * cmd_multiping.c - `sonar multiping`: many targets through one socket per
 * family; a table (or JSON, CSV, a stream of events) in input order.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run.h"
#include "report.h"
#include "sonar.h"
#include "targets.h"

int cmd_multiping(int argc, char **argv);

enum { OPT_CONCURRENT = OPT_FIRST_FREE };

struct multi_run {
	struct cli_common cc;
	struct sonar_options o;
	struct target_list targets;
	int status; /* exit code from the results */
	bool done;
	const char *files[8]; /* -F, read once privileges are dropped */
	size_t nfiles;
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
	      "      --concurrent-tasks N  targets in flight at once (default 50)\n",
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
	default:
		return 0;
	}
}

/* Stream events as they happen when asked. */
static void multi_event_cb(const struct sonar_event *ev, void *user)
{
	stream_event(stdout, ev);
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

int cmd_multiping(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"file", required_argument, NULL, 'F'},
	    {"concurrent-tasks", required_argument, NULL, OPT_CONCURRENT},
	    {NULL, 0, NULL, 0},
	};
	struct multi_run run;
	struct sonar_engine *e = NULL;
	int first, op, status = EXIT_USAGE;
	size_t i;

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
	e = sonar_engine_new();
	if (!e) {
		cli_error("out of memory");
		status = EXIT_SYSTEM;
		goto out;
	}
	cli_privilege(&run.cc, &run.o);
	status = cli_lockdown(e, &run.o);
	if (status)
		goto out;
	status = EXIT_USAGE;
	/* from here on, no privilege: the files are read as the user */
	for (i = 0; i < run.nfiles; i++)
		if (targets_read(run.files[i], &run.targets) < 0)
			goto out;
	for (i = (size_t)first; i < (size_t)argc; i++) {
		if (targets_add(&run.targets, argv[i]) < 0) {
			cli_error("out of memory");
			status = EXIT_SYSTEM;
			goto out;
		}
	}
	if (run.targets.n == 0) {
		cli_error("multiping needs TARGETs or -F FILE (see sonar multiping --help)");
		goto out;
	}
	op = sonar_engine_multiping(e, (const char *const *)run.targets.v, run.targets.n, &run.o,
	                            run.cc.stream ? multi_event_cb : NULL, multi_done_cb, &run);
	if (op < 0) {
		status = cli_fail(op);
		goto out;
	}
	loop_signals();
	status = loop_run(e, op);
	if (status)
		goto out;
	if (!run.done) {
		cli_error("the multiping ended without results");
		status = EXIT_SYSTEM;
		goto out;
	}
	status = run.status;
	if (sonar_engine_dropped(e))
		cli_error("the kernel dropped %llu packets for a full receive buffer: their probes "
		          "count as lost",
		          (unsigned long long)sonar_engine_dropped(e));
out:
	sonar_engine_free(e);
	targets_free(&run.targets);
	free(run.cc.payload);
	return status;
}
