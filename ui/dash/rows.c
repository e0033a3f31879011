/*
 * rows.c - the rows' life, from the engine's and the resolver's callbacks.
 *
 * A row is RESOLVING (its host is with the resolver, under the row's key),
 * ACTIVE (its address is a target of its group's multiping: row->group,
 * row->engine) or FAILED (row->error says why). The engine's options are
 * an operation's, so the table runs one multiping per protocol and port
 * (d->groups): started with its first row, stopped when its last leaves.
 * Callbacks find rows by key, or by operation and engine index, never by
 * pointer, so a row removed meanwhile is simply not found.
 */
#include "config.h"
#include "rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "refresh.h"
#include "target_url.h"
#include "watch.h"

/* The group of row r's protocol and port, started if there is none; its
 * index, or -1 with the reason on the row. */
static int group_for(struct dash *d, struct row *r)
{
	struct sonar_options o = d->o;
	size_t i, free_slot = d->ngroups;
	int op;

	for (i = 0; i < d->ngroups; i++) {
		const struct group *g = &d->groups[i];

		if (g->op > 0 && g->protocol == r->protocol && g->port == r->port)
			return (int)i;
		if (g->op == 0 && free_slot == d->ngroups)
			free_slot = i;
	}
	if (free_slot == d->ngroups) {
		struct group *v = realloc(d->groups, (d->ngroups + 1) * sizeof(*v));

		if (!v) {
			snprintf(r->error, sizeof(r->error), "out of memory");
			return -1;
		}
		d->groups = v;
		memset(&v[d->ngroups++], 0, sizeof(*v));
	}
	o.protocol = r->protocol;
	o.port = r->port;
	op = sonar_engine_multiping(d->e, NULL, 0, &o, rows_event_cb, NULL, d);
	if (op < 0) {
		snprintf(r->error, sizeof(r->error), "%s", sonar_last_error());
		return -1;
	}
	d->groups[free_slot] = (struct group){r->protocol, r->port, op, 0};
	return (int)free_slot;
}

/* A row left group g: the last one stops its operation. */
static void group_leave(struct dash *d, int g)
{
	struct group *gr = &d->groups[g];

	if (gr->rows > 0)
		gr->rows--;
	if (gr->rows == 0 && gr->op > 0) {
		sonar_engine_stop(d->e, gr->op);
		gr->op = 0;
	}
}

/*
 * Make address a target of row r's group, under the dashboard's current
 * pause and interval (p, + and - may have changed them since the group
 * started). false with the reason on the row.
 */
static bool probe(struct dash *d, struct row *r, const char *address)
{
	int g = group_for(d, r), idx;

	if (g < 0) {
		r->state = ROW_FAILED;
		return false;
	}
	d->groups[g].rows++;
	idx = sonar_engine_add_target(d->e, d->groups[g].op, address);
	if (idx < 0 || model_bind(&d->m, r, g, idx) < 0) {
		snprintf(r->error, sizeof(r->error), "%s",
		         idx < 0 ? sonar_last_error() : "out of memory");
		if (idx >= 0)
			sonar_engine_remove_target(d->e, d->groups[g].op, (size_t)idx);
		group_leave(d, g);
		r->state = ROW_FAILED;
		return false;
	}
	if (d->interval != d->o.interval)
		sonar_engine_set_interval(d->e, d->groups[g].op, idx, d->interval);
	if (d->paused)
		sonar_engine_pause(d->e, d->groups[g].op, idx, true);
	snprintf(r->address, sizeof(r->address), "%.*s", (int)sizeof(r->address) - 1, address);
	r->state = ROW_ACTIVE;
	return true;
}

/* Probe row r as its name says: an address goes to the engine now, a
 * host name to the resolver. */
static void start_row(struct dash *d, struct row *r)
{
	struct target_url u;

	r->state = ROW_RESOLVING;
	r->address[0] = '\0';
	if (target_url_parse(r->name, &u, r->error, sizeof(r->error)) < 0) {
		r->state = ROW_FAILED; /* the callers checked it: not seen */
		return;
	}
	if (u.protocol == SONAR_PROTO_ICMP) {
		/* a plain host: as the command line says (--udp, --tcp, -p),
		 * ICMP unless it says otherwise */
		u.protocol = d->o.protocol;
		u.port = u.protocol == SONAR_PROTO_ICMP  ? 0
		         : d->o.port                     ? d->o.port
		         : u.protocol == SONAR_PROTO_TCP ? TARGET_URL_TCP_PORT
		                                         : TARGET_URL_UDP_PORT;
	}
	r->protocol = u.protocol;
	r->port = u.port;
	r->refresh_ns = 0; /* an address is never asked again */
	if (!sonar_is_ipv4_address(u.host) && !sonar_is_ipv6_address(u.host)) {
		if (resolver_submit(d->res, r->key, u.host, d->o.family, NULL) < 0) {
			r->state = ROW_FAILED;
			snprintf(r->error, sizeof(r->error), "out of memory");
		}
		return;
	}
	probe(d, r, u.host);
}

void rows_resolved_cb(uint64_t key, bool ok, const char *text, void *user)
{
	struct dash *d = user;
	size_t i;
	struct row *r;

	if (key & REFRESH_KEY) {
		refresh_answer(d, key & ~REFRESH_KEY, ok, text);
		return;
	}
	if ((i = model_index(&d->m, key)) == (size_t)-1)
		return; /* removed or edited meanwhile */
	r = d->m.rows[i];
	if (r->state != ROW_RESOLVING)
		return;
	d->dirty = true;
	if (!ok) {
		r->state = ROW_FAILED;
		snprintf(r->error, sizeof(r->error), "%s", text);
		refresh_schedule(d, r, now_ns()); /* asked again: DNS may come back */
	} else if (probe(d, r, text)) {
		refresh_schedule(d, r, now_ns());
	}
	record_row(d, r);
}

/* Stop probing row r (before it is removed or renamed). */
static void stop_row(struct dash *d, struct row *r)
{
	int g = r->group;

	if (g < 0 || r->engine < 0)
		return;
	sonar_engine_remove_target(d->e, d->groups[g].op, (size_t)r->engine);
	model_unbind(&d->m, r);
	group_leave(d, g);
}

bool rows_readdress(struct dash *d, struct row *r, const char *address)
{
	stop_row(d, r);
	row_reset(r);
	record_reset(d, r->key);
	d->dirty = true;
	if (!probe(d, r, address)) {
		record_row(d, r);
		return false;
	}
	record_row(d, r);
	return true;
}

struct row *rows_add(struct dash *d, const char *name)
{
	struct row *r = model_add(&d->m, name);

	if (!r) {
		say(d, true, "out of memory");
		return NULL;
	}
	start_row(d, r);
	record_row(d, r);
	d->dirty = true;
	return r;
}

void rows_rename(struct dash *d, struct row *r, const char *name)
{
	bool selected = d->sel_key == r->key;
	uint64_t old_key = r->key;

	stop_row(d, r);
	/* a fresh key: the old name's lookup, still running, must not find it */
	model_rekey(&d->m, r);
	if (selected)
		d->sel_key = r->key;
	snprintf(r->name, sizeof(r->name), "%s", name);
	row_reset(r);
	start_row(d, r);
	record_rename(d, old_key, r);
	d->dirty = true;
}

void rows_remove(struct dash *d, struct row *r)
{
	rows_select_move(d, 1);
	if (d->sel_key == r->key)
		rows_select_move(d, -1);
	stop_row(d, r);
	record_remove(d, r->key);
	model_remove(&d->m, model_index(&d->m, r->key));
	d->dirty = true;
}

void rows_event_cb(const struct sonar_event *ev, void *user)
{
	struct dash *d = user;
	struct row *r = NULL;
	size_t g;

	for (g = 0; g < d->ngroups && !r; g++)
		if (d->groups[g].op == ev->op)
			r = model_by_engine(&d->m, (int)g, (int)ev->target);
	if (r)
		rows_apply(d, r, ev);
}

void rows_apply(struct dash *d, struct row *r, const struct sonar_event *ev)
{
	record_event(d, r->key, ev);
	switch (ev->type) {
	case SONAR_EVENT_SENT:
		row_sent(r);
		break;
	case SONAR_EVENT_REPLY:
		row_reply(r, ev->rtt, ev->reply_ttl);
		watch_row(d, r);
		break;
	case SONAR_EVENT_TIMEOUT:
		row_lost(r);
		watch_row(d, r);
		break;
	case SONAR_EVENT_ICMP_ERROR:
	case SONAR_EVENT_SEND_ERROR:
		row_error(r, ev->message);
		watch_row(d, r);
		break;
	case SONAR_EVENT_DUPLICATE:
		break;
	}
	d->dirty = d->dirty || d->screen == SCREEN_TABLE;
}

size_t rows_order(struct dash *d)
{
	struct row *sel;
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
	d->shown = model_shown(&d->m, d->order, d->m.n);
	for (i = 0; i < d->shown; i++)
		if (d->m.rows[d->order[i]]->key == d->sel_key)
			return i;
	/* in a collapsed group: its header (the entry of its first row) */
	sel = rows_selected(d);
	for (i = 0; sel && sel->section >= 0 && i < d->shown; i++)
		if (d->m.rows[d->order[i]]->section == sel->section)
			return i;
	if (d->shown) /* the selected row went: select the first */
		d->sel_key = d->m.rows[d->order[0]]->key;
	return 0;
}

struct row *rows_selected(struct dash *d)
{
	size_t i = model_index(&d->m, d->sel_key);

	return i == (size_t)-1 ? NULL : d->m.rows[i];
}

void rows_select_move(struct dash *d, long delta)
{
	size_t pos = rows_order(d);
	long p = (long)pos + delta;

	if (d->shown == 0)
		return;
	if (p < 0)
		p = 0;
	if (p >= (long)d->shown)
		p = (long)d->shown - 1;
	d->sel_key = d->m.rows[d->order[p]]->key;
}

void rows_set_interval(struct dash *d, double seconds)
{
	size_t g;

	record_interval(d);
	model_mark_interval(&d->m);
	if (d->path)
		path_mark_interval(d->path);
	for (g = 0; g < d->ngroups; g++)
		if (d->groups[g].op > 0)
			sonar_engine_set_interval(d->e, d->groups[g].op, -1, seconds);
}

void rows_pause(struct dash *d, bool paused)
{
	size_t g;

	record_pause(d);
	for (g = 0; g < d->ngroups; g++)
		if (d->groups[g].op > 0)
			sonar_engine_pause(d->e, d->groups[g].op, -1, paused);
}
