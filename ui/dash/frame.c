/*
 * frame.c - frame assembly: keep the selection on screen, fill a struct
 * view from the state, and hand it to view_draw() on a canvas: the
 * terminal's (frame_show), or any other (frame_draw: tests).
 */
#include "config.h"
#include "frame.h"

#include <string.h>

#include "aspath.h"
#include "help.h"
#include "keys.h"
#include "rows.h"
#include "view.h"

/* The view's reverse names: from the resolver's cache, asked when missing. */
static const char *name_of(void *ctx, const char *address, bool *failed)
{
	struct dash *d = ctx;

	return resolver_name(d->res, address, failed);
}

/* The lines display entries a to b of the table take: one each, and one
 * more for a group's header above its first row (collapsed: the header only). */
static size_t table_lines(const struct dash *d, size_t a, size_t b)
{
	size_t i, n = 0;

	for (i = a; i <= b && i < d->shown; i++) {
		const struct section *s = model_section_at(&d->m, d->order, i);

		n += 1 + (s && !s->collapsed && model_starts_section(&d->m, d->order, i));
	}
	return n;
}

void frame_draw(struct dash *d, const struct canvas *c)
{
	struct view v;
	char keyline[256], pane_keys[160];
	struct view_layout l;
	size_t sel;
	int rows;

	sel = rows_order(d);
	view_layout(c, d->cap_shown || d->log_shown, &l);
	rows = l.rows;
	d->term_w = c->w;
	d->term_h = c->h;
	if (d->screen == SCREEN_TABLE) {
		/* keep the selection on screen (a group's header takes a line) */
		if (sel < d->top)
			d->top = sel;
		if (rows > 0 && sel >= d->top + (size_t)rows)
			d->top = sel - (size_t)rows + 1;
		while (rows > 0 && d->top < sel && table_lines(d, d->top, sel) > (size_t)rows)
			d->top++;
	}
	if (d->screen == SCREEN_PATH && d->path) {
		int shown = path_shown(d->path);

		if (d->top + 1 > (size_t)(shown > 0 ? shown : 1))
			d->top = shown > 0 ? (size_t)shown - 1 : 0;
	}
	memset(&v, 0, sizeof(v));
	v.screen = d->screen == SCREEN_PATH && !d->path ? SCREEN_TABLE : d->screen;
	v.chart_from = d->chart_from == SCREEN_PATH && d->path ? SCREEN_PATH : SCREEN_TABLE;
	v.chart_all = d->chart_all;
	v.chart_hop = d->chart_hop;
	v.model = &d->m;
	v.order = d->order;
	v.shown = d->shown;
	v.selected = sel;
	v.top = d->top;
	v.path = d->path;
	v.interval = d->interval;
	v.paused = d->paused;
	v.theme = d->theme.name;
	v.prompt = d->prompt;
	v.input = d->ed.text;
	v.input_cursor = d->ed.cursor;
	if (d->message[0] && now_ns() < d->message_until) {
		v.message = d->message;
		v.message_is_error = d->message_error;
	}
	v.names = d->names;
	v.mpls = d->mpls;
	v.columns = &d->columns;
	v.window = d->m.window;
	v.asn = d->asn_shown;
	v.as_of = aspath_tag;
	v.name_of = name_of;
	v.name_ctx = d;
	v.log_shown = d->log_shown;
	v.log = &d->log;
	v.cap_shown = d->cap_shown && !d->log_shown;
	v.cap_ring = d->cap_ring;
	v.cap_n = d->cap_n;
	v.cap_skipped = d->cap_skipped;
	v.cap_scroll = d->cap_scroll;
	v.cap_frozen = d->cap_frozen;
	v.cap_filter = d->cap_filtered ? d->cap_filter : NULL;
	v.cap_error = d->cap_error[0] ? d->cap_error : NULL;
	v.help = keys_help(&v.help_n);
	if (d->help_top > help_scroll_max(&v, c)) /* Down past the last page */
		d->help_top = help_scroll_max(&v, c);
	v.help_top = d->help_top;
	v.keyline = keys_line(v.screen == SCREEN_HELP    ? ON_HELP
	                      : v.screen == SCREEN_PATH  ? ON_PATH
	                      : v.screen == SCREEN_CHART ? ON_CHART
	                                                 : ON_TABLE,
	                      keyline, sizeof(keyline));
	v.pane_keys = keys_line(ON_PANE, pane_keys, sizeof(pane_keys));
	view_draw(&v, c);
	d->dirty = false;
	/* a name this frame asked for may have come at once (the hosts file):
	 * nothing would wake the loop for it, so owe one more frame */
	if (d->names != NAMES_ADDRESSES && resolver_names_changed(d->res))
		d->dirty = true;
}

void frame_show(struct dash *d)
{
	struct canvas c;

	tty_begin(&c);
	frame_draw(d, &c);
	tty_end();
	if (d->bell_owed) { /* --bell: an alert came since the last frame */
		tty_bell();
		d->bell_owed = false;
	}
}
