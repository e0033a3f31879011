/*
 * tty.c - curses (ncursesw): colours from the theme's slots, frames, keys,
 * and putting the terminal back on every way out (quit, Ctrl-C, crashes).
 *
 * Invariant: colour pair slot + 1 holds the slot's colours; attrs[slot] its
 * attributes, already mapped for this terminal's number of colours.
 */
#include "config.h"
#include "tty.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bracketed paste on and off (xterm; terminals without it ignore them). */
#define PASTE_ON  "\033[?2004h"
#define PASTE_OFF "\033[?2004l"

static bool open_;
static bool colors_on;
static attr_t attrs[SLOT_COUNT];

/* Fatal signals: give the terminal back, then die as the signal says. */
static void on_fatal(int sig)
{
	tty_close();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A 256-colour index as one of the terminal's `colors` (8 or 16 basic). */
static short fit_color(short c, int colors, bool *bold)
{
	*bold = false;
	if (c < 0 || c < colors)
		return c;
	if (c < 16) { /* bright on an 8-colour terminal: basic + bold */
		*bold = true;
		return (short)(c - 8);
	}
	if (c < 232) { /* the 6x6x6 cube: the nearest basic colour */
		int v = c - 16, r = v / 36, g = v / 6 % 6, b = v % 6;

		*bold = r + g + b > 9;
		return (short)((r > 2 ? 1 : 0) | (g > 2 ? 2 : 0) | (b > 2 ? 4 : 0));
	}
	return c >= 244 ? 7 : 0; /* greys */
}

void tty_theme(const struct theme *t)
{
	int i;

	for (i = 0; i < SLOT_COUNT; i++) {
		const struct style *s = &t->slot[i];
		attr_t a = 0;
		bool bold_fg = false, bold_bg = false;

		if (s->attrs & ATTR_BOLD)
			a |= A_BOLD;
		if (s->attrs & ATTR_DIM)
			a |= A_DIM;
		if (s->attrs & ATTR_UNDERLINE)
			a |= A_UNDERLINE;
		if (s->attrs & ATTR_REVERSE)
			a |= A_REVERSE;
		if (s->attrs & ATTR_BLINK)
			a |= A_BLINK;
		if (s->attrs & ATTR_ITALIC)
			a |= A_ITALIC;
		if (s->attrs & ATTR_STANDOUT)
			a |= A_STANDOUT;
		if (colors_on) {
			short fg = fit_color(s->fg, COLORS, &bold_fg);
			short bg = fit_color(s->bg, COLORS, &bold_bg);

			init_pair((short)(i + 1), fg, bg);
			a |= COLOR_PAIR(i + 1);
			if (bold_fg)
				a |= A_BOLD;
		}
		attrs[i] = a;
	}
}

static volatile sig_atomic_t resumed;

/* SIGWINCH: ncurses' own handler notes the new size for its next getch(),
 * which the loop calls only when the keyboard is readable. A resize that
 * comes while the loop is not in select() would wait for the next key: a
 * byte in this pipe (in the loop's read set) says there is one to read. */
static int winch_pipe[2] = {-1, -1};
static struct sigaction winch_old;

static void on_winch(int sig)
{
	int saved = errno;

	if (winch_pipe[1] >= 0 && write(winch_pipe[1], "w", 1) < 0) {
		/* full: one byte waiting is enough */
	}
	if (winch_old.sa_handler != SIG_IGN && winch_old.sa_handler != SIG_DFL &&
	    winch_old.sa_handler)
		winch_old.sa_handler(sig);
	errno = saved;
}

int tty_winch_fd(void)
{
	return winch_pipe[0];
}

/* SIGCONT: the shell may have turned bracketed paste off while we were
 * stopped (bash does before `fg`); tty_resume() asks for it again. */
static void on_cont(int sig)
{
	(void)sig;
	resumed = 1;
}

bool tty_resume(void)
{
	if (!resumed || !open_)
		return false;
	resumed = 0;
	if (write(STDOUT_FILENO, PASTE_ON, sizeof(PASTE_ON) - 1) < 0) {
		/* no bracketed paste: pasted text is typed text */
	}
	return true;
}

bool tty_lost(void)
{
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

int tty_open(const struct theme *t, bool color)
{
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT};
	struct sigaction sa;
	size_t i;

	if (!initscr())
		return -1;
	open_ = true;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], on_fatal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25); /* Esc alone should feel instant */
	curs_set(0);
	colors_on = color && has_colors();
	if (colors_on) {
		start_color();
		use_default_colors(); /* keep the terminal's own background */
	}
	tty_theme(t);
	resumed = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, NULL);
	if (winch_pipe[0] < 0 && pipe2(winch_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		winch_pipe[0] = winch_pipe[1] = -1; /* resizes wait for a key */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, &winch_old);
	/* pasted text comes marked, so it is never taken for keys */
	if (write(STDOUT_FILENO, PASTE_ON, sizeof(PASTE_ON) - 1) < 0) {
		/* no bracketed paste: pasted text is typed text */
	}
	return 0;
}

void tty_close(void)
{
	if (!open_)
		return;
	open_ = false;
	if (write(STDOUT_FILENO, PASTE_OFF, sizeof(PASTE_OFF) - 1) < 0) {
		/* the terminal is going away */
	}
	curs_set(1);
	endwin();
}

/* A getch() code as a key (no ESC handling). */
static int key_of(int c)
{
	switch (c) {
	case ERR:
		return K_NONE;
	case KEY_UP:
		return K_UP;
	case KEY_DOWN:
		return K_DOWN;
	case KEY_LEFT:
		return K_LEFT;
	case KEY_RIGHT:
		return K_RIGHT;
	case KEY_PPAGE:
		return K_PGUP;
	case KEY_NPAGE:
		return K_PGDN;
	case KEY_HOME:
		return K_HOME;
	case KEY_END:
		return K_END;
	case KEY_ENTER:
	case '\n':
	case '\r':
		return K_ENTER;
	case 27:
		return K_ESC;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return K_BACKSPACE;
	case KEY_DC:
		return K_DELETE;
	case KEY_RESIZE:
		return K_RESIZE;
	default:
		return c >= 0 && c < 256 ? c : K_NONE;
	}
}

/* After ESC [: the rest of a paste marker (200~ or 201~), or give it back.
 * A marker may come in two reads: once it has begun (ESC [ 2 0), its last
 * bytes get up to half a second. */
static int paste_marker(void)
{
	int got[4], n = 0;

	timeout(50);
	while (n < 4 && (got[n] = getch()) != ERR) {
		n++;
		if (n == 2 && got[0] == '2' && got[1] == '0')
			timeout(500);
	}
	nodelay(stdscr, TRUE);
	if (n == 4 && got[0] == '2' && got[1] == '0' && (got[2] == '0' || got[2] == '1') &&
	    got[3] == '~')
		return got[2] == '0' ? K_PASTE_BEGIN : K_PASTE_END;
	while (n > 0) /* not a marker: put back what was read (ungetch is a stack) */
		ungetch(got[--n]);
	return K_ALT | '[';
}

int tty_key(void)
{
	int c = getch(), next;

	if (c != 27)
		return key_of(c);
	/* the rest of an Alt key or a marker comes with the ESC, or just
	 * after it: a few milliseconds, so a lone Esc still feels instant */
	timeout(10);
	next = getch();
	nodelay(stdscr, TRUE);
	if (next == ERR)
		return K_ESC;
	if (next == '[')
		return paste_marker();
	if (next == 27) {
		ungetch(next);
		return K_ESC;
	}
	next = key_of(next);
	return next == K_NONE ? K_ESC : K_ALT | next;
}

/* canvas put: a run of text in a slot's style, clipped to the screen. */
static void put(void *ctx, int y, int x, const char *text, int ncols, enum slot slot)
{
	(void)ctx;
	(void)ncols;
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	attrset(attrs[slot < SLOT_COUNT ? slot : SLOT_ROW]);
	mvaddnstr(y, x, text, -1);
}

/* canvas cursor: where the line editor's cursor stands. */
static void cursor(void *ctx, int y, int x)
{
	(void)ctx;
	if (y < 0) {
		curs_set(0);
		return;
	}
	curs_set(1);
	move(y, x);
}

void tty_begin(struct canvas *c)
{
	const char *codeset = nl_langinfo(CODESET);

	erase();
	c->w = COLS;
	c->h = LINES;
	c->utf8 = codeset && strcmp(codeset, "UTF-8") == 0;
	c->put = put;
	c->cursor = cursor;
	c->ctx = NULL;
}

void tty_end(void)
{
	attrset(A_NORMAL);
	refresh();
}

void tty_bell(void)
{
	beep();
}
