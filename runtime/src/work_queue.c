/* work_queue.c - the bounded, priority-ordered, multi-producer work queue.
 *
 * Producers (any thread): one fetch-add on wq_count reserves a place under
 * the capacity (exact: a full queue refuses and counts WORK_QUEUE_FULL),
 * then the item is published into the lock-free ring (mpsc_ring.c). No lock.
 * The loop thread pushes straight into its private priority FIFO.
 * Consumer (loop thread): moves published ring items into the priority FIFO
 * (prio_fifo.c), then pops the lowest priority, FIFO within a priority. FIFO
 * across producers is the order in which they published.
 * The reservation is released when the task leaves (runs or is discarded),
 * so "queued" counts every task not yet run. */
#include "internal.h"
#include "trace.h"

static void trace_queued(const rtk__item_t *it)
{
    RTK_TP(task_queued, it->id, it->cause, it->priority, it->source,
           it->u.task.timer_id, it->u.task.name);
    (void)it;
}

int rtk__wq_push(rtk_runtime_t *rt, const rtk__item_t *it)
{
    if (atomic_fetch_add_explicit(&rt->wq_count, 1, memory_order_seq_cst) >=
        rt->cfg.work_queue_capacity) {
        atomic_fetch_sub_explicit(&rt->wq_count, 1, memory_order_relaxed);
        rtk__count_drop(rt, RTK_DROP_WORK_QUEUE_FULL, RTK_ITEM_TASK, it->id,
                        it->cause, it->priority);
        return RTK_EFULL;
    }
    if (rtk__on_loop(rt)) {
        trace_queued(it);
        /* Items other threads published earlier go first: FIFO within a
         * priority is the order of entry, whichever path an item took. */
        rtk__wq_drain_ring(rt);
        if (rtk__pf_push(&rt->wq_local, it) != RTK_OK) {
            atomic_fetch_sub_explicit(&rt->wq_count, 1, memory_order_relaxed);
            return RTK_ENOMEM;
        }
        return RTK_OK;
    }
    /* Re-check the state after reserving (both seq_cst, as is the loop's
     * state store): either this producer sees the stop and backs out, or the
     * stopping loop sees the reservation and waits for the item. So RTK_OK
     * means the task runs, even when a graceful stop races the submit. */
    if (atomic_load_explicit(&rt->state, memory_order_seq_cst) !=
        RTK_STATE_RUNNING) {
        atomic_fetch_sub_explicit(&rt->wq_count, 1, memory_order_relaxed);
        rtk__count_drop(rt, RTK_DROP_NOT_RUNNING, RTK_ITEM_TASK, it->id,
                        it->cause, it->priority);
        return RTK_ESTATE;
    }
    trace_queued(it);
    rtk__ring_put(&rt->wq_ring, it);
    rtk__wake(rt);
    return RTK_OK;
}

/* Move what producers published into the loop's FIFO so priorities compare
 * across both. Bounded: the ring never holds more than the capacity. An item
 * the FIFO has no memory for is discarded and counted, never lost silently. */
void rtk__wq_drain_ring(rtk_runtime_t *rt)
{
    rtk__item_t it;
    while (rtk__ring_take(&rt->wq_ring, &it)) {
        if (rtk__pf_push(&rt->wq_local, &it) != RTK_OK) {
            atomic_fetch_sub_explicit(&rt->wq_count, 1, memory_order_relaxed);
            rtk__count_drop(rt, RTK_DROP_WORK_QUEUE_FULL, RTK_ITEM_TASK, it.id,
                            it.cause, it.priority);
            if (it.source == RTK__SRC_TIMER)
                rtk__timer_fire_done(rt, &it);
        }
    }
}

bool rtk__wq_pop(rtk_runtime_t *rt, rtk__item_t *out)
{
    rtk__wq_drain_ring(rt);
    if (!rtk__pf_pop(&rt->wq_local, out))
        return false;
    atomic_fetch_sub_explicit(&rt->wq_count, 1, memory_order_relaxed);
    return true;
}

size_t rtk__wq_len(const rtk_runtime_t *rt)
{
    return atomic_load_explicit(&rt->wq_count, memory_order_relaxed);
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

int rtk_submit(rtk_runtime_t *rt, const rtk_task_desc_t *d, rtk_id_t *id)
{
    if (!rt || !d || !d->fn)
        return RTK_EINVAL;
    rtk__item_t it = {.id = rtk_next_id(),
                      .cause = rtk__cause_or_current(d->cause),
                      .priority = d->priority,
                      .source = RTK__SRC_SUBMIT};
    it.u.task.fn = d->fn;
    it.u.task.arg = d->arg;
    it.u.task.name = d->name;
    if (!rtk__running(rt)) {
        rtk__count_drop(rt, RTK_DROP_NOT_RUNNING, RTK_ITEM_TASK, it.id,
                        it.cause, it.priority);
        return RTK_ESTATE;
    }
    int rc = rtk__wq_push(rt, &it);
    if (rc == RTK_OK && id)
        *id = it.id;
    return rc;
}

int rtk_schedule(rtk_runtime_t *rt, rtk_task_fn fn, void *arg,
                 rtk_priority_t priority)
{
    rtk_task_desc_t d = {.fn = fn, .arg = arg, .priority = priority};
    return rtk_submit(rt, &d, NULL);
}
