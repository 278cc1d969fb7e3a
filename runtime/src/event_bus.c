/* event_bus.c - subscriptions and synchronous dispatch.
 *
 * Handlers of one type live in one array sorted by (priority, subscription
 * order): dispatch walks it, O(handlers). Type -> list and subscription ->
 * list are id maps, O(1). While any dispatch is running (depth > 0) the
 * arrays are never reshaped: unsubscribe only marks a handler dead (it is
 * skipped from then on), subscribe parks the handler in `pending`; both are
 * applied when the outermost dispatch returns. So a handler may subscribe,
 * unsubscribe or dispatch from inside a dispatch safely.
 *
 * Out of memory: rtk_subscribe either succeeds or returns RTK_ENOMEM with
 * nothing changed. Everything a subscription will need is allocated before
 * anything is changed, and a subscription parked during a dispatch
 * reserves its place in the handler array and in the subscription map at
 * once, so applying it later cannot fail. A dispatch allocates only past
 * INFLIGHT_INIT nested dispatches (rtk_event_dispatch from handlers),
 * never in the tick's own dispatches. */
#include "internal.h"
#include "trace.h"

#include <stdlib.h>
#include <string.h>

static void settle(rtk__bus_t *b);

#define INFLIGHT_INIT 8 /* nested dispatches without an allocation */

int rtk__bus_init(rtk__bus_t *b)
{
    memset(b, 0, sizeof *b);
    b->inflight = rtk__malloc(INFLIGHT_INIT * sizeof *b->inflight);
    if (!b->inflight)
        return RTK_ENOMEM;
    b->capinflight = INFLIGHT_INIT;
    return RTK_OK;
}

/* Room for `need` elements of `size` bytes in *arr (capacity *cap),
 * doubling from `first`. RTK_OK or RTK_ENOMEM (nothing changed). */
static int room(void **arr, size_t *cap, size_t need, size_t size,
                size_t first)
{
    if (need <= *cap)
        return RTK_OK;
    size_t nc = *cap ? *cap : first;
    while (nc < need)
        nc *= 2;
    void *p = rtk__realloc(*arr, nc * size);
    if (!p)
        return RTK_ENOMEM;
    *arr = p;
    *cap = nc;
    return RTK_OK;
}

void rtk__bus_finish(rtk__bus_t *b)
{
    for (size_t i = 0; i < b->nlists; i++)
        rtk__free(b->lists[i].h);
    rtk__free(b->lists);
    rtk__free(b->pending);
    rtk__free(b->inflight);
    if (b->by_type.slots)
        rtk__map_finish(&b->by_type);
    if (b->by_sub.slots)
        rtk__map_finish(&b->by_sub);
    memset(b, 0, sizeof *b);
}

/* The list of `type`, creating an empty one if asked; NULL if none, or
 * on ENOMEM (then nothing changed). A new list goes at the end of
 * b->lists, so list indices stay valid (dispatch holds one). */
static rtk__handler_list_t *list_of(rtk__bus_t *b, uint32_t type, bool create)
{
    uint32_t li;
    if (b->by_type.slots && rtk__map_get(&b->by_type, (uint64_t)type + 1, &li))
        return &b->lists[li];
    if (!create)
        return NULL;
    if (!b->by_type.slots) {
        if (rtk__map_init(&b->by_type, 16) != RTK_OK)
            return NULL;
        if (rtk__map_init(&b->by_sub, 16) != RTK_OK) {
            rtk__map_finish(&b->by_type);
            return NULL;
        }
    }
    if (room((void **)&b->lists, &b->caplists, b->nlists + 1,
             sizeof *b->lists, 8) != RTK_OK ||
        rtk__map_put(&b->by_type, (uint64_t)type + 1, (uint32_t)b->nlists))
        return NULL;
    b->lists[b->nlists] = (rtk__handler_list_t){.type = type};
    return &b->lists[b->nlists++];
}

/* Room for `more` handlers in the list of `type` and for as many new
 * subscriptions in by_sub: then inserting them cannot fail. Allocates
 * only; changes nothing a dispatch reads (a list added at the end, an
 * array moved: dispatch re-reads both by index). NULL on ENOMEM. */
static rtk__handler_list_t *reserve(rtk__bus_t *b, uint32_t type, size_t more,
                                    size_t more_subs)
{
    rtk__handler_list_t *l = list_of(b, type, true);
    if (!l ||
        room((void **)&l->h, &l->cap, l->n + more, sizeof *l->h, 4) != RTK_OK ||
        rtk__map_reserve(&b->by_sub, more_subs) != RTK_OK)
        return NULL;
    return l;
}

/* Insert into a list with room reserved (reserve()): cannot fail. */
static void insert_sorted(rtk__bus_t *b, rtk__handler_list_t *l,
                          const rtk__handler_t *h)
{
    /* after every handler of equal or lower priority: stable order */
    size_t i = l->n;
    while (i > 0 && l->h[i - 1].priority > h->priority)
        i--;
    memmove(&l->h[i + 1], &l->h[i], (l->n - i) * sizeof *l->h);
    l->h[i] = *h;
    l->n++;
    (void)rtk__map_put(&b->by_sub, h->sub, (uint32_t)(l - b->lists));
}

int rtk_subscribe(rtk_runtime_t *rt, uint32_t type, rtk_priority_t priority,
                  rtk_handler_fn fn, void *ud, rtk_id_t *sub)
{
    if (!rt || !fn)
        return RTK_EINVAL;
    rtk__bus_t *b = &rt->bus;
    rtk__handler_t h = {.sub = rtk__next_id(), .priority = priority,
                        .fn = fn, .ud = ud};
    if (b->depth > 0) {
        /* parked until the outermost dispatch returns; its place in the
         * list (after the others parked for the same type) and in by_sub
         * (after all parked ones) is reserved now */
        size_t same = 1;
        for (size_t i = 0; i < b->npending; i++)
            same += b->pending[i].type == type;
        if (room((void **)&b->pending, &b->cappending, b->npending + 1,
                 sizeof *b->pending, 4) != RTK_OK ||
            !reserve(b, type, same, b->npending + 1))
            return RTK_ENOMEM;
        b->pending[b->npending++] = (struct rtk__pending_sub){type, h};
    } else {
        rtk__handler_list_t *l = reserve(b, type, 1, 1);
        if (!l)
            return RTK_ENOMEM;
        insert_sorted(b, l, &h);
    }
    if (sub)
        *sub = h.sub;
    return RTK_OK;
}

int rtk_unsubscribe(rtk_runtime_t *rt, rtk_id_t sub)
{
    rtk__bus_t *b = &rt->bus;
    for (size_t i = 0; i < b->npending; i++) {
        if (b->pending[i].h.sub == sub && !b->pending[i].h.dead) {
            b->pending[i].h.dead = true;
            return RTK_OK;
        }
    }
    uint32_t li;
    if (!b->by_sub.slots || !rtk__map_get(&b->by_sub, sub, &li))
        return RTK_ENOENT;
    rtk__handler_list_t *l = &b->lists[li];
    for (size_t i = 0; i < l->n; i++) {
        if (l->h[i].sub == sub) {
            l->h[i].dead = true;
            l->dirty = true;
            b->any_dirty = true;
            rtk__map_del(&b->by_sub, sub);
            if (b->depth == 0)
                settle(b);
            return RTK_OK;
        }
    }
    return RTK_ENOENT;
}

/* Apply deferred changes once no dispatch is running. O(handlers). */
static void settle(rtk__bus_t *b)
{
    if (b->any_dirty) {
        for (size_t li = 0; li < b->nlists; li++) {
            rtk__handler_list_t *l = &b->lists[li];
            if (!l->dirty)
                continue;
            size_t k = 0;
            for (size_t i = 0; i < l->n; i++)
                if (!l->h[i].dead)
                    l->h[k++] = l->h[i];
            l->n = k;
            l->dirty = false;
        }
        b->any_dirty = false;
    }
    size_t np = b->npending;
    b->npending = 0;
    for (size_t i = 0; i < np; i++)
        if (!b->pending[i].h.dead) /* room reserved by rtk_subscribe */
            insert_sorted(b, list_of(b, b->pending[i].type, false),
                          &b->pending[i].h);
}

/* A task abandoned (longjmp) from inside handlers: finish the dispatches it
 * cut short, innermost first (trace them, release their scope and payload),
 * and settle the bus as their normal return would have. */
void rtk__bus_unwind(rtk_runtime_t *rt, unsigned depth)
{
    rtk__bus_t *b = &rt->bus;
    while (b->depth > depth) {
        rtk__item_t *ev = &b->inflight[--b->depth];
        RTK_TP(event_dispatched, ev->id, ev->cause, ev->priority,
               ev->u.event.type, ev->source, (uint8_t)RTK_NOT_HANDLED, 0, 0);
        rtk__event_release(ev);
    }
    if (b->depth == 0)
        settle(b);
}

void rtk__event_release(rtk__item_t *ev)
{
    if (ev->u.event.dtor)
        ev->u.event.dtor(ev->u.event.data);
    rtk__scope_dec(ev->u.event.scope);
}

int rtk__bus_dispatch(rtk_runtime_t *rt, rtk__item_t *ev)
{
    rtk__bus_t *b = &rt->bus;
    uint64_t t0 = RTK_TP_ON(event_dispatched) ? rtk__monotonic_ns() : 0;
    rtk_event_t pub = {.id = ev->id, .cause = ev->cause,
                       .type = ev->u.event.type, .priority = ev->priority,
                       .data = ev->u.event.data};
    rtk_id_t saved = rtk__tls.cause;
    rtk__tls.cause = ev->id;
    int result = RTK_NOT_HANDLED;
    uint32_t called = 0;
    rtk__handler_list_t *l = list_of(b, pub.type, false);
    if (l) {
        size_t li = (size_t)(l - b->lists);
        if (room((void **)&b->inflight, &b->capinflight, b->depth + 1,
                 sizeof *b->inflight, INFLIGHT_INIT) != RTK_OK) {
            rtk__tls.cause = saved;
            rtk__event_release(ev);
            return RTK_ENOMEM;
        }
        b->inflight[b->depth++] = *ev;
        /* indices, not pointers: a handler's subscribe may move b->lists
         * and the handler array (not reorder them: that waits for settle),
         * so both are re-read after each call and h is not used after it */
        for (size_t i = 0; i < b->lists[li].n; i++) {
            rtk__handler_t *h = &b->lists[li].h[i];
            if (h->dead)
                continue;
            called++;
            rtk_handler_result_t r = h->fn(rt, &pub, h->ud);
            if (r == RTK_CONSUMED) {
                result = RTK_CONSUMED;
                break;
            }
            if (r == RTK_HANDLED)
                result = RTK_HANDLED;
        }
        if (--b->depth == 0)
            settle(b);
    }
    rtk__tls.cause = saved;
    RTK_TP(event_dispatched, ev->id, ev->cause, ev->priority, pub.type,
           ev->source, (uint8_t)result, called,
           t0 ? rtk__monotonic_ns() - t0 : 0);
    (void)t0;
    rtk__event_release(ev);
    return result;
}
