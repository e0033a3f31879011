/*
 * rows.h - the rows' life: a target is added (an address goes to the
 * engine, a name to the resolver first), probed (engine events) by the
 * operation of its protocol and port, renamed, removed; the selection
 * follows rows by key.
 */
#ifndef SONAR_DASH_ROWS_H
#define SONAR_DASH_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* Add a target typed or given by the user; NULL after saying why. */
struct row *rows_add(struct dash *d, const char *name);
/* Probe row r under a new name. */
void rows_rename(struct dash *d, struct row *r, const char *name);
/* Remove row r (the selection moves to a neighbour). */
void rows_remove(struct dash *d, struct row *r);
/*
 * Probe active row r at another address (its name now says so): its
 * statistics start afresh, as a reset's. false when the new address could
 * not be probed (the row failed, with why).
 */
bool rows_readdress(struct dash *d, struct row *r, const char *address);
/* A name was looked up (the resolver's callback). */
void rows_resolved_cb(uint64_t key, bool ok, const char *text, void *user);
/* Take one packet event of row r (the engine's, or a replayed one). */
void rows_apply(struct dash *d, struct row *r, const struct sonar_event *ev);
/* Every packet of the table's multipings (the engine's callback). */
void rows_event_cb(const struct sonar_event *ev, void *user);
/* p, + and -: every row's operation takes the interval / the pause. */
void rows_set_interval(struct dash *d, double seconds);
void rows_pause(struct dash *d, bool paused);
/* Recompute the display order; returns the selected position. */
size_t rows_order(struct dash *d);
/* The selected row, or NULL. */
struct row *rows_selected(struct dash *d);
/* Move the selection by delta positions (clamped). */
void rows_select_move(struct dash *d, long delta);

#endif
