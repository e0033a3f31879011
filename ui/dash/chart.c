/*
 * chart.c - RTT over time on a canvas, in Braille or ASCII.
 *
 * The plot is drawn into a grid of cells first (the dots of each, and the
 * series that drew last in it: its slot), then put on the canvas a cell at
 * a time. Everything is recomputed per frame: a frame is at most the
 * plot's dot columns times the series.
 */
#include "config.h"
#include "chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "fixed.h"
#include "format.h"

#define SERIES_SLOTS 8
#define TICK_EVERY   12 /* cells between time labels */

static const char marks[SERIES_SLOTS + 1] = "*+o#@%&=";

/* A dot's bit in a Braille cell: column dx (0, 1), row dy (0 top - 3). */
static uint8_t braille_bit(int dx, int dy)
{
	static const uint8_t bits[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};

	return bits[dx][dy];
}

/* The Braille cell of these dots, as UTF-8 (U+2800 + dots). */
static void braille(uint8_t dots, char out[4])
{
	out[0] = (char)0xe2;
	out[1] = (char)(0xa0 | (dots >> 6));
	out[2] = (char)(0x80 | (dots & 0x3f));
	out[3] = '\0';
}

/* The i-th newest outcome of r (ms, CELL_LOST, CELL_ERROR: its history
 * cell); false past its start. */
static bool outcome(const struct row *r, size_t i, float *v)
{
	return row_cell(r, i, v);
}

/* An RTT for an axis label: "850 us" (µs on UTF-8), "12.5 ms", "250 ms". */
static void rtt_label(double ms, bool utf8, char *buf, size_t cap)
{
	char n[32];

	if (ms < 1.0)
		snprintf(buf, cap, "%s %s", fmt_fixed(n, sizeof(n), ms * 1000.0, 0),
		         utf8 ? "\u00b5s" : "us");
	else
		snprintf(buf, cap, "%s ms",
		         fmt_fixed(n, sizeof(n), ms,
		                   ms < 10    ? 2
		                   : ms < 100 ? 1
		                              : 0));
}

/* A time before now for the axis: "-12s", "-1.5s", "-15m". */
static void ago_label(double s, char *buf, size_t cap)
{
	char n[32];

	if (s >= 600)
		snprintf(buf, cap, "-%sm", fmt_fixed(n, sizeof(n), s / 60.0, 0));
	else
		snprintf(buf, cap, "-%ss", fmt_seconds(n, sizeof(n), round(s * 10.0) / 10.0));
}

/* The legend: each series' mark and name in its slot, as many as fit. */
static void legend(const struct chart *ch, const struct canvas *c, int y)
{
	size_t i;
	int x = 1;

	for (i = 0; i < ch->n; i++) {
		char item[TARGET_MAX + 16];
		enum slot slot = (enum slot)(SLOT_SERIES1 + (int)(i % SERIES_SLOTS));
		int w;

		snprintf(item, sizeof(item), "%s %s",
		         c->utf8 ? "\u28ff" : (char[2]){marks[i % 8], 0}, ch->series[i].name);
		w = cells_width(item, c->utf8);
		if (x + w + 2 > c->w && i + 1 < ch->n) {
			char more[32];

			snprintf(more, sizeof(more), "+%zu more", ch->n - i);
			cells_text(c, y, x, c->w - x, more, SLOT_DIM);
			return;
		}
		x += cells_text(c, y, x, c->w - x, item, slot) + 2;
	}
}

/* The span of the RTTs shown (npts newest of each series); false: none. */
static bool span(const struct chart *ch, size_t npts, double *lo, double *hi)
{
	size_t s, i;
	bool any = false;

	for (s = 0; s < ch->n; s++) {
		float v;

		for (i = 0; i < npts && outcome(ch->series[s].r, i, &v); i++) {
			if (v < 0)
				continue;
			*lo = !any || v < *lo ? v : *lo;
			*hi = !any || v > *hi ? v : *hi;
			any = true;
		}
	}
	if (any && *hi - *lo < 1e-6) {
		/* a flat line sits in the middle */
		double pad = *lo * 0.1 > 0.001 ? *lo * 0.1 : 0.001;

		*lo = *lo - pad > 0 ? *lo - pad : 0;
		*hi += pad;
	}
	return any;
}

/* The plot's cells: dots (Braille) or a glyph (ASCII), and who drew last. */
struct plot {
	int w, h;      /* cells */
	int per_x;     /* dot columns a cell: 2 Braille, 1 ASCII */
	int per_y;     /* dot rows a cell: 4, 1 */
	uint8_t *dots; /* Braille dots, or the ASCII glyph */
	int16_t *who;  /* the series that drew last in the cell, -1 none */
	bool *lost;    /* per cell column: a loss under it */
};

/* Set dot (dot column X, dot row Y from the top) for series s. */
static void dot(struct plot *p, int X, int Y, size_t s, bool joint)
{
	int cx = X / p->per_x, cy = Y / p->per_y;
	size_t k = (size_t)cy * (size_t)p->w + (size_t)cx;

	if (cx < 0 || cx >= p->w || cy < 0 || cy >= p->h)
		return;
	if (p->per_x == 2)
		p->dots[k] |= braille_bit(X % 2, Y % 4);
	else if (!joint || p->who[k] != (int16_t)s || p->dots[k] == '|')
		p->dots[k] = (uint8_t)(joint ? '|' : marks[s % SERIES_SLOTS]);
	p->who[k] = (int16_t)s;
}

/* Plot series s: its points, joined by vertical runs. */
static void plot_series(struct plot *p, const struct row *r, size_t s, double lo, double hi)
{
	int npts = p->w * p->per_x, rows = p->h * p->per_y, i, prev = -1;

	/* oldest shown first, so that each point joins the one before it */
	for (i = npts - 1; i >= 0; i--) {
		float v;
		int X = npts - 1 - i, Y, y;

		if (!outcome(r, (size_t)i, &v))
			continue;
		if (v < 0) {
			p->lost[X / p->per_x] = true;
			prev = -1;
			continue;
		}
		Y = rows - 1 - (int)lround(((double)v - lo) / (hi - lo) * (rows - 1));
		/* the dots strictly between the last point and this one */
		if (prev >= 0)
			for (y = (prev < Y ? prev : Y) + 1; y < (prev < Y ? Y : prev); y++)
				dot(p, X, y, s, true);
		dot(p, X, Y, s, false);
		prev = Y;
	}
}

/* The y labels (top, middle, bottom) and the axis line beside the plot. */
static void y_axis(const struct canvas *c, int y0, int h, double lo, double hi)
{
	char buf[32];
	int y;

	for (y = 0; y < h; y++) {
		bool label = y == 0 || y == h - 1 || (h >= 5 && y == (h - 1) / 2);

		if (label) {
			double v = hi - (hi - lo) * y / (h > 1 ? h - 1 : 1);

			rtt_label(v, c->utf8, buf, sizeof(buf));
			cells_rtext(c, y0 + y, 0, CHART_LABEL_W - 2, buf, SLOT_DIM);
		}
		cells_text(c, y0 + y, CHART_LABEL_W - 1, 1,
		           label ? (c->utf8 ? "\u2524" : "-") : (c->utf8 ? "\u2502" : "|"),
		           SLOT_DIM);
	}
}

/*
 * The newest cells of every series probed at the current interval: the
 * time axis holds for them only (older ones were at another); SIZE_MAX
 * when the interval never changed under what is shown.
 */
static size_t steady_cells(const struct chart *ch)
{
	size_t s, steady = SIZE_MAX;

	for (s = 0; s < ch->n; s++) {
		const struct row *r = ch->series[s].r;

		if (r->interval_mark > 0 && r->hist_n - r->interval_mark < steady)
			steady = (size_t)(r->hist_n - r->interval_mark);
	}
	return steady;
}

/* The time axis (losses on it) and its labels, rows y and y + 1: times
 * only where the current interval held (steady cells back); where it
 * changed, a mark. */
static void x_axis(const struct canvas *c, const struct plot *p, int y, double interval,
                   size_t steady)
{
	int x, x0 = CHART_LABEL_W;
	/* the column of the newest cell probed at the interval before */
	long change = steady == SIZE_MAX ? -1 : (long)(steady / (size_t)p->per_x);

	cells_text(c, y, x0 - 1, 1, c->utf8 ? "\u2514" : "+", SLOT_DIM);
	for (x = 0; x < p->w; x++) {
		int from_right = p->w - 1 - x;
		bool tick = from_right % TICK_EVERY == 0;

		if (p->lost[x])
			cells_text(c, y, x0 + x, 1, c->utf8 ? "\u00d7" : "x", SLOT_LOST);
		else
			cells_text(c, y, x0 + x, 1,
			           tick ? (c->utf8 ? "\u252c" : "+") : (c->utf8 ? "\u2500" : "-"),
			           SLOT_DIM);
		if (tick && (from_right == 0 || (size_t)from_right * (size_t)p->per_x < steady)) {
			char buf[32];
			int w;

			if (from_right == 0)
				snprintf(buf, sizeof(buf), "now");
			else
				ago_label((double)from_right * p->per_x * interval, buf,
				          sizeof(buf));
			w = cells_width(buf, c->utf8);
			if (x0 + x - w + 1 >= 0 && (from_right == 0 || x - w + 1 > 0))
				cells_text(c, y + 1, x0 + x - w + 1, w, buf, SLOT_DIM);
		}
	}
	if (change > 0 && change < p->w) {
		static const char said[] = "interval changed";
		int at = x0 + p->w - 1 - (int)change, w = (int)sizeof(said) - 1;

		cells_text(c, y, at, 1, c->utf8 ? "\u250a" : ":", SLOT_WARN);
		if (at - w >= x0)
			cells_text(c, y + 1, at - w, w, said, SLOT_WARN);
	}
}

/* Put the plot's cells on the canvas from (y0, x0). */
static void put_plot(const struct canvas *c, const struct plot *p, int y0, int x0)
{
	int x, y;

	for (y = 0; y < p->h; y++) {
		for (x = 0; x < p->w; x++) {
			size_t k = (size_t)y * (size_t)p->w + (size_t)x;
			char g[4];
			enum slot slot;

			if (p->who[k] < 0)
				continue;
			slot = (enum slot)(SLOT_SERIES1 + p->who[k] % SERIES_SLOTS);
			if (p->per_x == 2) {
				braille(p->dots[k], g);
			} else {
				g[0] = (char)p->dots[k];
				g[1] = '\0';
			}
			c->put(c->ctx, y0 + y, x0 + x, g, 1, slot);
		}
	}
}

void chart_draw(const struct chart *ch, const struct canvas *c, int y0, int y1)
{
	struct plot p;
	double lo = 0, hi = 0;
	size_t s, cells;
	bool any;

	if (y1 - y0 < CHART_MIN_H || c->w < CHART_LABEL_W + 10) {
		cells_text(c, y0, 0, c->w, "no room for the chart", SLOT_ERROR);
		return;
	}
	legend(ch, c, y0);
	p.w = c->w - CHART_LABEL_W;
	p.h = y1 - y0 - 3;
	p.per_x = c->utf8 ? 2 : 1;
	p.per_y = c->utf8 ? 4 : 1;
	cells = (size_t)p.w * (size_t)p.h;
	p.dots = calloc(cells, 1);
	p.who = malloc(cells * sizeof(*p.who));
	p.lost = calloc((size_t)p.w, sizeof(*p.lost));
	if (!p.dots || !p.who || !p.lost) {
		cells_text(c, y0 + 1, 0, c->w, "out of memory for the chart", SLOT_ERROR);
		goto out;
	}
	for (s = 0; s < cells; s++)
		p.who[s] = -1;
	any = span(ch, (size_t)(p.w * p.per_x), &lo, &hi);
	for (s = 0; any && s < ch->n; s++)
		plot_series(&p, ch->series[s].r, s, lo, hi);
	for (s = 0; !any && s < ch->n; s++) /* losses only: still marked */
		plot_series(&p, ch->series[s].r, s, 0, 1);
	if (any)
		y_axis(c, y0 + 1, p.h, lo, hi);
	else
		cells_text(c, y0 + 1 + p.h / 2, CHART_LABEL_W + 2, p.w - 2, "no replies yet",
		           SLOT_DIM);
	put_plot(c, &p, y0 + 1, CHART_LABEL_W);
	x_axis(c, &p, y1 - 2, ch->interval, steady_cells(ch));
out:
	free(p.dots);
	free(p.who);
	free(p.lost);
}
