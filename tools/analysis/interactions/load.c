/* load.c - reads the item tables of an rt-trace database into the
 * interactions model's nodes: one SELECT per table (commands, tasks,
 * dispatches, timers, render requests, inputs, renders, ticks), restricted to the
 * processes asked for. O(rows) time and memory. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t col_ts(sqlite3_stmt *st, int c)
{
    return sqlite3_column_type(st, c) == SQLITE_NULL ? NOTS
                                                     : sqlite3_column_int64(st, c);
}

static uint64_t col_u(sqlite3_stmt *st, int c)
{
    return (uint64_t)sqlite3_column_int64(st, c);
}


/* Run "SELECT cols FROM table [WHERE proc ...] [tail]" and hand each row to
 * fn. */
static int each_row(sqlite3 *db, rtt_interactions_t *s, const filter_t *f,
                    const char *cols, const char *table, const char *tail,
                    int (*fn)(rtt_interactions_t *, sqlite3_stmt *),
                    char *err, size_t errlen)
{
    char sql[768];
    const char *where = f->name ? " WHERE proc IN (SELECT proc FROM procs "
                                  "WHERE procname = ?1)"
                        : f->proc >= 0 ? " WHERE proc = ?1" : "";
    /* windowed: the table's time column from :from on (tables without one
     * are read whole) */
    const char *wcol = !f->windowed ? NULL
                       : strcmp(table, "commands") == 0 ? "sent_ts"
                       : strcmp(table, "tasks") == 0 ? "queued_ts"
                       : strcmp(table, "dispatches") == 0 ? "queued_ts"
                       : strcmp(table, "render_requests") == 0 ? "ts"
                       : strcmp(table, "inputs") == 0 ? "input_ts"
                       : strcmp(table, "ticks") == 0 ? "begin_ts"
                       : strcmp(table, "renders") == 0 ? "begin_ts"
                                                        : NULL;
    char win[64] = "";
    if (wcol)
        snprintf(win, sizeof win, "%s%s >= :from", *where ? " AND " : " WHERE ", wcol);
    snprintf(sql, sizeof sql, "SELECT %s FROM %s%s%s%s%s", cols, table, where, win,
             tail && (*where || *win) ? " AND " : tail ? " WHERE " : "",
             tail ? tail : "");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        rtt__ix_err(err, errlen, "cannot read the trace tables: %s",
                sqlite3_errmsg(db));
        return -1;
    }
    if (f->name)
        sqlite3_bind_text(st, 1, f->name, -1, SQLITE_STATIC);
    else if (f->proc >= 0)
        sqlite3_bind_int64(st, 1, f->proc);
    if (wcol)
        sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":from"), f->from_ts);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(s, st) < 0) {
            sqlite3_finalize(st);
            rtt__ix_err(err, errlen, "out of memory");
            return -1;
        }
    }
    if (rc != SQLITE_DONE) {
        rtt__ix_err(err, errlen, "reading the trace tables: %s",
                sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

/* A node of `kind` from a row whose first columns are (proc, id, cause),
 * as every query below selects them; NULL when out of memory. */
static node_t *node_from_row(rtt_interactions_t *s, int kind,
                             sqlite3_stmt *st)
{
    node_t *nd = rtt__ix_node_new(s);
    if (!nd)
        return NULL;
    nd->kind = (uint8_t)kind;
    nd->proc = sqlite3_column_int64(st, 0);
    nd->id = col_u(st, 1);
    nd->cause = col_u(st, 2);
    return nd;
}

static int row_command(rtt_interactions_t *s, sqlite3_stmt *st)
{
    node_t *nd = node_from_row(s, K_COMMAND, st);
    if (!nd)
        return -1;
    nd->extra = sqlite3_column_int(st, 3);
    nd->alt = col_u(st, 4);
    nd->t0 = col_ts(st, 5);
    nd->t1 = col_ts(st, 6);
    return 0;
}

static int row_task(rtt_interactions_t *s, sqlite3_stmt *st)
{
    int32_t name = rtt__ix_intern(s, (const char *)sqlite3_column_text(st, 3));
    if (name == -2)
        return -1;
    node_t *nd = node_from_row(s, K_TASK, st);
    if (!nd)
        return -1;
    nd->name = name;
    nd->extra = sqlite3_column_int(st, 4);
    nd->alt = col_u(st, 5);
    nd->t0 = col_ts(st, 6);
    nd->t1 = col_ts(st, 7);
    nd->t2 = col_ts(st, 8);
    return 0;
}

static int row_dispatch(rtt_interactions_t *s, sqlite3_stmt *st)
{
    node_t *nd = node_from_row(s, K_DISPATCH, st);
    if (!nd)
        return -1;
    nd->extra = sqlite3_column_int(st, 3);
    nd->path = (uint8_t)sqlite3_column_int(st, 4);
    nd->t0 = col_ts(st, 5);
    nd->t1 = col_ts(st, 6);
    nd->t2 = col_ts(st, 7);
    return 0;
}

static int row_timer(rtt_interactions_t *s, sqlite3_stmt *st)
{
    int32_t name = rtt__ix_intern(s, (const char *)sqlite3_column_text(st, 3));
    if (name == -2)
        return -1;
    node_t *nd = node_from_row(s, K_TIMER, st);
    if (!nd)
        return -1;
    nd->name = name;
    nd->t0 = col_ts(st, 4);
    return 0;
}

static int row_request(rtt_interactions_t *s, sqlite3_stmt *st)
{
    node_t *nd = node_from_row(s, K_REQUEST, st);
    if (!nd)
        return -1;
    nd->t0 = col_ts(st, 3);
    return 0;
}

static int row_render(rtt_interactions_t *s, sqlite3_stmt *st)
{
    if (s->n_renders == s->cap_renders) {
        size_t cap = s->cap_renders ? s->cap_renders * 2 : 1024;
        render_t *p = realloc(s->renders, cap * sizeof *p);
        if (!p)
            return -1;
        s->renders = p;
        s->cap_renders = cap;
    }
    render_t *r = &s->renders[s->n_renders++];
    r->proc = sqlite3_column_int64(st, 0);
    r->id = col_u(st, 1);
    r->frame = sqlite3_column_type(st, 2) == SQLITE_NULL
                   ? -1 : sqlite3_column_int64(st, 2);
    r->begin = col_ts(st, 3);
    r->end = col_ts(st, 4);
    return 0;
}

static int row_input(rtt_interactions_t *s, sqlite3_stmt *st)
{
    int32_t name = rtt__ix_intern(s, (const char *)sqlite3_column_text(st, 3));
    if (name == -2)
        return -1;
    node_t *nd = node_from_row(s, K_INPUT, st);
    if (!nd)
        return -1;
    nd->name = name;
    nd->t0 = col_ts(st, 4);
    nd->t1 = col_ts(st, 5);
    return 0;
}

static int row_tick(rtt_interactions_t *s, sqlite3_stmt *st)
{
    if (s->n_ticks == s->cap_ticks) {
        size_t cap = s->cap_ticks ? s->cap_ticks * 2 : 1024;
        tick_t *p = realloc(s->ticks, cap * sizeof *p);
        if (!p)
            return -1;
        s->ticks = p;
        s->cap_ticks = cap;
    }
    tick_t *t = &s->ticks[s->n_ticks++];
    t->proc = sqlite3_column_int64(st, 0);
    t->tick = sqlite3_column_int64(st, 1);
    t->begin = col_ts(st, 2);
    t->end = col_ts(st, 3);
    return 0;
}

static int cmp_tick(const void *a, const void *b)
{
    const tick_t *x = a, *y = b;
    if (x->proc != y->proc)
        return x->proc < y->proc ? -1 : 1;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    return (x->tick > y->tick) - (x->tick < y->tick);
}

/* Ticks come in key order, (proc, tick): a loop numbers its ticks in time
 * order, so that is (proc, begin) already, checked in one pass, and sorted
 * here only when not (an ORDER BY made SQLite sort every tick of the run
 * in a temporary b-tree: 15% of the load's CPU at 1 M ticks). */
static void sort_ticks(rtt_interactions_t *s)
{
    for (size_t i = 1; i < s->n_ticks; i++)
        if (cmp_tick(&s->ticks[i - 1], &s->ticks[i]) > 0) {
            qsort(s->ticks, s->n_ticks, sizeof *s->ticks, cmp_tick);
            return;
        }
}

int rtt__ix_load_rows(sqlite3 *db, rtt_interactions_t *s, const filter_t *f,
                     char *err, size_t errlen)
{
    if (each_row(db, s, f, "proc, id, cause, cmd, task_id, sent_ts, handled_ts",
                 "commands", NULL, row_command, err, errlen) ||
        each_row(db, s, f, "proc, id, cause, name, source, timer_id, "
                 "queued_ts, started_ts, finished_ts", "tasks", NULL,
                 row_task, err, errlen) ||
        each_row(db, s, f, "proc, id, cause, type, path, queued_ts, begin_ts, "
                 "end_ts", "dispatches", NULL, row_dispatch, err, errlen) ||
        each_row(db, s, f, "proc, id, cause, name, armed_ts", "timers", NULL,
                 row_timer, err, errlen) ||
        each_row(db, s, f, "proc, id, cause, ts", "render_requests", NULL,
                 row_request, err, errlen) ||
        each_row(db, s, f, "proc, id, cause, name, input_ts, ts", "inputs",
                 NULL, row_input, err, errlen) ||
        each_row(db, s, f, "proc, tick, begin_ts, end_ts", "ticks",
                 "begin_ts IS NOT NULL AND end_ts IS NOT NULL", row_tick, err, errlen))
        return -1;
    sort_ticks(s);
    return each_row(db, s, f, "proc, id, frame, begin_ts, end_ts", "renders",
                    "begin_ts IS NOT NULL ORDER BY proc, begin_ts, id",
                    row_render, err, errlen);
}
