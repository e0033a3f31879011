/*
 * probes.c - the targets' life on the engine, and their counters.
 *
 * A reload is a diff by spec: a hash of the old table finds what stays
 * (its series and engine slot untouched), what is new is resolved and
 * added (a group without an operation yet starts one with all its new
 * targets at once, so the engine spreads their first probes over an
 * interval), what is gone is removed from the engine before it is freed.
 */
#include "config.h"
#include "probes.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lookup.h"
#include "target_url.h"

/* A spec's entry in a reload's hash: t NULL for a spec already refused. */
struct entry {
	const char *key;
	struct probe_target *t;
};

/* The entry of key in h (cap a power of two): its own or the empty one
 * where it goes. */
static struct entry *find(struct entry *h, size_t cap, const char *key)
{
	size_t i = lookup_hash(key) & (cap - 1);

	while (h[i].key && strcmp(h[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &h[i];
}

/* The target of an event, or NULL (one removed meanwhile). */
static struct probe_target *event_target(struct probes *p, int op, size_t slot)
{
	for (size_t i = 0; i < p->ng; i++)
		if (p->g[i].op == op)
			return slot < p->g[i].nslots ? p->g[i].slots[slot] : NULL;
	return NULL;
}

/* Count an engine event into its target's series. */
static void probes_event_cb(const struct sonar_event *ev, void *user)
{
	struct probes *p = user;
	struct probe_target *t = event_target(p, ev->op, ev->target);
	struct metrics_series *s;

	if (!t)
		return;
	s = &t->s;
	switch (ev->type) {
	case SONAR_EVENT_SENT:
		s->sent++;
		break;
	case SONAR_EVENT_REPLY:
		metrics_observe(s, &p->buckets, ev->rtt / 1000.0, ev->reply_ttl);
		break;
	case SONAR_EVENT_DUPLICATE:
		s->duplicates++;
		break;
	case SONAR_EVENT_TIMEOUT:
		s->errors[METRICS_ERR_TIMEOUT]++;
		break;
	case SONAR_EVENT_ICMP_ERROR:
		s->errors[ev->error == SONAR_EUNREACH        ? METRICS_ERR_UNREACHABLE
		          : ev->error == SONAR_ETIMEEXCEEDED ? METRICS_ERR_TIME_EXCEEDED
		                                             : METRICS_ERR_ICMP]++;
		break;
	case SONAR_EVENT_SEND_ERROR:
		s->send_errors++;
		break;
	}
}

/* The group of protocol and port, added (without an operation) if there
 * is none; its index, or -1 out of memory. */
static long group_of(struct probes *p, int protocol, int port)
{
	struct probe_group *g;

	for (size_t i = 0; i < p->ng; i++)
		if (p->g[i].protocol == protocol && p->g[i].port == port)
			return (long)i;
	g = realloc(p->g, (p->ng + 1) * sizeof(*g));
	if (!g)
		return -1;
	p->g = g;
	memset(&g[p->ng], 0, sizeof(*g));
	g[p->ng].protocol = protocol;
	g[p->ng].port = port;
	return (long)p->ng++;
}

/* A new target for spec, resolved, in its group but not yet on the
 * engine; NULL after a line on stderr. */
static struct probe_target *target_new(struct probes *p, const char *spec)
{
	char err[300], addr[1][SONAR_ADDRSTRLEN];
	struct probe_target *t;
	struct target_url u;
	long g;

	if (target_url_parse(spec, &u, err, sizeof(err)) < 0) {
		cli_error("%s: %s; not probed", spec, err);
		return NULL;
	}
	if (u.protocol == SONAR_PROTO_ICMP) {
		/* a plain host: as the command line says (--udp, --tcp, -p) */
		u.protocol = p->o.protocol;
		u.port = u.protocol == SONAR_PROTO_ICMP  ? 0
		         : p->o.port                     ? p->o.port
		         : u.protocol == SONAR_PROTO_TCP ? TARGET_URL_TCP_PORT
		                                         : TARGET_URL_UDP_PORT;
	}
	if (sonar_resolve(u.host, p->o.family, addr, 1) < 1) {
		cli_error("%s: %s; not probed", spec, sonar_last_error());
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t || !(t->spec = strdup(spec)) || (g = group_of(p, u.protocol, u.port)) < 0) {
		cli_error("%s: out of memory; not probed", spec);
		if (t)
			free(t->spec);
		free(t);
		return NULL;
	}
	snprintf(t->ip, sizeof(t->ip), "%s", addr[0]);
	t->protocol = u.protocol;
	t->port = u.port;
	t->group = (size_t)g;
	t->slot = SIZE_MAX; /* not on the engine yet */
	metrics_series_init(&t->s);
	return t;
}

/* Free a target (off the engine already). */
static void target_free(struct probe_target *t)
{
	free(t->spec);
	free(t);
}

/* Take target t off the engine and free it. */
static void target_remove(struct probes *p, struct probe_target *t)
{
	struct probe_group *g = &p->g[t->group];

	if (t->slot != SIZE_MAX) {
		sonar_engine_remove_target(p->e, g->op, t->slot);
		g->slots[t->slot] = NULL;
	}
	target_free(t);
}

/* Make room for slot in g's slots. 0, or -1 out of memory. */
static int slots_room(struct probe_group *g, size_t slot)
{
	struct probe_target **v;

	if (slot < g->nslots)
		return 0;
	v = realloc(g->slots, (slot + 1) * sizeof(*v));
	if (!v)
		return -1;
	memset(v + g->nslots, 0, (slot + 1 - g->nslots) * sizeof(*v));
	g->slots = v;
	g->nslots = slot + 1;
	return 0;
}

/* Start group gi's operation with its new targets (those of nt[0..n)
 * with no slot) at once. 0, or -1 (why printed; they stay unplaced). */
static int group_start(struct probes *p, size_t gi, struct probe_target **nt, size_t n)
{
	struct probe_group *g = &p->g[gi];
	struct sonar_options o = p->o;
	const char **addrs;
	size_t k = 0;
	int op;

	addrs = malloc((n ? n : 1) * sizeof(*addrs));
	if (!addrs || slots_room(g, n ? n - 1 : 0) < 0) {
		free(addrs);
		cli_error("out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (nt[i]->group == gi && nt[i]->slot == SIZE_MAX) {
			g->slots[k] = nt[i];
			addrs[k++] = nt[i]->ip;
		}
	o.protocol = g->protocol;
	o.port = g->port;
	op = sonar_engine_multiping(p->e, addrs, k, &o, probes_event_cb, NULL, p);
	free(addrs);
	if (op < 0) {
		cli_error("%s probes: %s", target_url_protocol_name(g->protocol),
		          sonar_last_error());
		memset(g->slots, 0, g->nslots * sizeof(*g->slots));
		return -1;
	}
	g->op = op;
	for (size_t i = 0; i < k; i++)
		g->slots[i]->slot = i;
	return 0;
}

/* Put new target t on its group's running operation. 0, or -1 (printed). */
static int target_add(struct probes *p, struct probe_target *t)
{
	struct probe_group *g = &p->g[t->group];
	int idx = sonar_engine_add_target(p->e, g->op, t->ip);

	if (idx < 0) {
		cli_error("%s: %s; not probed", t->spec, sonar_last_error());
		return -1;
	}
	if (slots_room(g, (size_t)idx) < 0) {
		sonar_engine_remove_target(p->e, g->op, (size_t)idx);
		cli_error("%s: out of memory; not probed", t->spec);
		return -1;
	}
	g->slots[idx] = t;
	t->slot = (size_t)idx;
	return 0;
}

int probes_set(struct probes *p, const struct target_list *want, size_t *skipped, char *err,
               size_t errcap)
{
	size_t cap = 16, nn = 0;
	struct probe_target **nt;
	struct entry *h;

	*skipped = 0;
	while (cap < 2 * (p->n + want->n))
		cap *= 2;
	h = calloc(cap, sizeof(*h));
	nt = malloc((want->n ? want->n : 1) * sizeof(*nt));
	if (!h || !nt) {
		free(h);
		free(nt);
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < p->n; i++) {
		p->t[i]->keep = false;
		*find(h, cap, p->t[i]->spec) = (struct entry){p->t[i]->spec, p->t[i]};
	}
	/* what stays, and what is new (resolved now, placed below) */
	for (size_t i = 0; i < want->n; i++) {
		struct entry *e = find(h, cap, want->v[i]);

		if (e->key) { /* kept, or a spec written twice */
			if (e->t && !e->t->keep) {
				e->t->keep = true;
				nt[nn++] = e->t;
			}
			continue;
		}
		e->key = want->v[i];
		e->t = target_new(p, want->v[i]);
		if (!e->t) {
			(*skipped)++;
			continue;
		}
		e->t->keep = true;
		nt[nn++] = e->t;
	}
	free(h);
	/* what is gone leaves the engine */
	for (size_t i = 0; i < p->n; i++)
		if (!p->t[i]->keep)
			target_remove(p, p->t[i]);
	/* what is new joins it: a group's first targets start its operation */
	for (size_t gi = 0; gi < p->ng; gi++)
		if (p->g[gi].op == 0)
			group_start(p, gi, nt, nn);
	for (size_t i = 0; i < nn; i++)
		if (nt[i]->slot == SIZE_MAX && p->g[nt[i]->group].op > 0)
			target_add(p, nt[i]);
	/* what could not join is freed */
	{
		size_t k = 0;

		for (size_t i = 0; i < nn; i++) {
			if (nt[i]->slot == SIZE_MAX) {
				target_free(nt[i]);
				(*skipped)++;
				continue;
			}
			nt[k++] = nt[i];
		}
		nn = k;
	}
	free(p->t);
	p->t = nt;
	p->n = nn;
	return 0;
}

void probes_free(struct probes *p)
{
	for (size_t i = 0; i < p->n; i++)
		target_remove(p, p->t[i]);
	for (size_t i = 0; i < p->ng; i++) {
		if (p->g[i].op > 0)
			sonar_engine_stop(p->e, p->g[i].op);
		free(p->g[i].slots);
	}
	free(p->t);
	free(p->g);
	p->t = NULL;
	p->g = NULL;
	p->n = p->ng = 0;
}
