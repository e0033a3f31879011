/*
 * cli.h - what the subcommands share: exit codes (fping's), strict parsing
 * of option values, the options every subcommand takes, and errors.
 */
#ifndef SONAR_CLI_H
#define SONAR_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sonar.h"

/* Exit codes, as fping's. */
enum {
	EXIT_ALIVE = 0,       /* every target answered */
	EXIT_UNREACHABLE = 1, /* some target did not */
	EXIT_NAME = 2,        /* a name did not resolve */
	EXIT_USAGE = 3,       /* invalid arguments */
	EXIT_SYSTEM = 4,      /* system failure: permission, socket, memory */
};

/* How the socket kind was asked for. */
enum privilege { PRIV_AUTO, PRIV_RAW, PRIV_DGRAM };

/* How results are printed. */
enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV };

/* Options common to the subcommands, beyond struct sonar_options. */
struct cli_common {
	enum privilege privilege;
	enum format format;
	bool stream;         /* one JSON line per packet event, no summary */
	bool interval_given; /* -i was on the command line */
	uint8_t *payload;    /* owned: from --payload */
};

/* Long options common to ping, multiping and traceroute (for getopt_long). */
#define CLI_COMMON_SHORT "c:i:W:I:s:Q:t:p:46hV"
enum {
	OPT_ID = 256,
	OPT_PRIVILEGED,
	OPT_UNPRIVILEGED,
	OPT_PAYLOAD,
	OPT_JSON,
	OPT_CSV,
	OPT_STREAM,
	OPT_UDP,
	OPT_TCP,
	OPT_FIRST_FREE, /* subcommands number their own options from here */
};
#define CLI_COMMON_LONG                                                                            \
	{"count", required_argument, NULL, 'c'}, {"interval", required_argument, NULL, 'i'},       \
	    {"timeout", required_argument, NULL, 'W'}, {"id", required_argument, NULL, OPT_ID},    \
	    {"source", required_argument, NULL, 'I'},                                              \
	    {"payload-size", required_argument, NULL, 's'},                                        \
	    {"traffic-class", required_argument, NULL, 'Q'},                                       \
	    {"ttl", required_argument, NULL, 't'}, {"ipv4", no_argument, NULL, '4'},               \
	    {"ipv6", no_argument, NULL, '6'}, {"privileged", no_argument, NULL, OPT_PRIVILEGED},   \
	    {"unprivileged", no_argument, NULL, OPT_UNPRIVILEGED},                                 \
	    {"payload", required_argument, NULL, OPT_PAYLOAD},                                     \
	    {"json", no_argument, NULL, OPT_JSON}, {"csv", no_argument, NULL, OPT_CSV},            \
	    {"stream", no_argument, NULL, OPT_STREAM}, {"help", no_argument, NULL, 'h'},           \
	    {"udp", no_argument, NULL, OPT_UDP}, {"tcp", no_argument, NULL, OPT_TCP},              \
	    {"port", required_argument, NULL, 'p'},                                                \
	{                                                                                          \
		"version", no_argument, NULL, 'V'                                                  \
	}

/* Print "sonar: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Handle option c (with optarg arg) if it is a common one. Returns 1 handled,
 * 0 not common, or -1 after printing why the value is invalid.
 */
int cli_common_option(int c, const char *arg, struct sonar_options *o, struct cli_common *cc);
/* Parse a whole number in [min, max] for option name; -1 with a message. */
int cli_parse_long(const char *name, const char *s, long min, long max, long *out);
/* Parse seconds in [min, max] (min excluded when open_min); -1 with a message. */
int cli_parse_seconds(const char *name, const char *s, double min, bool open_min, double max,
                      double *out);
/* Parse hex bytes ("0a1B..", optional 0x); -1 with a message. *out is malloc'd. */
int cli_parse_hex(const char *s, uint8_t **out, size_t *len);
/* The exit code for a library error code. */
int cli_exit_code(int sonar_code);
/* Print the library's last error and return its exit code. */
int cli_fail(int sonar_code);
/* Print version and exit status 0. */
void cli_version(void);
/*
 * Least privilege: open the sockets the options need (raw ones while it is
 * still allowed), then drop every privilege and capability for good.
 * 0, or an exit code after printing why.
 */
int cli_lockdown(struct sonar_engine *e, const struct sonar_options *o);

/* A subcommand's own options: 1 handled, 0 not its, -1 invalid (printed). */
typedef int (*cli_option_cb)(int c, const char *arg, void *ctx);
/* Results of cli_parse() other than an operand index. */
enum { CLI_DONE = -1, CLI_USAGE = -2 };
/*
 * Parse argv (cmd: the subcommand's name, "" for the dashboard): the common
 * options, then the subcommand's (extra_long /
 * extra_short, handled by extra). Returns the index of the first operand,
 * CLI_DONE after --help or --version, or CLI_USAGE after printing why.
 */
int cli_parse(int argc, char **argv, const char *cmd, const struct option *extra_long,
              const char *extra_short, cli_option_cb extra, void *ctx, void (*usage)(FILE *),
              struct sonar_options *o, struct cli_common *cc);
/*
 * The same for a subcommand without the common options (capture): only its
 * own, --help and --version.
 */
int cli_parse_own(int argc, char **argv, const char *cmd, const struct option *extra_long,
                  const char *extra_short, cli_option_cb extra, void *ctx, void (*usage)(FILE *));
/* Set o->privileged from the socket kind asked for (auto: raw if permitted). */
void cli_privilege(const struct cli_common *cc, struct sonar_options *o);
/* The options' help text shared by the subcommands. */
extern const char cli_common_help[];

#endif
