/*
 * stats.h - RTT statistics with icmplib's definitions, kept as running sums
 * so a target pinged for days needs no growing array.
 */
#ifndef SONAR_STATS_H
#define SONAR_STATS_H

#include <stdint.h>

struct sonar_host;

/* Invariant: n replies seen; sum, min, max, last over them; jitter_sum is
 * the sum of |r[i] - r[i+1]| over consecutive pairs; mean/m2 are Welford's. */
struct stats {
	uint64_t n;
	double sum;
	double min;
	double max;
	double last;
	double jitter_sum;
	double mean;
	double m2;
};

/* Start empty. */
void stats_init(struct stats *s);
/* Add one RTT in milliseconds. */
void stats_add(struct stats *s, double rtt);
/* Round x to digits decimals exactly as Python's round() does. */
double stats_round(double x, int digits);
/* Fill min/avg/max/stdev/jitter/loss/is_alive of h from s and sent. */
void stats_fill(const struct stats *s, uint64_t sent, struct sonar_host *h);
/* Compute h's statistics from an array of RTTs (tests; one-shot use). */
void stats_from_rtts(const double *rtts, uint64_t n, uint64_t sent, struct sonar_host *h);

#endif
