/* runtime.c - creating, destroying and the lifecycle state machine.
 *
 *   BOOTING --boot--> RUNNING --shutdown--> STOPPING
 *      \                 \                     \
 *       +-----------------+---------------------+--emergency--> EMERGENCY
 *
 * Only RUNNING accepts work; STOPPING and EMERGENCY are terminal. Misuse
 * (boot twice, shutdown when not running) returns RTK_ESTATE. */
#include "internal.h"
#include "trace.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#ifndef IDLE_SPIN_NS /* -DIDLE_SPIN_NS=n: rtk_config_init's, for tuning runs */
#define IDLE_SPIN_NS 20000u
#endif
#ifndef LOOP_CREDIT_MAX /* -DLOOP_CREDIT_MAX=n: for tuning runs */
#define LOOP_CREDIT_MAX 256
#endif

void rtk_config_init(rtk_config_t *c)
{
    memset(c, 0, sizeof *c);
    c->work_queue_capacity = 1024;
    c->event_queue_capacity = 256;
    c->async_queue_capacity = 1024;
    c->command_queue_capacity = 1024;
    c->batch_size = 16;
    c->max_timers = 1024;
    c->event_budget = 64;
    c->async_budget = 64;
    c->drain_limit = 4 * 1024;
    c->stats_interval_ns = 100000000u;
    c->render_priority = RTK_PRIORITY_NORMAL;
    c->idle_spin_ns = IDLE_SPIN_NS;
}

static void fill_defaults(rtk_config_t *c, const rtk_config_t *in)
{
    rtk_config_t d;
    rtk_config_init(&d);
    *c = in ? *in : d;
#define DEF(f) if (!c->f) c->f = d.f
    DEF(work_queue_capacity);
    DEF(event_queue_capacity);
    DEF(async_queue_capacity);
    DEF(command_queue_capacity);
    DEF(batch_size);
    DEF(max_timers);
    DEF(event_budget);
    DEF(async_budget);
    DEF(render_priority);
#undef DEF
    if (!c->drain_limit)
        c->drain_limit = 4 * c->work_queue_capacity;
}

int rtk_runtime_create(const rtk_config_t *cfg, rtk_runtime_t **out)
{
    if (!out)
        return RTK_EINVAL;
    *out = NULL;
    rtk_runtime_t *rt = rtk__aligned_alloc(RTK__CACHELINE,
                                      (sizeof *rt + RTK__CACHELINE - 1) &
                                          ~(size_t)(RTK__CACHELINE - 1));
    if (!rt)
        return RTK_ENOMEM;
    memset(rt, 0, sizeof *rt);
    fill_defaults(&rt->cfg, cfg);
    rt->efd = -1;
    atomic_init(&rt->state, RTK_STATE_BOOTING);
    rtk__pf_init(&rt->wq_local);
    rtk__pf_init(&rt->evq);
    int rc = RTK_ENOMEM;
    /* credit (work_queue.c): the loop holds at most 1/32 of the queue, 512
     * places, during a batch; queues under 64 places stay exact */
    rt->wq_credit_max = rt->cfg.work_queue_capacity / 64;
    if (rt->wq_credit_max > LOOP_CREDIT_MAX)
        rt->wq_credit_max = LOOP_CREDIT_MAX;
    rt->wq_credit_cap = rt->wq_credit_max;
    atomic_init(&rt->prod_min, UINT32_MAX); /* no producer yet */
    rtk__prod_setup();
    pthread_mutex_init(&rt->reclaim_mu, NULL);
    static atomic_uint_fast64_t next_gen = 1;
    rt->gen = atomic_fetch_add_explicit(&next_gen, 1, memory_order_relaxed);
    if (rtk__bus_init(&rt->bus) ||
        rtk__ring_init(&rt->wq_ring, rt->cfg.work_queue_capacity) ||
        rtk__ring_init(&rt->async_ring, rt->cfg.async_queue_capacity) ||
        rtk__ring_init(&rt->cmd_ring, rt->cfg.command_queue_capacity) ||
        rtk__timers_init(&rt->timers, rt->cfg.max_timers))
        goto fail;
    rt->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (rt->efd < 0) {
        rc = RTK_ESYS;
        goto fail;
    }
    rtk__trace_load_provider();
    *out = rt;
    return RTK_OK;
fail:
    rtk_runtime_destroy(rt);
    return rc;
}

void rtk_runtime_destroy(rtk_runtime_t *rt)
{
    if (!rt)
        return;
    if (rt->cmd_ring.cells && rt->wq_ring.cells && rt->async_ring.cells) {
        rtk__item_t c;
        while (rtk__ring_take(&rt->cmd_ring, &c))
            rtk__count_drop(rt, RTK_DROP_SHUTDOWN, RTK_ITEM_COMMAND, c.id,
                            c.cause, c.priority);
        rtk__wq_discard_all(rt, RTK_DROP_SHUTDOWN);
        rtk__events_discard_all(rt, RTK_DROP_SHUTDOWN);
        /* every task is gone: each place still counted is held as credit,
         * by a producer or the loop. More counted is a place lost; fewer
         * (wq_count below zero, read as huge) is one released twice, after
         * which every submit would be refused as full */
        assert(atomic_load_explicit(&rt->wq_count, memory_order_relaxed) ==
               rtk__prod_credit(rt) + rtk__wq_loop_held(rt));
    }
    rtk__prod_finish(rt);
    pthread_mutex_destroy(&rt->reclaim_mu);
    rtk__ring_finish(&rt->wq_ring);
    rtk__ring_finish(&rt->async_ring);
    rtk__ring_finish(&rt->cmd_ring);
    rtk__pf_finish(&rt->wq_local);
    rtk__pf_finish(&rt->evq);
    if (rt->timers.slots)
        rtk__timers_finish(&rt->timers);
    rtk__bus_finish(&rt->bus);
    if (rt->efd >= 0)
        close(rt->efd);
    rtk__free(rt);
}

rtk_state_t rtk_state(const rtk_runtime_t *rt)
{
    return (rtk_state_t)atomic_load_explicit(&rt->state, memory_order_acquire);
}

void rtk__set_state(rtk_runtime_t *rt, rtk_state_t to)
{
    rtk_state_t from = rtk_state(rt);
    if (from == to)
        return;
    atomic_store_explicit(&rt->state, to, memory_order_seq_cst);
    RTK_TP(state_change, rtk__tls.cause, (uint8_t)from, (uint8_t)to);
}

int rtk_boot(rtk_runtime_t *rt)
{
    if (rtk_state(rt) != RTK_STATE_BOOTING)
        return RTK_ESTATE;
    rtk__set_state(rt, RTK_STATE_RUNNING);
    return RTK_OK;
}

int rtk_shutdown(rtk_runtime_t *rt)
{
    if (rtk_state(rt) != RTK_STATE_RUNNING)
        return RTK_ESTATE;
    rtk__set_state(rt, RTK_STATE_STOPPING);
    return RTK_OK;
}

void rtk_emergency_stop(rtk_runtime_t *rt)
{
    rtk__set_state(rt, RTK_STATE_EMERGENCY);
}

uint64_t rtk_now(const rtk_runtime_t *rt)
{
    return rtk__now(rt);
}

void rtk__count_drop(rtk_runtime_t *rt, rtk_drop_reason_t reason,
                     rtk_item_kind_t kind, rtk_id_t id, rtk_id_t cause,
                     rtk_priority_t priority)
{
    atomic_fetch_add_explicit(&rt->drops[reason], 1, memory_order_relaxed);
    RTK_TP(drop, id, cause, priority, (uint8_t)kind, (uint8_t)reason);
    (void)kind; (void)id; (void)cause; (void)priority;
}

void rtk_runtime_config(const rtk_runtime_t *rt, rtk_config_t *out)
{
    *out = rt->cfg;
}
