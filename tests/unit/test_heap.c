/*
 * test_heap.c - the timer heap against a brute-force model.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "heap.h"

#define N 500

static void test_random_ops(void **state)
{
	static struct timer t[N];
	struct heap h;
	uint64_t x = 88172645463325252ull;
	int i, step;

	(void)state;
	heap_init(&h);
	for (i = 0; i < N; i++)
		timer_init(&t[i], 0);
	for (step = 0; step < 200000; step++) {
		int k, best = -1;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k = (int)(x % N);
		if (x & (1u << 20))
			assert_int_equal(heap_set(&h, &t[k], (int64_t)(x >> 40) % 1000), 0);
		else
			heap_remove(&h, &t[k]);
		/* the top is the earliest queued timer; positions are right */
		for (i = 0; i < N; i++) {
			if (t[i].pos == HEAP_NONE)
				continue;
			assert_ptr_equal(h.v[t[i].pos], &t[i]);
			if (best < 0 || t[i].when < t[best].when)
				best = i;
		}
		if (best < 0)
			assert_null(heap_top(&h));
		else
			assert_true(heap_top(&h)->when == t[best].when);
	}
	heap_free(&h);
}

static void test_drain_in_order(void **state)
{
	static struct timer t[N];
	struct heap h;
	int64_t last = -1;
	int i;

	(void)state;
	heap_init(&h);
	for (i = 0; i < N; i++) {
		timer_init(&t[i], 0);
		heap_set(&h, &t[i], (i * 7919) % N);
	}
	while (heap_top(&h)) {
		struct timer *top = heap_top(&h);

		assert_true(top->when >= last);
		last = top->when;
		heap_remove(&h, top);
		assert_int_equal(top->pos, HEAP_NONE);
	}
	heap_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_ops),
	    cmocka_unit_test(test_drain_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
