/*
 * pane.c - the capture pane's ring: CAP_LINES packets, cap_n counting every
 * packet ever added (the newest is cap_ring[(cap_n - 1) % CAP_LINES]).
 * The capture is read only while the pane is open; packets stamped before
 * it opened are the kernel's backlog, counted in cap_skipped.
 */
#include "config.h"
#include "pane.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

#include "rows.h"

/* A captured packet: sonar's own or another's, kept unless frozen. */
static void captured_cb(struct cap_line *l, void *user)
{
	struct dash *d = user;

	/* the handle is not read while the pane is hidden: what waited there
	 * is a stale backlog, counted, not shown as news */
	if (timercmp(&l->ts, &d->cap_opened, <)) {
		d->cap_skipped++;
		d->dirty = true;
		return;
	}
	if (d->cap_frozen)
		return;
	l->own = sonar_engine_owns(d->e, &l->p);
	d->cap_ring[d->cap_n++ % CAP_LINES] = *l;
	d->dirty = true;
}

void pane_toggle(struct dash *d)
{
	d->cap_shown = !d->cap_shown;
	if (d->cap_shown) {
		gettimeofday(&d->cap_opened, NULL);
		d->cap_skipped = 0;
	}
	if (d->cap_shown && !d->cap_ring &&
	    !(d->cap_ring = calloc(CAP_LINES, sizeof(*d->cap_ring))))
		snprintf(d->cap_error, sizeof(d->cap_error), "out of memory");
}

void pane_filter(struct dash *d)
{
	struct row *r = rows_selected(d);

	d->cap_filtered = !d->cap_filtered;
	if (d->screen == SCREEN_PATH && d->path)
		snprintf(d->cap_filter, sizeof(d->cap_filter), "%s", d->path->address);
	else
		snprintf(d->cap_filter, sizeof(d->cap_filter), "%s", r ? r->address : "");
	d->cap_scroll = 0;
}

void pane_freeze(struct dash *d)
{
	d->cap_frozen = !d->cap_frozen;
	if (!d->cap_frozen)
		d->cap_scroll = 0;
}

void pane_back(struct dash *d)
{
	size_t kept = d->cap_n < CAP_LINES ? d->cap_n : CAP_LINES;

	/* never past the oldest packet kept */
	if (d->cap_scroll + 1 < kept)
		d->cap_scroll++;
}

void pane_forward(struct dash *d)
{
	if (d->cap_scroll > 0)
		d->cap_scroll--;
}

void pane_fds(struct dash *d, fd_set *rd, int *maxfd)
{
	int fd = d->cap && d->cap_shown ? capture_fd(d->cap) : -1;

	if (fd < 0)
		return;
	FD_SET(fd, rd);
	if (fd > *maxfd)
		*maxfd = fd;
}

void pane_process(struct dash *d, fd_set *rd)
{
	int fd = d->cap && d->cap_shown ? capture_fd(d->cap) : -1;

	if (fd < 0 || !FD_ISSET(fd, rd) || !d->cap_ring)
		return;
	if (capture_read(d->cap, captured_cb, d) == -1) {
		snprintf(d->cap_error, sizeof(d->cap_error), "%s", capture_error(d->cap));
		capture_close(d->cap);
		d->cap = NULL;
	}
}
