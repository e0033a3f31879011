/*
 * refresh.h - names looked up again while they are probed.
 *
 * A row written as a host name was resolved once, when added; DNS moves
 * hosts (a failover, a CDN, a renumbering), and a row that keeps probing
 * the old address shows a host nobody asked for. Every --resolve-every
 * seconds (default REFRESH_DEFAULT_S; 0 never; a tenth either way, so
 * that rows added together do not ask together) each such row asks again,
 * through the same non-blocking resolver. When the answer is another
 * address, the row probes that one, its statistics start afresh (they
 * were another host's) and an "address" event says the old address and
 * the new (the log, --log, --on-alert). A lookup that fails keeps the
 * address the row has: a DNS outage is not the host's. A name that did not
 * resolve (its row failed) is asked again alike, and probed once it does.
 *
 * Nothing is asked while the table is paused (it sends nothing then).
 * The answers come back through rows_resolved_cb() under the row's key
 * with REFRESH_KEY set: a row removed or renamed meanwhile is not found.
 */
#ifndef SONAR_DASH_REFRESH_H
#define SONAR_DASH_REFRESH_H

#include <stdbool.h>
#include <stdint.h>

#include "state.h"

#define REFRESH_DEFAULT_S 300
#define REFRESH_KEY       (1ULL << 63) /* on a row's key: a refresh's answer */

/* Ask again for the names that are due. */
void refresh_rows(struct dash *d, int64_t now);
/* Nanoseconds until refresh_rows() has something to do; -1 never. */
int64_t refresh_timeout(const struct dash *d, int64_t now);
/* A refresh's answer for row key (REFRESH_KEY cleared). */
void refresh_answer(struct dash *d, uint64_t key, bool ok, const char *text);
/* Row r has just been resolved (first time or again): when it is due. */
void refresh_schedule(const struct dash *d, struct row *r, int64_t now);

#endif
