/*
 * discover.h - the targets of a first run with none given: loopback, the
 * default gateways and the nameservers, read from files whose paths are
 * parameters (so tests read fixtures instead of this host's).
 */
#ifndef SONAR_DASH_DISCOVER_H
#define SONAR_DASH_DISCOVER_H

#include "targets.h"

/* Where the kernel and the resolver say it. */
struct discover_paths {
	const char *route;      /* /proc/net/route */
	const char *ipv6_route; /* /proc/net/ipv6_route */
	const char *resolv;     /* /etc/resolv.conf */
};

/* This host's files. */
extern const struct discover_paths discover_system;

/*
 * Append 127.0.0.1, ::1, the IPv4 and IPv6 default gateways (not link-local
 * ones: they need an interface) and the nameservers to l. A missing file
 * adds nothing. 0, or -1 out of memory.
 */
int discover_targets(const struct discover_paths *p, struct target_list *l);

#endif
