/*
 * discover.c - default targets from the routing tables and resolv.conf.
 */
#include "config.h"
#include "discover.h"

#include <stdio.h>
#include <string.h>

#include "sonar.h"

const struct discover_paths discover_system = {
    "/proc/net/route",
    "/proc/net/ipv6_route",
    "/etc/resolv.conf",
};

/* IPv4 default gateways: destination 0, the gateway flag (2) set. */
static int ipv4_gateways(const char *path, struct target_list *l)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int rc = 0;

	while (f && rc == 0 && fgets(line, sizeof(line), f)) {
		char ifname[64], a[32];
		unsigned dst, gw, flags;

		if (sscanf(line, "%63s %x %x %x", ifname, &dst, &gw, &flags) != 4 || dst != 0 ||
		    gw == 0 || !(flags & 2))
			continue;
		snprintf(a, sizeof(a), "%u.%u.%u.%u", gw & 255, gw >> 8 & 255, gw >> 16 & 255,
		         gw >> 24);
		rc = targets_add(l, a);
	}
	if (f)
		fclose(f);
	return rc;
}

/* IPv6 default routes (::/0) with a next hop that is not link-local. */
static int ipv6_gateways(const char *path, struct target_list *l)
{
	static const char zero[] = "00000000000000000000000000000000";
	FILE *f = fopen(path, "r");
	char line[512];
	int rc = 0;

	while (f && rc == 0 && fgets(line, sizeof(line), f)) {
		char dst[40], plen[8], src[40], splen[8], nh[40], a[64];
		int i, o = 0;

		if (sscanf(line, "%39s %7s %39s %7s %39s", dst, plen, src, splen, nh) != 5 ||
		    strcmp(dst, zero) != 0 || strcmp(plen, "00") != 0 || strcmp(nh, zero) == 0 ||
		    strlen(nh) != 32)
			continue;
		for (i = 0; i < 32; i += 4)
			o += snprintf(a + o, sizeof(a) - (size_t)o, "%s%.4s", i ? ":" : "", nh + i);
		/* link-local next hops need the interface; skip them */
		if (strncmp(a, "fe80", 4) != 0)
			rc = targets_add(l, a);
	}
	if (f)
		fclose(f);
	return rc;
}

/* The nameservers that are addresses. */
static int nameservers(const char *path, struct target_list *l)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int rc = 0;

	while (f && rc == 0 && fgets(line, sizeof(line), f)) {
		char ns[80];

		if (sscanf(line, " nameserver %79s", ns) == 1 &&
		    (sonar_is_ipv4_address(ns) || sonar_is_ipv6_address(ns)))
			rc = targets_add(l, ns);
	}
	if (f)
		fclose(f);
	return rc;
}

int discover_targets(const struct discover_paths *p, struct target_list *l)
{
	if (targets_add(l, "127.0.0.1") < 0 || targets_add(l, "::1") < 0 ||
	    ipv4_gateways(p->route, l) < 0 || ipv6_gateways(p->ipv6_route, l) < 0 ||
	    nameservers(p->resolv, l) < 0)
		return -1;
	return 0;
}
