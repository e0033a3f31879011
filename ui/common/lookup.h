/*
 * lookup.h - what the DNS lookups share (the dashboard's names, traceroute's
 * AS numbers): the monotonic clock their deadlines use, and the string hash
 * of their caches.
 */
#ifndef SONAR_LOOKUP_H
#define SONAR_LOOKUP_H

#include <stdint.h>
#include <time.h>

/* Monotonic nanoseconds. */
static inline int64_t lookup_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* FNV-1a of a string. */
static inline uint32_t lookup_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

#endif
