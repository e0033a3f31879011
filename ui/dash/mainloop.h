/*
 * mainloop.h - the dashboard's loop, and what it needs of the terminal: the
 * terminal's side comes as functions, so that the loop runs the same on
 * curses (dash.c passes tty.c's) and in a test that counts its frames.
 */
#ifndef SONAR_DASH_MAINLOOP_H
#define SONAR_DASH_MAINLOOP_H

#include <stdbool.h>

#include "state.h"

struct mainloop_term {
	int fd;                        /* the keyboard (STDIN_FILENO) */
	int (*key)(void);              /* the next key, K_NONE when none waits (tty_key) */
	bool (*resumed)(void);         /* back from a stop: owe a frame (tty_resume) */
	bool (*lost)(void);            /* fd readable with nothing to read: gone? (tty_lost) */
	void (*frame)(struct dash *d); /* draw a frame (frame_show) */
	int (*winch)(void);            /* readable after a resize, or -1 (tty_winch_fd) */
};

/*
 * Run until q, a stop signal (stop.h) or the terminal is lost. 0, or -1
 * when select() failed (errno).
 */
int mainloop_run(struct dash *d, const struct mainloop_term *t);

#endif
