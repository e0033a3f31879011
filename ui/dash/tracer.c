/*
 * tracer.c - the path view's traceroute, from start to stop.
 *
 * d->path is NULL (no path view) or this file's: made by tracer_open(),
 * freed by tracer_close() and by nobody else. Between the two,
 * path->flow_op[0 .. nflows-1] are the engine's continuous traceroutes
 * (count 0, every TTL each interval), one per flow, with the row's
 * protocol and port, or the one t, u or i switched to; flow k keeps its
 * own UDP port (PORT + k), TCP source port (raw sockets: SONAR_TCP_FLOW_PORT
 * + k; a connect() has the kernel's, one per probe, so no flows without
 * them) or ICMP identifier (raw sockets: a datagram socket's identifier is
 * the kernel's, one for all), so each is one Paris flow. d->flows is what
 * the user asked for (--flows, F); the path
 * probes as many of them as its protocol allows (tracer_flows_fit). A
 * switch of protocol or of the number of flows is a new trace: the path's
 * statistics start afresh.
 * Events are taken only while they belong to a traceroute of the path in
 * d->path: one stopped meanwhile finds nothing.
 */
#include "config.h"
#include "tracer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "rows.h"
#include "target_url.h"

/* The flow whose traceroute op is, or -1. */
static int flow_of(const struct path *p, int op)
{
	int k;

	for (k = 0; k < p->nflows; k++)
		if (p->flow_op[k] == op)
			return k;
	return -1;
}

/* Every packet of the traceroutes (the engine's callback). */
static void tracer_event_cb(const struct sonar_event *ev, void *user)
{
	struct dash *d = user;
	int k;

	if (!d->path || ev->op <= 0 || (k = flow_of(d->path, ev->op)) < 0)
		return;
	record_path_event(d, k, ev);
	path_flow_event(d->path, k, ev);
	d->dirty = d->dirty || d->screen == SCREEN_PATH;
}

/* Stop every flow's traceroute. */
static void trace_stop(struct dash *d)
{
	struct path *p = d->path;
	int k;

	for (k = 0; p && k < PATH_FLOWS; k++) {
		if (p->flow_op[k] > 0)
			sonar_engine_stop(d->e, p->flow_op[k]);
		p->flow_op[k] = 0;
	}
	if (p)
		p->op = 0;
}

void tracer_close(struct dash *d)
{
	trace_stop(d);
	free(d->path);
	d->path = NULL;
	d->screen = SCREEN_TABLE;
	d->dirty = true;
}

/* Start d->path's traceroutes: its address, protocol and port, continuous
 * (count 0, every TTL each interval), as the dashboard's pause and
 * interval say, one per flow. 0, or -1 after saying why (none runs). */
static int trace_start(struct dash *d)
{
	struct path *p = d->path;
	int k;

	for (k = 0; k < p->nflows; k++) {
		struct sonar_options o = d->o;
		int op;

		o.count = 0;
		o.interval = d->interval;
		o.first_hop = p->first_hop;
		o.max_hops = 30;
		o.protocol = p->protocol;
		o.port = p->port;
		if (o.protocol == SONAR_PROTO_UDP) /* flow k: the next port */
			o.port = p->port + k;
		else if (o.protocol == SONAR_PROTO_TCP) /* the next source port */
			o.flow = k;
		else if (o.id >= 0) /* flow k: the next identifier (else the engine's own) */
			o.id = (o.id + k) & 0xffff;
		op = sonar_engine_traceroute(d->e, p->address, &o, tracer_event_cb, NULL, d);
		if (op < 0) {
			say(d, true, "%s", sonar_last_error());
			trace_stop(d);
			return -1;
		}
		p->flow_op[k] = op;
	}
	p->op = p->flow_op[0];
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
	d->path->nflows = tracer_flows_fit(d, r->protocol, r->port);
	d->path->protocol = d->path->row_protocol = r->protocol;
	d->path->port = d->path->row_port = r->port;
	if (trace_start(d) < 0) {
		free(d->path);
		d->path = NULL;
		return;
	}
	record_path(d, r->key);
	d->screen = SCREEN_PATH;
	d->top = 0;
	d->dirty = true;
}

int tracer_recorded(struct dash *d, const char *target, const char *address, int first_hop)
{
	if (!d->path && !(d->path = calloc(1, sizeof(*d->path))))
		return -1;
	path_init(d->path, target, address, first_hop);
	d->dirty = true;
	return 0;
}

/* Trace again from scratch with p's protocol and port (and flows): what
 * the old trace saw is not the new one's. 0, or -1 (the view closed). */
static int restart(struct dash *d, int protocol, int port, int nflows)
{
	struct path *p = d->path;
	char target[sizeof(p->target)], address[sizeof(p->address)];
	int row_protocol = p->row_protocol, row_port = p->row_port;

	trace_stop(d);
	memcpy(target, p->target, sizeof(target));
	memcpy(address, p->address, sizeof(address));
	path_init(p, target, address, p->first_hop);
	p->row_protocol = row_protocol;
	p->row_port = row_port;
	p->protocol = protocol;
	p->port = port;
	p->nflows = nflows;
	d->top = 0;
	d->dirty = true;
	if (trace_start(d) < 0) {
		tracer_close(d);
		return -1;
	}
	record_path(d, 0);
	return 0;
}

void tracer_protocol(struct dash *d, int protocol)
{
	struct path *p = d->path;
	int port;

	if (!p || p->protocol == protocol)
		return;
	port = protocol == p->row_protocol   ? p->row_port
	       : protocol == SONAR_PROTO_TCP ? TARGET_URL_TCP_PORT
	       : protocol == SONAR_PROTO_UDP ? TARGET_URL_UDP_PORT
	                                     : 0;
	if (restart(d, protocol, port, tracer_flows_fit(d, protocol, port)) < 0)
		return;
	if (protocol == SONAR_PROTO_ICMP)
		say(d, false, "tracing with ICMP");
	else
		say(d, false, "tracing with %s to port %d", target_url_protocol_name(protocol),
		    d->path->port);
}

/* Why protocol (and port) cannot have more than one flow here, or NULL. */
static const char *no_flows(const struct dash *d, int protocol, int port)
{
	if (protocol == SONAR_PROTO_TCP && !d->o.privileged)
		return "TCP flows need raw sockets (root, cap_net_raw): each connect() has its "
		       "own source port; u for UDP";
	if (protocol == SONAR_PROTO_ICMP && !d->o.privileged)
		return "ICMP flows need raw sockets (root, cap_net_raw): a datagram socket's "
		       "identifier is the kernel's, one for all; u for UDP";
	if (protocol == SONAR_PROTO_UDP && port >= 65535)
		return "no room for more flows: port 65535 is the last";
	return NULL;
}

int tracer_flows_fit(const struct dash *d, int protocol, int port)
{
	int want = d->flows;

	if (want < 1)
		want = 1;
	if (want > PATH_FLOWS)
		want = PATH_FLOWS;
	if (no_flows(d, protocol, port))
		return 1;
	if (protocol == SONAR_PROTO_UDP && port + want - 1 > 65535)
		want = 65535 - port + 1;
	return want;
}

void tracer_flows(struct dash *d)
{
	struct path *p = d->path;
	const char *why;
	int n;

	if (!p)
		return;
	if ((why = no_flows(d, p->protocol, p->port))) {
		say(d, true, "%s", why);
		return;
	}
	/* 1, 2, 4, 8, 16 (the next power of two), then 1 again */
	for (n = 1; n <= p->nflows; n *= 2) {
	}
	d->flows = n > PATH_FLOWS ? 1 : n;
	n = tracer_flows_fit(d, p->protocol, p->port);
	if (n == p->nflows) { /* the ports ran out: back to one */
		d->flows = 1;
		n = 1;
	}
	if (restart(d, p->protocol, p->port, n) < 0)
		return;
	if (n == 1)
		say(d, false, "one flow");
	else if (p->protocol == SONAR_PROTO_ICMP)
		say(d, false,
		    "%d flows (ICMP identifiers); routers that hash only ports: u for UDP", n);
	else if (p->protocol == SONAR_PROTO_TCP)
		say(d, false, "%d flows (TCP source ports %d-%d)", n, SONAR_TCP_FLOW_PORT,
		    SONAR_TCP_FLOW_PORT + n - 1);
	else
		say(d, false, "%d flows (%s ports %d-%d)", n, target_url_protocol_name(p->protocol),
		    p->port, p->port + n - 1);
}

void tracer_follow(struct dash *d)
{
	int k;

	if (!d->path)
		return;
	for (k = 0; k < d->path->nflows; k++) {
		if (d->path->flow_op[k] <= 0)
			continue;
		sonar_engine_set_interval(d->e, d->path->flow_op[k], -1, d->interval);
		sonar_engine_pause(d->e, d->path->flow_op[k], -1, d->paused);
	}
}
