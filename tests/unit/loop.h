/*
 * loop.h - what the engine's unit tests share: the monotonic clock and a
 * caller's select() loop driving an engine (the way examples/loop.c and
 * the dashboard do).
 */
#ifndef SONAR_TEST_LOOP_H
#define SONAR_TEST_LOOP_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "sonar.h"

/* CLOCK_MONOTONIC in nanoseconds. */
static inline int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Drive e from a select() loop for ms milliseconds, or until no operation
 * is left. */
static inline void select_for(struct sonar_engine *e, int ms)
{
	int64_t end = mono_ns() + (int64_t)ms * 1000000;

	while (sonar_engine_active(e) > 0) {
		fd_set rd;
		int maxfd = -1;
		int64_t ns = sonar_engine_timeout(e), left = end - mono_ns();
		struct timeval tv;

		if (left <= 0)
			return;
		if (ns < 0 || ns > left)
			ns = left;
		FD_ZERO(&rd);
		assert_true(sonar_engine_fds(e, &rd, &maxfd) >= 0);
		tv.tv_sec = (time_t)(ns / 1000000000LL);
		tv.tv_usec = (suseconds_t)(ns % 1000000000LL / 1000);
		if (select(maxfd + 1, &rd, NULL, NULL, &tv) < 0 && errno != EINTR)
			fail_msg("select: %s", strerror(errno));
		assert_int_equal(sonar_engine_process(e, &rd), 0);
	}
}

#endif
