/*
 * view.c - the dashboard's text: model, then text, then terminal (tmux's
 * grid / screen-write / tty): this file decides what goes where and in
 * which slot; tty.c puts it on the terminal.
 */
#include "config.h"
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "cells.h"
#include "fixed.h"
#include "format.h"
#include "help.h"
#include "plot.h"
#include "target_url.h"
#include "window.h"

/* A history strip of the newest cells, newest at the right, n columns. */
static void strip(const struct canvas *c, int y, int x, int n, const struct row *r)
{
	int i;

	for (i = 0; i < n; i++) {
		float cell;
		enum slot slot;
		const char *g;

		if (!row_cell(r, (size_t)(n - 1 - i), &cell))
			continue;
		g = cells_glyph(cell, c->utf8, &slot);
		c->put(c->ctx, y, x + i, g, 1, slot);
	}
}

/* The columns shown: the view's, or the default set when it names none. */
static const struct columns *shown_columns(const struct view *v)
{
	static struct columns def;

	if (v->columns)
		return v->columns;
	if (def.n == 0)
		columns_default(&def);
	return &def;
}

/* A percentile column's index in pct_ranks. */
static int pct_index(enum column k)
{
	return (int)k - COL_P50;
}

/* The numbers of a row from x, in the chosen columns over the chosen
 * window (the path view leaves Rcv out). Returns the column after them. */
static int numbers(const struct view *v, const struct canvas *c, int y, int x, const struct row *r,
                   enum slot base, bool path)
{
	char buf[32];
	const struct columns *cols = shown_columns(v);
	struct winstats w;
	bool with_pct = false;
	int i;

	for (i = 0; i < cols->n; i++)
		with_pct = with_pct || column_is_pct((enum column)cols->col[i]);
	window_stats(r, v->window, with_pct, &w);
	for (i = 0; i < cols->n; i++) {
		enum column k = (enum column)cols->col[i];
		int width = column_width(k);
		enum slot slot = base;
		double ms = -1;

		if (path && k == COL_RECV)
			continue;
		switch (k) {
		case COL_LOSS:
			fmt_loss(buf, sizeof(buf), w.loss, w.done > 0);
			slot = w.done ? loss_slot(w.loss) : base;
			break;
		case COL_SENT:
		case COL_RECV:
			snprintf(buf, sizeof(buf), "%llu",
			         (unsigned long long)(k == COL_SENT ? w.sent : w.received));
			break;
		case COL_LAST:
		case COL_AVG:
			ms = k == COL_LAST ? w.last : w.avg;
			slot = ms >= 0 ? rtt_slot(ms) : base;
			break;
		case COL_MIN:
			ms = w.min;
			break;
		case COL_MAX:
			ms = w.max;
			break;
		case COL_STDEV:
			ms = w.stdev;
			break;
		case COL_JITTER:
			ms = w.jitter;
			break;
		default:
			ms = w.pct[pct_index(k)];
			break;
		}
		if (k != COL_LOSS && k != COL_SENT && k != COL_RECV)
			fmt_ms(buf, sizeof(buf), ms);
		cells_rtext(c, y, x, width, buf, slot);
		x += width + 1;
	}
	return x;
}

/* The headings of numbers(). */
static int number_headers(const struct view *v, const struct canvas *c, int y, int x, bool path)
{
	const struct columns *cols = shown_columns(v);
	int i;

	for (i = 0; i < cols->n; i++) {
		enum column k = (enum column)cols->col[i];

		if (path && k == COL_RECV)
			continue;
		cells_rtext(c, y, x, column_width(k), column_heading(k, path), SLOT_HEADER);
		x += column_width(k) + 1;
	}
	return x;
}

void view_layout(const struct canvas *c, bool cap_shown, struct view_layout *l)
{
	/* the main view above (55%, and at least its title, headings and one
	 * row), the capture pane below (its header and at least one packet) */
	int split = c->h * 55 / 100 > 4 ? c->h * 55 / 100 : 4;

	l->main_h = c->h;
	l->cap_y0 = l->cap_y1 = c->h - 1;
	if (cap_shown && split <= c->h - 2) {
		l->main_h = split;
		l->cap_y0 = split - 1;
	}
	l->rows = l->main_h - 3; /* title, header, and the status line or the pane's header */
}

/*
 * How an address is shown in the current names mode: the address, its
 * reverse name, or both. A name still being looked up shows the address;
 * a failed lookup says so in names mode.
 */
static const char *shown_address(const struct view *v, const char *address, char *buf, size_t cap)
{
	const char *name;
	bool failed = false;

	if (v->names == NAMES_ADDRESSES || !v->name_of || !address[0])
		return address;
	name = v->name_of(v->name_ctx, address, &failed);
	if (!name) {
		if (failed && v->names == NAMES_NAMES)
			snprintf(buf, cap, "%s (no name)", address);
		else
			snprintf(buf, cap, "%s", address);
	} else if (v->names == NAMES_BOTH) {
		snprintf(buf, cap, "%s (%s)", name, address);
	} else {
		snprintf(buf, cap, "%s", name);
	}
	return buf;
}

/* What the Address column shows for row r (buf: room for a name). */
static const char *row_address(const struct view *v, const struct row *r, char *buf, size_t cap)
{
	if (r->state == ROW_RESOLVING)
		return "resolving...";
	return shown_address(v, r->address, buf, cap);
}

/*
 * The widths of the Target and Address columns: the widest name (at most
 * 28 columns), the widest address (at most 39); in names mode, the widest
 * shown on screen (names are asked for the rows shown only).
 */
static void table_widths(const struct view *v, const struct canvas *c, int *w_name, int *w_addr)
{
	const struct model *m = v->model;
	size_t i;

	*w_name = 6;
	*w_addr = 7;
	for (i = 0; i < m->n; i++) {
		int n = cells_width(m->rows[i]->name, c->utf8);
		int a = v->names == NAMES_ADDRESSES ? (int)strlen(m->rows[i]->address) : 0;

		*w_name = n > *w_name ? n : *w_name;
		*w_addr = a > *w_addr ? a : *w_addr;
	}
	for (i = v->top; v->names != NAMES_ADDRESSES && i < m->n && i < v->top + (size_t)c->h;
	     i++) {
		char shown[512];
		int a = cells_width(row_address(v, m->rows[v->order[i]], shown, sizeof(shown)),
		                    c->utf8);

		*w_addr = a > *w_addr ? a : *w_addr;
	}
	*w_name = *w_name > 28 ? 28 : *w_name;
	*w_addr = *w_addr > 39 ? 39 : *w_addr;
}

/* Before a row's history: why it is in alert ("DOWN 5 lost", "ALERT loss
 * 52.0%"); returns the columns used. */
static int alert_note(const struct canvas *c, int y, int x, const struct row *r)
{
	char buf[64], num[32];

	if (strcmp(r->alert_why, "down") == 0)
		snprintf(buf, sizeof(buf), "DOWN %d lost ", (int)r->alert_value);
	else if (strcmp(r->alert_why, "loss") == 0)
		snprintf(buf, sizeof(buf), "ALERT loss %s%% ",
		         fmt_fixed(num, sizeof(num), r->alert_value, 1));
	else
		snprintf(buf, sizeof(buf), "ALERT %s %s ms ",
		         r->alert_stat[0] ? r->alert_stat : "avg",
		         fmt_ms(num, sizeof(num), r->alert_value));
	return cells_text(c, y, x, c->w - x, buf, SLOT_ALERT);
}

/* A group's header line: "[-] name  3 targets" ("[+]" collapsed), and how
 * many of them are in alert. */
static void group_header(const struct view *v, const struct canvas *c, int y,
                         const struct section *sec, int section, bool selected)
{
	const struct model *m = v->model;
	size_t i, n = 0, alerts = 0;
	char buf[160];
	int x;

	for (i = 0; i < m->n; i++) {
		if (m->rows[i]->section != section)
			continue;
		n++;
		alerts += m->rows[i]->alert_why != NULL;
	}
	if (selected)
		cells_bar(c, y, SLOT_SELECTED);
	snprintf(buf, sizeof(buf), "%s %s  %zu target%s", sec->collapsed ? "[+]" : "[-]", sec->name,
	         n, n == 1 ? "" : "s");
	x = cells_text(c, y, 0, c->w, buf, selected ? SLOT_SELECTED : SLOT_HEADER);
	if (alerts && x + 2 < c->w) {
		snprintf(buf, sizeof(buf), "%zu in alert", alerts);
		cells_text(c, y, x + 2, c->w - x - 2, buf, SLOT_ALERT);
	}
}

/* The target table. */
static void draw_table(const struct view *v, const struct canvas *c)
{
	const struct model *m = v->model;
	size_t i;
	int w_name, w_addr, x0, y, room, nums;
	bool show_addr;

	table_widths(v, c, &w_name, &w_addr);
	/* the numbers take their columns (69 by default); the names and
	 * addresses share what is left beside 8 of history, the address
	 * column cut (names in names mode are long) before it goes */
	nums = columns_total(shown_columns(v), false);
	room = c->w - nums - 8 - 2;
	if (w_name + w_addr > room && room >= 30) {
		int name = room - w_addr > room / 2 ? room - w_addr : room / 2;

		w_name = w_name < name ? w_name : name;
		w_addr = room - w_name;
	}
	show_addr = w_name + w_addr <= room;
	if (!show_addr && c->w < w_name + 1 + nums)
		w_name = c->w - nums - 1 > 6 ? c->w - nums - 1 : 6;

	cells_text(c, 1, 0, w_name, "Target", SLOT_HEADER);
	x0 = w_name + 1;
	if (show_addr) {
		cells_text(c, 1, x0, w_addr, "Address", SLOT_HEADER);
		x0 += w_addr + 1;
	}
	x0 = number_headers(v, c, 1, x0, false);
	cells_text(c, 1, x0, c->w - x0, "History", SLOT_HEADER);

	for (y = 2, i = v->top; i < (v->shown ? v->shown : m->n) && y < c->h - 1; i++, y++) {
		const struct row *r = m->rows[v->order[i]];
		enum slot base = i == v->selected ? SLOT_SELECTED : SLOT_ROW;
		const struct section *sec = model_section_at(m, v->order, i);
		int x = 0;

		if (sec && model_starts_section(m, v->order, i)) {
			/* a collapsed group's header stands for its rows */
			group_header(v, c, y, sec, r->section, sec->collapsed && i == v->selected);
			if (sec->collapsed || ++y >= c->h - 1)
				continue;
		}

		if (i == v->selected)
			cells_bar(c, y, SLOT_SELECTED);
		/* a row in alert: its name in the alert slot (selected or not:
		 * the selection shows in the rest of the line) */
		cells_text(c, y, x, w_name, r->name, r->alert_why ? SLOT_ALERT : base);
		x += w_name + 1;
		if (show_addr) {
			char shown[512];

			cells_text(c, y, x, w_addr, row_address(v, r, shown, sizeof(shown)),
			           i == v->selected ? base : SLOT_DIM);
			x += w_addr + 1;
		}
		x = numbers(v, c, y, x, r, base, false);
		if (x < c->w && r->alert_why)
			x += alert_note(c, y, x, r);
		if (x >= c->w)
			continue;
		if (r->error[0]) {
			/* the last error first, then as much history as fits */
			char e[SONAR_MSGLEN + 4];
			int n;

			snprintf(e, sizeof(e), "%s ", r->error);
			n = cells_width(e, c->utf8);
			cells_text(c, y, x, c->w - x, e, SLOT_ERROR);
			if (x + n < c->w)
				strip(c, y, x + n, c->w - x - n, r);
		} else {
			strip(c, y, x, c->w - x, r);
		}
	}
	if (m->n == 0)
		cells_text(c, 3, 2, c->w - 2, "No targets: press 'a' to add one.", SLOT_DIM);
}

/*
 * Under a responder's line y, its MPLS label stack when e shows them, an
 * entry a line from column x (mtr's form); returns the last line used.
 */
static int mpls_lines(const struct view *v, const struct canvas *c, int y, int x,
                      const struct hop *h, int k)
{
	char buf[160];
	int i;

	for (i = 0; v->mpls && i < h->resp[k].mpls_count && y + 1 < c->h - 1; i++) {
		const struct sonar_mpls *m = &h->resp[k].mpls[i];

		snprintf(buf, sizeof(buf), "[MPLS: Lbl %lu TC %d S %d TTL %d]",
		         (unsigned long)m->label, m->tc, m->s, m->ttl);
		cells_text(c, ++y, x, c->w - x, buf, SLOT_DIM);
	}
	return y;
}

/* After a hop's numbers, from column x: what the hop's losses mean, or its
 * error, then its history. */
static void hop_notes(const struct canvas *c, int y, int x, const struct path *p, int ttl)
{
	const struct hop *h = &p->hops[ttl - p->first_hop];

	if (path_rate_limited(p, ttl)) {
		cells_text(c, y, x, c->w - x, "rate-limited? ", SLOT_WARN);
		x += 14;
	} else if (path_silent(p, ttl)) {
		cells_text(c, y, x, c->w - x, "silent (no TTL exceeded) ", SLOT_DIM);
		x += 25;
	} else if (h->r.error[0]) {
		char e[SONAR_MSGLEN + 2];

		snprintf(e, sizeof(e), "%s ", h->r.error);
		cells_text(c, y, x, c->w - x, e, SLOT_ERROR);
		x += cells_width(e, c->utf8);
	}
	if (x < c->w)
		strip(c, y, x, c->w - x, &h->r);
}

/*
 * A responder as the path view names it: its address or name, after its
 * AS when z shows them ("AS64500 EXAMPLE 192.0.2.1"; nothing for none).
 */
static const char *responder_text(const struct view *v, const char *address, char *buf, size_t cap)
{
	char shown[512], as[160] = "";
	const char *a = shown_address(v, address, shown, sizeof(shown));

	if (v->asn && v->as_of)
		v->as_of(v->name_ctx, address, as, sizeof(as));
	snprintf(buf, cap, "%s%s%s", as, as[0] ? " " : "", a);
	return buf;
}

/* After a responder's text in buf: the flows that met it ("  flows 0,2-4"). */
static void flows_note(char *buf, size_t cap, uint32_t flows)
{
	char f[64];
	size_t len = strlen(buf);

	snprintf(buf + len, cap - len, "  flows %s", path_flows_text(flows, f, sizeof(f)));
}

/* The path view: one line per TTL. */
static void draw_path(const struct view *v, const struct canvas *c)
{
	const struct path *p = v->path;
	int last = path_shown(p), ttl, y, x0;
	/* the AS takes room of its own when the screen has it */
	int w_host = v->asn && c->w >= 130 ? 48 : 30;

	cells_text(c, 1, 0, 4, "TTL", SLOT_HEADER);
	cells_text(c, 1, 5, w_host, "Host", SLOT_HEADER);
	x0 = number_headers(v, c, 1, 5 + w_host + 1, true);
	cells_text(c, 1, x0, c->w - x0, "History", SLOT_HEADER);
	if (last == 0)
		cells_text(c, 3, 2, c->w - 2, "Waiting for the first answers...", SLOT_DIM);
	for (y = 2, ttl = p->first_hop + (int)v->top; ttl <= last && y < c->h - 1; ttl++, y++) {
		const struct hop *h = &p->hops[ttl - p->first_hop];
		char buf[160];
		int x, k, best;

		snprintf(buf, sizeof(buf), "%d.", ttl);
		cells_rtext(c, y, 0, 3, buf, SLOT_DIM);
		best = 0;
		if (h->nresp == 0) {
			cells_text(c, y, 5, w_host, "*", SLOT_DIM);
		} else {
			/* the responder seen most, and how many others */
			char shown[700];
			const char *a;

			for (k = 1; k < h->nresp; k++)
				if (h->resp[k].count > h->resp[best].count)
					best = k;
			a = responder_text(v, h->resp[best].address, shown, sizeof(shown));

			if (h->nresp > 1)
				snprintf(buf, sizeof(buf), "%.60s (+%d)", a, h->nresp - 1);
			else
				snprintf(buf, sizeof(buf), "%.70s", a);

			cells_text(c, y, 5, w_host, buf, SLOT_ROW);
		}
		x = numbers(v, c, y, 5 + w_host + 1, &h->r, SLOT_ROW, true);
		if (x < c->w)
			hop_notes(c, y, x, p, ttl);
		/* the lines under it: past the numbers' end on a narrow screen too */
		if (h->nresp)
			y = mpls_lines(v, c, y, 7, h, best);
		/* the other responders of this TTL (load balancing), one a line;
		 * with several flows, every one with the flows that met it (a
		 * fork: which flows go which way) */
		for (k = 0; k < h->nresp && y + 1 < c->h - 1; k++) {
			if (k == best && !(p->nflows > 1 && h->nresp > 1))
				continue;
			char shown[700];

			snprintf(buf, sizeof(buf), "%.60s (%llu)",
			         responder_text(v, h->resp[k].address, shown, sizeof(shown)),
			         (unsigned long long)h->resp[k].count);
			if (p->nflows > 1)
				flows_note(buf, sizeof(buf), h->resp[k].flows);
			cells_text(c, ++y, 7, c->w - 7, buf, SLOT_DIM);
			if (k != best) /* best's went under the hop's line */
				y = mpls_lines(v, c, y, 9, h, k);
		}
	}
}

/* The title bar. */
static void draw_title(const struct view *v, const struct canvas *c)
{
	char t[512], every[32], proto[64], window[40] = "";

	fmt_seconds(every, sizeof(every), v->interval);
	if (v->window)
		snprintf(window, sizeof(window), "  last %zu probes", v->window);
	cells_bar(c, 0, SLOT_TITLE);
	if (v->screen == SCREEN_CHART) {
		char what[48];

		if (v->chart_from == SCREEN_PATH && !v->chart_all)
			snprintf(what, sizeof(what), "hop %d", v->chart_hop);
		else
			snprintf(what, sizeof(what), "%s",
			         v->chart_from == SCREEN_PATH ? "every hop"
			         : v->chart_all               ? "the targets shown"
			                                      : "the selected target");
		snprintf(t, sizeof(t), " sonar  RTT chart of %s  every %ss%s%s  Esc: back", what,
		         every, v->paused ? "  PAUSED" : "", window);
	} else if (v->screen == SCREEN_PATH) {
		/* what the trace probes with: t, u and i change it */
		if (v->path->protocol == SONAR_PROTO_ICMP)
			snprintf(proto, sizeof(proto), "ICMP");
		else if (v->path->nflows > 1 && v->path->protocol == SONAR_PROTO_TCP)
			snprintf(proto, sizeof(proto), "TCP port %d from %d-%d", v->path->port,
			         SONAR_TCP_FLOW_PORT, SONAR_TCP_FLOW_PORT + v->path->nflows - 1);
		else if (v->path->nflows > 1)
			snprintf(proto, sizeof(proto), "%s ports %d-%d",
			         target_url_protocol_name(v->path->protocol), v->path->port,
			         v->path->port + v->path->nflows - 1);
		else
			snprintf(proto, sizeof(proto), "%s port %d",
			         target_url_protocol_name(v->path->protocol), v->path->port);
		if (v->path->nflows > 1) /* F: Paris flows */
			snprintf(proto + strlen(proto), sizeof(proto) - strlen(proto), "  %d flows",
			         v->path->nflows);
		snprintf(t, sizeof(t), " sonar  path to %s (%s)  %s  every %ss%s%s  Esc: back",
		         v->path->target, v->path->address, proto, every,
		         v->paused ? "  PAUSED" : "", window);
	} else {
		snprintf(
		    t, sizeof(t), " sonar  %zu targets  every %ss  %s%s  sort: %s%s  %s  theme: %s",
		    v->model->n, every, v->paused ? "PAUSED" : "running", window,
		    sort_name(v->model->sort), v->model->sort && v->model->reverse ? " (rev)" : "",
		    v->names == NAMES_NAMES  ? "names"
		    : v->names == NAMES_BOTH ? "names+addresses"
		                             : "addresses",
		    v->theme);
	}
	cells_text(c, 0, 0, c->w - 8, t, SLOT_TITLE); /* cut before the hint, not under it */
	cells_rtext(c, 0, c->w - 8, 8, "? help ", SLOT_TITLE);
}

/*
 * The bottom line: the line editor, a message, or the keys (the capture
 * pane's first when its header had no room for them).
 */
static void draw_bottom(const struct view *v, const struct canvas *c, bool pane_keys)
{
	int y = c->h - 1;
	char keys[512];

	if (v->prompt) {
		int lw = cells_width(v->prompt, c->utf8), room = c->w - lw - 1;

		/* the editor owns the bottom line: why an entry was refused goes
		 * on the line above it */
		if (v->message) {
			cells_bar(c, y - 1, SLOT_STATUS);
			cells_text(c, y - 1, 1, c->w - 1, v->message,
			           v->message_is_error ? SLOT_ERROR : SLOT_MESSAGE);
		}
		size_t start = v->input_cursor > (size_t)room ? v->input_cursor - (size_t)room : 0;

		cells_text(c, y, 0, lw, v->prompt, SLOT_PROMPT);
		cells_text(c, y, lw, room, v->input + start, SLOT_ROW);
		c->cursor(c->ctx, y, lw + (int)(v->input_cursor - start));
		return;
	}
	c->cursor(c->ctx, -1, 0);
	cells_bar(c, y, SLOT_STATUS);
	snprintf(keys, sizeof(keys), "%s%s%s", pane_keys ? v->pane_keys : "", pane_keys ? "  " : "",
	         v->keyline ? v->keyline : "");
	if (v->message)
		cells_text(c, y, 1, c->w - 1, v->message,
		           v->message_is_error ? SLOT_ERROR : SLOT_MESSAGE);
	else
		cells_text(c, y, 1, c->w - 1, keys, SLOT_STATUS);
}

/*
 * The capture pane's header into head: what the pane holds, and the keys
 * at its right when they fit beside it; false when they do not (they go
 * to the bottom line). The long description is dropped before the keys
 * are, so that the count and the skipped note are never hidden.
 */
static bool pane_header(const struct view *v, const struct canvas *c, char *head, size_t cap)
{
	static const char *const titles[] = {" capture: ICMP and ICMPv6 on every interface",
	                                     " capture"};
	char state[160], skipped[64] = "";
	int keys = cells_width(v->pane_keys ? v->pane_keys : "", c->utf8) + 1, i;

	if (v->cap_skipped)
		snprintf(skipped, sizeof(skipped), "  %zu older packets skipped", v->cap_skipped);
	snprintf(state, sizeof(state), "%s%s%s  (%zu)%s", v->cap_filter ? "  about " : "",
	         v->cap_filter ? v->cap_filter : "", v->cap_frozen ? "  FROZEN" : "", v->cap_n,
	         skipped);
	for (i = 0; i < 2; i++) {
		snprintf(head, cap, "%s%s", titles[i], state);
		if (!v->pane_keys || cells_width(head, c->utf8) + 2 + keys <= c->w)
			return true;
	}
	snprintf(head, cap, "%s%s", titles[0], state);
	if (cells_width(head, c->utf8) > c->w)
		snprintf(head, cap, "%s%s", titles[1], state);
	return false;
}

/* The capture pane: rows y0 to y1 - 1, newest packet at the bottom. */
static void draw_capture(const struct view *v, const struct canvas *c, int y0, int y1,
                         const char *head, bool keys)
{
	char line[512];
	size_t shown = v->cap_n < CAP_LINES ? v->cap_n : CAP_LINES, i, skipped = 0;
	int y = y1 - 1;

	cells_bar(c, y0, SLOT_HEADER);
	cells_text(c, y0, 0, c->w, head, SLOT_HEADER);
	if (keys && v->pane_keys) {
		int n = cells_width(v->pane_keys, c->utf8) + 1;

		cells_text(c, y0, c->w - n, n, v->pane_keys, SLOT_HEADER);
	}
	if (v->cap_error && !v->cap_n) {
		cells_text(c, y0 + 1, 1, c->w - 1, v->cap_error, SLOT_ERROR);
		return;
	}
	/* a capture that failed after packets came says so on the pane's last
	 * line: a pane that stopped must not look merely quiet */
	if (v->cap_error && y > y0)
		cells_text(c, y--, 1, c->w - 1, v->cap_error, SLOT_ERROR);
	for (i = 0; i < shown && y > y0; i++) {
		const struct cap_line *l = &v->cap_ring[(v->cap_n - 1 - i) % CAP_LINES];
		enum slot slot = l->own ? SLOT_ROW : SLOT_DIM;

		if (v->cap_filter && !capture_about(l, v->cap_filter))
			continue;
		if (skipped++ < v->cap_scroll)
			continue;
		if (l->p.detail[0])
			slot = SLOT_ERROR;
		capture_format(l, line, sizeof(line));
		cells_text(c, y--, 0, c->w, line, slot);
	}
}

/* The event log pane: rows y0 to y1 - 1, newest event at the bottom. */
static void draw_log(const struct view *v, const struct canvas *c, int y0, int y1)
{
	char line[512], head[128];
	size_t i;
	int y = y1 - 1;

	snprintf(head, sizeof(head), " events: up, down, alert, clear, address  (%zu)",
	         v->log ? v->log->n : 0);
	cells_bar(c, y0, SLOT_HEADER);
	cells_text(c, y0, 0, c->w, head, SLOT_HEADER);
	if (!v->log || v->log->n == 0) {
		cells_text(c, y0 + 1, 1, c->w - 1, "No events yet.", SLOT_DIM);
		return;
	}
	for (i = 0; y > y0; i++, y--) {
		const struct event_line *e = eventlog_get(v->log, i);

		if (!e)
			break;
		eventlog_format(e, line, sizeof(line));
		cells_text(c, y, 0, c->w, line,
		           e->ev == ALERT_EV_ALERT || e->ev == ALERT_EV_DOWN ? SLOT_ALERT
		                                                             : SLOT_ROW);
	}
}

void view_draw(const struct view *v, const struct canvas *c)
{
	struct canvas top = *c;
	struct view_layout l;
	char head[256];
	bool keys_on_pane = true;

	if (c->w < VIEW_MIN_W || c->h < VIEW_MIN_H) {
		char buf[96];

		snprintf(buf, sizeof(buf), "terminal too small (%dx%d, need %dx%d)", c->w, c->h,
		         VIEW_MIN_W, VIEW_MIN_H);
		cells_text(c, c->h / 2, 0, c->w, buf, SLOT_ERROR);
		c->cursor(c->ctx, -1, 0);
		return;
	}
	view_layout(c, v->cap_shown || v->log_shown, &l);
	top.h = l.main_h;
	draw_title(v, &top);
	if (v->screen == SCREEN_HELP)
		help_draw(v, &top);
	else if (v->screen == SCREEN_PATH)
		draw_path(v, &top);
	else if (v->screen == SCREEN_CHART)
		plot_draw(v, &top);
	else
		draw_table(v, &top);
	if (l.cap_y0 != l.cap_y1 && v->log_shown) {
		draw_log(v, c, l.cap_y0, l.cap_y1);
	} else if (l.cap_y0 != l.cap_y1) {
		keys_on_pane = pane_header(v, c, head, sizeof(head));
		draw_capture(v, c, l.cap_y0, l.cap_y1, head, keys_on_pane);
	}
	/* the pane's keys where its header had no room, but not on the help
	 * (they do not work there) */
	draw_bottom(v, c, !keys_on_pane && v->screen != SCREEN_HELP);
}
