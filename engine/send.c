/*
 * send.c - sending one probe: a slot, a sequence number, the packet, the
 * kernel's verdict, and the next send's place in the schedule.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "error.h"
#include "internal.h"

/* A send the kernel refuses for lack of buffer (EAGAIN, ENOBUFS) is tried
 * again this much later, this many times, before it counts as failed. */
#define SEND_RETRY_NS (1 * 1000000LL)
#define SEND_RETRIES  50

/* Describe a failed send; its SONAR_E* code. */
static int send_error(int err, const struct target *t, char *buf, size_t cap)
{
	char text[SONAR_ADDRSTRLEN];

	switch (err) {
	case EACCES: /* a broadcast address without SO_BROADCAST */
		snprintf(buf, cap,
		         "Broadcast is not allowed: please use the 'broadcast' property to "
		         "allow it");
		return SONAR_EBROADCAST;
	case EBADF:
		snprintf(buf, cap, "The socket can no longer be used after its closure");
		return SONAR_EUNAVAILABLE;
	case ENETUNREACH: /* no route here, or an unreachable route */
		snprintf(buf, cap, "Destination network unreachable (no route from this host)");
		return SONAR_EUNREACH;
	case EHOSTUNREACH:
		snprintf(buf, cap, "Destination host unreachable (no route from this host)");
		return SONAR_EUNREACH;
	case ENOMEM:
		snprintf(buf, cap, "Out of memory");
		return SONAR_ENOMEM;
	default:
		addr_to_string(&t->addr, text, sizeof(text));
		snprintf(buf, cap, "Cannot send to %s: %s", text, strerror(err));
		return SONAR_ESOCKET;
	}
}

/* Wait (at least a millisecond: never a timer in the past) until the
 * oldest probe of t has met its deadline, then try this send again. */
static void wait_for_oldest(struct sonar_engine *e, struct target *t, int64_t now)
{
	const struct probe *p = &t->ring[t->expire_no % t->ring_size];
	int64_t when = p->sent_mono + target_wait_ns(t);

	if (when < now + SEND_RETRY_NS)
		when = now + SEND_RETRY_NS;
	sched_set(e, &e->sends, t, &t->send_timer, when);
}

/*
 * Make room for probe k in t's ring: a slot whose probe was answered only
 * waits out its duplicate window and is freed early; one whose probe still
 * waits (or errored: a reply may override it) makes the ring grow. False
 * when the ring cannot grow: the send then waits for the oldest deadline.
 */
static bool make_room(struct sonar_engine *e, struct target *t, uint64_t k, int64_t now)
{
	struct probe *p = &t->ring[k % t->ring_size];

	if (p->state == PROBE_FREE)
		return true;
	if (p->state == PROBE_ANSWERED) {
		probe_release(e, t, p);
		return true;
	}
	if (probe_ring_grow(e, t) == 0)
		return true;
	wait_for_oldest(e, t, now);
	return false;
}

/* Report the outcome of probe p's send (r: 0 or -errno) and move on. */
static void sent(struct sonar_engine *e, struct target *t, struct probe *p, int r, size_t len)
{
	struct sonar_event ev;

	t->retries = 0;
	t->next_no++;
	t->next_due += t->interval_ns;
	if (r < 0) {
		char msg[SONAR_MSGLEN];
		int code = send_error(-r, t, msg, sizeof(msg));

		probe_release(e, t, p);
		target_error(t, code, msg);
		event_init(&ev, SONAR_EVENT_SEND_ERROR, t, p);
		ev.error = code;
		ev.message = t->message ? t->message : "";
	} else {
		t->sent++;
		t->outstanding++;
		if (t->expire_timer.pos == HEAP_NONE)
			sched_arm_expiry(e, t);
		event_init(&ev, SONAR_EVENT_SENT, t, p);
		ev.bytes = len;
		/* the send time the RTT is measured from */
		ev.when.tv_sec = (time_t)((p->sent_mono + e->real_offset) / NS_PER_SEC);
		ev.when.tv_nsec = (long)((p->sent_mono + e->real_offset) % NS_PER_SEC);
	}
	sched_next(e, t);
	event_emit(t, &ev);
	if (!target_gone(t))
		target_check_done(t);
}

/*
 * Paris traceroute's flow: a trace's echo requests keep one identifier and
 * one checksum (routers that balance ICMP may hash either), the sequence's
 * change offset by the first two payload bytes: seq + balance is constant
 * in ones' complement, so the sum, and the checksum, are too. The kernel of
 * a datagram socket puts its own identifier, constant as well; IPv6's
 * checksum adds the addresses, constant within the flow.
 */
static void keep_checksum(int family, uint16_t id, uint16_t seq, uint8_t *icmp, size_t len)
{
	uint32_t balance = (uint32_t)id + (uint16_t)~seq;

	balance = (balance & 0xffff) + (balance >> 16);
	icmp[ICMP_HEADER_LEN] = (uint8_t)(balance >> 8);
	icmp[ICMP_HEADER_LEN + 1] = (uint8_t)balance;
	if (family != 6) {
		uint16_t sum;

		icmp[2] = icmp[3] = 0;
		sum = codec_checksum(icmp, len);
		icmp[2] = (uint8_t)(sum >> 8);
		icmp[3] = (uint8_t)sum;
	}
}

/* Probe seq of t into buf: an echo request, or a UDP payload that starts
 * with the sequence. Its length, or 0 when it does not fit. */
static size_t build_probe(const struct target *t, uint16_t seq, uint8_t *buf, size_t cap)
{
	const struct op *op = t->op;
	size_t len = op->opt.payload_size;

	if (!t->sock->udp) {
		size_t n =
		    codec_build_echo(t->sock->family, t->id, seq, op->payload, len, buf, cap);

		if (n && op->ops->hops && len >= 2)
			keep_checksum(t->sock->family, t->id, seq, buf, n);
		return n;
	}
	if (len < 2 || len > cap)
		return 0;
	memcpy(buf, op->payload, len);
	buf[0] = (uint8_t)(seq >> 8);
	buf[1] = (uint8_t)seq;
	return len;
}

void send_probe(struct sonar_engine *e, struct target *t, int64_t now)
{
	struct op *op = t->op;
	struct probe *p;
	uint64_t k;
	size_t len;
	int r, seq;

	if (target_gone(t))
		return;
	if (t->retries == 0 && !sched_catch_up(e, t, now)) {
		sched_next(e, t); /* its next slot is later */
		return;
	}
	k = t->next_no;
	if (!make_room(e, t, k, now))
		return;
	p = &t->ring[k % t->ring_size];
	seq = probe_free_seq(e, t, k);
	if (seq < 0) {
		wait_for_oldest(e, t, now);
		return;
	}
	p->no = (uint32_t)k;
	p->seq = (uint16_t)seq;
	len = t->sock->tcp ? (t->sock->raw ? TCP_SYN_LEN : 0)
	                   : build_probe(t, p->seq, e->txbuf, RXBUF_BYTES);
	if (len == 0 && !t->sock->tcp) {
		t->next_no++;
		t->next_due += t->interval_ns;
		error_set(SONAR_EINVAL, "Invalid payload: the probe cannot be built");
		target_fail(t, SONAR_EINVAL);
		return;
	}
	/* In the table before it leaves: a reply is never faster than that. A
	 * table that cannot grow makes this probe a send error. */
	p->state = PROBE_WAITING;
	if (probe_track(e, t, p) < 0) {
		p->state = PROBE_FREE;
		sent(e, t, p, -ENOMEM, len);
		return;
	}
	p->sent_mono = mono_now();
	r = t->sock->tcp && t->sock->raw ? syn_send(e, t, p, op->opt.traffic_class)
	    : t->sock->tcp
	        ? tcp_send(e, t, p, op->opt.traffic_class)
	        : sock_send(t->sock, &t->addr, e->txbuf, len, t->ttl, op->opt.traffic_class);
	if ((r == -EAGAIN || r == -ENOBUFS) && t->retries < SEND_RETRIES) {
		/* The socket's buffer is full: this probe waits a little, it is
		 * neither sent nor lost yet. */
		probe_release(e, t, p);
		t->retries++;
		sched_set(e, &e->sends, t, &t->send_timer, mono_now() + SEND_RETRY_NS);
		return;
	}
	sent(e, t, p, r, len);
}
