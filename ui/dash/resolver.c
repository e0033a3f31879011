/*
 * resolver.c - names without waiting: c-ares, driven from the dashboard's
 * own select() loop, with a cache.
 *
 * Forward lookups (targets) follow icmplib's rule (IPv4 first, then IPv6
 * when the family is not given) and their answers are queued for
 * resolver_poll(). Reverse lookups (PTR, for every address shown) fill the
 * cache, which answers resolver_name() at once.
 *
 * Invariants: the cache is an open-addressing table of at most CACHE_SIZE
 * addresses, each PENDING (asked), FOUND or FAILED, with an expiry; a
 * forward job lives from submit until its answer is queued, a reverse one
 * until its entry is filled. Nothing here blocks: c-ares only ever sends
 * and reads when select() said so.
 */
#include "config.h"
#include "resolver.h"

#include <arpa/inet.h>
#include <ares.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sonar.h"
#include "lookup.h"

#define CACHE_SIZE 4096                 /* addresses remembered */
#define CACHE_NS   (300 * 1000000000LL) /* how long an answer is kept */
#define TIMEOUT_MS 1500                 /* per try */
#define TRIES      2

enum { ENTRY_FREE, ENTRY_PENDING, ENTRY_FOUND, ENTRY_FAILED };

struct entry {
	char address[SONAR_ADDRSTRLEN];
	char name[256];
	int state;
	int64_t expires;
};

struct answer {
	uint64_t key;
	bool ok;
	char text[SONAR_MSGLEN];
	struct answer *next;
};

struct forward {
	struct resolver *r;
	uint64_t key;
	int family;  /* asked: 0 (4 then 6), 4, 6 */
	bool second; /* the IPv6 try after IPv4 failed */
	char name[256];
	char keep[SONAR_ADDRSTRLEN]; /* among the answers: this one; "" the first */
};

struct reverse {
	struct resolver *r;
	char address[SONAR_ADDRSTRLEN];
};

struct resolver {
	ares_channel channel;
	struct entry cache[CACHE_SIZE];
	size_t used;
	struct answer *head, *tail;
	bool names_changed; /* a reverse entry was filled since last asked */
};

/* The cache entry for address (found, or where it would go); NULL when full. */
static struct entry *slot_for(struct resolver *r, const char *address)
{
	size_t i, n;

	for (n = 0, i = lookup_hash(address) % CACHE_SIZE; n < CACHE_SIZE;
	     n++, i = (i + 1) % CACHE_SIZE) {
		struct entry *e = &r->cache[i];

		if (e->state == ENTRY_FREE || strcmp(e->address, address) == 0)
			return e;
	}
	return NULL;
}

/* Queue a forward answer for resolver_poll(). */
static void answer(struct resolver *r, uint64_t key, bool ok, const char *text)
{
	struct answer *a = calloc(1, sizeof(*a));

	if (!a)
		return;
	a->key = key;
	a->ok = ok;
	snprintf(a->text, sizeof(a->text), "%s", text);
	if (r->tail)
		r->tail->next = a;
	else
		r->head = a;
	r->tail = a;
}

static void forward_cb(void *arg, int status, int timeouts, struct ares_addrinfo *res);

/* Ask c-ares for one family of a forward job. */
static void ask(struct forward *f)
{
	struct ares_addrinfo_hints hints;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = f->family == 6 || f->second ? AF_INET6 : AF_INET;
	ares_getaddrinfo(f->r->channel, f->name, NULL, &hints, forward_cb, f);
}

/* A node's address as text. */
static void node_text(const struct ares_addrinfo_node *n, char *text, size_t cap)
{
	if (n->ai_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)n->ai_addr)->sin6_addr, text,
		          (socklen_t)cap);
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)n->ai_addr)->sin_addr, text,
		          (socklen_t)cap);
}

/* A forward answer: the first address (or the one to keep, when it is
 * among them), or IPv6 next, or the failure. */
static void forward_cb(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct forward *f = arg;
	char text[SONAR_MSGLEN], other[SONAR_ADDRSTRLEN];

	(void)timeouts;
	if (status == ARES_SUCCESS && res && res->nodes) {
		const struct ares_addrinfo_node *n;

		node_text(res->nodes, text, sizeof(text));
		for (n = res->nodes; f->keep[0] && n; n = n->ai_next) {
			node_text(n, other, sizeof(other));
			if (strcmp(other, f->keep) == 0) {
				snprintf(text, sizeof(text), "%s", other);
				break;
			}
		}
		answer(f->r, f->key, true, text);
	} else if (status != ARES_ETIMEOUT && status != ARES_EDESTRUCTION && f->family == 0 &&
	           !f->second) {
		/* icmplib: IPv4 first, then IPv6 (for a name without an IPv4
		 * address; a server that does not answer is not asked twice) */
		f->second = true;
		if (res)
			ares_freeaddrinfo(res);
		ask(f);
		return;
	} else if (status != ARES_EDESTRUCTION) {
		snprintf(text, sizeof(text), "The name '%.80s' cannot be resolved (%s)", f->name,
		         ares_strerror(status));
		answer(f->r, f->key, false, text);
	}
	if (res)
		ares_freeaddrinfo(res);
	free(f);
}

/* A reverse answer: fill the cache entry. */
static void reverse_cb(void *arg, int status, int timeouts, struct hostent *host)
{
	struct reverse *q = arg;
	struct entry *e;

	(void)timeouts;
	if (status != ARES_EDESTRUCTION && (e = slot_for(q->r, q->address)) &&
	    e->state == ENTRY_PENDING) {
		e->expires = lookup_now_ns() + CACHE_NS;
		if (status == ARES_SUCCESS && host && host->h_name) {
			e->state = ENTRY_FOUND;
			snprintf(e->name, sizeof(e->name), "%s", host->h_name);
		} else {
			e->state = ENTRY_FAILED;
			snprintf(e->name, sizeof(e->name), "%s", ares_strerror(status));
		}
		q->r->names_changed = true;
	}
	free(q);
}

struct resolver *resolver_new(const char *server, char *err, size_t errcap)
{
	struct resolver *r = calloc(1, sizeof(*r));
	struct ares_options opt;
	int s;

	if (!r) {
		snprintf(err, errcap, "out of memory");
		return NULL;
	}
	if ((s = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		snprintf(err, errcap, "c-ares: %s", ares_strerror(s));
		free(r);
		return NULL;
	}
	memset(&opt, 0, sizeof(opt));
	opt.timeout = TIMEOUT_MS;
	opt.tries = TRIES;
	s = ares_init_options(&r->channel, &opt, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (s != ARES_SUCCESS) {
		snprintf(err, errcap, "c-ares: %s", ares_strerror(s));
		free(r);
		return NULL;
	}
	if (server && (s = ares_set_servers_ports_csv(r->channel, server)) != ARES_SUCCESS) {
		snprintf(err, errcap, "invalid DNS server '%s': %s (ADDRESS[:PORT], [IPv6]:PORT)",
		         server, ares_strerror(s));
		resolver_free(r);
		return NULL;
	}
	return r;
}

int resolver_fds(const struct resolver *r, fd_set *rd, fd_set *wr, int *maxfd)
{
	int n = ares_fds(r->channel, rd, wr);

	if (n - 1 > *maxfd)
		*maxfd = n - 1;
	return n;
}

int64_t resolver_timeout(const struct resolver *r)
{
	struct timeval tv, *t = ares_timeout(r->channel, NULL, &tv);

	if (!t)
		return -1;
	return (int64_t)t->tv_sec * 1000000000LL + (int64_t)t->tv_usec * 1000;
}

bool resolver_names_changed(struct resolver *r)
{
	bool changed = r->names_changed;

	r->names_changed = false;
	return changed;
}

void resolver_process(struct resolver *r, fd_set *rd, fd_set *wr)
{
	ares_process(r->channel, rd, wr);
}

int resolver_submit(struct resolver *r, uint64_t key, const char *name, int family,
                    const char *keep)
{
	struct forward *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->r = r;
	f->key = key;
	f->family = family;
	snprintf(f->name, sizeof(f->name), "%s", name);
	if (keep)
		snprintf(f->keep, sizeof(f->keep), "%s", keep);
	ask(f);
	return 0;
}

void resolver_poll(struct resolver *r, resolver_cb cb, void *user)
{
	while (r->head) {
		struct answer *a = r->head;

		r->head = a->next;
		if (!r->head)
			r->tail = NULL;
		cb(a->key, a->ok, a->text, user);
		free(a);
	}
}

const char *resolver_name(struct resolver *r, const char *address, bool *failed)
{
	struct entry *e = slot_for(r, address);
	unsigned char bytes[16];
	int family = strchr(address, ':') ? AF_INET6 : AF_INET;
	struct reverse *q;
	int64_t now = lookup_now_ns();

	*failed = false;
	if (!e)
		return NULL; /* the cache is full: no names for more */
	if (e->state == ENTRY_FOUND && e->expires > now)
		return e->name;
	if (e->state == ENTRY_FAILED && e->expires > now) {
		*failed = true;
		return NULL;
	}
	if (e->state == ENTRY_PENDING)
		return NULL;
	/* ask (again): not cached, or expired */
	if (inet_pton(family, address, bytes) != 1)
		return NULL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	if (e->state == ENTRY_FREE)
		r->used++;
	snprintf(e->address, sizeof(e->address), "%s", address);
	e->state = ENTRY_PENDING;
	q->r = r;
	snprintf(q->address, sizeof(q->address), "%s", address);
	ares_gethostbyaddr(r->channel, bytes, family == AF_INET6 ? 16 : 4, family, reverse_cb, q);
	return NULL;
}

void resolver_free(struct resolver *r)
{
	struct answer *a;

	if (!r)
		return;
	ares_destroy(r->channel); /* callbacks run with ARES_EDESTRUCTION */
	while ((a = r->head)) {
		r->head = a->next;
		free(a);
	}
	free(r);
	ares_library_cleanup();
}
