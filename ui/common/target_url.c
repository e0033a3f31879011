/*
 * target_url.c - targets written tcp://HOST:PORT and udp://HOST:PORT.
 */
#include "config.h"
#include "target_url.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sonar.h"

/* Read the port of p (after its ':') into *port. 0, or -1 with why. */
static int parse_port(const char *p, int *port, char *err, size_t errcap)
{
	long v = 0;
	const char *q;

	if (!*p) {
		snprintf(err, errcap, "no port after ':' (a port is 1-65535)");
		return -1;
	}
	for (q = p; *q; q++) {
		if (*q < '0' || *q > '9') {
			snprintf(err, errcap, "port '%.20s' is not a number (a port is 1-65535)",
			         p);
			return -1;
		}
		if (v <= 65535)
			v = v * 10 + (*q - '0');
	}
	if (v < 1 || v > 65535) {
		snprintf(err, errcap, "port %.20s is out of range (a port is 1-65535)", p);
		return -1;
	}
	*port = (int)v;
	return 0;
}

/* The scheme before "://" (len bytes of s) into u. 0, or -1 with why. */
static int parse_scheme(const char *s, size_t len, struct target_url *u, char *err, size_t errcap)
{
	if (len == 3 && strncasecmp(s, "tcp", 3) == 0) {
		u->protocol = SONAR_PROTO_TCP;
		u->port = TARGET_URL_TCP_PORT;
	} else if (len == 3 && strncasecmp(s, "udp", 3) == 0) {
		u->protocol = SONAR_PROTO_UDP;
		u->port = TARGET_URL_UDP_PORT;
	} else if (len == 0) {
		snprintf(err, errcap,
		         "no scheme before '://' (tcp:// or udp://; a plain host is ICMP)");
		return -1;
	} else {
		snprintf(err, errcap,
		         "unknown scheme '%.*s' (tcp:// or udp://; a plain host is ICMP)",
		         len > 20 ? 20 : (int)len, s);
		return -1;
	}
	return 0;
}

int target_url_parse(const char *s, struct target_url *u, char *err, size_t errcap)
{
	const char *sep = strstr(s, "://"), *host, *p;
	size_t hlen;
	bool bracket;

	memset(u, 0, sizeof(*u));
	u->protocol = SONAR_PROTO_ICMP;
	if (strlen(s) > TARGET_MAX) {
		snprintf(err, errcap, "too long for a target (at most %d characters)", TARGET_MAX);
		return -1;
	}
	if (!sep) { /* a plain host */
		snprintf(u->host, sizeof(u->host), "%s", s);
		return 0;
	}
	if (parse_scheme(s, (size_t)(sep - s), u, err, errcap) < 0)
		return -1;
	host = sep + 3;
	bracket = *host == '[';
	if (bracket) {
		const char *close = strchr(++host, ']');

		if (!close) {
			snprintf(err, errcap,
			         "'[' without its ']' (an IPv6 address: [2001:db8::1])");
			return -1;
		}
		hlen = (size_t)(close - host);
		p = close + 1;
	} else {
		hlen = strcspn(host, ":");
		p = host + hlen;
		if (*p == ':' && strchr(p + 1, ':')) {
			snprintf(err, errcap,
			         "an IPv6 address goes in brackets: %.3s://[ADDRESS]:PORT", s);
			return -1;
		}
	}
	if (hlen == 0) {
		snprintf(err, errcap, "no host after '%.3s://'", s);
		return -1;
	}
	memcpy(u->host, host, hlen);
	u->host[hlen] = '\0';
	if (bracket && !sonar_is_ipv6_address(u->host)) {
		snprintf(err, errcap, "'%.80s' in brackets is not an IPv6 address", u->host);
		return -1;
	}
	if (!bracket && !sonar_is_hostname(u->host) && !sonar_is_ipv4_address(u->host)) {
		snprintf(err, errcap, "'%.80s' is not a host name or an address", u->host);
		return -1;
	}
	if (*p == '\0')
		return 0; /* the scheme's port */
	if (*p != ':') {
		snprintf(err, errcap, "'%.20s' after the address: only ':PORT' may follow ']'", p);
		return -1;
	}
	return parse_port(p + 1, &u->port, err, errcap);
}

int target_url_check(const char *s, char *err, size_t errcap)
{
	struct target_url u;

	return target_url_parse(s, &u, err, errcap);
}

const char *target_url_protocol_name(int protocol)
{
	switch (protocol) {
	case SONAR_PROTO_UDP:
		return "UDP";
	case SONAR_PROTO_TCP:
		return "TCP";
	default:
		return "ICMP";
	}
}
