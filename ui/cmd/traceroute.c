/*
 * traceroute.c - `sonar traceroute`: every TTL probed at once; one line
 * per hop ("*" for silent ones), or JSON, CSV, a stream of events.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn.h"
#include "cli.h"
#include "cmd.h"
#include "json.h"
#include "report.h"
#include "run.h"
#include "sonar.h"

enum { OPT_FAST = OPT_FIRST_FREE, OPT_REPORT, OPT_ASN, OPT_ASN_ALL, OPT_DNS };

/* traceroute(8)'s -w defaults: give a silent probe up after 3 round trips
 * of its own hop's replies, or 10 of a later hop's. */
#define WAIT_HERE 3.0
#define WAIT_NEAR 10.0

struct trace_run {
	struct cli_common cc;
	struct sonar_options o;
	char address[SONAR_ADDRSTRLEN]; /* the destination, once probed */
	bool reached;                   /* the destination answered */
	struct sonar_host *hops;
	size_t n;
	bool done;
	bool report;        /* --report: mtr's report columns */
	const char *target; /* as given */
	bool asn;           /* --asn: each hop's origin AS */
	bool asn_all;       /* --asn-all: of special addresses too */
	const char *dns;    /* --dns-server, or NULL: the system's */
	struct asn *lookup; /* --asn: made after the lockdown */
};

/* Print the usage of `sonar traceroute`. */
static void usage(FILE *f)
{
	fputs("Usage: sonar traceroute [OPTIONS] TARGET\n"
	      "Find the path to TARGET, probing every TTL at once.\n\n"
	      "  -c, --count N           probes per hop (default 2; 0 = rounds until Ctrl-C)\n"
	      "  -i, --interval S        seconds between rounds (default: 0, back to back as\n"
	      "                          traceroute sends its probes; 0.05 with -c 0 or\n"
	      "                          --fast, which needs a round's answers first)\n"
	      "  -f, --first-hop N       first TTL (default 1)\n"
	      "  -m, --max-hops N        last TTL (default 30)\n"
	      "      --fast              a hop that answered gets no more probes\n"
	      "      --report            mtr's report columns per hop (Loss%, Snt, Last, Avg,\n"
	      "                          Best, Wrst, StDev, Jitter; ms), for a ticket\n"
	      "  -w, --wait MAX[,HERE[,NEAR]]\n"
	      "                          wait at most MAX seconds for a probe (as -W), but\n"
	      "                          no longer than HERE times the round trip of a\n"
	      "                          reply from its hop, or NEAR times that of a later\n"
	      "                          hop's, never under 10 ms (default 2,3,10, as\n"
	      "                          traceroute -w; HERE and NEAR 0 wait all of MAX)\n"
	      "      --asn               each hop's origin AS and its name (DNS TXT, Team\n"
	      "                          Cymru's format), asked after the trace for at most\n"
	      "                          -W seconds (1 at least); private, loopback, link-local\n"
	      "                          and documentation addresses are not asked\n"
	      "      --asn-all           --asn, and ask for those addresses too\n"
	      "      --dns-server ADDR[:PORT]  ask this DNS server (default: resolv.conf's)\n",
	      f);
	fputs(cli_common_help, f);
}

/* A factor of -w: a number from 0 to 1000. */
static int parse_factor(const char *name, const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !isfinite(v) || v < 0 || v > 1000) {
		cli_error("invalid wait %s '%s': expected a number from 0 to 1000", name, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* -w MAX[,HERE[,NEAR]]: the timeout, then the two factors. */
static int parse_wait(const char *arg, struct sonar_options *o)
{
	char buf[128], *part, *save = NULL;
	double v[3] = {o->timeout, o->wait_here, o->wait_near};
	int i = 0;

	if (strlen(arg) >= sizeof(buf)) {
		cli_error("invalid wait '%.40s...': expected MAX[,HERE[,NEAR]]", arg);
		return -1;
	}
	strcpy(buf, arg);
	for (part = strtok_r(buf, ",", &save); part; part = strtok_r(NULL, ",", &save), i++) {
		if (i == 3) {
			cli_error("invalid wait '%s': expected MAX[,HERE[,NEAR]]", arg);
			return -1;
		}
		if (i == 0 ? cli_parse_seconds("wait", part, 0, true, 86400, &v[0]) < 0
		           : parse_factor(i == 1 ? "HERE" : "NEAR", part, &v[i]) < 0)
			return -1;
	}
	if (i == 0 || arg[strlen(arg) - 1] == ',' || strstr(arg, ",,") || arg[0] == ',') {
		cli_error("invalid wait '%s': expected MAX[,HERE[,NEAR]]", arg);
		return -1;
	}
	o->timeout = v[0];
	o->wait_here = v[1];
	o->wait_near = v[2];
	return 0;
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
	case OPT_REPORT:
		run->report = true;
		return 1;
	case 'w':
		return parse_wait(arg, &run->o) < 0 ? -1 : 1;
	case OPT_ASN_ALL:
		run->asn_all = true;
		/* fall through */
	case OPT_ASN:
		run->asn = true;
		return 1;
	case OPT_DNS:
		run->dns = arg;
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

/* Probes a silent TTL was sent: as many as any hop was (a round each). */
static int silent_sent(const struct trace_run *run)
{
	int most = run->o.count;
	size_t i;

	for (i = 0; i < run->n; i++)
		if (run->hops[i].packets_sent > most)
			most = run->hops[i].packets_sent;
	return most;
}

/* After the lockdown: start the traceroute and say so. */
static int trace_start(struct sonar_engine *e, void *ctx)
{
	struct trace_run *run = ctx;
	char err[256];
	int op;

	/* c-ares reads resolv.conf and the environment: only now, unprivileged */
	if (run->asn &&
	    !(run->lookup = asn_new(run->dns, run->asn_all, run->o.timeout, err, sizeof(err)))) {
		cli_error("%s", err);
		return -(errno == EINVAL ? EXIT_USAGE : EXIT_SYSTEM);
	}
	op = sonar_engine_traceroute(e, run->target, &run->o, trace_event_cb, trace_done_cb, run);
	if (op < 0)
		return -cli_fail(op);
	if (run->report) {
		char when[32];
		time_t now = time(NULL);

		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
		printf("Start: %s\n", when); /* as mtr's report begins */
	} else if (!run->cc.stream && run->cc.format == FORMAT_TEXT) {
		printf("traceroute to %s, %d hops max, %zu byte payload\n", run->target,
		       run->o.max_hops, run->o.payload_size);
	}
	return op;
}

int cmd_traceroute(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"first-hop", required_argument, NULL, 'f'},
	    {"max-hops", required_argument, NULL, 'm'},
	    {"fast", no_argument, NULL, OPT_FAST},
	    {"wait", required_argument, NULL, 'w'},
	    {"report", no_argument, NULL, OPT_REPORT},
	    {"asn", no_argument, NULL, OPT_ASN},
	    {"asn-all", no_argument, NULL, OPT_ASN_ALL},
	    {"dns-server", required_argument, NULL, OPT_DNS},
	    {NULL, 0, NULL, 0},
	};
	struct trace_run run;
	struct asn_info *as = NULL;
	int first, status = EXIT_USAGE;
	size_t i;

	memset(&run, 0, sizeof(run));
	run.cc.privilege = PRIV_AUTO;
	sonar_traceroute_defaults(&run.o);
	run.o.wait_here = WAIT_HERE;
	run.o.wait_near = WAIT_NEAR;
	first = cli_parse(argc, argv, "traceroute", longopts, "f:m:w:", trace_option, &run, usage,
	                  &run.o, &run.cc);
	if (first == CLI_DONE)
		return EXIT_ALIVE;
	if (first < 0)
		goto out;
	if (!run.cc.interval_given && run.o.count > 0 && !run.o.fast)
		run.o.interval = 0; /* rounds back to back; -c 0 and --fast keep 0.05 */
	if (run.report && (run.cc.stream || run.cc.format != FORMAT_TEXT)) {
		cli_error("--report is a text table: not with --json, --csv or --stream");
		goto out;
	}
	if (first != argc - 1) {
		cli_error(first >= argc ? "traceroute needs a TARGET (see sonar traceroute --help)"
		                        : "traceroute takes one TARGET");
		goto out;
	}
	if (run.asn && run.cc.stream) {
		cli_error("--asn annotates the hops: not with --stream");
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
	if (run.lookup && !(as = asn_hops(run.lookup, run.hops, run.n))) {
		cli_error("out of memory");
		status = EXIT_SYSTEM;
		goto out;
	}
	if (run.cc.stream) {
		/* the events were the output */
	} else if (run.report) {
		report_mtr(stdout, run.target, run.hops, run.n, run.o.first_hop, silent_sent(&run),
		           as);
		if (!run.reached)
			printf("%s did not answer\n", run.address[0] ? run.address : argv[first]);
	} else if (run.cc.format != FORMAT_TEXT) {
		report_hops(stdout, run.cc.format == FORMAT_JSON, run.hops, run.n, as);
	} else {
		report_trace(stdout, run.hops, run.n, run.o.first_hop, as);
		if (!run.reached)
			printf("%s did not answer\n", run.address[0] ? run.address : argv[first]);
	}
	status = run.reached ? EXIT_ALIVE : EXIT_UNREACHABLE;
out:
	for (i = 0; i < run.n; i++)
		sonar_host_clear(&run.hops[i]);
	free(run.hops);
	free(run.cc.payload);
	free(as);
	asn_free(run.lookup);
	return status;
}
