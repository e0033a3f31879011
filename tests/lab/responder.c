/*
 * responder.c - answers ICMP echo requests itself, for the lab.
 *
 * Runs in a namespace whose kernel echo replies are off
 * (net.ipv4.icmp_echo_ignore_all=1, net.ipv6.icmp.echo_ignore_all=1) and
 * answers every request it sees, after an optional delay (with jitter), and
 * optionally sends bogus packets before the genuine reply:
 *
 *   dup       the genuine reply twice (after it)
 *   corrupt   a reply whose payload has one byte changed (checksum right)
 *   badsum    the genuine reply with a wrong checksum (IPv4 only)
 *   wrongid   identifier + 1
 *   wrongseq  sequence + 1
 *   wrongsrc  the genuine reply, but from --alt-source
 *   short     the reply cut to 6 bytes
 *   oversized the genuine reply with 200 more payload bytes
 *   fakeerror a Time Exceeded quoting an echo never sent (other id and seq)
 *   unreachfirst  a Destination Unreachable quoting the genuine request,
 *             before the genuine reply (an error a reply must override)
 *   quench    a Source Quench quoting the genuine request, before the
 *             genuine reply (IPv4; RFC 6633 retired it: never credited)
 *   paramprobttl1  a request that arrives with TTL / hop limit 1 (a trace's
 *             probe aimed at exactly this distance) gets a Parameter
 *             Problem quoting it instead of a reply; others get replies
 *
 * Errors that quote the genuine request need the address it was sent to:
 * an IPv4 request carries it; for IPv6 pass --source.
 * Usage: responder -4|-6 [--source ADDR] [--delay-ms N] [--jitter-ms N]
 *                  [--extra a,b,...] [--alt-source ADDR] [--no-reply] [--seconds N]
 * --source binds the answering socket (with two addresses on a link, the
 * kernel's choice of source may not be the address that was probed).
 * It stops by itself after --seconds (default 30).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"

#define MAX_PENDING 16384

struct pending {
	int64_t due;
	uint64_t order; /* arrival: equal dues are answered in arrival order */
	struct sockaddr_storage to;
	socklen_t tolen;
	uint16_t id, seq;
	uint8_t dst[16]; /* where the request was sent (the quoted destination) */
	int ttl;         /* TTL / hop limit it arrived with; -1 unknown */
	size_t len;
	uint8_t payload[1500];
};

static int family = 4;
static int fd = -1, alt_fd = -1;
static bool extra_dup, extra_corrupt, extra_badsum, extra_wrongid, extra_wrongseq, extra_wrongsrc,
    extra_short, extra_oversized, extra_fakeerror, extra_unreachfirst, extra_quench,
    extra_paramprobttl1;
static bool no_reply;
/* Requests waiting for their answer: a pool, and a binary min-heap of its
 * slots by (due, order), so that thousands waiting (tests/unit/test_delay.c
 * sends 6,000 at once) cost log n each, not a scan per packet. */
static struct pending pool[MAX_PENDING];
static int heap[MAX_PENDING], free_slots[MAX_PENDING];
static size_t queued, n_free;

/* Is slot a due before slot b? */
static bool before(int a, int b)
{
	return pool[a].due < pool[b].due ||
	       (pool[a].due == pool[b].due && pool[a].order < pool[b].order);
}

/* Exchange heap entries i and j. */
static void heap_swap(size_t i, size_t j)
{
	int t = heap[i];

	heap[i] = heap[j];
	heap[j] = t;
}

/* Add slot to the heap. */
static void heap_push(int slot)
{
	size_t i = queued++;

	heap[i] = slot;
	while (i > 0 && before(heap[i], heap[(i - 1) / 2])) {
		heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

/* Take the slot due first off the heap. */
static int heap_pop(void)
{
	int top = heap[0];
	size_t i = 0;

	heap[0] = heap[--queued];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < queued && before(heap[l], heap[m]))
			m = l;
		if (r < queued && before(heap[r], heap[m]))
			m = r;
		if (m == i)
			break;
		heap_swap(i, m);
		i = m;
	}
	return top;
}

/* Monotonic microseconds: a delay is at least what was asked (whole
 * milliseconds rounded down at arrival answered up to 1 ms early). */
static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Open a raw ICMP socket, bound to src when given. */
static int open_raw(const char *src)
{
	int s = socket(family == 6 ? AF_INET6 : AF_INET, SOCK_RAW,
	               family == 6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);

	if (s < 0) {
		perror("responder: socket");
		exit(1);
	}
	/* thousands of requests may arrive at once (tests/unit/test_delay.c) */
	{
		int big = 32 * 1024 * 1024;

		if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
			setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	}
	if (src) {
		struct sockaddr_storage ss;
		socklen_t len;

		memset(&ss, 0, sizeof(ss));
		if (family == 6) {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

			a->sin6_family = AF_INET6;
			inet_pton(AF_INET6, src, &a->sin6_addr);
			len = sizeof(*a);
		} else {
			struct sockaddr_in *a = (struct sockaddr_in *)&ss;

			a->sin_family = AF_INET;
			inet_pton(AF_INET, src, &a->sin_addr);
			len = sizeof(*a);
		}
		if (bind(s, (struct sockaddr *)&ss, len) < 0) {
			perror("responder: bind");
			exit(1);
		}
	}
	return s;
}

/* Send one echo reply built from p, altered as asked. */
static void send_reply(int s, const struct pending *p, uint16_t id, uint16_t seq, int corrupt,
                       bool badsum, size_t cut)
{
	uint8_t buf[1600];
	size_t n = codec_build_echo(family, id, seq, p->payload, p->len, buf, sizeof(buf));

	buf[0] = family == 6 ? ICMP6_ECHO_REPLY : ICMP4_ECHO_REPLY;
	if (corrupt && p->len > 0)
		buf[8] ^= 0x20;
	if (family == 4) {
		uint16_t c;

		buf[2] = buf[3] = 0;
		c = codec_checksum(buf, n);
		if (badsum)
			c ^= 0x5a5a;
		buf[2] = (uint8_t)(c >> 8);
		buf[3] = (uint8_t)c;
	}
	if (cut && cut < n)
		n = cut;
	if (sendto(s, buf, n, 0, (const struct sockaddr *)&p->to, p->tolen) < 0)
		perror("responder: sendto");
}

/* A reply with the request's payload and 200 bytes more. */
static void send_oversized(const struct pending *p)
{
	struct pending big = *p;

	if (p->len + 200 > sizeof(big.payload))
		return;
	memset(big.payload + p->len, 'Z', 200);
	big.len = p->len + 200;
	send_reply(fd, &big, p->id, p->seq, 0, false, 0);
}

/* The ICMPv6 checksum of msg (n bytes) from src to dst (RFC 8200 8.1). */
static uint16_t icmp6_checksum(const uint8_t *src, const uint8_t *dst, const uint8_t *msg, size_t n)
{
	static uint8_t buf[40 + 1700];

	if (n > sizeof(buf) - 40)
		return 0;
	memcpy(buf, src, 16);
	memcpy(buf + 16, dst, 16);
	buf[32] = (uint8_t)(n >> 24);
	buf[33] = (uint8_t)(n >> 16);
	buf[34] = (uint8_t)(n >> 8);
	buf[35] = (uint8_t)n;
	buf[36] = buf[37] = buf[38] = 0;
	buf[39] = 58;
	memcpy(buf + 40, msg, n);
	return codec_checksum(buf, 40 + n);
}

/*
 * An ICMP error of this type and code quoting an echo request: the genuine
 * one (genuine: its id, sequence and destination), or one never sent
 * (other id and sequence, "to" the prober itself).
 */
static void send_error(const struct pending *p, int type, int code, bool genuine)
{
	uint8_t quote[1600], msg[1700];
	uint16_t id = genuine ? p->id : (uint16_t)(p->id + 7);
	uint16_t seq = genuine ? p->seq : (uint16_t)(p->seq + 7);
	size_t n = codec_build_echo(family, id, seq, p->payload, p->len,
	                            quote + (family == 6 ? 40 : 20), sizeof(quote) - 40);
	size_t ql;

	if (!n)
		return;
	memset(quote, 0, family == 6 ? 40 : 20);
	if (family == 6) {
		const struct sockaddr_in6 *to = (const struct sockaddr_in6 *)&p->to;
		uint16_t c;

		quote[0] = 0x60;
		quote[4] = (uint8_t)(n >> 8);
		quote[5] = (uint8_t)n;
		quote[6] = 58;
		quote[7] = 1;
		memcpy(quote + 8, &to->sin6_addr, 16); /* it came from the prober */
		memcpy(quote + 24, genuine ? p->dst : (const uint8_t *)&to->sin6_addr, 16);
		/* the echo as it was sent, with the checksum the prober's kernel
		 * gave it (codec_build_echo leaves an ICMPv6 one to the kernel) */
		c = icmp6_checksum(quote + 8, quote + 24, quote + 40, n);
		quote[42] = (uint8_t)(c >> 8);
		quote[43] = (uint8_t)c;
		ql = 40 + n;
	} else {
		const struct sockaddr_in *to = (const struct sockaddr_in *)&p->to;
		uint16_t c;

		quote[0] = 0x45;
		quote[2] = (uint8_t)((20 + n) >> 8);
		quote[3] = (uint8_t)(20 + n);
		quote[8] = 1;
		quote[9] = 1;
		memcpy(quote + 12, &to->sin_addr, 4);
		memcpy(quote + 16, genuine ? p->dst : (const uint8_t *)&to->sin_addr, 4);
		c = codec_checksum(quote, 20); /* a header as a router received it */
		quote[10] = (uint8_t)(c >> 8);
		quote[11] = (uint8_t)c;
		ql = 20 + n;
	}
	memset(msg, 0, 8);
	msg[0] = (uint8_t)type;
	msg[1] = (uint8_t)code;
	memcpy(msg + 8, quote, ql);
	if (family == 4) {
		uint16_t c = codec_checksum(msg, 8 + ql);

		msg[2] = (uint8_t)(c >> 8);
		msg[3] = (uint8_t)c;
	}
	if (sendto(fd, msg, 8 + ql, 0, (const struct sockaddr *)&p->to, p->tolen) < 0)
		perror("responder: sendto");
}

/* Send what is due for p: the bogus extras first, then the genuine reply. */
static void answer(const struct pending *p)
{
	if (extra_oversized)
		send_oversized(p);
	if (extra_fakeerror)
		send_error(p, family == 6 ? ICMP6_TIME_EXCEEDED : ICMP4_TIME_EXCEEDED, 0, false);
	if (extra_unreachfirst) /* host unreachable; v6: address unreachable */
		send_error(p, family == 6 ? ICMP6_UNREACH : ICMP4_UNREACH, family == 6 ? 3 : 1,
		           true);
	if (extra_quench && family == 4)
		send_error(p, ICMP4_SOURCE_QUENCH, 0, true);
	if (extra_paramprobttl1 && p->ttl == 1) {
		send_error(p, family == 6 ? ICMP6_PARAM_PROBLEM : ICMP4_PARAM_PROBLEM, 0, true);
		return;
	}
	if (extra_corrupt)
		send_reply(fd, p, p->id, p->seq, 1, false, 0);
	if (extra_badsum && family == 4)
		send_reply(fd, p, p->id, p->seq, 0, true, 0);
	if (extra_wrongid)
		send_reply(fd, p, (uint16_t)(p->id + 1), p->seq, 0, false, 0);
	if (extra_wrongseq)
		send_reply(fd, p, p->id, (uint16_t)(p->seq + 1), 0, false, 0);
	if (extra_wrongsrc && alt_fd >= 0)
		send_reply(alt_fd, p, p->id, p->seq, 0, false, 0);
	if (extra_short)
		send_reply(fd, p, p->id, p->seq, 0, false, 6);
	if (no_reply)
		return;
	send_reply(fd, p, p->id, p->seq, 0, false, 0);
	if (extra_dup)
		send_reply(fd, p, p->id, p->seq, 0, false, 0);
}

/* Parse --extra's comma-separated list. */
static void parse_extra(char *list)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "dup"))
			extra_dup = true;
		else if (!strcmp(tok, "corrupt"))
			extra_corrupt = true;
		else if (!strcmp(tok, "badsum"))
			extra_badsum = true;
		else if (!strcmp(tok, "wrongid"))
			extra_wrongid = true;
		else if (!strcmp(tok, "wrongseq"))
			extra_wrongseq = true;
		else if (!strcmp(tok, "wrongsrc"))
			extra_wrongsrc = true;
		else if (!strcmp(tok, "short"))
			extra_short = true;
		else if (!strcmp(tok, "oversized"))
			extra_oversized = true;
		else if (!strcmp(tok, "fakeerror"))
			extra_fakeerror = true;
		else if (!strcmp(tok, "unreachfirst"))
			extra_unreachfirst = true;
		else if (!strcmp(tok, "quench"))
			extra_quench = true;
		else if (!strcmp(tok, "paramprobttl1"))
			extra_paramprobttl1 = true;
		else {
			fprintf(stderr, "responder: unknown extra '%s'\n", tok);
			exit(2);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"delay-ms", required_argument, NULL, 'd'},
	    {"jitter-ms", required_argument, NULL, 'j'},
	    {"extra", required_argument, NULL, 'x'},
	    {"alt-source", required_argument, NULL, 'a'},
	    {"source", required_argument, NULL, 'S'},
	    {"no-reply", no_argument, NULL, 'n'},
	    {"seconds", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	int64_t delay = 0, jitter = 0, end;
	const char *alt = NULL, *src = NULL;
	uint8_t src_bytes[16] = {0};
	int c, seconds = 30;
	unsigned rnd = 12345;
	uint64_t arrivals = 0;
	static uint8_t buf[65600];

	while ((c = getopt_long(argc, argv, "46", longopts, NULL)) != -1) {
		switch (c) {
		case '4':
			family = 4;
			break;
		case '6':
			family = 6;
			break;
		case 'd':
			delay = atoi(optarg);
			break;
		case 'j':
			jitter = atoi(optarg);
			break;
		case 'x':
			parse_extra(optarg);
			break;
		case 'a':
			alt = optarg;
			break;
		case 'S':
			src = optarg;
			break;
		case 'n':
			no_reply = true;
			break;
		case 's':
			seconds = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	fd = open_raw(src);
	if (src)
		inet_pton(family == 6 ? AF_INET6 : AF_INET, src, src_bytes);
	if (family == 6) {
		int on = 1;

		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
	}
	if (alt)
		alt_fd = open_raw(alt);
	end = now_us() + (int64_t)seconds * 1000000;
	printf("ready\n");
	fflush(stdout);

	for (n_free = 0; n_free < MAX_PENDING; n_free++)
		free_slots[n_free] = (int)(MAX_PENDING - 1 - n_free);
	while (now_us() < end) {
		struct pollfd pfd = {fd, POLLIN, 0};
		int64_t now = now_us(), wait = end - now;
		int k;

		if (queued && pool[heap[0]].due - now < wait)
			wait = pool[heap[0]].due - now;
		if (wait < 0)
			wait = 0;
		wait = (wait + 999) / 1000; /* poll's milliseconds, never early */
		/* every request waiting (a burst at most), then what is due */
		for (k = 0; k < 1024 && poll(&pfd, 1, k ? 0 : (int)wait) > 0; k++) {
			struct sockaddr_storage from;
			socklen_t fromlen;
			struct codec_packet pkt;
			union {
				char buf[CMSG_SPACE(sizeof(int))];
				struct cmsghdr align;
			} ctl;
			struct iovec iov = {buf, sizeof(buf)};
			struct msghdr mh = {&from,   sizeof(from),    &iov, 1,
			                    ctl.buf, sizeof(ctl.buf), 0};
			struct cmsghdr *cm;
			ssize_t r = recvmsg(fd, &mh, MSG_DONTWAIT);
			int ttl = -1;

			fromlen = mh.msg_namelen;
			if (family == 4 && r >= 20)
				ttl = buf[8]; /* the request's own header */
			for (cm = CMSG_FIRSTHDR(&mh); family == 6 && r > 0 && cm;
			     cm = CMSG_NXTHDR(&mh, cm))
				if (cm->cmsg_level == IPPROTO_IPV6 &&
				    cm->cmsg_type == IPV6_HOPLIMIT)
					memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
			if (r > 0 && codec_parse(family, family == 4, buf, (size_t)r, &pkt) == 0 &&
			    pkt.kind == CODEC_ECHO_REQUEST && n_free > 0 &&
			    pkt.payload_len <= sizeof(pool[0].payload)) {
				int slot = free_slots[--n_free];
				struct pending *p = &pool[slot];
				int64_t late = delay;

				rnd = rnd * 1103515245u + 12345u;
				if (jitter)
					late += (int64_t)(rnd >> 8) % (jitter + 1);
				p->due = now_us() + 1000 * late;
				p->order = arrivals++;
				p->to = from;
				p->tolen = fromlen;
				p->id = pkt.id;
				p->seq = pkt.seq;
				p->ttl = ttl;
				if (family == 4 && r >= 20) /* the request's own header */
					memcpy(p->dst, buf + 16, 4);
				else
					memcpy(p->dst, src_bytes, 16);
				p->len = pkt.payload_len;
				memcpy(p->payload, pkt.payload, pkt.payload_len);
				heap_push(slot);
			}
		}
		now = now_us();
		while (queued && pool[heap[0]].due <= now) {
			int slot = heap_pop();

			answer(&pool[slot]);
			free_slots[n_free++] = slot;
		}
	}
	return 0;
}
