/*
 * record.h - --record FILE: the session as it happens, one JSON object a
 * line, for `sonar replay` (replay.c). Every call is a no-op while
 * d->rec is NULL, so the hooks in rows.c, tracer.c and keys.c are one
 * line each.
 *
 * The file: a header line ({"sonar_record": 1, "interval": S, "wall": NS},
 * "wall" the wall clock at t 0, so that a replay stamps its events with
 * when they happened); then, each
 * with "t" (nanoseconds since the header, monotonic): rows by the
 * recording session's key ("row": K), never by engine index: "op": "row"
 * (added or changed: name, state, address, protocol, port, error),
 * "rename" (K took the key "to" and a fresh name), "remove", "move"
 * ("dir" -1 or 1), "reset" (K, or 0: all), "interval", "pause"; packet
 * events as --stream names them ("event": "sent", "reply", "timeout",
 * "icmp_error", "send_error") for rows ("row") or for the path view
 * ("flow" and "probe_ttl", after an "op": "path" naming its row); and at
 * the end a "snapshot" line for each row with its numbers as the table
 * shows them (text).
 */
#ifndef SONAR_DASH_RECORD_H
#define SONAR_DASH_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

#define RECORD_VERSION 1

/* Start recording into file (truncated). 0, or -1 with why in err. */
int record_open(struct dash *d, const char *file, char *err, size_t cap);
/* Write the snapshot and close. 0, or -1 when the file could not be
 * written whole (err says why). */
int record_close(struct dash *d, char *err, size_t cap);
/* Write what is buffered (once a loop turn). */
void record_flush(struct dash *d);
/* Row r was added or its state changed. */
void record_row(struct dash *d, const struct row *r);
/* Row old_key is now r (a new key and name: statistics start afresh). */
void record_rename(struct dash *d, uint64_t old_key, const struct row *r);
void record_remove(struct dash *d, uint64_t key);
void record_move(struct dash *d, uint64_t key, int dir);
/* Statistics reset: of row key, or of every row (key 0). */
void record_reset(struct dash *d, uint64_t key);
/* The interval or the pause as d says now. */
void record_interval(struct dash *d);
void record_pause(struct dash *d);
/* A packet event of row key. */
void record_event(struct dash *d, uint64_t key, const struct sonar_event *ev);
/* The path view (re)started for row key (0: the same row as before). */
void record_path(struct dash *d, uint64_t key);
/* A packet event of the path view's flow. */
void record_path_event(struct dash *d, int flow, const struct sonar_event *ev);
/* The path view's statistics were reset. */
void record_path_reset(struct dash *d);
/*
 * The numbers of row r as the table shows them: loss, sent, received,
 * last, avg, min, max, stdev, jitter (view.c's numbers()).
 */
#define RECORD_NUMBERS 9
extern const char *const record_number_names[RECORD_NUMBERS];
void record_numbers(const struct row *r, char out[RECORD_NUMBERS][32]);

#endif
