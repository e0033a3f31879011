/*
 * main.c - the sonar program: dispatch to a subcommand.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_ping(int argc, char **argv);
int cmd_multiping(int argc, char **argv);
int cmd_traceroute(int argc, char **argv);

/* Print the program's usage. */
static void usage(FILE *f)
{
	fputs("Usage: sonar COMMAND [OPTIONS] ...\n\n"
	      "Commands:\n"
	      "  ping [OPTIONS] TARGET          ping one host (sonar ping --help)\n"
	      "  multiping [OPTIONS] TARGET...  ping many hosts at once (-F FILE for a list)\n"
	      "  traceroute [OPTIONS] TARGET    the path to a host, every TTL at once\n\n"
	      "  -h, --help                this help\n"
	      "  -V, --version             sonar's version\n",
	      f);
}

int main(int argc, char **argv)
{
	/* stdout is fully buffered (10,000 results are a few writes); what is
	 * live (ping's reply lines, --stream) is flushed line by line. */

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "ping") == 0)
		return cmd_ping(argc - 1, argv + 1);
	if (strcmp(argv[1], "multiping") == 0)
		return cmd_multiping(argc - 1, argv + 1);
	if (strcmp(argv[1], "traceroute") == 0)
		return cmd_traceroute(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EXIT_ALIVE;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		cli_version();
		return EXIT_ALIVE;
	}
	cli_error("unknown command '%s' (see sonar --help)", argv[1]);
	return EXIT_USAGE;
}
