/*
 * engine.c - the select-driven ICMP engine: ping, multiping, traceroute.
 *
 * One socket per (family, raw/datagram, source) serves every target. An
 * operation (op) owns targets; each target owns a ring of probe slots, and
 * probe k sits in ring[k % ring_size] and leaves at start + k * interval (a
 * fixed schedule, not a pause after each reply). A traceroute is one target
 * per TTL, all started at once, so a whole path is known in about one round
 * trip plus the timeout. In-flight probes are found again through one hash
 * table keyed by (socket, identifier, sequence, probed address): a reply is
 * credited only to the probe that was sent to its source with its id and
 * sequence, and only when it carries the payload that was sent.
 *
 * Invariants:
 * - a slot is FREE, or holds probe `no` and is in the table until its
 *   deadline (sent + timeout) has been processed: answered slots stay so a
 *   second reply is recognised as a duplicate;
 * - ring_size * interval > timeout (or ring_size >= count), so the slot for
 *   probe k is free (its previous probe expired) by the time k is sent;
 *   ring_size is a power of two;
 * - a target's expire timer is queued while expire_no < next_no, at the
 *   deadline of probe expire_no; its send timer while it has probes to send
 *   and is neither paused nor done;
 * - at most concurrent_tasks targets of an op are started and not done;
 * - a target's result is written to op->results[index] when it is done;
 * - callbacks may stop operations: ops are freed only when no callback is on
 *   the stack (depth == 0), and code after an emit() checks op->finished.
 */
#include "config.h"

#include <errno.h>
#include <time.h>
#include <linux/errqueue.h> /* after time.h: it uses struct timespec */
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "addr.h"
#include "codec.h"
#include "engine.h"
#include "error.h"
#include "heap.h"
#include "sock.h"
#include "sonar.h"
#include "stats.h"
#include "table.h"

#define NS_PER_SEC 1000000000LL
/* RTTs a continuous (count 0) target keeps for its rtts[] */
#define RTT_HISTORY 1024
/* Sequence numbers a target of a continuous op reserves before the next */
#define SEQ_STRIDE_CONTINUOUS 2048
/* Bounds on the work of one sonar_engine_process() call, so that a flood
 * of packets or an interval of 0 cannot starve the caller's loop. */
#define MAX_READS_PER_SOCKET 4096
#define MAX_TIMERS_PER_TURN  65536
/* Sends per turn: the replies of a burst are read before the next one (on
 * loopback they arrive during the sends and would overflow the socket). */
#define MAX_SENDS_PER_TURN 2048
#define RXBUF_BYTES        (65536 + 64)
/* A send the kernel refuses for lack of buffer (EAGAIN, ENOBUFS) is tried
 * again this much later, this many times, before it counts as failed. */
#define SEND_RETRY_NS (1 * 1000000LL)
#define SEND_RETRIES  50

enum { TIMER_SEND, TIMER_EXPIRE, TIMER_OP };
enum { PROBE_FREE, PROBE_WAITING, PROBE_ANSWERED, PROBE_ERRORED };
enum op_kind { OP_PING, OP_MULTI, OP_TRACE };

/* 16 bytes: 10,000 targets keep a ring of these each. */
struct probe {
	int64_t sent_mono; /* CLOCK_MONOTONIC ns when it left */
	uint32_t no;       /* probe number within the target, modulo 2^32 */
	uint16_t seq;
	uint8_t state;
};

struct op;

/* Ordered for size: 10,000 targets hold one each (about 280 bytes). */
struct target {
	struct op *op;
	struct sock *sock;
	struct probe *ring;
	double *rtts;     /* the last rtts_cap RTTs, a ring (maybe in op->rtt_block) */
	char *message;    /* malloc'd on the first error; NULL when none */
	struct addr addr; /* probed address */

	uint64_t next_no;   /* next probe to send */
	uint64_t expire_no; /* oldest probe whose deadline is unprocessed */
	uint64_t sent;
	int64_t start;       /* when probe 0 left (or would have) */
	int64_t interval_ns; /* this target's schedule */
	struct timer send_timer;
	struct timer expire_timer;
	struct sonar_stats st;
	uint32_t index;
	uint32_t outstanding; /* probes waiting for an answer */
	uint32_t ring_size;
	uint32_t rtts_cap;
	int32_t dups;
	int32_t error;
	uint16_t id;
	uint16_t seq_base;
	uint16_t retries; /* of the current send */
	int16_t reply_ttl;
	int16_t icmp_type;
	int16_t icmp_code;
	uint8_t ttl;
	bool started, done, paused;
};

struct op {
	int handle;
	enum op_kind kind;
	struct sonar_engine *e;
	struct sonar_options opt; /* payload and source point into this op */
	uint8_t *payload;
	char *source;
	int64_t timeout_ns;
	char **names;     /* in name_block, or malloc'd when added later */
	char *name_block; /* the names the op started with, end to end */
	size_t name_block_len;
	double *rtt_block;       /* count RTTs for each of the first rtt_block_n targets */
	struct addr *responders; /* traceroute: each TTL's last responder */
	size_t rtt_block_n;
	struct target **targets; /* NULL where removed */
	size_t n;
	size_t cap;
	size_t n_done;    /* targets done or removed */
	size_t n_running; /* started and not done */
	size_t next_start;
	int dest_ttl;               /* traceroute: lowest TTL that reached the end; 0 none */
	struct sonar_host *results; /* one per target, written when it is done */
	bool results_owned;         /* free results (and their rtts) with the op */
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
	char text[2][SONAR_ADDRSTRLEN]; /* addresses formatted for an event */
	int64_t real_offset;            /* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
};

/* Is p inside op's block of names? */
static bool name_in_block(const struct op *op, const char *p)
{
	return op->name_block && p >= op->name_block && p < op->name_block + op->name_block_len;
}

/* Is p inside op's block of RTTs (not a separate allocation)? */
static bool rtts_in_block(const struct op *op, const double *p)
{
	return op->rtt_block && p >= op->rtt_block &&
	       p < op->rtt_block + op->rtt_block_n * (size_t)op->opt.count;
}

/* The monotonic clock in nanoseconds. */
static int64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* Read CLOCK_REALTIME - CLOCK_MONOTONIC again (it moves when the wall
 * clock is stepped). */
static void clock_offset(struct sonar_engine *e)
{
	struct timespec r;
	int64_t m = mono_now();

	clock_gettime(CLOCK_REALTIME, &r);
	e->real_offset = (int64_t)r.tv_sec * NS_PER_SEC + r.tv_nsec - m;
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

	if (__atomic_load_n(&counter, __ATOMIC_RELAXED) == -1)
		__atomic_compare_exchange_n(&counter, &expected, (int)getpid(), false,
		                            __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
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

/* Mix one 32-bit word into a hash (murmur3's constants). */
static uint32_t mix(uint32_t h, uint32_t w)
{
	w *= 0xcc9e2d51u;
	w = (w << 15) | (w >> 17);
	h ^= w * 0x1b873593u;
	h = (h << 13) | (h >> 19);
	return h * 5 + 0xe6546b64u;
}

/* Hash of a probe key. Datagram sockets: the kernel owns the id, leave it out. */
static uint32_t key_hash(const struct sock *s, uint16_t id, uint16_t seq, const struct addr *a)
{
	const unsigned char *b = addr_bytes(a);
	uint32_t h = mix(s->index, (uint32_t)(s->raw ? id : 0) << 16 | seq);
	uint32_t w;
	int i, words = addr_family(a) == 6 ? 4 : 1;

	for (i = 0; i < words; i++) {
		memcpy(&w, b + 4 * i, 4);
		h = mix(h, w);
	}
	h ^= h >> 16; /* final avalanche */
	h *= 0x85ebca6bu;
	return h ^ (h >> 13);
}

/* The slot of t that holds probe number no (as the table keeps it: modulo
 * 2^32), or NULL when that slot now holds another probe. */
static struct probe *probe_of(const struct target *t, uint32_t no)
{
	struct probe *p;

	if (!t->ring)
		return NULL;
	p = &t->ring[no % t->ring_size];
	return p->no == no ? p : NULL;
}

/* Does the table entry hold the probe this key names? */
static int match_probe(const struct table_entry *en, const void *k)
{
	const struct target *t = en->owner;
	const struct key *key = k;
	const struct probe *p = probe_of(t, en->probe);

	return p && t->sock == key->sock && (!key->sock->raw || t->id == key->id) &&
	       p->state != PROBE_FREE && p->seq == key->seq && addr_equal(&t->addr, key->addr);
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
	*pp = probe_of(t, en->probe);
	return *pp ? t : NULL;
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

/* Does anyone listen to t's events? Events are built only then: formatting
 * two addresses per packet is most of the CPU 10,000 targets would cost. */
static bool listening(const struct target *t)
{
	return t->op->on_event != NULL && !t->op->finished;
}

/* Start an event for target t. */
static void event_init(struct sonar_event *ev, enum sonar_event_type type, struct target *t,
                       const struct probe *p)
{
	struct sonar_engine *e = t->op->e;

	ev->type = type;
	if (!listening(t))
		return; /* emit() will not pass it on: build nothing */
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->op = t->op->handle;
	ev->target = t->index;
	ev->name = t->op->names[t->index];
	addr_to_string(&t->addr, e->text[0], sizeof(e->text[0]));
	ev->address = e->text[0];
	ev->from = "";
	ev->sequence = p ? p->seq : -1;
	ev->probe_ttl = t->ttl;
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
	if (!t->message)
		t->message = malloc(SONAR_MSGLEN);
	if (t->message)
		snprintf(t->message, SONAR_MSGLEN, "%s", msg);
}

/* Forget a target's error (a reply came after it). */
static void target_clear_error(struct target *t)
{
	t->error = 0;
	if (t->message)
		t->message[0] = '\0';
}

/*
 * Fill h with what target t knows. rtts are copied into a malloc'd array in
 * receive order (ring or not), or with share, point into the op's RTT block
 * when they are there in order; h->rtts is NULL when there are none or
 * memory ran out (packets_received still tells how many there were).
 */
static void target_host(const struct target *t, struct sonar_host *h, bool share)
{
	size_t n = t->st.n < t->rtts_cap ? (size_t)t->st.n : t->rtts_cap;
	size_t first = n == 0 || t->st.n <= t->rtts_cap ? 0 : (size_t)(t->st.n % t->rtts_cap);
	size_t i;

	memset(h, 0, sizeof(*h));
	if (t->addr.len)
		addr_to_string(t->op->kind == OP_TRACE ? &t->op->responders[t->index] : &t->addr,
		               h->address, sizeof(h->address));
	else
		snprintf(h->address, sizeof(h->address), "%s", t->op->names[t->index]);
	sonar_stats_fill(&t->st, t->sent, h);
	if (n && share && first == 0 && rtts_in_block(t->op, t->rtts)) {
		/* a result of the op itself: it points at the op's block */
		h->rtts = t->rtts;
		h->rtts_count = (int)n;
	} else if (n) {
		h->rtts = malloc(n * sizeof(double));
		for (i = 0; h->rtts && i < n; i++)
			h->rtts[i] = t->rtts[(first + i) % t->rtts_cap];
		h->rtts_count = h->rtts ? (int)n : 0;
	}
	h->duplicates = t->dups;
	h->reply_ttl = t->reply_ttl;
	h->distance = t->op->kind == OP_TRACE ? t->ttl : 0;
	h->error = t->error;
	h->icmp_type = t->icmp_type;
	h->icmp_code = t->icmp_code;
	if (t->error == SONAR_ETIMEOUT)
		snprintf(h->error_message, sizeof(h->error_message),
		         "The timeout has been reached (%gs)", t->op->opt.timeout);
	else if (t->message)
		snprintf(h->error_message, sizeof(h->error_message), "%s", t->message);
}

/* ---- target and operation lifecycle ------------------------------------- */

/* Take every timer and table entry of t away. */
static void target_quiesce(struct sonar_engine *e, struct target *t)
{
	uint32_t i;

	heap_remove(&e->sends, &t->send_timer);
	heap_remove(&e->expiries, &t->expire_timer);
	for (i = 0; t->ring && i < t->ring_size; i++)
		release_probe(e, t, &t->ring[i]);
}

/* Free a target's memory (it is quiesced). */
static void target_free(struct target *t)
{
	if (!t)
		return;
	free(t->ring);
	if (!rtts_in_block(t->op, t->rtts))
		free(t->rtts);
	free(t->message);
	free(t);
}

/* Write t's result into the op's results. */
static void target_result(struct target *t)
{
	struct sonar_host *h = &t->op->results[t->index];

	if (!t->st.n && !t->error && t->sent)
		t->error = SONAR_ETIMEOUT;
	if (!rtts_in_block(t->op, h->rtts))
		free(h->rtts);
	target_host(t, h, true);
}

static void op_finish(struct op *op);
static void start_targets(struct op *op);

/*
 * Mark t done: its last probe is answered or expired, it was cancelled, or
 * its op ends. Its result is written and its slots go; the next pending
 * target starts; the op ends with its last target.
 */
static void target_done(struct target *t)
{
	struct op *op = t->op;

	if (t->done)
		return;
	t->done = true;
	target_quiesce(op->e, t);
	if (op->results)
		target_result(t);
	/* The ring is not needed any more: give 10,000 targets' memory back
	 * as they finish, not at the end. */
	free(t->ring);
	t->ring = NULL;
	t->ring_size = 0;
	if (op->results) {
		/* the result holds the RTTs now (a copy, or the same block) */
		if (!rtts_in_block(op, t->rtts))
			free(t->rtts);
		t->rtts = NULL;
		t->rtts_cap = 0;
	}
	if (t->started)
		op->n_running--;
	op->n_done++;
	if (op->finished)
		return;
	start_targets(op);
	if (op->n_done == op->n && op->opt.count > 0)
		op_finish(op);
}

/* Is t finished with its probes (count reached, none outstanding)? */
static void target_check_done(struct target *t)
{
	struct op *op = t->op;

	if (t->done || op->finished || op->opt.count == 0 || t->next_no < (uint64_t)op->opt.count ||
	    t->outstanding > 0)
		return;
	target_done(t);
}

/*
 * End op: every target not done yet is done now (results written), then
 * on_done gets the results. The op is freed later, by reap().
 */
static void op_finish(struct op *op)
{
	struct sonar_host *hops = NULL;
	size_t i, n = 0;

	if (op->finished)
		return;
	op->finished = true;
	heap_remove(&op->e->sends, &op->op_timer);
	for (i = 0; i < op->n; i++)
		if (op->targets[i])
			target_done(op->targets[i]);
	if (!op->on_done)
		return;
	if (op->kind != OP_TRACE) {
		op->on_done(op->handle, op->results, op->results ? op->n : 0, op->user);
		return;
	}
	/* A traceroute reports the hops that answered, up to the end of the
	 * path; the results array is compacted in place for that. */
	hops = op->results;
	for (i = 0; hops && i < op->n; i++) {
		struct target *t = op->targets[i];
		bool beyond = op->dest_ttl && t && t->ttl > op->dest_ttl;

		if (!t || beyond || hops[i].packets_received == 0) {
			if (!rtts_in_block(op, hops[i].rtts))
				free(hops[i].rtts);
			hops[i].rtts = NULL;
			continue;
		}
		if (n != i) {
			hops[n] = hops[i];
			hops[i].rtts = NULL;
		}
		n++;
	}
	op->on_done(op->handle, hops, n, op->user);
}

/* Free an op's memory (it is finished and unlinked). */
static void op_free(struct op *op)
{
	size_t i;

	for (i = 0; i < op->n; i++) {
		if (op->targets && op->targets[i]) {
			target_quiesce(op->e, op->targets[i]);
			target_free(op->targets[i]);
		}
		if (op->names && !name_in_block(op, op->names[i]))
			free(op->names[i]);
		if (op->results_owned && op->results && !rtts_in_block(op, op->results[i].rtts))
			free(op->results[i].rtts);
	}
	if (op->results_owned)
		free(op->results);
	free(op->rtt_block);
	free(op->responders);
	free(op->name_block);
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
			heap_remove(&e->sends, &op->op_timer);
			op_free(op);
		} else {
			pp = &op->next;
		}
	}
}

/* ---- sending ------------------------------------------------------------ */

/* Queue the deadline of probe expire_no, or nothing when none is in flight. */
static void arm_expiry(struct sonar_engine *e, struct target *t)
{
	while (t->expire_no < t->next_no) {
		struct probe *p = &t->ring[t->expire_no % t->ring_size];

		if (p->state != PROBE_FREE && p->no == (uint32_t)t->expire_no) {
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
	while (t->expire_no < t->next_no && !t->done) {
		struct probe *p = &t->ring[t->expire_no % t->ring_size];

		if (p->state != PROBE_FREE && p->no == (uint32_t)t->expire_no) {
			if (p->sent_mono + t->op->timeout_ns > now)
				break;
			if (p->state == PROBE_WAITING) {
				struct sonar_event ev;

				t->outstanding--;
				event_init(&ev, SONAR_EVENT_TIMEOUT, t, p);
				ev.error = SONAR_ETIMEOUT;
				release_probe(e, t, p);
				t->expire_no++;
				emit(t, &ev);
				if (t->op->finished)
					return;
				continue;
			}
			release_probe(e, t, p);
		}
		t->expire_no++;
	}
	if (t->done)
		return;
	arm_expiry(e, t);
	target_check_done(t);
}

/* Describe a failed send. */
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
	default:
		addr_to_string(&t->addr, text, sizeof(text));
		snprintf(buf, cap, "Cannot send to %s: %s", text, strerror(err));
		return SONAR_ESOCKET;
	}
}

/* Queue t's next send at its place in the fixed schedule. */
static void schedule_next(struct sonar_engine *e, struct target *t)
{
	int count = t->op->opt.count;

	if (t->done || t->paused || (count > 0 && t->next_no >= (uint64_t)count))
		heap_remove(&e->sends, &t->send_timer);
	else
		heap_set(&e->sends, &t->send_timer,
		         t->start + (int64_t)t->next_no * t->interval_ns);
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
	if (t->done || op->finished || p->state != PROBE_FREE)
		return;

	/* Another probe may hold this key: this target's own probe 65536
	 * earlier (sequence numbers wrap), or another target's (two datagram
	 * operations to one host share the kernel's id). One already answered
	 * only waits out its duplicate window: end it early. One still waiting
	 * keeps its key, and this target's sequence numbers shift instead. */
	key.sock = t->sock;
	key.id = t->id;
	key.addr = &t->addr;
	for (tries = 0; tries < 65536; tries++) {
		struct probe *other;
		struct target *owner;

		key.seq = (uint16_t)(t->seq_base + k);
		owner = find_probe(e, &key, &other);
		if (!owner)
			break;
		if (other->state != PROBE_WAITING) {
			release_probe(e, owner, other);
			break;
		}
		t->seq_base++;
	}

	p->no = (uint32_t)k;
	p->seq = key.seq;
	len = codec_build_echo(t->sock->family, t->id, p->seq, op->payload, op->opt.payload_size,
	                       e->txbuf, RXBUF_BYTES);
	p->sent_mono = mono_now();
	r = sock_send(t->sock, &t->addr, e->txbuf, len, t->ttl, op->opt.traffic_class);

	if ((r == -EAGAIN || r == -ENOBUFS) && t->retries < SEND_RETRIES) {
		/* The socket's buffer is full: this probe waits a little, it is
		 * neither sent nor lost yet. */
		t->retries++;
		heap_set(&e->sends, &t->send_timer, mono_now() + SEND_RETRY_NS);
		return;
	}
	t->retries = 0;
	t->next_no++;
	if (r < 0) {
		char msg[SONAR_MSGLEN];
		int code = send_error(-r, t, msg, sizeof(msg));

		target_error(t, code, msg);
		event_init(&ev, SONAR_EVENT_SEND_ERROR, t, p);
		ev.error = code;
		ev.message = t->message ? t->message : "";
	} else {
		p->state = PROBE_WAITING;
		t->sent++;
		t->outstanding++;
		table_insert(&e->table, key_hash(t->sock, t->id, p->seq, &t->addr), t, (uint32_t)k);
		if (t->expire_timer.pos == HEAP_NONE)
			arm_expiry(e, t);
		event_init(&ev, SONAR_EVENT_SENT, t, p);
		ev.bytes = len;
		/* the send time the RTT is measured from */
		ev.when.tv_sec = (time_t)((p->sent_mono + e->real_offset) / NS_PER_SEC);
		ev.when.tv_nsec = (long)((p->sent_mono + e->real_offset) % NS_PER_SEC);
	}
	schedule_next(e, t);
	emit(t, &ev);
	if (!op->finished)
		target_check_done(t);
}

/* ---- receiving ---------------------------------------------------------- */

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

/*
 * A traceroute reached the end of the path at t's TTL (the destination
 * answered, or reported itself unreachable): TTLs beyond it stop.
 */
static void trace_reached(struct op *op, int ttl)
{
	size_t i;

	if (op->dest_ttl && op->dest_ttl <= ttl)
		return;
	op->dest_ttl = ttl;
	for (i = 0; i < op->n && !op->finished; i++) {
		struct target *t = op->targets[i];

		if (!t || t->done || t->ttl <= ttl)
			continue;
		if (op->opt.count == 0) {
			/* mtr-like rounds: park TTLs past the end */
			t->paused = true;
			heap_remove(&op->e->sends, &t->send_timer);
		} else {
			target_done(t);
		}
	}
}

/* Credit an answer (echo reply, or a router's error in a traceroute) to probe p. */
static void on_answer(struct target *t, struct probe *p, const struct sock_msg *m, size_t bytes,
                      int ttl, const struct addr *from, int icmp_type, int icmp_code)
{
	struct sonar_engine *e = t->op->e;
	struct sonar_event ev;
	char msg[SONAR_MSGLEN];
	double rtt = rtt_ms(t->op->e, p, m);
	bool reply = icmp_type < 0;

	if (p->state != PROBE_WAITING) {
		if (!reply)
			return; /* a second error for one probe tells nothing new */
		t->dups++;
		event_init(&ev, SONAR_EVENT_DUPLICATE, t, p);
	} else {
		p->state = PROBE_ANSWERED;
		t->outstanding--;
		t->rtts[t->st.n % t->rtts_cap] = rtt;
		sonar_stats_add(&t->st, rtt);
		t->reply_ttl = ttl;
		if (t->op->responders)
			t->op->responders[t->index] = *from;
		if (reply)
			target_clear_error(t);
		event_init(&ev, reply ? SONAR_EVENT_REPLY : SONAR_EVENT_ICMP_ERROR, t, p);
	}
	if (listening(t)) {
		addr_to_string(from, e->text[1], sizeof(e->text[1]));
		ev.from = e->text[1];
	}
	ev.reply_ttl = ttl;
	ev.rtt = rtt;
	ev.bytes = bytes;
	if (!reply) {
		/* A router's Time Exceeded is what a traceroute asks for, not
		 * an error of the hop; anything else (unreachable) is. */
		ev.icmp_type = icmp_type;
		ev.icmp_code = icmp_code;
		ev.error = error_icmp(t->sock->family, icmp_type, icmp_code, msg, sizeof(msg));
		ev.message = msg;
		if (ev.error != SONAR_ETIMEEXCEEDED && ev.type != SONAR_EVENT_DUPLICATE) {
			target_error(t, ev.error, msg);
			t->icmp_type = icmp_type;
			t->icmp_code = icmp_code;
		}
	}
	if (m->has_stamp)
		ev.when = m->stamp;
	emit(t, &ev);
	if (t->op->finished || t->done)
		return;
	if (t->op->kind == OP_TRACE && ev.type != SONAR_EVENT_DUPLICATE) {
		bool end = reply || icmp_type != (t->sock->family == 6 ? ICMP6_TIME_EXCEEDED
		                                                       : ICMP4_TIME_EXCEEDED);
		if (end)
			trace_reached(t->op, t->ttl);
		if (t->op->finished || t->done)
			return;
		if (t->op->opt.fast && t->op->opt.count > 0) {
			/* icmplib's fast: this hop answered, send it no more */
			t->next_no = (uint64_t)t->op->opt.count;
			heap_remove(&e->sends, &t->send_timer);
		}
	}
	target_check_done(t);
}

/* Credit an ICMP error (unreachable, time exceeded ...) to probe p of t. */
static void on_icmp_error(struct target *t, struct probe *p, const struct sock_msg *m, int type,
                          int code, int ttl, const struct addr *from)
{
	struct sonar_event ev;
	char msg[SONAR_MSGLEN];
	int err;

	if (t->op->kind == OP_TRACE) {
		/* For a traceroute a router's error is the answer it wants. */
		on_answer(t, p, m, m->len, ttl, from, type, code);
		return;
	}
	if (p->state != PROBE_WAITING)
		return; /* a second error for one probe tells nothing new */
	err = error_icmp(t->sock->family, type, code, msg, sizeof(msg));
	p->state = PROBE_ERRORED;
	t->outstanding--;
	target_error(t, err, msg);
	t->icmp_type = type;
	t->icmp_code = code;
	event_init(&ev, SONAR_EVENT_ICMP_ERROR, t, p);
	if (listening(t)) {
		addr_to_string(from, t->op->e->text[1], sizeof(t->op->e->text[1]));
		ev.from = t->op->e->text[1];
	}
	ev.reply_ttl = ttl;
	ev.rtt = rtt_ms(t->op->e, p, m);
	ev.bytes = m->len;
	ev.icmp_type = type;
	ev.icmp_code = code;
	ev.error = err;
	ev.message = t->message ? t->message : "";
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
			on_answer(t, p, m, pkt.icmp_len, pkt.ttl >= 0 ? pkt.ttl : m->ttl, &m->from,
			          -1, -1);
	} else if (pkt.kind == CODEC_ERROR && pkt.quoted_family == s->family) {
		unsigned scope = 0;

		if (s->family == 6)
			scope = m->from.ss.in6.sin6_scope_id;
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
			if (m.has_dropped)
				s->dropped = m.dropped;
			handle_message(e, s, &m);
			continue;
		}
		/* r < 0: a pending socket error (an ICMP error reported on a
		 * datagram socket) was returned; its details are in the queue. */
		if (r == 0 && !got)
			break;
	}
}

/* ---- setting operations up ---------------------------------------------- */

struct sonar_engine *sonar_engine_new(void)
{
	struct sonar_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	heap_init(&e->expiries);
	heap_init(&e->sends);
	table_init(&e->table);
	e->next_handle = 1;
	clock_offset(e);
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

/* Sequence numbers a target reserves, so targets sharing an id and address
 * (a traceroute's TTLs; datagram sockets' one id) never collide. */
static uint16_t seq_stride(const struct op *op)
{
	return op->opt.count > 0 && op->opt.count < SEQ_STRIDE_CONTINUOUS ? (uint16_t)op->opt.count
	                                                                  : SEQ_STRIDE_CONTINUOUS;
}

/* Resolve target t, give it a socket and its slots. */
static int target_setup(struct sonar_engine *e, struct op *op, struct target *t, uint16_t trace_id)
{
	const struct sonar_options *o = &op->opt;
	struct addr src;
	int r, fam;
	double inflight;

	memset(&src, 0, sizeof(src));
	r = addr_lookup(op->names[t->index], o->family, true, &t->addr);
	if (r < 0)
		return r;
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

	if (op->kind == OP_TRACE) {
		/* one id for the trace; each TTL its own range of sequences */
		t->id = trace_id;
		t->seq_base = (uint16_t)(t->index * seq_stride(op));
	} else {
		t->id = o->id >= 0 ? (uint16_t)o->id : next_id();
		if (!t->sock->raw) {
			/* the kernel's one id serves the socket: spread targets
			 * over the sequence space instead */
			t->seq_base = t->sock->seq_cursor;
			t->sock->seq_cursor = (uint16_t)(t->sock->seq_cursor + seq_stride(op));
		}
	}

	/* Slots: every probe that can be in flight at once, plus one. */
	inflight = o->interval > 0 ? ceil(o->timeout / o->interval) + 2 : (double)o->count;
	if (o->count > 0 && inflight > o->count)
		inflight = o->count;
	if (inflight > 1 << 20)
		inflight = 1 << 20;
	/* A power of two, so that the table's probe numbers (kept modulo
	 * 2^32) still name the right slot after 2^32 probes. */
	t->ring_size = 1;
	while (t->ring_size < inflight)
		t->ring_size <<= 1;
	t->ring = calloc(t->ring_size, sizeof(*t->ring));
	t->rtts_cap = o->count > 0 ? (uint32_t)o->count : RTT_HISTORY;
	if (t->index < op->rtt_block_n)
		t->rtts = op->rtt_block + (size_t)t->index * (size_t)o->count;
	else
		t->rtts = calloc(t->rtts_cap, sizeof(*t->rtts));
	if (!t->ring || !t->rtts)
		return error_set(SONAR_ENOMEM, "Out of memory");
	if (table_reserve(&e->table, t->ring_size) < 0 || heap_reserve(&e->sends, 1) < 0 ||
	    heap_reserve(&e->expiries, 1) < 0)
		return error_set(SONAR_ENOMEM, "Out of memory");
	return 0;
}

/* Make room for `want` target slots in op (targets, names, owned results). */
static int op_reserve(struct op *op, size_t want)
{
	struct target **t;
	char **names;

	if (want <= op->cap)
		return 0;
	t = realloc(op->targets, want * sizeof(*t));
	if (!t)
		return -1;
	op->targets = t;
	names = realloc(op->names, want * sizeof(*names));
	if (!names)
		return -1;
	op->names = names;
	if (op->results_owned) {
		struct sonar_host *results = realloc(op->results, want * sizeof(*results));

		if (!results)
			return -1;
		op->results = results;
	}
	op->cap = want;
	return 0;
}

/*
 * Append a target named name to op; it starts when start_targets() says.
 * A name inside op->name_block is used as it is; any other is copied.
 */
static struct target *op_add(struct op *op, const char *name, int ttl)
{
	struct target *t;

	if (op->n == op->cap && op_reserve(op, op->cap ? op->cap * 2 : 8) < 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	op->names[op->n] = name_in_block(op, name) ? (char *)name : strdup(name ? name : "");
	if (!t || !op->names[op->n]) {
		free(t);
		if (!name_in_block(op, op->names[op->n]))
			free(op->names[op->n]);
		return NULL;
	}
	t->op = op;
	t->index = op->n;
	t->ttl = (uint8_t)ttl;
	t->reply_ttl = -1;
	t->icmp_type = -1;
	t->icmp_code = -1;
	t->interval_ns = sec_to_ns(op->opt.interval);
	sonar_stats_init(&t->st);
	timer_init(&t->send_timer, TIMER_SEND);
	timer_init(&t->expire_timer, TIMER_EXPIRE);
	if (op->results_owned)
		memset(&op->results[op->n], 0, sizeof(op->results[op->n]));
	op->targets[op->n++] = t;
	return t;
}

/*
 * A target that cannot run (name not resolved, no socket ...): its result
 * carries the error, and it counts as done.
 */
static void target_fail(struct target *t, int code)
{
	target_error(t, code, sonar_last_error());
	t->done = true;
	if (t->op->results) {
		struct sonar_host *h = &t->op->results[t->index];

		memset(h, 0, sizeof(*h));
		snprintf(h->address, sizeof(h->address), "%s", t->op->names[t->index]);
		h->reply_ttl = h->icmp_type = h->icmp_code = -1;
		h->error = code;
		snprintf(h->error_message, sizeof(h->error_message), "%s", sonar_last_error());
	}
	t->op->n_done++;
}

/* Start pending targets while fewer than concurrent_tasks are running. */
static void start_targets(struct op *op)
{
	int64_t now = mono_now();

	/* concurrent_tasks bounds finite operations; a continuous one's targets
	 * never finish, so every one of them runs (else the rest would wait
	 * for ever). */
	while (op->next_start < op->n && !op->finished &&
	       (op->kind == OP_TRACE || op->opt.count == 0 ||
	        op->n_running < (size_t)op->opt.concurrent_tasks)) {
		struct target *t = op->targets[op->next_start++];

		if (!t || t->done)
			continue;
		t->started = true;
		t->start = now;
		op->n_running++;
		schedule_next(op->e, t);
	}
}

/*
 * Create an op with copies of the options and room for n targets (not yet
 * linked or started). Results go to the caller's array when given.
 */
static struct op *op_new(struct sonar_engine *e, enum op_kind kind, const struct sonar_options *o,
                         size_t n, struct sonar_host *results)
{
	struct op *op = calloc(1, sizeof(*op));

	if (!op)
		return NULL;
	op->e = e;
	op->kind = kind;
	op->opt = *o;
	op->results = results;
	op->results_owned = results == NULL;
	op->payload = malloc(o->payload_size ? o->payload_size : 1);
	if (o->source)
		op->source = strdup(o->source);
	if (!op->payload || (o->source && !op->source) || op_reserve(op, n ? n : 1) < 0) {
		op_free(op);
		return NULL;
	}
	if (o->payload)
		memcpy(op->payload, o->payload, o->payload_size);
	else
		random_payload(op->payload, o->payload_size);
	op->opt.payload = op->payload;
	op->opt.source = op->source;
	op->timeout_ns = sec_to_ns(o->timeout);
	timer_init(&op->op_timer, TIMER_OP);
	return op;
}

/*
 * Give op one block for the names of its first n targets (copied end to
 * end: one allocation, not n) and, when it keeps its results and has a
 * count, one block for their RTTs. Returns the names' copies in out[], or
 * -1 when out of memory.
 */
static int op_blocks(struct op *op, const char *const *names, size_t n, const char **out)
{
	size_t i, len = 0;
	char *p;

	for (i = 0; i < n; i++)
		len += strlen(names[i] ? names[i] : "") + 1;
	op->name_block = malloc(len ? len : 1);
	if (!op->name_block)
		return -1;
	op->name_block_len = len;
	for (i = 0, p = op->name_block; i < n; i++) {
		size_t l = strlen(names[i] ? names[i] : "") + 1;

		memcpy(p, names[i] ? names[i] : "", l);
		out[i] = p;
		p += l;
	}
	if (op->results_owned && op->opt.count > 0) {
		op->rtt_block = calloc(n * (size_t)op->opt.count, sizeof(double));
		if (!op->rtt_block)
			return -1;
		op->rtt_block_n = n;
	}
	return 0;
}

/* Link op into the engine and start its first targets. */
static int op_launch(struct sonar_engine *e, struct op *op, sonar_event_cb on_event,
                     sonar_done_cb on_done, void *user)
{
	op->handle = e->next_handle++;
	if (e->next_handle <= 0)
		e->next_handle = 1;
	op->on_event = on_event;
	op->on_done = on_done;
	op->user = user;
	op->next = e->ops;
	e->ops = op;
	start_targets(op);
	/* Every target failed already (names, sockets): end the op from the
	 * loop, never from inside the call that started it. */
	if (op->n_done == op->n && op->opt.count > 0)
		heap_set(&e->sends, &op->op_timer, mono_now());
	return op->handle;
}

/* Common checks for starting an operation. */
static int check_start(const struct sonar_engine *e, const struct sonar_options *o)
{
	int r;

	if (!e || !o)
		return error_set(SONAR_EINVAL, "Invalid argument: engine and options are required");
	r = sonar_options_validate(o);
	if (r < 0)
		return r;
	if (o->count == 0 && o->interval <= 0)
		return error_set(SONAR_EINVAL,
		                 "Invalid interval: a continuous operation (count 0) needs an "
		                 "interval > 0");
	return 0;
}

int sonar_engine_ping(struct sonar_engine *e, const char *address, const struct sonar_options *o,
                      sonar_event_cb on_event, sonar_done_cb on_done, void *user)
{
	struct op *op;
	struct target *t;
	int r = check_start(e, o);

	if (r < 0)
		return r;
	op = op_new(e, OP_PING, o, 1, NULL);
	if (!op || !(t = op_add(op, address, o->ttl))) {
		if (op)
			op_free(op);
		return error_set(SONAR_ENOMEM, "Out of memory");
	}
	r = target_setup(e, op, t, 0);
	if (r < 0) {
		op_free(op);
		return r;
	}
	return op_launch(e, op, on_event, on_done, user);
}

/* Start a multiping whose results go to out (caller's) or to the op. */
static int multiping_start(struct sonar_engine *e, const char *const *addresses, size_t n,
                           const struct sonar_options *o, sonar_event_cb on_event,
                           sonar_done_cb on_done, void *user, struct sonar_host *out)
{
	struct op *op;
	const char **copies;
	size_t i;
	int r = check_start(e, o);

	if (r < 0)
		return r;
	/* A continuous multiping may start empty: targets come later. */
	if ((!addresses && n) || (n == 0 && o->count > 0))
		return error_set(SONAR_EINVAL, "Invalid addresses: the list is empty");
	op = op_new(e, OP_MULTI, o, n, out);
	copies = calloc(n ? n : 1, sizeof(*copies));
	if (!op || !copies || op_blocks(op, addresses, n, copies) < 0) {
		if (op)
			op_free(op);
		free(copies);
		return error_set(SONAR_ENOMEM, "Out of memory");
	}
	for (i = 0; i < n; i++) {
		struct target *t = op_add(op, copies[i], o->ttl);

		if (!t) {
			op_free(op);
			free(copies);
			return error_set(SONAR_ENOMEM, "Out of memory");
		}
		r = target_setup(e, op, t, 0);
		if (r < 0) {
			/* one bad target does not stop the others */
			if (r == SONAR_ENOMEM) {
				op_free(op);
				free(copies);
				return r;
			}
			free(t->ring);
			t->ring = NULL;
			t->ring_size = 0;
			target_fail(t, r);
		}
	}
	free(copies);
	return op_launch(e, op, on_event, on_done, user);
}

int sonar_engine_multiping(struct sonar_engine *e, const char *const *addresses, size_t n,
                           const struct sonar_options *o, sonar_event_cb on_event,
                           sonar_done_cb on_done, void *user)
{
	return multiping_start(e, addresses, n, o, on_event, on_done, user, NULL);
}

int engine_multiping_into(struct sonar_engine *e, const char *const *addresses, size_t n,
                          const struct sonar_options *o, sonar_done_cb on_done, void *user,
                          struct sonar_host *hosts)
{
	return multiping_start(e, addresses, n, o, NULL, on_done, user, hosts);
}

int sonar_engine_traceroute(struct sonar_engine *e, const char *address,
                            const struct sonar_options *o, sonar_event_cb on_event,
                            sonar_done_cb on_done, void *user)
{
	struct op *op;
	int ttl, r = check_start(e, o);
	uint16_t id;
	size_t n;
	const char *name;

	if (r < 0)
		return r;
	n = (size_t)(o->max_hops - o->first_hop + 1);
	op = op_new(e, OP_TRACE, o, n, NULL);
	if (op)
		op->responders = calloc(n, sizeof(*op->responders));
	if (!op || !op->responders || op_blocks(op, &address, 1, &name) < 0) {
		if (op)
			op_free(op);
		return error_set(SONAR_ENOMEM, "Out of memory");
	}
	/* every TTL probes the same address: one name, and RTT block rows
	 * for all of them */
	if (op->rtt_block) {
		free(op->rtt_block);
		op->rtt_block = calloc(n * (size_t)o->count, sizeof(double));
		op->rtt_block_n = op->rtt_block ? n : 0;
	}
	id = o->id >= 0 ? (uint16_t)o->id : next_id();
	for (ttl = o->first_hop; ttl <= o->max_hops; ttl++) {
		struct target *t = op_add(op, name, ttl);

		if (!t) {
			op_free(op);
			return error_set(SONAR_ENOMEM, "Out of memory");
		}
		r = target_setup(e, op, t, id);
		if (r < 0) {
			op_free(op); /* every TTL shares the address: all fail alike */
			return r;
		}
	}
	return op_launch(e, op, on_event, on_done, user);
}

/* ---- managing running operations ---------------------------------------- */

/* The running op with this handle, or NULL (and a message). */
static struct op *find_op(const struct sonar_engine *e, int handle)
{
	struct op *op;

	for (op = e ? e->ops : NULL; op; op = op->next)
		if (op->handle == handle && !op->finished)
			return op;
	error_set(SONAR_EINVAL, "Invalid operation: %d is not running", handle);
	return NULL;
}

/* The live target index of op, or NULL (and a message). */
static struct target *find_target(const struct op *op, size_t index)
{
	if (index >= op->n || !op->targets[index]) {
		error_set(SONAR_EINVAL, "Invalid target: %zu is not in operation %d", index,
		          op->handle);
		return NULL;
	}
	return op->targets[index];
}

int sonar_engine_add_target(struct sonar_engine *e, int handle, const char *address)
{
	struct op *op = find_op(e, handle);
	struct target *t;
	int r;

	if (!op)
		return SONAR_EINVAL;
	if (op->kind != OP_MULTI)
		return error_set(SONAR_EINVAL, "Invalid operation: targets are added to a "
		                               "multiping only");
	if (!op->results_owned)
		return error_set(SONAR_EINVAL, "Invalid operation: a blocking multiping is fixed");
	t = op_add(op, address, op->opt.ttl);
	if (!t)
		return error_set(SONAR_ENOMEM, "Out of memory");
	r = target_setup(e, op, t, 0);
	if (r < 0) {
		/* the caller asked for this one: say no, keep no trace */
		op->targets[--op->n] = NULL;
		free(op->names[op->n]);
		target_free(t);
		return r;
	}
	start_targets(op);
	return (int)t->index;
}

int sonar_engine_remove_target(struct sonar_engine *e, int handle, size_t index)
{
	struct op *op = find_op(e, handle);
	struct target *t;

	if (!op || !(t = find_target(op, index)))
		return SONAR_EINVAL;
	target_quiesce(e, t);
	if (!t->done) {
		if (t->started)
			op->n_running--;
		op->n_done++;
	}
	if (op->results) {
		free(op->results[index].rtts);
		memset(&op->results[index], 0, sizeof(op->results[index]));
		snprintf(op->results[index].address, sizeof(op->results[index].address), "%s",
		         op->names[index]);
	}
	op->targets[index] = NULL;
	target_free(t);
	start_targets(op);
	if (op->n_done == op->n && op->opt.count > 0)
		heap_set(&e->sends, &op->op_timer, mono_now());
	return 0;
}

/* Apply fn to one target of op (index >= 0) or to all (index -1). */
static int for_targets(struct sonar_engine *e, int handle, long index,
                       void (*fn)(struct sonar_engine *, struct target *, const void *),
                       const void *arg)
{
	struct op *op = find_op(e, handle);
	size_t i;

	if (!op)
		return SONAR_EINVAL;
	if (index >= 0) {
		struct target *t = find_target(op, (size_t)index);

		if (!t)
			return SONAR_EINVAL;
		fn(e, t, arg);
		return 0;
	}
	for (i = 0; i < op->n; i++)
		if (op->targets[i])
			fn(e, op->targets[i], arg);
	return 0;
}

/* Pause or resume one target. A resumed target keeps its fixed schedule
 * from now on: the probes it missed are not sent in a burst. */
static void pause_one(struct sonar_engine *e, struct target *t, const void *arg)
{
	bool paused = *(const bool *)arg;

	if (t->done || t->paused == paused)
		return;
	t->paused = paused;
	if (t->started && !paused)
		t->start = mono_now() - (int64_t)t->next_no * t->interval_ns;
	if (t->started)
		schedule_next(e, t);
}

int sonar_engine_pause(struct sonar_engine *e, int handle, long target, bool paused)
{
	return for_targets(e, handle, target, pause_one, &paused);
}

/* Change one target's interval, re-anchoring its schedule at the last probe. */
static void interval_one(struct sonar_engine *e, struct target *t, const void *arg)
{
	int64_t ns = *(const int64_t *)arg;
	int64_t last = t->start + (int64_t)(t->next_no ? t->next_no - 1 : 0) * t->interval_ns;

	if (t->done)
		return;
	t->interval_ns = ns;
	/* probe next_no leaves one new interval after the previous one */
	t->start = last - (int64_t)(t->next_no ? t->next_no - 1 : 0) * ns;
	if (t->started && !t->paused)
		schedule_next(e, t);
}

int sonar_engine_set_interval(struct sonar_engine *e, int handle, long target, double seconds)
{
	int64_t ns;

	if (!isfinite(seconds) || seconds <= 0 || seconds > 86400)
		return error_set(SONAR_EINVAL,
		                 "Invalid interval: %g (must be > 0 and at most "
		                 "86400 seconds)",
		                 seconds);
	ns = sec_to_ns(seconds);
	return for_targets(e, handle, target, interval_one, &ns);
}

long sonar_engine_targets(const struct sonar_engine *e, int handle)
{
	const struct op *op = find_op(e, handle);

	return op ? (long)op->n : SONAR_EINVAL;
}

int sonar_engine_snapshot(const struct sonar_engine *e, int handle, size_t index,
                          struct sonar_host *out)
{
	const struct op *op = find_op(e, handle);
	const struct target *t;

	if (!out)
		return error_set(SONAR_EINVAL, "Invalid argument: out is NULL");
	if (!op || !(t = find_target(op, index)))
		return SONAR_EINVAL;
	if (t->done && op->results) {
		*out = op->results[index];
		out->rtts = NULL;
		if (op->results[index].rtts && out->rtts_count > 0) {
			size_t n = (size_t)out->rtts_count;

			out->rtts = malloc(n * sizeof(double));
			if (out->rtts)
				memcpy(out->rtts, op->results[index].rtts, n * sizeof(double));
			else
				out->rtts_count = 0;
		}
		return 0;
	}
	target_host(t, out, false);
	return 0;
}

int sonar_engine_stop(struct sonar_engine *e, int handle)
{
	struct op *op = find_op(e, handle);

	if (!op)
		return SONAR_EINVAL;
	e->depth++;
	op_finish(op);
	e->depth--;
	reap(e);
	return 0;
}

size_t sonar_engine_active(const struct sonar_engine *e)
{
	const struct op *op;
	size_t n = 0;

	for (op = e ? e->ops : NULL; op; op = op->next)
		n += !op->finished;
	return n;
}

/* ---- the loop's side ---------------------------------------------------- */

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
	clock_offset(e);
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
	for (budget = MAX_SENDS_PER_TURN; budget > 0; budget--) {
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

bool sonar_engine_owns(const struct sonar_engine *e, const struct sonar_packet *p)
{
	const struct sock *s;
	const char *where;
	struct addr a;
	struct key key;
	struct probe *probe;

	if (!e || !p || p->id < 0 || p->seq < 0)
		return false;
	/* a request goes to the probed address, a reply comes from it, an
	 * error quotes it */
	if (p->quoted_dst[0])
		where = p->quoted_dst;
	else if (strcmp(p->name, "echo request") == 0)
		where = p->dst;
	else
		where = p->src;
	if (addr_lookup(where, p->family, false, &a) < 0)
		return false;
	key.id = (uint16_t)p->id;
	key.seq = (uint16_t)p->seq;
	key.addr = &a;
	for (s = e->socks; s; s = s->next) {
		if (s->family != p->family)
			continue;
		key.sock = s;
		if (find_probe((struct sonar_engine *)e, &key, &probe))
			return true;
	}
	return false;
}

int sonar_engine_prepare(struct sonar_engine *e, int family, bool privileged, const char *source)
{
	struct addr src;
	struct sock *s;
	int r;

	memset(&src, 0, sizeof(src));
	if (!e || (family != 4 && family != 6))
		return error_set(SONAR_EINVAL, "Invalid family: %d (must be 4 or 6)", family);
	if (source) {
		r = addr_lookup(source, family, false, &src);
		if (r < 0)
			return error_set(SONAR_ESOCKADDR,
			                 "The requested address (%s) cannot be assigned to the "
			                 "socket",
			                 source);
	}
	return get_sock(e, family, privileged, &src, &s);
}

uint64_t sonar_engine_dropped(const struct sonar_engine *e)
{
	const struct sock *s;
	uint64_t n = 0;

	for (s = e ? e->socks : NULL; s; s = s->next)
		n += s->dropped;
	return n;
}
