/* model.c - rebuilds keystroke-to-render interactions from cause ids
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
#include "satmath.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#include "hash.h"

void rtt__ix_err(char *err, size_t len, const char *fmt, ...)
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


static int name_grow(rtt_interactions_t *s)
{
    size_t cap = s->name_map_cap ? s->name_map_cap * 2 : 64;
    int32_t *m = calloc(cap, sizeof *m);
    if (!m)
        return -1;
    for (size_t i = 0; i < s->n_names; i++) {
        size_t h = rtt_str_hash(s->names[i]) & (cap - 1);
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
int32_t rtt__ix_intern(rtt_interactions_t *s, const char *str)
{
    if (!str || !*str)
        return -1;
    if ((s->n_names + 1) * 2 > s->name_map_cap && name_grow(s) < 0)
        return -2;
    size_t h = rtt_str_hash(str) & (s->name_map_cap - 1);
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


/* --- nodes and the id map ----------------------------------------------- */

size_t rtt__ix_tasks_from(const rtt_interactions_t *s, int64_t t)
{
    int64_t from = rtt_sat_sub(t, s->max_task_run);
    size_t lo = 0, hi = s->n_by_start;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->nodes[s->by_start[mid]].t1 < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

node_t *rtt__ix_node_new(rtt_interactions_t *s)
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

/* qsort has no context argument; one per thread: compare loads its runs
 * on several threads (TSan saw two loads race on a shared one). */
static _Thread_local const node_t *g_sort_nodes;
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
    ix->queue_ns = rtt_sat_sub(p1, p0);
    ix->run_ns = rtt_sat_sub(p2, p1);
    ix->frame_wait_ns = rtt_sat_sub(p3, p2);
    ix->render_ns = rtt_sat_sub(p4, p3);
    ix->latency_ns = rtt_sat_sub(p4, p0);
}

/* An input's handler: the first task or dispatch to start among its
 * children and the children of the commands it caused (a command sent for
 * the input schedules the task that handles it). The first such command is
 * the interaction's command_id. */
static void input_handler(rtt_interactions_t *s, ix_priv_t *pv,
                          rtt_interaction_t *ix, int32_t i)
{
    const node_t *nd = &s->nodes[i];
    if (nd->parent < 0)
        return;
    const node_t *par = &s->nodes[nd->parent];
    if (nd->kind == K_COMMAND && nd->parent == pv->cmd) {
        if (!ix->command_id || nd->id < ix->command_id)
            ix->command_id = nd->id;
        return;
    }
    if (nd->kind != K_TASK && nd->kind != K_DISPATCH)
        return;
    if (nd->parent != pv->cmd &&
        !(par->kind == K_COMMAND && par->parent == pv->cmd))
        return;
    if (nd->t1 == NOTS)
        return;
    const node_t *b = pv->task >= 0 ? &s->nodes[pv->task] : NULL;
    if (!b || b->t1 == NOTS || nd->t1 < b->t1 ||
        (nd->t1 == b->t1 && nd->id < b->id))
        pv->task = i;
}

static int build(rtt_interactions_t *s)
{
    if (map_build(s) < 0)
        return -1;
    link_parents(s);

    size_t nroots = 0;
    for (size_t i = 0; i < s->n; i++)
        nroots += rtt__ix_is_root(&s->nodes[i]) != 0;
    int32_t *tmp = malloc((s->n ? s->n : 1) * sizeof *tmp);
    s->ix = calloc(nroots ? nroots : 1, sizeof *s->ix);
    s->priv = calloc(nroots ? nroots : 1, sizeof *s->priv);
    if (!tmp || !s->ix || !s->priv) {
        free(tmp);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (rtt__ix_is_root(&s->nodes[i]))
            tmp[k++] = (int32_t)i;
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
        s->ix[k].sent_ts = c->t0;
        s->ix[k].name = "";
        s->ix[k].blocked_by = "";
        if (c->kind == K_INPUT) {
            s->ix[k].input_id = c->id;
            s->ix[k].mark_ts = c->t1;
            s->ix[k].name = c->name >= 0 ? name_of(s, c->name) : "input";
        } else {
            s->ix[k].command_id = c->id;
        }
    }
    resolve_roots(s, tmp);

    /* One pass: tree sizes, root tasks, first requests, task index. */
    s->n_by_start = 0;
    for (size_t i = 0; i < s->n; i++) {
        const node_t *nd = &s->nodes[i];
        if (nd->kind == K_TASK && nd->t1 != NOTS && nd->t2 != NOTS &&
            nd->t2 >= nd->t1) {
            tmp[s->n_by_start++] = (int32_t)i;
            if (rtt_sat_sub(nd->t2, nd->t1) > s->max_task_run)
                s->max_task_run = rtt_sat_sub(nd->t2, nd->t1);
        }
        if (nd->root < 0)
            continue;
        ix_priv_t *pv = &s->priv[nd->root];
        s->ix[nd->root].items++;
        if (s->nodes[pv->cmd].kind == K_INPUT) {
            input_handler(s, pv, &s->ix[nd->root], (int32_t)i);
        } else if (nd->kind == K_TASK && nd->parent == pv->cmd) {
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
            if (t->kind == K_TASK)
                s->ix[k].task_id = t->id;
            if (s->nodes[s->priv[k].cmd].kind != K_INPUT)
                s->ix[k].name = name_of(s, t->name);
        }
        measure(s, k);
    }
    return rtt__ix_input_delay(s);
}

static int load(sqlite3 *db, const filter_t *f, rtt_interactions_t **out,
                char *err, size_t errlen)
{
    *out = NULL;
    rtt_interactions_t *s = calloc(1, sizeof *s);
    if (!s) {
        rtt__ix_err(err, errlen, "out of memory");
        return -1;
    }
    if (rtt__ix_load_rows(db, s, f, err, errlen) < 0) {
        rtt_interactions_free(s);
        return -1;
    }
    if (build(s) < 0) {
        rtt__ix_err(err, errlen, "out of memory");
        rtt_interactions_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int rtt_interactions_load(sqlite3 *db, rtt_interactions_t **out, char *err,
                          size_t errlen)
{
    filter_t f = {-1, NULL, 0, 0};
    return load(db, &f, out, err, errlen);
}

int rtt_interactions_load_proc(sqlite3 *db, int64_t proc, const char *procname,
                               rtt_interactions_t **out, char *err,
                               size_t errlen)
{
    filter_t f = {procname ? -1 : proc, procname, 0, 0};
    return load(db, &f, out, err, errlen);
}

int rtt_interactions_load_since(sqlite3 *db, int64_t from_ts,
                                rtt_interactions_t **out, char *err,
                                size_t errlen)
{
    filter_t f = {-1, NULL, 1, from_ts};
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
    free(s->ticks);
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
