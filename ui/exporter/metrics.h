/*
 * metrics.h - the exporter's samples and their text: per target counters,
 * an RTT histogram, the last RTT and TTL, per hop series, written in the
 * Prometheus text format (0.0.4) or in OpenMetrics 1.0. Pure: no I/O, no
 * clock, no engine; tests/unit/test_metrics.c checks the text.
 *
 * Names follow smokeping_prober's where it has the same thing
 * (smokeping_requests_total, smokeping_response_duration_seconds, ...), so
 * its dashboards and alerts work on sonar's; the rest are sonar_*.
 */
#ifndef SONAR_METRICS_H
#define SONAR_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most histogram buckets (+Inf not counted). */
#define METRICS_MAX_BUCKETS 32

/* Why a probe got no reply, as sonar_probe_errors_total's kind label. */
enum metrics_error {
	METRICS_ERR_TIMEOUT,       /* "timeout": no answer in time */
	METRICS_ERR_UNREACHABLE,   /* "unreachable": Destination Unreachable */
	METRICS_ERR_TIME_EXCEEDED, /* "time_exceeded": TTL ran out on the way */
	METRICS_ERR_ICMP,          /* "icmp": another ICMP error */
	METRICS_ERR_KINDS,
};

/* Histogram upper bounds in seconds, strictly increasing; +Inf implied. */
struct metrics_buckets {
	double le[METRICS_MAX_BUCKETS];
	size_t n;
};

/*
 * One target's counters. Invariant: received is the sum of counts[], and
 * sum the sum of the RTTs counted there; counts[i] holds the RTTs in
 * (le[i-1], le[i]], counts[n] those above the last bound.
 */
struct metrics_series {
	uint64_t sent;                            /* probes that left */
	uint64_t received;                        /* replies (duplicates not counted) */
	uint64_t duplicates;                      /* replies received again */
	uint64_t send_errors;                     /* probes the kernel refused */
	uint64_t errors[METRICS_ERR_KINDS];       /* probes lost, by why */
	uint64_t counts[METRICS_MAX_BUCKETS + 1]; /* RTTs per bucket, not cumulative */
	double sum;                               /* seconds, over received */
	double last;                              /* seconds, the latest reply's; < 0: none */
	int ttl;                                  /* the latest reply's TTL; -1: none */
};

/* The labels of a target's series (smokeping_prober's host, ip, source,
 * and the probe's protocol). */
struct metrics_labels {
	const char *host;     /* the target as written (tcp://h:443 included) */
	const char *ip;       /* the address probed */
	const char *source;   /* -I, or "" */
	const char *protocol; /* "icmp", "udp" or "tcp" */
};

/* One target to write. */
struct metrics_target {
	struct metrics_labels labels;
	const struct metrics_series *s;
};

/* One responder of a hop: the answers it gave to the hop's probes. */
struct metrics_answerer {
	const char *ip;    /* hop_ip: its address ("other" past the most kept) */
	uint64_t received; /* its answers */
	double last;       /* seconds, its latest answer's RTT */
};

/* One hop of a traced target: its series carry the target's labels and
 * hop (the TTL); the probes sent are the hop's, the answers each
 * responder's (label hop_ip), so a route that changes starts a series
 * of the new router's answers and leaves the old one's as it was. */
struct metrics_hop {
	struct metrics_labels labels;
	int hop;
	uint64_t sent;                       /* probes sent with this TTL */
	const struct metrics_answerer *from; /* who answered, each once */
	size_t nfrom;
};

/* The exporter's own numbers. */
struct metrics_info {
	size_t targets;           /* targets probed now */
	uint64_t dropped;         /* packets the kernel dropped (full buffer) */
	uint64_t reloads;         /* target file rereads that worked */
	uint64_t reload_failures; /* and that did not */
};

enum metrics_format {
	METRICS_TEXT,        /* text/plain; version=0.0.4 */
	METRICS_OPENMETRICS, /* application/openmetrics-text; version=1.0.0 */
};

/* A growing text buffer; after a failed allocation it stays failed. */
struct metrics_buf {
	char *p; /* NUL-terminated, malloc'd; the caller frees it */
	size_t len;
	size_t cap;
	bool failed;
};

/* Start empty. */
void metrics_series_init(struct metrics_series *s);
/* Count one reply of rtt seconds (with reply TTL ttl, -1 unknown). */
void metrics_observe(struct metrics_series *s, const struct metrics_buckets *b, double rtt,
                     int ttl);
/* The default bounds: 100 us to 10 s, 1-2.5-5 steps (network latency). */
void metrics_buckets_default(struct metrics_buckets *b);
/*
 * Read bounds written as "0.001,0.01,0.1" (seconds, increasing, > 0, at
 * most METRICS_MAX_BUCKETS). 0; or -1 with why in err.
 */
int metrics_buckets_parse(const char *s, struct metrics_buckets *b, char *err, size_t errcap);
/* The format an Accept header asks for (NULL: none given). */
enum metrics_format metrics_negotiate(const char *accept);
/* The Content-Type of format f. */
const char *metrics_content_type(enum metrics_format f);
/*
 * Append the whole exposition to out: every target's and hop's series,
 * family by family, then the exporter's own (and OpenMetrics' # EOF).
 * 0, or -1 when out of memory (out->failed).
 */
int metrics_write(struct metrics_buf *out, enum metrics_format f, const struct metrics_buckets *b,
                  const struct metrics_target *t, size_t n, const struct metrics_hop *hops,
                  size_t nhops, const struct metrics_info *info);

#endif
