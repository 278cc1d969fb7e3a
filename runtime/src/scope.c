/* scope.c - counts of events in flight, with waiters.
 *
 * +1 when an event naming the scope is accepted (posted or emitted async
 * alike), -1 when the runtime has dispatched or dropped that same event (the
 * scope travels inside the event, so the right scope is decremented). The
 * count is atomic; the mutex is taken only when it reaches 0 (to wake
 * waiters) and by waiters, so a waiter that saw a non-zero count is already
 * inside pthread_cond_wait before the broadcast can run: no lost wake-up. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

struct rtk_scope {
    atomic_uint_fast64_t n;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

rtk_scope_t *rtk_scope_create(void)
{
    rtk_scope_t *s = rtk__calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&s->mu, NULL);
    atomic_init(&s->n, 0);
    return s;
}

void rtk_scope_destroy(rtk_scope_t *s)
{
    if (!s)
        return;
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    rtk__free(s);
}

uint64_t rtk_scope_in_flight(const rtk_scope_t *s)
{
    return atomic_load_explicit(&s->n, memory_order_acquire);
}

void rtk__scope_inc(rtk_scope_t *s)
{
    if (s)
        atomic_fetch_add_explicit(&s->n, 1, memory_order_acq_rel);
}

void rtk__scope_dec(rtk_scope_t *s)
{
    if (!s)
        return;
    if (atomic_fetch_sub_explicit(&s->n, 1, memory_order_acq_rel) == 1) {
        pthread_mutex_lock(&s->mu);
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
    }
}

int rtk_scope_wait(rtk_scope_t *s, uint64_t timeout_ns)
{
    if (!s)
        return RTK_EINVAL;
    if (atomic_load_explicit(&s->n, memory_order_acquire) == 0)
        return RTK_OK;
    if (timeout_ns == 0)
        return RTK_ETIMEDOUT;
    uint64_t end = rtk__sat_add(rtk__monotonic_ns(), timeout_ns);
    struct timespec ts = {.tv_sec = (time_t)(end / 1000000000u),
                          .tv_nsec = (long)(end % 1000000000u)};
    int rc = RTK_OK;
    pthread_mutex_lock(&s->mu);
    while (atomic_load_explicit(&s->n, memory_order_acquire) != 0) {
        if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) == ETIMEDOUT) {
            if (atomic_load_explicit(&s->n, memory_order_acquire) != 0)
                rc = RTK_ETIMEDOUT;
            break;
        }
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}
