/* prio_pop.h - the internal tests' check of what a priority FIFO pops
 * (prio_levels.c, prio_crowd.c). */
#ifndef RTK_TESTS_PRIO_POP_H
#define RTK_TESTS_PRIO_POP_H

#include "internal.h"

#include <stdio.h>

/* Pop n items from q: they must come out in priority order, FIFO (ids
 * rising) within a priority, and leave q empty. 0; or 1, with the first
 * failure printed as "<who>: <step> <i>: <what>: <got>, want <want>". */
static inline int prio_pop_in_order(rtk__prio_fifo_t *q, unsigned n,
                                    const char *who, const char *step,
                                    unsigned i)
{
    const char *what = NULL;
    unsigned got = 0, want = 0;
    rtk__item_t out, prev = {0};
    for (unsigned k = 0; k < n && !what; k++) {
        if (!rtk__pf_pop(q, &out)) {
            what = "popped", got = k, want = n;
        } else if (k && (out.priority < prev.priority ||
                         (out.priority == prev.priority && out.id < prev.id))) {
            what = "out of order at pop", got = k, want = k;
        }
        prev = out;
    }
    if (!what && q->len != 0)
        what = "left queued", got = (unsigned)q->len, want = 0;
    if (!what)
        return 0;
    fprintf(stderr, "%s: %s %u: %s: %u, want %u\n", who, step, i, what, got,
            want);
    return 1;
}

#endif
