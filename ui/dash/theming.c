/*
 * theming.c - which theme is in use. T walks the theme files by their place
 * in the list (theme_index), never by the name a theme gives itself, so a
 * theme named otherwise inside, or a broken one, neither sends T back to
 * the first nor hides the ones after it.
 */
#include "config.h"
#include "theming.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tty.h"
#include "xdg.h"

/* The user's theme folder into dir, or NULL when there is none. */
static const char *user_dir(char *dir, size_t cap)
{
	return xdg_config_path("themes", dir, cap) == 0 ? dir : NULL;
}

char **theming_names(void)
{
	char dir[PATH_MAX];

	return theme_names(user_dir(dir, sizeof(dir)));
}

void theming_use(struct dash *d, const char *name, bool quiet)
{
	char err[512], dir[PATH_MAX];
	size_t i;

	/* T goes on from this file's place in the list, whatever the theme
	 * calls itself inside and even when it fails to load */
	d->theme_index = (size_t)-1;
	for (i = 0; d->themes && d->themes[i]; i++)
		if (strcmp(d->themes[i], name) == 0)
			d->theme_index = i;
	if (!d->color) {
		theme_mono(&d->theme);
	} else if (theme_find(name, user_dir(dir, sizeof(dir)), &d->theme, err, sizeof(err)) < 0) {
		theme_default(&d->theme);
		say(d, true, "%s; using the default theme", err);
	} else if (!quiet) {
		say(d, false, "theme: %s", d->theme.name);
	}
	tty_theme(&d->theme);
	d->dirty = true;
}

void theming_next(struct dash *d)
{
	size_t next = d->theme_index + 1; /* (size_t)-1 + 1: the first */

	if (!d->color) {
		say(d, false, "colours are off (NO_COLOR or --no-color): mono only");
		return;
	}
	if (!d->themes || !d->themes[0])
		return;
	if (!d->themes[next])
		next = 0;
	theming_use(d, d->themes[next], false);
}
