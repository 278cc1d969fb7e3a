/* event_queue.c - the three ways events reach the bus.
 *
 *   rtk_event_dispatch   now, on the loop thread (path direct)
 *   rtk_event_post       bounded priority queue (prio_fifo.c): lower
 *                        priority first, FIFO within one; O(1) amortised
 *   rtk_event_emit_async any thread, bounded lock-free ring (mpsc_ring.c)
 *
 * The tick dispatches at most event_budget queued and async_budget async
 * events, so a flood of events cannot starve timers and tasks. A scope is
 * counted when its event is accepted and released exactly once, after the
 * dispatch or when the event is dropped. */
#include "internal.h"
#include "trace.h"

static void make_event(rtk__item_t *it, const rtk_event_desc_t *d,
                       uint8_t path)
{
    *it = (rtk__item_t){.id = rtk__next_id(),
                        .cause = rtk__cause_or_current(d->cause),
                        .priority = d->priority, .source = path};
    it->u.event.type = d->type;
    it->u.event.data = d->data;
    it->u.event.dtor = d->dtor;
    it->u.event.scope = d->scope;
}

static void trace_queued(const rtk__item_t *it)
{
    RTK_TP(event_queued, it->id, it->cause, it->priority, it->u.event.type,
           it->source);
    (void)it;
}

/* Refuse an event that never got in: count, trace, run its dtor. The scope
 * was not counted yet, so it is left alone. */
static int refuse(rtk_runtime_t *rt, rtk__item_t *it, rtk_drop_reason_t why,
                  rtk_item_kind_t kind, int rc)
{
    rtk__count_drop(rt, why, kind, it->id, it->cause, it->priority);
    if (it->u.event.dtor)
        it->u.event.dtor(it->u.event.data);
    return rc;
}

void rtk_event_desc_init(rtk_event_desc_t *d, uint32_t type, void *data)
{
    *d = (rtk_event_desc_t){.type = type, .data = data,
                            .priority = RTK_PRIORITY_NORMAL};
}

int rtk_event_dispatch(rtk_runtime_t *rt, const rtk_event_desc_t *d,
                       rtk_id_t *id)
{
    if (!rt || !d)
        return RTK_EINVAL;
    rtk__item_t it;
    make_event(&it, d, RTK__PATH_DIRECT);
    if (!rtk__running(rt))
        return refuse(rt, &it, RTK_DROP_NOT_RUNNING, RTK_ITEM_EVENT,
                      RTK_ESTATE);
    if (id)
        *id = it.id;
    rtk__scope_inc(it.u.event.scope);
    trace_queued(&it);
    int r = rtk__bus_dispatch(rt, &it);
    if (r >= 0) /* not RTK_ENOMEM: the nesting found no memory */
        rtk__inc(&rt->events_dispatched);
    return r;
}

int rtk_event_post(rtk_runtime_t *rt, const rtk_event_desc_t *d, rtk_id_t *id)
{
    if (!rt || !d)
        return RTK_EINVAL;
    rtk__item_t it;
    make_event(&it, d, RTK__PATH_QUEUE);
    if (!rtk__running(rt))
        return refuse(rt, &it, RTK_DROP_NOT_RUNNING, RTK_ITEM_EVENT,
                      RTK_ESTATE);
    if (rt->evq.len >= rt->cfg.event_queue_capacity)
        return refuse(rt, &it, RTK_DROP_EVENT_QUEUE_FULL, RTK_ITEM_EVENT,
                      RTK_EFULL);
    if (rtk__pf_push(&rt->evq, &it) != RTK_OK) {
        if (it.u.event.dtor)
            it.u.event.dtor(it.u.event.data);
        return RTK_ENOMEM;
    }
    rtk__set_size(&rt->evq_len, rt->evq.len);
    rtk__scope_inc(it.u.event.scope);
    trace_queued(&it);
    if (id)
        *id = it.id;
    return RTK_OK;
}

int rtk_event_emit_async(rtk_runtime_t *rt, const rtk_event_desc_t *d,
                         rtk_id_t *id)
{
    if (!rt || !d)
        return RTK_EINVAL;
    rtk__item_t it;
    make_event(&it, d, RTK__PATH_ASYNC);
    if (!rtk__running(rt))
        return refuse(rt, &it, RTK_DROP_NOT_RUNNING, RTK_ITEM_ASYNC_EVENT,
                      RTK_ESTATE);
    if (!rtk__ring_reserve(&rt->async_ring))
        return refuse(rt, &it, RTK_DROP_ASYNC_QUEUE_FULL,
                      RTK_ITEM_ASYNC_EVENT, RTK_EFULL);
    rtk__scope_inc(it.u.event.scope); /* before it can be dispatched */
    trace_queued(&it);
    if (id)
        *id = it.id;
    rtk__ring_put(&rt->async_ring, &it);
    rtk__wake(rt);
    return RTK_OK;
}

size_t rtk__evq_dispatch(rtk_runtime_t *rt, size_t budget)
{
    size_t n = 0;
    rtk__item_t it;
    while (n < budget && rtk__pf_pop(&rt->evq, &it)) {
        rtk__set_size(&rt->evq_len, rt->evq.len);
        rtk__bus_dispatch(rt, &it);
        rtk__inc(&rt->events_dispatched);
        n++;
    }
    return n;
}

size_t rtk__async_dispatch(rtk_runtime_t *rt, size_t budget)
{
    size_t n = 0;
    rtk__item_t it;
    while (n < budget && rtk__ring_take(&rt->async_ring, &it)) {
        rtk__ring_unreserve(&rt->async_ring);
        rtk__bus_dispatch(rt, &it);
        rtk__inc(&rt->async_dispatched);
        n++;
    }
    return n;
}

void rtk__events_discard_all(rtk_runtime_t *rt, rtk_drop_reason_t reason)
{
    rtk__item_t it;
    while (rtk__pf_pop(&rt->evq, &it)) {
        rtk__set_size(&rt->evq_len, rt->evq.len);
        rtk__count_drop(rt, reason, RTK_ITEM_EVENT, it.id, it.cause,
                        it.priority);
        rtk__event_release(&it);
    }
    while (rtk__ring_take(&rt->async_ring, &it)) {
        rtk__ring_unreserve(&rt->async_ring);
        rtk__count_drop(rt, reason, RTK_ITEM_ASYNC_EVENT, it.id, it.cause,
                        it.priority);
        rtk__event_release(&it);
    }
}
