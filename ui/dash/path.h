/*
 * path.h - the path view's model: one row per TTL of a continuous
 * traceroute, with every responder seen at that TTL (several when the path
 * balances load), the flows that met each (Paris flows: one path each, so
 * a hop where ECMP parts them shows one responder per branch with its
 * flows) and the MPLS label stack each reported last (RFC 4950).
 * Pure data, fed with the engine's events.
 */
#ifndef SONAR_PATH_H
#define SONAR_PATH_H

#include <stdbool.h>

#include "model.h"

#define PATH_TTLS  256
#define PATH_FLOWS 16         /* flows a path view may probe at once (F) */
#define RESPONDERS PATH_FLOWS /* one a flow, when ECMP parts them all */

struct hop {
	struct row r; /* sent, received, lost, stats, history, error */
	struct {
		char address[SONAR_ADDRSTRLEN];
		uint64_t count;
		uint32_t flows; /* bit k: flow k met it */
		int mpls_count; /* the label stack of its latest answer carrying one */
		struct sonar_mpls mpls[SONAR_MPLS_MAX];
	} resp[RESPONDERS];
	int nresp;
};

struct path {
	char target[TARGET_MAX + 1]; /* the row's host (its URL's) */
	char address[SONAR_ADDRSTRLEN];
	int protocol;     /* SONAR_PROTO_* of the trace (t, u, i switch it) */
	int port;         /* UDP, TCP: its destination port; ICMP 0 */
	int row_protocol; /* the row's, and its port: where t or u return */
	int row_port;
	int op;                  /* flow 0's traceroute (the engine's), 0 when none */
	int nflows;              /* flows probed (1 to PATH_FLOWS); flow k's traceroute: */
	int flow_op[PATH_FLOWS]; /* flow_op[0] == op; 0 when none */
	int first_hop;           /* TTL of hops[0] */
	int dest_ttl;            /* where the end is: the farthest of the flows' ends; 0 not yet */
	int flow_dest[PATH_FLOWS]; /* each flow's lowest TTL that reached the end, 0 none */
	int last_ttl;              /* the highest TTL that answered; 0 none */
	struct hop hops[PATH_TTLS];
};

/* Start an empty path to target (address) from first_hop. */
void path_init(struct path *p, const char *target, const char *address, int first_hop);
/* Take one event of the path's traceroute (of flow 0; of flow k). */
void path_event(struct path *p, const struct sonar_event *ev);
void path_flow_event(struct path *p, int flow, const struct sonar_event *ev);
/*
 * The flows of mask as text, runs shortened, counted from 0 as traceroute
 * --flows counts them ("0,2-4");
 * returns out.
 */
char *path_flows_text(uint32_t mask, char *out, size_t cap);
/* The hop of TTL ttl, or NULL outside the path. */
struct hop *path_hop(struct path *p, int ttl);
/* TTLs to show: first_hop to this (0: none yet). */
int path_shown(const struct path *p);
/*
 * Probably rate-limiting ICMP rather than losing traffic: this hop lost
 * some probes (and answered others) while a hop after it (that has answered
 * at least 3) lost none.
 */
bool path_rate_limited(const struct path *p, int ttl);
/*
 * Silent: this hop never answered (at least 3 probes lost) while a hop
 * after it answered every probe: a router that sends no Time Exceeded
 * (filtered, or configured so), not one losing traffic or rate-limiting.
 */
bool path_silent(const struct path *p, int ttl);
/* Forget what every hop has seen. */
void path_reset(struct path *p);
/* The interval changes now: each hop's chart times hold from here on
 * (model_mark_interval()'s, for the hops). */
void path_mark_interval(struct path *p);

#endif
