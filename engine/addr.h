/*
 * addr.h - socket addresses: parsing, name resolution, text, comparison.
 */
#ifndef SONAR_ADDR_H
#define SONAR_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 socket address: 32 bytes, not sockaddr_storage's 132,
 * since every target holds two. ss.ss_family aliases both families'. */
struct addr {
	union {
		sa_family_t ss_family;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} ss;
	socklen_t len; /* 0: no address */
};

/* 4 or 6 for a filled address, 0 for none. */
int addr_family(const struct addr *a);
/* Pointer to the 4 or 16 address bytes. */
const unsigned char *addr_bytes(const struct addr *a);
/*
 * Resolve s (an address, or a name when allow_names) with icmplib's family
 * rule; fill *out with the first result. 0, SONAR_ENAMELOOKUP or SONAR_EINVAL
 * (sonar_last_error() set).
 */
int addr_lookup(const char *s, int family, bool allow_names, struct addr *out);
/* Set *out from a sockaddr of family AF_INET or AF_INET6. */
void addr_from_sockaddr(struct addr *out, const struct sockaddr *sa, socklen_t len);
/* Set *out from family (4/6) and raw bytes, with scope for IPv6. */
void addr_from_bytes(struct addr *out, int family, const unsigned char *bytes, unsigned scope);
/* Text form, IPv6 zone included ("fe80::1%eth0"). */
void addr_to_string(const struct addr *a, char *buf, size_t cap);
/* Same host? Compares bytes, and IPv6 scope when both carry one. */
bool addr_equal(const struct addr *a, const struct addr *b);
/* Set the port (network order inside; ICMP ignores it). */
void addr_set_port(struct addr *a, unsigned short port);
/* The port addr_set_port() set, host order; 0 none. */
unsigned short addr_port(const struct addr *a);
/* Is the address a loopback address? */
bool addr_is_loopback(const struct addr *a);

#endif
