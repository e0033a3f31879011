/*
 * cli.c - option parsing and errors shared by the subcommands.
 */
#include "config.h"
#include "cli.h"
#include "priv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sonar: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_parse_long(const char *name, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || isspace((unsigned char)*s) || *end || errno == ERANGE) {
		cli_error("invalid %s '%s': expected a whole number from %ld to %ld", name, s, min,
		          max);
		return -1;
	}
	if (v < min || v > max) {
		cli_error("invalid %s %ld: must be from %ld to %ld", name, v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_seconds(const char *name, const char *s, double min, bool open_min, double max,
                      double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || isspace((unsigned char)*s) || *end || errno == ERANGE || !isfinite(v)) {
		cli_error("invalid %s '%s': expected a number of seconds", name, s);
		return -1;
	}
	if (v < min || (open_min && v == min) || v > max) {
		cli_error("invalid %s %g: must be %s %g and at most %g seconds", name, v,
		          open_min ? "more than" : "at least", min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Value of one hex digit, or -1. */
static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int cli_parse_hex(const char *s, uint8_t **out, size_t *len)
{
	size_t n, i;
	uint8_t *buf;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (n % 2) {
		cli_error("invalid payload '%s': an even number of hexadecimal digits is needed",
		          s);
		return -1;
	}
	buf = malloc(n / 2 + 1);
	if (!buf) {
		cli_error("out of memory");
		return -1;
	}
	for (i = 0; i < n; i += 2) {
		int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0) {
			cli_error("invalid payload: '%c%c' at offset %zu is not hexadecimal", s[i],
			          s[i + 1], i);
			free(buf);
			return -1;
		}
		buf[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*out = buf;
	*len = n / 2;
	return 0;
}

int cli_common_option(int c, const char *arg, struct sonar_options *o, struct cli_common *cc)
{
	long v;
	double d;

	switch (c) {
	case 'c':
		if (cli_parse_long("count", arg, 0, 1000000000L, &v) < 0)
			return -1;
		o->count = (int)v;
		return 1;
	case 'i':
		if (cli_parse_seconds("interval", arg, 0, false, 86400, &d) < 0)
			return -1;
		o->interval = d;
		cc->interval_given = true;
		return 1;
	case 'W':
		if (cli_parse_seconds("timeout", arg, 0, true, 86400, &d) < 0)
			return -1;
		o->timeout = d;
		return 1;
	case OPT_UDP:
		o->protocol = SONAR_PROTO_UDP;
		return 1;
	case OPT_TCP:
		o->protocol = SONAR_PROTO_TCP;
		return 1;
	case 'p':
		if (cli_parse_long("port", arg, 1, 65535, &v) < 0)
			return -1;
		o->port = (int)v;
		return 1;
	case OPT_ID:
		if (cli_parse_long("id", arg, 0, 65535, &v) < 0)
			return -1;
		o->id = (int)v;
		return 1;
	case 'I':
		if (!sonar_is_ipv4_address(arg) && !sonar_is_ipv6_address(arg)) {
			cli_error("invalid source '%s': expected an IPv4 or IPv6 address", arg);
			return -1;
		}
		o->source = arg;
		return 1;
	case 's':
		/* the largest IPv6 payload; the engine refuses more than 65507
		 * for an IPv4 target, naming the family */
		if (cli_parse_long("payload size", arg, 0, 65527, &v) < 0)
			return -1;
		o->payload_size = (size_t)v;
		return 1;
	case 'Q':
		if (cli_parse_long("traffic class", arg, 0, 255, &v) < 0)
			return -1;
		o->traffic_class = (int)v;
		return 1;
	case 't':
		if (cli_parse_long("ttl", arg, 1, 255, &v) < 0)
			return -1;
		o->ttl = (int)v;
		return 1;
	case '4':
		o->family = 4;
		return 1;
	case '6':
		o->family = 6;
		return 1;
	case OPT_PRIVILEGED:
		cc->privilege = PRIV_RAW;
		return 1;
	case OPT_UNPRIVILEGED:
		cc->privilege = PRIV_DGRAM;
		return 1;
	case OPT_PAYLOAD:
		free(cc->payload);
		cc->payload = NULL;
		if (cli_parse_hex(arg, &cc->payload, &o->payload_size) < 0)
			return -1;
		o->payload = cc->payload;
		return 1;
	case OPT_JSON:
		cc->format = FORMAT_JSON;
		return 1;
	case OPT_CSV:
		cc->format = FORMAT_CSV;
		return 1;
	case OPT_STREAM:
		cc->stream = true;
		return 1;
	default:
		return 0;
	}
}

int cli_exit_code(int code)
{
	switch (code) {
	case SONAR_OK:
		return EXIT_ALIVE;
	case SONAR_ENAMELOOKUP:
		return EXIT_NAME;
	case SONAR_EINVAL:
		return EXIT_USAGE;
	case SONAR_ETIMEOUT:
	case SONAR_EUNREACH:
	case SONAR_ETIMEEXCEEDED:
	case SONAR_EICMP:
		return EXIT_UNREACHABLE;
	default:
		return EXIT_SYSTEM;
	}
}

int cli_fail(int code)
{
	cli_error("%s", sonar_last_error());
	return cli_exit_code(code);
}

void cli_version(void)
{
	printf("sonar %s\n", sonar_version());
}

void cli_privilege(const struct cli_common *cc, struct sonar_options *o)
{
	o->privileged =
	    cc->privilege == PRIV_RAW || (cc->privilege == PRIV_AUTO && raw_permitted());
	/* Say what could not be had, and how, to a person at a terminal
	 * (scripts get the same results, without the note). */
	if (cc->privilege == PRIV_AUTO && !o->privileged && isatty(STDERR_FILENO))
		cli_error("note: no raw sockets (root, or setcap cap_net_raw+ep on sonar); "
		          "using ICMP datagram sockets");
}

const char cli_common_help[] =
    "  -W, --timeout S         seconds to wait for each reply (default 2)\n"
    "      --id N              ICMP identifier 0-65535 (default: chosen)\n"
    "  -I, --source ADDR       send from this address\n"
    "  -4, -6                  resolve names to IPv4 / IPv6 only\n"
    "      --privileged        raw socket (needs root or cap_net_raw)\n"
    "      --unprivileged      ICMP datagram socket (ping_group_range)\n"
    "                          default: raw when permitted, else datagram\n"
    "      --payload HEX       payload bytes (default: random)\n"
    "  -s, --payload-size N    payload size in bytes (default 56)\n"
    "  -Q, --traffic-class N   DS field / traffic class 0-255 (default 0)\n"
    "  -t, --ttl N             TTL / hop limit 1-255 (default 64)\n"
    "      --udp               UDP probes (unprivileged); the destination answers\n"
    "                          Port Unreachable (or its service a datagram); every\n"
    "                          probe to one port (one flow)\n"
    "      --tcp               TCP SYN probes: SYN-ACK or RST from the destination;\n"
    "                          raw SYNs from one source port when privileged, else\n"
    "                          a connect() each (RTT of the handshake)\n"
    "  -p, --port N            destination port (UDP 33434, TCP 80)\n"
    "      --json              print JSON (icmplib's keys)\n"
    "      --csv               print CSV with a header line\n"
    "      --stream            print one JSON line per packet event as it happens\n"
    "                          (ISO-8601 UTC time, microseconds), no summary\n"
    "  -h, --help              this help\n"
    "  -V, --version           sonar's version\n\n"
    "Exit: 0 all answered, 1 some did not, 2 a name did not resolve,\n"
    "3 invalid arguments, 4 system failure.\n";

/* cli_parse() and cli_parse_own(): with or without the common options. */
static int parse(int argc, char **argv, const char *cmd, bool common_too,
                 const struct option *extra_long, const char *extra_short, cli_option_cb extra,
                 void *ctx, void (*usage)(FILE *), struct sonar_options *o, struct cli_common *cc)
{
	static const struct option common[] = {CLI_COMMON_LONG};
	static const struct option own[] = {{"help", no_argument, NULL, 'h'},
	                                    {"version", no_argument, NULL, 'V'}};
	const struct option *base = common_too ? common : own;
	size_t nbase = common_too ? sizeof(common) / sizeof(common[0]) : 2;
	struct option longopts[64];
	char shortopts[64];
	size_t n = 0, i;
	int c;

	for (i = 0; i < nbase; i++)
		longopts[n++] = base[i];
	for (i = 0; extra_long && extra_long[i].name && n < 63; i++)
		longopts[n++] = extra_long[i];
	memset(&longopts[n], 0, sizeof(longopts[n]));
	snprintf(shortopts, sizeof(shortopts), ":%s%s", common_too ? CLI_COMMON_SHORT : "hV",
	         extra_short ? extra_short : "");
	opterr = 0;
	optind = 0; /* 0, not 1: glibc then forgets a half-parsed "-abc" of an earlier call */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int r = common_too ? cli_common_option(c, optarg, o, cc) : 0;

		if (r == 0 && extra)
			r = extra(c, optarg, ctx);
		if (r < 0)
			return CLI_USAGE;
		if (r > 0)
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return CLI_DONE;
		case 'V':
			cli_version();
			return CLI_DONE;
		case ':':
			cli_error("option '%s' needs a value", argv[optind - 1]);
			return CLI_USAGE;
		default:
			cli_error("unknown option '%s' (see sonar%s%s --help)", argv[optind - 1],
			          *cmd ? " " : "", cmd);
			return CLI_USAGE;
		}
	}
	if (o && sonar_options_validate(o) < 0) {
		cli_error("%s", sonar_last_error());
		return CLI_USAGE;
	}
	return optind;
}

int cli_parse(int argc, char **argv, const char *cmd, const struct option *extra_long,
              const char *extra_short, cli_option_cb extra, void *ctx, void (*usage)(FILE *),
              struct sonar_options *o, struct cli_common *cc)
{
	return parse(argc, argv, cmd, true, extra_long, extra_short, extra, ctx, usage, o, cc);
}

int cli_parse_own(int argc, char **argv, const char *cmd, const struct option *extra_long,
                  const char *extra_short, cli_option_cb extra, void *ctx, void (*usage)(FILE *))
{
	return parse(argc, argv, cmd, false, extra_long, extra_short, extra, ctx, usage, NULL,
	             NULL);
}

int cli_lockdown(struct sonar_engine *e, const struct sonar_options *o)
{
	char err[256];
	int fam, r;

	/* Both families, whatever -4/-6 say: they choose among a name's
	 * addresses, and an address literal is probed in its own family. */
	for (fam = 4; fam <= 6; fam += 2) {
		if (o->source && (strchr(o->source, ':') ? 6 : 4) != fam)
			continue;
		r = sonar_engine_prepare(e, fam, o->privileged, o->source);
		/* With a source the user chose, its failure is theirs to hear
		 * now; otherwise a family this host lacks (IPv6 off) is only
		 * reported to the targets that need it. */
		if (r < 0 && o->source)
			return cli_fail(r);
	}
	if (priv_drop(err, sizeof(err)) < 0) {
		cli_error("%s", err);
		return EXIT_SYSTEM;
	}
	return 0;
}
