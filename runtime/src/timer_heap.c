/* timer_heap.c - one-shot and periodic timers.
 *
 *   slots     direct-mapped by id: timer `id` lives in slot id & mask. A
 *             new timer takes the next id from the process-wide counter
 *             whose slot is free (ids stay unique, with gaps); the table is
 *             kept at most half full and doubles when needed (no two live
 *             ids can collide after a doubling). Cancel by id is one slot
 *             access: no hash, no search. A slot is two parallel arrays:
 *             a 16-byte hot part (id, seq, gen: all that cancel, a queue
 *             entry's validity check and a fire task's validity check
 *             read; four a cache line) and a 56-byte cold part (fn, arg,
 *             name, cause, interval, priority, pending fires) read when the
 *             timer fires and when its fire task completes.
 *   queue     timer_queue.c: 16-byte entries {deadline, seq, slot}, key
 *             inline, in (deadline, arm seq) order: deadline order, FIFO
 *             for equal deadlines. A wheel of unsorted ~4 ms buckets over
 *             ~4.3 s (an append each, to a chain of pooled chunks); the
 *             bucket coming due is sorted once and drained in order,
 *             loading the slots of the fires a few entries ahead; small
 *             heaps for what falls before it or past the wheel.
 *   clock     a start's "now" is timer_clock.c's: a CLOCK_MONOTONIC read,
 *             reused for 0.5 us (TSC-checked), at most 1 us late.
 *
 *   start       O(1) (a deadline before the bucket being drained or past
 *               the wheel: O(log n) worst, O(1) expected)
 *   cancel      O(1), always: free the slot; its queue entry goes stale
 *   rearm       O(1) as start: the old entry goes stale, a new one is added
 *   next due    O(1) amortised: stale fronts are dropped when asked
 *   fire k      O(k) amortised (each entry is sorted once, with its
 *               bucket: two counting passes), O(k log n) for heap ones
 *   memory      72 bytes a slot (16 + 56), 2 to 4 slots a timer (the table
 *               is a power of two sized for max_timers, allocated and
 *               faulted in at create), plus 16 bytes a queue entry (a pool
 *               for 1.25 entries a timer faulted in at create too). Stale
 *               entries are filtered out once a tick (not inside cancel or
 *               rearm) when they outnumber live ones, and all dropped at
 *               once, without looking, when no timer is live.
 *
 * A fire queues the callback as a task (source timer) carrying the timer
 * id and its arm generation. Cancel frees the slot and re-arm bumps the
 * generation, so a fire already queued finds itself stale and is voided
 * rather than run. A fired one-shot stops being live at once but keeps its
 * slot until its fire has run, so cancelling it in between still voids it.
 * Slot states: free (id 0), armed (state seq != 0), fired (neither).
 *
 * Periodic timers re-arm from their previous deadline. Missed-period policy
 * SKIP: when the loop reaches a periodic timer k whole intervals after its
 * deadline d (k = (now - d) / interval >= 1), it fires once, counts k missed
 * periods, and re-arms at d + (k + 1) * interval: the grid never drifts. */
#include "internal.h"
#include "timer_queue.h"
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h> /* madvise */

_Static_assert(sizeof(rtk__tstate_t) == 16, "four hot slots a cache line");

typedef struct rtk__timers timers_t;
typedef rtk__tentry_t entry_t;
typedef rtk__tstate_t state_t;

static size_t live_get(const timers_t *t) { return rtk__get_size(&t->live); }
static void live_add(timers_t *t, long d)
{
    rtk__set_size(&t->live, live_get(t) + (size_t)d);
}

/* Tables of 2 MiB and more are anonymous mappings (given back to the
 * system when freed); smaller ones come from aligned_alloc, cache-line
 * aligned (four hot slots a line), zeroed.
 *
 * Either way every page is faulted in here, at create (or when the table
 * doubles), not by the starts that first reach it: ids walk the whole
 * table, so a running program touches all of it anyway, and a page fault
 * inside rtk_timer_start cost it 40-60 ns a timer at 1 M timers (4 KiB
 * pages: one fault per 57 slots). The memory is what max_timers asked for,
 * as the work queue's ring is for work_queue_capacity.
 *
 * Transparent huge pages are asked for only once the pages are in: under
 * THP "madvise" defrag (this kernel's mode) populating a hinted range
 * compacts memory on the spot, and creating a 1 M-timer runtime took 0.15
 * to 3.4 s on a busy machine instead of 0.34-0.53 s with 4 KiB pages.
 * Hinted afterwards, khugepaged may merge the table in the background (a
 * long-running program's fires and cancels then miss the TLB less); no
 * start, fire or create waits for it. Cost: O(bytes) once, about 2-3 ms a
 * MiB on a busy 2-core VM. */
#define BIG_TABLE ((size_t)2 << 20)

/* RTK_OK, or RTK_ENOMEM when the system has not that much memory to give:
 * then create fails cleanly instead of the process being killed later.
 *
 * The populate maps every page with one call (Linux 5.14 on; without it,
 * each write below faults). The write per page after it is for
 * hypervisors that map a guest's pages lazily, on its first access
 * through its own mapping (a PVM guest): the kernel's populate is not
 * that, and 1 M starts then paid a trap every 57 slots (start+cancel
 * 180 ns against 90 with the writes, create 50 against 215 ms). On bare
 * metal or hardware paging it costs a TLB miss per page, once. */
static int table_populate(void *p, size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
    if (madvise(p, bytes, MADV_POPULATE_WRITE) != 0 && errno != EINVAL)
        return RTK_ENOMEM; /* ENOMEM, EFAULT, EHWPOISON: no memory */
#endif
    /* a write per page (a read would map the zero page) */
    volatile unsigned char *b = p;
    for (size_t off = 0; off < bytes; off += 4096)
        b[off] = 0;
    return RTK_OK;
}

void *rtk__timer_mem_alloc(size_t bytes)
{
    if (bytes < BIG_TABLE) {
        void *p = rtk__aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (p)
            memset(p, 0, bytes);
        return p;
    }
    void *p = rtk__mmap(bytes);
    if (p == MAP_FAILED)
        return NULL;
    if (table_populate(p, bytes) != RTK_OK) {
        rtk__munmap(p, bytes);
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE); /* for khugepaged; a hint */
#endif
    return p;
}

void rtk__timer_mem_free(void *p, size_t bytes)
{
    if (!p)
        return;
    if (bytes < BIG_TABLE)
        rtk__free(p);
    else
        rtk__munmap(p, bytes);
}

typedef struct {
    rtk__timer_t *slots;
    state_t *state;
} tables_t;

static void tables_release(tables_t *tb, size_t cap)
{
    rtk__timer_mem_free(tb->slots, cap * sizeof *tb->slots);
    rtk__timer_mem_free(tb->state, cap * sizeof *tb->state);
}

static int tables_alloc(size_t cap, tables_t *tb)
{
    tb->slots = rtk__timer_mem_alloc(cap * sizeof *tb->slots);
    tb->state = rtk__timer_mem_alloc(cap * sizeof *tb->state);
    if (tb->slots && tb->state)
        return RTK_OK;
    tables_release(tb, cap);
    return RTK_ENOMEM;
}

static void tables_set(timers_t *t, const tables_t *tb)
{
    t->slots = tb->slots;
    t->state = tb->state;
    t->q.slots = tb->slots;
    t->q.state = tb->state;
}

static void tables_free(timers_t *t)
{
    tables_t tb = {t->slots, t->state};
    tables_release(&tb, t->mask + 1);
    t->slots = NULL;
    t->state = NULL;
}

/* The table is sized for max_live up front (2 slots a timer): its pages
 * cost nothing until touched, and the table then never doubles unless
 * fired timers awaiting their run pile up. */
int rtk__timers_init(timers_t *t, size_t max_live)
{
    *t = (timers_t){.max_live = max_live};
    rtk__tclock_init(&t->clock);
    size_t cap = 64;
    while (cap < 2 * max_live && cap < ((size_t)1 << 31))
        cap <<= 1;
    tables_t tb;
    if (tables_alloc(cap, &tb) != RTK_OK)
        return RTK_ENOMEM;
    if (rtk__tq_init(&t->q, max_live) != RTK_OK) {
        tables_release(&tb, cap);
        return RTK_ENOMEM;
    }
    tables_set(t, &tb);
    t->mask = cap - 1;
    return RTK_OK;
}

void rtk__timers_finish(timers_t *t)
{
    tables_free(t);
    rtk__tq_finish(&t->q);
}

/* ---- queue entries ---------------------------------------------------- */

static inline bool entry_live(const timers_t *t, const entry_t *e)
{
    return t->state[e->slot].seq == e->seq;
}

static uint32_t next_seq(timers_t *t)
{
    if (++t->seq == 0) /* 0 marks a slot that is not armed */
        ++t->seq;
    return t->seq;
}

/* Queue slot `s` at `deadline` under a fresh seq. */
static int arm(timers_t *t, uint32_t s, uint64_t deadline, uint64_t now)
{
    entry_t e = {deadline, next_seq(t), s};
    int rc = rtk__tq_push(&t->q, e, now);
    t->state[s].seq = rc == RTK_OK ? e.seq : 0;
    return rc;
}

/* No timer live: every entry is stale; drop them all without looking,
 * O(buckets in use). */
static void drop_if_none_live(timers_t *t)
{
    if (live_get(t) == 0 && t->q.len) {
        rtk__tq_clear(&t->q);
        t->stale = 0;
    }
}

/* Drop stale entries, O(n), once they outnumber live ones: amortised O(1)
 * per cancel or re-arm. Done once a tick (from tidy), not inside cancel or
 * re-arm, which stay O(1) every time; entries grow meanwhile by at most
 * the cancels and re-arms of one tick. */
static void compact(timers_t *t)
{
    drop_if_none_live(t);
    if (t->stale <= 64 || t->stale <= live_get(t))
        return;
    rtk__tq_filter(&t->q, t->state);
    t->stale = 0;
}

/* Drop stale fronts so the next deadline is a live timer's. */
static void tidy(timers_t *t)
{
    const entry_t *m;
    while ((m = rtk__tq_min(&t->q)) && !entry_live(t, m)) {
        rtk__tq_pop(&t->q);
        t->stale--;
    }
    compact(t);
}

/* ---- slots ------------------------------------------------------------ */

static inline state_t *find(const timers_t *t, rtk_id_t id)
{
    state_t *st = &t->state[id & t->mask];
    return id && st->id == id ? st : NULL;
}

static inline uint32_t slot_of(const timers_t *t, const state_t *st)
{
    return (uint32_t)(st - t->state);
}

static void slot_free(timers_t *t, state_t *st)
{
    st->id = 0;
    st->seq = 0;
    t->used--;
}

/* Double the table: every used slot moves to id & new mask (two ids apart
 * in the old table cannot meet in the new one); queue entries follow. */
static int grow(timers_t *t)
{
    size_t nmask = t->mask * 2 + 1;
    tables_t nt;
    if (tables_alloc(nmask + 1, &nt) != RTK_OK)
        return RTK_ENOMEM;
    rtk__tq_filter(&t->q, t->state); /* every entry left is live */
    t->stale = 0;
    rtk__tq_reslot(&t->q, t->state, nmask);
    for (size_t i = 0; i <= t->mask; i++) {
        if (t->state[i].id) {
            size_t j = t->state[i].id & nmask;
            nt.slots[j] = t->slots[i];
            nt.state[j] = t->state[i];
        }
    }
    tables_free(t);
    tables_set(t, &nt);
    t->mask = nmask;
    return RTK_OK;
}

/* A fresh id from the process-wide counter whose slot is free. */
static state_t *claim(timers_t *t, rtk_id_t *id)
{
    if ((t->used + 1) * 2 > t->mask + 1 && grow(t) != RTK_OK)
        return NULL;
    for (;;) {
        rtk_id_t cand = rtk__next_id();
        state_t *st = &t->state[cand & t->mask];
        if (st->id == 0) {
            *id = cand;
            t->used++;
            return st;
        }
    }
}

/* Now for a deadline: the runtime's clock if one is set, else an upper
 * bound of CLOCK_MONOTONIC at most 1 us late (timer_clock.c). */
static inline uint64_t timer_now(rtk_runtime_t *rt)
{
    return rt->cfg.clock ? rt->cfg.clock(rt->cfg.clock_ud)
                         : rtk__tclock_now(&rt->timers.clock);
}

static void trace_armed(const timers_t *t, const state_t *st,
                        uint64_t deadline)
{
    const rtk__timer_t *tm = &t->slots[slot_of(t, st)];
    RTK_TP(timer_armed, st->id, tm->cause, tm->priority, deadline,
           tm->interval, tm->name);
    (void)tm;
    (void)deadline;
}

int rtk_timer_start(rtk_runtime_t *rt, const rtk_timer_desc_t *d, rtk_id_t *id)
{
    if (!rt || !d || !d->fn)
        return RTK_EINVAL;
    timers_t *t = &rt->timers;
    rtk_id_t cause = rtk__cause_or_current(d->cause);
    if (!rtk__running(rt)) {
        rtk__count_drop(rt, RTK_DROP_NOT_RUNNING, RTK_ITEM_TIMER,
                        rtk__next_id(), cause, d->priority);
        return RTK_ESTATE;
    }
    if (live_get(t) >= t->max_live) {
        rtk__count_drop(rt, RTK_DROP_TIMER_LIMIT, RTK_ITEM_TIMER,
                        rtk__next_id(), cause, d->priority);
        return RTK_EFULL;
    }
    rtk_id_t tid;
    state_t *st = claim(t, &tid);
    if (!st)
        return RTK_ENOMEM;
    uint32_t s = slot_of(t, st);
    uint32_t gen = st->gen + 1; /* a queued fire of the slot's last timer
                                   must not pass for this one's */
    *st = (state_t){.id = tid, .gen = gen};
    t->slots[s] = (rtk__timer_t){.fn = d->fn, .arg = d->arg, .name = d->name,
                                 .cause = cause, .interval = d->interval_ns,
                                 .priority = d->priority};
    uint64_t now = timer_now(rt), deadline = rtk__sat_add(now, d->delay_ns);
    if (arm(t, s, deadline, now) != RTK_OK) {
        slot_free(t, st);
        return RTK_ENOMEM;
    }
    live_add(t, 1);
    if (id)
        *id = tid;
    trace_armed(t, st, deadline);
    return RTK_OK;
}

void rtk_timer_desc_init(rtk_timer_desc_t *d, rtk_task_fn fn, void *arg)
{
    *d = (rtk_timer_desc_t){.fn = fn, .arg = arg,
                            .priority = RTK_PRIORITY_NORMAL};
}

int rtk_timer_oneshot(rtk_runtime_t *rt, uint64_t delay_ns, rtk_task_fn fn,
                      void *arg, rtk_id_t *id)
{
    rtk_timer_desc_t d = {.delay_ns = delay_ns, .fn = fn, .arg = arg,
                          .priority = RTK_PRIORITY_NORMAL};
    return rtk_timer_start(rt, &d, id);
}

int rtk_timer_periodic(rtk_runtime_t *rt, uint64_t interval_ns, rtk_task_fn fn,
                       void *arg, rtk_id_t *id)
{
    if (interval_ns == 0)
        return RTK_EINVAL;
    rtk_timer_desc_t d = {.delay_ns = interval_ns, .interval_ns = interval_ns,
                          .fn = fn, .arg = arg,
                          .priority = RTK_PRIORITY_NORMAL};
    return rtk_timer_start(rt, &d, id);
}

int rtk_timer_cancel(rtk_runtime_t *rt, rtk_id_t id)
{
    timers_t *t = &rt->timers;
    state_t *st = find(t, id);
    if (!st)
        return RTK_ENOENT; /* unknown, cancelled, or a one-shot that ran */
    if (st->seq != 0) { /* armed */
        live_add(t, -1);
        t->stale++; /* its queue entry */
    }
    /* Freeing the slot voids queued fires: their id no longer matches. */
    slot_free(t, st);
    drop_if_none_live(t);
    /* traced last (the cold part is intact): out of line, nothing of the
     * hot path is kept across the call */
    const rtk__timer_t *tm = &t->slots[slot_of(t, st)];
    RTK_TP(timer_cancelled, id, rtk__tls.cause, tm->priority,
           tm->pending ? tm->last_task : 0);
    (void)tm;
    return RTK_OK;
}

int rtk_timer_rearm(rtk_runtime_t *rt, rtk_id_t id, uint64_t delay_ns)
{
    timers_t *t = &rt->timers;
    state_t *st = find(t, id);
    if (!st)
        return RTK_ENOENT;
    bool armed = st->seq != 0;
    if (!armed && live_get(t) >= t->max_live) {
        rtk__count_drop(rt, RTK_DROP_TIMER_LIMIT, RTK_ITEM_TIMER, id,
                        rtk__tls.cause, t->slots[slot_of(t, st)].priority);
        return RTK_EFULL;
    }
    /* the new entry first: out of memory, the timer is left as it was */
    uint64_t now = timer_now(rt), deadline = rtk__sat_add(now, delay_ns);
    uint32_t old_seq = st->seq;
    if (arm(t, slot_of(t, st), deadline, now) != RTK_OK) {
        st->seq = old_seq;
        return RTK_ENOMEM;
    }
    if (armed)
        t->stale++; /* the entry for the old deadline */
    else
        live_add(t, 1); /* a fired one-shot comes back */
    st->gen++; /* voids any queued fire */
    trace_armed(t, st, deadline);
    return RTK_OK;
}

int rtk_timer_active(const rtk_runtime_t *rt, rtk_id_t id)
{
    const state_t *st = find(&rt->timers, id);
    return st && st->seq != 0;
}

size_t rtk__timers_live(const rtk_runtime_t *rt)
{
    return live_get(&rt->timers);
}

uint64_t rtk_next_deadline(rtk_runtime_t *rt)
{
    timers_t *t = &rt->timers;
    tidy(t); /* exact: drop cancelled or re-armed entries at the front */
    const entry_t *m = rtk__tq_min(&t->q);
    return m ? m->deadline : UINT64_MAX;
}

static inline void prefetch_slot(const timers_t *t, size_t s)
{
    __builtin_prefetch(&t->state[s]);
    __builtin_prefetch(&t->slots[s]);
}

/* Fire due timers in deadline order, at most as many as the work queue has
 * room for: a burst of timers due together waits (still due, still in
 * order) for the next tick rather than overflowing the queue and dropping
 * fires. */
size_t rtk__timers_fire_due(rtk_runtime_t *rt, uint64_t now)
{
    timers_t *t = &rt->timers;
    const entry_t *m = rtk__tq_min(&t->q);
    if (!m || m->deadline > now) {
        tidy(t);
        return 0; /* the common tick: the queue's length is not read */
    }
    size_t fired = 0, queued = rtk__wq_len(rt);
    size_t room = queued < rt->cfg.work_queue_capacity
                      ? rt->cfg.work_queue_capacity - queued
                      : 0;
    if (!room)
        m = NULL;
    while (fired < room && m && m->deadline <= now) {
        entry_t e = *m;
        if (!entry_live(t, &e)) {
            rtk__tq_pop(&t->q);
            t->stale--;
            m = rtk__tq_min(&t->q);
            continue;
        }
        state_t *st = &t->state[e.slot];
        rtk__timer_t *tm = &t->slots[e.slot];
        uint64_t deadline = e.deadline, missed = 0;
        if (tm->interval) {
            /* queue the next deadline before this one leaves: out of
             * memory, the timer stays due as it was and fires at a later
             * tick (late, never lost) */
            uint64_t k = (now - deadline) / tm->interval;
            missed = k;
            uint64_t next = rtk__sat_add(deadline, rtk__sat_mul(k + 1, tm->interval));
            if (arm(t, e.slot, next, now) != RTK_OK) {
                st->seq = e.seq;
                break;
            }
            /* the new entry is later (> now >= deadline): e is still the
             * front; find it again for the pop (the queue may have moved) */
            rtk__tq_min(&t->q);
        } else {
            st->seq = 0; /* fired */
            live_add(t, -1);
        }
        rtk__tq_pop(&t->q);
        /* the next front is the next fire: start loading its slot now,
         * behind this fire's work (a burst of fires is miss-bound) */
        m = rtk__tq_min(&t->q);
        if (m)
            prefetch_slot(t, m->slot);
        rtk__item_t it = {.id = rtk__next_id(), .cause = st->id,
                          .priority = tm->priority,
                          .source = RTK__SRC_TIMER};
        it.u.task.fn = tm->fn;
        it.u.task.arg = tm->arg;
        it.u.task.timer_id = st->id;
        it.u.task.timer_gen = st->gen;
        RTK_TP(timer_fired, st->id, tm->cause, tm->priority, deadline, now,
               now - deadline, missed, it.id);
        rtk__inc(&rt->timers_fired);
        atomic_fetch_add_explicit(&rt->timer_missed, missed,
                                  memory_order_relaxed);
        fired++;
        if (rtk__wq_push(rt, &it, tm->name) == RTK_OK) {
            tm->last_task = it.id;
            tm->pending++;
        } else if (st->seq == 0) {
            slot_free(t, st); /* a dropped one-shot fire: the timer is gone */
        }
    }
    tidy(t);
    return fired;
}

void rtk__timer_prefetch(const rtk_runtime_t *rt, rtk_id_t timer_id)
{
    prefetch_slot(&rt->timers, timer_id & rt->timers.mask);
}

bool rtk__timer_fire_valid(rtk_runtime_t *rt, const rtk__item_t *it)
{
    const state_t *st = find(&rt->timers, it->u.task.timer_id);
    return st && st->gen == (uint32_t)it->u.task.timer_gen;
}

void rtk__timer_fire_done(rtk_runtime_t *rt, const rtk__item_t *it)
{
    timers_t *t = &rt->timers;
    state_t *st = find(t, it->u.task.timer_id);
    if (!st)
        return;
    rtk__timer_t *tm = &t->slots[slot_of(t, st)];
    if (tm->pending)
        tm->pending--;
    /* a one-shot is gone once its (current) fire has run */
    if (st->seq == 0 && st->gen == (uint32_t)it->u.task.timer_gen)
        slot_free(t, st);
}
