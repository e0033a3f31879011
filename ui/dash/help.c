/*
 * help.c - the ? screen. Its rows: a blank, the keys (one a row, or two
 * side by side on a terminal 130 columns wide), a blank, and the history's
 * legend (two rows). Row 1 of the screen is the heading; rows 2 to the
 * one above the bottom line show the rows from v->help_top on.
 */
#include "config.h"
#include "help.h"

#include <stdio.h>

#include "cells.h"
#include "format.h"
#include "model.h"

#define FIRST_Y     2 /* the screen row of the first help row */
#define LEGEND_ROWS 2

/* Keys side by side? */
static bool two_columns(const struct canvas *c)
{
	return c->w >= 130;
}

/* The rows of keys. */
static size_t key_rows(const struct view *v, const struct canvas *c)
{
	return two_columns(c) ? (v->help_n + 1) / 2 : v->help_n;
}

/* All the help's rows. */
static size_t help_rows(const struct view *v, const struct canvas *c)
{
	return 1 + key_rows(v, c) + 1 + LEGEND_ROWS;
}

/* The rows shown at once on the main view's canvas (h: its height). */
static size_t shown_rows(int h)
{
	return h - 1 > FIRST_Y ? (size_t)(h - 1 - FIRST_Y) : 0;
}

size_t help_scroll_max(const struct view *v, const struct canvas *c)
{
	struct view_layout l;
	size_t rows = help_rows(v, c), shown;

	view_layout(c, v->cap_shown || v->log_shown, &l);
	shown = shown_rows(l.main_h);
	return rows > shown ? rows - shown : 0;
}

/*
 * The legend's second row: each latency band's glyph and its limit, then
 * the lost and error cells, every glyph in its own slot, as the strips
 * draw them.
 */
static void legend(const struct canvas *c, int y)
{
	char label[48], top[32];
	enum slot slot;
	const char *g;
	int x = 2, band;

	for (band = 1; band <= LATENCY_BANDS; band++) {
		double limit = latency_band_top(band);
		/* an RTT of the band: its limit, or past the last limit */
		float sample = (float)(limit >= 0 ? limit : latency_band_top(band - 1) * 2);

		g = cells_glyph(sample, c->utf8, &slot);
		x += cells_text(c, y, x, c->w - x, g, slot);
		if (limit >= 0)
			snprintf(label, sizeof(label), " %s%s ms  ",
			         c->utf8 ? "\u2264" : "<=", fmt_seconds(top, sizeof(top), limit));
		else
			snprintf(label, sizeof(label), " slower  ");
		x += cells_text(c, y, x, c->w - x, label, SLOT_HELP);
	}
	g = cells_glyph(CELL_LOST, c->utf8, &slot);
	x += cells_text(c, y, x, c->w - x, g, slot);
	x += cells_text(c, y, x, c->w - x, " lost  ", SLOT_HELP);
	g = cells_glyph(CELL_ERROR, c->utf8, &slot);
	x += cells_text(c, y, x, c->w - x, g, slot);
	cells_text(c, y, x, c->w - x, " ICMP error", SLOT_HELP);
}

/* Help row `row` at screen row y. */
static void help_row(const struct view *v, const struct canvas *c, size_t row, int y)
{
	size_t keys = key_rows(v, c);

	if (row == 0 || row == keys + 1)
		return; /* the blanks */
	if (row <= keys) {
		size_t i = row - 1;

		if (!two_columns(c)) {
			cells_text(c, y, 2, c->w - 2, v->help[i], SLOT_HELP);
			return;
		}
		cells_text(c, y, 2, c->w / 2 - 3, v->help[i], SLOT_HELP);
		if (i + keys < v->help_n)
			cells_text(c, y, c->w / 2, c->w - c->w / 2, v->help[i + keys], SLOT_HELP);
		return;
	}
	if (row == keys + 2)
		cells_text(c, y, 2, c->w - 2,
		           "History: a cell a probe, the newest at the right:", SLOT_HELP);
	else
		legend(c, y);
}

void help_draw(const struct view *v, const struct canvas *c)
{
	size_t rows = help_rows(v, c), shown = shown_rows(c->h), top = v->help_top, i;
	char head[96];

	if (top + shown > rows)
		top = rows > shown ? rows - shown : 0;
	if (shown < rows)
		snprintf(head, sizeof(head), "Keys  (rows %zu-%zu of %zu)", top + 1,
		         top + shown < rows ? top + shown : rows, rows);
	else
		snprintf(head, sizeof(head), "Keys");
	cells_text(c, 1, 2, c->w - 2, head, SLOT_HEADER);
	for (i = 0; i < shown && top + i < rows; i++)
		help_row(v, c, top + i, FIRST_Y + (int)i);
}
