/*
 * stats.c - icmplib's Host statistics.
 *
 * avg is sum / n (no running integer mean, which is how mtr's average
 * drifts); jitter is the mean absolute difference of consecutive RTTs.
 * Rounding goes through decimal formatting so that it matches Python's
 * round() to the last digit (round-half-even on the exact binary value).
 */
#include "config.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sonar.h"

void sonar_stats_init(struct sonar_stats *s)
{
	*s = (struct sonar_stats){0};
}

void sonar_stats_add(struct sonar_stats *s, double rtt)
{
	double delta;

	if (s->n == 0) {
		s->min = s->max = rtt;
	} else {
		if (rtt < s->min)
			s->min = rtt;
		if (rtt > s->max)
			s->max = rtt;
		s->jitter_sum += fabs(s->last - rtt);
	}
	s->n++;
	s->sum += rtt;
	s->last = rtt;
	delta = rtt - s->mean;
	s->mean += delta / (double)s->n;
	s->m2 += delta * (rtt - s->mean);
}

double stats_round(double x, int digits)
{
	static const double scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
	char buf[64];
	double y, f;

	if (!isfinite(x))
		return x;
	/* Fast path: unless x * 10^digits is within a hair of a half, the
	 * nearest integer r is the right one, and r / 10^digits (both exact)
	 * is correctly rounded: the same double strtod() gives for "r e-d". */
	if (digits >= 0 && digits <= 6 && fabs(x) < 1e9) {
		y = x * scale[digits];
		f = y - floor(y);
		if (fabs(f - 0.5) > 1e-6)
			return floor(y + 0.5) / scale[digits] + 0.0;
	}
	/* Near a tie, decide on the exact binary value, as Python does. */
	snprintf(buf, sizeof(buf), "%.*f", digits, x);
	return strtod(buf, NULL) + 0.0; /* + 0.0 turns -0.0 into 0.0 */
}

void sonar_stats_fill(const struct sonar_stats *s, uint64_t sent, struct sonar_host *h)
{
	h->packets_received = (int)s->n;
	h->packets_sent = (int)sent;
	h->is_alive = s->n > 0;
	if (s->n > 0) {
		h->min_rtt = stats_round(s->min, 3);
		h->max_rtt = stats_round(s->max, 3);
		h->avg_rtt = stats_round(s->sum / (double)s->n, 3);
		h->stdev_rtt = stats_round(sqrt(s->m2 / (double)s->n), 3);
	} else {
		h->min_rtt = h->avg_rtt = h->max_rtt = h->stdev_rtt = 0.0;
	}
	h->jitter = s->n >= 2 ? stats_round(s->jitter_sum / (double)(s->n - 1), 3) : 0.0;
	h->packet_loss = sent > 0 ? stats_round(1.0 - (double)s->n / (double)sent, 2) : 0.0;
}

void stats_from_rtts(const double *rtts, uint64_t n, uint64_t sent, struct sonar_host *h)
{
	struct sonar_stats s;
	uint64_t i;

	sonar_stats_init(&s);
	for (i = 0; i < n; i++)
		sonar_stats_add(&s, rtts[i]);
	sonar_stats_fill(&s, sent, h);
}
