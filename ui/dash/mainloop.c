/*
 * mainloop.c - the dashboard's one select() loop.
 *
 * It watches the terminal, the engine's sockets, the resolver's (c-ares)
 * sockets and the capture. Inside one turn: the engine first (its replies
 * carry kernel timestamps, and it fires timeouts before sends), then
 * resolved names, the capture, --on-alert's children (reaped with
 * WNOHANG: the loop wakes every ONCMD_POLL_NS while one runs), then keys;
 * then a frame when one is owed
 * (d->dirty) and due. Packets are handled at once; frames are throttled to
 * about 10 a second, except that a key's effect is drawn right away.
 * Nothing here waits on the network or on DNS, and nothing sets dirty
 * unless something shown changed: an idle dashboard draws no frames.
 */
#include "config.h"
#include "mainloop.h"

#include <errno.h>
#include <sys/select.h>
#include <unistd.h>

#include "aspath.h"
#include "keys.h"
#include "pane.h"
#include "record.h"
#include "refresh.h"
#include "replay.h"
#include "rows.h"
#include "stop.h"

#define FRAME_NS (100 * 1000000LL) /* about 10 frames a second */

int mainloop_run(struct dash *d, const struct mainloop_term *t)
{
	int64_t last_frame = 0;

	t->frame(d);
	while (!d->quit && !stop_requested()) {
		fd_set rd, wr;
		int maxfd = t->fd;
		int64_t ns = sonar_engine_timeout(d->e), now = now_ns();
		int64_t dns = resolver_timeout(d->res), as = aspath_timeout(d);
		int64_t rp = replay_timeout(d), cmd = oncmd_timeout(&d->on);
		int64_t rf = refresh_timeout(d, now);
		struct timeval tv, *tvp = NULL;
		bool key = false;
		int winch = t->winch ? t->winch() : -1;

		if (dns >= 0 && (ns < 0 || dns < ns))
			ns = dns;
		if (as >= 0 && (ns < 0 || as < ns))
			ns = as;
		if (rp >= 0 && (ns < 0 || rp < ns))
			ns = rp;
		if (cmd >= 0 && (ns < 0 || cmd < ns))
			ns = cmd; /* an --on-alert command runs: reap it soon */
		if (rf >= 0 && (ns < 0 || rf < ns))
			ns = rf;

		if (d->dirty) { /* a frame is owed: no later than its slot */
			int64_t due = last_frame + FRAME_NS - now;

			if (ns < 0 || due < ns)
				ns = due < 0 ? 0 : due;
		}
		if (d->message[0] && d->message_until > now &&
		    (ns < 0 || d->message_until - now < ns))
			ns = d->message_until - now; /* wipe it when it expires */
		FD_ZERO(&rd);
		FD_ZERO(&wr);
		FD_SET(t->fd, &rd);
		if (winch >= 0) {
			FD_SET(winch, &rd);
			if (winch > maxfd)
				maxfd = winch;
		}
		pane_fds(d, &rd, &maxfd);
		resolver_fds(d->res, &rd, &wr, &maxfd);
		aspath_fds(d, &rd, &wr, &maxfd);
		sonar_engine_fds(d->e, &rd, &maxfd);
		if (ns >= 0) {
			tv.tv_sec = (time_t)(ns / 1000000000LL);
			tv.tv_usec = (suseconds_t)(ns % 1000000000LL / 1000);
			tvp = &tv;
		}
		if (select(maxfd + 1, &rd, &wr, NULL, tvp) < 0) {
			if (errno != EINTR)
				return -1;
			FD_ZERO(&rd); /* a resize (SIGWINCH) or a stop signal */
			FD_ZERO(&wr);
			FD_SET(t->fd, &rd);
		}
		if (winch >= 0 && FD_ISSET(winch, &rd)) {
			char buf[64];

			while (read(winch, buf, sizeof(buf)) > 0) {
				/* drained; the keys below bring ncurses' KEY_RESIZE */
			}
			FD_SET(t->fd, &rd);
		}
		/* The order of a turn: packets, names, keys, then the frame. */
		sonar_engine_process(d->e, &rd);
		replay_process(d); /* a replay's packets, instead of the engine's */
		resolver_process(d->res, &rd, &wr);
		resolver_poll(d->res, rows_resolved_cb, d);
		refresh_rows(d, now_ns());
		aspath_process(d, &rd, &wr);
		pane_process(d, &rd);
		oncmd_poll(&d->on, now_ns());
		/* a frame for names only when one came (not every turn) */
		if (resolver_names_changed(d->res) && d->names != NAMES_ADDRESSES &&
		    d->screen != SCREEN_HELP)
			d->dirty = true;
		if (t->resumed())
			d->dirty = true;
		if (FD_ISSET(t->fd, &rd)) {
			int k, n = 0;

			while ((k = t->key()) != K_NONE && !d->quit) {
				keys_handle(d, k);
				n++;
			}
			/* readable, nothing to read, hung up: the terminal is gone
			 * and no SIGHUP said so (a setsid child, a closed pty) */
			if (n == 0 && t->lost())
				d->quit = true;
			key = true;
		}
		if (d->message[0] && now_ns() >= d->message_until) {
			d->message[0] = '\0';
			d->dirty = true;
		}
		now = now_ns();
		if (d->dirty && (key || now - last_frame >= FRAME_NS)) {
			t->frame(d);
			last_frame = now;
		}
		record_flush(d);
	}
	return 0;
}
