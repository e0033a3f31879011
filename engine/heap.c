/*
 * heap.c - binary min-heap with position tracking (O(log n) update/remove).
 */
#include "config.h"
#include "heap.h"

#include <stdlib.h>

void timer_init(struct timer *t, int kind)
{
	t->when = 0;
	t->pos = HEAP_NONE;
	t->kind = kind;
}

void heap_init(struct heap *h)
{
	h->v = NULL;
	h->n = h->cap = 0;
}

void heap_free(struct heap *h)
{
	free(h->v);
	heap_init(h);
}

int heap_reserve(struct heap *h, size_t more)
{
	size_t cap = h->cap ? h->cap : 16;
	struct timer **v;

	while (cap < h->n + more)
		cap *= 2;
	if (cap == h->cap)
		return 0;
	v = realloc(h->v, cap * sizeof(*v));
	if (!v)
		return -1;
	h->v = v;
	h->cap = cap;
	return 0;
}

/* Put t at index i and record it. */
static void place(struct heap *h, size_t i, struct timer *t)
{
	h->v[i] = t;
	t->pos = (uint32_t)i;
}

/* Move the timer at i up while it is earlier than its parent. */
static void sift_up(struct heap *h, size_t i)
{
	struct timer *t = h->v[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (h->v[p]->when <= t->when)
			break;
		place(h, i, h->v[p]);
		i = p;
	}
	place(h, i, t);
}

/* Move the timer at i down while a child is earlier. */
static void sift_down(struct heap *h, size_t i)
{
	struct timer *t = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1]->when < h->v[c]->when)
			c++;
		if (h->v[c]->when >= t->when)
			break;
		place(h, i, h->v[c]);
		i = c;
	}
	place(h, i, t);
}

int heap_set(struct heap *h, struct timer *t, int64_t when)
{
	if (t->pos != HEAP_NONE) {
		int64_t old = t->when;

		t->when = when;
		if (when < old)
			sift_up(h, t->pos);
		else
			sift_down(h, t->pos);
		return 0;
	}
	if (heap_reserve(h, 1) < 0)
		return -1;
	t->when = when;
	place(h, h->n++, t);
	sift_up(h, h->n - 1);
	return 0;
}

void heap_remove(struct heap *h, struct timer *t)
{
	size_t i = t->pos;
	struct timer *last;

	if (t->pos == HEAP_NONE)
		return;
	t->pos = HEAP_NONE;
	last = h->v[--h->n];
	if (i == h->n)
		return;
	place(h, i, last);
	sift_up(h, i);
	sift_down(h, last->pos);
}

struct timer *heap_top(const struct heap *h)
{
	return h->n ? h->v[0] : NULL;
}
