/*
 * tracer.c - the path view's traceroute, from start to stop.
 *
 * d->path is NULL (no path view) or this file's: made by tracer_open(),
 * freed by tracer_close() and by nobody else. Between the two, path->op is
 * the engine's continuous traceroute (count 0, every TTL each interval).
 * Events are taken only while they belong to the traceroute of the path in
 * d->path: one stopped meanwhile finds nothing.
 */
#include "config.h"
#include "tracer.h"

#include <stdlib.h>

#include "rows.h"

/* Every packet of the traceroute (the engine's callback). */
static void tracer_event_cb(const struct sonar_event *ev, void *user)
{
	struct dash *d = user;

	if (!d->path || ev->op != d->path->op)
		return;
	path_event(d->path, ev);
	d->dirty = d->dirty || d->screen == SCREEN_PATH;
}

void tracer_close(struct dash *d)
{
	if (d->path && d->path->op > 0)
		sonar_engine_stop(d->e, d->path->op);
	free(d->path);
	d->path = NULL;
	d->screen = SCREEN_TABLE;
	d->dirty = true;
}

void tracer_open(struct dash *d)
{
	struct row *r = rows_selected(d);
	struct sonar_options o = d->o;
	int op;

	if (!r || r->state != ROW_ACTIVE) {
		say(d, true, "no address to trace yet");
		return;
	}
	tracer_close(d);
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
	op = sonar_engine_traceroute(d->e, r->address, &o, tracer_event_cb, NULL, d);
	if (op < 0) {
		say(d, true, "%s", sonar_last_error());
		free(d->path);
		d->path = NULL;
		return;
	}
	d->path->op = op;
	tracer_follow(d);
	d->screen = SCREEN_PATH;
	d->top = 0;
	d->dirty = true;
}

void tracer_follow(struct dash *d)
{
	if (!d->path || d->path->op <= 0)
		return;
	sonar_engine_set_interval(d->e, d->path->op, -1, d->interval);
	sonar_engine_pause(d->e, d->path->op, -1, d->paused);
}
