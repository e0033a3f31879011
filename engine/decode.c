/*
 * decode.c - sonar_decode(): whole IP packets, as a capture sees them,
 * through the engine's codec.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "codec.h"
#include "error.h"
#include "sonar.h"

/* Read a big-endian 16-bit value. */
static size_t be16(const uint8_t *p)
{
	return (size_t)(p[0] << 8 | p[1]);
}

/* The name of an ICMP (family 4) or ICMPv6 type. */
static const char *type_name(int family, int type)
{
	if (family == 6) {
		switch (type) {
		case 1:
			return "destination unreachable";
		case 2:
			return "packet too big";
		case 3:
			return "time exceeded";
		case 4:
			return "parameter problem";
		case 128:
			return "echo request";
		case 129:
			return "echo reply";
		case 133:
			return "router solicitation";
		case 134:
			return "router advertisement";
		case 135:
			return "neighbor solicitation";
		case 136:
			return "neighbor advertisement";
		case 137:
			return "redirect";
		default:
			return "other";
		}
	}
	switch (type) {
	case 0:
		return "echo reply";
	case 3:
		return "destination unreachable";
	case 4:
		return "source quench";
	case 5:
		return "redirect";
	case 8:
		return "echo request";
	case 11:
		return "time exceeded";
	case 12:
		return "parameter problem";
	case 13:
		return "timestamp";
	case 14:
		return "timestamp reply";
	default:
		return "other";
	}
}

/* Text of an address from raw bytes. */
static void bytes_text(int family, const uint8_t *b, char *buf, size_t cap)
{
	struct addr a;

	addr_from_bytes(&a, family, b, 0);
	addr_to_string(&a, buf, cap);
}

int sonar_decode(const uint8_t *buf, size_t len, struct sonar_packet *out)
{
	struct codec_packet pkt;
	size_t off = 0, iplen;
	int family, r;

	memset(out, 0, sizeof(*out));
	out->id = out->seq = -1;
	out->name = "";
	if (!buf || len < 1)
		return error_set(SONAR_EINVAL, "Not an IP packet: empty");
	family = buf[0] >> 4;
	if (family == 4) {
		if (len < IPV4_HEADER_MIN || buf[9] != 1)
			return error_set(SONAR_EINVAL, "Not an ICMP packet");
		/* a fragment after the first carries data, no ICMP header (as
		 * codec_ipv6_icmp() refuses them for IPv6) */
		if (be16(buf + 6) & 0x1fff)
			return error_set(SONAR_EINVAL,
			                 "A fragment after the first: no ICMP header");
		iplen = be16(buf + 2);
		bytes_text(4, buf + 12, out->src, sizeof(out->src));
		bytes_text(4, buf + 16, out->dst, sizeof(out->dst));
		out->ttl = buf[8];
		r = codec_parse(4, true, buf, len, &pkt);
	} else if (family == 6) {
		if (len < IPV6_HEADER_LEN)
			return error_set(SONAR_EINVAL, "Not an IPv6 packet: %zu bytes", len);
		iplen = IPV6_HEADER_LEN + be16(buf + 4);
		bytes_text(6, buf + 8, out->src, sizeof(out->src));
		bytes_text(6, buf + 24, out->dst, sizeof(out->dst));
		out->ttl = buf[7];
		if (codec_ipv6_icmp(buf, len, &off) < 0)
			return error_set(SONAR_EINVAL, "Not an ICMPv6 packet");
		r = codec_parse(6, false, buf + off, len - off, &pkt);
	} else {
		return error_set(SONAR_EINVAL, "Not an IP packet: version %d", family);
	}
	if (r < 0)
		return error_set(SONAR_EINVAL, "ICMP header cut short");
	out->family = family;
	out->length = iplen;
	out->truncated = len < iplen;
	out->type = pkt.type;
	out->code = pkt.code;
	out->name = type_name(family, pkt.type);
	if (pkt.kind == CODEC_ECHO_REPLY || pkt.kind == CODEC_ECHO_REQUEST) {
		out->id = pkt.id;
		out->seq = pkt.seq;
	} else if (pkt.kind == CODEC_ERROR) {
		if (pkt.quoted_proto != PROTO_TCP) { /* a SYN's are no echo's */
			out->id = pkt.id;
			out->seq = pkt.seq;
		}
		bytes_text(pkt.quoted_family, pkt.quoted_dst, out->quoted_dst,
		           sizeof(out->quoted_dst));
		error_icmp(family, pkt.type, pkt.code, out->detail, sizeof(out->detail));
	} else if (pkt.type == (family == 6 ? 1 : 3) || pkt.type == (family == 6 ? 3 : 11)) {
		/* an error quoting something other than an echo */
		error_icmp(family, pkt.type, pkt.code, out->detail, sizeof(out->detail));
	}
	return 0;
}
