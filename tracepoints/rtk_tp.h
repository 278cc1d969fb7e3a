/* rtk_tp.h - the LTTng-UST provider `rtk`.
 *
 * This file is a public interface: every event and field here is listed in
 * docs/tracepoints.md and read by rt-trace's ingest. Add fields at the end
 * of an event; never change a field's meaning.
 *
 * Conventions: every item event carries id and cause (u64, 0 = none) and
 * priority (u32). Small enums are u8 integers whose values are the C enums
 * in rtk/common.h and rtk/command.h. Times inside fields are in the
 * runtime's clock (ns); the event timestamp is LTTng's CLOCK_MONOTONIC,
 * which is the runtime's default clock too.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER rtk

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./rtk_tp.h"

#if !defined(RTK_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define RTK_TP_H

#include <lttng/tracepoint.h>
#include <stdint.h>

/* --- commands ------------------------------------------------------------ */

LTTNG_UST_TRACEPOINT_EVENT(rtk, command_sent,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint8_t, cmd,
                      uint64_t, task_id, uint32_t, priority),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint8_t, cmd, cmd)
        lttng_ust_field_integer(uint64_t, task_id, task_id)
        lttng_ust_field_integer(uint32_t, priority, priority)))

LTTNG_UST_TRACEPOINT_EVENT(rtk, command_handled,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint8_t, cmd,
                      uint64_t, task_id, int32_t, result),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint8_t, cmd, cmd)
        lttng_ust_field_integer(uint64_t, task_id, task_id)
        lttng_ust_field_integer(int32_t, result, result)))

/* --- tasks --------------------------------------------------------------- */

/* source: 0 submit, 1 timer fire, 2 command */
LTTNG_UST_TRACEPOINT_EVENT(rtk, task_queued,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint32_t, priority,
                      uint8_t, source, uint64_t, timer_id, const char *, name),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint32_t, priority, priority)
        lttng_ust_field_integer(uint8_t, source, source)
        lttng_ust_field_integer(uint64_t, timer_id, timer_id)
        lttng_ust_field_string(name, name ? name : "")))

LTTNG_UST_TRACEPOINT_EVENT(rtk, task_started,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint32_t, priority),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint32_t, priority, priority)))

/* outcome: 0 ok, 1 failed (non-zero status), 2 abandoned, 3 voided (a
 * cancelled timer's queued fire: no task_started precedes it). No cause
 * or priority: task_queued and task_started carry them, and each field
 * costs a recorded task about 70 instructions (docs/tracepoints.md). */
LTTNG_UST_TRACEPOINT_EVENT(rtk, task_finished,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint8_t, outcome, int32_t, status,
                      uint64_t, cpu_ns),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint8_t, outcome, outcome)
        lttng_ust_field_integer(int32_t, status, status)
        lttng_ust_field_integer(uint64_t, cpu_ns, cpu_ns)))

/* --- events -------------------------------------------------------------- */

/* path: 0 priority queue, 1 async queue, 2 direct dispatch */
LTTNG_UST_TRACEPOINT_EVENT(rtk, event_queued,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint32_t, priority,
                      uint32_t, type, uint8_t, path),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint32_t, priority, priority)
        lttng_ust_field_integer(uint32_t, type, type)
        lttng_ust_field_integer(uint8_t, path, path)))

/* result: 0 not handled, 1 handled, 2 consumed. duration_ns: dispatch time,
 * so the dispatch began at timestamp - duration_ns. */
LTTNG_UST_TRACEPOINT_EVENT(rtk, event_dispatched,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint32_t, priority,
                      uint32_t, type, uint8_t, path, uint8_t, result,
                      uint32_t, handlers, uint64_t, duration_ns),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint32_t, priority, priority)
        lttng_ust_field_integer(uint32_t, type, type)
        lttng_ust_field_integer(uint8_t, path, path)
        lttng_ust_field_integer(uint8_t, result, result)
        lttng_ust_field_integer(uint32_t, handlers, handlers)
        lttng_ust_field_integer(uint64_t, duration_ns, duration_ns)))

/* --- timers -------------------------------------------------------------- */

LTTNG_UST_TRACEPOINT_EVENT(rtk, timer_armed,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint32_t, priority,
                      uint64_t, deadline_ns, uint64_t, interval_ns,
                      const char *, name),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint32_t, priority, priority)
        lttng_ust_field_integer(uint64_t, deadline_ns, deadline_ns)
        lttng_ust_field_integer(uint64_t, interval_ns, interval_ns)
        lttng_ust_field_string(name, name ? name : "")))

/* lateness_ns = now_ns - deadline_ns; missed: periods skipped (periodic) */
LTTNG_UST_TRACEPOINT_EVENT(rtk, timer_fired,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint32_t, priority,
                      uint64_t, deadline_ns, uint64_t, now_ns,
                      uint64_t, lateness_ns, uint64_t, missed,
                      uint64_t, task_id),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint32_t, priority, priority)
        lttng_ust_field_integer(uint64_t, deadline_ns, deadline_ns)
        lttng_ust_field_integer(uint64_t, now_ns, now_ns)
        lttng_ust_field_integer(uint64_t, lateness_ns, lateness_ns)
        lttng_ust_field_integer(uint64_t, missed, missed)
        lttng_ust_field_integer(uint64_t, task_id, task_id)))

LTTNG_UST_TRACEPOINT_EVENT(rtk, timer_cancelled,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint32_t, priority,
                      uint64_t, voided_task_id),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint32_t, priority, priority)
        lttng_ust_field_integer(uint64_t, voided_task_id, voided_task_id)))

/* --- drops --------------------------------------------------------------- */

/* kind: rtk_item_kind_t; reason: rtk_drop_reason_t */
LTTNG_UST_TRACEPOINT_EVENT(rtk, drop,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint32_t, priority,
                      uint8_t, kind, uint8_t, reason),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint32_t, priority, priority)
        lttng_ust_field_integer(uint8_t, kind, kind)
        lttng_ust_field_integer(uint8_t, reason, reason)))

/* --- loop ---------------------------------------------------------------- */

LTTNG_UST_TRACEPOINT_EVENT(rtk, tick_begin,
    LTTNG_UST_TP_ARGS(uint64_t, tick, uint64_t, now_ns),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, tick, tick)
        lttng_ust_field_integer(uint64_t, now_ns, now_ns)))

LTTNG_UST_TRACEPOINT_EVENT(rtk, tick_end,
    LTTNG_UST_TP_ARGS(uint64_t, tick, uint32_t, commands, uint32_t, timers,
                      uint32_t, events, uint32_t, tasks, uint32_t, async_events,
                      uint8_t, rendered),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, tick, tick)
        lttng_ust_field_integer(uint32_t, commands, commands)
        lttng_ust_field_integer(uint32_t, timers, timers)
        lttng_ust_field_integer(uint32_t, events, events)
        lttng_ust_field_integer(uint32_t, tasks, tasks)
        lttng_ust_field_integer(uint32_t, async_events, async_events)
        lttng_ust_field_integer(uint8_t, rendered, rendered)))

/* from/to: rtk_state_t */
LTTNG_UST_TRACEPOINT_EVENT(rtk, state_change,
    LTTNG_UST_TP_ARGS(uint64_t, cause, uint8_t, from, uint8_t, to),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint8_t, from, from)
        lttng_ust_field_integer(uint8_t, to, to)))

/* --- rendering ----------------------------------------------------------- */

/* coalesced: 1 if a render was already pending (this request adds nothing) */
LTTNG_UST_TRACEPOINT_EVENT(rtk, render_request,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint8_t, coalesced),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint8_t, coalesced, coalesced)))

/* A render starts (the runtime calls render(), or the app took the flag).
 * requests: render_request events served by this render. */
LTTNG_UST_TRACEPOINT_EVENT(rtk, render_begin,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, frame, uint32_t, requests),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, frame, frame)
        lttng_ust_field_integer(uint32_t, requests, requests)))

/* Only when the runtime calls render(): the render returned. */
LTTNG_UST_TRACEPOINT_EVENT(rtk, render_end,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, frame),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, frame, frame)))

/* --- stats snapshot ------------------------------------------------------ */

LTTNG_UST_TRACEPOINT_EVENT(rtk, stats,
    LTTNG_UST_TP_ARGS(const void *, s_),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint8_t, state, ((const uint64_t *)s_)[0])
        lttng_ust_field_integer(uint64_t, work_queue_len, ((const uint64_t *)s_)[1])
        lttng_ust_field_integer(uint64_t, event_queue_len, ((const uint64_t *)s_)[2])
        lttng_ust_field_integer(uint64_t, async_queue_len, ((const uint64_t *)s_)[3])
        lttng_ust_field_integer(uint64_t, active_timers, ((const uint64_t *)s_)[4])
        lttng_ust_field_integer(uint64_t, tasks_executed, ((const uint64_t *)s_)[5])
        lttng_ust_field_integer(uint64_t, tasks_failed, ((const uint64_t *)s_)[6])
        lttng_ust_field_integer(uint64_t, tasks_voided, ((const uint64_t *)s_)[7])
        lttng_ust_field_integer(uint64_t, events_dispatched, ((const uint64_t *)s_)[8])
        lttng_ust_field_integer(uint64_t, async_dispatched, ((const uint64_t *)s_)[9])
        lttng_ust_field_integer(uint64_t, timers_fired, ((const uint64_t *)s_)[10])
        lttng_ust_field_integer(uint64_t, timer_missed_periods, ((const uint64_t *)s_)[11])
        lttng_ust_field_integer(uint64_t, commands_handled, ((const uint64_t *)s_)[12])
        lttng_ust_field_integer(uint64_t, renders, ((const uint64_t *)s_)[13])
        lttng_ust_field_integer(uint64_t, drops_work_queue_full, ((const uint64_t *)s_)[14])
        lttng_ust_field_integer(uint64_t, drops_event_queue_full, ((const uint64_t *)s_)[15])
        lttng_ust_field_integer(uint64_t, drops_async_queue_full, ((const uint64_t *)s_)[16])
        lttng_ust_field_integer(uint64_t, drops_timer_limit, ((const uint64_t *)s_)[17])
        lttng_ust_field_integer(uint64_t, drops_command_refused, ((const uint64_t *)s_)[18])
        lttng_ust_field_integer(uint64_t, drops_command_queue_full, ((const uint64_t *)s_)[19])
        lttng_ust_field_integer(uint64_t, drops_not_running, ((const uint64_t *)s_)[20])
        lttng_ust_field_integer(uint64_t, drops_emergency, ((const uint64_t *)s_)[21])
        lttng_ust_field_integer(uint64_t, drops_shutdown, ((const uint64_t *)s_)[22])
        lttng_ust_field_integer(uint64_t, loop_count, ((const uint64_t *)s_)[23])
        lttng_ust_field_integer(uint64_t, idle_ns, ((const uint64_t *)s_)[24])))

/* --- input --------------------------------------------------------------- */

/* An input (a key, a click, a read from a terminal) that happened at
 * input_ns, marked at now_ns (both in the runtime's clock, CLOCK_MONOTONIC
 * by default): the work it becomes names id as its cause. rt-trace takes
 * timestamp - (now_ns - input_ns) as the interaction's start. */
LTTNG_UST_TRACEPOINT_EVENT(rtk, input,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint64_t, input_ns,
                      uint64_t, now_ns, const char *, name),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint64_t, input_ns, input_ns)
        lttng_ust_field_integer(uint64_t, now_ns, now_ns)
        lttng_ust_field_string(name, name ? name : "")))

#endif /* RTK_TP_H */

#include <lttng/tracepoint-event.h>
