/*
 * alert.c - thresholds and the alert state machine (alert.h says it).
 */
#include "config.h"
#include "alert.h"
#include "pct.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void alert_limits_none(struct alert_limits *l)
{
	memset(l, 0, sizeof(*l));
}

enum alert_state alert_judge(const struct alert_limits *l, enum alert_state now, const float *cells,
                             size_t n, struct alert_value *v)
{
	/* raised: it stays so until under ALERT_CLEAR of a threshold */
	double k = now == ALERT_RAISED ? ALERT_CLEAR : 1.0;
	float rtts[ALERT_WINDOW];
	size_t i, lost = 0, got = 0;
	double sum = 0, max = 0;
	int down = l->down > 0 ? l->down : ALERT_DOWN;
	bool run = true;

	memset(v, 0, sizeof(*v));
	v->rtt = -1;
	if (n > ALERT_WINDOW)
		n = ALERT_WINDOW;
	v->probes = n;
	if (n == 0)
		return ALERT_NEW;
	for (i = 0; i < n; i++) {
		if (cells[i] < 0) {
			lost++;
			if (run)
				v->lost_run++;
			continue;
		}
		run = false;
		sum += cells[i];
		max = cells[i] > max ? cells[i] : max;
		rtts[got++] = cells[i];
	}
	v->loss = 100.0 * (double)lost / (double)n;
	if (got && l->rtt_pct > 0) {
		/* a sort of the window per probe only when it can matter: no
		 * percentile is over the threshold while the largest RTT is not */
		if ((l->set & ALERT_SET_RTT) && max > l->rtt * k) {
			pct_sort(rtts, got);
			v->rtt = pct_exact(rtts, got, l->rtt_pct);
		}
	} else if (got) {
		v->rtt = sum / (double)got;
	}
	if (v->lost_run >= down) {
		v->why = "down";
		v->value = v->lost_run;
		return ALERT_DOWN_STATE;
	}
	if ((l->set & ALERT_SET_LOSS) && v->loss > l->loss * k) {
		v->why = "loss";
		v->value = v->loss;
		return ALERT_RAISED;
	}
	if ((l->set & ALERT_SET_RTT) && v->rtt > l->rtt * k) {
		v->why = "rtt";
		v->value = v->rtt;
		alert_stat_name(l->rtt_pct, v->stat, sizeof(v->stat));
		return ALERT_RAISED;
	}
	/* under every threshold: up once something answered (lost probes
	 * alone, fewer than down_after, say nothing yet) */
	for (i = 0; i < n && cells[i] < 0; i++)
		;
	v->value = i < n ? cells[i] : -1;
	return got ? ALERT_UP : ALERT_NEW;
}

enum alert_event alert_step(enum alert_state *state, enum alert_state next)
{
	enum alert_state was = *state;

	if (next == was || next == ALERT_NEW)
		return ALERT_EV_NONE; /* nothing known yet changes nothing */
	*state = next;
	switch (next) {
	case ALERT_DOWN_STATE:
		return ALERT_EV_DOWN;
	case ALERT_RAISED:
		return ALERT_EV_ALERT;
	case ALERT_UP:
		if (was == ALERT_RAISED)
			return ALERT_EV_CLEAR;
		return ALERT_EV_UP;
	case ALERT_NEW:
		break;
	}
	return ALERT_EV_NONE;
}

const char *alert_event_name(enum alert_event e)
{
	switch (e) {
	case ALERT_EV_UP:
		return "up";
	case ALERT_EV_DOWN:
		return "down";
	case ALERT_EV_ALERT:
		return "alert";
	case ALERT_EV_CLEAR:
		return "clear";
	case ALERT_EV_ADDRESS:
		return "address";
	case ALERT_EV_NONE:
		break;
	}
	return "none";
}

/* A number from text, whole (in [min, max]) or not. 0, or -1 with why. */
static int number(const char *name, const char *s, double min, double max, bool whole, double *out,
                  char *err, size_t errcap)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno == ERANGE || !isfinite(v) || (whole && v != floor(v))) {
		snprintf(err, errcap, "%s '%.40s': expected %s", name, s,
		         whole ? "a whole number" : "a number");
		return -1;
	}
	if (v < min || v > max) {
		snprintf(err, errcap, "%s %.40s: must be from %g to %g", name, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* "MS" or "MS@pNN" / "MS@avg": the threshold and its percentile (0 the
 * average). 0, or -1 with why. */
static int rtt_threshold(const char *s, double *ms, double *pct, char *err, size_t errcap)
{
	const char *at = strchr(s, '@');
	char num[48];
	size_t len = at ? (size_t)(at - s) : strlen(s);

	if (len >= sizeof(num)) {
		snprintf(err, errcap, "alert-rtt '%.40s...': expected MS or MS@pNN", s);
		return -1;
	}
	memcpy(num, s, len);
	num[len] = '\0';
	if (number("alert-rtt", num, 0, 100000, false, ms, err, errcap) < 0)
		return -1;
	*pct = 0;
	if (!at || strcmp(at + 1, "avg") == 0)
		return 0;
	if (at[1] != 'p' || number("alert-rtt", at + 2, 0, 100, false, pct, err, errcap) < 0 ||
	    *pct <= 0) {
		snprintf(err, errcap,
		         "alert-rtt '%.40s': after '@', avg or a percentile pN, 0 < N <= 100 (as "
		         "100@p95)",
		         s);
		return -1;
	}
	return 0;
}

void alert_stat_name(double rtt_pct, char *buf, size_t cap)
{
	if (rtt_pct > 0)
		snprintf(buf, cap, "p%g", rtt_pct);
	else
		snprintf(buf, cap, "avg");
}

void alert_rtt_text(const struct alert_limits *l, char *buf, size_t cap)
{
	if (l->rtt_pct > 0)
		snprintf(buf, cap, "%g@p%g", l->rtt, l->rtt_pct);
	else
		snprintf(buf, cap, "%g", l->rtt);
}

int alert_parse_setting(const char *s, struct alert_limits *l, char *err, size_t errcap)
{
	const char *eq = strchr(s, '=');
	size_t klen = eq ? (size_t)(eq - s) : strlen(s);
	double v;

	if (!eq) {
		snprintf(err, errcap,
		         "'%.40s': expected alert-loss=PCT, alert-rtt=MS[@pNN] or alert-down=N", s);
		return -1;
	}
	if (klen == 10 && strncmp(s, "alert-loss", klen) == 0) {
		if (number("alert-loss", eq + 1, 0, 100, false, &v, err, errcap) < 0)
			return -1;
		l->loss = v;
		l->set |= ALERT_SET_LOSS;
	} else if (klen == 9 && strncmp(s, "alert-rtt", klen) == 0) {
		double pct = 0;

		if (rtt_threshold(eq + 1, &v, &pct, err, errcap) < 0)
			return -1;
		l->rtt = v;
		l->rtt_pct = pct;
		l->set |= ALERT_SET_RTT;
	} else if (klen == 10 && strncmp(s, "alert-down", klen) == 0) {
		if (number("alert-down", eq + 1, 1, ALERT_WINDOW, true, &v, err, errcap) < 0)
			return -1;
		l->down = (int)v;
	} else {
		snprintf(
		    err, errcap,
		    "unknown setting '%.*s' (alert-loss=PCT, alert-rtt=MS[@pNN] or alert-down=N)",
		    (int)(klen > 40 ? 40 : klen), s);
		return -1;
	}
	return 0;
}
