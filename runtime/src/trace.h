/* trace.h - rtk's tracepoint macros.
 *
 * RTK_TP(name, args...) fires tracepoint rtk:name. With RTK_TRACING it is
 * LTTng-UST's tracepoint: with no session listening, its cost is one load
 * and a not-taken branch, and the arguments are not evaluated. Without
 * RTK_TRACING it compiles to nothing. RTK_TP_ON(name) guards work done only
 * to fill a field (a clock read).
 */
#ifndef RTK_TRACE_H
#define RTK_TRACE_H

#ifdef RTK_TRACING
#ifndef LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#endif
#include "rtk_tp.h"
#define RTK_TP_ON(name) lttng_ust_tracepoint_enabled(rtk, name)
/* The events fired per task, per tick and per timer start, fire and cancel
 * go through out-of-line cold
 * wrappers (trace.c): inlined, the probe call's argument set-up and register
 * saves land in the hot function's prologue even when no session listens
 * (measured: +7-12% on a no-op task; out of line: +2-4%). The rest are rare
 * and stay inline. RTK_TP(name, ...) picks per event. */
#define RTK_TP(name, ...) RTK__TP_##name(__VA_ARGS__)
#define RTK__TP_INLINE(name, ...) lttng_ust_tracepoint(rtk, name, __VA_ARGS__)
#define RTK__TP_COLD(name, ...)                                                \
    do {                                                                       \
        if (RTK_TP_ON(name))                                                   \
            rtk__tp_##name(__VA_ARGS__);                                       \
    } while (0)
#define RTK__TP_task_queued(...) RTK__TP_COLD(task_queued, __VA_ARGS__)
#define RTK__TP_task_started(...) RTK__TP_COLD(task_started, __VA_ARGS__)
#define RTK__TP_task_finished(...) RTK__TP_COLD(task_finished, __VA_ARGS__)
#define RTK__TP_tick_begin(...) RTK__TP_COLD(tick_begin, __VA_ARGS__)
#define RTK__TP_tick_end(...) RTK__TP_COLD(tick_end, __VA_ARGS__)
#define RTK__TP_command_sent(...) RTK__TP_INLINE(command_sent, __VA_ARGS__)
#define RTK__TP_command_handled(...) RTK__TP_INLINE(command_handled, __VA_ARGS__)
#define RTK__TP_event_queued(...) RTK__TP_INLINE(event_queued, __VA_ARGS__)
#define RTK__TP_event_dispatched(...) RTK__TP_INLINE(event_dispatched, __VA_ARGS__)
#define RTK__TP_timer_armed(...) RTK__TP_COLD(timer_armed, __VA_ARGS__)
#define RTK__TP_timer_fired(...) RTK__TP_COLD(timer_fired, __VA_ARGS__)
#define RTK__TP_timer_cancelled(...) RTK__TP_COLD(timer_cancelled, __VA_ARGS__)
#define RTK__TP_drop(...) RTK__TP_INLINE(drop, __VA_ARGS__)
#define RTK__TP_state_change(...) RTK__TP_INLINE(state_change, __VA_ARGS__)
#define RTK__TP_render_request(...) RTK__TP_INLINE(render_request, __VA_ARGS__)
#define RTK__TP_render_begin(...) RTK__TP_INLINE(render_begin, __VA_ARGS__)
#define RTK__TP_render_end(...) RTK__TP_INLINE(render_end, __VA_ARGS__)
#define RTK__TP_stats(...) RTK__TP_INLINE(stats, __VA_ARGS__)
#define RTK__TP_input(...) RTK__TP_INLINE(input, __VA_ARGS__)
#define RTK__COLD __attribute__((cold, noinline))
RTK__COLD void rtk__tp_task_queued(uint64_t id, uint64_t cause, uint32_t prio,
                                   uint8_t source, uint64_t timer_id,
                                   const char *name);
RTK__COLD void rtk__tp_task_started(uint64_t id, uint64_t cause,
                                    uint32_t prio);
RTK__COLD void rtk__tp_task_finished(uint64_t id, uint8_t outcome,
                                     int32_t status, uint64_t cpu_ns);
RTK__COLD void rtk__tp_tick_begin(uint64_t tick, uint64_t now);
RTK__COLD void rtk__tp_timer_armed(uint64_t id, uint64_t cause, uint32_t prio,
                                   uint64_t deadline, uint64_t interval,
                                   const char *name);
RTK__COLD void rtk__tp_timer_fired(uint64_t id, uint64_t cause, uint32_t prio,
                                   uint64_t deadline, uint64_t now,
                                   uint64_t lateness, uint64_t missed,
                                   uint64_t task_id);
RTK__COLD void rtk__tp_timer_cancelled(uint64_t id, uint64_t cause,
                                       uint32_t prio, uint64_t voided_task);
RTK__COLD void rtk__tp_tick_end(uint64_t tick, uint32_t commands,
                                uint32_t timers, uint32_t events,
                                uint32_t tasks, uint32_t async_events,
                                uint8_t rendered);
#else
#define RTK_TP(name, ...) ((void)0)
#define RTK_TP_ON(name) 0
#endif

/* Layout of the array the rtk:stats tracepoint reads (see rtk_tp.h). */
enum {
    RTK__ST_STATE, RTK__ST_WQ_LEN, RTK__ST_EVQ_LEN, RTK__ST_ASYNC_LEN,
    RTK__ST_TIMERS, RTK__ST_EXECUTED, RTK__ST_FAILED, RTK__ST_VOIDED,
    RTK__ST_EVENTS, RTK__ST_ASYNC, RTK__ST_FIRED, RTK__ST_MISSED,
    RTK__ST_COMMANDS, RTK__ST_RENDERS, RTK__ST_DROPS0, /* 9 drop reasons */
    RTK__ST_LOOPS = RTK__ST_DROPS0 + 9, RTK__ST_IDLE, RTK__ST__COUNT
};

/* Sample whether a session listens to the per-task events, once per tick
 * and per batch: the loop's hot paths then test rt->trace_tasks. */
#define rtk__trace_tasks_sample(rt)                                            \
    do {                                                                       \
        bool on_ = RTK_TP_ON(task_queued) || RTK_TP_ON(task_started) ||        \
                   RTK_TP_ON(task_finished);                                   \
        if (on_ != (rt)->trace_tasks)                                          \
            rtk__wq_trace_switch((rt), on_);                                   \
    } while (0)

/* trace.c: dlopen the provider (librtk-tp.so.0) once per process unless
 * RTK_TRACE_PROVIDER=0; no-op without RTK_TRACING. */
void rtk__trace_load_provider(void);

#endif /* RTK_TRACE_H */
