/* live.c - the live engine (see live.h): owns the relay daemon, the
 * session, the stream (ingest's sink + row pairing), the optional
 * database, and the interval's figures.
 *
 * Figures come from two observers: the sink's (every decoded rtk event,
 * in time order: counters to compare with rtk:stats, the running task, the
 * watermark) and the pairing's (every row as ingest would store it:
 * counts, queue wait and run time of each task, frame times, drops), so
 * the live figures and a --record database come from the same rows.
 * Cost per event O(1); memory fixed: RTT_LIVE_NMEASURES rolling windows
 * (window.h) and a 4096-entry task-name cache, plus the pairing's open
 * items and, with --record, the writer's constant buffers.
 */
#define _GNU_SOURCE
#include "live.h"

#include "db.h"
#include "events.h"
#include "interactions.h"
#include "relayd.h"
#include "rows.h"
#include "session.h"
#include "sink.h"
#include "stream.h"
#include "window.h"
#include "writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef RTT_VERSION
#define RTT_VERSION "0"
#endif

#define MAX_TRACES 64
#define MAX_PROCS 64
#define NAME_CACHE 4096
#define FRAME_NS 16700000LL /* "longer than a frame" */

typedef struct counters {
    int64_t tasks_executed, events_dispatched, commands_handled, timers_fired, renders;
    int64_t drops[RTT_LIVE_NREASONS];
} counters_t;

typedef struct running {
    uint64_t id;
    int64_t started_ts;
    int active;
} running_t;

typedef struct name_slot {
    uint64_t id;
    int proc;
    char name[RTT_LIVE_NAME];
} name_slot_t;

struct rtt_live {
    rtt_live_opts_t o;
    rtt_relayd_t relayd;
    rtt_live_session_t session;
    rtt_sink_t sink;
    rtt_trace_in_t traces[MAX_TRACES];
    rtt_rows_t *rows;
    sqlite3 *db;
    int in_tx;
    rtt_stream_t *stream;
    int finished;
    int attached;    /* the viewer attached: the run has begun */

    /* interval state */
    int64_t seq;
    double t0, t_last;            /* monotonic: start, last snapshot */
    rtt_live_totals_t total, at_last;
    int64_t drops[RTT_LIVE_NREASONS], drops_last[RTT_LIVE_NREASONS];
    uint64_t disc_last, lost_last;
    rtt_window_t win[RTT_LIVE_NMEASURES];
    int win_slots[RTT_LIVE_NWINDOWS];
    int64_t watermark;

    /* raw-event state (sink observer) */
    counters_t derived;           /* counted from events */
    int64_t loop_count, busy_ns, tick_begin_ts[MAX_PROCS];
    int64_t queued_now;           /* tasks queued, not yet started or voided */
    running_t run[MAX_PROCS];
    name_slot_t *names;           /* NAME_CACHE */
    /* the latest rtk:stats and what the events said at that moment */
    rtt_live_runtime_t rt;
    counters_t rt_c, rt_derived;  /* at the latest stats */
    int have_base;
    counters_t base_rt, base_derived; /* at the first stats seen */
    int64_t prev_stats_ts, prev_idle_ns, prev_busy_ns;
    double derived_idle;
    /* interactions already counted (keys, sorted), those still in the
     * window the next interval loads */
    uint64_t *ix_keys;
    size_t ix_nkeys;
};

#define IX_LOOKBACK_NS 12000000000LL /* the window interactions are rebuilt from */
#define IX_WORST_NS 10000000000LL    /* "the worst of the last 10 s" */

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int64_t real_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* --- observers -------------------------------------------------------------- */

static int64_t vi(const rtt_val_t *v, int i, int *have)
{
    *have = v[i].t == RTT_V_INT;
    return v[i].i;
}

static void on_row(void *ctx, int table, const rtt_val_t *v)
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

static void on_stats(rtt_live_t *l, int64_t ts, const int64_t *f)
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
    if (l->prev_stats_ts && ts > l->prev_stats_ts) {
        double dt = (double)(ts - l->prev_stats_ts);
        r->idle_share = (double)(f[24] - l->prev_idle_ns) / dt;
        l->derived_idle = 1.0 - (double)(l->busy_ns - l->prev_busy_ns) / dt;
        if (l->derived_idle < 0)
            l->derived_idle = 0;
    } else {
        r->idle_share = -1;
        l->derived_idle = -1;
    }
    l->prev_stats_ts = ts;
    l->prev_idle_ns = f[24];
    l->prev_busy_ns = l->busy_ns;
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

static void on_event(void *ctx, int proc, int kind, int64_t ts, const int64_t *f,
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
        on_stats(l, ts, f);
        break;
    default:
        break;
    }
}

/* --- lifecycle ------------------------------------------------------------ */

static int db_begin(rtt_live_t *l, char *err, size_t errlen)
{
    if (sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot start a transaction (%s): %s",
                 sqlite3_errmsg(l->db), l->o.record_path);
        return -1;
    }
    l->in_tx = 1;
    return 0;
}

/* Everything paired so far into the database, trace rows brought up to
 * date, committed; a new transaction begun unless final. */
static int db_commit(rtt_live_t *l, int final, char *err, size_t errlen)
{
    if (!l->db)
        return 0;
    if (!final && rtt_rows_checkpoint(l->rows) != 0) {
        snprintf(err, errlen, "%s: %s", rtt_rows_errmsg(l->rows), l->o.record_path);
        return -1;
    }
    for (size_t i = 0; i < l->sink.ntraces; i++) {
        rtt_trace_in_t *t = &l->sink.traces[i];
        if (t->bt && rtt_rows_trace_end(l->rows, t->row, t->have_ts, t->first_ts,
                                        t->last_ts, t->events) != 0) {
            snprintf(err, errlen, "%s: %s", rtt_rows_errmsg(l->rows), l->o.record_path);
            return -1;
        }
    }
    sqlite3_exec(l->db,
                 "INSERT OR REPLACE INTO meta(key,value) VALUES"
                 "('rt_trace_version','" RTT_VERSION "'),"
                 "('last_ingest',strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                 NULL, NULL, NULL);
    if (sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot commit (%s): %s", sqlite3_errmsg(l->db),
                 l->o.record_path);
        return -1;
    }
    l->in_tx = 0;
    return final ? 0 : db_begin(l, err, errlen);
}

rtt_live_t *rtt_live_create(const rtt_live_opts_t *o, char *err, size_t errlen)
{
    rtt_live_t *l = calloc(1, sizeof *l);
    if (!l || !(l->names = calloc(NAME_CACHE, sizeof *l->names))) {
        free(l);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    l->o = *o;
    if (!l->o.live_timer_us)
        l->o.live_timer_us = 100000;
    if (l->o.interval_s <= 0)
        l->o.interval_s = 1;
    l->relayd.control_port = o->control_port ? o->control_port : 5342;
    l->relayd.data_port = o->data_port ? o->data_port : 5343;
    l->relayd.live_port = o->live_port ? o->live_port : 5344;
    for (int m = 0; m < RTT_LIVE_NMEASURES; m++)
        rtt_window_init(&l->win[m]);
    for (int w = 0; w < RTT_LIVE_NWINDOWS; w++) {
        int n = (int)((double)rtt_live_window_s[w] / l->o.interval_s + 0.5);
        l->win_slots[w] = n < 1 ? 1 : n > RTT_WINDOW_SLOTS ? RTT_WINDOW_SLOTS : n;
    }
    rtt_sink_init(&l->sink);
    l->sink.live = 1;
    l->sink.traces = l->traces;
    l->sink.captraces = MAX_TRACES;
    l->sink.observe = on_event;
    l->sink.observe_ctx = l;

    struct stat rst;
    if (o->record_path && stat(o->record_path, &rst) == 0 && rst.st_size > 0) {
        snprintf(err, errlen, "already exists (live writes a new database): %s",
                 o->record_path);
        goto fail;
    }
    if (o->attach) {
        if (rtt_live_session_attach(&l->session, o->attach, err, errlen) != 0)
            goto fail;
        if (!rtt_relayd_reachable(l->relayd.live_port)) {
            snprintf(err, errlen, "no relay daemon listens on 127.0.0.1:%d (session %s "
                                  "streams to another one?)",
                     l->relayd.live_port, o->attach);
            goto fail;
        }
    } else {
        if (rtt_relayd_ensure(&l->relayd, o->relayd_output, err, errlen) != 0)
            goto fail;
        if (rtt_live_session_create(&l->session, o->name, l->relayd.control_port,
                                    l->relayd.data_port, l->o.live_timer_us,
                                    o->subbuf_size, o->num_subbuf, err, errlen) != 0)
            goto fail;
    }
    /* the database last: a session or relay daemon failure leaves none */
    if (o->record_path) {
        if (rtt_db_open_or_create(o->record_path, &l->db, err, errlen) != 0)
            goto fail;
        /* WAL: queries read the last committed interval while we write */
        sqlite3_exec(l->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                            "PRAGMA cache_size=-4096;", NULL, NULL, NULL);
        if (db_begin(l, err, errlen) != 0)
            goto fail;
    }
    l->rows = rtt_rows_create(l->db, err, errlen);
    if (!l->rows)
        goto fail;
    rtt_rows_set_observer(l->rows, on_row, l);
    l->sink.rows = l->rows;

    return l;
fail:
    rtt_live_destroy(l);
    return NULL;
}

int rtt_live_track(rtt_live_t *l, pid_t pid, char *err, size_t errlen)
{
    return l->session.made ? rtt_live_session_track(&l->session, pid, err, errlen) : 0;
}

int rtt_live_start(rtt_live_t *l, char *err, size_t errlen)
{
    if (l->session.made && rtt_live_session_start(&l->session, err, errlen) != 0)
        return -1;
    l->stream = rtt_stream_open(&l->sink, l->relayd.live_port, l->session.hostname,
                                l->session.name, err, errlen);
    if (!l->stream)
        return -1;
    l->t0 = l->t_last = mono_s();
    /* the first run connects the viewer and attaches to the session, so
     * that what the program emits from now on is seen */
    int rc = rtt_stream_step(l->stream, 0, err, errlen);
    if (rc == 1) {
        snprintf(err, errlen, "session %s not found at the relay daemon on 127.0.0.1:%d",
                 l->session.name, l->relayd.live_port);
        return -1;
    }
    l->attached = rc == 0;
    return rc;
}

int rtt_live_step(rtt_live_t *l, double seconds, char *err, size_t errlen)
{
    return rtt_stream_step(l->stream, seconds, err, errlen);
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
static void compare(const rtt_live_t *l, rtt_live_snapshot_t *s)
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


/* --- interactions (with a database) ----------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t ix_key(const rtt_interaction_t *ix)
{
    uint64_t h = (uint64_t)ix->proc * 0x9E3779B97F4A7C15ull;
    h ^= ix->command_id + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    h ^= ix->input_id + 0x85EBCA77C2B2AE63ull + (h << 6) + (h >> 2);
    return h;
}

/* The vpid of database process `proc`, 0 if unknown. */
static int64_t proc_vpid(sqlite3 *db, int64_t proc)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(db, "SELECT vpid FROM procs WHERE proc = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, proc);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

/* The interactions model (analysis/interactions, the one `rt-trace
 * interactions` uses) over what the database holds of the last 12 s:
 * each interaction whose render completed is counted once into the
 * interaction window, and the worst of the last 10 s go to s->worst with
 * the head of their chain. Cost: O(rows of the last 12 s) per interval. */
static void interactions_update(rtt_live_t *l, rtt_live_snapshot_t *s)
{
    if (!l->db || !l->watermark)
        return;
    int64_t from = l->watermark - IX_LOOKBACK_NS;
    rtt_interactions_t *set = NULL;
    char err[256];
    if (rtt_interactions_load_since(l->db, from, &set, err, sizeof err) != 0)
        return;
    size_t n = rtt_interactions_count(set);
    uint64_t *keys = n ? malloc(n * sizeof *keys) : NULL;
    size_t *idx = n ? malloc(n * sizeof *idx) : NULL;
    size_t nk = 0;
    for (size_t i = 0; keys && i < n; i++) {
        const rtt_interaction_t *ix = rtt_interactions_get(set, i);
        if (!ix->has_render)
            continue;
        uint64_t k = ix_key(ix);
        keys[nk++] = k;
        if (l->ix_keys && bsearch(&k, l->ix_keys, l->ix_nkeys, sizeof k, cmp_u64))
            continue; /* counted in an earlier interval */
        rtt_window_add(&l->win[RTT_LIVE_INTERACTION], ix->latency_ns);
        l->total.interactions++;
    }
    if (keys) {
        qsort(keys, nk, sizeof *keys, cmp_u64);
        free(l->ix_keys);
        l->ix_keys = keys;
        l->ix_nkeys = nk;
    }
    size_t nw = idx ? rtt_interactions_worst(set, n, idx) : 0;
    for (size_t j = 0; j < nw && s->nworst < RTT_LIVE_WORST; j++) {
        const rtt_interaction_t *ix = rtt_interactions_get(set, idx[j]);
        if (ix->sent_ts < l->watermark - IX_WORST_NS)
            continue;
        rtt_live_worst_t *w = &s->worst[s->nworst++];
        snprintf(w->name, sizeof w->name, "%s",
                 ix->name && ix->name[0] ? ix->name : ix->input_id ? "input" : "");
        w->id = ix->input_id ? ix->input_id : ix->command_id;
        w->pid = proc_vpid(l->db, ix->proc);
        w->ts = ix->sent_ts;
        w->latency_ns = ix->latency_ns;
        rtt_interactions_chain(set, idx[j], w->cause, sizeof w->cause);
    }
    free(idx);
    rtt_interactions_free(set);
}

int rtt_live_snapshot(rtt_live_t *l, rtt_live_snapshot_t *s, char *err, size_t errlen)
{
    if (!l->finished && db_commit(l, 0, err, errlen) != 0)
        return -1;
    double now = mono_s();
    memset(s, 0, sizeof *s);
    interactions_update(l, s); /* committed rows: before the counts below */
    s->seq = ++l->seq;
    s->elapsed_s = now - l->t0;
    s->interval_s = now - l->t_last;
    double dt = s->interval_s > 1e-6 ? s->interval_s : 1e-6;
    l->t_last = now;
    snprintf(s->session, sizeof s->session, "%.63s", l->session.name);
    s->total = l->total;
    s->delta = (rtt_live_totals_t){
        .tasks = l->total.tasks - l->at_last.tasks,
        .events = l->total.events - l->at_last.events,
        .commands = l->total.commands - l->at_last.commands,
        .timer_fires = l->total.timer_fires - l->at_last.timer_fires,
        .renders = l->total.renders - l->at_last.renders,
        .trace_events = l->total.trace_events - l->at_last.trace_events,
        .interactions = l->total.interactions - l->at_last.interactions};
    l->at_last = l->total;
    s->rate = (rtt_live_rates_t){
        .tasks = (double)s->delta.tasks / dt, .events = (double)s->delta.events / dt,
        .commands = (double)s->delta.commands / dt,
        .timer_fires = (double)s->delta.timer_fires / dt,
        .renders = (double)s->delta.renders / dt,
        .trace_events = (double)s->delta.trace_events / dt};
    for (int m = 0; m < RTT_LIVE_NMEASURES; m++)
        for (int w = 0; w < RTT_LIVE_NWINDOWS; w++)
            rtt_window_pct(&l->win[m], l->win_slots[w], &s->pct[m][w]);
    for (int i = 0; i < RTT_LIVE_NREASONS; i++) {
        s->drops[i] = l->drops[i];
        s->drops_new[i] = l->drops[i] - l->drops_last[i];
        l->drops_last[i] = l->drops[i];
    }
    s->discarded_events = (int64_t)l->sink.discarded_events;
    s->discarded_events_new = (int64_t)(l->sink.discarded_events - l->disc_last);
    s->lost_packets = (int64_t)l->sink.lost_packets;
    s->lost_packets_new = (int64_t)(l->sink.lost_packets - l->lost_last);
    l->disc_last = l->sink.discarded_events;
    l->lost_last = l->sink.lost_packets;

    s->runtime = l->rt;
    rtt_live_derived_t *d = &s->derived;
    d->work_queue_len = l->queued_now;
    d->loop_count = l->loop_count;
    d->idle_share = l->rt.have ? l->derived_idle : -1;
    d->tasks_executed = l->rt_derived.tasks_executed;
    d->events_dispatched = l->rt_derived.events_dispatched;
    d->commands_handled = l->rt_derived.commands_handled;
    d->timers_fired = l->rt_derived.timers_fired;
    d->renders = l->rt_derived.renders;
    memcpy(d->drops, l->rt_derived.drops, sizeof d->drops);
    if (l->rt.have)
        compare(l, s);

    /* the stream is complete up to the newest event or the newest time an
     * idle stream vouched for (a program blocked in a long task emits
     * nothing, but the live timer still moves this on) */
    if (l->sink.inactivity_ts > l->watermark)
        l->watermark = l->sink.inactivity_ts;
    /* the longest-running task now, if longer than a frame */
    for (int p = 0; p < MAX_PROCS; p++) {
        const running_t *r = &l->run[p];
        if (!r->active || l->watermark - r->started_ts <= FRAME_NS)
            continue;
        int64_t ran = l->watermark - r->started_ts;
        if (s->running.present && ran <= s->running.running_ns)
            continue;
        s->running.present = 1;
        s->running.id = r->id;
        s->running.running_ns = ran;
        const name_slot_t *n = &l->names[r->id % NAME_CACHE];
        snprintf(s->running.name, sizeof s->running.name, "%s",
                 n->id == r->id ? n->name : "");
    }
    s->watermark_ts = l->watermark;
    s->staleness_s = l->watermark ? (double)(real_ns() - l->watermark) * 1e-9 : -1;
    s->exit_status = -1;
    for (int m = 0; m < RTT_LIVE_NMEASURES; m++)
        rtt_window_advance(&l->win[m]);
    return 0;
}

int rtt_live_finish(rtt_live_t *l, double timeout_s, char *err, size_t errlen)
{
    if (l->finished)
        return 0;
    int rc = 0;
    if (l->session.made) {
        if (rtt_live_session_stop(&l->session, err, errlen) != 0) {
            rc = -1;
            if (!rtt_live_session_exists(&l->session)) {
                snprintf(err, errlen, "the live session disappeared (destroyed by "
                                      "someone else?): %s", l->session.name);
                l->session.made = 0; /* nothing of ours to destroy */
            }
        }
        rtt_live_session_destroy(&l->session);
    }
    /* the relay daemon hands out what it has (a backlog, if we were
     * behind), then ends the streams of a destroyed session; timeout_s
     * bounds a wait without progress, not the backlog */
    double end = mono_s() + timeout_s;
    uint64_t seen = l->sink.messages;
    while (rc == 0 && l->stream) {
        double left = end - mono_s();
        if (left <= 0) {
            snprintf(err, errlen, "the live stream of session %s did not end within "
                                  "%.0f s of its destruction (no data for that long)",
                     l->session.name, timeout_s);
            rc = -1;
            break;
        }
        int s = rtt_stream_step(l->stream, left < 0.2 ? left : 0.2, err, errlen);
        if (s == 1)
            break;
        if (s < 0)
            rc = -1;
        if (l->sink.messages != seen) {
            seen = l->sink.messages;
            end = mono_s() + timeout_s;
        }
    }
    if (rtt_rows_flush(l->rows) != 0 && rc == 0) {
        snprintf(err, errlen, "%s", rtt_rows_errmsg(l->rows));
        rc = -1;
    }
    if (l->db && rc == 0 && db_commit(l, 1, err, errlen) != 0)
        rc = -1;
    l->finished = 1;
    return rc;
}

void rtt_live_destroy(rtt_live_t *l)
{
    if (!l)
        return;
    rtt_stream_close(l->stream);
    rtt_live_session_destroy(&l->session);
    rtt_relayd_stop(&l->relayd);
    rtt_rows_destroy(l->rows);
    if (l->db) {
        if (l->in_tx)
            sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(l->db);
        if (!l->attached) { /* nothing began: no database either */
            char p[4200];
            unlink(l->o.record_path);
            static const char *const sfx[] = {"-wal", "-shm", "-journal"};
            for (size_t i = 0; i < 3; i++) {
                snprintf(p, sizeof p, "%s%s", l->o.record_path, sfx[i]);
                unlink(p);
            }
        }
    }
    for (size_t i = 0; i < l->sink.ntraces; i++)
        free(l->traces[i].path);
    rtt_sink_finish(&l->sink);
    free(l->ix_keys);
    free(l->names);
    free(l);
}

const char *rtt_live_session_name(const rtt_live_t *l) { return l->session.name; }
int rtt_live_relayd_started(const rtt_live_t *l) { return l->relayd.pid > 0; }
pid_t rtt_live_relayd_pid(const rtt_live_t *l) { return l->relayd.pid; }
const char *rtt_live_relayd_output(const rtt_live_t *l) { return l->relayd.output; }
int rtt_live_session_alive(const rtt_live_t *l) { return rtt_live_session_exists(&l->session); }
