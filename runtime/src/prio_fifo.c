/* prio_fifo.c - a FIFO per priority level, lowest level first, and the
 * spread (prio_spread.c) for priorities beyond RTK__PF_LEVELS levels.
 *
 * Programs use a handful of priority levels, so instead of a heap (O(log n)
 * per pop, and no FIFO without a sequence tie-break) each level is a
 * growable circular buffer, and the levels are kept sorted by priority.
 *   push: O(1) amortised for a known level (the previous push's level,
 *         else the one a 10-bit hash of the priority names, inline,
 *         internal.h; a hash two levels share: a binary search here),
 *         O(levels) to add a level;
 *   pop:  O(1) from the lowest non-empty level, O(levels) to skip empties
 *         (inline, internal.h).
 * At most RTK__PF_LEVELS levels exist: when a new priority finds them all
 * taken, it takes over an empty one's buffer (O(levels); at most once per
 * PF_STEAL_EVERY pushes to the spread); if none is empty, or while the
 * spread holds anything, the push goes to the spread (O(1) push,
 * placed by the next pop: prio_spread.c). While the spread holds items a
 * pop compares its front with the levels' (inline for a sorted spread,
 * internal.h; else out of line, beside the spread's placement of new
 * keys: rtk__pf_front_mixed, prio_spread.c).
 * One store per priority: a priority with a level (even an empty one) is
 * pushed there; a level is only created while the spread is empty. So all
 * queued items of one priority are in the same store, FIFO within a
 * priority is each store's own, and fronts never tie.
 * Crowded: when the spread holds most of a burst (more tasks than the
 * levels, and 256 or more, when it places them at once), the levels cost
 * more than they save: each pop picks between two fronts whose order
 * flips at every level among the spread's priorities, and each push
 * probes for a level it seldom has (1024 queued, 1000 distinct values: 15
 * ns a task with levels, 12 without). So the next burst that begins with
 * every level empty drops them all (their buffers parked for later
 * levels), and RTK__PF_CROWD_BURSTS bursts run in the spread alone; the
 * burst after that creates levels again, as from an empty queue, and votes
 * again: a program that went back to a few priorities has its levels
 * back. Dropping empty levels keeps one store per priority: no item of
 * theirs is anywhere.
 * Memory: at most RTK__PF_LEVELS level buffers, plus the spread's, which
 * is bounded by the items queued: not by the distinct priorities ever
 * used. Loop thread only. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Spread pushes between two levels changing hands. A steal costs about
 * 4 000 instructions (the search, the move, the map rebuilt, and pops
 * comparing the new level's front while it holds items): at most one per
 * 4096 spread pushes keeps it under one instruction a push, where one per
 * 64 cost 4 a push to a program whose queue empties every 1024 tasks. A
 * program whose 64 priorities all changed gets every level back within
 * 64 x 4096 spread pushes. */
#define PF_STEAL_EVERY 4096

void rtk__pf_init(rtk__prio_fifo_t *q)
{
    memset(q, 0, sizeof *q);
}

void rtk__pf_finish(rtk__prio_fifo_t *q)
{
    for (size_t i = 0; i < q->nowned; i++)
        rtk__free(q->levels[i].buf);
    rtk__free(q->levels);
    rtk__sp_finish(&q->sp);
    memset(q, 0, sizeof *q);
}

/* After the levels array changed: lmap (hash -> the one level with that
 * hash, or "many"), so a push finds its level, or that it has none, with
 * one probe (internal.h). O(levels). */
static void index_levels(rtk__prio_fifo_t *q)
{
    memset(q->lmap, 0, sizeof q->lmap);
    for (size_t i = 0; i < q->nlevels; i++) {
        uint8_t *m = &q->lmap[rtk__pf_hash(q->levels[i].priority)];
        *m = *m ? RTK__PF_LMAP_MANY : (uint8_t)(i + 1);
    }
}

/* All levels taken: give the buffer of the highest empty level to a new
 * one (its memory, already faulted in, is re-used; nothing is freed or
 * allocated). False if every level holds items. */
static bool steal_level(rtk__prio_fifo_t *q, size_t *lo, rtk_priority_t prio)
{
    size_t e = q->nlevels;
    while (e-- > 0 && q->levels[e].len != 0) {
    }
    if (e == SIZE_MAX)
        return false;
    rtk__fifo_t f = q->levels[e];
    size_t to = *lo > e ? *lo - 1 : *lo; /* its place once e is gone */
    if (to > e)
        memmove(&q->levels[e], &q->levels[e + 1], (to - e) * sizeof f);
    else if (to < e)
        memmove(&q->levels[to + 1], &q->levels[to], (e - to) * sizeof f);
    q->levels[to] = (rtk__fifo_t){.priority = prio, .cap = f.cap, .buf = f.buf};
    index_levels(q);
    /* first: the lowest non-empty level moved by at most one place; the
     * new level is empty, so search from the start */
    q->first = 0;
    *lo = to;
    return true;
}

/* Every level empty (the queue is) and the last burst crowded: drop the
 * levels, their buffers parked in place for the levels created later. */
static void stand_aside(rtk__prio_fifo_t *q)
{
    q->nlevels = 0;
    q->first = q->last = 0;
    index_levels(q);
    q->crowd_vote = false;
    q->crowd_left = RTK__PF_CROWD_BURSTS - 1; /* this burst is the first */
}

/* Index where level `prio` is or would go; *found says which. */
static size_t level_search(const rtk__prio_fifo_t *q, rtk_priority_t prio,
                           bool *found)
{
    size_t lo = 0, hi = q->nlevels;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (q->levels[mid].priority < prio)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < q->nlevels && q->levels[lo].priority == prio;
    return lo;
}

/* Index of the level for `prio`, creating it if allowed; SIZE_MAX: none
 * (the spread takes it), SIZE_MAX - 1: no memory. */
static size_t level_for(rtk__prio_fifo_t *q, rtk_priority_t prio)
{
    bool found;
    size_t lo = level_search(q, prio, &found);
    if (found)
        return q->last = lo;
    if (q->sp.len)
        return SIZE_MAX;
    /* the spread is empty: a burst begins (without levels: every burst's
     * first push comes here) */
    if (q->crowd_left) {
        q->crowd_left--;
        return SIZE_MAX;
    }
    if (q->crowd_vote && q->len == 0 && q->nlevels) {
        stand_aside(q);
        return SIZE_MAX;
    }
    if (q->nlevels == RTK__PF_LEVELS) {
        /* at most one level changes hands per PF_STEAL_EVERY pushes to
         * the spread: many distinct priorities do not churn the levels,
         * and a program whose priorities changed still gets levels for
         * its new ones */
        if (q->steal_credit < PF_STEAL_EVERY || !steal_level(q, &lo, prio))
            return SIZE_MAX;
        q->steal_credit = 0;
        return q->last = lo;
    }
    if (q->nlevels == q->caplevels) {
        size_t nc = q->caplevels ? q->caplevels * 2 : 8;
        rtk__fifo_t *nl = rtk__realloc(q->levels, nc * sizeof *nl);
        if (!nl)
            return SIZE_MAX - 1;
        q->levels = nl;
        q->caplevels = nc;
    }
    /* the buffer parked at nlevels, if any, goes to the new level */
    rtk__fifo_t park = {0};
    if (q->nlevels < q->nowned)
        park = q->levels[q->nlevels];
    memmove(&q->levels[lo + 1], &q->levels[lo],
            (q->nlevels - lo) * sizeof *q->levels);
    q->levels[lo] = (rtk__fifo_t){.priority = prio, .cap = park.cap, .buf = park.buf};
    q->nlevels++;
    if (q->nlevels > q->nowned)
        q->nowned = q->nlevels;
    index_levels(q);
    if (q->first >= lo && q->first < q->nlevels - 1)
        q->first++; /* the old first level moved up one */
    if (q->len == 0)
        q->first = q->nlevels;
    return q->last = lo;
}

/* A full level (len == cap) doubled in place where the allocator can
 * (realloc: a large block is remapped, not copied, and only the new half
 * is fresh memory); then the ring's wrapped part, [0, head), moves to
 * just past the old end, so the items run from head without a wrap. */
static int fifo_grow(rtk__fifo_t *f)
{
    size_t oc = f->cap, nc = oc ? oc * 2 : 64;
    rtk__item_t *nb = rtk__realloc(f->buf, nc * sizeof *nb);
    if (!nb)
        return RTK_ENOMEM;
    if (f->head)
        memcpy(nb + oc, nb, f->head * sizeof *nb);
    f->buf = nb;
    f->cap = nc;
    return RTK_OK;
}

rtk__item_t *rtk__pf_append_slow(rtk__prio_fifo_t *q, rtk_priority_t prio)
{
    size_t li = level_for(q, prio);
    if (li == SIZE_MAX) {
        rtk__item_t *s = rtk__sp_append(&q->sp, prio);
        if (s) {
            q->len++;
            q->steal_credit++;
        }
        return s;
    }
    if (li == SIZE_MAX - 1)
        return NULL;
    rtk__fifo_t *f = &q->levels[li];
    if (f->len == f->cap && fifo_grow(f) != RTK_OK)
        return NULL;
    return rtk__pf_level_append(q, li);
}
