/* wq_producers.c - a ring per producing thread, so that another thread's
 * submit writes no line another producer writes.
 *
 * Through the shared ring (mpsc_ring.c) every cross-thread item cost two
 * locked read-modify-writes on lines all producers write: the place in
 * wq_count and the ring position. Contended, each is a cache-line transfer
 * per item (about 100 ns on a 2-vCPU VM: docs/benchmarks.md). Here a
 * thread's first submit to a runtime claims one of RTK__PRODUCERS slots;
 * from then on its items go to its own ring, and its places are taken from
 * wq_count in chunks (credit, as the loop's own pushes do). Per item: a
 * store to the slot's `busy` word (its own line), two loads, the cell, a
 * release, a load of `retired`; no read-modify-write, no fence.
 *
 * Order: one thread's tasks keep their order (one ring, read in order).
 * Tasks of different threads at one priority run in the order the loop
 * collects them (slot by slot), not by the instant of their submit.
 *
 * The protocol with the loop. Each pair below is a store then a load on
 * both sides; the producer's side is a compiler barrier, the loop's is
 * membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), which makes every running
 * thread of the process execute a full barrier (rtk__prod_barrier; where
 * membarrier cannot be registered, a seq_cst exchange sets busy and the
 * loop's fence pairs with it):
 *   producer: busy = 1; read state and `sleeping`; refuse if not RUNNING;
 *             take a place (credit or a chunk); publish; read `retired`;
 *             busy = 0 (release); wake the loop if it was sleeping.
 *   loop, before it sleeps: sleeping = 1; fence; membarrier; any busy?
 *             any place taken? (loop.c work_ready). Either it sees the
 *             item (or busy) and does not sleep, or the producer's read
 *             sees `sleeping` and wakes it. While the loop sleeps after
 *             every few tasks, it sets `prod_fenced` instead: producers
 *             read it after their busy store and, set, repeat that store
 *             as a seq_cst exchange; once a membarrier has run after the
 *             flag was set, the loop's fence alone pairs with them
 *             (rtk__prod_sleep_barrier).
 *   loop, stopping: the state store, membarrier, then the reads of busy:
 *             either a producer sees the stop and refuses, or the loop
 *             sees it busy and waits until its item is published
 *             (rtk__prod_quiesce), then takes the producers' credit back.
 *             So RTK_OK still means the task runs.
 *   loop, retiring a ring empty for 16 ticks and 10 ms from its look at each pop:
 *             retired = 1, membarrier, a last look at the ring; the
 *             producer reads `retired` after it publishes and, set, raises
 *             wq_rescan, which the loop reads at every pop.
 *
 * Credit: a chunk is at most 128 places and at most 1/64 of the queue
 * shared among the slots claimed. A thread that finds the queue full takes
 * the idle producers' credit back (rtk__prod_reclaim: the heavy barrier,
 * then an exchange per slot not in a submit) before it refuses, once per
 * loop tick at most, so a queue does not refuse while its places are held
 * by producers that have stopped submitting.
 *
 * Cells (rtk__pcell_t) are half a cache line: a task's function, argument
 * and priority; its id and cause come from marks (internal.h). A batch
 * goes as a block: a header, then two tasks a cell (internal.h).
 *
 * Memory: a ring starts with 64 cells (2 KiB) and doubles when full, up to
 * 4096 cells (128 KiB) or the queue's capacity; past that a full segment is
 * followed by another of the same size. Every segment the loop has read
 * past goes back to its producer (a stack the loop pushes on and the
 * producer takes whole) for its next one: no malloc and no fresh pages
 * once a ring has held its largest burst (on a VM every first touch
 * traps), and the segments are small enough to stay in cache. So a ring
 * holds its largest burst rounded up to a segment, plus one. A
 * segment that cannot be allocated diverts the thread to the shared ring
 * for good (its credit given back); the loop then collects every ring
 * before each shared-ring item, so the diverted thread's earlier items
 * still go first. Slots are never given back: a thread that exits leaves
 * its slot to the next thread whose TLS lands at the same address (its
 * items are all published by then), and the 65th producing thread alive
 * uses the shared ring. */
#include "internal.h"

#include <linux/membarrier.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* the thread's identity in a slot: the address of its TLS block
 * (rtk__tls), which no other live thread shares */
#define TLS_TOKEN ((const void *)&rtk__tls)

#define FIRST_CELLS 64   /* 2 KiB */
#define RECLAIM_COOL 64  /* submits without a chunk after a reclaim */
#define MAX_CELLS 4096   /* 128 KiB */
/* A loop that runs fewer tasks than this between sleeps has its producers
 * fence: a locked exchange per submit is cheaper than a membarrier per
 * sleep there (its IPIs, through the hypervisor on a VM, also hold up the
 * submits they interrupt: the wake-up p99, docs/benchmarks.md). A tick
 * that finds more run since the last sleep makes them light again. */
#ifndef FENCED_BELOW /* -DFENCED_BELOW=n: for tuning runs */
#define FENCED_BELOW 256
#endif

/* Few tasks ran since the loop last slept: the producers should fence. */
static inline bool few_since_sleep(const rtk_runtime_t *rt, uint64_t ran)
{
    return ran - rt->ran_at_sleep < FENCED_BELOW;
}

/* The largest segment: the queue's capacity (a power of two at least),
 * at most MAX_CELLS; a full one of that size is followed by another, so a
 * ring's memory follows what it holds (one segment more at most). */
static size_t max_cells(const rtk_runtime_t *rt)
{
    size_t p = 1;
    while (p < rt->cfg.work_queue_capacity && p < MAX_CELLS)
        p <<= 1;
    return p;
}

static rtk__seg_t *seg_new(size_t cells)
{
    size_t bytes = sizeof(rtk__seg_t) + cells * sizeof(rtk__pcell_t);
    rtk__seg_t *s = rtk__aligned_alloc(RTK__CACHELINE, bytes);
    if (!s)
        return NULL;
    atomic_init(&s->next, NULL);
    s->mask = cells - 1;
    atomic_init(&s->consumed, 0);
    s->refs = s->hold = 0;
    /* 0 is no position's published seq (p + 1) */
    for (size_t i = 0; i < cells; i++)
        atomic_init(&s->cells[i].seq, 0);
    return s;
}

static rtk__producer_t *claim(rtk_runtime_t *rt)
{
    uint32_t i = atomic_load_explicit(&rt->wq_prod_n, memory_order_relaxed);
    do {
        if (i >= RTK__PRODUCERS)
            return NULL;
    } while (!atomic_compare_exchange_weak_explicit(
        &rt->wq_prod_n, &i, i + 1, memory_order_seq_cst, memory_order_relaxed));
    /* seq_cst: the first submit's barrier, a loop that saw no slot before
     * it slept having used no membarrier (rtk__prod_barrier) */
    rtk__producer_t *p = &rt->wq_prod[i];
    size_t first = max_cells(rt) < FIRST_CELLS ? max_cells(rt) : FIRST_CELLS;
    p->seg0 = p->pseg = seg_new(first);
    p->pfree = NULL;
    p->ppos = 0;
    p->plimit = first;
    p->pid = p->pcause = 0; /* ids are never 0: its first task has a mark */
    p->psent = UINT32_MAX;  /* its first task lowers rt->prod_min */
    p->diverted = p->seg0 == NULL;
    if (p->diverted)
        atomic_fetch_add_explicit(&rt->wq_diverted, 1, memory_order_seq_cst);
    p->owner = TLS_TOKEN;
    /* seq_cst: a stopping loop that misses this store misses the
     * producer's busy store too, so that producer sees the stop */
    atomic_store_explicit(&p->ready, 1, memory_order_seq_cst);
    atomic_fetch_or_explicit(&rt->wq_rescan, 1, memory_order_release);
    return p;
}

void rtk__lower_sent_min(rtk_runtime_t *rt, rtk_priority_t prio)
{
    rtk_priority_t cur = atomic_load_explicit(&rt->prod_min, memory_order_relaxed);
    /* release: ordered before the task's publish (the publish is a
     * release store after it in program order anyway) */
    while (prio < cur &&
           !atomic_compare_exchange_weak_explicit(&rt->prod_min, &cur, prio,
                                                  memory_order_release,
                                                  memory_order_relaxed)) {
    }
}

void rtk__prod_lower_min(rtk_runtime_t *rt, rtk__producer_t *p,
                         rtk_priority_t prio)
{
    p->psent = prio;
    rtk__lower_sent_min(rt, prio);
}

rtk__producer_t *rtk__prod_lookup(rtk_runtime_t *rt)
{
    rtk__producer_t *p = NULL;
    uint32_t n = atomic_load_explicit(&rt->wq_prod_n, memory_order_acquire);
    for (uint32_t i = 0; i < n && !p; i++)
        if (atomic_load_explicit(&rt->wq_prod[i].ready, memory_order_acquire) &&
            rt->wq_prod[i].owner == TLS_TOKEN)
            p = &rt->wq_prod[i];
    if (!p)
        p = claim(rt);
    rtk__tls.prod = (rtk__prod_cache_t){
        .rt = rt,
        .gen = rt->gen,
        .p = p,
        .quick = p && !p->diverted && rtk__membarrier.ok ? p : &rtk__prod_none};
    return p;
}

rtk__pcell_t *rtk__prod_grow(rtk_runtime_t *rt, rtk__producer_t *p)
{
    rtk__seg_t *old = p->pseg;
    rtk__prod_refresh_limit(p);
    if (p->ppos != p->plimit)
        return &old->cells[p->ppos & old->mask];
    size_t cells = (old->mask + 1) * 2, max = max_cells(rt);
    if (cells > max)
        cells = max;
    /* a segment the loop has left, if the size is right (smaller ones
     * left from the doubling are freed): no malloc, no fresh pages.
     * Positions go on across segments, so its old sequence words are all
     * below any position to come: none reads as published. */
    rtk__seg_t *s = p->pfree;
    if (!s) /* acquire: the loop's pushes (it is done with their cells) */
        s = atomic_exchange_explicit(&p->spare, NULL, memory_order_acquire);
    p->pfree = NULL;
    while (s && s->mask + 1 != cells) { /* left from the doubling */
        rtk__seg_t *next = atomic_load_explicit(&s->next, memory_order_relaxed);
        rtk__free(s);
        s = next;
    }
    if (s) {
        p->pfree = atomic_load_explicit(&s->next, memory_order_relaxed);
        atomic_store_explicit(&s->next, NULL, memory_order_relaxed);
    } else if (!(s = seg_new(cells))) {
        return NULL;
    }
    atomic_store_explicit(&s->consumed, p->ppos, memory_order_relaxed);
    p->pseg = s;
    p->plimit = p->ppos + s->mask + 1;
    /* release: the loop that sees `next` sees every item before it. The
     * loop watches one cell of the old segment, which may stay empty:
     * tell it to look at every ring's `next` (rare: a segment filled) */
    atomic_store_explicit(&old->next, s, memory_order_release);
    atomic_fetch_or_explicit(&rt->wq_rescan, 1, memory_order_release);
    return &s->cells[p->ppos & s->mask];
}

rtk__producer_t rtk__prod_none; /* pid 0 */

void rtk__prod_divert(rtk_runtime_t *rt, rtk__producer_t *p, size_t *credit)
{
    p->diverted = true;
    /* the calling thread is p's: its quick path sends no more to the ring
     * (its cache's quick slot is p only when the cache is rt's) */
    if (rtk__tls.prod.quick == p)
        rtk__tls.prod.quick = &rtk__prod_none;
    atomic_fetch_add_explicit(&rt->wq_diverted, 1, memory_order_seq_cst);
    if (*credit)
        atomic_fetch_sub_explicit(&rt->wq_count, *credit, memory_order_relaxed);
    *credit = 0;
}

/* The loop's watch on slot i, if it is watched: its next cell's sequence
 * word, and the value that says the cell is published. */
static atomic_size_t never_published; /* 0: no position's seq (p + 1) */
static void watch(rtk_runtime_t *rt, uint32_t i)
{
    rtk__producer_t *p = &rt->wq_prod[i];
    if (p->wi < 0)
        return;
    struct rtk__watch *w = &rt->wq_watch[p->wi];
    w->slot = i;
    if (!p->cseg) {
        w->seq = &never_published;
        w->want = 1;
        return;
    }
    w->seq = &p->cseg->cells[p->cpos & p->cseg->mask].seq;
    w->want = p->cpos + 1;
}

/* Slot i watched at every pop again (the entry first, then the flag: a
 * producer that reads the flag clear finds its ring watched). */
static void unretire(rtk_runtime_t *rt, uint32_t i)
{
    rtk__producer_t *p = &rt->wq_prod[i];
    if (p->wi >= 0)
        return;
    p->wi = (int32_t)rt->wq_watch_n++;
    rt->wq_watch[p->wi].idle = 0;
    watch(rt, i);
    atomic_store_explicit(&p->retired, 0, memory_order_relaxed);
}

/* Entry k of the watch list leaves it (the last entry moves there); its
 * slot is no longer looked at at each pop. */
static void unwatch(rtk_runtime_t *rt, uint32_t k)
{
    struct rtk__watch *w = &rt->wq_watch[k];
    rt->wq_prod[w->slot].wi = -1;
    *w = rt->wq_watch[--rt->wq_watch_n];
    if (k < rt->wq_watch_n)
        rt->wq_prod[w->slot].wi = (int32_t)k;
}

/* The loop starts reading the slots claimed since it last looked, in
 * order (a slot claimed but not ready yet holds its followers back: its
 * thread publishes nothing before it is ready). */
static void adopt(rtk_runtime_t *rt)
{
    uint32_t n = atomic_load_explicit(&rt->wq_prod_n, memory_order_acquire);
    while (rt->wq_prod_seen < n) {
        rtk__producer_t *p = &rt->wq_prod[rt->wq_prod_seen];
        if (!atomic_load_explicit(&p->ready, memory_order_acquire))
            break;
        p->cseg = p->seg0;
        p->cpos = 0;
        p->cid = p->ccause = 0;
        p->crefs = 0;
        p->rtasks = p->held_cells = 0;
        p->wi = -1;
        unretire(rt, rt->wq_prod_seen);
        rt->wq_prod_seen++;
    }
}

/* A segment the loop is done with, back to its producer for its next
 * one: pushed on its stack (release: the loop's reads of s are done
 * before the producer writes it again). */
static void give_back(rtk__producer_t *p, rtk__seg_t *s)
{
    rtk__seg_t *head = atomic_load_explicit(&p->spare, memory_order_relaxed);
    do
        atomic_store_explicit(&s->next, head, memory_order_relaxed);
    while (!atomic_compare_exchange_weak_explicit(
        &p->spare, &head, s, memory_order_release, memory_order_relaxed));
}

/* How far the loop is done with the segment it reads, pos being where it
 * reads: not past the first block a FIFO item still refers to. */
static void store_consumed(rtk__seg_t *s, size_t pos)
{
    atomic_store_explicit(&s->consumed, s->refs ? s->hold : pos,
                          memory_order_release);
}

/* Past the end of the segment the loop reads, if its producer has moved
 * on and nothing is left in it: back to the producer (once no FIFO item
 * refers to a block in it) and on to the next. True if it moved. */
static bool next_segment(rtk__producer_t *p)
{
    rtk__seg_t *s = p->cseg;
    rtk__seg_t *next = atomic_load_explicit(&s->next, memory_order_acquire);
    if (!next)
        return false;
    /* `next` was stored after the last item of s was published: look at
     * the cell again now that it would be visible */
    size_t pos = p->cpos;
    if (atomic_load_explicit(&s->cells[pos & s->mask].seq,
                             memory_order_acquire) == pos + 1)
        return false;
    if (s->refs)
        p->held_cells += s->mask + 1; /* given back by rtk__prod_block_done */
    else
        give_back(p, s);
    p->cseg = next;
    return true;
}

static bool drain_one(rtk_runtime_t *rt, rtk__producer_t *p)
{
    while (p->cseg) {
        rtk__seg_t *s = p->cseg;
        size_t pos = p->cpos;
        bool all = rtk__wq_drain_cells(rt, p, s->cells, s->mask, &pos);
        if (pos != p->cpos)
            store_consumed(s, pos);
        p->cpos = pos;
        if (!all)
            return false;
        if (!next_segment(p)) {
            /* a last look: items published just before `next` */
            if (atomic_load_explicit(&s->cells[pos & s->mask].seq,
                                     memory_order_acquire) != pos + 1)
                return true;
        }
    }
    return true;
}

bool rtk__prod_drain(rtk_runtime_t *rt)
{
    adopt(rt);
    /* acquire, by the exchange: every `next` stored before a fetch-or */
    bool rescan = atomic_load_explicit(&rt->wq_rescan, memory_order_relaxed) &&
                  atomic_exchange_explicit(&rt->wq_rescan, 0,
                                           memory_order_acquire);
    bool all = true;
    if (rescan) {
        /* a segment moved on, or a retired ring got an item: all */
        for (uint32_t i = 0; i < rt->wq_prod_seen; i++) {
            unretire(rt, i);
            if (!drain_one(rt, &rt->wq_prod[i]))
                all = false;
            watch(rt, i);
        }
        return all;
    }
    for (uint32_t k = 0; k < rt->wq_watch_n; k++) {
        struct rtk__watch *w = &rt->wq_watch[k];
        if (!rtk__watch_ready(w, memory_order_relaxed))
            continue;
        if (!drain_one(rt, &rt->wq_prod[w->slot]))
            all = false;
        watch(rt, w->slot);
        w->idle = 0;
    }
    return all;
}

bool rtk__prod_pop_front(rtk_runtime_t *rt, rtk__item_t *out)
{
    adopt(rt);
    for (uint32_t i = 0; i < rt->wq_prod_seen; i++) {
        rtk__producer_t *p = &rt->wq_prod[i];
        while (p->cseg) {
            rtk__seg_t *s = p->cseg;
            size_t pos = p->cpos;
            rtk__pcell_t *c = &s->cells[pos & s->mask];
            if (atomic_load_explicit(&c->seq, memory_order_acquire) == pos + 1) {
                bool task = c->mark != RTK__PC_MARK;
                size_t next = pos + 1;
                if (c->mark == RTK__PC_TASK) {
                    rtk__pcell_item(out, c, p->cid++, p->ccause);
                } else if (c->mark == RTK__PC_MARK) {
                    p->cid = c->a.id, p->ccause = c->b.cause;
                } else { /* a block: its next task; the header says so */
                    size_t tasks = rtk__blk_tasks(c->mark),
                           t = rtk__blk_taken(c->mark);
                    rtk__blk_item(out, s->cells, s->mask, pos, t, c->a.id,
                                  c->b.cause, c->priority);
                    p->cid = c->a.id + 1, p->ccause = c->b.cause;
                    if (t + 1 < tasks) {
                        c->mark = rtk__blk_mark(tasks, t + 1);
                        c->a.id++;
                        return true; /* the block stays at the front */
                    }
                    next = pos + rtk__blk_cells(tasks);
                }
                p->cpos = next;
                store_consumed(s, next);
                watch(rt, i);
                if (task)
                    return true;
                continue;
            }
            if (!next_segment(p))
                break;
            watch(rt, i);
        }
    }
    return false;
}

/* The block fr refers to has had its last task taken: fr leaves the
 * FIFO, and the segment goes back to the producer once no item refers to
 * a block in it. */
void rtk__prod_block_done(rtk_runtime_t *rt, rtk__item_t *fr)
{
    rtk__seg_t *s = fr->u.block.seg;
    rtk__producer_t *p = &rt->wq_prod[fr->u.block.slot];
    rtk__pf_drop_front(&rt->wq_local);
    p->crefs--;
    p->rtasks -= fr->u.block.n;
    if (--s->refs)
        return;
    if (s == p->cseg) {
        /* the loop reads it still: done up to where it reads */
        store_consumed(s, p->cpos);
    } else { /* read past (next_segment): the producer's again */
        p->held_cells -= s->mask + 1;
        give_back(p, s);
    }
}

void rtk__prod_tick_begin(rtk_runtime_t *rt)
{
    if (rtk__tls.prod.rt != rt || rtk__tls.prod.gen != rt->gen)
        return;
    rtk__producer_t *p = rtk__tls.prod.p;
    if (!p || p->diverted)
        return; /* none, or the shared ring's */
    adopt(rt);
    uint32_t i = (uint32_t)(p - rt->wq_prod);
    if (i >= rt->wq_prod_seen || p->wi < 0 || !drain_one(rt, p) || p->crefs)
        return; /* not ready yet, retired, left in the ring, or blocks of it
                   referred to from the FIFO: watched */
    unwatch(rt, (uint32_t)p->wi);
    rt->wq_self = i + 1;
}

void rtk__prod_tick_end(rtk_runtime_t *rt)
{
    /* a flood with the producers fencing (set at a sleep): light again
     * now, not at the next sleep, which a flood may not reach; the loop
     * pays the membarrier at that sleep */
    if (__builtin_expect(
            atomic_load_explicit(&rt->prod_fenced, memory_order_relaxed), 0) &&
        !few_since_sleep(rt, atomic_load_explicit(&rt->tasks_executed,
                                                  memory_order_relaxed))) {
        atomic_store_explicit(&rt->prod_fenced, 0, memory_order_relaxed);
        rt->prod_fenced_settled = false;
    }
    if (!rt->wq_self)
        return;
    /* a rescan in the tick may have watched it again already */
    unretire(rt, rt->wq_self - 1);
    rt->wq_self = 0;
}

/* Watch entry w idle long enough to retire: ticks and time. */
static bool idle_enough(const struct rtk__watch *w, uint64_t now)
{
    return w->idle >= RTK__RETIRE_TICKS && now - w->since >= RTK__RETIRE_NS;
}

void rtk__prod_retire_idle(rtk_runtime_t *rt, uint64_t now)
{
    if (!rtk__membarrier.ok || rt->wq_watch_n == 0)
        return;
    bool any = false;
    for (uint32_t k = 0; k < rt->wq_watch_n; k++) {
        struct rtk__watch *w = &rt->wq_watch[k];
        /* a ring whose blocks the FIFO refers to stays watched */
        if (rtk__watch_ready(w, memory_order_relaxed) ||
            rt->wq_prod[w->slot].crefs) {
            w->idle = 0;
            continue;
        }
        if (w->idle++ == 0 || now < w->since)
            w->since = now; /* a clock set back starts the wait again */
        if (idle_enough(w, now))
            any = true;
    }
    if (!any)
        return;
    for (uint32_t k = 0; k < rt->wq_watch_n; k++)
        if (idle_enough(&rt->wq_watch[k], now))
            atomic_store_explicit(&rt->wq_prod[rt->wq_watch[k].slot].retired, 1,
                                  memory_order_relaxed);
    /* a producer publishing now either sees `retired` (and raises
     * wq_rescan) or its item is visible to the look below */
    atomic_thread_fence(memory_order_seq_cst);
    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
    for (uint32_t k = 0; k < rt->wq_watch_n;) {
        struct rtk__watch *w = &rt->wq_watch[k];
        rtk__producer_t *p = &rt->wq_prod[w->slot];
        if (!idle_enough(w, now)) {
            k++;
            continue;
        }
        if (rtk__watch_ready(w, memory_order_acquire) ||
            (p->cseg && atomic_load_explicit(&p->cseg->next,
                                             memory_order_acquire))) {
            /* published meanwhile: watched still */
            w->idle = 0;
            atomic_store_explicit(&p->retired, 0, memory_order_relaxed);
            k++;
            continue;
        }
        unwatch(rt, k);
    }
}

size_t rtk__prod_credit(const rtk_runtime_t *rt)
{
    rtk_runtime_t *w = (rtk_runtime_t *)rt; /* atomics are read-only here */
    size_t sum = 0;
    uint32_t n = atomic_load_explicit(&w->wq_prod_n, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++)
        sum += atomic_load_explicit(&w->wq_prod[i].credit, memory_order_acquire);
    return sum;
}

bool rtk__prod_busy(rtk_runtime_t *rt)
{
    uint32_t n = atomic_load_explicit(&rt->wq_prod_n, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++)
        if (atomic_load_explicit(&rt->wq_prod[i].busy, memory_order_acquire))
            return true;
    return false;
}

size_t rtk__prod_credit_exchange(rtk__producer_t *p, uint32_t started)
{
    p->seen = started;
    size_t c = atomic_exchange_explicit(&p->credit, 0, memory_order_acq_rel);
    if (c < p->left)
        p->cool = RECLAIM_COOL; /* taken back: 1 place at a time a while */
    return c;
}

/* A slot's credit, given back; `busy` read after the heavy barrier. */
static size_t take_back(rtk_runtime_t *rt, rtk__producer_t *p)
{
    if (!atomic_load_explicit(&p->ready, memory_order_acquire) ||
        atomic_load_explicit(&p->busy, memory_order_acquire))
        return 0;
    size_t c = atomic_exchange_explicit(&p->credit, 0, memory_order_acq_rel);
    if (c)
        atomic_fetch_sub_explicit(&rt->wq_count, c, memory_order_release);
    return c;
}

size_t rtk__prod_reclaim(rtk_runtime_t *rt)
{
    /* once per loop tick at most: a queue kept full by busy producers
     * would otherwise pay a membarrier per refusal, to take places back
     * that their owners take again at once. The tick that runs tasks frees
     * places for the next refusals. */
    uint64_t tick =
        atomic_load_explicit(&rt->loop_count, memory_order_relaxed) + 1;
    if (atomic_load_explicit(&rt->reclaim_tick, memory_order_relaxed) == tick ||
        rtk__prod_credit(rt) == 0)
        return 0; /* nothing idle to take: no barrier */
    pthread_mutex_lock(&rt->reclaim_mu);
    if (atomic_load_explicit(&rt->reclaim_tick, memory_order_relaxed) == tick) {
        pthread_mutex_unlock(&rt->reclaim_mu);
        return 0;
    }
    atomic_store_explicit(&rt->reclaim_tick, tick, memory_order_relaxed);
    uint32_t ep = atomic_load_explicit(&rt->reclaim_start, memory_order_relaxed) + 1;
    atomic_store_explicit(&rt->reclaim_start, ep, memory_order_relaxed);
    /* a producer that enters after this sees `ep` and exchanges its
     * credit; one that entered before is seen busy and skipped */
    atomic_thread_fence(memory_order_seq_cst);
    rtk__prod_barrier(rt);
    size_t got = 0;
    uint32_t n = atomic_load_explicit(&rt->wq_prod_n, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++)
        got += take_back(rt, &rt->wq_prod[i]);
    atomic_store_explicit(&rt->reclaim_done, ep, memory_order_release);
    pthread_mutex_unlock(&rt->reclaim_mu);
    return got;
}

void rtk__prod_quiesce(rtk_runtime_t *rt)
{
    atomic_thread_fence(memory_order_seq_cst);
    rtk__prod_barrier(rt);
    uint32_t n = atomic_load_explicit(&rt->wq_prod_n, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        rtk__producer_t *p = &rt->wq_prod[i];
        if (!atomic_load_explicit(&p->ready, memory_order_acquire))
            continue; /* its thread has not reached busy: it sees the stop */
        while (atomic_load_explicit(&p->busy, memory_order_acquire))
            sched_yield(); /* mid-submit: a few instructions, unless preempted */
        take_back(rt, p); /* no submit takes credit any more */
    }
}

rtk__membarrier_t rtk__membarrier;
_Static_assert(sizeof(rtk__membarrier_t) == RTK__CACHELINE,
               "the membarrier flag has its line to itself");

static void setup_once(void)
{
    const char *env = getenv("RTK_MEMBARRIER");
    if (env && strcmp(env, "0") == 0)
        return;
    long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED))
        return;
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0,
                0) == 0)
        rtk__membarrier.ok = 1;
}

void rtk__prod_setup(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, setup_once);
}

void rtk__prod_barrier(rtk_runtime_t *rt)
{
    /* no producer slot yet: the claim's CAS is their barrier (loop.c) */
    if (rtk__membarrier.ok &&
        atomic_load_explicit(&rt->wq_prod_n, memory_order_relaxed) != 0)
        syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
}

static void free_chain(rtk__seg_t *s)
{
    while (s) {
        rtk__seg_t *next = atomic_load_explicit(&s->next, memory_order_acquire);
        rtk__free(s);
        s = next;
    }
}

void rtk__prod_sleep_barrier(rtk_runtime_t *rt)
{
    if (!rtk__membarrier.ok ||
        atomic_load_explicit(&rt->wq_prod_n, memory_order_relaxed) == 0)
        return; /* every producer fences, or none has a ring */
    uint64_t ran = atomic_load_explicit(&rt->tasks_executed, memory_order_relaxed);
    bool few = few_since_sleep(rt, ran);
    rt->ran_at_sleep = ran;
    bool fenced = atomic_load_explicit(&rt->prod_fenced, memory_order_relaxed);
    if (few != fenced) {
        /* to fenced: settled by the membarrier below (a producer that
         * reads 0 after its busy store read it before its barrier point,
         * where that store became visible); to light: at once */
        atomic_store_explicit(&rt->prod_fenced, few, memory_order_relaxed);
        rt->prod_fenced_settled = false;
    }
    if (rt->prod_fenced_settled)
        return; /* every producer in a submit fences: the loop's fence pairs */
    rtk__prod_barrier(rt);
    rt->prod_fenced_settled = few;
}

void rtk__prod_finish(rtk_runtime_t *rt)
{
    uint32_t n = atomic_load_explicit(&rt->wq_prod_n, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        rtk__producer_t *p = &rt->wq_prod[i];
        if (!atomic_load_explicit(&p->ready, memory_order_acquire))
            continue;
        free_chain(atomic_load_explicit(&p->spare, memory_order_acquire));
        free_chain(p->pfree);
        free_chain(i < rt->wq_prod_seen ? p->cseg : p->seg0);
    }
}
