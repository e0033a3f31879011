/*
 * table.h - the probes in flight, found by a 32-bit hash of (socket, id,
 * sequence, address): open addressing, linear probing, backward-shift
 * deletion, so a lookup never walks tombstones.
 *
 * Invariants: used entries are at most three quarters of the slots
 * (capacity a power of two); an entry sits at or after its home slot (hash & mask) with no free
 * slot between. Entries point at (owner, probe number); the owner's data
 * decides whether a candidate with an equal hash really matches.
 */
#ifndef SONAR_TABLE_H
#define SONAR_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct table_entry {
	void *owner;    /* NULL: free slot */
	uint32_t probe; /* the owner's probe number, modulo 2^32 */
	uint32_t hash;
};

struct table {
	struct table_entry *slots;
	size_t mask; /* capacity - 1 */
	size_t used;
};

/* Called for each entry whose hash equals the one sought; nonzero: found. */
typedef int (*table_match_cb)(const struct table_entry *en, const void *key);

/* Empty table. */
void table_init(struct table *t);
/* Free the slots. */
void table_free(struct table *t);
/* Make room for n more entries now, so inserts never allocate. 0 or -1. */
int table_reserve(struct table *t, size_t more);
/* Add an entry. 0, or -1 when out of memory. */
int table_insert(struct table *t, uint32_t hash, void *owner, uint32_t probe);
/* Find the entry with this hash that match() accepts, or NULL. */
struct table_entry *table_find(const struct table *t, uint32_t hash, table_match_cb match,
                               const void *key);
/* Remove the entry (owner, probe) stored under hash, if there. */
void table_remove(struct table *t, uint32_t hash, const void *owner, uint32_t probe);
/* 32-bit FNV-1a over bytes, chained from h (start with 2166136261u). */
uint32_t table_hash(uint32_t h, const void *bytes, size_t len);

#endif
