/*
 * replay_rows.c - a recording's line applied to this session: its rows
 * found by the recording's keys, and its change or packet event handed
 * to the model functions the live dashboard's callbacks drive (rows.c's
 * rows_apply, model_add, row_reset, path_flow_event).
 *
 * The recording's row K is this session's row keys[K], through a small
 * hash table (open addressing, the load at most one half); a removed row
 * leaves a tombstone (row NULL) until the table grows. The table owns no
 * row: the rows and the path view stay owned by model.c and tracer.c.
 * Every field is checked; the first bad one is the line's why.
 */
#include "config.h"
#include "replay_rows.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "tracer.h"
#include "watch.h"

/* One table entry. */
struct keyslot {
	uint64_t key;  /* the recording's key; 0 empty */
	struct row *r; /* NULL: removed (a tombstone) */
};

/* A line being applied: where it goes, and why it failed (the first). */
struct apply {
	struct dash *d;
	struct replay_rows *rr;
	char *why;
	size_t cap;
	bool bad;
};

/* The line is bad: why (the first reason only). */
static void fail(struct apply *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct apply *a, const char *fmt, ...)
{
	va_list ap;

	if (a->bad)
		return;
	va_start(ap, fmt);
	vsnprintf(a->why, a->cap, fmt, ap);
	va_end(ap);
	a->bad = true;
}

/* The integer key in [lo, hi]; false (the line bad) if absent or out of
 * range. */
static bool need_int(struct apply *a, const struct flatjson *fl, const char *key, long long lo,
                     long long hi, long long *out)
{
	char why[200];

	if (flatjson_int(fl, key, lo, hi, out, why, sizeof(why)))
		return true;
	fail(a, "%s", why);
	return false;
}

/* The finite number key; false (the line bad) if absent or bad. */
static bool need_double(struct apply *a, const struct flatjson *fl, const char *key, double *out)
{
	char why[200];

	if (flatjson_double(fl, key, out, why, sizeof(why)))
		return true;
	fail(a, "%s", why);
	return false;
}

/* The string key; NULL (the line bad) if absent. */
static const char *need_str(struct apply *a, const struct flatjson *fl, const char *key)
{
	char why[200];
	const char *v = flatjson_str(fl, key, why, sizeof(why));

	if (!v)
		fail(a, "%s", why);
	return v;
}

/* ---- the recording's keys ----------------------------------------------- */

/* The slot of key k (or the empty one where it would go). */
static struct keyslot *slot_of(struct replay_rows *p, uint64_t k)
{
	size_t i = (size_t)(k * 0x9e3779b97f4a7c15ull) & (p->cap - 1);

	while (p->keys[i].key && p->keys[i].key != k)
		i = (i + 1) & (p->cap - 1);
	return &p->keys[i];
}

struct row *replay_rows_find(struct replay_rows *p, uint64_t k)
{
	return p->cap ? slot_of(p, k)->r : NULL;
}

/* Tie the recording's key k to r (NULL: untie). -1 out of memory. */
static int bind_key(struct replay_rows *p, uint64_t k, struct row *r)
{
	struct keyslot *s;

	if ((p->used + 1) * 2 > p->cap) {
		struct keyslot *old = p->keys;
		size_t i, n = p->cap, cap = n ? n * 2 : 64;

		p->keys = calloc(cap, sizeof(*p->keys));
		if (!p->keys) {
			p->keys = old;
			return -1;
		}
		p->cap = cap;
		p->used = 0;
		for (i = 0; i < n; i++)
			if (old[i].key && old[i].r) {
				*slot_of(p, old[i].key) = old[i];
				p->used++;
			}
		free(old);
	}
	s = slot_of(p, k);
	if (!s->key)
		p->used++;
	s->key = k;
	s->r = r;
	return 0;
}

/* ---- lines -------------------------------------------------------------- */

/* The row named by "row" (which must exist), or NULL (stopped). */
static struct row *need_row(struct apply *a, const struct flatjson *fl, const char *key)
{
	long long k;
	struct row *r;

	if (!need_int(a, fl, key, 1, INT64_MAX, &k))
		return NULL;
	r = replay_rows_find(a->rr, (uint64_t)k);
	if (!r)
		fail(a, "\"%s\": no row %lld was added before", key, k);
	return r;
}

/* Fill ev from an event line's fields; false (stopped) if bad. */
static bool event_of(struct apply *a, const struct flatjson *fl, struct sonar_event *ev,
                     struct sonar_mpls *mpls)
{
	static const char *const names[] = {"sent",       "reply",      "timeout",
	                                    "icmp_error", "send_error", NULL};
	static const enum sonar_event_type types[] = {SONAR_EVENT_SENT, SONAR_EVENT_REPLY,
	                                              SONAR_EVENT_TIMEOUT, SONAR_EVENT_ICMP_ERROR,
	                                              SONAR_EVENT_SEND_ERROR};
	const char *name = need_str(a, fl, "event"), *m;
	long long v;
	int i;

	memset(ev, 0, sizeof(*ev));
	ev->from = ev->message = ev->name = ev->address = "";
	ev->reply_ttl = -1;
	if (!name)
		return false;
	for (i = 0; names[i] && strcmp(names[i], name) != 0; i++)
		;
	if (!names[i]) {
		fail(a, "\"event\": \"%.40s\" is no event", name);
		return false;
	}
	ev->type = types[i];
	if (ev->type == SONAR_EVENT_REPLY || ev->type == SONAR_EVENT_ICMP_ERROR) {
		if (!(ev->from = need_str(a, fl, "from")) || !need_double(a, fl, "rtt", &ev->rtt) ||
		    !need_int(a, fl, "reply_ttl", -1, 255, &v))
			return false;
		if (ev->rtt < 0) {
			fail(a, "\"rtt\": negative");
			return false;
		}
		ev->reply_ttl = (int)v;
	}
	if (ev->type == SONAR_EVENT_ICMP_ERROR) {
		if (!need_int(a, fl, "error_code", -1000, 0, &v))
			return false;
		ev->error = (int)v;
		if ((m = flatjson_get(fl, "mpls", true)) != NULL) {
			int used = 0;

			for (i = 0; i < SONAR_MPLS_MAX && *m; i++) {
				unsigned label;
				int tc, s, ttl;

				if (sscanf(m, "%u/%d/%d/%d%n", &label, &tc, &s, &ttl, &used) != 4 ||
				    label > 1048575 || tc < 0 || tc > 7 || s < 0 || s > 1 ||
				    ttl < 0 || ttl > 255) {
					fail(a, "\"mpls\": not LABEL/TC/S/TTL ...");
					return false;
				}
				mpls[i] = (struct sonar_mpls){label, tc, s, ttl};
				m += used;
				while (*m == ' ')
					m++;
			}
			ev->mpls = mpls;
			ev->mpls_count = i;
		}
	}
	if (ev->type == SONAR_EVENT_ICMP_ERROR || ev->type == SONAR_EVENT_SEND_ERROR)
		if (!(ev->message = need_str(a, fl, "error")))
			return false;
	return true;
}

/* "op": "row": a row added, or its state now. */
static void op_row(struct apply *a, const struct flatjson *fl)
{
	struct dash *d = a->d;
	struct replay_rows *p = a->rr;
	const char *name = need_str(a, fl, "name"), *address, *error;
	long long k, state, protocol, port;
	char was[SONAR_ADDRSTRLEN] = "";
	struct row *r;

	if (!name || !need_int(a, fl, "row", 1, INT64_MAX, &k) ||
	    !need_int(a, fl, "state", ROW_RESOLVING, ROW_FAILED, &state) ||
	    !(address = need_str(a, fl, "address")) || !(error = need_str(a, fl, "error")) ||
	    !need_int(a, fl, "protocol", SONAR_PROTO_ICMP, SONAR_PROTO_TCP, &protocol) ||
	    !need_int(a, fl, "port", 0, 65535, &port))
		return;
	r = replay_rows_find(p, (uint64_t)k);
	if (!r) {
		if (!(r = model_add(&d->m, name)) || bind_key(p, (uint64_t)k, r) < 0) {
			fail(a, "out of memory");
			return;
		}
		if (!d->sel_key)
			d->sel_key = r->key;
	} else if (r->state == ROW_ACTIVE && state == ROW_ACTIVE) {
		snprintf(was, sizeof(was), "%s", r->address);
	}
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->address, sizeof(r->address), "%s", address);
	snprintf(r->error, sizeof(r->error), "%s", error);
	r->state = (enum row_state)state;
	r->protocol = (int)protocol;
	r->port = (int)port;
	if (was[0] && strcmp(was, r->address) != 0)
		watch_address(d, r, was); /* its name gave another address (refresh.c) */
}

/* "op": "path": the path view (re)started for a row. */
static void op_path(struct apply *a, const struct flatjson *fl)
{
	struct dash *d = a->d;
	const char *target = need_str(a, fl, "target"), *address;
	long long k, proto, port, rproto, rport, flows, first;

	if (!target || !(address = need_str(a, fl, "address")) ||
	    !need_int(a, fl, "row", 1, INT64_MAX, &k) ||
	    !need_int(a, fl, "protocol", SONAR_PROTO_ICMP, SONAR_PROTO_TCP, &proto) ||
	    !need_int(a, fl, "port", 0, 65535, &port) ||
	    !need_int(a, fl, "row_protocol", SONAR_PROTO_ICMP, SONAR_PROTO_TCP, &rproto) ||
	    !need_int(a, fl, "row_port", 0, 65535, &rport) ||
	    !need_int(a, fl, "flows", 1, PATH_FLOWS, &flows) ||
	    !need_int(a, fl, "first_hop", 1, 255, &first))
		return;
	if (tracer_recorded(d, target, address, (int)first) < 0) {
		fail(a, "out of memory");
		return;
	}
	d->path->protocol = (int)proto;
	d->path->port = (int)port;
	d->path->row_protocol = (int)rproto;
	d->path->row_port = (int)rport;
	d->path->nflows = (int)flows;
	a->rr->path_key = (uint64_t)k;
}

/* An "op" line. */
static void op_line(struct apply *a, const struct flatjson *fl, const char *op)
{
	struct dash *d = a->d;
	struct replay_rows *p = a->rr;
	struct row *r;
	long long v;
	double s;
	size_t i;

	if (strcmp(op, "row") == 0) {
		op_row(a, fl);
	} else if (strcmp(op, "rename") == 0) {
		if (!(r = need_row(a, fl, "row")) || !need_int(a, fl, "to", 1, INT64_MAX, &v))
			return;
		bind_key(p, (uint64_t)strtoull(flatjson_get(fl, "row", false), NULL, 10), NULL);
		if (bind_key(p, (uint64_t)v, r) < 0)
			fail(a, "out of memory");
		row_reset(r);
	} else if (strcmp(op, "remove") == 0) {
		if (!(r = need_row(a, fl, "row")))
			return;
		bind_key(p, (uint64_t)strtoull(flatjson_get(fl, "row", false), NULL, 10), NULL);
		rows_remove(d, r); /* never probed here: only the model's part runs */
	} else if (strcmp(op, "move") == 0) {
		if ((r = need_row(a, fl, "row")) && need_int(a, fl, "dir", -1, 1, &v))
			model_move(&d->m, model_index(&d->m, r->key), (int)v);
	} else if (strcmp(op, "reset") == 0) {
		if (!need_int(a, fl, "row", 0, INT64_MAX, &v))
			return;
		if (v == 0)
			for (i = 0; i < d->m.n; i++)
				row_reset(d->m.rows[i]);
		else if ((r = need_row(a, fl, "row")))
			row_reset(r);
	} else if (strcmp(op, "interval") == 0) {
		if (need_double(a, fl, "seconds", &s)) {
			if (s < 0.001 || s > 86400)
				fail(a, "\"seconds\": out of range");
			else if (s != d->interval) {
				d->interval = s;
				model_mark_interval(&d->m); /* as rows_set_interval() */
				if (d->path)
					path_mark_interval(d->path);
			}
		}
	} else if (strcmp(op, "pause") == 0) {
		/* the recording's pause shows as the time it skipped: nothing to do */
	} else if (strcmp(op, "path") == 0) {
		op_path(a, fl);
	} else if (strcmp(op, "path_reset") == 0) {
		if (d->path)
			path_reset(d->path);
	} else {
		fail(a, "\"op\": \"%.40s\" is no operation", op);
	}
}

/* Apply a line of fl's kind: an event, an operation or a snapshot. */
static void apply(struct apply *a, const struct flatjson *fl)
{
	struct dash *d = a->d;
	struct sonar_event ev;
	struct sonar_mpls mpls[SONAR_MPLS_MAX];
	const char *op = flatjson_get(fl, "op", true);
	long long flow, ttl;
	struct row *r;

	if (op) {
		op_line(a, fl, op);
	} else if (flatjson_get(fl, "snapshot", false)) {
		/* the numbers the live table showed: for tests to compare */
	} else if (flatjson_get(fl, "flow", false)) {
		if (!need_int(a, fl, "flow", 0, PATH_FLOWS - 1, &flow) ||
		    !need_int(a, fl, "probe_ttl", 1, 255, &ttl) || !event_of(a, fl, &ev, mpls))
			return;
		if (!d->path || flow >= d->path->nflows) {
			fail(a, "a path event without its \"op\": \"path\"");
			return;
		}
		ev.probe_ttl = (int)ttl;
		path_flow_event(d->path, (int)flow, &ev);
	} else if (flatjson_get(fl, "event", true)) {
		if ((r = need_row(a, fl, "row")) && event_of(a, fl, &ev, mpls))
			rows_apply(d, r, &ev);
	} else {
		fail(a, "neither an event, an operation nor a snapshot");
	}
}

int replay_rows_apply(struct dash *d, struct replay_rows *rr, const struct flatjson *fl, char *why,
                      size_t cap)
{
	struct apply a = {d, rr, why, cap, false};

	apply(&a, fl);
	return a.bad ? -1 : 0;
}

void replay_rows_clear(struct replay_rows *rr)
{
	free(rr->keys);
	memset(rr, 0, sizeof(*rr));
}
