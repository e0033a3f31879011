/*
 * xdg.h - where the user's sonar configuration lives (the XDG base
 * directory spec): $XDG_CONFIG_HOME/sonar, or ~/.config/sonar. The one
 * place that decides it, for the saved target list and the themes alike.
 */
#ifndef SONAR_XDG_H
#define SONAR_XDG_H

#include <stddef.h>

/*
 * The path of name ("targets", "themes") in the user's sonar folder:
 * $XDG_CONFIG_HOME/sonar/NAME when XDG_CONFIG_HOME is absolute (the spec
 * ignores a relative one), else $HOME/.config/sonar/NAME. 0; or -1 with buf
 * empty and errno ENOENT (neither is set) or ENAMETOOLONG (the path does
 * not fit in cap: never a cut path, which would name another file).
 */
int xdg_config_path(const char *name, char *buf, size_t cap);

#endif
