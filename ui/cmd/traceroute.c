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

enum { OPT_FAST = OPT_FIRST_FREE, OPT_REPORT, OPT_FLOWS, OPT_ASN, OPT_ASN_ALL, OPT_DNS };

/* --flows: how many flows a trace may probe at once. */
#define FLOWS_MAX 16
/* UDP probes' first port, the library's default. */
#define UDP_PORT 33434

/* -w's defaults: a hop that never answered is given up after 10 round
 * trips of a later hop's slowest answer (traceroute's NEAR); a hop that
 * answers waits the whole timeout for each probe (traceroute's HERE 3 cuts
 * a jittery hop's late answers: loss that is not there), unless asked. */
#define WAIT_HERE 0.0
#define WAIT_NEAR 10.0

/* One flow: one traceroute operation, its fields (UDP port, TCP source
 * port, ICMP id and checksum) constant, so ECMP routers send all its probes
 * one way. */
struct trace_flow {
	struct trace_run *run;
	int port;                       /* UDP: its destination port; else 0 */
	int sport;                      /* raw TCP: its source port; else 0 */
	char address[SONAR_ADDRSTRLEN]; /* the destination, once probed */
	bool reached;                   /* the destination answered */
	struct sonar_host *hops;
	size_t n;
	bool done;
};

struct trace_run {
	struct cli_common cc;
	struct sonar_options o;
	int nflows; /* --flows */
	struct trace_flow flow[FLOWS_MAX];
	bool report;                    /* --report: mtr's report columns */
	const char *target;             /* as given */
	bool asn;                       /* --asn: each hop's origin AS */
	bool asn_all;                   /* --asn-all: of special addresses too */
	const char *dns;                /* --dns-server, or NULL: the system's */
	struct asn *lookup;             /* --asn: made after the lockdown */
	struct asn_info *as[FLOWS_MAX]; /* each flow's hops' AS, or NULL */
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
	      "      --flows N           probe N flows at once (1-16; UDP: ports PORT to\n"
	      "                          PORT+N-1; TCP, with raw sockets only: source\n"
	      "                          ports 61000 to 61000+N-1; ICMP: N identifiers,\n"
	      "                          with raw sockets; unprivileged, N checksums),\n"
	      "                          each keeping its fields so that ECMP routers\n"
	      "                          send it one way: a load-balanced hop shows as a\n"
	      "                          fork (default 1)\n"
	      "      --report            mtr's report columns per hop (Loss%, Snt, Last, Avg,\n"
	      "                          Best, Wrst, StDev, Jitter; ms), for a ticket\n"
	      "  -w, --wait MAX[,HERE[,NEAR]]\n"
	      "                          wait at most MAX seconds for a probe (as -W), but\n"
	      "                          no longer than HERE times its hop's slowest answer,\n"
	      "                          or, for a hop that never answered, NEAR times a\n"
	      "                          later hop's, never under 10 ms (default 2,0,10:\n"
	      "                          traceroute's HERE would cut a jittery hop's late\n"
	      "                          answers; HERE and NEAR 0 wait all of MAX)\n"
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
	case OPT_FLOWS:
		if (cli_parse_long("flows", arg, 1, FLOWS_MAX, &v) < 0)
			return -1;
		run->nflows = (int)v;
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
	struct trace_flow *fl = user;

	snprintf(fl->address, sizeof(fl->address), "%s", ev->address);
	if (ev->type == SONAR_EVENT_REPLY)
		fl->reached = true;
	if (fl->run->cc.stream)
		json_event(stdout, ev);
}

/* Keep a deep copy of the hops. */
static void trace_done_cb(int op, const struct sonar_host *hops, size_t n, void *user)
{
	struct trace_flow *fl = user;
	size_t i;

	(void)op;
	fl->done = true;
	fl->hops = calloc(n ? n : 1, sizeof(*fl->hops));
	if (!fl->hops)
		return;
	fl->n = n;
	for (i = 0; i < n; i++)
		sonar_host_copy(&fl->hops[i], &hops[i]);
}

/* Probes a silent TTL was sent: as many as any hop was (a round each). */
static int silent_sent(const struct trace_run *run, const struct trace_flow *fl)
{
	int most = run->o.count;
	size_t i;

	for (i = 0; i < fl->n; i++)
		if (fl->hops[i].packets_sent > most)
			most = fl->hops[i].packets_sent;
	return most;
}

/* After the lockdown: start the traceroute and say so. */
static int trace_start(struct sonar_engine *e, void *ctx)
{
	struct trace_run *run = ctx;
	char err[256];
	int k, op = 0;

	/* c-ares reads resolv.conf and the environment: only now, unprivileged */
	if (run->asn &&
	    !(run->lookup = asn_new(run->dns, run->asn_all, run->o.timeout, err, sizeof(err)))) {
		cli_error("%s", err);
		return -(errno == EINVAL ? EXIT_USAGE : EXIT_SYSTEM);
	}
	/* a connect() has the kernel's source port, one per probe: no flow */
	if (run->nflows > 1 && run->o.protocol == SONAR_PROTO_TCP && !run->o.privileged) {
		cli_error("--flows with --tcp needs raw sockets (root, or setcap cap_net_raw+ep "
		          "on sonar): without them each TCP probe is a connect() from its own "
		          "source port, no stable flow; use --udp, or one flow");
		return -EXIT_USAGE;
	}
	for (k = 0; k < run->nflows; k++) {
		struct trace_flow *fl = &run->flow[k];
		struct sonar_options o = run->o;
		int r;

		fl->run = run;
		if (o.protocol == SONAR_PROTO_UDP) /* flow k: the next port */
			o.port = fl->port = (o.port ? o.port : UDP_PORT) + k;
		else if (o.protocol == SONAR_PROTO_TCP && o.privileged) /* the next source port */
			fl->sport = SONAR_TCP_FLOW_PORT + (o.flow = k);
		else if (o.id >= 0) /* flow k: the next identifier */
			o.id = (o.id + k) & 0xffff;
		r = sonar_engine_traceroute(e, run->target, &o, trace_event_cb, trace_done_cb, fl);
		if (r < 0)
			return -cli_fail(r);
		if (k == 0)
			op = r;
	}
	if (run->report) {
		char when[32];
		time_t now = time(NULL);

		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
		printf("Start: %s\n", when); /* as mtr's report begins */
	} else if (!run->cc.stream && run->cc.format == FORMAT_TEXT) {
		printf("traceroute to %s, %d hops max, %zu byte payload", run->target,
		       run->o.max_hops, run->o.payload_size);
		if (run->nflows > 1)
			printf(", %d flows", run->nflows);
		putchar('\n');
	}
	return op;
}

/* The results as asked: one flow as ever; several as a JSON array of
 * flows, mtr reports one after the other, or one line per responder of
 * each TTL with the flows that met it (a fork where paths part). */
static void print_results(const struct trace_run *run)
{
	const struct trace_flow *fl = run->flow;
	int k;

	if (run->cc.stream)
		return; /* the events were the output */
	if (run->report) {
		for (k = 0; k < run->nflows; k++) {
			if (run->nflows > 1 && fl[k].port)
				printf("%sFlow %d (UDP port %d):\n", k ? "\n" : "", k, fl[k].port);
			else if (run->nflows > 1 && fl[k].sport)
				printf("%sFlow %d (TCP source port %d):\n", k ? "\n" : "", k,
				       fl[k].sport);
			else if (run->nflows > 1)
				printf("%sFlow %d (ICMP):\n", k ? "\n" : "", k);
			report_mtr(stdout, run->target, fl[k].hops, fl[k].n, run->o.first_hop,
			           silent_sent(run, &fl[k]), run->as[k]);
		}
	} else if (run->cc.format != FORMAT_TEXT && run->nflows == 1) {
		report_hops(stdout, run->cc.format == FORMAT_JSON, fl[0].hops, fl[0].n, run->as[0]);
	} else if (run->cc.format != FORMAT_TEXT) {
		fputs("[\n", stdout);
		for (k = 0; k < run->nflows; k++) {
			printf("{\"flow\": %d, ", k);
			if (fl[k].port)
				printf("\"port\": %d, ", fl[k].port);
			if (fl[k].sport)
				printf("\"source_port\": %d, ", fl[k].sport);
			printf("\"reached\": %s, \"hops\": ", fl[k].reached ? "true" : "false");
			report_hops(stdout, true, fl[k].hops, fl[k].n, run->as[k]);
			fputs(k + 1 < run->nflows ? "},\n" : "}\n", stdout);
		}
		fputs("]\n", stdout);
	} else if (run->nflows == 1) {
		report_trace(stdout, fl[0].hops, fl[0].n, run->o.first_hop, run->as[0]);
	} else {
		const struct sonar_host *hops[FLOWS_MAX];
		size_t n[FLOWS_MAX];

		for (k = 0; k < run->nflows; k++) {
			hops[k] = fl[k].hops;
			n[k] = fl[k].n;
		}
		report_forks(stdout, hops, n, (size_t)run->nflows, run->o.first_hop);
	}
}

int cmd_traceroute(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"first-hop", required_argument, NULL, 'f'},
	    {"max-hops", required_argument, NULL, 'm'},
	    {"fast", no_argument, NULL, OPT_FAST},
	    {"wait", required_argument, NULL, 'w'},
	    {"report", no_argument, NULL, OPT_REPORT},
	    {"flows", required_argument, NULL, OPT_FLOWS},
	    {"asn", no_argument, NULL, OPT_ASN},
	    {"asn-all", no_argument, NULL, OPT_ASN_ALL},
	    {"dns-server", required_argument, NULL, OPT_DNS},
	    {NULL, 0, NULL, 0},
	};
	struct trace_run run;
	int first, k, status = EXIT_USAGE;
	bool reached = true;
	size_t i;

	memset(&run, 0, sizeof(run));
	run.nflows = 1;
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
	if (run.nflows > 1 && run.o.protocol == SONAR_PROTO_UDP &&
	    (run.o.port ? run.o.port : UDP_PORT) + run.nflows - 1 > 65535) {
		cli_error("--flows %d from port %d: the last flow's port would pass 65535",
		          run.nflows, run.o.port ? run.o.port : UDP_PORT);
		goto out;
	}
	if (run.nflows > 1 && run.cc.format == FORMAT_CSV) {
		cli_error("--flows with --csv: not done; use --json");
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
	for (k = 0; k < run.nflows; k++) {
		if (!run.flow[k].done || !run.flow[k].hops) {
			cli_error("the traceroute ended without results");
			status = EXIT_SYSTEM;
			goto out;
		}
		reached = reached && run.flow[k].reached;
		if (run.lookup &&
		    !(run.as[k] = asn_hops(run.lookup, run.flow[k].hops, run.flow[k].n))) {
			cli_error("out of memory");
			status = EXIT_SYSTEM;
			goto out;
		}
	}
	print_results(&run);
	if (!run.cc.stream && run.cc.format == FORMAT_TEXT)
		for (k = 0; k < run.nflows; k++)
			if (!run.flow[k].reached) {
				printf("%s did not answer\n",
				       run.flow[k].address[0] ? run.flow[k].address : run.target);
				break;
			}
	status = reached ? EXIT_ALIVE : EXIT_UNREACHABLE; /* every flow reached it */
out:
	for (k = 0; k < FLOWS_MAX; k++) {
		for (i = 0; i < run.flow[k].n; i++)
			sonar_host_clear(&run.flow[k].hops[i]);
		free(run.flow[k].hops);
		free(run.as[k]);
	}
	asn_free(run.lookup);
	free(run.cc.payload);
	return status;
}
