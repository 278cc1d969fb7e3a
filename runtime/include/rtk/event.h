/* rtk/event.h - the event bus, the priority event queue, async emits and
 * scopes.
 *
 * Handlers subscribe to an event type with a handler priority; a dispatch
 * calls them in priority order (stable for equal priority). A handler
 * returns HANDLED, CONSUMED (stops the rest) or NOT_HANDLED; the dispatch
 * result is CONSUMED if one consumed it, else HANDLED if any handled it.
 *
 * Events reach the bus three ways:
 *  - rtk_event_dispatch: now, synchronously, on the loop thread;
 *  - rtk_event_post: the bounded priority queue (lower priority first, FIFO
 *    for equal), dispatched in the tick, at most event_budget per tick;
 *  - rtk_event_emit_async: any thread, a bounded FIFO dispatched in the tick
 *    (at most async_budget per tick).
 *
 * Payload ownership: data belongs to the caller unless dtor is set; then the
 * runtime calls dtor(data) exactly once, after the dispatch or when the event
 * is dropped.
 */
#ifndef RTK_EVENT_H
#define RTK_EVENT_H

#include "runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtk_scope rtk_scope_t;

typedef enum rtk_handler_result {
    RTK_NOT_HANDLED = 0,
    RTK_HANDLED = 1,
    RTK_CONSUMED = 2
} rtk_handler_result_t;

typedef struct rtk_event {
    rtk_id_t id;
    rtk_id_t cause;
    uint32_t type;
    rtk_priority_t priority;
    void *data;
} rtk_event_t;

typedef rtk_handler_result_t (*rtk_handler_fn)(rtk_runtime_t *rt,
                                               const rtk_event_t *ev, void *ud);

/* Build a descriptor with rtk_event_desc_init(), then set what differs:
 * a zeroed struct means priority 0, which is RTK_PRIORITY_CRITICAL. */
typedef struct rtk_event_desc {
    uint32_t type;
    rtk_priority_t priority;  /* queue order; ignored by async and dispatch;
                                 note: 0 is CRITICAL, rtk_event_desc_init()
                                 sets NORMAL */
    void *data;
    void (*dtor)(void *data); /* may be NULL */
    rtk_scope_t *scope;       /* may be NULL; counted in flight until
                                 dispatched or dropped */
    rtk_id_t cause;           /* 0: rtk_current_cause() */
} rtk_event_desc_t;

/* Zero *d and set type, data and priority RTK_PRIORITY_NORMAL: no dtor,
 * no scope, inherited cause. Any thread. O(1). */
RTK_API void rtk_event_desc_init(rtk_event_desc_t *d, uint32_t type,
                                 void *data);

/* --- bus: loop thread; safe to call from inside a handler ---------------- */

/* Subscribe fn to events of `type`. Returns RTK_OK and a subscription id in
 * *sub (never 0), or RTK_ENOMEM/RTK_EINVAL (nothing subscribed, *sub
 * untouched). O(handlers of that type). A handler added during a dispatch
 * is not called by that dispatch; its memory is taken at once, so adding
 * it when the dispatch returns cannot fail. */
RTK_API int rtk_subscribe(rtk_runtime_t *rt, uint32_t type,
                          rtk_priority_t priority, rtk_handler_fn fn, void *ud,
                          rtk_id_t *sub);

/* Remove a subscription. Idempotent: a second call (or an unknown id)
 * returns RTK_ENOENT and changes nothing. A handler removed during a
 * dispatch is not called afterwards, even by that dispatch. */
RTK_API int rtk_unsubscribe(rtk_runtime_t *rt, rtk_id_t sub);

/* Dispatch now; returns the dispatch result (>= 0), RTK_ESTATE if the
 * runtime is not RUNNING, or RTK_ENOMEM when nested more than 8 deep (a
 * handler dispatching) with no memory for the nesting: then no handler ran,
 * dtor ran and the scope was released. Traced like a queued event. Loop
 * thread. */
RTK_API int rtk_event_dispatch(rtk_runtime_t *rt, const rtk_event_desc_t *d,
                               rtk_id_t *id);

/* Queue on the priority queue. RTK_OK, RTK_EFULL (counted EVENT_QUEUE_FULL;
 * dtor runs, scope released), RTK_ESTATE, or RTK_ENOMEM (a new priority
 * level or a full one could not grow; dtor runs, scope left alone, not
 * counted as a drop). Loop thread. O(1) amortised
 * (one FIFO per priority level: O(log levels) to find a level other than
 * the last one used, O(levels) to add a new one; src/prio_fifo.c). */
RTK_API int rtk_event_post(rtk_runtime_t *rt, const rtk_event_desc_t *d,
                           rtk_id_t *id);

/* Queue on the async queue. Any thread, lock-free. RTK_OK, RTK_EFULL
 * (counted ASYNC_QUEUE_FULL) or RTK_ESTATE; on failure dtor runs and the
 * scope is released before returning. Wakes a blocked loop. */
RTK_API int rtk_event_emit_async(rtk_runtime_t *rt, const rtk_event_desc_t *d,
                                 rtk_id_t *id);

/* --- scopes: any thread ------------------------------------------------- */

/* A scope counts its events in flight: +1 when an event naming it is
 * accepted (sync post or async emit alike), -1 when that event has been
 * dispatched or dropped. */
/* NULL when out of memory. */
RTK_API rtk_scope_t *rtk_scope_create(void);
/* Free a scope. NULL is a no-op. No event may still name it. */
RTK_API void rtk_scope_destroy(rtk_scope_t *scope);
RTK_API uint64_t rtk_scope_in_flight(const rtk_scope_t *scope);
/* Wait until in flight reaches 0, at most timeout_ns of real time
 * (RTK_FOREVER: no limit). RTK_OK or RTK_ETIMEDOUT. No lost wake-up: the count and the wait share a
 * mutex. Must not be called on the loop thread with a non-zero timeout while
 * that loop holds the scope's events (it would wait for itself). */
RTK_API int rtk_scope_wait(rtk_scope_t *scope, uint64_t timeout_ns);

#ifdef __cplusplus
}
#endif

#endif /* RTK_EVENT_H */
