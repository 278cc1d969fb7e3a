/* input_delay.c - the INP-style split of each interaction (input delay,
 * processing, presentation) and what blocked its input (see
 * interactions.h).
 *
 * Blocked: at p0 (the input's time, or a root command's sent time) the
 * loop of its process was busy in a tick that went on for at least
 * RTT_IX_LONG_NS after p0, counted up to p1 (the handler's start); a trace
 * without ticks uses the task running at p0 instead. blocked_by names the
 * task outside the interaction's own tree that ran longest in that window
 * (the input waited behind it), else the tick. Ticks are sorted by (proc,
 * begin): one binary search; tasks by start (by_start), scanned from p0 -
 * the longest task run: O(log tasks + tasks in the window). The name is
 * pooled, so the set owns it.
 */
#include "model.h"
#include "satmath.h"

#include <inttypes.h>
#include <stdio.h>

/* The task outside interaction k's tree running at time p (t1 <= p < t2)
 * on proc, the one that ran on the longest; -1 if none. */
static int32_t task_at(const rtt_interactions_t *s, size_t k, int64_t proc,
                       int64_t p)
{
    size_t lo = rtt__ix_tasks_from(s, p);
    int32_t best = -1;
    for (size_t i = lo; i < s->n_by_start; i++) {
        int32_t j = s->by_start[i];
        const node_t *t = &s->nodes[j];
        if (t->t1 > p)
            break;
        if (t->proc != proc || t->t2 <= p || t->root == (int32_t)k)
            continue;
        if (best < 0 || t->t2 > s->nodes[best].t2)
            best = j;
    }
    return best;
}

/* The tick of proc running at time p (begin <= p < end), or NULL. */
static const tick_t *tick_at(const rtt_interactions_t *s, int64_t proc,
                             int64_t p)
{
    size_t lo = 0, hi = s->n_ticks;
    while (lo < hi) { /* first (proc, begin) > (proc, p) */
        size_t mid = lo + (hi - lo) / 2;
        const tick_t *t = &s->ticks[mid];
        if (t->proc < proc || (t->proc == proc && t->begin <= p))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return NULL;
    const tick_t *t = &s->ticks[lo - 1];
    return t->proc == proc && t->begin <= p && p < t->end ? t : NULL;
}

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

/* The task outside interaction k's tree that ran longest within [a, b) on
 * proc, or -1. */
static int32_t longest_in(const rtt_interactions_t *s, size_t k, int64_t proc,
                          int64_t a, int64_t b)
{
    size_t lo = rtt__ix_tasks_from(s, a);
    int32_t best = -1;
    int64_t best_ns = 0;
    for (size_t i = lo; i < s->n_by_start; i++) {
        int32_t j = s->by_start[i];
        const node_t *t = &s->nodes[j];
        if (t->t1 >= b)
            break;
        if (t->proc != proc || t->t2 <= a || t->root == (int32_t)k)
            continue;
        int64_t ns = rtt_sat_sub(min64(t->t2, b), max64(t->t1, a));
        if (ns > best_ns) {
            best_ns = ns;
            best = j;
        }
    }
    return best;
}

static int blocked(rtt_interactions_t *s, size_t k)
{
    rtt_interaction_t *ix = &s->ix[k];
    int64_t p0 = ix->sent_ts;
    if (p0 == NOTS || !ix->has_render)
        return 0;
    int64_t p1 = rtt_sat_add(p0, ix->queue_ns);
    /* How long the loop stayed busy after the input arrived: to the end of
     * the tick running at p0 (without ticks in the trace: of the task
     * running at p0), up to the handler's start. */
    const tick_t *tk = tick_at(s, ix->proc, p0);
    int64_t end;
    if (tk) {
        end = min64(tk->end, p1);
    } else {
        int32_t j = task_at(s, k, ix->proc, p0);
        if (j < 0)
            return 0;
        end = min64(s->nodes[j].t2, p1);
    }
    if (rtt_sat_sub(end, p0) < RTT_IX_LONG_NS)
        return 0;
    char what[160];
    int32_t j = longest_in(s, k, ix->proc, p0, end);
    if (j >= 0) {
        const node_t *t = &s->nodes[j];
        snprintf(what, sizeof what, "task#%" PRIu64 " %s", t->id,
                 t->name >= 0 ? name_of(s, t->name) : "(unnamed)");
    } else {
        snprintf(what, sizeof what, "tick#%" PRId64, tk ? tk->tick : 0);
    }
    int32_t name = rtt__ix_intern(s, what);
    if (name < 0)
        return -1;
    ix->blocked = 1;
    ix->blocked_by = name_of(s, name);
    ix->blocked_ns = rtt_sat_sub(end, p0);
    return 0;
}

int rtt__ix_input_delay(rtt_interactions_t *s)
{
    for (size_t k = 0; k < s->n_ix; k++) {
        rtt_interaction_t *ix = &s->ix[k];
        if (!ix->has_render)
            continue;
        ix->input_delay_ns = ix->queue_ns;
        ix->processing_ns = ix->run_ns;
        ix->presentation_ns = rtt_sat_add(ix->frame_wait_ns, ix->render_ns);
        if (blocked(s, k) < 0)
            return -1;
    }
    return 0;
}
