/*
 * test_alloc.c - every allocation the engine makes may fail: the k-th one
 * is made to fail, for every k until a run makes no more, and each run
 * must end (an alarm turns a hang into a failure) with each target
 * either answered or carrying an error; nothing leaks (LeakSanitizer) and
 * nothing is freed twice (ASan). The engine's own calls to malloc,
 * calloc, realloc and strdup are wrapped at link time (-Wl,--wrap).
 * Needs root (raw sockets).
 */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sonar.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static long calls;        /* allocations since arm() */
static long fail_at = -1; /* the one to fail; -1 none */
static bool failed;       /* it was reached */

static bool fail_now(void)
{
	if (fail_at < 0)
		return false;
	if (calls++ == fail_at) {
		failed = true;
		return true;
	}
	return false;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

static void arm(long k)
{
	calls = 0;
	failed = false;
	fail_at = k;
}

static void disarm(void)
{
	fail_at = -1;
}

static void on_alarm(int sig)
{
	static const char msg[] = "test_alloc: a run with a failed allocation hung\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static int setup(void **state)
{
	(void)state;
	if (geteuid() != 0)
		fail_msg("test_alloc needs root (raw sockets); CI runs as root");
	signal(SIGALRM, on_alarm);
	return 0;
}

/* A host is sound: answered in full, or carries an error, never both
 * silent. */
static void assert_sound(const struct sonar_host *h, int count)
{
	assert_true(h->packets_received <= h->packets_sent);
	assert_true(h->packets_sent <= count);
	if (h->packets_received < count)
		assert_true(h->error != 0);
}

/* The blocking multiping of 40 targets (more timers and probes in flight
 * than the first heap and table hold), the k-th allocation failing, for
 * every k. */
static void test_multiping_every_failure(void **state)
{
	static char names[40][16];
	const char *addr[40];
	static struct sonar_host hosts[40];
	struct sonar_options o;
	long k;
	int r, i, runs = 0, failures = 0;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), i == 7 ? "::1" : "127.0.2.%d", i + 1);
		addr[i] = names[i];
	}
	sonar_multiping_defaults(&o);
	o.count = 3;
	o.interval = 0.005;
	o.timeout = 0.5;
	o.concurrent_tasks = 40;
	for (k = 0; k < 5000; k++) {
		alarm(10);
		arm(k);
		r = sonar_multiping(addr, 40, &o, hosts);
		disarm();
		alarm(0);
		runs++;
		if (r < 0) {
			assert_int_equal(r, SONAR_ENOMEM);
			failures++;
		} else {
			for (i = 0; i < 40; i++) {
				assert_sound(&hosts[i], 3);
				sonar_host_clear(&hosts[i]);
			}
		}
		if (!failed)
			break; /* this run needed fewer than k allocations */
	}
	assert_true(k < 5000);
	assert_true(runs > 80);
	print_message("multiping: %d runs, allocations 0 to %ld each failed once, %d refused to "
	              "start\n",
	              runs, k - 1, failures);
}

/* The blocking traceroute likewise. */
static void test_traceroute_every_failure(void **state)
{
	struct sonar_host *hops;
	struct sonar_options o;
	size_t n;
	long k;
	int r, runs = 0;

	(void)state;
	sonar_traceroute_defaults(&o);
	o.count = 2;
	o.max_hops = 4;
	o.timeout = 0.5;
	for (k = 0; k < 2000; k++) {
		alarm(10);
		arm(k);
		r = sonar_traceroute("127.0.0.1", &o, &hops, &n);
		disarm();
		alarm(0);
		runs++;
		if (r < 0)
			assert_int_equal(r, SONAR_ENOMEM);
		else
			sonar_hops_free(hops, n);
		if (!failed)
			break;
	}
	assert_true(k < 2000);
	print_message("traceroute: %d runs\n", runs);
}

static void event_cb(const struct sonar_event *ev, void *user)
{
	(void)ev;
	(void)user;
}

static void done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	(void)op;
	(void)hosts;
	(void)n;
	(void)user;
}

/* A continuous multiping whose targets are added, re-timed and removed
 * while allocations fail: every call answers, the op still stops. */
static void test_continuous_every_failure(void **state)
{
	struct sonar_options o;
	long k;
	int runs = 0;

	(void)state;
	sonar_multiping_defaults(&o);
	o.count = 0;
	o.interval = 0.01;
	o.timeout = 0.5;
	for (k = 0; k < 2000; k++) {
		struct sonar_engine *e;
		int op = -1, i, r;
		char name[32];

		alarm(10);
		arm(k);
		e = sonar_engine_new();
		if (e)
			op = sonar_engine_multiping(e, NULL, 0, &o, event_cb, done_cb, NULL);
		for (i = 0; e && op > 0 && i < 6; i++) {
			snprintf(name, sizeof(name), "127.0.1.%d", i + 1);
			r = sonar_engine_add_target(e, op, name);
			assert_true(r >= 0 || r == SONAR_ENOMEM);
		}
		if (e && op > 0) {
			assert_true(sonar_engine_set_interval(e, op, -1, 0.002) == 0);
			for (i = 0; i < 20; i++)
				assert_int_equal(sonar_engine_run_once(e, 5 * 1000000), 0);
			sonar_engine_remove_target(e, op, 0);
			assert_int_equal(sonar_engine_stop(e, op), 0);
			assert_int_equal(sonar_engine_active(e), 0);
		}
		sonar_engine_free(e);
		disarm();
		alarm(0);
		runs++;
		if (!failed)
			break;
	}
	assert_true(k < 2000);
	print_message("continuous: %d runs\n", runs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_multiping_every_failure),
	    cmocka_unit_test(test_traceroute_every_failure),
	    cmocka_unit_test(test_continuous_every_failure),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
