/*
 * target.c - a target's life (set up, run, done, removed) and the caller's
 * control of running targets: add, remove, pause, interval, snapshot.
 *
 * Invariants:
 * - a target is counted in op->n_done once, when it is done, failed or
 *   removed, and in op->n_running while started and not done;
 * - a removed target leaves op->targets[] at once and is freed by reap()
 *   when no callback is on the stack (the callback may be its own);
 * - its result is written to op->results[index] when it is done (result.c).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "error.h"
#include "internal.h"
#include "stats.h"

/* Sequence numbers a target of a continuous op reserves before the next */
#define SEQ_STRIDE_CONTINUOUS 2048
/* UDP probes' port unless asked: traceroute's first (33434 + 0). */
#define UDP_BASE_PORT 33434
/* TCP probes' port unless asked: the web's, open or refused nearly anywhere. */
#define TCP_PORT 80

bool target_gone(const struct target *t)
{
	return t->done || t->op->finished;
}

void target_error(struct target *t, int code, const char *msg)
{
	t->error = code;
	if (!t->message)
		t->message = malloc(SONAR_MSGLEN);
	if (t->message)
		snprintf(t->message, SONAR_MSGLEN, "%s", msg);
}

void target_clear_error(struct target *t)
{
	t->error = 0;
	t->icmp_type = t->icmp_code = -1;
	if (t->message)
		t->message[0] = '\0';
}

/*
 * Fill h with what target t knows. rtts are copied into a malloc'd array in
 * receive order, or with share, point into the op's RTT block when they
 * are there in order; h->rtts is NULL when there are none or memory ran
 * out (packets_received still tells how many there were). Loss counts
 * only completed probes: one in flight (a running target's, or one still
 * in flight when its operation was stopped) is neither received nor lost.
 */
void target_host(const struct target *t, struct sonar_host *h, bool share)
{
	size_t n = t->st.n < t->rtts_cap ? (size_t)t->st.n : t->rtts_cap;
	size_t first = n == 0 || t->st.n <= t->rtts_cap ? 0 : (size_t)(t->st.n % t->rtts_cap);
	uint64_t completed = t->sent - t->outstanding;
	size_t i;

	memset(h, 0, sizeof(*h));
	if (t->addr.len)
		addr_to_string(t->op->ops->hops ? &t->op->responders[t->index] : &t->addr,
		               h->address, sizeof(h->address));
	else
		snprintf(h->address, sizeof(h->address), "%s", t->op->names[t->index]);
	sonar_stats_fill(&t->st, t->sent, h);
	if (t->op->labels && t->op->labels[t->index].n > 0) {
		const struct labels *l = &t->op->labels[t->index];

		if (share) { /* the op's own result: its storage */
			h->mpls = l->e;
			h->mpls_count = l->n;
		} else if ((h->mpls = malloc((size_t)l->n * sizeof(*l->e)))) {
			memcpy((struct sonar_mpls *)h->mpls, l->e, (size_t)l->n * sizeof(*l->e));
			h->mpls_count = l->n;
		}
	}
	h->packet_loss = completed > 0 && t->st.n <= completed
	                     ? stats_round(1.0 - (double)t->st.n / (double)completed, 2)
	                     : 0.0;
	if (n && share && first == 0 && result_rtts_shared(t->op, t->index)) {
		h->rtts = t->rtts; /* the op's own result: its block */
		h->rtts_count = (int)n;
	} else if (n) {
		h->rtts = malloc(n * sizeof(double));
		for (i = 0; h->rtts && i < n; i++)
			h->rtts[i] = t->rtts[(first + i) % t->rtts_cap];
		h->rtts_count = h->rtts ? (int)n : 0;
	}
	h->duplicates = t->dups;
	h->reply_ttl = t->reply_ttl;
	h->distance = t->op->ops->hops ? t->ttl : 0;
	h->error = t->error;
	h->icmp_type = t->icmp_type;
	h->icmp_code = t->icmp_code;
	if (t->error == SONAR_ETIMEOUT)
		snprintf(h->error_message, sizeof(h->error_message),
		         "The timeout has been reached (%gs)", t->op->opt.timeout);
	else if (t->message)
		snprintf(h->error_message, sizeof(h->error_message), "%s", t->message);
}

void target_record_rtt(struct target *t, double rtt)
{
	if (t->rtts_cap)
		t->rtts[t->st.n % t->rtts_cap] = rtt;
	sonar_stats_add(&t->st, rtt);
}

void target_free(struct target *t)
{
	if (!t)
		return;
	probe_ring_free(t->op->e, t);
	if (t->reserved)
		engine_release_timers(t->op->e, 2);
	result_rtts_free(t->op, t->index, t->rtts);
	free(t->message);
	free(t);
}

/*
 * Mark t done: its last probe is answered or expired, it failed, or its op
 * ends. Its result is written and its slots go; the next pending target
 * starts; the op ends with its last target.
 */
void target_done(struct target *t)
{
	struct op *op = t->op;

	if (t->done)
		return;
	t->done = true;
	sched_quiesce(op->e, t);
	if (t->reserved)
		engine_release_timers(op->e, 2);
	t->reserved = false;
	if (op->results)
		result_write(t);
	/* The ring is not needed any more: give 10,000 targets' memory back
	 * as they finish, not at the end. */
	probe_ring_free(t->op->e, t);
	if (t->started)
		op->n_running--;
	op->n_done++;
	if (op->finished)
		return;
	op_start_targets(op);
	op_end_if_done(op);
}

void target_check_done(struct target *t)
{
	struct op *op = t->op;

	if (target_gone(t) || op->opt.count == 0 || t->next_no < (uint64_t)op->opt.count ||
	    t->outstanding > 0 || t->provisional > 0)
		return;
	target_done(t);
}

/*
 * A target that cannot run (name not resolved, no socket, out of memory):
 * its result carries the error (sonar_last_error()), and it is done.
 */
void target_fail(struct target *t, int code)
{
	char msg[SONAR_MSGLEN];

	snprintf(msg, sizeof(msg), "%s", sonar_last_error());
	target_error(t, code, msg);
	if (t->started || t->sent) {
		target_done(t);
		return;
	}
	t->done = true;
	probe_ring_free(t->op->e, t);
	if (t->reserved)
		engine_release_timers(t->op->e, 2);
	t->reserved = false;
	if (t->op->results) {
		struct sonar_host *h = &t->op->results[t->index];

		result_clear(t->op, t->index);
		snprintf(h->address, sizeof(h->address), "%s", t->op->names[t->index]);
		h->reply_ttl = h->icmp_type = h->icmp_code = -1;
		h->error = code;
		snprintf(h->error_message, sizeof(h->error_message), "%s", msg);
	}
	t->op->n_done++;
}

/* Sequence numbers a target reserves, so targets sharing an id and address
 * (a traceroute's TTLs; datagram sockets' one id) never collide. */
static uint16_t seq_stride(const struct op *op)
{
	return op->opt.count > 0 && op->opt.count < SEQ_STRIDE_CONTINUOUS ? (uint16_t)op->opt.count
	                                                                  : SEQ_STRIDE_CONTINUOUS;
}

/* Resolve target t, give it a socket, its slots and its RTT storage. */
int target_setup(struct sonar_engine *e, struct op *op, struct target *t, uint16_t trace_id)
{
	const struct sonar_options *o = &op->opt;
	const char *name = op->names[t->index];
	struct addr src;
	int r, fam;
	double inflight;

	memset(&src, 0, sizeof(src));
	/* icmplib: family chooses among a name's addresses; an address
	 * literal is what it is */
	fam = sonar_is_ipv4_address(name) || sonar_is_ipv6_address(name) ? 0 : o->family;
	r = addr_lookup(name, fam, true, &t->addr);
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
	r = engine_get_sock(e, fam, o->privileged, o->protocol, &src, &t->sock);
	if (r < 0)
		return r;
	if (t->sock->udp) /* every probe to one port: one flow */
		addr_set_port(&t->addr, (uint16_t)(o->port ? o->port : UDP_BASE_PORT));
	if (t->sock->tcp)
		addr_set_port(&t->addr, (uint16_t)(o->port ? o->port : TCP_PORT));

	if (op->ops->hops) {
		/* one id for the trace; each TTL its own range of sequences */
		t->id = trace_id;
		t->seq_base = (uint16_t)(t->index * seq_stride(op));
	} else {
		t->id = o->id >= 0 ? (uint16_t)o->id : op_next_id();
		if (!t->sock->raw) {
			/* the kernel's one id serves the socket: spread targets
			 * over the sequence space instead */
			t->seq_base = t->sock->seq_cursor;
			t->sock->seq_cursor = (uint16_t)(t->sock->seq_cursor + seq_stride(op));
		}
	}

	if (t->sock->udp || (t->sock->tcp && !t->sock->raw))
		t->id = 0; /* UDP: the socket's port is the flow, the payload has the
		              seq; TCP connect(): each probe's socket is the probe;
		              raw TCP keeps it: its SYNs' sequence is id << 16 | seq */

	/* Slots for every probe that can be in flight at once, plus two; the
	 * ring grows if the interval shrinks later. */
	inflight = o->interval > 0 ? ceil(o->timeout / o->interval) + 2 : (double)o->count;
	if (o->count > 0 && inflight > o->count)
		inflight = o->count;
	if (inflight > RING_MAX)
		inflight = RING_MAX;
	t->rtts_cap = o->count > 0 ? (uint32_t)o->count : (uint32_t)o->rtt_history;
	t->rtts = result_rtt_row(op, t->index);
	if (!t->rtts && t->rtts_cap)
		t->rtts = calloc(t->rtts_cap, sizeof(*t->rtts));
	if ((t->rtts_cap && !t->rtts) || probe_ring_init(e, t, (uint32_t)inflight) < 0 ||
	    engine_reserve_timers(e, 2) < 0)
		return error_set(SONAR_ENOMEM, "Out of memory");
	t->reserved = true;
	return 0;
}

/* ---- the caller's control ----------------------------------------------- */

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
	struct op *op = op_find(e, handle);
	struct target *t;
	int r;

	if (!op)
		return SONAR_EINVAL;
	if (!op->ops->grows)
		return error_set(SONAR_EINVAL, "Invalid operation: targets are added to a "
		                               "multiping only");
	if (!op->results_owned)
		return error_set(SONAR_EINVAL, "Invalid operation: a blocking multiping is fixed");
	t = op_add(op, address, op->opt.ttl, false);
	if (!t)
		return error_set(SONAR_ENOMEM, "Out of memory");
	r = target_setup(e, op, t, 0);
	if (r < 0) {
		/* the caller asked for this one: say no, keep no trace */
		op_drop_last(op);
		return r;
	}
	/* started at the next turn, with every target added before it: a
	 * caller adding its targets one by one (the dashboard) has them spread
	 * over one interval as one multiping's are, not by interval / k after
	 * the k-th */
	op->start_pending = true;
	e->start_pending = true;
	return (int)t->index;
}

int sonar_engine_remove_target(struct sonar_engine *e, int handle, size_t index)
{
	struct op *op = op_find(e, handle);
	struct target *t;

	if (!op || !(t = find_target(op, index)))
		return SONAR_EINVAL;
	sched_quiesce(e, t);
	if (!t->done) {
		t->done = true;
		if (t->started)
			op->n_running--;
		op->n_done++;
	}
	if (op->results) {
		result_clear(op, index);
		snprintf(op->results[index].address, sizeof(op->results[index].address), "%s",
		         op->names[index]);
	}
	op->targets[index] = NULL;
	t->next_dead = op->dead;
	op->dead = t;
	op_start_targets(op);
	op_end_if_done(op);
	engine_reap(e);
	return 0;
}

/* Apply fn to one target of op (index >= 0) or to all (index -1). */
static int for_targets(struct sonar_engine *e, int handle, long index,
                       void (*fn)(struct sonar_engine *, struct target *, const void *),
                       const void *arg)
{
	struct op *op = op_find(e, handle);
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
 * from now on: the probes it missed are not sent in a burst. A parked TTL
 * stays parked: that is the trace's decision, not the caller's. */
static void pause_one(struct sonar_engine *e, struct target *t, const void *arg)
{
	bool paused = *(const bool *)arg;

	if (t->done || t->paused == paused)
		return;
	t->paused = paused;
	if (t->started && !paused)
		sched_resume(t, mono_now());
	sched_next(e, t);
}

int sonar_engine_pause(struct sonar_engine *e, int handle, long target, bool paused)
{
	return for_targets(e, handle, target, pause_one, &paused);
}

/* Change one target's interval, re-anchoring its schedule at the last
 * probe. Probes in flight keep their deadlines; the ring grows when more
 * of them are in flight at once. */
static void interval_one(struct sonar_engine *e, struct target *t, const void *arg)
{
	int64_t ns = *(const int64_t *)arg;

	if (t->done)
		return;
	/* probe next_no leaves one new interval after the previous one (or,
	 * before the first, when it was due) */
	if (t->next_no > 0)
		t->next_due += ns - t->interval_ns;
	t->interval_ns = ns;
	sched_next(e, t);
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
	const struct op *op = op_find(e, handle);

	return op ? (long)op->n : SONAR_EINVAL;
}

int sonar_engine_snapshot(const struct sonar_engine *e, int handle, size_t index,
                          struct sonar_host *out)
{
	const struct op *op = op_find(e, handle);
	const struct target *t;

	if (!out)
		return error_set(SONAR_EINVAL, "Invalid argument: out is NULL");
	if (!op || !(t = find_target(op, index)))
		return SONAR_EINVAL;
	if (t->done && op->results)
		return sonar_host_copy(out, &op->results[index]);
	target_host(t, out, false);
	return 0;
}
