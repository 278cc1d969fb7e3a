/* prio_crowd.c - the priority FIFO's levels stand aside while the spread
 * holds most of each burst, and come back for a program that went back to
 * a few priorities (runtime/src/prio_fifo.c, "Crowded"), through its
 * internal API.
 *
 * Bursts of 1024 tasks over 1000 distinct priorities, scrambled, each
 * popped whole before the next:
 *   - burst 0 gives 64 priorities a level (pushed while the spread was
 *     empty) and the spread the rest, placed at once: it holds more than
 *     the levels, so the burst votes "crowded";
 *   - the first later burst whose first push finds no level drops every
 *     level (none from that push on); a burst whose first push has a level
 *     keeps them (that level is not empty at the next push);
 *   - RTK__PF_CROWD_BURSTS bursts run without levels, counting the one
 *     that dropped them; the next creates 64 levels again with the parked
 *     buffers (no allocation), votes again, and a later burst drops them;
 * then 8 priorities: the levels come back within RTK__PF_CROWD_BURSTS + 2
 * bursts and stay for 40 more. Every burst pops in priority order, FIFO
 * within a priority; nothing leaks.
 * Cost: ~0.1 s in a debug build. Exit 0: pass; 1: the first failure,
 * printed. */
#include "alloc_faults.h"
#include "internal.h"
#include "prio_pop.h"

#include <stdio.h>

#define BURST 1024u
#define DISTINCT 1000u
#define FEW 8u

static int fail(const char *what, unsigned burst, unsigned got, unsigned want)
{
    fprintf(stderr, "prio_crowd: burst %u: %s: %u, want %u\n", burst, what,
            got, want);
    return 1;
}

/* Task k of burst b: one of DISTINCT priorities, or of FEW. */
static rtk_priority_t prio_of(unsigned b, unsigned k, unsigned distinct)
{
    uint32_t x = (b * BURST + k) * 2654435761u;
    return distinct == FEW ? 10u * (1u + (x >> 29)) : (x >> 8) % distinct;
}

static bool has_level(const rtk__prio_fifo_t *q, rtk_priority_t p)
{
    for (size_t i = 0; i < q->nlevels; i++)
        if (q->levels[i].priority == p)
            return true;
    return false;
}

/* Push burst b; *levels: how many levels exist once it is all queued. */
static int push_burst(rtk__prio_fifo_t *q, unsigned b, unsigned distinct,
                      unsigned *levels)
{
    for (unsigned k = 0; k < BURST; k++) {
        rtk__item_t it = {0};
        it.priority = prio_of(b, k, distinct);
        it.id = k + 1;
        if (rtk__pf_push(q, &it) != RTK_OK)
            return fail("push refused", b, k, BURST);
    }
    *levels = (unsigned)q->nlevels;
    return 0;
}

/* Pop all of it: priority order, FIFO (ids rise) within a priority. */
static int pop_burst(rtk__prio_fifo_t *q, unsigned b)
{
    return prio_pop_in_order(q, BURST, "prio_crowd", "burst", b);
}

int main(void)
{
    long live0 = rtk_test_alloc_live();
    rtk__prio_fifo_t q;
    rtk__pf_init(&q);
    unsigned b = 0, levels;
    if (push_burst(&q, b, DISTINCT, &levels) || pop_burst(&q, b))
        return 1;
    if (levels != RTK__PF_LEVELS)
        return fail("levels in the first burst", b, levels, RTK__PF_LEVELS);
    if (!q.crowd_vote)
        return fail("crowded after the first burst", b, 0, 1);

    /* twice: drop, run crowded, come back, vote again */
    for (unsigned cycle = 0; cycle < 2; cycle++) {
        unsigned kept = 0;
        for (;;) { /* until a burst drops the levels */
            bool first_has = has_level(&q, prio_of(++b, 0, DISTINCT));
            if (push_burst(&q, b, DISTINCT, &levels) || pop_burst(&q, b))
                return 1;
            if (!first_has)
                break;
            if (levels != RTK__PF_LEVELS)
                return fail("levels after a burst whose first push had one",
                            b, levels, RTK__PF_LEVELS);
            if (++kept > 10)
                return fail("bursts that kept the levels", b, kept, 10);
        }
        if (levels != 0)
            return fail("levels after the burst that drops them", b, levels, 0);
        for (unsigned c = 1; c < RTK__PF_CROWD_BURSTS; c++) {
            if (push_burst(&q, ++b, DISTINCT, &levels) || pop_burst(&q, b))
                return 1;
            if (levels != 0)
                return fail("levels in a crowded burst", b, levels, 0);
        }
        long allocs = rtk_test_alloc_count();
        if (push_burst(&q, ++b, DISTINCT, &levels) || pop_burst(&q, b))
            return 1;
        if (levels != RTK__PF_LEVELS)
            return fail("levels after the crowded bursts", b, levels,
                        RTK__PF_LEVELS);
        if (rtk_test_alloc_count() != allocs)
            return fail("allocations re-creating the levels", b,
                        (unsigned)(rtk_test_alloc_count() - allocs), 0);
        if (!q.crowd_vote)
            return fail("crowded again after the levels came back", b, 0, 1);
    }

    /* a program back to FEW priorities gets levels for them back */
    unsigned back = 0;
    for (unsigned n = 1; n <= RTK__PF_CROWD_BURSTS + 2 && !back; n++) {
        if (push_burst(&q, ++b, FEW, &levels) || pop_burst(&q, b))
            return 1;
        if (levels == FEW)
            back = n;
    }
    if (!back)
        return fail("levels for the few priorities", b, levels, FEW);
    for (unsigned n = 0; n < 40; n++) {
        if (push_burst(&q, ++b, FEW, &levels) || pop_burst(&q, b))
            return 1;
        if (levels != FEW || q.crowd_vote)
            return fail("levels kept for the few priorities", b, levels, FEW);
    }
    rtk__pf_finish(&q);
    printf("prio_crowd: levels stood aside and came back; the few "
           "priorities had theirs after %u bursts\n", back);
    if (rtk_test_alloc_live() != live0) {
        fprintf(stderr, "prio_crowd: %ld blocks leaked\n",
                rtk_test_alloc_live() - live0);
        return 1;
    }
    return 0;
}
