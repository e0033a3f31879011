/*
 * traces.h - the exporter's traced targets (--trace): one continuous
 * traceroute each (every TTL once an interval, as mtr), and per hop
 * counters from its events for sonar_hop_* series.
 *
 * Invariant: a trace's hops[k] counts the probes sent with TTL k and the
 * answers to them (a router's Time Exceeded, or the destination's reply
 * or error) by responder: the answers of all responders are at most the
 * probes (duplicates are not answers). The destination is at the
 * smallest TTL whose latest answer was its own (a route that changes
 * moves it, either way); hops beyond it are not written. Traces are set once at
 * start; a reload leaves them alone.
 */
#ifndef SONAR_TRACES_H
#define SONAR_TRACES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "sonar.h"

#define TRACES_MAX_TTL 30 /* the traceroute's max_hops */

#define TRACES_RESPONDERS 8 /* kept per TTL; the rest count as "other" */

/* One responder of a TTL. */
struct trace_answerer {
	char ip[SONAR_ADDRSTRLEN]; /* its address, or "other" */
	uint64_t received;         /* its answers */
	double last;               /* seconds, its latest answer's RTT */
};

/* One TTL of a trace: its probes, and each responder's answers to them
 * (in the order first seen; the last slot, once taken, is "other"). */
struct trace_hop {
	uint64_t sent;
	struct trace_answerer from[TRACES_RESPONDERS];
	int nfrom;
	bool dest; /* the latest answer was the destination's */
};

/* One traced target. */
struct trace {
	char *spec;                                /* as written */
	char ip[SONAR_ADDRSTRLEN];                 /* the destination */
	int protocol;                              /* SONAR_PROTO_* */
	int op;                                    /* the engine's traceroute */
	struct trace_hop hops[TRACES_MAX_TTL + 1]; /* by TTL; [0] unused */
};

struct traces {
	struct trace **v; /* owned */
	size_t n;
};

/*
 * Start tracing spec (a host, tcp:// or udp://; a plain host as o's
 * protocol says) with options o (count, interval and hops set here). 0, or
 * -1 after a line on stderr (not traced).
 */
int traces_add(struct traces *t, struct sonar_engine *e, const struct sonar_options *o,
               const char *spec);
/* The hops to write (the caller frees *out, one block with their
 * responders; labels point into t, valid until the next traces call): 0,
 * or -1 out of memory. */
int traces_hops(const struct traces *t, const char *source, struct metrics_hop **out, size_t *n);
/* Stop every trace and free them. */
void traces_free(struct traces *t, struct sonar_engine *e);

#endif
