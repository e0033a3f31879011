/*
 * codec.h - ICMP and ICMPv6 packets as bytes: pure functions, no sockets.
 *
 * Every parser takes (buffer, length), reads nothing outside it, and leaves
 * pointers into the caller's buffer in its result, so unit tests and fuzzers
 * call them directly.
 */
#ifndef SONAR_CODEC_H
#define SONAR_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ICMP4_ECHO_REPLY     0
#define ICMP4_UNREACH        3
#define ICMP4_SOURCE_QUENCH  4
#define ICMP4_REDIRECT       5
#define ICMP4_ECHO_REQUEST   8
#define ICMP4_TIME_EXCEEDED  11
#define ICMP4_PARAM_PROBLEM  12
#define ICMP6_UNREACH        1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED  3
#define ICMP6_PARAM_PROBLEM  4
#define ICMP6_ECHO_REQUEST   128
#define ICMP6_ECHO_REPLY     129

#define ICMP_HEADER_LEN 8
#define IPV4_HEADER_MIN 20
#define IPV6_HEADER_LEN 40
/* Largest echo payload in one datagram: 65535 - IPv4 header - ICMP header. */
#define CODEC_MAX_PAYLOAD4 65507
/* IPv6 payload length is 16 bits and excludes its own header. */
#define CODEC_MAX_PAYLOAD6 65527

/* TCP header flags sonar reads */
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_ACK 0x10
/* A SYN probe: the header and one option (MSS), as a host's SYN has */
#define TCP_SYN_LEN    24
#define TCP_HEADER_MIN 20
#define PROTO_TCP      6

/* Label stack entries kept from one ICMP extension (RFC 4950). */
#define CODEC_MPLS_MAX 8

/* One MPLS label stack entry (RFC 4950 / RFC 3032). */
struct codec_mpls {
	uint32_t label; /* 20 bits */
	uint8_t tc;     /* traffic class (was EXP), 3 bits */
	uint8_t s;      /* bottom of stack */
	uint8_t ttl;
};

enum codec_kind {
	CODEC_OTHER,        /* well-formed, but nothing sonar waits for */
	CODEC_ECHO_REPLY,   /* an echo reply: id, seq, payload */
	CODEC_ECHO_REQUEST, /* an echo request (seen on loopback captures) */
	CODEC_ERROR,        /* an ICMP error quoting an echo request or a TCP
	                       segment (quoted_proto) */
};

/* What a parser found. Pointers point into the parsed buffer. */
struct codec_packet {
	enum codec_kind kind;
	int type; /* ICMP type and code of the outer message */
	int code;
	int ttl;         /* IPv4 header's TTL when one was parsed, else -1 */
	uint8_t src[16]; /* IPv4 header's source when one was parsed */
	bool has_src;
	bool checksum_ok; /* IPv4: checksum verified; IPv6: the kernel did */
	size_t icmp_len;  /* length of the ICMP message */
	uint16_t id;      /* echo: id and sequence; error: the quoted ones */
	uint16_t seq;
	const uint8_t *payload; /* echo payload, or the quoted payload (may be cut) */
	size_t payload_len;
	int quoted_family;      /* errors: 4 or 6 */
	int quoted_proto;       /* errors: 1 / 58 (an echo request) or 6 (TCP) */
	uint16_t quoted_sport;  /* errors quoting TCP: its ports; its sequence */
	uint16_t quoted_dport;  /* number is id << 16 | seq, no payload */
	uint8_t quoted_dst[16]; /* errors: the destination of the quoted packet */
	uint8_t quoted_src[16]; /* errors: the source of the quoted packet */
	int quoted_ttl;         /* errors: TTL / hop limit left in the quote */
	/* errors: the MPLS label stack of an RFC 4884 extension structure
	 * (RFC 4950 object), when a well-formed one with a right checksum
	 * follows the quote; else mpls_count is 0 */
	int mpls_count;
	struct codec_mpls mpls[CODEC_MPLS_MAX];
};

/* Internet checksum (RFC 1071) of buf. */
uint16_t codec_checksum(const uint8_t *buf, size_t len);

/*
 * Write an echo request (family 4 or 6) into buf. IPv4 gets its checksum;
 * IPv6's is left 0 for the kernel, which computes it with the pseudo-header.
 * Returns the length written, or 0 when cap is too small.
 */
size_t codec_build_echo(int family, uint16_t id, uint16_t seq, const uint8_t *payload,
                        size_t payload_len, uint8_t *buf, size_t cap);

/* What a TCP segment's header says (codec_parse_tcp). */
struct codec_tcp {
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t flags;
	int ttl; /* IPv4 header's TTL when one was parsed, else -1 */
};

/*
 * Write a TCP SYN from src:sport to dst:dport (family 4 or 6: 4 or 16
 * bytes each) with sequence number seq into buf, its checksum over the
 * pseudo header (raw sockets compute none). TCP_SYN_LEN, or 0 when cap is
 * too small.
 */
size_t codec_build_syn(int family, const uint8_t *src, const uint8_t *dst, uint16_t sport,
                       uint16_t dport, uint32_t seq, uint8_t *buf, size_t cap);
/*
 * Parse a TCP segment as a raw TCP socket returns it (IPv4: from its IP
 * header, when ip_header; IPv6: from the TCP header). 0, or -1 when it is
 * cut or malformed. Its checksum is not checked: the kernel's TCP does.
 */
int codec_parse_tcp(int family, bool ip_header, const uint8_t *buf, size_t len,
                    struct codec_tcp *out);

/*
 * Parse what an ICMP socket returned. family 4 or 6; ip_header says whether
 * the buffer starts with an IPv4 header (raw IPv4 sockets). Returns 0, or -1
 * when the buffer is truncated or malformed (out->kind is then CODEC_OTHER).
 */
int codec_parse(int family, bool ip_header, const uint8_t *buf, size_t len,
                struct codec_packet *out);

/*
 * Find the ICMPv6 message in an IPv6 packet, past any extension headers:
 * its offset in *off. 0, or -1 when there is none or the packet is cut.
 */
int codec_ipv6_icmp(const uint8_t *ip, size_t len, size_t *off);
/* The same for an upper-layer protocol proto (58 ICMPv6, 6 TCP). */
int codec_ipv6_upper(const uint8_t *ip, size_t len, int proto, size_t *off);

/*
 * Parse a quoted echo request starting at its ICMP header (what a datagram
 * socket's error queue returns). Fills id, seq and payload. 0 or -1.
 */
int codec_parse_quoted_echo(int family, const uint8_t *buf, size_t len, struct codec_packet *out);
/*
 * An RFC 4884 extension structure of len bytes (version 2; its checksum
 * right when not 0, and not 0 when need_checksum): the RFC 4950 MPLS label
 * stack into out->mpls (mpls_count 0 for none, and for anything
 * malformed). Where the kernel found it (a datagram socket's error queue,
 * IP_RECVERR_RFC4884) or after a Time Exceeded's original datagram.
 */
void codec_parse_extension(const uint8_t *ext, size_t len, bool need_checksum,
                           struct codec_packet *out);

#endif
