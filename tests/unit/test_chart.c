/*
 * test_chart.c - the chart screen (chart.c, plot.c) on a canvas of text:
 * a known series (10 ms, a loss, then 50 ms) gives a known picture, in
 * Braille and in ASCII, snapshotted (snapshot.h) and its shape checked.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chart.h"
#include "model.h"
#include "path.h"
#include "rows.h"
#include "snapshot.h"
#include "view.h"

/* A row for name with n outcomes: 10 ms, lost at 'lost', 50 ms from step. */
static struct row *step_row(struct model *m, const char *name, int n, int step, int lost,
                            double low, double high)
{
	struct row *r = model_add(m, name);
	int i;

	assert_non_null(r);
	snprintf(r->address, sizeof(r->address), "%s", name);
	r->state = ROW_ACTIVE;
	for (i = 0; i < n; i++) {
		row_sent(r);
		if (i == lost)
			row_lost(r);
		else
			row_reply(r, i < step ? low : high, 64);
	}
	return r;
}

/* The chart screen of the table's model, the selected row alone or all. */
static void chart_view(struct view *v, const struct model *m, size_t *order, bool all)
{
	memset(v, 0, sizeof(*v));
	model_order(m, order);
	v->screen = SCREEN_CHART;
	v->chart_from = SCREEN_TABLE;
	v->chart_all = all;
	v->model = m;
	v->order = order;
	v->selected = 0;
	v->interval = 1;
	v->theme = "default";
	v->keyline = "g one/all  Esc back  q quit";
}

/* The grid row (from the top) where column x has a mark of the plot
 * (anything but a space), searching rows y0 to y1 - 1; -1 none. */
static int mark_row(const struct grid *g, int x, int y0, int y1)
{
	int y;

	for (y = y0; y < y1; y++)
		if (g->cell[y][x].g[0] && strcmp(g->cell[y][x].g, " ") != 0)
			return y;
	return -1;
}

/* A step from 10 ms to 50 ms with a loss before it, 60 probes, on 80x24:
 * ASCII (one probe a column) and Braille (two). */
static void test_step(void **state)
{
	struct model m;
	size_t order[1];
	struct view v;
	struct grid *g;
	int x, plot_x0 = CHART_LABEL_W, top = 2, bottom = 24 - 4;

	(void)state;
	memset(&m, 0, sizeof(m));
	step_row(&m, "step.example", 60, 30, 25, 10, 50);
	chart_view(&v, &m, order, false);
	snapshot("chart_step_80x24", &v, 80, 24);
	snapshot_as("chart_step_80x24_utf8", &v, 80, 24, true);

	/* ASCII: 70 columns of plot, the newest probe at the right: the last
	 * 30 on the top row (50 ms), the 29 before them on the bottom one
	 * (10 ms) but the lost one, marked on the axis instead */
	g = snapshot_draw(&v, 80, 24, false);
	assert_string_equal(g->cell[1][1].g, "*"); /* the legend */
	for (x = 80 - 30; x < 80; x++) {
		assert_int_equal(mark_row(g, x, top, bottom + 1), top);
		assert_string_equal(g->cell[top][x].g, "*");
	}
	for (x = 80 - 60; x < 80 - 30; x++) {
		if (x == 80 - 60 + 25) {
			assert_int_equal(mark_row(g, x, top, bottom + 1), -1);
			assert_string_equal(g->cell[bottom + 1][x].g, "x");
			continue;
		}
		assert_int_equal(mark_row(g, x, top, bottom + 1), bottom);
	}
	/* nothing older than the first probe */
	for (x = plot_x0; x < 80 - 60; x++)
		assert_int_equal(mark_row(g, x, top, bottom + 1), -1);
	/* the step's rise: a vertical run in the first 50 ms column */
	for (x = top + 1; x < bottom; x++)
		assert_string_equal(g->cell[x][80 - 30].g, "|");
	/* the y labels: 50 ms at the top, 10 ms at the bottom */
	assert_string_equal(g->cell[top][6].g, "m");
	model_free(&m);
}

/* The interval changed 20 probes ago (1 s before, 0.5 s since): the time
 * labels are the current interval's only as far back as it held; older
 * ticks say no time (they would lie), and the axis marks where it changed. */
static void test_interval_change(void **state)
{
	struct model m;
	size_t order[1];
	struct view v;
	struct grid *g;
	struct row *r;
	int x, axis = 24 - 3, labels = 24 - 2;
	char line[81];

	(void)state;
	memset(&m, 0, sizeof(m));
	r = step_row(&m, "slower.example", 40, 100, -1, 10, 10);
	model_mark_interval(&m);
	for (x = 0; x < 20; x++) {
		row_sent(r);
		row_reply(r, 20, 64);
	}
	chart_view(&v, &m, order, false);
	v.interval = 0.5;
	snapshot("chart_interval_80x24", &v, 80, 24);
	g = snapshot_draw(&v, 80, 24, false);
	for (x = 0; x < 80; x++)
		line[x] = g->cell[labels][x].g[0] ? g->cell[labels][x].g[0] : ' ';
	line[80] = '\0';
	/* ticks 0 and 12 probes back: now, 6 s; 24 and more: before the change */
	assert_non_null(strstr(line, "now"));
	assert_non_null(strstr(line, "-6s"));
	assert_null(strstr(line, "-12s"));
	assert_null(strstr(line, "-18s"));
	/* the mark: the first column older than the change, on the axis */
	assert_string_equal(g->cell[axis][79 - 20].g, ":");
	assert_non_null(strstr(line, "interval changed"));
	model_free(&m);
}

/* + and - (rows_set_interval) mark the table's rows and the path's hops
 * where the interval changed; the chart reads the marks. */
static void test_interval_marks(void **state)
{
	struct dash *d = calloc(1, sizeof(*d));
	struct row *r;

	(void)state;
	assert_non_null(d);
	d->path = calloc(1, sizeof(*d->path));
	assert_non_null(d->path);
	r = step_row(&d->m, "a.example", 7, 100, -1, 10, 10);
	d->path->hops[2].r.hist_n = 5;
	rows_set_interval(d, 0.5);
	assert_int_equal(r->interval_mark, 7);
	assert_int_equal(d->path->hops[2].r.interval_mark, 5);
	row_reset(r); /* a reset starts afresh: no older cells */
	assert_int_equal(r->interval_mark, 0);
	model_free(&d->m);
	free(d->path);
	free(d);
}

/* Two targets overlaid, each in its own slot; and the sub-millisecond
 * labels (µs). */
static void test_overlay(void **state)
{
	struct model m;
	size_t order[3];
	struct view v;

	(void)state;
	memset(&m, 0, sizeof(m));
	step_row(&m, "a.example", 90, 45, -1, 0.2, 0.6);
	step_row(&m, "b.example", 90, 60, 70, 0.9, 0.3);
	step_row(&m, "c.example", 20, 99, 3, 0.4, 0.4);
	chart_view(&v, &m, order, true);
	snapshot("chart_overlay_100x20", &v, 100, 20);
	snapshot_as("chart_overlay_100x20_utf8", &v, 100, 20, true);
	/* a flat line, alone */
	v.chart_all = false;
	v.selected = 2;
	snapshot("chart_flat_60x12", &v, 60, 12);
	model_free(&m);
}

/* A row with no replies: losses on the axis, and says so; and too small. */
static void test_no_replies(void **state)
{
	struct model m;
	size_t order[1];
	struct view v;
	struct row *r;
	int i;

	(void)state;
	memset(&m, 0, sizeof(m));
	r = model_add(&m, "down.example");
	for (i = 0; i < 5; i++)
		row_lost(r);
	chart_view(&v, &m, order, false);
	snapshot("chart_lost_60x10", &v, 60, 10);
	snapshot("chart_small_60x7", &v, 60, 7);
	model_free(&m);
}

/* The path view's chart: one hop, then every hop that answered. */
static void test_path(void **state)
{
	static struct path p;
	struct model m;
	size_t order[1];
	struct view v;
	int ttl, i;

	(void)state;
	memset(&m, 0, sizeof(m));
	path_init(&p, "far.example", "192.0.2.9", 1);
	for (ttl = 1; ttl <= 3; ttl++) {
		struct hop *h = path_hop(&p, ttl);

		snprintf(h->resp[0].address, sizeof(h->resp[0].address), "192.0.2.%d", ttl);
		h->resp[0].count = 40;
		h->nresp = 1;
		for (i = 0; i < 40; i++) {
			row_sent(&h->r);
			row_reply(&h->r, 5.0 * ttl + (i % 4), 64);
		}
	}
	p.last_ttl = p.dest_ttl = 3;
	chart_view(&v, &m, order, false);
	v.chart_from = SCREEN_PATH;
	v.path = &p;
	v.chart_hop = 2;
	snapshot("chart_hop_80x16", &v, 80, 16);
	v.chart_all = true;
	snapshot_as("chart_hops_80x16_utf8", &v, 80, 16, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_step),           cmocka_unit_test(test_interval_change),
	    cmocka_unit_test(test_interval_marks), cmocka_unit_test(test_overlay),
	    cmocka_unit_test(test_no_replies),     cmocka_unit_test(test_path),
	};

	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		fprintf(stderr, "test_chart: no C.UTF-8 locale\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
