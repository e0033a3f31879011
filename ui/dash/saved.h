/*
 * saved.h - the saved target list: `s` writes the table's targets (to the
 * -F file, or to the saved list in the user's sonar folder); a dashboard
 * started with no targets and no -F reads the saved list back.
 */
#ifndef SONAR_DASH_SAVED_H
#define SONAR_DASH_SAVED_H

#include <stddef.h>

#include "state.h"
#include "targets.h"

/*
 * Where the saved list is: $XDG_CONFIG_HOME/sonar/targets, or
 * ~/.config/sonar/targets (xdg_config_path). 0, or -1 with errno ENOENT
 * (no such place) or ENAMETOOLONG.
 */
int saved_path(char *buf, size_t cap);
/*
 * Append the saved list to l. 1 when it was read (even an empty one: the
 * user saved it so), 0 when there is none, -1 with "FILE:LINE: why" (or
 * "FILE: why") in err when it cannot be read.
 */
int saved_load(struct target_list *l, char *err, size_t errcap);
/*
 * Write names (one per line, under a comment) to path atomically: a
 * temporary file in the same folder, synced, then renamed over path. A
 * symlink is followed (the file it names is replaced, the link stays, also
 * when it names a file not made yet); an existing file keeps its mode, a
 * new one gets the user's umask. 0, or -1 with the reason in err.
 */
int saved_write(const char *path, const char *const *names, size_t n, char *err, size_t errcap);
/* The comment a saved list starts with. */
#define SAVED_HEADER "# sonar targets, one per line"

/* The targets file's [groups] and its end (l's, read with layout) into m. 0, or -1. */
int saved_sections(struct model *m, const struct target_list *l);
/* Where the file had row r (x: targets_extra(), NULL none): its group,
 * the comments before it, what followed it. 0, or -1 out of memory. */
int saved_place(struct model *m, struct row *r, const struct target_extra *x);
/*
 * The lines s writes (malloc'd, each): the rows of no group, then each
 * group's line and its rows, in the manual order, each after the comments
 * that came before it in the file and with what followed it there; then
 * the file's last comments. 0, or -1 out of memory (*lines to free anyway).
 */
int saved_lines(const struct model *m, char ***lines, size_t *n);
/*
 * s: save the table's targets in the manual order, to the -F file or else
 * the saved list (its folders made, 0700, when missing); say where, or why
 * not, on the status line.
 */
void saved_save(struct dash *d);

#endif
