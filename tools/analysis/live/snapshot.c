/* snapshot.c - a live snapshot as one JSON object (NDJSON line) and as one
 * plain-text line (see snapshot.h). Keys are stable (docs/rt-trace.md,
 * "rt-trace live"): only ever added. Cost: O(size of the text), no
 * allocation. */
#include "snapshot.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const int rtt_live_window_s[RTT_LIVE_NWINDOWS] = {1, 10, 60};

const char *const rtt_live_measure_key[RTT_LIVE_NMEASURES] = {
    "queue_wait", "run_time", "interaction", "frame"};

static const char *const reason_key[RTT_LIVE_NREASONS] = {
    "work_queue_full", "event_queue_full", "async_queue_full", "timer_limit",
    "command_refused", "command_queue_full", "not_running", "emergency",
    "shutdown"};

typedef struct out {
    char *buf;
    size_t len, off;
    int over;
} out_t;

static void put(out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out_t *o, const char *fmt, ...)
{
    if (o->over)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->off, o->len - o->off, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->len - o->off)
        o->over = 1;
    else
        o->off += (size_t)n;
}

/* A JSON string (escaped). */
static void str(out_t *o, const char *s)
{
    put(o, "\"");
    for (; *s && !o->over; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            put(o, "\\%c", c);
        else if (c < 0x20)
            put(o, "\\u%04x", c);
        else
            put(o, "%c", c);
    }
    put(o, "\"");
}

/* A value that may be unknown (< 0): null. */
static void opt_i(out_t *o, int64_t v)
{
    if (v < 0)
        put(o, "null");
    else
        put(o, "%" PRId64, v);
}

static void opt_d(out_t *o, double v)
{
    if (v < 0)
        put(o, "null");
    else
        put(o, "%.6g", v);
}

static void totals(out_t *o, const rtt_live_totals_t *t)
{
    put(o, "{\"tasks\":%" PRId64 ",\"events\":%" PRId64 ",\"commands\":%" PRId64
           ",\"timer_fires\":%" PRId64 ",\"renders\":%" PRId64
           ",\"trace_events\":%" PRId64 ",\"interactions\":%" PRId64 "}",
        t->tasks, t->events, t->commands, t->timer_fires, t->renders, t->trace_events,
        t->interactions);
}

static void reasons(out_t *o, const int64_t *v)
{
    put(o, "{");
    for (int i = 0; i < RTT_LIVE_NREASONS; i++)
        put(o, "%s\"%s\":%" PRId64, i ? "," : "", reason_key[i], v[i]);
    put(o, "}");
}

int rtt_live_snapshot_json(const rtt_live_snapshot_t *s, char *buf, size_t len)
{
    out_t o = {buf, len, 0, 0};
    put(&o, "{\"seq\":%" PRId64 ",\"elapsed_s\":%.3f,\"interval_s\":%.3f,\"session\":",
        s->seq, s->elapsed_s, s->interval_s);
    str(&o, s->session);
    put(&o, ",\"pid\":%" PRId64, s->pid);
    put(&o, ",\"rate\":{\"tasks\":%.3f,\"events\":%.3f,\"commands\":%.3f,"
            "\"timer_fires\":%.3f,\"renders\":%.3f,\"trace_events\":%.3f}",
        s->rate.tasks, s->rate.events, s->rate.commands, s->rate.timer_fires,
        s->rate.renders, s->rate.trace_events);
    put(&o, ",\"total\":");
    totals(&o, &s->total);
    put(&o, ",\"delta\":");
    totals(&o, &s->delta);
    put(&o, ",\"latency\":{");
    for (int m = 0; m < RTT_LIVE_NMEASURES; m++) {
        put(&o, "%s\"%s\":{", m ? "," : "", rtt_live_measure_key[m]);
        for (int w = 0; w < RTT_LIVE_NWINDOWS; w++) {
            const rtt_live_pct_t *p = &s->pct[m][w];
            put(&o, "%s\"%ds\":{\"count\":%" PRId64 ",\"p50_ns\":", w ? "," : "",
                rtt_live_window_s[w], p->count);
            opt_i(&o, p->p50_ns);
            put(&o, ",\"p90_ns\":");
            opt_i(&o, p->p90_ns);
            put(&o, ",\"p99_ns\":");
            opt_i(&o, p->p99_ns);
            put(&o, ",\"max_ns\":");
            opt_i(&o, p->max_ns);
            put(&o, "}");
        }
        put(&o, "}");
    }
    put(&o, "},\"drops\":");
    reasons(&o, s->drops);
    put(&o, ",\"drops_new\":");
    reasons(&o, s->drops_new);
    put(&o, ",\"tracer\":{\"discarded_events\":%" PRId64 ",\"discarded_events_new\":%" PRId64
            ",\"lost_packets\":%" PRId64 ",\"lost_packets_new\":%" PRId64 "}",
        s->discarded_events, s->discarded_events_new, s->lost_packets,
        s->lost_packets_new);
    const rtt_live_runtime_t *r = &s->runtime;
    put(&o, ",\"runtime\":");
    if (!r->have) {
        put(&o, "null");
    } else {
        put(&o, "{\"ts\":%" PRId64 ",\"work_queue_len\":%" PRId64 ",\"event_queue_len\":%" PRId64
                ",\"async_queue_len\":%" PRId64 ",\"active_timers\":%" PRId64
                ",\"loop_count\":%" PRId64 ",\"idle_share\":",
            r->ts, r->work_queue_len, r->event_queue_len, r->async_queue_len,
            r->active_timers, r->loop_count);
        opt_d(&o, r->idle_share);
        put(&o, ",\"tasks_executed\":%" PRId64 ",\"events_dispatched\":%" PRId64
                ",\"commands_handled\":%" PRId64 ",\"timers_fired\":%" PRId64
                ",\"renders\":%" PRId64 ",\"drops\":",
            r->tasks_executed, r->events_dispatched, r->commands_handled, r->timers_fired,
            r->renders);
        reasons(&o, r->drops);
        put(&o, "}");
    }
    const rtt_live_derived_t *d = &s->derived;
    put(&o, ",\"derived\":{\"work_queue_len\":%" PRId64 ",\"loop_count\":%" PRId64
            ",\"idle_share\":",
        d->work_queue_len, d->loop_count);
    opt_d(&o, d->idle_share);
    put(&o, ",\"tasks_executed\":%" PRId64 ",\"events_dispatched\":%" PRId64
            ",\"commands_handled\":%" PRId64 ",\"timers_fired\":%" PRId64
            ",\"renders\":%" PRId64 ",\"drops\":",
        d->tasks_executed, d->events_dispatched, d->commands_handled, d->timers_fired,
        d->renders);
    reasons(&o, d->drops);
    put(&o, "},\"disagree\":%s,\"disagree_text\":", s->disagree ? "true" : "false");
    str(&o, s->disagree_text);
    put(&o, ",\"running\":");
    if (s->running.present) {
        put(&o, "{\"name\":");
        str(&o, s->running.name);
        put(&o, ",\"id\":%" PRIu64 ",\"pid\":%" PRId64 ",\"running_ns\":%" PRId64 "}",
            s->running.id, s->running.pid, s->running.running_ns);
    } else {
        put(&o, "null");
    }
    put(&o, ",\"worst\":[");
    for (int i = 0; i < s->nworst && i < RTT_LIVE_WORST; i++) {
        const rtt_live_worst_t *w = &s->worst[i];
        put(&o, "%s{\"name\":", i ? "," : "");
        str(&o, w->name);
        put(&o, ",\"id\":%" PRIu64 ",\"pid\":%" PRId64 ",\"ts\":%" PRId64
                ",\"latency_ns\":%" PRId64 ",\"cause\":",
            w->id, w->pid, w->ts, w->latency_ns);
        str(&o, w->cause);
        put(&o, "}");
    }
    put(&o, "],\"staleness_s\":");
    if (s->staleness_s < 0 && s->watermark_ts == 0)
        put(&o, "null");
    else
        put(&o, "%.3f", s->staleness_s);
    put(&o, ",\"watermark_ts\":%" PRId64 ",\"exited\":%s,\"exit_status\":", s->watermark_ts,
        s->exited ? "true" : "false");
    opt_i(&o, s->exit_status);
    put(&o, ",\"final\":%s,\"lints\":[", s->final ? "true" : "false");
    for (int i = 0; i < s->nlints && i < RTT_LIVE_LINTS; i++) {
        const rtt_live_lint_t *l = &s->lints[i];
        put(&o, "%s{\"rule\":", i ? "," : "");
        str(&o, l->rule);
        put(&o, ",\"message\":");
        str(&o, l->message);
        put(&o, ",\"ts\":%" PRId64 ",\"id\":%" PRIu64 "}", l->ts, l->id);
    }
    put(&o, "],\"db\":%s}", s->db ? "true" : "false");
    return o.over ? -1 : (int)o.off;
}

/* "1.2ms", "850us", "-" */
static void dur(char *b, size_t n, int64_t ns)
{
    if (ns < 0)
        snprintf(b, n, "-");
    else if (ns >= 1000000000)
        snprintf(b, n, "%.2fs", (double)ns / 1e9);
    else if (ns >= 1000000)
        snprintf(b, n, "%.1fms", (double)ns / 1e6);
    else
        snprintf(b, n, "%.0fus", (double)ns / 1e3);
}

int rtt_live_snapshot_line(const rtt_live_snapshot_t *s, char *buf, size_t len)
{
    out_t o = {buf, len, 0, 0};
    char a[32], b[32], c[32];
    int64_t drops = 0, dnew = 0;
    for (int i = 0; i < RTT_LIVE_NREASONS; i++)
        drops += s->drops[i], dnew += s->drops_new[i];
    const rtt_live_pct_t *qw = &s->pct[RTT_LIVE_QUEUE_WAIT][1];
    const rtt_live_pct_t *rt = &s->pct[RTT_LIVE_RUN_TIME][1];
    const rtt_live_pct_t *fr = &s->pct[RTT_LIVE_FRAME][1];
    dur(a, sizeof a, qw->p99_ns);
    dur(b, sizeof b, rt->p99_ns);
    dur(c, sizeof c, fr->p99_ns);
    put(&o, "[%6.1fs] tasks %.0f/s events %.0f/s commands %.0f/s timers %.0f/s "
            "renders %.0f/s | 10s p99: wait %s run %s frame %s | drops %" PRId64
            " (+%" PRId64 ") discarded %" PRId64 " | stale %.2fs",
        s->elapsed_s, s->rate.tasks, s->rate.events, s->rate.commands,
        s->rate.timer_fires, s->rate.renders, a, b, c, drops, dnew, s->discarded_events,
        s->staleness_s < 0 ? 0.0 : s->staleness_s);
    if (s->running.present) {
        dur(a, sizeof a, s->running.running_ns);
        put(&o, " | running %s#%" PRIu64 " for %s",
            s->running.name[0] ? s->running.name : "task", s->running.id, a);
    }
    if (s->disagree)
        put(&o, " | DISAGREE: %s", s->disagree_text);
    return o.over ? -1 : (int)o.off;
}
