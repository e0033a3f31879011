/*
 * eventlog.h - the event log: each state change of a target (alert.h's
 * events), timestamped, kept in a ring for the log pane (l) and written
 * as one JSON object a line to --log FILE.
 *
 * Invariants: ring holds the newest EVENT_LINES events, n counts every
 * event ever added (the newest is ring[(n - 1) % EVENT_LINES]); ring is
 * allocated with the first event; out is the --log file or NULL, owned
 * (eventlog_close closes it).
 */
#ifndef SONAR_DASH_EVENTLOG_H
#define SONAR_DASH_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "alert.h"
#include "sonar.h"
#include "targets.h"

#define EVENT_LINES 1000 /* events the pane keeps */

struct event_line {
	struct timespec when; /* wall clock (CLOCK_REALTIME): what people read */
	enum alert_event ev;
	char target[TARGET_MAX + 1];
	char address[SONAR_ADDRSTRLEN];  /* "" unknown */
	char why[8];                     /* "loss", "rtt", "down" or "" */
	char stat[16];                   /* for "rtt": "avg", "p95" ...; else "" */
	char previous[SONAR_ADDRSTRLEN]; /* "address": the one it had; else "" */
	double value;                    /* what why names; the RTT for up; < 0 none */
};

struct eventlog {
	struct event_line *ring;
	size_t n;
	FILE *out;
	bool failed; /* a write to out failed (said once) */
};

/* Open path for appending NDJSON (as the user: after privileges went). 0, or -1 with why. */
int eventlog_open(struct eventlog *l, const char *path, char *err, size_t errcap);
/* Add an event (its when set by the caller); write it to the file. 0, or -1 out of memory. */
int eventlog_add(struct eventlog *l, const struct event_line *e);
/* The i-th newest event (0 newest), or NULL. */
const struct event_line *eventlog_get(const struct eventlog *l, size_t i);
/* One line for the pane: "HH:MM:SS  target (address)  alert  loss 50.0%". */
void eventlog_format(const struct event_line *e, char *buf, size_t cap);
/* Write e as one JSON line to f. */
void eventlog_json(FILE *f, const struct event_line *e);
/* Free the ring, close the file. */
void eventlog_close(struct eventlog *l);

#endif
