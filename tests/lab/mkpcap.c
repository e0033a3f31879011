/*
 * mkpcap.c - write pcap files of known ICMP packets for the capture tests:
 *
 *   mkpcap raw.pcap ether.pcap
 *
 * raw.pcap (link type raw IP), in order: an IPv4 echo request (id 0x1234,
 * seq 1, 10.1.0.1 > 10.9.0.9, TTL 64), its reply, a Time Exceeded from
 * 10.1.0.254 quoting it, a Destination Unreachable (host) quoting it, an
 * IPv6 echo request (fd00::1 > fd00::9, hop limit 63), an IPv6 Time
 * Exceeded from fd00::fe quoting it, an IPv6 echo reply behind a hop-by-hop
 * header, and an IPv4 echo request cut to 30 bytes (truncated).
 * ether.pcap (Ethernet): the IPv4 request and the IPv6 request again.
 */
#include "config.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"

/* An IPv4 header + payload into buf; returns the length. */
static size_t ip4(uint8_t *buf, const char *src, const char *dst, int ttl, const uint8_t *pl,
                  size_t n)
{
	uint16_t c;

	memset(buf, 0, 20);
	buf[0] = 0x45;
	buf[2] = (uint8_t)((20 + n) >> 8);
	buf[3] = (uint8_t)(20 + n);
	buf[8] = (uint8_t)ttl;
	buf[9] = 1;
	inet_pton(AF_INET, src, buf + 12);
	inet_pton(AF_INET, dst, buf + 16);
	c = codec_checksum(buf, 20);
	buf[10] = (uint8_t)(c >> 8);
	buf[11] = (uint8_t)c;
	memcpy(buf + 20, pl, n);
	return 20 + n;
}

/* An IPv6 header (next header nh) + payload into buf; returns the length. */
static size_t ip6(uint8_t *buf, const char *src, const char *dst, int hlim, int nh,
                  const uint8_t *pl, size_t n)
{
	memset(buf, 0, 40);
	buf[0] = 0x60;
	buf[4] = (uint8_t)(n >> 8);
	buf[5] = (uint8_t)n;
	buf[6] = (uint8_t)nh;
	buf[7] = (uint8_t)hlim;
	inet_pton(AF_INET6, src, buf + 8);
	inet_pton(AF_INET6, dst, buf + 24);
	memcpy(buf + 40, pl, n);
	return 40 + n;
}

/* An ICMP error (type, code) quoting q into buf; returns the length. */
static size_t icmp_error(int family, uint8_t *buf, int type, int code, const uint8_t *q, size_t n)
{
	uint16_t c;

	memset(buf, 0, 8);
	buf[0] = (uint8_t)type;
	buf[1] = (uint8_t)code;
	memcpy(buf + 8, q, n);
	if (family == 4) {
		c = codec_checksum(buf, 8 + n);
		buf[2] = (uint8_t)(c >> 8);
		buf[3] = (uint8_t)c;
	}
	return 8 + n;
}

/* Write one record (cut to caplen when smaller than len). */
static void put(pcap_dumper_t *d, const uint8_t *p, size_t len, size_t caplen, int sec)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = 1800000000 + sec;
	h.ts.tv_usec = 123456;
	h.len = (bpf_u_int32)len;
	h.caplen = (bpf_u_int32)(caplen < len ? caplen : len);
	pcap_dump((u_char *)d, &h, p);
}

int main(int argc, char **argv)
{
	uint8_t icmp[256], req4[256], rep4[256], err[512], pkt[512], req6[256], eth[600];
	size_t n, lreq4, lreq6, l;
	pcap_t *dead;
	pcap_dumper_t *d;

	if (argc != 3) {
		fprintf(stderr, "usage: mkpcap raw.pcap ether.pcap\n");
		return 2;
	}
	dead = pcap_open_dead(DLT_RAW, 65535);
	d = pcap_dump_open(dead, argv[1]);
	if (!d) {
		fprintf(stderr, "mkpcap: %s\n", pcap_geterr(dead));
		return 1;
	}
	n = codec_build_echo(4, 0x1234, 1, (const uint8_t *)"sonar-pcap-test!", 16, icmp,
	                     sizeof(icmp));
	lreq4 = ip4(req4, "10.1.0.1", "10.9.0.9", 64, icmp, n);
	put(d, req4, lreq4, lreq4, 0);
	icmp[0] = 0; /* the reply */
	icmp[2] = icmp[3] = 0;
	{
		uint16_t c = codec_checksum(icmp, n);

		icmp[2] = (uint8_t)(c >> 8);
		icmp[3] = (uint8_t)c;
	}
	l = ip4(rep4, "10.9.0.9", "10.1.0.1", 60, icmp, n);
	put(d, rep4, l, l, 1);
	l = icmp_error(4, err, 11, 0, req4, lreq4);
	l = ip4(pkt, "10.1.0.254", "10.1.0.1", 255, err, l);
	put(d, pkt, l, l, 2);
	l = icmp_error(4, err, 3, 1, req4, 28); /* RFC 792: header + 8 bytes */
	l = ip4(pkt, "10.1.0.254", "10.1.0.1", 255, err, l);
	put(d, pkt, l, l, 3);

	n = codec_build_echo(6, 0x5678, 2, (const uint8_t *)"v6!", 3, icmp, sizeof(icmp));
	lreq6 = ip6(req6, "fd00::1", "fd00::9", 63, 58, icmp, n);
	put(d, req6, lreq6, lreq6, 4);
	l = icmp_error(6, err, 3, 0, req6, lreq6);
	l = ip6(pkt, "fd00::fe", "fd00::1", 64, 58, err, l);
	put(d, pkt, l, l, 5);
	{
		/* a reply behind a hop-by-hop options header (next: 58) */
		uint8_t ext[300];

		memset(ext, 0, 8);
		ext[0] = 58;
		ext[2] = 1; /* PadN of 4 */
		ext[3] = 4;
		icmp[0] = 129;
		memcpy(ext + 8, icmp, n);
		l = ip6(pkt, "fd00::9", "fd00::1", 60, 0, ext, 8 + n);
		put(d, pkt, l, l, 6);
	}
	put(d, req4, lreq4, 30, 7); /* cut inside the ICMP payload */
	pcap_dump_close(d);
	pcap_close(dead);

	dead = pcap_open_dead(DLT_EN10MB, 65535);
	d = pcap_dump_open(dead, argv[2]);
	if (!d) {
		fprintf(stderr, "mkpcap: %s\n", pcap_geterr(dead));
		return 1;
	}
	memset(eth, 0, 14);
	eth[12] = 0x08; /* IPv4 */
	memcpy(eth + 14, req4, lreq4);
	put(d, eth, 14 + lreq4, 14 + lreq4, 0);
	eth[12] = 0x86;
	eth[13] = 0xdd; /* IPv6 */
	memcpy(eth + 14, req6, lreq6);
	put(d, eth, 14 + lreq6, 14 + lreq6, 1);
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}
