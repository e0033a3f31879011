/*
 * plot.h - the chart screen (g): which series the chart draws, from the
 * table (the selected target, or every target the table's page shows) or
 * from the path view (the chosen hop, or every hop that answered), and
 * where. chart.c draws them.
 */
#ifndef SONAR_DASH_PLOT_H
#define SONAR_DASH_PLOT_H

#include "tty.h"
#include "view.h"

/* Draw the chart screen of v below the title on c. */
void plot_draw(const struct view *v, const struct canvas *c);
/* The TTLs the path view's chart can show: first to last (last 0: none). */
void plot_hops(const struct path *p, int *first, int *last);

#endif
