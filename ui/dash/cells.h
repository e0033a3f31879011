/*
 * cells.h - text as terminal cells: how many columns a string takes, and
 * the string cut to a width without splitting a character. On a UTF-8
 * terminal a character takes its wcwidth() (wide glyphs two columns,
 * combining marks none); on an ASCII one (LANG=C) every character that is
 * not ASCII shows as one '?'. Control characters and bytes that are not
 * UTF-8 never reach the terminal: a '?' each.
 */
#ifndef SONAR_DASH_CELLS_H
#define SONAR_DASH_CELLS_H

#include <stdbool.h>
#include <stddef.h>

/* The columns s takes. */
int cells_width(const char *s, bool utf8);
/*
 * s as the terminal should get it, cut to at most n columns (and to what
 * fits in cap bytes): into out, NUL-terminated. Returns the columns used.
 */
int cells_fit(const char *s, int n, bool utf8, char *out, size_t cap);

#endif
