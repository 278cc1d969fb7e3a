/* chain.c - an interaction's cause chain as one line of text, and the
 * longest other task that ran meanwhile (see interactions.h). O(chain
 * depth + log tasks + tasks overlapping the interaction) each. */
#include "model.h"
#include "satmath.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
            sb_add(b, " (wait %s)", ms(rtt_sat_sub(nd->t1, nd->t0), t1, sizeof t1));
        break;
    case K_TASK:
        sb_add(b, "task#%" PRIu64 " %s", nd->id,
               nd->name >= 0 ? name_of(s, nd->name) : "(unnamed)");
        if (nd->t0 != NOTS && nd->t1 != NOTS && nd->t2 != NOTS)
            sb_add(b, " (wait %s, run %s)", ms(rtt_sat_sub(nd->t1, nd->t0), t1, sizeof t1),
                   ms(rtt_sat_sub(nd->t2, nd->t1), t2, sizeof t2));
        else if (nd->t1 != NOTS && nd->t2 != NOTS)
            sb_add(b, " (run %s)", ms(rtt_sat_sub(nd->t2, nd->t1), t2, sizeof t2));
        break;
    case K_DISPATCH:
        sb_add(b, "event#%" PRIu64 " type %d (%s", nd->id, nd->extra,
               nd->path < 3 ? paths[nd->path] : "?");
        if (nd->t1 != NOTS && nd->t2 != NOTS)
            sb_add(b, ", run %s", ms(rtt_sat_sub(nd->t2, nd->t1), t1, sizeof t1));
        sb_add(b, ")");
        break;
    case K_INPUT:
        sb_add(b, "input#%" PRIu64 " %s", nd->id,
               nd->name >= 0 ? name_of(s, nd->name) : "input");
        if (nd->t0 != NOTS && nd->t1 != NOTS)
            sb_add(b, " (marked %s later)", ms(rtt_sat_sub(nd->t1, nd->t0), t1, sizeof t1));
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
    size_t lo = rtt__ix_tasks_from(s, a);
    int32_t best = -1;
    int64_t best_run = 0;
    for (size_t k = lo; k < s->n_by_start; k++) {
        int32_t j = s->by_start[k];
        const node_t *t = &s->nodes[j];
        if (t->t1 >= b)
            break;
        if (t->proc != ix->proc || t->t2 <= a || on_path(path, np, j))
            continue;
        int64_t run = rtt_sat_sub(t->t2, t->t1);
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
    *run_ns = rtt_sat_sub(t->t2, t->t1);
    *root_command = t->root >= 0 ? s->ix[t->root].command_id : 0;
    return 1;
}

/* The frame interval of proc as the renders show it: the shortest gap
 * between two consecutive renders' begins (the runtime's pacing never
 * lets them closer). renders[] is sorted by (proc, begin) and r is one of
 * proc's. 0 if proc has one render. O(renders of proc). */
static int64_t frame_interval(const rtt_interactions_t *s, int32_t r)
{
    int64_t proc = s->renders[r].proc, best = 0;
    size_t lo = (size_t)r, hi = (size_t)r;
    while (lo > 0 && s->renders[lo - 1].proc == proc)
        lo--;
    while (hi + 1 < s->n_renders && s->renders[hi + 1].proc == proc)
        hi++;
    for (size_t k = lo; k < hi; k++) {
        int64_t gap = rtt_sat_sub(s->renders[k + 1].begin, s->renders[k].begin);
        if (gap > 0 && (best == 0 || gap < best))
            best = gap;
    }
    return best;
}

/* The part of the frame wait that was the frame pacing: the request came
 * within one frame interval of the previous frame, so the next could not
 * be drawn before previous + interval. Writes that frame, when it was drawn
 * and when the next was due, and returns the paced part of the wait (ns);
 * 0 (nothing written) when pacing played no part. */
static int64_t pacing_text(const rtt_interactions_t *s, size_t i, sbuf_t *b)
{
    const rtt_interaction_t *ix = &s->ix[i];
    const ix_priv_t *pv = &s->priv[i];
    if (pv->render <= 0 || pv->request < 0 || ix->frame_wait_ns <= 0)
        return 0;
    const render_t *r = &s->renders[pv->render], *prev = r - 1;
    if (prev->proc != r->proc)
        return 0;
    int64_t req = s->nodes[pv->request].t0, iv = frame_interval(s, pv->render);
    int64_t due = rtt_sat_add(prev->begin, iv);
    int64_t wait_from = rtt_sat_sub(r->begin, ix->frame_wait_ns);
    int64_t paced = rtt_sat_sub(due, wait_from > req ? wait_from : req);
    if (iv <= 0 || req < prev->begin || paced <= 0)
        return 0;
    if (paced > ix->frame_wait_ns)
        paced = ix->frame_wait_ns;
    char t1[32], t2[32], t3[32];
    sb_add(b, " | frame pacing: frame %" PRId64 " drawn %s before the request, the next due %s after it (frames at most every %s)",
           prev->frame, ms(rtt_sat_sub(req, prev->begin), t1, sizeof t1), ms(rtt_sat_sub(due, req), t2, sizeof t2),
           ms(iv, t3, sizeof t3));
    return paced;
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
    /* with pacing in play, another task is named only if it ran half of
     * the rest of the wait and a quarter of the whole wait */
    int64_t paced = pacing_text(s, i, &b);
    if (j >= 0 && paced > 0) {
        /* halves and quarters: no product to overflow on hostile times */
        int64_t run = rtt_sat_sub(s->nodes[j].t2, s->nodes[j].t1);
        if (run < rtt_sat_sub(ix->frame_wait_ns, paced) / 2 || run < ix->frame_wait_ns / 4)
            j = -1;
    }
    if (j >= 0) {
        const node_t *t = &s->nodes[j];
        sb_add(&b, " | longest other task: task#%" PRIu64 " %s %s", t->id,
               t->name >= 0 ? name_of(s, t->name) : "(unnamed)",
               ms(rtt_sat_sub(t->t2, t->t1), t1, sizeof t1));
        if (t->root >= 0 && s->ix[t->root].input_id)
            sb_add(&b, " (from input#%" PRIu64 ")", s->ix[t->root].input_id);
        else if (t->root >= 0)
            sb_add(&b, " (from command#%" PRIu64 ")",
                   s->ix[t->root].command_id);
    }
}
