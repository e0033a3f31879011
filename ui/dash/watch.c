/*
 * watch.c - alerts in the dashboard (watch.h).
 */
#include "config.h"
#include "watch.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void watch_limits(const struct dash *d, const struct row *r, struct alert_limits *l)
{
	*l = d->limits;
	if (r->limits.set & ALERT_SET_LOSS)
		l->loss = r->limits.loss;
	if (r->limits.set & ALERT_SET_RTT) {
		l->rtt = r->limits.rtt;
		l->rtt_pct = r->limits.rtt_pct;
	}
	l->set |= r->limits.set;
	if (r->limits.down > 0)
		l->down = r->limits.down;
}

/* An event of row r, now (a replay's: when the recording says it was):
 * its kind, target and address. */
static void start_event(const struct dash *d, struct event_line *e, enum alert_event ev,
                        const struct row *r)
{
	memset(e, 0, sizeof(*e));
	if (d->wall_ns > 0) {
		e->when.tv_sec = (time_t)(d->wall_ns / 1000000000LL);
		e->when.tv_nsec = (long)(d->wall_ns % 1000000000LL);
	} else {
		clock_gettime(CLOCK_REALTIME, &e->when);
	}
	e->ev = ev;
	snprintf(e->target, sizeof(e->target), "%s", r->name);
	snprintf(e->address, sizeof(e->address), "%s", r->address);
}

/* Into the log (and --log), to --on-alert, the bell. */
static void add_event(struct dash *d, const struct row *r, const struct event_line *e)
{
	if (eventlog_add(&d->log, e) < 0)
		say(d, true, "out of memory (the event log)");
	oncmd_run(&d->on, r->key, e, now_ns());
	if (d->bell && (e->ev == ALERT_EV_ALERT || e->ev == ALERT_EV_DOWN))
		d->bell_owed = true;
	d->dirty = true;
}

void watch_row(struct dash *d, struct row *r)
{
	float cells[ALERT_WINDOW];
	struct alert_limits l;
	struct alert_value v;
	struct event_line e;
	enum alert_event ev;
	size_t n, want;

	watch_limits(d, r, &l);
	/* the whole window only for a loss or RTT threshold: down and up need
	 * the newest cells to the down count (every event of every row comes
	 * here: 1,000 rows at 20 probes a second are 20,000 judgements) */
	want = l.set & (ALERT_SET_LOSS | ALERT_SET_RTT) ? ALERT_WINDOW
	       : l.down > 0                             ? (size_t)l.down
	                                                : ALERT_DOWN;
	for (n = 0; n < want && row_cell(r, n, &cells[n]); n++)
		;
	ev = alert_step(&r->alert, alert_judge(&l, r->alert, cells, n, &v));
	/* the row shows it when asked for alerts (a threshold of its own or
	 * a global one); the events are logged either way */
	if ((l.set || l.down) && (r->alert == ALERT_RAISED || r->alert == ALERT_DOWN_STATE)) {
		/* what the row shows: as over as it is now (the reason may
		 * change while the state stays; rows.c owes the table a frame) */
		if (v.why) {
			r->alert_why = v.why;
			r->alert_value = v.value;
			snprintf(r->alert_stat, sizeof(r->alert_stat), "%s", v.stat);
		}
	} else {
		r->alert_why = NULL;
	}
	if (ev == ALERT_EV_NONE)
		return;
	start_event(d, &e, ev, r);
	snprintf(e.why, sizeof(e.why), "%s", v.why ? v.why : "");
	if (v.why && strcmp(v.why, "rtt") == 0)
		snprintf(e.stat, sizeof(e.stat), "%s", v.stat);
	e.value = v.value;
	add_event(d, r, &e);
}

void watch_address(struct dash *d, struct row *r, const char *previous)
{
	struct event_line e;

	/* another host: what was judged of the old one says nothing of it */
	r->alert = ALERT_NEW;
	r->alert_why = NULL;
	start_event(d, &e, ALERT_EV_ADDRESS, r);
	snprintf(e.previous, sizeof(e.previous), "%s", previous);
	e.value = -1;
	add_event(d, r, &e);
	say(d, false, "%s: now %s (was %s): its statistics start afresh", r->name, r->address,
	    previous);
}

/* Each space-separated word of settings into l. 0, or -1 with why. */
static int parse_settings(const char *settings, struct alert_limits *l, char *err, size_t errcap)
{
	char word[64];
	const char *s = settings;

	while (*s) {
		size_t len;

		while (*s == ' ' || *s == '\t')
			s++;
		len = strcspn(s, " \t");
		if (len == 0)
			break;
		if (len >= sizeof(word)) {
			snprintf(err, errcap, "'%.40s...': too long for a setting", s);
			return -1;
		}
		memcpy(word, s, len);
		word[len] = '\0';
		if (alert_parse_setting(word, l, err, errcap) < 0)
			return -1;
		s += len;
	}
	return 0;
}

int watch_settings(struct row *r, const char *settings, char *err, size_t errcap)
{
	struct alert_limits l = r->limits;

	if (parse_settings(settings, &l, err, errcap) < 0)
		return -1;
	r->limits = l;
	return 0;
}

int watch_settings_check(const char *settings, char *err, size_t errcap)
{
	struct alert_limits l;

	alert_limits_none(&l);
	return parse_settings(settings, &l, err, errcap);
}

void watch_settings_text(const struct row *r, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	if (r->limits.set & ALERT_SET_LOSS)
		n += (size_t)snprintf(buf + n, cap - n, " alert-loss=%g", r->limits.loss);
	if ((r->limits.set & ALERT_SET_RTT) && n < cap) {
		char rtt[48];

		alert_rtt_text(&r->limits, rtt, sizeof(rtt));
		n += (size_t)snprintf(buf + n, cap - n, " alert-rtt=%s", rtt);
	}
	if (r->limits.down > 0 && n < cap)
		snprintf(buf + n, cap - n, " alert-down=%d", r->limits.down);
}
