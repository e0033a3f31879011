/*
 * test_change.c - the engine while its caller changes things: a stalled
 * process, targets removed from their own callbacks or after they
 * finished, or added as their op ends, a continuous traceroute paused and
 * resumed or growing, descriptors above FD_SETSIZE, target starts spread
 * over the interval and kept so through stalls and pauses, the interval
 * changed after many probes.
 * Each test reproduces a defect of issue 9 or of its review (it failed
 * before the fix); tests/unit/test_delay.c has those that need a slow path.
 * Needs root (raw sockets); fails, never skips, without it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "internal.h" /* white-box: a trace's parked TTLs */
#include "sonar.h"

#define MAX_TARGETS 64

/* What one operation saw. */
struct seen {
	struct sonar_engine *e;
	int op;
	int sent[MAX_TARGETS];
	int replies[MAX_TARGETS];
	int timeouts[MAX_TARGETS];
	int dups[MAX_TARGETS];
	int sent_ttl[256];
	int64_t first_sent[MAX_TARGETS]; /* monotonic ns of each target's first SENT */
	int64_t last_sent[MAX_TARGETS];  /* and of its latest */
	int sent_this_turn;
	bool remove_on_reply; /* the callback removes its own target */
	bool stop_on_reply;   /* the callback stops its own op */
	int removed;
	bool done;
	size_t n;
	struct sonar_host hosts[MAX_TARGETS];
};

static void event_cb(const struct sonar_event *ev, void *user)
{
	struct seen *s = user;

	if (ev->target >= MAX_TARGETS)
		return;
	switch (ev->type) {
	case SONAR_EVENT_SENT:
		if (s->sent[ev->target]++ == 0)
			s->first_sent[ev->target] = mono_ns();
		s->last_sent[ev->target] = mono_ns();
		if (ev->probe_ttl >= 0 && ev->probe_ttl < 256)
			s->sent_ttl[ev->probe_ttl]++;
		s->sent_this_turn++;
		break;
	case SONAR_EVENT_REPLY:
		s->replies[ev->target]++;
		if (s->remove_on_reply && sonar_engine_remove_target(s->e, ev->op, ev->target) == 0)
			s->removed++;
		if (s->stop_on_reply)
			sonar_engine_stop(s->e, ev->op);
		break;
	case SONAR_EVENT_TIMEOUT:
		s->timeouts[ev->target]++;
		break;
	case SONAR_EVENT_DUPLICATE:
		s->dups[ev->target]++;
		break;
	default:
		break;
	}
}

static void done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct seen *s = user;
	size_t i;

	(void)op;
	s->done = true;
	s->n = n;
	for (i = 0; i < n && i < MAX_TARGETS; i++) {
		s->hosts[i] = hosts[i];
		s->hosts[i].rtts = NULL; /* valid only during the call */
	}
}

static int need_root(void **state)
{
	(void)state;
	if (geteuid() != 0)
		fail_msg("test_change needs root (raw sockets); CI runs as root");
	return 0;
}

/* Defect 2: after a 1 s stall the missed send slots are skipped, not sent
 * in one burst; a finite count still sends count probes, and nothing is
 * counted lost. */
static void test_stall_skips_missed_slots(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *addr[] = {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"};
	fd_set rd;
	int maxfd = -1, i;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 300;
	o.interval = 0.01;
	o.timeout = 2;
	assert_true(sonar_engine_multiping(e, addr, 4, &o, event_cb, done_cb, &s) > 0);
	select_for(e, 300);
	usleep(1000 * 1000); /* 100 send slots missed by each target */
	FD_ZERO(&rd);
	sonar_engine_fds(e, &rd, &maxfd);
	s.sent_this_turn = 0;
	assert_int_equal(sonar_engine_process(e, &rd), 0);
	/* one probe per target now, not a hundred */
	assert_true(s.sent_this_turn <= 4);
	select_for(e, 8000);
	assert_true(s.done);
	for (i = 0; i < 4; i++) {
		assert_int_equal(s.hosts[i].packets_sent, 300);
		assert_int_equal(s.hosts[i].packets_received, 300);
		assert_int_equal(s.timeouts[i], 0);
	}
	sonar_engine_free(e);
}

/* A busy loop is not a stall. More targets than one interval can send
 * (pacing 0, a 1 ms interval; 2,048 sends take longer than that on any
 * machine): a target the loop has not reached yet is late by its own
 * engine's work, not by a stall, and is sent as soon as the loop gets to
 * it. Postponing it to its next slot (the stall policy) left the engine
 * idle while targets had never been probed: 38,560 of 100,000 targets
 * waited half a second in `multiping -c 2 -i 0.5 --pacing 0`. */
static int busy_sent;

static void count_sent(const struct sonar_event *ev, void *user)
{
	(void)user;
	if (ev->type == SONAR_EVENT_SENT)
		busy_sent++;
}

static void test_busy_loop_is_not_a_stall(void **state)
{
	enum { N = 12000 };
	static char text[N][24];
	static const char *addr[N];
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	int64_t end;
	int i, idle = 0;

	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(text[i], sizeof(text[i]), "127.21.%d.%d", i / 250, i % 250 + 1);
		addr[i] = text[i];
	}
	sonar_multiping_defaults(&o);
	o.count = 1;
	o.interval = 0.001;
	o.pacing = 0;
	o.timeout = 5;
	o.concurrent_tasks = N;
	busy_sent = 0;
	assert_true(sonar_engine_multiping(e, addr, N, &o, count_sent, NULL, NULL) > 0);
	/* turns back to back, no gap a stall could hide in */
	end = mono_ns() + 60 * 1000000000LL;
	while (busy_sent < N && mono_ns() < end) {
		int before = busy_sent;

		assert_int_equal(sonar_engine_process(e, NULL), 0);
		if (before > 0 && busy_sent == before)
			idle++;
	}
	assert_int_equal(busy_sent, N);
	/* once sending began, every turn sent: no target due waited for a
	 * slot it had not missed */
	assert_int_equal(idle, 0);
	sonar_engine_free(e);
}

/* Defect 3: removing a target that has finished (its RTTs in the op's
 * block) frees nothing twice. */
static void test_remove_finished_target(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *addr[] = {"127.0.0.1", "127.0.0.2"};
	struct sonar_host h;
	int op;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 2;
	o.interval = 0.01;
	op = sonar_engine_multiping(e, addr, 2, &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	assert_int_equal(sonar_engine_pause(e, op, 1, true), 0); /* keeps the op alive */
	select_for(e, 300);
	assert_int_equal(s.replies[0], 2);
	assert_int_equal(sonar_engine_snapshot(e, op, 0, &h), 0);
	assert_int_equal(h.packets_received, 2);
	sonar_host_clear(&h);
	assert_int_equal(sonar_engine_remove_target(e, op, 0), 0);
	assert_int_equal(sonar_engine_remove_target(e, op, 1), 0);
	select_for(e, 200);
	assert_true(s.done);
	sonar_engine_free(e);
}

/* Defect 4: an event callback removes its own target; nothing reads it
 * afterwards (ASan would say so), and the others go on. */
static void test_callback_removes_own_target(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *addr[] = {"127.0.0.1", "::1", "127.0.0.2"};
	int op;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.e = e;
	s.remove_on_reply = true;
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 0.05;
	op = sonar_engine_multiping(e, addr, 3, &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	select_for(e, 300);
	assert_int_equal(s.removed, 3);
	assert_int_equal(s.replies[0], 1);
	assert_int_equal(s.replies[1], 1);
	assert_int_equal(s.replies[2], 1);
	assert_int_equal(sonar_engine_stop(e, op), 0);
	sonar_engine_free(e);
}

/* Defect 4: a reply's callback stops its op, in a finite multiping. */
static void test_callback_stops_op(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *addr[] = {"127.0.0.1", "127.0.0.2"};

	(void)state;
	memset(&s, 0, sizeof(s));
	s.e = e;
	s.stop_on_reply = true;
	sonar_multiping_defaults(&o);
	o.count = 3;
	o.interval = 0.01;
	assert_true(sonar_engine_multiping(e, addr, 2, &o, event_cb, done_cb, &s) > 0);
	select_for(e, 300);
	assert_true(s.done);
	assert_int_equal(sonar_engine_active(e), 0);
	sonar_engine_free(e);
}

/* Defect 5: a continuous traceroute to loopback parks TTLs 2..30 beyond
 * the destination; pausing and resuming it must not wake them. */
static void test_trace_resume_keeps_parked(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	int op, ttl, beyond;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_traceroute_defaults(&o);
	o.count = 0;
	o.interval = 0.05;
	o.max_hops = 8;
	op = sonar_engine_traceroute(e, "127.0.0.1", &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	select_for(e, 200);
	assert_true(s.sent_ttl[1] >= 2);
	assert_int_equal(sonar_engine_pause(e, op, -1, true), 0);
	select_for(e, 100);
	assert_int_equal(sonar_engine_pause(e, op, -1, false), 0);
	memset(s.sent_ttl, 0, sizeof(s.sent_ttl));
	select_for(e, 300);
	assert_true(s.sent_ttl[1] >= 3);
	for (beyond = 0, ttl = 2; ttl <= 8; ttl++)
		beyond += s.sent_ttl[ttl];
	assert_int_equal(beyond, 0);
	assert_int_equal(sonar_engine_stop(e, op), 0);
	sonar_engine_free(e);
}

/* Defect 8: the engine's sockets sit above FD_SETSIZE. The fd_set
 * interface refuses them with an error; the poll interface and the
 * blocking calls work. */
static void test_high_descriptors(void **state)
{
	struct rlimit rl;
	int fds[FD_SETSIZE + 8];
	int n = 0, i, maxfd = -1, got;
	struct sonar_host h;
	struct sonar_options o;
	struct sonar_engine *e;
	struct pollfd pfd[4];
	fd_set rd;

	(void)state;
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < FD_SETSIZE + 64) {
		rl.rlim_cur = rl.rlim_max < FD_SETSIZE + 64 ? rl.rlim_max : FD_SETSIZE + 64;
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	while (n < FD_SETSIZE + 8) {
		int fd = open("/dev/null", O_RDONLY);

		assert_true(fd >= 0);
		fds[n++] = fd;
		if (fd >= FD_SETSIZE + 2)
			break;
	}
	sonar_ping_defaults(&o);
	o.count = 2;
	o.interval = 0.01;
	o.timeout = 1;
	assert_int_equal(sonar_ping("127.0.0.1", &o, &h), 0);
	assert_int_equal(h.packets_received, 2);
	sonar_host_clear(&h);

	e = sonar_engine_new();
	assert_int_equal(sonar_engine_prepare(e, 4, true, NULL), 0);
	FD_ZERO(&rd);
	assert_int_equal(sonar_engine_fds(e, &rd, &maxfd), SONAR_EINVAL);
	assert_non_null(strstr(sonar_last_error(), "FD_SETSIZE"));
	/* privileged: the raw ICMP socket and raw TCP probes' socket */
	got = sonar_engine_pollfds(e, pfd, 4);
	assert_int_equal(got, 2);
	for (i = 0; i < got; i++) {
		assert_true(pfd[i].fd >= FD_SETSIZE);
		assert_int_equal(pfd[i].events, POLLIN);
	}
	sonar_engine_free(e);
	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* Defect 9: the targets of a multiping start spread across one interval,
 * not in one burst; pacing 0 asks for the burst. */
static void test_starts_spread(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	static char names[10][16];
	const char *addr[10];
	int64_t lo = INT64_MAX, hi = 0;
	int i;

	(void)state;
	for (i = 0; i < 10; i++) {
		snprintf(names[i], sizeof(names[i]), "127.0.8.%d", i + 1);
		addr[i] = names[i];
	}
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 1;
	o.interval = 0.5;
	assert_true(sonar_engine_multiping(e, addr, 10, &o, event_cb, done_cb, &s) > 0);
	select_for(e, 2000);
	assert_true(s.done);
	for (i = 0; i < 10; i++) {
		assert_int_equal(s.hosts[i].packets_received, 1);
		lo = s.first_sent[i] < lo ? s.first_sent[i] : lo;
		hi = s.first_sent[i] > hi ? s.first_sent[i] : hi;
	}
	/* 10 targets over 0.5 s: the last starts 0.45 s after the first (a
	 * burst: within a turn; over two intervals: 0.9 s); the margins are
	 * for a loaded machine's late turns */
	assert_true(hi - lo >= 300 * 1000000LL);
	assert_true(hi - lo < 750 * 1000000LL);

	memset(&s, 0, sizeof(s));
	o.pacing = 0;
	assert_true(sonar_engine_multiping(e, addr, 10, &o, event_cb, done_cb, &s) > 0);
	select_for(e, 2000);
	assert_true(s.done);
	for (lo = INT64_MAX, hi = 0, i = 0; i < 10; i++) {
		lo = s.first_sent[i] < lo ? s.first_sent[i] : lo;
		hi = s.first_sent[i] > hi ? s.first_sent[i] : hi;
	}
	assert_true(hi - lo < 200 * 1000000LL); /* one turn; spread: 450 ms */
	sonar_engine_free(e);
}

/* Defect 10: icmplib ignores family for address literals. */
static void test_family_literal(void **state)
{
	struct sonar_options o;
	struct sonar_host h;

	(void)state;
	sonar_ping_defaults(&o);
	o.count = 1;
	o.interval = 0;
	o.family = 4;
	assert_int_equal(sonar_ping("::1", &o, &h), 0);
	assert_int_equal(h.packets_received, 1);
	sonar_host_clear(&h);
	o.family = 6;
	assert_int_equal(sonar_ping("127.0.0.1", &o, &h), 0);
	assert_int_equal(h.packets_received, 1);
	sonar_host_clear(&h);
}

/* The send offsets of the targets within one round, sorted: the gap
 * between the first and last target of the round, ns. */
static int64_t round_spread(struct sonar_engine *e, struct seen *s, int n)
{
	int64_t lo = INT64_MAX, hi = 0;
	int i, start[MAX_TARGETS];

	for (i = 0; i < n; i++)
		start[i] = s->sent[i];
	/* the next send of every target */
	for (i = 0; i < 200; i++) {
		int j, all = 1;

		assert_int_equal(sonar_engine_run_once(e, 10 * 1000000), 0);
		for (j = 0; j < n; j++)
			all &= s->sent[j] > start[j];
		if (all)
			break;
	}
	for (i = 0; i < n; i++) {
		lo = s->last_sent[i] < lo ? s->last_sent[i] : lo;
		hi = s->last_sent[i] > hi ? s->last_sent[i] : hi;
	}
	return hi - lo;
}

/* Review 5: paced starts (4 targets over 0.2 s: 50 ms apart) stay paced
 * after a stall and after a pause and resume, not in lockstep. A round
 * spreads over 150 ms paced, within one turn in lockstep: a bound of 50 ms
 * leaves a loaded machine 100 ms of late sends and still tells them apart. */
static void test_phase_kept(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *addr[] = {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"};
	int op;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 0.2;
	op = sonar_engine_multiping(e, addr, 4, &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	select_for(e, 500);
	assert_true(round_spread(e, &s, 4) >= 50 * 1000000LL);
	usleep(700 * 1000); /* stalled: three rounds missed */
	assert_true(round_spread(e, &s, 4) >= 50 * 1000000LL);
	assert_int_equal(sonar_engine_pause(e, op, -1, true), 0);
	select_for(e, 300);
	assert_int_equal(sonar_engine_pause(e, op, -1, false), 0);
	assert_true(round_spread(e, &s, 4) >= 50 * 1000000LL);
	assert_int_equal(sonar_engine_stop(e, op), 0);
	sonar_engine_free(e);
}

static struct sonar_engine *late_e;
static int late_index = -2;

/* The reply that ends the op's only target adds another one. */
static void late_add_cb(const struct sonar_event *ev, void *user)
{
	event_cb(ev, user);
	if (ev->type == SONAR_EVENT_REPLY && ev->target == 0)
		late_index = sonar_engine_add_target(late_e, ev->op, "127.0.0.2");
}

/* Review 4: a target added as its finite op's last target ends is run,
 * not accepted and dropped. */
static void test_late_add(void **state)
{
	struct sonar_options o;
	static struct seen s;
	const char *addr[] = {"127.0.0.1"};

	(void)state;
	memset(&s, 0, sizeof(s));
	late_e = sonar_engine_new();
	sonar_multiping_defaults(&o);
	o.count = 1;
	o.interval = 0.01;
	assert_true(sonar_engine_multiping(late_e, addr, 1, &o, late_add_cb, done_cb, &s) > 0);
	select_for(late_e, 1000);
	assert_int_equal(late_index, 1);
	assert_true(s.done);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.hosts[1].packets_sent, 1);
	assert_int_equal(s.hosts[1].packets_received, 1);
	sonar_engine_free(late_e);
}

/* Targets added one by one to an empty continuous multiping (the
 * dashboard's way) start spread over one interval, as one multiping's do:
 * when the last of 64 sends its first probe, the first has sent at most 3
 * (counted, not timed). Before, the k-th started interval / k after the
 * one before, the last after H(64) - 1 = 3.7 intervals (4 or more). */
static void test_adds_spread_over_one_interval(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	char text[MAX_TARGETS][24];
	int op, i, idle;
	int64_t end;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 0.2;
	op = sonar_engine_multiping(e, NULL, 0, &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	for (i = 0; i < MAX_TARGETS; i++) {
		snprintf(text[i], sizeof(text[i]), "127.23.0.%d", i + 1);
		assert_int_equal(sonar_engine_add_target(e, op, text[i]), i);
	}
	end = mono_ns() + 20 * 1000000000LL;
	do {
		select_for(e, 5);
		for (idle = 0, i = 0; i < MAX_TARGETS; i++)
			idle += s.sent[i] == 0;
	} while (idle > 0 && mono_ns() < end);
	assert_int_equal(idle, 0);
	print_message("the first target had sent %d when the last sent its first\n", s.sent[0]);
	assert_true(s.sent[0] <= 3);
	sonar_engine_stop(e, op);
	sonar_engine_free(e);
}

/* Review 7: after many probes at a tiny interval, a day-long interval:
 * no overflow in the schedule (UBSan would abort), the next probe a day
 * away. */
static void test_interval_no_overflow(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *addr[] = {"127.0.0.1"};
	int op;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 0.001;
	o.timeout = 1;
	op = sonar_engine_multiping(e, addr, 1, &o, event_cb, done_cb, &s);
	assert_int_equal(sonar_engine_set_interval(e, op, -1, 1e-9), 0);
	select_for(e, 300);
	assert_true(s.sent[0] > 1000);
	assert_int_equal(sonar_engine_set_interval(e, op, -1, 86400), 0);
	assert_true(sonar_engine_timeout(e) > 80000 * 1000000000LL ||
	            sonar_engine_timeout(e) < 2 * 1000000000LL); /* only expiries left */
	select_for(e, 200);
	assert_int_equal(sonar_engine_stop(e, op), 0);
	sonar_engine_free(e);
}

/* Review 3: a continuous trace whose end was TTL 1 hears Time Exceeded at
 * a parked TTL (its probe was in flight) and then at TTL 1: every parked
 * TTL wakes, none stays parked for good. White-box: the kind's answered
 * hook is called as recv.c would. */
static void test_trace_unparks_all(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	struct op *op;
	size_t i;
	int h;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_traceroute_defaults(&o);
	o.count = 0;
	o.interval = 0.05;
	o.max_hops = 6;
	h = sonar_engine_traceroute(e, "127.0.0.1", &o, event_cb, done_cb, &s);
	assert_true(h > 0);
	select_for(e, 200);
	op = e->ops;
	assert_int_equal(op->dest_ttl, 1);
	for (i = 1; i < op->n; i++)
		assert_true(op->targets[i]->parked);
	op->ops->answered(op->targets[2], 11, 1.0); /* TTL 3 hears Time Exceeded */
	for (i = 0; i < op->n; i++)
		assert_false(op->targets[i]->parked);
	assert_int_equal(op->dest_ttl, 0);
	select_for(e, 200); /* loopback answers every TTL: the end is TTL 1 again */
	assert_int_equal(op->dest_ttl, 1);
	op->ops->answered(op->targets[0], 11, 1.0); /* TTL 1 hears Time Exceeded */
	for (i = 0; i < op->n; i++)
		assert_false(op->targets[i]->parked);
	assert_int_equal(sonar_engine_stop(e, h), 0);
	sonar_engine_free(e);
}

/* rtt_history: a continuous target keeps that many of its latest RTTs
 * for snapshots (0: none, the statistics still count every reply). */
static void test_rtt_history(void **state)
{
	struct sonar_options o;
	struct sonar_host h;
	const char *addr[] = {"127.0.0.1", "127.0.0.2"};
	struct sonar_engine *e = sonar_engine_new();
	static struct seen s;
	int op;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 0.02;
	o.rtt_history = 3;
	op = sonar_engine_multiping(e, addr, 2, &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	select_for(e, 300);
	assert_int_equal(sonar_engine_snapshot(e, op, 0, &h), 0);
	assert_true(h.packets_received >= 5);
	assert_int_equal(h.rtts_count, 3);
	assert_non_null(h.rtts);
	sonar_host_clear(&h);
	assert_int_equal(sonar_engine_stop(e, op), 0);

	o.rtt_history = 0;
	op = sonar_engine_multiping(e, addr, 2, &o, event_cb, done_cb, &s);
	select_for(e, 300);
	assert_int_equal(sonar_engine_snapshot(e, op, 1, &h), 0);
	assert_true(h.packets_received >= 5);
	assert_true(h.avg_rtt > 0);
	assert_int_equal(h.rtts_count, 0);
	assert_null(h.rtts);
	sonar_host_clear(&h);
	assert_int_equal(sonar_engine_stop(e, op), 0);

	o.rtt_history = -1;
	assert_int_equal(sonar_engine_multiping(e, addr, 2, &o, NULL, NULL, NULL), SONAR_EINVAL);
	sonar_engine_free(e);
}

/* Review 2: a probe leaves, the process stalls past its deadline, and the
 * caller hands in an emptied fd_set (the dashboard does after EINTR): the
 * reply waiting in the socket is credited, the probe is not expired. */
static void test_empty_fdset_after_stall(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *addr[] = {"127.0.0.1"};
	fd_set rd;
	int op, before;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 0.05;
	o.timeout = 0.2;
	op = sonar_engine_multiping(e, addr, 1, &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	select_for(e, 300);
	before = s.sent[0];
	while (s.sent[0] == before)
		assert_int_equal(sonar_engine_run_once(e, -1), 0);
	usleep(1000 * 1000); /* stalled: the deadline passes */
	FD_ZERO(&rd);
	assert_int_equal(sonar_engine_process(e, &rd), 0);
	assert_int_equal(s.timeouts[0], 0);
	assert_int_equal(s.replies[0], s.sent[0]);
	assert_int_equal(sonar_engine_stop(e, op), 0);
	sonar_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stall_skips_missed_slots),
	    cmocka_unit_test(test_busy_loop_is_not_a_stall),
	    cmocka_unit_test(test_remove_finished_target),
	    cmocka_unit_test(test_callback_removes_own_target),
	    cmocka_unit_test(test_callback_stops_op),
	    cmocka_unit_test(test_trace_resume_keeps_parked),
	    cmocka_unit_test(test_high_descriptors),
	    cmocka_unit_test(test_starts_spread),
	    cmocka_unit_test(test_family_literal),
	    cmocka_unit_test(test_phase_kept),
	    cmocka_unit_test(test_late_add),
	    cmocka_unit_test(test_adds_spread_over_one_interval),
	    cmocka_unit_test(test_interval_no_overflow),
	    cmocka_unit_test(test_trace_unparks_all),
	    cmocka_unit_test(test_rtt_history),
	    cmocka_unit_test(test_empty_fdset_after_stall),
	};

	return cmocka_run_group_tests(tests, need_root, NULL);
}
