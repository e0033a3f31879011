/*
 * pct.h - RTT percentiles over a bounded set of values (a window of a
 * row's history), exact: by sorting them.
 *
 * Percentiles are nearest-rank: the p-th percentile of n values is the
 * ceil(p/100 * n)-th smallest (at least the first).
 */
#ifndef SONAR_DASH_PCT_H
#define SONAR_DASH_PCT_H

#include <stddef.h>

/* The percentiles the table shows, in order. */
#define PCT_COUNT 4
extern const double pct_ranks[PCT_COUNT]; /* 50, 90, 95, 99 */

/* Sort v[0..n-1] for pct_exact(). */
void pct_sort(float *v, size_t n);
/* The p-th percentile (0 < p <= 100) of v[0..n-1], sorted; -1 when n is 0. */
double pct_exact(const float *v, size_t n, double p);

#endif
