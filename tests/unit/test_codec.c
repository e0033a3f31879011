/*
 * test_codec.c - the packet codec: golden bytes, truncation, garbage.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec.h"

/* Copy bytes into a buffer of exactly len bytes, so ASan sees any overread. */
static uint8_t *exact(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	if (len)
		memcpy(p, src, len);
	return p;
}

static void test_checksum_rfc1071(void **state)
{
	/* RFC 1071's example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2; ~ = 220d */
	static const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	(void)state;
	assert_int_equal(codec_checksum(b, sizeof(b)), 0x220d);
	/* odd length pads with a zero byte */
	assert_int_equal(codec_checksum((const uint8_t *)"\x01", 1), (uint16_t)~0x0100);
}

static void test_build_echo4_golden(void **state)
{
	/* 0800 + 1234 + 0001 + 6162 + 6364 = defb, checksum ~defb = 2104 */
	static const uint8_t want[] = {0x08, 0x00, 0x21, 0x04, 0x12, 0x34,
	                               0x00, 0x01, 'a',  'b',  'c',  'd'};
	uint8_t buf[64];
	size_t n;

	(void)state;
	n = codec_build_echo(4, 0x1234, 1, (const uint8_t *)"abcd", 4, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(codec_checksum(buf, n), 0);
}

static void test_build_echo6_golden(void **state)
{
	/* ICMPv6 checksum includes the pseudo-header: left to the kernel. */
	static const uint8_t want[] = {0x80, 0x00, 0x00, 0x00, 0xbe, 0xef, 0x00, 0x07, 'x'};
	uint8_t buf[64];

	(void)state;
	assert_int_equal(codec_build_echo(6, 0xbeef, 7, (const uint8_t *)"x", 1, buf, sizeof(buf)),
	                 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_build_limits(void **state)
{
	static uint8_t payload[CODEC_MAX_PAYLOAD6 + 1];
	static uint8_t buf[CODEC_MAX_PAYLOAD6 + 16];

	(void)state;
	assert_int_equal(codec_build_echo(4, 1, 1, payload, 10, buf, 17), 0); /* cap too small */
	assert_int_equal(codec_build_echo(4, 1, 1, payload, CODEC_MAX_PAYLOAD4, buf, sizeof(buf)),
	                 CODEC_MAX_PAYLOAD4 + 8);
	assert_int_equal(
	    codec_build_echo(4, 1, 1, payload, CODEC_MAX_PAYLOAD4 + 1, buf, sizeof(buf)), 0);
	assert_int_equal(codec_build_echo(6, 1, 1, payload, CODEC_MAX_PAYLOAD6, buf, sizeof(buf)),
	                 CODEC_MAX_PAYLOAD6 + 8);
	assert_int_equal(
	    codec_build_echo(6, 1, 1, payload, CODEC_MAX_PAYLOAD6 + 1, buf, sizeof(buf)), 0);
}

/* An IPv4 raw-socket echo reply: header (TTL 0x3f, 10.0.0.2 -> 10.0.0.1),
 * then 0000 2904 1234 0001 "abcd" (checksum ~(1234+0001+6162+6364)). */
static const uint8_t raw4_reply[] = {
    0x45, 0x00, 0x00, 0x20, 0x00, 0x00, 0x40, 0x00, 0x3f, 0x01, 0x00, 0x00, 10,  0,   0,   2,
    10,   0,    0,    1,    0x00, 0x00, 0x29, 0x04, 0x12, 0x34, 0x00, 0x01, 'a', 'b', 'c', 'd'};

static void test_parse_raw4_reply(void **state)
{
	struct codec_packet p;
	uint8_t *b = exact(raw4_reply, sizeof(raw4_reply));

	(void)state;
	assert_int_equal(codec_parse(4, true, b, sizeof(raw4_reply), &p), 0);
	assert_int_equal(p.kind, CODEC_ECHO_REPLY);
	assert_true(p.checksum_ok);
	assert_int_equal(p.ttl, 0x3f);
	assert_int_equal(p.id, 0x1234);
	assert_int_equal(p.seq, 1);
	assert_int_equal(p.payload_len, 4);
	assert_memory_equal(p.payload, "abcd", 4);
	assert_true(p.has_src);
	assert_memory_equal(p.src, "\x0a\x00\x00\x02", 4);
	assert_int_equal(p.icmp_len, 12);
	free(b);
}

static void test_parse_raw4_options_and_padding(void **state)
{
	/* IHL 6 (4 bytes of options), and 3 trailing bytes beyond total length */
	uint8_t pkt[sizeof(raw4_reply) + 4 + 3];
	struct codec_packet p;
	uint8_t *b;

	(void)state;
	memcpy(pkt, raw4_reply, 20);
	pkt[0] = 0x46;
	pkt[3] = 0x24; /* total length 36 */
	memcpy(pkt + 20, "\x01\x01\x01\x00", 4);
	memcpy(pkt + 24, raw4_reply + 20, 12);
	memcpy(pkt + 36, "zzz", 3);
	b = exact(pkt, sizeof(pkt));
	assert_int_equal(codec_parse(4, true, b, sizeof(pkt), &p), 0);
	assert_int_equal(p.kind, CODEC_ECHO_REPLY);
	assert_int_equal(p.payload_len, 4);
	assert_true(p.checksum_ok);
	free(b);
}

static void test_parse_bad_checksum(void **state)
{
	uint8_t pkt[sizeof(raw4_reply)];
	struct codec_packet p;

	(void)state;
	memcpy(pkt, raw4_reply, sizeof(pkt));
	pkt[sizeof(pkt) - 1] ^= 0x40;
	assert_int_equal(codec_parse(4, true, pkt, sizeof(pkt), &p), 0);
	assert_false(p.checksum_ok);
}

static void test_parse_dgram6_reply(void **state)
{
	static const uint8_t pkt[] = {0x81, 0x00, 0xaa, 0xbb, 0x00, 0x09, 0x01, 0x02, 'h', 'i'};
	struct codec_packet p;
	uint8_t *b = exact(pkt, sizeof(pkt));

	(void)state;
	assert_int_equal(codec_parse(6, false, b, sizeof(pkt), &p), 0);
	assert_int_equal(p.kind, CODEC_ECHO_REPLY);
	assert_int_equal(p.id, 9);
	assert_int_equal(p.seq, 0x0102);
	assert_int_equal(p.payload_len, 2);
	assert_int_equal(p.ttl, -1);
	free(b);
}

/* An IPv4 Time Exceeded from a router, quoting our echo request (id 0x4242,
 * seq 5, to 10.9.8.7) with 4 bytes of payload. */
static const uint8_t raw4_time_exceeded[] = {
    /* outer IP: 10.0.0.254 -> 10.0.0.1, TTL 255 */
    0x45, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0xff, 0x01, 0x00, 0x00, 10, 0, 0, 254, 10, 0, 0,
    1,
    /* ICMP time exceeded, code 0, checksum filled in by the test */
    0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* quoted IP: 10.0.0.1 -> 10.9.8.7, TTL 1, protocol ICMP, total 32 */
    0x45, 0x00, 0x00, 0x20, 0x00, 0x00, 0x40, 0x00, 0x01, 0x01, 0x00, 0x00, 10, 0, 0, 1, 10, 9, 8,
    7,
    /* quoted echo request */
    0x08, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x05, 'p', 'q', 'r', 's'};

/* A copy of raw4_time_exceeded with a correct ICMP checksum. */
static void time_exceeded4(uint8_t *pkt)
{
	uint16_t c;

	memcpy(pkt, raw4_time_exceeded, sizeof(raw4_time_exceeded));
	c = codec_checksum(pkt + 20, sizeof(raw4_time_exceeded) - 20);
	pkt[22] = (uint8_t)(c >> 8);
	pkt[23] = (uint8_t)c;
}

static void test_parse_raw4_time_exceeded(void **state)
{
	uint8_t pkt[sizeof(raw4_time_exceeded)];
	struct codec_packet p;
	uint8_t *b;

	(void)state;
	time_exceeded4(pkt);
	b = exact(pkt, sizeof(pkt));
	assert_int_equal(codec_parse(4, true, b, sizeof(pkt), &p), 0);
	assert_int_equal(p.kind, CODEC_ERROR);
	assert_true(p.checksum_ok);
	assert_int_equal(p.type, 11);
	assert_int_equal(p.code, 0);
	assert_int_equal(p.ttl, 255);
	assert_int_equal(p.quoted_family, 4);
	assert_memory_equal(p.quoted_dst, "\x0a\x09\x08\x07", 4);
	assert_memory_equal(p.quoted_src, "\x0a\x00\x00\x01", 4);
	assert_int_equal(p.quoted_ttl, 1);
	assert_int_equal(p.id, 0x4242);
	assert_int_equal(p.seq, 5);
	assert_int_equal(p.payload_len, 4);
	assert_memory_equal(p.payload, "pqrs", 4);
	free(b);
}

static void test_parse_error_minimal_quote(void **state)
{
	/* RFC 792 routers quote only the IP header and 8 bytes */
	uint8_t pkt[sizeof(raw4_time_exceeded) - 4];
	struct codec_packet p;

	(void)state;
	memcpy(pkt, raw4_time_exceeded, sizeof(pkt));
	pkt[20] = 3; /* destination unreachable */
	pkt[21] = 1; /* host */
	assert_int_equal(codec_parse(4, true, pkt, sizeof(pkt), &p), 0);
	assert_int_equal(p.kind, CODEC_ERROR);
	assert_int_equal(p.type, 3);
	assert_int_equal(p.code, 1);
	assert_int_equal(p.seq, 5);
	assert_int_equal(p.payload_len, 0);
}

static void test_parse_error_not_echo(void **state)
{
	uint8_t pkt[sizeof(raw4_time_exceeded)];
	struct codec_packet p;

	(void)state;
	time_exceeded4(pkt);
	pkt[28 + 9] = 17; /* the quoted packet was UDP */
	assert_int_equal(codec_parse(4, true, pkt, sizeof(pkt), &p), 0);
	assert_int_equal(p.kind, CODEC_OTHER);
	time_exceeded4(pkt);
	pkt[48] = 0; /* quoted ICMP is an echo reply, not a request */
	assert_int_equal(codec_parse(4, true, pkt, sizeof(pkt), &p), 0);
	assert_int_equal(p.kind, CODEC_OTHER);
}

/* ICMPv6 Time Exceeded as a raw or datagram socket returns it (no outer IP
 * header), quoting fd00::1 -> fd00::99 with a hop-by-hop header first. */
static size_t time_exceeded6(uint8_t *pkt, bool hbh)
{
	size_t n = 0;
	int i;

	memcpy(pkt, "\x03\x00\x00\x00\x00\x00\x00\x00", 8);
	n = 8;
	pkt[n] = 0x60;
	memset(pkt + n + 1, 0, 39);
	pkt[n + 4] = 0;
	pkt[n + 5] = (uint8_t)(hbh ? 8 + 12 : 12); /* payload length */
	pkt[n + 6] = hbh ? 0 : 58;
	pkt[n + 7] = 1; /* hop limit left */
	pkt[n + 8] = 0xfd;
	pkt[n + 23] = 1; /* source fd00::1 */
	pkt[n + 24] = 0xfd;
	pkt[n + 39] = 0x99; /* destination fd00::99 */
	n += 40;
	if (hbh) {
		pkt[n] = 58; /* next: ICMPv6 */
		pkt[n + 1] = 0;
		for (i = 2; i < 8; i++)
			pkt[n + i] = i == 2 ? 1 : 0; /* PadN */
		pkt[n + 3] = 4;
		n += 8;
	}
	memcpy(pkt + n, "\x80\x00\x00\x00\x77\x77\x01\x00wxyz", 12);
	return n + 12;
}

static void test_parse_icmp6_time_exceeded(void **state)
{
	uint8_t pkt[128];
	struct codec_packet p;
	static const uint8_t dst[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99};
	int hbh;

	(void)state;
	for (hbh = 0; hbh < 2; hbh++) {
		size_t n = time_exceeded6(pkt, hbh);
		uint8_t *b = exact(pkt, n);

		assert_int_equal(codec_parse(6, false, b, n, &p), 0);
		assert_int_equal(p.kind, CODEC_ERROR);
		assert_int_equal(p.type, 3);
		assert_int_equal(p.quoted_family, 6);
		assert_memory_equal(p.quoted_dst, dst, 16);
		assert_int_equal(p.id, 0x7777);
		assert_int_equal(p.seq, 0x0100);
		assert_int_equal(p.payload_len, 4);
		free(b);
	}
}

/* A SYN's checksum, checked the receiver's way: pseudo header plus
 * segment sums to 0xffff (RFC 793, RFC 8200 8.1). */
static bool syn_checksum_ok(int family, const uint8_t *src, const uint8_t *dst, const uint8_t *seg,
                            size_t len)
{
	uint8_t buf[40 + TCP_SYN_LEN];
	size_t alen = family == 6 ? 16 : 4, n = 0;

	memcpy(buf, src, alen);
	memcpy(buf + alen, dst, alen);
	n = 2 * alen;
	buf[n++] = 0;
	buf[n++] = PROTO_TCP;
	buf[n++] = 0;
	buf[n++] = (uint8_t)len;
	memcpy(buf + n, seg, len);
	return codec_checksum(buf, n + len) == 0;
}

static void test_build_syn(void **state)
{
	static const uint8_t s4[4] = {10, 0, 0, 1}, d4[4] = {10, 9, 8, 7};
	static const uint8_t s6[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	static const uint8_t d6[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99};
	uint8_t b[TCP_SYN_LEN + 4];
	struct codec_tcp t;

	(void)state;
	assert_int_equal(codec_build_syn(4, s4, d4, 61003, 80, 0x12345678, b, TCP_SYN_LEN - 1), 0);
	assert_int_equal(codec_build_syn(4, s4, d4, 61003, 80, 0x12345678, b, sizeof(b)),
	                 TCP_SYN_LEN);
	/* ports, sequence, data offset 6 words, SYN alone, MSS 1460 */
	assert_memory_equal(b, "\xee\x4b\x00\x50\x12\x34\x56\x78\x00\x00\x00\x00\x60\x02", 14);
	assert_memory_equal(b + 20, "\x02\x04\x05\xb4", 4);
	assert_true(syn_checksum_ok(4, s4, d4, b, TCP_SYN_LEN));
	assert_false(syn_checksum_ok(4, s4, s4, b, TCP_SYN_LEN)); /* the addresses count */
	assert_int_equal(codec_parse_tcp(6, false, b, TCP_SYN_LEN, &t), 0);
	assert_int_equal(t.sport, 61003);
	assert_int_equal(t.dport, 80);
	assert_int_equal(t.seq, 0x12345678);
	assert_int_equal(t.flags, TCP_FLAG_SYN);
	assert_int_equal(codec_build_syn(6, s6, d6, 61000, 443, 7, b, sizeof(b)), TCP_SYN_LEN);
	assert_true(syn_checksum_ok(6, s6, d6, b, TCP_SYN_LEN));
}

static void test_parse_tcp(void **state)
{
	/* IPv4 header (TTL 60, TCP) and a RST-ACK from 80 to 61000, acking 8 */
	static const uint8_t rst[40] = {
	    0x45, 0,    0,    40,   0, 0, 0x40, 0, 60, 6, 0, 0, 10,   9,    8, 7, 10, 0, 0, 1,
	    0x00, 0x50, 0xee, 0x48, 0, 0, 0,    0, 0,  0, 0, 8, 0x50, 0x14, 0, 0, 0,  0, 0, 0};
	struct codec_tcp t;
	uint8_t *b;
	size_t n;

	(void)state;
	for (n = 0; n <= sizeof(rst); n++) { /* cut anywhere: refused, no overread */
		b = exact(rst, n);
		assert_int_equal(codec_parse_tcp(4, true, b, n, &t), n < sizeof(rst) ? -1 : 0);
		free(b);
	}
	assert_int_equal(t.ttl, 60);
	assert_int_equal(t.sport, 80);
	assert_int_equal(t.dport, 61000);
	assert_int_equal(t.ack, 8);
	assert_int_equal(t.flags, TCP_FLAG_RST | TCP_FLAG_ACK);
	b = exact(rst, sizeof(rst));
	b[9] = 17; /* not TCP */
	assert_int_equal(codec_parse_tcp(4, true, b, sizeof(rst), &t), -1);
	b[9] = 6;
	b[6] = 0x20; /* a later fragment: no header */
	b[7] = 0x01;
	assert_int_equal(codec_parse_tcp(4, true, b, sizeof(rst), &t), -1);
	b[6] = b[7] = 0;
	b[32] = 0x40; /* data offset 4 words: less than a header */
	assert_int_equal(codec_parse_tcp(4, true, b, sizeof(rst), &t), -1);
	free(b);
}

/* Time Exceeded quoting a SYN (its first 8 bytes only, as RFC 792 allows):
 * the ports and the sequence number (id << 16 | seq), IPv4 and IPv6. */
static void test_parse_error_quoting_tcp(void **state)
{
	uint8_t pkt[sizeof(raw4_time_exceeded)], six[128];
	struct codec_packet p;
	size_t n;
	uint8_t *b;

	(void)state;
	time_exceeded4(pkt);
	pkt[28 + 9] = 6; /* the quoted packet was TCP: 61000 -> 80, seq 0x12340005 */
	memcpy(pkt + 48, "\xee\x48\x00\x50\x12\x34\x00\x05", 8);
	for (n = 48; n <= 56; n++) {
		b = exact(pkt, n);
		assert_int_equal(codec_parse(4, true, b, n, &p), 0);
		assert_int_equal(p.kind, n < 56 ? CODEC_OTHER : CODEC_ERROR); /* 8 bytes or none */
		free(b);
	}
	assert_int_equal(p.quoted_proto, PROTO_TCP);
	assert_int_equal(p.quoted_sport, 61000);
	assert_int_equal(p.quoted_dport, 80);
	assert_int_equal(p.id, 0x1234);
	assert_int_equal(p.seq, 5);
	assert_int_equal(p.payload_len, 0);
	pkt[28 + 7] = 0x01; /* a later fragment quoted (offset 8): no TCP header in it */
	assert_int_equal(codec_parse(4, true, pkt, 56, &p), 0);
	assert_int_equal(p.kind, CODEC_OTHER);

	n = time_exceeded6(six, true);
	six[48] = PROTO_TCP; /* hop-by-hop, then TCP */
	memcpy(six + 56, "\xee\x49\x01\xbb\x00\x07\x00\x09", 8);
	b = exact(six, n);
	assert_int_equal(codec_parse(6, false, b, n, &p), 0);
	assert_int_equal(p.kind, CODEC_ERROR);
	assert_int_equal(p.quoted_proto, PROTO_TCP);
	assert_int_equal(p.quoted_sport, 61001);
	assert_int_equal(p.quoted_dport, 443);
	assert_int_equal(p.id, 7);
	assert_int_equal(p.seq, 9);
	free(b);
	b = exact(six, 56 + 7); /* cut inside the 8 bytes */
	assert_int_equal(codec_parse(6, false, b, 56 + 7, &p), 0);
	assert_int_equal(p.kind, CODEC_OTHER);
	free(b);
}

static void test_parse_quoted_echo(void **state)
{
	struct codec_packet p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(
	    codec_parse_quoted_echo(4, (const uint8_t *)"\x08\x00\x00\x00\x00\x01\x00\x02z", 9, &p),
	    0);
	assert_int_equal(p.id, 1);
	assert_int_equal(p.seq, 2);
	assert_int_equal(p.payload_len, 1);
	assert_int_equal(codec_parse_quoted_echo(4, (const uint8_t *)"\x08\x00\x00", 3, &p), -1);
	assert_int_equal(
	    codec_parse_quoted_echo(6, (const uint8_t *)"\x08\x00\x00\x00\x00\x01\x00\x02", 8, &p),
	    -1);
}

/* Every prefix of every golden packet parses without reading past it. */
static void test_truncated(void **state)
{
	uint8_t te4[sizeof(raw4_time_exceeded)], te6[128];
	size_t n6 = time_exceeded6(te6, true), len;
	struct codec_packet p;

	(void)state;
	time_exceeded4(te4);
	for (len = 0; len <= sizeof(te4); len++) {
		uint8_t *b = exact(te4, len);
		int r = codec_parse(4, true, b, len, &p);

		if (len < 28)
			assert_int_equal(r, -1);
		else if (p.kind == CODEC_ERROR)
			assert_true(len >= 56); /* IP + ICMP + quoted IP + 8 */
		free(b);
		b = exact(raw4_reply, len < sizeof(raw4_reply) ? len : sizeof(raw4_reply));
		codec_parse(4, true, b, len < sizeof(raw4_reply) ? len : sizeof(raw4_reply), &p);
		free(b);
	}
	for (len = 0; len <= n6; len++) {
		uint8_t *b = exact(te6, len);

		codec_parse(6, false, b, len, &p);
		if (p.kind == CODEC_ERROR)
			assert_true(len >= n6 - 4);
		free(b);
	}
}

/* Lengths in headers that lie about the buffer are not believed. */
static void test_lying_lengths(void **state)
{
	uint8_t pkt[sizeof(raw4_reply)];
	struct codec_packet p;

	(void)state;
	memcpy(pkt, raw4_reply, sizeof(pkt));
	pkt[2] = 0xff; /* total length 65535 */
	pkt[3] = 0xff;
	assert_int_equal(codec_parse(4, true, pkt, sizeof(pkt), &p), 0);
	assert_int_equal(p.payload_len, 4);
	pkt[0] = 0x4f; /* IHL 60 bytes: beyond the buffer */
	assert_int_equal(codec_parse(4, true, pkt, sizeof(pkt), &p), -1);
	pkt[0] = 0x44; /* IHL 16: below the minimum */
	assert_int_equal(codec_parse(4, true, pkt, sizeof(pkt), &p), -1);
	pkt[0] = 0x65; /* not version 4 */
	assert_int_equal(codec_parse(4, true, pkt, sizeof(pkt), &p), -1);
}

/* Oversized: a 65535-byte echo reply (the largest datagram). */
static void test_oversized(void **state)
{
	size_t len = 65535;
	uint8_t *b = malloc(len);
	struct codec_packet p;
	size_t n;

	(void)state;
	assert_non_null(b);
	memset(b, 'A', len);
	memcpy(b, raw4_reply, 20);
	b[2] = 0xff;
	b[3] = 0xff;
	n = codec_build_echo(4, 7, 8, b + 28, len - 28, b + 20, len - 20);
	assert_int_equal(n, len - 20);
	b[20] = 0; /* make it a reply: fix the checksum */
	b[22] = b[23] = 0;
	{
		uint16_t c = codec_checksum(b + 20, n);

		b[22] = (uint8_t)(c >> 8);
		b[23] = (uint8_t)c;
	}
	assert_int_equal(codec_parse(4, true, b, len, &p), 0);
	assert_int_equal(p.kind, CODEC_ECHO_REPLY);
	assert_true(p.checksum_ok);
	assert_int_equal(p.payload_len, len - 28);
	free(b);
}

/*
 * What every successful parse of buf[0..len) must satisfy: lengths within
 * the buffer, the payload inside it, an outer IPv4 header's TTL and source
 * taken from its own bytes, and a quoted address made of bytes that are in
 * the packet (never invented or read from elsewhere).
 */
static void assert_sound_parse(int family, bool ip_header, const uint8_t *b, size_t len,
                               const struct codec_packet *p)
{
	assert_true(p->icmp_len >= 8 && p->icmp_len <= len);
	assert_true(p->type >= 0 && p->type <= 255 && p->code >= 0 && p->code <= 255);
	if (p->payload_len > 0) {
		assert_non_null(p->payload);
		assert_true(p->payload >= b && p->payload + p->payload_len <= b + len);
	}
	if (family == 4 && ip_header) {
		assert_true(len >= 20);
		assert_int_equal(p->ttl, b[8]);
		assert_true(p->has_src && memcmp(p->src, b + 12, 4) == 0);
	} else {
		assert_int_equal(p->ttl, -1);
	}
	switch (p->kind) {
	case CODEC_ECHO_REPLY:
	case CODEC_ECHO_REQUEST:
		assert_int_equal(p->payload_len, p->icmp_len - 8);
		break;
	case CODEC_ERROR: {
		size_t alen = p->quoted_family == 6 ? 16 : 4;
		int i;

		/* labels only from a checked structure past a 128-byte quote */
		assert_true(p->mpls_count >= 0 && p->mpls_count <= CODEC_MPLS_MAX);
		assert_true(p->mpls_count == 0 || p->icmp_len >= 8 + 128 + 8);
		for (i = 0; i < p->mpls_count; i++)
			assert_true(p->mpls[i].label < (1u << 20) && p->mpls[i].tc < 8 &&
			            p->mpls[i].s <= 1);
		assert_true(p->quoted_family == 4 || p->quoted_family == 6);
		/* bytes of this packet, not invented */
		assert_non_null(memmem(b, len, p->quoted_dst, alen));
		break;
	}
	default:
		assert_int_equal(p->mpls_count, 0);
		break;
	}
}

/*
 * RFC 4884 / RFC 4950: MPLS label stacks in Time Exceeded, built here byte
 * by byte (not with the codec): ICMP header (length field in byte 5 for
 * IPv4, byte 4 for IPv6), the quote padded to 128 bytes, then the
 * extension structure (version 2, checksum) and one MPLS object.
 */
static uint16_t sum16(const uint8_t *b, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)(b[n - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

enum mpls_flaw {
	MPLS_OK,
	MPLS_NO_LENGTH,
	MPLS_NO_LENGTH_NO_SUM,
	MPLS_BAD_SUM,
	MPLS_ZERO_SUM,
	MPLS_OBJ_PAST_END,
	MPLS_OBJ_ODD,
	MPLS_CUT,
	MPLS_VERSION1
};

/* An ICMP(v6) Time Exceeded quoting echo id 0x4242 seq 7 to 10.9.8.7 (or
 * fd00::99), with labels 24001 (TC 5, TTL 1) and 16 (bottom, TTL 255). */
static size_t mpls_packet(int family, enum mpls_flaw flaw, uint8_t *b)
{
	size_t ext = 8 + 128, n, obj;
	uint16_t s;

	memset(b, 0, 256);
	b[0] = family == 6 ? 3 : 11;
	if (flaw != MPLS_NO_LENGTH && flaw != MPLS_NO_LENGTH_NO_SUM)
		b[family == 6 ? 4 : 5] = family == 6 ? 128 / 8 : 128 / 4;
	if (family == 6) {
		b[8] = 0x60, b[12] = 0, b[13] = 16, b[14] = 58, b[15] = 1; /* plen 16, ICMPv6 */
		b[8 + 24] = 0xfd, b[8 + 39] = 0x99;
		b[48] = 128; /* echo request */
	} else {
		b[8] = 0x45, b[10] = 0, b[11] = 36, b[16] = 1, b[17] = 1; /* total 36, ICMP */
		b[24] = 10, b[25] = 9, b[26] = 8, b[27] = 7;
		b[28] = 8; /* echo request */
	}
	n = family == 6 ? 48 : 28;
	b[n + 4] = 0x42, b[n + 5] = 0x42, b[n + 7] = 7;
	memcpy(b + n + 8, "pqrstuvw", 8);
	b[ext] = flaw == MPLS_VERSION1 ? 0x10 : 0x20;
	obj = ext + 4;
	b[obj + 1] = flaw == MPLS_OBJ_PAST_END ? 40 : flaw == MPLS_OBJ_ODD ? 10 : 12;
	b[obj + 2] = 1, b[obj + 3] = 1;
	/* 24001 = 0x05dc1: label << 12 | tc << 9 | s << 8 | ttl */
	b[obj + 4] = 0x05, b[obj + 5] = 0xdc, b[obj + 6] = 0x1a, b[obj + 7] = 0x01;
	b[obj + 8] = 0x00, b[obj + 9] = 0x01, b[obj + 10] = 0x01, b[obj + 11] = 0xff;
	n = obj + 12;
	if (flaw != MPLS_ZERO_SUM && flaw != MPLS_NO_LENGTH_NO_SUM) {
		s = sum16(b + ext, n - ext);
		b[ext + 2] = (uint8_t)(s >> 8), b[ext + 3] = (uint8_t)s;
	}
	if (flaw == MPLS_BAD_SUM)
		b[ext + 3] ^= 0x40;
	if (flaw == MPLS_CUT) {
		n -= 2;
		b[ext + 2] = b[ext + 3] = 0; /* a right checksum of the cut structure */
		s = sum16(b + ext, n - ext);
		b[ext + 2] = (uint8_t)(s >> 8), b[ext + 3] = (uint8_t)s;
	}
	if (family == 4) {
		s = sum16(b, n);
		b[2] = (uint8_t)(s >> 8), b[3] = (uint8_t)s;
	}
	return n;
}

/*
 * An extension structure alone (where a datagram socket's error queue says
 * one starts): written out by hand, a version 2 header with its checksum
 * and one MPLS object of two entries; every flaw yields no labels.
 */
static void test_extension_alone(void **state)
{
	/* version 2, checksum 0xbd15 (over these 16 bytes); object: length 12,
	 * class 1, type 1; entries 24001/5/0/1 and 16/0/1/255 */
	static const uint8_t good[] = {0x20, 0x00, 0xbd, 0x15, 0x00, 0x0c, 0x01, 0x01,
	                               0x05, 0xdc, 0x1a, 0x01, 0x00, 0x01, 0x01, 0xff};
	uint8_t b[sizeof(good)];
	struct codec_packet p;

	(void)state;
	memset(&p, 0, sizeof(p));
	codec_parse_extension(good, sizeof(good), true, &p);
	assert_int_equal(p.mpls_count, 2);
	assert_int_equal(p.mpls[0].label, 24001);
	assert_int_equal(p.mpls[0].tc, 5);
	assert_int_equal(p.mpls[0].s, 0);
	assert_int_equal(p.mpls[0].ttl, 1);
	assert_int_equal(p.mpls[1].label, 16);
	assert_int_equal(p.mpls[1].s, 1);
	assert_int_equal(p.mpls[1].ttl, 255);
	/* cut anywhere: nothing (and nothing read past the end: ASan) */
	for (size_t n = 0; n < sizeof(good); n++) {
		uint8_t *cut = exact(good, n);

		codec_parse_extension(cut, n, false, &p);
		free(cut);
		assert_int_equal(p.mpls_count, 0);
	}
	memcpy(b, good, sizeof(b));
	b[15] ^= 1; /* a wrong checksum */
	codec_parse_extension(b, sizeof(b), false, &p);
	assert_int_equal(p.mpls_count, 0);
	memcpy(b, good, sizeof(b));
	b[2] = b[3] = 0; /* no checksum: taken unless one is needed */
	codec_parse_extension(b, sizeof(b), false, &p);
	assert_int_equal(p.mpls_count, 2);
	codec_parse_extension(b, sizeof(b), true, &p);
	assert_int_equal(p.mpls_count, 0);
	b[0] = 0x10; /* version 1 */
	codec_parse_extension(b, sizeof(b), false, &p);
	assert_int_equal(p.mpls_count, 0);
	memcpy(b, good, sizeof(b));
	b[2] = b[3] = 0;
	b[5] = 0x10; /* the object runs past the end */
	codec_parse_extension(b, sizeof(b), false, &p);
	assert_int_equal(p.mpls_count, 0);
}

static void test_mpls(void **state)
{
	static const struct {
		enum mpls_flaw flaw;
		int labels;
	} cases[] = {{MPLS_OK, 2},      {MPLS_NO_LENGTH, 2}, {MPLS_NO_LENGTH_NO_SUM, 0},
	             {MPLS_BAD_SUM, 0}, {MPLS_ZERO_SUM, 2},  {MPLS_OBJ_PAST_END, 0},
	             {MPLS_OBJ_ODD, 0}, {MPLS_CUT, 0},       {MPLS_VERSION1, 0}};
	uint8_t pkt[256];
	struct codec_packet p;
	size_t i;
	int family;

	(void)state;
	for (family = 4; family <= 6; family += 2) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			size_t n = mpls_packet(family, cases[i].flaw, pkt);
			uint8_t *b = exact(pkt, n);

			assert_int_equal(codec_parse(family, false, b, n, &p), 0);
			print_message("IPv%d case %zu: %d labels\n", family, i, p.mpls_count);
			/* the quote is read alike, whatever the extension */
			assert_int_equal(p.kind, CODEC_ERROR);
			assert_true(p.checksum_ok);
			assert_int_equal(p.id, 0x4242);
			assert_int_equal(p.seq, 7);
			assert_int_equal(p.mpls_count, cases[i].labels);
			if (cases[i].labels) {
				assert_int_equal(p.mpls[0].label, 24001);
				assert_int_equal(p.mpls[0].tc, 5);
				assert_int_equal(p.mpls[0].s, 0);
				assert_int_equal(p.mpls[0].ttl, 1);
				assert_int_equal(p.mpls[1].label, 16);
				assert_int_equal(p.mpls[1].tc, 0);
				assert_int_equal(p.mpls[1].s, 1);
				assert_int_equal(p.mpls[1].ttl, 255);
			}
			free(b);
		}
	}
}

/* A Redirect's bytes 4-7 are a gateway address, not RFC 4884's length:
 * its quote is read whole. */
static void test_redirect_not_a_length(void **state)
{
	uint8_t pkt[256];
	struct codec_packet p;
	size_t n = mpls_packet(4, MPLS_OK, pkt);
	uint16_t s;

	(void)state;
	pkt[0] = 5, pkt[4] = 10, pkt[5] = 1, pkt[6] = 1, pkt[7] = 1; /* gateway 10.1.1.1 */
	pkt[2] = pkt[3] = 0;
	s = sum16(pkt, n);
	pkt[2] = (uint8_t)(s >> 8), pkt[3] = (uint8_t)s;
	assert_int_equal(codec_parse(4, false, pkt, n, &p), 0);
	assert_int_equal(p.kind, CODEC_ERROR);
	assert_int_equal(p.payload_len, 8); /* total length 36 = 20 + 8 + 8 */
	assert_int_equal(p.mpls_count, 0);
}

/* Garbage of every length: no crash, no overread (ASan in CI), and every
 * parse that succeeds is sound. */
static void test_random(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int i, parsed = 0;

	(void)state;
	for (i = 0; i < 200000; i++) {
		size_t len, j;
		uint8_t *b;
		struct codec_packet p;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		len = (size_t)(x % 200);
		b = malloc(len ? len : 1);
		assert_non_null(b);
		for (j = 0; j < len; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[j] = (uint8_t)x;
		}
		/* bias towards plausible headers so the deep paths run too */
		if (len > 0 && (i & 3) == 0)
			b[0] = 0x45;
		if (len > 28 && (i & 7) == 0) {
			b[20] = 11;
			if (len > 48)
				b[28] = 0x45, b[37] = 1;
		}
		if (codec_parse(4, true, b, len, &p) == 0)
			assert_sound_parse(4, true, b, len, &p), parsed++;
		if (codec_parse(4, false, b, len, &p) == 0)
			assert_sound_parse(4, false, b, len, &p), parsed++;
		if (len > 14 && (i & 3) == 1)
			b[0] = 3, b[8] = 0x60, b[14] = 58;
		if (codec_parse(6, false, b, len, &p) == 0)
			assert_sound_parse(6, false, b, len, &p), parsed++;
		memset(&p, 0, sizeof(p));
		codec_parse_quoted_echo(4, b, len, &p);
		free(b);
	}
	/* the invariants were really exercised */
	print_message("%d of 600000 parses succeeded and were sound\n", parsed);
	assert_true(parsed > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_checksum_rfc1071),
	    cmocka_unit_test(test_build_echo4_golden),
	    cmocka_unit_test(test_build_echo6_golden),
	    cmocka_unit_test(test_build_limits),
	    cmocka_unit_test(test_parse_raw4_reply),
	    cmocka_unit_test(test_parse_raw4_options_and_padding),
	    cmocka_unit_test(test_parse_bad_checksum),
	    cmocka_unit_test(test_parse_dgram6_reply),
	    cmocka_unit_test(test_parse_raw4_time_exceeded),
	    cmocka_unit_test(test_parse_error_minimal_quote),
	    cmocka_unit_test(test_parse_error_not_echo),
	    cmocka_unit_test(test_parse_icmp6_time_exceeded),
	    cmocka_unit_test(test_parse_quoted_echo),
	    cmocka_unit_test(test_build_syn),
	    cmocka_unit_test(test_parse_tcp),
	    cmocka_unit_test(test_parse_error_quoting_tcp),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_lying_lengths),
	    cmocka_unit_test(test_oversized),
	    cmocka_unit_test(test_mpls),
	    cmocka_unit_test(test_extension_alone),
	    cmocka_unit_test(test_redirect_not_a_length),
	    cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
