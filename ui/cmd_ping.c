/*
 * cmd_ping.c - `sonar ping`: one target, one line per reply while it runs,
 * icmplib's summary (or one JSON object) at the end.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "cli.h"
#include "json.h"
#include "sonar.h"

int cmd_ping(int argc, char **argv);

static volatile sig_atomic_t interrupted;

/* Note a Ctrl-C or TERM: the loop stops the ping and prints what it has. */
static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct ping_run {
	bool json;
	bool header_done;
	size_t payload_size;
	struct sonar_host host; /* copied result, rtts owned */
	bool done;
};

/* Print the usage of `sonar ping`. */
static void usage(FILE *f)
{
	fputs("Usage: sonar ping [OPTIONS] TARGET\n"
	      "Send ICMP echo requests to TARGET (an address or a name).\n\n"
	      "  -c, --count N           probes to send (default 4; 0 = until Ctrl-C)\n"
	      "  -i, --interval S        seconds between probes (default 1)\n"
	      "  -W, --timeout S         seconds to wait for each reply (default 2)\n"
	      "      --id N              ICMP identifier 0-65535 (default: chosen)\n"
	      "  -I, --source ADDR       send from this address\n"
	      "  -4, -6                  resolve names to IPv4 / IPv6 only\n"
	      "      --privileged        raw socket (needs root or cap_net_raw)\n"
	      "      --unprivileged      ICMP datagram socket (ping_group_range)\n"
	      "                          default: raw when permitted, else datagram\n"
	      "      --payload HEX       payload bytes (default: 56 random bytes)\n"
	      "  -s, --payload-size N    payload size in bytes (default 56)\n"
	      "  -Q, --traffic-class N   DS field / traffic class 0-255 (default 0)\n"
	      "  -t, --ttl N             TTL / hop limit 1-255 (default 64)\n"
	      "      --json              print one JSON object (icmplib's keys)\n"
	      "  -h, --help              this help\n"
	      "  -V, --version           sonar's version\n\n"
	      "Exit: 0 alive, 1 not alive, 2 name not resolved, 3 invalid arguments,\n"
	      "4 system failure.\n",
	      f);
}

/* Print one packet event as a line, the way ping(8) users read them. */
static void ping_event_cb(const struct sonar_event *ev, void *user)
{
	struct ping_run *run = user;

	if (run->json)
		return;
	if (!run->header_done) {
		if (strcmp(ev->name, ev->address) == 0)
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
		printf("%zu bytes from %s: icmp_seq=%d", ev->bytes, ev->from, ev->sequence);
		if (ev->reply_ttl >= 0)
			printf(" ttl=%d", ev->reply_ttl);
		printf(" time=%.3f ms%s\n", ev->rtt,
		       ev->type == SONAR_EVENT_DUPLICATE ? " (DUP!)" : "");
		break;
	case SONAR_EVENT_TIMEOUT:
		printf("Request timeout for icmp_seq %d\n", ev->sequence);
		break;
	case SONAR_EVENT_ICMP_ERROR:
		printf("From %s icmp_seq=%d %s\n", ev->from, ev->sequence, ev->message);
		break;
	case SONAR_EVENT_SEND_ERROR:
		printf("Send failed for icmp_seq %d: %s\n", ev->sequence, ev->message);
		break;
	}
	fflush(stdout);
}

/* Keep a copy of the result (its rtts too). */
static void ping_done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct ping_run *run = user;

	(void)op;
	run->done = true;
	if (n != 1)
		return;
	run->host = hosts[0];
	run->host.rtts = NULL;
	if (hosts[0].packets_received > 0) {
		run->host.rtts = calloc((size_t)hosts[0].packets_received, sizeof(double));
		if (run->host.rtts)
			memcpy(run->host.rtts, hosts[0].rtts,
			       (size_t)hosts[0].packets_received * sizeof(double));
		else
			run->host.packets_received = 0;
	}
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

/* Start the ping with the socket kind asked for (auto: raw, else datagram). */
static int start(struct sonar_engine *e, const char *target, struct sonar_options *o,
                 enum privilege priv, struct ping_run *run)
{
	int r;

	o->privileged = priv != PRIV_DGRAM;
	r = sonar_engine_ping(e, target, o, ping_event_cb, ping_done_cb, run);
	if (r == SONAR_EPERM && priv == PRIV_AUTO) {
		o->privileged = false;
		r = sonar_engine_ping(e, target, o, ping_event_cb, ping_done_cb, run);
	}
	return r;
}

/* Run the engine until the ping ends or a signal stops it. */
static int loop(struct sonar_engine *e, int op)
{
	while (sonar_engine_active(e) > 0) {
		fd_set rd;
		int maxfd = -1;
		int64_t ns;
		struct timeval tv, *tvp = NULL;

		if (interrupted) {
			sonar_engine_stop(e, op);
			break;
		}
		FD_ZERO(&rd);
		sonar_engine_fds(e, &rd, &maxfd);
		ns = sonar_engine_timeout(e);
		if (ns >= 0) {
			tv.tv_sec = (time_t)(ns / 1000000000LL);
			tv.tv_usec = (suseconds_t)((ns % 1000000000LL + 999) / 1000);
			tvp = &tv;
		}
		if (select(maxfd + 1, &rd, NULL, NULL, tvp) < 0) {
			if (errno == EINTR)
				continue;
			cli_error("select: %s", strerror(errno));
			return EXIT_SYSTEM;
		}
		sonar_engine_process(e, &rd);
	}
	return 0;
}

int cmd_ping(int argc, char **argv)
{
	static const struct option longopts[] = {CLI_COMMON_LONG, {NULL, 0, NULL, 0}};
	struct sonar_options o;
	struct cli_common cc = {PRIV_AUTO, false, NULL};
	struct ping_run run;
	struct sonar_engine *e;
	struct sigaction sa;
	int c, op, status;

	memset(&run, 0, sizeof(run));
	sonar_ping_defaults(&o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CLI_COMMON_SHORT, longopts, NULL)) != -1) {
		int r = cli_common_option(c, optarg, &o, &cc);

		if (r < 0)
			goto usage_error;
		if (r > 0)
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			free(cc.payload);
			return EXIT_ALIVE;
		case 'V':
			cli_version();
			free(cc.payload);
			return EXIT_ALIVE;
		case ':':
			cli_error("option '%s' needs a value", argv[optind - 1]);
			goto usage_error;
		default:
			cli_error("unknown option '%s' (see sonar ping --help)", argv[optind - 1]);
			goto usage_error;
		}
	}
	if (optind != argc - 1) {
		cli_error(optind >= argc
		              ? "ping needs a TARGET (see sonar ping --help)"
		              : "ping takes one TARGET; for several use sonar multiping");
		goto usage_error;
	}
	if (sonar_options_validate(&o) < 0) {
		cli_error("%s", sonar_last_error());
		goto usage_error;
	}

	e = sonar_engine_new();
	if (!e) {
		cli_error("out of memory");
		free(cc.payload);
		return EXIT_SYSTEM;
	}
	run.json = cc.json;
	run.payload_size = o.payload_size;
	op = start(e, argv[optind], &o, cc.privilege, &run);
	if (op < 0) {
		status = cli_fail(op);
		sonar_engine_free(e);
		free(cc.payload);
		return status;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	status = loop(e, op);
	sonar_engine_free(e);
	free(cc.payload);
	if (status)
		return status;
	if (!run.done) {
		cli_error("the ping ended without a result");
		return EXIT_SYSTEM;
	}
	if (run.json) {
		json_host(stdout, &run.host, argv[optind]);
		fputc('\n', stdout);
	} else {
		print_summary(&run.host);
	}
	status = run.host.is_alive ? EXIT_ALIVE : EXIT_UNREACHABLE;
	sonar_host_clear(&run.host);
	return status;

usage_error:
	free(cc.payload);
	return EXIT_USAGE;
}
