/*
 * dash.h - the dashboard: `sonar [OPTIONS] [TARGET...]`.
 */
#ifndef SONAR_DASH_H
#define SONAR_DASH_H

#include <stdio.h>

/*
 * Run the dashboard with argv (argv[0] the program); commands prints the
 * program's command list in --help. Returns the exit code.
 */
int cmd_dash(int argc, char **argv, void (*commands)(FILE *f));
/* sonar replay FILE: a --record file played back into the dashboard. */
int cmd_replay(int argc, char **argv);

#endif
