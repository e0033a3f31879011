/*
 * probes.h - the exporter's targets on the engine: one continuous multiping
 * per protocol and port (an operation's options are its own), each
 * target's series counted from the engine's events, and the target list
 * replaced by a new one (a reload) keeping the series of every target that
 * stays.
 *
 * Invariant: a target is in the table (probes.t) exactly while it is an
 * engine target: group g's slot index holds it, and nothing else does.
 * The table owns the targets; groups' slots only point at them. A target
 * is known by what was written (its spec): "host", "tcp://host:443".
 */
#ifndef SONAR_PROBES_H
#define SONAR_PROBES_H

#include <stdbool.h>
#include <stddef.h>

#include "metrics.h"
#include "sonar.h"
#include "targets.h"

/* One target probed. */
struct probe_target {
	char *spec;                /* as written, the key of a reload */
	char ip[SONAR_ADDRSTRLEN]; /* the address probed (resolved once) */
	int protocol;              /* SONAR_PROTO_* */
	int port;                  /* UDP, TCP; 0 ICMP */
	size_t group;              /* index in probes.g */
	size_t slot;               /* its index in the group's operation */
	bool keep;                 /* reload: in the new list */
	struct metrics_series s;   /* its counters */
};

/* One engine operation: the targets of one protocol and port. */
struct probe_group {
	int protocol;
	int port;
	int op;                      /* the engine's handle */
	struct probe_target **slots; /* by engine index; NULL: removed */
	size_t nslots;
};

struct probes {
	struct sonar_engine *e;
	struct sonar_options o; /* every operation's, but protocol and port */
	struct metrics_buckets buckets;
	struct probe_target **t; /* owned, in list order */
	size_t n;
	struct probe_group *g;
	size_t ng;
};

/*
 * Make want the targets (the engine resolves nothing: names are resolved
 * here, blocking): targets in both keep their series, new ones start, the
 * others stop. A target that cannot be probed (a name that does not
 * resolve, an engine refusal) is left out with a line on stderr, and
 * counted in *skipped. 0; or -1 out of memory, with why in err (nothing
 * changed).
 */
int probes_set(struct probes *p, const struct target_list *want, size_t *skipped, char *err,
               size_t errcap);
/* Stop every target and free the table (the engine stays the caller's). */
void probes_free(struct probes *p);

#endif
