/*
 * alert.h - a target's alert state, from its most recent probes: pure
 * code (no curses, no engine, no clock), unit-tested in test_alert.
 *
 * Thresholds (struct alert_limits) are set globally (--alert-loss,
 * --alert-rtt, --alert-down) and may be changed per target in the targets
 * file. They are judged over the window: the last ALERT_WINDOW probes
 * whose fate is known (a probe still in flight counts for nothing).
 *
 * The state machine, one per row:
 *
 *   NEW  --first answer, nothing over-->  UP
 *   NEW/UP/DOWN  --loss or RTT over-->    ALERT   (event "alert")
 *   ALERT  --both back under-->           UP      (event "clear")
 *   NEW/DOWN  --an answer-->              UP      (event "up")
 *   any  --down_after lost in a row-->    DOWN    (event "down")
 *
 * DOWN wins over ALERT (a target that answers nothing is down, whatever
 * its loss); ALERT's reason is the loss before the RTT. An alert raised
 * when a value goes over its threshold clears only when the value is
 * back under ALERT_CLEAR of it (hysteresis: a loss hovering at the line
 * raises one alert, not one a probe). A row drawn in
 * the theme's `alert` slot is one in ALERT or DOWN.
 */
#ifndef SONAR_DASH_ALERT_H
#define SONAR_DASH_ALERT_H

#include <stdbool.h>
#include <stddef.h>

#define ALERT_WINDOW 100  /* probes the loss and the RTT are judged over */
#define ALERT_DOWN   5    /* lost in a row make a target down, unless --alert-down */
#define ALERT_CLEAR  0.75 /* of a threshold: where a raised alert clears */

/* Which thresholds are set (all zero: none, and down after ALERT_DOWN). */
enum { ALERT_SET_LOSS = 1, ALERT_SET_RTT = 2 };

struct alert_limits {
	double loss;    /* percent of the window lost, over it: alert (ALERT_SET_LOSS) */
	double rtt;     /* ms, the window's RTT (rtt_pct) over it: alert (ALERT_SET_RTT) */
	double rtt_pct; /* 0: the average RTT; else the percentile (0-100] judged */
	int down;       /* lost in a row: down (an alert); 0: ALERT_DOWN */
	unsigned set;   /* ALERT_SET_*: which of loss and rtt are thresholds */
};

enum alert_state { ALERT_NEW, ALERT_UP, ALERT_RAISED, ALERT_DOWN_STATE };

/* What changed in one step: the event a state change makes. */
enum alert_event {
	ALERT_EV_NONE,
	ALERT_EV_UP,      /* answering again (or at last) */
	ALERT_EV_DOWN,    /* down_after probes lost in a row */
	ALERT_EV_ALERT,   /* loss or RTT over its threshold */
	ALERT_EV_CLEAR,   /* back under both */
	ALERT_EV_ADDRESS, /* its name now gives another address (refresh.c; not a state) */
};

/* What the window says (alert_judge()). */
struct alert_value {
	double loss;     /* percent of the window lost */
	double rtt;      /* ms, the judged RTT: the window's average, or its percentile
	                  * (worked out only when the largest RTT is over the
	                  * threshold: else no percentile is); < 0 none */
	int lost_run;    /* lost in a row, newest first */
	size_t probes;   /* probes in the window */
	const char *why; /* "loss", "rtt" or "down" when over; NULL under */
	char stat[16];   /* why "rtt": which RTT, "avg", "p95", "p99.9"; else "" */
	double value;    /* the value `why` names (percent, ms, count); the last RTT when up */
};

/* Limits with nothing set: no alerts, down after ALERT_DOWN. */
void alert_limits_none(struct alert_limits *l);
/*
 * Judge the window of a target now in state `now`: cells newest first (n
 * of them; an RTT in ms, or < 0 lost or an ICMP error), as row_cell()
 * gives them. Returns the state the window puts the target in (ALERT_NEW
 * when n is 0) and fills v.
 */
enum alert_state alert_judge(const struct alert_limits *l, enum alert_state now, const float *cells,
                             size_t n, struct alert_value *v);
/* Move *state to next; the event that makes (ALERT_EV_NONE: no change). */
enum alert_event alert_step(enum alert_state *state, enum alert_state next);
/* The event's name in the log, NDJSON and $SONAR_STATE ("up", "down" ...). */
const char *alert_event_name(enum alert_event e);
/*
 * Parse one per-target setting "alert-loss=5", "alert-rtt=100" or
 * "alert-down=3" into l. alert-rtt judges the window's average RTT, or a
 * percentile when written MS@pNN ("alert-rtt=100@p95", "@p99.9"; "@avg"
 * is the average). 0, or -1 with why in err.
 */
int alert_parse_setting(const char *s, struct alert_limits *l, char *err, size_t errcap);
/* The statistic an RTT threshold judges, for people: "avg", "p95". */
void alert_stat_name(double rtt_pct, char *buf, size_t cap);
/* "100" or "100@p95": l's RTT threshold as alert_parse_setting() reads it. */
void alert_rtt_text(const struct alert_limits *l, char *buf, size_t cap);

#endif
