/*
 * stop.h - the one way sonar is asked to stop: SIGINT, SIGTERM and SIGHUP
 * set a flag that every loop (the subcommands', the capture's, the
 * dashboard's) reads once a turn. The handler only sets the flag.
 */
#ifndef SONAR_STOP_H
#define SONAR_STOP_H

#include <stdbool.h>

/* Catch Ctrl-C, TERM and HUP from now on. */
void stop_catch(void);
/* Was a stop asked for? */
bool stop_requested(void);

#endif
