/*
 * test_pct.c - percentiles (pct.c) and a row's figures over a window
 * (window.c), against values computed here by sorting and summing the
 * exact RTTs (the row keeps them to within 0.017%: window.h).
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"
#include "pct.h"
#include "window.h"

/* qsort's order for doubles. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* The p-th percentile by the definition: the smallest value with at least
 * p% of the values at or below it (sorted v). */
static double by_definition(const double *v, size_t n, double p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((double)(i + 1) >= p / 100.0 * (double)n - 1e-9)
			return v[i];
	return v[n - 1];
}

/* A value drawn from one of several shapes (ms): uniform, two modes, a
 * long tail, sub-millisecond. */
static double draw(int shape)
{
	double u = (double)random() / RAND_MAX;

	switch (shape) {
	case 0:
		return 10 + 40 * u;
	case 1:
		return random() % 4 ? 10 + u : 50 + u;
	case 2:
		return 5 / (1.0001 - u);
	default:
		return 0.02 + 0.5 * u;
	}
}

/* Exact percentiles equal the definition's on sorted data; so does the
 * window's p50..p99, for every window size up to the ring. */
static void test_exact(void **state)
{
	static const size_t sizes[] = {1, 2, 3, 7, 10, 99, 100, 101, 512};
	size_t k, i, j;
	int shape;

	(void)state;
	srandom(13);
	for (shape = 0; shape < 4; shape++) {
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			size_t n = sizes[k];
			float f[512];
			double d[512];

			for (i = 0; i < n; i++)
				d[i] = f[i] = (float)draw(shape);
			pct_sort(f, n);
			qsort(d, n, sizeof(*d), cmp_double);
			for (j = 0; j < PCT_COUNT; j++)
				assert_true(pct_exact(f, n, pct_ranks[j]) ==
				            by_definition(d, n, pct_ranks[j]));
			/* a few by hand: 10 values 1..10 */
		}
	}
	{
		float v[10] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};

		pct_sort(v, 10);
		assert_true(pct_exact(v, 10, 50) == 5);
		assert_true(pct_exact(v, 10, 90) == 9);
		assert_true(pct_exact(v, 10, 95) == 10);
		assert_true(pct_exact(v, 10, 99) == 10);
		assert_true(pct_exact(v, 0, 50) == -1);
	}
}

/* A history cell keeps an RTT within 0.017% of (1 us + RTT): window.h. */
static bool near(double got, double exact)
{
	return fabs(got - exact) <= 0.0002 * (exact + 0.001);
}

/* A row fed n outcomes: RTT v[i], or lost where v[i] < 0. */
static void feed(struct row *r, const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		row_sent(r);
		if (v[i] < 0)
			row_lost(r);
		else
			row_reply(r, v[i], 64);
	}
}

/* Over a window, every figure is the last N outcomes' (computed here from
 * the same numbers); window 0 is the running statistics. */
static void test_window(void **state)
{
	static struct row r;
	double v[700];
	size_t i, n = 700, win;
	struct winstats w;

	(void)state;
	srandom(3);
	row_reset(&r);
	for (i = 0; i < n; i++)
		v[i] = random() % 5 == 0 ? -1 : draw((int)(i / 100) % 4);
	feed(&r, v, n);
	for (win = 1; win <= WINDOW_MAX; win += win < 20 ? 1 : 37) {
		double sum = 0, m2 = 0, jit = 0, lo = 0, hi = 0, prev = -1, got[512];
		size_t rcv = 0;

		for (i = n - win; i < n; i++) {
			if (v[i] < 0)
				continue;
			lo = rcv == 0 || v[i] < lo ? v[i] : lo;
			hi = rcv == 0 || v[i] > hi ? v[i] : hi;
			if (prev >= 0)
				jit += fabs(v[i] - prev);
			prev = v[i];
			sum += v[i];
			got[rcv++] = v[i];
		}
		window_stats(&r, win, true, &w);
		assert_int_equal(w.sent, win);
		assert_int_equal(w.done, win);
		assert_int_equal(w.received, rcv);
		assert_true(fabs(w.loss - (double)(win - rcv) / (double)win) < 1e-12);
		if (rcv == 0) {
			assert_true(w.avg == -1 && w.min == -1);
			continue;
		}
		for (i = 0; i < rcv; i++)
			m2 += (got[i] - sum / rcv) * (got[i] - sum / rcv);
		assert_true(near(w.avg, sum / rcv));
		assert_true(near(w.min, lo) && near(w.max, hi));
		/* a spread moves by at most the cells' error of the largest */
		assert_true(fabs(w.stdev - sqrt(m2 / rcv)) <= 0.0004 * (hi + 0.001));
		if (rcv > 1)
			assert_true(fabs(w.jitter - jit / (rcv - 1)) <= 0.0004 * (hi + 0.001));
		else
			assert_true(w.jitter == -1);
		qsort(got, rcv, sizeof(*got), cmp_double);
		assert_int_equal(w.pct_n, rcv);
		for (i = 0; i < PCT_COUNT; i++)
			if (!near(w.pct[i], by_definition(got, rcv, pct_ranks[i])))
				fail_msg("window %zu p%g: %.6f, exact %.6f", win, pct_ranks[i],
				         w.pct[i], by_definition(got, rcv, pct_ranks[i]));
	}
	/* since the start: the running figures (exact), and the percentiles
	 * of the newest WINDOW_MAX outcomes */
	window_stats(&r, 0, true, &w);
	assert_int_equal(w.sent, r.sent);
	assert_int_equal(w.received, r.received);
	assert_true(w.min == r.st.min && w.max == r.st.max);
	assert_true(fabs(w.avg - r.st.sum / (double)r.st.n) < 1e-12);
	{
		double last[WINDOW_MAX];
		size_t k = 0;

		for (i = n - WINDOW_MAX; i < n; i++)
			if (v[i] >= 0)
				last[k++] = v[i];
		qsort(last, k, sizeof(*last), cmp_double);
		assert_int_equal(w.pct_n, k);
		for (i = 0; i < PCT_COUNT; i++)
			assert_true(near(w.pct[i], by_definition(last, k, pct_ranks[i])));
	}
	/* fewer outcomes than the window: all of them */
	row_reset(&r);
	feed(&r, (const double[]){10, -1, 30}, 3);
	window_stats(&r, 100, true, &w);
	assert_int_equal(w.sent, 3);
	assert_int_equal(w.received, 2);
	assert_true(near(w.avg, 20) && near(w.pct[0], 10) && near(w.pct[3], 30));
	assert_true(fabs(w.jitter - 20) <= 0.0004 * 30);
}

/* --window's numbers. */
static void test_window_parse(void **state)
{
	char err[128];
	size_t w = 0;

	(void)state;
	assert_int_equal(window_parse("100", &w, err, sizeof(err)), 0);
	assert_int_equal(w, 100);
	assert_int_equal(window_parse("512", &w, err, sizeof(err)), 0);
	assert_int_equal(window_parse("513", &w, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "1 to 512"));
	assert_int_equal(window_parse("0", &w, err, sizeof(err)), -1);
	assert_int_equal(window_parse("-5", &w, err, sizeof(err)), -1);
	assert_int_equal(window_parse(" 5", &w, err, sizeof(err)), -1);
	assert_int_equal(window_parse("5x", &w, err, sizeof(err)), -1);
	assert_int_equal(window_parse("", &w, err, sizeof(err)), -1);
	assert_int_equal(window_parse("99999999999999999999999", &w, err, sizeof(err)), -1);
	assert_int_equal(w, 512);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact),
	    cmocka_unit_test(test_window),
	    cmocka_unit_test(test_window_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
