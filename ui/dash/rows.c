/*
 * rows.c - the rows' life, from the engine's and the resolver's callbacks.
 *
 * A row is RESOLVING (its name is with the resolver, under the row's key),
 * ACTIVE (its address is one of the multiping's targets: row->engine) or
 * FAILED (row->error says why). Callbacks find rows by key or by engine
 * index, never by pointer, so a row removed meanwhile is simply not found.
 */
#include "config.h"
#include "rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Make address one of the multiping's targets for row r, under the
 * dashboard's current pause and interval (p, + and - may have changed them
 * since the multiping started). false with the reason on the row.
 */
static bool probe(struct dash *d, struct row *r, const char *address)
{
	int idx = sonar_engine_add_target(d->e, d->op, address);

	if (idx < 0) {
		r->state = ROW_FAILED;
		snprintf(r->error, sizeof(r->error), "%s", sonar_last_error());
		return false;
	}
	if (d->interval != d->o.interval)
		sonar_engine_set_interval(d->e, d->op, idx, d->interval);
	if (d->paused)
		sonar_engine_pause(d->e, d->op, idx, true);
	snprintf(r->address, sizeof(r->address), "%.*s", (int)sizeof(r->address) - 1, address);
	r->state = ROW_ACTIVE;
	model_bind(&d->m, r, idx);
	return true;
}

/* Probe row r: an address goes to the engine now, a name to the resolver. */
static void start_row(struct dash *d, struct row *r)
{
	r->state = ROW_RESOLVING;
	r->address[0] = '\0';
	if (!sonar_is_ipv4_address(r->name) && !sonar_is_ipv6_address(r->name)) {
		if (resolver_submit(d->res, r->key, r->name, d->o.family) < 0) {
			r->state = ROW_FAILED;
			snprintf(r->error, sizeof(r->error), "out of memory");
		}
		return;
	}
	probe(d, r, r->name);
}

void rows_resolved_cb(uint64_t key, bool ok, const char *text, void *user)
{
	struct dash *d = user;
	size_t i = model_index(&d->m, key);
	struct row *r;

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
	probe(d, r, text);
}

/* Stop probing row r (before it is removed or renamed). */
static void stop_row(struct dash *d, struct row *r)
{
	if (r->engine >= 0)
		sonar_engine_remove_target(d->e, d->op, (size_t)r->engine);
	model_unbind(&d->m, r);
}

struct row *rows_add(struct dash *d, const char *name)
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

void rows_rename(struct dash *d, struct row *r, const char *name)
{
	bool selected = d->sel_key == r->key;

	stop_row(d, r);
	/* a fresh key: the old name's lookup, still running, must not find it */
	model_rekey(&d->m, r);
	if (selected)
		d->sel_key = r->key;
	snprintf(r->name, sizeof(r->name), "%s", name);
	row_reset(r);
	start_row(d, r);
	d->dirty = true;
}

void rows_remove(struct dash *d, struct row *r)
{
	rows_select_move(d, 1);
	if (d->sel_key == r->key)
		rows_select_move(d, -1);
	stop_row(d, r);
	model_remove(&d->m, model_index(&d->m, r->key));
	d->dirty = true;
}

void rows_event_cb(const struct sonar_event *ev, void *user)
{
	struct dash *d = user;
	struct row *r = model_by_engine(&d->m, (int)ev->target);

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

size_t rows_order(struct dash *d)
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

struct row *rows_selected(struct dash *d)
{
	size_t i = model_index(&d->m, d->sel_key);

	return i == (size_t)-1 ? NULL : d->m.rows[i];
}

void rows_select_move(struct dash *d, long delta)
{
	size_t pos = rows_order(d);
	long p = (long)pos + delta;

	if (d->m.n == 0)
		return;
	if (p < 0)
		p = 0;
	if (p >= (long)d->m.n)
		p = (long)d->m.n - 1;
	d->sel_key = d->m.rows[d->order[p]]->key;
}
