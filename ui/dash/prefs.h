/*
 * prefs.h - what the dashboard keeps for the user: the saved target list
 * (s) and the theme (--theme, T).
 */
#ifndef SONAR_DASH_PREFS_H
#define SONAR_DASH_PREFS_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/*
 * The saved target list: $XDG_CONFIG_HOME/sonar/targets, or
 * ~/.config/sonar/targets. 0, or -1 when there is no such place.
 */
int prefs_saved_list(char *buf, size_t cap);
/* The themes' names ($SONAR_THEMES, the user's folder, the installed ones). */
char **prefs_theme_names(void);
/* s: save the target list (manual order) where -F said, or in ~/.config. */
void prefs_save_targets(struct dash *d);
/* Load theme name; on failure keep the default and say why (quiet: no "theme: X"). */
void prefs_use_theme(struct dash *d, const char *name, bool quiet);
/* T: the theme after the current one. */
void prefs_next_theme(struct dash *d);

#endif
