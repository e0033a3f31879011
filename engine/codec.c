/*
 * codec.c - build and parse ICMP/ICMPv6 echo and error messages.
 *
 * Invariant: every read is preceded by a length check against the bytes
 * that remain; nothing here trusts a length field from the packet beyond
 * the buffer actually received.
 */
#include "config.h"
#include "codec.h"

#include <string.h>

/* Read a big-endian 16-bit value. */
static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Write a big-endian 16-bit value. */
static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

uint16_t codec_checksum(const uint8_t *buf, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	/* One's complement sums do not care about byte order (RFC 1071):
	 * add big-endian words read as such, four bytes at a time. */
	for (i = 0; i + 3 < len; i += 4)
		sum += (uint32_t)be16(buf + i) + be16(buf + i + 2);
	if (i + 1 < len) {
		sum += be16(buf + i);
		i += 2;
	}
	if (i < len)
		sum += (uint32_t)buf[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t codec_build_echo(int family, uint16_t id, uint16_t seq, const uint8_t *payload,
                        size_t payload_len, uint8_t *buf, size_t cap)
{
	size_t len = ICMP_HEADER_LEN + payload_len;

	if (cap < len || payload_len > (family == 6 ? CODEC_MAX_PAYLOAD6 : CODEC_MAX_PAYLOAD4))
		return 0;
	buf[0] = family == 6 ? ICMP6_ECHO_REQUEST : ICMP4_ECHO_REQUEST;
	buf[1] = 0;
	put_be16(buf + 2, 0);
	put_be16(buf + 4, id);
	put_be16(buf + 6, seq);
	if (payload_len)
		memcpy(buf + ICMP_HEADER_LEN, payload, payload_len);
	if (family != 6)
		put_be16(buf + 2, codec_checksum(buf, len));
	return len;
}

/* Read a big-endian 32-bit value. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t codec_build_syn(int family, const uint8_t *src, const uint8_t *dst, uint16_t sport,
                       uint16_t dport, uint32_t seq, uint8_t *buf, size_t cap)
{
	size_t alen = family == 6 ? 16 : 4, i;
	uint32_t sum = 0;

	if (cap < TCP_SYN_LEN)
		return 0;
	memset(buf, 0, TCP_SYN_LEN);
	put_be16(buf, sport);
	put_be16(buf + 2, dport);
	put_be16(buf + 4, (uint16_t)(seq >> 16));
	put_be16(buf + 6, (uint16_t)seq);
	buf[12] = (TCP_SYN_LEN / 4) << 4; /* data offset; ack 0 */
	buf[13] = TCP_FLAG_SYN;
	put_be16(buf + 14, 65535); /* window */
	buf[20] = 2;               /* MSS, 4 bytes: 1460 */
	buf[21] = 4;
	put_be16(buf + 22, 1460);
	/* the pseudo header (RFC 793; RFC 8200 8.1): addresses, protocol,
	 * length; then the segment, folded into one sum */
	for (i = 0; i < alen; i += 2)
		sum += be16(src + i) + be16(dst + i);
	sum += PROTO_TCP + TCP_SYN_LEN;
	sum += (uint16_t)~codec_checksum(buf, TCP_SYN_LEN);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put_be16(buf + 16, (uint16_t)~sum);
	return TCP_SYN_LEN;
}

int codec_parse_tcp(int family, bool ip_header, const uint8_t *buf, size_t len,
                    struct codec_tcp *out)
{
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	out->ttl = -1;
	if (ip_header) {
		size_t ihl;

		if (family != 4 || len < IPV4_HEADER_MIN || (buf[0] >> 4) != 4 ||
		    buf[9] != PROTO_TCP)
			return -1;
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		/* a fragment after the first carries no TCP header */
		if (ihl < IPV4_HEADER_MIN || len < ihl || (be16(buf + 6) & 0x1fff))
			return -1;
		out->ttl = buf[8];
		off = ihl;
	}
	if (len - off < TCP_HEADER_MIN || (size_t)(buf[off + 12] >> 4) * 4 < TCP_HEADER_MIN)
		return -1;
	out->sport = be16(buf + off);
	out->dport = be16(buf + off + 2);
	out->seq = be32(buf + off + 4);
	out->ack = be32(buf + off + 8);
	out->flags = buf[off + 13];
	return 0;
}

/* The first 8 bytes of a quoted TCP header (all RFC 792 promises): its
 * ports and sequence number, as id (high half) and seq (low half). */
static int parse_quoted_tcp(const uint8_t *buf, size_t len, struct codec_packet *out)
{
	uint32_t seq;

	if (len < 8)
		return -1;
	out->quoted_proto = PROTO_TCP;
	out->quoted_sport = be16(buf);
	out->quoted_dport = be16(buf + 2);
	seq = be32(buf + 4);
	out->id = (uint16_t)(seq >> 16);
	out->seq = (uint16_t)seq;
	out->payload = NULL;
	out->payload_len = 0;
	return 0;
}

/* Is this outer type an error that quotes the offending packet? */
static bool is_error_type(int family, int type)
{
	if (family == 6)
		return type == ICMP6_UNREACH || type == ICMP6_PACKET_TOO_BIG ||
		       type == ICMP6_TIME_EXCEEDED || type == ICMP6_PARAM_PROBLEM;
	return type == ICMP4_UNREACH || type == ICMP4_SOURCE_QUENCH || type == ICMP4_REDIRECT ||
	       type == ICMP4_TIME_EXCEEDED || type == ICMP4_PARAM_PROBLEM;
}

int codec_parse_quoted_echo(int family, const uint8_t *buf, size_t len, struct codec_packet *out)
{
	if (len < ICMP_HEADER_LEN)
		return -1;
	if (buf[0] != (family == 6 ? ICMP6_ECHO_REQUEST : ICMP4_ECHO_REQUEST) || buf[1] != 0)
		return -1;
	out->id = be16(buf + 4);
	out->seq = be16(buf + 6);
	out->payload = buf + ICMP_HEADER_LEN;
	out->payload_len = len - ICMP_HEADER_LEN;
	return 0;
}

/*
 * Parse the IPv4 packet quoted in an ICMP error: its header, then the echo
 * request it carried. The quote may be cut anywhere after 8 ICMP bytes.
 */
static int parse_quote4(const uint8_t *q, size_t len, struct codec_packet *out)
{
	size_t ihl, total;

	if (len < IPV4_HEADER_MIN || (q[0] >> 4) != 4)
		return -1;
	ihl = (size_t)(q[0] & 0x0f) * 4;
	if (ihl < IPV4_HEADER_MIN || len < ihl)
		return -1;
	if (q[9] != 1 && q[9] != PROTO_TCP) /* protocol: ICMP, or a TCP probe */
		return -1;
	/* A router may quote less than the original; never trust more. */
	total = be16(q + 2);
	if (total >= ihl && total < len)
		len = total;
	out->quoted_family = 4;
	out->quoted_ttl = q[8];
	memcpy(out->quoted_src, q + 12, 4);
	memcpy(out->quoted_dst, q + 16, 4);
	/* a later fragment carries no header of its own */
	if (q[9] == PROTO_TCP)
		return be16(q + 6) & 0x1fff ? -1 : parse_quoted_tcp(q + ihl, len - ihl, out);
	out->quoted_proto = 1;
	return codec_parse_quoted_echo(4, q + ihl, len - ihl, out);
}

int codec_ipv6_icmp(const uint8_t *q, size_t len, size_t *off_out)
{
	return codec_ipv6_upper(q, len, 58, off_out);
}

int codec_ipv6_upper(const uint8_t *q, size_t len, int proto, size_t *off_out)
{
	size_t off = IPV6_HEADER_LEN;
	int next, hops = 0;

	if (len < IPV6_HEADER_LEN || (q[0] >> 4) != 6)
		return -1;
	next = q[6];
	while (next != proto) {
		size_t ext;

		if (++hops > 8 || len - off < 8)
			return -1;
		switch (next) {
		case 0:  /* hop-by-hop options */
		case 43: /* routing */
		case 60: /* destination options */
			ext = ((size_t)q[off + 1] + 1) * 8;
			break;
		case 44: /* fragment: only a first fragment carries the ICMP header */
			if ((be16(q + off + 2) & 0xfff8) != 0)
				return -1;
			ext = 8;
			break;
		default:
			return -1;
		}
		if (len - off < ext)
			return -1;
		next = q[off];
		off += ext;
	}
	*off_out = off;
	return 0;
}

/* Parse the IPv6 packet quoted in an ICMPv6 error, skipping extension headers. */
static int parse_quote6(const uint8_t *q, size_t len, struct codec_packet *out)
{
	size_t off, plen;

	if (len < IPV6_HEADER_LEN || (q[0] >> 4) != 6)
		return -1;
	plen = be16(q + 4);
	if (IPV6_HEADER_LEN + plen < len)
		len = IPV6_HEADER_LEN + plen;
	out->quoted_family = 6;
	out->quoted_ttl = q[7];
	memcpy(out->quoted_src, q + 8, 16);
	memcpy(out->quoted_dst, q + 24, 16);
	if (codec_ipv6_upper(q, len, PROTO_TCP, &off) == 0)
		return parse_quoted_tcp(q + off, len - off, out);
	if (codec_ipv6_icmp(q, len, &off) < 0)
		return -1;
	out->quoted_proto = 58;
	return codec_parse_quoted_echo(6, q + off, len - off, out);
}

/* Does this error type carry RFC 4884's length of the original datagram?
 * (Redirect, Packet Too Big and ICMPv6 Parameter Problem use those bytes
 * for an address, an MTU, a pointer.) */
static bool has_length_field(int family, int type)
{
	if (family == 6)
		return type == ICMP6_UNREACH || type == ICMP6_TIME_EXCEEDED;
	return type == ICMP4_UNREACH || type == ICMP4_TIME_EXCEEDED || type == ICMP4_PARAM_PROBLEM;
}

/*
 * RFC 4884 extensions of a Time Exceeded, Destination Unreachable or (IPv4)
 * Parameter Problem: an
 * extension structure (version 2, checksum) after the original datagram
 * field, whose length (in 32-bit words for ICMP, 64-bit for ICMPv6) is in
 * the header, at least 128 bytes. Routers from before RFC 4884 leave the
 * length 0 and put the structure after 128 bytes: taken then only when it
 * carries a checksum that is right. Only the MPLS label stack object
 * (class 1, type 1; RFC 4950) is read; anything malformed (an object
 * running past the end, a length that is no multiple of 4, a wrong
 * checksum) yields no labels at all: not trusted.
 */
static void parse_extensions(int family, const uint8_t *icmp, size_t icmp_len,
                             struct codec_packet *out)
{
	size_t words = family == 6 ? icmp[4] : icmp[5], off;
	bool guessed = words == 0;

	if (!has_length_field(family, out->type))
		return;
	off = ICMP_HEADER_LEN + (guessed ? 128 : words * (family == 6 ? 8 : 4));
	if (off < ICMP_HEADER_LEN + 128 || icmp_len < off + 4)
		return;
	codec_parse_extension(icmp + off, icmp_len - off, guessed, out);
}

void codec_parse_extension(const uint8_t *ext, size_t len, bool need_checksum,
                           struct codec_packet *out)
{
	uint16_t sum;
	size_t p;

	out->mpls_count = 0;
	if (len < 4)
		return;
	sum = be16(ext + 2);
	if ((ext[0] >> 4) != 2 || (sum != 0 && codec_checksum(ext, len) != 0) ||
	    (need_checksum && sum == 0))
		return;
	for (p = 4; len - p >= 4;) {
		size_t olen = be16(ext + p), q;

		if (olen < 4 || olen > len - p || olen % 4 != 0)
			goto malformed;
		if (ext[p + 2] == 1 && ext[p + 3] == 1) {
			for (q = p + 4; q < p + olen && out->mpls_count < CODEC_MPLS_MAX; q += 4) {
				struct codec_mpls *m = &out->mpls[out->mpls_count++];
				uint32_t e = (uint32_t)ext[q] << 24 | (uint32_t)ext[q + 1] << 16 |
				             (uint32_t)ext[q + 2] << 8 | ext[q + 3];

				m->label = e >> 12;
				m->tc = (uint8_t)(e >> 9 & 7);
				m->s = (uint8_t)(e >> 8 & 1);
				m->ttl = (uint8_t)e;
			}
		}
		p += olen;
	}
	if (p == len)
		return;
malformed:
	out->mpls_count = 0;
	memset(out->mpls, 0, sizeof(out->mpls));
}

int codec_parse(int family, bool ip_header, const uint8_t *buf, size_t len,
                struct codec_packet *out)
{
	const uint8_t *icmp = buf;
	size_t icmp_len = len;

	memset(out, 0, sizeof(*out));
	out->kind = CODEC_OTHER;
	out->ttl = -1;
	out->quoted_ttl = -1;
	out->type = -1;
	out->code = -1;
	out->checksum_ok = true;

	if (ip_header) {
		size_t ihl, total;

		if (family != 4 || len < IPV4_HEADER_MIN || (buf[0] >> 4) != 4)
			return -1;
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		if (ihl < IPV4_HEADER_MIN || len < ihl)
			return -1;
		total = be16(buf + 2);
		/* Linux hands raw sockets the whole datagram; total is trusted
		 * only when it fits what arrived. */
		if (total >= ihl && total < len)
			len = total;
		out->ttl = buf[8];
		memcpy(out->src, buf + 12, 4);
		out->has_src = true;
		icmp = buf + ihl;
		icmp_len = len - ihl;
	}
	if (icmp_len < ICMP_HEADER_LEN)
		return -1;
	out->icmp_len = icmp_len;
	out->type = icmp[0];
	out->code = icmp[1];
	if (family == 4)
		out->checksum_ok = codec_checksum(icmp, icmp_len) == 0;

	if (out->type == (family == 6 ? ICMP6_ECHO_REPLY : ICMP4_ECHO_REPLY) ||
	    out->type == (family == 6 ? ICMP6_ECHO_REQUEST : ICMP4_ECHO_REQUEST)) {
		if (out->code != 0)
			return 0;
		out->kind = (out->type == ICMP4_ECHO_REPLY || out->type == ICMP6_ECHO_REPLY)
		                ? CODEC_ECHO_REPLY
		                : CODEC_ECHO_REQUEST;
		out->id = be16(icmp + 4);
		out->seq = be16(icmp + 6);
		out->payload = icmp + ICMP_HEADER_LEN;
		out->payload_len = icmp_len - ICMP_HEADER_LEN;
		return 0;
	}
	if (is_error_type(family, out->type)) {
		/* with RFC 4884's length, the quote ends where it says */
		size_t words =
		    has_length_field(family, out->type) ? (family == 6 ? icmp[4] : icmp[5]) : 0;
		size_t qlen = icmp_len - 8, unit = family == 6 ? 8 : 4;
		int r;

		if (words && words * unit < qlen)
			qlen = words * unit;
		r = family == 6 ? parse_quote6(icmp + 8, qlen, out)
		                : parse_quote4(icmp + 8, qlen, out);
		/* An error that quotes no echo request of ours is well formed,
		 * merely not ours: CODEC_OTHER, return 0. */
		if (r == 0) {
			out->kind = CODEC_ERROR;
			parse_extensions(family, icmp, icmp_len, out);
		}
		return 0;
	}
	return 0;
}
