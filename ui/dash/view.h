/*
 * view.h - the dashboard's screens as text on a canvas: the target table,
 * the path view, the key help, the status line and the line editor. Built
 * from the model; no curses here.
 */
#ifndef SONAR_VIEW_H
#define SONAR_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "capture.h"
#include "columns.h"
#include "eventlog.h"
#include "model.h"
#include "path.h"
#include "tty.h"

enum screen { SCREEN_TABLE, SCREEN_PATH, SCREEN_HELP, SCREEN_CHART };

/* Everything a frame shows. */
struct view {
	enum screen screen;
	const struct model *model;
	const size_t *order; /* display order of model rows */
	size_t shown;        /* entries of order shown (collapsed groups left out); 0: all */
	size_t selected;     /* position in order */
	size_t top;          /* first row shown (scrolling) */
	const struct path *path;
	double interval;
	bool paused;
	const char *theme;
	const char *prompt;  /* the line editor's label, NULL when closed */
	const char *input;   /* its text */
	size_t input_cursor; /* cursor position in input */
	const char *message; /* passing message, NULL none */
	bool message_is_error;
	int names; /* NAMES_ADDRESSES, NAMES_NAMES or NAMES_BOTH */
	bool mpls; /* the path view shows MPLS label stacks under their hops */
	/* the path view shows each responder's AS (z): as_of gives its tag, "" none */
	bool asn;
	const char *(*as_of)(void *ctx, const char *address, char *buf, size_t cap);
	const struct columns *columns; /* the figures shown, in order */
	size_t window;                 /* 0: since the start; else the last N outcomes */
	/* the chart (SCREEN_CHART): of the table's or the path view's */
	enum screen chart_from; /* SCREEN_TABLE or SCREEN_PATH */
	bool chart_all;         /* every target on the table's page / every hop */
	int chart_hop;          /* the path view's: the hop charted alone (TTL) */
	/* the capture pane */
	bool cap_shown;
	const struct cap_line *cap_ring; /* CAP_LINES, a ring */
	size_t cap_n;                    /* packets ever added to the ring */
	size_t cap_skipped;              /* captured before the pane opened, not shown */
	size_t cap_scroll;               /* lines scrolled back from the newest */
	bool cap_frozen;
	const char *cap_filter; /* only packets about this address, or NULL */
	const char *cap_error;  /* why there is no capture, or NULL */
	/* the event log pane (l): shown in the capture pane's place */
	bool log_shown;
	const struct eventlog *log;
	/* the keys: the ? screen's lines and the bottom line (from the key table) */
	const char *const *help;
	size_t help_n;
	size_t help_top; /* the help's first row shown (help.c stops it at the last page) */
	const char *keyline;
	const char *pane_keys; /* the capture pane's header hint (key table) */
	/* the reverse name of an address, or NULL (failed: the lookup failed) */
	const char *(*name_of)(void *ctx, const char *address, bool *failed);
	void *name_ctx;
};

enum { NAMES_ADDRESSES, NAMES_NAMES, NAMES_BOTH };

#define CAP_LINES 2000 /* packets the capture pane keeps */

/* Smallest usable terminal. */
#define VIEW_MIN_W 50
#define VIEW_MIN_H 6

/*
 * How many rows each part of the screen gets: the one place that decides
 * it, for drawing, scrolling and paging alike.
 */
struct view_layout {
	int main_h; /* the title to the last row of the table or path view */
	int rows;   /* rows of targets (or hops) that the main view shows */
	int cap_y0; /* the capture pane's header row; cap_y0 == cap_y1: no pane */
	int cap_y1; /* the row after the pane (the bottom line) */
};

/* The layout of canvas c, with or without the capture pane. */
void view_layout(const struct canvas *c, bool cap_shown, struct view_layout *l);
/* Draw a frame. */
void view_draw(const struct view *v, const struct canvas *c);

#endif
