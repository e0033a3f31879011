/*
 * aspath.c - the path view's AS numbers, from z to the screen.
 *
 * d->asn is NULL until the first z, then this file's until aspath_free():
 * the lookups of ui/common/asn.c through the dashboard's DNS server
 * (--dns-server) or the system's, of special-purpose addresses only with
 * --asn-all. Lookups never block: their descriptors join the main loop's
 * select(), and an answer asks for a frame while the AS column is shown.
 */
#include "config.h"
#include "aspath.h"

#include <stdio.h>

#include "asn.h"

/* how long a lookup may take before it counts as failed (asn_new) */
#define ASPATH_SECONDS 5.0

void aspath_toggle(struct dash *d)
{
	char err[256];

	if (!d->asn) {
		d->asn = asn_new(d->dns, d->asn_all, ASPATH_SECONDS, err, sizeof(err));
		if (!d->asn) {
			say(d, true, "AS lookups: %s", err);
			return;
		}
	}
	d->asn_shown = !d->asn_shown;
	d->dirty = true;
	say(d, false,
	    d->asn_shown ? "showing AS numbers (DNS, Team Cymru's format)" : "AS numbers hidden");
}

void aspath_fds(const struct dash *d, fd_set *rd, fd_set *wr, int *maxfd)
{
	if (d->asn)
		asn_fds(d->asn, rd, wr, maxfd);
}

int64_t aspath_timeout(const struct dash *d)
{
	return d->asn ? asn_timeout(d->asn) : -1;
}

void aspath_process(struct dash *d, fd_set *rd, fd_set *wr)
{
	if (!d->asn)
		return;
	asn_process(d->asn, rd, wr);
	if (asn_changed(d->asn) && d->asn_shown && d->screen == SCREEN_PATH)
		d->dirty = true;
}

const char *aspath_tag(void *ctx, const char *address, char *buf, size_t cap)
{
	struct dash *d = ctx;
	struct asn_info info;

	if (cap)
		buf[0] = '\0';
	if (!d->asn || !address[0])
		return buf;
	asn_lookup(d->asn, address, &info);
	return asn_tag(&info, true, buf, cap);
}

void aspath_free(struct dash *d)
{
	asn_free(d->asn);
	d->asn = NULL;
}
