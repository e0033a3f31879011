/*
 * pane.h - the capture pane (c): the packets on the wire, newest at the
 * bottom, filtered to the selected target (f), frozen (Space), scrolled
 * back ([ and ]). The capture itself was opened at the start, while
 * privileges allowed; its failure then is what the pane says.
 */
#ifndef SONAR_DASH_PANE_H
#define SONAR_DASH_PANE_H

#include <sys/select.h>

#include "state.h"

/* c: show or hide the pane. */
void pane_toggle(struct dash *d);
/* f: only the packets about the selected target (or the path's), or all. */
void pane_filter(struct dash *d);
/* Space: freeze or thaw. */
void pane_freeze(struct dash *d);
/* [ and ]: one line back in time, one forward. */
void pane_back(struct dash *d);
void pane_forward(struct dash *d);
/* Watch the capture's descriptor when the pane is open. */
void pane_fds(struct dash *d, fd_set *rd, int *maxfd);
/* Read what the capture has for the pane; an error closes it and is shown. */
void pane_process(struct dash *d, fd_set *rd);

#endif
