/*
 * format.h - numbers for people: RTTs, loss, latency bands.
 */
#ifndef SONAR_FORMAT_H
#define SONAR_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "theme.h"

/*
 * A time in milliseconds in at most 6 columns, keeping sub-millisecond
 * precision: 0.043, 1.234, 12.35, 123.5, 1235, 12345. "-" for < 0 (none).
 */
char *fmt_ms(char *buf, size_t cap, double ms);
/* Seconds as %g would write them in C (0.25, 1, 3600), whatever the locale. */
char *fmt_seconds(char *buf, size_t cap, double s);
/* Loss as a percentage, "0.0%" to "100%"; "-" when nothing completed. */
char *fmt_loss(char *buf, size_t cap, double loss, bool any);
#define LATENCY_BANDS 5

/* Latency band 1 (fastest) to LATENCY_BANDS for a history cell. */
int latency_band(double ms);
/* The slowest RTT (ms) of a band; -1 for the last (no limit). */
double latency_band_top(int band);
/* The slot for an RTT value (good, warn, bad). */
enum slot rtt_slot(double ms);
/* The slot for a loss ratio. */
enum slot loss_slot(double loss);

#endif
