/* render.c - the render flag: requests from any thread coalesce into one
 * render, paced to at most one per frame_interval_ns when the runtime calls
 * config.render itself.
 *
 * request: one fetch-add and one exchange (lock-free); only the request that
 * raises the flag wakes the loop. take: two exchanges. Each render is traced
 * (render_begin/render_end) with how many requests it served, so the first
 * render after a request is visible in the trace. */
#include "internal.h"
#include "trace.h"

void rtk_render_request(rtk_runtime_t *rt)
{
    atomic_fetch_add_explicit(&rt->render_requests, 1, memory_order_relaxed);
    int was = atomic_exchange_explicit(&rt->render_pending, 1,
                                       memory_order_acq_rel);
    RTK_TP(render_request, rtk__next_id(), rtk__tls.cause, (uint8_t)was);
    if (!was)
        rtk__wake(rt);
}

int rtk_render_pending(const rtk_runtime_t *rt)
{
    return atomic_load_explicit(&rt->render_pending, memory_order_acquire);
}

/* Take the flag and trace the render's start; returns the render id or 0. */
static rtk_id_t take(rtk_runtime_t *rt)
{
    if (!atomic_exchange_explicit(&rt->render_pending, 0, memory_order_acq_rel))
        return 0;
    unsigned reqs = atomic_exchange_explicit(&rt->render_requests, 0,
                                             memory_order_relaxed);
    rtk_id_t id = rtk__next_id();
    rt->frame++;
    rt->rendered_this_tick = true;
    rtk__inc(&rt->renders);
    RTK_TP(render_begin, id, rt->frame, reqs);
    (void)reqs;
    return id;
}

int rtk_render_take(rtk_runtime_t *rt)
{
    return take(rt) != 0;
}

bool rtk__render_due(rtk_runtime_t *rt, uint64_t now, int64_t *wait_ns)
{
    *wait_ns = -1;
    if (!rt->cfg.render || !rtk_render_pending(rt))
        return false;
    uint64_t iv = rt->cfg.frame_interval_ns;
    uint64_t next = rtk__sat_add(rt->last_render_ns, iv);
    if (iv == 0 || rt->frame == 0 || now >= next)
        return true;
    *wait_ns = next - now > INT64_MAX ? INT64_MAX : (int64_t)(next - now);
    return false;
}

void rtk__render_maybe(rtk_runtime_t *rt, uint64_t now)
{
    int64_t wait;
    if (!rtk__render_due(rt, now, &wait))
        return;
    rtk_id_t id = take(rt);
    if (!id)
        return;
    rt->last_render_ns = now;
    rtk_id_t saved = rtk__tls.cause;
    rtk__tls.cause = id;
    rt->cfg.render(rt, rt->cfg.render_ud);
    rtk__tls.cause = saved;
    RTK_TP(render_end, id, rt->frame);
}
