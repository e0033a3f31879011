/*
 * resolver.h - name resolution that never blocks the dashboard: a worker
 * thread does the lookups; the select() loop watches a pipe for answers.
 */
#ifndef SONAR_RESOLVER_H
#define SONAR_RESOLVER_H

#include <stdbool.h>
#include <stdint.h>

struct resolver;

/* Called for each answer: ok with the first address, or the error text. */
typedef void (*resolver_cb)(uint64_t key, bool ok, const char *text, void *user);

/* Start the worker. NULL when it cannot. */
struct resolver *resolver_new(void);
/* The descriptor that becomes readable when answers wait. */
int resolver_fd(const struct resolver *r);
/* Ask for name (family 0, 4 or 6); the answer comes with key. 0 or -1. */
int resolver_submit(struct resolver *r, uint64_t key, const char *name, int family);
/* Deliver every answer that is ready. */
void resolver_poll(struct resolver *r, resolver_cb cb, void *user);
/* Stop; a lookup still running is abandoned, never waited for. */
void resolver_free(struct resolver *r);

#endif
