/*
 * cmd.h - the subcommands: each takes its own argv (argv[0] is its name)
 * and returns the process's exit code.
 */
#ifndef SONAR_CMD_H
#define SONAR_CMD_H

int cmd_ping(int argc, char **argv);
int cmd_multiping(int argc, char **argv);
int cmd_traceroute(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_exporter(int argc, char **argv);

#endif
