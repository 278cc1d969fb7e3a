/* timer_heap.c - one-shot and periodic timers.
 *
 *   structure   binary min-heap of entries {deadline, arm seq, slot, gen},
 *               keys inline (comparisons never leave the heap array);
 *               slots hold the timers; an id map finds a slot by timer id
 *   order       (deadline, arm seq): deadline order, FIFO for equal deadlines
 *   start       O(1) typical (rising deadlines sift up ~0 levels), O(log n)
 *               worst: slot from a free list, id-map put, heap push
 *   cancel      O(1): id-map delete and a mark; the heap entry goes stale
 *   rearm       O(log n): the old entry goes stale, a new one is pushed
 *   next due    O(1) amortised: the root, after popping stale roots (done
 *               when the deadline is asked for, not at cancel, so a run of
 *               cancels never walks the heap)
 *   fire k      O(k log n)
 *   memory      ~100 bytes a timer; stale entries are bounded: when they
 *               outnumber live ones (and 64), the heap is rebuilt in O(n)
 *
 * Lazy cancellation keeps cancel from walking the heap: with a million
 * timers an indexed heap's remove costs ~20 cache misses, a mark costs one.
 *
 * A fire queues the callback as a task (source timer) carrying the timer id
 * and (slot, gen). Cancel deletes the id and re-arm bumps gen, so a fire
 * already queued finds itself stale and is voided rather than run. A fired
 * one-shot stops being live at once but keeps its slot until its queued
 * fire has run, so cancelling it in between still voids it.
 *
 * Periodic timers re-arm from their previous deadline. Missed-period policy
 * SKIP: when the loop reaches a periodic timer k whole intervals after its
 * deadline d (k = (now - d) / interval >= 1), it fires once, counts k missed
 * periods, and re-arms at d + (k + 1) * interval: the grid never drifts. */
#include "internal.h"
#include "trace.h"

#include <stdlib.h>

#define NO_SLOT UINT32_MAX

typedef struct rtk__timers timers_t;
typedef rtk__tentry_t entry_t;

int rtk__timers_init(timers_t *t, size_t max_live)
{
    *t = (timers_t){.max_live = max_live, .free_head = NO_SLOT};
    return rtk__map_init(&t->by_id, max_live < 1024 ? max_live : 1024);
}

void rtk__timers_finish(timers_t *t)
{
    free(t->slots);
    free(t->heap);
    rtk__map_finish(&t->by_id);
}

static inline bool before(const entry_t *a, const entry_t *b)
{
    return a->deadline < b->deadline ||
           (a->deadline == b->deadline && (int32_t)(a->seq - b->seq) < 0);
}

static void sift_up(timers_t *t, size_t i)
{
    entry_t e = t->heap[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
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
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= t->heap_len)
            break;
        if (c + 1 < t->heap_len && before(&t->heap[c + 1], &t->heap[c]))
            c++;
        if (!before(&t->heap[c], &e))
            break;
        t->heap[i] = t->heap[c];
        i = c;
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
    t->heap[t->heap_len++] = (entry_t){.deadline = tm->deadline,
                                       .seq = ++t->seq, .slot = s,
                                       .gen = tm->gen};
    tm->refs++;
    sift_up(t, t->heap_len - 1);
    return RTK_OK;
}

static entry_t heap_pop(timers_t *t)
{
    entry_t top = t->heap[0];
    t->heap[0] = t->heap[--t->heap_len];
    if (t->heap_len)
        sift_down(t, 0);
    t->slots[top.slot].refs--;
    return top;
}

static inline bool entry_live(const timers_t *t, const entry_t *e)
{
    const rtk__timer_t *tm = &t->slots[e->slot];
    return tm->state == RTK__TM_ARMED && tm->gen == e->gen;
}

static uint32_t slot_alloc(timers_t *t)
{
    if (t->free_head != NO_SLOT) {
        uint32_t s = t->free_head;
        t->free_head = t->slots[s].next_free;
        return s;
    }
    if (t->nslots == t->capslots) {
        uint32_t nc = t->capslots ? t->capslots * 2 : 64;
        rtk__timer_t *ns = realloc(t->slots, (size_t)nc * sizeof *ns);
        if (!ns)
            return NO_SLOT;
        t->slots = ns;
        t->capslots = nc;
    }
    return t->nslots++;
}

/* Free a slot nothing refers to any more: not armed, no heap entry, no
 * queued fire. Its id leaves the map (cancel did that already). */
static void maybe_free(timers_t *t, uint32_t s)
{
    rtk__timer_t *tm = &t->slots[s];
    if (tm->state == RTK__TM_ARMED || tm->refs || tm->queued)
        return;
    if (tm->state == RTK__TM_FIRED)
        rtk__map_del(&t->by_id, tm->id);
    tm->id = 0;
    tm->next_free = t->free_head;
    t->free_head = s;
}

/* Bound stale entries: rebuild the heap from live entries, O(n), once they
 * outnumber live ones (amortised O(1) per cancel). */
static void compact(timers_t *t)
{
    if (t->stale <= 64 || t->stale <= rtk__get_size(&t->live))
        return;
    size_t k = 0;
    for (size_t i = 0; i < t->heap_len; i++) {
        if (entry_live(t, &t->heap[i])) {
            t->heap[k++] = t->heap[i];
        } else {
            uint32_t s = t->heap[i].slot;
            t->slots[s].refs--;
            maybe_free(t, s);
        }
    }
    t->heap_len = k;
    t->stale = 0;
    for (size_t i = k / 2; i-- > 0;)
        sift_down(t, i);
}

/* Pop stale roots so the next deadline is a live timer's. */
static void tidy(timers_t *t)
{
    while (t->heap_len && !entry_live(t, &t->heap[0])) {
        entry_t e = heap_pop(t);
        t->stale--;
        maybe_free(t, e.slot);
    }
    compact(t);
}


static bool lookup(const timers_t *t, rtk_id_t id, uint32_t *s)
{
    return id != 0 && rtk__map_get(&t->by_id, id, s);
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
    rtk_id_t tid = rtk_next_id();
    rtk_id_t cause = rtk__cause_or_current(d->cause);
    if (!rtk__running(rt)) {
        rtk__count_drop(rt, RTK_DROP_NOT_RUNNING, RTK_ITEM_TIMER, tid, cause,
                        d->priority);
        return RTK_ESTATE;
    }
    if (rtk__get_size(&t->live) >= t->max_live) {
        rtk__count_drop(rt, RTK_DROP_TIMER_LIMIT, RTK_ITEM_TIMER, tid, cause,
                        d->priority);
        return RTK_EFULL;
    }
    uint32_t s = slot_alloc(t);
    if (s == NO_SLOT)
        return RTK_ENOMEM;
    uint32_t gen = s < t->nslots - 1 || t->slots[s].id == 0 ? t->slots[s].gen
                                                            : 0;
    t->slots[s] = (rtk__timer_t){
        .id = tid, .cause = cause, .deadline = rtk__now(rt) + d->delay_ns,
        .interval = d->interval_ns, .fn = d->fn, .arg = d->arg,
        .name = d->name, .priority = d->priority, .gen = gen + 1,
        .state = RTK__TM_ARMED};
    if (rtk__map_put(&t->by_id, tid, s) != RTK_OK) {
        t->slots[s].state = RTK__TM_DEAD;
        maybe_free(t, s);
        return RTK_ENOMEM;
    }
    if (heap_push(t, s) != RTK_OK) {
        rtk__map_del(&t->by_id, tid);
        t->slots[s].state = RTK__TM_DEAD;
        maybe_free(t, s);
        return RTK_ENOMEM;
    }
    rtk__set_size(&t->live, rtk__get_size(&t->live) + 1);
    trace_armed(&t->slots[s]);
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
    uint32_t s;
    if (!lookup(t, id, &s))
        return RTK_ENOENT;
    rtk__timer_t *tm = &t->slots[s];
    if (tm->state == RTK__TM_ARMED) {
        rtk__set_size(&t->live, rtk__get_size(&t->live) - 1);
        t->stale++; /* its heap entry */
    } else if (tm->queued == 0) {
        return RTK_ENOENT; /* a one-shot that already ran */
    }
    RTK_TP(timer_cancelled, tm->id, rtk__tls_cause, tm->priority,
           tm->queued ? tm->last_task : 0);
    /* Removing the id voids queued fires: their lookup now fails. */
    rtk__map_del(&t->by_id, id);
    tm->state = RTK__TM_DEAD;
    maybe_free(t, s);
    compact(t);
    return RTK_OK;
}

int rtk_timer_rearm(rtk_runtime_t *rt, rtk_id_t id, uint64_t delay_ns)
{
    timers_t *t = &rt->timers;
    uint32_t s;
    if (!lookup(t, id, &s))
        return RTK_ENOENT;
    rtk__timer_t *tm = &t->slots[s];
    if (tm->state == RTK__TM_ARMED) {
        t->stale++; /* the entry for the old deadline */
    } else if (tm->queued == 0) {
        return RTK_ENOENT;
    } else if (rtk__get_size(&t->live) >= t->max_live) {
        rtk__count_drop(rt, RTK_DROP_TIMER_LIMIT, RTK_ITEM_TIMER, id,
                        rtk__tls_cause, tm->priority);
        return RTK_EFULL;
    } else {
        rtk__set_size(&t->live, rtk__get_size(&t->live) + 1); /* a fired one-shot comes back */
    }
    tm->gen++; /* voids the old entry and any queued fire */
    tm->state = RTK__TM_ARMED;
    tm->deadline = rtk__now(rt) + delay_ns;
    if (heap_push(t, s) != RTK_OK) {
        rtk__set_size(&t->live, rtk__get_size(&t->live) - 1);
        tm->state = RTK__TM_DEAD;
        rtk__map_del(&t->by_id, id);
        maybe_free(t, s);
        tidy(t);
        return RTK_ENOMEM;
    }
    trace_armed(tm);
    compact(t);
    return RTK_OK;
}

int rtk_timer_active(const rtk_runtime_t *rt, rtk_id_t id)
{
    uint32_t s;
    return lookup(&rt->timers, id, &s) &&
           rt->timers.slots[s].state == RTK__TM_ARMED;
}

size_t rtk__timers_live(const rtk_runtime_t *rt)
{
    return rtk__get_size(&rt->timers.live);
}

uint64_t rtk_next_deadline(rtk_runtime_t *rt)
{
    timers_t *t = &rt->timers;
    tidy(t); /* exact: drop cancelled or re-armed entries at the root */
    return t->heap_len ? t->heap[0].deadline : UINT64_MAX;
}

size_t rtk__timers_fire_due(rtk_runtime_t *rt, uint64_t now)
{
    timers_t *t = &rt->timers;
    size_t fired = 0;
    while (t->heap_len && t->heap[0].deadline <= now) {
        entry_t e = heap_pop(t);
        uint32_t s = e.slot;
        if (!entry_live(t, &e)) {
            t->stale--;
            maybe_free(t, s);
            continue;
        }
        rtk__timer_t *tm = &t->slots[s];
        uint64_t deadline = tm->deadline, missed = 0;
        if (tm->interval) {
            uint64_t k = (now - deadline) / tm->interval;
            missed = k;
            tm->deadline = deadline + (k + 1) * tm->interval;
            if (heap_push(t, s) != RTK_OK) {
                /* cannot re-arm: the timer ends after this fire */
                tm->state = RTK__TM_FIRED;
                rtk__set_size(&t->live, rtk__get_size(&t->live) - 1);
            }
            tm = &t->slots[s];
        } else {
            tm->state = RTK__TM_FIRED;
            rtk__set_size(&t->live, rtk__get_size(&t->live) - 1);
        }
        rtk__item_t it = {.id = rtk_next_id(), .cause = tm->id,
                          .priority = tm->priority,
                          .source = RTK__SRC_TIMER};
        it.u.task.fn = tm->fn;
        it.u.task.arg = tm->arg;
        it.u.task.name = tm->name;
        it.u.task.timer_id = tm->id;
        it.u.task.timer_ref = (uint64_t)s << 32 | tm->gen;
        RTK_TP(timer_fired, tm->id, tm->cause, tm->priority, deadline, now,
               now - deadline, missed, it.id);
        rtk__inc(&rt->timers_fired);
        atomic_fetch_add_explicit(&rt->timer_missed, missed,
                                  memory_order_relaxed);
        fired++;
        if (rtk__wq_push(rt, &it) == RTK_OK) {
            tm->queued++;
            tm->last_task = it.id;
        } else {
            maybe_free(t, s); /* a dropped one-shot fire: the timer is gone */
        }
    }
    tidy(t);
    return fired;
}

/* The slot named by a fire task, if it still belongs to that timer (a slot
 * is not reused while a fire of it is queued, but check the id anyway). */
static rtk__timer_t *fire_slot(rtk_runtime_t *rt, const rtk__item_t *it)
{
    uint32_t s = (uint32_t)(it->u.task.timer_ref >> 32);
    if (s >= rt->timers.nslots)
        return NULL;
    rtk__timer_t *tm = &rt->timers.slots[s];
    return tm->id == it->u.task.timer_id ? tm : NULL;
}

bool rtk__timer_fire_valid(rtk_runtime_t *rt, const rtk__item_t *it)
{
    rtk__timer_t *tm = fire_slot(rt, it);
    return tm && tm->state != RTK__TM_DEAD &&
           tm->gen == (uint32_t)it->u.task.timer_ref;
}

void rtk__timer_fire_done(rtk_runtime_t *rt, const rtk__item_t *it)
{
    rtk__timer_t *tm = fire_slot(rt, it);
    if (!tm)
        return;
    if (tm->queued)
        tm->queued--;
    maybe_free(&rt->timers, (uint32_t)(tm - rt->timers.slots));
}
