/*
 * op.c - operations: created with their options and targets, launched,
 * pacing their targets' starts, finished, and freed.
 *
 * Invariants:
 * - at most concurrent_tasks targets of a finite multiping are started and
 *   not done (a continuous op's targets never finish: all of them run);
 * - consecutive targets start at least start_gap apart (pacing), so
 *   10,000 probes do not leave in one burst each interval; starts closer
 *   than the pacing grid share one on it (50 small bursts an interval: a
 *   loop turn per probe costs far more than a burst of a few); each
 *   target keeps its own fixed schedule from its start;
 * - an op is freed only by reap(), when no callback is on the stack;
 * - handles are positive and never shared by two live ops.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "error.h"
#include "internal.h"

/* Paced starts share a start (and so a loop turn) on a grid of a
 * fiftieth of the interval, at least 5 ms: 50 small bursts an interval. */
#define PACE_BUCKETS  50
#define PACE_GRID_MIN (5 * 1000000LL)

uint16_t op_next_id(void)
{
	/* a process-wide counter starting at the PID, so concurrent operations
	 * never share an id (icmplib 2.x did) */
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

/* Is op's name i its own allocation (not borrowed from the name block)? */
static bool name_owned(const struct op *op, size_t i)
{
	return i >= op->names_borrowed;
}

int op_check_start(const struct sonar_engine *e, const struct sonar_options *o)
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

struct op *op_find(const struct sonar_engine *e, int handle)
{
	struct op *op;

	for (op = e ? e->ops : NULL; op; op = op->next)
		if (op->handle == handle && !op->finished)
			return op;
	error_set(SONAR_EINVAL, "Invalid operation: %d is not running", handle);
	return NULL;
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
	if (op->ops->hops) {
		struct hop_wait *w = realloc(op->waits, want * sizeof(*w));

		if (!w)
			return -1;
		op->waits = w;
	}
	op->cap = want;
	return 0;
}

struct op *op_new(struct sonar_engine *e, const struct op_kind_ops *kind,
                  const struct sonar_options *o, size_t n, struct sonar_host *results)
{
	struct op *op = calloc(1, sizeof(*op));

	if (!op)
		return NULL;
	op->e = e;
	op->ops = kind;
	op->opt = *o;
	op->results = results;
	op->results_owned = results == NULL;
	op->last_start = INT64_MIN / 2;
	op->payload = malloc(o->payload_size ? o->payload_size : 1);
	if (o->source)
		op->source = strdup(o->source);
	if (!op->payload || (o->source && !op->source) || op_reserve(op, n ? n : 1) < 0 ||
	    engine_reserve_timers(e, 1) < 0) {
		op_free(op);
		return NULL;
	}
	op->reserved = true;
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
 * end: one allocation, not n) and its results' RTT block. Returns the
 * names' copies in out[], or -1 when out of memory.
 */
int op_blocks(struct op *op, const char *const *names, size_t n, const char **out)
{
	size_t i, len = 0;
	char *p;

	for (i = 0; i < n; i++)
		len += strlen(names[i] ? names[i] : "") + 1;
	op->name_block = malloc(len ? len : 1);
	if (!op->name_block)
		return -1;
	for (i = 0, p = op->name_block; i < n; i++) {
		size_t l = strlen(names[i] ? names[i] : "") + 1;

		memcpy(p, names[i] ? names[i] : "", l);
		out[i] = p;
		p += l;
	}
	return result_blocks(op, n);
}

/*
 * Append a target named name to op; it starts when op_start_targets()
 * says. A borrowed name (from op_blocks(): the targets the op starts with)
 * is used as it is; any other is copied.
 */
struct target *op_add(struct op *op, const char *name, int ttl, bool borrowed)
{
	struct target *t;

	if (op->n == op->cap && op_reserve(op, op->cap ? op->cap * 2 : 8) < 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	op->names[op->n] = borrowed ? (char *)name : strdup(name ? name : "");
	if (!t || !op->names[op->n]) {
		free(t);
		if (!borrowed)
			free(op->names[op->n]);
		return NULL;
	}
	if (borrowed)
		op->names_borrowed = op->n + 1; /* borrowed names are a prefix */
	t->op = op;
	t->index = (uint32_t)op->n;
	t->ttl = (uint8_t)ttl;
	t->reply_ttl = -1;
	t->icmp_type = -1;
	t->icmp_code = -1;
	t->interval_ns = sec_to_ns(op->opt.interval);
	if (op->waits) {
		op->waits[op->n].wait_ns = op->timeout_ns;
		op->waits[op->n].rtt_max_ns = 0;
	}
	sonar_stats_init(&t->st);
	timer_init(&t->send_timer, TIMER_SEND);
	timer_init(&t->expire_timer, TIMER_EXPIRE);
	if (op->results_owned)
		memset(&op->results[op->n], 0, sizeof(op->results[op->n]));
	op->targets[op->n++] = t;
	return t;
}

/* Take back the target op_add() appended last (its setup failed). */
void op_drop_last(struct op *op)
{
	struct target *t = op->targets[--op->n];

	op->targets[op->n] = NULL;
	if (name_owned(op, op->n))
		free(op->names[op->n]);
	else
		op->names_borrowed = op->n;
	target_free(t);
}

void op_start_targets(struct op *op)
{
	int64_t now = mono_now(), gap = op->ops->start_gap(op);
	int64_t grid = sec_to_ns(op->opt.interval) / PACE_BUCKETS;

	if (grid < PACE_GRID_MIN)
		grid = PACE_GRID_MIN;

	/* concurrent_tasks bounds finite operations; a continuous one's targets
	 * never finish, so every one of them runs (else the rest would wait
	 * for ever). */
	while (op->next_start < op->n && !op->finished &&
	       (!op->ops->bounded || op->opt.count == 0 ||
	        op->n_running < (size_t)op->opt.concurrent_tasks)) {
		struct target *t = op->targets[op->next_start++];

		if (!t || t->done)
			continue;
		t->started = true;
		op->last_start = op->last_start + gap > now ? op->last_start + gap : now;
		t->next_due = op->last_start;
		if (gap > 1 && gap < grid) /* up to the grid (1 ns: merely in order) */
			t->next_due = (t->next_due + grid - 1) / grid * grid;
		op->n_running++;
		sched_next(op->e, t);
	}
}

/* A finite op whose targets are all done ends, from the loop (never from
 * inside the call that made it so); its timer has room in the heap. */
void op_end_if_done(struct op *op)
{
	if (op->n_done == op->n && op->opt.count > 0 && !op->finished &&
	    heap_set(&op->e->sends, &op->op_timer, mono_now()) < 0)
		op_finish(op); /* never a hang: end it here */
}

/* The op's end timer fired: end it, unless a target joined meanwhile. */
void op_end_now(struct op *op)
{
	if (op->n_done == op->n)
		op_finish(op);
}

int op_launch(struct sonar_engine *e, struct op *op, sonar_event_cb on_event, sonar_done_cb on_done,
              void *user)
{
	/* the next handle no live op holds */
	do {
		op->handle = e->next_handle++;
		if (e->next_handle <= 0)
			e->next_handle = 1;
	} while (op_find(e, op->handle));
	op->on_event = on_event;
	op->on_done = on_done;
	op->user = user;
	op->next = e->ops;
	e->ops = op;
	op_start_targets(op);
	/* every target failed already (names, sockets) */
	op_end_if_done(op);
	return op->handle;
}

/*
 * End op: every target not done yet is done now (results written), then
 * on_done gets the results. The op is freed later, by reap().
 */
void op_finish(struct op *op)
{
	size_t i;

	if (op->finished)
		return;
	op->finished = true;
	heap_remove(&op->e->sends, &op->op_timer);
	for (i = 0; i < op->n; i++)
		if (op->targets[i])
			target_done(op->targets[i]);
	if (op->on_done)
		op->ops->report(op);
}

void op_free_dead(struct op *op)
{
	while (op->dead) {
		struct target *t = op->dead;

		op->dead = t->next_dead;
		target_free(t);
	}
}

void op_free(struct op *op)
{
	size_t i;

	op_free_dead(op);
	for (i = 0; i < op->n; i++) {
		if (op->targets && op->targets[i]) {
			sched_quiesce(op->e, op->targets[i]);
			target_free(op->targets[i]);
		}
		if (op->names && name_owned(op, i))
			free(op->names[i]);
	}
	results_free(op);
	if (op->reserved)
		engine_release_timers(op->e, 1);
	free(op->responders);
	free(op->labels);
	free(op->name_block);
	free(op->targets);
	free(op->waits);
	free(op->names);
	free(op->payload);
	free(op->source);
	free(op);
}

/* ---- what differs between kinds ------------------------------------------ */

/* Ping and multiping report every target's result, in order. */
static void report_all(struct op *op)
{
	op->on_done(op->handle, op->results, op->results ? op->n : 0, op->user);
}

static void answered_nothing(struct target *t, int icmp_type, double rtt_ms)
{
	(void)t;
	(void)icmp_type;
	(void)rtt_ms;
}

static int64_t gap_none(const struct op *op)
{
	(void)op;
	return 0;
}

/* Multiping: pacing seconds apart, or by default spread evenly across one
 * interval over the targets that run at once. */
static int64_t gap_paced(const struct op *op)
{
	size_t running = op->n;

	if (op->opt.pacing >= 0)
		return sec_to_ns(op->opt.pacing);
	if (op->opt.count > 0 && (size_t)op->opt.concurrent_tasks < running)
		running = (size_t)op->opt.concurrent_tasks;
	return running > 1 ? sec_to_ns(op->opt.interval) / (int64_t)running : 0;
}

const struct op_kind_ops op_kind_ping = {
    .bounded = true,
    .report = report_all,
    .answered = answered_nothing,
    .start_gap = gap_none,
};

const struct op_kind_ops op_kind_multi = {
    .bounded = true,
    .grows = true,
    .report = report_all,
    .answered = answered_nothing,
    .start_gap = gap_paced,
};
