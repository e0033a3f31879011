/*
 * engine.c - the select-driven ICMP engine.
 *
 * One socket per (family, raw/datagram, source) serves every target. Each
 * target owns a ring of probe slots; probe k sits in ring[k % ring_size] and
 * goes out at start + k * interval (a fixed schedule, not a pause after each
 * reply). In-flight probes are found again through one hash table keyed by
 * (socket, identifier, sequence, address), so a reply is credited only to
 * the probe that was sent to its source with its id and sequence, and only
 * when its payload is the one sent.
 *
 * Invariants:
 * - a slot is FREE, or holds probe `no` and is in the table until its
 *   deadline (sent + timeout) has been processed: answered slots stay so a
 *   second reply is recognised as a duplicate;
 * - ring_size * interval > timeout, so the slot for probe k is free (its
 *   previous probe expired) by the time k is sent;
 * - a target's expire timer is queued while expire_no < next_no, at the
 *   deadline of probe expire_no; its send timer while probes remain;
 * - callbacks may stop operations; ops are freed only when no callback is
 *   on the stack (depth == 0).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <linux/errqueue.h>

#include "addr.h"
#include "codec.h"
#include "error.h"
#include "heap.h"
#include "sock.h"
#include "sonar.h"
#include "stats.h"
#include "table.h"

#define NS_PER_SEC 1000000000LL
/* RTTs a continuous (count 0) target keeps for its rtts[] */
#define RTT_HISTORY 1024
/* Bounds on the work of one sonar_engine_process() call, so that a flood
 * of packets or an interval of 0 cannot starve the caller's loop. */
#define MAX_READS_PER_SOCKET 4096
#define MAX_TIMERS_PER_TURN  65536
#define RXBUF_BYTES          (65536 + 64)

enum { TIMER_SEND, TIMER_EXPIRE, TIMER_OP };
enum { PROBE_FREE, PROBE_WAITING, PROBE_ANSWERED, PROBE_ERRORED };

struct probe {
	uint64_t no;               /* probe number within the target */
	int64_t sent_mono;         /* CLOCK_MONOTONIC ns, for deadlines */
	struct timespec sent_real; /* CLOCK_REALTIME, against kernel stamps */
	uint16_t seq;
	uint8_t state;
};

struct op;

struct target {
	struct op *op;
	size_t index;
	struct addr addr;
	char address[SONAR_ADDRSTRLEN];
	struct sock *sock;
	uint16_t id;
	uint16_t seq_base;
	uint64_t next_no;   /* next probe to send */
	uint64_t expire_no; /* oldest probe whose deadline is unprocessed */
	uint64_t sent;
	unsigned outstanding; /* probes waiting for an answer */
	struct probe *ring;
	uint32_t ring_size;
	int64_t start;
	struct timer send_timer;
	struct timer expire_timer;
	struct stats st;
	double *rtts; /* ring of the last rtts_cap RTTs */
	size_t rtts_cap;
	int dups;
	int reply_ttl;
	int error;
	int icmp_type;
	int icmp_code;
	char message[SONAR_MSGLEN];
	bool done;
};

struct op {
	int handle;
	struct sonar_engine *e;
	struct sonar_options opt; /* payload and source point into this op */
	uint8_t *payload;
	char *source;
	int64_t timeout_ns;
	int64_t interval_ns;
	char **names;
	struct target *targets;
	size_t n;
	size_t n_done;
	struct timer op_timer;
	sonar_event_cb on_event;
	sonar_done_cb on_done;
	void *user;
	bool finished;
	struct op *next;
};

struct sonar_engine {
	struct sock *socks;
	struct heap expiries; /* timeouts: handled before sends in a turn */
	struct heap sends;    /* probes to send, and op completions */
	struct table table;
	struct op *ops;
	int next_handle;
	int depth;
	uint8_t *rxbuf;
	uint8_t *txbuf;
};

/* The monotonic clock in nanoseconds. */
static int64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* Seconds to nanoseconds, saturating. */
static int64_t sec_to_ns(double s)
{
	if (s * 1e9 >= 9e18)
		return INT64_MAX / 4;
	return (int64_t)llround(s * 1e9);
}

/* The next default identifier: a process-wide counter starting at the PID,
 * so concurrent operations never share one (icmplib 2.x did). */
static uint16_t next_id(void)
{
	static int counter = -1;
	int expected = -1;

	__atomic_compare_exchange_n(&counter, &expected, (int)getpid(), false, __ATOMIC_SEQ_CST,
	                            __ATOMIC_SEQ_CST);
	return (uint16_t)(__atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST) & 0xffff);
}

/* Fill buf with random [a-zA-Z0-9] bytes, as icmplib does. */
static void random_payload(uint8_t *buf, size_t len)
{
	static const char alphabet[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	uint64_t x = 0;
	size_t i;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) != sizeof(x))
		x = (uint64_t)mono_now() ^ ((uint64_t)getpid() << 32);
	x |= 1;
	for (i = 0; i < len; i++) {
		x ^= x << 13; /* xorshift64 */
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)alphabet[x % 62];
	}
}

/* ---- probe keys --------------------------------------------------------- */

struct key {
	const struct sock *sock;
	uint16_t id;
	uint16_t seq;
	const struct addr *addr;
};

/* Hash of a probe key. Datagram sockets: the kernel owns the id, leave it out. */
static uint32_t key_hash(const struct sock *s, uint16_t id, uint16_t seq, const struct addr *a)
{
	uint32_t h = 2166136261u;
	int fam = addr_family(a);

	h = table_hash(h, &s->index, sizeof(s->index));
	if (s->raw)
		h = table_hash(h, &id, sizeof(id));
	h = table_hash(h, &seq, sizeof(seq));
	return table_hash(h, addr_bytes(a), fam == 6 ? 16 : 4);
}

/* Does the table entry hold the probe this key names? */
static int match_probe(const struct table_entry *en, const void *k)
{
	const struct target *t = en->owner;
	const struct key *key = k;
	const struct probe *p = &t->ring[en->probe % t->ring_size];

	return t->sock == key->sock && (!key->sock->raw || t->id == key->id) &&
	       p->no == en->probe && p->state != PROBE_FREE && p->seq == key->seq &&
	       addr_equal(&t->addr, key->addr);
}

/* Find the probe a packet answers, or NULL. */
static struct target *find_probe(struct sonar_engine *e, const struct key *k, struct probe **pp)
{
	struct table_entry *en =
	    table_find(&e->table, key_hash(k->sock, k->id, k->seq, k->addr), match_probe, k);
	struct target *t;

	if (!en)
		return NULL;
	t = en->owner;
	*pp = &t->ring[en->probe % t->ring_size];
	return t;
}

/* Take a probe's slot out of the table and free it. */
static void release_probe(struct sonar_engine *e, struct target *t, struct probe *p)
{
	if (p->state == PROBE_FREE)
		return;
	table_remove(&e->table, key_hash(t->sock, t->id, p->seq, &t->addr), t, p->no);
	p->state = PROBE_FREE;
}

/* ---- events and results ------------------------------------------------- */

/* Start an event for target t. */
static void event_init(struct sonar_event *ev, enum sonar_event_type type, struct target *t,
                       const struct probe *p)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->op = t->op->handle;
	ev->target = t->index;
	ev->name = t->op->names[t->index];
	ev->address = t->address;
	ev->from = "";
	ev->sequence = p ? p->seq : -1;
	ev->probe_ttl = t->op->opt.ttl;
	ev->reply_ttl = -1;
	ev->icmp_type = -1;
	ev->icmp_code = -1;
	ev->message = "";
	clock_gettime(CLOCK_REALTIME, &ev->when);
}

/* Pass an event to the op's callback. */
static void emit(struct target *t, const struct sonar_event *ev)
{
	if (t->op->on_event && !t->op->finished)
		t->op->on_event(ev, t->op->user);
}

/* Record an error on a target (its last one wins). */
static void target_error(struct target *t, int code, const char *msg)
{
	t->error = code;
	snprintf(t->message, sizeof(t->message), "%s", msg);
}

/* Fill h with what target t knows; rtts are copied into rtts_out (room for
 * rtts_cap values) so a ring reads in receive order. */
static void target_host(const struct target *t, struct sonar_host *h, double *rtts_out)
{
	size_t n = t->st.n < t->rtts_cap ? (size_t)t->st.n : t->rtts_cap;
	size_t first = t->st.n <= t->rtts_cap ? 0 : (size_t)(t->st.n % t->rtts_cap);
	size_t i;

	memset(h, 0, sizeof(*h));
	snprintf(h->address, sizeof(h->address), "%s",
	         t->address[0] ? t->address : t->op->names[t->index]);
	stats_fill(&t->st, t->sent, h);
	for (i = 0; i < n && rtts_out; i++)
		rtts_out[i] = t->rtts[(first + i) % t->rtts_cap];
	h->rtts = rtts_out;
	h->packets_received = (int)t->st.n;
	h->duplicates = t->dups;
	h->reply_ttl = t->reply_ttl;
	h->error = t->error;
	h->icmp_type = t->icmp_type;
	h->icmp_code = t->icmp_code;
	snprintf(h->error_message, sizeof(h->error_message), "%s", t->message);
}

/* ---- operation lifecycle ------------------------------------------------ */

/* Take every timer and table entry of t away. */
static void target_quiesce(struct sonar_engine *e, struct target *t)
{
	uint32_t i;

	heap_remove(&e->sends, &t->send_timer);
	heap_remove(&e->expiries, &t->expire_timer);
	for (i = 0; t->ring && i < t->ring_size; i++)
		release_probe(e, t, &t->ring[i]);
}

/* End op: quiesce it, report the results, and leave it for reaping. */
static void op_finish(struct op *op)
{
	struct sonar_engine *e = op->e;
	struct sonar_host *hosts;
	double *rtts = NULL;
	size_t i, total = 0, off = 0;

	if (op->finished)
		return;
	heap_remove(&e->sends, &op->op_timer);
	for (i = 0; i < op->n; i++) {
		struct target *t = &op->targets[i];

		target_quiesce(e, t);
		if (!t->st.n && !t->error && t->sent)
			target_error(t, SONAR_ETIMEOUT, "");
		if (t->error == SONAR_ETIMEOUT)
			snprintf(t->message, sizeof(t->message),
			         "The timeout has been reached (%gs)", op->opt.timeout);
		total += t->st.n < t->rtts_cap ? t->st.n : t->rtts_cap;
	}
	op->finished = true;
	if (!op->on_done)
		return;
	hosts = calloc(op->n, sizeof(*hosts));
	if (total)
		rtts = calloc(total, sizeof(*rtts));
	if (!hosts || (total && !rtts)) {
		free(hosts);
		free(rtts);
		op->on_done(op->handle, NULL, 0, op->user);
		return;
	}
	for (i = 0; i < op->n; i++) {
		struct target *t = &op->targets[i];

		target_host(t, &hosts[i], rtts ? rtts + off : NULL);
		off += t->st.n < t->rtts_cap ? t->st.n : t->rtts_cap;
	}
	op->on_done(op->handle, hosts, op->n, op->user);
	free(rtts);
	free(hosts);
}

/* Free an op's memory (it is finished and unlinked). */
static void op_free(struct op *op)
{
	size_t i;

	for (i = 0; i < op->n; i++) {
		free(op->targets[i].ring);
		free(op->targets[i].rtts);
		free(op->names[i]);
	}
	free(op->targets);
	free(op->names);
	free(op->payload);
	free(op->source);
	free(op);
}

/* Free finished ops once no callback is running. */
static void reap(struct sonar_engine *e)
{
	struct op **pp = &e->ops;

	if (e->depth > 0)
		return;
	while (*pp) {
		struct op *op = *pp;

		if (op->finished) {
			*pp = op->next;
			op_free(op);
		} else {
			pp = &op->next;
		}
	}
}

/* Mark t done when all its probes are sent and answered or expired. */
static void target_check_done(struct target *t)
{
	struct op *op = t->op;

	if (t->done || op->opt.count == 0 || t->next_no < (uint64_t)op->opt.count ||
	    t->outstanding > 0)
		return;
	t->done = true;
	heap_remove(&op->e->sends, &t->send_timer);
	if (++op->n_done == op->n)
		op_finish(op);
}

/* ---- sending ------------------------------------------------------------ */

/* Deadline of probe expire_no, queued; or nothing when none is in flight. */
static void arm_expiry(struct sonar_engine *e, struct target *t)
{
	while (t->expire_no < t->next_no) {
		struct probe *p = &t->ring[t->expire_no % t->ring_size];

		if (p->state != PROBE_FREE && p->no == t->expire_no) {
			heap_set(&e->expiries, &t->expire_timer, p->sent_mono + t->op->timeout_ns);
			return;
		}
		t->expire_no++; /* its send failed: nothing to wait for */
	}
	heap_remove(&e->expiries, &t->expire_timer);
}

/* Process the deadline of every probe of t that is due at now. */
static void expire_due(struct sonar_engine *e, struct target *t, int64_t now)
{
	while (t->expire_no < t->next_no && !t->op->finished) {
		struct probe *p = &t->ring[t->expire_no % t->ring_size];

		if (p->state != PROBE_FREE && p->no == t->expire_no) {
			if (p->sent_mono + t->op->timeout_ns > now)
				break;
			if (p->state == PROBE_WAITING) {
				struct sonar_event ev;

				t->outstanding--;
				event_init(&ev, SONAR_EVENT_TIMEOUT, t, p);
				ev.error = SONAR_ETIMEOUT;
				release_probe(e, t, p);
				emit(t, &ev);
			} else {
				release_probe(e, t, p);
			}
		}
		t->expire_no++;
	}
	if (t->op->finished)
		return;
	arm_expiry(e, t);
	target_check_done(t);
}

/* Describe a failed send. */
static int send_error(int err, const struct target *t, char *buf, size_t cap)
{
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
	default:
		snprintf(buf, cap, "Cannot send to %s: %s", t->address, strerror(err));
		return SONAR_ESOCKET;
	}
}

/* Send probe next_no of t and schedule the one after. */
static void send_probe(struct sonar_engine *e, struct target *t)
{
	struct op *op = t->op;
	uint64_t k = t->next_no;
	struct probe *p = &t->ring[k % t->ring_size];
	struct sonar_event ev;
	size_t len;
	int r, tries;
	struct key key;

	if (p->state != PROBE_FREE) /* only if the loop fell far behind */
		expire_due(e, t, INT64_MAX);
	if (op->finished || p->state != PROBE_FREE)
		return;

	/* Another target's probe may hold this key (same address and id, e.g.
	 * two datagram operations to one host): shift this target's sequence
	 * numbers until the key is free. */
	key.sock = t->sock;
	key.id = t->id;
	key.addr = &t->addr;
	for (tries = 0; tries < 65536; tries++) {
		struct probe *other;

		key.seq = (uint16_t)(t->seq_base + k);
		if (!find_probe(e, &key, &other))
			break;
		t->seq_base++;
	}

	p->no = k;
	p->seq = key.seq;
	len = codec_build_echo(t->sock->family, t->id, p->seq, op->payload, op->opt.payload_size,
	                       e->txbuf, RXBUF_BYTES);
	clock_gettime(CLOCK_REALTIME, &p->sent_real);
	p->sent_mono = mono_now();
	r = sock_send(t->sock, &t->addr, e->txbuf, len, op->opt.ttl, op->opt.traffic_class);
	t->next_no++;

	if (r < 0) {
		char msg[SONAR_MSGLEN];
		int code = send_error(-r, t, msg, sizeof(msg));

		target_error(t, code, msg);
		event_init(&ev, SONAR_EVENT_SEND_ERROR, t, p);
		ev.error = code;
		ev.message = t->message;
	} else {
		p->state = PROBE_WAITING;
		t->sent++;
		t->outstanding++;
		table_insert(&e->table, key_hash(t->sock, t->id, p->seq, &t->addr), t, k);
		if (t->expire_timer.pos == HEAP_NONE)
			arm_expiry(e, t);
		event_init(&ev, SONAR_EVENT_SENT, t, p);
		ev.bytes = len;
	}
	if (op->opt.count == 0 || t->next_no < (uint64_t)op->opt.count)
		heap_set(&e->sends, &t->send_timer,
		         t->start + (int64_t)t->next_no * op->interval_ns);
	emit(t, &ev);
	if (!op->finished)
		target_check_done(t);
}

/* ---- receiving ---------------------------------------------------------- */

/* RTT in ms of probe p answered at stamp (kernel's) or now. */
static double rtt_ms(const struct probe *p, const struct sock_msg *m)
{
	if (m->has_stamp) {
		int64_t d = (int64_t)(m->stamp.tv_sec - p->sent_real.tv_sec) * NS_PER_SEC +
		            (m->stamp.tv_nsec - p->sent_real.tv_nsec);

		/* A stepped wall clock can make this negative or huge: then
		 * fall back to the monotonic clock. */
		if (d >= 0 && d < 3600 * NS_PER_SEC)
			return (double)d / 1e6;
	}
	return (double)(mono_now() - p->sent_mono) / 1e6;
}

/* Credit an echo reply to probe p of t. */
static void on_reply(struct target *t, struct probe *p, const struct sock_msg *m, size_t bytes,
                     int ttl, const struct addr *from)
{
	struct sonar_event ev;
	char fromtext[SONAR_ADDRSTRLEN];

	addr_to_string(from, fromtext, sizeof(fromtext));
	if (p->state != PROBE_WAITING) {
		t->dups++;
		event_init(&ev, SONAR_EVENT_DUPLICATE, t, p);
	} else {
		double rtt = rtt_ms(p, m);

		p->state = PROBE_ANSWERED;
		t->outstanding--;
		t->rtts[t->st.n % t->rtts_cap] = rtt;
		stats_add(&t->st, rtt);
		t->reply_ttl = ttl;
		/* A reply clears an earlier ICMP error or send failure. */
		t->error = 0;
		t->message[0] = '\0';
		event_init(&ev, SONAR_EVENT_REPLY, t, p);
	}
	ev.from = fromtext;
	ev.reply_ttl = ttl;
	ev.rtt = rtt_ms(p, m);
	ev.bytes = bytes;
	if (m->has_stamp)
		ev.when = m->stamp;
	emit(t, &ev);
	if (!t->op->finished)
		target_check_done(t);
}

/* Credit an ICMP error (unreachable, time exceeded ...) to probe p of t. */
static void on_icmp_error(struct target *t, struct probe *p, const struct sock_msg *m, int type,
                          int code, int ttl, const struct addr *from)
{
	struct sonar_event ev;
	char fromtext[SONAR_ADDRSTRLEN];
	char msg[SONAR_MSGLEN];
	int err = error_icmp(t->sock->family, type, code, msg, sizeof(msg));

	if (p->state != PROBE_WAITING)
		return; /* a second error for one probe tells nothing new */
	addr_to_string(from, fromtext, sizeof(fromtext));
	p->state = PROBE_ERRORED;
	t->outstanding--;
	target_error(t, err, msg);
	t->icmp_type = type;
	t->icmp_code = code;
	event_init(&ev, SONAR_EVENT_ICMP_ERROR, t, p);
	ev.from = fromtext;
	ev.reply_ttl = ttl;
	ev.rtt = rtt_ms(p, m);
	ev.bytes = m->len;
	ev.icmp_type = type;
	ev.icmp_code = code;
	ev.error = err;
	ev.message = t->message;
	if (m->has_stamp)
		ev.when = m->stamp;
	emit(t, &ev);
	if (!t->op->finished)
		target_check_done(t);
}

/* Do the payload bytes we got (possibly a cut quote) agree with what t sent? */
static bool payload_matches(const struct target *t, const uint8_t *got, size_t len, bool whole)
{
	size_t want = t->op->opt.payload_size;

	if (whole && len != want)
		return false;
	if (len > want)
		return false;
	return len == 0 || memcmp(got, t->op->payload, len) == 0;
}

/* Handle one message read from socket s. */
static void handle_message(struct sonar_engine *e, struct sock *s, const struct sock_msg *m)
{
	struct codec_packet pkt;
	struct target *t;
	struct probe *p;
	struct key key;
	struct addr dst;

	key.sock = s;
	if (m->is_error) {
		/* Datagram socket error queue: the quoted echo request we sent,
		 * addressed (msg_name) to the probed host; the router is the
		 * offender. */
		if (m->ee_origin != SO_EE_ORIGIN_ICMP && m->ee_origin != SO_EE_ORIGIN_ICMP6)
			return;
		memset(&pkt, 0, sizeof(pkt));
		if (codec_parse_quoted_echo(s->family, e->rxbuf, m->len, &pkt) < 0)
			return;
		key.id = pkt.id;
		key.seq = pkt.seq;
		key.addr = &m->from;
		t = find_probe(e, &key, &p);
		if (t && payload_matches(t, pkt.payload, pkt.payload_len, false))
			on_icmp_error(t, p, m, m->ee_type, m->ee_code, m->ttl, &m->offender);
		return;
	}
	if (codec_parse(s->family, s->raw && s->family == 4, e->rxbuf, m->len, &pkt) < 0)
		return;
	if (!pkt.checksum_ok)
		return;
	if (pkt.kind == CODEC_ECHO_REPLY) {
		key.id = pkt.id;
		key.seq = pkt.seq;
		key.addr = &m->from;
		t = find_probe(e, &key, &p);
		if (t && payload_matches(t, pkt.payload, pkt.payload_len, true))
			on_reply(t, p, m, pkt.icmp_len, pkt.ttl >= 0 ? pkt.ttl : m->ttl, &m->from);
	} else if (pkt.kind == CODEC_ERROR && pkt.quoted_family == s->family) {
		unsigned scope = 0;

		if (s->family == 6)
			scope = ((const struct sockaddr_in6 *)&m->from.ss)->sin6_scope_id;
		addr_from_bytes(&dst, pkt.quoted_family, pkt.quoted_dst, scope);
		key.id = pkt.id;
		key.seq = pkt.seq;
		key.addr = &dst;
		t = find_probe(e, &key, &p);
		if (t && payload_matches(t, pkt.payload, pkt.payload_len, false))
			on_icmp_error(t, p, m, pkt.type, pkt.code, pkt.ttl >= 0 ? pkt.ttl : m->ttl,
			              &m->from);
	}
}

/* Read everything waiting on s (bounded), error queue first. */
static void read_socket(struct sonar_engine *e, struct sock *s)
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
			handle_message(e, s, &m);
			continue;
		}
		/* r < 0: a pending socket error (an ICMP error reported on a
		 * datagram socket) was returned; its details are in the queue. */
		if (r == 0 && !got)
			break;
	}
}

/* ---- public API --------------------------------------------------------- */

struct sonar_engine *sonar_engine_new(void)
{
	struct sonar_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	heap_init(&e->expiries);
	heap_init(&e->sends);
	table_init(&e->table);
	e->next_handle = 1;
	e->rxbuf = malloc(RXBUF_BYTES);
	e->txbuf = malloc(RXBUF_BYTES);
	if (!e->rxbuf || !e->txbuf) {
		sonar_engine_free(e);
		return NULL;
	}
	return e;
}

void sonar_engine_free(struct sonar_engine *e)
{
	struct sock *s;

	if (!e)
		return;
	while (e->ops) {
		struct op *op = e->ops;

		e->ops = op->next;
		op_free(op);
	}
	while ((s = e->socks)) {
		e->socks = s->next;
		sock_close(s);
	}
	heap_free(&e->expiries);
	heap_free(&e->sends);
	table_free(&e->table);
	free(e->rxbuf);
	free(e->txbuf);
	free(e);
}

/* The engine's socket for this family/kind/source, opened on first use. */
static int get_sock(struct sonar_engine *e, int family, bool raw, const struct addr *source,
                    struct sock **out)
{
	struct sock *s;
	int r;

	for (s = e->socks; s; s = s->next) {
		if (s->family != family || s->raw != raw)
			continue;
		if ((s->source.len == 0) != (source->len == 0))
			continue;
		if (source->len && !addr_equal(&s->source, source))
			continue;
		*out = s;
		return 0;
	}
	r = sock_open(family, raw, source, &s);
	if (r < 0)
		return r;
	s->next = e->socks;
	e->socks = s;
	*out = s;
	return 0;
}

/* Resolve target t and give it a socket, slots and timers. */
static int target_setup(struct sonar_engine *e, struct op *op, struct target *t)
{
	const struct sonar_options *o = &op->opt;
	struct addr src = {0};
	int r, fam;
	double inflight;

	r = addr_lookup(op->names[t->index], o->family, true, &t->addr);
	if (r < 0)
		return r;
	addr_to_string(&t->addr, t->address, sizeof(t->address));
	fam = addr_family(&t->addr);
	if (o->payload_size > (fam == 6 ? CODEC_MAX_PAYLOAD6 : CODEC_MAX_PAYLOAD4))
		return error_set(SONAR_EINVAL,
		                 "Invalid payload_size: %zu bytes do not fit one IPv%d datagram "
		                 "(at most %d)",
		                 o->payload_size, fam,
		                 fam == 6 ? CODEC_MAX_PAYLOAD6 : CODEC_MAX_PAYLOAD4);
	if (o->source) {
		r = addr_lookup(o->source, fam, false, &src);
		if (r < 0)
			return error_set(SONAR_ESOCKADDR,
			                 "The requested address (%s) cannot be assigned to the "
			                 "socket",
			                 o->source);
	}
	r = get_sock(e, fam, o->privileged, &src, &t->sock);
	if (r < 0)
		return r;
	t->id = o->id >= 0 ? (uint16_t)o->id : next_id();

	/* Slots: every probe that can be in flight at once, plus one. */
	inflight = o->interval > 0 ? ceil(o->timeout / o->interval) + 2 : (double)o->count;
	if (o->count > 0 && inflight > o->count)
		inflight = o->count;
	if (inflight > 1 << 20)
		inflight = 1 << 20;
	t->ring_size = (uint32_t)(inflight < 1 ? 1 : inflight);
	t->ring = calloc(t->ring_size, sizeof(*t->ring));
	t->rtts_cap = o->count > 0 ? (size_t)o->count : RTT_HISTORY;
	t->rtts = calloc(t->rtts_cap, sizeof(*t->rtts));
	if (!t->ring || !t->rtts)
		return error_set(SONAR_ENOMEM, "Out of memory");
	if (table_reserve(&e->table, t->ring_size) < 0 || heap_reserve(&e->sends, 1) < 0 ||
	    heap_reserve(&e->expiries, 1) < 0)
		return error_set(SONAR_ENOMEM, "Out of memory");
	return 0;
}

/* Create an op over n names (not yet started). */
static struct op *op_new(struct sonar_engine *e, const char *const *names, size_t n,
                         const struct sonar_options *o)
{
	struct op *op = calloc(1, sizeof(*op));
	size_t i;

	if (!op)
		return NULL;
	op->e = e;
	op->opt = *o;
	op->n = n;
	op->names = calloc(n, sizeof(*op->names));
	op->targets = calloc(n, sizeof(*op->targets));
	op->payload = malloc(o->payload_size ? o->payload_size : 1);
	if (o->source)
		op->source = strdup(o->source);
	if (!op->names || !op->targets || !op->payload || (o->source && !op->source))
		goto fail;
	if (o->payload)
		memcpy(op->payload, o->payload, o->payload_size);
	else
		random_payload(op->payload, o->payload_size);
	op->opt.payload = op->payload;
	op->opt.source = op->source;
	op->timeout_ns = sec_to_ns(o->timeout);
	op->interval_ns = sec_to_ns(o->interval);
	timer_init(&op->op_timer, TIMER_OP);
	for (i = 0; i < n; i++) {
		struct target *t = &op->targets[i];

		op->names[i] = strdup(names[i] ? names[i] : "");
		if (!op->names[i])
			goto fail;
		t->op = op;
		t->index = i;
		t->reply_ttl = -1;
		t->icmp_type = -1;
		t->icmp_code = -1;
		stats_init(&t->st);
		timer_init(&t->send_timer, TIMER_SEND);
		timer_init(&t->expire_timer, TIMER_EXPIRE);
	}
	return op;
fail:
	op_free(op);
	return NULL;
}

int sonar_engine_ping(struct sonar_engine *e, const char *address, const struct sonar_options *o,
                      sonar_event_cb on_event, sonar_done_cb on_done, void *user)
{
	struct op *op;
	struct target *t;
	int r;

	if (!e || !o)
		return error_set(SONAR_EINVAL, "Invalid argument: engine and options are required");
	r = sonar_options_validate(o);
	if (r < 0)
		return r;
	if (o->count == 0 && o->interval <= 0)
		return error_set(SONAR_EINVAL,
		                 "Invalid interval: a continuous ping (count 0) needs an "
		                 "interval > 0");
	op = op_new(e, &address, 1, o);
	if (!op)
		return error_set(SONAR_ENOMEM, "Out of memory");
	t = &op->targets[0];
	r = target_setup(e, op, t);
	if (r < 0) {
		op_free(op);
		return r;
	}
	op->handle = e->next_handle++;
	if (e->next_handle <= 0)
		e->next_handle = 1;
	op->on_event = on_event;
	op->on_done = on_done;
	op->user = user;
	t->start = mono_now();
	heap_set(&e->sends, &t->send_timer, t->start);
	op->next = e->ops;
	e->ops = op;
	return op->handle;
}

int sonar_engine_stop(struct sonar_engine *e, int handle)
{
	struct op *op;

	for (op = e ? e->ops : NULL; op; op = op->next) {
		if (op->handle == handle && !op->finished) {
			e->depth++;
			op_finish(op);
			e->depth--;
			reap(e);
			return 0;
		}
	}
	return error_set(SONAR_EINVAL, "Invalid operation: %d is not running", handle);
}

size_t sonar_engine_active(const struct sonar_engine *e)
{
	const struct op *op;
	size_t n = 0;

	for (op = e ? e->ops : NULL; op; op = op->next)
		n += !op->finished;
	return n;
}

int sonar_engine_fds(const struct sonar_engine *e, fd_set *rd, int *maxfd)
{
	const struct sock *s;
	int n = 0;

	for (s = e->socks; s; s = s->next) {
		if (s->fd >= FD_SETSIZE)
			continue;
		FD_SET(s->fd, rd);
		if (s->fd > *maxfd)
			*maxfd = s->fd;
		n++;
	}
	return n;
}

int64_t sonar_engine_timeout(const struct sonar_engine *e)
{
	const struct timer *a = heap_top(&e->expiries);
	const struct timer *b = heap_top(&e->sends);
	int64_t when, d;

	if (!a && !b)
		return -1;
	when = !a ? b->when : !b ? a->when : (a->when < b->when ? a->when : b->when);
	d = when - mono_now();
	return d < 0 ? 0 : d;
}

/* The target that embeds timer tm of the given kind. */
static struct target *timer_target(struct timer *tm)
{
	if (tm->kind == TIMER_SEND)
		return (struct target *)((char *)tm - offsetof(struct target, send_timer));
	return (struct target *)((char *)tm - offsetof(struct target, expire_timer));
}

int sonar_engine_process(struct sonar_engine *e, const fd_set *rd)
{
	struct sock *s;
	struct timer *tm;
	int64_t now;
	int budget;

	if (!e)
		return error_set(SONAR_EINVAL, "Invalid argument: no engine");
	e->depth++;
	/* One turn, in this order (mtr's packet loop): read replies first, so a
	 * reply that arrived before its deadline is never counted as lost;
	 * then timeouts; then sends, whose timestamps are taken last. */
	for (s = e->socks; s; s = s->next)
		if (!rd || (s->fd < FD_SETSIZE && FD_ISSET(s->fd, rd)))
			read_socket(e, s);

	now = mono_now();
	for (budget = MAX_TIMERS_PER_TURN; budget > 0; budget--) {
		tm = heap_top(&e->expiries);
		if (!tm || tm->when > now)
			break;
		heap_remove(&e->expiries, tm);
		expire_due(e, timer_target(tm), now);
	}
	for (budget = MAX_TIMERS_PER_TURN; budget > 0; budget--) {
		tm = heap_top(&e->sends);
		if (!tm || tm->when > now)
			break;
		heap_remove(&e->sends, tm);
		if (tm->kind == TIMER_OP)
			op_finish((struct op *)((char *)tm - offsetof(struct op, op_timer)));
		else
			send_probe(e, timer_target(tm));
	}
	e->depth--;
	reap(e);
	return 0;
}
