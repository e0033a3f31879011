/*
 * heap.h - an intrusive binary min-heap of timers, ordered by deadline.
 *
 * Invariants: v[0..n) is a heap on when; every queued timer's pos is its
 * index in v; a timer not queued has pos == HEAP_NONE. Timers are owned by
 * their users (embedded in their structs); the heap only points at them.
 */
#ifndef SONAR_HEAP_H
#define SONAR_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_NONE UINT32_MAX

struct timer {
	int64_t when; /* CLOCK_MONOTONIC nanoseconds */
	uint32_t pos; /* index in the heap, HEAP_NONE when not queued */
	int32_t kind; /* what the owner does when it fires */
};

struct heap {
	struct timer **v;
	size_t n;
	size_t cap;
};

/* Mark t as not queued. */
void timer_init(struct timer *t, int kind);
/* Empty heap. */
void heap_init(struct heap *h);
/* Free the heap's array (not the timers). */
void heap_free(struct heap *h);
/* Make sure n more timers fit without allocating. 0 or -1. */
int heap_reserve(struct heap *h, size_t more);
/* Queue t at when, or move it there if queued. 0, or -1 out of memory. */
int heap_set(struct heap *h, struct timer *t, int64_t when);
/* Take t out if queued. */
void heap_remove(struct heap *h, struct timer *t);
/* The earliest timer, or NULL. */
struct timer *heap_top(const struct heap *h);

#endif
