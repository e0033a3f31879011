/*
 * internal.h - what the engine's files share and nobody else sees (libuv's
 * uv__* style): the engine, its operations, targets and probe slots.
 *
 * Who owns what:
 * - the engine (engine.c) owns its sockets, its two timer heaps, the
 *   table of probes in flight and its operations; it runs the loop turn;
 * - an operation (op.c) owns its targets, its names (name block) and, when
 *   it keeps them, its results (result.c, the only file that knows where
 *   RTTs are stored);
 * - a target (target.c) owns its ring of probe slots (probe.c) and its
 *   timers (sched.c); a removed target is freed only when no callback is
 *   on the stack, like an op.
 *
 * A target's states: WAITING to start (not started), RUNNING, PAUSED by the
 * caller, PARKED (a continuous traceroute's TTL beyond the destination:
 * not a pause, the caller's resume does not wake it), DONE (finished,
 * failed or removed). A probe's: FREE, WAITING for its answer, ANSWERED by
 * an echo reply, ERRORED (an ICMP error quoted it: a genuine reply may
 * still follow and override it, so a target whose last probe errored is
 * done only at that probe's deadline). Answered and errored probes keep their
 * slot until their deadline, so that a second reply is a duplicate.
 *
 * Time is int64_t nanoseconds of CLOCK_MONOTONIC.
 */
#ifndef SONAR_INTERNAL_H
#define SONAR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "heap.h"
#include "sock.h"
#include "sonar.h"
#include "table.h"

#define NS_PER_SEC 1000000000LL
/* Largest ring of probe slots: a probe that would need more waits. Half
 * the sequence space, so a free sequence number always exists for it. */
#define RING_MAX    (1u << 15)
#define RXBUF_BYTES (65536 + 64)

enum { TIMER_SEND, TIMER_EXPIRE, TIMER_OP };
enum { PROBE_FREE, PROBE_WAITING, PROBE_ANSWERED, PROBE_ERRORED };

/* 16 bytes: 10,000 targets keep a ring of these each. */
struct probe {
	int64_t sent_mono; /* when it left */
	uint32_t no;       /* probe number within the target, modulo 2^32 */
	uint16_t seq;
	uint8_t state;
};

struct op;

/* Ordered for size: 10,000 targets hold one each. */
struct target {
	struct op *op;
	struct sock *sock;
	struct probe *ring;       /* ring_size slots; probe k in ring[k % ring_size] */
	double *rtts;             /* the last rtts_cap RTTs, a ring (storage: result.c) */
	char *message;            /* malloc'd on the first error; NULL when none */
	struct target *next_dead; /* removed, waiting to be freed */
	struct addr addr;         /* probed address */

	uint64_t next_no;   /* next probe to send */
	uint64_t expire_no; /* oldest probe whose deadline is unprocessed */
	uint64_t sent;
	int64_t next_due;    /* when probe next_no leaves (the fixed schedule) */
	int64_t interval_ns; /* this target's schedule */
	struct timer send_timer;
	struct timer expire_timer;
	struct sonar_stats st;
	uint32_t index;
	uint32_t outstanding; /* probes WAITING for an answer */
	uint32_t provisional; /* probes ERRORED: a reply may still override */
	uint32_t ring_size;   /* a power of two */
	uint32_t rtts_cap;
	int32_t dups;
	int32_t error;
	uint16_t id;
	uint16_t seq_base;
	uint16_t retries; /* of the current send */
	int16_t reply_ttl;
	int16_t icmp_type;
	int16_t icmp_code;
	uint8_t ttl;
	bool started, paused, parked, done;
	bool reserved; /* holds room for its two timers (engine_reserve_timers) */
};

/* What differs between ping, multiping and traceroute: the one place that
 * knows (no "is this a trace" branches elsewhere). */
struct op_kind_ops {
	/* A trace's results are hops: the responder's address and distance;
	 * a router's error is the answer it asks for; its TTLs share one id. */
	bool hops;
	/* concurrent_tasks bounds how many of a finite op's targets run */
	bool bounded;
	/* the caller may add targets while it runs */
	bool grows;
	/* Hand the op's results to on_done (a trace compacts them first). */
	void (*report)(struct op *op);
	/* An answer (reply: icmp_type -1; or a router's error for a trace)
	 * reached target t: a trace finds the end of the path there. */
	void (*answered)(struct target *t, int icmp_type, double rtt_ms);
	/* How far apart consecutive targets start, ns (1: at once, in order). */
	int64_t (*start_gap)(const struct op *op);
};

/* A trace's hop (by target index): how long its probes wait, the op's
 * timeout or less once answers showed how far the hop is; and its slowest
 * answer so far (0: none). Pings wait the op's timeout: no such array. */
struct hop_wait {
	int64_t wait_ns;
	int64_t rtt_max_ns;
};

struct op {
	int handle;
	const struct op_kind_ops *ops; /* ping, multiping or trace */
	struct sonar_engine *e;
	struct sonar_options opt; /* payload and source point into this op */
	uint8_t *payload;
	char *source;
	int64_t timeout_ns;
	char **names;          /* names[i < names_borrowed] point into name_block */
	char *name_block;      /* the names the op started with, end to end */
	size_t names_borrowed; /* the rest are malloc'd (targets added later) */
	double *rtt_block;     /* result.c: count RTTs for each of the first rtt_block_n */
	size_t rtt_block_n;
	struct addr *responders; /* traceroute: each TTL's last responder */
	struct labels *labels;   /* traceroute: each TTL's latest MPLS stack */
	struct target **targets; /* NULL where removed */
	struct hop_wait *waits;  /* traces (ops->hops): one per target slot; else NULL */
	struct target *dead;     /* removed targets, freed by reap() */
	size_t n;
	size_t cap;
	size_t n_done;    /* targets done or removed */
	size_t n_running; /* started and not done */
	size_t next_start;
	int64_t last_start;         /* when the latest target started (pacing) */
	int dest_ttl;               /* traceroute: lowest TTL that reached the end; 0 none */
	struct sonar_host *results; /* one per target, written when it is done */
	bool results_owned;         /* free results (and their rtts) with the op */
	struct timer op_timer;
	sonar_event_cb on_event;
	sonar_done_cb on_done;
	void *user;
	bool finished;
	bool reserved;      /* holds room for its timer */
	bool start_pending; /* targets added since the last turn wait to start */
	struct op *next;
};

struct sonar_engine {
	struct sock *socks;
	struct heap expiries; /* timeouts: handled before sends in a turn */
	struct heap sends;    /* probes to send, and op completions */
	struct table table;
	struct op *ops;
	size_t n_timers; /* timers that may be queued at once: room kept in both heaps */
	size_t slots;    /* probe slots of all rings: room kept in the table */
	int next_handle;
	int depth;          /* callbacks on the stack: nothing is freed while > 0 */
	int64_t last_stamp; /* kernel stamp (monotonic) of the latest packet read */
	int64_t turn_end;   /* when the last turn ended (monotonic ns) */
	bool start_pending; /* an op has added targets to start (next turn) */
	/* The latest time the engine did not run (a stalled process, a caller
	 * that did not call), from one turn's end to the next turn: the slots
	 * missed in it are skipped. Time spent inside turns is not a gap. */
	int64_t gap_start, gap_end;
	struct tcp_probe *tcp; /* TCP probes in flight (tcp.c) */
	size_t tcp_n, tcp_cap;
	struct pollfd *tcp_pfd; /* tcp_check()'s poll() array */
	size_t tcp_pfd_cap;
	uint8_t *rxbuf;
	uint8_t *txbuf;
	char text[2][SONAR_ADDRSTRLEN]; /* addresses formatted for an event */
	int64_t real_offset;            /* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
};

/* An MPLS label stack as a router reported it. */
struct labels {
	int n;
	struct sonar_mpls e[SONAR_MPLS_MAX];
};

/* ---- clock (engine.c) ---- */
int64_t mono_now(void);
int64_t sec_to_ns(double s);

/* ---- engine.c ---- */
int engine_get_sock(struct sonar_engine *e, int family, bool raw, int proto,
                    const struct addr *source, struct sock **out);
/* Keep room in both heaps for `more` timers beyond those counted. 0 or -1.
 * engine_release_timers() gives back exactly what was reserved. */
int engine_reserve_timers(struct sonar_engine *e, size_t more);
void engine_release_timers(struct sonar_engine *e, size_t n);
void engine_reap(struct sonar_engine *e);

/* ---- op.c ---- */
struct op *op_new(struct sonar_engine *e, const struct op_kind_ops *kind,
                  const struct sonar_options *o, size_t n, struct sonar_host *results);
int op_blocks(struct op *op, const char *const *names, size_t n, const char **out);
struct target *op_add(struct op *op, const char *name, int ttl, bool borrowed);
void op_drop_last(struct op *op);
int op_launch(struct sonar_engine *e, struct op *op, sonar_event_cb on_event, sonar_done_cb on_done,
              void *user);
void op_start_targets(struct op *op);
void op_finish(struct op *op);
void op_free(struct op *op);
void op_free_dead(struct op *op);
void op_end_if_done(struct op *op);
void op_end_now(struct op *op);
struct op *op_find(const struct sonar_engine *e, int handle);
int op_check_start(const struct sonar_engine *e, const struct sonar_options *o);
uint16_t op_next_id(void);
extern const struct op_kind_ops op_kind_ping, op_kind_multi;

/* ---- target.c ---- */
int target_setup(struct sonar_engine *e, struct op *op, struct target *t, uint16_t trace_id);
void target_fail(struct target *t, int code);
void target_done(struct target *t);
void target_check_done(struct target *t);
void target_error(struct target *t, int code, const char *msg);
void target_clear_error(struct target *t);
void target_host(const struct target *t, struct sonar_host *h, bool share);
void target_free(struct target *t);
/* Count an answer's RTT in t's statistics and its RTT ring. */
void target_record_rtt(struct target *t, double rtt);
/* Is t finished, removed, or its op over? Code after an emit() asks. */
bool target_gone(const struct target *t);

/* ---- result.c ---- */
int result_blocks(struct op *op, size_t n);
double *result_rtt_row(struct op *op, size_t index);
void result_write(struct target *t);
void result_clear(struct op *op, size_t index);
void result_rtts_free(const struct op *op, size_t index, double *rtts);
bool result_rtts_shared(const struct op *op, size_t index);
void results_free(struct op *op);

/* ---- probe.c ---- */
struct key {
	const struct sock *sock;
	uint16_t id;
	uint16_t seq;
	const struct addr *addr;
};
int probe_ring_init(struct sonar_engine *e, struct target *t, uint32_t size);
int probe_ring_grow(struct sonar_engine *e, struct target *t);
void probe_ring_free(struct sonar_engine *e, struct target *t);
struct target *probe_find(struct sonar_engine *e, const struct key *k, struct probe **pp);
int probe_track(struct sonar_engine *e, struct target *t, struct probe *p);
void probe_release(struct sonar_engine *e, struct target *t, struct probe *p);
int probe_free_seq(struct sonar_engine *e, struct target *t, uint64_t k);

/* ---- sched.c ---- */
void sched_next(struct sonar_engine *e, struct target *t);
/* Skip the slots t missed while the engine did not run; true when its
 * next probe is due now. */
bool sched_catch_up(struct sonar_engine *e, struct target *t, int64_t now);
void sched_resume(struct target *t, int64_t now);
void sched_arm_expiry(struct sonar_engine *e, struct target *t);
void sched_expire_due(struct sonar_engine *e, struct target *t, int64_t now);
void sched_quiesce(struct sonar_engine *e, struct target *t);
bool sched_set(struct sonar_engine *e, struct heap *h, struct target *t, struct timer *tm,
               int64_t when);

/* ---- send.c ---- */
void send_probe(struct sonar_engine *e, struct target *t, int64_t now);

/* ---- recv.c ---- */
struct sock_msg;
bool recv_socket(struct sonar_engine *e, struct sock *s);
/* Credit an answer to probe p of t (a reply; for a trace, the
 * destination's), an ICMP error (lab: its MPLS labels, or NULL), or a
 * failure the kernel reported (errno) for it. */
void recv_on_reply(struct target *t, struct probe *p, const struct sock_msg *m, size_t bytes,
                   int ttl);
void recv_on_error(struct target *t, struct probe *p, const struct sock_msg *m, int type, int code,
                   int ttl, const struct addr *from, const struct labels *lab);
void recv_on_failure(struct target *t, struct probe *p, int err);

/* ---- tcp.c ---- */
/* A TCP probe in flight: its own socket, connecting. */
struct tcp_probe {
	int fd;
	struct target *t;
	uint32_t no;        /* the probe's number in t */
	bool refused;       /* connect() said ECONNREFUSED at once, */
	int64_t refused_at; /* then (monotonic ns) */
};
/* Send probe p of t (a connect()): 0 or -errno. */
int tcp_send(struct sonar_engine *e, struct target *t, struct probe *p, int tclass);
/* Look at every TCP probe in flight (one poll(), timeout 0). */
void tcp_check(struct sonar_engine *e);
/* Close probe no of t's socket, if it has one in flight. */
void tcp_forget(struct sonar_engine *e, const struct target *t, uint32_t no);
void tcp_free(struct sonar_engine *e);

/* ---- syn.c ---- */
struct codec_packet;
/* Raw TCP probes' source port: the op's flow's. */
uint16_t syn_port(const struct op *op);
/* Send probe p of t, a SYN built here: 0 or -errno. */
int syn_send(struct sonar_engine *e, struct target *t, struct probe *p, int tclass);
/* A segment read from raw TCP socket s: a SYN-ACK or RST-ACK answering a
 * probe is its reply. */
void syn_answer(struct sonar_engine *e, struct sock *s, const struct sock_msg *m);
/* The raw TCP probe an ICMP error quotes (pkt, to dst), or NULL. */
struct target *syn_quoted(struct sonar_engine *e, const struct codec_packet *pkt,
                          const struct addr *dst, struct probe **pp);

/* ---- event.c ---- */
bool event_listening(const struct target *t);
void event_init(struct sonar_event *ev, enum sonar_event_type type, struct target *t,
                const struct probe *p);
void event_from(struct sonar_event *ev, const struct target *t, const struct addr *from);
void event_emit(struct target *t, const struct sonar_event *ev);

/* ---- trace.c ---- */
extern const struct op_kind_ops op_kind_trace;

/* ---- ping.c ---- */
int ping_multiping_into(struct sonar_engine *e, const char *const *addresses, size_t n,
                        const struct sonar_options *o, sonar_done_cb on_done, void *user,
                        struct sonar_host *hosts);

/* How long t's probes wait for an answer (ns). */
static inline int64_t target_wait_ns(const struct target *t)
{
	return t->op->waits ? t->op->waits[t->index].wait_ns : t->op->timeout_ns;
}

#endif
