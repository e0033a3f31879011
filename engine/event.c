/*
 * event.c - events for the caller's callback. They are built only when
 * someone listens: formatting two addresses per packet is most of the CPU
 * 10,000 targets would cost. Their strings live in the engine and are
 * valid only during the callback.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "internal.h"

bool event_listening(const struct target *t)
{
	return t->op->on_event != NULL && !t->op->finished;
}

void event_init(struct sonar_event *ev, enum sonar_event_type type, struct target *t,
                const struct probe *p)
{
	struct sonar_engine *e = t->op->e;

	ev->type = type;
	if (!event_listening(t))
		return; /* event_emit() will not pass it on: build nothing */
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->op = t->op->handle;
	ev->target = t->index;
	ev->name = t->op->names[t->index];
	addr_to_string(&t->addr, e->text[0], sizeof(e->text[0]));
	ev->address = e->text[0];
	ev->from = "";
	ev->sequence = p ? p->seq : -1;
	ev->probe_ttl = t->ttl;
	ev->reply_ttl = -1;
	ev->icmp_type = -1;
	ev->icmp_code = -1;
	ev->message = "";
	clock_gettime(CLOCK_REALTIME, &ev->when);
}

void event_from(struct sonar_event *ev, const struct target *t, const struct addr *from)
{
	struct sonar_engine *e = t->op->e;

	if (!event_listening(t))
		return;
	addr_to_string(from, e->text[1], sizeof(e->text[1]));
	ev->from = e->text[1];
}

/* Pass an event to the op's callback; anything the callback frees waits
 * for the end of the turn (depth). */
void event_emit(struct target *t, const struct sonar_event *ev)
{
	struct sonar_engine *e = t->op->e;

	if (!event_listening(t))
		return;
	e->depth++;
	t->op->on_event(ev, t->op->user);
	e->depth--;
}
