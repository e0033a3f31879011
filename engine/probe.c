/*
 * probe.c - a target's probe slots and the keys that find them again
 * (fping's seqmap, one ring per target).
 *
 * Invariants:
 * - probe k sits in ring[k % ring_size]; ring_size is a power of two, so
 *   the table's probe numbers (kept modulo 2^32) name the right slot;
 * - a slot is FREE, or holds probe `no` and is in the engine's table under
 *   probe_hash(sock, id, seq, addr) until its deadline has been processed;
 * - a slot that probe k needs while an earlier probe still waits in it
 *   makes the ring grow (up to RING_MAX): a probe is never expired before
 *   its timeout to make room.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Keep room in the table for every slot of every ring (they are all
 * counted in e->slots): a send never allocates. 0 or -1. */
static int reserve_slots(struct sonar_engine *e, uint32_t more)
{
	if (table_reserve(&e->table, e->slots + more - e->table.used) < 0)
		return -1;
	e->slots += more;
	return 0;
}

int probe_ring_init(struct sonar_engine *e, struct target *t, uint32_t size)
{
	uint32_t n = 1;

	while (n < size && n < RING_MAX)
		n <<= 1;
	t->ring = calloc(n, sizeof(*t->ring));
	if (!t->ring || reserve_slots(e, n) < 0) {
		free(t->ring);
		t->ring = NULL;
		return -1;
	}
	t->ring_size = n;
	return 0;
}

void probe_ring_free(struct sonar_engine *e, struct target *t)
{
	e->slots -= t->ring_size;
	free(t->ring);
	t->ring = NULL;
	t->ring_size = 0;
}

int probe_ring_grow(struct sonar_engine *e, struct target *t)
{
	uint32_t size = t->ring_size * 2, i;
	struct probe *ring;

	if (t->ring_size >= RING_MAX)
		return -1;
	ring = calloc(size, sizeof(*ring));
	if (!ring || reserve_slots(e, t->ring_size) < 0) {
		free(ring);
		return -1;
	}
	/* the live probes span fewer than ring_size numbers: distinct slots */
	for (i = 0; i < t->ring_size; i++)
		if (t->ring[i].state != PROBE_FREE)
			ring[t->ring[i].no % size] = t->ring[i];
	free(t->ring);
	t->ring = ring;
	t->ring_size = size;
	return 0;
}

/* Mix one 32-bit word into a hash (murmur3's constants). */
static uint32_t mix(uint32_t h, uint32_t w)
{
	w *= 0xcc9e2d51u;
	w = (w << 15) | (w >> 17);
	h ^= w * 0x1b873593u;
	h = (h << 13) | (h >> 19);
	return h * 5 + 0xe6546b64u;
}

/* Hash of a probe's key. */
static uint32_t probe_hash(const struct sock *s, uint16_t id, uint16_t seq, const struct addr *a)
{
	const unsigned char *b = addr_bytes(a);
	/* datagram sockets: the kernel owns the id, leave it out */
	uint32_t h = mix(s->index, (uint32_t)(s->raw ? id : 0) << 16 | seq);
	uint32_t w;
	int i, words = addr_family(a) == 6 ? 4 : 1;

	for (i = 0; i < words; i++) {
		memcpy(&w, b + 4 * i, 4);
		h = mix(h, w);
	}
	h ^= h >> 16; /* final avalanche */
	h *= 0x85ebca6bu;
	return h ^ (h >> 13);
}

/* The slot of t that holds probe number no (modulo 2^32), or NULL when
 * that slot now holds another probe. */
static struct probe *probe_of(const struct target *t, uint32_t no)
{
	struct probe *p;

	if (!t->ring)
		return NULL;
	p = &t->ring[no % t->ring_size];
	return p->no == no ? p : NULL;
}

/* Does the table entry hold the probe this key names? */
static int match_probe(const struct table_entry *en, const void *k)
{
	const struct target *t = en->owner;
	const struct key *key = k;
	const struct probe *p = probe_of(t, en->probe);

	return p && t->sock == key->sock && (!key->sock->raw || t->id == key->id) &&
	       p->state != PROBE_FREE && p->seq == key->seq && addr_equal(&t->addr, key->addr);
}

struct target *probe_find(struct sonar_engine *e, const struct key *k, struct probe **pp)
{
	struct table_entry *en =
	    table_find(&e->table, probe_hash(k->sock, k->id, k->seq, k->addr), match_probe, k);
	struct target *t;

	if (!en)
		return NULL;
	t = en->owner;
	*pp = probe_of(t, en->probe);
	return *pp ? t : NULL;
}

int probe_track(struct sonar_engine *e, struct target *t, struct probe *p)
{
	return table_insert(&e->table, probe_hash(t->sock, t->id, p->seq, &t->addr), t, p->no);
}

void probe_release(struct sonar_engine *e, struct target *t, struct probe *p)
{
	if (p->state == PROBE_FREE)
		return;
	if (p->state == PROBE_ERRORED)
		t->provisional--;
	if (t->sock->tcp)
		tcp_forget(e, t, p->no); /* its socket, if still connecting */
	table_remove(&e->table, probe_hash(t->sock, t->id, p->seq, &t->addr), t, p->no);
	p->state = PROBE_FREE;
}

/*
 * The sequence number probe k of t may use. Another probe may hold the
 * natural one: this target's own probe 65536 earlier (sequence numbers
 * wrap), or another target's (two datagram operations to one host share
 * the kernel's id). One already answered only waits out its duplicate
 * window: end it early. One still waiting keeps its key, and this target's
 * sequence numbers shift instead. -1 when every sequence number is held by
 * a waiting probe (the send then waits).
 */
int probe_free_seq(struct sonar_engine *e, struct target *t, uint64_t k)
{
	struct key key;
	int tries;

	key.sock = t->sock;
	key.id = t->id;
	key.addr = &t->addr;
	for (tries = 0; tries < 65536; tries++) {
		struct probe *other;
		struct target *owner;

		key.seq = (uint16_t)(t->seq_base + k);
		owner = probe_find(e, &key, &other);
		if (!owner)
			return key.seq;
		if (other->state == PROBE_ANSWERED) {
			probe_release(e, owner, other);
			return key.seq;
		}
		t->seq_base++;
	}
	return -1;
}
