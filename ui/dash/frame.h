/*
 * frame.h - one frame: the dashboard's state as a struct view, drawn on the
 * terminal's canvas.
 */
#ifndef SONAR_DASH_FRAME_H
#define SONAR_DASH_FRAME_H

#include "state.h"
#include "tty.h"

/* Draw one frame on the terminal (c gets its canvas). */
void frame_draw(struct dash *d, struct canvas *c);

#endif
