/*
 * pct.c - RTT percentiles by sorting.
 */
#include "config.h"
#include "pct.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

const double pct_ranks[PCT_COUNT] = {50, 90, 95, 99};

/* The nearest rank of percentile p among n values (1-based). */
static size_t rank(double p, size_t n)
{
	double r = ceil(p / 100.0 * (double)n - 1e-9);

	if (r < 1)
		return 1;
	return r > (double)n ? n : (size_t)r;
}

/* qsort's order for floats. */
static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

void pct_sort(float *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_float);
}

double pct_exact(const float *v, size_t n, double p)
{
	return n ? v[rank(p, n) - 1] : -1;
}
