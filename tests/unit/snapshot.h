/*
 * snapshot.h - screen snapshots: the dashboard's views drawn on a canvas
 * of text (no terminal), compared with tests/unit/snapshots/NAME.txt.
 *
 * A snapshot is the screen's text (UTF-8, as a terminal shows it: a glyph a
 * cell, wide ones two), then the slot of every cell, one letter each, so
 * that a change of colour is seen in review as much as a change of text.
 * A mismatch fails and writes what was drawn to NAME.txt.new (in the
 * current directory); SONAR_UPDATE_SNAPSHOTS=1 rewrites the snapshots
 * instead, for a change meant to alter the screen (review the diff).
 */
#ifndef SONAR_TEST_SNAPSHOT_H
#define SONAR_TEST_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "view.h"

#define MAX_W 160
#define MAX_H 40
/* Room for a grid's text and slots. */
#define SNAP_TEXT_MAX (MAX_H * (MAX_W * 8 + MAX_W + 4) + 512)

/* A cell: one glyph (UTF-8, with any combining marks) and its slot. */
struct cell {
	char g[16]; /* "" for the right half of a wide glyph */
	int slot;   /* -1: never written */
};

/* A canvas of cells, as a terminal would show them. */
struct grid {
	int w, h;
	struct cell cell[MAX_H][MAX_W];
	int cursor_y, cursor_x;
};

/* Draw v on a w x h grid (utf8: the terminal takes UTF-8 glyphs); the
 * grid is static, overwritten by the next draw. */
struct grid *snapshot_draw(const struct view *v, int w, int h, bool utf8);
/* The grid's text, each line without its trailing spaces; its length. */
size_t snapshot_text(const struct grid *g, char *out, size_t cap);
/* The text, then the slot of every cell as a letter (' ' unwritten). */
void snapshot_render(const struct grid *g, char *out, size_t cap);
/* Draw v on a w x h canvas and compare it, text and slots, with NAME. */
void snapshot_as(const char *name, const struct view *v, int w, int h, bool utf8);
/* The same on an ASCII terminal (LANG=C). */
void snapshot(const char *name, const struct view *v, int w, int h);

#endif
