/*
 * chart.h - RTT over time as a chart on a canvas: pure drawing, no state.
 *
 * Each series is a row's outcomes (its history cells, the table's strip),
 * newest at the right edge, one probe a dot column: Braille cells (2x4
 * dots, U+2800-U+28FF) on a UTF-8 terminal, one probe a cell in ASCII
 * (a mark per series: * + o # @ % & =). Consecutive replies are joined
 * by a vertical run, a loss breaks the line and is marked on the time
 * axis (x). The y axis spans the RTTs shown (auto-scaled, labelled in us
 * or ms), the x axis is time before now (the probe interval apart); a
 * legend names each series in its slot, series-1 ... series-8 (then again).
 *
 *   rows y0:         the legend
 *        y0+1..y1-3: the plot, its y labels at the left
 *        y1-2:       the time axis, losses marked on it
 *        y1-1:       time labels
 */
#ifndef SONAR_DASH_CHART_H
#define SONAR_DASH_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "tty.h"

#define CHART_MIN_H   6  /* rows: legend, 3 of plot, axis, labels */
#define CHART_LABEL_W 10 /* the y labels and the axis line */

/* One line of a chart. */
struct chart_series {
	const struct row *r; /* its outcomes */
	const char *name;    /* for the legend */
};

struct chart {
	const struct chart_series *series;
	size_t n;
	double interval; /* seconds between a series' probes: the time axis */
};

/* Draw ch on c in rows y0 to y1 - 1. */
void chart_draw(const struct chart *ch, const struct canvas *c, int y0, int y1);

#endif
