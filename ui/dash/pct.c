/*
 * pct.c - RTT percentiles, exact and from a histogram.
 */
#include "config.h"
#include "pct.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double pct_ranks[PCT_COUNT] = {50, 90, 95, 99};

/* The bucket of an RTT (ms): floor(log2(1 + us) * PCT_PER_OCTAVE). */
static size_t bucket(double ms)
{
	double b = log2(1.0 + (ms > 0 ? ms * 1000.0 : 0.0)) * PCT_PER_OCTAVE;

	return b < PCT_BUCKETS - 1 ? (size_t)b : PCT_BUCKETS - 1;
}

/* The value (ms) a bucket stands for: the geometric middle of its bounds
 * in (1 + us), so that either bound is within half a bucket's ratio. */
static double middle(size_t b)
{
	return (exp2(((double)b + 0.5) / PCT_PER_OCTAVE) - 1.0) / 1000.0;
}

/* The nearest rank of percentile p among n values (1-based). */
static uint64_t rank(double p, uint64_t n)
{
	double r = ceil(p / 100.0 * (double)n - 1e-9);

	if (r < 1)
		return 1;
	return r > (double)n ? n : (uint64_t)r;
}

void pct_clear(struct pct_hist *h)
{
	memset(h, 0, sizeof(*h));
}

void pct_add(struct pct_hist *h, double ms)
{
	size_t b = bucket(ms);

	if (h->count[b] == UINT32_MAX)
		return; /* 4 billion RTTs in one bucket: the rest change nothing */
	h->count[b]++;
	h->n++;
}

double pct_estimate(const struct pct_hist *h, double p, double min, double max)
{
	uint64_t want, seen = 0;
	size_t b;

	if (h->n == 0)
		return -1;
	want = rank(p, h->n);
	for (b = 0; b < PCT_BUCKETS; b++) {
		seen += h->count[b];
		if (seen >= want) {
			double v = middle(b);

			return v < min ? min : v > max ? max : v;
		}
	}
	return max;
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
