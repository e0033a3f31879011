/*
 * xdg.c - the user's configuration folder.
 */
#include "config.h"
#include "xdg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int xdg_config_path(const char *name, char *buf, size_t cap)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (cap > 0)
		buf[0] = '\0';
	/* the XDG base directory spec: a relative XDG_CONFIG_HOME is ignored */
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, cap, "%s/sonar/%s", xdg, name);
	else if (home && *home)
		n = snprintf(buf, cap, "%s/.config/sonar/%s", home, name);
	else {
		errno = ENOENT;
		return -1;
	}
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			buf[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}
