/*
 * test_table.c - the probe table against a brute-force model, with many
 * colliding hashes so backward-shift deletion is exercised.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "table.h"

#define N 2000

static int owners[N];
static bool present[N];

/* Key: the owner index; entries match when owner and probe agree. */
static int match(const struct table_entry *en, const void *key)
{
	return en->owner == key;
}

/* A deliberately poor hash: 64 distinct values for 2000 keys. */
static uint32_t weak_hash(int k)
{
	return (uint32_t)(k % 64) * 2654435761u;
}

static void test_random_ops(void **state)
{
	struct table t;
	uint64_t x = 0x2545f4914f6cdd1dull;
	int step, i;
	size_t live = 0;

	(void)state;
	table_init(&t);
	for (step = 0; step < 100000; step++) {
		int k;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k = (int)(x % N);
		if (!present[k] && (x & 0x100)) {
			assert_int_equal(table_insert(&t, weak_hash(k), &owners[k], (uint64_t)k),
			                 0);
			present[k] = true;
			live++;
		} else if (present[k]) {
			table_remove(&t, weak_hash(k), &owners[k], (uint64_t)k);
			present[k] = false;
			live--;
		}
		assert_int_equal(t.used, live);
		if (step % 997 == 0) {
			for (i = 0; i < N; i++) {
				struct table_entry *en =
				    table_find(&t, weak_hash(i), match, &owners[i]);

				if (present[i]) {
					assert_non_null(en);
					assert_int_equal(en->probe, (uint64_t)i);
				} else {
					assert_null(en);
				}
			}
		}
	}
	table_free(&t);
}

static void test_hash_chains(void **state)
{
	(void)state;
	assert_int_not_equal(table_hash(2166136261u, "a", 1), table_hash(2166136261u, "b", 1));
	assert_int_equal(table_hash(2166136261u, "", 0), 2166136261u);
	/* FNV-1a("a") */
	assert_int_equal(table_hash(2166136261u, "a", 1), 0xe40c292cu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_ops),
	    cmocka_unit_test(test_hash_chains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
