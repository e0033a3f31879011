/*
 * fuzz_asn.c - libFuzzer: the AS lookups' TXT parsers on any bytes, as a
 * DNS server could send them. The first byte picks an address the origin's
 * prefix is weighed against and the AS the name record must be of; the rest
 * is the record. The address is also turned into its query name.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const addresses[] = {
	    "1.1.1.1", "2606:4700:4700::1111", "192.0.2.1", "::ffff:10.0.0.1", "fe80::1%eth0", ""};
	static const uint32_t ases[] = {13335, 64500, 1, 4294967295u};
	struct asn_origin o;
	struct asn_info info;
	char name[ASN_NAME_MAX], qname[ASN_QNAME_MAX], tag[96];
	const char *address;
	uint32_t as;

	if (size == 0)
		return 0;
	address = addresses[data[0] % (sizeof(addresses) / sizeof(addresses[0]))];
	as = ases[(data[0] >> 4) % (sizeof(ases) / sizeof(ases[0]))];
	data++;
	size--;
	if (asn_parse_origin((const char *)data, size, &o) == 0) {
		if (o.count < 1 || o.count > ASN_LIST_MAX || o.as[0] == 0)
			abort(); /* a record accepted must make sense */
		asn_prefix_holds(&o, address);
		memset(&info, 0, sizeof(info));
		memcpy(info.as, o.as, sizeof(info.as));
		info.count = o.count;
		if (asn_parse_name((const char *)data, size, o.as[0], info.name,
		                   sizeof(info.name)) == 0)
			asn_tag(&info, true, tag, sizeof(tag));
	}
	if (asn_parse_name((const char *)data, size, as, name, sizeof(name)) == 0 &&
	    (name[0] == '\0' || strlen(name) >= sizeof(name)))
		abort(); /* a name accepted is not empty and fits */
	asn_origin_qname(address, qname, sizeof(qname));
	asn_special(address);
	return 0;
}
