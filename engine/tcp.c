/*
 * tcp.c - TCP probes: one non-blocking connect() per probe, as tcping and
 * mtr's TCP mode do, unprivileged.
 *
 * A probe's socket carries the probe's TTL and traffic class and asks for
 * ICMP errors (IP_RECVERR / IPV6_RECVERR). The destination answers with a
 * SYN-ACK (the connection is up: writable) or a RST (ECONNREFUSED): either
 * way it was reached; a router answers Time Exceeded, read from the
 * socket's error queue with the router's address. The RTT of a SYN-ACK is
 * the kernel's own measure of that handshake (TCP_INFO), not the time the
 * loop noticed it. Every answered probe's socket is closed at once with
 * SO_LINGER 0: a RST, so the destination keeps no half-open connection
 * and this host no TIME_WAIT.
 *
 * The sockets in flight are a list (e->tcp): each turn checks them all with
 * one poll() of timeout 0, so a caller that waits on sonar_engine_fds()'s
 * read set (not writable) still has its SYN-ACKs seen at the next turn,
 * with the kernel's RTT.
 */
#include "config.h"

#include <errno.h>
#include <time.h>
#include <linux/errqueue.h> /* after time.h: it uses struct timespec */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "codec.h"
#include "internal.h"
#include "sock.h"

static int set_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

int tcp_send(struct sonar_engine *e, struct target *t, struct probe *p, int tclass)
{
	const struct linger abort_on_close = {1, 0};
	int fam = t->sock->family, fd, r;

	if (e->tcp_n == e->tcp_cap) {
		size_t cap = e->tcp_cap ? e->tcp_cap * 2 : 64;
		struct tcp_probe *v = realloc(e->tcp, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->tcp = v;
		e->tcp_cap = cap;
	}
	fd = socket(fam == 6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	            IPPROTO_TCP);
	if (fd < 0)
		return -errno;
	if (fam == 6) {
		set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, t->ttl);
		set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, tclass);
		set_int(fd, IPPROTO_IPV6, IPV6_RECVERR, 1);
	} else {
		set_int(fd, IPPROTO_IP, IP_TTL, t->ttl);
		set_int(fd, IPPROTO_IP, IP_TOS, tclass);
		set_int(fd, IPPROTO_IP, IP_RECVERR, 1);
	}
	set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
	if (t->sock->source.len &&
	    bind(fd, (const struct sockaddr *)&t->sock->source.ss, t->sock->source.len) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	p->sent_mono = mono_now(); /* the SYN leaves now, not at socket() */
	r = connect(fd, (const struct sockaddr *)&t->addr.ss, t->addr.len);
	if (r < 0 && errno != EINPROGRESS && errno != ECONNREFUSED) {
		r = -errno;
		close(fd);
		return r;
	}
	e->tcp[e->tcp_n].fd = fd;
	e->tcp[e->tcp_n].t = t;
	e->tcp[e->tcp_n].no = p->no;
	e->tcp[e->tcp_n].refused = r < 0; /* a RST already (loopback) */
	e->tcp[e->tcp_n].refused_at = r < 0 ? mono_now() : 0;
	e->tcp_n++;
	return 0;
}

/* Close entry i and take it off the list (the last one moves in). */
static void drop(struct sonar_engine *e, size_t i)
{
	close(e->tcp[i].fd);
	e->tcp[i] = e->tcp[--e->tcp_n];
}

void tcp_forget(struct sonar_engine *e, const struct target *t, uint32_t no)
{
	size_t i;

	for (i = 0; i < e->tcp_n; i++)
		if (e->tcp[i].t == t && e->tcp[i].no == no) {
			drop(e, i);
			return;
		}
}

/* The kernel's RTT of the handshake just done, ns; 0 when it has none. */
static int64_t handshake_rtt(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 || ti.tcpi_rtt == 0)
		return 0;
	return (int64_t)ti.tcpi_rtt * 1000;
}

/* What entry i's socket says, if anything: a reply, an ICMP error, or
 * nothing yet. Its socket is closed before the callbacks run. */
static void check_one(struct sonar_engine *e, size_t i, short revents)
{
	struct tcp_probe tp = e->tcp[i];
	struct target *t = tp.t;
	struct probe *p = &t->ring[tp.no % t->ring_size];
	struct sock s = {.fd = tp.fd, .family = t->sock->family};
	struct sock_msg m;
	socklen_t len = sizeof(int);
	int err = 0;

	if (p->state != PROBE_WAITING || p->no != tp.no) {
		drop(e, i); /* answered, expired or gone already */
		return;
	}
	memset(&m, 0, sizeof(m));
	m.ttl = -1;
	if ((revents & POLLERR) && sock_recv(&s, true, e->rxbuf, RXBUF_BYTES, &m) > 0 &&
	    (m.ee_origin == SO_EE_ORIGIN_ICMP || m.ee_origin == SO_EE_ORIGIN_ICMP6)) {
		/* a router's Time Exceeded, or an Unreachable */
		drop(e, i);
		recv_on_error(t, p, &m, m.ee_type, m.ee_code, -1, &m.offender, NULL);
		return;
	}
	getsockopt(tp.fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (tp.refused || err == ECONNREFUSED || (err == 0 && (revents & POLLOUT))) {
		/* a RST or a SYN-ACK from the destination: reached */
		int64_t rtt = tp.refused ? tp.refused_at - p->sent_mono
		              : err == 0 ? handshake_rtt(tp.fd)
		                         : 0;

		memset(&m, 0, sizeof(m));
		m.ttl = -1;
		m.from = t->addr;
		if (rtt > 0) { /* the kernel's measure, as a stamp */
			int64_t at = p->sent_mono + rtt + e->real_offset;

			m.stamp.tv_sec = (time_t)(at / NS_PER_SEC);
			m.stamp.tv_nsec = (long)(at % NS_PER_SEC);
			m.has_stamp = true;
		}
		drop(e, i);
		recv_on_reply(t, p, &m, 0, -1);
		return;
	}
	if (err != 0 || (revents & (POLLERR | POLLHUP))) {
		/* refused by something else: no route, unreachable */
		drop(e, i);
		recv_on_failure(t, p, err ? err : EHOSTUNREACH);
	}
}

void tcp_check(struct sonar_engine *e)
{
	size_t i, n = e->tcp_n;

	if (n == 0)
		return;
	if (e->tcp_pfd_cap < n) {
		struct pollfd *v = realloc(e->tcp_pfd, n * sizeof(*v));

		if (!v)
			return; /* next turn; the probes still time out */
		e->tcp_pfd = v;
		e->tcp_pfd_cap = n;
	}
	for (i = 0; i < n; i++) {
		e->tcp_pfd[i].fd = e->tcp[i].fd;
		e->tcp_pfd[i].events = POLLOUT;
		e->tcp_pfd[i].revents = 0;
	}
	if (poll(e->tcp_pfd, (nfds_t)n, 0) <= 0)
		return;
	/* from the end: drop() moves the last entry into a checked slot */
	for (i = n; i-- > 0;) {
		if (i >= e->tcp_n || e->tcp_pfd[i].revents == 0 || e->tcp[i].fd != e->tcp_pfd[i].fd)
			continue;
		check_one(e, i, e->tcp_pfd[i].revents);
	}
}

void tcp_free(struct sonar_engine *e)
{
	while (e->tcp_n > 0)
		drop(e, e->tcp_n - 1);
	free(e->tcp);
	free(e->tcp_pfd);
}
