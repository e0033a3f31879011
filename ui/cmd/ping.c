/*
 * ping.c - `sonar ping`: one target, one line per reply while it runs,
 * icmplib's summary (or JSON, CSV, or a stream of events) at the end.
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

struct ping_run {
	struct cli_common *cc;
	bool header_done;
	size_t payload_size;
	struct sonar_host host; /* copied result, rtts owned */
	bool done;
	const char *target; /* as given */
	const struct sonar_options *o;
};

/* Print the usage of `sonar ping`. */
static void usage(FILE *f)
{
	fputs("Usage: sonar ping [OPTIONS] TARGET\n"
	      "Send ICMP echo requests to TARGET (an address or a name).\n\n"
	      "  -c, --count N           probes to send (default 4; 0 = until Ctrl-C)\n"
	      "  -i, --interval S        seconds between probes (default 1)\n",
	      f);
	fputs(cli_common_help, f);
}

/* The sequence's name in a line: ping(8)'s for ICMP, tcping's for TCP. */
static const char *seq_name(const struct sonar_options *o)
{
	return o->protocol == SONAR_PROTO_TCP   ? "tcp_seq"
	       : o->protocol == SONAR_PROTO_UDP ? "udp_seq"
	                                        : "icmp_seq";
}

/* Print one packet event as a line, the way ping(8) users read them. */
static void ping_event_cb(const struct sonar_event *ev, void *user)
{
	struct ping_run *run = user;
	const char *seq = seq_name(run->o);

	if (run->cc->stream) {
		json_event(stdout, ev);
		return;
	}
	if (run->cc->format != FORMAT_TEXT)
		return;
	if (!run->header_done) {
		if (run->o->protocol == SONAR_PROTO_TCP)
			printf("PING %s (%s): TCP port %d\n", ev->name, ev->address,
			       run->o->port ? run->o->port : 80);
		else if (strcmp(ev->name, ev->address) == 0)
			printf("PING %s: %zu data bytes\n", ev->address, run->payload_size);
		else
			printf("PING %s (%s): %zu data bytes\n", ev->name, ev->address,
			       run->payload_size);
		run->header_done = true;
	}
	switch (ev->type) {
	case SONAR_EVENT_SENT:
		break;
	case SONAR_EVENT_REPLY:
	case SONAR_EVENT_DUPLICATE:
		if (run->o->protocol == SONAR_PROTO_TCP)
			printf("answer from %s: %s=%d", ev->from, seq, ev->sequence);
		else
			printf("%zu bytes from %s: %s=%d", ev->bytes, ev->from, seq, ev->sequence);
		if (ev->reply_ttl >= 0)
			printf(" ttl=%d", ev->reply_ttl);
		printf(" time=%.3f ms%s\n", ev->rtt,
		       ev->type == SONAR_EVENT_DUPLICATE ? " (DUP!)" : "");
		break;
	case SONAR_EVENT_TIMEOUT:
		printf("Request timeout for %s %d\n", seq, ev->sequence);
		break;
	case SONAR_EVENT_ICMP_ERROR:
		printf("From %s %s=%d %s\n", ev->from, seq, ev->sequence, ev->message);
		break;
	case SONAR_EVENT_SEND_ERROR:
		printf("Send failed for %s %d: %s\n", seq, ev->sequence, ev->message);
		break;
	}
	fflush(stdout); /* each reply line as it happens, into a pipe too */
}

/* Keep a copy of the result (its rtts too). */
static void ping_done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct ping_run *run = user;

	(void)op;
	run->done = true;
	if (n != 1)
		return;
	sonar_host_copy(&run->host, &hosts[0]);
}

/* icmplib's str(Host), with the error when there is one. */
static void print_summary(const struct sonar_host *h)
{
	printf("\n  %s\n", h->address);
	printf("  ------------------------------------------------------------\n");
	printf("  Packets sent:      %d\n", h->packets_sent);
	printf("  Packets received:  %d\n", h->packets_received);
	if (h->duplicates)
		printf("  Duplicates:        %d\n", h->duplicates);
	printf("  Packet loss:       %g%%\n", h->packet_loss * 100);
	printf("  Round-trip times:  %.3f ms / %.3f ms / %.3f ms (min / avg / max)\n", h->min_rtt,
	       h->avg_rtt, h->max_rtt);
	printf("  Jitter:            %.3f ms\n", h->jitter);
	if (h->error)
		printf("  Error:             %s\n", h->error_message);
	printf("  ------------------------------------------------------------\n");
}

/* After the lockdown: start the ping. */
static int ping_start(struct sonar_engine *e, void *ctx)
{
	struct ping_run *run = ctx;
	int op = sonar_engine_ping(e, run->target, run->o, ping_event_cb, ping_done_cb, run);

	return op < 0 ? -cli_fail(op) : op;
}

int cmd_ping(int argc, char **argv)
{
	struct sonar_options o;
	struct cli_common cc = {.privilege = PRIV_AUTO, .format = FORMAT_TEXT};
	struct ping_run run;
	int status, first;

	memset(&run, 0, sizeof(run));
	run.cc = &cc;
	sonar_ping_defaults(&o);
	first = cli_parse(argc, argv, "ping", NULL, NULL, NULL, NULL, usage, &o, &cc);
	if (first < 0) {
		free(cc.payload);
		return first == CLI_DONE ? EXIT_ALIVE : EXIT_USAGE;
	}
	if (first != argc - 1) {
		cli_error(first >= argc ? "ping needs a TARGET (see sonar ping --help)"
		                        : "ping takes one TARGET; for several use sonar multiping");
		free(cc.payload);
		return EXIT_USAGE;
	}

	run.payload_size = o.payload_size;
	run.target = argv[first];
	run.o = &o;
	status = run_command(&cc, &o, ping_start, &run, NULL);
	free(cc.payload);
	if (status)
		return status;
	if (!run.done) {
		cli_error("the ping ended without a result");
		return EXIT_SYSTEM;
	}
	if (!cc.stream) {
		if (cc.format == FORMAT_JSON) {
			json_host(stdout, &run.host, argv[first]);
			fputc('\n', stdout);
		} else if (cc.format == FORMAT_CSV) {
			report_csv_header(stdout, false);
			report_csv_host(stdout, &run.host, argv[first]);
		} else {
			print_summary(&run.host);
		}
	}
	status = report_exit_code(&run.host, 1);
	sonar_host_clear(&run.host);
	return status;
}
