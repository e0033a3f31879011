/*
 * refresh.c - names looked up again while they are probed (refresh.h).
 */
#include "config.h"
#include "refresh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolver.h"
#include "rows.h"
#include "target_url.h"
#include "watch.h"

#define SCAN_NS 1000000000LL /* the rows are looked over at most once a second */

void refresh_schedule(const struct dash *d, struct row *r, int64_t now)
{
	/* 0.9 to 1.1 of the period: rows added together spread out */
	double k = 0.9 + 0.2 * ((double)(random() % 1000) / 1000.0);

	r->refreshing = false;
	r->refresh_ns = d->refresh_s > 0 ? now + (int64_t)(d->refresh_s * k * 1e9) : 0;
}

int64_t refresh_timeout(const struct dash *d, int64_t now)
{
	if (d->refresh_s <= 0 || d->paused || d->replay)
		return -1;
	return d->refresh_scan > now ? d->refresh_scan - now : 0;
}

void refresh_rows(struct dash *d, int64_t now)
{
	size_t i;

	if (d->refresh_s <= 0 || d->paused || d->replay || now < d->refresh_scan)
		return;
	d->refresh_scan = now + SCAN_NS;
	for (i = 0; i < d->m.n; i++) {
		struct row *r = d->m.rows[i];
		struct target_url u;
		char why[128];

		if (r->state == ROW_RESOLVING || !r->refresh_ns || r->refreshing ||
		    now < r->refresh_ns)
			continue;
		if (target_url_parse(r->name, &u, why, sizeof(why)) < 0)
			continue; /* (it was taken: it parses) */
		if (resolver_submit(d->res, r->key | REFRESH_KEY, u.host, d->o.family,
		                    r->address) == 0)
			r->refreshing = true;
	}
}

void refresh_answer(struct dash *d, uint64_t key, bool ok, const char *text)
{
	size_t i = model_index(&d->m, key);
	char old[SONAR_ADDRSTRLEN];
	struct row *r;

	if (i == (size_t)-1)
		return; /* removed or renamed meanwhile */
	r = d->m.rows[i];
	refresh_schedule(d, r, now_ns());
	if (ok && r->state == ROW_FAILED) { /* a name that did not resolve now does */
		rows_readdress(d, r, text);
		return;
	}
	if (!ok || r->state != ROW_ACTIVE || strcmp(text, r->address) == 0)
		return; /* the same host; or no answer: keep probing the one it has */
	snprintf(old, sizeof(old), "%s", r->address);
	if (rows_readdress(d, r, text))
		watch_address(d, r, old);
}
