/* events.c - the table of rtk tracepoints and their integer fields
 * (see events.h). Lookups are linear over 19 names; called once per
 * event class. */
#include "events.h"

#include <string.h>

const rtt_event_desc_t rtt_events[RTT_EV__COUNT] = {
    [RTT_EV_COMMAND_SENT] = {"command_sent",
        {"id", "cause", "cmd", "task_id", "priority"}, NULL},
    [RTT_EV_COMMAND_HANDLED] = {"command_handled",
        {"id", "cause", "cmd", "task_id", "result"}, NULL},
    [RTT_EV_TASK_QUEUED] = {"task_queued",
        {"id", "cause", "priority", "source", "timer_id"}, "name"},
    [RTT_EV_TASK_STARTED] = {"task_started", {"id", "cause", "priority"}, NULL},
    /* cause and priority: only traces from before 2026-12 carry them (a
     * field a trace lacks reads 0) */
    [RTT_EV_TASK_FINISHED] = {"task_finished",
        {"id", "cause", "priority", "outcome", "status", "cpu_ns"}, NULL},
    [RTT_EV_EVENT_QUEUED] = {"event_queued",
        {"id", "cause", "priority", "type", "path"}, NULL},
    [RTT_EV_EVENT_DISPATCHED] = {"event_dispatched",
        {"id", "cause", "priority", "type", "path", "result", "handlers",
         "duration_ns"}, NULL},
    [RTT_EV_TIMER_ARMED] = {"timer_armed",
        {"id", "cause", "priority", "deadline_ns", "interval_ns"}, "name"},
    [RTT_EV_TIMER_FIRED] = {"timer_fired",
        {"id", "cause", "priority", "deadline_ns", "now_ns", "lateness_ns",
         "missed", "task_id"}, NULL},
    [RTT_EV_TIMER_CANCELLED] = {"timer_cancelled",
        {"id", "cause", "priority", "voided_task_id"}, NULL},
    [RTT_EV_DROP] = {"drop", {"id", "cause", "priority", "kind", "reason"},
        NULL},
    [RTT_EV_TICK_BEGIN] = {"tick_begin", {"tick", "now_ns"}, NULL},
    [RTT_EV_TICK_END] = {"tick_end",
        {"tick", "commands", "timers", "events", "tasks", "async_events",
         "rendered"}, NULL},
    [RTT_EV_STATE_CHANGE] = {"state_change", {"cause", "from", "to"}, NULL},
    [RTT_EV_RENDER_REQUEST] = {"render_request", {"id", "cause", "coalesced"},
        NULL},
    [RTT_EV_RENDER_BEGIN] = {"render_begin", {"id", "frame", "requests"},
        NULL},
    [RTT_EV_RENDER_END] = {"render_end", {"id", "frame"}, NULL},
    [RTT_EV_STATS] = {"stats",
        {"state", "work_queue_len", "event_queue_len", "async_queue_len",
         "active_timers", "tasks_executed", "tasks_failed", "tasks_voided",
         "events_dispatched", "async_dispatched", "timers_fired",
         "timer_missed_periods", "commands_handled", "renders",
         "drops_work_queue_full", "drops_event_queue_full",
         "drops_async_queue_full", "drops_timer_limit",
         "drops_command_refused", "drops_command_queue_full",
         "drops_not_running", "drops_emergency", "drops_shutdown",
         "loop_count", "idle_ns"}, NULL},
    [RTT_EV_INPUT] = {"input", {"id", "cause", "input_ns", "now_ns"}, "name"},
};

int rtt_event_kind(const char *name)
{
    for (int k = 0; k < RTT_EV__COUNT; k++)
        if (strcmp(rtt_events[k].name, name) == 0)
            return k;
    return -1;
}

int rtt_event_nfields(int kind)
{
    int n = 0;
    while (n < RTT_MAX_FIELDS && rtt_events[kind].fields[n])
        n++;
    return n;
}
