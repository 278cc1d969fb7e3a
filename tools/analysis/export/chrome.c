/* chrome.c - a run database as Chrome Trace Event JSON (see chrome.h).
 *
 * The file is {"displayTimeUnit":"ns","otherData":{...},"traceEvents":[...]}
 * with the events in streams, each one query in timestamp order: process
 * and thread names (M), task, dispatch and render slices (X), queue waits
 * (b/e), frames, drops and inputs (i), queue lengths (C), then the cause
 * links (s/f, flows.c), last so that an importer reading events of equal
 * timestamps in file order has opened the slices they bind to. Timestamps
 * are microseconds from the trace's first event (otherData.origin_ns), with
 * three decimals: every nanosecond kept, and small enough for a double. */
#include "chrome.h"

#include "bounds.h"
#include "export_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int is_null(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL;
}

/* ,"key":value or ,"key":null for an integer column. */
static void arg_int(jw_t *w, const char *key, sqlite3_stmt *st, int col)
{
    if (is_null(st, col))
        jw_fmt(w, ",\"%s\":null", key);
    else
        jw_kv(w, key, (int64_t)sqlite3_column_int64(st, col));
}

/* ,"key":"word" for a small enumeration column (its number when out of
 * range, null when NULL). */
static void arg_enum(jw_t *w, const char *key, sqlite3_stmt *st, int col,
                     const char *const *words, int nwords)
{
    if (is_null(st, col)) {
        jw_fmt(w, ",\"%s\":null", key);
        return;
    }
    int64_t v = sqlite3_column_int64(st, col);
    if (v >= 0 && v < nwords) {
        jw_raw(w, ",\"", 2);
        jw_lit(w, key);
        jw_raw(w, "\":\"", 3);
        jw_lit(w, words[v]);
        jw_raw(w, "\"", 1);
    } else {
        jw_kv(w, key, v);
    }
}

static void dur(jw_t *w, int64_t b, int64_t e)
{
    jw_lit(w, ",\"dur\":");
    jw_us(w, e > b ? e - b : 0);
}

/* What tells a task slice from a dispatch slice: both streams have the
 * same columns, proc, id, cause, priority, type (a dispatch's; a task's
 * name), path or source (enum5), queued_ts, begin_ts, end_ts, result or
 * outcome (enum9), handlers or status (int10), flags. */
typedef struct slice_kind {
    int kind;            /* KIND_TASK or KIND_EVENT: which lanes */
    const char *cat;     /* the trace event's "cat" */
    const char *type;    /* column 4 as an integer arg, or NULL */
    const char *enum5, *const *words5;
    int nwords5;
    const char *enum9, *const *words9;
    int nwords9;
    const char *int10;
} slice_kind_t;

/* One "X" slice named name on its priority lane, its args in the columns'
 * order, then queue_wait_ns (begin - queued) and flags. 1 written, 0 its
 * process is unknown. */
static int slice_row(xctx_t *x, sqlite3_stmt *st, const slice_kind_t *k, const char *name)
{
    const xproc_t *p = lanes_proc(x->lanes, sqlite3_column_int64(st, 0));
    if (!p)
        return 0;
    int lane = lanes_prio(p, k->kind, !is_null(st, 3), sqlite3_column_int64(st, 3));
    int64_t b = sqlite3_column_int64(st, 7), e = sqlite3_column_int64(st, 8);
    jw_head(x->w, 'X', k->cat, name, p->pid, lanes_tid(p, lane), b);
    dur(x->w, b, e);
    jw_lit(x->w, ",\"args\":{\"id\":");
    jw_i64(x->w, (int64_t)sqlite3_column_int64(st, 1));
    arg_int(x->w, "cause", st, 2);
    arg_int(x->w, "priority", st, 3);
    if (k->type)
        arg_int(x->w, k->type, st, 4);
    arg_enum(x->w, k->enum5, st, 5, k->words5, k->nwords5);
    arg_enum(x->w, k->enum9, st, 9, k->words9, k->nwords9);
    arg_int(x->w, k->int10, st, 10);
    if (is_null(st, 6))
        jw_lit(x->w, ",\"queue_wait_ns\":null");
    else
        jw_kv(x->w, "queue_wait_ns", b - (int64_t)sqlite3_column_int64(st, 6));
    arg_int(x->w, "flags", st, 11);
    jw_lit(x->w, "}}");
    return 1;
}

/* tasks: proc, id, cause, priority, name, source, queued_ts, started_ts,
 * finished_ts, outcome, status, flags */
static int task_row(xctx_t *x, sqlite3_stmt *st)
{
    static const char *const sources[] = {"submit", "timer", "command"};
    static const char *const outcomes[] = {"ok", "failed", "abandoned", "voided"};
    static const slice_kind_t task = {KIND_TASK, "task", NULL, "source", sources, 3,
                                      "outcome", outcomes, 4, "status"};
    const char *name = (const char *)sqlite3_column_text(st, 4);
    x->n->task_slices += slice_row(x, st, &task, name ? name : "task");
    return 0;
}

/* dispatches: proc, id, cause, priority, type, path, queued_ts, begin_ts,
 * end_ts, result, handlers, flags */
static int dispatch_row(xctx_t *x, sqlite3_stmt *st)
{
    static const char *const paths[] = {"queue", "async", "direct"};
    static const char *const results[] = {"not handled", "handled", "consumed"};
    static const slice_kind_t dispatch = {KIND_EVENT, "event", "type", "path", paths, 3,
                                          "result", results, 3, "handlers"};
    char name[48];
    if (is_null(st, 4))
        snprintf(name, sizeof name, "event");
    else
        snprintf(name, sizeof name, "event type %" PRId64,
                 (int64_t)sqlite3_column_int64(st, 4));
    x->n->dispatch_slices += slice_row(x, st, &dispatch, name);
    return 0;
}

/* renders: proc, id, frame, begin_ts, end_ts, requests */
static int render_row(xctx_t *x, sqlite3_stmt *st)
{
    const xproc_t *p = lanes_proc(x->lanes, sqlite3_column_int64(st, 0));
    if (!p)
        return 0;
    int64_t b = sqlite3_column_int64(st, 3);
    int64_t e = is_null(st, 4) ? b : sqlite3_column_int64(st, 4);
    jw_head(x->w, 'X', "render", "render", p->pid, lanes_tid(p, LANE_LOOP), b);
    dur(x->w, b, e);
    jw_fmt(x->w, ",\"args\":{\"id\":%" PRId64, (int64_t)sqlite3_column_int64(st, 1));
    arg_int(x->w, "frame", st, 2);
    arg_int(x->w, "requests", st, 5);
    jw_fmt(x->w, ",\"app_took_flag\":%s}}", is_null(st, 4) ? "true" : "false");
    x->n->render_slices++;
    return 0;
}

/* tasks: proc, id, priority, name, queued_ts, started_ts */
static int wait_row(xctx_t *x, sqlite3_stmt *st)
{
    const xproc_t *p = lanes_proc(x->lanes, sqlite3_column_int64(st, 0));
    if (!p)
        return 0;
    int lane = lanes_prio(p, KIND_TASK, !is_null(st, 2), sqlite3_column_int64(st, 2));
    const char *name = (const char *)sqlite3_column_text(st, 3);
    int64_t proc = sqlite3_column_int64(st, 0), id = sqlite3_column_int64(st, 1);
    int64_t q = sqlite3_column_int64(st, 4), s = sqlite3_column_int64(st, 5);
    uint32_t tid = lanes_tid(p, lane);
    jw_head(x->w, 'b', "queue", name ? name : "task", p->pid, tid, q);
    jw_lit(x->w, ",\"id\":\"");
    jw_i64(x->w, proc);
    jw_raw(x->w, ".", 1);
    jw_i64(x->w, id);
    jw_lit(x->w, "\",\"args\":{\"task\":");
    jw_i64(x->w, id);
    jw_lit(x->w, "}}");
    jw_head(x->w, 'e', "queue", name ? name : "task", p->pid, tid, s > q ? s : q);
    jw_lit(x->w, ",\"id\":\"");
    jw_i64(x->w, proc);
    jw_raw(x->w, ".", 1);
    jw_i64(x->w, id);
    jw_lit(x->w, "\"}");
    x->n->queue_waits++;
    return 0;
}

/* ticks: proc, tick, begin_ts, end_ts */
static int frame_row(xctx_t *x, sqlite3_stmt *st)
{
    const xproc_t *p = lanes_proc(x->lanes, sqlite3_column_int64(st, 0));
    if (!p)
        return 0;
    int64_t b = sqlite3_column_int64(st, 2);
    int known = !is_null(st, 3);
    int64_t d = known ? sqlite3_column_int64(st, 3) - b : 0;
    int over = known && d > x->o->budget_ns;
    jw_head(x->w, 'i', "frame", over ? "frame over budget" : "frame", p->pid,
            lanes_tid(p, LANE_FRAMES), b);
    jw_fmt(x->w, ",\"s\":\"t\",\"args\":{\"tick\":%" PRId64,
           (int64_t)sqlite3_column_int64(st, 1));
    if (known)
        jw_fmt(x->w, ",\"dur_ns\":%" PRId64, d);
    else
        jw_lit(x->w, ",\"dur_ns\":null");
    jw_fmt(x->w, ",\"budget_ns\":%" PRId64 ",\"over_budget\":%s}}", x->o->budget_ns,
           over ? "true" : "false");
    x->n->frames++;
    return 0;
}

/* drops: proc, ts, id, cause, priority, kind name, reason name */
static int drop_row(xctx_t *x, sqlite3_stmt *st)
{
    const xproc_t *p = lanes_proc(x->lanes, sqlite3_column_int64(st, 0));
    if (!p)
        return 0;
    const char *reason = (const char *)sqlite3_column_text(st, 6);
    char name[64];
    snprintf(name, sizeof name, "drop: %s", reason ? reason : "unknown");
    jw_head(x->w, 'i', "drop", name, p->pid, lanes_tid(p, LANE_DROPS),
            sqlite3_column_int64(st, 1));
    jw_lit(x->w, ",\"s\":\"t\",\"args\":{\"kind\":");
    jw_str(x->w, (const char *)sqlite3_column_text(st, 5));
    arg_int(x->w, "id", st, 2);
    arg_int(x->w, "cause", st, 3);
    arg_int(x->w, "priority", st, 4);
    jw_lit(x->w, "}}");
    x->n->drops++;
    return 0;
}

/* inputs: proc, id, name, input_ts, ts */
static int input_row(xctx_t *x, sqlite3_stmt *st)
{
    const xproc_t *p = lanes_proc(x->lanes, sqlite3_column_int64(st, 0));
    if (!p)
        return 0;
    const char *nm = (const char *)sqlite3_column_text(st, 2);
    int64_t at = sqlite3_column_int64(st, 3);
    jw_head(x->w, 'i', "input", nm ? nm : "input", p->pid, lanes_tid(p, LANE_INPUTS), at);
    jw_fmt(x->w, ",\"s\":\"t\",\"args\":{\"id\":%" PRId64 ",\"marked_after_ns\":%" PRId64 "}}",
           (int64_t)sqlite3_column_int64(st, 1), (int64_t)sqlite3_column_int64(st, 4) - at);
    x->n->inputs++;
    return 0;
}

/* stats: proc, ts, work_queue_len, event_queue_len, async_queue_len,
 * active_timers */
static int counter_row(xctx_t *x, sqlite3_stmt *st)
{
    static const char *const keys[] = {"work_queue", "event_queue", "async_queue",
                                       "active_timers"};
    const xproc_t *p = lanes_proc(x->lanes, sqlite3_column_int64(st, 0));
    if (!p)
        return 0;
    jw_head(x->w, 'C', "stats", "queue lengths", p->pid, lanes_tid(p, LANE_LOOP),
            sqlite3_column_int64(st, 1));
    jw_lit(x->w, ",\"args\":{");
    int first = 1;
    for (int k = 0; k < 4; k++) {
        if (is_null(st, 2 + k))
            continue;
        jw_fmt(x->w, "%s\"%s\":%" PRId64, first ? "" : ",", keys[k],
               (int64_t)sqlite3_column_int64(st, 2 + k));
        first = 0;
    }
    jw_lit(x->w, "}}");
    x->n->counters++;
    return 0;
}

static const struct stream {
    const char *what;
    const char *sql;
    x_row_fn fn;
} streams[] = {
    {"reading tasks",
     "SELECT proc, id, cause, priority, name, source, queued_ts, started_ts, finished_ts,"
     " outcome, status, flags FROM tasks"
     " WHERE started_ts IS NOT NULL AND finished_ts IS NOT NULL ORDER BY started_ts",
     task_row},
    {"reading dispatches",
     "SELECT proc, id, cause, priority, type, path, queued_ts, begin_ts, end_ts, result,"
     " handlers, flags FROM dispatches"
     " WHERE begin_ts IS NOT NULL AND end_ts IS NOT NULL ORDER BY begin_ts",
     dispatch_row},
    {"reading renders",
     "SELECT proc, id, frame, begin_ts, end_ts, requests FROM renders"
     " WHERE begin_ts IS NOT NULL ORDER BY proc, begin_ts",
     render_row},
    {"reading queue waits",
     "SELECT proc, id, priority, name, queued_ts, started_ts FROM tasks"
     " WHERE queued_ts IS NOT NULL AND started_ts IS NOT NULL ORDER BY queued_ts",
     wait_row},
    {"reading frames",
     "SELECT proc, tick, begin_ts, end_ts FROM ticks"
     " WHERE rendered = 1 AND begin_ts IS NOT NULL ORDER BY begin_ts",
     frame_row},
    {"reading drops",
     "SELECT d.proc, d.ts, d.id, d.cause, d.priority, k.name, r.name FROM drops d"
     " LEFT JOIN item_kinds k ON k.kind = d.kind"
     " LEFT JOIN drop_reasons r ON r.reason = d.reason ORDER BY d.ts",
     drop_row},
    {"reading inputs",
     "SELECT proc, id, name, input_ts, ts FROM inputs ORDER BY input_ts", input_row},
    {"reading stats",
     "SELECT proc, ts, work_queue_len, event_queue_len, async_queue_len, active_timers"
     " FROM stats ORDER BY proc, ts",
     counter_row},
};

/* The origin of every timestamp: the trace's first event, or an earlier
 * input (an input happens before it is marked). */
static int origin_of(sqlite3 *db, int64_t *origin)
{
    rtt_bounds_t b;
    if (rtt_trace_bounds(db, &b))
        return -1;
    int64_t v[2];
    if (rtt_sql_ints(db, "SELECT COUNT(input_ts), MIN(input_ts) FROM inputs", v, 2))
        return -1;
    *origin = b.known ? b.start : 0;
    if (v[0] > 0 && (!b.known || v[1] < *origin))
        *origin = v[1];
    return 0;
}

int rtt_export_chrome(sqlite3 *db, const rtt_export_opts_t *opts, rtt_sink_fn sink,
                      void *ctx, rtt_export_counts_t *n, char *err, size_t errlen)
{
    rtt_export_counts_t local;
    if (!n)
        n = &local;
    memset(n, 0, sizeof *n);
    int64_t origin;
    if (origin_of(db, &origin)) {
        snprintf(err, errlen, "reading the trace bounds: %s", sqlite3_errmsg(db));
        return -1;
    }
    lanes_t lanes;
    if (lanes_load(db, &lanes, err, errlen))
        return -1;
    jw_t *w = sqlite3_malloc(sizeof *w); /* 64 KiB: not on the stack */
    if (!w) {
        lanes_free(&lanes);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    jw_init(w, sink, ctx, origin);
    xctx_t x = {.db = db, .w = w, .lanes = &lanes, .o = opts, .n = n, .err = err,
                .errlen = errlen};
    jw_fmt(w, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"rt-trace export\","
              "\"origin_ns\":%" PRId64 ",\"frame_budget_ns\":%" PRId64 "},\n"
              "\"traceEvents\":[",
           origin, opts->budget_ns);
    lanes_write_meta(&lanes, w, &n->process_names, &n->thread_names);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof streams / sizeof streams[0]; i++)
        rc = x_each(&x, streams[i].sql, streams[i].what, streams[i].fn);
    if (rc == 0)
        rc = x_flows(&x);
    if (rc == 0) {
        jw_lit(w, "\n]}\n");
        if (jw_flush(w))
            rc = -2;
    }
    if (rc == 0 || w->failed) {
        if (w->failed) {
            rc = -2;
            snprintf(err, errlen, "write failed");
        }
    }
    n->events = w->events;
    n->bytes = w->bytes;
    sqlite3_free(w);
    lanes_free(&lanes);
    return rc;
}
