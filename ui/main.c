/*
 * main.c - the sonar program: dispatch to a subcommand.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_ping(int argc, char **argv);
int cmd_multiping(int argc, char **argv);
int cmd_traceroute(int argc, char **argv);
int cmd_dash(int argc, char **argv);
int cmd_capture(int argc, char **argv);

int main(int argc, char **argv)
{
	/* the user's character set, so that a name in Unicode is looked up as
	 * IDNA; only LC_CTYPE: numbers keep their '.' in JSON and CSV */
	setlocale(LC_CTYPE, "");
	if (argc >= 2 && strcmp(argv[1], "ping") == 0)
		return cmd_ping(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "multiping") == 0)
		return cmd_multiping(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "traceroute") == 0)
		return cmd_traceroute(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "capture") == 0)
		return cmd_capture(argc - 1, argv + 1);
	/* anything else is the dashboard's: sonar [OPTIONS] [TARGET...] */
	return cmd_dash(argc, argv);
}
