/* prio_fifo.c - a FIFO per priority level, lowest level first.
 *
 * Programs use a handful of priority levels, so instead of a heap (O(log n)
 * per pop, and no FIFO without a sequence tie-break) each level is a
 * growable circular buffer, and the levels are kept sorted by priority.
 *   push: O(1) amortised for a known level (the last level pushed is
 *         cached and its append is inline, internal.h; otherwise a binary
 *         search here), O(levels) to add a level;
 *   pop:  O(1) from the lowest non-empty level, O(levels) to skip empties
 *         (inline, internal.h).
 * FIFO within a level is exact. Loop thread only. Empty levels are kept
 * (so re-use is free); there are at most as many as distinct priorities
 * ever queued. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void rtk__pf_init(rtk__prio_fifo_t *q)
{
    memset(q, 0, sizeof *q);
}

void rtk__pf_finish(rtk__prio_fifo_t *q)
{
    for (size_t i = 0; i < q->nlevels; i++)
        rtk__free(q->levels[i].buf);
    rtk__free(q->levels);
    memset(q, 0, sizeof *q);
}

/* Index of the level for `prio`, creating it if needed; SIZE_MAX on ENOMEM. */
static size_t level_for(rtk__prio_fifo_t *q, rtk_priority_t prio)
{
    if (q->last < q->nlevels && q->levels[q->last].priority == prio)
        return q->last;
    size_t lo = 0, hi = q->nlevels;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (q->levels[mid].priority < prio)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < q->nlevels && q->levels[lo].priority == prio)
        return q->last = lo;
    if (q->nlevels == q->caplevels) {
        size_t nc = q->caplevels ? q->caplevels * 2 : 8;
        rtk__fifo_t *nl = rtk__realloc(q->levels, nc * sizeof *nl);
        if (!nl)
            return SIZE_MAX;
        q->levels = nl;
        q->caplevels = nc;
    }
    memmove(&q->levels[lo + 1], &q->levels[lo],
            (q->nlevels - lo) * sizeof *q->levels);
    q->levels[lo] = (rtk__fifo_t){.priority = prio};
    q->nlevels++;
    if (q->first >= lo && q->first < q->nlevels - 1)
        q->first++; /* the old first level moved up one */
    if (q->len == 0)
        q->first = q->nlevels;
    return q->last = lo;
}

static int fifo_grow(rtk__fifo_t *f)
{
    size_t nc = f->cap ? f->cap * 2 : 64;
    rtk__item_t *nb = rtk__malloc(nc * sizeof *nb);
    if (!nb)
        return RTK_ENOMEM;
    /* unwrap the ring into the start of the new buffer */
    for (size_t i = 0; i < f->len; i++)
        nb[i] = f->buf[(f->head + i) & (f->cap - 1)];
    rtk__free(f->buf);
    f->buf = nb;
    f->cap = nc;
    f->head = 0;
    return RTK_OK;
}

rtk__item_t *rtk__pf_append_slow(rtk__prio_fifo_t *q, rtk_priority_t prio)
{
    size_t li = level_for(q, prio);
    if (li == SIZE_MAX)
        return NULL;
    rtk__fifo_t *f = &q->levels[li];
    if (f->len == f->cap && fifo_grow(f) != RTK_OK)
        return NULL;
    rtk__item_t *s = &f->buf[(f->head + f->len) & (f->cap - 1)];
    f->len++;
    q->len++;
    if (li < q->first || q->first >= q->nlevels)
        q->first = li;
    return s;
}
