/* mpsc_ring.c - a bounded lock-free ring: many producers, one consumer.
 *
 * Each cell carries a sequence number (after Vyukov's bounded queue): a
 * producer claims position p with one fetch-add on enqueue_pos, waits for
 * cell[p].seq == p (it already is unless the consumer is mid-take: a
 * reservation is held, so the ring is never over-full), copies the item,
 * then publishes with seq = p + 1. The consumer takes cell p when
 * seq == p + 1 and frees it with seq = p + capacity. No lock, no retry
 * loop: one fetch-add per push (per batch: a batch claims k positions at
 * once and publishes each cell as it is filled), plain loads for the
 * consumer.
 *
 * The item limit is separate from the power-of-two capacity: `count` is a
 * reservation counter (one fetch-add) so a ring of limit 3 holds exactly 3.
 * Memory: capacity * 64 bytes (a cell is one cache line), allocated once. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static size_t pow2_at_least(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

int rtk__ring_init(rtk__ring_t *r, size_t limit)
{
    size_t cap = pow2_at_least(limit ? limit : 1);
    /* cells on cache-line boundaries: one line each */
    r->cells = rtk__aligned_alloc(RTK__CACHELINE, cap * sizeof *r->cells);
    if (!r->cells)
        return RTK_ENOMEM;
    memset(r->cells, 0, cap * sizeof *r->cells);
    for (size_t i = 0; i < cap; i++)
        atomic_init(&r->cells[i].seq, i);
    r->mask = cap - 1;
    r->limit = limit;
    atomic_init(&r->count, 0);
    atomic_init(&r->enqueue_pos, 0);
    r->dequeue_pos = 0;
    return RTK_OK;
}

void rtk__ring_finish(rtk__ring_t *r)
{
    rtk__free(r->cells);
    r->cells = NULL;
}

bool rtk__ring_reserve(rtk__ring_t *r)
{
    /* Optimistic fetch-add; undo on overflow. Exact: at most `limit`
     * reservations are ever outstanding. */
    if (atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed) >=
        r->limit) {
        atomic_fetch_sub_explicit(&r->count, 1, memory_order_relaxed);
        return false;
    }
    return true;
}

void rtk__ring_unreserve(rtk__ring_t *r)
{
    atomic_fetch_sub_explicit(&r->count, 1, memory_order_relaxed);
}

/* rtk__ring_claim, rtk__ring_slot, rtk__ring_publish and rtk__ring_put are
 * inline (internal.h). Claiming: reservations are held for all k, so at
 * most `limit` items are in flight and each cell one lap back has been
 * taken, or is about to be: the positions are claimed with one fetch-add
 * (no CAS retry under contention), and rtk__ring_slot waits out a
 * consumer that has not yet marked a cell free. */

bool rtk__ring_take(rtk__ring_t *r, rtk__item_t *out)
{
    size_t pos = r->dequeue_pos;
    rtk__ring_cell_t *c = &r->cells[pos & r->mask];
    size_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
    if (seq != pos + 1)
        return false; /* empty, or the next producer has not published */
    *out = c->item;
    r->dequeue_pos = pos + 1;
    atomic_store_explicit(&c->seq, pos + r->mask + 1, memory_order_release);
    return true;
}

bool rtk__ring_maybe_nonempty(const rtk__ring_t *r)
{
    return atomic_load_explicit(&r->count, memory_order_acquire) != 0;
}
