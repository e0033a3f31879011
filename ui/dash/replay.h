/*
 * replay.h - the player of `sonar replay FILE`: a --record file (the
 * format: record.h) read line by line into the same model functions the
 * live dashboard's callbacks drive (rows.c's rows_apply, model_add, row_reset,
 * path_flow_event), timed by the dashboard's select() loop at the
 * recording's pace times --speed. No engine operation, no socket.
 *
 * A corrupt line stops the replay: the dashboard quits and `sonar replay`
 * prints FILE:LINE and why, and exits 3. Only the last line may be cut
 * short (the file ends inside it: a recorder killed, a full disk): the
 * replay ends before it and says so.
 */
#ifndef SONAR_DASH_REPLAY_H
#define SONAR_DASH_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

#define REPLAY_SEEK_NS (10 * 1000000000LL) /* what < and > jump */

/* Open file for d at speed (times real time). 0, or -1 with why in err. */
int replay_open(struct dash *d, const char *file, double speed, char *err, size_t cap);
/* Nanoseconds until the next line is due; -1 paused or at the end. */
int64_t replay_timeout(struct dash *d);
/* Apply every line now due (a budget a turn, so keys stay quick). */
void replay_process(struct dash *d);
/*
 * A key while replaying: true when the player took it (< and > seek, +
 * and - the speed, Enter the recorded path, keys that would change what
 * was recorded). Like the prompt's keys, < and > are not in keys.c's
 * table: a live dashboard has no use for them, its help does not list
 * them; the replay's status line, --help and the man page do.
 */
bool replay_key(struct dash *d, int k);
/* Jump REPLAY_SEEK_NS back (k '<') or forward (k '>'); outside a replay, say so. */
void replay_seek(struct dash *d, int k);
/* Why the replay stopped on a corrupt line ("" none). */
const char *replay_error(const struct dash *d);
/* Close the file and free the player. */
void replay_close(struct dash *d);

#endif
