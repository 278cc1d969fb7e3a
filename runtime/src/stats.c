/* stats.c - live stats (a few relaxed loads, any thread) and the rtk:stats
 * snapshot tracepoint. */
#include "internal.h"
#include "trace.h"

#define LOAD(x) atomic_load_explicit(&(x), memory_order_relaxed)

_Static_assert(RTK__ST_LOOPS - RTK__ST_DROPS0 == RTK_DROP__COUNT,
               "rtk:stats field layout must list every drop reason");

void rtk_stats_get(const rtk_runtime_t *rt, rtk_stats_t *o)
{
    rtk_runtime_t *r = (rtk_runtime_t *)rt; /* atomics are read-only here */
    o->state = (rtk_state_t)LOAD(r->state);
    o->work_queue_len = rtk__wq_len(rt);
    o->event_queue_len = rtk__get_size(&rt->evq_len);
    o->async_queue_len = LOAD(r->async_ring.count);
    o->command_queue_len = LOAD(r->cmd_ring.count);
    o->active_timers = rtk__timers_live(rt);
    o->tasks_executed = LOAD(r->tasks_executed);
    if (rtk__on_loop(rt)) /* a running stretch's successes (executor.c) */
        o->tasks_executed += rtk__exec_block_ran_owed(rt);
    o->tasks_failed = LOAD(r->tasks_failed);
    o->tasks_voided = LOAD(r->tasks_voided);
    o->events_dispatched = LOAD(r->events_dispatched);
    o->async_dispatched = LOAD(r->async_dispatched);
    o->timers_fired = LOAD(r->timers_fired);
    o->timer_missed_periods = LOAD(r->timer_missed);
    o->commands_handled = LOAD(r->commands_handled);
    o->renders = LOAD(r->renders);
    o->drops_total = 0;
    for (int i = 0; i < RTK_DROP__COUNT; i++) {
        o->drops[i] = LOAD(r->drops[i]);
        o->drops_total += o->drops[i];
    }
    o->loop_count = LOAD(r->loop_count);
    o->idle_ns = LOAD(r->idle_ns);
    o->sleeping = LOAD(r->sleeping);
}

void rtk_stats_trace(rtk_runtime_t *rt)
{
#ifdef RTK_TRACING
    if (!RTK_TP_ON(stats))
        return;
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    uint64_t v[RTK__ST__COUNT] = {
        [RTK__ST_STATE] = s.state, [RTK__ST_WQ_LEN] = s.work_queue_len,
        [RTK__ST_EVQ_LEN] = s.event_queue_len,
        [RTK__ST_ASYNC_LEN] = s.async_queue_len,
        [RTK__ST_TIMERS] = s.active_timers,
        [RTK__ST_EXECUTED] = s.tasks_executed,
        [RTK__ST_FAILED] = s.tasks_failed, [RTK__ST_VOIDED] = s.tasks_voided,
        [RTK__ST_EVENTS] = s.events_dispatched,
        [RTK__ST_ASYNC] = s.async_dispatched, [RTK__ST_FIRED] = s.timers_fired,
        [RTK__ST_MISSED] = s.timer_missed_periods,
        [RTK__ST_COMMANDS] = s.commands_handled,
        [RTK__ST_RENDERS] = s.renders, [RTK__ST_LOOPS] = s.loop_count,
        [RTK__ST_IDLE] = s.idle_ns};
    for (int i = 0; i < RTK_DROP__COUNT; i++)
        v[RTK__ST_DROPS0 + i] = s.drops[i];
    RTK_TP(stats, v);
#else
    (void)rt;
#endif
}
