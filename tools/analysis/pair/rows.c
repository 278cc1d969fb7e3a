/* rows.c - pairs decoded rtk events into rows (see rows.h): the lifecycle,
 * trace and process registration, the dispatch of each event to its kind
 * (pair_items.c, pair_loop.c) and the final flush.
 *
 * Cost per event: O(1) expected for the pairing map plus, per closed
 * item, one row handed to the writer thread (store/writer.c), which
 * inserts it in a batched prepared INSERT (an O(log n) B-tree insert). No
 * allocation per event: task and timer names are interned (one copy per
 * distinct name, up to NAME_INTERN_MAX names; beyond that a name is copied
 * per row). Process ids (procs.proc) are assigned here, not by SQLite, so
 * nothing waits for the writer except trace registration (rare).
 */
#define _POSIX_C_SOURCE 200809L
#include "rows_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sql_text[S__COUNT] = {
    [S_TASK] = "INSERT OR IGNORE INTO tasks(proc,id,cause,priority,name,"
               "source,timer_id,queued_ts,started_ts,finished_ts,outcome,"
               "status,flags,cpu_ns) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [S_DISPATCH] = "INSERT OR IGNORE INTO dispatches(proc,id,cause,priority,"
                   "type,path,queued_ts,begin_ts,end_ts,result,handlers,"
                   "flags) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
    [S_TIMER_ARM] = "INSERT INTO timers(proc,id,cause,priority,name,"
                    "interval_ns,armed_ts,deadline_ns) VALUES(?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(proc,id) DO UPDATE SET"
                    " deadline_ns=excluded.deadline_ns,"
                    " armed_ts=coalesce(armed_ts,excluded.armed_ts),"
                    " name=coalesce(name,excluded.name),"
                    " interval_ns=coalesce(interval_ns,excluded.interval_ns)",
    [S_TIMER_CANCEL] = "INSERT INTO timers(proc,id,cause,priority,"
                       "cancelled_ts,voided_task) VALUES(?,?,?,?,?,?)"
                       " ON CONFLICT(proc,id) DO UPDATE SET"
                       " cancelled_ts=excluded.cancelled_ts,"
                       " voided_task=excluded.voided_task",
    [S_FIRE] = "INSERT INTO timer_fires(proc,timer_id,cause,priority,ts,"
               "deadline_ns,now_ns,lateness_ns,missed,task_id)"
               " VALUES(?,?,?,?,?,?,?,?,?,?)",
    [S_COMMAND] = "INSERT OR IGNORE INTO commands(proc,id,cause,cmd,task_id,"
                  "priority,sent_ts,handled_ts,result,flags)"
                  " VALUES(?,?,?,?,?,?,?,?,?,?)",
    [S_TICK] = "INSERT OR IGNORE INTO ticks(proc,tick,begin_ts,end_ts,now_ns,"
               "commands,timers,events,tasks,async_events,rendered,flags)"
               " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
    [S_RREQ] = "INSERT OR IGNORE INTO render_requests(proc,id,cause,ts,"
               "coalesced) VALUES(?,?,?,?,?)",
    [S_RENDER] = "INSERT OR IGNORE INTO renders(proc,id,frame,begin_ts,end_ts,"
                 "requests,flags) VALUES(?,?,?,?,?,?,?)",
    [S_DROP] = "INSERT INTO drops(proc,ts,id,cause,priority,kind,reason)"
               " VALUES(?,?,?,?,?,?,?)",
    [S_STATE] = "INSERT INTO state_changes(proc,ts,cause,from_state,to_state)"
                " VALUES(?,?,?,?,?)",
    [S_STATS] = "INSERT INTO stats(proc,ts,state,work_queue_len,"
                "event_queue_len,async_queue_len,active_timers,tasks_executed,"
                "tasks_failed,tasks_voided,events_dispatched,async_dispatched,"
                "timers_fired,timer_missed_periods,commands_handled,renders,"
                "drops_work_queue_full,drops_event_queue_full,"
                "drops_async_queue_full,drops_timer_limit,"
                "drops_command_refused,drops_command_queue_full,"
                "drops_not_running,drops_emergency,drops_shutdown,loop_count,"
                "idle_ns) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                "?,?,?,?,?)",
    [S_LOSS] = "INSERT INTO tracer_loss(trace,stream,what,count,begin_ts,"
               "end_ts) VALUES(?,?,?,?,?,?)",
    [S_PROC] = "INSERT INTO procs(proc,trace,vpid,procname) VALUES(?,?,?,?)",
    [S_INPUT] = rtt__sql_input,
};

int rtt__rows_fail(rtt_rows_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return -1;
}

static int sql_fail(rtt_rows_t *r, const char *what)
{
    return rtt__rows_fail(r, "%s: %s", what, sqlite3_errmsg(r->db));
}

val_t *rtt__row_begin(rtt_rows_t *r, int which)
{
    if (!r->w) { /* no connection: the scratch row, seen by the observer */
        memset(r->scratch, 0, sizeof r->scratch);
        return r->cur = r->scratch;
    }
    val_t *v = rtt_writer_row(r->w, which);
    if (!v)
        rtt__rows_fail(r, "%s", rtt_writer_errmsg(r->w)[0] ? rtt_writer_errmsg(r->w)
                                                 : "out of memory");
    return r->cur = v;
}

void rtt_rows_set_observer(rtt_rows_t *r, rtt_rows_observer_fn fn, void *ctx)
{
    r->observe = fn;
    r->observe_ctx = ctx;
}

int rtt_rows_checkpoint(rtt_rows_t *r)
{
    if (r->w && rtt_writer_sync(r->w) != 0)
        return rtt__rows_fail(r, "%s", rtt_writer_errmsg(r->w));
    return 0;
}

const char *rtt_rows_errmsg(const rtt_rows_t *r) { return r->err; }

rtt_rows_t *rtt_rows_create(sqlite3 *db, char *err, size_t errlen)
{
    rtt_rows_t *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->db = db;
    rtt_pairmap_init(&r->tasks, sizeof(task_open_t));
    rtt_pairmap_init(&r->disps, sizeof(disp_open_t));
    rtt_pairmap_init(&r->cmds, sizeof(cmd_open_t));
    rtt_pairmap_init(&r->proc_index, sizeof(int64_t));
    r->names = calloc(4096, sizeof *r->names);
    if (!r->names) {
        snprintf(err, errlen, "out of memory");
        rtt_rows_destroy(r);
        return NULL;
    }
    if (!db) { /* pairing only */
        r->next_proc = 1;
        return r;
    }
    /* Process ids are handed out here (the writer inserts asynchronously). */
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(proc), 0) + 1 FROM procs",
                           -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        snprintf(err, errlen, "cannot read procs: %s", sqlite3_errmsg(db));
        sqlite3_finalize(s);
        rtt_rows_destroy(r);
        return NULL;
    }
    r->next_proc = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    int batched[S__COUNT];
    for (int i = 0; i < S__COUNT; i++)
        batched[i] = i != S_PROC && i != S_TIMER_ARM && i != S_TIMER_CANCEL &&
                     i != S_LOSS;
    r->w = rtt_writer_create(db, sql_text, batched, S__COUNT, err, errlen);
    if (!r->w) {
        rtt_rows_destroy(r);
        return NULL;
    }
    return r;
}

static int free_owned_name(uint64_t p, uint64_t id, void *v, void *ctx)
{
    (void)p, (void)id, (void)ctx;
    task_open_t *t = v;
    if (t->name_owned)
        free((char *)t->name);
    return 0;
}

void rtt_rows_destroy(rtt_rows_t *r)
{
    if (!r)
        return;
    rtt_writer_destroy(r->w);
    if (r->tasks.cap)
        rtt_pairmap_each(&r->tasks, free_owned_name, NULL);
    rtt_pairmap_finish(&r->tasks);
    rtt_pairmap_finish(&r->disps);
    rtt_pairmap_finish(&r->cmds);
    rtt_pairmap_finish(&r->proc_index);
    if (r->names) {
        for (size_t b = 0; b < 4096; b++) {
            name_ent_t *e = r->names[b];
            while (e) {
                name_ent_t *n = e->next;
                free(e);
                e = n;
            }
        }
        free(r->names);
    }
    free(r->procs);
    free(r);
}

/* --- names --------------------------------------------------------------- */

/* An interned copy of s (NULL/"" -> NULL); *owned set when the table is full
 * and the copy must be freed by the caller. */
const char *rtt__rows_intern(rtt_rows_t *r, const char *s, uint8_t *owned)
{
    *owned = 0;
    if (!s || !*s)
        return NULL;
    size_t len = strlen(s);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    name_ent_t **b = &r->names[h & 4095];
    for (name_ent_t *e = *b; e; e = e->next)
        if (e->len == len && memcmp(e->s, s, len) == 0)
            return e->s;
    if (r->nnames >= NAME_INTERN_MAX) {
        char *c = strdup(s);
        if (c)
            *owned = 1;
        return c;
    }
    name_ent_t *e = malloc(sizeof *e + len + 1);
    if (!e)
        return NULL;
    e->len = len;
    memcpy(e->s, s, len + 1);
    e->next = *b;
    *b = e;
    r->nnames++;
    return e->s;
}

/* --- traces and processes ------------------------------------------------ */

/* Direct binding, for the statements run on this thread (writer idle). */
static void d_opt(sqlite3_stmt *s, int i, int have, int64_t v)
{
    if (have)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static void d_str(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* Wait for the writer thread so this thread may use the connection. */
static int writer_idle(rtt_rows_t *r)
{
    if (rtt_writer_idle(r->w) != 0)
        return rtt__rows_fail(r, "%s", rtt_writer_errmsg(r->w));
    return 0;
}

static int delete_trace(rtt_rows_t *r, int64_t trace)
{
    static const char *const tables[] = {
        "tasks", "dispatches", "timers", "timer_fires", "commands", "ticks",
        "render_requests", "renders", "drops", "state_changes", "stats",
        "inputs"};
    char sql[384];
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        snprintf(sql, sizeof sql,
                 "DELETE FROM %s WHERE proc IN "
                 "(SELECT proc FROM procs WHERE trace=%lld)",
                 tables[i], (long long)trace);
        if (sqlite3_exec(r->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            return sql_fail(r, "cannot delete the previous ingest");
    }
    snprintf(sql, sizeof sql,
             "DELETE FROM procs WHERE trace=%lld;"
             "DELETE FROM tracer_loss WHERE trace=%lld;"
             "DELETE FROM ingest_issues WHERE trace=%lld;"
             "DELETE FROM traces WHERE trace=%lld;",
             (long long)trace, (long long)trace, (long long)trace,
             (long long)trace);
    if (sqlite3_exec(r->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sql_fail(r, "cannot delete the previous ingest");
    return 0;
}

int rtt_rows_trace_begin(rtt_rows_t *r, const char *uuid, const char *path,
                         const char *hostname, const char *procname,
                         int have_vpid, int64_t vpid, const char *buffering,
                         int force, int64_t *trace_row)
{
    sqlite3_stmt *s = NULL;
    if (!r->db) {
        *trace_row = ++r->next_trace;
        return 0;
    }
    if (writer_idle(r) != 0)
        return -1;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT trace, path, ingested_at FROM traces"
                           " WHERE uuid=?",
                           -1, &s, NULL) != SQLITE_OK)
        return sql_fail(r, "cannot read traces");
    sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int64_t old = sqlite3_column_int64(s, 0);
        if (!force) {
            const char *was = (const char *)sqlite3_column_text(s, 1);
            if (was && strcmp(was, path) == 0)
                rtt__rows_fail(r,
                     "trace %s is already in the database (ingested %s from "
                     "the same directory): %s; use --force to replace it",
                     uuid, (const char *)sqlite3_column_text(s, 2), path);
            else
                rtt__rows_fail(r,
                     "trace %s is already in the database (ingested %s from "
                     "%s): %s holds the same trace (a copy, or another chunk "
                     "of a rotated session: ingest all its chunks in one run); "
                     "use --force to replace it",
                     uuid, (const char *)sqlite3_column_text(s, 2),
                     was ? was : "?", path);
            sqlite3_finalize(s);
            return -1;
        }
        sqlite3_finalize(s);
        if (delete_trace(r, old) != 0)
            return -1;
    } else {
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return sql_fail(r, "cannot read traces");
    }
    if (sqlite3_prepare_v2(r->db,
                           "INSERT INTO traces(uuid,path,hostname,procname,"
                           "vpid,buffering,ingested_at) VALUES(?,?,?,?,?,?,"
                           "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                           -1, &s, NULL) != SQLITE_OK)
        return sql_fail(r, "cannot write traces");
    d_str(s, 1, uuid);
    d_str(s, 2, path);
    d_str(s, 3, hostname);
    d_str(s, 4, procname);
    d_opt(s, 5, have_vpid, vpid);
    d_str(s, 6, buffering);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sql_fail(r, "cannot write traces");
    *trace_row = sqlite3_last_insert_rowid(r->db);
    return 0;
}

int rtt_rows_trace_end(rtt_rows_t *r, int64_t trace_row, int have_ts,
                       int64_t first_ts, int64_t last_ts, int64_t events)
{
    sqlite3_stmt *s = NULL;
    if (!r->db)
        return 0;
    if (writer_idle(r) != 0)
        return -1;
    if (sqlite3_prepare_v2(r->db,
                           "UPDATE traces SET first_ts=?, last_ts=?, events=?"
                           " WHERE trace=?",
                           -1, &s, NULL) != SQLITE_OK)
        return sql_fail(r, "cannot update traces");
    d_opt(s, 1, have_ts, first_ts);
    d_opt(s, 2, have_ts, last_ts);
    sqlite3_bind_int64(s, 3, events);
    sqlite3_bind_int64(s, 4, trace_row);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : sql_fail(r, "cannot update traces");
}

int rtt_rows_proc(rtt_rows_t *r, int64_t trace_row, int have_vpid,
                  int64_t vpid, const char *procname)
{
    /* Key: (trace_row * 4 + tag, id), id never 0 (the map's empty mark).
     * Tag 0: id = vpid + 1. Any 64-bit vpid has its own key, even those a
     * damaged trace decodes (-1 would make id 0): tag 1 is vpid -1, tag 2
     * no vpid, each with id 1. */
    uint64_t tr = (uint64_t)trace_row * 4, key = (uint64_t)vpid + 1;
    if (!have_vpid || key == 0) {
        tr += have_vpid ? 1 : 2;
        key = 1;
    }
    int created;
    int64_t *slot = rtt_pairmap_put(&r->proc_index, tr, key, &created);
    if (!slot)
        return rtt__rows_fail(r, "out of memory");
    if (!created)
        return (int)(*slot - 1);
    if (r->nprocs == r->capprocs) {
        size_t nc = r->capprocs ? r->capprocs * 2 : 16;
        proc_state_t *np = realloc(r->procs, nc * sizeof *np);
        if (!np) {
            rtt_pairmap_remove(&r->proc_index, tr, key);
            return rtt__rows_fail(r, "out of memory");
        }
        r->procs = np;
        r->capprocs = nc;
    }
    val_t *s = rtt__row_begin(r, S_PROC);
    if (!s) {
        rtt_pairmap_remove(&r->proc_index, tr, key);
        return -1;
    }
    int64_t row = r->next_proc++;
    b_i(s, 1, row);
    b_i(s, 2, trace_row);
    b_opt(s, 3, have_vpid, vpid);
    b_str_copy(s, 4, procname && *procname ? procname : NULL);
    row_end(r, S_PROC);
    proc_state_t *p = &r->procs[r->nprocs];
    memset(p, 0, sizeof *p);
    p->row = row;
    *slot = (int64_t)r->nprocs + 1;
    return (int)r->nprocs++;
}

int rtt_rows_event(rtt_rows_t *r, int proc, int kind, int64_t ts,
                   const int64_t *f, const char *str)
{
    proc_state_t *p = &r->procs[proc];
    switch (kind) {
    case RTT_EV_TASK_QUEUED:
    case RTT_EV_TASK_STARTED:
    case RTT_EV_TASK_FINISHED:
    case RTT_EV_EVENT_QUEUED:
    case RTT_EV_EVENT_DISPATCHED:
    case RTT_EV_COMMAND_SENT:
    case RTT_EV_COMMAND_HANDLED:
        return rtt__pair_item_event(r, p, kind, ts, f, str);
    case RTT_EV_INPUT:
        return rtt__pair_input_event(r, p, ts, f, str);
    default:
        return rtt__pair_loop_event(r, p, kind, ts, f, str);
    }
}

int rtt_rows_loss(rtt_rows_t *r, int64_t trace_row, const char *stream,
                  const char *what, int64_t count, int have_range,
                  int64_t begin_ts, int64_t end_ts)
{
    val_t *s = rtt__row_begin(r, S_LOSS);
    if (!s)
        return -1;
    b_i(s, 1, trace_row);
    b_str_copy(s, 2, stream);
    b_str(s, 3, what); /* a literal */
    b_opt(s, 4, count >= 0, count);
    b_opt(s, 5, have_range, begin_ts);
    b_opt(s, 6, have_range, end_ts);
    return row_end(r, S_LOSS);
}

/* --- final flush --------------------------------------------------------- */

int rtt_rows_flush(rtt_rows_t *r)
{
    if (rtt__pair_items_flush(r) != 0 || rtt__pair_loop_flush(r) != 0)
        return -1;
    if (r->w && rtt_writer_finish(r->w) != 0)
        return rtt__rows_fail(r, "%s", rtt_writer_errmsg(r->w));
    return 0;
}

