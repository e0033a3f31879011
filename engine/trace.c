/*
 * trace.c - traceroute: one target per TTL, all started at once, so a whole
 * path is known in about one round trip plus the timeout.
 *
 * The end of the path (dest_ttl) is the lowest TTL whose probe was
 * answered by the destination (an echo reply) or reported unreachable.
 * A finite trace then ends the TTLs beyond it. A continuous one (count 0,
 * mtr's rounds) parks them: parked is not paused, so the caller's resume
 * does not wake them; and when a TTL at or beyond the end later hears Time
 * Exceeded, the path has grown: every parked TTL wakes up and the end is
 * found again. Invariant: a TTL is parked only while dest_ttl != 0 and it
 * is beyond dest_ttl. Packet Too Big and Parameter Problem are a router's
 * answer for its hop, not the end of the path.
 *
 * Asked to (wait_here, wait_near: traceroute's -w HERE,NEAR), a probe is
 * given up before the timeout once answers show how far its hop is: after
 * HERE times the round trip of a reply from its own hop, or NEAR times
 * that of a reply from a later hop (a silent router costs a few round
 * trips, not the whole timeout); never less than WAIT_MIN_NS.
 */
#include "config.h"

#include <stdlib.h>

#include "codec.h"
#include "error.h"
#include "internal.h"

/* An adaptive wait is never shorter: a router's own answers (made by its
 * CPU, not forwarded) may lag the round trips of later hops. */
#define WAIT_MIN_NS (10 * 1000000LL)

/* TTLs beyond ttl stop: done in a finite trace, parked in a continuous one. */
static void trace_park_beyond(struct op *op, int ttl)
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
			t->parked = true;
			sched_next(op->e, t);
		} else {
			target_done(t);
		}
	}
}

/* The path is longer than dest_ttl said: wake every parked TTL (all of
 * them are beyond the old end), and find the end again. */
static void trace_unpark_all(struct op *op)
{
	int64_t now = mono_now();
	size_t i;

	op->dest_ttl = 0;
	for (i = 0; i < op->n; i++) {
		struct target *t = op->targets[i];

		if (!t || t->done || !t->parked)
			continue;
		t->parked = false;
		/* in its own phase, no burst of the rounds it missed */
		sched_resume(t, now);
		sched_next(op->e, t);
	}
}

/* Does this answer end the path (a reply, or Destination Unreachable)? */
static bool ends_path(int family, int icmp_type)
{
	return icmp_type < 0 || icmp_type == (family == 6 ? ICMP6_UNREACH : ICMP4_UNREACH);
}

/* factor times rtt, within [WAIT_MIN_NS, the timeout]. */
static int64_t wait_for(const struct op *op, double factor, int64_t rtt)
{
	double ns = factor * (double)rtt;

	if (ns >= (double)op->timeout_ns)
		return op->timeout_ns;
	return ns < (double)WAIT_MIN_NS ? WAIT_MIN_NS : (int64_t)ns;
}

/*
 * An answer at t's hop, rtt_ms after its probe left: the waits of its hop
 * and of the hops before it follow. A hop that has answered waits HERE
 * times its slowest answer so far (or the whole timeout when HERE is 0: a
 * hop's own late answers are never cut by a faster one); a hop that never
 * answered waits NEAR times the slowest answer of the hops beyond it. The
 * waits follow the slowest answers, so they grow as well as shrink.
 */
static void trace_adapt(struct target *t, double rtt_ms)
{
	struct op *op = t->op;
	int64_t rtt = (int64_t)(rtt_ms * 1e6);
	size_t i, j;

	if (op->opt.wait_here <= 0 && op->opt.wait_near <= 0)
		return;
	if (rtt > op->waits[t->index].rtt_max_ns)
		op->waits[t->index].rtt_max_ns = rtt;
	for (i = 0; i < op->n; i++) {
		struct target *u = op->targets[i];
		int64_t wait = op->timeout_ns, later = 0;

		if (!u || u->done || u->parked || u->ttl > t->ttl)
			continue;
		if (op->waits[i].rtt_max_ns > 0) {
			if (op->opt.wait_here > 0)
				wait = wait_for(op, op->opt.wait_here, op->waits[i].rtt_max_ns);
		} else if (op->opt.wait_near > 0) {
			for (j = 0; j < op->n; j++) {
				const struct target *v = op->targets[j];

				if (v && v->ttl > u->ttl && op->waits[j].rtt_max_ns > later)
					later = op->waits[j].rtt_max_ns;
			}
			if (later > 0)
				wait = wait_for(op, op->opt.wait_near, later);
		}
		if (wait != op->waits[i].wait_ns) {
			op->waits[i].wait_ns = wait;
			sched_arm_expiry(op->e, u); /* earlier or later, maybe due */
		}
	}
}

static void trace_answered(struct target *t, int icmp_type, double rtt_ms)
{
	struct op *op = t->op;

	trace_adapt(t, rtt_ms);

	if (ends_path(t->sock->family, icmp_type))
		trace_park_beyond(op, t->ttl);
	else if (op->opt.count == 0 && op->dest_ttl && t->ttl >= op->dest_ttl &&
	         icmp_type == (t->sock->family == 6 ? ICMP6_TIME_EXCEEDED : ICMP4_TIME_EXCEEDED))
		trace_unpark_all(op);
	if (target_gone(t))
		return;
	if (op->opt.fast && op->opt.count > 0) {
		/* icmplib's fast: this hop answered, send it no more */
		t->next_no = (uint64_t)op->opt.count;
		heap_remove(&op->e->sends, &t->send_timer);
	}
}

/* A traceroute reports the hops that answered, up to the end of the path;
 * the results array is compacted in place for that. */
static void trace_report(struct op *op)
{
	struct sonar_host *hops = op->results;
	size_t i, n = 0;

	for (i = 0; hops && i < op->n; i++) {
		struct target *t = op->targets[i];
		bool beyond = op->dest_ttl && t && t->ttl > op->dest_ttl;

		if (!t || beyond || hops[i].packets_received == 0) {
			result_rtts_free(op, i, hops[i].rtts);
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

/* Every TTL of a trace starts at once, in order: a nanosecond apart, so
 * that the nearest TTLs leave first (a destination that rate-limits its
 * errors, as Linux does for Port Unreachable, spends its burst on them). */
static int64_t trace_gap(const struct op *op)
{
	(void)op;
	return 1;
}

const struct op_kind_ops op_kind_trace = {
    .hops = true,
    .report = trace_report,
    .answered = trace_answered,
    .start_gap = trace_gap,
};

int sonar_engine_traceroute(struct sonar_engine *e, const char *address,
                            const struct sonar_options *o, sonar_event_cb on_event,
                            sonar_done_cb on_done, void *user)
{
	struct op *op;
	int ttl, r = op_check_start(e, o);
	uint16_t id;
	size_t n;
	const char *name;

	if (r < 0)
		return r;
	n = (size_t)(o->max_hops - o->first_hop + 1);
	op = op_new(e, &op_kind_trace, o, n, NULL);
	if (op)
		op->responders = calloc(n, sizeof(*op->responders));
	if (op)
		op->labels = calloc(n, sizeof(*op->labels));
	/* every TTL probes the same address: one name, and a row of RTTs for
	 * each TTL */
	if (!op || !op->responders || !op->labels || op_blocks(op, &address, 1, &name) < 0 ||
	    result_blocks(op, n) < 0) {
		if (op)
			op_free(op);
		return error_set(SONAR_ENOMEM, "Out of memory");
	}
	id = o->id >= 0 ? (uint16_t)o->id : op_next_id();
	for (ttl = o->first_hop; ttl <= o->max_hops; ttl++) {
		struct target *t = op_add(op, name, ttl, true);

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
