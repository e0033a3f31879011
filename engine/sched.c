/*
 * sched.c - when a target sends and when its probes expire.
 *
 * Probe k of a target leaves at start + k * interval (a fixed schedule,
 * not a pause after each reply). A target that fell a whole interval or
 * more behind (a stalled process, a slow caller) skips the slots it
 * missed, as fping does: the next probe leaves now and the schedule is
 * anchored there; a finite count still sends count probes in all.
 *
 * Invariants: a target's send timer is queued while it has probes to send
 * and is started, not paused, not parked and not done; its expire timer
 * while expire_no < next_no, at the deadline of probe expire_no.
 */
#include "config.h"

#include "error.h"
#include "internal.h"

/* Queue tm at when in h; a heap that cannot grow fails t (never a hang). */
bool sched_set(struct sonar_engine *e, struct heap *h, struct target *t, struct timer *tm,
               int64_t when)
{
	if (heap_set(h, tm, when) == 0)
		return true;
	(void)e;
	error_set(SONAR_ENOMEM, "Out of memory");
	target_fail(t, SONAR_ENOMEM);
	return false;
}

void sched_next(struct sonar_engine *e, struct target *t)
{
	int count = t->op->opt.count;

	if (t->done || !t->started || t->paused || t->parked ||
	    (count > 0 && t->next_no >= (uint64_t)count))
		heap_remove(&e->sends, &t->send_timer);
	else
		sched_set(e, &e->sends, t, &t->send_timer,
		          t->start + (int64_t)t->next_no * t->interval_ns);
}

void sched_catch_up(struct target *t, int64_t now)
{
	int64_t due = t->start + (int64_t)t->next_no * t->interval_ns;

	if (t->interval_ns > 0 && now - due >= t->interval_ns)
		t->start = now - (int64_t)t->next_no * t->interval_ns;
}

void sched_arm_expiry(struct sonar_engine *e, struct target *t)
{
	while (t->expire_no < t->next_no) {
		struct probe *p = &t->ring[t->expire_no % t->ring_size];

		if (p->state != PROBE_FREE && p->no == (uint32_t)t->expire_no) {
			sched_set(e, &e->expiries, t, &t->expire_timer,
			          p->sent_mono + t->op->timeout_ns);
			return;
		}
		t->expire_no++; /* its send failed: nothing to wait for */
	}
	heap_remove(&e->expiries, &t->expire_timer);
}

void sched_expire_due(struct sonar_engine *e, struct target *t, int64_t now)
{
	while (t->expire_no < t->next_no && !target_gone(t)) {
		struct probe *p = &t->ring[t->expire_no % t->ring_size];

		if (p->state != PROBE_FREE && p->no == (uint32_t)t->expire_no) {
			if (p->sent_mono + t->op->timeout_ns > now)
				break;
			if (p->state == PROBE_WAITING) {
				struct sonar_event ev;

				t->outstanding--;
				event_init(&ev, SONAR_EVENT_TIMEOUT, t, p);
				ev.error = SONAR_ETIMEOUT;
				probe_release(e, t, p);
				t->expire_no++;
				event_emit(t, &ev);
				continue;
			}
			probe_release(e, t, p);
		}
		t->expire_no++;
	}
	if (target_gone(t))
		return;
	sched_arm_expiry(e, t);
	target_check_done(t);
}

void sched_quiesce(struct sonar_engine *e, struct target *t)
{
	uint32_t i;

	heap_remove(&e->sends, &t->send_timer);
	heap_remove(&e->expiries, &t->expire_timer);
	for (i = 0; t->ring && i < t->ring_size; i++)
		probe_release(e, t, &t->ring[i]);
}
