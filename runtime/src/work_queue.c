/* work_queue.c - the bounded, priority-ordered, multi-producer work queue.
 *
 * Producers (other threads): into the thread's own ring with a place from
 * its credit (wq_producers.c: no read-modify-write on a shared line per
 * item); a thread without one reserves a place with one fetch-add on
 * wq_count (a full queue refuses and counts WORK_QUEUE_FULL) and publishes
 * into the shared lock-free ring (mpsc_ring.c). No lock.
 * The loop thread pushes straight into its private priority FIFO.
 * Consumer (loop thread): moves published ring items into the priority FIFO
 * (prio_fifo.c), then pops the lowest priority, FIFO within a priority. FIFO
 * holds per producing thread; across threads it is the order the loop
 * collects them. The rings are collected at every pop that a task in them
 * could precede, whenever the FIFO is empty, before the loop's push after
 * a pop that did not look (that pop sets the loop's credit aside, so the
 * push takes the slow path: rtk__wq_pop_lazy, internal.h), and before
 * every command's or timer's push.
 *
 * Credit: the loop's own pushes and pops would each cost a locked
 * instruction on wq_count. Instead a pop keeps its task's place as credit
 * and the loop's pushes spend credit first, then reserve places in chunks
 * (one CAS for up to wq_credit_max + 1). Credit is capped at 2 *
 * wq_credit_max (at most 512 places, 1/32 of the queue; none for queues
 * under 64 places) and handed back at the end of every batch and tick. So the
 * queue never holds more than its capacity, and a place a task frees is
 * free for other threads by the end of the batch that ran it at the latest:
 * until then another thread may be refused up to that many places early.
 * rtk_stats_get off the loop counts held credit as queued.
 *   loop push / pop: O(1), no locked instruction (one CAS per chunk);
 *   other threads: none per item with a ring of their own (a CAS per
 *   chunk of places); through the shared ring two fetch-adds (the place,
 *   then the ring cell).
 *
 * Out of memory: the priority FIFO grows (a new priority level, a full
 * level), the shared ring never does: it is allocated at create for the
 * whole capacity, and every queued task holds a place counted in wq_count
 * (a producer whose own ring cannot grow goes on through it). So a
 * task the FIFO has no memory for is never refused or lost: it stays in
 * (a published task) or goes to (a loop push: "spill") the ring, and the
 * loop's later pushes queue behind it there, so FIFO order within a
 * priority holds. Pops take from the FIFO first, then straight from the
 * ring; each drain retries the move into the FIFO. Only the priority order
 * between the FIFO's tasks and the ring's is lost while memory is short.
 * Hence rtk_submit, rtk_submit_many, timer fires and ScheduleTask commands
 * never fail for lack of memory (tests/test_alloc_faults.cpp). */
#include "internal.h"
#include "trace.h"

#include <assert.h>
#include <string.h>

/* push_local's "no room in the FIFO, a place is held: spill" (not an
 * rtk_err_t; never returned to a caller). */
#define SPILL 1

static void trace_queued(const rtk__item_t *it, const char *name)
{
    RTK_TP(task_queued, it->id, it->cause, it->priority, it->source,
           it->u.task.timer_id, name);
    (void)it;
    (void)name;
}

/* Reserve up to `want` places under the capacity with one CAS: how many,
 * 0 when full. seq_cst, pairing with the loop's pre-sleep read of wq_count
 * as push_foreign's fetch-add does. */
static size_t reserve_once(rtk_runtime_t *rt, size_t want)
{
    size_t cap = rt->cfg.work_queue_capacity;
    size_t c = atomic_load_explicit(&rt->wq_count, memory_order_relaxed), n;
    do {
        /* over the capacity only by reserve_one's places in flight, one a
         * thread: far over it is below zero, a place given back twice
         * (every reserve would be refused for good) */
        assert(c - cap < (size_t)1 << 32 || c < cap);
        if (c >= cap)
            return 0;
        n = cap - c < want ? cap - c : want;
    } while (!atomic_compare_exchange_weak_explicit(
        &rt->wq_count, &c, c + n, memory_order_seq_cst, memory_order_relaxed));
    return n;
}

/* reserve_once, and if that falls short, again after taking back the
 * idle producers' credit (wq_producers.c): the capacity is exact. */
static size_t reserve_places(rtk_runtime_t *rt, size_t want)
{
    size_t n = reserve_once(rt, want);
    if (n < want && rtk__prod_reclaim(rt))
        n += reserve_once(rt, want - n);
    return n;
}

/* One place by fetch-add (other threads' protocol through the shared
 * ring): false, given back, when full even after taking back the idle
 * producers' credit. */
static bool reserve_one(rtk_runtime_t *rt)
{
    for (int tries = 0;; tries++) {
        if (atomic_fetch_add_explicit(&rt->wq_count, 1, memory_order_seq_cst) <
            rt->cfg.work_queue_capacity)
            return true;
        atomic_fetch_sub_explicit(&rt->wq_count, 1, memory_order_relaxed);
        if (tries || !rtk__prod_reclaim(rt))
            return false;
    }
}

/* Reserve a chunk of places for the loop's pushes: one for this push and
 * up to wq_credit_cap kept as credit (wq_tcredit while traced). False when
 * full. */
static __attribute__((noinline)) bool take_chunk(rtk_runtime_t *rt)
{
    size_t n = reserve_places(rt, rt->wq_credit_cap + 1);
    if (!n)
        return false;
    if (rt->trace_tasks)
        rt->wq_tcredit = n - 1;
    else
        rt->wq_credit = n - 1;
    return true;
}

void rtk__wq_credit_release(rtk_runtime_t *rt)
{
    size_t keep = rt->wq_credit > 2 * rt->wq_credit_max ? rt->wq_credit_max : 0;
    atomic_fetch_sub_explicit(&rt->wq_count,
                              rt->wq_credit - keep + rt->wq_tcredit +
                                  rt->wq_aside,
                              memory_order_release);
    rt->wq_credit = keep;
    rt->wq_tcredit = 0;
    rt->wq_aside = 0; /* every caller has looked at the rings, or has none */
}

/* The credit a pop set aside (rtk__wq_pop_lazy) back where the pushes
 * spend it: the caller looks at the rings before its push. */
static inline __attribute__((always_inline)) void credit_back(rtk_runtime_t *rt)
{
    if (rt->trace_tasks)
        rt->wq_tcredit += rt->wq_aside;
    else
        rt->wq_credit += rt->wq_aside;
    rt->wq_aside = 0;
}

/* Items other threads published earlier go first: FIFO within a priority
 * is the order of entry, whichever path an item took (a thread's submit,
 * then its command whose task the loop pushes: in that order). The
 * command's acquire makes the submit visible here. NULL: no memory, or
 * spilled items still wait in the ring; the caller spills behind them. */
static inline __attribute__((always_inline)) rtk__item_t *
append_local(rtk_runtime_t *rt, rtk_priority_t prio)
{
    if (rt->wq_aside)
        credit_back(rt); /* looked at below, as the pop would have */
    if (rtk__wq_ready(rt) && !rtk__wq_drain_ring(rt))
        return NULL;
    return rtk__pf_append(&rt->wq_local, prio);
}

/* A loop push the FIFO has no room for: into the ring, under the place
 * the push already holds (so the ring has room: see the file comment). */
static __attribute__((noinline)) void spill(rtk_runtime_t *rt,
                                            const rtk__item_t *it)
{
    rtk__ring_put(&rt->wq_ring, it);
}

/* A loop push with no credit left: a chunk of places, then the place.
 * While a session listens to the per-task events the loop's credit is in
 * wq_tcredit, not wq_credit (rtk__wq_trace_switch), so every push of a
 * traced batch comes here, spends it, and `trace` pushes (submit's) emit
 * task_queued here: the fast path has no trace check at all. */
static __attribute__((noinline)) rtk__item_t *
push_local_slow(rtk_runtime_t *rt, rtk_id_t id, rtk_id_t cause,
                rtk_priority_t prio, const char *name, bool trace, int *rc)
{
    /* a task of a block's run pushing: the run's counts first (places
     * aside, the block's item, which the append may move) */
    rtk__exec_block_sync(rt);
    if (rt->wq_aside)
        credit_back(rt); /* a pop left the rings unread: append_local looks */
    if (rt->wq_tcredit) {
        rt->wq_tcredit--;
    } else if (rt->wq_credit) {
        rt->wq_credit--;
    } else if (!take_chunk(rt)) {
        rtk__count_drop(rt, RTK_DROP_WORK_QUEUE_FULL, RTK_ITEM_TASK, id, cause,
                        prio);
        *rc = RTK_EFULL;
        return NULL;
    }
    rtk__item_t *s = append_local(rt, prio);
    if (trace && rt->trace_tasks)
        RTK_TP(task_queued, id, cause, prio, RTK__SRC_SUBMIT, 0, name);
    (void)name;
    if (!s)
        *rc = SPILL; /* the place is taken: the caller spills into it */
    return s;
}

/* Loop thread: a place in the FIFO for a new task, NULL when refused
 * (full: counted; *rc RTK_EFULL) or when the FIFO has no memory (*rc
 * SPILL: a place is held, the caller fills an item and spill()s it). The
 * caller fills it. `trace`: emit task_queued if the batch is traced (else
 * the caller traces). */
static inline __attribute__((always_inline)) rtk__item_t *
push_local(rtk_runtime_t *rt, rtk_id_t id, rtk_id_t cause, rtk_priority_t prio,
           const char *name, bool trace, int *rc)
{
    if (__builtin_expect(rt->wq_credit == 0, 0))
        return push_local_slow(rt, id, cause, prio, name, trace, rc);
    rt->wq_credit--;
    rtk__item_t *s = append_local(rt, prio);
    if (!s)
        *rc = SPILL;
    return s;
}

void rtk__wq_trace_switch(rtk_runtime_t *rt, bool on)
{
    rt->trace_tasks = on;
    rt->wq_credit_max = on ? 0 : rt->wq_credit_cap;
    if (rtk__wq_credit_held(rt)) /* credit is only places: all go back */
        rtk__wq_credit_release(rt);
}

/* A refused foreign submit: the place given back if one was taken (a stop
 * seen after reserving; a full queue has taken none), the
 * drop counted. Out of line and cold, so the accepted path keeps its few
 * registers. */
enum { REFUSED_STOPPED, REFUSED_FULL, REFUSED_STOPPED_RESERVED };
static __attribute__((noinline, cold)) int
foreign_refused(rtk_runtime_t *rt, int why, rtk_id_t id, rtk_id_t cause,
                rtk_priority_t prio)
{
    if (why == REFUSED_STOPPED_RESERVED)
        atomic_fetch_sub_explicit(&rt->wq_count, 1, memory_order_relaxed);
    bool full = why == REFUSED_FULL;
    rtk__count_drop(rt, full ? RTK_DROP_WORK_QUEUE_FULL : RTK_DROP_NOT_RUNNING,
                    RTK_ITEM_TASK, id, cause, prio);
    return full ? RTK_EFULL : RTK_ESTATE;
}

/* Any other thread: reserve, re-check the state, publish, wake. The
 * re-check after reserving (both seq_cst, as is the loop's state store):
 * either this producer sees the stop and backs out, or the stopping loop
 * sees the reservation and waits for the item. So RTK_OK means the task
 * runs, even when a graceful stop races the submit. */
static int push_foreign(rtk_runtime_t *rt, const rtk__item_t *it,
                        const char *name)
{
    if (!reserve_one(rt))
        return foreign_refused(rt, REFUSED_FULL, it->id, it->cause,
                               it->priority);
    if (atomic_load_explicit(&rt->state, memory_order_seq_cst) !=
        RTK_STATE_RUNNING)
        return foreign_refused(rt, REFUSED_STOPPED_RESERVED, it->id,
                               it->cause, it->priority);
    trace_queued(it, name);
    rtk__note_sent_prio(rt, it->priority);
    rtk__ring_put(&rt->wq_ring, it);
    rtk__wake_reserved(rt);
    return RTK_OK;
}

int rtk__wq_push(rtk_runtime_t *rt, const rtk__item_t *it, const char *name)
{
    if (!rtk__on_loop(rt))
        return push_foreign(rt, it, name);
    int rc = RTK_OK;
    rtk__item_t *s = push_local(rt, it->id, it->cause, it->priority, name,
                                false, &rc);
    if (!s && rc != SPILL)
        return rc;
    trace_queued(it, name);
    if (s)
        *s = *it;
    else
        spill(rt, it);
    return RTK_OK;
}

/* After an item went into level f: the published tasks behind it of the
 * same priority, as many as f has room for, copied in one run with the
 * positions and the level's fields in registers (through the struct they
 * would be reloaded after every item's copy). Returns how many. */
static inline __attribute__((always_inline)) size_t
drain_run(const rtk__pcell_t *cells, size_t mask, size_t pos, rtk__fifo_t *f,
          rtk_priority_t prio, rtk_id_t id, rtk_id_t cause)
{
    const size_t len = f->len, room = f->cap - len, fmask = f->cap - 1,
                 at = f->head + len;
    rtk__item_t *const buf = f->buf;
    size_t n = 0;
    for (; n < room; n++) {
        const rtk__pcell_t *c = &cells[(pos + n) & mask];
        if (atomic_load_explicit(&c->seq, memory_order_acquire) != pos + n + 1 ||
            c->priority != prio || c->mark)
            break;
        rtk__pcell_item(&buf[(at + n) & fmask], c, id + n, cause);
    }
    f->len = len + n;
    return n;
}

/* The rest of a block (its header h at pos) into the FIFO: true when all
 * of it went, false when the FIFO had no memory for one, the header then
 * saying how many were taken and the id of the next (rtk__pcell_t). Runs
 * into a level's room are copied with the level's fields in registers. */
static bool drain_block(rtk__prio_fifo_t *q, rtk__pcell_t *cells, size_t mask,
                        size_t pos, rtk__pcell_t *h)
{
    const rtk_priority_t prio = h->priority;
    const size_t tasks = rtk__blk_tasks(h->mark);
    const rtk_id_t cause = h->b.cause;
    size_t t = rtk__blk_taken(h->mark);
    rtk_id_t id = h->a.id;
    while (t < tasks) {
        rtk__item_t *s = rtk__pf_append(q, prio);
        if (!s) {
            h->mark = rtk__blk_mark(tasks, t);
            h->a.id = id;
            return false;
        }
        rtk__blk_item(s, cells, mask, pos, t++, id++, cause, prio);
        size_t li = q->last;
        if (t == tasks || li >= q->nlevels || q->levels[li].priority != prio)
            continue;
        rtk__fifo_t *f = &q->levels[li];
        const size_t len = f->len, fmask = f->cap - 1, at = f->head + len;
        size_t n = f->cap - len;
        if (n > tasks - t)
            n = tasks - t;
        rtk__item_t *const buf = f->buf;
        for (size_t i = 0; i < n; i++)
            rtk__blk_item(&buf[(at + i) & fmask], cells, mask, pos, t++, id++,
                          cause, prio);
        f->len = len + n;
        q->len += n;
    }
    return true;
}

/* Tasks t.. of n in a producer's ring as one FIFO item that refers to
 * them, read from the ring as they are popped (rtk__prod_take_block): no
 * copy of each task into the FIFO, whose memory then follows the
 * references queued, not their tasks. The rest of a block (its header at
 * pos), or a series (single: task cells from pos on). Their cells stay
 * the loop's until the last task is popped: `consumed` stays at the first
 * position referred to in the segment (wq_producers.c). Only for a
 * watched ring (rtk__wq_pop_fast looks for references only while some
 * ring is), and only while the segments the ring's references keep from
 * its producer after the loop read past them are no larger than the
 * FIFO's copies of their tasks would be, give or take RTK__HELD_CELLS (a
 * reference left behind by more urgent tasks would otherwise keep a whole
 * segment each: rtk__prod_may_refer). False when the FIFO had no memory
 * for the item. */
static bool refer(rtk_runtime_t *rt, rtk__producer_t *p, rtk__pcell_t *cells,
                  size_t pos, rtk_priority_t prio, rtk_id_t id, rtk_id_t cause,
                  size_t t, size_t n, bool single)
{
    rtk__item_t *s = rtk__pf_append(&rt->wq_local, prio);
    if (!s)
        return false;
    rtk__seg_t *seg =
        (rtk__seg_t *)((char *)cells - offsetof(rtk__seg_t, cells));
    s->id = id;
    s->cause = cause;
    s->priority = prio;
    s->source = RTK__SRC_BLOCK;
    s->u.block.seg = seg;
    s->u.block.h = pos;
    s->u.block.t = (uint16_t)t;
    s->u.block.n = (uint16_t)n;
    s->u.block.slot = (uint16_t)(p - rt->wq_prod);
    s->u.block.single = single;
    if (seg->refs++ == 0)
        seg->hold = pos;
    p->crefs++;
    p->rtasks += n;
    return true;
}

static bool refer_block(rtk_runtime_t *rt, rtk__producer_t *p,
                        rtk__pcell_t *cells, size_t pos, const rtk__pcell_t *h)
{
    return refer(rt, p, cells, pos, h->priority, h->a.id, h->b.cause,
                 rtk__blk_taken(h->mark), rtk__blk_tasks(h->mark), false);
}

/* How many task cells from pos on (the one at pos is one) are published,
 * of priority prio, with no mark or block among them: a series, if
 * RTK__SERIES_MIN or more (at most RTK__SERIES_MAX). The cells are walked
 * to the array's end, then from its start; a cell's priority and mark,
 * side by side, are compared as one word with (prio, 0). Every cell of a
 * long series is read here first: 16 instructions a cell indexed and
 * compared field by field, 7 walked (bench_xthread_cost 1, callgrind). */
static size_t series_len(const rtk__pcell_t *cells, size_t mask, size_t pos,
                         rtk_priority_t prio)
{
    _Static_assert(offsetof(rtk__pcell_t, mark) ==
                       offsetof(rtk__pcell_t, priority) + sizeof(rtk_priority_t),
                   "a cell's mark follows its priority");
    const struct {
        rtk_priority_t priority;
        uint32_t mark;
    } pm0 = {prio, RTK__PC_TASK};
    uint64_t want;
    memcpy(&want, &pm0, sizeof want);
    size_t n = 1, i = (pos + 1) & mask;
    for (;;) {
        /* to the array's end or the most a series holds */
        size_t k = mask + 1 - i;
        if (k > RTK__SERIES_MAX - n)
            k = RTK__SERIES_MAX - n;
        const rtk__pcell_t *c = &cells[i], *const stop = c + k;
        for (size_t seq = pos + n + 1; c != stop; c++, seq++) {
            uint64_t pm;
            if (atomic_load_explicit(&c->seq, memory_order_acquire) != seq)
                break;
            memcpy(&pm, &c->priority, sizeof pm); /* published: read */
            if (pm != want)
                break;
        }
        if (c != stop)
            return n + (size_t)(c - &cells[i]);
        n += k;
        if (i == 0 || n == RTK__SERIES_MAX)
            return n;
        i = 0; /* on from the array's start */
    }
}

/* A producer's own ring (wq_producers.c): its published cells from *posp
 * on, into the loop's FIFO so that priorities compare across all; a mark
 * sets the id and cause the next tasks get (p->cid, p->ccause), and so
 * does a block, after its tasks. Its cells are not given back one by one:
 * the loop's position is, once per drain. Bounded: a ring never holds
 * more tasks than the capacity (marks take no place). A task the FIFO has
 * no memory for stays at the ring's front, and so does all behind it
 * (popped from there: rtk__wq_pop_spilled), the marks before it already
 * read. True when it stopped at a cell not published. The position stays
 * in a register. */
bool rtk__wq_drain_cells(rtk_runtime_t *rt, rtk__producer_t *p,
                         rtk__pcell_t *cells, size_t mask, size_t *posp)
{
    rtk__prio_fifo_t *q = &rt->wq_local;
    size_t pos = *posp;
    rtk_id_t id = p->cid, cause = p->ccause;
    bool all = true;
    for (;;) {
        rtk__pcell_t *c = &cells[pos & mask];
        if (atomic_load_explicit(&c->seq, memory_order_acquire) != pos + 1)
            break;
        if (c->mark == RTK__PC_MARK) {
            id = c->a.id;
            cause = c->b.cause;
            pos++;
            continue;
        }
        if (c->mark) { /* a block */
            if (!(p->wi >= 0 && rtk__prod_may_refer(p)
                      ? refer_block(rt, p, cells, pos, c)
                      : drain_block(q, cells, mask, pos, c))) {
                all = false;
                break;
            }
            size_t tasks = rtk__blk_tasks(c->mark);
            id = c->a.id + (tasks - rtk__blk_taken(c->mark));
            cause = c->b.cause;
            pos += rtk__blk_cells(tasks);
            continue;
        }
        rtk_priority_t prio = c->priority;
        if (p->wi >= 0 && rtk__prod_may_refer(p)) {
            /* tasks sent one per call: run from the ring, as a block's */
            size_t n = series_len(cells, mask, pos, prio);
            if (n >= RTK__SERIES_MIN) {
                if (!refer(rt, p, cells, pos, prio, id, cause, 0, n, true)) {
                    all = false;
                    break;
                }
                pos += n;
                id += n;
                continue;
            }
        }
        rtk__item_t *s = rtk__pf_append(q, prio);
        if (!s) {
            all = false;
            break;
        }
        rtk__pcell_item(s, c, id++, cause);
        pos++;
        /* it went to a level (a priority with a level is only ever
         * there): the same priority behind it goes there too */
        size_t li = q->last;
        if (li < q->nlevels && q->levels[li].priority == prio) {
            size_t n = drain_run(cells, mask, pos, &q->levels[li], prio, id, cause);
            q->len += n;
            pos += n;
            id += n;
        }
    }
    *posp = pos;
    p->cid = id;
    p->ccause = cause;
    return all;
}

/* The shared ring: the loop's spills, and the threads without a ring of
 * their own. A thread diverted to it (wq_producers.c) may have items in
 * its own ring published before this one: while any thread is diverted,
 * every ring is collected before each item here (the count is read after
 * the item's acquire, so a diversion before it is seen). */
static bool drain_shared(rtk_runtime_t *rt)
{
    rtk__ring_t *r = &rt->wq_ring;
    rtk__item_t *it;
    while ((it = rtk__ring_front(r)) != NULL) {
        if (atomic_load_explicit(&rt->wq_diverted, memory_order_relaxed) &&
            !rtk__prod_drain(rt))
            return false;
        rtk__item_t *s = rtk__pf_append(&rt->wq_local, it->priority);
        if (!s)
            return false;
        *s = *it;
        rtk__ring_advance(r);
    }
    return true;
}

/* Collect what other threads published: their own rings, then the shared
 * one. True when nothing published is left. */
bool rtk__wq_drain_ring(rtk_runtime_t *rt)
{
    bool all = rtk__prod_drain(rt);
    if (rtk__ring_ready(&rt->wq_ring) && !drain_shared(rt))
        all = false;
    return all;
}

bool rtk__wq_pop_spilled(rtk_runtime_t *rt, rtk__item_t *out)
{
    if (rtk__prod_pop_front(rt, out))
        return true;
    rtk__item_t *it = rtk__ring_front(&rt->wq_ring);
    if (!it)
        return false;
    *out = *it;
    rtk__ring_advance(&rt->wq_ring);
    return true;
}

bool rtk__wq_pop_looked(rtk_runtime_t *rt, rtk__item_t *out, bool ring)
{
    if (ring || rtk__prod_ready(rt))
        rtk__wq_drain_ring(rt);
    rtk__item_t *fr = rtk__pf_front(&rt->wq_local);
    if (fr)
        rtk__wq_take(rt, fr, out);
    else if (!rtk__wq_ready(rt) || !rtk__wq_pop_spilled(rt, out))
        return false;
    rtk__wq_pop_credit(rt);
    return true;
}

bool rtk__wq_pop(rtk_runtime_t *rt, rtk__item_t *out)
{
    rtk__wq_drain_ring(rt);
    rtk__item_t *fr = rtk__pf_front(&rt->wq_local);
    if (fr)
        rtk__wq_take(rt, fr, out);
    else if (!rtk__wq_pop_spilled(rt, out))
        return false;
    if (out->source == RTK__SRC_BLOCK)
        out->source = RTK__SRC_SUBMIT; /* a task like any, here */
    atomic_fetch_sub_explicit(&rt->wq_count, 1, memory_order_relaxed);
    return true;
}

/* wq_count less the places held without a task: the producers' credit,
 * read first (a chunk's places are in wq_count before its credit is
 * stored, release), and on the loop its own. Under only while a diverting
 * producer gives its credit back. */
size_t rtk__wq_len(const rtk_runtime_t *rt)
{
    size_t held = rtk__prod_credit(rt);
    size_t n = atomic_load_explicit(&rt->wq_count, memory_order_relaxed);
    if (rtk__on_loop(rt))
        held += rtk__wq_loop_held(rt);
    return n > held ? n - held : 0;
}

void rtk__wq_discard_all(rtk_runtime_t *rt, rtk_drop_reason_t reason)
{
    rtk__item_t it;
    while (rtk__wq_pop(rt, &it)) {
        rtk__count_drop(rt, reason, RTK_ITEM_TASK, it.id, it.cause,
                        it.priority);
        if (it.source == RTK__SRC_TIMER)
            rtk__timer_fire_done(rt, &it);
    }
}

void rtk_task_desc_init(rtk_task_desc_t *d, rtk_task_fn fn, void *arg)
{
    *d = (rtk_task_desc_t){.fn = fn, .arg = arg,
                           .priority = RTK_PRIORITY_NORMAL};
}

/* The loop thread's general submit (another thread's is foreign(),
 * below): no credit, no id left in the block, not running, published items
 * waiting in the ring (they go first), a new level or the spread. */
static __attribute__((noinline)) int
submit(rtk_runtime_t *rt, rtk_task_fn fn, void *arg,
                  rtk_priority_t prio, const char *name, rtk_id_t cause,
                  rtk_id_t *id)
{
    rtk_id_t nid = rtk__next_id();
    cause = rtk__cause_or_current(cause);
    if (!rtk__running(rt)) {
        rtk__count_drop(rt, RTK_DROP_NOT_RUNNING, RTK_ITEM_TASK, nid, cause,
                        prio);
        return RTK_ESTATE;
    }
    /* a task, handler or timer scheduling more work: straight into its
     * place in the loop's FIFO. A traced batch's push (its credit is in
     * wq_tcredit) in line: through push_local_slow it cost 80 more
     * instructions than the event itself. */
    int rc = RTK_OK;
    rtk__item_t *s;
    if (rt->wq_tcredit && !rtk__ring_ready(&rt->wq_ring) &&
        (s = rtk__pf_append_fast(&rt->wq_local, prio)) != NULL) {
        rt->wq_tcredit--;
        RTK_TP(task_queued, nid, cause, prio, RTK__SRC_SUBMIT, 0, name);
    } else {
        s = push_local(rt, nid, cause, prio, name, true, &rc);
    }
    if (s) {
        rtk__fill_task(s, nid, cause, prio, fn, arg); /* traced in push_local_slow */
    } else if (rc == SPILL) {
        rtk__item_t it = {0};
        rtk__fill_task(&it, nid, cause, prio, fn, arg);
        spill(rt, &it);
    } else {
        return rc;
    }
    if (id)
        *id = nid;
    return RTK_OK;
}

/* The common case in full: the loop scheduling onto the level of its
 * previous push, or another level or the spread found by one probe of the
 * level map, with room, credit, a fresh id in its block and nothing
 * published in the ring (the caller has checked that this is the loop
 * thread). Anything else (and a traced batch, which holds no credit) is a
 * tail call: to submit_slow() when only the place is missing, to submit()
 * otherwise. So this path is a leaf. */
/* `credit`: the loop's untraced credit (wq_credit) or, for the traced
 * path, wq_tcredit (schedule_local). "Nothing published" is the shared
 * ring only (the loop's spills stay ahead of its later pushes): a task's
 * push is not ordered against other threads' rings (FIFO is per thread,
 * task.h), so it does not read them; a command's or a timer's push does
 * (append_local), and the next pop collects them. One ring's cell fewer
 * to read per push: 1 ns of a 10 ns deferred task. A pop that left the
 * other rings unread set the credit aside (rtk__wq_pop_lazy): the push
 * after it finds none and looks first, on the slow path, as that pop
 * would have, so a task another thread published before it stays ahead
 * of the tasks pushed after it. No flag to test here. */
static inline __attribute__((always_inline)) bool
ready_with(const rtk_runtime_t *rt, size_t credit)
{
    return credit != 0 && rtk__tls.id_next != rtk__tls.id_end &&
           rtk__running(rt) && !rtk__ring_ready(&rt->wq_ring);
}

static inline __attribute__((always_inline)) void
fill_with(size_t *credit, rtk__item_t *s, rtk_task_fn fn, void *arg,
          rtk_priority_t prio, rtk_id_t cause)
{
    (*credit)--;
    rtk__fill_task(s, rtk__tls.id_next++, cause ? cause : rtk__tls.cause, prio, fn,
              arg);
}

static inline __attribute__((always_inline)) bool
fast_ready(const rtk_runtime_t *rt)
{
    return ready_with(rt, rt->wq_credit);
}

static inline __attribute__((always_inline)) void
fast_fill(rtk_runtime_t *rt, rtk__item_t *s, rtk_task_fn fn, void *arg,
          rtk_priority_t prio, rtk_id_t cause)
{
    fill_with(&rt->wq_credit, s, fn, arg, prio, cause);
}

/* submit_slow's end: the place found, filled. */
static inline __attribute__((always_inline)) int
fill_placed(rtk_runtime_t *rt, rtk__item_t *s, rtk_task_fn fn, void *arg,
            rtk_priority_t prio, rtk_id_t cause, rtk_id_t *id)
{
    fast_fill(rt, s, fn, arg, prio, cause);
    if (id)
        *id = s->id;
    return RTK_OK;
}

/* The fast path's checks passed but its append found no place: a new
 * level, a full one, a hash two levels share, or the spread out of slots.
 * Those checks still hold, so straight to the FIFO's slow append, not
 * through submit() and a second try of every fast case. No memory:
 * submit() spills. */
static __attribute__((noinline)) int
submit_slow(rtk_runtime_t *rt, rtk_task_fn fn, void *arg, rtk_priority_t prio,
            const char *name, rtk_id_t cause, rtk_id_t *id)
{
    rtk__item_t *s = rtk__pf_append_slow(&rt->wq_local, prio);
    if (!s)
        return submit(rt, fn, arg, prio, name, cause, id);
    return fill_placed(rt, s, fn, arg, prio, cause, id);
}

/* Another thread's task into a cell of the shared ring, under a place it
 * holds: prod_min lowered first if the task is more urgent, as for a
 * producer's own ring (so a block's run sees it: executor.c). */
static inline __attribute__((always_inline)) void
put_shared(rtk_runtime_t *rt, rtk_id_t id, rtk_id_t cause, rtk_priority_t prio,
           rtk_task_fn fn, void *arg)
{
    rtk__note_sent_prio(rt, prio);
    size_t pos = rtk__ring_claim(&rt->wq_ring, 1);
    rtk__item_t *slot = rtk__ring_slot(&rt->wq_ring, pos);
    rtk__fill_task(slot, id, cause, prio, fn, arg);
    rtk__ring_publish(slot, pos);
}

/* Another thread's submit through the shared ring (push_foreign's
 * protocol): a thread without a ring of its own (all RTK__PRODUCERS
 * slots taken) or diverted from it. The item is filled in its ring cell. */
static __attribute__((noinline)) int
foreign_shared(rtk_runtime_t *rt, rtk_task_fn fn, void *arg,
               rtk_priority_t prio, const char *name, rtk_id_t cause,
               rtk_id_t nid)
{
    if (!reserve_one(rt))
        return foreign_refused(rt, REFUSED_FULL, nid, cause, prio);
    /* the re-check after reserving: see push_foreign */
    if (atomic_load_explicit(&rt->state, memory_order_seq_cst) !=
        RTK_STATE_RUNNING)
        return foreign_refused(rt, REFUSED_STOPPED_RESERVED, nid, cause, prio);
    RTK_TP(task_queued, nid, cause, prio, RTK__SRC_SUBMIT, 0, name);
    (void)name;
    put_shared(rt, nid, cause, prio, fn, arg);
    rtk__wake_reserved(rt);
    return RTK_OK;
}

#ifndef CHUNK_MAX /* -DCHUNK_MAX=n: for tuning runs */
#define CHUNK_MAX 128
#endif
/* A producer's chunk of places: at most CHUNK_MAX, at most 1/64 of the queue
 * shared among the slots claimed, at least 1; 1 for a while after a
 * reclaim took its leftover (a thread that submits now and then, into a
 * queue the loop fills to the brim, would otherwise make every tick pay a
 * reclaim's membarrier). 0 when full. */
static __attribute__((noinline)) size_t take_credit(rtk_runtime_t *rt,
                                                    rtk__producer_t *p)
{
    uint32_t n = atomic_load_explicit(&rt->wq_prod_n, memory_order_relaxed);
    size_t want = rt->cfg.work_queue_capacity / 64 / (n ? n : 1);
    if (p->cool) {
        p->cool--;
        want = 1;
    }
    return reserve_places(rt, want > CHUNK_MAX ? CHUNK_MAX : want ? want : 1);
}

/* A mark before a task whose id or cause the loop would not give it
 * (rtk__pcell_t). False when the ring could not grow. */
static __attribute__((noinline)) bool producer_mark(rtk_runtime_t *rt,
                                                    rtk__producer_t *p,
                                                    rtk_id_t id, rtk_id_t cause)
{
    rtk__pcell_t *m = rtk__prod_cell(rt, p);
    if (!m)
        return false;
    m->mark = 1;
    m->priority = 0; /* not read: a mark is no task */
    m->a.id = id;
    m->b.cause = cause;
    rtk__prod_publish(p, m);
    p->pid = id;
    p->pcause = cause;
    return true;
}

/* Task id (the one the loop counts to: no mark needed) into p's cell c,
 * published. */
static inline __attribute__((always_inline)) void
put_task_cell(rtk__producer_t *p, rtk__pcell_t *c, rtk_id_t id,
              rtk_priority_t prio, rtk_task_fn fn, void *arg)
{
    c->mark = 0;
    c->priority = prio;
    c->a.fn = fn;
    c->b.arg = arg;
    rtk__prod_publish(p, c);
    p->pid = id + 1;
}

/* A producer's task into its ring (a mark first if needed); when the ring
 * cannot grow, the thread is diverted and the task goes to the shared ring
 * (under the place it holds). */
static inline __attribute__((always_inline)) void
producer_put(rtk_runtime_t *rt, rtk__producer_t *p, size_t *credit, rtk_id_t id,
             rtk_id_t cause, rtk_priority_t prio, rtk_task_fn fn, void *arg)
{
    if (__builtin_expect(!p->diverted, 1)) {
        rtk__pcell_t *c;
        rtk__prod_note_prio(rt, p, prio);
        if ((__builtin_expect(id == p->pid && cause == p->pcause, 1) ||
             producer_mark(rt, p, id, cause)) &&
            (c = rtk__prod_cell(rt, p)) != NULL) {
            put_task_cell(p, c, id, prio, fn, arg);
            return;
        }
        rtk__prod_divert(rt, p, credit);
    }
    put_shared(rt, id, cause, prio, fn, arg);
}

/* Another thread's submit in one piece (wq_producers.c has the protocol):
 * into the thread's own ring, a place from its credit, no layer in between
 * re-checking what this one knows. Entered from rtk_submit and
 * rtk_schedule as a tail call (hence two wrappers of at most six
 * arguments, below). */
static inline __attribute__((always_inline)) int
foreign(rtk_runtime_t *rt, rtk_task_fn fn, void *arg, rtk_priority_t prio,
        const char *name, rtk_id_t cause, rtk_id_t *id)
{
    rtk_id_t nid = rtk__next_id();
    cause = rtk__cause_or_current(cause);
    if (!rtk__running(rt))
        return foreign_refused(rt, REFUSED_STOPPED, nid, cause, prio);
    rtk__producer_t *p = rtk__prod_of(rt);
    int rc;
    if (__builtin_expect(p == NULL || p->diverted, 0)) {
        rc = foreign_shared(rt, fn, arg, prio, name, cause, nid);
        goto out;
    }
    rtk__prod_enter(rt, p);
    int sleeping = atomic_load_explicit(&rt->sleeping, memory_order_relaxed);
    if (atomic_load_explicit(&rt->state, memory_order_relaxed) !=
        RTK_STATE_RUNNING) {
        atomic_store_explicit(&p->busy, 0, memory_order_release);
        return foreign_refused(rt, REFUSED_STOPPED, nid, cause, prio);
    }
    size_t c = rtk__prod_credit_get(rt, p);
    if (__builtin_expect(c == 0, 0) && (c = take_credit(rt, p)) == 0) {
        rtk__prod_leave(p, 0);
        return foreign_refused(rt, REFUSED_FULL, nid, cause, prio);
    }
    c--; /* this task's place */
    RTK_TP(task_queued, nid, cause, prio, RTK__SRC_SUBMIT, 0, name);
    (void)name;
    producer_put(rt, p, &c, nid, cause, prio, fn, arg);
    rtk__prod_published(rt, p);
    rtk__prod_leave(p, c);
    if (sleeping)
        rtk__wake_write(rt);
    rc = RTK_OK;
out:
    if (rc == RTK_OK && id)
        *id = nid;
    return rc;
}

static __attribute__((noinline)) int
submit_foreign(rtk_runtime_t *rt, const rtk_task_desc_t *d, rtk_id_t *id)
{
    return foreign(rt, d->fn, d->arg, d->priority, d->name, d->cause, id);
}

static __attribute__((noinline)) int
schedule_foreign(rtk_runtime_t *rt, rtk_task_fn fn, void *arg,
                 rtk_priority_t prio)
{
    return foreign(rt, fn, arg, prio, NULL, 0, NULL);
}

int rtk_submit(rtk_runtime_t *rt, const rtk_task_desc_t *d, rtk_id_t *id)
{
    if (!rt || !d || !d->fn)
        return RTK_EINVAL;
    if (!rtk__on_loop(rt))
        return submit_foreign(rt, d, id);
    if (!fast_ready(rt))
        return submit(rt, d->fn, d->arg, d->priority, d->name, d->cause, id);
    rtk__item_t *s = rtk__pf_append_fast(&rt->wq_local, d->priority);
    if (!s)
        return submit_slow(rt, d->fn, d->arg, d->priority, d->name, d->cause,
                           id);
    fast_fill(rt, s, d->fn, d->arg, d->priority, d->cause);
    if (id)
        *id = s->id;
    return RTK_OK;
}

/* A batch's tasks: n descriptors (rtk_submit_many), or one function and
 * priority with n arguments (rtk_schedule_many: no descriptor to build or
 * scan). `one` is a constant where each entry point instantiates the
 * always-inline batch path below, so either reads as if written alone. */
typedef struct batch_src {
    int one;
    const rtk_task_desc_t *d;
    rtk_task_fn fn;
    void *const *args;
    rtk_priority_t prio;
} batch_src_t;

#define BATCH_INLINE static inline __attribute__((always_inline))
BATCH_INLINE rtk_task_fn src_fn(const batch_src_t *b, size_t i)
{
    return b->one ? b->fn : b->d[i].fn;
}
BATCH_INLINE void *src_arg(const batch_src_t *b, size_t i)
{
    return b->one ? b->args[i] : b->d[i].arg;
}
BATCH_INLINE rtk_priority_t src_prio(const batch_src_t *b, size_t i)
{
    return b->one ? b->prio : b->d[i].priority;
}
BATCH_INLINE rtk_id_t src_cause(const batch_src_t *b, size_t i)
{
    return b->one ? 0 : b->d[i].cause;
}
BATCH_INLINE const char *src_name(const batch_src_t *b, size_t i)
{
    return b->one ? NULL : b->d[i].name;
}

/* k tasks of b from i0 with ids id0.. (consecutive), one cause and one
 * priority, as a block in p's ring if they are enough and it has room (else
 * one cell each, which may move to a new segment): internal.h,
 * rtk__pcell_t. */
BATCH_INLINE void put_run(rtk_runtime_t *rt, rtk__producer_t *p,
                          size_t *credit, const batch_src_t *b, size_t i0,
                          size_t k, rtk_id_t id0, rtk_id_t cause)
{
    size_t cells = rtk__blk_cells(k);
    if (k < RTK__BLOCK_MIN || p->diverted || !rtk__prod_block_room(p, cells)) {
        for (size_t i = 0; i < k; i++)
            producer_put(rt, p, credit, id0 + i, cause, src_prio(b, i0 + i),
                         src_fn(b, i0 + i), src_arg(b, i0 + i));
        return;
    }
    const rtk_priority_t prio = src_prio(b, i0);
    rtk__prod_note_prio(rt, p, prio);
    rtk__seg_t *sg = p->pseg;
    rtk__pcell_t *const cl = sg->cells;
    const size_t mask = sg->mask, h = p->ppos;
    /* the payload cells walked (a wrap is a compare), pairs, then an odd
     * last task: indexed, with a test for the pair's second, they cost 2.5
     * more instructions a task */
    rtk__pcell_t *pay = &cl[(h + 1) & mask], *const end = cl + mask + 1;
    size_t i = i0;
    const size_t iend = i0 + k;
    for (; i + 1 < iend; i += 2) {
        pay->lane[0].nfn = ~(uintptr_t)src_fn(b, i);
        pay->lane[0].arg = src_arg(b, i);
        pay->lane[1].nfn = ~(uintptr_t)src_fn(b, i + 1);
        pay->lane[1].arg = src_arg(b, i + 1);
        if (++pay == end)
            pay = cl;
    }
    if (i < iend) {
        pay->lane[0].nfn = ~(uintptr_t)src_fn(b, i);
        pay->lane[0].arg = src_arg(b, i);
    }
    rtk__pcell_t *hd = &cl[h & mask];
    hd->priority = prio;
    hd->mark = rtk__blk_mark(k, 0);
    hd->a.id = id0;
    hd->b.cause = cause;
    rtk__prod_publish_block(p, hd, cells);
    p->pid = id0 + k;
    p->pcause = cause;
}

/* A batch's k tasks into the places taken (the shared ring's k cells
 * claimed, or by runs into the producer's ring), ids and events as each
 * is filled. */
BATCH_INLINE void fill_many(rtk_runtime_t *rt, rtk__producer_t *p,
                            const batch_src_t *b, size_t k, rtk_id_t *ids,
                            size_t *credit)
{
    rtk_id_t outer = rtk__tls.cause;
    if (p) {
        /* runs of one priority and cause, up to RTK__BLOCK_MAX tasks and
         * the ids left in the thread's block (a run's ids are consecutive):
         * the run's length first, its ids then taken at once */
        size_t i = 0;
        while (i < k) {
            const rtk_priority_t prio = src_prio(b, i);
            const rtk_id_t given = src_cause(b, i);
            const rtk_id_t cause = given ? given : outer;
            size_t lim = rtk__ids_left();
            if (lim > k - i)
                lim = k - i;
            if (lim > RTK__BLOCK_MAX)
                lim = RTK__BLOCK_MAX;
            /* the same cause given (most often 0) is the same cause, with
             * no select a task; one function's batch is one run */
            const size_t jend = i + lim;
            size_t j = b->one ? jend : i + 1;
            while (j < jend && src_prio(b, j) == prio &&
                   (src_cause(b, j) == given ||
                    (src_cause(b, j) ? src_cause(b, j) : outer) == cause))
                j++;
            const rtk_id_t id0 = rtk__tls.id_next;
            rtk__tls.id_next += j - i;
            if (ids)
                for (size_t m = i; m < j; m++)
                    ids[m] = id0 + (m - i);
            if (RTK_TP_ON(task_queued))
                for (size_t m = i; m < j; m++)
                    RTK_TP(task_queued, id0 + (m - i), cause, prio,
                           RTK__SRC_SUBMIT, 0, src_name(b, m));
            put_run(rt, p, credit, b, i, j - i, id0, cause);
            i = j;
        }
        return;
    }
    size_t pos = rtk__ring_claim(&rt->wq_ring, k);
    for (size_t i = 0; i < k; i++) {
        rtk_id_t id = rtk__next_id(), given = src_cause(b, i);
        rtk_id_t cause = given ? given : outer;
        if (ids)
            ids[i] = id;
        RTK_TP(task_queued, id, cause, src_prio(b, i), RTK__SRC_SUBMIT, 0,
               src_name(b, i));
        rtk__note_sent_prio(rt, src_prio(b, i));
        rtk__item_t *s = rtk__ring_slot(&rt->wq_ring, pos + i);
        rtk__fill_task(s, id, cause, src_prio(b, i), src_fn(b, i),
                       src_arg(b, i));
        rtk__ring_publish(s, pos + i);
    }
}

/* Another thread's batch. With a ring of its own: busy, the state, credit
 * then one reservation for the rest (wq_producers.c); else reserve,
 * re-check the state (see push_foreign) and claim k shared cells at once.
 * Wake once. Returns how many it queued; *rc says why not all. */
BATCH_INLINE size_t submit_many_foreign(rtk_runtime_t *rt,
                                        const batch_src_t *b, size_t n,
                                        rtk_id_t *ids, int *rc)
{
    rtk__producer_t *p = rtk__prod_of(rt);
    if (p && !p->diverted) {
        rtk__prod_enter(rt, p);
        int sleeping = atomic_load_explicit(&rt->sleeping, memory_order_relaxed);
        size_t k = 0, c = 0;
        if (atomic_load_explicit(&rt->state, memory_order_relaxed) !=
            RTK_STATE_RUNNING) {
            atomic_store_explicit(&p->busy, 0, memory_order_release);
            *rc = RTK_ESTATE;
            return 0;
        } else {
            c = rtk__prod_credit_get(rt, p);
            size_t from_credit = c < n ? c : n;
            c -= from_credit;
            k = from_credit +
                (n > from_credit ? reserve_places(rt, n - from_credit) : 0);
            *rc = k == n ? RTK_OK : RTK_EFULL;
            fill_many(rt, p, b, k, ids, &c);
            if (k)
                rtk__prod_published(rt, p);
        }
        rtk__prod_leave(p, c);
        if (sleeping && k)
            rtk__wake_write(rt);
        return k;
    }
    size_t k = reserve_places(rt, n);
    if (k &&
        atomic_load_explicit(&rt->state, memory_order_seq_cst) !=
            RTK_STATE_RUNNING) {
        atomic_fetch_sub_explicit(&rt->wq_count, k, memory_order_relaxed);
        *rc = RTK_ESTATE;
        return 0;
    }
    *rc = k == n ? RTK_OK : RTK_EFULL;
    if (!k)
        return 0;
    fill_many(rt, NULL, b, k, ids, NULL);
    rtk__wake_reserved(rt);
    return k;
}

/* rtk_submit_many and rtk_schedule_many past their argument checks. */
BATCH_INLINE int submit_batch(rtk_runtime_t *rt, const batch_src_t *b,
                              size_t n, rtk_id_t *ids, size_t *accepted)
{
    size_t k = 0, counted; /* queued; refusals counted so far */
    int rc = RTK_OK;
    if (!rtk__running(rt)) {
        rc = RTK_ESTATE;
        counted = 0;
    } else if (!rtk__on_loop(rt)) {
        k = submit_many_foreign(rt, b, n, ids, &rc);
        counted = k;
    } else {
        /* the loop's own pushes cost no locked instruction: one by one */
        while (k < n &&
               (rc = submit(rt, src_fn(b, k), src_arg(b, k), src_prio(b, k),
                            src_name(b, k), src_cause(b, k),
                            ids ? &ids[k] : NULL)) == RTK_OK)
            k++;
        counted = k < n ? k + 1 : n; /* submit counted task k */
    }
    /* the refused rest, counted as rtk_submit would count each: in one
     * add (a producer retrying a full queue paid a contended add per
     * task), each traced with an id of its own when a session listens */
    rtk_drop_reason_t why = rc == RTK_ESTATE ? RTK_DROP_NOT_RUNNING
                                             : RTK_DROP_WORK_QUEUE_FULL;
    if (counted < n) {
        atomic_fetch_add_explicit(&rt->drops[why], n - counted,
                                  memory_order_relaxed);
        for (size_t i = counted; RTK_TP_ON(drop) && i < n; i++)
            RTK_TP(drop, rtk__next_id(), rtk__cause_or_current(src_cause(b, i)),
                   src_prio(b, i), (uint8_t)RTK_ITEM_TASK, (uint8_t)why);
    }
    for (size_t i = k; ids && i < n; i++)
        ids[i] = 0;
    if (accepted)
        *accepted = k;
    return rc;
}

int rtk_submit_many(rtk_runtime_t *rt, const rtk_task_desc_t *d, size_t n,
                    rtk_id_t *ids, size_t *accepted)
{
    if (accepted)
        *accepted = 0;
    if (!rt || (n && !d))
        return RTK_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!d[i].fn)
            return RTK_EINVAL;
    const batch_src_t b = {.one = 0, .d = d};
    return submit_batch(rt, &b, n, ids, accepted);
}

int rtk_schedule_many(rtk_runtime_t *rt, rtk_task_fn fn, void *const *args,
                      size_t n, rtk_priority_t priority, size_t *accepted)
{
    if (accepted)
        *accepted = 0;
    if (!rt || !fn || (n && !args))
        return RTK_EINVAL;
    const batch_src_t b = {.one = 1, .fn = fn, .args = args, .prio = priority};
    return submit_batch(rt, &b, n, NULL, accepted);
}

/* The loop's rtk_schedule in a traced batch (its credit in wq_tcredit):
 * the fast path's checks and fill, then task_queued; anything else to
 * submit(). Four arguments and no name, cause or id to pass: through
 * submit() a recorded task cost 25 more instructions. */
static __attribute__((noinline)) int
schedule_local(rtk_runtime_t *rt, rtk_task_fn fn, void *arg,
               rtk_priority_t prio)
{
    rtk__item_t *s;
    if (ready_with(rt, rt->wq_tcredit) &&
        (s = rtk__pf_append_fast(&rt->wq_local, prio)) != NULL) {
        fill_with(&rt->wq_tcredit, s, fn, arg, prio, 0);
        RTK_TP(task_queued, s->id, s->cause, prio, RTK__SRC_SUBMIT, 0, NULL);
        return RTK_OK;
    }
    return submit(rt, fn, arg, prio, NULL, 0, NULL);
}

/* schedule_quick's end when the loop sleeps: the wake, then RTK_OK (a
 * tail call, so the quick path saves no register for it). */
static __attribute__((noinline)) int woken(rtk_runtime_t *rt)
{
    rtk__wake_write(rt);
    return RTK_OK;
}

/* Another thread's rtk_schedule in the common case, as a leaf: the
 * thread has a ring, a place in its credit and the next id of its block,
 * the task needs no mark and lowers no bound (psent), the ring's cell is
 * free, no session listens to task_queued, membarrier(2) is registered,
 * the producers are not in the fenced mode and no reclaim is under way.
 * Every check is made before the first store, or, for those that must
 * follow the busy store (the state, the fenced mode, a reclaim: the
 * protocol in wq_producers.c), backs out with busy cleared as a refusal
 * does; then schedule_foreign does it all. The full path's register saves
 * and second reads of the state and the thread's slot were a third of
 * its instructions (docs/benchmarks.md, "Merged: series run from the
 * ring, a quick path, a look before the sleep"). */
static __attribute__((noinline)) int
schedule_quick(rtk_runtime_t *rt, rtk_task_fn fn, void *arg, rtk_priority_t prio)
{
    if (RTK_TP_ON(task_queued))
        return schedule_foreign(rt, fn, arg, prio);
    /* no slot, a diverted one or no membarrier(2): rtk__prod_none, whose
     * next id no task has (rtk__prod_lookup) */
    rtk__producer_t *p = rtk__tls.prod.quick;
    const rtk_id_t id = rtk__tls.id_next;
    if (__builtin_expect(rtk__tls.prod.rt != rt || rtk__tls.prod.gen != rt->gen ||
                             id == rtk__tls.id_end ||
                             id != p->pid || rtk__tls.cause != p->pcause ||
                             prio < p->psent || p->ppos == p->plimit,
                         0))
        return schedule_foreign(rt, fn, arg, prio);
    atomic_store_explicit(&p->busy, 1, memory_order_relaxed);
    atomic_signal_fence(memory_order_seq_cst);
    const uint32_t started =
        atomic_load_explicit(&rt->reclaim_start, memory_order_relaxed);
    const size_t credit = atomic_load_explicit(&p->credit, memory_order_relaxed);
    if (__builtin_expect(
            atomic_load_explicit(&rt->prod_fenced, memory_order_relaxed) ||
                atomic_load_explicit(&rt->state, memory_order_relaxed) !=
                    RTK_STATE_RUNNING ||
                !rtk__prod_reclaim_quiet(rt, p, started) || credit == 0,
            0)) {
        atomic_store_explicit(&p->busy, 0, memory_order_release);
        return schedule_foreign(rt, fn, arg, prio);
    }
    rtk__seg_t *seg = p->pseg;
    put_task_cell(p, &seg->cells[p->ppos & seg->mask], id, prio, fn, arg);
    rtk__tls.id_next = id + 1;
    rtk__prod_published(rt, p);
    /* still busy: read after the busy store, as the protocol asks */
    const int sleeping = atomic_load_explicit(&rt->sleeping, memory_order_relaxed);
    rtk__prod_leave(p, credit - 1);
    if (sleeping)
        return woken(rt);
    return RTK_OK;
}

int rtk_schedule(rtk_runtime_t *rt, rtk_task_fn fn, void *arg,
                 rtk_priority_t priority)
{
    if (!rt || !fn)
        return RTK_EINVAL;
    if (!rtk__on_loop(rt))
        return schedule_quick(rt, fn, arg, priority);
    if (!fast_ready(rt))
        return schedule_local(rt, fn, arg, priority);
    rtk__item_t *s = rtk__pf_append_fast(&rt->wq_local, priority);
    if (!s)
        return submit_slow(rt, fn, arg, priority, NULL, 0, NULL);
    fast_fill(rt, s, fn, arg, priority, 0);
    return RTK_OK;
}
