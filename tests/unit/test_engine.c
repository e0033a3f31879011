/*
 * test_engine.c - the non-blocking API on loopback: operations side by
 * side, targets removed, paused, re-timed and added while running; a UDP
 * service's answers. Needs root (raw sockets); fails, never skips, without
 * it (the UDP test needs none).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "sonar.h"

#define MAX_TARGETS 8

/* What one operation saw. */
struct seen {
	int sent[MAX_TARGETS];
	int replies[MAX_TARGETS];
	int other[MAX_TARGETS];
	int bad_op; /* events carrying another op's handle */
	int op;
	int probe_ttl;
	size_t bytes;
	bool done;
	size_t n;
	struct sonar_host hosts[MAX_TARGETS];
	struct sonar_engine *e;
	bool stop_in_callback;
};

static void event_cb(const struct sonar_event *ev, void *user)
{
	struct seen *s = user;

	if (s->op && ev->op != s->op)
		s->bad_op++;
	if (ev->target >= MAX_TARGETS)
		return;
	if (ev->type == SONAR_EVENT_SENT) {
		s->sent[ev->target]++;
		s->probe_ttl = ev->probe_ttl;
		s->bytes = ev->bytes;
	} else if (ev->type == SONAR_EVENT_REPLY) {
		s->replies[ev->target]++;
		if (s->stop_in_callback)
			sonar_engine_stop(s->e, ev->op);
	} else {
		s->other[ev->target]++;
	}
}

static void done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct seen *s = user;
	size_t i;

	if (s->op && op != s->op)
		s->bad_op++;
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
		fail_msg("test_engine needs root (raw sockets); CI runs as root");
	return 0;
}

/* Two operations on one engine, different targets and options, at once. */
static void test_two_ops(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options a, b;
	static struct seen sa, sb;
	const char *multi[] = {"::1", "127.0.0.2"};

	(void)state;
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	sonar_ping_defaults(&a);
	a.count = 5;
	a.interval = 0.05;
	a.payload_size = 100;
	sonar_multiping_defaults(&b);
	b.count = 3;
	b.interval = 0.08;
	b.ttl = 10;
	sa.op = sonar_engine_ping(e, "127.0.0.1", &a, event_cb, done_cb, &sa);
	sb.op = sonar_engine_multiping(e, multi, 2, &b, event_cb, done_cb, &sb);
	assert_true(sa.op > 0 && sb.op > 0 && sa.op != sb.op);
	assert_int_equal(sonar_engine_active(e), 2);
	select_for(e, 3000);
	assert_true(sa.done && sb.done);
	assert_int_equal(sa.bad_op + sb.bad_op, 0);
	assert_int_equal(sa.n, 1);
	assert_int_equal(sa.hosts[0].packets_sent, 5);
	assert_int_equal(sa.hosts[0].packets_received, 5);
	assert_int_equal(sa.bytes, 108);
	assert_int_equal(sa.probe_ttl, 64);
	assert_int_equal(sb.n, 2);
	assert_string_equal(sb.hosts[0].address, "::1");
	assert_string_equal(sb.hosts[1].address, "127.0.0.2");
	assert_int_equal(sb.hosts[0].packets_received, 3);
	assert_int_equal(sb.hosts[1].packets_received, 3);
	assert_int_equal(sb.probe_ttl, 10);
	assert_int_equal(sb.sent[0] + sb.sent[1], 6);
	assert_int_equal(sonar_engine_active(e), 0);
	sonar_engine_free(e);
}

/* Removing a target mid-run stops its probes; the others go on. */
static void test_remove_pause_interval_add(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *targets[] = {"127.0.0.1", "127.0.0.3"};
	int before, idx;
	struct sonar_host snap;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 0; /* until stopped */
	o.interval = 0.05;
	s.op = sonar_engine_multiping(e, targets, 2, &o, event_cb, done_cb, &s);
	assert_true(s.op > 0);
	select_for(e, 300);
	assert_true(s.sent[1] >= 4);

	assert_int_equal(sonar_engine_remove_target(e, s.op, 1), 0);
	before = s.sent[1];
	s.sent[0] = 0;
	select_for(e, 300);
	assert_int_equal(s.sent[1], before); /* removed: no more probes */
	assert_true(s.sent[0] >= 4);         /* the other goes on */
	assert_int_equal(sonar_engine_snapshot(e, s.op, 1, &snap), SONAR_EINVAL);

	/* pause, then resume */
	assert_int_equal(sonar_engine_pause(e, s.op, 0, true), 0);
	select_for(e, 100);
	before = s.sent[0];
	select_for(e, 300);
	assert_int_equal(s.sent[0], before);
	assert_int_equal(sonar_engine_pause(e, s.op, -1, false), 0);
	select_for(e, 300);
	assert_true(s.sent[0] >= before + 4);

	/* a longer interval slows it down */
	assert_int_equal(sonar_engine_set_interval(e, s.op, 0, 0.2), 0);
	select_for(e, 100);
	before = s.sent[0];
	select_for(e, 500);
	assert_true(s.sent[0] - before >= 1 && s.sent[0] - before <= 4);
	assert_int_equal(sonar_engine_set_interval(e, s.op, 0, -1), SONAR_EINVAL);

	/* a target added while running is probed */
	idx = sonar_engine_add_target(e, s.op, "::1");
	assert_int_equal(idx, 2);
	assert_int_equal(sonar_engine_targets(e, s.op), 3);
	assert_true(sonar_engine_add_target(e, s.op, "no such host") < 0);
	assert_int_equal(sonar_engine_targets(e, s.op), 3);
	select_for(e, 300);
	assert_true(s.replies[2] >= 2);

	assert_int_equal(sonar_engine_snapshot(e, s.op, 2, &snap), 0);
	assert_true(snap.packets_received >= 2 && snap.is_alive);
	assert_non_null(snap.rtts);
	sonar_host_clear(&snap);

	assert_int_equal(sonar_engine_stop(e, s.op), 0);
	assert_true(s.done);
	assert_int_equal(s.n, 3);
	assert_true(s.hosts[0].is_alive && s.hosts[2].is_alive);
	assert_int_equal(s.hosts[1].packets_sent, 0); /* removed: left the results */
	assert_int_equal(sonar_engine_stop(e, s.op), SONAR_EINVAL);
	sonar_engine_free(e);
}

/* concurrent_tasks bounds a finite multiping; a continuous one runs every
 * target (its targets never finish: a bound would starve the rest). */
static void test_concurrency(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *targets[] = {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"};
	int i;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 0.05;
	o.concurrent_tasks = 2;
	s.op = sonar_engine_multiping(e, targets, 4, &o, event_cb, done_cb, &s);
	select_for(e, 300);
	for (i = 0; i < 4; i++)
		assert_true(s.sent[i] >= 3);
	sonar_engine_stop(e, s.op);

	/* finite: all complete, at most 2 at a time (checked by the order in
	 * which the last two start: after the first two are done) */
	memset(&s, 0, sizeof(s));
	o.count = 2;
	o.interval = 0.05;
	s.op = sonar_engine_multiping(e, targets, 4, &o, event_cb, done_cb, &s);
	select_for(e, 30);
	assert_true(s.sent[0] >= 1 && s.sent[1] >= 1);
	assert_int_equal(s.sent[2] + s.sent[3], 0);
	select_for(e, 2000);
	assert_true(s.done);
	for (i = 0; i < 4; i++)
		assert_int_equal(s.hosts[i].packets_received, 2);
	sonar_engine_free(e);
}

/* A continuous traceroute sends rounds until stopped. */
static void test_continuous_trace(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_traceroute_defaults(&o);
	o.count = 0;
	o.interval = 0.05;
	o.max_hops = 5;
	s.op = sonar_engine_traceroute(e, "127.0.0.1", &o, event_cb, done_cb, &s);
	assert_true(s.op > 0);
	select_for(e, 400);
	assert_true(s.sent[0] >= 5); /* TTL 1 probed every round */
	assert_int_equal(sonar_engine_stop(e, s.op), 0);
	assert_true(s.done);
	assert_int_equal(s.n, 1); /* loopback: the destination is hop 1 */
	assert_int_equal(s.hosts[0].distance, 1);
	assert_true(s.hosts[0].packets_received >= 5);
	sonar_engine_free(e);
}

/* A callback may stop its own operation. */
static void test_stop_in_callback(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_ping_defaults(&o);
	o.count = 10;
	o.interval = 0.02;
	s.e = e;
	s.stop_in_callback = true;
	s.op = sonar_engine_ping(e, "127.0.0.1", &o, event_cb, done_cb, &s);
	select_for(e, 1000);
	assert_true(s.done);
	assert_int_equal(s.replies[0], 1);
	assert_int_equal(s.hosts[0].packets_received, 1);
	assert_int_equal(sonar_engine_active(e), 0);
	sonar_engine_free(e);
}

/* Stop 0 ends every operation at once, each reporting what it has. */
static int stopped_ops;

static void count_done(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	(void)op;
	(void)hosts;
	(void)n;
	(void)user;
	stopped_ops++;
}

static void test_stop_all(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	const char *a[] = {"127.0.0.1"}, *b[] = {"127.0.0.2"};

	(void)state;
	stopped_ops = 0;
	sonar_multiping_defaults(&o);
	o.count = 0; /* until stopped */
	o.interval = 0.05;
	assert_true(sonar_engine_multiping(e, a, 1, &o, NULL, count_done, NULL) > 0);
	assert_true(sonar_engine_multiping(e, b, 1, &o, NULL, count_done, NULL) > 0);
	select_for(e, 200);
	assert_int_equal(sonar_engine_active(e), 2);
	assert_int_equal(sonar_engine_stop(e, 0), 0);
	assert_int_equal(stopped_ops, 2);
	assert_int_equal(sonar_engine_active(e), 0);
	assert_int_equal(sonar_engine_stop(e, 0), 0); /* none left: no error */
	sonar_engine_free(e);
}

/* ICMP and TCP operations in one engine driven by sonar_engine_run_once()
 * (TCP's socket record has no descriptor, skipped by pollfds): both are
 * answered, in a few turns. (The review's case, readiness given to the
 * wrong socket while a TCP probe stays connecting, needs a port that drops
 * SYNs, which loopback alone does not give; tcp.sh's silent port and
 * strace showed the fix.) */
static int tcp_mix_replies;

static void tcp_mix_cb(const struct sonar_event *ev, void *user)
{
	(void)user;
	if (ev->type == SONAR_EVENT_REPLY)
		tcp_mix_replies++;
}

static void test_run_once_beside_tcp(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	int turns = 0;

	(void)state;
	tcp_mix_replies = 0;
	sonar_ping_defaults(&o);
	o.count = 1;
	o.timeout = 2;
	/* the ICMP socket first, then TCP's record in front of it (as the
	 * commands' lockdown opens them) */
	assert_true(sonar_engine_ping(e, "127.0.0.1", &o, tcp_mix_cb, NULL, NULL) > 0);
	o.protocol = SONAR_PROTO_TCP;
	o.port = 9; /* discard: refused on loopback, or answered: either is an answer */
	assert_true(sonar_engine_ping(e, "127.0.0.1", &o, tcp_mix_cb, NULL, NULL) > 0);
	while (sonar_engine_active(e) > 0 && turns < 100000) {
		assert_true(sonar_engine_run_once(e, 3000000000LL) >= 0);
		turns++;
	}
	print_message("%d turns, %d answers\n", turns, tcp_mix_replies);
	assert_int_equal(tcp_mix_replies, 2);
	assert_true(turns < 1000);
	sonar_engine_free(e);
}

/* Misuse is refused with SONAR_EINVAL, never a crash. */
/* The sequences of a UDP ping's replies, in the order they came. */
struct udp_seen {
	int seq[8];
	int n;
};

static void udp_event_cb(const struct sonar_event *ev, void *user)
{
	struct udp_seen *u = user;

	if (ev->type == SONAR_EVENT_REPLY && u->n < 8)
		u->seq[u->n++] = ev->sequence;
}

/* Turn e until u has want replies, 2 s at most. */
static void udp_turn_until(struct sonar_engine *e, const struct udp_seen *u, int want)
{
	int64_t end = mono_ns() + 2000000000LL;

	while (u->n < want && mono_ns() < end)
		assert_int_equal(sonar_engine_run_once(e, 10000000), 0);
}

/*
 * A UDP service's own answer is a reply: one that begins with a waiting
 * probe's sequence (as DNS echoes its ID) is that probe's, in whatever
 * order; one that names no probe is the oldest waiting one's; one from
 * another port is nobody's. A service on loopback, driven by the test.
 */
static void test_udp_service_answers(void **state)
{
	struct sockaddr_in svc_addr, peer;
	socklen_t len = sizeof(svc_addr);
	int svc = socket(AF_INET, SOCK_DGRAM, 0), other = socket(AF_INET, SOCK_DGRAM, 0);
	uint8_t got[3][64], seq[3][2];
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	struct udp_seen u = {{0}, 0};
	int64_t end = mono_ns() + 2000000000LL;
	int n = 0, i;

	(void)state;
	assert_true(svc >= 0 && other >= 0);
	memset(&svc_addr, 0, sizeof(svc_addr));
	svc_addr.sin_family = AF_INET;
	svc_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(svc, (struct sockaddr *)&svc_addr, sizeof(svc_addr)), 0);
	assert_int_equal(bind(other, (struct sockaddr *)&svc_addr, sizeof(svc_addr)), 0);
	assert_int_equal(getsockname(svc, (struct sockaddr *)&svc_addr, &len), 0);
	sonar_ping_defaults(&o);
	o.protocol = SONAR_PROTO_UDP;
	o.port = ntohs(svc_addr.sin_port);
	o.count = 3;
	o.interval = 0.001;
	o.timeout = 5;
	o.payload_size = 8;
	assert_true(sonar_engine_ping(e, "127.0.0.1", &o, udp_event_cb, NULL, &u) > 0);
	/* the three probes reach the service, which answers none yet */
	while (n < 3 && mono_ns() < end) {
		assert_int_equal(sonar_engine_run_once(e, 10000000), 0);
		len = sizeof(peer);
		if (recvfrom(svc, got[n], sizeof(got[n]), MSG_DONTWAIT, (struct sockaddr *)&peer,
		             &len) == 8) {
			memcpy(seq[n], got[n], 2);
			n++;
		}
	}
	assert_int_equal(n, 3);
	/* from another port, the third probe's bytes: not an answer */
	assert_int_equal(sendto(other, got[2], 8, 0, (struct sockaddr *)&peer, sizeof(peer)), 8);
	udp_turn_until(e, &u, 1);
	assert_int_equal(u.n, 0);
	/* the third's sequence first: the third's */
	assert_int_equal(sendto(svc, seq[2], 2, 0, (struct sockaddr *)&peer, sizeof(peer)), 2);
	udp_turn_until(e, &u, 1);
	/* bytes of its own ("zz", no waiting sequence): the oldest's, then the next */
	for (i = 0; i < 2; i++) {
		assert_int_equal(sendto(svc, "zz", 2, 0, (struct sockaddr *)&peer, sizeof(peer)),
		                 2);
		udp_turn_until(e, &u, 2 + i);
	}
	assert_int_equal(u.n, 3);
	assert_int_equal(u.seq[0], seq[2][0] << 8 | seq[2][1]);
	assert_int_equal(u.seq[1], seq[0][0] << 8 | seq[0][1]);
	assert_int_equal(u.seq[2], seq[1][0] << 8 | seq[1][1]);
	sonar_engine_free(e);
	close(svc);
	close(other);
}

static void test_misuse(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	const char *none[] = {NULL};

	(void)state;
	sonar_multiping_defaults(&o);
	assert_int_equal(sonar_engine_stop(e, 42), SONAR_EINVAL);
	assert_int_equal(sonar_engine_remove_target(e, 42, 0), SONAR_EINVAL);
	assert_int_equal(sonar_engine_pause(e, 42, -1, true), SONAR_EINVAL);
	assert_int_equal(sonar_engine_multiping(e, none, 0, &o, NULL, NULL, NULL), SONAR_EINVAL);
	o.count = 0;
	o.interval = 0;
	assert_int_equal(sonar_engine_ping(e, "127.0.0.1", &o, NULL, NULL, NULL), SONAR_EINVAL);
	assert_int_equal(sonar_engine_ping(NULL, "127.0.0.1", &o, NULL, NULL, NULL), SONAR_EINVAL);
	assert_int_equal(sonar_engine_process(NULL, NULL), SONAR_EINVAL);
	assert_int_equal(sonar_engine_run_once(NULL, 0), SONAR_EINVAL);
	assert_int_equal(sonar_engine_run_once(e, 0), 0); /* nothing to do: returns */
	assert_int_equal(sonar_engine_timeout(e), -1);
	sonar_engine_free(e);
	sonar_engine_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_two_ops, need_root),
	    cmocka_unit_test_setup(test_remove_pause_interval_add, need_root),
	    cmocka_unit_test_setup(test_continuous_trace, need_root),
	    cmocka_unit_test_setup(test_concurrency, need_root),
	    cmocka_unit_test_setup(test_stop_in_callback, need_root),
	    cmocka_unit_test_setup(test_stop_all, need_root),
	    cmocka_unit_test_setup(test_run_once_beside_tcp, need_root),
	    cmocka_unit_test(test_udp_service_answers),
	    cmocka_unit_test(test_misuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
