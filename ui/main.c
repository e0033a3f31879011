/*
 * main.c - the sonar program: one command table (tmux's cmd_entry) that
 * dispatches, lists the commands in --help and is what the man page's
 * list is checked against (tests/layout.sh). Anything that is not a
 * command's name is the dashboard's: sonar [OPTIONS] [TARGET...].
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "dash/dash.h"

/* One subcommand. */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary; /* one line for --help */
};

static const struct command commands[] = {
    {"ping", cmd_ping, "ping one target, ping(8)-style lines and a summary"},
    {"multiping", cmd_multiping, "ping many targets at once, a table in input order"},
    {"traceroute", cmd_traceroute, "the path to a target, every TTL probed at once"},
    {"capture", cmd_capture, "the ICMP and ICMPv6 packets on the wire, decoded"},
    {"exporter", cmd_exporter, "probe targets for ever, serve Prometheus metrics"},
    {"replay", cmd_replay, "play back a dashboard session that --record wrote"},
};

/* The command list of --help, from the table. */
static void list_commands(FILE *f)
{
	size_t i;

	fputs("Commands (sonar COMMAND --help for each):\n", f);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fputc('\n', f);
}

int main(int argc, char **argv)
{
	size_t i;

	/* the user's character set, so that a name in Unicode is looked up as
	 * IDNA; only LC_CTYPE: numbers keep their '.' in JSON and CSV */
	setlocale(LC_CTYPE, "");
	/* Into a file or a pipe, results leave in 64 KiB writes, not 4 KiB
	 * (100,000 hosts of JSON: 8,000 writes fewer); a writer that follows
	 * events as they happen flushes each one itself. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (i = 0; argc >= 2 && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return cmd_dash(argc, argv, list_commands);
}
