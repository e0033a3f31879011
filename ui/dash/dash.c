/*
 * dash.c - the dashboard: `sonar [OPTIONS] [TARGET...]`.
 *
 * One select() loop watches the keyboard, the engine's sockets and the
 * resolver's (c-ares) sockets. Inside one turn: the engine first (its replies carry
 * kernel timestamps, and it fires timeouts before sends), then resolved
 * names, then keys; then a frame when one is due. Packets are handled at
 * once; frames are throttled to about 10 per second, except that a key's
 * effect is drawn right away. Nothing here waits on the network or on DNS.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "cli.h"
#include "run.h"
#include "model.h"
#include "path.h"
#include "resolver.h"
#include "targets.h"
#include "theme.h"
#include "tty.h"
#include "view.h"

int cmd_dash(int argc, char **argv);

#define FRAME_NS   (100 * 1000000LL)  /* about 10 frames a second */
#define MESSAGE_NS (4000 * 1000000LL) /* how long a message stays */
#define INPUT_MAX  TARGET_MAX

struct dash {
	struct sonar_engine *e;
	struct sonar_options o;
	int op; /* the table's multiping */
	struct resolver *res;
	struct model m;
	size_t *order;
	size_t order_cap;
	uint64_t sel_key; /* the selected row, by key */
	size_t top;
	enum screen screen, back; /* back: where help returns to */
	struct path *path;
	bool paused;
	double interval;
	/* themes */
	char **themes;
	struct theme theme;
	bool color;
	/* the line editor */
	const char *prompt; /* NULL when closed */
	bool editing;       /* e (edit) rather than a (add) */
	char input[INPUT_MAX + 1];
	size_t cursor;
	/* the status line */
	char message[256];
	bool message_error;
	int64_t message_until;
	char file[4096]; /* -F FILE, "" none */
	int names;       /* NAMES_*: what the address columns show */
	/* the capture pane */
	struct capture *cap;
	bool cap_shown, cap_frozen, cap_filtered;

	bool no_raw; /* fell back to datagram sockets: say so once */
	char cap_error[512];
	struct cap_line *cap_ring;
	size_t cap_n, cap_scroll;
	char cap_filter[SONAR_ADDRSTRLEN];
	bool dirty;
	bool quit;
};

static volatile sig_atomic_t stop_signal;

/* Ctrl-C and TERM: leave the loop and give the terminal back. */
static void on_stop(int sig)
{
	(void)sig;
	stop_signal = 1;
}

/* Monotonic nanoseconds. */
static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Show a message on the status line for a while. */
static void say(struct dash *d, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(struct dash *d, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
	d->message_error = error;
	d->message_until = now_ns() + MESSAGE_NS;
	d->dirty = true;
}

/* ---- targets -------------------------------------------------------------- */

/* Probe row r: an address goes to the engine now, a name to the resolver. */
static void start_row(struct dash *d, struct row *r)
{
	int idx;

	r->state = ROW_RESOLVING;
	r->address[0] = '\0';
	if (!sonar_is_ipv4_address(r->name) && !sonar_is_ipv6_address(r->name)) {
		if (resolver_submit(d->res, r->key, r->name, d->o.family) < 0) {
			r->state = ROW_FAILED;
			snprintf(r->error, sizeof(r->error), "out of memory");
		}
		return;
	}
	idx = sonar_engine_add_target(d->e, d->op, r->name);
	if (idx < 0) {
		r->state = ROW_FAILED;
		snprintf(r->error, sizeof(r->error), "%s", sonar_last_error());
		return;
	}
	snprintf(r->address, sizeof(r->address), "%.*s", (int)sizeof(r->address) - 1, r->name);
	r->state = ROW_ACTIVE;
	model_bind(&d->m, r, idx);
}

/* A name was looked up: probe its address, or show why not. */
static void resolved_cb(uint64_t key, bool ok, const char *text, void *user)
{
	struct dash *d = user;
	size_t i = model_index(&d->m, key);
	struct row *r;
	int idx;

	if (i == (size_t)-1)
		return; /* removed or edited meanwhile */
	r = d->m.rows[i];
	if (r->state != ROW_RESOLVING)
		return;
	d->dirty = true;
	if (!ok) {
		r->state = ROW_FAILED;
		snprintf(r->error, sizeof(r->error), "%s", text);
		return;
	}
	idx = sonar_engine_add_target(d->e, d->op, text);
	if (idx < 0) {
		r->state = ROW_FAILED;
		snprintf(r->error, sizeof(r->error), "%s", sonar_last_error());
		return;
	}
	snprintf(r->address, sizeof(r->address), "%s", text);
	r->state = ROW_ACTIVE;
	model_bind(&d->m, r, idx);
}

/* Stop probing row r (before it is removed or renamed). */
static void stop_row(struct dash *d, struct row *r)
{
	if (r->engine >= 0)
		sonar_engine_remove_target(d->e, d->op, (size_t)r->engine);
	model_unbind(&d->m, r);
}

/* Add a target typed or given by the user. */
static struct row *add_target(struct dash *d, const char *name)
{
	struct row *r = model_add(&d->m, name);

	if (!r) {
		say(d, true, "out of memory");
		return NULL;
	}
	start_row(d, r);
	d->dirty = true;
	return r;
}

/* ---- events ---------------------------------------------------------------- */

/* Every packet of the table's and the path's operations. */
static void event_cb(const struct sonar_event *ev, void *user)
{
	struct dash *d = user;
	struct row *r;

	if (d->path && ev->op == d->path->op) {
		path_event(d->path, ev);
		d->dirty = d->dirty || d->screen == SCREEN_PATH;
		return;
	}
	r = model_by_engine(&d->m, (int)ev->target);
	if (!r)
		return;
	switch (ev->type) {
	case SONAR_EVENT_SENT:
		row_sent(r);
		break;
	case SONAR_EVENT_REPLY:
		row_reply(r, ev->rtt, ev->reply_ttl);
		break;
	case SONAR_EVENT_TIMEOUT:
		row_lost(r);
		break;
	case SONAR_EVENT_ICMP_ERROR:
	case SONAR_EVENT_SEND_ERROR:
		row_error(r, ev->message);
		break;
	case SONAR_EVENT_DUPLICATE:
		break;
	}
	d->dirty = d->dirty || d->screen == SCREEN_TABLE;
}

/* ---- the selection ---------------------------------------------------------- */

/* Recompute the display order; returns the selected position. */
static size_t order_rows(struct dash *d)
{
	size_t i;

	if (d->m.n > d->order_cap) {
		size_t cap = d->m.n * 2;
		size_t *o = realloc(d->order, cap * sizeof(*o));

		if (!o)
			return 0;
		d->order = o;
		d->order_cap = cap;
	}
	model_order(&d->m, d->order);
	for (i = 0; i < d->m.n; i++)
		if (d->m.rows[d->order[i]]->key == d->sel_key)
			return i;
	if (d->m.n) /* the selected row went: select the first */
		d->sel_key = d->m.rows[d->order[0]]->key;
	return 0;
}

/* The selected row, or NULL. */
static struct row *selected_row(struct dash *d)
{
	size_t i = model_index(&d->m, d->sel_key);

	return i == (size_t)-1 ? NULL : d->m.rows[i];
}

/* Move the selection by delta positions (clamped). */
static void select_move(struct dash *d, long delta)
{
	size_t pos = order_rows(d);
	long p = (long)pos + delta;

	if (d->m.n == 0)
		return;
	if (p < 0)
		p = 0;
	if (p >= (long)d->m.n)
		p = (long)d->m.n - 1;
	d->sel_key = d->m.rows[d->order[p]]->key;
}

/* ---- files ------------------------------------------------------------------ */

/* Where `s` saves: the -F file, or ~/.config/sonar/targets. */
static int save_path(const struct dash *d, char *buf, size_t cap)
{
	const char *home = getenv("HOME");

	if (d->file[0]) {
		snprintf(buf, cap, "%s", d->file);
		return 0;
	}
	if (!home || !*home)
		return -1;
	snprintf(buf, cap, "%s/.config", home);
	mkdir(buf, 0700);
	snprintf(buf, cap, "%s/.config/sonar", home);
	mkdir(buf, 0700);
	snprintf(buf, cap, "%s/.config/sonar/targets", home);
	return 0;
}

/* s: save the target list (manual order) where -F said, or in ~/.config. */
static void save_targets(struct dash *d)
{
	char path[4096], err[4400];
	const char **names = calloc(d->m.n ? d->m.n : 1, sizeof(*names));
	size_t i;

	if (save_path(d, path, sizeof(path)) < 0) {
		say(d, true, "cannot save: no -F file and no HOME");
		free(names);
		return;
	}
	if (!names) {
		say(d, true, "out of memory");
		return;
	}
	for (i = 0; i < d->m.n; i++)
		names[i] = d->m.rows[i]->name;
	if (targets_save(path, names, d->m.n, err, sizeof(err)) < 0)
		say(d, true, "%s", err);
	else
		say(d, false, "saved %zu targets to %s", d->m.n, path);
	free(names);
}

/* ---- themes ------------------------------------------------------------------- */

/* Load theme `name`; on failure keep the default and say why. */
static void use_theme(struct dash *d, const char *name, bool quiet)
{
	char err[512];

	if (!d->color) {
		theme_mono(&d->theme);
	} else if (theme_find(name, &d->theme, err, sizeof(err)) < 0) {
		theme_default(&d->theme);
		say(d, true, "%s; using the default theme", err);
	} else if (!quiet) {
		say(d, false, "theme: %s", d->theme.name);
	}
	tty_theme(&d->theme);
	d->dirty = true;
}

/* T: the theme after the current one. */
static void next_theme(struct dash *d)
{
	size_t i;

	if (!d->color) {
		say(d, false, "colours are off (NO_COLOR or --no-color): mono only");
		return;
	}
	for (i = 0; d->themes && d->themes[i]; i++)
		if (strcmp(d->themes[i], d->theme.name) == 0)
			break;
	if (!d->themes || !d->themes[0])
		return;
	use_theme(d, d->themes[d->themes[i] && d->themes[i + 1] ? i + 1 : 0], false);
}

/* ---- the path view ------------------------------------------------------------- */

/* Close the path view's traceroute. */
static void close_path(struct dash *d)
{
	if (d->path && d->path->op > 0)
		sonar_engine_stop(d->e, d->path->op);
	free(d->path);
	d->path = NULL;
	d->screen = SCREEN_TABLE;
	d->dirty = true;
}

/* Enter: an mtr-style continuous traceroute of the selected target. */
static void open_path(struct dash *d)
{
	struct row *r = selected_row(d);
	struct sonar_options o = d->o;
	int op;

	if (!r || r->state != ROW_ACTIVE) {
		say(d, true, "no address to trace yet");
		return;
	}
	close_path(d);
	d->path = calloc(1, sizeof(*d->path));
	if (!d->path) {
		say(d, true, "out of memory");
		return;
	}
	o.count = 0;
	o.interval = d->interval;
	o.first_hop = 1;
	o.max_hops = 30;
	path_init(d->path, r->name, r->address, o.first_hop);
	op = sonar_engine_traceroute(d->e, r->address, &o, event_cb, NULL, d);
	if (op < 0) {
		say(d, true, "%s", sonar_last_error());
		free(d->path);
		d->path = NULL;
		return;
	}
	d->path->op = op;
	if (d->paused)
		sonar_engine_pause(d->e, op, -1, true);
	d->screen = SCREEN_PATH;
	d->top = 0;
	d->dirty = true;
}

/* ---- the capture pane ------------------------------------------------------------ */

/* A captured packet: sonar's own or another's, kept unless frozen. */
static void captured_cb(struct cap_line *l, void *user)
{
	struct dash *d = user;

	if (d->cap_frozen)
		return;
	l->own = sonar_engine_owns(d->e, &l->p);
	d->cap_ring[d->cap_n++ % CAP_LINES] = *l;
	d->dirty = true;
}

/*
 * c: show or hide the capture pane. The capture itself was opened at the
 * start (it needs privileges, which are gone since), or its failure then is
 * what the pane says.
 */
static void toggle_capture(struct dash *d)
{
	d->cap_shown = !d->cap_shown;
	if (d->cap_shown && !d->cap_ring &&
	    !(d->cap_ring = calloc(CAP_LINES, sizeof(*d->cap_ring))))
		snprintf(d->cap_error, sizeof(d->cap_error), "out of memory");
}

/* Keys of the capture pane (when it is open); true when taken. */
static bool capture_key(struct dash *d, int k)
{
	struct row *r;

	switch (k) {
	case 'f':
		d->cap_filtered = !d->cap_filtered;
		r = selected_row(d);
		if (d->screen == SCREEN_PATH && d->path)
			snprintf(d->cap_filter, sizeof(d->cap_filter), "%s", d->path->address);
		else
			snprintf(d->cap_filter, sizeof(d->cap_filter), "%s", r ? r->address : "");
		d->cap_scroll = 0;
		return true;
	case ' ':
		d->cap_frozen = !d->cap_frozen;
		if (!d->cap_frozen)
			d->cap_scroll = 0;
		return true;
	case '[':
		d->cap_scroll++;
		return true;
	case ']':
		if (d->cap_scroll > 0)
			d->cap_scroll--;
		return true;
	default:
		return false;
	}
}

/* ---- keys --------------------------------------------------------------------- */

/* Open the line editor. */
static void open_prompt(struct dash *d, const char *label, const char *text, bool editing)
{
	d->prompt = label;
	d->editing = editing;
	snprintf(d->input, sizeof(d->input), "%s", text);
	d->cursor = strlen(d->input);
	d->dirty = true;
}

/* Enter in the line editor: add or rename a target. */
static void submit_prompt(struct dash *d)
{
	const char *s = d->input;
	struct row *r;

	while (*s == ' ')
		s++;
	if (!*s) {
		d->prompt = NULL;
		return;
	}
	if (!sonar_is_hostname(s) && !sonar_is_ipv4_address(s) && !sonar_is_ipv6_address(s)) {
		say(d, true, "'%s' is not a host name or an address", s);
		return; /* the editor stays open to fix it */
	}
	d->prompt = NULL;
	if (d->editing && (r = selected_row(d))) {
		stop_row(d, r);
		snprintf(r->name, sizeof(r->name), "%s", s);
		row_reset(r);
		start_row(d, r);
		say(d, false, "now probing %s", s);
	} else if ((r = add_target(d, s))) {
		d->sel_key = r->key;
		say(d, false, "added %s", s);
	}
}

/* A key in the line editor. */
static void prompt_key(struct dash *d, int k)
{
	size_t len = strlen(d->input);

	switch (k) {
	case K_ENTER:
		submit_prompt(d);
		break;
	case K_ESC:
		d->prompt = NULL;
		break;
	case K_LEFT:
		if (d->cursor > 0)
			d->cursor--;
		break;
	case K_RIGHT:
		if (d->cursor < len)
			d->cursor++;
		break;
	case K_HOME:
	case 1: /* Ctrl-A */
		d->cursor = 0;
		break;
	case K_END:
	case 5: /* Ctrl-E */
		d->cursor = len;
		break;
	case 21: /* Ctrl-U */
		d->input[0] = '\0';
		d->cursor = 0;
		break;
	case K_BACKSPACE:
		if (d->cursor > 0) {
			memmove(d->input + d->cursor - 1, d->input + d->cursor,
			        len - d->cursor + 1);
			d->cursor--;
		}
		break;
	case K_DELETE:
		if (d->cursor < len)
			memmove(d->input + d->cursor, d->input + d->cursor + 1, len - d->cursor);
		break;
	default:
		if (k >= 0x20 && k < 0x7f && len < INPUT_MAX) {
			memmove(d->input + d->cursor + 1, d->input + d->cursor,
			        len - d->cursor + 1);
			d->input[d->cursor++] = (char)k;
		}
	}
	d->dirty = true;
}

/* Set the probe interval of everything running. */
static void set_interval(struct dash *d, double s)
{
	if (s < 0.01 || s > 3600) {
		say(d, true, "the interval stays between 0.01 and 3600 seconds");
		return;
	}
	d->interval = s;
	sonar_engine_set_interval(d->e, d->op, -1, s);
	if (d->path && d->path->op > 0)
		sonar_engine_set_interval(d->e, d->path->op, -1, s);
	say(d, false, "probing every %g s", s);
}

/* Keys shared by the table and the path view. */
static bool common_key(struct dash *d, int k)
{
	switch (k) {
	case 'q':
		d->quit = true;
		return true;
	case '?':
		d->back = d->screen;
		d->screen = SCREEN_HELP;
		return true;
	case 'p':
		d->paused = !d->paused;
		sonar_engine_pause(d->e, d->op, -1, d->paused);
		if (d->path && d->path->op > 0)
			sonar_engine_pause(d->e, d->path->op, -1, d->paused);
		say(d, false, d->paused ? "paused" : "running");
		return true;
	case '+':
		set_interval(d, d->interval / 2);
		return true;
	case '-':
		set_interval(d, d->interval * 2);
		return true;
	case 'T':
		next_theme(d);
		return true;
	case 'c':
		toggle_capture(d);
		return true;
	case 'n':
		d->names = (d->names + 1) % 3;
		say(d, false, "showing %s",
		    d->names == NAMES_NAMES  ? "names"
		    : d->names == NAMES_BOTH ? "names and addresses"
		                             : "addresses");
		return true;
	case K_RESIZE:
		return true;
	default:
		return false;
	}
}

/* A key on the table. */
static void table_key(struct dash *d, int k, int page)
{
	struct row *r = selected_row(d);
	size_t i;

	switch (k) {
	case K_UP:
	case 'k':
		select_move(d, -1);
		break;
	case K_DOWN:
	case 'j':
		select_move(d, 1);
		break;
	case K_PGUP:
		select_move(d, -page);
		break;
	case K_PGDN:
		select_move(d, page);
		break;
	case K_HOME:
		select_move(d, -(long)d->m.n);
		break;
	case K_END:
		select_move(d, (long)d->m.n);
		break;
	case K_ENTER:
		open_path(d);
		break;
	case 'a':
		open_prompt(d, "Add target: ", "", false);
		break;
	case 'e':
		if (r)
			open_prompt(d, "Edit target: ", r->name, true);
		break;
	case 'd':
	case K_DELETE:
		if (!r)
			break;
		select_move(d, 1);
		if (d->sel_key == r->key)
			select_move(d, -1);
		say(d, false, "removed %s", r->name);
		stop_row(d, r);
		model_remove(&d->m, model_index(&d->m, r->key));
		break;
	case 'J':
	case 'K':
		if (!r)
			break;
		if (d->m.sort != SORT_NONE) {
			say(d, true, "sorted by %s: press o until 'manual' to move targets",
			    sort_name(d->m.sort));
			break;
		}
		model_move(&d->m, model_index(&d->m, r->key), k == 'J' ? 1 : -1);
		break;
	case 'r':
		if (r)
			row_reset(r);
		break;
	case 'R':
		for (i = 0; i < d->m.n; i++)
			row_reset(d->m.rows[i]);
		say(d, false, "statistics reset");
		break;
	case 'o':
		d->m.sort = (enum sort_key)((d->m.sort + 1) % SORT_COUNT);
		say(d, false, "sorted by %s", sort_name(d->m.sort));
		break;
	case 'O':
		d->m.reverse = !d->m.reverse;
		break;
	case 's':
		save_targets(d);
		break;
	default:
		common_key(d, k);
	}
	d->dirty = true;
}

/* A key in the path view. */
static void path_key(struct dash *d, int k, int page)
{
	switch (k) {
	case K_ESC:
	case 'h':
		close_path(d);
		break;
	case 'r':
	case 'R':
		path_reset(d->path);
		break;
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
		d->top = d->top > (size_t)page ? d->top - (size_t)page : 0;
		break;
	case K_PGDN:
		d->top += (size_t)page;
		break;
	default:
		common_key(d, k);
	}
	d->dirty = true;
}

/* Take every key that is waiting. */
static void keys(struct dash *d, int page)
{
	int k;

	while ((k = tty_key()) != K_NONE) {
		d->dirty = true;
		if (d->prompt) {
			prompt_key(d, k);
		} else if (d->screen == SCREEN_HELP) {
			if (k != K_RESIZE)
				d->screen = d->back;
		} else if (d->cap_shown && capture_key(d, k)) {
			/* taken by the capture pane */
		} else if (d->screen == SCREEN_PATH) {
			path_key(d, k, page);
		} else {
			table_key(d, k, page);
		}
		if (d->quit)
			return;
	}
}

/* ---- frames -------------------------------------------------------------------- */

/* The view's reverse names: from the resolver's cache, asked when missing. */
static const char *name_of(void *ctx, const char *address, bool *failed)
{
	struct dash *d = ctx;

	return resolver_name(d->res, address, failed);
}

/* Draw one frame. */
static void frame(struct dash *d, struct canvas *c)
{
	struct view v;
	size_t sel;
	int rows;
	const char *utf = nl_langinfo(CODESET);

	tty_begin(c);
	c->utf8 = utf && strcmp(utf, "UTF-8") == 0;
	sel = order_rows(d);
	rows = view_rows(c);
	if (d->screen == SCREEN_TABLE) {
		/* keep the selection on screen */
		if (sel < d->top)
			d->top = sel;
		if (rows > 0 && sel >= d->top + (size_t)rows)
			d->top = sel - (size_t)rows + 1;
	}
	if (d->screen == SCREEN_PATH && d->path) {
		int shown = path_shown(d->path);

		if (d->top + 1 > (size_t)(shown > 0 ? shown : 1))
			d->top = shown > 0 ? (size_t)shown - 1 : 0;
	}
	memset(&v, 0, sizeof(v));
	v.screen = d->screen == SCREEN_PATH && !d->path ? SCREEN_TABLE : d->screen;
	v.model = &d->m;
	v.order = d->order;
	v.selected = sel;
	v.top = d->top;
	v.path = d->path;
	v.interval = d->interval;
	v.paused = d->paused;
	v.theme = d->theme.name;
	v.prompt = d->prompt;
	v.input = d->input;
	v.input_cursor = d->cursor;
	if (d->message[0] && now_ns() < d->message_until) {
		v.message = d->message;
		v.message_is_error = d->message_error;
	}
	v.names = d->names;
	v.name_of = name_of;
	v.name_ctx = d;
	v.cap_shown = d->cap_shown;
	v.cap_ring = d->cap_ring;
	v.cap_n = d->cap_n;
	v.cap_scroll = d->cap_scroll;
	v.cap_frozen = d->cap_frozen;
	v.cap_filter = d->cap_filtered ? d->cap_filter : NULL;
	v.cap_error = d->cap_error[0] ? d->cap_error : NULL;
	view_draw(&v, c);
	tty_end();
	d->dirty = false;
}

/* ---- set-up -------------------------------------------------------------------- */

/* The default gateways and nameservers, for a first run with no targets. */
static void default_targets(struct target_list *l)
{
	FILE *f;
	char line[512];

	targets_add(l, "127.0.0.1");
	targets_add(l, "::1");
	f = fopen("/proc/net/route", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char ifname[64];
		unsigned dst, gw, flags;

		if (sscanf(line, "%63s %x %x %x", ifname, &dst, &gw, &flags) == 4 && dst == 0 &&
		    gw != 0 && (flags & 2)) {
			char a[32];

			snprintf(a, sizeof(a), "%u.%u.%u.%u", gw & 255, gw >> 8 & 255,
			         gw >> 16 & 255, gw >> 24);
			targets_add(l, a);
		}
	}
	if (f)
		fclose(f);
	f = fopen("/proc/net/ipv6_route", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char dst[40], plen[8], src[40], splen[8], nh[40];

		if (sscanf(line, "%39s %7s %39s %7s %39s", dst, plen, src, splen, nh) == 5 &&
		    strcmp(dst, "00000000000000000000000000000000") == 0 &&
		    strcmp(plen, "00") == 0 &&
		    strcmp(nh, "00000000000000000000000000000000") != 0) {
			char a[64];
			int i, o = 0;

			for (i = 0; i < 32; i += 4)
				o += snprintf(a + o, sizeof(a) - (size_t)o, "%s%.4s", i ? ":" : "",
				              nh + i);
			/* link-local next hops need the interface; skip them */
			if (strncmp(a, "fe80", 4) != 0)
				targets_add(l, a);
		}
	}
	if (f)
		fclose(f);
	f = fopen("/etc/resolv.conf", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char ns[80];

		if (sscanf(line, " nameserver %79s", ns) == 1 &&
		    (sonar_is_ipv4_address(ns) || sonar_is_ipv6_address(ns)))
			targets_add(l, ns);
	}
	if (f)
		fclose(f);
}

/* Print the dashboard's usage. */
static void usage(FILE *f)
{
	fputs("Usage: sonar [OPTIONS] [TARGET...]\n"
	      "       sonar ping|multiping|traceroute [OPTIONS] ... (sonar COMMAND --help)\n"
	      "The dashboard: a live table of targets, and an mtr-style path view.\n"
	      "With no TARGET and no -F: 127.0.0.1, ::1, the default gateways and the\n"
	      "nameservers of /etc/resolv.conf.\n\n"
	      "  -F, --file FILE         targets, one per line (also where 's' saves)\n"
	      "  -i, --interval S        seconds between probes to one target (default 1)\n"
	      "      --theme NAME        default, dark, light, high-contrast, mono, or yours\n"
	      "      --dns-server ADDR[:PORT]  resolve names through this server\n"
	      "Keys: ? shows them (c opens the capture pane, n shows names).\n"
	      "      --no-color          no colours (also when NO_COLOR is set)\n",
	      f);
	fputs(cli_common_help, f);
}

enum { OPT_THEME = OPT_FIRST_FREE, OPT_NO_COLOR, OPT_DNS };

struct dash_opts {
	struct dash *d;
	const char *theme;
	const char *dns;
	struct target_list targets;
};

/* The dashboard's own options. */
static int dash_option(int c, const char *arg, void *ctx)
{
	struct dash_opts *op = ctx;

	switch (c) {
	case 'F': /* read after privileges are dropped, never as root */
		snprintf(op->d->file, sizeof(op->d->file), "%s", arg);
		return 1;
	case OPT_THEME:
		op->theme = arg;
		return 1;
	case OPT_NO_COLOR:
		op->d->color = false;
		return 1;
	case OPT_DNS:
		op->dns = arg;
		return 1;
	default:
		return 0;
	}
}

/* Run the loop until q, Ctrl-C or TERM. */
static int run(struct dash *d)
{
	struct canvas c;
	int64_t last_frame = 0;

	frame(d, &c);
	while (!d->quit && !stop_signal) {
		fd_set rd, wr;
		int maxfd = STDIN_FILENO, page;
		int64_t ns = sonar_engine_timeout(d->e), now = now_ns();
		int64_t dns = resolver_timeout(d->res);
		struct timeval tv, *tvp = NULL;
		bool key = false;

		if (dns >= 0 && (ns < 0 || dns < ns))
			ns = dns;

		if (d->dirty) { /* a frame is owed: no later than its slot */
			int64_t due = last_frame + FRAME_NS - now;

			if (ns < 0 || due < ns)
				ns = due < 0 ? 0 : due;
		}
		if (d->message[0] && d->message_until > now &&
		    (ns < 0 || d->message_until - now < ns))
			ns = d->message_until - now; /* wipe it when it expires */
		FD_ZERO(&rd);
		FD_ZERO(&wr);
		FD_SET(STDIN_FILENO, &rd);
		if (d->cap && d->cap_shown && capture_fd(d->cap) >= 0) {
			FD_SET(capture_fd(d->cap), &rd);
			if (capture_fd(d->cap) > maxfd)
				maxfd = capture_fd(d->cap);
		}
		resolver_fds(d->res, &rd, &wr, &maxfd);
		sonar_engine_fds(d->e, &rd, &maxfd);
		if (ns >= 0) {
			tv.tv_sec = (time_t)(ns / 1000000000LL);
			tv.tv_usec = (suseconds_t)(ns % 1000000000LL / 1000);
			tvp = &tv;
		}
		if (select(maxfd + 1, &rd, &wr, NULL, tvp) < 0) {
			if (errno != EINTR)
				return EXIT_SYSTEM;
			FD_ZERO(&rd); /* a resize (SIGWINCH) or a stop signal */
			FD_ZERO(&wr);
			FD_SET(STDIN_FILENO, &rd);
		}
		/* The order of a turn: packets, names, keys, then the frame. */
		sonar_engine_process(d->e, &rd);
		resolver_process(d->res, &rd, &wr);
		resolver_poll(d->res, resolved_cb, d);
		if (d->cap && d->cap_shown && capture_fd(d->cap) >= 0 &&
		    FD_ISSET(capture_fd(d->cap), &rd) &&
		    capture_read(d->cap, captured_cb, d) == -1) {
			snprintf(d->cap_error, sizeof(d->cap_error), "%s", capture_error(d->cap));
			capture_close(d->cap);
			d->cap = NULL;
		}
		if (d->names != NAMES_ADDRESSES)
			d->dirty = true; /* reverse names may have come */
		if (FD_ISSET(STDIN_FILENO, &rd)) {
			page = view_rows(&c) > 1 ? view_rows(&c) - 1 : 1;
			keys(d, page);
			key = true;
		}
		if (d->message[0] && now_ns() >= d->message_until) {
			d->message[0] = '\0';
			d->dirty = true;
		}
		now = now_ns();
		if (d->dirty && (key || now - last_frame >= FRAME_NS)) {
			frame(d, &c);
			last_frame = now;
		}
	}
	return EXIT_ALIVE;
}

int cmd_dash(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"file", required_argument, NULL, 'F'},
	    {"theme", required_argument, NULL, OPT_THEME},
	    {"no-color", no_argument, NULL, OPT_NO_COLOR},
	    {"dns-server", required_argument, NULL, OPT_DNS},
	    {NULL, 0, NULL, 0},
	};
	struct dash d;
	struct dash_opts op;
	struct cli_common cc = {PRIV_AUTO, FORMAT_TEXT, false, NULL};
	const char *nc = getenv("NO_COLOR");
	struct sigaction sa;
	int first, status = EXIT_USAGE;
	size_t i;

	setlocale(LC_ALL, "");
	memset(&d, 0, sizeof(d));
	memset(&op, 0, sizeof(op));
	op.d = &d;
	d.color = !(nc && *nc);
	sonar_multiping_defaults(&d.o);
	d.o.interval = 1;
	first = cli_parse(argc, argv, "", longopts, "F:", dash_option, &op, usage, &d.o, &cc);
	if (first == CLI_DONE) {
		status = EXIT_ALIVE;
		goto out;
	}
	if (first < 0)
		goto out;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the dashboard needs a terminal (for scripts: sonar multiping)");
		status = EXIT_USAGE;
		goto out;
	}
	d.interval = d.o.interval;
	d.o.count = 0;
	cli_privilege(&cc, &d.o);
	d.e = sonar_engine_new();
	if (!d.e) {
		cli_error("out of memory");
		status = EXIT_SYSTEM;
		goto out;
	}
	{
		char err[256];

		d.res = resolver_new(op.dns, err, sizeof(err));
		if (!d.res) {
			cli_error("%s", err);
			status = op.dns ? EXIT_USAGE : EXIT_SYSTEM;
			goto out;
		}
	}
	/* Least privilege: the raw sockets and the capture handle now, while
	 * allowed; then every privilege goes, before any key or packet. */
	if (d.o.privileged) {
		d.cap = capture_open_live(d.cap_error, sizeof(d.cap_error));
	} else {
		snprintf(d.cap_error, sizeof(d.cap_error),
		         "capture needs root or cap_net_raw (setcap cap_net_raw+ep on sonar)");
		d.no_raw = cc.privilege == PRIV_AUTO;
	}
	status = cli_lockdown(d.e, &d.o);
	if (status)
		goto out;
	status = EXIT_USAGE;
	/* from here on, no privilege: files are read as the user */
	if (d.file[0] && targets_read(d.file, &op.targets) < 0)
		goto out;
	for (i = (size_t)first; i < (size_t)argc; i++)
		targets_add(&op.targets, argv[i]);
	if (op.targets.n == 0 && !d.file[0])
		default_targets(&op.targets);
	d.op = sonar_engine_multiping(d.e, NULL, 0, &d.o, event_cb, NULL, &d);
	if (d.op < 0) {
		status = cli_fail(d.op);
		goto out;
	}
	d.themes = theme_names();
	theme_default(&d.theme);
	if (tty_open(&d.theme, d.color) < 0) {
		cli_error("cannot use this terminal (TERM=%s)",
		          getenv("TERM") ? getenv("TERM") : "");
		status = EXIT_SYSTEM;
		goto out;
	}
	use_theme(&d, op.theme ? op.theme : "default", true);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	for (i = 0; i < op.targets.n; i++) {
		struct row *r = add_target(&d, op.targets.v[i]);

		if (r && i == 0)
			d.sel_key = r->key;
	}
	if (!d.sel_key && d.m.n)
		d.sel_key = d.m.rows[0]->key;
	if (d.no_raw)
		say(&d, false,
		    "no raw sockets (root, or setcap cap_net_raw+ep on sonar): using ICMP datagram "
		    "sockets");
	status = run(&d);
	tty_close();
out:
	tty_close();
	if (d.path)
		free(d.path);
	capture_close(d.cap);
	free(d.cap_ring);
	sonar_engine_free(d.e);
	resolver_free(d.res);
	model_free(&d.m);
	free(d.order);
	theme_names_free(d.themes);
	targets_free(&op.targets);
	free(cc.payload);
	return status;
}
