/*
 * keys.h - the key table: every key of the dashboard, once, with the
 * screens where it works, what it does and how it is described. The key
 * handling, the ? help screen and the bottom key line are all made from
 * it, so they cannot drift apart (tmux's cmd_entry, htop's FunctionBar).
 */
#ifndef SONAR_DASH_KEYS_H
#define SONAR_DASH_KEYS_H

#include <stddef.h>

#include "state.h"

/* Where a key works (a bit set). */
enum {
	ON_TABLE = 1,  /* the target table */
	ON_PATH = 2,   /* the path view */
	ON_PANE = 4,   /* while the capture pane is open (before the others) */
	ON_HELP = 8,   /* the ? screen */
	ON_CHART = 16, /* the chart (g) */
};

/* In an entry's keys: any key that no other entry of its screen takes. */
#define K_OTHER (-2)

struct key_entry {
	int keys[3];                          /* the keys (0 ends the list early) */
	unsigned on;                          /* ON_* */
	void (*run)(struct dash *d, int key); /* what it does with the key; or NULL and */
	void (*act)(struct dash *d);          /* what it does (its owner's function) */
	const char *name;                     /* the keys as the help shows them */
	const char *help;                     /* the help line; NULL: told by the one before */
	const char *brief;                    /* the key line's word, or NULL */
};

extern const struct key_entry key_table[];
extern const size_t key_count;

/* Take one key (from tty_key()) in the dashboard's current state. */
void keys_handle(struct dash *d, int key);
/* The ? screen's lines: "  NAME  help"; n gets their number. Static storage. */
const char *const *keys_help(size_t *n);
/* The bottom key line of a screen (ON_*, or several): the briefs, in the
 * table's order, into line (cap bytes); returns line. */
const char *keys_line(unsigned on, char *line, size_t cap);

#endif
