/*
 * table.c - open-addressing hash table of in-flight probes.
 */
#include "config.h"
#include "table.h"

#include <stdlib.h>

void table_init(struct table *t)
{
	t->slots = NULL;
	t->mask = 0;
	t->used = 0;
}

void table_free(struct table *t)
{
	free(t->slots);
	table_init(t);
}

uint32_t table_hash(uint32_t h, const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

/* Place an entry in slots without growing (there is room). */
static void put(struct table_entry *slots, size_t mask, const struct table_entry *en)
{
	size_t i = en->hash & mask;

	while (slots[i].owner)
		i = (i + 1) & mask;
	slots[i] = *en;
}

int table_reserve(struct table *t, size_t more)
{
	size_t cap = t->slots ? t->mask + 1 : 64;
	struct table_entry *slots;
	size_t i;

	while ((t->used + more) * 4 > cap * 3)
		cap *= 2;
	if (t->slots && cap == t->mask + 1)
		return 0;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (i = 0; t->slots && i <= t->mask; i++)
		if (t->slots[i].owner)
			put(slots, cap - 1, &t->slots[i]);
	free(t->slots);
	t->slots = slots;
	t->mask = cap - 1;
	return 0;
}

int table_insert(struct table *t, uint32_t hash, void *owner, uint32_t probe)
{
	struct table_entry en = {owner, probe, hash};

	if (table_reserve(t, 1) < 0)
		return -1;
	put(t->slots, t->mask, &en);
	t->used++;
	return 0;
}

struct table_entry *table_find(const struct table *t, uint32_t hash, table_match_cb match,
                               const void *key)
{
	size_t i;

	if (!t->slots)
		return NULL;
	for (i = hash & t->mask; t->slots[i].owner; i = (i + 1) & t->mask)
		if (t->slots[i].hash == hash && match(&t->slots[i], key))
			return &t->slots[i];
	return NULL;
}

void table_remove(struct table *t, uint32_t hash, const void *owner, uint32_t probe)
{
	size_t i, j;

	if (!t->slots)
		return;
	for (i = hash & t->mask; t->slots[i].owner; i = (i + 1) & t->mask)
		if (t->slots[i].owner == owner && t->slots[i].probe == probe)
			break;
	if (!t->slots[i].owner)
		return;
	/* Backward-shift: pull later entries of the run into the hole when
	 * their home slot is not between the hole and themselves. */
	j = i;
	for (;;) {
		size_t home;

		j = (j + 1) & t->mask;
		if (!t->slots[j].owner)
			break;
		home = t->slots[j].hash & t->mask;
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].owner = NULL;
	t->used--;
}
