/*
 * test_stats.c - icmplib's statistics, to the last digit.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sonar.h"
#include "stats.h"

/* The seed's worked example: 9 replies of 10 probes. */
static void test_worked_example(void **state)
{
	static const double rtts[] = {11.595, 13.135, 9.614,  16.018, 11.960,
	                              5.761,  16.207, 11.937, 12.098};
	struct sonar_host h;

	(void)state;
	memset(&h, 0, sizeof(h));
	stats_from_rtts(rtts, 9, 10, &h);
	assert_true(h.min_rtt == 5.761);
	assert_true(h.avg_rtt == 12.036);
	assert_true(h.max_rtt == 16.207);
	assert_true(h.packet_loss == 0.1);
	assert_true(h.jitter == 4.575);
	assert_int_equal(h.packets_sent, 10);
	assert_int_equal(h.packets_received, 9);
	assert_true(h.is_alive);
}

static void test_nothing_received(void **state)
{
	struct sonar_host h;

	(void)state;
	memset(&h, 0xff, sizeof(h));
	stats_from_rtts(NULL, 0, 4, &h);
	assert_true(h.min_rtt == 0.0 && h.avg_rtt == 0.0 && h.max_rtt == 0.0);
	assert_true(h.jitter == 0.0);
	assert_true(h.packet_loss == 1.0);
	assert_false(h.is_alive);
	stats_from_rtts(NULL, 0, 0, &h);
	assert_true(h.packet_loss == 0.0); /* nothing sent: 0.0, as icmplib */
}

static void test_one_reply(void **state)
{
	const double r = 0.0427;
	struct sonar_host h;

	(void)state;
	stats_from_rtts(&r, 1, 1, &h);
	assert_true(h.min_rtt == 0.043); /* sub-millisecond precision kept */
	assert_true(h.jitter == 0.0);    /* n < 2 */
	assert_true(h.stdev_rtt == 0.0);
	assert_true(h.packet_loss == 0.0);
}

static void test_rounding_like_python(void **state)
{
	(void)state;
	/* Python: round(2.675, 2) == 2.67 (binary 2.67499..), round(1.0005, 3)
	 * == 1.0, round(0.0005, 3) == 0.001, round(2.5, 0) == 2.0 */
	assert_true(stats_round(2.675, 2) == 2.67);
	assert_true(stats_round(1.0005, 3) == 1.0);
	assert_true(stats_round(0.0005, 3) == 0.001);
	assert_true(stats_round(2.5, 0) == 2.0);
	assert_true(stats_round(3.5, 0) == 4.0);
	assert_true(stats_round(1.0 - 1.0 / 3.0, 2) == 0.67);
	assert_true(stats_round(-0.0001, 3) == 0.0);
}

/* The fast rounding path agrees with the exact one (printf + strtod) on a
 * million values, ties and near-ties included. */
static void test_round_fast_equals_exact(void **state)
{
	uint64_t x = 0x853c49e6748fea9bull;
	int i, d;

	(void)state;
	for (i = 0; i < 1000000; i++) {
		double v;
		char buf[64];

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* RTT-like values, and exact decimal halves every 4th time */
		v = (double)(x % 100000000) / 1e6;
		if ((i & 3) == 0)
			v = (double)(x % 100000) / 1000.0 + 0.0005;
		for (d = 0; d <= 3; d++) {
			snprintf(buf, sizeof(buf), "%.*f", d, v);
			assert_true(stats_round(v, d) == strtod(buf, NULL) + 0.0);
		}
	}
}

static void test_loss_rounding(void **state)
{
	const double r[2] = {1, 2};
	struct sonar_host h;

	(void)state;
	stats_from_rtts(r, 1, 3, &h);
	assert_true(h.packet_loss == 0.67);
	stats_from_rtts(r, 2, 3, &h);
	assert_true(h.packet_loss == 0.33);
}

static void test_stdev_and_running_equals_batch(void **state)
{
	static const double rtts[] = {2, 4, 4, 4, 5, 5, 7, 9};
	struct sonar_stats s;
	struct sonar_host a, b;
	size_t i;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	stats_from_rtts(rtts, 8, 8, &a);
	assert_true(a.stdev_rtt == 2.0); /* the textbook population example */
	assert_true(a.avg_rtt == 5.0);
	sonar_stats_init(&s);
	for (i = 0; i < 8; i++)
		sonar_stats_add(&s, rtts[i]);
	sonar_stats_fill(&s, 8, &b);
	assert_memory_equal(&a, &b, sizeof(a));
}

/* A million tiny RTTs: the mean must not drift (mtr's integer mean does). */
static void test_no_drift(void **state)
{
	struct sonar_stats s;
	struct sonar_host h;
	int i;

	(void)state;
	sonar_stats_init(&s);
	for (i = 0; i < 1000000; i++)
		sonar_stats_add(&s, i % 2 ? 0.041 : 0.045);
	sonar_stats_fill(&s, 1000000, &h);
	assert_true(h.avg_rtt == 0.043);
	assert_true(h.jitter == 0.004);
	assert_true(h.stdev_rtt == 0.002);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_worked_example),
	    cmocka_unit_test(test_nothing_received),
	    cmocka_unit_test(test_one_reply),
	    cmocka_unit_test(test_rounding_like_python),
	    cmocka_unit_test(test_loss_rounding),
	    cmocka_unit_test(test_round_fast_equals_exact),
	    cmocka_unit_test(test_stdev_and_running_equals_batch),
	    cmocka_unit_test(test_no_drift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
