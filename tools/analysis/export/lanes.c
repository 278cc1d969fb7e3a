/* lanes.c - the export's processes and synthetic threads (see lanes.h).
 * One query over procs, one over the distinct (proc, kind, priority) of
 * the slices, one over the fixed lanes in use (each through x_rows). */
#define _POSIX_C_SOURCE 200809L
#include "lanes.h"

#include "export_internal.h" /* x_rows */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_proc(const void *a, const void *b)
{
    const xproc_t *x = a, *y = b;
    return (x->proc > y->proc) - (x->proc < y->proc);
}

void lanes_free(lanes_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->p[i].name);
    free(l->p);
    l->p = NULL;
    l->n = 0;
}

const xproc_t *lanes_proc(const lanes_t *l, int64_t proc)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->p[mid].proc < proc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->p[lo].proc == proc ? &l->p[lo] : NULL;
}

int lanes_prio(const xproc_t *p, int kind, int has_prio, int64_t prio)
{
    for (size_t i = 0; i < p->nprio; i++) {
        const prio_lane_t *q = &p->prio[i];
        if (q->kind == kind && q->has_prio == has_prio && (!has_prio || q->prio == prio))
            return LANE_PRIO0 + (int)i;
    }
    return kind == KIND_TASK ? LANE_MORE_TASKS : LANE_MORE_EVENTS;
}

/* The pid shown for p: its vpid when no other process has the same one
 * and it fits the tid scheme, else its proc number. */
static void assign_pids(lanes_t *l, const int64_t *vpid)
{
    for (size_t i = 0; i < l->n; i++) {
        int64_t v = vpid[i];
        int ok = v > 0 && v <= (int64_t)(UINT32_MAX / LANES);
        for (size_t j = 0; ok && j < l->n; j++)
            if (j != i && vpid[j] == v)
                ok = 0;
        l->p[i].pid = (uint32_t)(ok ? v : l->p[i].proc);
    }
}

typedef struct procs_ctx {
    lanes_t *l;
    size_t cap;
    int64_t *vpid; /* per process, beside l->p */
    char *err;
    size_t errlen;
} procs_ctx_t;

/* procs: proc, vpid, procname */
static int proc_row(void *ctx, sqlite3_stmt *st)
{
    procs_ctx_t *c = ctx;
    lanes_t *l = c->l;
    if (l->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        xproc_t *np = realloc(l->p, c->cap * sizeof *np);
        int64_t *nv = realloc(c->vpid, c->cap * sizeof *nv);
        if (nv)
            c->vpid = nv;
        if (np)
            l->p = np;
        if (!np || !nv) {
            snprintf(c->err, c->errlen, "out of memory");
            return -1;
        }
    }
    xproc_t *p = &l->p[l->n];
    memset(p, 0, sizeof *p);
    p->proc = sqlite3_column_int64(st, 0);
    c->vpid[l->n] = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 1);
    const char *name = (const char *)sqlite3_column_text(st, 2);
    p->name = name ? strdup(name) : NULL;
    l->n++;
    return 0;
}

static int load_procs(sqlite3 *db, lanes_t *l, char *err, size_t errlen)
{
    procs_ctx_t c = {.l = l, .err = err, .errlen = errlen};
    if (x_rows(db, "SELECT proc, vpid, procname FROM procs ORDER BY proc", "reading procs",
               err, errlen, proc_row, &c)) {
        free(c.vpid);
        return -1;
    }
    if (l->n > 1)
        qsort(l->p, l->n, sizeof *l->p, cmp_proc);
    assign_pids(l, c.vpid);
    free(c.vpid);
    return 0;
}

/* proc, kind, priority: a priority lane, or the overflow lane of its kind
 * once a process has as many as fit. */
static int prio_row(void *ctx, sqlite3_stmt *st)
{
    lanes_t *l = ctx;
    xproc_t *p = (xproc_t *)lanes_proc(l, sqlite3_column_int64(st, 0));
    if (!p)
        return 0;
    int kind = sqlite3_column_int(st, 1);
    int lane;
    if (p->nprio < sizeof p->prio / sizeof p->prio[0]) {
        prio_lane_t *q = &p->prio[p->nprio];
        q->kind = kind;
        q->has_prio = sqlite3_column_type(st, 2) != SQLITE_NULL;
        q->prio = sqlite3_column_int64(st, 2);
        lane = LANE_PRIO0 + (int)p->nprio++;
    } else {
        lane = kind == KIND_TASK ? LANE_MORE_TASKS : LANE_MORE_EVENTS;
    }
    p->used |= UINT64_C(1) << lane;
    return 0;
}

/* proc, fixed lane */
static int fixed_row(void *ctx, sqlite3_stmt *st)
{
    lanes_t *l = ctx;
    xproc_t *p = (xproc_t *)lanes_proc(l, sqlite3_column_int64(st, 0));
    if (p)
        p->used |= UINT64_C(1) << sqlite3_column_int(st, 1);
    return 0;
}

int lanes_load(sqlite3 *db, lanes_t *l, char *err, size_t errlen)
{
    l->p = NULL;
    l->n = 0;
    if (load_procs(db, l, err, errlen))
        return -1;
    static const char prio_sql[] =
        "SELECT proc, 0, priority FROM tasks"
        " WHERE started_ts IS NOT NULL AND finished_ts IS NOT NULL"
        " UNION SELECT proc, 1, priority FROM dispatches"
        " WHERE begin_ts IS NOT NULL AND end_ts IS NOT NULL"
        " ORDER BY 1, 3, 2";
    static const char fixed_sql[] =
        "SELECT proc, 0 FROM renders WHERE begin_ts IS NOT NULL"
        " UNION SELECT proc, 0 FROM stats"
        " UNION SELECT proc, 1 FROM ticks WHERE rendered = 1 AND begin_ts IS NOT NULL"
        " UNION SELECT proc, 2 FROM drops"
        " UNION SELECT proc, 3 FROM inputs";
    if (x_rows(db, prio_sql, "reading lanes", err, errlen, prio_row, l) ||
        x_rows(db, fixed_sql, "reading lanes", err, errlen, fixed_row, l)) {
        lanes_free(l);
        return -1;
    }
    return 0;
}

static const char *prio_word(int64_t p)
{
    switch (p) {
    case 0: return " (critical)";
    case 50: return " (high)";
    case 100: return " (normal)";
    case 200: return " (low)";
    case 1000: return " (idle)";
    default: return "";
    }
}

static void lane_name(const xproc_t *p, int lane, char *buf, size_t len)
{
    static const char *fixed[] = {"loop: renders", "frames", "drops", "inputs"};
    if (lane < LANE_PRIO0) {
        snprintf(buf, len, "%s", fixed[lane]);
    } else if (lane == LANE_MORE_TASKS || lane == LANE_MORE_EVENTS) {
        snprintf(buf, len, "%s: other priorities",
                 lane == LANE_MORE_TASKS ? "tasks" : "events");
    } else {
        const prio_lane_t *q = &p->prio[lane - LANE_PRIO0];
        const char *what = q->kind == KIND_TASK ? "tasks" : "events";
        if (q->has_prio)
            snprintf(buf, len, "%s: priority %" PRId64 "%s", what, q->prio,
                     prio_word(q->prio));
        else
            snprintf(buf, len, "%s: priority unknown", what);
    }
}

void lanes_write_meta(const lanes_t *l, jw_t *w, int64_t *process_names,
                      int64_t *thread_names)
{
    char name[96];
    for (size_t i = 0; i < l->n; i++) {
        const xproc_t *p = &l->p[i];
        /* The tid of a lane in use: an importer makes a thread of every
         * (pid, tid) it sees, and an unused one would show up empty. */
        int first = 0;
        while (first < LANES - 1 && !(p->used & (UINT64_C(1) << first)))
            first++;
        jw_event(w);
        jw_fmt(w, "\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%" PRIu32
                  ",\"tid\":%" PRIu32 ",\"args\":{\"name\":",
               p->pid, lanes_tid(p, p->used ? first : LANE_LOOP));
        if (p->name)
            jw_str(w, p->name);
        else
            jw_fmt(w, "\"rtk process %" PRId64 "\"", p->proc);
        jw_lit(w, "}}");
        (*process_names)++;
        for (int lane = 0; lane < LANES; lane++) {
            if (!(p->used & (UINT64_C(1) << lane)))
                continue;
            lane_name(p, lane, name, sizeof name);
            jw_event(w);
            jw_fmt(w, "\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%" PRIu32
                      ",\"tid\":%" PRIu32 ",\"args\":{\"name\":",
                   p->pid, lanes_tid(p, lane));
            jw_str(w, name);
            jw_lit(w, "}}");
            jw_event(w);
            jw_fmt(w, "\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":%" PRIu32
                      ",\"tid\":%" PRIu32 ",\"args\":{\"sort_index\":%d}}",
                   p->pid, lanes_tid(p, lane), lane);
            (*thread_names)++;
        }
    }
}
