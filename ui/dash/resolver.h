/*
 * resolver.h - name resolution that never blocks the dashboard: c-ares,
 * whose descriptors and deadline join the dashboard's select(), forward
 * lookups for targets and cached reverse (PTR) lookups for what is shown.
 */
#ifndef SONAR_RESOLVER_H
#define SONAR_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>

struct resolver;

/* Called for each forward answer: ok with the first address, or why not. */
typedef void (*resolver_cb)(uint64_t key, bool ok, const char *text, void *user);

/*
 * Start a resolver using the system's servers, or server ("ADDRESS[:PORT]",
 * "[IPv6]:PORT", comma-separated). NULL with the reason in err.
 */
struct resolver *resolver_new(const char *server, char *err, size_t errcap);
/* Add the descriptors to watch; returns their count. */
int resolver_fds(const struct resolver *r, fd_set *rd, fd_set *wr, int *maxfd);
/* Nanoseconds until resolver_process() is due anyway; -1 none. */
int64_t resolver_timeout(const struct resolver *r);
/* Read and send what is ready, time out what is late. */
void resolver_process(struct resolver *r, fd_set *rd, fd_set *wr);
/*
 * Look name up (family 0, 4 or 6); the answer comes with key: the first
 * address, or keep (NULL none) when it is among the addresses (a name
 * asked again that still has the address probed: the same host). 0 or -1.
 */
int resolver_submit(struct resolver *r, uint64_t key, const char *name, int family,
                    const char *keep);
/* Deliver every forward answer that is ready. */
void resolver_poll(struct resolver *r, resolver_cb cb, void *user);
/*
 * The cached name of address, or NULL: then asked (once) in the background;
 * *failed tells a lookup that failed from one not answered yet.
 */
const char *resolver_name(struct resolver *r, const char *address, bool *failed);
/*
 * Did a reverse name arrive (or fail) since the last call? The view only
 * needs a new frame for names when this says so.
 */
bool resolver_names_changed(struct resolver *r);
/* Stop; lookups still running are abandoned, never waited for. */
void resolver_free(struct resolver *r);

#endif
