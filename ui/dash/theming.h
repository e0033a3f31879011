/*
 * theming.h - the theme the dashboard wears: --theme at start, T for the
 * next one, mono when colours are off (NO_COLOR, --no-color). Themes are
 * looked for in $SONAR_THEMES, the user's sonar folder (themes/) and the
 * installed ones.
 */
#ifndef SONAR_DASH_THEMING_H
#define SONAR_DASH_THEMING_H

#include <stdbool.h>

#include "state.h"

/* The themes' names, for T to walk (theme_names()). */
char **theming_names(void);
/* Load theme name; on failure keep the default and say why (quiet: no "theme: X"). */
void theming_use(struct dash *d, const char *name, bool quiet);
/* T: the theme after the current one. */
void theming_next(struct dash *d);

#endif
