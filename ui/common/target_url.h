/*
 * target_url.h - a target as the dashboard takes it: a plain HOST (ICMP),
 * or tcp://HOST[:PORT] and udp://HOST[:PORT] (an IPv6 address in brackets:
 * tcp://[2001:db8::1]:443). Pure: no resolving, no I/O.
 */
#ifndef SONAR_TARGET_URL_H
#define SONAR_TARGET_URL_H

#include <stddef.h>

#include "targets.h"

#define TARGET_URL_TCP_PORT 80    /* tcp://HOST */
#define TARGET_URL_UDP_PORT 33434 /* udp://HOST (traceroute's first port) */

/* What a target probes. */
struct target_url {
	int protocol;              /* SONAR_PROTO_ICMP, _UDP or _TCP */
	int port;                  /* UDP, TCP: 1-65535; ICMP: 0 */
	char host[TARGET_MAX + 1]; /* a name or an address, without brackets */
};

/*
 * Read target s as written. Without "://" it is a plain host: ICMP, taken
 * as it is (its callers check it as before). With it, the whole is checked:
 * the scheme (tcp or udp, in any case), the host (a host name, an IPv4
 * address, or an IPv6 address in brackets), the port (1-65535, digits
 * only; the scheme's default when there is none) and nothing after it.
 * 0; or -1 with why, one line, in err.
 */
int target_url_parse(const char *s, struct target_url *u, char *err, size_t errcap);
/* target_url_parse() as a targets file's check (struct target_list). */
int target_url_check(const char *s, char *err, size_t errcap);
/* "ICMP", "UDP" or "TCP". */
const char *target_url_protocol_name(int protocol);

#endif
