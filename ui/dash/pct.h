/*
 * pct.h - RTT percentiles: exact ones over a bounded window (sorting its
 * values), and estimated ones since the start from a fixed-size histogram
 * (HdrHistogram's idea): PCT_BUCKETS log-spaced buckets of (1 + RTT in
 * microseconds), each 2^(1/64) wide (1.09%), so that an estimate is within
 * PCT_ERROR (0.55%) of (1 us + the exact percentile) from 1 us to 100 s.
 *
 * Percentiles are nearest-rank: the p-th percentile of n values is the
 * ceil(p/100 * n)-th smallest (at least the first).
 */
#ifndef SONAR_DASH_PCT_H
#define SONAR_DASH_PCT_H

#include <stddef.h>
#include <stdint.h>

#define PCT_PER_OCTAVE 64
#define PCT_BUCKETS    (27 * PCT_PER_OCTAVE) /* 2^27 us: over 100 s */
#define PCT_ERROR      0.0055                /* relative, of 1 us + the value */

/* The percentiles the table shows, in order. */
#define PCT_COUNT 4
extern const double pct_ranks[PCT_COUNT]; /* 50, 90, 95, 99 */

/* Every RTT since the start (or a reset), bucketed. */
struct pct_hist {
	uint64_t n;
	uint32_t count[PCT_BUCKETS];
};

/* Forget every RTT. */
void pct_clear(struct pct_hist *h);
/* Count one RTT (ms). */
void pct_add(struct pct_hist *h, double ms);
/*
 * The p-th percentile (0 < p <= 100) estimated from h, kept within
 * [min, max] (the exact extremes); -1 when h is empty.
 */
double pct_estimate(const struct pct_hist *h, double p, double min, double max);
/* Sort v[0..n-1] for pct_exact(). */
void pct_sort(float *v, size_t n);
/* The p-th percentile of v[0..n-1], sorted; -1 when n is 0. */
double pct_exact(const float *v, size_t n, double p);

#endif
