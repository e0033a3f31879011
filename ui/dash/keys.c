/*
 * keys.c - what each key does, and the table that binds them.
 */
#include "config.h"
#include "keys.h"

#include <stdio.h>
#include <string.h>

#include "format.h"
#include "pane.h"
#include "prompt.h"
#include "rows.h"
#include "saved.h"
#include "theming.h"
#include "tracer.h"
#include "tty.h"

/* ---- what the keys do ------------------------------------------------------ */

/* Set the probe interval of everything running. */
static void set_interval(struct dash *d, double s)
{
	char every[32];

	if (s < 0.01 || s > 3600) {
		say(d, true, "the interval stays between 0.01 and 3600 seconds");
		return;
	}
	d->interval = s;
	sonar_engine_set_interval(d->e, d->op, -1, s);
	tracer_follow(d);
	say(d, false, "probing every %s s", fmt_seconds(every, sizeof(every), s));
}

/* q */
static void quit(struct dash *d, int k)
{
	(void)k;
	d->quit = true;
}

/* ? */
static void help(struct dash *d, int k)
{
	(void)k;
	d->back = d->screen;
	d->screen = SCREEN_HELP;
}

/* p */
static void pause_all(struct dash *d, int k)
{
	(void)k;
	d->paused = !d->paused;
	sonar_engine_pause(d->e, d->op, -1, d->paused);
	tracer_follow(d);
	say(d, false, d->paused ? "paused" : "running");
}

/* + and - */
static void faster_slower(struct dash *d, int k)
{
	set_interval(d, k == '+' ? d->interval / 2 : d->interval * 2);
}

/* T */
static void theme(struct dash *d, int k)
{
	(void)k;
	theming_next(d);
}

/* c */
static void capture(struct dash *d, int k)
{
	(void)k;
	pane_toggle(d);
}

/* n */
static void names(struct dash *d, int k)
{
	(void)k;
	d->names = (d->names + 1) % 3;
	say(d, false, "showing %s",
	    d->names == NAMES_NAMES  ? "names"
	    : d->names == NAMES_BOTH ? "names and addresses"
	                             : "addresses");
}

/* What PgUp and PgDn move: the rows shown now, less one (view_layout()). */
static int page(const struct dash *d)
{
	struct canvas c;
	struct view_layout l;

	memset(&c, 0, sizeof(c));
	c.w = d->term_w;
	c.h = d->term_h;
	view_layout(&c, d->cap_shown, &l);
	return l.rows > 1 ? l.rows - 1 : 1;
}

/* Up, Down, PgUp, PgDn, Home, End on the table. */
static void table_move(struct dash *d, int k)
{
	switch (k) {
	case K_UP:
	case 'k':
		rows_select_move(d, -1);
		break;
	case K_DOWN:
	case 'j':
		rows_select_move(d, 1);
		break;
	case K_PGUP:
		rows_select_move(d, -page(d));
		break;
	case K_PGDN:
		rows_select_move(d, page(d));
		break;
	case K_HOME:
		rows_select_move(d, -(long)d->m.n);
		break;
	case K_END:
		rows_select_move(d, (long)d->m.n);
		break;
	}
}

/* The same keys scroll the path view. */
static void path_move(struct dash *d, int k)
{
	switch (k) {
	case K_UP:
	case 'k':
		if (d->top > 0)
			d->top--;
		break;
	case K_DOWN:
	case 'j':
		d->top++;
		break;
	case K_PGUP:
		d->top = d->top > (size_t)page(d) ? d->top - (size_t)page(d) : 0;
		break;
	case K_PGDN:
		d->top += (size_t)page(d);
		break;
	}
}

/* Enter */
static void open_path(struct dash *d, int k)
{
	(void)k;
	tracer_open(d);
}

/* Esc, h */
static void close_path(struct dash *d, int k)
{
	(void)k;
	tracer_close(d);
}

/* a */
static void add(struct dash *d, int k)
{
	(void)k;
	prompt_add(d);
}

/* e */
static void edit(struct dash *d, int k)
{
	(void)k;
	prompt_edit(d);
}

/* d, Delete */
static void delete (struct dash *d, int k)
{
	struct row *r = rows_selected(d);

	(void)k;
	if (!r)
		return;
	say(d, false, "removed %s", r->name);
	rows_remove(d, r);
}

/* J, K */
static void move(struct dash *d, int k)
{
	struct row *r = rows_selected(d);

	if (!r)
		return;
	if (d->m.sort != SORT_NONE) {
		say(d, true, "sorted by %s: press o until 'manual' to move targets",
		    sort_name(d->m.sort));
		return;
	}
	model_move(&d->m, model_index(&d->m, r->key), k == 'J' ? 1 : -1);
}

/* r on the table */
static void reset_one(struct dash *d, int k)
{
	struct row *r = rows_selected(d);

	(void)k;
	if (r)
		row_reset(r);
}

/* R on the table */
static void reset_all(struct dash *d, int k)
{
	size_t i;

	(void)k;
	for (i = 0; i < d->m.n; i++)
		row_reset(d->m.rows[i]);
	say(d, false, "statistics reset");
}

/* r, R in the path view */
static void reset_path(struct dash *d, int k)
{
	(void)k;
	path_reset(d->path);
}

/* o */
static void sort(struct dash *d, int k)
{
	(void)k;
	d->m.sort = (enum sort_key)((d->m.sort + 1) % SORT_COUNT);
	say(d, false, "sorted by %s", sort_name(d->m.sort));
}

/* O */
static void reverse(struct dash *d, int k)
{
	(void)k;
	d->m.reverse = !d->m.reverse;
}

/* s */
static void save(struct dash *d, int k)
{
	(void)k;
	saved_save(d);
}

/* f, Space, [, ] with the capture pane open */
static void pane(struct dash *d, int k)
{
	switch (k) {
	case 'f':
		pane_filter(d);
		break;
	case ' ':
		pane_freeze(d);
		break;
	case '[':
		pane_back(d);
		break;
	case ']':
		pane_forward(d);
		break;
	}
}

/* ---- the table ----------------------------------------------------------- */

#define BOTH (ON_TABLE | ON_PATH)

const struct key_entry key_table[] = {
    {{K_UP, 'k'}, ON_TABLE, table_move, "Up/Down, j/k", "move the selection", NULL},
    {{K_DOWN, 'j'}, ON_TABLE, table_move, NULL, NULL, NULL},
    {{K_PGUP, K_PGDN}, ON_TABLE, table_move, "PgUp/PgDn", "a page up / down", NULL},
    {{K_HOME, K_END}, ON_TABLE, table_move, "Home/End", "the first / last target", NULL},
    {{K_UP, 'k', K_PGUP}, ON_PATH, path_move, "Up/Down, PgUp/PgDn", "scroll the path view", NULL},
    {{K_DOWN, 'j', K_PGDN}, ON_PATH, path_move, NULL, NULL, NULL},
    {{K_ENTER},
     ON_TABLE,
     open_path,
     "Enter",
     "path view of the selected target (mtr-style)",
     "Enter path"},
    {{K_ESC, 'h'},
     ON_PATH,
     close_path,
     "Esc, h",
     "back to the table (the table keeps running)",
     "Esc back"},
    {{'a'}, ON_TABLE, add, "a", "add a target", "a add"},
    {{'e'}, ON_TABLE, edit, "e", "edit the selected target", "e edit"},
    {{'d', K_DELETE}, ON_TABLE, delete, "d, Delete", "remove the selected target", "d delete"},
    {{'J', 'K'}, ON_TABLE, move, "J/K", "move the selected target down / up", NULL},
    {{'p'}, BOTH, pause_all, "p", "pause / resume", "p pause"},
    {{'r'}, ON_TABLE, reset_one, "r", "reset the selected target's statistics", NULL},
    {{'R'}, ON_TABLE, reset_all, "R", "reset every target's statistics", NULL},
    {{'r', 'R'}, ON_PATH, reset_path, "r, R", "reset the path's statistics", "r reset"},
    {{'+', '-'}, BOTH, faster_slower, "+ / -", "halve / double the probe interval", "+/- interval"},
    {{'o'}, ON_TABLE, sort, "o", "next sort column", "o sort"},
    {{'O'}, ON_TABLE, reverse, "O", "reverse the order", NULL},
    {{'n'}, BOTH, names, "n", "addresses / names / both", NULL},
    {{'T'}, BOTH, theme, "T", "next theme", "T theme"},
    {{'s'}, ON_TABLE, save, "s", "save the target list", "s save"},
    {{'c'}, BOTH, capture, "c", "capture pane: show / hide", NULL},
    {{'c'}, ON_PANE, capture, "  c", "capture pane: close", "c close"},
    {{'f'}, ON_PANE, pane, "  f", "capture pane: only the selected target's packets", "f filter"},
    {{' '}, ON_PANE, pane, "  Space", "capture pane: freeze / thaw", "Space freeze"},
    {{'[', ']'}, ON_PANE, pane, "  [ ]", "capture pane: scroll back / forward", "[ ] scroll"},
    {{'?'}, BOTH, help, "?", "this help", NULL},
    {{'q'}, BOTH, quit, "q", "quit", "q quit"},
};
const size_t key_count = sizeof(key_table) / sizeof(key_table[0]);

/* The entry for key k where `on` says, or NULL. */
static const struct key_entry *find(int k, unsigned on)
{
	size_t i, j;

	for (i = 0; i < key_count; i++)
		for (j = 0; j < 3 && key_table[i].keys[j]; j++)
			if (key_table[i].keys[j] == k && (key_table[i].on & on))
				return &key_table[i];
	return NULL;
}

void keys_handle(struct dash *d, int k)
{
	const struct key_entry *e = NULL;

	d->dirty = true;
	if (prompt_take(d, k))
		return;
	if (d->screen == SCREEN_HELP) {
		if (k != K_RESIZE)
			d->screen = d->back; /* any key closes the help */
		return;
	}
	if (d->cap_shown)
		e = find(k, ON_PANE);
	if (!e)
		e = find(k, d->screen == SCREEN_PATH && d->path ? ON_PATH : ON_TABLE);
	if (e)
		e->run(d, k);
}

const char *const *keys_help(size_t *n)
{
	static char lines[sizeof(key_table) / sizeof(key_table[0])][96];
	static const char *ptrs[sizeof(key_table) / sizeof(key_table[0])];
	size_t i;

	*n = 0;
	for (i = 0; i < key_count; i++) {
		if (!key_table[i].help)
			continue;
		snprintf(lines[*n], sizeof(lines[*n]), "  %-20s %s%s", key_table[i].name,
		         key_table[i].help, key_table[i].on == ON_PATH ? " (path view)" : "");
		ptrs[*n] = lines[*n];
		(*n)++;
	}
	return ptrs;
}

const char *keys_line(unsigned on, char *line, size_t cap)
{
	size_t i, n = 0;

	line[0] = '\0';
	for (i = 0; i < key_count; i++) {
		if (!key_table[i].brief || !(key_table[i].on & on))
			continue;
		n += (size_t)snprintf(line + n, cap - n, "%s%s", n ? "  " : "", key_table[i].brief);
		if (n >= cap)
			break;
	}
	return line;
}
