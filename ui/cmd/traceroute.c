/*
 * traceroute.c - `sonar traceroute`: every TTL probed at once; one line
 * per hop ("*" for silent ones), or JSON, CSV, a stream of events.
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

enum { OPT_FAST = OPT_FIRST_FREE };

struct trace_run {
	struct cli_common cc;
	struct sonar_options o;
	char address[SONAR_ADDRSTRLEN]; /* the destination, once probed */
	bool reached;                   /* the destination answered */
	struct sonar_host *hops;
	size_t n;
	bool done;
	const char *target; /* as given */
};

/* Print the usage of `sonar traceroute`. */
static void usage(FILE *f)
{
	fputs("Usage: sonar traceroute [OPTIONS] TARGET\n"
	      "Find the path to TARGET, probing every TTL at once.\n\n"
	      "  -c, --count N           probes per hop (default 2; 0 = rounds until Ctrl-C)\n"
	      "  -i, --interval S        seconds between rounds (default 0.05)\n"
	      "  -f, --first-hop N       first TTL (default 1)\n"
	      "  -m, --max-hops N        last TTL (default 30)\n"
	      "      --fast              a hop that answered gets no more probes\n",
	      f);
	fputs(cli_common_help, f);
}

/* traceroute's own options. */
static int trace_option(int c, const char *arg, void *ctx)
{
	struct trace_run *run = ctx;
	long v;

	switch (c) {
	case 'f':
		if (cli_parse_long("first hop", arg, 1, 255, &v) < 0)
			return -1;
		run->o.first_hop = (int)v;
		return 1;
	case 'm':
		if (cli_parse_long("max hops", arg, 1, 255, &v) < 0)
			return -1;
		run->o.max_hops = (int)v;
		return 1;
	case OPT_FAST:
		run->o.fast = true;
		return 1;
	default:
		return 0;
	}
}

/* Note the destination's address and whether it answered; stream events. */
static void trace_event_cb(const struct sonar_event *ev, void *user)
{
	struct trace_run *run = user;

	snprintf(run->address, sizeof(run->address), "%s", ev->address);
	if (ev->type == SONAR_EVENT_REPLY)
		run->reached = true;
	if (run->cc.stream)
		json_event(stdout, ev);
}

/* Keep a deep copy of the hops. */
static void trace_done_cb(int op, const struct sonar_host *hops, size_t n, void *user)
{
	struct trace_run *run = user;
	size_t i;

	(void)op;
	run->done = true;
	run->hops = calloc(n ? n : 1, sizeof(*run->hops));
	if (!run->hops)
		return;
	run->n = n;
	for (i = 0; i < n; i++)
		sonar_host_copy(&run->hops[i], &hops[i]);
}

/* After the lockdown: start the traceroute and say so. */
static int trace_start(struct sonar_engine *e, void *ctx)
{
	struct trace_run *run = ctx;
	int op =
	    sonar_engine_traceroute(e, run->target, &run->o, trace_event_cb, trace_done_cb, run);

	if (op < 0)
		return -cli_fail(op);
	if (!run->cc.stream && run->cc.format == FORMAT_TEXT)
		printf("traceroute to %s, %d hops max, %zu byte payload\n", run->target,
		       run->o.max_hops, run->o.payload_size);
	return op;
}

int cmd_traceroute(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"first-hop", required_argument, NULL, 'f'},
	    {"max-hops", required_argument, NULL, 'm'},
	    {"fast", no_argument, NULL, OPT_FAST},
	    {NULL, 0, NULL, 0},
	};
	struct trace_run run;
	int first, status = EXIT_USAGE;
	size_t i;

	memset(&run, 0, sizeof(run));
	run.cc.privilege = PRIV_AUTO;
	sonar_traceroute_defaults(&run.o);
	first = cli_parse(argc, argv, "traceroute", longopts, "f:m:", trace_option, &run, usage,
	                  &run.o, &run.cc);
	if (first == CLI_DONE)
		return EXIT_ALIVE;
	if (first < 0)
		goto out;
	if (first != argc - 1) {
		cli_error(first >= argc ? "traceroute needs a TARGET (see sonar traceroute --help)"
		                        : "traceroute takes one TARGET");
		goto out;
	}
	run.target = argv[first];
	status = run_command(&run.cc, &run.o, trace_start, &run, NULL);
	if (status)
		goto out;
	if (!run.done || !run.hops) {
		cli_error("the traceroute ended without results");
		status = EXIT_SYSTEM;
		goto out;
	}
	if (run.cc.stream) {
		/* the events were the output */
	} else if (run.cc.format != FORMAT_TEXT) {
		report_hosts(stdout, run.cc.format == FORMAT_JSON, run.hops, run.n, NULL);
	} else {
		report_trace(stdout, run.hops, run.n, run.o.first_hop);
		if (!run.reached)
			printf("%s did not answer\n", run.address[0] ? run.address : argv[first]);
	}
	status = run.reached ? EXIT_ALIVE : EXIT_UNREACHABLE;
out:
	for (i = 0; i < run.n; i++)
		sonar_host_clear(&run.hops[i]);
	free(run.hops);
	free(run.cc.payload);
	return status;
}
