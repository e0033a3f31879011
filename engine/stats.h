/*
 * stats.h - RTT statistics with icmplib's definitions, kept as running sums
 * so a target pinged for days needs no growing array. The running part is
 * public (struct sonar_stats, sonar_stats_*() in sonar.h); this adds the
 * rounding and a one-shot helper.
 */
#ifndef SONAR_STATS_H
#define SONAR_STATS_H

#include <stdint.h>

#include "sonar.h"

/* Round x to digits decimals exactly as Python's round() does. */
double stats_round(double x, int digits);
/* Compute h's statistics from an array of RTTs (tests; one-shot use). */
void stats_from_rtts(const double *rtts, uint64_t n, uint64_t sent, struct sonar_host *h);

#endif
