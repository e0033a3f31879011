/*
 * plot.c - the chart screen: series from the table or the path view.
 */
#include "config.h"
#include "plot.h"

#include <stdio.h>
#include <stdlib.h>

#include "cells.h"
#include "chart.h"

#define NAME_W 64 /* a hop's legend: "TTL. address" */

void plot_hops(const struct path *p, int *first, int *last)
{
	*first = p->first_hop;
	*last = path_shown(p);
}

/* The hop of TTL ttl's responder seen most (its address, "*" none). */
static const char *hop_address(const struct hop *h)
{
	int k, best = 0;

	if (h->nresp == 0)
		return "*";
	for (k = 1; k < h->nresp; k++)
		if (h->resp[k].count > h->resp[best].count)
			best = k;
	return h->resp[best].address;
}

/* The path view's series: the chosen hop, or every hop that answered. */
static size_t path_series(const struct view *v, struct chart_series *s, char (*names)[NAME_W],
                          size_t cap)
{
	int first, last, ttl;
	size_t n = 0;

	plot_hops(v->path, &first, &last);
	for (ttl = first; ttl <= last && n < cap; ttl++) {
		const struct hop *h = &v->path->hops[ttl - first];

		if (v->chart_all ? h->r.received == 0 : ttl != v->chart_hop)
			continue;
		snprintf(names[n], NAME_W, "%d. %s", ttl, hop_address(h));
		s[n].r = &h->r;
		s[n].name = names[n];
		n++;
	}
	return n;
}

/* The table's series: the selected row, or the rows its page shows. */
static size_t table_series(const struct view *v, struct chart_series *s, size_t cap, size_t page)
{
	const struct model *m = v->model;
	size_t i, n = 0;

	if (!v->chart_all) {
		if (v->selected < m->n) {
			s[0].r = m->rows[v->order[v->selected]];
			s[0].name = s[0].r->name;
			n = 1;
		}
		return n;
	}
	for (i = v->top; i < m->n && i < v->top + page && n < cap; i++, n++) {
		s[n].r = m->rows[v->order[i]];
		s[n].name = s[n].r->name;
	}
	return n;
}

void plot_draw(const struct view *v, const struct canvas *c)
{
	struct chart ch;
	struct chart_series *s;
	char(*names)[NAME_W] = NULL;
	size_t cap = v->chart_from == SCREEN_PATH ? PATH_TTLS : (size_t)(c->h > 0 ? c->h : 1);

	s = calloc(cap, sizeof(*s));
	if (v->chart_from == SCREEN_PATH)
		names = calloc(cap, sizeof(*names));
	if (!s || (v->chart_from == SCREEN_PATH && !names)) {
		cells_text(c, 1, 0, c->w, "out of memory for the chart", SLOT_ERROR);
		goto out;
	}
	ch.series = s;
	ch.interval = v->interval;
	/* the table's page: what the table would show in this room */
	ch.n = v->chart_from == SCREEN_PATH
	           ? path_series(v, s, names, cap)
	           : table_series(v, s, cap, (size_t)(c->h > 3 ? c->h - 3 : 1));
	if (ch.n == 0) {
		cells_text(c, 2, 2, c->w - 2,
		           v->chart_from == SCREEN_PATH ? "No hop has answered yet."
		                                        : "No targets.",
		           SLOT_DIM);
		goto out;
	}
	chart_draw(&ch, c, 1, c->h - 1);
out:
	free(s);
	free(names);
}
