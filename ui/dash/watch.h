/*
 * watch.h - alerts in the dashboard: after each probe's fate, judge the
 * row's window (alert.c) and, on a change, log it (eventlog.c), run
 * --on-alert (oncmd.c) and owe a bell (--bell) and a frame.
 */
#ifndef SONAR_DASH_WATCH_H
#define SONAR_DASH_WATCH_H

#include "state.h"

/* The limits row r is judged by: its own (targets file) over the global ones. */
void watch_limits(const struct dash *d, const struct row *r, struct alert_limits *l);
/* Judge row r after a reply, a loss or an error; act on a change. The row
 * shows its alert (r->alert_why) only when a threshold was given for it
 * (an --alert-* option, the configuration's or its own); the events are
 * logged and run either way (down after ALERT_DOWN by default). */
void watch_row(struct dash *d, struct row *r);
/* Row r's name gave another address (it probes r->address now, was
 * previous): its alert state starts afresh; an "address" event. */
void watch_address(struct dash *d, struct row *r, const char *previous);
/* Apply a targets file's settings ("alert-loss=5 alert-rtt=100") to r. 0, or -1 with why. */
int watch_settings(struct row *r, const char *settings, char *err, size_t errcap);
/* Check settings alone (the targets reader's check). 0, or -1 with why. */
int watch_settings_check(const char *settings, char *err, size_t errcap);
/* Write r's own settings ("" none) into buf: what s saves after the name. */
void watch_settings_text(const struct row *r, char *buf, size_t cap);

#endif
