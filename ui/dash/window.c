/*
 * window.c - a row's figures since the start or over its last outcomes.
 */
#include "config.h"
#include "window.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The last `window` outcomes' figures (the history cells') into w; with_pct:
 * their percentiles too. */
static void over_window(const struct row *r, size_t window, bool with_pct, struct winstats *w)
{
	float v[WINDOW_MAX];
	size_t k, n = 0, have;
	double sum = 0, m2 = 0, jit = 0, prev = 0;
	int i;

	have = r->hist_n < HISTORY_CELLS ? (size_t)r->hist_n : HISTORY_CELLS;
	have = have < window ? have : window;
	/* oldest to newest: jitter is of consecutive replies */
	for (k = have; k-- > 0;) {
		float x;

		if (!row_cell(r, k, &x) || x < 0)
			continue;
		if (n > 0)
			jit += fabs((double)x - prev);
		prev = x;
		v[n++] = x;
		sum += x;
		w->min = n == 1 || x < w->min ? x : w->min;
		w->max = n == 1 || x > w->max ? x : w->max;
	}
	w->sent = w->done = have;
	w->received = n;
	w->loss = have ? (double)(have - n) / (double)have : 0.0;
	w->n = n;
	if (n == 0)
		return;
	w->avg = sum / (double)n;
	for (k = 0; k < n; k++)
		m2 += ((double)v[k] - w->avg) * ((double)v[k] - w->avg);
	w->stdev = sqrt(m2 / (double)n);
	w->jitter = n > 1 ? jit / (double)(n - 1) : -1;
	if (!with_pct)
		return;
	pct_sort(v, n);
	w->pct_n = n;
	for (i = 0; i < PCT_COUNT; i++)
		w->pct[i] = pct_exact(v, n, pct_ranks[i]);
}

void window_stats(const struct row *r, size_t window, bool with_pct, struct winstats *w)
{
	struct sonar_host h;
	int i;

	w->sent = w->received = w->done = w->n = w->pct_n = 0;
	w->loss = 0;
	w->last = w->avg = w->min = w->max = w->stdev = w->jitter = -1;
	for (i = 0; i < PCT_COUNT; i++)
		w->pct[i] = -1;
	if (window) {
		over_window(r, window, with_pct, w);
		w->last = r->st.n > 0 ? r->st.last : -1;
		return;
	}
	/* since the start: the running figures; percentiles of the newest
	 * WINDOW_MAX outcomes (what the history keeps) */
	if (with_pct) {
		over_window(r, WINDOW_MAX, true, w);
		w->min = w->max = w->stdev = w->jitter = -1;
	}
	w->sent = r->sent;
	w->received = r->received;
	w->done = r->done;
	w->loss = row_loss(r);
	w->n = r->st.n;
	if (r->st.n == 0)
		return;
	row_host(r, &h);
	w->last = r->st.last;
	w->avg = r->st.sum / (double)r->st.n;
	w->min = r->st.min;
	w->max = r->st.max;
	w->stdev = h.stdev_rtt;
	w->jitter = r->st.n > 1 ? h.jitter : -1;
}

int window_parse(const char *s, size_t *window, char *err, size_t cap)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v < 1 || v > WINDOW_MAX) {
		snprintf(err, cap, "'%.40s': the window is a number of probes, 1 to %d", s,
		         WINDOW_MAX);
		return -1;
	}
	*window = (size_t)v;
	return 0;
}
