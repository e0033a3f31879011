/*
 * tty.h - the terminal: the one module that talks to curses. The rest of the
 * program draws on a canvas of semantic slots and reads neutral keys.
 */
#ifndef SONAR_TTY_H
#define SONAR_TTY_H

#include <stdbool.h>

#include "theme.h"

/* Keys beyond plain characters (which come as their byte value). */
enum {
	K_NONE = -1,
	K_UP = 0x10000,
	K_DOWN,
	K_LEFT,
	K_RIGHT,
	K_PGUP,
	K_PGDN,
	K_HOME,
	K_END,
	K_ENTER,
	K_ESC,
	K_BACKSPACE,
	K_DELETE,
	K_RESIZE,
	K_PASTE_BEGIN, /* bracketed paste: what follows was pasted, not typed */
	K_PASTE_END,
};

/* Alt (Meta) with a key: ESC then the key, as terminals send it. */
#define K_ALT 0x100000

/* Where views draw: w x h cells; put() writes a run of ncols cells. */
struct canvas {
	int w;
	int h;
	bool utf8; /* the terminal takes UTF-8 glyphs */
	void (*put)(void *ctx, int y, int x, const char *text, int ncols, enum slot slot);
	void (*cursor)(void *ctx, int y, int x); /* show the cursor there; y < 0 hides */
	void *ctx;
};

/*
 * Take the terminal over with theme t (mono when colours are off or the
 * terminal has none). 0, or -1 when there is no usable terminal.
 */
int tty_open(const struct theme *t, bool color);
/* Give the terminal back as it was (idempotent; safe from signals too). */
void tty_close(void);
/* Switch to theme t. */
void tty_theme(const struct theme *t);
/*
 * The next key, or K_NONE when none is waiting. ESC followed at once by a
 * key is K_ALT | key (tmux's tty-keys); ESC [ 200 ~ and ESC [ 201 ~ are
 * K_PASTE_BEGIN and K_PASTE_END (bracketed paste, asked for by tty_open).
 */
int tty_key(void);
/* Has the terminal gone away (a hang-up with no SIGHUP: stdin says
 * readable and gives nothing)? */
bool tty_lost(void);
/* A descriptor readable after a resize (SIGWINCH), -1 when none: the
 * reader drains it and reads the keys (ncurses gives KEY_RESIZE). */
int tty_winch_fd(void);
/* After a stop and SIGCONT: ask for bracketed paste again; true then. */
bool tty_resume(void);
/* Start a frame: clear and hand out the canvas (UTF-8 when LC_CTYPE's is). */
void tty_begin(struct canvas *c);
/* Show the frame. */
void tty_end(void);
/* Ring the terminal's bell (--bell). */
void tty_bell(void);

#endif
