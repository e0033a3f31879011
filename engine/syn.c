/*
 * syn.c - TCP probes on raw sockets (privileged): SYNs built here, so that
 * every probe of one flow has one 4-tuple (Paris traceroute for TCP).
 *
 * A probe leaves from source port SONAR_TCP_FLOW_PORT + flow to the
 * target's port; what tells probes apart is the sequence number, id << 16
 * | seq (the key the engine's table knows). The destination answers with a
 * SYN-ACK or a RST-ACK acknowledging sequence + 1 (reached); the kernel,
 * which knows no such connection, resets a SYN-ACK itself. A router's
 * Time Exceeded quotes the SYN's first 8 bytes (ports and sequence): the
 * raw ICMP socket reads it (recv.c) and syn_quoted() names the probe.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "codec.h"
#include "internal.h"

uint16_t syn_port(const struct op *op)
{
	return (uint16_t)(SONAR_TCP_FLOW_PORT + op->opt.flow);
}

/* The address the kernel sends to t from (the checksum's pseudo header
 * holds it): the bound source, or the route's, which a connected UDP
 * socket learns without sending. 0 or -errno. */
static int source_of(const struct target *t, struct addr *out)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd, r = 0;

	if (t->sock->source.len) {
		*out = t->sock->source;
		return 0;
	}
	fd = socket(t->addr.ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&t->addr.ss, t->addr.len) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		r = -errno;
	close(fd);
	if (r == 0)
		addr_from_sockaddr(out, (const struct sockaddr *)&ss, len);
	return r;
}

int syn_send(struct sonar_engine *e, struct target *t, struct probe *p, int tclass)
{
	struct addr src, to = t->addr;
	size_t len;
	int r;

	if ((r = source_of(t, &src)) < 0)
		return r;
	len = codec_build_syn(t->sock->family, addr_bytes(&src), addr_bytes(&t->addr),
	                      syn_port(t->op), addr_port(&t->addr), (uint32_t)t->id << 16 | p->seq,
	                      e->txbuf, RXBUF_BYTES);
	/* a raw IPv6 socket takes no port but its protocol's: none */
	addr_set_port(&to, 0);
	return sock_send(t->sock, &to, e->txbuf, len, t->ttl, tclass);
}

void syn_answer(struct sonar_engine *e, struct sock *s, const struct sock_msg *m)
{
	struct codec_tcp seg;
	struct target *t;
	struct probe *p;
	struct key key;
	uint32_t acked;

	if (codec_parse_tcp(s->family, s->family == 4, e->rxbuf, m->len, &seg) < 0 ||
	    !(seg.flags & TCP_FLAG_ACK) || !(seg.flags & (TCP_FLAG_SYN | TCP_FLAG_RST)))
		return;
	acked = seg.ack - 1;
	key.sock = s;
	key.id = (uint16_t)(acked >> 16);
	key.seq = (uint16_t)acked;
	key.addr = &m->from;
	t = probe_find(e, &key, &p);
	if (!t || seg.dport != syn_port(t->op) || seg.sport != addr_port(&t->addr))
		return;
	recv_on_reply(t, p, m, m->len, seg.ttl >= 0 ? seg.ttl : m->ttl);
}

struct target *syn_quoted(struct sonar_engine *e, const struct codec_packet *pkt,
                          const struct addr *dst, struct probe **pp)
{
	struct sock *s;

	for (s = e->socks; s; s = s->next) {
		struct key key = {s, pkt->id, pkt->seq, dst};
		struct target *t;

		if (!s->tcp || !s->raw || s->family != pkt->quoted_family)
			continue;
		t = probe_find(e, &key, pp);
		if (t && pkt->quoted_sport == syn_port(t->op) &&
		    pkt->quoted_dport == addr_port(&t->addr))
			return t;
	}
	return NULL;
}
