/*
 * engine.c - the engine's life and its loop turn: sockets, the two timer
 * heaps, descriptors for the caller's select() or poll(), and reaping.
 *
 * One socket per (family, raw/datagram, source) serves every target. A
 * turn reads first, then expires, then sends (mtr's packet loop): a reply
 * that arrived before its deadline is never counted lost. A turn reads the
 * sockets the caller found readable, and before any deadline is judged,
 * every other socket too: whatever the caller's fd_set says (one cleared
 * after EINTR, one that cannot hold a descriptor), a waiting reply is never
 * made a loss, and an idle socket costs no recvmsg() on turns that only
 * send (paced targets make many). `now` is taken before reading, and when a socket still had
 * packets after its read budget, expiry stops at the kernel stamp of the last packet read: a
 * stalled process (SIGSTOP, a slow caller) finds its replies already
 * stamped in the buffer, and they count.
 *
 * Operations and removed targets are freed only when no callback is on
 * the stack (depth == 0): callbacks may stop or remove anything.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "error.h"
#include "internal.h"

/* Bounds on the work of one sonar_engine_process() call, so that a flood
 * of packets or an interval of 0 cannot starve the caller's loop. */
#define MAX_TIMERS_PER_TURN 65536
/* Sends per turn: the replies of a burst are read before the next one (on
 * loopback they arrive during the sends and would overflow the socket). */
#define MAX_SENDS_PER_TURN 2048
/* The engine not running for less than this is no gap: the moment
 * between two turns of a busy loop. */
#define GAP_MIN_NS (1 * 1000000LL)
/* The longest wait while TCP probes connect (see sonar_engine_timeout()). */
#define TCP_CHECK_NS (10 * 1000000LL)

int64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

int64_t sec_to_ns(double s)
{
	if (s * 1e9 >= 9e18)
		return INT64_MAX / 4;
	return (int64_t)llround(s * 1e9);
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
	tcp_free(e);
	heap_free(&e->expiries);
	heap_free(&e->sends);
	table_free(&e->table);
	free(e->rxbuf);
	free(e->txbuf);
	free(e);
}

int engine_reserve_timers(struct sonar_engine *e, size_t more)
{
	size_t want = e->n_timers + more;

	if (heap_reserve(&e->sends, want - (want > e->sends.n ? e->sends.n : want)) < 0 ||
	    heap_reserve(&e->expiries, want - (want > e->expiries.n ? e->expiries.n : want)) < 0)
		return -1;
	e->n_timers = want;
	return 0;
}

void engine_release_timers(struct sonar_engine *e, size_t n)
{
	e->n_timers -= n;
}

int engine_get_sock(struct sonar_engine *e, int family, bool raw, int proto,
                    const struct addr *source, struct sock **out)
{
	bool udp = proto == SONAR_PROTO_UDP, tcp = proto == SONAR_PROTO_TCP;
	struct sock *s;
	int r;

	raw = raw && !udp;
	/* a raw TCP probe's ICMP errors come to the raw ICMP socket */
	if (raw && tcp && (r = engine_get_sock(e, family, true, SONAR_PROTO_ICMP, source, &s)) < 0)
		return r;
	for (s = e->socks; s; s = s->next) {
		if (s->family != family || s->raw != raw || s->udp != udp || s->tcp != tcp)
			continue;
		if ((s->source.len == 0) != (source->len == 0))
			continue;
		if (source->len && !addr_equal(&s->source, source))
			continue;
		*out = s;
		return 0;
	}
	r = sock_open(family, raw, proto, source, &s);
	if (r < 0)
		return r;
	s->next = e->socks;
	e->socks = s;
	*out = s;
	return 0;
}

/* Free finished ops, and removed targets, once no callback is running. */
void engine_reap(struct sonar_engine *e)
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
			op_free_dead(op);
			pp = &op->next;
		}
	}
}

int sonar_engine_fds(const struct sonar_engine *e, fd_set *rd, int *maxfd)
{
	const struct sock *s;
	size_t i;
	int n = 0;

	for (s = e->socks; s; s = s->next) {
		if (s->fd < 0)
			continue; /* TCP's record: its probes' sockets follow */
		if (s->fd >= FD_SETSIZE)
			return error_set(
			    SONAR_EINVAL,
			    "Invalid descriptor: %d does not fit an fd_set (FD_SETSIZE "
			    "%d); use sonar_engine_pollfds()",
			    s->fd, FD_SETSIZE);
		FD_SET(s->fd, rd);
		if (s->fd > *maxfd)
			*maxfd = s->fd;
		n++;
	}
	/* TCP probes: readable on an error or a RST; a SYN-ACK (writable) is
	 * seen at the next turn (sonar_engine_timeout() is short meanwhile),
	 * with the kernel's RTT. Those beyond FD_SETSIZE are checked each turn. */
	for (i = 0; i < e->tcp_n; i++) {
		if (e->tcp[i].fd >= FD_SETSIZE)
			continue;
		FD_SET(e->tcp[i].fd, rd);
		if (e->tcp[i].fd > *maxfd)
			*maxfd = e->tcp[i].fd;
		n++;
	}
	return n;
}

int sonar_engine_pollfds(const struct sonar_engine *e, struct pollfd *fds, size_t cap)
{
	const struct sock *s;
	size_t n = 0, i;

	if (!e || (!fds && cap))
		return error_set(SONAR_EINVAL, "Invalid argument: engine and fds are required");
	for (s = e->socks; s; s = s->next) {
		if (s->fd < 0)
			continue; /* TCP's record */
		if (n < cap) {
			fds[n].fd = s->fd;
			fds[n].events = POLLIN;
			fds[n].revents = 0;
		}
		n++;
	}
	for (i = 0; i < e->tcp_n; i++, n++) { /* connecting: writable when up */
		if (n < cap) {
			fds[n].fd = e->tcp[i].fd;
			fds[n].events = POLLIN | POLLOUT;
			fds[n].revents = 0;
		}
	}
	return (int)n;
}

int64_t sonar_engine_timeout(const struct sonar_engine *e)
{
	const struct timer *a = heap_top(&e->expiries);
	const struct timer *b = heap_top(&e->sends);
	int64_t when, d;

	if (e->start_pending)
		return 0; /* targets added: they start at the next turn */
	if (!a && !b)
		return -1;
	when = !a ? b->when : !b ? a->when : (a->when < b->when ? a->when : b->when);
	d = when - mono_now();
	/* TCP probes connecting: a caller waiting on the read set only sees a
	 * SYN-ACK (writable) at its next turn; make that soon */
	if (e->tcp_n > 0 && d > TCP_CHECK_NS)
		d = TCP_CHECK_NS;
	return d < 0 ? 0 : d;
}

/* The target that embeds timer tm of the given kind. */
static struct target *timer_target(struct timer *tm)
{
	if (tm->kind == TIMER_SEND)
		return (struct target *)((char *)tm - offsetof(struct target, send_timer));
	return (struct target *)((char *)tm - offsetof(struct target, expire_timer));
}

/* Read the sockets marked ready, or all of them. The time up to which
 * expiry may judge: now, or the stamp of the last packet read from a
 * socket that still had more. */
static int64_t read_sockets(struct sonar_engine *e, int64_t now, bool all)
{
	int64_t horizon = now;
	struct sock *s;

	for (s = e->socks; s; s = s->next) {
		if (s->fd < 0 || s->read || (!all && !s->ready))
			continue; /* TCP's record has no socket: tcp_check() */
		s->read = true;
		e->last_stamp = INT64_MIN;
		if (!recv_socket(e, s) && e->last_stamp < horizon)
			horizon = e->last_stamp; /* more wait, read next turn */
	}
	return horizon;
}

/* One turn, the sockets' readiness already marked. */
static int engine_turn(struct sonar_engine *e)
{
	struct timer *tm;
	int64_t now, horizon;
	struct sock *s;
	int budget;

	e->depth++;
	clock_offset(e);
	for (s = e->socks; s; s = s->next)
		s->read = false;
	/* One turn, in this order: replies first (taken at `now` or before),
	 * then the deadlines they did not meet, then sends. */
	now = mono_now();
	if (now - e->turn_end >= GAP_MIN_NS) {
		e->gap_start = e->turn_end;
		e->gap_end = now;
	}
	horizon = read_sockets(e, now, false);
	tcp_check(e);
	tm = heap_top(&e->expiries);
	if (tm && tm->when <= horizon) {
		/* deadlines to judge: first every other socket too, whatever
		 * the caller said of it */
		int64_t h = read_sockets(e, now, true);

		if (h < horizon)
			horizon = h;
	}
	for (budget = MAX_TIMERS_PER_TURN; budget > 0; budget--) {
		tm = heap_top(&e->expiries);
		if (!tm || tm->when > horizon)
			break;
		heap_remove(&e->expiries, tm);
		sched_expire_due(e, timer_target(tm), horizon);
	}
	if (e->start_pending) { /* targets added since the last turn, together */
		struct op *op;

		e->start_pending = false;
		for (op = e->ops; op; op = op->next)
			if (op->start_pending && !op->finished) {
				op->start_pending = false;
				op_start_targets(op);
			}
	}
	for (budget = MAX_SENDS_PER_TURN; budget > 0; budget--) {
		tm = heap_top(&e->sends);
		if (!tm || tm->when > now)
			break;
		heap_remove(&e->sends, tm);
		if (tm->kind == TIMER_OP)
			op_end_now((struct op *)((char *)tm - offsetof(struct op, op_timer)));
		else
			send_probe(e, timer_target(tm), now);
	}
	e->depth--;
	engine_reap(e);
	e->turn_end = mono_now();
	return 0;
}

int sonar_engine_process(struct sonar_engine *e, const fd_set *rd)
{
	struct sock *s;

	if (!e)
		return error_set(SONAR_EINVAL, "Invalid argument: no engine");
	/* no fd_set, or one that cannot hold the descriptor: try it */
	for (s = e->socks; s; s = s->next)
		s->ready = !rd || s->fd < 0 || s->fd >= FD_SETSIZE || FD_ISSET(s->fd, rd);
	return engine_turn(e);
}

int sonar_engine_run_once(struct sonar_engine *e, int64_t max_ns)
{
	struct pollfd fds[16], *p = fds;
	int64_t ns;
	int n, r, ms;

	if (!e)
		return error_set(SONAR_EINVAL, "Invalid argument: no engine");
	ns = sonar_engine_timeout(e);
	if (max_ns >= 0 && (ns < 0 || max_ns < ns))
		ns = max_ns;
	n = sonar_engine_pollfds(e, fds, 16);
	if (n > 16) {
		p = calloc((size_t)n, sizeof(*p));
		if (!p)
			return error_set(SONAR_ENOMEM, "Out of memory");
		sonar_engine_pollfds(e, p, (size_t)n);
	}
	/* poll() counts milliseconds: round up, never spin on a 0 */
	ms = ns < 0                              ? -1
	     : ns > (int64_t)INT32_MAX * 1000000 ? INT32_MAX
	                                         : (int)((ns + 999999) / 1000000);
	r = poll(p, (nfds_t)n, ms);
	if (r >= 0) {
		struct sock *s;
		int i = 0;

		/* pollfds lists the sockets with a descriptor in their order
		 * (TCP's record has none), then the TCP probes */
		for (s = e->socks; s; s = s->next) {
			if (s->fd < 0) {
				s->ready = false;
				continue;
			}
			s->ready = i < n && p[i].revents != 0;
			i++;
		}
	}
	if (p != fds)
		free(p);
	if (r < 0) {
		if (errno == EINTR)
			return 0; /* a signal: the caller decides */
		return error_set(SONAR_ESOCKET, "poll: %s", strerror(errno));
	}
	return engine_turn(e);
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
		if (probe_find((struct sonar_engine *)e, &key, &probe))
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
	r = engine_get_sock(e, family, privileged, SONAR_PROTO_ICMP, &src, &s);
	/* raw TCP probes' socket too, while privileged (the program may drop
	 * its privileges next); its filter lets in only their answers */
	if (r == 0 && privileged)
		r = engine_get_sock(e, family, true, SONAR_PROTO_TCP, &src, &s);
	return r;
}

uint64_t sonar_engine_dropped(const struct sonar_engine *e)
{
	const struct sock *s;
	uint64_t n = 0;

	for (s = e ? e->socks : NULL; s; s = s->next)
		n += s->dropped;
	return n;
}

size_t sonar_engine_active(const struct sonar_engine *e)
{
	const struct op *op;
	size_t n = 0;

	for (op = e ? e->ops : NULL; op; op = op->next)
		n += !op->finished;
	return n;
}

int sonar_engine_stop(struct sonar_engine *e, int handle)
{
	struct op *op;

	if (e && handle == 0) { /* every one, those its callbacks start too */
		int rounds = 0;

		e->depth++;
	again:
		for (op = e->ops; op; op = op->next)
			if (!op->finished) {
				op_finish(op);
				if (++rounds < 100000)
					goto again; /* a callback may have put one in front */
			}
		e->depth--;
		engine_reap(e);
		return 0;
	}
	op = op_find(e, handle);
	if (!op)
		return SONAR_EINVAL;
	e->depth++;
	op_finish(op);
	e->depth--;
	engine_reap(e);
	return 0;
}
