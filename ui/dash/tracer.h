/*
 * tracer.h - the path view's traceroute: started on the selected row's
 * address with the row's protocol and port (Enter), following the
 * dashboard's pause and interval, switched to another protocol (t, u, i),
 * stopped on Esc or at exit. Its events feed the path model (path.c).
 */
#ifndef SONAR_DASH_TRACER_H
#define SONAR_DASH_TRACER_H

#include "state.h"

/* Enter: open the path view on the selected row (an mtr-style traceroute). */
void tracer_open(struct dash *d);
/* Esc: stop the traceroute, free the path and go back to the table. */
void tracer_close(struct dash *d);
/* A path view that probes nothing, for a replay to feed: d->path emptied
 * (or made) for target (address) from first_hop. 0, or -1 out of memory. */
int tracer_recorded(struct dash *d, const char *target, const char *address, int first_hop);
/* t, u, i: trace with another protocol (SONAR_PROTO_*): the row's port
 * when it is the row's protocol, else TCP 80, UDP 33434. */
void tracer_protocol(struct dash *d, int protocol);
/* F: probe twice as many flows (1, 2, 4 ... 16, then 1 again): a new trace. */
void tracer_flows(struct dash *d);
/* How many of the d->flows asked for a trace of protocol to port can probe
 * (1 to PATH_FLOWS: UDP ports up to 65535; TCP, and ICMP without raw
 * sockets, 1). */
int tracer_flows_fit(const struct dash *d, int protocol, int port);
/* After p, + or -: the traceroute takes the dashboard's pause and interval. */
void tracer_follow(struct dash *d);

#endif
