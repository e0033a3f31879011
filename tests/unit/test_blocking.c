/*
 * test_blocking.c - icmplib's blocking calls on loopback, each against what
 * the non-blocking engine gives for the same call: sonar_ping(),
 * sonar_multiping() (input order, a bad name among good ones),
 * sonar_traceroute() and sonar_hops_free(). Needs root (raw sockets).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sonar.h"

struct done {
	bool done;
	size_t n;
	struct sonar_host hosts[8];
};

static void done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct done *d = user;
	size_t i;

	(void)op;
	d->done = true;
	d->n = n;
	for (i = 0; i < n && i < 8; i++)
		assert_int_equal(sonar_host_copy(&d->hosts[i], &hosts[i]), 0);
}

/* Run an engine until its operations end. */
static void run(struct sonar_engine *e)
{
	int i;

	for (i = 0; i < 10000 && sonar_engine_active(e) > 0; i++)
		assert_int_equal(sonar_engine_run_once(e, -1), 0);
	assert_int_equal(sonar_engine_active(e), 0);
}

/* What the blocking call and the engine must agree on. */
static void assert_same(const struct sonar_host *a, const struct sonar_host *b)
{
	int i;

	assert_string_equal(a->address, b->address);
	assert_int_equal(a->packets_sent, b->packets_sent);
	assert_int_equal(a->packets_received, b->packets_received);
	assert_int_equal(a->rtts_count, b->rtts_count);
	assert_true(a->packet_loss == b->packet_loss);
	assert_int_equal(a->is_alive, b->is_alive);
	assert_int_equal(a->distance, b->distance);
	assert_int_equal(a->error, b->error);
	assert_string_equal(a->error_message, b->error_message);
	for (i = 0; i < a->rtts_count; i++)
		assert_true(a->rtts[i] > 0 && a->rtts[i] < 1000);
}

static int need_root(void **state)
{
	(void)state;
	if (geteuid() != 0)
		fail_msg("test_blocking needs root (raw sockets); CI runs as root");
	return 0;
}

static void test_ping(void **state)
{
	struct sonar_options o;
	struct sonar_host h;
	struct sonar_engine *e = sonar_engine_new();
	static struct done d;

	(void)state;
	sonar_ping_defaults(&o);
	o.count = 5;
	o.interval = 0.01;
	assert_int_equal(sonar_ping("127.0.0.1", &o, &h), 0);
	assert_string_equal(h.address, "127.0.0.1");
	assert_int_equal(h.packets_sent, 5);
	assert_int_equal(h.packets_received, 5);
	assert_int_equal(h.rtts_count, 5);
	assert_non_null(h.rtts);
	assert_true(h.is_alive);
	assert_true(h.min_rtt <= h.avg_rtt && h.avg_rtt <= h.max_rtt);
	assert_int_equal(h.error, 0);
	assert_int_equal(h.reply_ttl, 64);

	memset(&d, 0, sizeof(d));
	assert_true(sonar_engine_ping(e, "127.0.0.1", &o, NULL, done_cb, &d) > 0);
	run(e);
	assert_true(d.done);
	assert_int_equal(d.n, 1);
	assert_same(&h, &d.hosts[0]);
	sonar_host_clear(&h);
	sonar_host_clear(&d.hosts[0]);

	/* a name that does not resolve: icmplib's NameLookupError */
	assert_int_equal(sonar_ping("", &o, &h), SONAR_EINVAL);
	sonar_engine_free(e);
}

static void test_multiping(void **state)
{
	static const char *addr[] = {"::1", "127.0.0.2", "no such name", "127.0.0.3"};
	struct sonar_options o;
	struct sonar_host hosts[4];
	struct sonar_engine *e = sonar_engine_new();
	static struct done d;
	int i;

	(void)state;
	sonar_multiping_defaults(&o);
	o.count = 3;
	o.interval = 0.01;
	o.concurrent_tasks = 2; /* fewer than the targets: they queue */
	assert_int_equal(sonar_multiping(addr, 4, &o, hosts), 0);
	/* results in input order, the bad name carrying its error */
	assert_string_equal(hosts[0].address, "::1");
	assert_string_equal(hosts[1].address, "127.0.0.2");
	assert_string_equal(hosts[2].address, "no such name");
	assert_int_equal(hosts[2].error, SONAR_ENAMELOOKUP);
	assert_int_equal(hosts[2].packets_sent, 0);
	assert_string_equal(hosts[3].address, "127.0.0.3");
	for (i = 0; i < 4; i++)
		if (i != 2)
			assert_int_equal(hosts[i].packets_received, 3);

	memset(&d, 0, sizeof(d));
	assert_true(sonar_engine_multiping(e, addr, 4, &o, NULL, done_cb, &d) > 0);
	run(e);
	assert_int_equal(d.n, 4);
	for (i = 0; i < 4; i++) {
		assert_same(&hosts[i], &d.hosts[i]);
		sonar_host_clear(&hosts[i]);
		sonar_host_clear(&d.hosts[i]);
	}

	/* icmplib's ValueError: an empty list */
	assert_int_equal(sonar_multiping(addr, 0, &o, hosts), SONAR_EINVAL);
	sonar_engine_free(e);
}

static void test_traceroute(void **state)
{
	struct sonar_options o;
	struct sonar_host *hops = NULL;
	size_t n = 99;
	struct sonar_engine *e = sonar_engine_new();
	static struct done d;

	(void)state;
	sonar_traceroute_defaults(&o);
	o.count = 3;
	o.max_hops = 5;
	assert_int_equal(sonar_traceroute("127.0.0.1", &o, &hops, &n), 0);
	/* loopback: the destination at distance 1, nothing beyond it */
	assert_int_equal(n, 1);
	assert_string_equal(hops[0].address, "127.0.0.1");
	assert_int_equal(hops[0].distance, 1);
	assert_int_equal(hops[0].packets_sent, 3);
	assert_int_equal(hops[0].packets_received, 3);

	memset(&d, 0, sizeof(d));
	assert_true(sonar_engine_traceroute(e, "127.0.0.1", &o, NULL, done_cb, &d) > 0);
	run(e);
	assert_int_equal(d.n, 1);
	assert_same(&hops[0], &d.hosts[0]);
	sonar_host_clear(&d.hosts[0]);
	sonar_hops_free(hops, n);
	sonar_hops_free(NULL, 0);

	/* an address that cannot resolve: an error, and nothing to free */
	hops = (struct sonar_host *)&d; /* overwritten with NULL */
	assert_int_equal(sonar_traceroute("", &o, &hops, &n), SONAR_EINVAL);
	assert_null(hops);
	assert_int_equal(n, 0);
	sonar_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ping),
	    cmocka_unit_test(test_multiping),
	    cmocka_unit_test(test_traceroute),
	};

	return cmocka_run_group_tests(tests, need_root, NULL);
}
