/*
 * keys.c - what each key does, and the table that binds them.
 */
#include "config.h"
#include "keys.h"

#include <stdio.h>
#include <string.h>

#include "aspath.h"
#include "format.h"
#include "plot.h"
#include "pane.h"
#include "prompt.h"
#include "record.h"
#include "replay.h"
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
	rows_set_interval(d, s);
	tracer_follow(d);
	say(d, false, "probing every %s s", fmt_seconds(every, sizeof(every), s));
}

/* q */
static void quit(struct dash *d)
{
	d->quit = true;
}

/* ? */
static void help(struct dash *d)
{
	d->back = d->screen;
	d->screen = SCREEN_HELP;
	d->help_top = 0;
}

/* Up, Down, PgUp, PgDn on the help (frame.c stops it at the last page). */
static void help_move(struct dash *d, int k);

/* Any other key on the help: back to where ? was pressed. */
static void help_close(struct dash *d)
{
	d->screen = d->back;
}

/* p */
static void pause_all(struct dash *d)
{
	d->paused = !d->paused;
	rows_pause(d, d->paused);
	tracer_follow(d);
	say(d, false, d->paused ? "paused" : "running");
}

/* + and - */
static void faster_slower(struct dash *d, int k)
{
	set_interval(d, k == '+' ? d->interval / 2 : d->interval * 2);
}

/* n */
static void names(struct dash *d)
{
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
	view_layout(&c, d->cap_shown || d->log_shown, &l);
	return l.rows > 1 ? l.rows - 1 : 1;
}

static void help_move(struct dash *d, int k)
{
	size_t step = k == K_PGUP || k == K_PGDN ? (size_t)page(d) : 1;

	if (k == K_UP || k == 'k' || k == K_PGUP)
		d->help_top = d->help_top > step ? d->help_top - step : 0;
	else
		d->help_top += step;
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

/* d, Delete */
static void delete (struct dash *d)
{
	struct row *r = rows_selected(d);

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
	record_move(d, r->key, k == 'J' ? 1 : -1);
	model_move(&d->m, model_index(&d->m, r->key), k == 'J' ? 1 : -1);
}

/* r on the table */
static void reset_one(struct dash *d)
{
	struct row *r = rows_selected(d);

	if (r) {
		record_reset(d, r->key);
		row_reset(r);
	}
}

/* R on the table */
static void reset_all(struct dash *d)
{
	size_t i;

	record_reset(d, 0);
	for (i = 0; i < d->m.n; i++)
		row_reset(d->m.rows[i]);
	say(d, false, "statistics reset");
}

/* r, R in the path view */
static void reset_path(struct dash *d)
{
	record_path_reset(d);
	path_reset(d->path);
}

/* t, u, i in the path view: TCP, UDP (each again: back to ICMP), ICMP */
static void trace_protocol(struct dash *d, int k)
{
	int want = k == 't' ? SONAR_PROTO_TCP : k == 'u' ? SONAR_PROTO_UDP : SONAR_PROTO_ICMP;

	if (want == d->path->protocol && want != SONAR_PROTO_ICMP)
		want = SONAR_PROTO_ICMP; /* mtr's toggle */
	if (want == d->path->protocol)
		say(d, false, "already tracing with ICMP");
	else
		tracer_protocol(d, want);
}

/* e in the path view: label stacks come with the ICMP errors of ICMP and
 * UDP probes (raw sockets, or a datagram socket's error queue) and of raw
 * TCP SYNs; not with a connect()'s (TCP without raw sockets) */
static void mpls(struct dash *d)
{
	d->mpls = !d->mpls;
	if (!d->mpls)
		say(d, false, "MPLS labels hidden");
	else if (d->path->protocol == SONAR_PROTO_TCP && !d->o.privileged)
		say(d, false,
		    "showing MPLS labels: a TCP trace without raw sockets gets none "
		    "(u: UDP, i: ICMP)");
	else
		say(d, false, "showing MPLS labels");
}

/* o */
static void sort(struct dash *d)
{
	d->m.sort = (enum sort_key)((d->m.sort + 1) % SORT_COUNT);
	say(d, false, "sorted by %s", sort_name(d->m.sort));
}

/* Space on the table: collapse or expand the selected target's group */
static void collapse(struct dash *d)
{
	struct row *r = rows_selected(d);
	struct section *s;

	if (!r || r->section < 0) {
		say(d, false, "%s",
		    d->m.nsections ? "this target is in no group"
		                   : "no groups: a [name] line in the targets file starts one");
		return;
	}
	s = &d->m.sections[r->section];
	s->collapsed = !s->collapsed;
}

/* O */
static void reverse(struct dash *d)
{
	d->m.reverse = !d->m.reverse;
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

/* g on the table or the path view: chart the selected target (the path's
 * last hop); on the chart: one / all */
static void chart(struct dash *d)
{
	if (d->screen == SCREEN_CHART) {
		d->chart_all = !d->chart_all;
		return;
	}
	d->chart_from = d->screen;
	d->chart_all = false;
	if (d->screen == SCREEN_PATH) {
		int first, last;

		plot_hops(d->path, &first, &last);
		d->chart_hop = d->path->dest_ttl ? d->path->dest_ttl : last ? last : first;
	}
	d->screen = SCREEN_CHART;
}

/* Esc, h on the chart: back where g was pressed. */
static void chart_close(struct dash *d)
{
	d->screen = d->chart_from == SCREEN_PATH && d->path ? SCREEN_PATH : SCREEN_TABLE;
}

/* Up, Down on the chart: chart the target (hop) before or after. */
static void chart_move(struct dash *d, int k)
{
	int dir = k == K_UP || k == 'k' ? -1 : 1;

	d->chart_all = false;
	if (d->chart_from == SCREEN_PATH && d->path) {
		int first, last;

		plot_hops(d->path, &first, &last);
		if (d->chart_hop + dir >= first && d->chart_hop + dir <= last)
			d->chart_hop += dir;
	} else {
		rows_select_move(d, dir);
	}
}

/* w: statistics over the last N probes / since the start */
static void window(struct dash *d)
{
	d->m.window = d->m.window ? 0 : d->window_size;
	if (d->m.window)
		say(d, false, "statistics over the last %zu probes of each target", d->m.window);
	else
		say(d, false, "statistics since the start");
}

/*
 * g, w, C on the table and the path view; on the chart also Up/Down (j/k)
 * and Esc (h). Its entries come after the table's and the path view's own
 * Up, Down and Esc, which they keep: find() takes the first.
 */
static void view_key(struct dash *d, int k)
{
	if (k == 'g')
		chart(d);
	else if (k == 'w')
		window(d);
	else if (k == 'C')
		prompt_columns(d);
	else if (d->screen != SCREEN_CHART)
		return;
	else if (k == K_ESC || k == 'h')
		chart_close(d);
	else
		chart_move(d, k);
}

/* Up, Down, PgUp, PgDn scroll the help; any other key closes it. */
static void help_key(struct dash *d, int k)
{
	switch (k) {
	case K_UP:
	case 'k':
	case K_PGUP:
	case K_DOWN:
	case 'j':
	case K_PGDN:
		help_move(d, k);
		break;
	default:
		help_close(d);
		break;
	}
}

/* l: the event log pane, in the capture pane's place (one or the other) */
static void log_toggle(struct dash *d)
{
	d->log_shown = !d->log_shown;
	if (d->log_shown && d->cap_shown)
		pane_toggle(d);
}

/* c: the capture pane, in the event log's place */
static void capture_toggle(struct dash *d)
{
	if (d->log_shown && !d->cap_shown)
		d->log_shown = false;
	pane_toggle(d);
}

/* r, R: reset the selected target / every target. */
static void reset_key(struct dash *d, int k)
{
	if (k == 'R')
		reset_all(d);
	else
		reset_one(d);
}

/* o, O: the next sort column / the order reversed. */
static void sort_key(struct dash *d, int k)
{
	if (k == 'O')
		reverse(d);
	else
		sort(d);
}

/* ---- the table ----------------------------------------------------------- */

#define BOTH  (ON_TABLE | ON_PATH | ON_CHART)
#define VIEWS BOTH /* g, w, C and the chart's keys: one help line */
/* what an entry does: with the key (RUN), or the owner's function (ACT) */
#define RUN(f) f, NULL
#define ACT(f) NULL, f

const struct key_entry key_table[] = {
    {{K_UP, 'k'}, ON_TABLE, RUN(table_move), "Up/Down, j/k", "move the selection", NULL},
    {{K_DOWN, 'j'}, ON_TABLE, RUN(table_move), NULL, NULL, NULL},
    {{K_PGUP, K_PGDN}, ON_TABLE, RUN(table_move), "PgUp/PgDn", "a page up / down", NULL},
    {{K_HOME, K_END}, ON_TABLE, RUN(table_move), "Home/End", "the first / last target", NULL},
    {{K_UP, 'k', K_PGUP},
     ON_PATH,
     RUN(path_move),
     "Up/Down, PgUp/PgDn",
     "scroll the path view",
     NULL},
    {{K_DOWN, 'j', K_PGDN}, ON_PATH, RUN(path_move), NULL, NULL, NULL},
    {{K_ENTER},
     ON_TABLE,
     ACT(tracer_open),
     "Enter",
     "path view of the selected target (mtr-style)",
     "Enter path"},
    {{K_ESC, 'h'},
     ON_PATH,
     ACT(tracer_close),
     "Esc, h",
     "back to the table (still probing)",
     "Esc back"},
    {{'a'}, ON_TABLE, ACT(prompt_add), "a", "add a target", "a add"},
    {{'e'}, ON_TABLE, ACT(prompt_edit), "e", "edit the selected target", "e edit"},
    {{'d', K_DELETE}, ON_TABLE, ACT(delete), "d, Delete", "remove the selected target", "d delete"},
    {{'J', 'K'}, ON_TABLE, RUN(move), "J/K", "move the selected target down / up", NULL},
    {{'p'}, BOTH, ACT(pause_all), "p", "pause / resume", "p pause"},
    {{'r', 'R'},
     ON_TABLE,
     RUN(reset_key),
     "r / R",
     "reset the selected target's / every target's statistics",
     NULL},
    {{'r', 'R'}, ON_PATH, ACT(reset_path), "r, R", "reset the path's statistics", "r reset"},
    {{'t', 'u', 'i'},
     ON_PATH,
     RUN(trace_protocol),
     "t / u / i",
     "TCP / UDP / ICMP trace (t, u again: ICMP)",
     "t/u/i proto"},
    {{'e'}, ON_PATH, ACT(mpls), "e", "MPLS labels under their hops: show / hide", "e mpls"},
    {{'z'}, ON_PATH, ACT(aspath_toggle), "z", "AS numbers of the hops: show / hide", "z AS"},
    {{'F'}, ON_PATH, ACT(tracer_flows), "F", "Paris flows: 1, 2, 4, 8, 16, then 1", "F flows"},
    {{'+', '-'},
     BOTH,
     RUN(faster_slower),
     "+ / -",
     "halve / double the probe interval",
     "+/- interval"},
    {{'o', 'O'},
     ON_TABLE,
     RUN(sort_key),
     "o / O",
     "next sort column (within each group) / reverse the order",
     "o sort"},
    {{' '},
     ON_TABLE,
     ACT(collapse),
     "Space",
     "collapse / expand the selected target's group",
     NULL},
    {{'n'}, BOTH, ACT(names), "n", "addresses / names / both", NULL},
    {{'T'}, BOTH, ACT(theming_next), "T", "next theme", "T theme"},
    {{'s'}, ON_TABLE, ACT(saved_save), "s", "save the target list", "s save"},
    {{'c'}, BOTH, ACT(capture_toggle), "c", "capture pane: show / hide", NULL},
    {{'l'},
     BOTH,
     ACT(log_toggle),
     "l",
     "event log pane (up, down, alert, clear): show / hide",
     NULL},
    {{'c'}, ON_PANE, ACT(pane_toggle), "  c", "capture pane: close", "c close"},
    {{'f'},
     ON_PANE,
     RUN(pane),
     "  f",
     "capture pane: only the selected target's packets",
     "f filter"},
    {{' '}, ON_PANE, RUN(pane), "  Space", "capture pane: freeze / thaw", "Space freeze"},
    {{'[', ']'}, ON_PANE, RUN(pane), "  [ ]", "capture pane: scroll back / forward", "[ ] scroll"},
    {{'?'}, BOTH, ACT(help), "?", "this help", NULL},
    {{'q'}, BOTH, ACT(quit), "q", "quit", "q quit"},
    /* after q: where a narrow key line is cut, these go first */
    {{'g', 'w', 'C'},
     VIEWS,
     RUN(view_key),
     "g / w / C",
     "RTT chart (on it: g one/all, Up/Down, Esc) / last N or all / columns",
     "g chart"},
    {{K_UP, K_DOWN, K_ESC}, VIEWS, RUN(view_key), NULL, NULL, NULL},
    {{'j', 'k', 'h'}, VIEWS, RUN(view_key), NULL, NULL, NULL},
    {{K_UP, 'k', K_PGUP},
     ON_HELP,
     RUN(help_key),
     "Up/Down, PgUp/PgDn",
     "scroll this help; any other key closes it",
     "Up/Down scroll"},
    {{K_DOWN, 'j', K_PGDN}, ON_HELP, RUN(help_key), NULL, NULL, NULL},
    {{K_OTHER}, ON_HELP, RUN(help_key), NULL, NULL, "any key back"},
};
const size_t key_count = sizeof(key_table) / sizeof(key_table[0]);

/* The entry for key k where `on` says, or the screen's K_OTHER one, or NULL. */
static const struct key_entry *find(int k, unsigned on)
{
	const struct key_entry *other = NULL;
	size_t i, j;

	for (i = 0; i < key_count; i++) {
		if (!(key_table[i].on & on))
			continue;
		for (j = 0; j < 3 && key_table[i].keys[j]; j++) {
			if (key_table[i].keys[j] == k)
				return &key_table[i];
			if (key_table[i].keys[j] == K_OTHER && !other)
				other = &key_table[i];
		}
	}
	return other;
}

/* The screen a key is for: ON_TABLE, ON_PATH or ON_HELP. */
static unsigned screen_of(const struct dash *d)
{
	if (d->screen == SCREEN_HELP)
		return ON_HELP;
	if (d->screen == SCREEN_CHART)
		return ON_CHART;
	return d->screen == SCREEN_PATH && d->path ? ON_PATH : ON_TABLE;
}

void keys_handle(struct dash *d, int k)
{
	const struct key_entry *e = NULL;
	unsigned on = screen_of(d);

	d->dirty = true;
	if (k == K_RESIZE)
		return; /* not a key anyone pressed: only a frame is owed */
	if (prompt_take(d, k) || replay_key(d, k))
		return;
	if (d->cap_shown && on != ON_HELP)
		e = find(k, ON_PANE);
	if (!e)
		e = find(k, on);
	if (e && e->run)
		e->run(d, k);
	else if (e)
		e->act(d);
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
		         key_table[i].help,
		         key_table[i].on == ON_PATH    ? " (path view)"
		         : key_table[i].on == ON_CHART ? " (chart)"
		                                       : "");
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
