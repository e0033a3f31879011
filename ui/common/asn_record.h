/*
 * asn_record.h - the pure part of AS lookups: the DNS names to ask in Team
 * Cymru's format, which addresses no AS announces, and the TXT records'
 * parsers (untrusted input, checked). No sockets, no c-ares.
 */
#ifndef SONAR_ASN_RECORD_H
#define SONAR_ASN_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sonar.h"

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

#endif
