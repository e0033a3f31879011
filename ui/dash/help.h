/*
 * help.h - the ? screen: every key of the key table (the view's help
 * lines, made by keys_help()), then what a history cell means, drawn with
 * the strips' own glyphs and latency bands. Taller than the screen, it
 * scrolls.
 */
#ifndef SONAR_DASH_HELP_H
#define SONAR_DASH_HELP_H

#include <stddef.h>

#include "view.h"

/* How far the help scrolls on canvas c (0: it fits). */
size_t help_scroll_max(const struct view *v, const struct canvas *c);
/* Draw the help on the main view's canvas (the title above, the bottom line below). */
void help_draw(const struct view *v, const struct canvas *c);

#endif
