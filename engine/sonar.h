/*
 * sonar.h - ICMP ping, multiping and traceroute: icmplib's API in C.
 *
 * The one public header of libsonar. Every call returns 0 (or a count) on
 * success and a negative SONAR_E* code on failure; sonar_last_error() then
 * holds a one-line message in icmplib's wording. The library never prints,
 * never exits and, outside the blocking convenience calls (sonar_ping), never
 * blocks: a caller's own select()/poll() loop drives a struct sonar_engine.
 */
#ifndef SONAR_H
#define SONAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <sys/select.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Room for any textual address, IPv6 zone index included ("fe80::1%eth0"). */
#define SONAR_ADDRSTRLEN 64
/* Room for one error message kept with a host. */
#define SONAR_MSGLEN 160

/* Error codes: one per icmplib exception, plus invalid arguments and memory. */
enum sonar_error {
	SONAR_OK = 0,
	SONAR_EINVAL = -1,         /* invalid argument (icmplib's ValueError) */
	SONAR_ENAMELOOKUP = -2,    /* NameLookupError: a name did not resolve */
	SONAR_ESOCKET = -3,        /* ICMPSocketError: any other socket failure */
	SONAR_ESOCKADDR = -4,      /* SocketAddressError: source not assignable */
	SONAR_EPERM = -5,          /* SocketPermissionError */
	SONAR_EUNAVAILABLE = -6,   /* SocketUnavailableError: socket closed */
	SONAR_EBROADCAST = -7,     /* SocketBroadcastError */
	SONAR_ETIMEOUT = -8,       /* TimeoutExceeded: no answer in time */
	SONAR_EICMP = -9,          /* ICMPError: another ICMP error message */
	SONAR_EUNREACH = -10,      /* DestinationUnreachable */
	SONAR_ETIMEEXCEEDED = -11, /* TimeExceeded */
	SONAR_ENOMEM = -12,        /* out of memory */
};

/* What a probe is. */
enum sonar_protocol {
	SONAR_PROTO_ICMP = 0, /* echo request (icmplib's, the default) */
	SONAR_PROTO_UDP = 1,  /* a UDP datagram to port (default 33434): the
	                         destination answers Port Unreachable, or its
	                         service a datagram from that address and port
	                         (that probe's when it begins with the probe's
	                         first 2 bytes, else the oldest one waiting) */
	SONAR_PROTO_TCP = 2,  /* a TCP SYN to port (default 80): the destination
	                         answers SYN-ACK or RST. Privileged: built on a
	                         raw socket (one source port per flow, the probe
	                         in its sequence number); else a connect(), whose
	                         RTT is the handshake's as the kernel measured */
};

/*
 * Options, named after icmplib's parameters. Fill them with one of the
 * *_defaults() functions first, then change what differs.
 */
struct sonar_options {
	int count;              /* probes per target; 0 = until stopped (engine only) */
	double interval;        /* seconds between probes to one target */
	double timeout;         /* seconds to wait for each reply */
	int id;                 /* ICMP identifier; -1 = chosen by the library */
	const char *source;     /* source address to bind, or NULL */
	int family;             /* 0 (IPv4 first, then IPv6), 4 or 6 */
	bool privileged;        /* raw socket (true) or ICMP datagram socket */
	const uint8_t *payload; /* payload bytes, or NULL for random ones */
	size_t payload_size;    /* length of payload (or of the random one) */
	int traffic_class;      /* DS field / IPv6 traffic class, 0-255 */
	int ttl;                /* TTL / hop limit of the probes, 1-255 */
	int concurrent_tasks;   /* multiping: targets in flight at once (count > 0;
	                   a continuous multiping runs all its targets) */
	int first_hop;          /* traceroute: first TTL probed */
	int max_hops;           /* traceroute: last TTL probed */
	bool fast;              /* traceroute: next TTL once a hop answered */
	double pacing;          /* multiping: seconds between consecutive targets'
	                   first probes; -1 (the default) spreads them evenly over
	                   one interval, 0 sends them all at once (fping -i 0) */
	int rtt_history;        /* continuous (count 0) targets: the most recent RTTs
	                   kept for snapshots' rtts (default 1,024; 0 keeps none:
	                   8 KiB a target saved, for callers that use events) */
	double wait_here;       /* traceroute: give a probe up after this many times
	                   the slowest answer of its own hop so far (traceroute
	                   -w's HERE, 3 there); 0 (the default) waits the whole
	                   timeout, as icmplib does */
	int protocol;           /* enum sonar_protocol (default ICMP) */
	int port;               /* UDP, TCP: destination port, kept for every
	                   probe (UDP: one flow, ECMP routers send it one way);
	                   0 = 33434 (UDP), 80 (TCP). A UDP probe's sequence is
	                   in its first 2 payload bytes */
	double wait_near;       /* traceroute: for a hop that never answered, this
	                   many times the slowest answer of a later hop (-w's
	                   NEAR, 10 there); 0 (the default) waits the whole
	                   timeout. Never less than 10 ms nor more than timeout */
	int flow;               /* TCP with raw sockets (privileged): the Paris flow,
	                   0 (the default) to SONAR_TCP_FLOWS - 1; every probe
	                   leaves from source port SONAR_TCP_FLOW_PORT + flow to
	                   port, so ECMP routers send them one way, and is
	                   known by its sequence number. A connect() (not
	                   privileged) has the kernel's port: no flow */
};

/* Raw TCP probes' source ports: SONAR_TCP_FLOW_PORT + flow, above Linux's
 * default ephemeral range (32768-60999). */
#define SONAR_TCP_FLOW_PORT 61000
#define SONAR_TCP_FLOWS     256

/* Fill *o with icmplib's defaults for ping (count 4, interval 1, timeout 2). */
void sonar_ping_defaults(struct sonar_options *o);
/* Fill *o with icmplib's defaults for multiping (2, 0.5, 2, 50 tasks). */
void sonar_multiping_defaults(struct sonar_options *o);
/* Fill *o with icmplib's defaults for traceroute (2, 0.05, 2, hops 1-30). */
void sonar_traceroute_defaults(struct sonar_options *o);
/* Check options; 0 or SONAR_EINVAL with a message naming the parameter. */
int sonar_options_validate(const struct sonar_options *o);

/* Most MPLS label stack entries kept from one ICMP message. */
#define SONAR_MPLS_MAX 8

/* One MPLS label stack entry a router reported in its Time Exceeded (RFC
 * 4950 in an RFC 4884 extension), read from raw sockets' ICMP (a datagram
 * socket's error queue holds the extension too: not read yet). */
struct sonar_mpls {
	uint32_t label; /* 0 - 1,048,575 */
	int tc;         /* traffic class (was EXP), 0-7 */
	int s;          /* 1 on the bottom of the stack */
	int ttl;
};

/*
 * The result for one target (icmplib's Host) or one hop (icmplib's Hop).
 * Statistics follow icmplib exactly: min/avg/max/jitter rounded to 3
 * decimals, packet_loss to 2, all 0.0 when nothing was received.
 */
struct sonar_host {
	char address[SONAR_ADDRSTRLEN];   /* the address probed (hop: responder) */
	double min_rtt;                   /* ms */
	double avg_rtt;                   /* ms */
	double max_rtt;                   /* ms */
	double stdev_rtt;                 /* ms, population standard deviation */
	double jitter;                    /* ms, mean |rtt[i] - rtt[i+1]| */
	double packet_loss;               /* 0.0 - 1.0 */
	double *rtts;                     /* RTTs in ms, unrounded, receive order */
	int rtts_count;                   /* entries in rtts: packets_received, or for a
	                                     continuous op the most recent 1,024 */
	int packets_sent;                 /* probes actually sent */
	int packets_received;             /* replies, i.e. entries of rtts */
	int duplicates;                   /* replies received again, not counted above */
	bool is_alive;                    /* at least one reply */
	int distance;                     /* hops away (TTL of the probe); 0 unknown */
	int reply_ttl;                    /* TTL / hop limit of the last reply; -1 none */
	int error;                        /* 0, or the SONAR_E* of the last failure */
	int icmp_type;                    /* last ICMP error's type; -1 none */
	int icmp_code;                    /* last ICMP error's code; -1 none */
	char error_message[SONAR_MSGLEN]; /* text of error, "" when none */
	int mpls_count;                   /* traceroute hops: the label stack of the */
	const struct sonar_mpls *mpls;    /* hop's latest answer carrying one (NULL,
	                                     0: none); owned as rtts is */
};

/*
 * Running statistics with icmplib's definitions, for callers that follow
 * events themselves (a dashboard): no array of RTTs needed. Invariant: n
 * RTTs seen; sum, min, max and last over them; jitter_sum the sum of
 * |r[i] - r[i+1]| over consecutive pairs; mean and m2 Welford's.
 */
struct sonar_stats {
	uint64_t n;        /* RTTs added */
	double sum;        /* their sum, ms */
	double min;        /* ms */
	double max;        /* ms */
	double last;       /* the latest, ms */
	double jitter_sum; /* ms */
	double mean;       /* Welford's running mean, ms */
	double m2;         /* Welford's sum of squared deviations */
};

/* Start empty. */
void sonar_stats_init(struct sonar_stats *s);
/* Add one RTT in milliseconds. */
void sonar_stats_add(struct sonar_stats *s, double rtt);
/* Fill min/avg/max/stdev/jitter/loss/is_alive/counts of h as icmplib would. */
void sonar_stats_fill(const struct sonar_stats *s, uint64_t sent, struct sonar_host *h);

/* Free what *h holds (its rtts) and zero it. */
void sonar_host_clear(struct sonar_host *h);
/*
 * Copy *src into *dst, rtts included (a done callback's hosts are valid only
 * during the call). 0, or SONAR_ENOMEM with dst->rtts NULL.
 */
int sonar_host_copy(struct sonar_host *dst, const struct sonar_host *src);

/*
 * Ping one host (icmplib's ping): count probes, one every interval seconds,
 * on a fixed schedule. Returns 0 when the probes ran (whether or not the host
 * answered: see out->is_alive and out->error), or a negative code when they
 * could not (name not resolved, socket not permitted, bad options). *out is
 * filled in both cases; free it with sonar_host_clear().
 */
int sonar_ping(const char *address, const struct sonar_options *o, struct sonar_host *out);

/*
 * Ping several hosts (icmplib's multiping): every address gets the options'
 * count of probes; at most concurrent_tasks targets are in flight at once,
 * all through one socket per address family. hosts[] (room for n) receives
 * the results in input order; a target that could not be resolved or probed
 * carries its error in hosts[i].error and the others complete. Returns 0, or
 * a negative code when nothing could run (SONAR_EINVAL for an empty list).
 * Free each host with sonar_host_clear().
 */
int sonar_multiping(const char *const *addresses, size_t n, const struct sonar_options *o,
                    struct sonar_host *hosts);

/*
 * Trace the route to a host (icmplib's traceroute), probing every TTL from
 * first_hop to max_hops at once, count rounds interval seconds apart. *hops
 * receives the hops that answered, by distance, up to the destination (or
 * the router that reported it unreachable); free them with sonar_hops_free().
 * Works with datagram sockets too (o->privileged false): routers' errors come
 * through IP_RECVERR. Returns 0 or a negative code.
 */
int sonar_traceroute(const char *address, const struct sonar_options *o, struct sonar_host **hops,
                     size_t *n_hops);
/* Free what sonar_traceroute() returned. */
void sonar_hops_free(struct sonar_host *hops, size_t n);

/*
 * Resolve a name (icmplib's resolve). family 6 asks for IPv6 only; 4 for IPv4;
 * 0 for IPv4, falling back to IPv6. Writes up to max addresses and returns how
 * many were found (> 0), or SONAR_ENAMELOOKUP / SONAR_EINVAL. Blocks on DNS.
 */
int sonar_resolve(const char *name, int family, char (*addresses)[SONAR_ADDRSTRLEN], size_t max);
/* Is s a syntactically valid host name (RFC 1123 labels, not an address)? */
bool sonar_is_hostname(const char *s);
/* Is s a dotted-quad IPv4 address (each part 0-255, four parts)? */
bool sonar_is_ipv4_address(const char *s);
/* Is s an IPv6 address, with an optional %zone? */
bool sonar_is_ipv6_address(const char *s);

/* An ICMP or ICMPv6 packet as a capture sees it, decoded. */
struct sonar_packet {
	int family;                 /* 4 or 6 */
	char src[SONAR_ADDRSTRLEN]; /* IP source */
	char dst[SONAR_ADDRSTRLEN]; /* IP destination */
	int ttl;                    /* TTL / hop limit */
	int type;                   /* ICMP type and code */
	int code;
	const char *name;                  /* "echo request", "time exceeded" ... */
	char detail[SONAR_MSGLEN];         /* errors: icmplib's message for the code */
	int id;                            /* echo: its id and sequence; errors: */
	int seq;                           /* the quoted echo's; -1 none */
	char quoted_dst[SONAR_ADDRSTRLEN]; /* errors: where the quoted echo went */
	size_t length;                     /* bytes of the IP packet (as sent) */
	bool truncated;                    /* the buffer holds less than length */
};

/*
 * Decode an IP packet (IPv4, or IPv6 with its extension headers) carrying
 * ICMP or ICMPv6, with the engine's own codec. 0, or SONAR_EINVAL when it
 * is not one or is cut before its ICMP header. Reads nothing past len.
 */
int sonar_decode(const uint8_t *buf, size_t len, struct sonar_packet *out);

/* Name of an error code, e.g. "DestinationUnreachable". */
const char *sonar_strerror(int code);
/* The detailed message of this thread's last failure. */
const char *sonar_last_error(void);
/* The library's version string. */
const char *sonar_version(void);

/* ---- The non-blocking engine ------------------------------------------ */

struct sonar_engine;

enum sonar_event_type {
	SONAR_EVENT_SENT,       /* a probe left */
	SONAR_EVENT_REPLY,      /* its echo reply arrived */
	SONAR_EVENT_DUPLICATE,  /* a reply to a probe already answered */
	SONAR_EVENT_TIMEOUT,    /* no reply within the timeout */
	SONAR_EVENT_ICMP_ERROR, /* an ICMP error quoting the probe */
	SONAR_EVENT_SEND_ERROR, /* the kernel refused to send the probe */
};

/* One packet-level event, passed to a sonar_event_cb. */
struct sonar_event {
	enum sonar_event_type type;
	int op;              /* the operation's handle */
	size_t target;       /* index of the target in the operation */
	const char *name;    /* the target as the caller gave it */
	const char *address; /* target address */
	const char *from;    /* responder (reply source or router) */
	int sequence;        /* ICMP sequence number */
	int probe_ttl;       /* TTL the probe was sent with */
	int reply_ttl;       /* TTL / hop limit of the reply; -1 none */
	double rtt;          /* ms; replies, duplicates and errors */
	size_t bytes;        /* ICMP bytes received (or sent) */
	int icmp_type;       /* ICMP errors: type and code */
	int icmp_code;
	int error;            /* SONAR_E* for errors, else 0 */
	const char *message;  /* text of error, else "" */
	struct timespec when; /* wall clock (kernel's for replies) */
	int mpls_count;       /* ICMP errors: MPLS label stack entries in mpls */
	const struct sonar_mpls *mpls;
};

/*
 * Called for every packet event. The event and its strings (name, address,
 * from, message) are valid only during the call: copy what you keep. The
 * callback may do anything to the engine (stop its op, remove its own
 * target, add targets): what it frees is freed after it returns.
 */
typedef void (*sonar_event_cb)(const struct sonar_event *ev, void *user);
/* Called once when an operation ends; hosts[] is valid during the call. */
typedef void (*sonar_done_cb)(int op, const struct sonar_host *hosts, size_t n, void *user);

/*
 * Open the engine's socket for family (4 or 6), kind and source now rather
 * than at first use: a program that drops its privileges opens its raw
 * sockets first (privileged: the raw TCP socket of TCP probes too, which a
 * kernel filter keeps to their answers). 0 or a negative code.
 */
int sonar_engine_prepare(struct sonar_engine *e, int family, bool privileged, const char *source);

/* Create an engine. NULL when out of memory. */
struct sonar_engine *sonar_engine_new(void);
/* Stop every operation (no callbacks), close the sockets, free. */
void sonar_engine_free(struct sonar_engine *e);

/*
 * Start pinging one address. Returns the operation's handle (> 0) or a
 * negative code. A name resolves here, synchronously; pass addresses to
 * stay non-blocking. on_done is called when the last probe is answered or
 * timed out (never for count 0 until sonar_engine_stop()).
 */
int sonar_engine_ping(struct sonar_engine *e, const char *address, const struct sonar_options *o,
                      sonar_event_cb on_event, sonar_done_cb on_done, void *user);
/*
 * Start pinging several addresses (icmplib's async_multiping); on_done gets
 * the hosts in input order. count 0 pings until stopped; then targets may be
 * added, removed, paused and re-timed while it runs.
 */
int sonar_engine_multiping(struct sonar_engine *e, const char *const *addresses, size_t n,
                           const struct sonar_options *o, sonar_event_cb on_event,
                           sonar_done_cb on_done, void *user);
/*
 * Start a traceroute. Events carry the probe's TTL (probe_ttl) and the
 * responder (from); event.target is the TTL's index from first_hop. on_done
 * gets the hops that answered. count 0 sends a round of all TTLs every
 * interval until stopped, as mtr does.
 */
int sonar_engine_traceroute(struct sonar_engine *e, const char *address,
                            const struct sonar_options *o, sonar_event_cb on_event,
                            sonar_done_cb on_done, void *user);
/* Add a target to a running multiping; returns its index (>= 0) or a code. */
int sonar_engine_add_target(struct sonar_engine *e, int op, const char *address);
/* Remove a target: its probes stop at once and it leaves the results. */
int sonar_engine_remove_target(struct sonar_engine *e, int op, size_t target);
/* Pause (true) or resume one target, or every target with target -1. */
int sonar_engine_pause(struct sonar_engine *e, int op, long target, bool paused);
/* Change the probe interval of one target, or of all with target -1. */
int sonar_engine_set_interval(struct sonar_engine *e, int op, long target, double seconds);
/* Number of target slots of an op (removed ones included), or a code. */
long sonar_engine_targets(const struct sonar_engine *e, int op);
/*
 * Current statistics of one target (rtts: the most recent, malloc'd: free
 * with sonar_host_clear()). SONAR_EINVAL for an unknown or removed target.
 */
int sonar_engine_snapshot(const struct sonar_engine *e, int op, size_t target,
                          struct sonar_host *out);
/*
 * Packets the kernel dropped on the engine's sockets because their receive
 * buffer was full (SO_RXQ_OVFL), as known from the last packet read. The
 * replies among them count as lost, never as received.
 */
uint64_t sonar_engine_dropped(const struct sonar_engine *e);
/* Is p one of e's probes, their replies, or an error quoting one? */
bool sonar_engine_owns(const struct sonar_engine *e, const struct sonar_packet *p);
/* End an operation now (op 0: every operation): on_done is called with
 * what it has so far. */
int sonar_engine_stop(struct sonar_engine *e, int op);
/* Number of operations still running. */
size_t sonar_engine_active(const struct sonar_engine *e);

/*
 * Add the engine's descriptors to *rd, raising *maxfd; returns how many, or
 * SONAR_EINVAL when a socket's is at or above FD_SETSIZE (an fd_set cannot
 * hold it: use sonar_engine_pollfds()). TCP probes' sockets are added too
 * (readable on an error or a RST); one at or above FD_SETSIZE is left out,
 * and every TCP probe is checked each turn anyway.
 */
int sonar_engine_fds(const struct sonar_engine *e, fd_set *rd, int *maxfd);
/*
 * Write the engine's descriptors into fds[0..cap) (events POLLIN; a TCP
 * probe's POLLIN | POLLOUT) and return how many there are (more than cap:
 * call again with room). After
 * poll(), call sonar_engine_process(e, NULL): it reads every socket
 * without blocking. SONAR_EINVAL on bad arguments.
 */
int sonar_engine_pollfds(const struct sonar_engine *e, struct pollfd *fds, size_t cap);
/* Nanoseconds until the engine next needs sonar_engine_process(); -1 none.
 * At most 10 ms while TCP probes connect (a caller on the read set alone
 * sees a SYN-ACK at its next turn): 100 turns a second meanwhile. */
int64_t sonar_engine_timeout(const struct sonar_engine *e);
/*
 * One turn for a program without a loop of its own: wait in poll() for
 * the engine's sockets, at most max_ns (-1: until its next deadline), then
 * sonar_engine_process(). This call blocks; a signal ends the wait early
 * (0 is returned, so the caller can look at its flags). 0 or SONAR_ESOCKET.
 */
int sonar_engine_run_once(struct sonar_engine *e, int64_t max_ns);
/*
 * Do what is due: read the engine's sockets that rd (the caller's select()
 * result; NULL: all of them) says are readable, without blocking, and
 * every other one too before a deadline is judged, so that no waiting
 * reply is counted lost; fire timeouts; send probes. Callbacks run from
 * here. 0 or a negative code.
 */
int sonar_engine_process(struct sonar_engine *e, const fd_set *rd);

#ifdef __cplusplus
}
#endif
#endif /* SONAR_H */
