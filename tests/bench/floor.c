/*
 * floor.c - the least work any ICMP pinger can do on this machine: one raw
 * socket (echo replies only, kernel timestamps, the same 8 MiB receive
 * buffer as sonar), one sendto() per probe and one recvmsg() per reply,
 * no matching, no statistics, no output but two counts. A benchmark runs it
 * under bench-run beside sonar on the same targets: the CPU it spends is
 * the kernel's share of every probe (on a machine where a send costs
 * microseconds, that share alone can exceed a goal), and sonar's CPU less
 * the floor's is what sonar itself costs.
 *
 * Usage: bench-floor FILE COUNT INTERVAL_S SPREAD
 * Sends COUNT rounds, INTERVAL_S apart, to every IPv4 address in FILE (one
 * per line). SPREAD 0 sends a round at once (sonar --pacing 0, fping -i 0);
 * SPREAD 1 spreads the targets' sends evenly across the interval (sonar's
 * default pacing). Waits for replies up to 1 s after the last send.
 * Prints "SENT RECEIVED" (replies to its own identifier only); exits 0
 * when every probe was answered.
 */
#include "config.h"

#include <arpa/inet.h>
#include <linux/icmp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_TARGETS 1000000

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint16_t checksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; len -= 2, p += 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static long drain(int fd)
{
	char buf[256], ctl[128];
	struct sockaddr_in from;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr m;
	long n = 0;

	for (;;) {
		memset(&m, 0, sizeof(m));
		m.msg_name = &from;
		m.msg_namelen = sizeof(from);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		ssize_t len = recvmsg(fd, &m, MSG_DONTWAIT);
		size_t ihl;

		if (len < 0)
			return n;
		/* ours only: a raw socket sees every echo reply of the host */
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)len >= ihl + 8 && (uint8_t)buf[ihl] == ICMP_ECHOREPLY &&
		    (uint8_t)buf[ihl + 4] == 0x5e && (uint8_t)buf[ihl + 5] == 0xed)
			n++;
	}
}

static void send_one(int fd, struct in_addr to, uint16_t seq)
{
	uint8_t pkt[64] = {ICMP_ECHO, 0, 0, 0, 0x5e, 0xed, (uint8_t)(seq >> 8), (uint8_t)seq};
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = to};
	uint16_t sum = checksum(pkt, sizeof(pkt));

	memcpy(pkt + 2, &sum, 2);
	sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sa, sizeof(sa));
}

int main(int argc, char **argv)
{
	static struct in_addr addr[MAX_TARGETS];
	struct icmp_filter filt = {~(1U << ICMP_ECHOREPLY)};
	char line[128];
	long n = 0, sent = 0, got = 0, count;
	double interval, t0, end;
	int fd, spread, on = 1, rcvbuf = 8 * 1024 * 1024;
	FILE *f;

	if (argc != 5 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: bench-floor FILE COUNT INTERVAL_S SPREAD\n");
		return 2;
	}
	while (n < MAX_TARGETS && fgets(line, sizeof(line), f)) {
		line[strcspn(line, " \t\r\n")] = '\0';
		if (inet_pton(AF_INET, line, &addr[n]) == 1)
			n++;
	}
	fclose(f);
	count = atol(argv[2]);
	interval = atof(argv[3]);
	spread = atoi(argv[4]);
	if (n == 0 || count < 1 || interval <= 0) {
		fprintf(stderr, "bench-floor: no targets, or a bad count or interval\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd < 0) {
		perror("bench-floor: socket");
		return 4;
	}
	setsockopt(fd, SOL_RAW, ICMP_FILTER, &filt, sizeof(filt));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

	t0 = now();
	for (long k = 0; k < count * n; k++) {
		long round = k / n, i = k % n;
		double due =
		    t0 + (double)round * interval + (spread ? interval * (double)i / (double)n : 0);
		double wait;

		while ((wait = due - now()) > 0) {
			struct pollfd p = {fd, POLLIN, 0};

			if (poll(&p, 1, (int)(wait * 1000) + 1) > 0)
				got += drain(fd);
		}
		send_one(fd, addr[i], (uint16_t)round);
		sent++;
		if ((k & 63) == 63)
			got += drain(fd);
	}
	end = now() + 1.0;
	while (got < sent && now() < end) {
		struct pollfd p = {fd, POLLIN, 0};

		if (poll(&p, 1, 50) > 0)
			got += drain(fd);
	}
	printf("%ld %ld\n", sent, got);
	return got == sent ? 0 : 1;
}
