/*
 * oncmd.h - --on-alert CMD: a shell command run on each state change of a
 * target, with the change in its environment (SONAR_EVENT, SONAR_STATE,
 * SONAR_TARGET, SONAR_ADDRESS, SONAR_WHY, SONAR_VALUE, SONAR_TIME).
 *
 * It never blocks the loop: fork and exec, reaped with waitpid(WNOHANG)
 * each loop turn (oncmd_poll), killed (its whole process group) after
 * ONCMD_LIMIT_NS. At most one runs per target: a change that comes while
 * the target's command runs waits, and only the newest waiting change is
 * kept (the state is what matters, not every step to it). At most
 * ONCMD_MAX_RUNNING run at once, whatever the number of targets: a target
 * whose change finds no room waits its turn (oldest first), so a link
 * down under 10,000 targets runs 16 shells at a time, not 10,000. The child gets
 * no descriptor of the dashboard but 0-2 (/dev/null), no signal mask or
 * handler of it, and no way back to a privilege (no_new_privs; the
 * dashboard dropped the rest before the first key).
 *
 * Invariants: kids[0..n) each have their own target key; a kid is
 * running (pid > 0; `running` counts them) or waiting for room (pid 0,
 * has_next); a kid's waiting change is in `next` when has_next.
 */
#ifndef SONAR_DASH_ONCMD_H
#define SONAR_DASH_ONCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eventlog.h"

#define ONCMD_LIMIT_NS    (10 * 1000000000LL) /* a command's time limit */
#define ONCMD_POLL_NS     (50 * 1000000LL)    /* the loop's wake-up while one runs */
#define ONCMD_MAX_RUNNING 16                  /* commands running at once, all targets */

struct oncmd_kid {
	uint64_t key; /* the row's */
	pid_t pid;
	int64_t deadline; /* monotonic ns: killed then */
	bool killed;
	bool has_next;
	uint64_t order; /* waiting for room: started in this order */
	struct event_line next;
};

struct oncmd {
	const char *cmd; /* NULL: no command */
	struct oncmd_kid *kids;
	size_t n, cap;
	size_t running;               /* kids with a pid */
	uint64_t seq;                 /* the last order given */
	uint64_t ran, killed, failed; /* counts, for the status line and tests */
};

/* Run the command for event e of row key (or queue it behind that row's). */
void oncmd_run(struct oncmd *o, uint64_t key, const struct event_line *e, int64_t now);
/* Reap what ended, kill what is late, start what waited. */
void oncmd_poll(struct oncmd *o, int64_t now);
/* Nanoseconds until oncmd_poll() is due; -1 when nothing runs. */
int64_t oncmd_timeout(const struct oncmd *o);
/* Kill and reap every child (leaving). */
void oncmd_close(struct oncmd *o);

#endif
