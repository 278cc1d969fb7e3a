/* observe.c - the live engine's observers (see live_internal.h): every
 * decoded rtk event (the sink's observer: counters to compare with
 * rtk:stats, the running task, queue and loop state, the watermark) and
 * every paired row (the pairing's observer: counts, queue wait, run time,
 * frame time, drops), and the comparison of the runtime's counters with
 * the trace's. O(1) per event and per row, no allocation. */
#include "live_internal.h"

#include "events.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* --- observers -------------------------------------------------------------- */

static int64_t vi(const rtt_val_t *v, int i, int *have)
{
    *have = v[i].t == RTT_V_INT;
    return v[i].i;
}

void rtt__live_on_row(void *ctx, int table, const rtt_val_t *v)
{
    rtt_live_t *l = ctx;
    int h1, h2;
    switch (table) {
    case RTT_ROW_TASK: {
        l->total.tasks++;
        int64_t q = vi(v, 8, &h1), s = vi(v, 9, &h2);
        if (h1 && h2)
            rtt_window_add(&l->win[RTT_LIVE_QUEUE_WAIT], s - q);
        int64_t f = vi(v, 10, &h1);
        if (h1 && h2)
            rtt_window_add(&l->win[RTT_LIVE_RUN_TIME], f - s);
        break;
    }
    case RTT_ROW_DISPATCH:
        l->total.events++;
        break;
    case RTT_ROW_COMMAND:
        l->total.commands++;
        break;
    case RTT_ROW_FIRE:
        l->total.timer_fires++;
        break;
    case RTT_ROW_RENDER:
        l->total.renders++;
        break;
    case RTT_ROW_TICK: {
        int64_t b = vi(v, 3, &h1), e = vi(v, 4, &h2);
        int hr;
        int64_t rendered = vi(v, 11, &hr);
        if (h1 && h2 && hr && rendered == 1)
            rtt_window_add(&l->win[RTT_LIVE_FRAME], e - b);
        break;
    }
    case RTT_ROW_DROP: {
        int64_t reason = vi(v, 7, &h1);
        if (h1 && reason >= 0 && reason < RTT_LIVE_NREASONS)
            l->drops[reason]++;
        break;
    }
    default:
        break;
    }
}

static void on_stats(rtt_live_t *l, int p, int64_t ts, const int64_t *f)
{
    rtt_live_runtime_t *r = &l->rt;
    r->have = 1;
    r->work_queue_len = f[1];
    r->event_queue_len = f[2];
    r->async_queue_len = f[3];
    r->active_timers = f[4];
    r->tasks_executed = f[5];
    r->events_dispatched = f[8] + f[9];
    r->timers_fired = f[10];
    r->commands_handled = f[12];
    r->renders = f[13];
    for (int i = 0; i < RTT_LIVE_NREASONS; i++)
        r->drops[i] = f[14 + i];
    r->loop_count = f[23];
    /* time in ticks up to this event, the tick it is emitted from counted
     * up to now: both idle shares then cover exactly [previous stats,
     * this one] (counting whole ticks at their end skews short windows,
     * such as the last stats a stopping runtime emits right after one) */
    int64_t busy = l->busy_ns;
    if (p >= 0 && l->tick_begin_ts[p] && ts >= l->tick_begin_ts[p])
        busy += ts - l->tick_begin_ts[p];
    if (l->prev_stats_ts && ts > l->prev_stats_ts) {
        double dt = (double)(ts - l->prev_stats_ts);
        r->idle_share = (double)(f[24] - l->prev_idle_ns) / dt;
        l->derived_idle = 1.0 - (double)(busy - l->prev_busy_ns) / dt;
        if (l->derived_idle < 0)
            l->derived_idle = 0;
    } else {
        r->idle_share = -1;
        l->derived_idle = -1;
    }
    l->prev_stats_ts = ts;
    l->prev_idle_ns = f[24];
    l->prev_busy_ns = busy;
    r->ts = ts;
    counters_t c = {.tasks_executed = r->tasks_executed,
                    .events_dispatched = r->events_dispatched,
                    .commands_handled = r->commands_handled,
                    .timers_fired = r->timers_fired,
                    .renders = r->renders};
    memcpy(c.drops, r->drops, sizeof c.drops);
    l->rt_c = c;
    l->rt_derived = l->derived;
    if (!l->have_base) {
        /* counters from here on: a view attached late compares deltas */
        l->have_base = 1;
        l->base_rt = c;
        l->base_derived = l->derived;
    }
}

void rtt__live_on_event(void *ctx, int proc, int kind, int64_t ts, const int64_t *f,
                     const char *str)
{
    rtt_live_t *l = ctx;
    if (ts > l->watermark)
        l->watermark = ts;
    l->total.trace_events++;
    int p = proc >= 0 && proc < MAX_PROCS ? proc : -1;
    switch (kind) {
    case RTT_EV_TASK_QUEUED: {
        l->queued_now++;
        name_slot_t *n = &l->names[(uint64_t)f[0] % NAME_CACHE];
        n->id = (uint64_t)f[0];
        n->proc = proc;
        snprintf(n->name, sizeof n->name, "%s", str ? str : "");
        break;
    }
    case RTT_EV_TASK_STARTED:
        if (l->queued_now > 0)
            l->queued_now--;
        if (p >= 0)
            l->run[p] = (running_t){.id = (uint64_t)f[0], .started_ts = ts, .active = 1};
        break;
    case RTT_EV_TASK_FINISHED:
        if (f[3] != 3)
            l->derived.tasks_executed++;
        else if (l->queued_now > 0)
            l->queued_now--; /* voided: never started */
        if (p >= 0 && l->run[p].active && l->run[p].id == (uint64_t)f[0])
            l->run[p].active = 0;
        break;
    case RTT_EV_EVENT_DISPATCHED:
        l->derived.events_dispatched++;
        break;
    case RTT_EV_COMMAND_HANDLED:
        l->derived.commands_handled++;
        break;
    case RTT_EV_TIMER_FIRED:
        l->derived.timers_fired++;
        break;
    case RTT_EV_RENDER_BEGIN:
        l->derived.renders++;
        break;
    case RTT_EV_DROP:
        if (f[4] >= 0 && f[4] < RTT_LIVE_NREASONS)
            l->derived.drops[f[4]]++;
        /* a queued task discarded at an emergency stop or shutdown (kind
         * 0, reasons 7 and 8) leaves the queue without starting */
        if (f[3] == 0 && (f[4] == 7 || f[4] == 8) && l->queued_now > 0)
            l->queued_now--;
        break;
    case RTT_EV_TICK_BEGIN:
        if (f[0] > l->loop_count)
            l->loop_count = f[0];
        if (p >= 0)
            l->tick_begin_ts[p] = ts;
        break;
    case RTT_EV_TICK_END:
        if (p >= 0 && l->tick_begin_ts[p] && ts >= l->tick_begin_ts[p]) {
            l->busy_ns += ts - l->tick_begin_ts[p];
            l->tick_begin_ts[p] = 0;
        }
        break;
    case RTT_EV_STATS:
        on_stats(l, p, ts, f);
        break;
    default:
        break;
    }
}

static void counters_diff(const counters_t *a, const counters_t *b, counters_t *d)
{
    d->tasks_executed = a->tasks_executed - b->tasks_executed;
    d->events_dispatched = a->events_dispatched - b->events_dispatched;
    d->commands_handled = a->commands_handled - b->commands_handled;
    d->timers_fired = a->timers_fired - b->timers_fired;
    d->renders = a->renders - b->renders;
    for (int i = 0; i < RTT_LIVE_NREASONS; i++)
        d->drops[i] = a->drops[i] - b->drops[i];
}

/* The runtime's counters against the events', both counted from the first
 * rtk:stats seen (a view that attached late saw no earlier events). */
void rtt__live_compare(const rtt_live_t *l, rtt_live_snapshot_t *s)
{
    static const char *const reason[RTT_LIVE_NREASONS] = {
        "work_queue_full", "event_queue_full", "async_queue_full", "timer_limit",
        "command_refused", "command_queue_full", "not_running", "emergency",
        "shutdown"};
    counters_t r, d;
    counters_diff(&l->rt_c, &l->base_rt, &r);
    counters_diff(&l->rt_derived, &l->base_derived, &d);
    struct { const char *k; int64_t a, b; } c[5 + RTT_LIVE_NREASONS] = {
        {"tasks_executed", r.tasks_executed, d.tasks_executed},
        {"events_dispatched", r.events_dispatched, d.events_dispatched},
        {"commands_handled", r.commands_handled, d.commands_handled},
        {"timers_fired", r.timers_fired, d.timers_fired},
        {"renders", r.renders, d.renders}};
    for (int i = 0; i < RTT_LIVE_NREASONS; i++) {
        c[5 + i].k = reason[i];
        c[5 + i].a = r.drops[i];
        c[5 + i].b = d.drops[i];
    }
    size_t off = 0;
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        if (c[i].a == c[i].b)
            continue;
        s->disagree = 1;
        int n = snprintf(s->disagree_text + off, sizeof s->disagree_text - off,
                         "%s%s runtime %" PRId64 " trace %" PRId64, off ? "; " : "",
                         c[i].k, c[i].a, c[i].b);
        if (n < 0 || (size_t)n >= sizeof s->disagree_text - off)
            break;
        off += (size_t)n;
    }
}
