/*
 * tracer.c - the path view's traceroute, from start to stop.
 *
 * d->path is NULL (no path view) or this file's: made by tracer_open(),
 * freed by tracer_close() and by nobody else. Between the two, path->op is
 * the engine's continuous traceroute (count 0, every TTL each interval)
 * with the row's protocol and port, or the one t, u or i switched to (a
 * new traceroute, the path's statistics started afresh).
 * Events are taken only while they belong to the traceroute of the path in
 * d->path: one stopped meanwhile finds nothing.
 */
#include "config.h"
#include "tracer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "target_url.h"

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

/* Start d->path's traceroute: its address, protocol and port, continuous
 * (count 0, every TTL each interval), as the dashboard's pause and
 * interval say. 0, or -1 after saying why. */
static int trace_start(struct dash *d)
{
	struct sonar_options o = d->o;
	int op;

	o.count = 0;
	o.interval = d->interval;
	o.first_hop = d->path->first_hop;
	o.max_hops = 30;
	o.protocol = d->path->protocol;
	o.port = d->path->port;
	op = sonar_engine_traceroute(d->e, d->path->address, &o, tracer_event_cb, NULL, d);
	if (op < 0) {
		say(d, true, "%s", sonar_last_error());
		return -1;
	}
	d->path->op = op;
	tracer_follow(d);
	return 0;
}

void tracer_open(struct dash *d)
{
	struct row *r = rows_selected(d);
	struct target_url u;
	char why[160];

	if (!r || r->state != ROW_ACTIVE) {
		say(d, true, "no address to trace yet");
		return;
	}
	if (target_url_parse(r->name, &u, why, sizeof(why)) < 0)
		snprintf(u.host, sizeof(u.host), "%s", r->name); /* not seen: it is probed */
	tracer_close(d);
	d->path = calloc(1, sizeof(*d->path));
	if (!d->path) {
		say(d, true, "out of memory");
		return;
	}
	path_init(d->path, u.host, r->address, 1);
	d->path->protocol = d->path->row_protocol = r->protocol;
	d->path->port = d->path->row_port = r->port;
	if (trace_start(d) < 0) {
		free(d->path);
		d->path = NULL;
		return;
	}
	d->screen = SCREEN_PATH;
	d->top = 0;
	d->dirty = true;
}

void tracer_protocol(struct dash *d, int protocol)
{
	struct path *p = d->path;
	char target[sizeof(p->target)], address[sizeof(p->address)];
	int row_protocol, row_port;

	if (!p || p->protocol == protocol)
		return;
	if (p->op > 0)
		sonar_engine_stop(d->e, p->op);
	/* a new trace: what the old protocol saw is not this one's */
	memcpy(target, p->target, sizeof(target));
	memcpy(address, p->address, sizeof(address));
	row_protocol = p->row_protocol;
	row_port = p->row_port;
	path_init(p, target, address, p->first_hop);
	p->row_protocol = row_protocol;
	p->row_port = row_port;
	p->protocol = protocol;
	p->port = protocol == row_protocol      ? row_port
	          : protocol == SONAR_PROTO_TCP ? TARGET_URL_TCP_PORT
	          : protocol == SONAR_PROTO_UDP ? TARGET_URL_UDP_PORT
	                                        : 0;
	d->top = 0;
	d->dirty = true;
	if (trace_start(d) < 0) {
		tracer_close(d);
		return;
	}
	if (protocol == SONAR_PROTO_ICMP)
		say(d, false, "tracing with ICMP");
	else
		say(d, false, "tracing with %s to port %d", target_url_protocol_name(protocol),
		    p->port);
}

void tracer_follow(struct dash *d)
{
	if (!d->path || d->path->op <= 0)
		return;
	sonar_engine_set_interval(d->e, d->path->op, -1, d->interval);
	sonar_engine_pause(d->e, d->path->op, -1, d->paused);
}
