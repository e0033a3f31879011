/*
 * traces.c - continuous traceroutes and their per hop counters.
 */
#include "config.h"
#include "traces.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "target_url.h"

/* The responder ip of hop h: its own slot, a new one, or (all taken)
 * the last, "other". */
static struct trace_answerer *answerer(struct trace_hop *h, const char *ip)
{
	struct trace_answerer *a;

	for (int k = 0; k < h->nfrom; k++)
		if (strcmp(h->from[k].ip, ip) == 0)
			return &h->from[k];
	if (h->nfrom == TRACES_RESPONDERS) {
		a = &h->from[TRACES_RESPONDERS - 1];
		snprintf(a->ip, sizeof(a->ip), "other");
		return a;
	}
	a = &h->from[h->nfrom++];
	snprintf(a->ip, sizeof(a->ip), "%s", h->nfrom == TRACES_RESPONDERS ? "other" : ip);
	return a;
}

/* Count a traceroute event into its hop. */
static void traces_event_cb(const struct sonar_event *ev, void *user)
{
	struct trace *tr = user;
	struct trace_answerer *a;
	struct trace_hop *h;

	if (ev->probe_ttl < 1 || ev->probe_ttl > TRACES_MAX_TTL)
		return;
	h = &tr->hops[ev->probe_ttl];
	switch (ev->type) {
	case SONAR_EVENT_SENT:
		h->sent++;
		return;
	case SONAR_EVENT_REPLY:
	case SONAR_EVENT_ICMP_ERROR:
		a = answerer(h, ev->from ? ev->from : "");
		a->received++;
		a->last = ev->rtt >= 0 ? ev->rtt / 1000.0 : 0;
		/* the destination answered: nothing beyond it is a hop */
		h->dest = ev->from && strcmp(ev->from, tr->ip) == 0;
		return;
	default:
		return;
	}
}

int traces_add(struct traces *t, struct sonar_engine *e, const struct sonar_options *o,
               const char *spec)
{
	char err[300], addr[1][SONAR_ADDRSTRLEN];
	struct sonar_options to = *o;
	struct trace *tr, **v;
	struct target_url u;

	if (target_url_parse(spec, &u, err, sizeof(err)) < 0) {
		cli_error("--trace %s: %s", spec, err);
		return -1;
	}
	if (u.protocol == SONAR_PROTO_ICMP) {
		u.protocol = o->protocol;
		u.port = o->port;
	}
	if (sonar_resolve(u.host, o->family, addr, 1) < 1) {
		cli_error("--trace %s: %s; not traced", spec, sonar_last_error());
		return -1;
	}
	tr = calloc(1, sizeof(*tr));
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (v)
		t->v = v;
	if (!tr || !v || !(tr->spec = strdup(spec))) {
		free(tr);
		cli_error("--trace %s: out of memory", spec);
		return -1;
	}
	snprintf(tr->ip, sizeof(tr->ip), "%s", addr[0]);
	tr->protocol = u.protocol;
	to.count = 0; /* a round of every TTL each interval, until stopped */
	to.first_hop = 1;
	to.max_hops = TRACES_MAX_TTL;
	to.protocol = u.protocol;
	to.port = u.port;
	tr->op = sonar_engine_traceroute(e, tr->ip, &to, traces_event_cb, NULL, tr);
	if (tr->op < 0) {
		cli_error("--trace %s: %s; not traced", spec, sonar_last_error());
		free(tr->spec);
		free(tr);
		return -1;
	}
	t->v[t->n++] = tr;
	return 0;
}

/* The last TTL of tr worth writing: the destination's (the smallest its
 * own latest answer), else the farthest that answered (0: none). */
static int last_ttl(const struct trace *tr)
{
	for (int k = 1; k <= TRACES_MAX_TTL; k++)
		if (tr->hops[k].dest)
			return k;
	for (int k = TRACES_MAX_TTL; k >= 1; k--)
		if (tr->hops[k].nfrom)
			return k;
	return 0;
}

int traces_hops(const struct traces *t, const char *source, struct metrics_hop **out, size_t *n)
{
	size_t cap = 0, k = 0, na = 0;
	struct metrics_answerer *from;
	struct metrics_hop *h;

	for (size_t i = 0; i < t->n; i++)
		cap += (size_t)last_ttl(t->v[i]);
	/* one block: the hops, then their responders */
	h = malloc((cap ? cap : 1) * (sizeof(*h) + TRACES_RESPONDERS * sizeof(*from)));
	if (!h)
		return -1;
	from = (struct metrics_answerer *)(h + cap);
	for (size_t i = 0; i < t->n; i++) {
		const struct trace *tr = t->v[i];
		int last = last_ttl(tr);

		for (int ttl = 1; ttl <= last; ttl++) {
			const struct trace_hop *hp = &tr->hops[ttl];

			if (!hp->sent)
				continue;
			h[k] = (struct metrics_hop){{tr->spec, tr->ip, source,
			                             tr->protocol == SONAR_PROTO_TCP   ? "tcp"
			                             : tr->protocol == SONAR_PROTO_UDP ? "udp"
			                                                               : "icmp"},
			                            ttl,
			                            hp->sent,
			                            from + na,
			                            (size_t)hp->nfrom};
			for (int r = 0; r < hp->nfrom; r++)
				from[na++] = (struct metrics_answerer){
				    hp->from[r].ip, hp->from[r].received, hp->from[r].last};
			k++;
		}
	}
	*out = h;
	*n = k;
	return 0;
}

void traces_free(struct traces *t, struct sonar_engine *e)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i]->op > 0)
			sonar_engine_stop(e, t->v[i]->op);
		free(t->v[i]->spec);
		free(t->v[i]);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
