/* executor.c - runs a batch of tasks and isolates their failures.
 *
 * A batch pops up to `limit` tasks in priority order and runs each on the
 * loop thread with the task's id as the thread's current cause. A non-zero
 * status counts as failed; rtk_task_abandon() longjmps back here (one
 * setjmp per batch, not per task, so the no-op path stays cheap), the task
 * counts as failed (outcome abandoned) and the batch goes on. A timer fire
 * whose timer was cancelled or re-armed since is voided, not run. A render
 * that is due goes before any task of lower priority than
 * config.render_priority, so a keystroke's echo is not held behind the
 * background work the keystroke queued. */
#include "internal.h"
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>

static _Thread_local jmp_buf *tls_jb;

void rtk_task_abandon(int status)
{
    if (!tls_jb) {
        fputs("rtk: rtk_task_abandon() called outside a running task\n",
              stderr);
        abort();
    }
    longjmp(*tls_jb, status ? status : 1);
}

static inline __attribute__((always_inline)) void
finish(rtk_runtime_t *rt, const rtk__item_t *it, int outcome, int status)
{
    RTK_TP(task_finished, it->id, it->cause, it->priority, (uint8_t)outcome,
           status);
    (void)status;
    if (outcome == RTK__OUT_OK)
        rtk__inc(&rt->tasks_executed);
    else if (outcome == RTK__OUT_VOIDED)
        rtk__inc(&rt->tasks_voided);
    else
        rtk__inc(&rt->tasks_failed);
    if (it->source == RTK__SRC_TIMER)
        rtk__timer_fire_done(rt, it);
}

size_t rtk__exec_batch(rtk_runtime_t *rt, size_t limit)
{
    jmp_buf jb;
    jmp_buf *volatile saved_jb = tls_jb;
    volatile rtk_id_t saved_cause = rtk__tls_cause;
    volatile size_t ran = 0;
    rtk__item_t *cur = &rt->current;
    const unsigned bus_depth = rt->bus.depth;

    int abandoned = setjmp(jb);
    tls_jb = &jb;
    if (abandoned) {
        rtk__tls_cause = saved_cause;
        rtk__bus_unwind(rt, bus_depth);
        finish(rt, cur, RTK__OUT_ABANDONED, abandoned);
        ran++;
    }
    while (ran < limit && rtk__wq_pop(rt, cur)) {
        ran++;
        if (cur->source == RTK__SRC_TIMER) {
            /* fires come in bursts: warm the next one's timer slot while
             * this one runs (its validity check is otherwise a cold miss) */
            const rtk__item_t *nx = rtk__pf_peek(&rt->wq_local);
            if (nx && nx->source == RTK__SRC_TIMER)
                rtk__timer_prefetch(rt, nx->u.task.timer_id);
            if (!rtk__timer_fire_valid(rt, cur)) {
                finish(rt, cur, RTK__OUT_VOIDED, 0);
                continue;
            }
        }
        if (cur->priority > rt->cfg.render_priority && rt->cfg.render &&
            rtk_render_pending(rt))
            rtk__render_maybe(rt, rtk__now(rt));
        RTK_TP(task_started, cur->id, cur->cause, cur->priority);
        rtk__tls_cause = cur->id;
        int st = cur->u.task.fn(cur->u.task.arg);
        rtk__tls_cause = saved_cause;
        finish(rt, cur, st == 0 ? RTK__OUT_OK : RTK__OUT_FAILED, st);
    }
    tls_jb = saved_jb;
    return ran;
}
