/* interactions.c - rebuilds keystroke-to-render interactions from cause ids
 * (see interactions.h for the definition and the latency split).
 *
 * Data structures:
 *   nodes[]   one per command, task, dispatch, timer and render request row
 *             (80 bytes each), with its parent (the node its cause names)
 *             and the interaction it belongs to (memoised);
 *   idmap     open-addressing hash (proc, id) -> node index, load <= 1/2;
 *   renders[] sorted by (proc, begin_ts): the first render at or after a
 *             request is one binary search;
 *   by_start[] tasks with both started and finished, sorted by started_ts,
 *             for "which other task ran meanwhile" (worst list only).
 * Everything is loaded with one SELECT per table: O(rows) time and memory.
 */
#include "interactions.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NOTS INT64_MIN /* a NULL timestamp */

enum { K_COMMAND, K_TASK, K_DISPATCH, K_TIMER, K_REQUEST };
enum { R_UNRESOLVED = -2, R_BUSY = -3, R_NONE = -1 };

typedef struct node {
    int64_t proc;
    uint64_t id, cause;
    uint64_t alt;        /* command: task_id; task: timer_id */
    int64_t t0, t1, t2;  /* command: sent, handled; task: queued, started,
                            finished; dispatch: queued, begin, end;
                            timer: armed; request: ts */
    int32_t name;        /* string pool index, -1 none */
    int32_t parent;      /* node index, -1 none */
    int32_t root;        /* interaction index or R_* */
    int32_t extra;       /* command: cmd; task: source; dispatch: type */
    uint8_t kind;
    uint8_t path;        /* dispatch path */
} node_t;

typedef struct render {
    int64_t proc;
    uint64_t id;
    int64_t frame, begin, end;
} render_t;

/* Per interaction, the private half of the record. */
typedef struct ix_priv {
    int32_t cmd;     /* node index of the root command */
    int32_t task;    /* root task node, -1 */
    int32_t request; /* first render request node, -1 */
    int32_t render;  /* renders[] index, -1 */
} ix_priv_t;

struct rtt_interactions {
    node_t *nodes;
    size_t n, cap;
    int32_t *map; /* node index + 1, 0 empty */
    size_t map_cap;
    char **names;
    size_t n_names, cap_names;
    int32_t *name_map; /* name index + 1 */
    size_t name_map_cap;
    render_t *renders;
    size_t n_renders, cap_renders;
    int32_t *by_start;
    size_t n_by_start;
    int64_t max_task_run;
    rtt_interaction_t *ix;
    ix_priv_t *priv;
    size_t n_ix;
};

static void set_err(char *err, size_t len, const char *fmt, ...)
{
    if (!err || !len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t key_hash(int64_t proc, uint64_t id)
{
    return mix(id ^ mix((uint64_t)proc + 0x9e3779b97f4a7c15ULL));
}

/* --- string pool -------------------------------------------------------- */

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int name_grow(rtt_interactions_t *s)
{
    size_t cap = s->name_map_cap ? s->name_map_cap * 2 : 64;
    int32_t *m = calloc(cap, sizeof *m);
    if (!m)
        return -1;
    for (size_t i = 0; i < s->n_names; i++) {
        size_t h = str_hash(s->names[i]) & (cap - 1);
        while (m[h])
            h = (h + 1) & (cap - 1);
        m[h] = (int32_t)i + 1;
    }
    free(s->name_map);
    s->name_map = m;
    s->name_map_cap = cap;
    return 0;
}

/* Intern s; returns its index, -1 for NULL/empty, -2 on allocation failure. */
static int32_t intern(rtt_interactions_t *s, const char *str)
{
    if (!str || !*str)
        return -1;
    if ((s->n_names + 1) * 2 > s->name_map_cap && name_grow(s) < 0)
        return -2;
    size_t h = str_hash(str) & (s->name_map_cap - 1);
    while (s->name_map[h]) {
        int32_t i = s->name_map[h] - 1;
        if (strcmp(s->names[i], str) == 0)
            return i;
        h = (h + 1) & (s->name_map_cap - 1);
    }
    if (s->n_names == s->cap_names) {
        size_t cap = s->cap_names ? s->cap_names * 2 : 32;
        char **p = realloc(s->names, cap * sizeof *p);
        if (!p)
            return -2;
        s->names = p;
        s->cap_names = cap;
    }
    size_t len = strlen(str) + 1;
    char *copy = malloc(len);
    if (!copy)
        return -2;
    memcpy(copy, str, len);
    s->names[s->n_names] = copy;
    s->name_map[h] = (int32_t)s->n_names + 1;
    return (int32_t)s->n_names++;
}

static const char *name_of(const rtt_interactions_t *s, int32_t i)
{
    return i >= 0 ? s->names[i] : "";
}

/* --- nodes and the id map ----------------------------------------------- */

static node_t *node_new(rtt_interactions_t *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        if (cap > INT32_MAX)
            return NULL;
        node_t *p = realloc(s->nodes, cap * sizeof *p);
        if (!p)
            return NULL;
        s->nodes = p;
        s->cap = cap;
    }
    node_t *nd = &s->nodes[s->n++];
    memset(nd, 0, sizeof *nd);
    nd->t0 = nd->t1 = nd->t2 = NOTS;
    nd->name = nd->parent = -1;
    nd->root = R_UNRESOLVED;
    return nd;
}

static int map_build(rtt_interactions_t *s)
{
    size_t cap = 16;
    while (cap < s->n * 2)
        cap *= 2;
    s->map = calloc(cap, sizeof *s->map);
    if (!s->map)
        return -1;
    s->map_cap = cap;
    for (size_t i = 0; i < s->n; i++) {
        const node_t *nd = &s->nodes[i];
        size_t h = key_hash(nd->proc, nd->id) & (cap - 1);
        int dup = 0;
        while (s->map[h]) {
            const node_t *o = &s->nodes[s->map[h] - 1];
            if (o->proc == nd->proc && o->id == nd->id) {
                dup = 1; /* ids are unique per process; keep the first */
                break;
            }
            h = (h + 1) & (cap - 1);
        }
        if (!dup)
            s->map[h] = (int32_t)i + 1;
    }
    return 0;
}

static int32_t lookup(const rtt_interactions_t *s, int64_t proc, uint64_t id)
{
    if (!id || !s->map_cap)
        return -1;
    size_t h = key_hash(proc, id) & (s->map_cap - 1);
    while (s->map[h]) {
        const node_t *o = &s->nodes[s->map[h] - 1];
        if (o->proc == proc && o->id == id)
            return s->map[h] - 1;
        h = (h + 1) & (s->map_cap - 1);
    }
    return -1;
}

/* --- loading ------------------------------------------------------------ */

static int64_t col_ts(sqlite3_stmt *st, int c)
{
    return sqlite3_column_type(st, c) == SQLITE_NULL ? NOTS
                                                     : sqlite3_column_int64(st, c);
}

static uint64_t col_u(sqlite3_stmt *st, int c)
{
    return (uint64_t)sqlite3_column_int64(st, c);
}

/* Which processes to read: all, one proc number, or every proc of a name. */
typedef struct filter {
    int64_t proc;     /* >= 0: this proc */
    const char *name; /* non-NULL: procs of this procname */
} filter_t;

/* Run "SELECT cols FROM table [WHERE proc ...] [tail]" and hand each row to
 * fn. */
static int each_row(sqlite3 *db, rtt_interactions_t *s, const filter_t *f,
                    const char *cols, const char *table, const char *tail,
                    int (*fn)(rtt_interactions_t *, sqlite3_stmt *),
                    char *err, size_t errlen)
{
    char sql[512];
    const char *where = f->name ? " WHERE proc IN (SELECT proc FROM procs "
                                  "WHERE procname = ?1)"
                        : f->proc >= 0 ? " WHERE proc = ?1" : "";
    snprintf(sql, sizeof sql, "SELECT %s FROM %s%s%s%s", cols, table, where,
             tail && *where ? " AND " : tail ? " WHERE " : "",
             tail ? tail : "");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        set_err(err, errlen, "cannot read the trace tables: %s",
                sqlite3_errmsg(db));
        return -1;
    }
    if (f->name)
        sqlite3_bind_text(st, 1, f->name, -1, SQLITE_STATIC);
    else if (f->proc >= 0)
        sqlite3_bind_int64(st, 1, f->proc);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(s, st) < 0) {
            sqlite3_finalize(st);
            set_err(err, errlen, "out of memory");
            return -1;
        }
    }
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "reading the trace tables: %s",
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
    node_t *nd = node_new(s);
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
    int32_t name = intern(s, (const char *)sqlite3_column_text(st, 3));
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
    int32_t name = intern(s, (const char *)sqlite3_column_text(st, 3));
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

static int load_rows(sqlite3 *db, rtt_interactions_t *s, const filter_t *f,
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
                 row_request, err, errlen))
        return -1;
    return each_row(db, s, f, "proc, id, frame, begin_ts, end_ts", "renders",
                    "begin_ts IS NOT NULL ORDER BY proc, begin_ts, id",
                    row_render, err, errlen);
}

/* --- linking ------------------------------------------------------------ */

static void link_parents(rtt_interactions_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        node_t *nd = &s->nodes[i];
        int32_t p = lookup(s, nd->proc, nd->cause);
        if (p == (int32_t)i)
            p = -1;
        /* A timer's fire task belongs to its timer when its cause is not
         * in the trace. */
        if (p < 0 && nd->kind == K_TASK && nd->extra == 1 && nd->alt) {
            p = lookup(s, nd->proc, nd->alt);
            if (p >= 0 && s->nodes[p].kind != K_TIMER)
                p = -1;
        }
        nd->parent = p;
    }
    /* A command's task belongs to the command when its cause is unknown. */
    for (size_t i = 0; i < s->n; i++) {
        const node_t *c = &s->nodes[i];
        if (c->kind != K_COMMAND || !c->alt)
            continue;
        int32_t t = lookup(s, c->proc, c->alt);
        if (t >= 0 && s->nodes[t].kind == K_TASK && s->nodes[t].parent < 0)
            s->nodes[t].parent = (int32_t)i;
    }
}

static int cmp_root(const void *a, const void *b, const node_t *nodes)
{
    const node_t *x = &nodes[*(const int32_t *)a];
    const node_t *y = &nodes[*(const int32_t *)b];
    if (x->proc != y->proc)
        return x->proc < y->proc ? -1 : 1;
    if (x->t0 != y->t0)
        return x->t0 < y->t0 ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static const node_t *g_sort_nodes; /* qsort has no context argument */
static int cmp_root_q(const void *a, const void *b)
{
    return cmp_root(a, b, g_sort_nodes);
}

static int cmp_start_q(const void *a, const void *b)
{
    const node_t *x = &g_sort_nodes[*(const int32_t *)a];
    const node_t *y = &g_sort_nodes[*(const int32_t *)b];
    if (x->t1 != y->t1)
        return x->t1 < y->t1 ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Memoised walk up the parent pointers; a cycle (corrupt trace) resolves
 * to no interaction. O(n) over all calls. */
static void resolve_roots(rtt_interactions_t *s, int32_t *stack)
{
    for (size_t i = 0; i < s->n; i++) {
        size_t depth = 0;
        int32_t j = (int32_t)i;
        int32_t r = R_NONE;
        while (j >= 0 && s->nodes[j].root == R_UNRESOLVED) {
            s->nodes[j].root = R_BUSY;
            stack[depth++] = j;
            j = s->nodes[j].parent;
        }
        if (j >= 0)
            r = s->nodes[j].root == R_BUSY ? R_NONE : s->nodes[j].root;
        while (depth)
            s->nodes[stack[--depth]].root = r;
    }
}

static int32_t render_after(const rtt_interactions_t *s, int64_t proc,
                            int64_t ts)
{
    size_t lo = 0, hi = s->n_renders;
    while (lo < hi) { /* first (proc, begin) >= (proc, ts) */
        size_t mid = lo + (hi - lo) / 2;
        const render_t *r = &s->renders[mid];
        if (r->proc < proc || (r->proc == proc && r->begin < ts))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n_renders && s->renders[lo].proc == proc)
        return (int32_t)lo;
    return -1;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* End of the item whose run made the request (the "synchronous part"). */
static int64_t requester_end(const rtt_interactions_t *s, const node_t *req)
{
    int64_t t = NOTS;
    if (req->parent >= 0) {
        const node_t *p = &s->nodes[req->parent];
        if (p->kind == K_TASK || p->kind == K_DISPATCH)
            t = p->t2;
        else if (p->kind == K_COMMAND)
            t = p->t1;
    }
    return t == NOTS || t < req->t0 ? req->t0 : t;
}

static void measure(rtt_interactions_t *s, size_t k)
{
    rtt_interaction_t *ix = &s->ix[k];
    ix_priv_t *pv = &s->priv[k];
    const node_t *cmd = &s->nodes[pv->cmd];
    ix->has_render = 0;
    pv->render = -1;
    if (pv->request < 0 || cmd->t0 == NOTS)
        return;
    const node_t *req = &s->nodes[pv->request];
    int32_t r = render_after(s, cmd->proc, req->t0);
    if (r < 0)
        return;
    const render_t *rd = &s->renders[r];
    pv->render = r;
    ix->has_render = 1;
    ix->render_id = rd->id;
    ix->frame = rd->frame;

    int64_t p0 = cmd->t0;
    int64_t p4 = rd->end != NOTS ? rd->end : rd->begin;
    if (p4 < p0)
        p4 = p0;
    int64_t p3 = clamp64(rd->begin, p0, p4);
    int64_t p1 = NOTS;
    if (pv->task >= 0)
        p1 = s->nodes[pv->task].t1;
    if (p1 == NOTS)
        p1 = cmd->t1 != NOTS ? cmd->t1 : p0;
    p1 = clamp64(p1, p0, p3);
    int64_t p2 = clamp64(requester_end(s, req), p1, p3);
    ix->queue_ns = p1 - p0;
    ix->run_ns = p2 - p1;
    ix->frame_wait_ns = p3 - p2;
    ix->render_ns = p4 - p3;
    ix->latency_ns = p4 - p0;
}

static int build(rtt_interactions_t *s)
{
    if (map_build(s) < 0)
        return -1;
    link_parents(s);

    size_t nroots = 0;
    for (size_t i = 0; i < s->n; i++) {
        const node_t *nd = &s->nodes[i];
        if (nd->kind == K_COMMAND && nd->cause == 0 && nd->extra == 2)
            nroots++;
    }
    int32_t *tmp = malloc((s->n ? s->n : 1) * sizeof *tmp);
    s->ix = calloc(nroots ? nroots : 1, sizeof *s->ix);
    s->priv = calloc(nroots ? nroots : 1, sizeof *s->priv);
    if (!tmp || !s->ix || !s->priv) {
        free(tmp);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        const node_t *nd = &s->nodes[i];
        if (nd->kind == K_COMMAND && nd->cause == 0 && nd->extra == 2)
            tmp[k++] = (int32_t)i;
    }
    g_sort_nodes = s->nodes;
    qsort(tmp, nroots, sizeof *tmp, cmp_root_q);
    s->n_ix = nroots;
    for (k = 0; k < nroots; k++) {
        node_t *c = &s->nodes[tmp[k]];
        c->root = (int32_t)k;
        c->parent = -1;
        s->priv[k].cmd = tmp[k];
        s->priv[k].task = -1;
        s->priv[k].request = -1;
        s->ix[k].proc = c->proc;
        s->ix[k].command_id = c->id;
        s->ix[k].sent_ts = c->t0;
        s->ix[k].name = "";
    }
    resolve_roots(s, tmp);

    /* One pass: tree sizes, root tasks, first requests, task index. */
    s->n_by_start = 0;
    for (size_t i = 0; i < s->n; i++) {
        const node_t *nd = &s->nodes[i];
        if (nd->kind == K_TASK && nd->t1 != NOTS && nd->t2 != NOTS &&
            nd->t2 >= nd->t1) {
            tmp[s->n_by_start++] = (int32_t)i;
            if (nd->t2 - nd->t1 > s->max_task_run)
                s->max_task_run = nd->t2 - nd->t1;
        }
        if (nd->root < 0)
            continue;
        ix_priv_t *pv = &s->priv[nd->root];
        s->ix[nd->root].items++;
        if (nd->kind == K_TASK && nd->parent == pv->cmd) {
            const node_t *c = &s->nodes[pv->cmd];
            int better = pv->task < 0 || nd->id == c->alt ||
                         (s->nodes[pv->task].id != c->alt &&
                          nd->id < s->nodes[pv->task].id);
            if (better)
                pv->task = (int32_t)i;
        }
        if (nd->kind == K_REQUEST && nd->t0 != NOTS) {
            const node_t *b = pv->request >= 0 ? &s->nodes[pv->request] : NULL;
            if (!b || nd->t0 < b->t0 || (nd->t0 == b->t0 && nd->id < b->id))
                pv->request = (int32_t)i;
        }
    }
    s->by_start = malloc((s->n_by_start ? s->n_by_start : 1) * sizeof(int32_t));
    if (!s->by_start) {
        free(tmp);
        return -1;
    }
    memcpy(s->by_start, tmp, s->n_by_start * sizeof(int32_t));
    qsort(s->by_start, s->n_by_start, sizeof(int32_t), cmp_start_q);
    free(tmp);

    for (k = 0; k < s->n_ix; k++) {
        if (s->priv[k].task >= 0) {
            const node_t *t = &s->nodes[s->priv[k].task];
            s->ix[k].task_id = t->id;
            s->ix[k].name = name_of(s, t->name);
        }
        measure(s, k);
    }
    return 0;
}

static int load(sqlite3 *db, const filter_t *f, rtt_interactions_t **out,
                char *err, size_t errlen)
{
    *out = NULL;
    rtt_interactions_t *s = calloc(1, sizeof *s);
    if (!s) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    if (load_rows(db, s, f, err, errlen) < 0) {
        rtt_interactions_free(s);
        return -1;
    }
    if (build(s) < 0) {
        set_err(err, errlen, "out of memory");
        rtt_interactions_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int rtt_interactions_load(sqlite3 *db, rtt_interactions_t **out, char *err,
                          size_t errlen)
{
    filter_t f = {-1, NULL};
    return load(db, &f, out, err, errlen);
}

int rtt_interactions_load_proc(sqlite3 *db, int64_t proc, const char *procname,
                               rtt_interactions_t **out, char *err,
                               size_t errlen)
{
    filter_t f = {procname ? -1 : proc, procname};
    return load(db, &f, out, err, errlen);
}

void rtt_interactions_free(rtt_interactions_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_names; i++)
        free(s->names[i]);
    free(s->names);
    free(s->name_map);
    free(s->nodes);
    free(s->map);
    free(s->renders);
    free(s->by_start);
    free(s->ix);
    free(s->priv);
    free(s);
}

size_t rtt_interactions_count(const rtt_interactions_t *s)
{
    return s ? s->n_ix : 0;
}

const rtt_interaction_t *rtt_interactions_get(const rtt_interactions_t *s,
                                              size_t i)
{
    return s && i < s->n_ix ? &s->ix[i] : NULL;
}

/* --- aggregates --------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Linear interpolation between closest ranks (numpy's default). */
static int64_t pct(const int64_t *v, size_t n, double p)
{
    if (!n)
        return 0;
    double rank = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)rank;
    if (lo >= n - 1)
        return v[n - 1];
    double frac = rank - (double)lo;
    double x = (double)v[lo] + frac * (double)(v[lo + 1] - v[lo]);
    return (int64_t)(x + (x >= 0 ? 0.5 : -0.5));
}

void rtt_interactions_dist(int64_t *v, size_t n, rtt_dist_t *d)
{
    memset(d, 0, sizeof *d);
    if (!n)
        return;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)v[i];
    qsort(v, n, sizeof *v, cmp_i64);
    d->p50 = pct(v, n, 50);
    d->p90 = pct(v, n, 90);
    d->p99 = pct(v, n, 99);
    d->max = v[n - 1];
    d->mean = sum / (double)n;
}

void rtt_interactions_stats(const rtt_interactions_t *s, int64_t budget_ns,
                            rtt_interaction_stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->budget_ns = budget_ns > 0 ? budget_ns : RTT_INTERACTION_16MS_NS;
    if (!s)
        return;
    out->keystrokes = s->n_ix;
    size_t n = 0;
    for (size_t i = 0; i < s->n_ix; i++)
        n += s->ix[i].has_render != 0;
    out->count = n;
    out->no_render = s->n_ix - n;
    if (!n)
        return;
    int64_t *v = malloc(n * sizeof *v);
    if (!v)
        return;
    uint64_t over_b = 0, over_hb = 0, over16 = 0, over8 = 0;
    for (int part = 0; part < 5; part++) {
        size_t j = 0;
        for (size_t i = 0; i < s->n_ix; i++) {
            const rtt_interaction_t *x = &s->ix[i];
            if (!x->has_render)
                continue;
            int64_t val = part == 0 ? x->latency_ns : part == 1 ? x->queue_ns
                        : part == 2 ? x->run_ns : part == 3 ? x->frame_wait_ns
                        : x->render_ns;
            v[j++] = val;
            if (part == 0) {
                over_b += val > out->budget_ns;
                over_hb += val > out->budget_ns / 2;
                over16 += val > RTT_INTERACTION_16MS_NS;
                over8 += val > RTT_INTERACTION_8MS_NS;
            }
        }
        rtt_dist_t *d = part == 0 ? &out->latency : part == 1 ? &out->queue
                      : part == 2 ? &out->run : part == 3 ? &out->frame_wait
                      : &out->render;
        rtt_interactions_dist(v, n, d);
    }
    free(v);
    out->over_budget_share = (double)over_b / (double)n;
    out->over_half_budget_share = (double)over_hb / (double)n;
    out->over_16ms_share = (double)over16 / (double)n;
    out->over_8ms_share = (double)over8 / (double)n;
}

static const rtt_interaction_t *g_sort_ix;
static int cmp_worst(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int64_t x = g_sort_ix[i].latency_ns, y = g_sort_ix[j].latency_ns;
    if (x != y)
        return x > y ? -1 : 1;
    return i < j ? -1 : i > j; /* set order: proc, sent, id */
}

size_t rtt_interactions_worst(const rtt_interactions_t *s, size_t n,
                              size_t *idx)
{
    if (!s || !n)
        return 0;
    size_t m = 0;
    size_t *all = malloc((s->n_ix ? s->n_ix : 1) * sizeof *all);
    if (!all)
        return 0;
    for (size_t i = 0; i < s->n_ix; i++)
        if (s->ix[i].has_render)
            all[m++] = i;
    g_sort_ix = s->ix;
    qsort(all, m, sizeof *all, cmp_worst);
    if (m > n)
        m = n;
    memcpy(idx, all, m * sizeof *idx);
    free(all);
    return m;
}

/* --- chains ------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, used;
    int full;
} sbuf_t;

static void sb_add(sbuf_t *b, const char *fmt, ...)
{
    if (b->full || !b->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(b->p + b->used, b->len - b->used, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= b->len - b->used) {
        b->full = 1;
        b->used = b->len - 1;
        if (b->len > 4)
            memcpy(b->p + b->len - 4, "...", 4);
        return;
    }
    b->used += (size_t)w;
}

static const char *ms(int64_t ns, char *buf, size_t len)
{
    double v = (double)ns / 1e6;
    snprintf(buf, len, v < 10 ? "%.2fms" : "%.1fms", v);
    return buf;
}

#define MAX_DEPTH 64

/* The nodes from the root command to the first request, root first. */
static size_t chain_path(const rtt_interactions_t *s, size_t i, int32_t *path)
{
    const ix_priv_t *pv = &s->priv[i];
    int32_t j = pv->request >= 0 ? pv->request : pv->task >= 0 ? pv->task
                                                               : pv->cmd;
    size_t n = 0;
    int32_t rev[MAX_DEPTH];
    while (j >= 0 && n < MAX_DEPTH) {
        rev[n++] = j;
        if (j == pv->cmd)
            break;
        j = s->nodes[j].parent;
    }
    for (size_t k = 0; k < n; k++)
        path[k] = rev[n - 1 - k];
    return n;
}

static void node_text(const rtt_interactions_t *s, const rtt_interaction_t *ix,
                      const node_t *nd, sbuf_t *b)
{
    char t1[32], t2[32];
    static const char *paths[] = {"queued", "async", "direct"};
    switch (nd->kind) {
    case K_COMMAND:
        sb_add(b, "command#%" PRIu64 " %s", nd->id,
               ix->name[0] ? ix->name : "schedule_task");
        if (nd->t0 != NOTS && nd->t1 != NOTS)
            sb_add(b, " (wait %s)", ms(nd->t1 - nd->t0, t1, sizeof t1));
        break;
    case K_TASK:
        sb_add(b, "task#%" PRIu64 " %s", nd->id,
               nd->name >= 0 ? name_of(s, nd->name) : "(unnamed)");
        if (nd->t0 != NOTS && nd->t1 != NOTS && nd->t2 != NOTS)
            sb_add(b, " (wait %s, run %s)", ms(nd->t1 - nd->t0, t1, sizeof t1),
                   ms(nd->t2 - nd->t1, t2, sizeof t2));
        else if (nd->t1 != NOTS && nd->t2 != NOTS)
            sb_add(b, " (run %s)", ms(nd->t2 - nd->t1, t2, sizeof t2));
        break;
    case K_DISPATCH:
        sb_add(b, "event#%" PRIu64 " type %d (%s", nd->id, nd->extra,
               nd->path < 3 ? paths[nd->path] : "?");
        if (nd->t1 != NOTS && nd->t2 != NOTS)
            sb_add(b, ", run %s", ms(nd->t2 - nd->t1, t1, sizeof t1));
        sb_add(b, ")");
        break;
    case K_TIMER:
        sb_add(b, "timer#%" PRIu64 " %s", nd->id,
               nd->name >= 0 ? name_of(s, nd->name) : "(unnamed)");
        break;
    default:
        sb_add(b, "render_request#%" PRIu64, nd->id);
        break;
    }
}

static int on_path(const int32_t *path, size_t n, int32_t j)
{
    for (size_t k = 0; k < n; k++)
        if (path[k] == j)
            return 1;
    return 0;
}

static int32_t find_blocker(const rtt_interactions_t *s, size_t i,
                            const int32_t *path, size_t np)
{
    const rtt_interaction_t *ix = &s->ix[i];
    const ix_priv_t *pv = &s->priv[i];
    if (pv->render < 0)
        return -1;
    int64_t a = ix->sent_ts;
    int64_t b = s->renders[pv->render].begin;
    int64_t from = a - s->max_task_run;
    size_t lo = 0, hi = s->n_by_start;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->nodes[s->by_start[mid]].t1 < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    int32_t best = -1;
    int64_t best_run = 0;
    for (size_t k = lo; k < s->n_by_start; k++) {
        int32_t j = s->by_start[k];
        const node_t *t = &s->nodes[j];
        if (t->t1 >= b)
            break;
        if (t->proc != ix->proc || t->t2 <= a || on_path(path, np, j))
            continue;
        int64_t run = t->t2 - t->t1;
        if (run > best_run) {
            best_run = run;
            best = j;
        }
    }
    return best;
}

int rtt_interactions_blocker(const rtt_interactions_t *s, size_t i,
                             uint64_t *task_id, const char **name,
                             int64_t *run_ns, uint64_t *root_command)
{
    if (!s || i >= s->n_ix)
        return 0;
    int32_t path[MAX_DEPTH];
    size_t np = chain_path(s, i, path);
    int32_t j = find_blocker(s, i, path, np);
    if (j < 0)
        return 0;
    const node_t *t = &s->nodes[j];
    *task_id = t->id;
    *name = name_of(s, t->name);
    *run_ns = t->t2 - t->t1;
    *root_command = t->root >= 0 ? s->ix[t->root].command_id : 0;
    return 1;
}

void rtt_interactions_chain(const rtt_interactions_t *s, size_t i, char *buf,
                            size_t len)
{
    if (!buf || !len)
        return;
    buf[0] = 0;
    if (!s || i >= s->n_ix)
        return;
    sbuf_t b = {buf, len, 0, 0};
    const rtt_interaction_t *ix = &s->ix[i];
    const ix_priv_t *pv = &s->priv[i];
    int32_t path[MAX_DEPTH];
    size_t np = chain_path(s, i, path);
    for (size_t k = 0; k < np; k++) {
        if (k)
            sb_add(&b, " -> ");
        node_text(s, ix, &s->nodes[path[k]], &b);
    }
    char t1[32], t2[32];
    if (pv->render >= 0) {
        const render_t *r = &s->renders[pv->render];
        sb_add(&b, " -> render#%" PRIu64 " frame %" PRId64 " (wait %s", r->id,
               r->frame, ms(ix->frame_wait_ns, t1, sizeof t1));
        if (r->end != NOTS)
            sb_add(&b, ", draw %s", ms(ix->render_ns, t2, sizeof t2));
        sb_add(&b, ")");
    } else {
        sb_add(&b, " -> (no render)");
    }
    int32_t j = find_blocker(s, i, path, np);
    if (j >= 0) {
        const node_t *t = &s->nodes[j];
        sb_add(&b, " | longest other task: task#%" PRIu64 " %s %s", t->id,
               t->name >= 0 ? name_of(s, t->name) : "(unnamed)",
               ms(t->t2 - t->t1, t1, sizeof t1));
        if (t->root >= 0)
            sb_add(&b, " (from command#%" PRIu64 ")",
                   s->ix[t->root].command_id);
    }
}

/* --- summary ------------------------------------------------------------ */

int rtt_interactions_summarize(sqlite3 *db, rtt_interaction_stats_t *st,
                               char *err, size_t errlen)
{
    rtt_interactions_t *s;
    if (rtt_interactions_load(db, &s, err, errlen) < 0)
        return -1;
    rtt_interactions_stats(s, 0, st);
    rtt_interactions_free(s);
    return 0;
}

void rtt_interactions_stats_json(rtt_json_t *j, const char *key,
                                 const rtt_interaction_stats_t *st)
{
    rtt_json_begin_object(j, key);
    rtt_json_int(j, "count", (int64_t)st->count);
    rtt_json_int(j, "p50", st->latency.p50);
    rtt_json_int(j, "p90", st->latency.p90);
    rtt_json_int(j, "p99", st->latency.p99);
    rtt_json_int(j, "max", st->latency.max);
    rtt_json_float(j, "over_16ms_share", st->over_16ms_share);
    rtt_json_float(j, "over_8ms_share", st->over_8ms_share);
    rtt_json_int(j, "no_render", (int64_t)st->no_render);
    rtt_json_int(j, "keystrokes", (int64_t)st->keystrokes);
    rtt_json_end_object(j);
}

int rtt_interactions_summary_json(sqlite3 *db, rtt_json_t *j, const char *key,
                                  char *err, size_t errlen)
{
    rtt_interaction_stats_t st;
    if (rtt_interactions_summarize(db, &st, err, errlen) < 0)
        return -1;
    rtt_interactions_stats_json(j, key, &st);
    return 0;
}

void rtt_interactions_out_summary(rtt_out_t *out, const char *section,
                                  const rtt_interaction_stats_t *st)
{
    rtt_out_section(out, section, 1);
    static const char *cols[] = {"keystrokes", "count", "no_render"};
    for (size_t i = 0; i < 3; i++)
        rtt_out_column(out, cols[i], RTT_UNIT_PLAIN);
    rtt_out_column(out, "budget", RTT_UNIT_NS);
    static const char *pc[] = {"p50", "p90", "p99", "max", "mean"};
    for (size_t i = 0; i < 5; i++)
        rtt_out_column(out, pc[i], RTT_UNIT_NS);
    rtt_out_column(out, "over_budget_share", RTT_UNIT_RATIO);
    rtt_out_column(out, "over_half_budget_share", RTT_UNIT_RATIO);
    rtt_out_column(out, "over_16ms_share", RTT_UNIT_RATIO);
    rtt_out_column(out, "over_8ms_share", RTT_UNIT_RATIO);
    rtt_out_row(out);
    rtt_out_int(out, (int64_t)st->keystrokes);
    rtt_out_int(out, (int64_t)st->count);
    rtt_out_int(out, (int64_t)st->no_render);
    rtt_out_int(out, st->budget_ns);
    if (st->count) {
        rtt_out_int(out, st->latency.p50);
        rtt_out_int(out, st->latency.p90);
        rtt_out_int(out, st->latency.p99);
        rtt_out_int(out, st->latency.max);
        rtt_out_float(out, st->latency.mean);
    } else {
        for (int i = 0; i < 5; i++)
            rtt_out_null(out);
    }
    rtt_out_float(out, st->over_budget_share);
    rtt_out_float(out, st->over_half_budget_share);
    rtt_out_float(out, st->over_16ms_share);
    rtt_out_float(out, st->over_8ms_share);
}
