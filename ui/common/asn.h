/*
 * asn.h - the origin AS of an address and the AS's name, from DNS TXT
 * records in Team Cymru's format, through c-ares, cached, never waiting
 * past a deadline.
 */
#ifndef SONAR_ASN_H
#define SONAR_ASN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>

#include "asn_record.h"

struct asn;

/*
 * Start looking up through the system's DNS servers (resolv.conf), or
 * server ("ADDRESS[:PORT]", "[IPv6]:PORT", comma-separated); asn_hops()
 * waits at most seconds (1 at least), and a query's try a third of that.
 * all: special addresses too (for a DNS of your own). NULL with the reason
 * in err and errno EINVAL (server is not valid), ENOMEM or EIO (c-ares).
 */
struct asn *asn_new(const char *server, bool all, double seconds, char *err, size_t errcap);
/*
 * What is known of address (into *info, zeroed when nothing yet); the
 * first call for an address asks the DNS (then its AS's name once the
 * origin is known). Never waits.
 */
void asn_lookup(struct asn *a, const char *address, struct asn_info *info);
/*
 * Let the lookups run until none is left, a stop is asked for (Ctrl-C), or
 * seconds have passed. Returns the addresses whose origin stayed without
 * an answer (the server failed or was too slow; not those without a
 * record), with the last reason in *why.
 */
int asn_wait(struct asn *a, double seconds, const char **why);
/*
 * For a select() loop of the caller's own (the dashboard's), instead of
 * asn_wait(): the descriptors to watch (returns their count), nanoseconds
 * until asn_process() is due anyway (-1 none), and the reading, sending
 * and timing out of what is ready. Never block.
 */
int asn_fds(const struct asn *a, fd_set *rd, fd_set *wr, int *maxfd);
int64_t asn_timeout(const struct asn *a);
void asn_process(struct asn *a, fd_set *rd, fd_set *wr);
/* Did an answer arrive (or a query fail) since the last call? false for NULL. */
bool asn_changed(struct asn *a);
/* Stop; lookups still running are abandoned, never waited for. */
void asn_free(struct asn *a);

/*
 * For `traceroute --asn`: look up every hop's address, wait at most the
 * seconds of asn_new() (a warning on stderr for queries left unanswered),
 * and return infos[i] for hops[i] (calloc'd, the caller frees), or NULL
 * when out of memory.
 */
struct asn_info *asn_hops(struct asn *a, const struct sonar_host *hops, size_t n);

#endif
