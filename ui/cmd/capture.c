/*
 * capture.c - `sonar capture`: the decoded ICMP and ICMPv6 stream,
 * without the dashboard, for scripts.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "capture.h"
#include "cli.h"
#include "cmd.h"
#include "priv.h"
#include "stop.h"

struct run {
	bool json;
	long max; /* packets to print, 0 = no limit */
	long n;
	const char *file; /* -F: a pcap file, NULL for live */
};

/* Print one packet. */
static void line_cb(struct cap_line *l, void *user)
{
	struct run *r = user;
	char buf[512];

	if (r->max && r->n >= r->max)
		return;
	r->n++;
	if (r->json) {
		capture_json(stdout, l);
	} else {
		capture_format(l, buf, sizeof(buf));
		puts(buf);
	}
	fflush(stdout);
}

/* capture's own options. */
static int capture_option(int c, const char *arg, void *ctx)
{
	struct run *r = ctx;

	switch (c) {
	case 'F':
		r->file = arg;
		return 1;
	case 'c':
		return cli_parse_long("count", arg, 1, 1000000000L, &r->max) < 0 ? -1 : 1;
	case 'j':
		r->json = true;
		return 1;
	default:
		return 0;
	}
}

/* Print the usage of `sonar capture`. */
static void usage(FILE *f)
{
	fputs("Usage: sonar capture [-F FILE] [-c N] [--json]\n"
	      "Print the ICMP and ICMPv6 packets on every interface (or in a pcap FILE),\n"
	      "decoded: time, direction, source > destination, type and code by name,\n"
	      "identifier and sequence, TTL or hop limit, length.\n\n"
	      "  -F, --file FILE   read a pcap file instead of the interfaces\n"
	      "  -c, --count N     stop after N packets\n"
	      "      --json        one JSON object per packet\n"
	      "  -h, --help        this help\n\n"
	      "Live capture needs root or cap_net_raw. Exit: 0, 3 invalid arguments,\n"
	      "4 the capture could not open.\n",
	      f);
}

int cmd_capture(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"file", required_argument, NULL, 'F'},
	    {"count", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	struct run r = {false, 0, 0, NULL};
	const char *file;
	struct capture *cap;
	char err[512];
	int first;

	first = cli_parse_own(argc, argv, "capture", longopts, "F:c:", capture_option, &r, usage);
	if (first == CLI_DONE)
		return EXIT_ALIVE;
	if (first < 0)
		return EXIT_USAGE;
	if (first != argc) {
		cli_error("capture takes no TARGET (see sonar capture --help)");
		return EXIT_USAGE;
	}
	file = r.file;
	/* a live capture opens its handle first, then drops; a file is read
	 * with no privilege at all */
	cap = file ? NULL : capture_open_live(err, sizeof(err));
	if (!file && !cap) {
		cli_error("%s", err);
		return EXIT_SYSTEM;
	}
	if (priv_drop(err, sizeof(err)) < 0) {
		cli_error("%s", err);
		capture_close(cap);
		return EXIT_SYSTEM;
	}
	if (file && !(cap = capture_open_file(file, err, sizeof(err)))) {
		cli_error("%s", err);
		return EXIT_SYSTEM;
	}
	stop_catch();
	while (!stop_requested() && (!r.max || r.n < r.max)) {
		int got;

		if (!file) {
			fd_set rd;
			int fd = capture_fd(cap);
			struct timeval tv = {0, 200000};

			FD_ZERO(&rd);
			if (fd >= 0)
				FD_SET(fd, &rd);
			if (select(fd + 1, &rd, NULL, NULL, &tv) < 0 && errno != EINTR)
				break;
		}
		got = capture_read(cap, line_cb, &r);
		if (got == -2)
			break; /* the end of the file */
		if (got == -1) {
			cli_error("%s", capture_error(cap));
			capture_close(cap);
			return EXIT_SYSTEM;
		}
	}
	capture_close(cap);
	return EXIT_ALIVE;
}
