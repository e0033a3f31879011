/*
 * addr.c - address helpers and icmplib's resolve().
 */
#include "config.h"
#include "addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "sonar.h"

int addr_family(const struct addr *a)
{
	if (a->len == 0)
		return 0;
	return a->ss.ss_family == AF_INET6 ? 6 : 4;
}

const unsigned char *addr_bytes(const struct addr *a)
{
	if (a->ss.ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)&a->ss)->sin6_addr.s6_addr;
	return (const unsigned char *)&((const struct sockaddr_in *)&a->ss)->sin_addr;
}

void addr_from_sockaddr(struct addr *out, const struct sockaddr *sa, socklen_t len)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		memcpy(&out->ss, sa, sizeof(struct sockaddr_in));
		out->len = sizeof(struct sockaddr_in);
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		memcpy(&out->ss, sa, sizeof(struct sockaddr_in6));
		out->len = sizeof(struct sockaddr_in6);
	}
	/* ICMP has no ports; a stray one would break comparisons. */
	if (out->len)
		((struct sockaddr_in *)&out->ss)->sin_port = 0;
}

void addr_from_bytes(struct addr *out, int family, const unsigned char *bytes, unsigned scope)
{
	memset(out, 0, sizeof(*out));
	if (family == 6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, bytes, 16);
		s6->sin6_scope_id = scope;
		out->len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&out->ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, bytes, 4);
		out->len = sizeof(*s4);
	}
}

void addr_to_string(const struct addr *a, char *buf, size_t cap)
{
	char tmp[INET6_ADDRSTRLEN];

	if (cap == 0)
		return;
	buf[0] = '\0';
	if (a->len == 0)
		return;
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&a->ss;
		char ifname[IF_NAMESIZE];

		inet_ntop(AF_INET6, &s6->sin6_addr, tmp, sizeof(tmp));
		if (s6->sin6_scope_id && if_indextoname(s6->sin6_scope_id, ifname))
			snprintf(buf, cap, "%s%%%s", tmp, ifname);
		else if (s6->sin6_scope_id)
			snprintf(buf, cap, "%s%%%u", tmp, s6->sin6_scope_id);
		else
			snprintf(buf, cap, "%s", tmp);
	} else {
		inet_ntop(AF_INET, addr_bytes(a), tmp, sizeof(tmp));
		snprintf(buf, cap, "%s", tmp);
	}
}

bool addr_equal(const struct addr *a, const struct addr *b)
{
	if (a->ss.ss_family != b->ss.ss_family || a->len == 0 || b->len == 0)
		return false;
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)&a->ss;
		const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)&b->ss;

		if (x->sin6_scope_id && y->sin6_scope_id && x->sin6_scope_id != y->sin6_scope_id)
			return false;
		return memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
	}
	return memcmp(addr_bytes(a), addr_bytes(b), 4) == 0;
}

void addr_set_port(struct addr *a, unsigned short port)
{
	if (a->ss.ss_family == AF_INET6)
		a->ss.in6.sin6_port = htons(port);
	else
		a->ss.in.sin_port = htons(port);
}

unsigned short addr_port(const struct addr *a)
{
	if (a->ss.ss_family == AF_INET6)
		return ntohs(a->ss.in6.sin6_port);
	return ntohs(a->ss.in.sin_port);
}

bool addr_is_loopback(const struct addr *a)
{
	if (a->ss.ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)&a->ss)->sin6_addr);
	return a->len && addr_bytes(a)[0] == 127;
}

/* A name as error messages quote it: long ones cut, so the verdict after
 * them still fits a message. */
static const char *quoted(const char *s, char *buf, size_t cap)
{
	if (strlen(s) <= 80)
		return s;
	snprintf(buf, cap, "%.72s...(%zu characters)", s, strlen(s));
	return buf;
}

/* One getaddrinfo() call for one family; results appended to out[]. */
static int gai_family(const char *s, int af, bool numeric, struct addr *out, size_t max, size_t *n)
{
	struct addrinfo hints, *res, *ai;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = af;
	hints.ai_socktype = SOCK_DGRAM; /* one entry per address */
	/* names in Unicode (bücher.de) go to DNS as IDNA, as icmplib's
	 * getaddrinfo() sends them */
	hints.ai_flags = numeric ? AI_NUMERICHOST : AI_IDN;
	r = getaddrinfo(s, NULL, &hints, &res);
	if (r != 0)
		return -1;
	for (ai = res; ai && *n < max; ai = ai->ai_next) {
		struct addr a;
		size_t i;
		bool seen = false;

		addr_from_sockaddr(&a, ai->ai_addr, ai->ai_addrlen);
		if (a.len == 0)
			continue;
		for (i = 0; i < *n; i++)
			seen = seen || addr_equal(&out[i], &a);
		if (!seen)
			out[(*n)++] = a;
	}
	freeaddrinfo(res);
	return 0;
}

/* Resolve with icmplib's rule: family 6 only IPv6; else IPv4, then IPv6 if
 * family is 0. Returns how many addresses were written. */
static int resolve_all(const char *s, int family, bool numeric, struct addr *out, size_t max)
{
	size_t n = 0;

	if (family == 6) {
		gai_family(s, AF_INET6, numeric, out, max, &n);
	} else {
		gai_family(s, AF_INET, numeric, out, max, &n);
		if (n == 0 && family == 0)
			gai_family(s, AF_INET6, numeric, out, max, &n);
	}
	return (int)n;
}

/*
 * Could a resolver take s as a name? No spaces or control characters, at
 * most 253 bytes (plus the root's dot): '_' and the like are the
 * resolver's to judge (/etc/hosts, systemd's _gateway), and names in
 * Unicode are IDNA-encoded on the way (AI_IDN), as in icmplib; only what
 * no resolver could take is refused without asking.
 */
static bool askable(const char *s)
{
	size_t len = strlen(s);

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s == 0x7f)
			return false;
	return true;
}

int addr_lookup(const char *s, int family, bool allow_names, struct addr *out)
{
	char q[128];

	if (!s || !*s)
		return error_set(SONAR_EINVAL, "Invalid address: the address is empty");
	if (family != 0 && family != 4 && family != 6)
		return error_set(SONAR_EINVAL, "Invalid family: %d (expected 4 or 6)", family);
	if (sonar_is_ipv4_address(s) || sonar_is_ipv6_address(s)) {
		int f = strchr(s, ':') ? 6 : 4;
		unsigned char bytes[16];

		if (family && family != f)
			return error_set(SONAR_ENAMELOOKUP,
			                 "The name '%s' cannot be resolved for IPv%d",
			                 quoted(s, q, sizeof(q)), family);
		/* Plain addresses straight from inet_pton: getaddrinfo() costs
		 * far more, which 10,000 targets notice. Zones need its help. */
		if (!strchr(s, '%') && inet_pton(f == 6 ? AF_INET6 : AF_INET, s, bytes) == 1) {
			addr_from_bytes(out, f, bytes, 0);
			return 0;
		}
		if (resolve_all(s, f, true, out, 1) == 1)
			return 0;
		return error_set(SONAR_ENAMELOOKUP, "The name '%s' cannot be resolved",
		                 quoted(s, q, sizeof(q)));
	}
	if (!allow_names || !askable(s))
		return error_set(SONAR_ENAMELOOKUP, "The name '%s' cannot be resolved",
		                 quoted(s, q, sizeof(q)));
	if (resolve_all(s, family, false, out, 1) == 1)
		return 0;
	return error_set(SONAR_ENAMELOOKUP, "The name '%s' cannot be resolved",
	                 quoted(s, q, sizeof(q)));
}

int sonar_resolve(const char *name, int family, char (*addresses)[SONAR_ADDRSTRLEN], size_t max)
{
	struct addr found[64];
	char q[128];
	size_t i;
	int n;

	if (!name || !*name)
		return error_set(SONAR_EINVAL, "Invalid name: the name is empty");
	if (family != 0 && family != 4 && family != 6)
		return error_set(SONAR_EINVAL, "Invalid family: %d (expected 4 or 6)", family);
	if (!askable(name))
		return error_set(SONAR_ENAMELOOKUP, "The name '%s' cannot be resolved",
		                 quoted(name, q, sizeof(q)));
	n = resolve_all(name, family, false, found, max < 64 ? max : 64);
	if (n <= 0)
		return error_set(SONAR_ENAMELOOKUP, "The name '%s' cannot be resolved",
		                 quoted(name, q, sizeof(q)));
	for (i = 0; i < (size_t)n; i++)
		addr_to_string(&found[i], addresses[i], SONAR_ADDRSTRLEN);
	return n;
}

bool sonar_is_ipv4_address(const char *s)
{
	struct in_addr a;

	/* inet_pton takes exactly four decimal parts of 0-255, no leading
	 * zeros: "999.1.1.1" and "1.2.3" are refused, unlike icmplib. */
	return s && inet_pton(AF_INET, s, &a) == 1;
}

bool sonar_is_ipv6_address(const char *s)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN + 1];
	const char *pct;
	size_t len;

	if (!s)
		return false;
	pct = strchr(s, '%');
	len = pct ? (size_t)(pct - s) : strlen(s);
	if (len == 0 || len >= sizeof(buf))
		return false;
	if (pct && (pct[1] == '\0' || strlen(pct + 1) >= IF_NAMESIZE))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, &a) == 1;
}

bool sonar_is_hostname(const char *s)
{
	size_t len, label = 0, i;
	bool all_numeric_label = true;

	if (!s)
		return false;
	len = strlen(s);
	if (len > 0 && s[len - 1] == '.')
		len--; /* a fully qualified name may end with the root's dot */
	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			all_numeric_label = true;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return false;
		if (c == '-' && label == 0)
			return false;
		if (!isdigit(c))
			all_numeric_label = false;
		if (++label > 63)
			return false;
	}
	if (label == 0 || s[len - 1] == '-')
		return false;
	/* The last label (the top-level domain) is never all digits, so that
	 * "999.1.1.1" is neither an address nor a host name. */
	return !all_numeric_label;
}
