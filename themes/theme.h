/*
 * theme.h - themes: semantic slots times named themes (htop's ColorElements
 * x ColorSchemes). Drawing code asks for a slot (SLOT_LOST), never for a
 * colour; a theme file maps slots to colours and attributes. No curses here.
 */
#ifndef SONAR_THEME_H
#define SONAR_THEME_H

#include <stdbool.h>
#include <stddef.h>

enum slot {
	SLOT_TITLE,    /* the top line */
	SLOT_HEADER,   /* column headings */
	SLOT_ROW,      /* a target or hop */
	SLOT_SELECTED, /* the selected row */
	SLOT_STATUS,   /* the bottom line */
	SLOT_PROMPT,   /* the line editor */
	SLOT_MESSAGE,  /* a passing message */
	SLOT_ERROR,    /* an error on a row or the status line */
	SLOT_HELP,     /* the key help */
	SLOT_GOOD,     /* latency and loss: fine */
	SLOT_WARN,     /* worth a look */
	SLOT_BAD,      /* bad */
	SLOT_LOST,     /* a lost probe in a history strip */
	SLOT_HIST1,    /* history bands, fastest to slowest */
	SLOT_HIST2,
	SLOT_HIST3,
	SLOT_HIST4,
	SLOT_HIST5,
	SLOT_DIM,     /* secondary text: addresses, units */
	SLOT_SERIES1, /* a chart's lines, one slot a target or hop (series-1 ... series-8) */
	SLOT_SERIES2,
	SLOT_SERIES3,
	SLOT_SERIES4,
	SLOT_SERIES5,
	SLOT_SERIES6,
	SLOT_SERIES7,
	SLOT_SERIES8,
	SLOT_ALERT, /* a target in alert or down (--alert-*), and the event log's alerts */
	SLOT_COUNT,
};

/* Attributes, independent of curses (tty.c maps them). */
enum {
	ATTR_BOLD = 1 << 0,
	ATTR_DIM = 1 << 1,
	ATTR_UNDERLINE = 1 << 2,
	ATTR_REVERSE = 1 << 3,
	ATTR_BLINK = 1 << 4,
	ATTR_ITALIC = 1 << 5,
	ATTR_STANDOUT = 1 << 6,
};

#define COLOR_DEFAULT (-1) /* the terminal's own colour */

struct style {
	short fg;       /* COLOR_DEFAULT or 0-255 */
	short bg;       /* COLOR_DEFAULT or 0-255 */
	unsigned attrs; /* ATTR_* */
};

struct theme {
	char name[64];
	struct style slot[SLOT_COUNT];
};

/* The slot's name in theme files ("selected", "history-3" ...). */
const char *theme_slot_name(enum slot s);
/* The built-in default theme (used when no file can be read). */
void theme_default(struct theme *t);
/* Every slot without colours: the mono theme, also for NO_COLOR. */
void theme_mono(struct theme *t);
/*
 * Parse a theme from text (len bytes; file names it in errors). Slots the
 * text does not set keep the default theme's style. 0, or -1 with
 * "FILE:LINE: why" in err.
 */
int theme_parse(const char *text, size_t len, const char *file, struct theme *t, char *err,
                size_t errcap);
/* Read and parse the theme file at path. 0, or -1 with the reason in err. */
int theme_load(const char *path, struct theme *t, char *err, size_t errcap);
/*
 * Find theme `name` in the theme directories ($SONAR_THEMES, then user_dir
 * (the caller's: NULL for none), then the installed ones) and load it. 0,
 * or -1 with the reason in err.
 */
int theme_find(const char *name, const char *user_dir, struct theme *t, char *err, size_t errcap);
/*
 * The names of all themes found in the same directories, sorted, "default"
 * first; NULL-terminated, malloc'd (free with theme_names_free). NULL when
 * out of memory.
 */
char **theme_names(const char *user_dir);
/* Free what theme_names() returned. */
void theme_names_free(char **names);

#endif
