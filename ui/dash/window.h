/*
 * window.h - a row's statistics as the table shows them: since the start
 * (window 0: the running figures, of every probe), or over its last N
 * outcomes (N at most WINDOW_MAX, the history ring's size), from the row's
 * history cells: an RTT there is kept to within 0.017% of (1 us + RTT)
 * (model.c's 16-bit cells: the history costs a row 1 KiB, so 10,000
 * targets stay small), and so are the figures made of them.
 *
 * Percentiles need the values themselves: they are always of a window,
 * exact over its cells (sorted); since the start, of the newest
 * WINDOW_MAX outcomes.
 *
 * Over a window of the last N probes whose fate is known (replies, losses
 * and ICMP errors; a probe still in flight is not in it): Snt is their
 * number, Rcv the replies among them, Loss% the others over Snt; Avg, Min,
 * Max, StDev (population) and the percentiles (nearest rank, exact) are of
 * the replies' RTTs, Jitter the mean absolute difference of consecutive
 * replies' RTTs in it. Last is always the newest reply.
 */
#ifndef SONAR_DASH_WINDOW_H
#define SONAR_DASH_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "pct.h"

#define WINDOW_MAX     HISTORY_CELLS
#define WINDOW_DEFAULT 100

/* One row's figures; RTTs in ms, -1 where there is none. */
struct winstats {
	uint64_t sent;     /* all: probes sent; window: outcomes in it */
	uint64_t received; /* replies */
	uint64_t done;     /* probes whose fate is known */
	double loss;       /* 0.0 - 1.0 of done */
	uint64_t n;        /* RTTs the figures below are of */
	double last, avg, min, max, stdev, jitter;
	double pct[PCT_COUNT]; /* pct_ranks' percentiles (only when asked) */
	uint64_t pct_n;        /* the replies they are of */
};

/*
 * Fill w with r's figures over its last `window` outcomes (0: since the
 * start); with_pct: the percentiles too (a sort or a histogram walk).
 */
void window_stats(const struct row *r, size_t window, bool with_pct, struct winstats *w);
/*
 * Parse a window size ("100": 1 to WINDOW_MAX). 0, or -1 with why in err.
 */
int window_parse(const char *s, size_t *window, char *err, size_t cap);

#endif
