/*
 * loop.h - the subcommands' select() loop, signals, and event output.
 */
#ifndef SONAR_LOOP_H
#define SONAR_LOOP_H

#include <stdbool.h>
#include <stdio.h>

#include "sonar.h"

/* Catch Ctrl-C and TERM: the loop then stops its operation, results print. */
void loop_signals(void);
/*
 * Drive e until no operation is left; on a signal, stop op (its done
 * callback runs with what it has). 0, or EXIT_SYSTEM after a message.
 */
int loop_run(struct sonar_engine *e, int op);
/* Print one event as a JSON line with an ISO-8601 UTC time (microseconds). */
void stream_event(FILE *f, const struct sonar_event *ev);
/* Write s as a CSV field (quoted when it holds a comma, quote or newline). */
void csv_field(FILE *f, const char *s);
/* Can this process open raw ICMP sockets? */
bool raw_permitted(void);

#endif
