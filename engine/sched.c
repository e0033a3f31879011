/*
 * sched.c - when a target sends and when its probes expire.
 *
 * Probe k of a target leaves at its start + k * interval (a fixed
 * schedule, not a pause after each reply), kept as next_due, the time of
 * the next probe, advanced by one interval per probe (no product that can
 * overflow). A target that fell a whole interval or more behind while the
 * engine did not run (a stalled process, a slow caller) skips the slots it
 * missed, as fping does, by
 * whole intervals: its next probe leaves at its next slot, so its phase
 * among the other targets stays (paced starts survive a stall, a pause and
 * a resume, with no burst after them); a finite count still sends count
 * probes in all. A target late because the loop was busy (more targets
 * than one interval can send) is not stalled: it leaves when reached.
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
		sched_set(e, &e->sends, t, &t->send_timer, t->next_due);
}

bool sched_catch_up(struct sonar_engine *e, struct target *t, int64_t now)
{
	/* A slot that came due while the engine did not run, a whole
	 * interval before it ran again: on to the next slot of the target's
	 * own phase (not now: every late target would leave in one burst).
	 * A target late because the loop was busy sending to others is not
	 * stalled: it leaves now, as soon as the loop reaches it. */
	if (t->interval_ns > 0 && now - t->next_due >= t->interval_ns &&
	    t->next_due >= e->gap_start && t->next_due <= e->gap_end - t->interval_ns)
		sched_resume(t, now);
	return t->next_due <= now;
}

void sched_resume(struct target *t, int64_t now)
{
	int64_t late = now - t->next_due;

	/* the first slot from now on, in the target's own phase */
	if (t->interval_ns > 0 && late > 0)
		t->next_due += (late + t->interval_ns - 1) / t->interval_ns * t->interval_ns;
	else if (late > 0)
		t->next_due = now;
}

void sched_arm_expiry(struct sonar_engine *e, struct target *t)
{
	while (t->expire_no < t->next_no) {
		struct probe *p = &t->ring[t->expire_no % t->ring_size];

		if (p->state != PROBE_FREE && p->no == (uint32_t)t->expire_no) {
			sched_set(e, &e->expiries, t, &t->expire_timer,
			          p->sent_mono + target_wait_ns(t));
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
			if (p->sent_mono + target_wait_ns(t) > now)
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

/* Take t's timers and probes away (it is done). Its outstanding count
 * stays: the probes in flight at its end, neither received nor lost. */
void sched_quiesce(struct sonar_engine *e, struct target *t)
{
	uint32_t i;

	heap_remove(&e->sends, &t->send_timer);
	heap_remove(&e->expiries, &t->expire_timer);
	for (i = 0; t->ring && i < t->ring_size; i++)
		probe_release(e, t, &t->ring[i]);
}
