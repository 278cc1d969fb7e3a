/* prio_levels.c - the priority FIFO's 64 levels (runtime/src/prio_fifo.c)
 * follow a program whose priorities changed, at a bounded rate, through
 * its internal API.
 *
 * 64 priorities get the levels; then the program moves to 64 others and
 * queues one task of each per round (64 pushes, all popped before the
 * next round, so every level is empty at a round's start). The new
 * priorities go to the spread, and a level changes hands at most once per
 * 4096 spread pushes (PF_STEAL_EVERY): none in the first 64 rounds, the
 * first at round 65; and in time every level belongs to the new set. Each
 * round pops in priority order, FIFO within a priority; a push to an
 * emptied level lands at its buffer's start (a refill re-uses the memory
 * the last fill wrote); a level that fills while its ring is wrapped
 * grows and keeps its order; nothing leaks.
 * Cost: ~0.1 s in a debug build (about 20 000 rounds). Exit 0: pass; 1:
 * the first failure, printed. */
#include "alloc_faults.h"
#include "internal.h"
#include "prio_pop.h"

#include <stdio.h>

#define OLD_BASE 100u
#define NEW_BASE 5000u
#define SET 64u
#define MAX_ROUNDS 40000u

static int fail(const char *what, unsigned round, unsigned got,
                unsigned want)
{
    fprintf(stderr, "prio_levels: round %u: %s: %u, want %u\n", round, what,
            got, want);
    return 1;
}

/* Levels whose priority is in the new set. */
static unsigned new_levels(const rtk__prio_fifo_t *q)
{
    unsigned n = 0;
    for (size_t i = 0; i < q->nlevels; i++)
        n += q->levels[i].priority >= NEW_BASE &&
             q->levels[i].priority < NEW_BASE + SET;
    return n;
}

/* The level holding priority p, or NULL. */
static const rtk__fifo_t *level_of(const rtk__prio_fifo_t *q, unsigned p)
{
    for (size_t i = 0; i < q->nlevels; i++)
        if (q->levels[i].priority == p)
            return &q->levels[i];
    return NULL;
}

/* One task of each priority base .. base + SET - 1, pushed in a scrambled
 * order with two of each for the FIFO, then all popped: 0 or 1 (printed). */
static int round_trip(rtk__prio_fifo_t *q, unsigned base, unsigned round)
{
    for (unsigned k = 0; k < 2 * SET; k++) {
        rtk__item_t it = {0};
        it.priority = base + (k * 37u) % SET;
        it.id = k + 1;
        const rtk__fifo_t *f = level_of(q, it.priority);
        const rtk__item_t *start = f && f->len == 0 ? f->buf : NULL;
        rtk__item_t *slot = rtk__pf_append(q, it.priority);
        if (!slot)
            return fail("push refused", round, 0, 1);
        *slot = it;
        /* an emptied level refills from its buffer's start (hot memory) */
        if (start && slot != start)
            return fail("an empty level's first push at index", round,
                        (unsigned)(slot - start), 0);
    }
    return prio_pop_in_order(q, 2 * SET, "prio_levels", "round", round);
}

/* A level that fills while its ring is wrapped (head past 0) grows twice
 * and keeps FIFO order: 0 or 1 (printed). */
static int wrapped_growth(void)
{
    rtk__prio_fifo_t q;
    rtk__pf_init(&q);
    unsigned next_in = 1, next_out = 1;
    rtk__item_t it = {0}, out;
    it.priority = 7;
    for (; next_in <= 48; next_in++) {
        it.id = next_in;
        if (rtk__pf_push(&q, &it) != RTK_OK)
            return fail("wrapped growth: push refused", 0, next_in, 0);
    }
    for (; next_out <= 40; next_out++)
        if (!rtk__pf_pop(&q, &out) || out.id != next_out)
            return fail("wrapped growth: popped", 0, (unsigned)out.id, next_out);
    for (; next_in <= 188; next_in++) { /* full at 64 and 128, head 40 */
        it.id = next_in;
        if (rtk__pf_push(&q, &it) != RTK_OK)
            return fail("wrapped growth: push refused", 0, next_in, 0);
    }
    if (q.nlevels != 1 || q.levels[0].cap != 256)
        return fail("wrapped growth: capacity", 0, (unsigned)q.levels[0].cap,
                    256);
    for (; next_out < next_in; next_out++)
        if (!rtk__pf_pop(&q, &out) || out.id != next_out)
            return fail("wrapped growth: popped", 0, (unsigned)out.id, next_out);
    rtk__pf_finish(&q);
    return 0;
}

int main(void)
{
    long live0 = rtk_test_alloc_live();
    if (wrapped_growth())
        return 1;
    rtk__prio_fifo_t q;
    rtk__pf_init(&q);
    if (round_trip(&q, OLD_BASE, 0))
        return 1;
    if (q.nlevels != SET)
        return fail("levels after the first set", 0, (unsigned)q.nlevels, SET);
    unsigned round = 1, first_full = 0;
    /* 128 spread pushes a round: 4096 after round 32, so the first steal
     * comes with round 33's first push */
    for (; round <= MAX_ROUNDS && !first_full; round++) {
        if (round_trip(&q, NEW_BASE, round))
            return 1;
        unsigned n = new_levels(&q);
        if (round <= 32 && n != 0)
            return fail("levels changed hands early", round, n, 0);
        if (round == 33 && n != 1)
            return fail("levels after 4096 spread pushes", round, n, 1);
        if (n == SET)
            first_full = round;
    }
    if (!first_full)
        return fail("new-set levels at the end", round - 1, new_levels(&q),
                    SET);
    rtk__pf_finish(&q);
    printf("prio_levels: every level follows the new set after %u rounds\n",
           first_full);
    if (rtk_test_alloc_live() != live0) {
        fprintf(stderr, "prio_levels: %ld blocks leaked\n",
                rtk_test_alloc_live() - live0);
        return 1;
    }
    return 0;
}
