/*
 * asn.h - the origin AS of an address and the AS's name, from DNS TXT
 * records in Team Cymru's format, through c-ares, cached, never waiting
 * past a deadline.
 */
#ifndef SONAR_ASN_H
#define SONAR_ASN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sonar.h"

#define ASN_LIST_MAX  8    /* origin ASes kept for one prefix (several: MOAS) */
#define ASN_NAME_MAX  128  /* an AS name with its NUL; longer ones are cut */
#define ASN_TXT_MAX   1024 /* the longest TXT record parsed; longer is garbage */
#define ASN_QNAME_MAX 96   /* a query name: 32 nibbles and the zone fit */

/* What is known of one address, for display. */
struct asn_info {
	uint32_t as[ASN_LIST_MAX]; /* origin ASes, in the order the record gave them */
	int count;                 /* 0: none (special address, no record, no answer) */
	char name[ASN_NAME_MAX];   /* as[0]'s name without the ", CC" country; "" unknown */
};

/* One parsed origin record: its ASes and its prefix. */
struct asn_origin {
	uint32_t as[ASN_LIST_MAX]; /* distinct, non-zero, in the record's order */
	int count;                 /* 1 to ASN_LIST_MAX */
	int family;                /* AF_INET or AF_INET6 of the prefix */
	uint8_t prefix[16];        /* the prefix's address (4 bytes for IPv4) */
	int prefix_len;            /* its length in bits */
};

/*
 * The origin query name of address: "<d>.<c>.<b>.<a>.origin.asn.cymru.com"
 * for IPv4 (and IPv4-mapped IPv6), "<32 nibbles, last first>.origin6.asn.
 * cymru.com" for IPv6. 0, or -1 when address is not a plain address (a
 * scoped fe80::1%eth0 neither) or out is too small.
 */
int asn_origin_qname(const char *address, char *out, size_t cap);
/* The name query of AS as: "AS<as>.asn.cymru.com". 0, or -1 when too small. */
int asn_name_qname(uint32_t as, char *out, size_t cap);
/*
 * Is address one that no AS announces (RFC 6890 special-purpose: private,
 * shared, loopback, link-local, documentation, benchmarking, multicast,
 * reserved, unique local)? Anything that does not parse is too.
 */
bool asn_special(const char *address);
/*
 * Parse an origin TXT record of len bytes ("64500 64501 | 192.0.2.0/24 |
 * ZZ | registry | date"): printable ASCII only, at most ASN_TXT_MAX bytes,
 * the ASes as decimal digits (1 to 4294967295; the first ASN_LIST_MAX
 * distinct ones are kept), a valid prefix. 0, or -1 for anything else.
 */
int asn_parse_origin(const char *txt, size_t len, struct asn_origin *out);
/* Does o's prefix hold address (same family)? */
bool asn_prefix_holds(const struct asn_origin *o, const char *address);
/*
 * Parse a name TXT record ("64500 | ZZ | registry | date | NAME, ZZ") for
 * AS as: the first field must be as; the name (all after the fourth "|",
 * trimmed, its ", CC" country dropped, printable ASCII) goes into name,
 * cut to cap - 1 bytes. 0, or -1 for anything else.
 */
int asn_parse_name(const char *txt, size_t len, uint32_t as, char *name, size_t cap);
/*
 * How a hop's AS shows in text: "AS64500 EXAMPLE-NET" (the name's first
 * word), "AS64500/AS64501 ..." for several, "AS64500" without a name (or
 * when with_name is false); "" for none. Returns out.
 */
char *asn_tag(const struct asn_info *info, bool with_name, char *out, size_t cap);

struct asn;

/*
 * Start looking up through the system's DNS servers (resolv.conf), or
 * server ("ADDRESS[:PORT]", "[IPv6]:PORT", comma-separated); asn_hops()
 * waits at most seconds (1 at least), and a query's try a third of that.
 * all: special addresses too (for a DNS of your own). NULL with the reason
 * in err and errno EINVAL (server is not valid), ENOMEM or EIO (c-ares).
 */
struct asn *asn_new(const char *server, bool all, double seconds, char *err, size_t errcap);
/*
 * What is known of address (into *info, zeroed when nothing yet); the
 * first call for an address asks the DNS (then its AS's name once the
 * origin is known). Never waits.
 */
void asn_lookup(struct asn *a, const char *address, struct asn_info *info);
/*
 * Let the lookups run until none is left, a stop is asked for (Ctrl-C), or
 * seconds have passed. Returns the addresses whose origin stayed without
 * an answer (the server failed or was too slow; not those without a
 * record), with the last reason in *why.
 */
int asn_wait(struct asn *a, double seconds, const char **why);
/* Stop; lookups still running are abandoned, never waited for. */
void asn_free(struct asn *a);

/*
 * For `traceroute --asn`: look up every hop's address, wait at most the
 * seconds of asn_new() (a warning on stderr for queries left unanswered),
 * and return infos[i] for hops[i] (calloc'd, the caller frees), or NULL
 * when out of memory.
 */
struct asn_info *asn_hops(struct asn *a, const struct sonar_host *hops, size_t n);

#endif
