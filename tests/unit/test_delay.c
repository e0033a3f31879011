/*
 * test_delay.c - the engine against a slow path: this program moves into a
 * network namespace of its own, turns the kernel's echo replies off there
 * and starts tests/lab/responder, which answers every IPv4 loopback
 * address 300 ms late (IPv6 stays silent). Probes are then really in
 * flight while the caller changes things: the interval cut under them, a
 * snapshot, a stop, a stall with more replies waiting than one turn reads,
 * and more probes outstanding to a silent host than there are sequence
 * numbers. Each test reproduces a defect of issue 9. Needs root.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "sonar.h"

#define DELAY_MS 300

static pid_t responder = -1;

struct seen {
	int sent, replies, timeouts, dups, errors;
	bool done;
	struct sonar_host host;
};

static void event_cb(const struct sonar_event *ev, void *user)
{
	struct seen *s = user;

	if (ev->type == SONAR_EVENT_SENT)
		s->sent++;
	else if (ev->type == SONAR_EVENT_REPLY)
		s->replies++;
	else if (ev->type == SONAR_EVENT_TIMEOUT)
		s->timeouts++;
	else if (ev->type == SONAR_EVENT_DUPLICATE)
		s->dups++;
	else
		s->errors++;
}

static void done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct seen *s = user;

	(void)op;
	s->done = true;
	if (n >= 1) {
		s->host = hosts[0];
		s->host.rtts = NULL;
	}
}

/* Run e for ms milliseconds (or until no op is left). */
static void drive(struct sonar_engine *e, int ms)
{
	int64_t end = mono_ns() + (int64_t)ms * 1000000;

	while (sonar_engine_active(e) > 0) {
		int64_t left = end - mono_ns();

		if (left <= 0)
			return;
		assert_int_equal(sonar_engine_run_once(e, left), 0);
	}
}

/* Write value to a /proc/sys file (of this namespace). */
static void sysctl_set(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_true(write(fd, value, strlen(value)) == (ssize_t)strlen(value));
	close(fd);
}

/* A namespace of our own, lo up, kernel echo off, the responder started. */
static int setup(void **state)
{
	struct ifreq ifr;
	int fd, pipefd[2];
	char buf[16] = "";
	char path[4096];

	(void)state;
	if (geteuid() != 0)
		fail_msg("test_delay needs root (a network namespace, raw sockets)");
	if (unshare(CLONE_NEWNET) < 0)
		fail_msg("unshare(CLONE_NEWNET): %s", strerror(errno));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	assert_int_equal(ioctl(fd, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	assert_int_equal(ioctl(fd, SIOCSIFFLAGS, &ifr), 0);
	close(fd);
	sysctl_set("/proc/sys/net/ipv4/icmp_echo_ignore_all", "1");
	sysctl_set("/proc/sys/net/ipv6/icmp/echo_ignore_all", "1");
	setenv("SONAR_RCVBUF", "67108864", 1); /* 64 MiB: the kernel drops nothing */

	snprintf(path, sizeof(path), "%s/tests/lab/responder", TOP_BUILDDIR);
	assert_int_equal(pipe(pipefd), 0);
	responder = fork();
	assert_true(responder >= 0);
	if (responder == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execl(path, path, "-4", "--delay-ms", "300", "--seconds", "120", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], buf, sizeof(buf) - 1) <= 0 || strncmp(buf, "ready", 5) != 0)
		fail_msg("the responder did not start (%s)", path);
	close(pipefd[0]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (responder > 0) {
		kill(responder, SIGTERM);
		waitpid(responder, NULL, 0);
	}
	return 0;
}

/* Defect 1: the interval cut from 1 s to 0.0625 s under a 300 ms path
 * (the dashboard's + four times): every probe is answered, none expires,
 * none is counted lost. */
static void test_interval_cut(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	struct sonar_host h;
	static struct seen s;
	const char *addr[] = {"127.0.0.1"};
	int op;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 1;
	o.timeout = 2;
	op = sonar_engine_multiping(e, addr, 1, &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	/* the first reply comes at 300 ms, the second probe leaves at 1 s */
	drive(e, 800);
	assert_int_equal(s.replies, 1);
	assert_int_equal(sonar_engine_set_interval(e, op, -1, 0.0625), 0);
	drive(e, 2000);
	/* 32 at the new interval (at the old one: 2); a loaded machine may
	 * miss some send slots, and they are skipped */
	assert_true(s.sent >= 16);
	assert_int_equal(s.timeouts, 0);
	/* back to 1 s: what is in flight (about 300 / 62.5 = 5 probes, more
	 * when the responder is slow) comes back, none is lost */
	assert_int_equal(sonar_engine_set_interval(e, op, -1, 1), 0);
	drive(e, 900);
	assert_int_equal(s.timeouts, 0);
	assert_true(s.replies >= s.sent - 1);
	assert_int_equal(sonar_engine_snapshot(e, op, 0, &h), 0);
	assert_true(h.packet_loss == 0.0);
	sonar_host_clear(&h);
	sonar_engine_free(e);
}

/* Defect 10 (and the review's 8): probes in flight are not lost, in a
 * snapshot nor in the result of a stop. */
static void test_in_flight_not_lost(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	struct sonar_host h;
	static struct seen s;
	const char *addr[] = {"127.0.0.1"};
	int op;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 0.05;
	o.timeout = 2;
	op = sonar_engine_multiping(e, addr, 1, &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	drive(e, 700);
	assert_int_equal(sonar_engine_snapshot(e, op, 0, &h), 0);
	/* 14 sent (fewer when a loaded machine misses send slots), those of
	 * the last 300 ms in flight */
	assert_true(h.packets_sent >= 8);
	assert_true(h.packets_received < h.packets_sent);
	assert_true(h.packet_loss == 0.0);
	sonar_host_clear(&h);
	assert_int_equal(sonar_engine_stop(e, op), 0);
	assert_true(s.done);
	assert_true(s.host.packets_sent > s.host.packets_received);
	assert_true(s.host.packet_loss == 0.0);
	assert_int_equal(s.host.error, 0);
	sonar_engine_free(e);
}

/* Defect 2: 6,000 probes, then the process stalls 2.5 s: their replies
 * arrive 300 ms after them, before their 2 s deadlines, and wait in the
 * socket, more than one turn reads. Every one is credited, none expires. */
static void test_stall_backlog(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *addr[60];
	int i;

	(void)state;
	memset(&s, 0, sizeof(s));
	/* the responder answers from 127.0.0.1, whatever was asked: 60
	 * targets of one address (raw sockets: each its own id) */
	for (i = 0; i < 60; i++)
		addr[i] = "127.0.0.1";
	sonar_multiping_defaults(&o);
	o.count = 100;
	o.interval = 0; /* all at once: three turns of sends, well within 300 ms */
	o.timeout = 2;  /* the responder has 1.7 s for 6,000 answers, load or not */
	o.pacing = 0;
	o.concurrent_tasks = 60;
	assert_true(sonar_engine_multiping(e, addr, 60, &o, event_cb, done_cb, &s) > 0);
	while (s.sent < 6000)
		assert_int_equal(sonar_engine_run_once(e, -1), 0);
	/* more replies will wait than one turn reads (4,096 a socket) */
	assert_true(6000 - s.replies > 4096 + 500);
	usleep(2500 * 1000); /* stalled; the deadlines pass */
	drive(e, 5000);
	assert_true(s.done);
	assert_int_equal(s.timeouts, 0);
	assert_int_equal(s.replies, 6000);
	sonar_engine_free(e);
}

/* The review's 1: 70,000 probes at once to a silent host (::1 here) are
 * more than there are sequence numbers: at most half of them wait at a
 * time, no turn takes long (none sends more than a burst, 2,048),
 * nothing is a duplicate. Counted, not timed: a loaded machine (two busy
 * cores, ASan) takes longer than 1.5 s to send 30,000, so the turns run
 * until the sends stop (20 s at most), and no probe expires meanwhile. */
static void test_more_than_sequences(void **state)
{
	struct sonar_engine *e = sonar_engine_new();
	struct sonar_options o;
	static struct seen s;
	const char *addr[] = {"::1"};
	int64_t end = mono_ns() + 20000 * 1000000LL;
	int op, most = 0, quiet = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	sonar_multiping_defaults(&o);
	o.count = 70000;
	o.interval = 0;
	o.timeout = 60;
	op = sonar_engine_multiping(e, addr, 1, &o, event_cb, done_cb, &s);
	assert_true(op > 0);
	/* until 20 turns in a row (10 ms each, at least) send nothing */
	while (quiet < 20 && mono_ns() < end) {
		int before = s.sent;

		assert_int_equal(sonar_engine_run_once(e, 10 * 1000000LL), 0);
		if (s.sent - before > most)
			most = s.sent - before;
		quiet = s.sent == before ? quiet + 1 : 0;
	}
	assert_true(s.sent >= 30000);
	assert_true(s.sent <= 32768);
	assert_true(most <= 2048);
	assert_int_equal(s.dups, 0);
	assert_int_equal(s.timeouts, 0);
	assert_int_equal(sonar_engine_stop(e, op), 0);
	sonar_engine_free(e);
}

static struct sonar_engine *cb_e;
static int cb_mode;
static int cb_calls;

/* Change the engine from inside its callbacks, by mode. */
static void changing_cb(const struct sonar_event *ev, void *user)
{
	static const char *more[] = {"127.0.0.1"};
	struct sonar_options o;

	event_cb(ev, user);
	if (cb_mode == 0 && ev->type == SONAR_EVENT_SENT)
		cb_calls += sonar_engine_remove_target(cb_e, ev->op, ev->target) == 0;
	if (cb_mode == 1 && ev->type == SONAR_EVENT_TIMEOUT)
		cb_calls += sonar_engine_remove_target(cb_e, ev->op, ev->target) == 0;
	if (cb_mode == 2 && ev->type == SONAR_EVENT_SENT && ev->target == 0) {
		cb_calls += sonar_engine_remove_target(cb_e, ev->op, ev->target) == 0;
		cb_calls += sonar_engine_add_target(cb_e, ev->op, "127.0.0.1") > 0;
	}
	if (cb_mode == 3 && ev->type == SONAR_EVENT_REPLY) {
		sonar_multiping_defaults(&o);
		o.count = 1;
		cb_calls += sonar_engine_stop(cb_e, ev->op) == 0;
		cb_calls += sonar_engine_multiping(cb_e, more, 1, &o, NULL, NULL, NULL) > 0;
	}
}

/* A done callback that removes a target of its finished op and stops it:
 * both are refused, nothing breaks. */
static void changing_done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	done_cb(op, hosts, n, user);
	cb_calls += sonar_engine_remove_target(cb_e, op, 0) == SONAR_EINVAL;
	cb_calls += sonar_engine_stop(cb_e, op) == SONAR_EINVAL;
}

/* Callbacks may change anything (the review's gaps): remove their own
 * target from a SENT or a TIMEOUT event, remove one and add another, stop
 * their op and start another; the done callback touches its finished op.
 * ASan watches every case; every op ends. */
static void test_callbacks_change_anything(void **state)
{
	/* 127.0.0.1 answers 300 ms late, ::1 never: timeouts happen */
	static const char *addr[] = {"127.0.0.1", "::1"};
	static const int want[] = {2, 1, 2, 2};
	struct sonar_options o;
	static struct seen s;

	(void)state;
	for (cb_mode = 0; cb_mode < 4; cb_mode++) {
		memset(&s, 0, sizeof(s));
		cb_calls = 0;
		cb_e = sonar_engine_new();
		sonar_multiping_defaults(&o);
		o.count = 3;
		o.interval = 0.02;
		o.timeout = 0.5;
		assert_true(sonar_engine_multiping(cb_e, addr, 2, &o, changing_cb, changing_done_cb,
		                                   &s) > 0);
		drive(cb_e, 3000);
		assert_int_equal(sonar_engine_active(cb_e), 0);
		assert_true(s.done);
		/* the callbacks' own calls, plus the done callback's two refusals */
		assert_true(cb_calls >= want[cb_mode] + 2);
		sonar_engine_free(cb_e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interval_cut),
	    cmocka_unit_test(test_in_flight_not_lost),
	    cmocka_unit_test(test_stall_backlog),
	    cmocka_unit_test(test_more_than_sequences),
	    cmocka_unit_test(test_callbacks_change_anything),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
