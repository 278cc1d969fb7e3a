/* timer_heap.c - one-shot and periodic timers.
 *
 *   structure    binary min-heap of slot indices, ordered by (deadline,
 *                arm sequence): deadline order, FIFO for equal deadlines
 *   start        O(log n)   slot from a free list, heap insert, id map put
 *   cancel       O(log n)   id map lookup, heap remove at the stored index
 *   next due     O(1)       heap[0]
 *   fire k due   O(k log n)
 *   memory       ~96 bytes a timer (slot + heap index + map entry)
 *
 * A fire queues the callback as a task (source timer) carrying the timer's
 * id and its arm generation `gen`. Cancel and re-arm bump gen (or remove the
 * id), so a fire already queued finds itself stale and is voided rather
 * than run. A fired one-shot leaves the heap at once (not live) but keeps its
 * slot until its queued fire has run, so cancelling it in between voids it.
 *
 * Periodic timers re-arm from their previous deadline. Missed-period policy
 * SKIP: when the loop reaches a periodic timer k whole intervals after its
 * deadline d (k = (now - d) / interval >= 1), it fires once, counts k missed
 * periods, and re-arms at d + (k + 1) * interval: the grid never drifts. */
#include "internal.h"
#include "trace.h"

#include <stdlib.h>

#define NOT_ARMED UINT32_MAX

typedef struct rtk__timers timers_t;

int rtk__timers_init(timers_t *t, size_t max_live)
{
    *t = (timers_t){.max_live = max_live, .free_head = NOT_ARMED};
    return rtk__map_init(&t->by_id, max_live < 1024 ? max_live : 1024);
}

void rtk__timers_finish(timers_t *t)
{
    free(t->slots);
    free(t->heap);
    rtk__map_finish(&t->by_id);
}

static inline bool before(const timers_t *t, uint32_t a, uint32_t b)
{
    const rtk__timer_t *x = &t->slots[a], *y = &t->slots[b];
    return x->deadline < y->deadline ||
           (x->deadline == y->deadline && x->seq < y->seq);
}

static inline void place(timers_t *t, size_t i, uint32_t s)
{
    t->heap[i] = s;
    t->slots[s].heap_index = (uint32_t)i;
}

static void sift_up(timers_t *t, size_t i)
{
    uint32_t s = t->heap[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(t, s, t->heap[p]))
            break;
        place(t, i, t->heap[p]);
        i = p;
    }
    place(t, i, s);
}

static void sift_down(timers_t *t, size_t i)
{
    uint32_t s = t->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= t->heap_len)
            break;
        if (c + 1 < t->heap_len && before(t, t->heap[c + 1], t->heap[c]))
            c++;
        if (!before(t, t->heap[c], s))
            break;
        place(t, i, t->heap[c]);
        i = c;
    }
    place(t, i, s);
}

static int heap_insert(timers_t *t, uint32_t s)
{
    if (t->heap_len == t->heap_cap) {
        size_t nc = t->heap_cap ? t->heap_cap * 2 : 64;
        uint32_t *nh = realloc(t->heap, nc * sizeof *nh);
        if (!nh)
            return RTK_ENOMEM;
        t->heap = nh;
        t->heap_cap = nc;
    }
    t->heap[t->heap_len++] = s;
    sift_up(t, t->heap_len - 1);
    return RTK_OK;
}

static void heap_remove(timers_t *t, uint32_t s)
{
    size_t i = t->slots[s].heap_index;
    t->slots[s].heap_index = NOT_ARMED;
    uint32_t last = t->heap[--t->heap_len];
    if (i == t->heap_len)
        return;
    place(t, i, last);
    if (i > 0 && before(t, last, t->heap[(i - 1) / 2]))
        sift_up(t, i);
    else
        sift_down(t, i);
}

static uint32_t slot_alloc(timers_t *t)
{
    if (t->free_head != NOT_ARMED) {
        uint32_t s = t->free_head;
        t->free_head = t->slots[s].next_free;
        return s;
    }
    if (t->nslots == t->capslots) {
        uint32_t nc = t->capslots ? t->capslots * 2 : 64;
        rtk__timer_t *ns = realloc(t->slots, (size_t)nc * sizeof *ns);
        if (!ns)
            return NOT_ARMED;
        t->slots = ns;
        t->capslots = nc;
    }
    return t->nslots++;
}

static void slot_free(timers_t *t, uint32_t s)
{
    rtk__map_del(&t->by_id, t->slots[s].id);
    t->slots[s].id = 0;
    t->slots[s].next_free = t->free_head;
    t->free_head = s;
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
    if (t->heap_len >= t->max_live) {
        rtk__count_drop(rt, RTK_DROP_TIMER_LIMIT, RTK_ITEM_TIMER, tid, cause,
                        d->priority);
        return RTK_EFULL;
    }
    uint32_t s = slot_alloc(t);
    if (s == NOT_ARMED)
        return RTK_ENOMEM;
    t->slots[s] = (rtk__timer_t){
        .id = tid, .cause = cause, .deadline = rtk__now(rt) + d->delay_ns,
        .interval = d->interval_ns, .seq = ++t->seq, .fn = d->fn,
        .arg = d->arg, .name = d->name, .priority = d->priority,
        .heap_index = NOT_ARMED};
    if (rtk__map_put(&t->by_id, tid, s) != RTK_OK) {
        t->slots[s].next_free = t->free_head;
        t->free_head = s;
        return RTK_ENOMEM;
    }
    if (heap_insert(t, s) != RTK_OK) {
        slot_free(t, s);
        return RTK_ENOMEM;
    }
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
    bool armed = tm->heap_index != NOT_ARMED;
    if (!armed && tm->queued == 0)
        return RTK_ENOENT; /* a one-shot that already ran */
    RTK_TP(timer_cancelled, tm->id, rtk__tls_cause, tm->priority,
           tm->queued ? tm->last_task : 0);
    if (armed)
        heap_remove(t, s);
    /* Removing the id voids queued fires: their lookup now fails. */
    slot_free(t, s);
    return RTK_OK;
}

int rtk_timer_rearm(rtk_runtime_t *rt, rtk_id_t id, uint64_t delay_ns)
{
    timers_t *t = &rt->timers;
    uint32_t s;
    if (!lookup(t, id, &s))
        return RTK_ENOENT;
    rtk__timer_t *tm = &t->slots[s];
    if (tm->heap_index == NOT_ARMED && tm->queued == 0)
        return RTK_ENOENT;
    tm->gen++; /* voids a queued fire */
    tm->deadline = rtk__now(rt) + delay_ns;
    tm->seq = ++t->seq;
    if (tm->heap_index != NOT_ARMED) {
        heap_remove(t, s);
    } else if (t->heap_len >= t->max_live) {
        rtk__count_drop(rt, RTK_DROP_TIMER_LIMIT, RTK_ITEM_TIMER, id,
                        rtk__tls_cause, tm->priority);
        return RTK_EFULL;
    }
    if (heap_insert(t, s) != RTK_OK)
        return RTK_ENOMEM;
    trace_armed(&t->slots[s]);
    return RTK_OK;
}

int rtk_timer_active(const rtk_runtime_t *rt, rtk_id_t id)
{
    uint32_t s;
    return lookup(&rt->timers, id, &s) &&
           rt->timers.slots[s].heap_index != NOT_ARMED;
}

size_t rtk__timers_live(const rtk_runtime_t *rt)
{
    return rt->timers.heap_len;
}

uint64_t rtk_next_deadline(const rtk_runtime_t *rt)
{
    const timers_t *t = &rt->timers;
    return t->heap_len ? t->slots[t->heap[0]].deadline : UINT64_MAX;
}

size_t rtk__timers_fire_due(rtk_runtime_t *rt, uint64_t now)
{
    timers_t *t = &rt->timers;
    size_t fired = 0;
    while (t->heap_len && t->slots[t->heap[0]].deadline <= now) {
        uint32_t s = t->heap[0];
        rtk__timer_t *tm = &t->slots[s];
        uint64_t deadline = tm->deadline, missed = 0;
        if (tm->interval) {
            uint64_t k = (now - deadline) / tm->interval;
            missed = k;
            tm->deadline = deadline + (k + 1) * tm->interval;
            tm->seq = ++t->seq;
            sift_down(t, 0);
        } else {
            heap_remove(t, s);
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
            tm->queued++;
            tm->last_task = it.id;
        }
        else if (tm->heap_index == NOT_ARMED && tm->queued == 0)
            slot_free(t, s); /* a dropped one-shot fire: the timer is gone */
    }
    return fired;
}

bool rtk__timer_fire_valid(rtk_runtime_t *rt, const rtk__item_t *it)
{
    uint32_t s;
    return lookup(&rt->timers, it->u.task.timer_id, &s) &&
           rt->timers.slots[s].gen == it->u.task.timer_gen;
}

void rtk__timer_fire_done(rtk_runtime_t *rt, const rtk__item_t *it)
{
    timers_t *t = &rt->timers;
    uint32_t s;
    if (!lookup(t, it->u.task.timer_id, &s))
        return; /* cancelled: the slot is already free */
    rtk__timer_t *tm = &t->slots[s];
    if (tm->queued)
        tm->queued--;
    if (tm->heap_index == NOT_ARMED && tm->queued == 0)
        slot_free(t, s);
}
