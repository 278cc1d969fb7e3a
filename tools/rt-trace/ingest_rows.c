/* ingest_rows.c - pairs decoded rtk events into rows (see ingest_rows.h).
 *
 * Cost per event: O(1) expected for the pairing map plus, per closed
 * item, one row handed to the writer thread (ingest_writer.c), which
 * inserts it in a batched prepared INSERT (an O(log n) B-tree insert). No
 * allocation per event: task and timer names are interned (one copy per
 * distinct name, up to NAME_INTERN_MAX names; beyond that a name is copied
 * per row). Process ids (procs.proc) are assigned here, not by SQLite, so
 * nothing waits for the writer except trace registration (rare).
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest_rows.h"

#include "ingest_events.h"
#include "ingest_pairmap.h"
#include "ingest_writer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Flags of schema.sql. */
#define F_NO_BEGIN 1
#define F_NO_START 2
#define F_NO_END 4

#define NAME_INTERN_MAX 65536

enum {
    S_TASK, S_DISPATCH, S_TIMER_ARM, S_TIMER_CANCEL, S_FIRE, S_COMMAND,
    S_TICK, S_RREQ, S_RENDER, S_DROP, S_STATE, S_STATS, S_LOSS, S_PROC,
    S__COUNT
};

static const char *const sql_text[S__COUNT] = {
    [S_TASK] = "INSERT OR IGNORE INTO tasks(proc,id,cause,priority,name,"
               "source,timer_id,queued_ts,started_ts,finished_ts,outcome,"
               "status,flags) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
};

typedef struct task_open {
    int64_t queued_ts, started_ts, cause, timer_id;
    const char *name; /* interned, or owned when name_owned */
    uint32_t priority;
    uint8_t source, has_q, has_s, name_owned;
} task_open_t;

typedef struct disp_open {
    int64_t queued_ts, cause;
    uint32_t priority, type;
    uint8_t path;
} disp_open_t;

typedef struct cmd_open {
    int64_t sent_ts, cause, task_id;
    uint32_t priority;
    uint8_t cmd;
} cmd_open_t;

typedef struct proc_state {
    int64_t row; /* procs.proc */
    /* the tick begun and not ended yet */
    int tick_open;
    int64_t tick, tick_begin_ts, tick_now_ns;
    /* the render begun and not ended yet */
    int render_open;
    int64_t render_id, render_frame, render_begin_ts, render_requests;
} proc_state_t;

typedef struct name_ent {
    struct name_ent *next;
    size_t len;
    char s[];
} name_ent_t;

struct rtt_rows {
    sqlite3 *db;
    rtt_writer_t *w;
    int64_t next_proc; /* procs.proc of the next process */
    rtt_pairmap_t tasks, disps, cmds;
    rtt_pairmap_t proc_index; /* (trace_row, vpid key) -> int index + 1 */
    proc_state_t *procs;
    size_t nprocs, capprocs;
    name_ent_t **names; /* intern table, chained, 4096 buckets */
    size_t nnames;
    char err[512];
};

static int fail(rtt_rows_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return -1;
}

static int sql_fail(rtt_rows_t *r, const char *what)
{
    return fail(r, "%s: %s", what, sqlite3_errmsg(r->db));
}

/* --- row building (values go to the writer thread) --------------------- */

typedef rtt_val_t val_t;

static val_t *row_begin(rtt_rows_t *r, int which)
{
    val_t *v = rtt_writer_row(r->w, which);
    if (!v)
        fail(r, "%s", rtt_writer_errmsg(r->w)[0] ? rtt_writer_errmsg(r->w)
                                                 : "out of memory");
    return v;
}

static inline int row_end(rtt_rows_t *r, int which)
{
    (void)which;
    rtt_writer_commit(r->w);
    return 0;
}

static inline void b_i(val_t *s, int i, int64_t v)
{
    s[i].t = RTT_V_INT;
    s[i].i = v;
}

static inline void b_opt(val_t *s, int i, int have, int64_t v)
{
    s[i].t = have ? RTT_V_INT : RTT_V_NULL;
    s[i].i = v;
}

/* v must outlive the writer (interned). */
static inline void b_str(val_t *s, int i, const char *v)
{
    s[i].t = v ? RTT_V_TEXT : RTT_V_NULL;
    s[i].s = v;
}

/* A copy of v that the row owns. */
static inline void b_str_copy(val_t *s, int i, const char *v)
{
    char *c = v ? strdup(v) : NULL;
    s[i].t = c ? RTT_V_OWNED : RTT_V_NULL;
    s[i].s = c;
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
static const char *intern(rtt_rows_t *r, const char *s, uint8_t *owned)
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
        return fail(r, "%s", rtt_writer_errmsg(r->w));
    return 0;
}

static int delete_trace(rtt_rows_t *r, int64_t trace)
{
    static const char *const tables[] = {
        "tasks", "dispatches", "timers", "timer_fires", "commands", "ticks",
        "render_requests", "renders", "drops", "state_changes", "stats"};
    char sql[256];
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
             "DELETE FROM traces WHERE trace=%lld;",
             (long long)trace, (long long)trace, (long long)trace);
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
            fail(r,
                 "trace %s (%s) is already in the database (ingested %s "
                 "from %s); use --force to replace it",
                 uuid, path, (const char *)sqlite3_column_text(s, 2),
                 (const char *)sqlite3_column_text(s, 1));
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
    /* Key: vpid + 1 (vpids are >= 0); unknown vpid: 2^63. */
    uint64_t key = have_vpid ? (uint64_t)vpid + 1 : (uint64_t)1 << 63;
    int created;
    int64_t *slot = rtt_pairmap_put(&r->proc_index, (uint64_t)trace_row, key,
                                    &created);
    if (!slot)
        return fail(r, "out of memory");
    if (!created)
        return (int)(*slot - 1);
    if (r->nprocs == r->capprocs) {
        size_t nc = r->capprocs ? r->capprocs * 2 : 16;
        proc_state_t *np = realloc(r->procs, nc * sizeof *np);
        if (!np) {
            rtt_pairmap_remove(&r->proc_index, (uint64_t)trace_row, key);
            return fail(r, "out of memory");
        }
        r->procs = np;
        r->capprocs = nc;
    }
    val_t *s = row_begin(r, S_PROC);
    if (!s) {
        rtt_pairmap_remove(&r->proc_index, (uint64_t)trace_row, key);
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

/* --- item writers -------------------------------------------------------- */

static int write_task(rtt_rows_t *r, int64_t proc, int64_t id,
                      const task_open_t *t, int have_fin, int64_t fin_ts,
                      int64_t outcome, int64_t status, int flags)
{
    val_t *s = row_begin(r, S_TASK);
    if (!s)
        return -1;
    b_i(s, 1, proc);
    b_i(s, 2, id);
    b_i(s, 3, t->cause);
    b_i(s, 4, t->priority);
    if (t->name_owned)
        b_str_copy(s, 5, t->name);
    else
        b_str(s, 5, t->name);
    b_opt(s, 6, t->has_q, t->source);
    b_opt(s, 7, t->has_q && t->source == 1, t->timer_id);
    b_opt(s, 8, t->has_q, t->queued_ts);
    b_opt(s, 9, t->has_s, t->started_ts);
    b_opt(s, 10, have_fin, fin_ts);
    b_opt(s, 11, have_fin, outcome);
    b_opt(s, 12, have_fin, status);
    b_i(s, 13, flags);
    return row_end(r, S_TASK);
}

static int write_disp(rtt_rows_t *r, int64_t proc, int64_t id,
                      const disp_open_t *d, int have_q, int have_end,
                      int64_t end_ts, int64_t duration, int64_t result,
                      int64_t handlers, int flags)
{
    val_t *s = row_begin(r, S_DISPATCH);
    if (!s)
        return -1;
    b_i(s, 1, proc);
    b_i(s, 2, id);
    b_i(s, 3, d->cause);
    b_i(s, 4, d->priority);
    b_i(s, 5, d->type);
    b_i(s, 6, d->path);
    b_opt(s, 7, have_q, d->queued_ts);
    b_opt(s, 8, have_end, end_ts - duration);
    b_opt(s, 9, have_end, end_ts);
    b_opt(s, 10, have_end, result);
    b_opt(s, 11, have_end, handlers);
    b_i(s, 12, flags);
    return row_end(r, S_DISPATCH);
}

static int write_cmd(rtt_rows_t *r, int64_t proc, int64_t id,
                     const cmd_open_t *c, int have_sent, int have_h,
                     int64_t handled_ts, int64_t result, int flags)
{
    val_t *s = row_begin(r, S_COMMAND);
    if (!s)
        return -1;
    b_i(s, 1, proc);
    b_i(s, 2, id);
    b_i(s, 3, c->cause);
    b_i(s, 4, c->cmd);
    b_opt(s, 5, c->task_id != 0, c->task_id);
    b_opt(s, 6, have_sent, c->priority);
    b_opt(s, 7, have_sent, c->sent_ts);
    b_opt(s, 8, have_h, handled_ts);
    b_opt(s, 9, have_h, result);
    b_i(s, 10, flags);
    return row_end(r, S_COMMAND);
}

static int write_tick(rtt_rows_t *r, proc_state_t *p, int64_t tick,
                      int have_begin, int64_t begin_ts, int64_t now_ns,
                      int have_end, int64_t end_ts, const int64_t *f,
                      int flags)
{
    val_t *s = row_begin(r, S_TICK);
    if (!s)
        return -1;
    b_i(s, 1, p->row);
    b_i(s, 2, tick);
    b_opt(s, 3, have_begin, begin_ts);
    b_opt(s, 4, have_end, end_ts);
    b_opt(s, 5, have_begin, now_ns);
    for (int i = 0; i < 6; i++)
        b_opt(s, 6 + i, have_end, have_end ? f[1 + i] : 0);
    b_i(s, 12, flags);
    return row_end(r, S_TICK);
}

static int write_render(rtt_rows_t *r, proc_state_t *p, int64_t id,
                        int have_begin, int64_t frame, int64_t begin_ts,
                        int have_end, int64_t end_ts, int64_t requests,
                        int flags)
{
    val_t *s = row_begin(r, S_RENDER);
    if (!s)
        return -1;
    b_i(s, 1, p->row);
    b_i(s, 2, id);
    b_i(s, 3, frame);
    b_opt(s, 4, have_begin, begin_ts);
    b_opt(s, 5, have_end, end_ts);
    b_opt(s, 6, have_begin, requests);
    b_i(s, 7, flags);
    return row_end(r, S_RENDER);
}

/* Close an open task without a finish (dropped or flushed). */
static int close_task_unfinished(rtt_rows_t *r, int64_t proc, int64_t id,
                                 task_open_t *t)
{
    int flags = (t->has_q ? 0 : F_NO_BEGIN) | (t->has_s ? 0 : F_NO_START) |
                F_NO_END;
    int rc = write_task(r, proc, id, t, 0, 0, 0, 0, flags);
    if (t->name_owned)
        free((char *)t->name);
    return rc;
}

/* A drop of an item that is open closes it (it will never finish). */
static int drop_closes(rtt_rows_t *r, proc_state_t *p, int64_t id,
                       int64_t kind)
{
    uint64_t pr = (uint64_t)p->row;
    if (kind == 0) {
        task_open_t *t = rtt_pairmap_get(&r->tasks, pr, (uint64_t)id);
        if (t) {
            int rc = close_task_unfinished(r, p->row, id, t);
            rtt_pairmap_remove(&r->tasks, pr, (uint64_t)id);
            return rc;
        }
    } else if (kind == 1 || kind == 2) {
        disp_open_t *d = rtt_pairmap_get(&r->disps, pr, (uint64_t)id);
        if (d) {
            int rc = write_disp(r, p->row, id, d, 1, 0, 0, 0, 0, 0, F_NO_END);
            rtt_pairmap_remove(&r->disps, pr, (uint64_t)id);
            return rc;
        }
    } else if (kind == 4) {
        cmd_open_t *c = rtt_pairmap_get(&r->cmds, pr, (uint64_t)id);
        if (c) {
            int rc = write_cmd(r, p->row, id, c, 1, 0, 0, 0, F_NO_END);
            rtt_pairmap_remove(&r->cmds, pr, (uint64_t)id);
            return rc;
        }
    }
    return 0;
}

int rtt_rows_event(rtt_rows_t *r, int proc, int kind, int64_t ts,
                   const int64_t *f, const char *str)
{
    proc_state_t *p = &r->procs[proc];
    uint64_t pr = (uint64_t)p->row;
    int created;
    val_t *s;

    switch (kind) {
    case RTT_EV_TASK_QUEUED: {
        task_open_t *t = rtt_pairmap_put(&r->tasks, pr, (uint64_t)f[0],
                                         &created);
        if (!t)
            return f[0] == 0 ? 0 : fail(r, "out of memory");
        t->has_q = 1;
        t->queued_ts = ts;
        t->cause = f[1];
        t->priority = (uint32_t)f[2];
        t->source = (uint8_t)f[3];
        t->timer_id = f[4];
        if (!t->name)
            t->name = intern(r, str, &t->name_owned);
        return 0;
    }
    case RTT_EV_TASK_STARTED: {
        task_open_t *t = rtt_pairmap_put(&r->tasks, pr, (uint64_t)f[0],
                                         &created);
        if (!t)
            return f[0] == 0 ? 0 : fail(r, "out of memory");
        if (created) {
            t->cause = f[1];
            t->priority = (uint32_t)f[2];
        }
        t->has_s = 1;
        t->started_ts = ts;
        return 0;
    }
    case RTT_EV_TASK_FINISHED: {
        task_open_t tmp, *t = rtt_pairmap_get(&r->tasks, pr, (uint64_t)f[0]);
        if (!t) {
            memset(&tmp, 0, sizeof tmp);
            tmp.cause = f[1];
            tmp.priority = (uint32_t)f[2];
            t = &tmp;
        }
        /* A voided fire never starts: no "started" is expected. */
        int flags = (t->has_q ? 0 : F_NO_BEGIN) |
                    (t->has_s || f[3] == 3 ? 0 : F_NO_START);
        int rc = write_task(r, p->row, f[0], t, 1, ts, f[3], f[4], flags);
        if (t != &tmp) {
            if (t->name_owned)
                free((char *)t->name);
            rtt_pairmap_remove(&r->tasks, pr, (uint64_t)f[0]);
        }
        return rc;
    }
    case RTT_EV_EVENT_QUEUED: {
        disp_open_t *d = rtt_pairmap_put(&r->disps, pr, (uint64_t)f[0],
                                         &created);
        if (!d)
            return f[0] == 0 ? 0 : fail(r, "out of memory");
        d->queued_ts = ts;
        d->cause = f[1];
        d->priority = (uint32_t)f[2];
        d->type = (uint32_t)f[3];
        d->path = (uint8_t)f[4];
        return 0;
    }
    case RTT_EV_EVENT_DISPATCHED: {
        disp_open_t tmp, *d = rtt_pairmap_get(&r->disps, pr, (uint64_t)f[0]);
        int have_q = d != NULL;
        if (!d) {
            tmp.queued_ts = 0;
            tmp.cause = f[1];
            tmp.priority = (uint32_t)f[2];
            tmp.type = (uint32_t)f[3];
            tmp.path = (uint8_t)f[4];
            d = &tmp;
        }
        /* Every path (direct dispatch too) traces event_queued first. */
        int flags = have_q ? 0 : F_NO_BEGIN;
        int rc = write_disp(r, p->row, f[0], d, have_q, 1, ts, f[7], f[5],
                            f[6], flags);
        if (have_q)
            rtt_pairmap_remove(&r->disps, pr, (uint64_t)f[0]);
        return rc;
    }
    case RTT_EV_COMMAND_SENT: {
        cmd_open_t *c = rtt_pairmap_put(&r->cmds, pr, (uint64_t)f[0],
                                        &created);
        if (!c)
            return f[0] == 0 ? 0 : fail(r, "out of memory");
        c->sent_ts = ts;
        c->cause = f[1];
        c->cmd = (uint8_t)f[2];
        c->task_id = f[3];
        c->priority = (uint32_t)f[4];
        return 0;
    }
    case RTT_EV_COMMAND_HANDLED: {
        cmd_open_t tmp, *c = rtt_pairmap_get(&r->cmds, pr, (uint64_t)f[0]);
        int have_sent = c != NULL;
        if (!c) {
            memset(&tmp, 0, sizeof tmp);
            tmp.cause = f[1];
            tmp.cmd = (uint8_t)f[2];
            c = &tmp;
        }
        if (f[3] != 0)
            c->task_id = f[3];
        int rc = write_cmd(r, p->row, f[0], c, have_sent, 1, ts, f[4],
                           have_sent ? 0 : F_NO_BEGIN);
        if (have_sent)
            rtt_pairmap_remove(&r->cmds, pr, (uint64_t)f[0]);
        return rc;
    }
    case RTT_EV_TIMER_ARMED: {
        if (!(s = row_begin(r, S_TIMER_ARM)))
            return -1;
        uint8_t owned;
        const char *name = intern(r, str, &owned);
        b_i(s, 1, p->row);
        b_i(s, 2, f[0]);
        b_i(s, 3, f[1]);
        b_i(s, 4, f[2]);
        if (owned) { /* the row takes the copy */
            s[5].t = RTT_V_OWNED;
            s[5].s = name;
        } else {
            b_str(s, 5, name);
        }
        b_i(s, 6, f[4]);
        b_i(s, 7, ts);
        b_i(s, 8, f[3]);
        return row_end(r, S_TIMER_ARM);
    }
    case RTT_EV_TIMER_CANCELLED:
        if (!(s = row_begin(r, S_TIMER_CANCEL)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, f[0]);
        b_i(s, 3, f[1]);
        b_i(s, 4, f[2]);
        b_i(s, 5, ts);
        b_opt(s, 6, f[3] != 0, f[3]);
        return row_end(r, S_TIMER_CANCEL);
    case RTT_EV_TIMER_FIRED:
        if (!(s = row_begin(r, S_FIRE)))
            return -1;
        b_i(s, 1, p->row);
        for (int i = 0; i < 3; i++)
            b_i(s, 2 + i, f[i]);
        b_i(s, 5, ts);
        for (int i = 3; i < 7; i++)
            b_i(s, 3 + i, f[i]);
        b_opt(s, 10, f[7] != 0, f[7]);
        return row_end(r, S_FIRE);
    case RTT_EV_DROP:
        if (drop_closes(r, p, f[0], f[3]) != 0)
            return -1;
        if (!(s = row_begin(r, S_DROP)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, ts);
        b_opt(s, 3, f[0] != 0, f[0]);
        b_i(s, 4, f[1]);
        b_i(s, 5, f[2]);
        b_i(s, 6, f[3]);
        b_i(s, 7, f[4]);
        return row_end(r, S_DROP);
    case RTT_EV_TICK_BEGIN:
        if (p->tick_open && write_tick(r, p, p->tick, 1, p->tick_begin_ts,
                                       p->tick_now_ns, 0, 0, NULL,
                                       F_NO_END) != 0)
            return -1;
        p->tick_open = 1;
        p->tick = f[0];
        p->tick_begin_ts = ts;
        p->tick_now_ns = f[1];
        return 0;
    case RTT_EV_TICK_END: {
        int rc;
        if (p->tick_open && p->tick == f[0]) {
            rc = write_tick(r, p, f[0], 1, p->tick_begin_ts, p->tick_now_ns,
                            1, ts, f, 0);
            p->tick_open = 0;
        } else {
            rc = write_tick(r, p, f[0], 0, 0, 0, 1, ts, f, F_NO_BEGIN);
        }
        return rc;
    }
    case RTT_EV_STATE_CHANGE:
        if (!(s = row_begin(r, S_STATE)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, ts);
        b_i(s, 3, f[0]);
        b_i(s, 4, f[1]);
        b_i(s, 5, f[2]);
        return row_end(r, S_STATE);
    case RTT_EV_RENDER_REQUEST:
        if (!(s = row_begin(r, S_RREQ)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, f[0]);
        b_i(s, 3, f[1]);
        b_i(s, 4, ts);
        b_i(s, 5, f[2]);
        return row_end(r, S_RREQ);
    case RTT_EV_RENDER_BEGIN:
        /* The previous render had no render_end: the app took the flag. */
        if (p->render_open &&
            write_render(r, p, p->render_id, 1, p->render_frame,
                         p->render_begin_ts, 0, 0, p->render_requests,
                         0) != 0)
            return -1;
        p->render_open = 1;
        p->render_id = f[0];
        p->render_frame = f[1];
        p->render_begin_ts = ts;
        p->render_requests = f[2];
        return 0;
    case RTT_EV_RENDER_END: {
        int rc;
        if (p->render_open && p->render_id == f[0]) {
            rc = write_render(r, p, f[0], 1, p->render_frame,
                              p->render_begin_ts, 1, ts, p->render_requests,
                              0);
            p->render_open = 0;
        } else {
            rc = write_render(r, p, f[0], 0, f[1], 0, 1, ts, 0, F_NO_BEGIN);
        }
        return rc;
    }
    case RTT_EV_STATS:
        if (!(s = row_begin(r, S_STATS)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, ts);
        for (int i = 0; i < 25; i++)
            b_i(s, 3 + i, f[i]);
        return row_end(r, S_STATS);
    default:
        return 0;
    }
}

int rtt_rows_loss(rtt_rows_t *r, int64_t trace_row, const char *stream,
                  const char *what, int64_t count, int have_range,
                  int64_t begin_ts, int64_t end_ts)
{
    val_t *s = row_begin(r, S_LOSS);
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

static int flush_task(uint64_t proc, uint64_t id, void *v, void *ctx)
{
    task_open_t *t = v;
    int rc = close_task_unfinished(ctx, (int64_t)proc, (int64_t)id, t);
    t->name_owned = 0; /* freed */
    return rc;
}

static int flush_disp(uint64_t proc, uint64_t id, void *v, void *ctx)
{
    return write_disp(ctx, (int64_t)proc, (int64_t)id, v, 1, 0, 0, 0, 0, 0,
                      F_NO_END);
}

static int flush_cmd(uint64_t proc, uint64_t id, void *v, void *ctx)
{
    return write_cmd(ctx, (int64_t)proc, (int64_t)id, v, 1, 0, 0, 0,
                     F_NO_END);
}

int rtt_rows_flush(rtt_rows_t *r)
{
    if (rtt_pairmap_each(&r->tasks, flush_task, r) != 0 ||
        rtt_pairmap_each(&r->disps, flush_disp, r) != 0 ||
        rtt_pairmap_each(&r->cmds, flush_cmd, r) != 0)
        return -1;
    rtt_pairmap_finish(&r->tasks);
    rtt_pairmap_finish(&r->disps);
    rtt_pairmap_finish(&r->cmds);
    for (size_t i = 0; i < r->nprocs; i++) {
        proc_state_t *p = &r->procs[i];
        if (p->tick_open &&
            write_tick(r, p, p->tick, 1, p->tick_begin_ts, p->tick_now_ns, 0,
                       0, NULL, F_NO_END) != 0)
            return -1;
        p->tick_open = 0;
        if (p->render_open &&
            write_render(r, p, p->render_id, 1, p->render_frame,
                         p->render_begin_ts, 0, 0, p->render_requests,
                         0) != 0)
            return -1;
        p->render_open = 0;
    }
    if (rtt_writer_finish(r->w) != 0)
        return fail(r, "%s", rtt_writer_errmsg(r->w));
    return 0;
}
