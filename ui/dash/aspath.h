/*
 * aspath.h - the path view's AS numbers (z, as mtr's): looked up through
 * DNS (ui/common/asn.c) from the first z on, driven by the dashboard's
 * select() loop, shown before each responder.
 */
#ifndef SONAR_DASH_ASPATH_H
#define SONAR_DASH_ASPATH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>

#include "state.h"

/* z: show / hide the AS of each hop; the first time, start the lookups. */
void aspath_toggle(struct dash *d);
/* The loop's part: descriptors to watch, ns until due (-1 none), work.
 * Nothing while no lookup was ever asked for. */
void aspath_fds(const struct dash *d, fd_set *rd, fd_set *wr, int *maxfd);
int64_t aspath_timeout(const struct dash *d);
void aspath_process(struct dash *d, fd_set *rd, fd_set *wr);
/* How the AS of address shows ("AS64500 EXAMPLE"), "" none (yet); the
 * first call for an address asks the DNS. The view's as_of. */
const char *aspath_tag(void *ctx, const char *address, char *buf, size_t cap);
/* Stop the lookups (at exit). */
void aspath_free(struct dash *d);

#endif
