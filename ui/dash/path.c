/*
 * path.c - a traceroute's hops, from events.
 */
#include "config.h"
#include "path.h"

#include <stdio.h>
#include <string.h>

void path_init(struct path *p, const char *target, const char *address, int first_hop)
{
	int i;

	memset(p, 0, sizeof(*p));
	snprintf(p->target, sizeof(p->target), "%s", target);
	snprintf(p->address, sizeof(p->address), "%s", address);
	p->first_hop = first_hop;
	p->nflows = 1;
	for (i = 0; i < PATH_TTLS; i++) {
		p->hops[i].r.group = -1;
		p->hops[i].r.engine = -1;
		row_reset(&p->hops[i].r);
	}
}

struct hop *path_hop(struct path *p, int ttl)
{
	int i = ttl - p->first_hop;

	return i >= 0 && i < PATH_TTLS ? &p->hops[i] : NULL;
}

/* Count an answer from ev->from at this hop (met by flow), and keep its
 * label stack. */
static void responder(struct hop *h, int flow, const struct sonar_event *ev)
{
	int i, n;

	for (i = 0; i < h->nresp; i++)
		if (strcmp(h->resp[i].address, ev->from) == 0)
			break;
	if (i == h->nresp) {
		if (h->nresp == RESPONDERS)
			return;
		snprintf(h->resp[i].address, sizeof(h->resp[0].address), "%s", ev->from);
		h->resp[i].count = 0;
		h->resp[i].flows = 0;
		h->resp[i].mpls_count = 0;
		h->nresp++;
	}
	h->resp[i].count++;
	if (flow >= 0 && flow < PATH_FLOWS)
		h->resp[i].flows |= 1u << flow;
	n = ev->mpls && ev->mpls_count > 0 ? ev->mpls_count : 0;
	if (n > SONAR_MPLS_MAX)
		n = SONAR_MPLS_MAX;
	if (n) {
		memcpy(h->resp[i].mpls, ev->mpls, (size_t)n * sizeof(*ev->mpls));
		h->resp[i].mpls_count = n;
	}
}

void path_event(struct path *p, const struct sonar_event *ev)
{
	path_flow_event(p, 0, ev);
}

char *path_flows_text(uint32_t mask, char *out, size_t cap)
{
	size_t len = 0;
	int k = 0, end;

	if (cap)
		out[0] = '\0';
	while (k < 32) {
		if (!(mask & (1u << k))) {
			k++;
			continue;
		}
		for (end = k; end + 1 < 32 && (mask & (1u << (end + 1))); end++) {
		}
		if (len < cap)
			len += (size_t)snprintf(out + len, cap - len, end > k ? "%s%d-%d" : "%s%d",
			                        len ? "," : "", k, end);
		k = end + 1;
	}
	return out;
}

/*
 * TTL ttl of flow reached the end (the destination, or an unreachable):
 * each flow's end is its lowest such TTL; the path shows up to the
 * farthest of them (flows through a longer branch end further away).
 */
static void path_end(struct path *p, int flow, int ttl)
{
	int k;

	if (flow < 0 || flow >= PATH_FLOWS)
		flow = 0;
	if (!p->flow_dest[flow] || ttl < p->flow_dest[flow])
		p->flow_dest[flow] = ttl;
	p->dest_ttl = 0;
	for (k = 0; k < PATH_FLOWS; k++)
		if (p->flow_dest[k] > p->dest_ttl)
			p->dest_ttl = p->flow_dest[k];
}

void path_flow_event(struct path *p, int flow, const struct sonar_event *ev)
{
	int ttl = ev->probe_ttl;
	struct hop *h = path_hop(p, ttl);

	if (!h)
		return;
	switch (ev->type) {
	case SONAR_EVENT_SENT:
		row_sent(&h->r);
		break;
	case SONAR_EVENT_REPLY: /* the destination itself */
		row_reply(&h->r, ev->rtt, ev->reply_ttl);
		responder(h, flow, ev);
		path_end(p, flow, ttl);
		break;
	case SONAR_EVENT_ICMP_ERROR:
		row_reply(&h->r, ev->rtt, ev->reply_ttl);
		responder(h, flow, ev);
		if (ev->error != SONAR_ETIMEEXCEEDED) {
			/* unreachable: the path ends here */
			snprintf(h->r.error, sizeof(h->r.error), "%s", ev->message);
			path_end(p, flow, ttl);
		}
		break;
	case SONAR_EVENT_TIMEOUT:
		row_lost(&h->r);
		break;
	case SONAR_EVENT_SEND_ERROR:
		row_error(&h->r, ev->message);
		break;
	case SONAR_EVENT_DUPLICATE:
		break;
	}
	if (h->r.received && ttl > p->last_ttl)
		p->last_ttl = ttl;
}

int path_shown(const struct path *p)
{
	if (p->dest_ttl)
		return p->dest_ttl;
	return p->last_ttl;
}

/* Has a hop after TTL index i answered at least 3 probes and lost none? */
static bool later_hop_clean(const struct path *p, int i)
{
	int j, last = path_shown(p) - p->first_hop;

	for (j = i + 1; j <= last && j < PATH_TTLS; j++)
		if (p->hops[j].r.done >= 3 && p->hops[j].r.lost == 0)
			return true;
	return false;
}

bool path_rate_limited(const struct path *p, int ttl)
{
	int i = ttl - p->first_hop;

	if (i < 0 || i >= PATH_TTLS || p->hops[i].r.lost == 0 || p->hops[i].r.received == 0)
		return false;
	return later_hop_clean(p, i);
}

bool path_silent(const struct path *p, int ttl)
{
	int i = ttl - p->first_hop;

	if (i < 0 || i >= PATH_TTLS || p->hops[i].r.received > 0 || p->hops[i].r.lost < 3)
		return false;
	return later_hop_clean(p, i);
}

void path_mark_interval(struct path *p)
{
	int i;

	for (i = 0; i < PATH_TTLS; i++)
		p->hops[i].r.interval_mark = p->hops[i].r.hist_n;
}

void path_reset(struct path *p)
{
	int i;

	for (i = 0; i < PATH_TTLS; i++) {
		row_reset(&p->hops[i].r);
		p->hops[i].nresp = 0;
	}
	p->last_ttl = 0;
	p->dest_ttl = 0;
	memset(p->flow_dest, 0, sizeof(p->flow_dest));
}
