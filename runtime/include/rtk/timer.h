/* rtk/timer.h - one-shot and periodic timers.
 *
 * Timers live in a binary min-heap ordered by (deadline, arm sequence), so
 * due timers fire in deadline order, FIFO for equal deadlines; start and
 * cancel are O(log n) and the next deadline is O(1). A due timer is "fired":
 * its callback is queued as a task (kind timer) with the timer's priority.
 *
 * Periodic timers re-arm from their previous deadline (deadline + interval),
 * never from the tick time, so they do not drift. Missed-period policy
 * (SKIP): if the loop falls behind by k whole intervals, the timer fires
 * once, the k skipped periods are counted (stats.timer_missed_periods and the
 * fire's tracepoint), and the next deadline is the first one after now on the
 * original grid.
 *
 * Cancelling removes the timer at once and voids a fire of it that is
 * already queued as a task: that task does not run (counted as voided).
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

typedef struct rtk_timer_desc {
    uint64_t delay_ns;    /* first fire after this long (RTK_FOREVER: never,
                             until rearmed) */
    uint64_t interval_ns; /* 0: one-shot; else period (first fire after
                             delay_ns; pass delay_ns == interval_ns for "first
                             fire after one interval") */
    rtk_task_fn fn;
    void *arg;
    rtk_priority_t priority; /* of the fire task */
    const char *name;        /* static string for traces; may be NULL */
    rtk_id_t cause;          /* 0: rtk_current_cause() */
} rtk_timer_desc_t;

/* Arm a timer. Returns RTK_OK and its id in *id, RTK_EFULL when max_timers
 * are live (counted as TIMER_LIMIT), RTK_ESTATE when not RUNNING (counted
 * as NOT_RUNNING), RTK_EINVAL for a NULL fn, RTK_ENOMEM. O(log n). */
RTK_API int rtk_timer_start(rtk_runtime_t *rt, const rtk_timer_desc_t *d,
                            rtk_id_t *id);

/* Shorthands at NORMAL priority. */
RTK_API int rtk_timer_oneshot(rtk_runtime_t *rt, uint64_t delay_ns,
                              rtk_task_fn fn, void *arg, rtk_id_t *id);
RTK_API int rtk_timer_periodic(rtk_runtime_t *rt, uint64_t interval_ns,
                               rtk_task_fn fn, void *arg, rtk_id_t *id);

/* Cancel by id. RTK_OK, or RTK_ENOENT if the id is unknown, already
 * cancelled, or a one-shot that already ran. O(log n). */
RTK_API int rtk_timer_cancel(rtk_runtime_t *rt, rtk_id_t id);

/* Move a live timer's next deadline to now + delay_ns (debounce). Keeps its
 * id; voids a queued fire. RTK_OK or RTK_ENOENT. O(log n). */
RTK_API int rtk_timer_rearm(rtk_runtime_t *rt, rtk_id_t id, uint64_t delay_ns);

/* 1 if the id names a live timer. O(1). */
RTK_API int rtk_timer_active(const rtk_runtime_t *rt, rtk_id_t id);

#ifdef __cplusplus
}
#endif

#endif /* RTK_TIMER_H */
