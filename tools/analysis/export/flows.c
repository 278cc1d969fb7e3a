/* flows.c - cause chains as flow events (see export_internal.h).
 *
 * A link goes from the slice that created an item to the item's own slice:
 * "s" on the parent's lane at the moment the child was created (its
 * queued_ts, or when its command was sent or its timer armed; clamped into
 * the parent's slice, so an importer binds it to the enclosing slice), "f" with "bp":"e" at the child's start on its lane
 * (bound to the slice that starts there). The parent is the task or
 * dispatch whose id is the child's cause; when the cause is a command or a
 * timer (not slices), the parent is the slice that sent or armed it (one
 * hop). A render request links the item that made it to the render that
 * served it (the first render of the process beginning at or after the
 * request, as `rt-trace interactions` counts it), so a keystroke's flow
 * ends at its render. Cost per link: at most five primary-key lookups. */
#include "export_internal.h"

#include <inttypes.h>
#include <stdio.h>

typedef struct slice {
    uint32_t pid, tid;
    int64_t b, e;
} slice_t;

typedef struct fctx {
    xctx_t *x;
    sqlite3_stmt *task, *disp, *up, *render;
    int child_kind; /* KIND_TASK, KIND_EVENT, or -1 for render requests */
} fctx_t;

/* Look id up in tasks (kind 0) or dispatches (kind 1): 1 and *s if it is a
 * slice there, 0 if it is there but not a slice, -1 if absent. */
static int lookup(sqlite3_stmt *st, const xproc_t *p, int kind, int64_t proc,
                  int64_t id, slice_t *s)
{
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, proc);
    sqlite3_bind_int64(st, 2, id);
    if (sqlite3_step(st) != SQLITE_ROW)
        return -1;
    if (sqlite3_column_type(st, 1) == SQLITE_NULL || sqlite3_column_type(st, 2) == SQLITE_NULL)
        return 0;
    int has = sqlite3_column_type(st, 0) != SQLITE_NULL;
    s->pid = p->pid;
    s->tid = lanes_tid(p, lanes_prio(p, kind, has, sqlite3_column_int64(st, 0)));
    s->b = sqlite3_column_int64(st, 1);
    s->e = sqlite3_column_int64(st, 2);
    return 1;
}

/* The slice that caused an item of cause `cause`: 1 and *s, or 0. When
 * the cause is a command or a timer, *made becomes the time it was sent or
 * armed (inside the parent slice; the child itself is queued later). */
static int parent_of(fctx_t *f, const xproc_t *p, int64_t proc, int64_t cause, slice_t *s,
                     int64_t *made)
{
    for (int hop = 0; hop < 2 && cause != 0; hop++) {
        int r = lookup(f->task, p, KIND_TASK, proc, cause, s);
        if (r < 0)
            r = lookup(f->disp, p, KIND_EVENT, proc, cause, s);
        if (r >= 0)
            return r;
        /* A command or a timer: its own cause. */
        sqlite3_reset(f->up);
        sqlite3_bind_int64(f->up, 1, proc);
        sqlite3_bind_int64(f->up, 2, cause);
        if (sqlite3_step(f->up) != SQLITE_ROW)
            return 0;
        cause = sqlite3_column_int64(f->up, 0);
        if (sqlite3_column_type(f->up, 1) != SQLITE_NULL)
            *made = sqlite3_column_int64(f->up, 1);
    }
    return 0;
}

static void write_flow(xctx_t *x, const slice_t *par, int64_t created, uint32_t pid,
                       uint32_t tid, int64_t start)
{
    int64_t ts = created;
    if (ts < par->b)
        ts = par->b;
    if (ts >= par->e)
        ts = par->e > par->b ? par->e - 1 : par->b;
    int64_t id = ++x->n->flows;
    jw_head(x->w, 's', "cause", "cause", par->pid, par->tid, ts);
    jw_kv(x->w, "id", id);
    jw_lit(x->w, "}");
    jw_head(x->w, 'f', "cause", "cause", pid, tid, start);
    jw_lit(x->w, ",\"bp\":\"e\"");
    jw_kv(x->w, "id", id);
    jw_lit(x->w, "}");
}

/* Rows: proc, id, cause, priority, created, start (a task or dispatch
 * slice with a cause). */
static int item_row(xctx_t *x, sqlite3_stmt *st)
{
    fctx_t *f = x->aux;
    int64_t proc = sqlite3_column_int64(st, 0);
    const xproc_t *p = lanes_proc(x->lanes, proc);
    slice_t par;
    int64_t made = sqlite3_column_int64(st, 4);
    if (!p || !parent_of(f, p, proc, sqlite3_column_int64(st, 2), &par, &made))
        return 0;
    int has = sqlite3_column_type(st, 3) != SQLITE_NULL;
    int lane = lanes_prio(p, f->child_kind, has, sqlite3_column_int64(st, 3));
    write_flow(x, &par, made, p->pid, lanes_tid(p, lane), sqlite3_column_int64(st, 5));
    return 0;
}

/* Rows: proc, id, cause, ts of a render request with a cause. */
static int request_row(xctx_t *x, sqlite3_stmt *st)
{
    fctx_t *f = x->aux;
    int64_t proc = sqlite3_column_int64(st, 0), ts = sqlite3_column_int64(st, 3);
    const xproc_t *p = lanes_proc(x->lanes, proc);
    slice_t par;
    int64_t made = ts;
    if (!p || !parent_of(f, p, proc, sqlite3_column_int64(st, 2), &par, &made))
        return 0;
    sqlite3_reset(f->render);
    sqlite3_bind_int64(f->render, 1, proc);
    sqlite3_bind_int64(f->render, 2, ts);
    if (sqlite3_step(f->render) != SQLITE_ROW)
        return 0;
    write_flow(x, &par, made, p->pid, lanes_tid(p, LANE_LOOP),
               sqlite3_column_int64(f->render, 0));
    return 0;
}

int x_flows(xctx_t *x)
{
    static const char *const prep[4] = {
        "SELECT priority, started_ts, finished_ts FROM tasks WHERE proc = ?1 AND id = ?2",
        "SELECT priority, begin_ts, end_ts FROM dispatches WHERE proc = ?1 AND id = ?2",
        "SELECT cause, sent_ts FROM commands WHERE proc = ?1 AND id = ?2"
        " UNION ALL SELECT cause, armed_ts FROM timers WHERE proc = ?1 AND id = ?2 LIMIT 1",
        "SELECT begin_ts FROM renders WHERE proc = ?1 AND begin_ts >= ?2"
        " ORDER BY begin_ts LIMIT 1"};
    fctx_t f = {.x = x};
    sqlite3_stmt **sts[4] = {&f.task, &f.disp, &f.up, &f.render};
    int rc = 0;
    for (int i = 0; i < 4 && rc == 0; i++)
        if (sqlite3_prepare_v2(x->db, prep[i], -1, sts[i], NULL) != SQLITE_OK) {
            snprintf(x->err, x->errlen, "preparing cause links: %s", sqlite3_errmsg(x->db));
            rc = -1;
        }
    /* the three link streams, in this order in the file */
    static const struct {
        int child_kind;
        const char *what, *sql;
        x_row_fn fn;
    } links[] = {
        {KIND_TASK, "reading task causes",
         "SELECT proc, id, cause, priority, COALESCE(queued_ts, started_ts),"
         " started_ts FROM tasks WHERE cause <> 0 AND started_ts IS NOT NULL"
         " AND finished_ts IS NOT NULL ORDER BY started_ts",
         item_row},
        {KIND_EVENT, "reading dispatch causes",
         "SELECT proc, id, cause, priority, COALESCE(queued_ts, begin_ts),"
         " begin_ts FROM dispatches WHERE cause <> 0 AND begin_ts IS NOT NULL"
         " AND end_ts IS NOT NULL ORDER BY begin_ts",
         item_row},
        {-1, "reading render requests",
         "SELECT proc, id, cause, ts FROM render_requests WHERE cause <> 0"
         " ORDER BY proc, ts",
         request_row},
    };
    x->aux = &f;
    for (size_t i = 0; rc == 0 && i < sizeof links / sizeof links[0]; i++) {
        f.child_kind = links[i].child_kind;
        rc = x_each(x, links[i].sql, links[i].what, links[i].fn);
    }
    x->aux = NULL;
    for (int i = 0; i < 4; i++)
        sqlite3_finalize(*sts[i]);
    return rc;
}
