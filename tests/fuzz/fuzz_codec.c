/*
 * fuzz_codec.c - libFuzzer: the packet codec in every mode (raw IPv4 with
 * its header, datagram IPv4 and IPv6, quoted echoes and TCP headers, TCP
 * segments as a raw TCP socket reads them, whole IP packets as a capture
 * sees them). Any crash, overread or leak is a finding.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "sonar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Labels in range, no more than fit. */
static void check_labels(const struct codec_packet *p)
{
	int i;

	if (p->mpls_count < 0 || p->mpls_count > CODEC_MPLS_MAX)
		abort();
	for (i = 0; i < p->mpls_count; i++)
		if (p->mpls[i].label >= 1u << 20 || p->mpls[i].tc > 7 || p->mpls[i].s > 1)
			abort();
}

/* What any parse may say of MPLS labels: few, in range, only in errors. */
static void check_mpls(const struct codec_packet *p)
{
	check_labels(p);
	if (p->mpls_count > 0 && (p->kind != CODEC_ERROR || p->icmp_len < 8 + 128 + 8))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct codec_packet p;
	struct sonar_packet sp;
	struct codec_tcp t;
	size_t off;

	codec_parse(4, true, data, size, &p);
	check_mpls(&p);
	/* an error quoting TCP: its 8 bytes were there, and no payload */
	if (p.kind == CODEC_ERROR && p.quoted_proto == PROTO_TCP && p.payload_len != 0)
		abort();
	if (codec_parse_tcp(4, true, data, size, &t) == 0 &&
	    (size < IPV4_HEADER_MIN + TCP_HEADER_MIN || t.ttl < 0))
		abort();
	if (codec_parse_tcp(6, false, data, size, &t) == 0 && size < TCP_HEADER_MIN)
		abort();
	codec_ipv6_upper(data, size, PROTO_TCP, &off);
	codec_parse(4, false, data, size, &p);
	check_mpls(&p);
	codec_parse(6, false, data, size, &p);
	check_mpls(&p);
	memset(&p, 0, sizeof(p));
	codec_parse_quoted_echo(4, data, size, &p);
	codec_parse_quoted_echo(6, data, size, &p);
	/* an extension where the kernel's error queue says one starts: the
	 * labels in range, at most one an entry of 4 bytes after the 8 of the
	 * header and the object's */
	codec_parse_extension(data, size, false, &p);
	check_labels(&p);
	if (p.mpls_count > 0 && (size < 12 || (size_t)p.mpls_count > (size - 8) / 4))
		abort();
	codec_parse_extension(data, size, true, &p);
	check_labels(&p);
	codec_ipv6_icmp(data, size, &off);
	sonar_decode(data, size, &sp);
	return 0;
}
