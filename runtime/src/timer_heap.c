/* timer_heap.c - one-shot and periodic timers.
 *
 *   slots     direct-mapped by id: timer `id` lives in slots[id & mask]. A
 *             new timer takes the next id from the process-wide counter
 *             whose slot is free (ids stay unique, with gaps); the table is
 *             kept at most half full and doubles when needed (no two live
 *             ids can collide after a doubling). Cancel by id is one slot
 *             access: no hash, no search.
 *   heap      4-ary min-heap of 16-byte entries {deadline, seq, slot}, key
 *             inline, ordered by (deadline, arm seq): deadline order, FIFO
 *             for equal deadlines. Four children share a cache line or two,
 *             and the depth is half a binary heap's.
 *
 *   start       O(1) expected + heap push (rising deadlines: O(1); random:
 *               O(1) expected sift-up)
 *   cancel      O(1): free the slot; its heap entry goes stale
 *   rearm       O(log n): the old entry goes stale, a new one is pushed
 *   next due    O(1) amortised: stale roots are popped when asked
 *   fire k      O(k log n)
 *   memory      ~96 bytes a slot, 2 slots a timer, sized for max_timers
 *               at create (untouched pages are free; big tables ask for
 *               huge pages); stale heap entries are rebuilt away once they
 *               outnumber live ones
 *
 * A fire queues the callback as a task (source timer) carrying the timer
 * id and its arm generation. Cancel frees the slot and re-arm bumps the
 * generation, so a fire already queued finds itself stale and is voided
 * rather than run. A fired one-shot stops being live at once but keeps its
 * slot until its fire has run, so cancelling it in between still voids it.
 *
 * Periodic timers re-arm from their previous deadline. Missed-period policy
 * SKIP: when the loop reaches a periodic timer k whole intervals after its
 * deadline d (k = (now - d) / interval >= 1), it fires once, counts k missed
 * periods, and re-arms at d + (k + 1) * interval: the grid never drifts. */
#include "internal.h"
#include "trace.h"

#include <stdlib.h>
#include <sys/mman.h>

typedef struct rtk__timers timers_t;
typedef rtk__tentry_t entry_t;

#define ARITY 4

static size_t live_get(const timers_t *t) { return rtk__get_size(&t->live); }
static void live_add(timers_t *t, long d)
{
    rtk__set_size(&t->live, live_get(t) + (size_t)d);
}

/* Slot tables of 2 MiB and more are anonymous mappings with transparent
 * huge pages requested: zeroed lazily like calloc, but one fault and one TLB
 * entry per 2 MiB instead of per 4 KiB (slots are accessed at random).
 * Smaller ones come from calloc. */
#define BIG_TABLE ((size_t)2 << 20)

static rtk__timer_t *table_alloc(size_t n)
{
    size_t bytes = n * sizeof(rtk__timer_t);
    if (bytes < BIG_TABLE)
        return calloc(n, sizeof(rtk__timer_t));
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint; fine if refused */
#endif
    return p;
}

static void table_free(rtk__timer_t *slots, size_t n)
{
    if (!slots)
        return;
    size_t bytes = n * sizeof(rtk__timer_t);
    if (bytes < BIG_TABLE)
        free(slots);
    else
        munmap(slots, bytes);
}

/* The table is sized for max_live up front (2 slots a timer): its pages
 * cost nothing until touched, and the table then never doubles. */
int rtk__timers_init(timers_t *t, size_t max_live)
{
    *t = (timers_t){.max_live = max_live};
    size_t cap = 64;
    while (cap < 2 * max_live && cap < ((size_t)1 << 31))
        cap <<= 1;
    t->slots = table_alloc(cap);
    if (!t->slots)
        return RTK_ENOMEM;
    t->mask = cap - 1;
    return RTK_OK;
}

void rtk__timers_finish(timers_t *t)
{
    table_free(t->slots, t->mask + 1);
    free(t->heap);
    t->slots = NULL;
    t->heap = NULL;
}

/* ---- heap ------------------------------------------------------------- */

static inline bool before(const entry_t *a, const entry_t *b)
{
    return a->deadline < b->deadline ||
           (a->deadline == b->deadline && (int32_t)(a->seq - b->seq) < 0);
}

static void sift_up(timers_t *t, size_t i)
{
    entry_t e = t->heap[i];
    while (i > 0) {
        size_t p = (i - 1) / ARITY;
        if (!before(&e, &t->heap[p]))
            break;
        t->heap[i] = t->heap[p];
        i = p;
    }
    t->heap[i] = e;
}

static void sift_down(timers_t *t, size_t i)
{
    entry_t e = t->heap[i];
    size_t n = t->heap_len;
    for (;;) {
        size_t c = ARITY * i + 1;
        if (c >= n)
            break;
        size_t best = c, end = c + ARITY < n ? c + ARITY : n;
        for (size_t k = c + 1; k < end; k++)
            if (before(&t->heap[k], &t->heap[best]))
                best = k;
        if (!before(&t->heap[best], &e))
            break;
        t->heap[i] = t->heap[best];
        i = best;
    }
    t->heap[i] = e;
}

static int heap_push(timers_t *t, uint32_t s)
{
    if (t->heap_len == t->heap_cap) {
        size_t nc = t->heap_cap ? t->heap_cap * 2 : 64;
        entry_t *nh = realloc(t->heap, nc * sizeof *nh);
        if (!nh)
            return RTK_ENOMEM;
        t->heap = nh;
        t->heap_cap = nc;
    }
    rtk__timer_t *tm = &t->slots[s];
    tm->seq = ++t->seq;
    t->heap[t->heap_len++] = (entry_t){tm->deadline, tm->seq, s};
    sift_up(t, t->heap_len - 1);
    return RTK_OK;
}

static entry_t heap_pop(timers_t *t)
{
    entry_t top = t->heap[0];
    t->heap[0] = t->heap[--t->heap_len];
    if (t->heap_len)
        sift_down(t, 0);
    return top;
}

static inline bool entry_live(const timers_t *t, const entry_t *e)
{
    const rtk__timer_t *tm = &t->slots[e->slot];
    return tm->state == RTK__TM_ARMED && tm->seq == e->seq;
}

/* Rebuild the heap from live entries, O(n), once stale ones outnumber them
 * (amortised O(1) per cancel). */
static void compact(timers_t *t)
{
    if (t->stale <= 64 || t->stale <= live_get(t))
        return;
    size_t k = 0;
    for (size_t i = 0; i < t->heap_len; i++) {
        /* heap order is random in slot order: load ahead so the misses
         * overlap instead of queueing one by one */
        if (i + 8 < t->heap_len)
            __builtin_prefetch(&t->slots[t->heap[i + 8].slot]);
        if (entry_live(t, &t->heap[i]))
            t->heap[k++] = t->heap[i];
    }
    t->heap_len = k;
    t->stale = 0;
    for (size_t i = k / ARITY + 1; i-- > 0;)
        if (i < k)
            sift_down(t, i);
}

/* Pop stale roots so the next deadline is a live timer's. */
static void tidy(timers_t *t)
{
    while (t->heap_len && !entry_live(t, &t->heap[0])) {
        heap_pop(t);
        t->stale--;
    }
    compact(t);
}

/* ---- slots ------------------------------------------------------------ */

static inline rtk__timer_t *find(const timers_t *t, rtk_id_t id)
{
    rtk__timer_t *tm = &t->slots[id & t->mask];
    return id && tm->id == id ? tm : NULL;
}

static void slot_free(timers_t *t, rtk__timer_t *tm)
{
    tm->id = 0;
    tm->state = RTK__TM_FREE;
    t->used--;
}

/* Double the table: every used slot moves to id & new mask (two ids apart
 * in the old table cannot meet in the new one); heap entries follow. */
static int grow(timers_t *t)
{
    size_t nmask = t->mask * 2 + 1;
    rtk__timer_t *ns = table_alloc(nmask + 1);
    if (!ns)
        return RTK_ENOMEM;
    for (size_t i = 0; i <= t->mask; i++) {
        if (t->slots[i].state != RTK__TM_FREE)
            ns[t->slots[i].id & nmask] = t->slots[i];
    }
    size_t k = 0;
    for (size_t i = 0; i < t->heap_len; i++) {
        entry_t e = t->heap[i];
        if (!entry_live(t, &e))
            continue;
        e.slot = (uint32_t)(t->slots[e.slot].id & nmask);
        t->heap[k++] = e;
    }
    table_free(t->slots, t->mask + 1);
    t->slots = ns;
    t->mask = nmask;
    t->heap_len = k;
    t->stale = 0;
    for (size_t i = k / ARITY + 1; i-- > 0;)
        if (i < k)
            sift_down(t, i);
    return RTK_OK;
}

/* A fresh id from the process-wide counter whose slot is free. */
static rtk__timer_t *claim(timers_t *t, rtk_id_t *id)
{
    if ((t->used + 1) * 2 > t->mask + 1 && grow(t) != RTK_OK)
        return NULL;
    for (;;) {
        rtk_id_t cand = rtk_next_id();
        rtk__timer_t *tm = &t->slots[cand & t->mask];
        if (tm->state == RTK__TM_FREE) {
            *id = cand;
            t->used++;
            return tm;
        }
    }
}

static void trace_armed(const rtk__timer_t *tm)
{
    RTK_TP(timer_armed, tm->id, tm->cause, tm->priority, tm->deadline,
           tm->interval, tm->name);
    (void)tm;
}

int rtk_timer_start(rtk_runtime_t *rt, const rtk_timer_desc_t *d, rtk_id_t *id)
{
    if (!rt || !d || !d->fn)
        return RTK_EINVAL;
    timers_t *t = &rt->timers;
    rtk_id_t cause = rtk__cause_or_current(d->cause);
    if (!rtk__running(rt)) {
        rtk__count_drop(rt, RTK_DROP_NOT_RUNNING, RTK_ITEM_TIMER,
                        rtk_next_id(), cause, d->priority);
        return RTK_ESTATE;
    }
    if (live_get(t) >= t->max_live) {
        rtk__count_drop(rt, RTK_DROP_TIMER_LIMIT, RTK_ITEM_TIMER,
                        rtk_next_id(), cause, d->priority);
        return RTK_EFULL;
    }
    rtk_id_t tid;
    rtk__timer_t *tm = claim(t, &tid);
    if (!tm)
        return RTK_ENOMEM;
    uint32_t gen = tm->gen + 1;
    *tm = (rtk__timer_t){
        .id = tid, .cause = cause, .deadline = rtk__now(rt) + d->delay_ns,
        .interval = d->interval_ns, .fn = d->fn, .arg = d->arg,
        .name = d->name, .priority = d->priority, .gen = gen,
        .state = RTK__TM_ARMED};
    if (heap_push(t, (uint32_t)(tid & t->mask)) != RTK_OK) {
        slot_free(t, tm);
        return RTK_ENOMEM;
    }
    live_add(t, 1);
    trace_armed(tm);
    if (id)
        *id = tid;
    return RTK_OK;
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
    rtk__timer_t *tm = find(t, id);
    if (!tm)
        return RTK_ENOENT; /* unknown, cancelled, or a one-shot that ran */
    bool armed = tm->state == RTK__TM_ARMED;
    RTK_TP(timer_cancelled, tm->id, rtk__tls_cause, tm->priority,
           tm->pending ? tm->last_task : 0);
    if (armed) {
        live_add(t, -1);
        t->stale++; /* its heap entry */
    }
    /* Freeing the slot voids queued fires: their id no longer matches. */
    slot_free(t, tm);
    compact(t);
    return RTK_OK;
}

int rtk_timer_rearm(rtk_runtime_t *rt, rtk_id_t id, uint64_t delay_ns)
{
    timers_t *t = &rt->timers;
    rtk__timer_t *tm = find(t, id);
    if (!tm)
        return RTK_ENOENT;
    if (tm->state == RTK__TM_ARMED) {
        t->stale++; /* the entry for the old deadline */
    } else if (live_get(t) >= t->max_live) {
        rtk__count_drop(rt, RTK_DROP_TIMER_LIMIT, RTK_ITEM_TIMER, id,
                        rtk__tls_cause, tm->priority);
        return RTK_EFULL;
    } else {
        live_add(t, 1); /* a fired one-shot comes back */
    }
    tm->gen++; /* voids any queued fire */
    tm->state = RTK__TM_ARMED;
    tm->deadline = rtk__now(rt) + delay_ns;
    if (heap_push(t, (uint32_t)(id & t->mask)) != RTK_OK) {
        live_add(t, -1);
        slot_free(t, tm);
        return RTK_ENOMEM;
    }
    trace_armed(tm);
    compact(t);
    return RTK_OK;
}

int rtk_timer_active(const rtk_runtime_t *rt, rtk_id_t id)
{
    const rtk__timer_t *tm = find(&rt->timers, id);
    return tm && tm->state == RTK__TM_ARMED;
}

size_t rtk__timers_live(const rtk_runtime_t *rt)
{
    return live_get(&rt->timers);
}

uint64_t rtk_next_deadline(rtk_runtime_t *rt)
{
    timers_t *t = &rt->timers;
    tidy(t); /* exact: drop cancelled or re-armed entries at the root */
    return t->heap_len ? t->heap[0].deadline : UINT64_MAX;
}

/* Fire due timers in deadline order, at most as many as the work queue has
 * room for: a burst of timers due together waits (still due, still in
 * order) for the next tick rather than overflowing the queue and dropping
 * fires. */
size_t rtk__timers_fire_due(rtk_runtime_t *rt, uint64_t now)
{
    timers_t *t = &rt->timers;
    size_t fired = 0, queued = rtk__wq_len(rt);
    size_t room = queued < rt->cfg.work_queue_capacity
                      ? rt->cfg.work_queue_capacity - queued
                      : 0;
    while (fired < room && t->heap_len && t->heap[0].deadline <= now) {
        entry_t e = heap_pop(t);
        /* the next root is the next fire: start loading its cold slot now,
         * behind this fire's work (a burst of fires is miss-bound) */
        if (t->heap_len)
            __builtin_prefetch(&t->slots[t->heap[0].slot]);
        if (!entry_live(t, &e)) {
            t->stale--;
            continue;
        }
        rtk__timer_t *tm = &t->slots[e.slot];
        uint64_t deadline = tm->deadline, missed = 0;
        if (tm->interval) {
            uint64_t k = (now - deadline) / tm->interval;
            missed = k;
            tm->deadline = deadline + (k + 1) * tm->interval;
            if (heap_push(t, e.slot) != RTK_OK) {
                tm->state = RTK__TM_FIRED; /* cannot re-arm: this is its last */
                live_add(t, -1);
            }
        } else {
            tm->state = RTK__TM_FIRED;
            live_add(t, -1);
        }
        rtk__item_t it = {.id = rtk_next_id(), .cause = tm->id,
                          .priority = tm->priority,
                          .source = RTK__SRC_TIMER};
        it.u.task.fn = tm->fn;
        it.u.task.arg = tm->arg;
        it.u.task.name = tm->name;
        it.u.task.timer_id = tm->id;
        it.u.task.timer_gen = tm->gen;
        RTK_TP(timer_fired, tm->id, tm->cause, tm->priority, deadline, now,
               now - deadline, missed, it.id);
        rtk__inc(&rt->timers_fired);
        atomic_fetch_add_explicit(&rt->timer_missed, missed,
                                  memory_order_relaxed);
        fired++;
        if (rtk__wq_push(rt, &it) == RTK_OK) {
            tm->last_task = it.id;
            tm->pending++;
        } else if (tm->state == RTK__TM_FIRED)
            slot_free(t, tm); /* a dropped one-shot fire: the timer is gone */
    }
    tidy(t);
    return fired;
}

void rtk__timer_prefetch(const rtk_runtime_t *rt, rtk_id_t timer_id)
{
    __builtin_prefetch(&rt->timers.slots[timer_id & rt->timers.mask]);
}

bool rtk__timer_fire_valid(rtk_runtime_t *rt, const rtk__item_t *it)
{
    const rtk__timer_t *tm = find(&rt->timers, it->u.task.timer_id);
    return tm && tm->gen == (uint32_t)it->u.task.timer_gen;
}

void rtk__timer_fire_done(rtk_runtime_t *rt, const rtk__item_t *it)
{
    timers_t *t = &rt->timers;
    rtk__timer_t *tm = find(t, it->u.task.timer_id);
    if (!tm)
        return;
    if (tm->pending)
        tm->pending--;
    /* a one-shot is gone once its (current) fire has run */
    if (tm->state == RTK__TM_FIRED &&
        tm->gen == (uint32_t)it->u.task.timer_gen)
        slot_free(t, tm);
}
