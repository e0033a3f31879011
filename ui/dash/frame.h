/*
 * frame.h - one frame: the dashboard's state as a struct view, drawn on the
 * terminal's canvas.
 */
#ifndef SONAR_DASH_FRAME_H
#define SONAR_DASH_FRAME_H

#include "state.h"
#include "tty.h"

/* Draw one frame on canvas c (a frame is no longer owed). */
void frame_draw(struct dash *d, const struct canvas *c);
/* Draw one frame on the terminal. */
void frame_show(struct dash *d);

#endif
