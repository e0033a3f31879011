/*
 * recv.c - reading the sockets and crediting what arrives: an echo reply
 * to the probe it answers, an ICMP error to the probe it quotes.
 *
 * A reply is credited only to the probe sent to its source with its id and
 * sequence, and only when it carries the payload that was sent. An error
 * must quote such a probe. Source Quench (retired by RFC 6633) and
 * Redirect are never credited: a forged one quoting a guessable id would
 * otherwise suppress real replies. An error does not consume its probe: a
 * genuine echo reply after it overrides it (a probe answered is alive).
 */
#include "config.h"

#include <errno.h>
#include <time.h>
#include <linux/errqueue.h> /* after time.h: it uses struct timespec */
#include <string.h>

#include "codec.h"
#include "error.h"
#include "internal.h"

#define MAX_READS_PER_SOCKET 4096

/* RTT in ms of probe p answered at stamp (kernel's) or now. */
static double rtt_ms(const struct sonar_engine *e, const struct probe *p, const struct sock_msg *m)
{
	if (m->has_stamp) {
		/* The kernel stamps in CLOCK_REALTIME; the probe left at a
		 * CLOCK_MONOTONIC time. Both clocks are slewed alike, so their
		 * difference, read every turn, converts one into the other. */
		int64_t d = (int64_t)m->stamp.tv_sec * NS_PER_SEC + m->stamp.tv_nsec -
		            e->real_offset - p->sent_mono;

		/* A stepped wall clock can make this negative or huge: then
		 * fall back to the monotonic clock. */
		if (d >= 0 && d < 3600 * NS_PER_SEC)
			return (double)d / 1e6;
	}
	return (double)(mono_now() - p->sent_mono) / 1e6;
}

/* Fill what every answer's event says: who, how far, how fast, how big,
 * and when the kernel stamped it. */
static void answer_event(struct sonar_event *ev, const struct target *t, const struct sock_msg *m,
                         const struct addr *from, int ttl, double rtt, size_t bytes)
{
	event_from(ev, t, from);
	ev->reply_ttl = ttl;
	ev->rtt = rtt;
	ev->bytes = bytes;
	if (m->has_stamp)
		ev->when = m->stamp;
}

/* Is an ICMP error of this type one that may answer a probe? */
static bool creditable_error(int family, int type)
{
	if (family == 6)
		return type == ICMP6_UNREACH || type == ICMP6_PACKET_TOO_BIG ||
		       type == ICMP6_TIME_EXCEEDED || type == ICMP6_PARAM_PROBLEM;
	return type == ICMP4_UNREACH || type == ICMP4_TIME_EXCEEDED || type == ICMP4_PARAM_PROBLEM;
}

/* Credit an echo reply to probe p of t. */
void recv_on_reply(struct target *t, struct probe *p, const struct sock_msg *m, size_t bytes,
                   int ttl)
{
	struct sonar_event ev;
	double rtt = rtt_ms(t->op->e, p, m);

	if (p->state == PROBE_ANSWERED) {
		t->dups++;
		event_init(&ev, SONAR_EVENT_DUPLICATE, t, p);
	} else {
		if (p->state == PROBE_WAITING)
			t->outstanding--;
		else
			t->provisional--; /* a reply overrides the error */
		p->state = PROBE_ANSWERED;
		target_record_rtt(t, rtt);
		t->reply_ttl = (int16_t)ttl;
		if (t->op->responders)
			t->op->responders[t->index] = m->from;
		target_clear_error(t);
		event_init(&ev, SONAR_EVENT_REPLY, t, p);
	}
	answer_event(&ev, t, m, &m->from, ttl, rtt, bytes);
	event_emit(t, &ev);
	if (target_gone(t) || ev.type == SONAR_EVENT_DUPLICATE)
		return;
	t->op->ops->answered(t, -1, rtt);
	if (!target_gone(t))
		target_check_done(t);
}

/*
 * Credit an ICMP error quoting probe p of t. For a traceroute a router's
 * error is the answer it asks for (its RTT counts); otherwise it marks the
 * probe errored and the target's error, unless a reply came first.
 */
void recv_on_error(struct target *t, struct probe *p, const struct sock_msg *m, int type, int code,
                   int ttl, const struct addr *from, const struct labels *lab)
{
	static const struct labels none;
	struct sonar_event ev;
	char msg[SONAR_MSGLEN];
	double rtt = rtt_ms(t->op->e, p, m);
	int err = error_icmp(t->sock->family, type, code, msg, sizeof(msg));
	bool trace = t->op->ops->hops;

	if (!lab)
		lab = &none;
	if (p->state != PROBE_WAITING)
		return; /* a later error for one probe tells nothing new */
	t->outstanding--;
	if (trace) {
		p->state = PROBE_ANSWERED;
		target_record_rtt(t, rtt);
		t->reply_ttl = (int16_t)ttl;
		t->op->responders[t->index] = *from;
		if (lab->n)
			t->op->labels[t->index] = *lab;
	} else {
		p->state = PROBE_ERRORED;
		t->provisional++;
	}
	/* a router's Time Exceeded is what a traceroute asks for, not an
	 * error of the hop; anything else (unreachable ...) is */
	if (!trace || err != SONAR_ETIMEEXCEEDED) {
		target_error(t, err, msg);
		t->icmp_type = (int16_t)type;
		t->icmp_code = (int16_t)code;
	}
	event_init(&ev, SONAR_EVENT_ICMP_ERROR, t, p);
	answer_event(&ev, t, m, from, ttl, rtt, m->len);
	ev.icmp_type = type;
	ev.icmp_code = code;
	ev.error = err;
	ev.message = msg;
	ev.mpls_count = lab->n;
	ev.mpls = lab->e;
	event_emit(t, &ev);
	if (target_gone(t))
		return;
	if (trace)
		t->op->ops->answered(t, type, rtt);
	if (!target_gone(t))
		target_check_done(t);
}

void recv_on_failure(struct target *t, struct probe *p, int err)
{
	struct sock_msg m;
	int v6 = t->sock->family == 6;

	memset(&m, 0, sizeof(m));
	m.ttl = -1;
	m.from = t->addr;
	/* as the ICMP error the kernel turned into this errno */
	if (err == ENETUNREACH)
		recv_on_error(t, p, &m, v6 ? ICMP6_UNREACH : ICMP4_UNREACH, 0, -1, &t->addr, NULL);
	else
		recv_on_error(t, p, &m, v6 ? ICMP6_UNREACH : ICMP4_UNREACH, v6 ? 3 : 1, -1,
		              &t->addr, NULL);
}

/* Do the payload bytes we got (possibly a cut quote) agree with what t sent? */
static bool payload_matches(const struct target *t, const uint8_t *got, size_t len, bool whole)
{
	/* a UDP probe's payload begins with its sequence (parsed already, not
	 * in got); a trace's echo request with the balance that keeps its
	 * checksum (in got: passed over) */
	bool balance = !t->sock->udp && t->op->ops->hops && t->op->opt.payload_size >= 2;
	size_t skip = t->sock->udp || balance ? 2 : 0;
	size_t want = t->op->opt.payload_size - skip;

	if (balance) {
		size_t b = len < 2 ? len : 2;

		got += b;
		len -= b;
	}
	if (whole && len != want)
		return false;
	/* a quote longer than the probe (a datagram socket's error queue
	 * holds the ICMP error's RFC 4884 padding and extension after it) is
	 * judged on the probe's bytes; a reply must be exactly as long */
	if (len > want) {
		if (whole)
			return false;
		len = want;
	}
	return len == 0 || memcmp(got, t->op->payload + skip, len) == 0;
}

/* Is this the destination's answer to a UDP probe (Port Unreachable)? */
static bool port_unreachable(int family, int type, int code)
{
	return family == 6 ? type == ICMP6_UNREACH && code == 4
	                   : type == ICMP4_UNREACH && code == 3;
}

/* The probe that (sock, id, seq, addr) names and whose payload agrees. */
static struct target *match(struct sonar_engine *e, struct sock *s, const struct codec_packet *pkt,
                            const struct addr *addr, bool whole, struct probe **p)
{
	struct key key = {s, pkt->id, pkt->seq, addr};
	struct target *t = probe_find(e, &key, p);

	return t && payload_matches(t, pkt->payload, pkt->payload_len, whole) ? t : NULL;
}

_Static_assert(SONAR_MPLS_MAX == CODEC_MPLS_MAX, "one size of label stack");

/* The label stack the codec found, as the API shows it. */
static void labels_from(struct labels *lab, const struct codec_packet *pkt)
{
	int i;

	lab->n = pkt->mpls_count;
	for (i = 0; i < pkt->mpls_count; i++) {
		lab->e[i].label = pkt->mpls[i].label;
		lab->e[i].tc = pkt->mpls[i].tc;
		lab->e[i].s = pkt->mpls[i].s;
		lab->e[i].ttl = pkt->mpls[i].ttl;
	}
}

/* Is t, a target of UDP socket s, probing from's address and port? */
static bool probes_port(const struct target *t, const struct sock *s, const struct addr *from,
                        uint16_t port)
{
	return t && !t->done && t->sock == s && addr_port(&t->addr) == port &&
	       addr_equal(&t->addr, from);
}

/* The highest TTL of trace op that a router (not its destination)
 * answered: the destination's answers come from probes beyond it. */
static int router_ttl(const struct op *op)
{
	int most = 0;
	size_t i;

	for (i = 0; i < op->n; i++) {
		const struct target *t = op->targets[i];

		if (t && op->responders[i].len && !addr_equal(&op->responders[i], &t->addr) &&
		    t->ttl > most)
			most = t->ttl;
	}
	return most;
}

/*
 * A datagram on a UDP socket: a service's own answer at the probed port
 * (DNS on 53, say), which reaches the destination as its Port Unreachable
 * would. It is a reply only from a probed address and its port (the
 * probe's port pair: the socket's port is the other end). An answer that
 * starts with a waiting probe's sequence (DNS echoes its query's ID; an
 * echo service all of it) is that probe's. Any other names no probe: it
 * goes to the oldest waiting probe to that address and port (a service
 * answers in order); in a trace, only to a TTL beyond every TTL a router
 * answered (a probe that a router's Time Exceeded will answer never
 * reached the service).
 */
static void service_answer(struct sonar_engine *e, struct sock *s, const struct sock_msg *m)
{
	struct target *best = NULL, *t;
	struct probe *p = NULL;
	struct op *op;
	size_t i;

	if (m->len >= 2) {
		struct key key = {s, 0, (uint16_t)(e->rxbuf[0] << 8 | e->rxbuf[1]), &m->from};

		t = probe_find(e, &key, &p);
		if (t && probes_port(t, s, &m->from, m->from_port)) {
			recv_on_reply(t, p, m, m->len, m->ttl);
			return;
		}
		p = NULL;
	}
	for (op = e->ops; op; op = op->next) {
		int beyond = op->finished || !op->ops->hops ? 0 : router_ttl(op);

		for (i = 0; !op->finished && i < op->n; i++) {
			uint32_t k;

			t = op->targets[i];
			if (!probes_port(t, s, &m->from, m->from_port) || t->ttl <= beyond)
				continue;
			for (k = 0; k < t->ring_size; k++) {
				struct probe *q = &t->ring[k];

				if (q->state == PROBE_WAITING &&
				    (!p || q->sent_mono < p->sent_mono)) {
					p = q;
					best = t;
				}
			}
		}
	}
	if (best)
		recv_on_reply(best, p, m, m->len, m->ttl);
}

/* Handle one message read from socket s. */
static void handle_message(struct sonar_engine *e, struct sock *s, const struct sock_msg *m)
{
	struct codec_packet pkt;
	struct labels lab = {0};
	struct target *t;
	struct probe *p;
	struct addr dst;

	if (m->has_stamp)
		e->last_stamp =
		    (int64_t)m->stamp.tv_sec * NS_PER_SEC + m->stamp.tv_nsec - e->real_offset;
	if (m->is_error) {
		/* Datagram socket error queue: the quoted echo request we sent,
		 * addressed (msg_name) to the probed host; the router is the
		 * offender. */
		if (m->ee_origin != SO_EE_ORIGIN_ICMP && m->ee_origin != SO_EE_ORIGIN_ICMP6)
			return;
		if (!creditable_error(s->family, m->ee_type))
			return;
		/* the quote ends where an RFC 4884 extension starts */
		size_t quoted = m->ext_offset && m->ext_offset < m->len ? m->ext_offset : m->len;

		memset(&pkt, 0, sizeof(pkt));
		if (s->udp) {
			/* the UDP payload we sent: its sequence, then the rest */
			if (quoted < 2)
				return;
			pkt.seq = (uint16_t)(e->rxbuf[0] << 8 | e->rxbuf[1]);
			pkt.payload = e->rxbuf + 2;
			pkt.payload_len = quoted - 2;
		} else if (codec_parse_quoted_echo(s->family, e->rxbuf, quoted, &pkt) < 0) {
			return;
		}
		/* its MPLS labels, unless the kernel or the codec finds it malformed */
		if (quoted < m->len && !m->ext_invalid) {
			codec_parse_extension(e->rxbuf + quoted, m->len - quoted, false, &pkt);
			labels_from(&lab, &pkt);
		}
		if (!(t = match(e, s, &pkt, &m->from, false, &p)))
			return;
		if (s->udp && port_unreachable(s->family, m->ee_type, m->ee_code) &&
		    addr_equal(&m->offender, &t->addr))
			recv_on_reply(t, p, m, m->len, m->ttl); /* the destination: reached */
		else
			recv_on_error(t, p, m, m->ee_type, m->ee_code, m->ttl, &m->offender, &lab);
		return;
	}
	if (s->udp) {
		service_answer(e, s, m); /* a datagram from a service at the port */
		return;
	}
	if (s->tcp) {
		syn_answer(e, s, m); /* raw TCP: a SYN-ACK or RST answering a SYN? */
		return;
	}
	if (codec_parse(s->family, s->raw && s->family == 4, e->rxbuf, m->len, &pkt) < 0)
		return;
	if (!pkt.checksum_ok)
		return;
	if (pkt.kind == CODEC_ECHO_REPLY) {
		if ((t = match(e, s, &pkt, &m->from, true, &p)))
			recv_on_reply(t, p, m, pkt.icmp_len, pkt.ttl >= 0 ? pkt.ttl : m->ttl);
	} else if (pkt.kind == CODEC_ERROR && pkt.quoted_family == s->family &&
	           creditable_error(s->family, pkt.type)) {
		unsigned scope = s->family == 6 ? m->from.ss.in6.sin6_scope_id : 0;

		addr_from_bytes(&dst, pkt.quoted_family, pkt.quoted_dst, scope);
		labels_from(&lab, &pkt);
		t = pkt.quoted_proto == PROTO_TCP ? syn_quoted(e, &pkt, &dst, &p)
		                                  : match(e, s, &pkt, &dst, false, &p);
		if (t)
			recv_on_error(t, p, m, pkt.type, pkt.code, pkt.ttl >= 0 ? pkt.ttl : m->ttl,
			              &m->from, &lab);
	}
}

bool recv_socket(struct sonar_engine *e, struct sock *s)
{
	struct sock_msg m;
	int i, r;

	for (i = 0; i < MAX_READS_PER_SOCKET; i++) {
		bool got = false;

		if (!s->raw) {
			while (i < MAX_READS_PER_SOCKET &&
			       sock_recv(s, true, e->rxbuf, RXBUF_BYTES, &m) > 0) {
				handle_message(e, s, &m);
				got = true;
				i++;
			}
		}
		r = sock_recv(s, false, e->rxbuf, RXBUF_BYTES, &m);
		if (r > 0) {
			if (m.has_dropped)
				s->dropped = m.dropped;
			handle_message(e, s, &m);
			continue;
		}
		/* r < 0: a pending socket error (an ICMP error reported on a
		 * datagram socket) was returned; its details are in the queue. */
		if (r == 0 && !got)
			return true;
	}
	return false;
}
