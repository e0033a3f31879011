/*
 * tracer.h - the path view's traceroute: started on the selected row's
 * address (Enter), following the dashboard's pause and interval, stopped
 * on Esc or at exit. Its events feed the path model (path.c).
 */
#ifndef SONAR_DASH_TRACER_H
#define SONAR_DASH_TRACER_H

#include "state.h"

/* Enter: open the path view on the selected row (an mtr-style traceroute). */
void tracer_open(struct dash *d);
/* Esc: stop the traceroute, free the path and go back to the table. */
void tracer_close(struct dash *d);
/* After p, + or -: the traceroute takes the dashboard's pause and interval. */
void tracer_follow(struct dash *d);

#endif
