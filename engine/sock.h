/*
 * sock.h - ICMP sockets: raw (privileged) and datagram (unprivileged),
 * IPv4 and IPv6, non-blocking, with kernel receive timestamps.
 */
#ifndef SONAR_SOCK_H
#define SONAR_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"

struct sock {
	int fd;
	int family;          /* 4 or 6 */
	bool raw;            /* SOCK_RAW (we own the id) or SOCK_DGRAM (kernel does) */
	bool udp;            /* a UDP socket (probes are datagrams to a port) */
	bool tcp;            /* TCP: raw, SYNs built here (their answers come in,
	                        their ICMP errors to the raw ICMP socket); else
	                        no socket (fd -1), each probe a connect() */
	struct addr source;  /* bound source, len 0 when none */
	unsigned index;      /* small number that names it in probe hashes */
	uint16_t seq_cursor; /* datagram sockets: next free sequence range */
	uint32_t dropped;    /* the kernel's count of what this socket dropped */
	bool ready;          /* the caller's poll/select said readable this turn */
	bool read;           /* read this turn (a second pass skips it) */
	struct sock *next;
};

/* One datagram (or error-queue message) as received. */
struct sock_msg {
	size_t len;            /* bytes in the caller's buffer */
	struct addr from;      /* sender; for error-queue messages: the probed address */
	uint16_t from_port;    /* sender's port (UDP: a service's answer), host order */
	struct timespec stamp; /* kernel receive time (CLOCK_REALTIME) */
	bool has_stamp;
	int ttl;       /* TTL / hop limit from the control data, -1 none */
	bool is_error; /* came from the error queue (datagram sockets) */
	int ee_origin; /* SO_EE_ORIGIN_*, ICMP type and code, errno */
	int ee_type;
	int ee_code;
	int ee_errno;
	struct addr offender; /* the router that sent the ICMP error */
	size_t ext_offset;    /* error queue: where an RFC 4884 extension starts, 0 none */
	bool ext_invalid;     /* ... and the kernel found it malformed */
	bool has_dropped;     /* dropped is the socket's SO_RXQ_OVFL count */
	uint32_t dropped;
};

/*
 * Open a non-blocking ICMP socket (or a UDP one, never raw; a raw TCP one, or
 * for TCP without raw only the record: fd -1, each probe opens its own) and
 * bind it to source when given.
 * 0, or SONAR_EPERM / SONAR_ESOCKADDR / SONAR_ESOCKET / SONAR_ENOMEM with
 * sonar_last_error() set.
 */
int sock_open(int family, bool raw, int proto, const struct addr *source, struct sock **out);
/* Close and free. */
void sock_close(struct sock *s);
/*
 * Send one ICMP message to `to`, with this TTL and traffic class (per
 * packet, so one socket serves every option set). 0 or -errno.
 */
int sock_send(struct sock *s, const struct addr *to, const uint8_t *pkt, size_t len, int ttl,
              int tclass);
/*
 * Receive one message (from the error queue when errqueue) into buf.
 * 1 got one, 0 nothing waiting, -errno on error.
 */
int sock_recv(struct sock *s, bool errqueue, uint8_t *buf, size_t cap, struct sock_msg *m);

#endif
