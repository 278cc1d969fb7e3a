/* rtk/timer.h - one-shot and periodic timers.
 *
 * Timers are ordered by (deadline, arm sequence), so due timers fire in
 * deadline order, FIFO for equal deadlines. A timer's slot is direct-mapped
 * by its id, and its deadline goes into a wheel of ~4.2 ms buckets (~4.3 s
 * in all) that are sorted when they come due, with small heaps for what
 * falls outside the wheel (src/timer_heap.c, src/timer_queue.c,
 * docs/runtime.md "Timers"): start and rearm are O(1) (O(log n) for a
 * deadline past the wheel, already due, or inside the bucket being
 * drained), cancel is
 * O(1) always (its queue entry goes stale and is dropped later), and the
 * next deadline is O(1) amortised. A due timer is "fired": its callback is
 * queued as a task (kind timer) with the timer's priority.
 *
 * Periodic timers re-arm from their previous deadline (deadline + interval),
 * never from the tick time, so they do not drift. Missed-period policy
 * (SKIP): if the loop falls behind by k whole intervals, the timer fires
 * once, the k skipped periods are counted (stats.timer_missed_periods and the
 * fire's tracepoint), and the next deadline is the first one after now on the
 * original grid. A periodic timer whose next deadline finds no memory in
 * the deadline queue is not fired yet: it stays due and fires at a later
 * tick (late, never dropped).
 *
 * Cancelling removes the timer at once (it is no longer live, its id no
 * longer known) and voids a fire of it that is already queued as a task:
 * that task does not run (counted as voided).
 *
 * All functions here: loop thread only (timers are armed from tasks,
 * handlers and commands; other threads send a task that arms one).
 */
#ifndef RTK_TIMER_H
#define RTK_TIMER_H

#include "task.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Build a descriptor with rtk_timer_desc_init(), then set what differs:
 * a zeroed struct means priority 0, which is RTK_PRIORITY_CRITICAL. */
typedef struct rtk_timer_desc {
    uint64_t delay_ns;    /* first fire after this long (RTK_FOREVER: never,
                             until rearmed) */
    uint64_t interval_ns; /* 0: one-shot; else period (first fire after
                             delay_ns; pass delay_ns == interval_ns for "first
                             fire after one interval") */
    rtk_task_fn fn;
    void *arg;
    rtk_priority_t priority; /* of the fire task; note: 0 is CRITICAL,
                                rtk_timer_desc_init() sets NORMAL */
    const char *name;        /* static string for traces; may be NULL */
    rtk_id_t cause;          /* 0: rtk_current_cause() */
} rtk_timer_desc_t;

/* Zero *d and set fn, arg and priority RTK_PRIORITY_NORMAL: delay 0 (fires
 * at the next tick), one-shot, no name, inherited cause. Any thread. O(1).
 *
 *   rtk_timer_desc_t d;
 *   rtk_timer_desc_init(&d, autosave, ed);
 *   d.delay_ns = 2000000000;
 *   d.name = "autosave";
 *   rtk_timer_start(rt, &d, &id);
 */
RTK_API void rtk_timer_desc_init(rtk_timer_desc_t *d, rtk_task_fn fn,
                                 void *arg);

/* Arm a timer. Returns RTK_OK and its id in *id, RTK_EFULL when max_timers
 * are live (counted as TIMER_LIMIT), RTK_ESTATE when not RUNNING (counted
 * as NOT_RUNNING), RTK_EINVAL for a NULL fn, RTK_ENOMEM (no timer made,
 * *id untouched). O(1) (O(log n)
 * for a deadline past the ~4.3 s wheel; amortised O(1) table doubling when
 * half of the timer table is in use). */
RTK_API int rtk_timer_start(rtk_runtime_t *rt, const rtk_timer_desc_t *d,
                            rtk_id_t *id);

/* Shorthands at NORMAL priority. */
RTK_API int rtk_timer_oneshot(rtk_runtime_t *rt, uint64_t delay_ns,
                              rtk_task_fn fn, void *arg, rtk_id_t *id);
RTK_API int rtk_timer_periodic(rtk_runtime_t *rt, uint64_t interval_ns,
                               rtk_task_fn fn, void *arg, rtk_id_t *id);

/* Cancel by id. RTK_OK, or RTK_ENOENT if the id is unknown, already
 * cancelled, or a one-shot that already ran. O(1). */
RTK_API int rtk_timer_cancel(rtk_runtime_t *rt, rtk_id_t id);

/* Move a timer's next deadline to now + delay_ns. Keeps its id; voids a
 * queued fire (a one-shot that fired but whose callback has not run yet
 * comes back). A one-shot whose callback ran is gone: RTK_ENOENT, as for
 * a cancelled or unknown id; for debounce use rtk_timer_debounce. RTK_OK,
 * RTK_ENOENT, RTK_EFULL when a fired one-shot would come back while
 * max_timers are live, or RTK_ENOMEM (the timer is left exactly as it
 * was). O(1), as start. */
RTK_API int rtk_timer_rearm(rtk_runtime_t *rt, rtk_id_t id, uint64_t delay_ns);

/* Debounce: push the timer *id back to now + d->delay_ns if it is still
 * pending (rtk_timer_rearm), else start d afresh and store the new id in
 * *id (0 on failure). Start *id at 0; every input calls this:
 *
 *   rtk_timer_desc_t d;
 *   rtk_timer_desc_init(&d, autosave, ed);
 *   d.delay_ns = 2000000000;
 *   rtk_timer_debounce(rt, &ed->autosave_timer, &d);
 *
 * Returns what rtk_timer_rearm or rtk_timer_start returned (RTK_EINVAL for
 * a NULL id or d). O(1), as start. */
RTK_API int rtk_timer_debounce(rtk_runtime_t *rt, rtk_id_t *id,
                               const rtk_timer_desc_t *d);

/* 1 if the id names a live timer. O(1). */
RTK_API int rtk_timer_active(const rtk_runtime_t *rt, rtk_id_t id);

#ifdef __cplusplus
}
#endif

#endif /* RTK_TIMER_H */
