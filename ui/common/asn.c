/*
 * asn.c - origin AS numbers and AS names from DNS TXT records in Team
 * Cymru's format, through c-ares, with a cache and a deadline.
 *
 * An address is asked once, as <d>.<c>.<b>.<a>.origin.asn.cymru.com (IPv4)
 * or <32 nibbles, last first>.origin6.asn.cymru.com (IPv6); the record
 * with the longest prefix that holds the address gives its origin AS (or
 * ASes); the first AS is then asked once for its name, as
 * AS<n>.asn.cymru.com. Special-purpose addresses (private, loopback,
 * link-local, documentation ...) are not asked unless `all` says so.
 *
 * The records are parsed by asn_record.c, which trusts none of them.
 *
 * States of an address slot: FREE -> SPECIAL (never asked) or ASKED (its
 * query in flight) -> FOUND (an origin), NONE (NXDOMAIN, no TXT, or none
 * valid) or FAILED (no answer: timeout, server failure). An AS slot goes
 * FREE -> ASKED -> FOUND, NONE or FAILED the same way. Slots live in two
 * fixed open-addressing tables that are never resized, so a query's
 * callback finds its slot by index; `pending` counts queries in flight.
 * Nothing here blocks except asn_wait(), which returns by its deadline;
 * a caller with a select() loop of its own (the dashboard) drives the
 * lookups with asn_fds(), asn_timeout() and asn_process() instead.
 */
#include "config.h"
#include "asn.h"

#include <arpa/nameser.h>
#include <ares.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "stop.h"
#include "lookup.h"

#define ADDRESS_SLOTS 1024 /* addresses remembered; more are not looked up */
#define AS_SLOTS      512  /* ASes remembered */
#define TRIES         2

enum { SLOT_FREE, SLOT_SPECIAL, SLOT_ASKED, SLOT_FOUND, SLOT_NONE, SLOT_FAILED };

struct address_slot {
	char address[SONAR_ADDRSTRLEN];
	int state;
	struct asn_origin origin; /* FOUND: the chosen record */
};

struct as_slot {
	uint32_t as;
	int state;
	char name[ASN_NAME_MAX]; /* FOUND: the name */
};

/* A query in flight: which table and slot its answer goes to. */
struct query {
	struct asn *a;
	size_t slot;
};

struct asn {
	ares_channel channel;
	bool all;        /* special addresses are asked too */
	double seconds;  /* asn_hops()' time limit */
	int pending;     /* queries in flight */
	int last_status; /* the last failure's ares status */
	bool changed;    /* an answer came (or failed) since asn_changed() */
	struct address_slot addresses[ADDRESS_SLOTS];
	struct as_slot ases[AS_SLOTS];
};

/* ---- the lookups ------------------------------------------------------------ */

/* The slot of address (found, or free where it would go); NULL when full. */
static struct address_slot *address_slot(struct asn *a, const char *address)
{
	size_t i, n;

	for (n = 0, i = lookup_hash(address) % ADDRESS_SLOTS; n < ADDRESS_SLOTS;
	     n++, i = (i + 1) % ADDRESS_SLOTS) {
		struct address_slot *s = &a->addresses[i];

		if (s->state == SLOT_FREE || strcmp(s->address, address) == 0)
			return s;
	}
	return NULL;
}

/* The slot of AS as (found, or free where it would go); NULL when full. */
static struct as_slot *as_slot(struct asn *a, uint32_t as)
{
	size_t i, n;

	for (n = 0, i = (as * 2654435761u) % AS_SLOTS; n < AS_SLOTS; n++, i = (i + 1) % AS_SLOTS) {
		struct as_slot *s = &a->ases[i];

		if (s->state == SLOT_FREE || s->as == as)
			return s;
	}
	return NULL;
}

/*
 * The TXT records of an answer, each one's strings joined (at most
 * ASN_TXT_MAX bytes: a longer record is skipped), passed to each_cb until
 * it returns true. c-ares checked that the answer is one to our question.
 */
static void each_record(const unsigned char *abuf, int alen,
                        bool (*each_cb)(const char *txt, size_t len, void *ctx), void *ctx)
{
	struct ares_txt_ext *all = NULL, *t;
	char record[ASN_TXT_MAX];

	if (ares_parse_txt_reply_ext(abuf, alen, &all) != ARES_SUCCESS)
		return;
	for (t = all; t;) {
		size_t len = 0;
		bool too_long = false;

		do { /* this record's first string, then those that continue it */
			if (t->length > sizeof(record) - len)
				too_long = true;
			else if (!too_long && t->length > 0) {
				memcpy(record + len, t->txt, t->length);
				len += t->length;
			}
			t = t->next;
		} while (t && !t->record_start);
		if (!too_long && each_cb(record, len, ctx))
			break;
	}
	ares_free_data(all);
}

/* Is status "there is no such record" (not a failure)? */
static bool no_record(int status)
{
	return status == ARES_ENOTFOUND || status == ARES_ENODATA;
}

struct name_ctx {
	uint32_t as;
	char *name;
	bool found;
};

/* A name record: the first valid one is the name. */
static bool name_record_cb(const char *txt, size_t len, void *ctx)
{
	struct name_ctx *c = ctx;

	c->found = asn_parse_name(txt, len, c->as, c->name, ASN_NAME_MAX) == 0;
	return c->found;
}

/* The state of a slot whose query did not succeed: no record (NXDOMAIN,
 * no data), or a failure kept for the warning. */
static int failed_state(struct asn *a, int status)
{
	if (no_record(status))
		return SLOT_NONE;
	a->last_status = status;
	return SLOT_FAILED;
}

/* The answer to an AS's name query. */
static void name_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	struct asn *a = q->a;
	struct as_slot *s = &a->ases[q->slot];

	(void)timeouts;
	free(q);
	if (status == ARES_EDESTRUCTION)
		return; /* asn_free(): the tables are going */
	a->pending--;
	a->changed = true;
	if (status == ARES_SUCCESS) {
		struct name_ctx c = {s->as, s->name, false};

		each_record(abuf, alen, name_record_cb, &c);
		s->state = c.found ? SLOT_FOUND : SLOT_NONE;
		if (!c.found)
			s->name[0] = '\0';
	} else {
		s->state = failed_state(a, status);
	}
}

/* Send a TXT query for qname, its answer to cb with slot. 0 or -1. */
static int ask(struct asn *a, const char *qname, size_t slot, ares_callback cb)
{
	struct query *q = malloc(sizeof(*q));

	if (!q)
		return -1;
	q->a = a;
	q->slot = slot;
	a->pending++; /* before: c-ares may answer at once (a bad name) */
	ares_query(a->channel, qname, ns_c_in, ns_t_txt, cb, q);
	return 0;
}

/* Ask for the name of AS as, once. */
static void ask_name(struct asn *a, uint32_t as)
{
	struct as_slot *s = as_slot(a, as);
	char qname[ASN_QNAME_MAX];

	if (!s || s->state != SLOT_FREE)
		return;
	s->as = as;
	s->state = SLOT_ASKED;
	if (asn_name_qname(as, qname, sizeof(qname)) < 0 ||
	    ask(a, qname, (size_t)(s - a->ases), name_cb) < 0)
		s->state = SLOT_FAILED;
}

struct origin_ctx {
	const char *address;
	struct asn_origin *best;
	bool found;
};

/* An origin record: keep the valid one with the longest prefix holding the address. */
static bool origin_record_cb(const char *txt, size_t len, void *ctx)
{
	struct origin_ctx *c = ctx;
	struct asn_origin o;

	if (asn_parse_origin(txt, len, &o) == 0 && asn_prefix_holds(&o, c->address) &&
	    (!c->found || o.prefix_len > c->best->prefix_len)) {
		*c->best = o;
		c->found = true;
	}
	return false; /* every record is weighed */
}

/* The answer to an address's origin query. */
static void origin_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	struct asn *a = q->a;
	struct address_slot *s = &a->addresses[q->slot];

	(void)timeouts;
	free(q);
	if (status == ARES_EDESTRUCTION)
		return; /* asn_free(): the tables are going */
	a->pending--;
	a->changed = true;
	if (status == ARES_SUCCESS) {
		struct origin_ctx c = {s->address, &s->origin, false};

		each_record(abuf, alen, origin_record_cb, &c);
		s->state = c.found ? SLOT_FOUND : SLOT_NONE;
		if (c.found)
			ask_name(a, s->origin.as[0]);
	} else {
		s->state = failed_state(a, status);
	}
}

struct asn *asn_new(const char *server, bool all, double seconds, char *err, size_t errcap)
{
	struct asn *a = calloc(1, sizeof(*a));
	struct ares_options opt;
	int s;

	if (!a) {
		snprintf(err, errcap, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	if ((s = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		snprintf(err, errcap, "c-ares: %s", ares_strerror(s));
		free(a);
		errno = ENOMEM;
		return NULL;
	}
	a->all = all;
	a->seconds = seconds > 1 ? seconds : 1;
	memset(&opt, 0, sizeof(opt));
	/* a try, and a retry given twice as long (c-ares doubles it): all of seconds */
	opt.timeout = (int)(a->seconds * 1000 / 3);
	opt.tries = TRIES;
	s = ares_init_options(&a->channel, &opt, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (s != ARES_SUCCESS) {
		snprintf(err, errcap, "c-ares: %s", ares_strerror(s));
		ares_library_cleanup();
		free(a);
		errno = s == ARES_ENOMEM ? ENOMEM : EIO;
		return NULL;
	}
	if (server && (s = ares_set_servers_ports_csv(a->channel, server)) != ARES_SUCCESS) {
		snprintf(err, errcap, "invalid DNS server '%s': %s (ADDRESS[:PORT], [IPv6]:PORT)",
		         server, ares_strerror(s));
		asn_free(a);
		errno = s == ARES_ENOMEM ? ENOMEM : EINVAL;
		return NULL;
	}
	return a;
}

void asn_lookup(struct asn *a, const char *address, struct asn_info *info)
{
	struct address_slot *s;
	struct as_slot *n;
	char qname[ASN_QNAME_MAX];

	memset(info, 0, sizeof(*info));
	if (!a || !address || strlen(address) >= SONAR_ADDRSTRLEN ||
	    !(s = address_slot(a, address)))
		return; /* the table is full: no AS for more */
	if (s->state == SLOT_FREE) {
		snprintf(s->address, sizeof(s->address), "%s", address);
		if ((!a->all && asn_special(address)) ||
		    asn_origin_qname(address, qname, sizeof(qname)) < 0) {
			s->state = SLOT_SPECIAL;
			return;
		}
		s->state = SLOT_ASKED;
		if (ask(a, qname, (size_t)(s - a->addresses), origin_cb) < 0)
			s->state = SLOT_FAILED;
	}
	if (s->state != SLOT_FOUND)
		return;
	memcpy(info->as, s->origin.as, sizeof(info->as));
	info->count = s->origin.count;
	n = as_slot(a, info->as[0]);
	if (n && n->state == SLOT_FOUND && n->as == info->as[0])
		snprintf(info->name, sizeof(info->name), "%s", n->name);
}

int asn_wait(struct asn *a, double seconds, const char **why)
{
	int64_t end = lookup_now_ns() + (int64_t)(seconds * 1e9);
	int left = 0;
	size_t i;

	*why = NULL;
	/* poll(), not select(): c-ares's sockets may have any number */
	while (a->pending > 0 && !stop_requested()) {
		ares_socket_t socks[ARES_GETSOCK_MAXNUM];
		struct pollfd pfd[ARES_GETSOCK_MAXNUM];
		struct timeval tv, *t;
		/* unsigned: ARES_GETSOCK_WRITABLE(bits, 15) shifts a 1 into int's sign */
		unsigned bits = (unsigned)ares_getsock(a->channel, socks, ARES_GETSOCK_MAXNUM);
		int64_t wait = end - lookup_now_ns();
		int n = 0, k, r;

		if (wait <= 0)
			break;
		for (k = 0; k < ARES_GETSOCK_MAXNUM; k++) {
			bool rd = bits & (1u << k), wr = bits & (1u << (k + ARES_GETSOCK_MAXNUM));

			if (!rd && !wr)
				continue;
			pfd[n].fd = socks[k];
			pfd[n].events = (short)((rd ? POLLIN : 0) | (wr ? POLLOUT : 0));
			pfd[n].revents = 0;
			n++;
		}
		if ((t = ares_timeout(a->channel, NULL, &tv))) {
			int64_t due =
			    (int64_t)t->tv_sec * 1000000000LL + (int64_t)t->tv_usec * 1000;

			if (due < wait)
				wait = due;
		}
		r = poll(pfd, (nfds_t)n, (int)((wait + 999999) / 1000000));
		if (r < 0 && errno != EINTR) {
			*why = strerror(errno);
			break;
		}
		if (r <= 0) { /* timeouts only */
			ares_process_fd(a->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
			continue;
		}
		for (k = 0; k < n; k++)
			ares_process_fd(a->channel,
			                pfd[k].revents & (POLLIN | POLLERR | POLLHUP)
			                    ? pfd[k].fd
			                    : ARES_SOCKET_BAD,
			                pfd[k].revents & POLLOUT ? pfd[k].fd : ARES_SOCKET_BAD);
	}
	for (i = 0; i < ADDRESS_SLOTS; i++)
		left += a->addresses[i].state == SLOT_ASKED || a->addresses[i].state == SLOT_FAILED;
	for (i = 0; i < AS_SLOTS; i++)
		left += a->ases[i].state == SLOT_ASKED || a->ases[i].state == SLOT_FAILED;
	if (left && !*why)
		*why = stop_requested() ? "interrupted"
		       : a->pending > 0 ? "no answer in time"
		                        : ares_strerror(a->last_status);
	return left;
}

void asn_free(struct asn *a)
{
	if (!a)
		return;
	ares_destroy(a->channel); /* callbacks run with ARES_EDESTRUCTION */
	free(a);
	ares_library_cleanup();
}

struct asn_info *asn_hops(struct asn *a, const struct sonar_host *hops, size_t n)
{
	struct asn_info *infos = calloc(n ? n : 1, sizeof(*infos));
	const char *why;
	size_t i;
	int left;

	if (!infos)
		return NULL;
	for (i = 0; i < n; i++)
		asn_lookup(a, hops[i].address, &infos[i]);
	left = asn_wait(a, a->seconds, &why);
	if (left > 0)
		cli_error("AS lookup: %d %s without an answer (%s): no AS shown for them", left,
		          left == 1 ? "query" : "queries", why);
	for (i = 0; i < n; i++)
		asn_lookup(a, hops[i].address, &infos[i]);
	return infos;
}

int asn_fds(const struct asn *a, fd_set *rd, fd_set *wr, int *maxfd)
{
	int n = ares_fds(a->channel, rd, wr);

	if (n - 1 > *maxfd)
		*maxfd = n - 1;
	return n;
}

int64_t asn_timeout(const struct asn *a)
{
	struct timeval tv, *t = ares_timeout(a->channel, NULL, &tv);

	if (!t)
		return -1;
	return (int64_t)t->tv_sec * 1000000000LL + (int64_t)t->tv_usec * 1000;
}

void asn_process(struct asn *a, fd_set *rd, fd_set *wr)
{
	ares_process(a->channel, rd, wr);
}

bool asn_changed(struct asn *a)
{
	bool changed = a && a->changed;

	if (a)
		a->changed = false;
	return changed;
}
