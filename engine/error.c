/*
 * error.c - error codes, their names and icmplib's messages.
 *
 * The last message lives in thread-local storage, so concurrent threads each
 * see their own failure (as errno does).
 */
#include "config.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

#include "sonar.h"

static _Thread_local char last_error[512];

int error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return code;
}

const char *sonar_last_error(void)
{
	return last_error;
}

const char *sonar_strerror(int code)
{
	switch (code) {
	case SONAR_OK:
		return "Success";
	case SONAR_EINVAL:
		return "InvalidArgument";
	case SONAR_ENAMELOOKUP:
		return "NameLookupError";
	case SONAR_ESOCKET:
		return "ICMPSocketError";
	case SONAR_ESOCKADDR:
		return "SocketAddressError";
	case SONAR_EPERM:
		return "SocketPermissionError";
	case SONAR_EUNAVAILABLE:
		return "SocketUnavailableError";
	case SONAR_EBROADCAST:
		return "SocketBroadcastError";
	case SONAR_ETIMEOUT:
		return "TimeoutExceeded";
	case SONAR_EICMP:
		return "ICMPError";
	case SONAR_EUNREACH:
		return "DestinationUnreachable";
	case SONAR_ETIMEEXCEEDED:
		return "TimeExceeded";
	case SONAR_ENOMEM:
		return "OutOfMemory";
	default:
		return "UnknownError";
	}
}

/* ICMPv4 Destination Unreachable, codes 0-15 (RFC 792, 1122, 1812). */
static const char *const unreach4[] = {
    "Destination network unreachable",
    "Destination host unreachable",
    "Destination protocol unreachable",
    "Destination port unreachable",
    "Fragmentation needed and DF set",
    "Source route failed",
    "Destination network unknown",
    "Destination host unknown",
    "Source host isolated",
    "Destination network prohibited",
    "Destination host prohibited",
    "Destination network unreachable for ToS",
    "Destination host unreachable for ToS",
    "Packet filtered",
    "Precedence violation",
    "Precedence cutoff",
};

/* ICMPv6 Destination Unreachable, codes 0-6 (RFC 4443). */
static const char *const unreach6[] = {
    "No route to destination",
    "Communication with destination administratively prohibited",
    "Beyond scope of source address",
    "Address unreachable",
    "Port unreachable",
    "Source address failed ingress/egress policy",
    "Reject route to destination",
};

int error_icmp(int family, int type, int code, char *buf, size_t cap)
{
	int unreach = family == 6 ? 1 : 3;
	int exceeded = family == 6 ? 3 : 11;

	if (type == unreach) {
		const char *const *tab = family == 6 ? unreach6 : unreach4;
		int n = family == 6 ? 7 : 16;

		if (code >= 0 && code < n)
			snprintf(buf, cap, "%s", tab[code]);
		else
			snprintf(buf, cap, "Destination unreachable, bad code: %d", code);
		return SONAR_EUNREACH;
	}
	if (type == exceeded) {
		if (code == 0)
			snprintf(buf, cap, "%s",
			         family == 6 ? "Hop limit exceeded" : "Time to live exceeded");
		else if (code == 1)
			snprintf(buf, cap, "Fragment reassembly time exceeded");
		else
			snprintf(buf, cap, "Time exceeded, bad code: %d", code);
		return SONAR_ETIMEEXCEEDED;
	}
	snprintf(buf, cap, "Error type: %d, code: %d", type, code);
	return SONAR_EICMP;
}
