/*
 * replay_rows.h - a recording's line (flatjson.h) applied to the
 * dashboard: its rows by the recording's keys, its changes and packet
 * events through the model functions the live callbacks drive. For the
 * player (replay.c), which reads the lines and keeps their time.
 */
#ifndef SONAR_DASH_REPLAY_ROWS_H
#define SONAR_DASH_REPLAY_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "flatjson.h"
#include "state.h"

struct keyslot;

/* The recording's keys to this session's rows; zeroed: empty. */
struct replay_rows {
	struct keyslot *keys; /* a hash table (replay_rows.c) */
	size_t cap, used;
	uint64_t path_key; /* the recording's row of the path in d->path */
};

/* Apply line fl to d (the header excepted). 0, or -1 with why (the line
 * is bad: what came before it in the line may have been applied). */
int replay_rows_apply(struct dash *d, struct replay_rows *rr, const struct flatjson *fl, char *why,
                      size_t cap);
/* The row of the recording's key k, or NULL. */
struct row *replay_rows_find(struct replay_rows *rr, uint64_t k);
/* Forget every key (the rows stay the model's). */
void replay_rows_clear(struct replay_rows *rr);

#endif
