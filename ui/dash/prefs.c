/*
 * prefs.c - the saved target list and the themes.
 */
#include "config.h"
#include "prefs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "targets.h"
#include "tty.h"
#include "xdg.h"

int prefs_saved_list(char *buf, size_t cap)
{
	return xdg_config_path("targets", buf, cap);
}

char **prefs_theme_names(void)
{
	char dir[PATH_MAX];

	return theme_names(xdg_config_path("themes", dir, sizeof(dir)) == 0 ? dir : NULL);
}

/* Make the folders above path (mkdir -p of its dirname), 0700 when new. */
static void make_parents(const char *path)
{
	char dir[4096];
	char *p;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
}

/* Where `s` saves: the -F file, or the saved list. */
static int save_path(const struct dash *d, char *buf, size_t cap)
{
	if (d->file) {
		if (strlen(d->file) >= cap)
			return -1;
		snprintf(buf, cap, "%s", d->file);
		return 0;
	}
	if (prefs_saved_list(buf, cap) < 0)
		return -1;
	make_parents(buf);
	return 0;
}

void prefs_save_targets(struct dash *d)
{
	char path[4096], err[4400];
	const char **names = calloc(d->m.n ? d->m.n : 1, sizeof(*names));
	size_t i;

	if (save_path(d, path, sizeof(path)) < 0) {
		say(d, true,
		    d->file ? "cannot save: the -F path is too long"
		            : "cannot save: no -F file, no HOME nor XDG_CONFIG_HOME");
		free(names);
		return;
	}
	if (!names) {
		say(d, true, "out of memory");
		return;
	}
	for (i = 0; i < d->m.n; i++)
		names[i] = d->m.rows[i]->name;
	if (targets_save(path, names, d->m.n, err, sizeof(err)) < 0)
		say(d, true, "%s", err);
	else
		say(d, false, "saved %zu targets to %s", d->m.n, path);
	free(names);
}

void prefs_use_theme(struct dash *d, const char *name, bool quiet)
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
	} else if (theme_find(name, xdg_config_path("themes", dir, sizeof(dir)) == 0 ? dir : NULL,
	                      &d->theme, err, sizeof(err)) < 0) {
		theme_default(&d->theme);
		say(d, true, "%s; using the default theme", err);
	} else if (!quiet) {
		say(d, false, "theme: %s", d->theme.name);
	}
	tty_theme(&d->theme);
	d->dirty = true;
}

void prefs_next_theme(struct dash *d)
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
	prefs_use_theme(d, d->themes[next], false);
}
