/*
 * cells.h - text as terminal cells: how many columns a string takes, and
 * the string cut to a width without splitting a character. On a UTF-8
 * terminal a character takes its wcwidth() (wide glyphs two columns,
 * combining marks none); on an ASCII one (LANG=C) every character that is
 * not ASCII shows as one '?'. Control characters and bytes that are not
 * UTF-8 never reach the terminal: a '?' each. The screens draw through the
 * primitives here (text, right-aligned text, bars, history glyphs).
 */
#ifndef SONAR_DASH_CELLS_H
#define SONAR_DASH_CELLS_H

#include <stdbool.h>
#include <stddef.h>

#include "tty.h"

/* The columns s takes. */
int cells_width(const char *s, bool utf8);
/*
 * s as the terminal should get it, cut to at most n columns (and to what
 * fits in cap bytes): into out, NUL-terminated. Returns the columns used.
 */
int cells_fit(const char *s, int n, bool utf8, char *out, size_t cap);
/* Write s at (y, x) in a slot, cut to n columns; returns the columns written. */
int cells_text(const struct canvas *c, int y, int x, int n, const char *s, enum slot slot);
/* Write s right-aligned in the n columns from x. */
void cells_rtext(const struct canvas *c, int y, int x, int n, const char *s, enum slot slot);
/* Fill line y with spaces in a slot (a bar). */
void cells_bar(const struct canvas *c, int y, enum slot slot);
/*
 * The glyph of a history cell (an RTT in ms, CELL_LOST or CELL_ERROR) and
 * its slot: a block as tall as its latency band (UTF-8) or an ASCII mark.
 */
const char *cells_glyph(float cell, bool utf8, enum slot *slot);

#endif
